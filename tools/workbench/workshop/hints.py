"""The graded hint ladder: eight levels, every one built from the plan and the reference
steps, none written per level in code.

    1  the commit message and why the step is worth doing
    2  the reviewers' notes and the facilitator's notes
    3  the claims the check makes, spelled out (contract and style rules)
    4  the data layout change, and what "identical" means for this step
    5  the renames
    6  the libcst summary: functions and names added, removed, changed
    7  the reference diff of one function the learner has not got right yet
    8  the whole reference diff
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from workbench.diffview.textdiff import DiffLine
from workbench.plan import Plan, Step
from workbench.programs import step_program
from workbench.runner.blame.signatures import signature_text, top_level_signatures
from workbench.workshop.checking import (
    predecessor_path,
    reference_changes,
    reference_path,
    reference_renames,
    statement_fingerprint,
    unified_rows,
)

LEVELS = 8
TITLES: dict[int, str] = {
    1: "What and why",
    2: "What the reviewers said",
    3: "The claims your file must meet",
    4: "The data layout",
    5: "The renames",
    6: "What changes, function by function",
    7: "The reference diff of one function",
    8: "The whole reference diff",
}


@dataclass(frozen=True)
class Hint:
    level: int
    title: str
    lines: tuple[str, ...]
    diff: tuple[tuple[DiffLine, ...], ...] = field(default=())
    """Hunks of a reference diff (levels 7 and 8)."""


def hint(plan: Plan, step: Step, level: int, learner_file: Path | None) -> Hint:
    """Hint `level` (1..8) for `step`; level 7 looks at the learner's file."""
    builders = {1: _what_and_why, 2: _reviewers, 3: _claims, 4: _layout, 5: _renames, 6: _summary}
    if level in builders:
        return Hint(level, TITLES[level], tuple(builders[level](plan, step)))
    if level == 7:
        return _one_function(plan, step, learner_file)
    old, new = (
        predecessor_path(plan, step).read_text(encoding="utf-8"),
        reference_path(plan, step).read_text(encoding="utf-8"),
    )
    hunks = tuple(tuple(hunk) for hunk in unified_rows(old, new))
    return Hint(8, TITLES[8], (f"{_predecessor_name(plan, step)} -> step {step.label}, {len(hunks)} hunks",), hunks)


def _predecessor_name(plan: Plan, step: Step) -> str:
    previous = step_program(plan, step).predecessor
    return "the original" if previous is None or previous.step is None else f"step {previous.step.label}"


def _what_and_why(plan: Plan, step: Step) -> list[str]:
    lines = [f"Commit: {step.commit}", "", step.why]
    added = added_signatures(plan, step)
    if added:
        lines += [
            "",
            "The functions this step adds (the check calls them with these parameters, in this order):",
            *(f"  {signature}" for signature in added),
        ]
    return lines


def added_signatures(plan: Plan, step: Step) -> list[str]:
    """'tape_value(tape, index)' for each function the reference step adds, or whose parameters it changes."""
    reference = top_level_signatures(reference_path(plan, step).read_text(encoding="utf-8"))
    return [
        signature_text(change.name, reference[change.name])
        for change in reference_changes(plan, step)
        if change.kind == "function"
        and change.name in reference
        and (change.status == "added" or (change.status == "changed" and change.signature_changed))
    ]


def _reviewers(plan: Plan, step: Step) -> list[str]:
    lines = [f"{note.reviewer}: {note.note}" for note in step.reviewers] or [
        "The reviewers said nothing about this step."
    ]
    if step.facilitator_notes:
        lines += ["", f"Where people get stuck: {step.facilitator_notes}"]
    return lines


def _claims(plan: Plan, step: Step) -> list[str]:
    lines = [
        f"Level {step.level}: "
        + (
            "output identical to the original's and final parameters bit-identical to the step before."
            if step.level == "bit"
            else "output identical to the original's; the parameters may drift."
        )
    ]
    lines += [f"- {claim.describe(step.number)}" for claim in plan.claims_at(step.number)]
    new_rules = [rule for rule in plan.mandatory_rules(step.number) if plan.lint_zero_from[rule] == step.number]
    if new_rules:
        lines.append(f"- style rules that must report nothing from this step on: {', '.join(new_rules)}")
    lines.append(f"What the step does: {step.what}")
    return lines


def _layout(plan: Plan, step: Step) -> list[str]:
    lines = [f"Layout: {step.layout}"] if step.layout else ["This step does not change the data layout."]
    return [*lines, "", f"Why it stays identical: {step.equivalence}"]


def _renames(plan: Plan, step: Step) -> list[str]:
    renames = reference_renames(plan, step)
    if not renames:
        return ["This step renames nothing."]
    return [f"{old} -> {new}" for old, new in renames.items()]


def _summary(plan: Plan, step: Step) -> list[str]:
    lines: list[str] = []
    for change in reference_changes(plan, step):
        if change.status in ("comments or formatting only",):
            continue
        label = f"{change.old_name} -> {change.name}" if change.old_name else change.name
        detail = []
        if change.signature_changed:
            detail.append("signature")
        if change.body_changed:
            detail.append("body")
        suffix = f" ({' and '.join(detail)})" if detail and change.status == "changed" else ""
        lines.append(f"{change.kind} {label}: {change.status}{suffix}")
    return lines or ["No definition changes: the step changes module-level code only."]


def _one_function(plan: Plan, step: Step, learner_file: Path | None) -> Hint:
    old_source, new_source = (
        predecessor_path(plan, step).read_text(encoding="utf-8"),
        reference_path(plan, step).read_text(encoding="utf-8"),
    )
    reference = _functions(new_source)
    predecessor = _functions(old_source)
    learner = (
        _functions(learner_file.read_text(encoding="utf-8-sig"))
        if learner_file is not None and learner_file.is_file()
        else {}
    )
    candidates = [
        change
        for change in reference_changes(plan, step)
        if change.kind == "function" and change.status != "removed" and change.name in reference
    ]
    for change in candidates:
        mine = learner.get(change.name)
        if mine is not None and statement_fingerprint(mine, {}) == statement_fingerprint(reference[change.name], {}):
            continue
        before = predecessor.get(change.old_name or change.name)
        before_text = "" if before is None else cst.Module(body=[before]).code.strip("\n")
        after_text = cst.Module(body=[reference[change.name]]).code.strip("\n")
        hunks = tuple(tuple(hunk) for hunk in unified_rows(before_text, after_text, context=1000))
        state = "not there yet" if mine is None else "not the reference's yet"
        return Hint(
            7,
            TITLES[7],
            (f"{change.name}: {state} in your file. The reference, against {_predecessor_name(plan, step)}:",),
            hunks,
        )
    return Hint(
        7,
        TITLES[7],
        (
            "Every function this step adds or changes already matches the reference in your file; what is left is module-level code (level 8 shows the whole diff).",
        ),
    )


def _functions(source: str) -> dict[str, cst.FunctionDef]:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return {}
    return {statement.name.value: statement for statement in module.body if isinstance(statement, cst.FunctionDef)}
