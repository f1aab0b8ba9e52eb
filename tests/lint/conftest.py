"""Fixtures for the linter's tests: settings with the built-in tables only, so the tests
do not depend on the project's [tool.lint_style] additions."""

from __future__ import annotations

import pytest

from workbench.lint.config import LintConfig
from workbench.lint.engine import LintSettings
from workbench.lint.rules import ALL_RULES


@pytest.fixture(scope="session")
def all_rules() -> LintSettings:
    return LintSettings(rules=ALL_RULES, config=LintConfig())
