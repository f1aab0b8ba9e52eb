"""Rich renderables for diffstep: the header (the story), the semantic summary, the step list.

Every function takes `plain`: True for piped output or --no-color. Plain output uses no
styles and ASCII only. The diff itself is drawn by workbench.diffview.diff_render.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from workbench.diffview.comparison import Comparison
from workbench.diffview.diff_render import render_diff
from workbench.diffview.printing import Part
from workbench.diffview.semantic import DefinitionChange, Kind, SemanticSummary, Status
from workbench.diffview.style_debt import StyleDebt
from workbench.diffview.textdiff import TextDiff
from workbench.paths import display_path
from workbench.plan import Plan, Step
from workbench.programs import Program, all_programs
from workbench.runner.records import VerdictLookup

RUN_COMMAND = "python tools/run_step.py"


# ---------------------------------------------------------------------------------------
# Small pieces
# ---------------------------------------------------------------------------------------


def _styled(text: str, style: str, plain: bool) -> Text:
    return Text(text) if plain else Text(text, style=style)


def _field_table() -> Table:
    """Two columns: a short label, then text that wraps under itself."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=11)
    table.add_column(ratio=1)
    return table


def _titled(title: str, body: RenderableType, plain: bool) -> RenderableType:
    """A panel on a terminal; an underlined title over the body when plain."""
    if plain:
        return Group(Text(title), Text("=" * len(title)), body)
    return Panel(body, title=Text(title, style="step"), title_align="left", box=box.ROUNDED, padding=(0, 1))


def _separator(title: str, plain: bool) -> RenderableType:
    if plain:
        return Text(f"-- {title} " + "-" * max(0, 76 - len(title)))
    return Rule(Text(title, style="step"), align="left")


def _verdict_text(snapshot: Program, lookup: VerdictLookup, plain: bool) -> Text:
    command = f"{RUN_COMMAND} {snapshot.label}"
    record = lookup.record
    if record is not None:
        text = Text()
        if record.identical:
            text.append(record.summary, style="" if plain else "identical")
        else:
            text.append(f"DIFFERS: {record.summary}", style="" if plain else "differs")
        details = f"{record.profile} run, recorded {_moment(record.recorded_at)}"
        for profile in lookup.stale_profiles:
            details += f"; the {profile} record is for an earlier version"
        text.append(f" ({details})", style="" if plain else "muted")
        return text
    if lookup.stale_profiles:
        profiles = " and ".join(lookup.stale_profiles)
        return _styled(
            f"no verdict for the file as it is now (the {profiles} record is for an earlier version); run {command}",
            "warning",
            plain,
        )
    return _styled(f"not run yet; run {command}", "muted", plain)


def _moment(recorded_at: str) -> str:
    """'2025-01-01T12:00:00+00:00' as '2025-01-01 12:00 UTC'; anything unparsable as given."""
    try:
        moment = datetime.fromisoformat(recorded_at)
    except ValueError:
        return recorded_at
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _style_debt_text(debt: StyleDebt, plain: bool) -> Text:
    if debt.error is not None:
        return _styled(debt.error, "warning", plain)
    change = debt.total_after - debt.total_before
    text = Text(f"{debt.total_before} -> {debt.total_after}")
    if change:
        text.append(f" ({change:+d})", style="" if plain else ("added" if change < 0 else "removed"))
    rules = debt.changed_rules
    if rules:
        text.append(": " + ", ".join(f"{rule.rule} {rule.before} -> {rule.after}" for rule in rules))
    else:
        text.append(": no rule changed", style="" if plain else "muted")
    return text


# ---------------------------------------------------------------------------------------
# Header: the story of one step, or the description of a pair
# ---------------------------------------------------------------------------------------


def _step_header(comparison: Comparison, plain: bool) -> RenderableType:
    step = comparison.newer.step
    assert step is not None
    plan = comparison.plan
    fields = _field_table()
    fields.add_row("What", Text(step.what))
    fields.add_row("Why", Text(step.why))
    if step.reviewers:
        reviewers = Text()
        for index, note in enumerate(step.reviewers):
            if index:
                reviewers.append("\n")
            reviewers.append(note.reviewer, style="" if plain else "bold")
            reviewers.append(f": {note.note}")
        fields.add_row("Reviewers", reviewers)
    equivalence = Text()
    equivalence.append(f"{step.level} level", style="" if plain else "bold")
    equivalence.append(f": {step.equivalence}")
    fields.add_row("Equivalence", equivalence)
    if step.refinement:
        fields.add_row("Refinement", Text(step.refinement))
    _add_measurements(fields, comparison, plain)
    title = f"Step {step.label} of {plan.last_step.label} - {step.phase}"
    top = Text()
    top.append(step.commit, style="" if plain else "commit")
    top.append("\n")
    top.append(
        f"{display_path(comparison.older.path)} -> {display_path(comparison.newer.path)}",
        style="" if plain else "muted",
    )
    return _titled(title, Group(top, Text(""), fields), plain)


def _pair_header(comparison: Comparison, plain: bool) -> RenderableType:
    older, newer = comparison.older, comparison.newer
    between = comparison.steps_between
    sides = _field_table()
    sides.add_row("Older", Text(f"{older.title}: {display_path(older.path)} - {older.commit}"))
    sides.add_row("Newer", Text(f"{newer.title}: {display_path(newer.path)} - {newer.commit}"))
    if between:
        direction = "undone, newest first" if comparison.is_backwards else "in between"
        commits = Text()
        for index, step in enumerate(reversed(between) if comparison.is_backwards else between):
            if index:
                commits.append("\n")
            commits.append(f"{step.label} ", style="" if plain else "step")
            commits.append(step.commit)
        sides.add_row("Commits", commits)
        sides.add_row(
            "", _styled(f"({len(between)} {'step' if len(between) == 1 else 'steps'} {direction})", "muted", plain)
        )
    weakest = comparison.weakest_level_step
    if between:
        level = Text()
        if weakest is None:
            level.append("bit level", style="" if plain else "bold")
            level.append(": every step in between is declared bit-identical")
        else:
            level.append("print level", style="" if plain else "bold")
            level.append(
                f": step {weakest.label} is declared identical in printed output only ({_first_sentence(weakest.equivalence)})"
            )
        sides.add_row("Equivalence", level)
    _add_measurements(sides, comparison, plain)
    title = f"Comparing {older.title} with {newer.title}"
    return _titled(title, sides, plain)


def _first_sentence(text: str) -> str:
    head, separator, _ = text.partition(". ")
    return head + "." if separator else text


def _add_measurements(fields: Table, comparison: Comparison, plain: bool) -> None:
    for snapshot, lookup in comparison.verdicts:
        label = "Verdict" if comparison.is_single_step else f"Verdict {snapshot.label}"
        fields.add_row(label, _verdict_text(snapshot, lookup, plain))
        for problem in lookup.problems:
            fields.add_row("", _styled(problem, "warning", plain))
    if comparison.style_debt is not None:
        fields.add_row("Style debt", _style_debt_text(comparison.style_debt, plain))


def render_header(comparison: Comparison, plain: bool) -> RenderableType:
    if comparison.is_single_step:
        return _step_header(comparison, plain)
    return _pair_header(comparison, plain)


# ---------------------------------------------------------------------------------------
# Semantic summary
# ---------------------------------------------------------------------------------------

_KIND_HEADINGS = {Kind.FUNCTION: "Functions", Kind.CLASS: "Classes", Kind.NAME: "Names"}


def _names_line(symbol: str, label: str, names: Sequence[str], style: str, plain: bool) -> Text:
    """'+ a, b' or '~ renamed, same code: a -> b': one line (wrapping) for many names."""
    text = Text()
    text.append(f"{symbol} ", style="" if plain else style)
    if label:
        text.append(f"{label}: ", style="" if plain else style)
    text.append(", ".join(names), style="" if plain or label else style)
    return text


def _change_lines(change: DefinitionChange, plain: bool) -> Text:
    """A changed function or class on its own line; a changed signature shows old and new."""
    text = Text()
    text.append("~ ", style="" if plain else "changed")
    text.append(change.label, style="" if plain else "bold")
    parts = []
    if change.old_name:
        parts.append("renamed")
    if change.signature_changed:
        parts.append("signature changed")
    if change.body_changed:
        parts.append("body changed")
    text.append(": " + ", ".join(parts), style="" if plain else "changed")
    if change.old_signature and change.new_signature:
        text.append("\n    ")
        text.append(change.old_signature, style="" if plain else "removed")
        text.append("\n -> ")
        text.append(change.new_signature, style="" if plain else "added")
    return text


def _kind_block(kind: Kind, changes: Sequence[DefinitionChange], plain: bool) -> Group | None:
    added = [change.name for change in changes if change.status is Status.ADDED]
    removed = [change.name for change in changes if change.status is Status.REMOVED]
    renamed = [change.label for change in changes if change.status is Status.RENAMED]
    changed = [change for change in changes if change.status is Status.CHANGED]
    lines: list[RenderableType] = []
    if added:
        lines.append(_names_line("+", "", added, "added", plain))
    if removed:
        lines.append(_names_line("-", "", removed, "removed", plain))
    if renamed:
        lines.append(_names_line("~", "renamed, same code", renamed, "changed", plain))
    if kind is Kind.NAME and changed:
        lines.append(_names_line("~", "bound differently", [change.label for change in changed], "changed", plain))
    elif changed:
        lines.extend(_change_lines(change, plain) for change in changed)
    return Group(*lines) if lines else None


def _renames_block(comparison: Comparison, summary: SemanticSummary, plain: bool) -> Group | None:
    lines: list[RenderableType] = []
    older, newer = comparison.older.title, comparison.newer.title
    confirmed = [evidence for evidence in summary.renames if evidence.confirmed]
    if confirmed:
        text = Text()
        for index, evidence in enumerate(confirmed):
            if index:
                text.append(", ")
            text.append(f"{evidence.old} -> {evidence.new}")
            text.append(f" x{evidence.sites}", style="" if plain else "bold")
            if evidence.old_sites_after:
                other = "other site" if evidence.old_sites_after == 1 else "other sites"
                text.append(
                    f" ({evidence.old} still at {evidence.old_sites_after} {other})", style="" if plain else "muted"
                )
        lines.append(text)
    for evidence in summary.renames:
        problems = evidence.problems(older, newer)
        if problems:
            lines.append(
                _styled(
                    f"warning: planned rename {evidence.old} -> {evidence.new} not shown by the code: {'; '.join(problems)}",
                    "warning",
                    plain,
                )
            )
    return Group(*lines) if lines else None


def render_summary(comparison: Comparison, plain: bool) -> RenderableType:
    """The semantic summary: definitions, names, renames and the layout change."""
    fields = _field_table()
    summary = comparison.summary
    if summary is None:
        fields.add_row("Code", _styled(f"no semantic summary: {comparison.summary_problem}", "warning", plain))
    else:
        for kind in (Kind.FUNCTION, Kind.CLASS, Kind.NAME):
            block = _kind_block(kind, summary.of_kind(kind), plain)
            if block is not None:
                fields.add_row(_KIND_HEADINGS[kind], block)
        renames = _renames_block(comparison, summary, plain)
        if renames is not None:
            fields.add_row("Renames", renames)
        quiet = [
            (status, [change.label for change in summary.changes if change.status is status])
            for status in (Status.IDENTIFIERS_RENAMED, Status.FORMATTING_ONLY)
        ]
        for status, names in quiet:
            if names:
                fields.add_row("", _styled(f"{status}: {', '.join(names)}", "muted", plain))
        if summary.is_empty:
            fields.add_row("Code", _styled("no function, class or module-level name changed", "muted", plain))
    if comparison.is_single_step and comparison.newer.step is not None and comparison.newer.step.layout:
        fields.add_row("Layout", Text(comparison.newer.step.layout))
    elif not comparison.is_single_step:
        for step in comparison.steps_between:
            if step.layout:
                fields.add_row(f"Layout {step.label}", Text(step.layout))
    fields.add_row("Lines", _counts_text(comparison.diff, plain))
    return fields


def _counts_text(diff: TextDiff, plain: bool) -> Text:
    if diff.is_empty:
        return _styled("the files are identical, line for line", "muted", plain)
    text = Text()
    text.append(f"+{diff.lines_added}", style="" if plain else "added")
    text.append(" ")
    text.append(f"-{diff.lines_removed}", style="" if plain else "removed")
    hunks = len(diff.hunks)
    text.append(f" in {hunks} {'hunk' if hunks == 1 else 'hunks'}")
    return text


def render_comparison(
    comparison: Comparison, *, plain: bool, stat_only: bool = False, side_by_side: bool = False
) -> list[Part]:
    """Header, summary and (unless stat_only) the diff, in the order they are printed."""
    parts: list[Part] = [
        render_header(comparison, plain),
        Text(""),
        _separator("What changed in the code", plain),
        render_summary(comparison, plain),
    ]
    if not stat_only:
        parts.extend([Text(""), _separator("Diff", plain), render_diff(comparison, plain, side_by_side)])
    return parts


def render_between(plain: bool) -> RenderableType:
    """What separates two comparisons when walking a range."""
    return Text("\n" + "#" * 80 + "\n") if plain else Padding(Rule(style="step", characters="━"), (1, 0))


# ---------------------------------------------------------------------------------------
# The step list
# ---------------------------------------------------------------------------------------


def render_step_list(plan: Plan, plain: bool) -> RenderableType:
    table = Table(
        box=box.ASCII if plain else box.SIMPLE_HEAD,
        title=plan.title,
        caption=f"Files: {display_path(plan.steps_directory)}/NN_slug.py; the original is {display_path(plan.original_path)}.",
        caption_style="" if plain else "muted",
        title_style="" if plain else "bold",
        header_style="" if plain else "bold",
        show_edge=False,
    )
    table.add_column("Step", no_wrap=True, style="" if plain else "step")
    table.add_column("Level", no_wrap=True)
    table.add_column("Commit message", ratio=1)
    table.add_column("File", no_wrap=True)
    phase: str | None = None
    for snapshot in all_programs(plan):
        step: Step | None = snapshot.step
        if step is not None and step.phase != phase:
            phase = step.phase
            table.add_row("", "", _styled(phase, "bold", plain), "", end_section=False)
        file_status = (
            _styled("ok" if plain else "✓", "identical", plain)
            if snapshot.exists()
            else _styled("missing", "warning", plain)
        )
        table.add_row(snapshot.label, "" if step is None else step.level, Text(snapshot.commit), file_status)
    return table
