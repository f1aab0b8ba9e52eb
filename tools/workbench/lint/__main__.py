"""`python -m workbench.lint`: the lint_style.py command line (the pre-commit hook's entry)."""

from __future__ import annotations

import sys

from workbench.errors import run_command_line
from workbench.lint.command import main

sys.exit(run_command_line(main))
