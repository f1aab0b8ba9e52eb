"""What every command line of the workbench shares: --format with the old flags as aliases,
--no-color, one-sentence usage errors with exit status 2, and a clear word when the
workbench is not installed."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from testkit.cli import run_tool
from workbench.paths import installed_root

TOOLS_WITH_FORMATS = {
    "run_step": ("text", "json", "markdown"),
    "diffstep": ("text", "json", "markdown", "html", "svg"),
    "export_git": ("text", "json", "markdown"),
}


@pytest.mark.parametrize("tool", sorted(TOOLS_WITH_FORMATS))
def test_help_offers_format_and_no_color(tool: str) -> None:
    process = run_tool(tool, "--help")
    assert process.returncode == 0, process.stderr
    flat = " ".join(process.stdout.split())
    assert "--format" in flat and "--no-color" in flat
    assert "{" + ",".join(TOOLS_WITH_FORMATS[tool]) + "}" in flat


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("run_step", ("07", "--json", "--format", "markdown")),
        ("diffstep", ("07", "--format", "yaml")),
        ("export_git", ("somewhere", "--format", "yaml")),
    ],
)
def test_a_bad_format_is_one_sentence_and_exit_2(tool: str, arguments: tuple[str, ...]) -> None:
    process = run_tool(tool, *arguments)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "--format" in lines[0]


@pytest.mark.parametrize("tool", ("run_step", "diffstep", "export_git", "workshop", "handout"))
def test_without_the_installed_workbench_the_tool_says_how_to_install_it(tool: str) -> None:
    """-I -S: no site-packages (so no rich, no libcst) and not even the script's folder."""
    process = run_tool(tool, "--help", interpreter_options=("-I", "-S"))
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and "the workbench is not installed" in lines[0] and "python -m pip install -e ." in lines[0]
    assert "Traceback" not in process.stderr


# Every tool from its command line: --help, and one bad argument.

ALL_TOOLS = ("run_step", "diffstep", "export_git", "workshop", "handout", "lint_style")

BAD_ARGUMENTS = {
    "run_step": ("07", "--profile", "quick", "--jobs", "two"),
    "diffstep": ("07", "--context", "-1"),
    "export_git": ("somewhere", "--allow-missing", "--frobnicate"),
    "workshop": ("hint", "--frobnicate"),
    "handout": ("site", "--run", "never"),
    "lint_style": ("--frobnicate",),
}


@pytest.mark.parametrize("tool", ALL_TOOLS)
def test_every_tool_explains_itself_with_help(tool: str) -> None:
    process = run_tool(tool, "--help")
    assert process.returncode == 0, process.stderr
    assert (
        process.stdout.startswith(f"usage: {tool}.py")
        and "--no-color" in process.stdout
        and "--project" in process.stdout
    )
    assert process.stderr == ""


@pytest.mark.parametrize("tool", ALL_TOOLS)
def test_every_tool_refuses_a_bad_argument_in_one_sentence(tool: str) -> None:
    process = run_tool(tool, *BAD_ARGUMENTS[tool])
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith("(see --help)"), process.stderr
    assert process.stdout == ""


def test_the_runner_gives_the_originals_full_run_as_the_readme_does() -> None:
    flat = " ".join(run_tool("run_step", "--help").stdout.split())
    assert "about 4 minutes on a 2-core machine" in flat


# The project a command line acts on.

CONSOLE_COMMANDS = {
    "microgpt-run-step": "workbench.runner.command",
    "microgpt-diffstep": "workbench.diffview.command",
    "microgpt-lint": "workbench.lint.command",
    "microgpt-workshop": "workbench.workshop.command",
    "microgpt-handout": "workbench.handout.launch",
    "microgpt-export": "workbench.git_export_command",
}


def test_pyproject_declares_a_console_command_for_every_tool(project_root: Path) -> None:
    scripts = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {name: f"{module}:console_main" for name, module in CONSOLE_COMMANDS.items()}
    for module in CONSOLE_COMMANDS.values():
        assert callable(importlib.import_module(module).console_main)


def run_console_command(name: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console command `name` as pip installs it from this checkout (its entry point with
    this checkout's package on the path), run in `cwd`."""
    module = CONSOLE_COMMANDS[name]
    environment = {**os.environ, "PYTHONPATH": str(installed_root() / "tools")}
    return subprocess.run(
        [sys.executable, "-c", f"import sys; from {module} import console_main; sys.exit(console_main())", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )


@pytest.fixture
def copied_checkout(tmp_path: Path, project_root: Path) -> Path:
    """A copy of the checkout's plans, original and steps, whose first step has another
    commit message, and a folder inside it to run from."""
    copy = tmp_path / "copy"
    for folder in ("plans", "original", "steps"):
        shutil.copytree(project_root / folder, copy / folder)
    plan = copy / "plans" / "revised_plan.toml"
    text = plan.read_text(encoding="utf-8")
    first = tomllib.loads(text)["steps"][0]["commit"]
    plan.write_text(text.replace(first, "Flatten the copy's parameters", 1), encoding="utf-8")
    (copy / "steps" / "deeper").mkdir()
    return copy


def step_commits(process: subprocess.CompletedProcess[str]) -> list[str]:
    assert process.returncode == 0, process.stderr
    return [step["commit"] for step in json.loads(process.stdout)["steps"]]


def test_a_console_command_acts_on_the_project_it_is_run_in(copied_checkout: Path, project_root: Path) -> None:
    in_copy = step_commits(
        run_console_command("microgpt-diffstep", "--list", "--format", "json", cwd=copied_checkout / "steps" / "deeper")
    )
    assert "Flatten the copy's parameters" in in_copy
    installed = step_commits(run_console_command("microgpt-diffstep", "--list", "--format", "json", cwd=project_root))
    assert "Flatten the copy's parameters" not in installed and len(installed) == len(in_copy)


def test_project_names_the_project_from_anywhere(copied_checkout: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    process = run_console_command(
        "microgpt-diffstep", "--list", "--format", "json", "--project", str(copied_checkout), cwd=elsewhere
    )
    assert "Flatten the copy's parameters" in step_commits(process)


@pytest.mark.parametrize("name", sorted(set(CONSOLE_COMMANDS) - {"microgpt-lint"}))
def test_outside_any_project_a_console_command_says_so_in_one_sentence(name: str, tmp_path: Path) -> None:
    arguments = {
        "microgpt-run-step": ("original",),
        "microgpt-diffstep": ("--list",),
        "microgpt-workshop": ("list",),
        "microgpt-handout": (str(tmp_path / "site"),),
        "microgpt-export": (str(tmp_path / "repository"),),
    }[name]
    empty = tmp_path / "empty"
    empty.mkdir()
    process = run_console_command(name, *arguments, cwd=empty)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert (
        len(lines) == 1
        and lines[0].startswith("error: there is no workbench project in ")
        and "--project DIR" in lines[0]
    ), process.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "repository").exists()


def test_a_folder_that_is_not_a_project_is_refused_by_name(tmp_path: Path) -> None:
    process = run_console_command("microgpt-diffstep", "--list", "--project", str(tmp_path), cwd=tmp_path)
    assert process.returncode == 2
    assert (
        process.stderr.strip()
        == f"error: {tmp_path} is not a workbench project: it has no plans/revised_plan.toml and original/microgpt.py"
    )


def test_the_linter_checks_files_with_no_project_around(tmp_path: Path) -> None:
    """The pre-commit hook in another project: no workbench project, the configuration from
    the nearest pyproject.toml, the results cache outside that project."""
    (tmp_path / "pyproject.toml").write_text('[tool.lint_style]\nallowed-modules = ["dataclasses"]\n', encoding="utf-8")
    (tmp_path / "module.py").write_text("import dataclasses\nsquare = lambda value: value * value\n", encoding="utf-8")
    environment = {
        **os.environ,
        "PYTHONPATH": str(installed_root() / "tools"),
        "XDG_CACHE_HOME": str(tmp_path / "user-cache"),
    }
    environment.pop("MICROGPT_WORKBENCH_CACHE", None)
    process = subprocess.run(
        [sys.executable, "-m", "workbench.lint", "--format", "json", "module.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )
    assert process.returncode == 1, process.stderr
    assert [violation["name"] for violation in json.loads(process.stdout)["violations"]] == ["no-lambda"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["module.py", "pyproject.toml", "user-cache"]
    assert list((tmp_path / "user-cache" / "microgpt-workbench" / "lint").rglob("*.json"))
    steps = subprocess.run(
        [sys.executable, "-m", "workbench.lint", "--steps"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )
    assert steps.returncode == 2 and steps.stderr.startswith("error: there is no workbench project in ")


def test_a_launcher_acts_on_its_own_checkout_from_any_folder(tmp_path: Path) -> None:
    process = run_tool("diffstep", "--list", "--format", "json", cwd=tmp_path)
    assert len(step_commits(process)) > 1 and "Flatten the copy's parameters" not in process.stdout
