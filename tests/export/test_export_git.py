"""export_git: a real, reproducible git repository with one commit per step."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit.cli import tool_main
from testkit.diffview import HandMadeProject, real_step_or_skip
from workbench.errors import WorkbenchError, run_command_line
from workbench.git_export import BODY_WIDTH, export_plan, git_environment
from workbench.plan import Plan

main = tool_main("export_git")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="export_git needs the git command")


def git(repository: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments], cwd=repository, env=git_environment(), capture_output=True, text=True, check=False
    )
    assert completed.returncode in (0, 1), completed.stderr
    return completed.stdout


def diff_body(diff_text: str) -> list[str]:
    """A git diff from its first hunk on: the part that does not name the files or blobs."""
    lines = diff_text.splitlines()
    first_hunk = next(index for index, line in enumerate(lines) if line.startswith("@@"))
    return lines[first_hunk:]


@pytest.fixture
def exported(tmp_path: Path, hand_made_project: HandMadeProject) -> Path:
    hand_made_project.write()
    destination = tmp_path / "workshop"
    export_plan(hand_made_project.plan, destination)
    return destination


def test_one_commit_per_step_with_the_plan_messages(exported: Path, plan: Plan) -> None:
    subjects = git(exported, "log", "--reverse", "--format=%s").splitlines()
    assert subjects == ["Add Andrej Karpathy's microgpt.py, unmodified", *(step.commit for step in plan.steps)]
    assert git(exported, "ls-files").split() == ["microgpt.py"]
    assert git(exported, "status", "--porcelain") == ""


def test_each_commit_is_tagged(exported: Path, plan: Plan) -> None:
    assert git(exported, "tag", "--list").split() == sorted(
        ["original", *(f"step-{step.label}" for step in plan.steps)]
    )
    assert git(exported, "log", "-1", "--format=%s", "step-07").strip() == plan.step(7).commit
    assert git(exported, "rev-parse", "step-11") == git(exported, "rev-parse", "HEAD")


def test_each_commit_holds_its_snapshot_byte_for_byte(exported: Path, hand_made_project: HandMadeProject) -> None:
    plan = hand_made_project.plan
    assert git(exported, "show", "original:microgpt.py") == plan.original_path.read_text(encoding="utf-8")
    for step in plan.steps:
        assert git(exported, "show", f"step-{step.label}:microgpt.py") == plan.step_path(step).read_text(
            encoding="utf-8"
        )


def test_git_diff_between_tags_is_the_difference_between_the_files(
    exported: Path, hand_made_project: HandMadeProject
) -> None:
    for first, second in ((2, 3), (1, 11)):
        between_tags = git(exported, "diff", f"step-{first:02d}", f"step-{second:02d}")
        between_files = git(
            exported, "diff", "--no-index", str(hand_made_project.path(first)), str(hand_made_project.path(second))
        )
        assert diff_body(between_tags) == diff_body(between_files)


def test_message_bodies_tell_the_story_in_72_columns(exported: Path, plan: Plan) -> None:
    body = git(exported, "log", "-1", "--format=%b", "step-06")
    flat = " ".join(body.split())
    step = plan.step(6)
    assert "Step 06 of 11" in flat
    assert " ".join(step.what.split()) in flat and " ".join(step.why.split()) in flat
    assert "Equivalence (print level):" in body
    first_note = plan.step(7).reviewers[0]
    assert f"- {first_note.reviewer}: " in git(exported, "log", "-1", "--format=%b", "step-07")
    for tag in ("original", *(f"step-{step.label}" for step in plan.steps)):
        for line in git(exported, "log", "-1", "--format=%b", tag).splitlines():
            assert len(line) <= BODY_WIDTH, f"{tag}: {line!r}"
    original = " ".join(git(exported, "log", "-1", "--format=%B", "original").split())
    assert "microgpt.py by Andrej Karpathy, unmodified" in original


def test_the_export_is_reproducible(tmp_path: Path, exported: Path, hand_made_project: HandMadeProject) -> None:
    again = tmp_path / "again"
    export_plan(hand_made_project.plan, again)
    assert git(again, "rev-parse", "step-11") == git(exported, "rev-parse", "step-11")
    assert (
        git(exported, "log", "-1", "--format=%an <%ae> %ad", "--date=iso-strict", "original")
        .strip()
        .endswith("2025-01-01T00:00:00+00:00")
    )


def test_a_non_empty_destination_is_refused(
    tmp_path: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write()
    destination = tmp_path / "occupied"
    destination.mkdir()
    (destination / "notes.txt").write_text("keep me", encoding="utf-8")
    assert run_command_line(main, [*hand_made_project.arguments, str(destination)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert [path.name for path in destination.iterdir()] == ["notes.txt"]


def test_an_empty_existing_destination_is_used(
    tmp_path: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write()
    destination = tmp_path / "empty"
    destination.mkdir()
    assert run_command_line(main, [*hand_made_project.arguments, str(destination)]) == 0
    assert "Exported 12 commits" in capsys.readouterr().out
    assert (destination / ".git").is_dir()
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".building")] == []


def test_a_missing_step_is_named_and_allow_missing_stops_before_it(
    tmp_path: Path, hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2, 3, 5])
    refused = tmp_path / "refused"
    assert run_command_line(main, [*hand_made_project.arguments, str(refused)]) == 2
    err = capsys.readouterr().err
    assert "step 04 has no snapshot file yet" in err and "04_tape_helpers.py" in err and "--allow-missing" in err
    assert not refused.exists()

    partial = tmp_path / "partial"
    assert run_command_line(main, [*hand_made_project.arguments, str(partial), "--allow-missing"]) == 0
    assert "Stopped before step 04" in capsys.readouterr().out
    assert git(partial, "tag", "--list").split() == ["original", "step-01", "step-02", "step-03"]


def test_library_errors_are_workbench_errors(tmp_path: Path, plan: Plan) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="is not a directory"):
        export_plan(plan, a_file)


def test_the_real_steps_export(tmp_path: Path, plan: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    for step in plan.steps:
        real_step_or_skip(plan, step.number)
    destination = tmp_path / "real"
    assert run_command_line(main, [str(destination)]) == 0
    assert len(git(destination, "log", "--oneline").splitlines()) == len(plan.steps) + 1
    assert git(destination, "diff", "--stat", "original", "step-01").strip().endswith("(-)")


def test_format_json_lists_the_tags_hashes_and_subjects(
    tmp_path: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write()
    destination = tmp_path / "as-json"
    assert run_command_line(main, [*hand_made_project.arguments, str(destination), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [commit["tag"] for commit in document["commits"]] == [
        "original",
        *(f"step-{step.label}" for step in hand_made_project.plan.steps),
    ]
    assert document["commits"][-1]["commit"] == git(destination, "rev-parse", "step-11").strip()
    assert document["stopped_before"] is None
