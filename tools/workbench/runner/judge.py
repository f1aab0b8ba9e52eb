"""Judge one program's run against its references: a list of named claims, and a verdict.

The claims, in the order they are checked: the output equals the original's (for the
original itself: its reference run's), the final parameters meet the plan's level against
the predecessor's, and each claim of the step's structural contract holds on the file that
ran. The verdict text people read is derived from those claims.
"""

from __future__ import annotations

from workbench.contracts import ContractResult, check_contract
from workbench.programs import Program
from workbench.runner.approve import approval_summary, approve
from workbench.runner.equivalence import Verdict, compare_output, compare_parameters, judge
from workbench.runner.execute import OK, RunResult
from workbench.runner.results import ERROR, TargetResult
from workbench.runner.schedule import Batch, TargetPlan


def judge_target(batch: Batch, plan: TargetPlan) -> TargetResult:
    """The result of one program after the batch ran."""
    target = plan.target
    if plan.failure is not None:
        return TargetResult(target, plan.failure.status, False, plan.failure.message)
    assert plan.key is not None
    run = batch.results[plan.key]
    if not run.ok:
        return TargetResult(target, run.status, False, run.error or run.status, run=run, details=run.details)
    if plan.is_reference_itself:
        return _judge_original(batch, plan, run)
    assert plan.output is not None and plan.parameters is not None
    expected_output, output_problem = batch.resolve(plan.output)
    expected_parameters, parameters_problem = batch.resolve(plan.parameters)
    problem = output_problem or parameters_problem
    if problem is not None or expected_output is None or expected_parameters is None:
        return TargetResult(target, ERROR, False, f"cannot check {target.title}: {problem}", run=run)
    assert run.parameters is not None
    verdict = judge(
        target.level,
        compare_output(expected_output.stdout, run.stdout),
        compare_parameters(expected_parameters.parameters, run.parameters),
        reference="the original", predecessor=_predecessor_name(target),
    )
    contract = check_structure(target)
    structure_holds = all(claim.passed for claim in contract)
    summary = verdict.summary
    if verdict.identical and not structure_holds:
        broken = sum(1 for claim in contract if not claim.passed)
        summary = f"{verdict.summary}, but {broken} of {len(contract)} structural claims of {target.plan_title} do not hold yet"
    return TargetResult(
        target, OK, verdict.identical and structure_holds, summary, run=run, verdict=verdict,
        output_reference=f"{plan.output.name} ({expected_output.origin})",
        parameters_reference=f"{plan.parameters.name} ({expected_parameters.origin})",
        contract=contract,
    )


def _predecessor_name(target: Program) -> str:
    predecessor = target.predecessor
    return "the original" if predecessor is None or predecessor.step is None else predecessor.plan_title


def check_structure(target: Program) -> tuple[ContractResult, ...]:
    """The plan's structural contract for the step, checked on the file that ran: identical
    output is not enough for an attempt that still has, say, the Value class."""
    if target.step is None:
        return ()
    source = target.path.read_text(encoding="utf-8")
    return tuple(check_contract(source, target.step.contract))


def _judge_original(batch: Batch, plan: TargetPlan, run: RunResult) -> TargetResult:
    target = plan.target
    assert run.parameters is not None
    reference, problem = batch.resolve(plan.output) if plan.output is not None else (None, None)
    verdict: Verdict | None = None
    notes: list[str] = []
    if problem is not None:
        return TargetResult(target, ERROR, False, f"cannot check {target.title}: {problem}", run=run)
    if reference is not None:
        verdict = judge(
            target.level, compare_output(reference.stdout, run.stdout), compare_parameters(reference.parameters, run.parameters),
            reference="the reference", predecessor="the reference",
        )
        identical, summary = verdict.identical, verdict.summary
        origin = f"the reference ({reference.origin})"
        if plan.output is not None and plan.output.key is not None:
            origin = "a reference run of the original, computed now in its own directory"
    else:
        identical, origin = True, "none yet"
        summary = "no earlier reference for these settings: this run is now the cached reference"
        if batch.settings.is_default and not batch.settings.approve and batch.project.golden_directory is not None:
            notes.append(f"there is no golden file for the {batch.settings.profile} profile yet; record one with --approve")
    approved = None
    if batch.settings.approve and batch.project.golden_directory is not None:
        approved = approve(batch, plan, run, verdict)
        summary = approval_summary(approved, plan.previous_golden, verdict)
    return TargetResult(
        target, OK, identical, summary, run=run, verdict=verdict,
        output_reference=origin, parameters_reference=origin, notes=tuple(notes), approved=approved,
    )
