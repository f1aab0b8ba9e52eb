"""diffstep.py end to end: the real steps, hand-made steps, errors and plain output."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from testkit.cli import run_tool, tool_main
from testkit.diffview import HandMadeProject, real_step_or_skip
from workbench.errors import run_command_line
from workbench.plan import Plan

main = tool_main("diffstep")


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = run_command_line(main, list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def first_changed_lines(old: Path, new: Path) -> tuple[str, str]:
    """The first removed and first added line of the real diff, by difflib."""
    diff = list(difflib.unified_diff(old.read_text().splitlines(), new.read_text().splitlines(), lineterm=""))[2:]
    removed = next(line for line in diff if line.startswith("-"))
    added = next(line for line in diff if line.startswith("+"))
    return removed, added


# --- the real steps --------------------------------------------------------------------


def test_step_01_against_the_original(capsys: pytest.CaptureFixture[str], plan: Plan) -> None:
    step = real_step_or_skip(plan, 1)
    status, out, _ = run(capsys, "01")
    assert status == 0
    assert "Step 01 of 11" in out
    assert plan.step(1).commit in out
    assert plan.step(1).phase in out
    for note in plan.step(1).reviewers:
        assert note.reviewer in out
    assert "original/microgpt.py -> steps/01_flatten_parameters.py" in out
    removed, added = first_changed_lines(plan.original_path, step.path)
    assert removed in out.splitlines()
    assert added in out.splitlines()
    assert "m -> first_moment x" in out


def test_piped_output_is_plain_text(plan: Plan) -> None:
    real_step_or_skip(plan, 1)
    environment = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    completed = run_tool("diffstep", "01", environment=environment)
    assert completed.returncode == 0, completed.stderr
    assert "\x1b" not in completed.stdout
    assert plan.step(1).commit in completed.stdout
    assert not [line for line in completed.stdout.splitlines() if line.endswith(" ")], "plain lines carry no padding"


def test_a_range_walks_each_step_against_its_predecessor(capsys: pytest.CaptureFixture[str], plan: Plan) -> None:
    for number in (1, 2, 3):
        real_step_or_skip(plan, number)
    status, out, _ = run(capsys, "01..03", "--stat")
    assert status == 0
    positions = [out.index(f"Step {number:02d} of 11") for number in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "steps/01_flatten_parameters.py -> steps/02_explicit_data_loading.py" in out


# --- hand-made steps -------------------------------------------------------------------


def test_header_summary_and_word_marks_on_hand_made_steps(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    status, out, _ = run(capsys, *hand_made_project.arguments, "02")
    assert status == 0
    lines = out.splitlines()
    assert plan.step(2).commit in out
    assert "-n_layer = 1     # number of layers (hand-made step 01)" in lines
    added = "+n_layer = 1     # number of layers (hand-made step 02)"
    marks = lines[lines.index(added) + 1]
    assert marks.startswith("?") and set(marks[1:].strip()) == {"^"}
    assert added[marks.index("^") : len(marks)] == "02"
    assert "+ hand_made_marker_02" in out and "- hand_made_marker_01" in out
    # The plan's renames for step 02 are not in the hand-made code: warnings, not numbers.
    assert "warning: planned rename docs -> documents not shown by the code" in out


def test_pair_of_snapshots_describes_the_pair(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2, 3])
    status, out, _ = run(capsys, *hand_made_project.arguments, "original", "03", "--stat")
    assert status == 0
    assert "Comparing original with step 03" in out
    for number in (1, 2, 3):
        assert plan.step(number).commit in out
    assert "Step 03 of 11" not in out
    assert "@@" not in out, "--stat shows no diff"


def test_context_option_sets_the_unchanged_lines(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject
) -> None:
    hand_made_project.write([1, 2])
    _, out_zero, _ = run(capsys, *hand_made_project.arguments, "02", "--context", "0")
    _, out_five, _ = run(capsys, *hand_made_project.arguments, "02", "--context", "5")
    assert "@@ -77 +77 @@" in out_zero
    assert "@@ -72,11 +72,11 @@" in out_five


def test_side_by_side_names_both_files(capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject) -> None:
    hand_made_project.write([1, 2])
    status, out, _ = run(capsys, *hand_made_project.arguments, "02", "--side-by-side")
    assert status == 0
    assert "01_flatten_parameters.py" in out and "02_explicit_data_loading.py" in out
    assert "-77" in out and "+77" in out


def test_list_marks_missing_files(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1])
    status, out, _ = run(capsys, *hand_made_project.arguments, "--list", "--width", "200")
    assert status == 0
    for step in plan.steps:
        assert step.commit in out
    rows = {line.split("|")[0].strip(): line for line in out.splitlines() if "|" in line}
    assert "missing" not in rows["01"] and "missing" in rows["02"] and "missing" in rows["11"]


# --- errors ----------------------------------------------------------------------------


def test_unknown_step_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "12")
    assert status == 2
    assert "valid steps are original, 01, 02" in err and "11" in err
    assert "Traceback" not in err and out == ""


def test_missing_snapshot_file_is_named(capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject) -> None:
    hand_made_project.write([1])
    status, _, err = run(capsys, *hand_made_project.arguments, "01..03")
    assert status == 2
    assert "02_explicit_data_loading.py does not exist" in err
    assert "the last step with a file is 01" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["original"], "the original has nothing before it"),
        (["05..03"], "runs backwards"),
        (["01", "02", "03"], "expected one step, one range or two snapshots"),
        (["03", "03"], "both sides are step 03"),
        (["--list", "03"], "--list shows every step"),
    ],
)
def test_usage_errors_exit_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, arguments: list[str], message: str
) -> None:
    hand_made_project.write()
    status, _, err = run(capsys, *hand_made_project.arguments, *arguments)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "diffstep.py 03..07" in out and "--side-by-side" in out


def test_a_snapshot_that_does_not_parse_still_shows_its_diff(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    directory = hand_made_project.write([1, 2])
    broken = directory / plan.step(2).file_name
    broken.write_text(broken.read_text() + "def unfinished(:\n", encoding="utf-8")
    status, out, _ = run(capsys, *hand_made_project.arguments, "02")
    assert status == 0
    assert "no semantic summary:" in out and "is not valid Python (line" in out
    assert "+def unfinished(:" in out.splitlines()


# --- other forms -----------------------------------------------------------------------


def test_format_json_gives_the_comparison_as_data(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    status, out, _ = run(capsys, *hand_made_project.arguments, "02", "--format", "json")
    assert status == 0
    [comparison] = json.loads(out)
    assert (comparison["older"]["label"], comparison["newer"]["label"]) == ("01", "02")
    assert comparison["newer"]["commit"] == plan.step(2).commit and comparison["single_step"] is True
    assert (comparison["lines_added"], comparison["lines_removed"]) == (2, 2)
    changed = [line for hunk in comparison["hunks"] for line in hunk["lines"] if line[0] in "+-"]
    assert "+n_layer = 1     # number of layers (hand-made step 02)" in changed
    assert comparison["verdicts"] == [{"target": "02", "recorded": None, "stale_profiles": [], "problems": []}]


def test_format_markdown_gives_the_heading_and_a_fenced_diff(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    status, out, _ = run(capsys, *hand_made_project.arguments, "02", "--format", "markdown")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"## step 02: {plan.step(2).commit}"
    assert "```diff" in lines and lines[-1] == "```"
    assert "+n_layer = 1     # number of layers (hand-made step 02)" in lines


def test_format_html_prints_the_page_instead_of_the_text(
    capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    status, out, _ = run(capsys, *hand_made_project.arguments, "02", "--stat", "--format", "html")
    assert status == 0
    assert out.startswith("<!DOCTYPE html>") and plan.step(2).commit in out


def test_the_step_list_as_json(capsys: pytest.CaptureFixture[str], hand_made_project: HandMadeProject) -> None:
    hand_made_project.write([1])
    status, out, _ = run(capsys, *hand_made_project.arguments, "--list", "--format", "json")
    assert status == 0
    steps = json.loads(out)["steps"]
    assert [entry["label"] for entry in steps][:3] == ["original", "01", "02"] and len(steps) == 12
    assert [entry["exists"] for entry in steps][:3] == [True, True, False]
