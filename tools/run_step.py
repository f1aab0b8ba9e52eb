#!/usr/bin/env python3
"""Run a snapshot of microgpt and prove its output identical to the original's.

A thin launcher: the command line is workbench.runner.command (`python tools/run_step.py --help`
explains it). It acts on the checkout holding this file; installed, `microgpt-run-step` runs
the same command line on the project found from the current folder upward.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from workbench.errors import run_command_line
    from workbench.runner import command
except ImportError as missing:
    print(f"error: the workbench is not installed ({missing}); run `python -m pip install -e .` in the project folder", file=sys.stderr)
    raise SystemExit(2) from None

CHECKOUT = Path(__file__).resolve().parent.parent
"""This tool's own checkout: the project it acts on unless --project names another."""


def main(arguments: list[str] | None = None) -> int:
    return command.main(arguments, root=CHECKOUT)


if __name__ == "__main__":
    command.interrupt_on_termination()
    sys.exit(run_command_line(main))
