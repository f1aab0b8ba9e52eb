"""Style debt before and after a step, counted by the workbench's style linter.

The linter (workbench.lint) offers `workbench.lint.api.rule_counts(path) -> dict[str, int]`:
rule name -> number of violations. The diff view asks it through an indirect import, so
that a broken linter never takes the diff down with it: when the module cannot be
imported there is no style debt line (`measure_style_debt` returns None), and when it
fails on a file the failure is reported in one sentence instead of a number.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LINTER_MODULE = "workbench.lint.api"

RuleCounts = dict[str, int]


@dataclass(frozen=True)
class RuleChange:
    rule: str
    before: int
    after: int


@dataclass(frozen=True)
class StyleDebt:
    before: RuleCounts = field(default_factory=dict)
    after: RuleCounts = field(default_factory=dict)
    error: str | None = None
    """Set when the linter could not measure one of the files."""

    @property
    def total_before(self) -> int:
        return sum(self.before.values())

    @property
    def total_after(self) -> int:
        return sum(self.after.values())

    @property
    def changed_rules(self) -> tuple[RuleChange, ...]:
        """Rules whose count differs, in rule-name order."""
        rules = sorted(set(self.before) | set(self.after))
        return tuple(
            RuleChange(rule, self.before.get(rule, 0), self.after.get(rule, 0))
            for rule in rules
            if self.before.get(rule, 0) != self.after.get(rule, 0)
        )


def load_rule_counter() -> Callable[[Path], RuleCounts] | None:
    """The linter's rule_counts function, or None when it cannot be imported."""
    try:
        module = importlib.import_module(LINTER_MODULE)
    except ImportError:
        return None
    counter = getattr(module, "rule_counts", None)
    return counter if callable(counter) else None


def measure_style_debt(old_path: Path, new_path: Path) -> StyleDebt | None:
    """Rule counts of both files; None when there is no linter to ask."""
    counter = load_rule_counter()
    if counter is None:
        return None
    try:
        before = dict(counter(old_path))
        after = dict(counter(new_path))
    except Exception as error:  # noqa: BLE001 - a linter failure must not take the diff down with it
        return StyleDebt(error=f"the style linter failed: {error}")
    return StyleDebt(before=before, after=after)
