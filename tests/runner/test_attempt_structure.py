"""A learner's attempt passes only with the output AND the structure of the step it claims.

Step 06's file prints exactly what step 07 prints and trains the same parameters, but it
still defines the Value class: checked as step 07 it must be INCOMPLETE, not identical.
These use the real snapshots under the quick profile.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testkit.cli import run_tool
from workbench.plan import Plan


def _attempt(tmp_path: Path, source_step: str, plan: Plan) -> Path:
    source = plan.step_path(plan.step(int(source_step)))
    attempt = tmp_path / "my_attempt.py"
    shutil.copyfile(source, attempt)
    return attempt


def test_an_attempt_with_the_right_output_but_the_old_structure_is_incomplete(tmp_path: Path, plan: Plan) -> None:
    attempt = _attempt(tmp_path, "06", plan)
    process = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick", "--json")
    assert process.returncode == 1, process.stdout + process.stderr
    record = json.loads(process.stdout.splitlines()[-1])
    assert record["output_identical"] is True and record["parameters_bit_identical"] is True
    assert record["identical"] is False and record["structure_holds"] is False
    broken = [claim["claim"] for claim in record["contract"] if not claim["holds"]]
    assert "no class anywhere" in broken
    assert any(claim.startswith("no Value") for claim in broken)


def test_the_report_names_the_claims_that_do_not_hold(tmp_path: Path, plan: Plan) -> None:
    attempt = _attempt(tmp_path, "06", plan)
    process = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick")
    assert process.returncode == 1
    assert "INCOMPLETE" in process.stdout
    assert "no class anywhere: class defined: Value" in process.stdout


def test_an_attempt_with_the_steps_structure_passes(tmp_path: Path, plan: Plan) -> None:
    attempt = _attempt(tmp_path, "07", plan)
    process = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick", "--json")
    assert process.returncode == 0, process.stdout + process.stderr
    record = json.loads(process.stdout.splitlines()[-1])
    assert record["identical"] is True and record["structure_holds"] is True
    assert record["contract"] and all(claim["holds"] for claim in record["contract"])


def test_a_crashing_attempt_still_gets_its_structure_judged(tmp_path: Path, plan: Plan) -> None:
    """A learner fixing a crash still sees which claims hold: the file parsed, so the runner
    judges its structure without a finished run (a syntax error gets no claims)."""
    attempt = _attempt(tmp_path, "06", plan)
    attempt.write_text(attempt.read_text(encoding="utf-8") + "\nraise RuntimeError('not yet')\n", encoding="utf-8")
    process = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick", "--json")
    assert process.returncode != 0
    record = json.loads(process.stdout.splitlines()[-1])
    assert record["status"] == "crash" and record["structure_holds"] is False
    broken = [claim["claim"] for claim in record["contract"] if not claim["holds"]]
    assert "no class anywhere" in broken
    text = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick", "--no-color")
    assert "no class anywhere: class defined: Value" in text.stdout, text.stdout

    attempt.write_text("def broken(:\n", encoding="utf-8")
    syntax = run_tool("run_step", str(attempt), "--as", "07", "--profile", "quick", "--json")
    assert json.loads(syntax.stdout.splitlines()[-1])["contract"] == []


def test_a_changed_setting_fails_though_the_quick_profile_rewrites_it(tmp_path: Path, plan: Plan) -> None:
    """The quick profile sets the training steps and the samples before the run, so a file
    that trains 9 steps and draws no samples prints the right text under it: only the
    settings claim can tell, and it names both."""
    attempt = _attempt(tmp_path, "08", plan)
    source = attempt.read_text(encoding="utf-8")
    changed = source.replace("num_steps = 500", "num_steps = 9").replace("in range(20):", "in range(0):")
    assert changed.count("range(0)") == 1 and "num_steps = 9" in changed
    attempt.write_text(changed, encoding="utf-8")
    process = run_tool("run_step", str(attempt), "--as", "08", "--profile", "quick", "--json")
    assert process.returncode == 1, process.stdout + process.stderr
    record = json.loads(process.stdout.splitlines()[-1])
    assert record["output_identical"] is True and record["parameters_bit_identical"] is True
    assert record["identical"] is False
    [broken] = [claim for claim in record["contract"] if not claim["holds"]]
    assert broken["claim"] == "the settings keep the original's values"
    assert broken["detail"] == (
        "your file sets num_steps = 9 (the original: 500); the samples loop's range(...) = 0 (the original: 20)"
    )
