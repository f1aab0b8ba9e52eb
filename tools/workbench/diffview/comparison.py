"""One comparison between two programs of the plan, with everything the views need, as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.diffview.semantic import SemanticSummary, UnparsableSource, summarize
from workbench.diffview.style_debt import StyleDebt, measure_style_debt
from workbench.diffview.textdiff import TextDiff, diff_lines
from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.plan import Plan, Step
from workbench.programs import Program
from workbench.runner.records import VerdictLookup, find_verdict


@dataclass(frozen=True)
class Comparison:
    plan: Plan
    older: Program
    newer: Program
    renames: dict[str, str]
    """The plan's renames from the older to the newer side (composed across several steps)."""
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]
    diff: TextDiff
    summary: SemanticSummary | None
    summary_problem: str | None
    """Why there is no semantic summary (a side does not parse), else None."""
    verdicts: tuple[tuple[Program, VerdictLookup], ...]
    style_debt: StyleDebt | None

    @property
    def is_single_step(self) -> bool:
        """True when the newer side is a step and the older side is its predecessor."""
        predecessor = self.newer.predecessor
        return predecessor is not None and predecessor.label == self.older.label

    @property
    def is_backwards(self) -> bool:
        return self.older.number > self.newer.number

    @property
    def steps_between(self) -> tuple[Step, ...]:
        """The steps whose commits lie between the two sides (older exclusive, newer inclusive)."""
        low, high = sorted((self.older.number, self.newer.number))
        return tuple(step for step in self.plan.steps if low < step.number <= high)

    @property
    def weakest_level_step(self) -> Step | None:
        """The first step in between declared only 'print'-identical, if any."""
        return next((step for step in self.steps_between if step.level == "print"), None)


def compose_renames(steps: Sequence[Step]) -> dict[str, str]:
    """The renames of consecutive steps as one map from the first name to the last one.

    A name renamed twice maps to its final name; when a later step renames a new binding
    of a name that an earlier step renamed away (step 04 turns linear into linear_value,
    step 09 turns the new linear into linear_tape), the later rename wins.
    """
    chains: dict[str, str] = {}
    for step in steps:
        extended = {first: step.renames.get(current, current) for first, current in chains.items()}
        ends = set(chains.values())
        for old, new in step.renames.items():
            if old not in ends:
                extended[old] = new
        chains = extended
    return {first: last for first, last in chains.items() if first != last}


def planned_renames(plan: Plan, older: Program, newer: Program) -> dict[str, str]:
    """The plan's renames going from `older` to `newer`, in either direction."""
    low, high = sorted((older.number, newer.number))
    composed = compose_renames([step for step in plan.steps if low < step.number <= high])
    if older.number <= newer.number:
        return composed
    return {new: old for old, new in composed.items()}


def read_source(snapshot: Program) -> str:
    """The program's text; one sentence when it is missing or not UTF-8."""
    if not snapshot.exists():
        raise WorkbenchError(
            f"{snapshot.plan_title} has no snapshot file yet: {display_path(snapshot.path)} does not exist"
        )
    try:
        return snapshot.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkbenchError(
            f"{display_path(snapshot.path)} is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


def compare(
    plan: Plan,
    older: Program,
    newer: Program,
    *,
    cache: Path,
    context: int = 3,
    with_style_debt: bool = True,
) -> Comparison:
    """Everything there is to show about going from `older` to `newer` (verdicts from `cache`)."""
    old_source, new_source = read_source(older), read_source(newer)
    old_lines, new_lines = tuple(old_source.splitlines()), tuple(new_source.splitlines())
    renames = planned_renames(plan, older, newer)
    summary: SemanticSummary | None = None
    summary_problem: str | None = None
    try:
        summary = summarize(
            old_source, new_source, renames, old_label=display_path(older.path), new_label=display_path(newer.path)
        )
    except UnparsableSource as error:
        summary_problem = str(error)
    verdicts = tuple(
        (snapshot, find_verdict(cache, snapshot)) for snapshot in (older, newer) if snapshot.step is not None
    )
    if older.number < newer.number and len(verdicts) == 2 and newer.predecessor == older:
        verdicts = verdicts[1:]  # a single step: the verdict is the step's own
    return Comparison(
        plan=plan,
        older=older,
        newer=newer,
        renames=renames,
        old_lines=old_lines,
        new_lines=new_lines,
        diff=diff_lines(old_lines, new_lines, context),
        summary=summary,
        summary_problem=summary_problem,
        verdicts=verdicts,
        style_debt=measure_style_debt(older.path, newer.path, cache=cache) if with_style_debt else None,
    )
