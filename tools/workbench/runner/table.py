"""The results of many programs: one table (terminal or Markdown), and one JSON object per program."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.console import is_plain
from workbench.errors import EXIT_OK
from workbench.paths import display_path
from workbench.plan import BIT
from workbench.programs import Program
from workbench.runner.equivalence import format_difference
from workbench.runner.execute import OK, RunResult
from workbench.runner.report import ASCII_SIMPLE, NOT_MEASURED, emit, format_ratio
from workbench.runner.results import TargetResult
from workbench.runner.settings import CheckSettings

TABLE_HEADINGS = (
    "step",
    "commit",
    "verdict",
    "parameters",
    "train s",
    "infer s",
    "peak MiB",
    "train ×",
    "infer ×",
    "mem ×",
)
NUMERIC_HEADINGS = frozenset(TABLE_HEADINGS[4:])
PLAIN_TABLE_WIDTH = 200
"""A pipe has no width: the `all` table keeps its natural width, up to this."""
MISSING = "no file yet"
SPEED_LEGEND = "train ×, infer ×: how many times as fast as the original, in this same run; mem ×: peak memory relative to the original's."


# --- many targets --------------------------------------------------------------------


def table_rows(results: Sequence[TargetResult], missing: Sequence[Program] = ()) -> list[tuple[str, ...]]:
    """One row per target, plus one per plan step without a file yet, in plan order."""
    rows: list[tuple[int, tuple[str, ...]]] = []
    for result in results:
        run, speed = result.run, result.speed
        target = result.target
        rows.append(
            (
                target.number,
                (
                    f"{target.path.name} as {target.label}" if target.attempt else target.label,
                    target.commit,
                    _short_verdict(result),
                    _short_parameters(result),
                    _number(run.seconds_training if run else None),
                    _number(run.seconds_inference if run else None),
                    _memory_mebibytes(run),
                    format_ratio(speed.training if speed else None),
                    format_ratio(speed.inference if speed else None),
                    format_ratio(speed.memory if speed else None),
                ),
            )
        )
    for target in missing:
        rows.append((target.number, (target.label, target.commit, MISSING, *("",) * 7)))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _memory_mebibytes(run: RunResult | None) -> str:
    """Peak memory in MiB; a run that finished on a system that cannot measure it says so."""
    if run is not None and run.ok and run.peak_memory_bytes is None:
        return NOT_MEASURED
    return _number(run.peak_memory_bytes / (1 << 20) if run and run.peak_memory_bytes else None)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _short_verdict(result: TargetResult) -> str:
    if result.status != OK:
        return result.status
    if result.approved is not None:
        return "approved"
    if result.verdict is None:
        return "recorded"
    if result.verdict.identical and not result.structure_holds:
        return f"INCOMPLETE ({result.verdict.level})"
    return f"identical ({result.verdict.level})" if result.identical else f"DIFFERS ({result.verdict.level})"


def _short_parameters(result: TargetResult) -> str:
    if result.verdict is None:
        return "—"
    parameters = result.verdict.parameters
    if not parameters.same_count:
        return f"count {parameters.got_count} ≠ {parameters.expected_count}"
    if parameters.bit_identical:
        return "bit-identical"
    if result.verdict.level == BIT:
        return f"{parameters.differing_count} not bit-identical"
    return f"drift ≤ {format_difference(parameters.max_difference)}"


def _row_style(verdict: str) -> str:
    if verdict.startswith(("DIFFERS", "INCOMPLETE")):
        return "differs"
    if verdict == MISSING:
        return "muted"
    if verdict.startswith(("identical", "approved", "recorded")):
        return ""
    return "error"


def render_table(
    console: Console, results: Sequence[TargetResult], missing: Sequence[Program], settings: CheckSettings
) -> None:
    caption = SPEED_LEGEND
    if missing:
        caption += f" No file yet for step {', '.join(target.label for target in missing)}."
    plain = is_plain(console)
    table = Table(
        box=ASCII_SIMPLE if plain else box.SIMPLE_HEAVY,
        title=f"microgpt, step by step: {settings.describe()}",
        title_justify="left",
        caption=caption,
        caption_justify="left",
        caption_style="muted",
        show_edge=False,
    )
    for heading in TABLE_HEADINGS:
        is_commit = heading == "commit"
        table.add_column(
            heading,
            justify="right" if heading in NUMERIC_HEADINGS else "left",
            no_wrap=not is_commit,
            overflow="fold",
            ratio=1 if is_commit else None,
            min_width=24 if is_commit else None,
        )
    for row in table_rows(results, missing):
        table.add_row(*row, style=_row_style(row[2]))
    emit(console, table, width=PLAIN_TABLE_WIDTH)


def markdown_table(results: Sequence[TargetResult], missing: Sequence[Program] = ()) -> str:
    alignments = ("---:" if heading in NUMERIC_HEADINGS else "---" for heading in TABLE_HEADINGS)
    lines = ["| " + " | ".join(TABLE_HEADINGS) + " |", "| " + " | ".join(alignments) + " |"]
    for row in table_rows(results, missing):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines) + f"\n\n{SPEED_LEGEND}"


def render_summary_line(console: Console, code: int, results: Sequence[TargetResult]) -> None:
    identical = sum(1 for result in results if result.status == OK and result.counts_as_identical)
    errors = sum(1 for result in results if result.status != OK)
    differs = len(results) - identical - errors
    style = "identical" if code == EXIT_OK else ("differs" if errors == 0 else "error")
    emit(console, Text(f"{identical} identical, {differs} differ, {errors} could not be checked", style=style))


# --- JSON ----------------------------------------------------------------------------


def json_record(result: TargetResult, settings: CheckSettings) -> dict[str, Any]:
    """One target as a JSON object (one line of --json output)."""
    run, verdict, speed = result.run, result.verdict, result.speed
    first = verdict.output.first_difference if verdict is not None else None
    parameter_count = (
        verdict.parameters.got_count
        if verdict is not None
        else (len(run.parameters) if run and run.parameters else None)
    )
    return {
        "target": result.target.label,
        "title": result.target.title,
        "file": display_path(result.target.path),
        "attempt": result.target.attempt,
        "commit": result.target.commit,
        "level": result.target.level,
        "profile": settings.profile,
        "settings": dict(settings.knob_values),
        "dataset_sha256": settings.dataset.sha256,
        "standard_dataset": settings.dataset.standard,
        "status": result.status,
        "identical": result.status == OK and result.counts_as_identical,
        "verdict": result.summary,
        "output_identical": verdict.output.identical if verdict is not None else None,
        "first_difference": None
        if first is None
        else {"line": first.line_number, "expected": first.expected, "got": first.got},
        "parameters_bit_identical": verdict.parameters.bit_identical if verdict is not None else None,
        "parameter_count": parameter_count,
        "max_parameter_difference": _finite_or_text(result.max_parameter_difference),
        "output_reference": result.output_reference,
        "parameters_reference": result.parameters_reference,
        "seconds_training": run.seconds_training if run else None,
        "seconds_inference": run.seconds_inference if run else None,
        "seconds_total": run.seconds_total if run else None,
        "peak_memory_bytes": run.peak_memory_bytes if run else None,
        "speed": None
        if speed is None
        else {"training": speed.training, "inference": speed.inference, "memory": speed.memory},
        "error": None if result.status == OK else result.summary,
        "approved": display_path(result.approved) if result.approved is not None else None,
        "notes": list(result.notes),
        "structure_holds": result.structure_holds,
        "contract": [
            {"claim": claim.name, "kind": claim.kind, "holds": claim.holds, "detail": claim.detail}
            for claim in result.contract
        ],
        "blame": None if result.blame is None else result.blame.as_record(),
    }


def _finite_or_text(value: float | None) -> float | str | None:
    if value is None or math.isfinite(value):
        return value
    return str(value)
