"""`start --skeleton`: every step's skeleton parses and names what is left to implement;
a checked skeleton reports NotImplementedError as its first divergence."""

from __future__ import annotations

import ast

import pytest

from workbench.plan import Plan
from workbench.workshop import commands
from workbench.workshop.checking import find_stubs
from workbench.workshop.skeleton import behaviour_free, make_skeleton
from workbench.workshop.step_line import with_step_line
from workbench.workshop.workspace import WorkshopError
from workshop_support import output_of

BEHAVIOUR_FREE = {9, 10, 11}
"""Renames and type hints: steps whose code is their predecessor's up to names and annotations."""


@pytest.mark.parametrize("number", range(1, 12))
def test_every_skeleton_parses_and_names_its_stubs(plan: Plan, number: int) -> None:
    step = plan.step(number)
    skeleton = make_skeleton(plan, step)
    if number in BEHAVIOUR_FREE:
        assert skeleton.source is None and "adds no behaviour" in skeleton.note
        return
    assert skeleton.source is not None
    ast.parse(skeleton.source)
    stubs = find_stubs(skeleton.source)
    assert stubs, f"step {step.label}'s skeleton has nothing to implement"
    assert all(f"step {step.label}:" in stub.message for stub in stubs)
    assert skeleton.source != plan.step_path(step).read_text(encoding="utf-8")


def test_the_stubbed_functions_are_those_the_step_adds_or_changes(plan: Plan) -> None:
    skeleton = make_skeleton(plan, plan.step(3))
    assert skeleton.source is not None
    stubbed = {stub.where for stub in find_stubs(skeleton.source)}
    assert stubbed == {item for item in plan.step(3).contract[0].names}, (
        "step 03 adds exactly the tape functions of its contract"
    )
    module = ast.parse(skeleton.source)
    tape_add = next(node for node in module.body if isinstance(node, ast.FunctionDef) and node.name == "tape_add")
    assert [argument.arg for argument in tape_add.args.args] == ["tape", "left", "right"] or tape_add.args.args, (
        "signature kept"
    )
    assert isinstance(tape_add.body[-1], ast.Raise)


def test_behaviour_free_is_about_code_not_names() -> None:
    assert behaviour_free("x = 1\nprint(x)\n", "count: int = 1\nprint(count)\n")
    assert not behaviour_free("x = 1\nprint(x + 1)\n", "x = 1\nprint(x + 2)\n")
    assert not behaviour_free("print(1 / 3)\n", "print(1 * 3 ** -1)\n")


def test_a_step_without_behaviour_starts_from_its_predecessor(session: commands.Session, plan: Plan) -> None:
    assert commands.start(session, plan.step(9), skeleton=True) == 0
    learner_file = session.workspace.directory / plan.step(9).file_name
    assert learner_file.read_text(encoding="utf-8") == with_step_line(
        plan.step_path(plan.step(8)).read_text(encoding="utf-8"), plan, plan.step(9)
    )
    assert "adds no behaviour" in output_of(session)


SKELETON_DIVERGENCE = {
    1: "traceback",
    2: "traceback",
    3: "unimplemented",
    4: "unimplemented",
    5: "unimplemented",
    6: "traceback",
    7: "traceback",
    8: "traceback",
}
"""How each skeleton first departs: a traceback where the stubbed code runs (the program
stops at the first stub it calls), a stub named where the step only adds code beside
what runs (03-05 build the tape beside the Value graph; their exercises fail too)."""


def test_every_step_with_behaviour_has_its_skeleton_checked() -> None:
    assert set(SKELETON_DIVERGENCE) == set(range(1, 12)) - BEHAVIOUR_FREE


@pytest.mark.runner
@pytest.mark.parametrize(("number", "kind"), sorted(SKELETON_DIVERGENCE.items()))
def test_a_checked_skeleton_reports_not_implemented_first(
    session: commands.Session, plan: Plan, number: int, kind: str
) -> None:
    commands.start(session, plan.step(number), skeleton=True)
    state = session.state()
    outcome = commands.run_check(session, state, plan.step(number))
    assert not outcome.passes and outcome.exit_code == 1
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == kind, divergence
    assert "NotImplementedError" in divergence.summary + " ".join(divergence.lines)
    assert f"step {number:02d}" in " ".join(divergence.lines)


def test_an_unknown_step_is_refused(plan: Plan) -> None:
    with pytest.raises(WorkshopError, match="^there is no step 17; valid steps are 01"):
        commands.parse_step(plan, "17")


def test_a_step_of_the_other_plan_says_which_plan_to_give(plan: Plan) -> None:
    with pytest.raises(
        WorkshopError,
        match=r"^there is no step 12 in this plan \(steps 01, .*, 11\); it is in "
        r"plans/beyond_plan.toml: add --plan plans/beyond_plan.toml$",
    ):
        commands.parse_step(plan, "12")
