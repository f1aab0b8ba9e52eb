"""One model of a program in the plan, made by one resolver from a project's root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.paths import DEFAULT_PLAN, GOLDEN_FOLDER, installed_root
from workbench.plan import Plan
from workbench.programs import all_programs, attempt_program, resolve_program
from workbench.project import open_project


def test_a_step_knows_its_file_predecessor_level_parameters_and_renames(plan: Plan) -> None:
    step_07 = resolve_program(plan, "7")
    assert step_07.path == plan.steps_directory / plan.step(7).file_name
    assert step_07.predecessor is not None and step_07.predecessor.label == "06"
    assert (step_07.level, step_07.parameters_expression) == (plan.step(7).level, plan.step(7).parameters)
    assert resolve_program(plan, "10").renames == plan.step(10).renames
    first = resolve_program(plan, "01")
    assert (
        first.predecessor is not None
        and first.predecessor.label == "original"
        and first.predecessor.predecessor is None
    )


def test_the_original_has_no_predecessor_and_is_bit_level(plan: Plan) -> None:
    original = resolve_program(plan, "original")
    assert (original.label, original.title, original.level, original.predecessor) == (
        "original",
        "original",
        "bit",
        None,
    )
    assert original.path == plan.original_path and original.is_original


def test_an_attempt_stands_for_its_step(plan: Plan, tmp_path: Path) -> None:
    attempt_file = tmp_path / "mine.py"
    attempt_file.write_text("print()\n", encoding="utf-8")
    attempt = attempt_program(plan, attempt_file, "07")
    assert attempt.title == "mine.py as step 07" and attempt.plan_title == "step 07" and not attempt.is_original
    assert attempt.predecessor == resolve_program(plan, "06")
    with pytest.raises(WorkbenchError, match="--as '42' is not a step"):
        attempt_program(plan, attempt_file, "42")


def test_a_project_in_a_temporary_directory_finds_its_steps_from_the_plan(tmp_path: Path) -> None:
    """The steps folder comes from the plan's data (`steps_directory`), relative to the root."""
    (tmp_path / "plans").mkdir()
    shutil.copytree(installed_root() / "original", tmp_path / "original")
    plan_text = (installed_root() / DEFAULT_PLAN).read_text(encoding="utf-8")
    (tmp_path / DEFAULT_PLAN).write_text(plan_text, encoding="utf-8")
    (tmp_path / "other.toml").write_text('steps_directory = "workshop_steps"\n' + plan_text, encoding="utf-8")

    own = open_project(tmp_path, cache=tmp_path / "cache")
    assert own.golden_directory == tmp_path / GOLDEN_FOLDER
    assert [program.path.parent for program in all_programs(own.plan)][1:] == [tmp_path / "steps"] * len(own.plan.steps)
    assert own.plan.original_path == tmp_path / "original" / "microgpt.py"

    other = open_project(tmp_path, tmp_path / "other.toml", cache=tmp_path / "cache")
    assert other.golden_directory is None, "only the project's own plan has golden files"
    assert resolve_program(other.plan, "03").path == tmp_path / "workshop_steps" / other.plan.step(3).file_name
