#!/usr/bin/env python3
"""Check Python files against the workbench's data-oriented style rules.

A thin launcher: the command line is workbench.lint.command (`python tools/lint_style.py
--help` explains it). Its --steps acts on the checkout holding this file; installed,
`microgpt-lint` (and `python -m workbench.lint`, the pre-commit hook) run the same command
line, checking files in any project.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from workbench.errors import run_command_line
    from workbench.lint import command
except ModuleNotFoundError as missing:
    print(
        f"error: the workbench is not installed in this Python ({missing.name} is missing): "
        'run `python -m pip install -e ".[test]"` in the project folder, then try again',
        file=sys.stderr,
    )
    sys.exit(2)

CHECKOUT = Path(__file__).resolve().parent.parent
"""This tool's own checkout: the project --steps acts on unless --project names another."""


def main(arguments: list[str] | None = None) -> int:
    return command.main(arguments, root=CHECKOUT)


if __name__ == "__main__":
    command.stop_on_termination()
    sys.exit(run_command_line(main))
