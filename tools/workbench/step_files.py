"""Naming steps on the command line and finding their files.

A step is named by its number ("7" or "07") or, for the untouched program, "original".
Every tool resolves names through here, so errors read the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.plan import Plan, Step

ORIGINAL = "original"


@dataclass(frozen=True)
class Snapshot:
    """The original (step is None) or one step of the plan, with its source file."""

    step: Step | None
    path: Path

    @property
    def label(self) -> str:
        """'original' or the two-digit step number."""
        return ORIGINAL if self.step is None else self.step.label

    @property
    def title(self) -> str:
        """'original' or 'step 07'."""
        return ORIGINAL if self.step is None else f"step {self.step.label}"

    @property
    def commit(self) -> str:
        return "The untouched original by Andrej Karpathy" if self.step is None else self.step.commit

    @property
    def parameters_expression(self) -> str:
        return "" if self.step is None else self.step.parameters

    @property
    def number(self) -> int:
        """0 for the original, the step number otherwise: a sort key."""
        return 0 if self.step is None else self.step.number

    def exists(self) -> bool:
        return self.path.is_file()


def original_snapshot(plan: Plan) -> Snapshot:
    return Snapshot(step=None, path=plan.original_path)


def step_snapshot(step: Step) -> Snapshot:
    return Snapshot(step=step, path=step.path)


def valid_names(plan: Plan) -> str:
    """'original, 01, 02, ..., 11' for error messages."""
    return ", ".join([ORIGINAL, *(step.label for step in plan.steps)])


def resolve_snapshot(plan: Plan, name: str) -> Snapshot:
    """Turn 'original', '7' or '07' into a Snapshot. Raises WorkbenchError for anything else."""
    text = name.strip()
    if text.lower() in (ORIGINAL, "0", "00"):
        return original_snapshot(plan)
    if text.isdigit():
        number = int(text)
        for step in plan.steps:
            if step.number == number:
                return step_snapshot(step)
    raise WorkbenchError(f"'{name}' is not a step; valid steps are {valid_names(plan)}")


def predecessor_snapshot(plan: Plan, snapshot: Snapshot) -> Snapshot | None:
    """The snapshot a step is compared against: the previous step, or the original for step 01."""
    if snapshot.step is None:
        return None
    previous = plan.predecessor(snapshot.step.number)
    return original_snapshot(plan) if previous is None else step_snapshot(previous)


def all_snapshots(plan: Plan) -> list[Snapshot]:
    """The original followed by every step of the plan, whether or not its file exists yet."""
    return [original_snapshot(plan), *(step_snapshot(step) for step in plan.steps)]


def existing_snapshots(plan: Plan) -> list[Snapshot]:
    return [snapshot for snapshot in all_snapshots(plan) if snapshot.exists()]


def require_file(snapshot: Snapshot) -> Path:
    """The snapshot's file, or a clear error saying which file is missing."""
    if not snapshot.exists():
        raise WorkbenchError(f"{snapshot.title} has no snapshot file yet: {display_path(snapshot.path)} does not exist")
    return snapshot.path
