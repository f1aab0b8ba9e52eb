"""The API other tools use: rule_counts(path) and lint_source(source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.lint.api import lint_source, rule_counts
from workbench.lint.errors import SourceError
from workbench.lint.rules import RULE_NAMES


def test_rule_counts_has_every_rule(project_root: Path) -> None:
    found = rule_counts(project_root / "original" / "microgpt.py")
    assert list(found) == list(RULE_NAMES)
    assert found["no-class"] == 1 and found["no-lambda"] == 1 and found["no-global"] == 0


def test_lint_source_with_and_without_a_selection() -> None:
    source = "class Record:\n    pass\nsquare = lambda value: value\n"
    assert {violation.name for violation in lint_source(source)} >= {"no-class", "no-lambda"}
    (violation,) = lint_source(source, path="record.py", select=["DOD404"])
    assert (violation.path, violation.line, violation.column, violation.name) == ("record.py", 3, 10, "no-lambda")


def test_lint_source_raises_a_workbench_error_for_bad_syntax() -> None:
    with pytest.raises(SourceError, match=r"<string>:1:"):
        lint_source("def (:\n")


def test_rule_counts_raises_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        rule_counts(tmp_path / "missing.py")
