"""Steps 12-16 as a stretch track: the workshop takes --plan like run_step.py, and a step
of the beyond plan starts from the learner's (or the reference's) step 11."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.plan import Plan

Run = Callable[..., subprocess.CompletedProcess[str]]
BEYOND = "plans/beyond_plan.toml"


@pytest.mark.runner
def test_start_check_and_list_a_step_beyond_the_plan(run_workshop: Run, workspace_directory: Path, plan: Plan) -> None:
    started = run_workshop("start", "12", "--plan", BEYOND)
    assert started.returncode == 0, started.stderr
    assert "Step 12:" in started.stdout and "(from reference step 11)" in " ".join(started.stdout.split())
    assert f"--plan {BEYOND} check" in " ".join(started.stdout.split()), "the suggested commands carry the plan"
    learner_file = workspace_directory / "12_operation_tape.py"
    step_11 = plan.step_path(plan.step(11)).read_text(encoding="utf-8")
    assert learner_file.read_text(encoding="utf-8").splitlines()[2:] == step_11.splitlines()[2:]
    assert learner_file.read_text(encoding="utf-8").splitlines()[1].startswith("Step 12, beyond the plan: ")

    listed = run_workshop("list", "--plan", BEYOND)
    assert listed.returncode == 0, listed.stderr
    rows = [
        line.split()
        for line in listed.stdout.splitlines()
        if line.split() and line.split()[0] in {"▶", "12", "13", "16"}
    ]
    assert [row[0] for row in rows] == ["▶", "13", "16"] and rows[0][1] == "12", listed.stdout
    assert "0 of 5 steps pass" in listed.stdout

    checked = run_workshop("check", "--plan", BEYOND)
    assert checked.returncode == 1, checked.stderr
    assert "Step 12 — 12_operation_tape.py" in checked.stdout
    assert "✔ output identical to the original" in checked.stdout, "step 11's program prints what the original prints"
    assert "✘ defines tape_create" in checked.stdout, "but not yet what step 12 adds"


def test_a_step_of_another_plan_is_named_in_one_sentence(run_workshop: Run) -> None:
    assert run_workshop("start", "12", "--plan", BEYOND).returncode == 0
    result = run_workshop("check")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: your current step 12 is not a step of the plan plans/revised_plan.toml: give the plan it belongs to "
        "with --plan, or start one of this plan's steps (01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11)"
    ]


def test_help_offers_the_stretch_track(run_workshop: Run) -> None:
    result = run_workshop("--help")
    assert "--plan PATH" in result.stdout and "start 12 --plan plans/beyond_plan.toml" in result.stdout
