"""Show lint results: grouped text with the offending source (rich), JSON, GitHub
annotations, Markdown (SARIF is in sarif.py).

Text output is styled on a terminal and plain when piped (see workbench.console). Source
lines and messages are printed as rich Text objects, never as markup, so brackets in
code cannot be mistaken for styles; long lines are not wrapped, so carets stay aligned.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.console import is_plain
from workbench.lint.engine import FileResult
from workbench.lint.errors import SourceError
from workbench.lint.rule import Rule
from workbench.lint.violation import Violation

TAB_SIZE = 8


def count_by_rule(results: Sequence[FileResult], rules: Sequence[Rule]) -> dict[str, int]:
    """Rule name -> number of violations, for every rule given (zeros included)."""
    counts = Counter(violation.name for result in results for violation in result.violations)
    return {rule.name: counts.get(rule.name, 0) for rule in rules}


def caret_line(source_line: str, violation: Violation) -> tuple[str, str]:
    """(source line with tabs expanded, the caret underline beneath the offending node)."""
    expanded = source_line.expandtabs(TAB_SIZE)
    start = len(source_line[: violation.column - 1].expandtabs(TAB_SIZE))
    if violation.end_line == violation.line:
        end = len(source_line[: violation.end_column - 1].expandtabs(TAB_SIZE))
    else:
        end = len(expanded.rstrip())
    width = max(1, end - start)
    return expanded, " " * start + "^" * width


def render_text(console: Console, results: Sequence[FileResult], rules: Sequence[Rule], *, unchecked: int = 0) -> None:
    """Violations grouped by file, each with its source line and a caret underline."""
    for result in results:
        if not result.violations:
            continue
        header = Text()
        header.append(result.path, style="bold")
        header.append(f"  {_plural(len(result.violations), 'violation')}", style="muted")
        console.print(header, soft_wrap=True)
        gutter = len(str(max(violation.line for violation in result.violations)))
        for violation in result.violations:
            console.print(_violation_text(violation), soft_wrap=True)
            if 0 < violation.line <= len(result.lines):
                source, carets = caret_line(result.lines[violation.line - 1], violation)
                number = str(violation.line).rjust(gutter)
                source_text = Text()
                source_text.append(f"  {number} | ", style="muted")
                source_text.append(source)
                console.print(source_text, soft_wrap=True)
                caret_text = Text()
                caret_text.append(f"  {' ' * gutter} | ", style="muted")
                caret_text.append(carets, style="bold red")
                console.print(caret_text, soft_wrap=True)
        console.print()
    render_summary(console, results, rules, unchecked=unchecked)


def _violation_text(violation: Violation) -> Text:
    text = Text()
    text.append(violation.location, style="bold")
    text.append(" ")
    text.append(violation.code, style="bold red")
    text.append(" ")
    text.append(violation.name, style="cyan")
    text.append(" ")
    text.append(violation.message)
    return text


def render_summary(
    console: Console, results: Sequence[FileResult], rules: Sequence[Rule], *, unchecked: int = 0
) -> None:
    total = sum(len(result.violations) for result in results)
    files = len(results)
    if unchecked:
        console.print(Text(f"{_plural(unchecked, 'file')} could not be checked (see the errors below).", style="error"))
    if total == 0 and unchecked:
        console.print(Text(f"No violations in the {_plural(files, 'file')} that could be checked.", style="warning"))
        return
    if total == 0:
        console.print(
            Text(
                f"All clear: {_plural(files, 'file')} checked against {_plural(len(rules), 'rule')}, no violations.",
                style="identical",
            )
        )
        return
    dirty = sum(1 for result in results if result.violations)
    broken_rules = sum(1 for count in count_by_rule(results, rules).values() if count)
    summary = Text()
    summary.append(
        f"{_plural(total, 'violation')} of {_plural(broken_rules, 'rule')} in {dirty} of {_plural(files, 'file')}",
        style="differs",
    )
    summary.append("  (--statistics: counts per rule; --explain RULE: why and how to fix)", style="muted")
    console.print(summary, soft_wrap=True)


def render_statistics(
    console: Console, results: Sequence[FileResult], rules: Sequence[Rule], *, unchecked: int = 0
) -> None:
    """A table of violations per rule, every selected rule in code order, zeros dimmed."""
    counts = count_by_rule(results, rules)
    table = Table(box=box.SIMPLE if not is_plain(console) else box.ASCII2, show_footer=True)
    table.add_column("code", footer="")
    table.add_column("rule", footer="total")
    table.add_column("violations", justify="right", footer=str(sum(counts.values())))
    for rule in rules:
        count = counts[rule.name]
        style = "muted" if count == 0 else "bold"
        table.add_row(rule.code, rule.name, Text(str(count), style=style))
    console.print(table)
    render_summary(console, results, rules, unchecked=unchecked)


def render_json(
    console: Console,
    results: Sequence[FileResult],
    rules: Sequence[Rule],
    *,
    statistics_only: bool = False,
    errors: Sequence[SourceError] = (),
) -> None:
    """One JSON document: the files checked, counts per rule, the violations, and the files
    that could not be checked (`errors`: path, line, column, message)."""
    counts = count_by_rule(results, rules)
    document: dict[str, object] = {
        "files": [result.path for result in results],
        "counts": counts,
        "total": sum(counts.values()),
    }
    if not statistics_only:
        document["violations"] = [violation.as_dict() for result in results for violation in result.violations]
    document["errors"] = [error_location(error)._asdict() for error in errors]
    print(json.dumps(document, indent=2), file=console.file)


class ErrorLocation(NamedTuple):
    """Where a file that could not be checked went wrong (line 0: the whole file)."""

    path: str
    line: int
    column: int
    message: str


_LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$", re.DOTALL)
_FILE_ONLY = re.compile(r"^(?P<path>[^:\n]+): (?P<message>.*)$", re.DOTALL)


def error_location(error: SourceError) -> ErrorLocation:
    """The file, line and column a SourceError's message names, and the rest of it."""
    text = str(error)
    located = _LOCATED.match(text)
    if located is not None:
        return ErrorLocation(located["path"], int(located["line"]), int(located["column"]), located["message"])
    file_only = _FILE_ONLY.match(text)
    if file_only is not None:
        return ErrorLocation(file_only["path"], 0, 0, file_only["message"])
    return ErrorLocation("", 0, 0, text)


def render_markdown(
    console: Console, results: Sequence[FileResult], rules: Sequence[Rule], *, errors: Sequence[SourceError] = ()
) -> None:
    """A Markdown table of the violations (for a pull-request comment or a job summary)."""
    lines = ["| location | rule | message |", "| --- | --- | --- |"]
    for result in results:
        for violation in result.violations:
            lines.append(
                f"| `{violation.location}` | {violation.code} {violation.name} | {_markdown_cell(violation.message)} |"
            )
    for error in errors:
        where = error_location(error)
        location = where.path if not where.line else f"{where.path}:{where.line}:{where.column}"
        lines.append(f"| `{location}` | not checked | {_markdown_cell(where.message)} |")
    total = sum(len(result.violations) for result in results)
    print("\n".join(lines) if total or errors else "No violations.", file=console.file)
    print(
        f"\n{_plural(total, 'violation')} in {_plural(len(results), 'file')} checked against {_plural(len(rules), 'rule')}.",
        file=console.file,
    )


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def github_annotation(violation: Violation) -> str:
    """`::error file=...,line=...,col=...,title=CODE name::message` (GitHub Actions)."""
    properties = {
        "file": violation.path,
        "line": str(violation.line),
        "col": str(violation.column),
        "endLine": str(violation.end_line),
        "endColumn": str(violation.end_column),
        "title": f"{violation.code} {violation.name}",
    }
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::error {joined}::{_escape_data(violation.message)}"


def render_github(
    console: Console,
    results: Sequence[FileResult],
    *,
    errors: Sequence[SourceError] = (),
    rules: Sequence[Rule] = (),
    statistics: bool = False,
) -> None:
    """One annotation per violation and per file that could not be checked; with
    `statistics`, then one line per rule that reported something."""
    for result in results:
        for violation in result.violations:
            print(github_annotation(violation), file=console.file)
    for error in errors:
        where = error_location(error)
        properties = {"file": where.path} if where.path else {}
        if where.line:
            properties.update(line=str(where.line), col=str(where.column))
        properties["title"] = "cannot be checked"
        joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        print(f"::error {joined}::{_escape_data(where.message)}", file=console.file)
    if statistics:
        for name, count in count_by_rule(results, rules).items():
            if count:
                rule = next(rule for rule in rules if rule.name == name)
                print(f"{count:5d}  {rule.code} {name}", file=console.file)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
