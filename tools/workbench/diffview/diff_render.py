"""How a line diff looks in diffstep: unified or side by side, with the changed tokens marked.

Plain output (piped, --no-color) is the unified format readers know from `diff -u`, with
a `?` line under a changed line marking the tokens that differ (as difflib.ndiff does).
On a terminal the code is syntax-highlighted, changed lines are tinted and the differing
tokens are picked out in a stronger tint.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from workbench.diffview.comparison import Comparison
from workbench.diffview.printing import Part, Verbatim
from workbench.diffview.textdiff import DiffLine, Hunk, LineKind, TextDiff
from workbench.paths import display_path

SYNTAX_THEME = "monokai"
REMOVED_LINE = "on #3d1418"
ADDED_LINE = "on #0f3a1d"
REMOVED_TOKENS = "bold on #8f2532"
ADDED_TOKENS = "bold on #237a3b"
LINE_STYLE = {LineKind.REMOVED: REMOVED_LINE, LineKind.ADDED: ADDED_LINE, LineKind.CONTEXT: ""}
TOKEN_STYLE = {LineKind.REMOVED: REMOVED_TOKENS, LineKind.ADDED: ADDED_TOKENS, LineKind.CONTEXT: ""}
MARKER_STYLE = {LineKind.REMOVED: "bold red", LineKind.ADDED: "bold green", LineKind.CONTEXT: "dim"}


def _styled(text: str, style: str, plain: bool) -> Text:
    return Text(text) if plain else Text(text, style=style)


class HighlightedLines:
    """A file's lines, syntax-highlighted as a whole (so strings spanning lines stay right)."""

    def __init__(self, lines: Sequence[str], plain: bool) -> None:
        if plain:
            self._lines = [Text(line) for line in lines]
            return
        code = "\n".join(lines)
        highlighted = Syntax(code, "python", theme=SYNTAX_THEME, background_color="default").highlight(code)
        self._lines = list(highlighted.split("\n", allow_blank=True))
        for line in self._lines:
            line.no_wrap = False
            line.overflow = "fold"
            line.end = ""

    def line(self, number: int) -> Text:
        """Line `number` (1-based) as a fresh Text that may be restyled."""
        return self._lines[number - 1].copy()


def _code_text(
    line: DiffLine, old: HighlightedLines, new: HighlightedLines, plain: bool, *, old_side: bool = False
) -> Text:
    """The line's code, highlighted from its own file (the older one for removed lines)."""
    if old_side or line.new_number is None:
        assert line.old_number is not None
        text = old.line(line.old_number)
    else:
        text = new.line(line.new_number)
    if plain or line.kind is LineKind.CONTEXT:
        return text
    text.stylize(LINE_STYLE[line.kind])
    for start, end in line.changed_spans:
        text.stylize(TOKEN_STYLE[line.kind], start, end)
    return text


def marker_line(line: DiffLine) -> str | None:
    """For a plain diff: '?' then '^' under each changed character of a paired line, else None."""
    if not line.changed_spans:
        return None
    marks = [" "] * max(end for _, end in line.changed_spans)
    for start, end in line.changed_spans:
        for position in range(start, end):
            marks[position] = "^"
    return ("?" + "".join(marks)).rstrip()


def _plain_unified(diff: TextDiff) -> Verbatim:
    lines: list[str] = []
    for hunk in diff.hunks:
        lines.append(hunk.header)
        for line in hunk.lines:
            lines.append(line.marker + line.text)
            marks = marker_line(line)
            if marks is not None:
                lines.append(marks)
    return Verbatim("\n".join(lines))


def _styled_unified(hunk: Hunk, old: HighlightedLines, new: HighlightedLines) -> RenderableType:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for line in hunk.lines:
        table.add_row(
            "" if line.old_number is None else str(line.old_number),
            "" if line.new_number is None else str(line.new_number),
            Text(line.marker, style=MARKER_STYLE[line.kind]),
            _code_text(line, old, new, plain=False),
            style=LINE_STYLE[line.kind] or None,
        )
    return Group(Text(hunk.header, style="cyan"), table)


def _side(
    line: DiffLine | None, old: HighlightedLines, new: HighlightedLines, plain: bool, *, old_side: bool
) -> tuple[Text, Text]:
    """Gutter (marker and line number) and code for one side of a side-by-side row."""
    if line is None:
        return Text(""), Text("")
    number = line.old_number if old_side else line.new_number
    marker = " " if line.kind is LineKind.CONTEXT else line.marker
    gutter = Text(f"{marker}{number}", style="" if plain else MARKER_STYLE[line.kind])
    return gutter, _code_text(line, old, new, plain, old_side=old_side)


def _side_by_side(comparison: Comparison, old: HighlightedLines, new: HighlightedLines, plain: bool) -> RenderableType:
    table = Table(
        box=box.ASCII if plain else box.SIMPLE_HEAD,
        expand=True,
        show_edge=not plain,
        padding=(0, 1),
        header_style="" if plain else "bold",
    )
    table.add_column("", justify="right", no_wrap=True)
    table.add_column(display_path(comparison.older.path), ratio=1, overflow="fold")
    table.add_column("", justify="right", no_wrap=True)
    table.add_column(display_path(comparison.newer.path), ratio=1, overflow="fold")
    for index, hunk in enumerate(comparison.diff.hunks):
        if index:
            table.add_section()
        table.add_row("", _styled(hunk.header, "cyan", plain), "", "")
        for row in hunk.rows:
            old_gutter, old_code = _side(row.old, old, new, plain, old_side=True)
            new_gutter, new_code = _side(row.new, old, new, plain, old_side=False)
            table.add_row(old_gutter, old_code, new_gutter, new_code)
    return table


def render_diff(comparison: Comparison, plain: bool, side_by_side: bool = False) -> Part:
    diff = comparison.diff
    if diff.is_empty:
        return _styled("(no line differs)", "muted", plain)
    old = HighlightedLines(comparison.old_lines, plain)
    new = HighlightedLines(comparison.new_lines, plain)
    if side_by_side:
        return _side_by_side(comparison, old, new, plain)
    if plain:
        return _plain_unified(diff)
    return Group(*(_styled_unified(hunk, old, new) for hunk in diff.hunks))
