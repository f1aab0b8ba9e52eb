"""Learners' files as their editors save them, in folders as they name them, on consoles
as their systems set them up: CRLF line endings, a UTF-8 byte-order mark, tabs, a path
with spaces and non-ASCII letters, a console in cp1252 or plain ASCII (LANG=C)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.cli import run_tool
from workbench.console import make_console, tolerate_any_encoding
from workbench.paths import installed_root

STEPS = installed_root() / "steps"
BOM = b"\xef\xbb\xbf"


def step_source(number: int) -> str:
    return next(STEPS.glob(f"{number:02d}_*.py")).read_text(encoding="utf-8")


def as_windows_editor_saves(source: str) -> bytes:
    """A UTF-8 byte-order mark and CRLF line endings (Notepad, some Windows editors)."""
    return BOM + source.replace("\n", "\r\n").encode("utf-8")


def indented_with_tabs(source: str) -> str:
    return "\n".join(
        re.sub(r"^((?:    )+)", lambda match: "\t" * (len(match.group(1)) // 4), line) for line in source.split("\n")
    )


@pytest.fixture
def cached_environment(
    tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]
) -> dict[str, str]:
    cache = make_seeded_cache(tmp_path_factory.mktemp("learner-files"), share_runs=True)
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    for name in ("MICROGPT_NAMES_FILE", "MICROGPT_WORKSPACE"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def mes_essais(tmp_path: Path) -> Path:
    folder = tmp_path / "mes essais" / "étape à part"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("saved", ["bom-crlf", "bom-crlf-tabs"])
def test_a_bom_crlf_file_in_mes_essais_passes_as_the_step_it_is(
    saved: str, mes_essais: Path, cached_environment: dict[str, str]
) -> None:
    source = step_source(3)
    if saved.endswith("tabs"):
        source = indented_with_tabs(source)
        assert "\t" in source
    mine = mes_essais / "mon étape 03.py"
    mine.write_bytes(as_windows_editor_saves(source))
    completed = run_tool("run_step", str(mine), "--as", "03", "--profile", "quick", environment=cached_environment)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "mon étape 03.py as step 03: IDENTICAL" in completed.stdout


def test_the_workshop_checks_a_bom_crlf_file_in_a_workspace_with_spaces_and_accents(
    mes_essais: Path, cached_environment: dict[str, str]
) -> None:
    workspace = ["--workspace", str(mes_essais / "espace de travail")]
    assert run_tool("workshop", *workspace, "start", "03", environment=cached_environment).returncode == 0
    [mine] = (mes_essais / "espace de travail").glob("03_*.py")
    mine.write_bytes(as_windows_editor_saves(step_source(3)))
    completed = run_tool("workshop", *workspace, "check", environment=cached_environment)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "claims do not hold" not in completed.stdout


def test_the_linter_reads_a_bom_crlf_file_as_the_same_program(mes_essais: Path) -> None:
    original = (installed_root() / "original" / "microgpt.py").read_text(encoding="utf-8")
    plain, saved = mes_essais / "plain.py", mes_essais / "sauvé.py"
    plain.write_text(original, encoding="utf-8")
    saved.write_bytes(as_windows_editor_saves(original))
    reports = [run_tool("lint_style", str(path), "--format", "json") for path in (plain, saved)]
    assert [report.returncode for report in reports] == [1, 1], reports[1].stderr
    found = [
        [
            {key: value for key, value in violation.items() if key != "path"}
            for violation in json.loads(report.stdout)["violations"]
        ]
        for report in reports
    ]
    assert len(found[0]) > 100 and found[0] == found[1]


def test_a_stream_that_cannot_encode_a_mark_gets_its_ascii_stand_in() -> None:
    for encoding, expected in (("cp1252", "ok x \x97 -> ?"), ("ascii", "ok x - -> ?")):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding)
        tolerate_any_encoding(stream)
        stream.write("✔ ✘ — → ☃")
        stream.flush()
        assert raw.getvalue().decode(encoding) == expected.replace("\x97", "—") if encoding == "cp1252" else expected
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    tolerate_any_encoding(utf8)
    assert utf8.errors == "strict"


def test_a_console_on_a_cp1252_stream_prints_without_error() -> None:
    raw = io.BytesIO()
    console = make_console(file=io.TextIOWrapper(raw, encoding="cp1252"))
    console.print("✔ the program runs — ✘ no class")
    console.file.flush()
    assert raw.getvalue().decode("cp1252").strip() == "ok the program runs — x no class"


CONSOLES = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
}


@pytest.mark.parametrize("console", sorted(CONSOLES))
def test_the_command_lines_print_on_a_console_that_is_not_utf8(
    console: str, tmp_path: Path, cached_environment: dict[str, str]
) -> None:
    if console == "LANG=C" and sys.platform == "win32":
        pytest.skip("LANG means nothing to a Windows console; the cp1252 case is Windows'")
    environment = {**cached_environment, **CONSOLES[console]}
    encoding = "cp1252" if console == "cp1252" else "ascii"

    def run(tool: str, *arguments: str) -> tuple[int, str]:
        completed = subprocess.run(
            [sys.executable, str(installed_root() / "tools" / f"{tool}.py"), *arguments],
            cwd=installed_root(),
            capture_output=True,
            env=environment,
            timeout=900,
            check=False,
        )
        out, err = completed.stdout.decode(encoding), completed.stderr.decode(encoding)
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
        return completed.returncode, out

    workspace = ["--workspace", str(tmp_path / "workspace")]
    assert run("workshop", *workspace, "start", "01")[0] == 0
    code, checklist = run("workshop", *workspace, "check")
    assert code == 1 and "x the program runs" in checklist and "ok still defines class Value" in checklist
    code, verdict = run("run_step", "08", "--profile", "quick")
    assert code == 0 and "step 08: IDENTICAL" in verdict
    code, style = run("lint_style", "original/microgpt.py")
    assert code == 1 and "no-class" in style
    code, diff = run("diffstep", "05")
    assert code == 0 and "05" in diff
