#!/usr/bin/env python3
"""Walk the refactoring one commit at a time: the story of a step, what changed, and the diff.

A thin launcher: the command line lives in workbench.diffview.command; `python tools/diffstep.py --help`
explains it.
"""

from __future__ import annotations

import sys

try:
    from workbench.errors import run_command_line
    from workbench.diffview.command import main
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    sys.exit(run_command_line(main))
