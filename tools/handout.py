#!/usr/bin/env python3
"""Build the workshop's handout site: static pages with charts, browsable offline.

A thin launcher: the command line lives in workbench.handout.command; `python tools/handout.py --help`
explains it.
"""

from __future__ import annotations

import sys

try:
    from workbench.errors import run_command_line
    from workbench.handout.command import main
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    sys.exit(run_command_line(main))
