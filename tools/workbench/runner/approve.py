"""--approve: record the original's fresh run as the golden file of a profile, and say what changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workbench.paths import display_path
from workbench.runner.equivalence import Verdict
from workbench.runner.execute import OK, RunResult
from workbench.runner.reference import GoldenFile, write_golden
from workbench.runner.results import TargetResult
from workbench.runner.schedule import Batch, TargetPlan


def record_approval(batch: Batch, plan: TargetPlan, result: TargetResult) -> TargetResult:
    """With --approve, the original's judged run recorded as the golden file of its profile
    (or confirmed), and said so in the result; any other result as it is."""
    approving = batch.settings.approve and batch.project.golden_directory is not None
    if not approving or not plan.is_reference_itself or result.status != OK or result.run is None:
        return result
    approved = approve(batch, plan, result.run, result.verdict)
    return replace(result, approved=approved, summary=approval_summary(approved, plan.previous_golden, result.verdict))


def approve(batch: Batch, plan: TargetPlan, run: RunResult, verdict: Verdict | None) -> Path:
    """The golden file for this profile: left as it is when identical to this run, written otherwise."""
    assert plan.key is not None and batch.project.golden_directory is not None
    previous = plan.previous_golden
    if previous is not None and previous.key == plan.key and verdict is not None and verdict.identical:
        return previous.path
    runnable = batch.scheduled[plan.key].program
    return write_golden(
        batch.project.golden_directory,
        batch.settings.profile,
        key=plan.key,
        program=runnable,
        result=run,
        settings=dict(batch.settings.knob_values),
        dataset_sha256=batch.settings.dataset.sha256,
    )


def approval_summary(path: Path, previous: GoldenFile | None, verdict: Verdict | None) -> str:
    """'golden file recorded: ... (new)', '... confirmed ...', or '... replaced; the old one differed: ...'."""
    where = display_path(path)
    if previous is None:
        return f"golden file recorded: {where} (new)"
    if verdict is not None and verdict.identical:
        return f"golden file {where} confirmed: identical to this run, left unchanged"
    return f"golden file recorded: {where} (replaced; the old one differed: {verdict.summary if verdict else 'unreadable'})"
