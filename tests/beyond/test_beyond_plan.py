"""The extension plan (plans/beyond_plan.toml) continues the revised plan from step 11: it
loads, its numbering and predecessor keys are validated, and every tool reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import PlanError
from workbench.paths import installed_root
from workbench.plan import Plan, load_plan
from workbench.programs import all_programs, resolve_program, step_program

ROOT = installed_root()
BEYOND_PLAN_FILE = Path("plans") / "beyond_plan.toml"
BEYOND_PLAN = (ROOT / BEYOND_PLAN_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def beyond() -> Plan:
    return load_plan(ROOT / BEYOND_PLAN_FILE, root=ROOT)


def load_mutated(tmp_path: Path, old: str, new: str) -> Plan:
    assert old in BEYOND_PLAN, f"the beyond plan no longer contains {old!r}"
    path = tmp_path / "beyond_plan.toml"
    path.write_text(BEYOND_PLAN.replace(old, new), encoding="utf-8")
    return load_plan(path, root=ROOT)


def test_the_beyond_plan_continues_the_revised_plan_from_step_11(beyond: Plan, plan: Plan) -> None:
    assert [step.number for step in beyond.steps] == [12, 13, 14, 15, 16]
    assert beyond.predecessor_plan is not None and beyond.predecessor_step is not None
    assert beyond.predecessor_plan.source_file.resolve() == plan.source_file.resolve()
    assert beyond.predecessor_step == plan.step(11)
    assert {step.level for step in beyond.steps} == {"bit"}
    assert all(beyond.step_path(step).parent.name == "beyond" and beyond.step_path(step).is_file() for step in beyond.steps)


def test_the_first_step_follows_step_11_of_the_revised_plan(beyond: Plan, plan: Plan) -> None:
    first = step_program(beyond, beyond.step(12))
    predecessor = first.predecessor
    assert predecessor is not None and predecessor.step == plan.step(11)
    assert predecessor.path == plan.step_path(plan.step(11))
    assert predecessor.parameters_expression == plan.step(11).parameters
    assert predecessor.level == plan.step(11).level
    assert predecessor.predecessor is not None and predecessor.predecessor.label == "10"
    assert [program.label for program in all_programs(beyond)] == ["original", "11", "12", "13", "14", "15", "16"]
    assert resolve_program(beyond, "11").path == predecessor.path


def test_knob_names_follow_the_revised_plans_renames_first(beyond: Plan) -> None:
    assert beyond.name_at_step("n_embd", 12) == "embedding_dimension"
    assert beyond.name_at_step("num_steps", 16) == "number_of_steps"
    assert beyond.name_at_step("n_embd", 9) == "n_embd"
    assert beyond.original_name_of("embedding_dimension", 16) == "n_embd"
    assert beyond.original_name_of("number_of_steps", 12) == "num_steps"


def test_claims_carry_over_from_the_revised_plan_through_renames_and_retirements(beyond: Plan) -> None:
    described = [claim.describe(12) for claim in beyond.claims_at(12)]
    assert "defines type alias Offset, Tape (from step 11)" in described
    assert not any("TapeIndex" in text and "from step" in text for text in described)
    assert not any("tape_dot" in text and "from step" in text for text in described)
    assert "no state_dict, matrix left (from step 01)" in described


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("predecessor_step = 11\n", "", "the field 'predecessor_step' is missing"),
        ('predecessor_plan = "plans/revised_plan.toml"\n', "", "the field 'predecessor_plan' is missing"),
        ("predecessor_step = 11", 'predecessor_step = "eleven"', "field 'predecessor_step' must be an integer"),
        ("predecessor_step = 11", "predecessor_step = 40", "field 'predecessor_step' is 40, but plans/revised_plan.toml has steps 1 to 11"),
        ('predecessor_plan = "plans/revised_plan.toml"', 'predecessor_plan = "plans/no_such_plan.toml"', "field 'predecessor_plan'.*does not exist"),
        ("predecessor_step = 11", "predecessor_step = 10", r"field 'number': steps must be numbered 11, 12, 13, \.\.\. in order"),
        ("number = 13\n", "number = 14\n", r"field 'number': steps must be numbered 12, 13, 14"),
        ("no-class = 12,", "no-class = 5,", r"\[lint\] zero_from: rule 'no-class' is step 5, but the steps are numbered 12 to 16"),
        ("no-class = 12,", "no-class = 17,", r"zero_from: rule 'no-class' is step 17"),
        ('{ step = 9, check = "defines", names = ["softmax_tape"] },', '{ step = 9, check = "defines-alias", names = ["softmax_tape"] },', "step 12: retires item 7.*matches no claim"),
    ],
)
def test_a_malformed_continuation_names_the_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    with pytest.raises(PlanError, match=expected):
        load_mutated(tmp_path, old, new)


def test_a_plan_that_continues_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "beyond_plan.toml"
    path.write_text(BEYOND_PLAN.replace('"plans/revised_plan.toml"', f'"{path}"'), encoding="utf-8")
    with pytest.raises(PlanError, match="field 'predecessor_plan'.*cannot continue itself"):
        load_plan(path, root=ROOT)
