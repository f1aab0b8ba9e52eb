"""Helpers for the diff viewer's and the export's tests: hand-made steps in a project of their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.paths import DEFAULT_PLAN, installed_root
from workbench.plan import Plan, load_plan
from workbench.programs import Program, step_program


def hand_made_source(original: str, number: int) -> str:
    """A small, recognisable edit of the original for step `number`: the constant n_layer
    gains a comment naming the step, and a module-level marker name is added."""
    edited = original.replace(
        "n_layer = 1     # number of layers", f"n_layer = 1     # number of layers (hand-made step {number:02d})"
    )
    return edited + f"\nhand_made_marker_{number:02d} = {number}\n"


@dataclass(frozen=True)
class HandMadeProject:
    """The project's plan, copied to a temporary directory with its own (empty) steps folder.

    `write([1, 2])` writes hand-made snapshots of those steps; `arguments` points a tool at
    this plan (`--plan PATH`)."""

    plan_path: Path
    plan: Plan
    steps_directory: Path

    @property
    def arguments(self) -> list[str]:
        return ["--plan", str(self.plan_path)]

    def write(self, numbers: list[int] | None = None) -> Path:
        original = self.plan.original_path.read_text(encoding="utf-8")
        for number in numbers if numbers is not None else [step.number for step in self.plan.steps]:
            self.path(number).write_text(hand_made_source(original, number), encoding="utf-8")
        return self.steps_directory

    def path(self, number: int) -> Path:
        return self.plan.step_path(self.plan.step(number))

    def program(self, number: int) -> Program:
        return step_program(self.plan, self.plan.step(number))


def make_hand_made_project(directory: Path) -> HandMadeProject:
    """The real plan with `steps_directory` pointing at `directory/steps` (paths in the plan
    stay relative to the installed checkout, so the original is the real one)."""
    steps = directory / "steps"
    steps.mkdir()
    plan_path = directory / "plan.toml"
    plan_text = (installed_root() / DEFAULT_PLAN).read_text(encoding="utf-8")
    plan_path.write_text(f"steps_directory = {str(steps)!r}\n" + plan_text, encoding="utf-8")
    return HandMadeProject(plan_path=plan_path, plan=load_plan(plan_path, root=installed_root()), steps_directory=steps)


def real_step_or_skip(plan: Plan, number: int) -> Program:
    """The real snapshot of a step, skipping the test while the lead has not written it yet."""
    program = step_program(plan, plan.step(number))
    if not program.exists():
        pytest.skip(f"{program.path.name} does not exist yet")
    return program
