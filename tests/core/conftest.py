"""Fixtures for the runner's tests: a private cache seeded with the dataset, no network,
and a small world of fake programs around a three-step plan."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner_fakes import FAKE_ORIGINAL, plan_text
from workbench.batch import CheckReport, CheckSettings, PlannedRun, check_targets, make_settings
from workbench.dataset import STANDARD_NAMES_SHA256, Dataset
from workbench.execution import RunResult
from workbench.paths import PROJECT_ROOT
from workbench.plan import load_plan
from workbench.targets import Project, Target, attempt_target, original_target, step_target

RUN_STEP = PROJECT_ROOT / "tools" / "run_step.py"


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, make_seeded_cache: Callable[[Path], Path]
) -> Path:
    """Every test gets its own cache, seeded with the dataset: nothing is written into the
    repository and nothing is downloaded."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("isolated"))
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    monkeypatch.delenv("MICROGPT_NAMES_FILE", raising=False)
    return cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network: any attempt to connect a socket fails loudly."""

    def refuse(*arguments: object, **keywords: object) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class RecordingObserver:
    """Remembers which programs ran, to prove nothing runs twice."""

    def __init__(self) -> None:
        self.started_names: list[str] = []
        self.keys: list[str] = []

    def queued(self, run: PlannedRun) -> None:
        pass

    def started(self, run: PlannedRun) -> None:
        self.started_names.append(run.name)
        self.keys.append(run.key)

    def line(self, run: PlannedRun, text: str, seconds: float) -> None:
        pass

    def finished(self, run: PlannedRun, result: RunResult) -> None:
        pass


@dataclass
class FakeWorld:
    """A plan of three fake steps around a fake original, in a temporary directory."""

    root: Path
    plan_path: Path
    project: Project
    dataset: Dataset
    observer: RecordingObserver = field(default_factory=RecordingObserver)

    def write_step(self, number: int, source: str) -> Path:
        path = self.project.step_path(self.project.plan.step(number))
        path.write_text(source, encoding="utf-8")
        return path

    def write_attempt(self, name: str, source: str) -> Path:
        path = self.root / name
        path.write_text(source, encoding="utf-8")
        return path

    def original(self) -> Target:
        return original_target(self.project)

    def step(self, number: int) -> Target:
        return step_target(self.project, self.project.plan.step(number))

    def attempt(self, path: Path, as_step: str) -> Target:
        return attempt_target(self.project, path, as_step)

    def settings(self, profile: str = "full", assignments: Sequence[str] = (), **options: object) -> CheckSettings:
        return make_settings(self.project, profile=profile, assignments=assignments, dataset=self.dataset, jobs=2, **options)  # type: ignore[arg-type]

    def check(self, *targets: Target, settings: CheckSettings | None = None) -> CheckReport:
        self.observer = RecordingObserver()
        return check_targets(self.project, list(targets), settings or self.settings(), self.observer)

    def run_cli(self, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_cli("--plan", str(self.plan_path), *arguments, timeout=timeout)


def make_world(root: Path, names_file: Path, cache: Path, levels: tuple[str, str, str] = ("bit", "print", "bit")) -> FakeWorld:
    original = root / "fake_original.py"
    original.write_text(FAKE_ORIGINAL, encoding="utf-8")
    plan_path = root / "plan.toml"
    plan_path.write_text(plan_text(original, levels), encoding="utf-8")
    steps = root / "steps"
    steps.mkdir()
    project = Project(plan=load_plan(plan_path), steps_directory=steps, golden_directory=root / "golden", cache=cache)
    dataset = Dataset(path=names_file, sha256=STANDARD_NAMES_SHA256, origin="test")
    return FakeWorld(root=root, plan_path=plan_path, project=project, dataset=dataset)


@pytest.fixture
def world(tmp_path: Path, names_file: Path, isolated_cache: Path) -> FakeWorld:
    return make_world(tmp_path, names_file, isolated_cache)


@pytest.fixture
def print_level_world(tmp_path: Path, names_file: Path, isolated_cache: Path) -> FakeWorld:
    """The same world, but step 01 is declared at the print level."""
    return make_world(tmp_path, names_file, isolated_cache, levels=("print", "print", "bit"))


def run_cli(*arguments: str, timeout: float = 300, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    """`python tools/run_step.py ARGUMENTS`, as a user runs it (the environment carries the
    test's private cache)."""
    return subprocess.run(
        [sys.executable, str(RUN_STEP), *arguments],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=dict(os.environ), check=False,
    )
