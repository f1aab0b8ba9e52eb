"""The gate: the style debt may only burn down, step by step, as the plan says.

`run_gate` is a pure function over a sequence of snapshots, (label, source text), the
original first and then every step in plan order, plus a GatePolicy (from the plan's
[lint] table) and the lint settings. For every step it checks:

1. no rule's count rises from its predecessor, except a deferred rule before its step;
2. no violation sits on a line the step added or changed (difflib, predecessor -> step),
   except a deferred rule's before its step;
3. every rule is zero from the step the plan's `zero_from` names;
4. the final snapshot is clean under every rule (rules the plan does not name included);
5. every step has a snapshot (a missing file is a failure, and the next step is compared
   with the last snapshot that exists).

Tests run it on synthetic step sequences; `lint_style.py --steps` runs it on the real ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from workbench.lint.engine import FileResult, LintSettings, lint_texts
from workbench.lint.errors import LintError
from workbench.lint.rules import ALL_RULES
from workbench.paths import display_path
from workbench.plan import Plan, lint_schedule_problem
from workbench.programs import Program, all_programs

REASON_ADDED_LINE = "on a line this step added or changed"
REASON_FINAL = "the final step must be clean"


class GateSnapshot(NamedTuple):
    """The text of one program of the plan as the gate reads it: its label ('original',
    '07'), its source (None when the file does not exist) and the path to show. Made from
    a Program (`of_program`); tests write synthetic ones directly."""

    label: str
    source: str | None
    path: str = ""
    number: int | None = None
    """Its step number (0 for the original); None: its position in the sequence."""

    @classmethod
    def of_program(cls, program: Program) -> GateSnapshot:
        text = program.path.read_text(encoding="utf-8") if program.exists() else None
        return cls(program.label, text, display_path(program.path), program.number)


@dataclass(frozen=True)
class GatePolicy:
    """When each rule must be zero (step numbers: 1 is the first step after the original)
    and which rules are deferred debt until then."""

    zero_from: Mapping[str, int]
    deferred: frozenset[str] = frozenset()
    validated: bool = False
    """True when it comes from a plan, which was validated when it loaded."""

    def is_deferred_at(self, rule_name: str, step_number: int) -> bool:
        """True while a deferred rule is still allowed to be debt (before its step)."""
        return rule_name in self.deferred and step_number < self.zero_from.get(rule_name, step_number + 1)


def validate_policy(policy: GatePolicy, number_of_steps: int, source: str = "the gate policy") -> None:
    """Unknown rule names and impossible steps are a LintError (exit status 2): the plan
    loader's own check of `[lint]`, applied to a policy made some other way."""
    problem = lint_schedule_problem(dict(policy.zero_from), sorted(policy.deferred), number_of_steps)
    if problem is not None:
        raise LintError(f"{source}: {problem}")


def policy_from_plan(plan: Plan) -> GatePolicy:
    """The plan's `[lint]` table as a policy (validated when the plan was loaded)."""
    return GatePolicy(zero_from=dict(plan.lint_zero_from), deferred=frozenset(plan.lint_deferred), validated=True)


def snapshots_from_plan(plan: Plan) -> list[GateSnapshot]:
    """The original and every step of the plan, read from disk (None for a missing file)."""
    return [GateSnapshot.of_program(program) for program in all_programs(plan)]


@dataclass(frozen=True)
class GateFailure:
    """One reason the gate fails. `rule_code`/`line` are empty for a missing snapshot."""

    label: str
    path: str
    kind: str
    """'missing', 'rise' or 'violation'."""
    message: str
    rule_code: str = ""
    rule_name: str = ""
    line: int = 0
    column: int = 0
    reasons: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class GateReport:
    labels: tuple[str, ...]
    paths: tuple[str, ...]
    rule_names: tuple[str, ...]
    counts: Mapping[str, tuple[int | None, ...]]
    """Rule name -> count per snapshot, None where the snapshot is missing."""
    failures: tuple[GateFailure, ...]
    broken_cells: frozenset[tuple[str, int]]
    """(rule name, snapshot index) cells that break the gate."""
    policy: GatePolicy
    results: tuple[FileResult | None, ...]
    numbers: tuple[int, ...] = ()
    """The step number of each snapshot (a plan that continues another starts after 0 at 11)."""

    @property
    def passed(self) -> bool:
        return not self.failures

    def is_debt(self, rule_name: str, index: int) -> bool:
        """A deferred rule's count in a step before its zero_from step."""
        return self.policy.is_deferred_at(rule_name, self.numbers[index] if self.numbers else index)


def changed_lines(before: str, after: str) -> set[int]:
    """1-based numbers of the lines of `after` that are new or changed relative to `before`."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    lines: set[int] = set()
    for tag, _, _, first, last in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(first + 1, last + 1))
    return lines


def run_gate(
    snapshots: Sequence[GateSnapshot | tuple[str, str | None]], policy: GatePolicy, settings: LintSettings
) -> GateReport:
    """Lint every snapshot and apply the gate's rules (see the module docstring).

    The first snapshot is the original (step 0); snapshot i is step i unless it carries its
    own number (a plan that continues another: original, 11, 12, ...). Raises SourceError
    when a snapshot cannot be parsed and LintError for a policy naming unknown rules.
    """
    items = [item if isinstance(item, GateSnapshot) else GateSnapshot(item[0], item[1], item[0]) for item in snapshots]
    items = [item if item.path else item._replace(path=item.label) for item in items]
    if not items:
        raise LintError("the gate needs at least the original")
    last_index = len(items) - 1
    numbers = tuple(index if item.number is None else item.number for index, item in enumerate(items))
    if not policy.validated:
        validate_policy(policy, last_index)
    rule_names = tuple(rule.name for rule in settings.rules)
    present = [(item.source, item.path) for item in items if item.source is not None]
    linted = iter(lint_texts(present, settings))
    results: list[FileResult | None] = [None if item.source is None else next(linted) for item in items]
    counts: dict[str, list[int | None]] = {name: [] for name in rule_names}
    for result in results:
        for name in rule_names:
            counts[name].append(
                None if result is None else sum(1 for violation in result.violations if violation.name == name)
            )

    failures: list[GateFailure] = []
    broken: set[tuple[str, int]] = set()
    if results[0] is None:
        failures.append(
            GateFailure(items[0].label, items[0].path, "missing", f"the original {items[0].path} does not exist")
        )
    previous: int | None = 0 if results[0] is not None else None
    for index in range(1, len(items)):
        item = items[index]
        result = results[index]
        if result is None or item.source is None:
            failures.append(
                GateFailure(
                    item.label,
                    item.path,
                    "missing",
                    f"step {item.label} has no snapshot file: {item.path} does not exist",
                )
            )
            continue
        earlier = items[previous] if previous is not None else None
        for name in rule_names:
            now = counts[name][index]
            before = counts[name][previous] if previous is not None else None
            if (
                before is not None
                and now is not None
                and now > before
                and not policy.is_deferred_at(name, numbers[index])
            ):
                broken.add((name, index))
                assert earlier is not None
                failures.append(
                    GateFailure(
                        item.label,
                        item.path,
                        "rise",
                        f"{name} rose from {before} at {earlier.label} to {now} at {item.label}",
                        rule_code=_code_of(name),
                        rule_name=name,
                    )
                )
        added = (
            changed_lines(earlier.source or "", item.source)
            if earlier is not None
            else set(range(1, len(item.source.splitlines()) + 1))
        )
        for violation in result.violations:
            reasons: list[str] = []
            if violation.line in added and not policy.is_deferred_at(violation.name, numbers[index]):
                reasons.append(REASON_ADDED_LINE)
            zero_from = policy.zero_from.get(violation.name)
            if zero_from is not None and numbers[index] >= zero_from:
                reasons.append(f"must be zero from step {zero_from:02d}")
            if index == last_index:
                reasons.append(REASON_FINAL)
            if reasons:
                broken.add((violation.name, index))
                failures.append(
                    GateFailure(
                        item.label,
                        item.path,
                        "violation",
                        violation.message,
                        rule_code=violation.code,
                        rule_name=violation.name,
                        line=violation.line,
                        column=violation.column,
                        reasons=tuple(reasons),
                    )
                )
        previous = index
    return GateReport(
        labels=tuple(item.label for item in items),
        paths=tuple(item.path for item in items),
        rule_names=rule_names,
        counts={name: tuple(values) for name, values in counts.items()},
        failures=tuple(failures),
        broken_cells=frozenset(broken),
        policy=policy,
        results=tuple(results),
        numbers=numbers,
    )


def _code_of(name: str) -> str:
    for rule in ALL_RULES:
        if rule.name == name:
            return rule.code
    return ""
