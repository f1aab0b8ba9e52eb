#!/usr/bin/env python3
"""Workshop mode: walk the eleven commits yourself, with a verdict per claim, graded hints
and the first place where your program departs from the reference.

A thin launcher: the command line lives in workbench.workshop.command; `python tools/workshop.py --help`
explains it.
"""

from __future__ import annotations

import os
import sys

try:
    from workbench.errors import run_command_line
    from workbench.workshop.command import main
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(run_command_line(main))
