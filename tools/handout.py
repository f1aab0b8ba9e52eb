#!/usr/bin/env python3
"""Build the workshop's handout site: static pages with charts, browsable offline.

A thin launcher: the command line is workbench.handout.command (`python tools/handout.py --help`
explains it), started by workbench.handout.launch once the handout's libraries (an extra)
are known to be installed. It acts on the checkout holding this file; installed,
`microgpt-handout` runs the same command line on the project found from the current
folder upward.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from workbench.errors import run_command_line
    from workbench.handout import launch
    from workbench.handout.launch import HANDOUT_LIBRARIES
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

__all__ = ["HANDOUT_LIBRARIES", "main"]

CHECKOUT = Path(__file__).resolve().parent.parent
"""This tool's own checkout: the project it acts on unless --project names another."""


def main(arguments: list[str] | None = None) -> int:
    return launch.run(arguments, root=CHECKOUT)


if __name__ == "__main__":
    sys.exit(run_command_line(main))
