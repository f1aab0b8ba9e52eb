"""The plan loader: the real plan loads, and a malformed plan names the step and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import PlanError
from workbench.paths import DEFAULT_PLAN, installed_root
from workbench.plan import Plan, load_plan

REAL_PLAN = (installed_root() / DEFAULT_PLAN).read_text(encoding="utf-8")


def load_mutated(tmp_path: Path, old: str, new: str, count: int = 1) -> Plan:
    assert REAL_PLAN.count(old) >= count, f"the plan no longer contains {old!r}"
    path = tmp_path / "plan.toml"
    path.write_text(REAL_PLAN.replace(old, new, count), encoding="utf-8")
    return load_plan(path, root=installed_root())


def test_the_real_plan_loads_with_eleven_steps_and_both_profiles(plan: Plan) -> None:
    assert [step.label for step in plan.steps] == [f"{number:02d}" for number in range(1, 12)]
    assert plan.profiles == {"full": {}, "quick": {"num_steps": 10, "num_samples": 5}}
    assert plan.original_parameters == "[p.data for p in params]"
    assert {step.level for step in plan.steps} == {"bit", "print"}
    assert plan.step(6).level == "print"


def test_renames_are_followed_forward_and_back(plan: Plan) -> None:
    assert plan.name_at_step("n_embd", 9) == "n_embd"
    assert plan.name_at_step("n_embd", 10) == "embedding_dimension"
    assert plan.name_at_step("num_steps", 11) == "number_of_steps"
    assert plan.original_name_of("embedding_dimension", 11) == "n_embd"
    assert plan.original_name_of("number_of_steps", 10) == "num_steps"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('level = "print"', 'level = "exact"', r"step 6: field 'level' must be one of bit, print \(got 'exact'\)"),
        (
            'commit = "Add a tape of parallel arrays, its operations and a reverse-scan backward"\n',
            "",
            "step 3: the field 'commit' is missing",
        ),
        (
            'commit = "Add a tape of parallel arrays, its operations and a reverse-scan backward"',
            'commit = "Add a tape of parallel arrays."',
            "step 3: field 'commit' is a commit subject: no final full stop",
        ),
        ('slug = "introduce_tape"', 'slug = "Introduce Tape"', "step 3: field 'slug' must be lowercase words"),
        ("number = 3\n", 'number = 3\ncolour = "red"\n', "step 3: unknown field 'colour'"),
        ('renames = { gpt = "gpt_value" }', 'renames = { gpt = "gpt value" }', "step 5: field 'renames'"),
        (
            '{ check = "no-class" },\n  { check = "absent"',
            '{ check = "no-klass" },\n  { check = "absent"',
            "step 7: contract item 1: unknown check 'no-klass'",
        ),
        ("number = 4\n", "number = 5\n", r"steps must be numbered 1, 2, 3, ... in order"),
        ("[profiles.quick]\nnum_steps = 10\n", "", "the profile 'quick' is missing"),
        ("num_steps = 10\n", 'num_steps = "ten"\n', "profile 'quick': 'num_steps' must be a number"),
        (
            'parameters = "[p.data for p in params]"',
            'parameters = "[p.data for p in"',
            r"\[original\]: field 'parameters'",
        ),
    ],
)
def test_a_malformed_plan_names_the_step_and_the_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    with pytest.raises(PlanError, match=expected):
        load_mutated(tmp_path, old, new)


def test_a_bad_parameters_expression_names_its_step(tmp_path: Path) -> None:
    marker = 'level = "print"\nparameters = "parameter_data"'
    with pytest.raises(PlanError, match=r"step 6: field 'parameters': 'parameter_data\[' is not a Python expression"):
        load_mutated(tmp_path, marker, 'level = "print"\nparameters = "parameter_data["')


def test_a_missing_plan_file_is_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="does not exist"):
        load_plan(tmp_path / "nowhere.toml", root=installed_root())


def test_invalid_toml_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text("title = \n", encoding="utf-8")
    with pytest.raises(PlanError, match="is not valid TOML"):
        load_plan(path, root=installed_root())


def test_asking_for_a_step_outside_the_plan_lists_the_valid_ones(plan: Plan) -> None:
    with pytest.raises(PlanError, match="there is no step 12 in the plan; valid steps are 01, 02, .*, 11"):
        plan.step(12)
