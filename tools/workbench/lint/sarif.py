"""Lint results as SARIF 2.1.0, the format code-scanning tools read (GitHub, GitLab, IDEs).

One run: the tool with every selected rule's documentation, one result per violation,
and one tool-execution notification per file that could not be checked.
https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from rich.console import Console

from workbench.lint.engine import FileResult
from workbench.lint.errors import SourceError
from workbench.lint.report import error_location
from workbench.lint.rule import Rule
from workbench.lint.violation import Violation

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "lint_style"


def sarif_document(
    results: Sequence[FileResult], rules: Sequence[Rule], errors: Sequence[SourceError] = ()
) -> dict[str, Any]:
    """The SARIF log as plain data (json.dumps turns it into the file)."""
    index_of = {rule.code: index for index, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": TOOL_NAME, "rules": [_rule(rule) for rule in rules]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(violation, index_of) for result in results for violation in result.violations],
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [_notification(error) for error in errors],
            }
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(
    console: Console, results: Sequence[FileResult], rules: Sequence[Rule], *, errors: Sequence[SourceError] = ()
) -> None:
    print(json.dumps(sarif_document(results, rules, errors), indent=2), file=console.file)


def _uri(path: str) -> str:
    return PurePath(path).as_posix()


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.flags},
        "help": {"text": f"{rule.fix}\n\nlint_style.py --explain {rule.name}"},
        "defaultConfiguration": {"level": "error"},
    }


def _result(violation: Violation, index_of: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": violation.code,
        "level": "error",
        "message": {"text": violation.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(violation.path)},
                    "region": {
                        "startLine": violation.line,
                        "startColumn": violation.column,
                        "endLine": violation.end_line,
                        "endColumn": violation.end_column,
                    },
                }
            }
        ],
    }
    if violation.code in index_of:
        result["ruleIndex"] = index_of[violation.code]
    return result


def _notification(error: SourceError) -> dict[str, Any]:
    where = error_location(error)
    notification: dict[str, Any] = {"level": "error", "message": {"text": where.message}}
    if where.path:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(where.path)}}
        if where.line:
            location["region"] = {"startLine": where.line, "startColumn": max(1, where.column)}
        notification["locations"] = [{"physicalLocation": location}]
    return notification
