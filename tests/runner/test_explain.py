"""The runner's one door for "check this file and explain it": the first differing line,
parameter and training step, and a crash, as data."""

from __future__ import annotations

from testkit import fakes
from testkit.world import FakeWorld
from workbench.programs import Program
from workbench.runner.explain import FirstTrainingStep, check_and_explain

STEP_ONE = fakes.FAKE_ORIGINAL.replace('"""A stand-in', '"""Step one of a stand-in')
NUDGE_AFTER_STEP_TWO = STEP_ONE.replace(
    "    loss = update(parameter_data, step)\n",
    "    loss = update(parameter_data, step)\n    if step == 1:\n        parameter_data[4] = math.nextafter(parameter_data[4], math.inf)\n",
).replace("import random\n", "import math\nimport random\n")
"""Identical printed losses (four decimals); parameter 4 one float up from training step 2 on."""


def test_a_parameter_that_moves_in_training_step_two_is_found_there(world: FakeWorld) -> None:
    world.write_step(1, NUDGE_AFTER_STEP_TWO)
    searched: list[Program] = []
    checked = check_and_explain(world.project, [world.step(1)], world.settings("quick"), before_search=searched.append)
    [explanation] = checked.explanations
    assert explanation.crash is None and explanation.printed_line is None
    assert explanation.parameters is not None and explanation.parameters.output_identical
    first = explanation.parameters.comparison.first
    assert first is not None and first.flat_index == 4
    assert explanation.first_training_step == FirstTrainingStep(step=2, searched_up_to=3)
    assert [program.label for program in searched] == ["01"], "told before the reruns"
    assert checked.exit_code == 1


def test_the_search_is_made_for_drift_a_print_step_allows(print_level_world: FakeWorld) -> None:
    world = print_level_world
    world.write_step(1, NUDGE_AFTER_STEP_TWO)
    [explanation] = check_and_explain(world.project, [world.step(1)], world.settings("quick")).explanations
    assert explanation.result.identical and explanation.parameters is None, "the drift is allowed"
    assert explanation.first_training_step == FirstTrainingStep(step=2, searched_up_to=3)
    [quiet] = check_and_explain(
        world.project, [world.step(1)], world.settings("quick"), search_allowed_drift=False
    ).explanations
    assert quiet.first_training_step is None, "no reruns for a drift nobody is shown"


def test_no_search_unless_asked(world: FakeWorld) -> None:
    world.write_step(1, NUDGE_AFTER_STEP_TWO)
    [explanation] = check_and_explain(
        world.project, [world.step(1)], world.settings("quick"), search_first_step=False
    ).explanations
    assert explanation.parameters is not None and explanation.first_training_step is None


def test_the_first_differing_line_with_its_phase(world: FakeWorld) -> None:
    world.write_step(1, fakes.one_character_different(STEP_ONE))
    [explanation] = check_and_explain(world.project, [world.step(1)], world.settings("quick")).explanations
    line = explanation.printed_line
    assert line is not None and line.phase == "sample 1"
    assert line.expected is not None and line.got == line.expected.replace(":", ";", 1)


def test_a_crash_in_a_renamed_training_loop_names_its_step(world: FakeWorld) -> None:
    """Step 02 of the fake plan renames num_steps to number_of_steps: the loop over the
    training steps is still known by the plan's name for it."""
    step_one = STEP_ONE
    world.write_step(1, step_one)
    crashing = fakes.renamed(step_one).replace(
        "    for index in range(len(parameters)):\n", "    assert step < 2\n    for index in range(len(parameters)):\n"
    )
    assert "number_of_steps" in crashing and "assert step < 2" in crashing
    world.write_step(2, crashing)
    [explanation] = check_and_explain(world.project, [world.step(2)], world.settings("quick")).explanations
    context = explanation.crash
    assert context is not None
    assert context.during == "training step 3"
    assert context.crash.exception == "AssertionError" and context.crash.function == "update"
    assert [frame.function for frame in context.crash.frames] == ["<module>", "update"]
    assert context.last_printed[-1].startswith("step    2 /")
    assert context.file_name == world.step(2).path.name
