"""What checking a program produced: its run, its claims, its verdict, its speed, and the exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK
from workbench.programs import Program
from workbench.runner.blame.model import Blame
from workbench.runner.equivalence import Claim, Verdict
from workbench.runner.execute import OK, RunResult

ERROR = "error"
"""Status of a program that could not be checked (bad knob for its file, predecessor failed...)."""


@dataclass(frozen=True)
class Speed:
    """This program against the original, both from this same invocation."""

    training: float | None
    """How many times faster training ran (original seconds / program seconds)."""
    inference: float | None
    memory: float | None
    """Peak memory as a fraction of the original's."""


@dataclass(frozen=True)
class TargetResult:
    target: Program
    status: str
    """ok, crash, timeout, syntax-error, parameters-error, or error."""
    identical: bool
    summary: str
    run: RunResult | None = None
    verdict: Verdict | None = None
    output_reference: str | None = None
    """Where the expected output came from."""
    parameters_reference: str | None = None
    """Whose parameters were compared, and from where."""
    details: str = ""
    notes: tuple[str, ...] = ()
    speed: Speed | None = None
    approved: Path | None = None
    """The golden file written by --approve from this run."""
    contract: tuple[Claim, ...] = ()
    """The structural claims at the step, checked on the file (empty for the original):
    its own contract and the earlier steps' carried forward, exercises, mandatory lint rules."""
    blame: Blame | None = None
    """The place at fault in a learner's file (workbench.runner.blame), None when none was found or it passes."""

    @property
    def counts_as_identical(self) -> bool:
        return self.identical or self.approved is not None

    @property
    def structure_holds(self) -> bool:
        return all(claim.holds for claim in self.contract)

    @property
    def max_parameter_difference(self) -> float | None:
        return None if self.verdict is None else self.verdict.parameters.max_difference

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim checked, in the order checked: output, parameters, each contract claim."""
        checked = () if self.verdict is None else self.verdict.claims
        return (*checked, *self.contract)


@dataclass(frozen=True)
class CheckReport:
    results: list[TargetResult]
    notes: list[str]

    @property
    def exit_code(self) -> int:
        return exit_code(self.results)


def exit_code(results: Sequence[TargetResult]) -> int:
    """2 if any program could not be checked, else 1 if any differs, else 0."""
    if any(result.status != OK for result in results):
        return EXIT_ERROR
    if any(not result.counts_as_identical for result in results):
        return EXIT_DIFFERS
    return EXIT_OK
