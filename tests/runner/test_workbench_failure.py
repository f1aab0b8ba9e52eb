"""A failure of the workbench is never blamed on the learner.

When the runner's driver cannot even start (it fails to import, as it did on Windows when
it imported `resource`), the result says the workbench failed, with the reason, and the
command lines exit 2; a program that kills its own interpreter is still the program's fault.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.cli import run_tool
from workbench.paths import installed_root
from workbench.runner import execute as execute_module
from workbench.runner.execute import CRASH, WORKBENCH_FAILED, Runnable, execute

BROKEN_DRIVER = Path(__file__).resolve().parents[1] / "testkit" / "broken_driver"


def program(source: str) -> Runnable:
    return Runnable(
        name="step 03",
        source_path=installed_root() / "steps" / "03_pretend.py",
        source=source,
        parameters_expression="parameter_data",
    )


def test_a_driver_that_cannot_start_is_the_workbenchs_failure(
    names_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "driver.py"
    broken.write_text("import a_module_this_laptop_lacks\n", encoding="utf-8")
    monkeypatch.setattr(execute_module, "DRIVER", broken)
    result = execute(program("parameter_data = [1.0]\n"), names_file, timeout=60)
    assert result.status == WORKBENCH_FAILED
    assert result.error == (
        "the workbench failed: its driver could not start the program "
        "(ModuleNotFoundError: No module named 'a_module_this_laptop_lacks')"
    )


def test_a_program_that_ends_its_own_interpreter_is_still_the_programs_fault(names_file: Path) -> None:
    result = execute(program("import os\nos._exit(3)\n"), names_file, timeout=60)
    assert result.status == CRASH
    assert result.error == "steps/03_pretend.py ended without finishing (exit status 3)"


@pytest.fixture
def broken_driver_environment(tmp_path: Path, make_seeded_cache: Callable[..., Path]) -> dict[str, str]:
    """Commands whose runner's driver fails to import, with a private cache (no cached run
    may stand in for the run that fails)."""
    cache = make_seeded_cache(tmp_path)
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    environment.pop("MICROGPT_NAMES_FILE", None)
    environment["PYTHONPATH"] = os.pathsep.join([str(BROKEN_DRIVER), *filter(None, [os.environ.get("PYTHONPATH")])])
    return environment


def test_run_step_exits_2_and_says_the_workbench_failed(
    broken_driver_environment: dict[str, str], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.py"
    shutil.copyfile(installed_root() / "steps" / next((installed_root() / "steps").glob("03_*.py")).name, mine)
    completed = run_tool(
        "run_step", str(mine), "--as", "03", "--profile", "quick", environment=broken_driver_environment
    )
    assert completed.returncode == 2, completed.stdout + completed.stderr
    said = " ".join(completed.stdout.split())
    assert (
        "WORKBENCH-FAILED the workbench failed: its driver could not start the program (ModuleNotFoundError: import of runpy halted"
        in said
    )
    assert "ended without finishing" not in said


def test_workshop_check_exits_2_and_says_the_workbench_failed(
    broken_driver_environment: dict[str, str], tmp_path: Path
) -> None:
    workspace = ["--workspace", str(tmp_path / "workspace")]
    assert run_tool("workshop", *workspace, "start", "03", environment=broken_driver_environment).returncode == 0
    completed = run_tool("workshop", *workspace, "check", environment=broken_driver_environment)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    said = " ".join(completed.stderr.split())
    assert (
        said.startswith("error: ")
        and "the workbench failed: its driver could not start the program (ModuleNotFoundError" in said
    )
    assert "Traceback" not in completed.stderr
