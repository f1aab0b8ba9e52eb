"""Fixtures for the workshop's tests: one private runner cache for the whole session (so
reference runs are made once), temporary workspaces, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.console import make_console
from workbench.project import open_project
from workbench.workshop.commands import Session
from workbench.workshop.workspace import Workspace
from workshop_support import PROJECT_ROOT, WORKSHOP


@pytest.fixture(scope="session", autouse=True)
def shared_runner_cache(
    tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]
) -> Iterator[Path]:
    """One private runner cache for every workshop test: nothing is written into the
    repository's cache, and a reference run made by one test (or, through the session's
    shared run cache, by any test) serves the next."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("workshop-runner"), share_runs=True)
    saved = {
        name: os.environ.get(name) for name in ("MICROGPT_WORKBENCH_CACHE", "MICROGPT_NAMES_FILE", "MICROGPT_WORKSPACE")
    }
    os.environ["MICROGPT_WORKBENCH_CACHE"] = str(cache)
    os.environ.pop("MICROGPT_NAMES_FILE", None)
    os.environ.pop("MICROGPT_WORKSPACE", None)
    yield cache
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def workspace_directory(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def run_workshop(workspace_directory: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_workshop("start", "07", stdin=None) -> the finished CLI process (plain output)."""

    def run(
        *arguments: str, stdin: str | None = None, workspace: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(WORKSHOP), "--workspace", str(workspace or workspace_directory), *arguments]
        return subprocess.run(command, cwd=PROJECT_ROOT, input=stdin, capture_output=True, text=True, timeout=600)

    return run


@pytest.fixture
def session(workspace_directory: Path) -> Session:
    """A session writing plain text into a string buffer (session.out.file.getvalue())."""
    import io

    return Session(
        project=open_project(PROJECT_ROOT),
        workspace=Workspace(workspace_directory),
        out=make_console(file=io.StringIO(), no_color=True),
        err=make_console(file=io.StringIO(), no_color=True),
    )
