"""Errors the linter reports as one sentence and exit status 2 (never a traceback)."""

from __future__ import annotations

from workbench.errors import WorkbenchError


class LintError(WorkbenchError):
    """A bad option, an unknown rule name, or a plan the gate cannot use."""


class ConfigError(LintError):
    """The [tool.lint_style] section of pyproject.toml is malformed."""


class SourceError(LintError):
    """A file that cannot be read or parsed. The message names the file and the line."""
