"""The linter's small API for other tools (the diff viewer's "style debt before and after").

    from workbench.lint.api import rule_counts, lint_source
    rule_counts(Path("steps/07_delete_value_class.py"))  # {'no-class': 0, 'no-dunder': 0, ...}
    lint_source("f = lambda: 0\\n", select=["no-lambda"])  # [Violation(...)]

Both use the configuration the command line would: the nearest pyproject.toml with a
[tool.lint_style] table above the file (for a text, above `path` when it names a place,
else above the current folder). Given the workbench cache of a project (`cache`, e.g.
Project.cache), they keep results between runs in its lint/ folder (see result_cache), so
walking the steps again re-analyses only what changed. Both raise SourceError (a
WorkbenchError) for a file or text that cannot be read or parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workbench.lint.discovery import nearest_config
from workbench.lint.engine import LintSettings, lint_file, lint_text, make_settings
from workbench.lint.result_cache import CACHE_FOLDER_NAME
from workbench.lint.rules import ALL_RULES, RULE_NAMES
from workbench.lint.violation import Violation


def lint_source(
    source: str, path: str = "<string>", select: Iterable[str] | None = None, *, cache: Path | None = None
) -> list[Violation]:
    """The violations in a source text, sorted by position. `select` names rules by code,
    name or code prefix (default: every rule)."""
    config = nearest_config(Path(path).absolute().parent)
    settings = (
        LintSettings(rules=ALL_RULES, config=config)
        if select is None
        else make_settings(select=list(select), config=config)
    )
    return list(lint_text(source, path, _kept_in(settings, cache)).violations)


def rule_counts(path: Path, *, cache: Path | None = None) -> dict[str, int]:
    """Rule name -> number of violations in the file, for every rule (zeros included)."""
    settings = LintSettings(rules=ALL_RULES, config=nearest_config(path.absolute().parent))
    result = lint_file(path, _kept_in(settings, cache))
    counts = {name: 0 for name in RULE_NAMES}
    for violation in result.violations:
        counts[violation.name] += 1
    return counts


def _kept_in(settings: LintSettings, cache: Path | None) -> LintSettings:
    if cache is None:
        return settings
    return LintSettings(
        rules=settings.rules,
        config=settings.config,
        cache_folder=cache / CACHE_FOLDER_NAME,
        time_limit=settings.time_limit,
    )
