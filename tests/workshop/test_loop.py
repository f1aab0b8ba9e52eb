"""The learner's loop end to end, with the real runner on the quick profile."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.plan import Plan
from workbench.workshop import commands
from workbench.workshop.checking import CheckOutcome
from workbench.workshop.step_line import with_step_line
from workbench.workshop.workspace import STATE_FILE
from workshop_support import fake_outcome, output_of, tracked_files_digest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.runner
def test_one_step_from_start_to_next(run_workshop: Run, workspace_directory: Path, plan: Plan) -> None:
    before = tracked_files_digest()
    step = plan.step(7)
    learner_file = workspace_directory / step.file_name

    started = run_workshop("start", "07", "--name", "Ada")
    assert started.returncode == 0, started.stderr
    started_lines = learner_file.read_text(encoding="utf-8").splitlines()
    reference_06 = plan.step_path(plan.step(6)).read_text(encoding="utf-8").splitlines()
    assert started_lines[2:] == reference_06[2:] and started_lines[1].startswith("Step 07 of 11: "), (
        "step 06, saying it is step 07"
    )
    assert "no class anywhere" in started.stdout

    failing = run_workshop("check")
    assert failing.returncode == 1, failing.stderr
    assert "✘ no class anywhere" in failing.stdout
    assert "✔ output identical to the original" in failing.stdout
    assert "first divergence" in failing.stdout
    assert "not hold yet" in failing.stdout

    shutil.copyfile(plan.step_path(step), learner_file)
    passing = run_workshop("check")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "PASSES" in passing.stdout and "✘" not in passing.stdout

    moved_on = run_workshop("next")
    assert moved_on.returncode == 0, moved_on.stderr
    next_file = workspace_directory / plan.step(8).file_name
    expected = with_step_line(plan.step_path(step).read_text(encoding="utf-8"), plan, plan.step(8))
    assert next_file.read_text(encoding="utf-8") == expected, "step 08 starts from the learner's own passing 07"

    listing = run_workshop("list")
    assert listing.returncode == 0
    lines = {
        line.split()[0] if not line.startswith(" ▶") else line.split()[1]: line
        for line in listing.stdout.splitlines()
        if line.strip()[:2].isdigit() or line.strip().startswith("▶")
    }
    assert "passes" in lines["07"] and "in progress" in lines["08"] and "not started" in lines["09"]
    assert "1 of 11 steps pass" in listing.stdout

    state = json.loads((workspace_directory / STATE_FILE).read_text(encoding="utf-8"))
    assert state["current_step"] == 8 and state["learner"] == "Ada"
    assert state["steps"]["07"]["passed_at"] is not None
    report = json.loads((workspace_directory / "report.json").read_text(encoding="utf-8"))
    assert [entry["status"] for entry in report["steps"]] == ["passes", "in progress"]
    assert all(claim["holds"] for claim in report["steps"][0]["claims"])
    assert len(report["steps"][0]["final_parameters_sha256"] or "") == 64
    assert tracked_files_digest() == before, "a workshop run changed a file outside the workspace"


def test_an_unchanged_file_is_served_from_the_cache(
    session: commands.Session, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands.start(session, plan.step(2))
    learner_file = session.workspace.directory / plan.step(2).file_name
    calls: list[Path] = []

    def recorded(session: commands.Session, path: Path, step: object, prove: bool) -> CheckOutcome:
        calls.append(path)
        return fake_outcome(2, passes=False)

    monkeypatch.setattr(commands, "check_with", recorded)
    assert commands.check(session) == commands.check(session) == 1
    assert len(calls) == 1, "the second check of the same bytes must not run the program again"
    learner_file.write_text(learner_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert commands.check(session) == 1
    assert len(calls) == 2, "one byte more is a new check"
    assert output_of(session).count("✘") == 3


@pytest.mark.runner
@pytest.mark.proof
def test_a_passing_step_is_proved_on_the_full_profile(run_workshop: Run, workspace_directory: Path, plan: Plan) -> None:
    """Step 11, whose full run takes seconds: the proof is the full profile, then every held setting."""
    last = plan.last_step
    assert run_workshop("start", f"{last.number:02d}").returncode == 0
    shutil.copyfile(plan.step_path(last), workspace_directory / last.file_name)
    proof = run_workshop("prove")
    assert proof.returncode == 0, proof.stdout + proof.stderr
    assert "on the full profile" in proof.stdout and "PROVED under" in proof.stdout
    assert "identical under" in proof.stdout, "one claim per held setting"
    state = json.loads((workspace_directory / STATE_FILE).read_text(encoding="utf-8"))
    check = state["steps"][f"{last.number:02d}"]["last_check"]
    assert check["profile"] == "full" and check["proved"] is True
    assert any(
        claim["name"] == "output identical to the original" or claim["kind"] == "output" for claim in check["claims"]
    )
    assert "proved" in run_workshop("list").stdout
