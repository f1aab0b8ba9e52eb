"""The tools' and the tests' own code pass ruff, as configured in pyproject.toml ([tool.ruff]):
the linter (`ruff check`) and the formatter (`ruff format --check`). The snapshots are
excluded there: their style is the brief's, checked by tools/lint_style.py."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.paths import installed_root

PROJECT_ROOT = installed_root()
CHECKED = ("tools", "tests")


def ruff(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`ruff ARGUMENTS` from the project root: the ruff of this Python, else the one on PATH."""
    if importlib.util.find_spec("ruff") is not None:
        command = [sys.executable, "-m", "ruff"]
    else:
        executable = shutil.which("ruff")
        if executable is None:
            pytest.skip('ruff is not installed: python -m pip install -e ".[test]"')
        command = [executable]
    return subprocess.run(
        [*command, *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_ruff_check_passes() -> None:
    process = ruff("check", "--no-cache", *CHECKED)
    assert process.returncode == 0, process.stdout + process.stderr


def test_ruff_format_leaves_the_code_as_it_is() -> None:
    process = ruff("format", "--check", "--no-cache", *CHECKED)
    assert process.returncode == 0, process.stdout + process.stderr


def test_the_snapshots_are_not_ruffs() -> None:
    """original/, steps/ and beyond/ keep the brief's style: ruff is told to leave them."""
    process = ruff("check", "--no-cache", "--show-files", ".")
    listed = {
        Path(line.strip()).relative_to(PROJECT_ROOT).parts[0]
        for line in process.stdout.splitlines()
        if line.strip().endswith(".py")
    }
    assert listed and not listed & {"original", "steps", "beyond"}, listed
