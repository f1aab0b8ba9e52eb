"""What the runner checks: the original, a step of the plan, or any file standing in for a step.

A Project says where things are (the plan, the steps, golden files, the cache); tests make
one from a small plan and temporary directories. A Target is one program to check, with
what the plan says about it: its level, its parameters expression, its predecessor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import GOLDEN_DIRECTORY, STEPS_DIRECTORY, cache_directory
from workbench.plan import Plan, Step
from workbench.step_files import Snapshot, require_file, resolve_snapshot, valid_names

ALL = "all"


@dataclass(frozen=True)
class Project:
    plan: Plan
    steps_directory: Path = STEPS_DIRECTORY
    golden_directory: Path | None = GOLDEN_DIRECTORY
    """Where the original's golden files live; None for a plan that has none (another plan)."""
    cache: Path = field(default_factory=cache_directory)

    def step_path(self, step: Step) -> Path:
        return self.steps_directory / step.file_name


@dataclass(frozen=True)
class Target:
    """One program to check: a snapshot of the plan (the original or a step, at any path),
    with the expression that reads its final parameters."""

    snapshot: Snapshot
    parameters_expression: str
    attempt: bool = False
    """True for a file checked `--as` a step: not the plan's own file."""

    @property
    def label(self) -> str:
        """'original' or the step's two digits, '07'."""
        return self.snapshot.label

    @property
    def path(self) -> Path:
        return self.snapshot.path

    @property
    def step(self) -> Step | None:
        return self.snapshot.step

    @property
    def title(self) -> str:
        """'original', 'step 07', or 'attempt.py as step 07'."""
        return f"{self.path.name} as {self.snapshot.title}" if self.attempt else self.snapshot.title

    @property
    def level(self) -> str:
        return "bit" if self.step is None else self.step.level

    @property
    def commit(self) -> str:
        return self.snapshot.commit

    @property
    def step_number(self) -> int | None:
        return None if self.step is None else self.step.number

    @property
    def sort_key(self) -> int:
        return self.snapshot.number

    def exists(self) -> bool:
        return self.snapshot.exists()


def original_target(project: Project) -> Target:
    return Target(Snapshot(None, project.plan.original_path), project.plan.original_parameters)


def step_target(project: Project, step: Step) -> Target:
    return Target(Snapshot(step, project.step_path(step)), step.parameters)


def resolve_target(project: Project, name: str) -> Target:
    """'original', '7' or '07' as a Target whose file exists; a clear error otherwise."""
    try:
        snapshot = resolve_snapshot(project.plan, name)
    except WorkbenchError:
        raise WorkbenchError(
            f"'{name}' is not a target; name one of {valid_names(project.plan)}, or {ALL}, "
            "or a file with --as NN"
        ) from None
    target = original_target(project) if snapshot.step is None else step_target(project, snapshot.step)
    require_file(target.snapshot)
    return target


def attempt_target(project: Project, path: Path, as_name: str) -> Target:
    """Any file, checked as if it were step `as_name` (its level, parameters and renames)."""
    try:
        role = resolve_snapshot(project.plan, as_name)
    except WorkbenchError:
        raise WorkbenchError(f"--as '{as_name}' is not a step; valid steps are {valid_names(project.plan)}") from None
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise WorkbenchError(f"the file to check, {path}, {what}")
    expression = project.plan.original_parameters if role.step is None else role.step.parameters
    return Target(Snapshot(role.step, path.resolve()), expression, attempt=True)


def predecessor_of(project: Project, target: Target) -> Target | None:
    """The program whose final parameters a step's must match: the previous step, or the
    original for step 01. None for the original itself."""
    if target.step is None:
        return None
    previous = project.plan.predecessor(target.step.number)
    return original_target(project) if previous is None else step_target(project, previous)


def plan_targets(project: Project) -> tuple[list[Target], list[Target]]:
    """(targets whose file exists, steps whose file does not exist yet), in plan order."""
    every = [original_target(project), *(step_target(project, step) for step in project.plan.steps)]
    return [target for target in every if target.exists()], [target for target in every if not target.exists()]

