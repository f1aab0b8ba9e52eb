"""Typed end to end: mypy --strict accepts the tools, the workbench library and the final snapshot.

Type hints in step 11 are required by the linter (type-hints); that they are right is
mypy's job. Deselect with `-m "not typecheck"`.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from workbench.paths import installed_root
from workbench.plan import Plan

pytestmark = pytest.mark.typecheck


def test_mypy_strict_accepts_the_tools_and_the_final_snapshot(plan: Plan) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed: python -m pip install -e '.[test]'")
    final = plan.step_path(plan.last_step).relative_to(installed_root())
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "tools", str(final)],
        cwd=installed_root(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
