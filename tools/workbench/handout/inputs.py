"""What the handout is built from: the project's plan as the pages tell it, and its input files.

Every function takes the plan data of one Project (workbench.project): the project's root,
its plan (`--plan` or its own) and its cache, never a root of its own. `input_files` names
every file the site depends on, as `--check` shows them: relative to the project.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import sha256_of_file
from workbench.plan import Plan, ReviewerNote
from workbench.programs import ORIGINAL
from workbench.project import Project
from workbench.runner import records

ORIGINAL_LABEL = ORIGINAL
PROFILES = records.PROFILES_BY_PREFERENCE


class HandoutSourceError(WorkbenchError):
    """An input of the handout cannot be used (missing plan, corrupt verdict record, ...)."""


@dataclass(frozen=True)
class StepStory:
    """One step of the plan, as the pages tell it."""

    label: str
    """'07'."""
    number: int
    slug: str
    file_name: str
    """'07_delete_value_class.py'."""
    file_path: Path
    phase: str
    commit: str
    what: str
    why: str
    reviewers: tuple[ReviewerNote, ...]
    level: str
    equivalence: str
    refinement: str | None
    layout: str | None
    renames: tuple[tuple[str, str], ...]
    contract_claims: tuple[str, ...]
    """The step's structural contract, each claim in words ('defines tape_backward')."""
    minutes: int | None
    """Estimated workshop minutes (the plan's `minutes`), when the plan has them."""
    facilitator_notes: str | None
    """Notes for the person running the workshop (the plan's `facilitator_notes`)."""


@dataclass(frozen=True)
class PlanData:
    """The project's plan as the pages tell it, with the project it belongs to."""

    project: Project
    steps: tuple[StepStory, ...]

    @property
    def plan(self) -> Plan:
        return self.project.plan

    @property
    def title(self) -> str:
        return self.plan.title

    @property
    def path(self) -> Path:
        """The plan file."""
        return self.plan.source_file

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def cache(self) -> Path:
        """The workbench cache holding the verdict records."""
        return self.project.cache

    @property
    def original_path(self) -> Path:
        return self.plan.original_path

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.plan.profiles)

    @property
    def lint_zero_from(self) -> dict[str, int]:
        return dict(self.plan.lint_zero_from)

    @property
    def labels(self) -> tuple[str, ...]:
        """'original', '01', ..., in plan order."""
        return (ORIGINAL_LABEL, *(step.label for step in self.steps))

    def step(self, label: str) -> StepStory:
        for story in self.steps:
            if story.label == label:
                return story
        raise HandoutSourceError(f"there is no step {label} in the plan")


def plan_data(project: Project) -> PlanData:
    """The project's plan, every step as the pages tell it."""
    plan = project.plan
    stories = tuple(
        StepStory(
            label=step.label,
            number=step.number,
            slug=step.slug,
            file_name=step.file_name,
            file_path=plan.step_path(step),
            phase=step.phase,
            commit=step.commit,
            what=step.what,
            why=step.why,
            reviewers=tuple(step.reviewers),
            level=step.level,
            equivalence=step.equivalence,
            refinement=step.refinement,
            layout=step.layout,
            renames=tuple(step.renames.items()),
            contract_claims=tuple(item.describe() for item in step.contract),
            minutes=step.minutes,
            facilitator_notes=step.facilitator_notes,
        )
        for step in plan.steps
    )
    return PlanData(project=project, steps=stories)


def snapshot_paths(plan: PlanData) -> dict[str, Path]:
    """'original' and every step label -> its file (which may not exist yet)."""
    return {ORIGINAL_LABEL: plan.original_path, **{story.label: story.file_path for story in plan.steps}}


def record_path(plan: PlanData, label: str, profile: str) -> Path:
    return records.verdict_path(plan.cache, label, profile)


def input_files(plan: PlanData) -> dict[str, Path]:
    """Every file the site is built from, by the name shown when it changes."""
    inputs: dict[str, Path] = {shown_path(plan, plan.path): plan.path}
    for path in snapshot_paths(plan).values():
        inputs[shown_path(plan, path)] = path
    for label in plan.labels:
        for profile in PROFILES:
            inputs[f"verdict record {label}.{profile}"] = record_path(plan, label, profile)
    return inputs


def file_sha256(path: Path) -> str | None:
    try:
        return sha256_of_file(path)
    except OSError:
        return None


def shown_path(plan: PlanData, path: Path) -> str:
    """A path as the site records it: relative to the project root (with `..` when outside
    it), never absolute, so a published site holds no folder of the facilitator's machine."""
    return relative_to(path, plan.root)


def relative_to(path: Path, folder: Path) -> str:
    """`path` relative to `folder`, '/'-separated, `..` where it lies outside."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive, on Windows: no relative path exists
        return path.name
