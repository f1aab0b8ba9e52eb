#!/usr/bin/env python3
"""Check Python files against the workbench's data-oriented style rules.

A thin entry point: the command line lives in workbench.lint.command. The workbench must
be installed (`python -m pip install -e .` in the project folder); nothing here edits
sys.path.
"""

from __future__ import annotations

import signal
import sys

try:
    from workbench.errors import run_command_line
    from workbench.lint.command import build_parser, main
except ModuleNotFoundError as missing:
    print(
        f"error: the workbench is not installed in this Python ({missing.name} is missing): "
        'run `python -m pip install -e ".[test]"` in the project folder, then try again',
        file=sys.stderr,
    )
    sys.exit(2)

__all__ = ["build_parser", "main"]


def _stop(signal_number: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C does: worker processes are stopped first."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(run_command_line(main))
