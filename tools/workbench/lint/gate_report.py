"""Show the gate: the debt burn-down table and the list of gate failures."""

from __future__ import annotations

import json

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.console import is_plain
from workbench.lint.gate import GateFailure, GateReport
from workbench.lint.report import _escape_data, _escape_property
from workbench.lint.rules import find_rule


def _cell(report: GateReport, rule_name: str, index: int, plain: bool) -> Text:
    count = report.counts[rule_name][index]
    if count is None:
        return Text("-", style="muted")
    broken = (rule_name, index) in report.broken_cells
    if broken:
        return Text(f"{count}!" if plain else str(count), style="bold red")
    if count == 0:
        return Text("0", style="muted")
    if report.is_debt(rule_name, index):
        return Text(str(count), style="warning")
    return Text(str(count))


def _table_width(report: GateReport, label_width: int) -> int:
    """Roughly how wide the table is: labels, the zero column, one column per snapshot."""
    width = label_width + 6
    for index, label in enumerate(report.labels):
        counts = [count for count in (report.counts[name][index] for name in report.rule_names) if count is not None]
        widest = max([len(str(sum(counts)))] + [len(str(count)) + 1 for count in counts])
        width += max(widest, len("orig" if label == "original" else label)) + 1
    return width


def render_burn_down(console: Console, report: GateReport, title: str = "") -> None:
    """Violations per rule (rows) per step (columns); zero cells dim, broken cells red.

    Rows are labelled with rule names, or with codes when names would not fit the width.
    """
    plain = is_plain(console)
    longest_name = max((len(name) for name in report.rule_names), default=4)
    use_codes = _table_width(report, longest_name) > console.width
    table = Table(
        title=title or "Style debt per rule, step by step",
        box=box.MARKDOWN if plain else box.SIMPLE_HEAD,
        show_footer=True,
        title_justify="left",
        collapse_padding=True,
    )
    table.add_column("rule", no_wrap=True, footer="total")
    table.add_column("zero", justify="right", no_wrap=True, footer="")
    for index, label in enumerate(report.labels):
        totals = [report.counts[name][index] for name in report.rule_names]
        known = [count for count in totals if count is not None]
        footer = "-" if len(known) < len(totals) else str(sum(known))
        header = "orig" if label == "original" else label
        table.add_column(header, justify="right", no_wrap=True, footer=footer)
    for name in report.rule_names:
        rule = find_rule(name)
        row_label = Text(rule.code if use_codes and rule is not None else name)
        zero_from = report.policy.zero_from.get(name)
        zero = "end" if zero_from is None else f"{zero_from:02d}"
        if name in report.policy.deferred:
            zero += "*"
        cells = [_cell(report, name, index, plain) for index in range(len(report.labels))]
        table.add_row(row_label, zero, *cells)
    console.print(table)
    legend = (
        "zero: the step from which the rule must report nothing (* deferred: debt until then; end: the final step)."
    )
    legend += "  '!' marks" if plain else "  Red marks"
    legend += " a cell that breaks the gate; '-' a missing snapshot."
    console.print(Text(legend, style="muted"), soft_wrap=True)


def _failure_text(failure: GateFailure) -> Text:
    text = Text()
    text.append(failure.location, style="bold")
    if failure.rule_code:
        text.append(" ")
        text.append(failure.rule_code, style="bold red")
        text.append(" ")
        text.append(failure.rule_name, style="cyan")
    if failure.reasons:
        text.append(f" [{'; '.join(failure.reasons)}]", style="warning")
    text.append(" ")
    text.append(failure.message)
    return text


def render_gate(console: Console, report: GateReport, title: str = "") -> None:
    render_burn_down(console, report, title)
    console.print()
    if report.passed:
        console.print(
            Text(
                "Gate passed: every count falls or holds, no step adds a violation, every rule is zero from its step, and the final step is clean.",
                style="identical",
            ),
            soft_wrap=True,
        )
        return
    console.print(Text(f"Gate failures ({len(report.failures)}):", style="bold"))
    for failure in report.failures:
        console.print(_failure_text(failure), soft_wrap=True)
    console.print()
    steps = sorted({failure.label for failure in report.failures})
    console.print(
        Text(
            f"Gate failed: {len(report.failures)} failure{'s' if len(report.failures) != 1 else ''} in {', '.join(steps)}.",
            style="differs",
        ),
        soft_wrap=True,
    )


def render_gate_json(console: Console, report: GateReport) -> None:
    document = {
        "passed": report.passed,
        "labels": list(report.labels),
        "paths": list(report.paths),
        "zero_from": dict(report.policy.zero_from),
        "deferred": sorted(report.policy.deferred),
        "counts": {name: list(values) for name, values in report.counts.items()},
        "failures": [
            {
                "label": failure.label,
                "path": failure.path,
                "kind": failure.kind,
                "code": failure.rule_code,
                "name": failure.rule_name,
                "line": failure.line,
                "column": failure.column,
                "reasons": list(failure.reasons),
                "message": failure.message,
            }
            for failure in report.failures
        ],
    }
    print(json.dumps(document, indent=2), file=console.file)


def render_gate_github(console: Console, report: GateReport) -> None:
    for failure in report.failures:
        properties = {"file": failure.path}
        if failure.line:
            properties["line"] = str(failure.line)
            properties["col"] = str(failure.column)
        title = f"{failure.rule_code} {failure.rule_name}".strip() or "missing snapshot"
        properties["title"] = f"gate: {title}"
        joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        message = failure.message if not failure.reasons else f"{failure.message} ({'; '.join(failure.reasons)})"
        print(f"::error {joined}::{_escape_data(message)}", file=console.file)
