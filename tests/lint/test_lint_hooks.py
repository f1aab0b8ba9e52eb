"""The pre-commit hook this repository offers, this project's pre-commit configuration,
and the GitHub Actions workflow: valid by the tools' own rules, and they run what they say."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.lint.config import load_config
from workbench.paths import installed_root

PROJECT_ROOT = installed_root()
README_TEST_COMMAND = 'python -m pip install -e ".[test]" && python -m pytest'
GATE_COMMAND = "python tools/lint_style.py --steps --format github"
WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))

clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is in the test extra")


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    hooks = clientlib.load_manifest(str(PROJECT_ROOT / ".pre-commit-hooks.yaml"))
    assert {hook["id"] for hook in hooks} == {"lint-style", "lint-style-fix"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].startswith("python -m workbench.lint")


def test_the_hooks_entry_runs_the_linter(tmp_path: Path) -> None:
    (hook,) = [
        hook
        for hook in clientlib.load_manifest(str(PROJECT_ROOT / ".pre-commit-hooks.yaml"))
        if hook["id"] == "lint-style"
    ]
    dirty = tmp_path / "dirty.py"
    dirty.write_text("square = lambda value: value * value\n", encoding="utf-8")
    arguments = [sys.executable, *hook["entry"].split()[1:], "--no-cache", str(dirty)]
    completed = subprocess.run(arguments, capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 1 and "DOD404 no-lambda" in completed.stdout


def test_this_projects_pre_commit_configuration_is_valid() -> None:
    config = clientlib.load_config(str(PROJECT_ROOT / ".pre-commit-config.yaml"))
    entries = [hook["entry"] for repository in config["repos"] for hook in repository["hooks"]]
    assert "python tools/lint_style.py --steps" in entries


def _workflow(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_workflow_has_the_keys_github_requires() -> None:
    assert WORKFLOWS, "a workflow under .github/workflows"
    for path in WORKFLOWS:
        document = _workflow(path)
        triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
        assert triggers, f"{path.name}: 'on' names the events"
        assert isinstance(document["jobs"], dict) and document["jobs"]
        for name, job in document["jobs"].items():
            assert "runs-on" in job, f"{path.name}: job {name} needs runs-on"
            assert isinstance(job["steps"], list) and job["steps"]
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), (
                    f"{path.name}: every step either uses an action or runs a command"
                )


def test_the_workflow_runs_the_readme_test_command_and_the_gate() -> None:
    commands = [
        step["run"]
        for path in WORKFLOWS
        for job in _workflow(path)["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]
    assert README_TEST_COMMAND in commands
    assert GATE_COMMAND in commands
    assert README_TEST_COMMAND in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"), (
        "the command the README gives"
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_on_a_fresh_repository(tmp_path: Path) -> None:
    """pre-commit's own check: install the hook from this repository into a fresh
    environment (from the package index) and run it on a temporary repository."""
    repository = tmp_path / "repository"
    repository.mkdir()
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "dirty.py").write_text("square = lambda value: value * value\n", encoding="utf-8")
    (repository / "clean.py").write_text(
        "def square(value: float) -> float:\n    return value * value\n", encoding="utf-8"
    )
    subprocess.run(["git", "-C", str(repository), "add", "."], check=True)
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(PROJECT_ROOT), "lint-style", "--all-files"],
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=900,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert (
        "dirty.py:1:10 DOD404 no-lambda" in completed.stdout
        and "clean.py" not in completed.stdout.split("Failed")[-1].split("violation")[0]
    )


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_adoption_page_offers_real_hooks_a_valid_configuration_and_live_links(tmp_path: Path) -> None:
    """docs/linter.md: its pre-commit snippet names hooks the manifest has, its
    [tool.lint_style] example loads, and its links to other pages resolve."""
    page = (PROJECT_ROOT / "docs" / "linter.md").read_text(encoding="utf-8")
    offered = {hook["id"] for hook in clientlib.load_manifest(str(PROJECT_ROOT / ".pre-commit-hooks.yaml"))}
    (snippet,) = _fenced(page, "yaml")
    hooks = [hook["id"] for repository in yaml.safe_load(snippet)["repos"] for hook in repository["hooks"]]
    assert hooks and set(hooks) <= offered
    (configuration,) = _fenced(page, "toml")
    (tmp_path / "pyproject.toml").write_text(configuration, encoding="utf-8")
    loaded = load_config(tmp_path / "pyproject.toml")
    assert loaded.select is not None and "dataclasses" in loaded.extra_allowed_modules
    for link in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page):
        assert (PROJECT_ROOT / "docs" / link).is_file(), link
    assert 'python -m pip install -e ".[handout]"' in page
