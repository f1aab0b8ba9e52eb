"""One way to make a rich Console for every tool: styled on a terminal, plain when piped.

Plain means: no colour, no live widgets, no box-drawing that depends on terminal width
beyond what a pipe can hold. `--no-color` forces plain output on a terminal too, and the
NO_COLOR environment variable (https://no-color.org) is honoured by rich itself.
"""

from __future__ import annotations

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

PLAIN_WIDTH = 100
"""Width used when output is not a terminal, so piped text wraps predictably."""


def make_console(*, file: TextIO | None = None, no_color: bool = False, stderr: bool = False) -> Console:
    """A Console for a command-line tool.

    On a terminal: colours and live widgets. Not a terminal, or `no_color`: plain text at a
    fixed width, no colour codes, no cursor movement.
    """
    stream = file if file is not None else (sys.stderr if stderr else sys.stdout)
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
