#!/usr/bin/env python3
"""Run a snapshot of microgpt and prove its output identical to the original's.

A thin launcher: the command line lives in workbench.runner.command; `python tools/run_step.py --help`
explains it.
"""

from __future__ import annotations

import sys

try:
    from workbench.errors import run_command_line
    from workbench.runner.command import interrupt_on_termination, main
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    interrupt_on_termination()
    sys.exit(run_command_line(main))
