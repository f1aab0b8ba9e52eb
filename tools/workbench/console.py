"""One way to make a rich Console for every tool: styled on a terminal, plain when piped.

Plain means: no colour, no live widgets, no box-drawing that depends on terminal width
beyond what a pipe can hold. `--no-color` forces plain output on a terminal too, and the
NO_COLOR environment variable (https://no-color.org) is honoured by rich itself.

A stream whose encoding cannot write every character (a Windows console piped in cp1252,
LANG=C) gets ASCII stand-ins instead of a UnicodeEncodeError: ✔ becomes "ok", ✘ "x",
— "-" (`tolerate_any_encoding`). Rich draws boxes in ASCII there by itself.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "identical": "bold green",
        "differs": "bold red",
        "error": "bold red",
        "warning": "yellow",
        "muted": "dim",
        "step": "bold cyan",
        "commit": "bold",
        "added": "green",
        "removed": "red",
        "changed": "yellow",
    }
)

ASCII_STAND_INS = {
    "✔": "ok",
    "✓": "ok",
    "✅": "ok",
    "✘": "x",
    "✗": "x",
    "❌": "x",
    "—": "-",
    "–": "-",
    "…": "...",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "×": "x",
    "·": ".",
    "•": "*",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    "±": "+/-",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "«": '"',
    "»": '"',
    "─": "-",
    "━": "-",
    "│": "|",
    "┃": "|",
    "╭": "+",
    "╮": "+",
    "╰": "+",
    "╯": "+",
    "┌": "+",
    "┐": "+",
    "└": "+",
    "┘": "+",
    "├": "+",
    "┤": "+",
    "┬": "+",
    "┴": "+",
    "┼": "+",
    "█": "#",
    "▏": "|",
    "▎": "|",
    "▍": "|",
    "▌": "|",
    "▋": "|",
    "▊": "|",
    "▉": "#",
    "░": ".",
    "▒": ":",
    "▓": "#",
}
"""What a character becomes on a stream that cannot encode it; anything else becomes "?"."""
STAND_IN_ERRORS = "workbench-ascii-stand-ins"
"""The codec error handler that writes ASCII_STAND_INS (registered below)."""


def _stand_ins(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ASCII_STAND_INS.get(character, "?") for character in text), error.end


codecs.register_error(STAND_IN_ERRORS, _stand_ins)


def tolerate_any_encoding(stream: object) -> None:
    """Make a text stream write ASCII stand-ins for the characters its encoding lacks,
    instead of raising UnicodeEncodeError (a no-op for UTF-8 streams and non-text streams)."""
    if not isinstance(stream, io.TextIOWrapper):
        return
    encoding = codecs.lookup(stream.encoding or "utf-8").name
    if encoding.startswith("utf") or stream.errors not in ("strict", "surrogateescape"):
        return
    try:
        stream.reconfigure(errors=STAND_IN_ERRORS)
    except (ValueError, OSError):  # closed, or already written to in an incompatible way
        pass


PLAIN_WIDTH = 100
"""Width used when output is not a terminal, so piped text wraps predictably."""


def make_console(*, file: TextIO | None = None, no_color: bool = False, stderr: bool = False) -> Console:
    """A Console for a command-line tool.

    On a terminal: colours and live widgets. Not a terminal, or `no_color`: plain text at a
    fixed width, no colour codes, no cursor movement.
    """
    stream = file if file is not None else (sys.stderr if stderr else sys.stdout)
    tolerate_any_encoding(stream)
    is_terminal = bool(getattr(stream, "isatty", lambda: False)())
    if is_terminal and not no_color:
        return Console(file=stream, theme=THEME, highlight=False)
    return Console(
        file=stream,
        theme=THEME,
        highlight=False,
        color_system=None,
        force_terminal=False,
        force_interactive=False,
        width=PLAIN_WIDTH,
        emoji=False,
        no_color=True,
    )


def is_plain(console: Console) -> bool:
    """True when the console writes plain text (piped, or --no-color)."""
    return console.color_system is None or not console.is_terminal
