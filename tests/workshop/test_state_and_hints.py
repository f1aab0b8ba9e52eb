"""The workspace's state, the hint ladder, reset and solution, with a recorded check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.plan import Plan, load_plan
from workbench.workshop import commands
from workbench.workshop.checking import CheckOutcome
from workbench.workshop.hints import LEVELS, hint
from workbench.workshop.step_line import with_step_line
from workbench.workshop.workspace import STATE_FILE, resolve_workspace
from workshop_support import fake_outcome, output_of


@pytest.fixture
def passing_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def check(session: commands.Session, path: Path, step: object, prove: bool) -> CheckOutcome:
        return fake_outcome(session.state().current_step or 1, passes=True)

    monkeypatch.setattr(commands, "check_with", check)


def test_starting_a_started_step_changes_nothing(session: commands.Session, plan: Plan) -> None:
    commands.start(session, plan.step(5))
    learner_file = session.workspace.directory / plan.step(5).file_name
    learner_file.write_text("# my work\n", encoding="utf-8")
    assert commands.start(session, plan.step(5)) == 0
    assert learner_file.read_text(encoding="utf-8") == "# my work\n"
    assert "already started" in output_of(session) and "reset" in output_of(session)


def test_step_01_starts_from_the_original(session: commands.Session, plan: Plan) -> None:
    commands.start(session, plan.step(1))
    assert (session.workspace.directory / plan.step(1).file_name).read_bytes() == plan.original_path.read_bytes()


def test_the_hint_ladder_climbs_and_is_counted(session: commands.Session, plan: Plan) -> None:
    commands.start(session, plan.step(8))
    for _ in range(1, LEVELS + 2):
        commands.give_hint(session)
    state = session.state()
    assert state.steps[8].hints_used == LEVELS
    text = output_of(session)
    for level in range(1, LEVELS + 1):
        assert f"Hint {level} of 8" in text
    assert "seen all 8 hints" in text
    report = json.loads(session.workspace.report_path.read_text(encoding="utf-8"))
    assert report["steps"][0]["hints_used"] == LEVELS


@pytest.mark.parametrize("number", range(1, 12))
def test_every_hint_level_exists_for_every_step(plan: Plan, number: int, tmp_path: Path) -> None:
    step = plan.step(number)
    empty = tmp_path / "empty.py"
    empty.write_text("", encoding="utf-8")
    for level in range(1, LEVELS + 1):
        shown = hint(plan, step, level, empty)
        assert shown.level == level and (shown.lines or shown.diff)
    assert hint(plan, step, 8, empty).diff, "the whole reference diff is not empty"


def test_level_7_skips_the_functions_already_right(plan: Plan, tmp_path: Path) -> None:
    learner = tmp_path / "mine.py"
    learner.write_text(plan.step_path(plan.step(8)).read_text(encoding="utf-8"), encoding="utf-8")
    assert "already matches" in " ".join(hint(plan, plan.step(8), 7, learner).lines)
    learner.write_text(plan.step_path(plan.step(7)).read_text(encoding="utf-8"), encoding="utf-8")
    assert "linear_float" in hint(plan, plan.step(8), 7, learner).lines[0]


def test_solution_waits_for_a_pass(session: commands.Session, plan: Plan, passing_checks: None) -> None:
    commands.start(session, plan.step(9))
    assert commands.solution(session) == 1
    assert "opens once" in output_of(session)
    assert commands.check(session) == 0
    assert commands.solution(session) == 0
    assert "forward_training" in output_of(session)


def test_next_needs_a_pass_or_the_reference(session: commands.Session, plan: Plan, passing_checks: None) -> None:
    commands.start(session, plan.step(3))
    assert commands.next_step(session) == 1
    assert commands.next_step(session, from_reference=True) == 0
    expected = with_step_line(plan.step_path(plan.step(3)).read_text(encoding="utf-8"), plan, plan.step(4))
    assert (session.workspace.directory / plan.step(4).file_name).read_text(encoding="utf-8") == expected
    state = json.loads((session.workspace.directory / STATE_FILE).read_text(encoding="utf-8"))
    assert state["version"] == 1 and state["current_step"] == 4 and set(state["steps"]) == {"03", "04"}


def test_the_workspace_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROGPT_WORKSPACE", str(tmp_path / "elsewhere"))
    assert resolve_workspace(None, tmp_path).directory == (tmp_path / "elsewhere").resolve()
    assert resolve_workspace(tmp_path / "option", tmp_path).directory == (tmp_path / "option").resolve()


def test_every_step_has_minutes_and_facilitator_notes(plan: Plan) -> None:
    for step in plan.steps:
        assert isinstance(step.minutes, int) and step.minutes > 0
        assert step.facilitator_notes


def test_the_plan_validates_the_workshop_fields(tmp_path: Path, plan: Plan) -> None:
    from workbench.errors import PlanError

    text = plan.source_file.read_text(encoding="utf-8")
    for bad, message in (
        ("minutes = 0", "whole number of minutes"),
        ('minutes = "ten"', "whole number of minutes"),
        ("minutes = true", "whole number"),
    ):
        broken = tmp_path / "plan.toml"
        broken.write_text(text.replace("minutes = 25", bad, 1), encoding="utf-8")
        with pytest.raises(PlanError, match=message):
            load_plan(broken, root=plan.root)


def test_completion_shows_speed_memory_and_style_debt(
    session: commands.Session, plan: Plan, passing_checks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.workshop.checking import Measurement

    measured = Measurement(2.0, 0.5, 30 << 20, 10.0, 2.0, 60 << 20)
    monkeypatch.setattr(commands, "measure_against_original", lambda root, path, step: measured)
    commands.start(session, plan.step(11))
    learner_file = session.workspace.directory / plan.step(11).file_name
    learner_file.write_text(plan.step_path(plan.step(11)).read_text(encoding="utf-8"), encoding="utf-8")
    assert commands.check(session) == 0
    text = output_of(session)
    assert "Workshop complete" in text
    assert "training: 2.00 s, the original 10.00 s: 5.00× as fast" in text
    assert "inference: 0.50 s, the original 2.00 s: 4.00× as fast" in text
    assert "peak memory: 30.0 MiB, the original 60.0 MiB: 0.50× the original's" in text
    assert "style debt of your file: 0 (clean)" in text
