"""A program in the plan: the original, step NN, or a learner's file checked as step NN.

Every tool names programs the same way, through `resolve_program`: "original" (or 0), a
step number ("7" or "07"). A `Program` carries what the plan says about it: its file, its
predecessor (the program its final parameters are compared with), its equivalence level,
the expression that reads its final parameters, and the renames its step makes. Paths come
from the plan, which was loaded for one project root (workbench.project); nothing here
knows where a checkout lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.plan import BIT, Plan, Step

ORIGINAL = "original"
ORIGINAL_COMMIT = "The untouched original by Andrej Karpathy"


@dataclass(frozen=True)
class Program:
    """One program of the plan, at a path (the plan's own file, or an attempt's)."""

    step: Step | None
    """The step it is (or stands for); None for the original."""
    path: Path
    parameters_expression: str
    """Evaluated in the program's globals after it ran: its final parameters."""
    layout_expression: str | None = None
    """Evaluated after the parameters, for messages only: [(matrix, rows, columns), ...]."""
    predecessor: Program | None = None
    """The plan's program before it (the original for step 01); None for the original."""
    attempt: bool = False
    """True for a file checked `--as` a step: not the plan's own file."""

    @property
    def label(self) -> str:
        """'original' or the step's two digits, '07'."""
        return ORIGINAL if self.step is None else self.step.label

    @property
    def plan_title(self) -> str:
        """'original' or 'step 07': the program of the plan this one is or stands for."""
        return ORIGINAL if self.step is None else f"step {self.step.label}"

    @property
    def title(self) -> str:
        """'original', 'step 07', or 'attempt.py as step 07'."""
        return f"{self.path.name} as {self.plan_title}" if self.attempt else self.plan_title

    @property
    def is_original(self) -> bool:
        """The plan's own original (not a file checked as the original)."""
        return self.step is None and not self.attempt

    @property
    def level(self) -> str:
        """The equivalence level the plan declares ('bit' for the original)."""
        return BIT if self.step is None else self.step.level

    @property
    def commit(self) -> str:
        return ORIGINAL_COMMIT if self.step is None else self.step.commit

    @property
    def renames(self) -> dict[str, str]:
        """old name -> new name, as the plan declares for this step (none for the original)."""
        return {} if self.step is None else dict(self.step.renames)

    @property
    def step_number(self) -> int | None:
        return None if self.step is None else self.step.number

    @property
    def number(self) -> int:
        """0 for the original, the step number otherwise: a sort key."""
        return 0 if self.step is None else self.step.number

    def exists(self) -> bool:
        return self.path.is_file()


def original_program(plan: Plan) -> Program:
    return Program(
        step=None,
        path=plan.original_path,
        parameters_expression=plan.original_parameters,
        layout_expression=plan.original_layout,
    )


def step_program(plan: Plan, step: Step) -> Program:
    """Step `step` of `plan`; its predecessor is the step before it, or for the first step the
    original (or the predecessor plan's step, for a plan that continues another)."""
    previous = plan.predecessor(step.number)
    continued = continued_step(plan) if previous is None else None
    if previous is not None:
        predecessor = step_program(plan, previous)
    elif continued is not None:
        predecessor = continued
    else:
        predecessor = original_program(plan)
    return Program(
        step=step,
        path=plan.step_path(step),
        parameters_expression=step.parameters,
        layout_expression=plan.step_layout,
        predecessor=predecessor,
    )


def continued_step(plan: Plan) -> Program | None:
    """The predecessor plan's step that a plan continues from (step 11 for the beyond plan), as
    that plan's Program (its file, parameters expression, level); None for a plan that starts
    from the original."""
    if plan.predecessor_plan is None or plan.predecessor_step is None:
        return None
    return step_program(plan.predecessor_plan, plan.predecessor_step)


def all_programs(plan: Plan) -> list[Program]:
    """The original, the predecessor plan's step a continuing plan starts from, then every step
    of the plan, whether or not its file exists yet."""
    continued = continued_step(plan)
    return [
        original_program(plan),
        *([] if continued is None else [continued]),
        *(step_program(plan, step) for step in plan.steps),
    ]


def existing_programs(plan: Plan) -> list[Program]:
    return [program for program in all_programs(plan) if program.exists()]


def valid_names(plan: Plan) -> str:
    """'original, 01, 02, ..., 11' (or 'original, 11, 12, ..., 16') for error messages."""
    continued = continued_step(plan)
    return ", ".join(
        [ORIGINAL, *([] if continued is None else [continued.label]), *(step.label for step in plan.steps)]
    )


def resolve_program(plan: Plan, name: str) -> Program:
    """Turn 'original', '7' or '07' into the plan's Program (or the predecessor plan's step
    a continuing plan starts from). WorkbenchError for anything else."""
    text = name.strip()
    if text.lower() in (ORIGINAL, "0", "00"):
        return original_program(plan)
    if text.isdigit():
        number = int(text)
        for step in plan.steps:
            if step.number == number:
                return step_program(plan, step)
        continued = continued_step(plan)
        if continued is not None and continued.number == number:
            return continued
    raise WorkbenchError(f"'{name}' is not a step; valid steps are {valid_names(plan)}")


def attempt_program(plan: Plan, path: Path, as_name: str) -> Program:
    """Any file, checked as if it were step `as_name` (its level, parameters, renames and predecessor)."""
    try:
        role = resolve_program(plan, as_name)
    except WorkbenchError:
        raise WorkbenchError(f"--as '{as_name}' is not a step; valid steps are {valid_names(plan)}") from None
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise WorkbenchError(f"the file to check, {path}, {what}")
    return Program(
        step=role.step,
        path=path.resolve(),
        parameters_expression=role.parameters_expression,
        layout_expression=role.layout_expression,
        predecessor=role.predecessor,
        attempt=True,
    )


def require_file(program: Program) -> Path:
    """The program's file, or a clear error saying which file is missing."""
    if not program.exists():
        raise WorkbenchError(
            f"{program.plan_title} has no snapshot file yet: {display_path(program.path)} does not exist"
        )
    return program.path
