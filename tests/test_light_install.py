"""The light install: the core dependencies are the linter's and the runner's (libcst and
rich); the handout's libraries are the `handout` extra. Every tool but the handout works
without them, and the handout says in one sentence how to install them."""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from testkit.cli import load_tool, run_tool
from workbench.paths import installed_root

BLOCKED = ("jinja2", "matplotlib")
"""The handout's libraries a light install lacks (pygments stays: rich depends on it)."""

LIGHT_TOOLS = ("run_step", "diffstep", "lint_style", "workshop", "export_git")


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower()


def _project() -> dict[str, object]:
    table = tomllib.loads((installed_root() / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert isinstance(table, dict)
    return table


@pytest.fixture(scope="module")
def light_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a light install: a sitecustomize that makes importing the
    handout's libraries fail, as when they are not installed."""
    folder = tmp_path_factory.mktemp("light")
    blocked = ", ".join(repr(name) for name in BLOCKED)
    (folder / "sitecustomize.py").write_text(
        f"import sys\nfor name in ({blocked},):\n    sys.modules[name] = None\n", encoding="utf-8"
    )
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(folder), str(installed_root() / "tools"), environment.get("PYTHONPATH", "")) if part
    )
    return environment


def test_the_core_dependencies_leave_the_handout_libraries_to_their_extra() -> None:
    project = _project()
    core = {_requirement_name(requirement) for requirement in project["dependencies"]}  # type: ignore[attr-defined]
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    handout = {_requirement_name(requirement) for requirement in extras["handout"]}
    assert set(load_tool("handout").HANDOUT_LIBRARIES) == handout
    assert not core & handout
    assert {"libcst", "rich"} <= core
    assert any(requirement.replace(" ", "").endswith("[handout]") for requirement in extras["test"]), (
        "the test extra must include the handout's libraries"
    )


def test_the_blocker_really_blocks(light_environment: dict[str, str]) -> None:
    process = subprocess.run(
        [sys.executable, "-c", "import jinja2"], env=light_environment, capture_output=True, text=True, check=False
    )
    assert process.returncode != 0 and "ModuleNotFoundError" in process.stderr


def test_every_library_module_outside_the_handout_imports_without_the_handout_libraries(
    light_environment: dict[str, str],
) -> None:
    import workbench

    names = [
        module.name
        for module in pkgutil.walk_packages(workbench.__path__, prefix="workbench.")
        if not module.name.startswith("workbench.handout") and not module.name.endswith(".__main__")
    ]
    assert "workbench.lint.engine" in names and "workbench.runner" in names
    script = "import importlib, sys\nfor name in sys.stdin.read().split():\n    importlib.import_module(name)\n"
    process = subprocess.run(
        [sys.executable, "-c", script],
        input="\n".join(names),
        env=light_environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr


@pytest.mark.parametrize("tool", LIGHT_TOOLS)
def test_the_light_tools_start_without_the_handout_libraries(tool: str, light_environment: dict[str, str]) -> None:
    process = run_tool(tool, "--help", environment=light_environment)
    assert process.returncode == 0, process.stderr


def test_the_linter_lints_without_the_handout_libraries(light_environment: dict[str, str], tmp_path: Path) -> None:
    """What the pre-commit hook runs: python -m workbench.lint."""
    (tmp_path / "tidy.py").write_text(
        "def add(first: int, second: int) -> int:\n    return first + second\n", encoding="utf-8"
    )
    (tmp_path / "untidy.py").write_text("f = lambda x: x\n", encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "workbench.lint", "--no-cache", "tidy.py", "untidy.py"],
        cwd=tmp_path,
        env=light_environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert process.returncode == 1, process.stderr
    assert "no-lambda" in process.stdout and "tidy.py:" not in process.stdout.replace("untidy.py:", "")


def test_the_handout_without_its_extra_says_how_to_install_it(
    light_environment: dict[str, str], tmp_path: Path
) -> None:
    process = run_tool("handout", str(tmp_path / "site"), environment=light_environment)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and 'python -m pip install -e ".[handout]"' in lines[0]
    assert "jinja2" in lines[0] and "Traceback" not in process.stderr
    assert not (tmp_path / "site").exists()
