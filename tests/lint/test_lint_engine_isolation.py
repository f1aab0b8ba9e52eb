"""A bug of the linter on one file is reported for that file, as what it is, and the other
files are still checked (in this process and in worker processes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from workbench.lint.engine import LintSettings, analyse, lint_sources
from workbench.lint.errors import SourceError
from workbench.lint.rules import find_rule
from workbench.lint.source import SourceContext


def _failing_check(context: SourceContext) -> Iterator[object]:
    if "boom" in "\n".join(context.lines):
        raise ZeroDivisionError("a rule's bug")
    yield from ()


def _settings() -> LintSettings:
    rule = find_rule("no-lambda")
    assert rule is not None
    return LintSettings(rules=(dataclasses.replace(rule, check=_failing_check),))


def test_a_rule_that_raises_is_an_internal_error_for_that_file() -> None:
    outcome = analyse("boom = 1\n", "module.py", _settings())
    assert isinstance(outcome, SourceError)
    assert (
        str(outcome)
        == "module.py: internal error of the linter (a bug, not your code): ZeroDivisionError: a rule's bug"
    )


def test_the_other_files_are_still_checked(tmp_path: Path) -> None:
    for name, text in (("a.py", "boom = 1\n"), ("b.py", "fine = 1\n"), ("c.py", "also_fine = 2\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = _settings()
    results, errors = lint_sources([(tmp_path / name, settings) for name in ("a.py", "b.py", "c.py")])
    assert [Path(result.path).name for result in results] == ["b.py", "c.py"]
    assert len(errors) == 1 and "a.py: internal error of the linter" in str(errors[0])
