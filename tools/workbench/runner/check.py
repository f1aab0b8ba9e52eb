"""Check programs of the plan: schedule, run, judge, measure against the original, record.

`check_targets` is the runner's one entry point; the command line (tools/run_step.py) and
the tests call it with a Project, the programs to check, and validated settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from workbench.programs import Program
from workbench.project import Project
from workbench.runner.approve import record_approval
from workbench.runner.execute import RunResult
from workbench.runner.judge import check_structure, judge_target, needs_structure
from workbench.runner.records import RunFigures, make_record, write_verdict
from workbench.runner.results import CheckReport, Speed, TargetResult
from workbench.runner.schedule import Batch, RunObserver, SilentObserver, plan_expectations, plan_target
from workbench.runner.settings import CheckSettings


def check_targets(
    project: Project,
    targets: Sequence[Program],
    settings: CheckSettings,
    observer: RunObserver | None = None,
) -> CheckReport:
    """Run and judge `targets` (in parallel, each once), and say where every expectation came from."""
    batch = Batch(project, settings)
    plans = [plan_target(batch, target) for target in targets]
    plans = [plan_expectations(batch, plan) for plan in plans]
    # The structure of a file (contracts, exercises, lint) depends on its text alone: judge
    # it on a side thread while the programs run, so a check waits for the slower of the two.
    # A file that does not parse fails there too; its exception stays in its future, which
    # judge_target never asks for (a syntax error has no structural claims).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="structure") as side:
        structures = [side.submit(check_structure, project.plan, plan.target, cache=project.cache) if needs_structure(plan) else None for plan in plans]
        batch.run_all(observer or SilentObserver())
        results = with_speed([
            record_approval(batch, plan, judge_target(batch, plan, None if future is None else future.result))
            for plan, future in zip(plans, structures)
        ])
    side_by_side = len(results) > 1
    for result in results:
        record_verdict(project, settings, result, side_by_side=side_by_side)
    return CheckReport(results=results, notes=batch.notes)


def with_speed(results: list[TargetResult]) -> list[TargetResult]:
    """Speed against the original's live run in this same invocation, never a recorded one."""
    baseline = next((result.run for result in results if result.target.is_original and result.run is not None and result.run.ok), None)
    if baseline is None:
        return results
    return [
        result if result.run is None or not result.run.ok else _replace_speed(result, baseline)
        for result in results
    ]


def _replace_speed(result: TargetResult, baseline: RunResult) -> TargetResult:
    assert result.run is not None
    speed = Speed(
        training=_ratio(baseline.seconds_training, result.run.seconds_training),
        inference=_ratio(baseline.seconds_inference, result.run.seconds_inference),
        memory=_ratio(result.run.peak_memory_bytes, baseline.peak_memory_bytes),
    )
    return replace(result, speed=speed)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def record_verdict(project: Project, settings: CheckSettings, result: TargetResult, *, side_by_side: bool) -> None:
    """The verdict record for other tools: plan programs, default settings only."""
    if result.target.attempt or not settings.is_default or not result.target.exists():
        return
    run, speed = result.run, result.speed
    figures = None if run is None else RunFigures(run.stdout, run.seconds_training, run.seconds_inference, run.peak_memory_bytes)
    relative = None
    if side_by_side and speed is not None:
        relative = {"training": speed.training, "inference": speed.inference, "memory": speed.memory}
    write_verdict(project.cache, make_record(
        program=result.target, profile=settings.profile, identical=result.counts_as_identical,
        summary=result.summary, max_parameter_difference=result.max_parameter_difference, status=result.status,
        knobs=dict(settings.knob_values), dataset_sha256=settings.dataset.sha256,
        figures=figures, relative_to_original=relative, claims=result.claims,
    ))
