"""Turning what the user typed into pairs of snapshots to compare.

07            step 07 against its predecessor (step 06; step 01 against the original)
03..07        steps 03, 04, ..., 07, each against its predecessor
..04, 09..    from the first step, or through the last one
original 11   any two snapshots: the first is the older side of the diff
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.plan import Plan
from workbench.programs import Program, all_programs, resolve_program, step_program

RANGE_SEPARATOR = ".."


@dataclass(frozen=True)
class ProgramPair:
    older: Program
    newer: Program


def _against_predecessor(plan: Plan, snapshot: Program) -> ProgramPair:
    predecessor = snapshot.predecessor
    if predecessor is None:
        raise WorkbenchError(
            "the original has nothing before it to compare with; name a step (e.g. 01), "
            "a range (e.g. 01..03) or two snapshots (e.g. original 03)"
        )
    return ProgramPair(older=predecessor, newer=snapshot)


def _range_pairs(plan: Plan, text: str) -> list[ProgramPair]:
    start_text, _, end_text = text.partition(RANGE_SEPARATOR)
    start = resolve_program(plan, start_text) if start_text.strip() else step_program(plan, plan.steps[0])
    end = resolve_program(plan, end_text) if end_text.strip() else step_program(plan, plan.last_step)
    if end.step is None:
        raise WorkbenchError(
            f"the range {text} ends at the original; a range runs forward, e.g. 01..{plan.last_step.label}"
        )
    if start.number > end.number:
        raise WorkbenchError(
            f"the range {text} runs backwards; write {end.label}..{start.label}, or name the two snapshots to compare"
        )
    chosen = [
        program
        for program in all_programs(plan)
        if program.step is not None and start.number <= program.number <= end.number
    ]
    return [_against_predecessor(plan, program) for program in chosen]


def select_pairs(plan: Plan, names: Sequence[str]) -> list[ProgramPair]:
    """The comparisons the command line asks for, in order. Raises WorkbenchError otherwise."""
    if len(names) == 1 and RANGE_SEPARATOR in names[0]:
        return _range_pairs(plan, names[0])
    if len(names) == 1:
        return [_against_predecessor(plan, resolve_program(plan, names[0]))]
    if len(names) == 2:
        if any(RANGE_SEPARATOR in name for name in names):
            raise WorkbenchError("give either one range (e.g. 03..07) or two snapshots (e.g. original 11), not both")
        older, newer = resolve_program(plan, names[0]), resolve_program(plan, names[1])
        if older.label == newer.label:
            raise WorkbenchError(f"both sides are {older.plan_title}; name two different snapshots")
        return [ProgramPair(older=older, newer=newer)]
    raise WorkbenchError(f"expected one step, one range or two snapshots, got {len(names)} names: {' '.join(names)}")


def require_files(plan: Plan, pairs: Sequence[ProgramPair]) -> None:
    """Fail before showing anything if a snapshot file is missing, naming it and the last one there."""
    for pair in pairs:
        for snapshot in (pair.older, pair.newer):
            if not snapshot.exists():
                existing = [step for step in plan.steps if plan.step_path(step).is_file()]
                hint = (
                    f"; the last step with a file is {existing[-1].label}" if existing else "; no step has a file yet"
                )
                raise WorkbenchError(
                    f"{snapshot.plan_title} has no snapshot file yet: {display_path(snapshot.path)} does not exist{hint}"
                )
