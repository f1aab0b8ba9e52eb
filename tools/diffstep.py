#!/usr/bin/env python3
"""Walk the refactoring one commit at a time: the story of a step, what changed, and the diff.

A thin launcher: the command line is workbench.diffview.command (`python tools/diffstep.py --help`
explains it). It acts on the checkout holding this file; installed, `microgpt-diffstep` runs
the same command line on the project found from the current folder upward.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from workbench.diffview import command
    from workbench.errors import run_command_line
except ImportError as missing:
    # On an older Python the import fails first: say which Python is needed (ruff's UP036
    # would drop this branch, which exists exactly for the Pythons it assumes away).
    if sys.version_info < (3, 11):  # noqa: UP036
        print(
            f"error: the workbench needs Python 3.11 or newer, and this is Python {sys.version.split()[0]}; install 3.11, 3.12 or 3.13 from python.org",
            file=sys.stderr,
        )
    else:
        print(
            f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder",
            file=sys.stderr,
        )
    raise SystemExit(2) from None

CHECKOUT = Path(__file__).resolve().parent.parent
"""This tool's own checkout: the project it acts on unless --project names another."""


def main(arguments: list[str] | None = None) -> int:
    return command.main(arguments, root=CHECKOUT)


if __name__ == "__main__":
    sys.exit(run_command_line(main))
