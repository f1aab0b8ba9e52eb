"""A small world of fake programs around a three-step plan, in a temporary project."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from testkit.cli import run_tool
from testkit.fakes import FAKE_ORIGINAL, plan_text
from workbench.programs import Program, attempt_program, original_program, step_program
from workbench.project import Project, open_project
from workbench.runner.check import check_targets
from workbench.runner.dataset import STANDARD_NAMES_SHA256, Dataset
from workbench.runner.execute import RunResult
from workbench.runner.results import CheckReport
from workbench.runner.schedule import PlannedRun
from workbench.runner.settings import CheckSettings, make_settings


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
        path = self.project.plan.step_path(self.project.plan.step(number))
        path.write_text(source, encoding="utf-8")
        return path

    def write_attempt(self, name: str, source: str) -> Path:
        path = self.root / name
        path.write_text(source, encoding="utf-8")
        return path

    def original(self) -> Program:
        return original_program(self.project.plan)

    def step(self, number: int) -> Program:
        return step_program(self.project.plan, self.project.plan.step(number))

    def attempt(self, path: Path, as_step: str) -> Program:
        return attempt_program(self.project.plan, path, as_step)

    def settings(self, profile: str = "full", assignments: Sequence[str] = (), **options: object) -> CheckSettings:
        return make_settings(
            self.project, profile=profile, assignments=assignments, dataset=self.dataset, jobs=2, **options
        )  # type: ignore[arg-type]

    def check(self, *targets: Program, settings: CheckSettings | None = None) -> CheckReport:
        self.observer = RecordingObserver()
        return check_targets(self.project, list(targets), settings or self.settings(), self.observer)

    def run_cli(self, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_tool("run_step", "--plan", str(self.plan_path), *arguments, timeout=timeout)


def make_world(
    root: Path, names_file: Path, cache: Path, levels: tuple[str, str, str] = ("bit", "print", "bit")
) -> FakeWorld:
    """A project at `root`: the fake original, a plan whose steps live in root/steps, golden
    files in root/golden (the project treats the plan as its own), and `cache`."""
    original = root / "fake_original.py"
    original.write_text(FAKE_ORIGINAL, encoding="utf-8")
    plan_path = root / "plan.toml"
    plan_path.write_text(plan_text(original, root / "steps", levels), encoding="utf-8")
    (root / "steps").mkdir()
    opened = open_project(root, plan_path, cache=cache)
    project = Project(root=root, plan=opened.plan, golden_directory=root / "golden", cache=cache)
    dataset = Dataset(path=names_file, sha256=STANDARD_NAMES_SHA256, origin="test")
    return FakeWorld(root=root, plan_path=plan_path, project=project, dataset=dataset)
