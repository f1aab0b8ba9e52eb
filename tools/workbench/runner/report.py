"""How the result of one program looks: what is about to run, then the verdict panel and what differs.

The table of many programs, Markdown and JSON are in workbench.runner.table.

Everything renders through a rich Console from workbench.console: styled on a terminal;
plain text when piped or with --no-color (no colour, ASCII borders, no trailing padding,
and the `all` table at its natural width so commit messages are not wrapped).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from workbench.console import PLAIN_WIDTH, is_plain
from workbench.paths import display_path
from workbench.plan import BIT
from workbench.programs import Program
from workbench.proof.wording import FailedClaim, claims_summary, group_failed_claims, parameter_difference_meaning
from workbench.runner.equivalence import Claim, LineDifference, format_difference
from workbench.runner.execute import OK
from workbench.runner.results import TargetResult
from workbench.runner.settings import CheckSettings
from workbench.runner.transcript import sample_lines, split_lines

ORIGINAL_LEVEL_MEANING = "output and final parameters identical to the original's reference run, bit for bit"

ASCII_SIMPLE = box.Box("    \n    \n -- \n    \n    \n -- \n    \n    \n", ascii=True)


# --- small formats -------------------------------------------------------------------


def format_seconds(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.1f} s"


NOT_MEASURED = "not measured here"
"""Shown for a figure this system cannot measure (peak memory on Windows)."""


def format_bytes(size: int | None, *, missing: str = "—") -> str:
    return missing if size is None else f"{size / (1 << 20):.1f} MiB"


def format_ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def emit(console: Console, renderable: RenderableType, *, width: int = PLAIN_WIDTH) -> None:
    """Print a renderable. Plain consoles get it at `width`, without trailing padding."""
    if not is_plain(console):
        console.print(renderable)
        return
    saved_width = console.width
    console.width = width
    try:
        with console.capture() as capture:
            console.print(renderable)
    finally:
        console.width = saved_width
    console.file.write("".join(line.rstrip() + "\n" for line in capture.get().splitlines()))
    console.file.flush()


# --- one target ----------------------------------------------------------------------


def level_meaning(target: Program) -> str:
    """What the target's level demands, naming the predecessor: 'output identical to the
    original's, parameters bit-identical to step 06's'."""
    if target.step is None:
        return ORIGINAL_LEVEL_MEANING
    predecessor = "the original's" if target.step.number == 1 else f"step {target.step.number - 1:02d}'s"
    if target.level == BIT:
        return f"output identical to the original's, parameters bit-identical to {predecessor}"
    return f"output identical to the original's, parameters may drift from {predecessor}"


def render_header(console: Console, target: Program, settings: CheckSettings) -> None:
    """What is about to run: the target, its commit, its level and the settings."""
    emit(
        console,
        Group(
            Text.assemble((target.title, "step"), "  ", (target.commit, "commit")),
            _labelled_lines(
                [
                    ("file", display_path(target.path)),
                    ("level", f"{target.level}: {level_meaning(target)}"),
                    ("settings", settings.describe()),
                    ("dataset", settings.dataset.describe()),
                ]
            ),
            Text(""),
        ),
    )


def render_result(console: Console, result: TargetResult, *, show_samples: bool = True) -> None:
    """The full story of one target: timings, samples, verdict, and what differs."""
    parts: list[RenderableType] = []
    if result.blame is not None:
        parts.extend([Text.assemble(("at fault  ", "muted"), (result.blame.sentence, "bold")), Text("")])
    run = result.run
    if run is not None and run.ok:
        parts.append(_timings(result))
        samples = sample_lines(split_lines(run.stdout))
        if show_samples and samples:
            parts.append(_samples_block(samples))
    if parts:
        parts.append(Text(""))
    parts.append(_verdict_panel(console, result))
    if result.verdict is not None and not result.verdict.output.identical:
        parts.append(_differences_table(console, result))
    if result.details and result.status != OK:
        parts.append(Text(result.details, style="muted"))
    parts.extend(Text(f"note: {note}", style="warning") for note in result.notes)
    emit(console, Group(*parts))


def _labelled_lines(rows: Sequence[tuple[str, str]]) -> Text:
    """'label   value' lines, labels muted and aligned."""
    width = max(len(label) for label, _ in rows) + 2
    text = Text()
    for index, (label, value) in enumerate(rows):
        text.append(label.ljust(width), style="muted")
        text.append(value)
        if index < len(rows) - 1:
            text.append("\n")
    return text


def _timings(result: TargetResult) -> Text:
    run = result.run
    assert run is not None
    text = Text.assemble(
        ("training ", "muted"),
        format_seconds(run.seconds_training),
        ("   inference ", "muted"),
        format_seconds(run.seconds_inference),
        ("   peak memory ", "muted"),
        format_bytes(run.peak_memory_bytes, missing=NOT_MEASURED if run.ok else "—"),
        ("   total ", "muted"),
        format_seconds(run.seconds_total),
    )
    if result.speed is not None and result.target.step is not None:
        text.append("\n")
        text.append_text(
            Text.assemble(
                ("against the original in this run: training ", "muted"),
                format_ratio(result.speed.training),
                (" as fast, inference ", "muted"),
                format_ratio(result.speed.inference),
                (" as fast, peak memory ", "muted"),
                format_ratio(result.speed.memory),
                (" the original's", "muted"),
            )
        )
    return text


def _samples_block(samples: list[str], columns: int = 4) -> Text:
    """The samples in columns, read top to bottom."""
    rows = math.ceil(len(samples) / columns)
    width = max(len(sample) for sample in samples) + 3
    text = Text("samples the program printed:\n", style="muted")
    for row in range(rows):
        cells = [samples[column * rows + row] for column in range(columns) if column * rows + row < len(samples)]
        text.append("".join(cell.ljust(width) for cell in cells).rstrip())
        if row < rows - 1:
            text.append("\n")
    return text


def _verdict_panel(console: Console, result: TargetResult) -> RenderableType:
    mark, style, word = _verdict_words(result)
    plain = is_plain(console)
    badge = f"{result.target.title}: {word}" if plain else f"{mark} {word}"
    headline = Text.assemble((badge, style), "  ", result.summary)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="muted", no_wrap=True)
    grid.add_column()
    verdict = result.verdict
    if verdict is not None:
        output = verdict.output
        if output.identical:
            grid.add_row("output", f"identical to {result.output_reference}: {output.got_line_count} lines")
        else:
            grid.add_row(
                "output",
                f"{output.differing_line_count} of {output.expected_line_count} lines differ from {result.output_reference}",
            )
        grid.add_row("parameters", _parameters_sentence(result))
        first = verdict.parameters.first
        if first is not None:
            grid.add_row("first difference", first.describe().removeprefix("first differing parameter: "))
            if output.identical:
                grid.add_row("what this means", parameter_difference_meaning(first.ulps))
    if result.contract:
        grid.add_row("structure", _structure_text(result))
    if result.approved is not None:
        grid.add_row("golden file", display_path(result.approved))
    if plain:
        return Group(headline, Padding(grid, (0, 0, 0, 2))) if grid.row_count else headline
    body = Group(headline, grid) if grid.row_count else headline
    return Panel(
        body,
        title=Text(result.target.title, style="step"),
        title_align="left",
        box=box.ROUNDED,
        border_style=style,
        expand=False,
    )


def _structure_text(result: TargetResult) -> Text:
    """The structural claims at the step: one line when all hold; else the failed ones,
    grouped by kind (contract, exercise, lint), at most ten, with a count of the rest."""
    claims = result.contract
    step_title = result.target.plan_title
    failed = [FailedClaim(claim.kind, claim.name, claim.detail) for claim in claims if not claim.holds]
    kinds = ", ".join(f"{count} {kind}" for kind, count in _count_kinds(claims).items())
    if not failed:
        return Text(f"{claims_summary(0, len(claims))} at {step_title} ({kinds})")
    text = Text(f"{claims_summary(len(failed), len(claims))} at {step_title}:")
    for line in group_failed_claims(failed):
        style = "differs" if line.startswith("  - ") else "muted"
        text.append("\n" + line.replace("  - ", "✘ ", 1), style=style)
    return text


def _count_kinds(claims: tuple[Claim, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for claim in claims:
        counts[claim.kind] = counts.get(claim.kind, 0) + 1
    return counts


def _parameters_sentence(result: TargetResult) -> str:
    assert result.verdict is not None
    parameters = result.verdict.parameters
    against = result.parameters_reference
    if not parameters.same_count:
        return f"{parameters.got_count} parameters, but {against} has {parameters.expected_count}"
    if parameters.bit_identical:
        return f"all {parameters.got_count} bit-identical to {against}"
    required = " (level bit requires every bit)" if result.verdict.level == BIT else ""
    return (
        f"{parameters.differing_count} of {parameters.got_count} differ from {against}, "
        f"by at most {format_difference(parameters.max_difference)}{required}"
    )


def _verdict_words(result: TargetResult) -> tuple[str, str, str]:
    if result.status != OK:
        return "!", "error", result.status.upper()
    if result.approved is not None:
        return "✔", "identical", "APPROVED"
    if result.verdict is None:
        return "●", "warning", "RECORDED"
    if result.identical:
        return "✔", "identical", "IDENTICAL"
    if result.verdict.identical and not result.structure_holds:
        return "✘", "differs", "INCOMPLETE"
    return "✘", "differs", "DIFFERS"


def _differences_table(console: Console, result: TargetResult) -> RenderableType:
    assert result.verdict is not None
    is_original = result.target.is_original
    table = Table(
        title="first differing lines",
        title_justify="left",
        title_style="differs",
        box=ASCII_SIMPLE if is_plain(console) else box.SIMPLE,
        show_edge=False,
    )
    table.add_column("line", justify="right", style="muted", no_wrap=True)
    table.add_column("expected: the reference" if is_original else "expected: the original", overflow="fold")
    table.add_column(f"got: {result.target.title}", overflow="fold")
    for difference in result.verdict.output.differences:
        expected, got = _marked_pair(difference)
        table.add_row(str(difference.line_number), expected, got)
    return table


def _marked_pair(difference: LineDifference) -> tuple[Text, Text]:
    """Both lines, from the first differing character on highlighted; whitespace-only
    differences are shown as Python literals so they can be seen."""
    if difference.expected is None or difference.got is None:
        missing = Text("(no such line)", style="muted")
        if difference.expected is None:
            return missing, Text(difference.got or "")
        return Text(difference.expected), missing
    if difference.expected.strip() == difference.got.strip():
        return Text(repr(difference.expected)), Text(repr(difference.got))
    column = next(
        (index for index, (left, right) in enumerate(zip(difference.expected, difference.got)) if left != right),
        min(len(difference.expected), len(difference.got)),
    )
    expected, got = Text(difference.expected), Text(difference.got)
    expected.stylize("removed", column)
    got.stylize("added", column)
    return expected, got
