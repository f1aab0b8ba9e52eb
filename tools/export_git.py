#!/usr/bin/env python3
"""Export the refactoring as a real git repository: one commit per step, the original first.

A thin launcher: the command line lives in workbench.git_export_command; `python tools/export_git.py --help`
explains it.
"""

from __future__ import annotations

import sys

try:
    from workbench.errors import run_command_line
    from workbench.git_export_command import main
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    sys.exit(run_command_line(main))
