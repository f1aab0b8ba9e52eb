"""Hostile input and real-world code: no traceback, no hang, and exit 2 only where CPython
itself cannot compile the file (or for what is not a Python file at all)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import warnings
from pathlib import Path

import pytest

from workbench.lint.engine import FileResult, LintSettings, analyse, lint_sources
from workbench.lint.errors import SourceError
from workbench.paths import installed_root

PROJECT_ROOT = installed_root()
SCRIPT = PROJECT_ROOT / "tools" / "lint_style.py"

VALID_BUT_DEEP = {
    "elif_chain_500": "def pick(value: int) -> int:\n    if value == -1:\n        return 0\n"
    + "".join(f"    elif value == {index}:\n        return {index}\n" for index in range(500)),
    "nested_lists_190": "table = " + "[" * 190 + "]" * 190 + "\n",
    "nested_calls_190": "total = " + "wrap(" * 190 + "1" + ")" * 190 + "\n",
    "sum_of_1000_terms": "total = " + " + ".join(["1"] * 1000) + "\n",
    "concatenated_strings_400": "text = (\n" + "".join(f"    'line {index}'\n" for index in range(400)) + ")\n",
    "attribute_chain_400": "value = start" + ".step" * 400 + "\n",
    "call_chain_150": "value = start" + ".step()" * 150 + "\n",
}
"""Valid Python that CPython compiles: the linter must analyse it (exit 0 or 1)."""

REFUSED_BY_CPYTHON = {
    "parentheses_1000": "value = " + "(" * 1000 + "1" + ")" * 1000 + "\n",
    "sum_of_3000_terms": "total = " + " + ".join(["1"] * 3000) + "\n",
    "return_outside_function": "return 1\n",
    "indentation_101": "".join("    " * level + f"if flag{level}:\n" for level in range(101)) + "    " * 101 + "pass\n",
    "null_byte": "value = 1\x00\n",
    "broken_def": "def broken(:\n    pass\n",
}
"""Text CPython refuses: the linter must say so in one sentence (exit 2)."""


def compiles(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "probe.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in {**VALID_BUT_DEEP, **REFUSED_BY_CPYTHON}.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def test_the_generated_inputs_are_what_they_claim() -> None:
    assert all(compiles(text) for text in VALID_BUT_DEEP.values())
    assert not any(compiles(text) for text in REFUSED_BY_CPYTHON.values())


def test_exit_two_exactly_where_compile_fails(hostile_folder: Path) -> None:
    files = sorted(hostile_folder.glob("*.py"))
    start = time.perf_counter()
    results, errors = lint_sources([(path, LintSettings()) for path in files])
    elapsed = time.perf_counter() - start
    refused = {str(error).split(":")[0].rsplit("/", 1)[-1].removesuffix(".py") for error in errors}
    analysed = {Path(result.path).stem for result in results}
    assert refused == set(REFUSED_BY_CPYTHON), [str(error) for error in errors]
    assert analysed == set(VALID_BUT_DEEP)
    assert all("Traceback" not in str(error) and "\n" not in str(error) for error in errors)
    assert elapsed < 120, f"the hostile set took {elapsed:.0f} s"


def test_cpythons_own_words_are_reported(hostile_folder: Path) -> None:
    outcome = analyse(REFUSED_BY_CPYTHON["parentheses_1000"], "parentheses.py", LintSettings())
    assert isinstance(outcome, SourceError) and "too many nested parentheses" in str(outcome)
    outcome = analyse(REFUSED_BY_CPYTHON["return_outside_function"], "outside.py", LintSettings())
    assert (
        isinstance(outcome, SourceError)
        and str(outcome).startswith("outside.py:1:")
        and "'return' outside function" in str(outcome)
    )


def test_newer_syntax_that_libcst_knows_is_still_linted() -> None:
    outcome = analyse("type Alias = int\n", "alias.py", LintSettings())
    assert isinstance(outcome, FileResult)


def test_a_file_slower_than_the_time_limit_is_stopped_with_one_sentence() -> None:
    settings = LintSettings(time_limit=0.3)
    text = "total = " + " + ".join(["1"] * 1500) + "\n"  # CPython compiles it; libcst takes seconds
    assert compiles(text)
    start = time.perf_counter()
    results, errors = lint_sources([(Path("-"), settings)], standard_input=text, standard_input_name="slow.py")
    assert not results
    (error,) = errors
    assert "slow.py: took longer than 0.3 s to analyse" in str(error) and "--timeout" in str(error)
    assert time.perf_counter() - start < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_and_a_symlink_loop_are_one_sentence_each(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    completed = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--no-cache",
            str(tmp_path / "pipe.py"),
            str(tmp_path / "loop_a.py"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "pipe.py: is not a regular file" in completed.stderr
    assert "loop_a.py: is a loop of symbolic links" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert "No violations in the 0 files" in completed.stdout, "the folder walk skips both silently"


def _standard_library_sample() -> list[Path]:
    """Twelve top-level modules of the running Python's standard library, spread over the
    alphabet, of modest size (the whole library is the benchmark in docs/benchmarks.md)."""
    folder = Path(sysconfig.get_paths()["stdlib"])
    candidates = sorted(path for path in folder.glob("*.py") if 2_000 < path.stat().st_size < 25_000)
    step = max(1, len(candidates) // 12)
    return candidates[::step][:12]


def test_a_sample_of_the_standard_library_is_analysed() -> None:
    sample = _standard_library_sample()
    assert len(sample) >= 10
    results, errors = lint_sources([(path, LintSettings()) for path in sample])
    unexpected = [
        str(error)
        for error in errors
        if compiles(Path(str(error).split(":")[0]).read_text(encoding="utf-8", errors="replace"))
    ]
    assert not unexpected, unexpected
    assert len(results) + len(errors) == len(sample)
    assert sum(len(result.violations) for result in results) > 0, "real code breaks the paradigm somewhere"
