"""Every unusable input: exit status 2, one sentence on stderr, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from workshop_support import WORKSHOP

Run = Callable[..., subprocess.CompletedProcess[str]]


def assert_refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (("start", "12"), "no step 12"),
        (("start", "seven"), "not a step"),
        (("check",), "no workshop"),
        (("hint",), "no workshop"),
        (("list",), "no workshop"),
        (("next",), "no workshop"),
        (("reset",), "no workshop"),
        (("solution",), "no workshop"),
        (("watch",), "no workshop"),
        (("fly",), "invalid choice"),
        (("start",), "required"),
        (("watch", "--interval", "0"), "--interval"),
    ],
)
def test_bad_commands(run_workshop: Run, arguments: tuple[str, ...], fragment: str) -> None:
    assert_refused(run_workshop(*arguments), fragment)


def test_a_workspace_that_is_a_file(run_workshop: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("", encoding="utf-8")
    assert_refused(run_workshop("list", workspace=blocker), "is a file")


def test_a_workspace_inside_steps_is_refused(run_workshop: Run, project_root: Path) -> None:
    assert_refused(run_workshop("start", "01", workspace=project_root / "steps"), "outside steps/")


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"schema": "microgpt-workshop-state", "version": 99}),
        json.dumps([1, 2]),
        json.dumps(
            {"schema": "microgpt-workshop-state", "version": 1, "learner": 5, "current_step": None, "steps": {}}
        ),
        json.dumps(
            {
                "schema": "microgpt-workshop-state",
                "version": 1,
                "learner": "a",
                "current_step": 1,
                "steps": {"01": {"file": "../../x.py"}},
            }
        ),
    ],
)
def test_a_damaged_state_file(run_workshop: Run, workspace_directory: Path, content: str) -> None:
    workspace_directory.mkdir(parents=True)
    (workspace_directory / "workshop.json").write_text(content, encoding="utf-8")
    assert_refused(run_workshop("list"), "state file")
    assert (workspace_directory / "workshop.json").read_text(encoding="utf-8") == content, "never overwritten"


def test_a_missing_learner_file(run_workshop: Run, workspace_directory: Path) -> None:
    assert run_workshop("start", "03").returncode == 0
    next(workspace_directory.glob("03_*.py")).unlink()
    assert_refused(run_workshop("check"), "is missing")


def test_an_unreadable_learner_file(run_workshop: Run, workspace_directory: Path) -> None:
    assert run_workshop("start", "03").returncode == 0
    next(workspace_directory.glob("03_*.py")).write_bytes(b"\xff\xfe not text")
    assert_refused(run_workshop("check"), "cannot read")


def test_help_lists_every_command(run_workshop: Run) -> None:
    result = run_workshop("--help")
    assert result.returncode == 0
    for command in ("start", "check", "watch", "hint", "list", "next", "reset", "solution", "prove", "collect"):
        assert command in result.stdout


def test_without_the_installed_libraries(project_root: Path) -> None:
    """`python -S` leaves out site-packages: the workbench's libraries cannot be imported."""
    result = subprocess.run(
        [sys.executable, "-S", str(WORKSHOP), "list"], cwd=project_root, capture_output=True, text=True, timeout=60
    )
    assert_refused(result, "not installed")


def test_an_empty_file_is_refused_with_what_to_do(run_workshop: Run, workspace_directory: Path) -> None:
    assert run_workshop("start", "07").returncode == 0
    (workspace_directory / "07_delete_value_class.py").write_text("\n", encoding="utf-8")
    assert_refused(run_workshop("check"), "is empty")


def test_starting_a_step_whose_file_was_deleted_says_so(run_workshop: Run, workspace_directory: Path) -> None:
    assert run_workshop("start", "07").returncode == 0
    (workspace_directory / "07_delete_value_class.py").unlink()
    again = run_workshop("start", "07")
    assert again.returncode == 0
    said = " ".join(again.stdout.split())
    assert "is missing" in said and "untouched" not in said
    assert "reset" in said


def test_suggested_commands_carry_the_learner_s_workspace(run_workshop: Run, workspace_directory: Path) -> None:
    """A learner with --workspace DIR copies the suggested command as printed: it must
    name the same workspace, or it would act on the project's own workspace/."""
    started = run_workshop("start", "07")
    assert f"--workspace {workspace_directory} check" in " ".join(started.stdout.split()), started.stdout
    other = workspace_directory.parent / "empty-workspace"
    assert_refused(run_workshop("list", workspace=other), f"--workspace {other} start 01")
