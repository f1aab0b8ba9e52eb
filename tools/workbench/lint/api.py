"""The linter's small API for other tools (the diff viewer's "style debt before and after").

    from workbench.lint.api import rule_counts, lint_source
    rule_counts(Path("steps/07_delete_value_class.py"))  # {'no-class': 0, 'no-dunder': 0, ...}
    lint_source("f = lambda: 0\\n", select=["no-lambda"])  # [Violation(...)]

Both use the project's [tool.lint_style] configuration and the results cache kept between
runs (see result_cache), so walking the steps again re-analyses only what changed. Both
raise SourceError (a WorkbenchError) for a file or text that cannot be read or parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from workbench.lint.config import load_config
from workbench.lint.engine import LintSettings, lint_file, lint_text, make_settings
from workbench.lint.rules import ALL_RULES, RULE_NAMES
from workbench.lint.violation import Violation


@lru_cache(maxsize=1)
def _all_rules_settings() -> LintSettings:
    return LintSettings(rules=ALL_RULES, config=load_config(), persistent_cache=True)


def lint_source(source: str, path: str = "<string>", select: Iterable[str] | None = None) -> list[Violation]:
    """The violations in a source text, sorted by position. `select` names rules by code,
    name or code prefix (default: every rule)."""
    settings = _all_rules_settings()
    if select is not None:
        settings = replace(make_settings(select=list(select), config=settings.config), persistent_cache=True)
    return list(lint_text(source, path, settings).violations)


def rule_counts(path: Path) -> dict[str, int]:
    """Rule name -> number of violations in the file, for every rule (zeros included)."""
    result = lint_file(path, _all_rules_settings())
    counts = {name: 0 for name in RULE_NAMES}
    for violation in result.violations:
        counts[violation.name] += 1
    return counts
