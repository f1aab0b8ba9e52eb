"""Small helpers shared by the linter's tests."""

from __future__ import annotations

import textwrap
from collections import Counter

from workbench.lint.config import LintConfig
from workbench.lint.engine import LintSettings, lint_text
from workbench.lint.rules import ALL_RULES, select_rules
from workbench.lint.violation import Violation

DEFAULT_SETTINGS = LintSettings(rules=ALL_RULES, config=LintConfig())


def lint(source: str, *rules: str, config: LintConfig | None = None) -> list[Violation]:
    """Violations in a dedented snippet: all rules, or only those named."""
    settings = LintSettings(rules=select_rules(rules) if rules else ALL_RULES, config=config or LintConfig())
    return list(lint_text(textwrap.dedent(source), "snippet.py", settings).violations)


def counts(source: str, *rules: str) -> Counter[str]:
    return Counter(violation.name for violation in lint(source, *rules))
