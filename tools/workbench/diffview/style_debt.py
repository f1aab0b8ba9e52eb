"""Style debt before and after a step, counted by the workbench's style linter.

The linter's API (`workbench.lint.api.rule_counts(path)`) gives rule name -> number of
violations for a file. A file the linter cannot read or parse does not take the diff
down: the style debt line then says so in one sentence instead of giving numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.lint.api import rule_counts
from workbench.lint.errors import LintError

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


def measure_style_debt(old_path: Path, new_path: Path, *, cache: Path | None = None) -> StyleDebt:
    """Rule counts of both files (results kept in the workbench cache `cache`, when given)."""
    try:
        before = rule_counts(old_path, cache=cache)
        after = rule_counts(new_path, cache=cache)
    except LintError as error:  # a file that cannot be read or parsed, or a bug of the linter on it
        return StyleDebt(error=f"the style linter failed: {error}")
    return StyleDebt(before=before, after=after)
