"""What a ruff or Fixit user expects of lint_style.py: output formats, standard input,
configuration found like ruff's, exclusion, fixes, the cache, and workers ended with the run."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint_helpers import DEFAULT_SETTINGS
from workbench.errors import run_command_line
from workbench.lint import command
from workbench.lint.engine import lint_text
from workbench.lint.result_cache import lint_cache_folder
from workbench.lint.sarif import SARIF_VERSION
from workbench.paths import installed_root

PROJECT_ROOT = installed_root()
SCRIPT = PROJECT_ROOT / "tools" / "lint_style.py"
DIRTY = "import math\nsquare = lambda value: value * value\n"
CLEAN = "import math\n\n\ndef square(value: float) -> float:\n    return value * value\n"
BROKEN = "total = 1\n\ndef broken(:\n    pass\n"


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run_command_line(command.main, arguments)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(folder))
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "package").mkdir(parents=True)
    (root / "package" / "dirty.py").write_text(DIRTY, encoding="utf-8")
    (root / "package" / "clean.py").write_text(CLEAN, encoding="utf-8")
    (root / "broken.py").write_text(BROKEN, encoding="utf-8")
    return root


def test_sarif_is_a_sarif_2_1_0_log_with_rules_results_and_unreadable_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["--format", "sarif", "--select", "no-lambda", str(project)], capsys)
    assert status == 2  # broken.py
    log = json.loads(out)
    assert log["version"] == SARIF_VERSION == "2.1.0" and "sarif" in log["$schema"]
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["DOD404"] and rules[0]["name"] == "no-lambda"
    (result,) = run_["results"]
    assert result["ruleId"] == "DOD404" and result["ruleIndex"] == 0 and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("package/dirty.py")
    assert location["region"] == {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 37}
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_json_and_github_include_the_files_that_could_not_be_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["--format", "json", str(project)], capsys)
    document = json.loads(out)
    assert status == 2 and "broken.py" in err
    (error,) = document["errors"]
    assert error["path"].endswith("broken.py") and error["line"] == 3 and "cannot parse" in error["message"]
    status, out, _ = run(["--format", "github", "--statistics", "--select", "no-lambda", str(project)], capsys)
    lines = out.splitlines()
    assert any(line.startswith("::error file=") and "broken.py" in line and ",line=3," in line for line in lines)
    assert any(line.split() == ["1", "DOD404", "no-lambda"] for line in lines), (
        "--statistics is not ignored with github"
    )


def test_markdown_and_output_file(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.md"
    status, out, _ = run(
        ["--format", "markdown", "--select", "no-lambda", "--output-file", str(report), str(project / "package")],
        capsys,
    )
    assert status == 1 and out == ""
    text = report.read_text(encoding="utf-8")
    assert text.startswith("| location | rule | message |") and "DOD404 no-lambda" in text and "\x1b[" not in text


def test_standard_input_with_a_name(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DIRTY.encode())))
    status, out, _ = run(
        ["-", "--stdin-filename", "editor_buffer.py", "--select", "no-lambda", "--format", "json"], capsys
    )
    (violation,) = json.loads(out)["violations"]
    assert status == 1 and violation["path"] == "editor_buffer.py" and violation["line"] == 2


def test_select_of_nothing_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("--select", "--ignore"):
        status, _, err = run([flag, ",", str(project)], capsys)
        assert status == 2 and "names no rule" in err


def test_the_nearest_configuration_applies_with_per_file_ignores_and_excludes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repository"
    (root / "tests").mkdir(parents=True)
    (root / "generated").mkdir()
    (root / "inner").mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.lint_style]\nselect = ["no-lambda", "full-names"]\nextend-exclude = ["generated"]\n'
        'per-file-ignores = { "tests/*.py" = ["no-lambda"] }\n',
        encoding="utf-8",
    )
    (root / "inner" / "pyproject.toml").write_text(
        '[tool.lint_style]\nselect = ["full-names"]\nallowed-words = ["sqr"]\n', encoding="utf-8"
    )
    (root / "main.py").write_text(DIRTY, encoding="utf-8")
    (root / "tests" / "test_main.py").write_text(DIRTY, encoding="utf-8")
    (root / "generated" / "table.py").write_text(DIRTY, encoding="utf-8")
    (root / "inner" / "module.py").write_text("sqr = lambda value: value\n", encoding="utf-8")
    status, out, _ = run(["--format", "json", str(root)], capsys)
    document = json.loads(out)
    found = sorted((Path(item["path"]).relative_to(root).as_posix(), item["name"]) for item in document["violations"])
    assert status == 1
    assert found == [("main.py", "no-lambda")], (
        "tests/ ignores no-lambda; inner/ selects only full-names and allows 'sqr'"
    )
    assert not any("generated" in path for path in document["files"])
    status, out, _ = run(["--format", "json", str(root / "generated" / "table.py")], capsys)
    assert json.loads(out)["total"] == 1, "a file named explicitly is linted"
    status, out, _ = run(["--format", "json", "--force-exclude", str(root / "generated" / "table.py")], capsys)
    assert json.loads(out)["files"] == [] and status == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_folder_walk_respects_gitignore_and_skips_virtual_environments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repository"
    for folder in ("src", "ignored_output", "env/lib/site", ".venv/lib"):
        (root / folder).mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("ignored_output/\n", encoding="utf-8")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    for folder in ("src", "ignored_output", "env/lib/site", ".venv/lib"):
        (root / folder / "module.py").write_text(DIRTY, encoding="utf-8")
    status, out, _ = run(["--format", "json", "--select", "no-lambda", str(root)], capsys)
    assert [Path(path).relative_to(root).as_posix() for path in json.loads(out)["files"]] == ["src/module.py"]
    status, out, _ = run(["--format", "json", "--select", "no-lambda", "--no-respect-gitignore", str(root)], capsys)
    assert [Path(path).relative_to(root).as_posix() for path in json.loads(out)["files"]] == [
        "ignored_output/module.py",
        "src/module.py",
    ]


def test_every_test_file_the_linter_cites_exists() -> None:
    package = PROJECT_ROOT / "tools" / "workbench" / "lint"
    cited = {
        match
        for path in package.rglob("*.py")
        for match in re.findall(r"tests/[\w/]+\.py", path.read_text(encoding="utf-8"))
    }
    assert cited, "the rule module cites the test that runs the examples"
    assert all((PROJECT_ROOT / path).is_file() for path in cited), cited


def test_diff_shows_safe_fixes_and_fix_applies_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "module.py"
    source = (
        "def drain(pending: list[int]) -> int:\n"
        "    total = 0\n"
        "    while pending:\n"
        "        total += pending.pop()\n"
        "    if not pending:\n"
        "        tmp_idx = total\n"
        "        return tmp_idx\n"
        "    return total\n"
    )
    path.write_text(source, encoding="utf-8")
    status, out, _ = run(["--diff", "--select", "explicit-truthiness,full-names", str(path)], capsys)
    assert "-    while pending:\n+    while len(pending) > 0:" in out
    assert "+    if len(pending) == 0:" in out
    assert "+        temporary_index = total" in out and "+        return temporary_index" in out
    assert path.read_text(encoding="utf-8") == source, "--diff changes nothing"
    status, _, _ = run(["--fix", "--select", "explicit-truthiness,full-names", str(path)], capsys)
    fixed = path.read_text(encoding="utf-8")
    assert status == 0 and "while len(pending) > 0:" in fixed and "temporary_index" in fixed
    namespace: dict[str, object] = {}
    exec(compile(fixed, "fixed.py", "exec"), namespace)  # the fixed code still runs, with the same result
    drain = namespace["drain"]
    assert callable(drain) and drain([1, 2, 3]) == 6


def test_unsafe_renames_are_left_as_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "module.py"
    source = "def scale(val: float) -> float:\n    tmp = val * 2\n    temporary = 1\n    return tmp + temporary\n"
    path.write_text(source, encoding="utf-8")
    status, out, _ = run(["--diff", "--select", "full-names", str(path)], capsys)
    assert out == "", "a parameter keeps its name (callers may use it), and 'temporary' is taken"


def test_results_are_cached_between_runs_by_content(
    project: Path, private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["--format", "json", str(project / "package")], capsys)
    entries = sorted(lint_cache_folder(PROJECT_ROOT).rglob("*.json"))
    assert len(entries) == 2 and lint_cache_folder(PROJECT_ROOT).is_relative_to(private_cache)
    modified = [entry.stat().st_mtime_ns for entry in entries]
    (project / "package" / "clean.py").write_text(CLEAN + "\n", encoding="utf-8")
    run(["--format", "json", str(project / "package")], capsys)
    assert len(sorted(lint_cache_folder(PROJECT_ROOT).rglob("*.json"))) == 3, "only the changed file was analysed again"
    assert [entry.stat().st_mtime_ns for entry in entries] == modified
    run(["--no-cache", str(project / "package" / "dirty.py")], capsys)
    assert len(sorted(lint_cache_folder(PROJECT_ROOT).rglob("*.json"))) == 3


def test_a_cached_result_is_the_computed_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, first, _ = run(["--format", "json", str(project / "package" / "dirty.py")], capsys)
    command_module_cache = json.loads(first)
    status, second, _ = run(["--format", "json", str(project / "package" / "dirty.py")], capsys)
    assert json.loads(second) == command_module_cache
    assert command_module_cache["total"] == len(lint_text(DIRTY, "x.py", DEFAULT_SETTINGS).violations)


def test_help_says_how_to_clear_the_cache(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        command.main(["--help"])
    out = capsys.readouterr().out
    assert (
        ".cache/lint/" in out
        and "MICROGPT_WORKBENCH_CACHE" in out
        and "--no-cache" in out
        and "deleting that folder" in out
    )


def test_the_script_says_in_one_line_when_the_workbench_is_not_installed(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    completed = subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), "--list-rules"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "the workbench is not installed" in completed.stderr


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found.update(int(child) for child in text.split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGKILL])
def test_worker_processes_end_with_the_run(tmp_path: Path, ending: signal.Signals) -> None:
    for index in range(2):
        (tmp_path / f"slow_{index}.py").write_text("total = " + " + ".join(["1"] * 2000) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--no-cache", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(process.pid)
    assert len(workers) >= 2, "the run started its workers"
    process.send_signal(ending)
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(
        Path(f"/proc/{worker}").exists() and "zombie" not in Path(f"/proc/{worker}/status").read_text()
        for worker in workers
    ):
        time.sleep(0.2)
    alive = [
        worker
        for worker in workers
        if Path(f"/proc/{worker}").exists() and "zombie" not in Path(f"/proc/{worker}/status").read_text()
    ]
    assert not alive, f"workers left running after {ending.name}"


def test_fix_on_standard_input_writes_the_fixed_text_to_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "def drain(pending: list[int]) -> None:\n    while pending:\n        pending.pop()\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source.encode())))
    status, out, err = run(["--fix", "-", "--select", "explicit-truthiness"], capsys)
    assert out == source.replace("while pending:", "while len(pending) > 0:")
    assert status == 0 and "All clear" in err, "the report goes to standard error"
