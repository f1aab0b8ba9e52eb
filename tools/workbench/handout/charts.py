"""The site's three charts as SVG, drawn with matplotlib, each with its data as a table.

The SVG is reproducible: a fixed hash salt for element ids, no date or creator in the
metadata, text kept as text. Each chart comes with a caption and a Table (the same
numbers for screen readers and for print).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#999999",
    "#882255",
    "#44aa99",
    "#117733",
    "#332288",
    "#ddcc77",
    "#aa4499",
    "#88ccee",
    "#661100",
    "#6699cc",
)
"""Colour-blind-safe colours (Okabe-Ito, then Tol's muted), enough for every lint rule."""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1
    """Columns from this index on are numbers (right-aligned)."""


@dataclass(frozen=True)
class Chart:
    slug: str
    """File name without extension: charts/<slug>.svg."""
    title: str
    caption: str
    alt: str
    svg: bytes | None
    """None when there is no data yet: the page says why instead."""
    table: Table | None
    missing: str | None = None
    """Why the chart has no data, with the command that produces it."""


def missing_chart(slug: str, title: str, why: str) -> Chart:
    """A chart with no data yet: the page shows `why` (with the command that produces it) instead."""
    return Chart(slug, title, "", "", None, None, missing=why)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("svg")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "microgpt-handout",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 13,
            "axes.titlesize": 15,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
        }
    )
    import matplotlib.pyplot as pyplot

    return pyplot


def _svg_bytes(figure: Any) -> bytes:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    _pyplot().close(figure)
    text = buffer.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()).encode("utf-8") + b"\n"


def loss_chart(series: Sequence[tuple[str, Sequence[float]]], drift_note: str | None, profile: str) -> bytes:
    """Every program's training loss, overlaid: lines that coincide look like one line."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(10, 5.2))
    for index, (label, losses) in enumerate(series):
        steps = range(1, len(losses) + 1)
        if index == 0:
            axes.plot(steps, losses, color="#bbbbbb", linewidth=7, label=label, solid_capstyle="round")
        else:
            axes.plot(
                steps,
                losses,
                color=PALETTE[(index - 1) % len(PALETTE)],
                linewidth=1.2,
                label=label,
                linestyle=(0, (4, 2 + index % 3)),
            )
    axes.set_xlabel("training step")
    axes.set_ylabel("loss")
    axes.set_title(f"Training loss of the original and every step ({profile} profile)")
    axes.legend(
        ncol=min(len(series), 12),
        fontsize=10,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        frameon=False,
        handlelength=2.5,
    )
    if drift_note:
        # Below the legend, outside the axes: inside them it would run into the curves.
        rows = -(-len(series) // min(len(series), 12))
        axes.text(
            0.0, -0.17 - 0.08 * rows, drift_note, transform=axes.transAxes, fontsize=12, color="#444444", va="top"
        )
    axes.grid(alpha=0.3)
    return _svg_bytes(figure)


def payoff_chart(
    labels: Sequence[str],
    training: Sequence[float | None],
    inference: Sequence[float | None],
    memory: Sequence[float | None],
) -> bytes:
    """Three bar panels: training speed-up, inference speed-up, peak memory ratio (a label
    may carry a mark, '05*', that the caption explains)."""
    pyplot = _pyplot()
    figure, panels = pyplot.subplots(1, 3, figsize=(13, 4.6))
    positions = list(range(len(labels)))
    specifications = (
        (panels[0], training, "training: times as fast", "#0072b2", False),
        (panels[1], inference, "inference: times as fast (log scale)", "#009e73", True),
        (panels[2], memory, "peak memory: fraction of the original", "#d55e00", False),
    )
    for axes, values, title, colour, logarithmic in specifications:
        heights = [value if value is not None else 0.0 for value in values]
        axes.bar(positions, heights, color=colour, width=0.7)
        axes.axhline(1.0, color="#333333", linewidth=1, linestyle="--")
        axes.set_xticks(positions, [label.replace("original", "orig.") for label in labels], rotation=0, fontsize=10)
        axes.set_title(title, fontsize=13)
        if logarithmic and any(value > 0 for value in heights):
            axes.set_yscale("log")
        for position, value in zip(positions, values):
            if value is None:
                axes.text(position, 1.0, "n/a", ha="center", va="bottom", fontsize=9, color="#666666")
        axes.grid(axis="y", alpha=0.3)
    panels[0].set_ylabel("relative to the original (dashed line = 1)")
    figure.tight_layout()
    return _svg_bytes(figure)


def burn_down_chart(
    labels: Sequence[str], rules: Sequence[str], counts: Sequence[Sequence[int]], zero_from: dict[str, int]
) -> bytes:
    """Violations per rule per program, stacked, with the step each rule must reach zero."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(12, 6))
    positions = list(range(len(labels)))
    bottoms = [0] * len(labels)
    for index, rule in enumerate(rules):
        heights = [counts[column][index] for column in range(len(labels))]
        if not any(heights):
            continue
        axes.bar(positions, heights, bottom=bottoms, color=PALETTE[index % len(PALETTE)], width=0.72, label=rule)
        bottoms = [bottom + height for bottom, height in zip(bottoms, heights)]
    top = max(bottoms) if bottoms and max(bottoms) > 0 else 1
    for position, total in zip(positions, bottoms):
        axes.text(position, total + top * 0.01, str(total), ha="center", va="bottom", fontsize=11)
    due: dict[int, int] = {}
    for number in zero_from.values():
        due[number] = due.get(number, 0) + 1
    for number, how_many in sorted(due.items()):
        if number < len(labels):
            axes.axvline(number - 0.5, color="#444444", linewidth=0.8, linestyle=":")
            axes.text(
                number - 0.42,
                top * 1.13,
                f"{how_many} rule{'s' if how_many != 1 else ''} zero from here",
                fontsize=9,
                color="#444444",
                va="top",
                rotation=90,
            )
    axes.set_ylim(0, top * 1.16)
    axes.set_xticks(positions, list(labels), fontsize=11)
    axes.set_ylabel("style violations")
    axes.set_title("Style debt per step; dotted lines: where the plan's zero_from makes rules mandatory")
    handles, names = axes.get_legend_handles_labels()
    axes.legend(
        handles[::-1], names[::-1], ncol=1, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
    )
    axes.grid(axis="y", alpha=0.3)
    return _svg_bytes(figure)
