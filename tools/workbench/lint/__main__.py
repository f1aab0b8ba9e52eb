"""`python -m workbench.lint`: the lint_style.py command line (the pre-commit hook's entry)."""

from __future__ import annotations

import sys

from workbench.lint.command import console_main

sys.exit(console_main())
