"""The first training step after which a program's parameters leave its predecessor's.

When the output is identical but the parameters are not, the learner wants to know where
the difference starts. Rerunning the program and its predecessor with fewer training steps
(num_steps = k, down to 0 for the initialisation) and a binary search over k answers that
in about log2(num_steps) reruns. Only for short runs (the quick profile): on the full
profile each probe would retrain hundreds of steps.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.programs import Program
from workbench.project import Project
from workbench.proof.divergence_search import first_divergent_step
from workbench.runner.check import check_targets
from workbench.runner.results import TargetResult
from workbench.runner.settings import CheckSettings

STEPS_KNOB = "num_steps"
LONGEST_SEARCHED_RUN = 50
"""Search only runs this short: each probe retrains both programs."""


def worth_searching(result: TargetResult, settings: CheckSettings) -> bool:
    """Same output, same number of parameters, other bits, in a run short enough to search."""
    verdict = result.verdict
    steps = settings.knob_values.get(STEPS_KNOB)
    return (
        verdict is not None
        and verdict.output.identical
        and verdict.parameters.same_count
        and not verdict.parameters.bit_identical
        and result.target.predecessor is not None
        and isinstance(steps, int)
        and 0 < steps <= LONGEST_SEARCHED_RUN
    )


def find_first_step(project: Project, target: Program, settings: CheckSettings) -> int | None:
    """The smallest num_steps after which target and predecessor differ; None if unknown."""
    total = settings.knob_values[STEPS_KNOB]
    assert isinstance(total, int)

    def differs_after(steps: int) -> bool | None:
        probe = replace(
            settings,
            knob_values={**settings.knob_values, STEPS_KNOB: steps},
            overridden=tuple(sorted({*settings.overridden, STEPS_KNOB})),
        )
        [result] = check_targets(project, [target], probe).results
        if result.verdict is None or not result.verdict.parameters.same_count:
            return None
        return not result.verdict.parameters.bit_identical

    return first_divergent_step(differs_after, total)
