"""Check programs of the plan: schedule, run, judge, measure against the original, record.

`check_targets` is the runner's one entry point; the command line (tools/run_step.py) and
the tests call it with a Project, the programs to check, and validated settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from workbench.programs import Program
from workbench.project import Project
from workbench.proof.held_settings import HeldSetting
from workbench.runner.approve import record_approval
from workbench.runner.blame.engine import replay_functions
from workbench.runner.conditions import MeasurementConditions
from workbench.runner.equivalence import HELD, Claim
from workbench.runner.execute import OK, WORKBENCH_FAILED, RunResult
from workbench.runner.judge import check_structure, judge_target, needs_structure
from workbench.runner.records import RunFigures, make_record, write_verdict
from workbench.runner.results import CheckReport, Speed, TargetResult
from workbench.runner.schedule import Batch, RunObserver, SilentObserver, plan_expectations, plan_target
from workbench.runner.settings import CheckSettings, make_settings


def check_targets(
    project: Project,
    targets: Sequence[Program],
    settings: CheckSettings,
    observer: RunObserver | None = None,
) -> CheckReport:
    """Run and judge `targets` (in parallel, each once), and say where every expectation came
    from. A learner's file that passes is checked once more under the spot setting (see
    `spot_check`), so a file that only prints the right text never passes."""
    # The spot setting runs beside the check on the second core (its result is used only
    # for the files that pass), so on two idle cores it adds little wall time.
    spotted = [target for target in targets if target.attempt] if not settings.overridden else []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="spot") as side:
        spot = side.submit(_spot_results, project, spotted, settings) if spotted else None
        report = _check_targets(project, targets, settings, observer, extras=True)
        spot_results = spot.result() if spot is not None else {}
    return replace(report, results=with_spot_claims(report.results, spot_results))


SPOT_SETTING = HeldSetting("another seed and fewer steps", ("seed=7", "num_steps=3"))
"""The one held setting of a plain check: cheap (three training steps), and enough to show
that a file computes what it prints instead of printing what the default run printed.
Not for checks that already set knobs (a held setting of a proof is one of those)."""


def _spot_results(project: Project, targets: Sequence[Program], settings: CheckSettings) -> dict[Path, TargetResult]:
    held = make_settings(
        project,
        profile=settings.profile,
        assignments=SPOT_SETTING.assignments,
        dataset=settings.dataset,
        timeout=settings.timeout,
        jobs=settings.jobs,
    )
    return {result.target.path: result for result in _check_targets(project, targets, held, None, extras=False).results}


def with_spot_claims(results: list[TargetResult], spot: dict[Path, TargetResult]) -> list[TargetResult]:
    """Each learner's file that passed gets one more claim, of kind `held`: identical under SPOT_SETTING too."""
    checked = []
    for result in results:
        other = spot.get(result.target.path)
        if other is None or not (result.target.attempt and result.status == OK and result.identical):
            checked.append(result)
            continue
        holds = other.status == OK and other.identical
        claim = Claim(f"identical under {SPOT_SETTING.describe()}", HELD, holds, "holds" if holds else other.summary)
        summary = (
            result.summary if holds else f"{result.summary}, but not under {SPOT_SETTING.describe()}: {other.summary}"
        )
        checked.append(replace(result, contract=(*result.contract, claim), identical=holds, summary=summary))
    return checked


def _check_targets(
    project: Project, targets: Sequence[Program], settings: CheckSettings, observer: RunObserver | None, *, extras: bool
) -> CheckReport:
    """The check itself; `extras`: replay a learner's functions (workbench.runner.blame) beside the run."""
    batch = Batch(project, settings)
    plans = [plan_target(batch, target) for target in targets]
    plans = [plan_expectations(batch, plan) for plan in plans]
    # The structure of a file (contracts, exercises, lint) depends on its text alone: judge
    # it on a side thread while the programs run, so a check waits for the slower of the two.
    # A file that does not parse fails there too; its exception stays in its future, which
    # judge_target never asks for (a syntax error has no structural claims).
    # A learner's functions are replayed on the reference step's recorded calls beside them (workbench.runner.blame).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="structure") as side:
        structures = [
            side.submit(check_structure, project.plan, plan.target, cache=project.cache)
            if needs_structure(plan)
            else None
            for plan in plans
        ]
        replays = [
            side.submit(replay_functions, project, plan.target, settings)
            if extras and needs_structure(plan) and plan.target.attempt
            else None
            for plan in plans
        ]
        batch.run_all(observer or SilentObserver())
        results = with_speed(
            [
                record_approval(
                    batch,
                    plan,
                    judge_target(
                        batch,
                        plan,
                        None if future is None else future.result,
                        None if replay is None else replay.result,
                    ),
                )
                for plan, future, replay in zip(plans, structures, replays)
            ]
        )
    side_by_side = len(results) > 1
    baseline = _baseline(results) if side_by_side else None
    for result in results:
        record_verdict(project, settings, result, baseline=baseline, conditions=batch.conditions)
    return CheckReport(results=results, notes=batch.notes)


def with_speed(results: list[TargetResult]) -> list[TargetResult]:
    """Speed against the original's live run in this same invocation, never a recorded one."""
    baseline = _baseline(results)
    if baseline is None:
        return results
    return [
        result if result.run is None or not result.run.ok else _replace_speed(result, baseline) for result in results
    ]


def _baseline(results: Sequence[TargetResult]) -> RunResult | None:
    """The original's successful live run in this invocation, if any."""
    return next(
        (result.run for result in results if result.target.is_original and result.run is not None and result.run.ok),
        None,
    )


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


def record_verdict(
    project: Project,
    settings: CheckSettings,
    result: TargetResult,
    *,
    baseline: RunResult | None,
    conditions: MeasurementConditions | None,
) -> None:
    """The verdict record for other tools: plan programs, default settings only.

    `baseline` is the original's run side by side in this invocation (None: no speed-ups)."""
    if (
        result.target.attempt
        or not settings.is_default
        or not result.target.exists()
        or result.status == WORKBENCH_FAILED
    ):
        return
    run, speed = result.run, result.speed
    figures = (
        None
        if run is None
        else RunFigures(
            run.stdout,
            run.seconds_training,
            run.seconds_inference,
            run.peak_memory_bytes,
            training_cpu_seconds=run.cpu_seconds_training,
            inference_cpu_seconds=run.cpu_seconds_inference,
        )
    )
    relative = None
    if baseline is not None and speed is not None and run is not None:
        relative = {
            "training": speed.training,
            "inference": speed.inference,
            "memory": speed.memory,
            "training_cpu": _ratio(baseline.cpu_seconds_training, run.cpu_seconds_training),
            "inference_cpu": _ratio(baseline.cpu_seconds_inference, run.cpu_seconds_inference),
        }
    write_verdict(
        project.cache,
        make_record(
            program=result.target,
            profile=settings.profile,
            identical=result.counts_as_identical,
            summary=result.summary,
            max_parameter_difference=result.max_parameter_difference,
            status=result.status,
            knobs=dict(settings.knob_values),
            dataset_sha256=settings.dataset.sha256,
            figures=figures,
            relative_to_original=relative,
            claims=result.claims,
            conditions=conditions,
        ),
    )
