"""Line diffs as data, with token-level highlights inside replaced lines.

`diff_lines(old, new, context=3)` returns a TextDiff: hunks of numbered lines in unified
order (context, then the removed lines, then the added lines of each change) and, for the
same hunks, rows for a side-by-side view. Inside a block of replaced lines, difflib pairs
each old line with the most similar new line (in order); a paired line carries the
character spans of the tokens that differ, so a one-token change can be shown as exactly
that token.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class LineKind(StrEnum):
    CONTEXT = "context"
    REMOVED = "removed"
    ADDED = "added"


Span = tuple[int, int]
"""A half-open character range [start, end) within one line."""


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    text: str
    old_number: int | None
    """1-based line number in the older file (None for an added line)."""
    new_number: int | None
    changed_spans: tuple[Span, ...] = ()
    """For a line paired with its replacement: the spans of the tokens that differ."""
    paired: bool = False
    """True when this removed (added) line was matched with an added (removed) line."""

    @property
    def marker(self) -> str:
        return {LineKind.CONTEXT: " ", LineKind.REMOVED: "-", LineKind.ADDED: "+"}[self.kind]


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a side-by-side view; a side is None where that file has no line."""

    old: DiffLine | None
    new: DiffLine | None


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_length: int
    new_start: int
    new_length: int
    lines: tuple[DiffLine, ...]
    rows: tuple[SideBySideRow, ...]
    enclosing: str = ""
    """The nearest `def` or `class` line above the hunk in the older file, as git shows it."""

    @property
    def header(self) -> str:
        """'@@ -12,7 +12,9 @@' followed by the enclosing definition, if any."""
        ranges = f"@@ -{_range(self.old_start, self.old_length)} +{_range(self.new_start, self.new_length)} @@"
        return f"{ranges} {self.enclosing}" if self.enclosing else ranges


@dataclass(frozen=True)
class TextDiff:
    hunks: tuple[Hunk, ...]
    lines_added: int
    lines_removed: int

    @property
    def is_empty(self) -> bool:
        return not self.hunks


def _range(start: int, length: int) -> str:
    # The unified diff convention (as difflib and git write it): a range of one line is
    # just its number, and an empty range names the line before it.
    if length == 1:
        return str(start)
    return f"{start if length else start - 1},{length}"


_TOKEN = re.compile(
    r"""[A-Za-z_][A-Za-z0-9_]*      # identifiers and keywords
      | \d+(?:\.\d+)?(?:[eE][+-]?\d+)?  # numbers
      | \s+                           # runs of spaces
      | \*\*=?|//=?|->|:=|[=!<>]=|[-+*/%&|^@]=  # operators of two or three characters
      | .                             # anything else, one character at a time
    """,
    re.VERBOSE,
)


def tokenize(line: str) -> list[str]:
    """A line split into tokens for word-level comparison; joining them gives the line back."""
    return _TOKEN.findall(line)


def changed_token_spans(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The character spans of the tokens that differ, in `old` and in `new`.

    Adjacent changed tokens form one span. `x = linear(x)` against `x = linear_tape(x)`
    gives ((4, 10),) and ((4, 15),): exactly the renamed identifier.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    old_offsets, new_offsets = _offsets(old_tokens), _offsets(new_tokens)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, old_first, old_last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        if old_last > old_first:
            _add_span(old_spans, (old_offsets[old_first], old_offsets[old_last]))
        if new_last > new_first:
            _add_span(new_spans, (new_offsets[new_first], new_offsets[new_last]))
    return tuple(old_spans), tuple(new_spans)


def _offsets(tokens: Sequence[str]) -> list[int]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def _add_span(spans: list[Span], span: Span) -> None:
    if spans and spans[-1][1] == span[0]:
        spans[-1] = (spans[-1][0], span[1])
    else:
        spans.append(span)


PAIRING_THRESHOLD = 0.6
"""How alike a removed and an added line must be to pair them: difflib's ratio over their
tokens, spaces left out. Below it, a line counts as rewritten rather than edited."""


def _words(line: str) -> list[str]:
    return [token for token in tokenize(line) if not token.isspace()]


def pair_replaced_lines(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[tuple[int, int]]:
    """Pair lines of a replaced block: (index in old_lines, index in new_lines), in order.

    Each old line takes the most similar new line after the last pairing, if the two are
    at least PAIRING_THRESHOLD alike; the others stay unpaired (wholly removed or added).
    """
    pairs: list[tuple[int, int]] = []
    next_new = 0
    new_tokens = [_words(line) for line in new_lines]
    for old_index, old_line in enumerate(old_lines):
        old_tokens = _words(old_line)
        best_index, best_ratio = -1, PAIRING_THRESHOLD
        for new_index in range(next_new, len(new_lines)):
            matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens[new_index], autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best_index < 0):
                best_index, best_ratio = new_index, ratio
        if best_index >= 0:
            pairs.append((old_index, best_index))
            next_new = best_index + 1
    return pairs


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip())


def _enclosing_definition(lines: Sequence[str], first: int) -> str:
    """The def or class line whose body holds line index `first`, as git's hunk headers show.

    Only a definition indented less than the hunk's first non-blank line encloses it;
    a hunk in module-level code has no enclosing definition.
    """
    start = next((index for index in range(first, len(lines)) if lines[index].strip()), None)
    if start is None:
        return ""
    limit = _indentation(lines[start])
    for index in range(start - 1, -1, -1):
        line = lines[index]
        if not line.strip() or _indentation(line) >= limit:
            continue
        stripped = line.strip()
        if stripped.startswith(("def ", "class ", "async def ")):
            return stripped.rstrip(":")[:60]
        limit = _indentation(line)
        if limit == 0:
            return ""
    return ""


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]
"""difflib's (tag, old first, old last, new first, new last), 0-based, half-open."""


class _GivenOpcodes(difflib.SequenceMatcher[str]):
    """A matcher whose matching was decided elsewhere (by git): difflib groups it into hunks."""

    def __init__(self, opcodes: Sequence[Opcode]) -> None:
        super().__init__(None, [], [], autojunk=False)
        self._given = list(opcodes)

    def get_opcodes(self) -> list[Opcode]:
        return list(self._given)


def diff_lines(
    old_lines: Sequence[str], new_lines: Sequence[str], context: int = 3, opcodes: Sequence[Opcode] | None = None
) -> TextDiff:
    """The line diff from `old_lines` to `new_lines` with `context` unchanged lines around changes.

    `opcodes` (from workbench.diffview.gitdiff) uses another tool's matching of the lines
    instead of difflib's, so hunks and counts are exactly that tool's."""
    if context < 0:
        raise ValueError("context must be zero or more lines")
    matcher = (
        _GivenOpcodes(opcodes)
        if opcodes is not None
        else difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    )
    hunks: list[Hunk] = []
    added = removed = 0
    for group in matcher.get_grouped_opcodes(context):
        lines: list[DiffLine] = []
        rows: list[SideBySideRow] = []
        for tag, old_first, old_last, new_first, new_last in group:
            if tag == "equal":
                for offset in range(old_last - old_first):
                    line = DiffLine(
                        LineKind.CONTEXT, old_lines[old_first + offset], old_first + offset + 1, new_first + offset + 1
                    )
                    lines.append(line)
                    rows.append(SideBySideRow(line, line))
                continue
            block_lines, block_rows = _changed_block(old_lines, new_lines, old_first, old_last, new_first, new_last)
            lines.extend(block_lines)
            rows.extend(block_rows)
            removed += old_last - old_first
            added += new_last - new_first
        first_tag, old_start, _, new_start, _ = group[0]
        _, _, old_end, _, new_end = group[-1]
        del first_tag
        hunks.append(
            Hunk(
                old_start=old_start + 1,
                old_length=old_end - old_start,
                new_start=new_start + 1,
                new_length=new_end - new_start,
                lines=tuple(lines),
                rows=tuple(rows),
                enclosing=_enclosing_definition(old_lines, old_start),
            )
        )
    return TextDiff(hunks=tuple(hunks), lines_added=added, lines_removed=removed)


def _changed_block(
    old_lines: Sequence[str],
    new_lines: Sequence[str],
    old_first: int,
    old_last: int,
    new_first: int,
    new_last: int,
) -> tuple[list[DiffLine], list[SideBySideRow]]:
    """A replace, delete or insert block: unified lines (removed, then added) and aligned rows."""
    old_block, new_block = old_lines[old_first:old_last], new_lines[new_first:new_last]
    pairs = pair_replaced_lines(old_block, new_block)
    old_spans: dict[int, tuple[Span, ...]] = {}
    new_spans: dict[int, tuple[Span, ...]] = {}
    for old_index, new_index in pairs:
        old_spans[old_index], new_spans[new_index] = changed_token_spans(old_block[old_index], new_block[new_index])
    removed_lines = [
        DiffLine(LineKind.REMOVED, text, old_first + index + 1, None, old_spans.get(index, ()), index in old_spans)
        for index, text in enumerate(old_block)
    ]
    added_lines = [
        DiffLine(LineKind.ADDED, text, None, new_first + index + 1, new_spans.get(index, ()), index in new_spans)
        for index, text in enumerate(new_block)
    ]
    rows: list[SideBySideRow] = []
    old_cursor = new_cursor = 0
    for old_index, new_index in [*pairs, (len(old_block), len(new_block))]:
        # Unpaired lines before this pair: side by side where both sides have some.
        old_unpaired = removed_lines[old_cursor:old_index]
        new_unpaired = added_lines[new_cursor:new_index]
        for position in range(max(len(old_unpaired), len(new_unpaired))):
            rows.append(
                SideBySideRow(
                    old_unpaired[position] if position < len(old_unpaired) else None,
                    new_unpaired[position] if position < len(new_unpaired) else None,
                )
            )
        if old_index < len(old_block):
            rows.append(SideBySideRow(removed_lines[old_index], added_lines[new_index]))
        old_cursor, new_cursor = old_index + 1, new_index + 1
    return [*removed_lines, *added_lines], rows
