"""tools/lint_style.py end to end: output formats, options and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lint_style
from workbench.errors import run_command_line
from workbench.paths import installed_root

PROJECT_ROOT = installed_root()
SCRIPT = PROJECT_ROOT / "tools" / "lint_style.py"
DIRTY = "import math\nsquare = lambda value: value * value\n"
CLEAN = "import math\n\n\ndef square(value: float) -> float:\n    return value * value\n"


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run_command_line(lint_style.main, arguments)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "nested").mkdir()
    (tmp_path / "package" / ".hidden").mkdir()
    paths = {
        "dirty": tmp_path / "package" / "dirty.py",
        "clean": tmp_path / "package" / "nested" / "clean.py",
        "hidden": tmp_path / "package" / ".hidden" / "skipped.py",
        "broken": tmp_path / "broken.py",
    }
    paths["dirty"].write_text(DIRTY, encoding="utf-8")
    paths["clean"].write_text(CLEAN, encoding="utf-8")
    paths["hidden"].write_text(DIRTY, encoding="utf-8")
    paths["broken"].write_text("total = 1\n\ndef broken(:\n    pass\n", encoding="utf-8")
    return paths


def test_clean_file_exits_zero(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run([str(files["clean"])], capsys)
    assert status == 0 and "no violations" in out


def test_violations_exit_one_with_location_source_line_and_carets(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["--select", "no-lambda", str(files["dirty"])], capsys)
    assert status == 1
    lines = out.splitlines()
    index = next(number for number, line in enumerate(lines) if "DOD404 no-lambda" in line)
    assert lines[index].endswith(
        "DOD404 no-lambda lambda: an anonymous function inside an expression; write a named def with typed parameters"
    )
    assert lines[index].split(" ")[0].endswith("dirty.py:2:10")
    assert lines[index + 1] == "  2 | square = lambda value: value * value"
    assert lines[index + 2] == "    |          " + "^" * 27
    assert "1 violation of 1 rule in 1 of 1 file" in out
    assert "\x1b[" not in out, "plain when piped"


def test_folders_are_searched_recursively_skipping_hidden_ones(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["--format", "json", str(files["dirty"].parent)], capsys)
    document = json.loads(out)
    assert status == 1
    assert sorted(Path(path).name for path in document["files"]) == ["clean.py", "dirty.py"]


def test_json_format(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--format", "json", "--select", "DOD4", str(files["dirty"])], capsys)
    document = json.loads(out)
    assert status == 1 and document["total"] == 1 and document["counts"]["no-lambda"] == 1
    (violation,) = document["violations"]
    assert {key: violation[key] for key in ("line", "column", "code", "name")} == {
        "line": 2,
        "column": 10,
        "code": "DOD404",
        "name": "no-lambda",
    }
    assert set(document["counts"]) == {
        "simple-comprehension",
        "no-generator",
        "no-with",
        "no-decorator",
        "no-lambda",
        "no-chained-calls",
        "no-walrus",
        "no-nested-conditional",
        "one-statement-per-line",
    }


def test_github_format(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--format", "github", "--select", "no-lambda", str(files["dirty"])], capsys)
    (line,) = out.splitlines()
    assert status == 1
    assert line.startswith("::error file=") and ",line=2,col=10," in line
    assert ",title=DOD404 no-lambda::lambda%3A" not in line, "the message is data: only properties escape ':'"
    assert line.endswith(
        "::lambda: an anonymous function inside an expression; write a named def with typed parameters"
    )


def test_statistics(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--statistics", str(files["dirty"])], capsys)
    assert status == 1
    row = next(line for line in out.splitlines() if "no-lambda" in line)
    assert "DOD404" in row and row.rstrip(" |").endswith("1")
    assert "square = lambda" not in out, "statistics replace the listing"


def test_select_and_ignore(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(["--ignore", "no-lambda,full-names,type-hints", str(files["dirty"])], capsys)
    assert status == 0
    status, out, _ = run(["--select", "DOD100,no-lambda", "--format", "json", str(files["dirty"])], capsys)
    assert set(json.loads(out)["counts"]) == {"no-class", "no-lambda"}


def test_explain_shows_documentation_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--explain", "DOD110"], capsys)
    assert status == 0
    for heading in (
        "DOD110 hidden-state",
        "What it flags",
        "Why it matters",
        "Example",
        "Fix",
        "Not flagged",
        "Flagged",
    ):
        assert heading in out
    assert "a constant read inside a function" in out and "state_dict = {'wte': [[0.1]]}" in out
    assert "zero from step 01" in out


def test_explain_accepts_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--explain", "no-lambda"], capsys)
    assert status == 0 and "DOD404 no-lambda" in out


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--list-rules"], capsys)
    assert status == 0
    for code in ("DOD100", "DOD110", "DOD200", "DOD300", "DOD408", "DOD501", "DOD600", "DOD900", "DOD901"):
        assert code in out


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--explain", "no-such-rule"], "'no-such-rule' is not a rule"),
        (["--select", "no-lambdas", "x.py"], "'no-lambdas' is not a rule code, name or code prefix"),
        (["--ignore", "DOD999", "x.py"], "'DOD999' is not a rule code"),
        ([], "give Python files or folders"),
        (["--steps", "--list-rules"], "choose one of"),
        (["--steps", "original/microgpt.py"], "give no PATHs"),
        (["missing_file.py"], "missing_file.py: no such file or folder"),
    ],
)
def test_bad_options_exit_two_with_one_sentence(
    arguments: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(arguments, capsys)
    assert status == 2
    assert words in err and "Traceback" not in err


def test_an_unknown_option_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        lint_style.main(["--frobnicate"])
    assert caught.value.code == 2


def test_an_unparseable_file_exits_two_naming_its_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([str(files["broken"]), str(files["dirty"])], capsys)
    assert status == 2
    assert "broken.py:3:" in err and "cannot parse" in err and "Traceback" not in err
    assert "dirty.py" in out, "the files that parse are still reported"


def test_an_undecodable_file_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"name = '\xe9t\xe9'\n")
    status, _, err = run([str(path)], capsys)
    assert status == 2 and "cannot be decoded" in err


def test_a_bad_configuration_exits_two(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.lint_style]\nglossary = []\n", encoding="utf-8")
    status, _, err = run(["--config", str(pyproject), str(files["clean"])], capsys)
    assert status == 2 and "unknown key 'glossary'" in err


def test_steps_with_an_unknown_rule_in_the_plan_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_text = (PROJECT_ROOT / "plans" / "revised_plan.toml").read_text(encoding="utf-8")
    assert "zero_from = { " in plan_text, "the test edits the plan's inline zero_from table"
    broken = tmp_path / "plan.toml"
    broken.write_text(plan_text.replace("zero_from = { ", "zero_from = { no-lambdas = 1, ", 1), encoding="utf-8")
    status, _, err = run(["--steps", "--plan", str(broken)], capsys)
    assert status == 2 and "unknown rule 'no-lambdas'" in err


def test_steps_prints_the_burn_down_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--steps"], capsys)
    header = next(line for line in out.splitlines() if "orig" in line)
    for label in ("zero", "01", "06", "11"):
        assert label in header
    assert any(line.lstrip("| ").startswith("no-class") for line in out.splitlines())
    assert status in (0, 1)
    assert ("Gate passed" in out) == (status == 0)


def test_the_script_runs_as_a_program_with_help() -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
    assert completed.returncode == 0
    assert (
        "examples:" in completed.stdout
        and "--steps" in completed.stdout
        and "# lint: allow[no-lambda]" in completed.stdout
    )


def test_the_script_exits_two_without_a_traceback_for_a_broken_file(files: dict[str, Path]) -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), str(files["broken"])],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and ":3:" in completed.stderr
