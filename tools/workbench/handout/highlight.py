"""Syntax-highlighted code lines for the pages, with the diff's changed tokens marked.

A file is lexed as a whole (so a docstring spanning lines stays a string), then cut into
lines of pieces: (CSS class, text, changed). The templates escape the text; this module
never writes HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pygments.lexers.python import PythonLexer  # type: ignore[import-untyped]  # no stubs shipped
from pygments.token import STANDARD_TYPES, _TokenType  # type: ignore[import-untyped]

from workbench.diffview.textdiff import DiffLine, Hunk, TextDiff


@dataclass(frozen=True)
class Piece:
    css_class: str
    """A short token class ('k' keyword, 'nf' function name, 's2' string, '' plain)."""
    text: str
    changed: bool


@dataclass(frozen=True)
class CodeLine:
    kind: str
    """'context', 'removed' or 'added'."""
    number: int | None
    pieces: tuple[Piece, ...]
    paired: bool
    old_number: int | None = None
    """The line's number in the older file (context and removed lines of a diff)."""
    new_number: int | None = None
    """The line's number in the newer file (context and added lines of a diff)."""


@dataclass(frozen=True)
class CodeRow:
    old: CodeLine | None
    new: CodeLine | None


@dataclass(frozen=True)
class CodeHunk:
    header: str
    rows: tuple[CodeRow, ...]
    lines: tuple[CodeLine, ...]


def _css_class(token_type: _TokenType) -> str:
    while token_type not in STANDARD_TYPES and token_type.parent is not None:
        token_type = token_type.parent
    return str(STANDARD_TYPES.get(token_type, ""))


def highlight_lines(lines: Sequence[str]) -> list[list[tuple[str, str]]]:
    """Each line as (css class, text) tokens; joining the texts gives the line back."""
    return [list(line) for line in _highlighted(tuple(lines))]


@lru_cache(maxsize=32)
def _highlighted(lines: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """A file is the newer side of one step and the older side of the next: lex it once."""
    code = "\n".join(lines) + "\n"
    result: list[list[tuple[str, str]]] = [[]]
    for token_type, value in PythonLexer(stripnl=False, ensurenl=False).get_tokens(code):
        css = _css_class(token_type)
        parts = value.split("\n")
        for index, part in enumerate(parts):
            if index > 0:
                result.append([])
            if part:
                result[-1].append((css, part))
    del result[len(lines) :]
    while len(result) < len(lines):
        result.append([])
    return tuple(tuple(line) for line in result)


def source_lines(lines: Sequence[str]) -> tuple[CodeLine, ...]:
    """A whole file as numbered, highlighted lines (for the full-source pages)."""
    return tuple(
        CodeLine(kind="context", number=number, pieces=_pieces(tokens, ()), paired=False)
        for number, tokens in enumerate(highlight_lines(lines), start=1)
    )


def _pieces(tokens: Sequence[tuple[str, str]], spans: Sequence[tuple[int, int]]) -> tuple[Piece, ...]:
    """Cut the tokens at the changed spans' edges, marking the pieces inside a span."""
    pieces: list[Piece] = []
    position = 0
    for css, text in tokens:
        cuts = sorted(
            {0, len(text), *(edge - position for span in spans for edge in span if 0 < edge - position < len(text))}
        )
        for start, end in zip(cuts, cuts[1:]):
            middle = position + start
            changed = any(first <= middle < last for first, last in spans)
            if pieces and pieces[-1].css_class == css and pieces[-1].changed == changed:
                pieces[-1] = Piece(css, pieces[-1].text + text[start:end], changed)
            else:
                pieces.append(Piece(css, text[start:end], changed))
        position += len(text)
    return tuple(pieces)


class HighlightedDiff:
    """Both sides of a diff, highlighted as whole files, turned into code lines on demand."""

    def __init__(self, old_lines: Sequence[str], new_lines: Sequence[str]) -> None:
        self._old = highlight_lines(old_lines)
        self._new = highlight_lines(new_lines)

    def line(self, line: DiffLine, *, old_side: bool) -> CodeLine:
        if old_side or line.new_number is None:
            assert line.old_number is not None
            tokens, number = self._old[line.old_number - 1], line.old_number
        else:
            tokens, number = self._new[line.new_number - 1], line.new_number
        spans = line.changed_spans if line.kind != "context" else ()
        return CodeLine(
            kind=line.kind,
            number=number,
            pieces=_pieces(tokens, spans),
            paired=bool(spans),
            old_number=line.old_number,
            new_number=line.new_number,
        )

    def hunk(self, hunk: Hunk) -> CodeHunk:
        rows = tuple(
            CodeRow(
                None if row.old is None else self.line(row.old, old_side=True),
                None if row.new is None else self.line(row.new, old_side=False),
            )
            for row in hunk.rows
        )
        lines = tuple(self.line(line, old_side=line.kind == "removed") for line in hunk.lines)
        return CodeHunk(header=hunk.header, rows=rows, lines=lines)

    def hunks(self, diff: TextDiff) -> tuple[CodeHunk, ...]:
        return tuple(self.hunk(hunk) for hunk in diff.hunks)


def highlighted_diff(old_lines: Sequence[str], new_lines: Sequence[str], diff: TextDiff) -> tuple[CodeHunk, ...]:
    return HighlightedDiff(old_lines, new_lines).hunks(diff)
