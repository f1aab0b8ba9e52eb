"""Judge one program's run against its references: a list of named claims, and a verdict.

The claims, in the order they are checked: the output equals the original's (for the
original itself: its reference run's), the final parameters meet the plan's level against
the predecessor's, then the structure of the file that ran: every structural claim that
applies at the step (its own contract and the earlier steps' carried forward), every
exercise of new code, and every lint rule that is mandatory at the step. The verdict text
people read is derived from those claims.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from workbench.contracts import CarriedClaim, check_contract
from workbench.errors import WorkbenchError
from workbench.lint.api import lint_source
from workbench.lint.violation import Violation
from workbench.plan import Plan
from workbench.programs import Program
from workbench.proof.isolated import ExerciseOrigin, run_exercises
from workbench.proof.wording import claims_summary
from workbench.runner.blame.engine import FunctionReplay, module_blame, not_replayed_note
from workbench.runner.blame.signatures import signature_mismatches
from workbench.runner.equivalence import (
    CONTRACT,
    EXERCISE,
    LINT,
    Claim,
    Verdict,
    compare_output,
    compare_parameters,
    judge,
)
from workbench.runner.execute import OK, SYNTAX_ERROR, RunResult
from workbench.runner.knobs import discover_knobs, knob_departures
from workbench.runner.results import ERROR, TargetResult
from workbench.runner.schedule import Batch, TargetPlan


def needs_structure(plan: TargetPlan) -> bool:
    """A step or an attempt that could be scheduled (the original has no structural claims)."""
    return plan.failure is None and not plan.is_reference_itself and plan.target.step is not None


def judge_target(
    batch: Batch,
    plan: TargetPlan,
    structure: Callable[[], tuple[Claim, ...]] | None = None,
    replay: Callable[[], FunctionReplay] | None = None,
) -> TargetResult:
    """The result of one program after the batch ran. `structure` gives check_structure's
    result when it was started beside the run (None: compute it here, if it applies);
    `replay` the learner's functions replayed on the reference's calls (workbench.runner.blame).
    Judging writes nothing: --approve records the golden file afterwards (approve.py)."""
    result = _judge_target(batch, plan, structure)
    return _with_blame(batch, result, replay() if replay is not None else None)


def _with_blame(batch: Batch, result: TargetResult, replayed: FunctionReplay | None) -> TargetResult:
    """Add the replay's claim and notes, and the place at fault: the function the replay
    blames, else (for a run that finished and differs) the module-level phase where it departs."""
    if replayed is None or (result.run is not None and result.run.status == SYNTAX_ERROR):
        return result
    claim = replayed.claim
    contract = result.contract if claim is None else (*result.contract, claim)
    blame = replayed.blame
    if (
        blame is None
        and result.run is not None
        and result.run.ok
        and result.verdict is not None
        and not result.verdict.identical
    ):
        blame = module_blame(batch.project, result.target, batch.settings)
    holds = all(item.holds for item in contract)
    summary = result.summary
    if result.verdict is not None and result.verdict.identical:
        summary = with_broken_claims(result.verdict.summary, contract, result.target.plan_title)
    identical = result.identical and holds
    # What was not replayed matters only while a learner looks for a mistake.
    unreplayed = (not_replayed_note(replayed.not_replayed),) if replayed.not_replayed and not identical else ()
    return replace(
        result,
        contract=contract,
        identical=identical,
        summary=summary,
        blame=blame,
        notes=(*result.notes, *replayed.notes, *unreplayed),
    )


def with_broken_claims(verdict_summary: str, claims: tuple[Claim, ...], step_title: str) -> str:
    """'identical at bit level', or '..., but 1 of 40 structural claims does not hold at step 08'."""
    broken = sum(1 for claim in claims if not claim.holds)
    if not broken:
        return verdict_summary
    return f"{verdict_summary}, but {claims_summary(broken, len(claims), 'structural claim')} at {step_title}"


def _judge_target(
    batch: Batch, plan: TargetPlan, structure: Callable[[], tuple[Claim, ...]] | None = None
) -> TargetResult:
    target = plan.target

    def contract() -> tuple[Claim, ...]:
        return (
            structure()
            if structure is not None
            else check_structure(batch.project.plan, target, cache=batch.project.cache)
        )

    if plan.failure is not None:
        return TargetResult(target, plan.failure.status, False, plan.failure.message)
    assert plan.key is not None
    run = batch.results[plan.key]
    if not run.ok:
        # A learner fixing a crash still wants the checklist: the file parsed, so its
        # structure can be judged without a finished run (not so for a syntax error).
        crashed_contract = () if run.status == SYNTAX_ERROR else contract()
        return TargetResult(
            target, run.status, False, run.error or run.status, run=run, details=run.details, contract=crashed_contract
        )
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
        compare_parameters(expected_parameters.parameters, run.parameters, run.layout),
        reference="the original",
        predecessor=_predecessor_name(target),
    )
    claims = contract()
    structure_holds = all(claim.holds for claim in claims)
    summary = with_broken_claims(verdict.summary, claims, target.plan_title) if verdict.identical else verdict.summary
    return TargetResult(
        target,
        OK,
        verdict.identical and structure_holds,
        summary,
        run=run,
        verdict=verdict,
        output_reference=f"{plan.output.name} ({expected_output.origin})",
        parameters_reference=f"{plan.parameters.name} ({expected_parameters.origin})",
        contract=claims,
    )


def _predecessor_name(target: Program) -> str:
    predecessor = target.predecessor
    return "the original" if predecessor is None or predecessor.step is None else predecessor.plan_title


def check_structure(plan: Plan, target: Program, *, cache: Path | None = None) -> tuple[Claim, ...]:
    """Every structural claim at the target's step, checked on the file that ran: identical
    output is not enough for an attempt that still has the Value class, never calls its new
    tape kernels, or quietly undoes an earlier step."""
    if target.step is None:
        return ()
    number = target.step.number
    source = target.path.read_text(encoding="utf-8-sig")
    carried = plan.claims_at(number)
    static = [claim for claim in carried if claim.item.is_static]
    claims = [
        Claim(claim.describe(number), CONTRACT, result.passed, result.detail or "holds")
        for claim, result in zip(static, check_contract(source, tuple(claim.item for claim in static)))
    ]
    origins = exercise_origins(plan, carried, number)
    introduced = {name: claim.origin for claim in carried if not claim.item.is_static for name in claim.item.names}
    mismatches = signature_mismatches(source, _read(plan.step_path(target.step))) if origins and target.attempt else {}
    claims += [
        Claim(
            _carried_name(outcome.claim, introduced[outcome.name], number),
            EXERCISE,
            outcome.holds,
            _exercise_detail(outcome.holds, outcome.detail, mismatches),
        )
        for outcome in run_exercises(source, target.path.name, list(origins), origins=origins)
    ]
    claims += lint_claims(plan, number, source, target.path.name, cache=cache)
    if target.attempt:
        claims.append(settings_claim(plan, source, number))
    return tuple(claims)


SETTINGS_CLAIM = "the settings keep the original's values"


def settings_claim(plan: Plan, source: str, number: int) -> Claim:
    """A learner's file binds every knob as the original does. A profile rewrites the knobs it
    sets before a run (the quick one: the steps and the samples), so a file that trains 9
    steps, or draws no samples, would pass the quick check without this claim."""
    knobs = discover_knobs(_read(plan.original_path))
    try:
        departures = knob_departures(source, knobs, plan=plan, step_number=number)
    except WorkbenchError as error:
        return Claim(SETTINGS_CLAIM, CONTRACT, False, str(error))
    if not departures:
        return Claim(SETTINGS_CLAIM, CONTRACT, True, "holds")
    return Claim(SETTINGS_CLAIM, CONTRACT, False, "your file sets " + "; ".join(departures))


def _carried_name(claim: str, origin: int, number: int) -> str:
    """An exercise's claim as the checklist names it; '(from step 04)' when an earlier step made it,
    as for the contract's claims (CarriedClaim.describe)."""
    return claim if origin == number else f"{claim} (from step {origin:02d})"


def exercise_origins(plan: Plan, carried: Sequence[CarriedClaim], number: int) -> dict[str, ExerciseOrigin]:
    """Every exercise that applies at step `number`, with what it needs from the step that
    introduced it: the renames since, and the plan's own snapshot of that step (what the
    exercise compares with once the file has deleted it)."""
    origins: dict[str, ExerciseOrigin] = {}
    for claim in carried:
        if claim.item.is_static:
            continue
        snapshot = plan.snapshot_path(claim.origin)
        origin = ExerciseOrigin(renames_since(plan, claim.origin, number), _read(snapshot) or None, snapshot.name)
        origins.update((name, origin) for name in claim.item.names)
    return origins


def renames_since(plan: Plan, origin: int, number: int) -> dict[str, str]:
    """name at step `origin` -> name at step `number`, for every name the steps between rename."""
    current: dict[str, str] = {}
    for step in plan.history:
        if origin < step.number <= number:
            for old, new in step.renames.items():
                renamed = {first: new for first, now in current.items() if now == old}
                current.update(renamed)
                if not renamed:
                    current.setdefault(old, new)
    return current


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _exercise_detail(holds: bool, detail: str, mismatches: dict[str, str]) -> str:
    """An exercise's evidence; for a function shaped unlike the reference's, the two signatures
    instead of the TypeError they cause inside the exercise."""
    if holds:
        return detail or "holds"
    shaped = [sentence for name, sentence in mismatches.items() if name in detail] or list(mismatches.values())
    if shaped and "TypeError" in detail:
        return "; ".join(shaped)
    return detail


SHOWN_VIOLATIONS = 3
"""How many violations of one rule a claim names, from the first on."""
SHOWN_CODE_CHARACTERS = 60


def _code_at(lines: list[str], number: int) -> str:
    """The stripped source line `number` (1-based), shortened for a one-line message."""
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return text if len(text) <= SHOWN_CODE_CHARACTERS else text[: SHOWN_CODE_CHARACTERS - 1] + "…"


def lint_claims(plan: Plan, number: int, source: str, file_name: str, *, cache: Path | None = None) -> list[Claim]:
    """One claim per lint rule the plan makes mandatory at step `number` (zero_from <= number):
    it holds when the rule reports nothing in the file. Lint results are kept in the
    workbench cache `cache` when given."""
    mandatory = list(plan.mandatory_rules(number))
    if not mandatory:
        return []
    try:
        violations = lint_source(source, file_name, select=mandatory, cache=cache)
    except WorkbenchError as error:
        return [
            Claim(f"lint rule {rule} reports nothing", LINT, False, f"the file could not be linted: {error}")
            for rule in mandatory
        ]
    lines = source.splitlines()
    claims = []
    for rule in mandatory:
        found = [violation for violation in violations if violation.name == rule]
        shown = "; ".join(
            f"line {violation.line} `{_code_at(lines, violation.line)}`: {violation.message}"
            for violation in found[:SHOWN_VIOLATIONS]
        )
        more = f"; and {len(found) - SHOWN_VIOLATIONS} more" if len(found) > SHOWN_VIOLATIONS else ""
        claims.append(
            Claim(
                f"lint rule {rule} reports nothing",
                LINT,
                not found,
                shown + more if found else "holds",
                short=_lines_short(found),
            )
        )
    return claims


def _lines_short(found: list[Violation]) -> str:
    """'lines 68, 74, 78 and 8 more': where a rule's violations are, for a checklist ('' for none)."""
    if not found:
        return ""
    shown = ", ".join(str(violation.line) for violation in found[:SHOWN_VIOLATIONS])
    more = f" and {len(found) - SHOWN_VIOLATIONS} more" if len(found) > SHOWN_VIOLATIONS else ""
    return f"line{'s' if len(found) > 1 else ''} {shown}{more}"


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
            target.level,
            compare_output(reference.stdout, run.stdout),
            compare_parameters(reference.parameters, run.parameters, run.layout),
            reference="the reference",
            predecessor="the reference",
        )
        identical, summary = verdict.identical, verdict.summary
        origin = f"the reference ({reference.origin})"
        if plan.output is not None and plan.output.key is not None:
            origin = "a reference run of the original, computed now in its own directory"
    else:
        identical, origin = True, "none yet"
        summary = "no earlier reference for these settings: this run is now the cached reference"
        if batch.settings.is_default and not batch.settings.approve and batch.project.golden_directory is not None:
            notes.append(
                f"there is no golden file for the {batch.settings.profile} profile yet; record one with --approve"
            )
    return TargetResult(
        target,
        OK,
        identical,
        summary,
        run=run,
        verdict=verdict,
        output_reference=origin,
        parameters_reference=origin,
        notes=tuple(notes),
    )
