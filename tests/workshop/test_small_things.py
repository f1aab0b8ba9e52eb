"""The small things a walkthrough found: plurals, counts that agree with the marks, a
stub message cut at a colon, the step line of a started file, the claims a learner ever
failed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.plan import Plan
from workbench.runner.equivalence import compare_output, output_claim
from workbench.workshop import commands, render
from workbench.workshop.checking import CheckOutcome, ClaimOutcome
from workbench.workshop.skeleton import make_skeleton
from workbench.workshop.step_line import with_step_line
from workshop_support import fake_outcome, output_of


def test_one_differing_line_is_one_line() -> None:
    assert (
        output_claim(compare_output("a\nb\n", "a\nc\n"), "the original").detail
        == "output differs from line 2 (1 line differs)"
    )
    assert (
        output_claim(compare_output("a\nb\n", "x\nc\n"), "the original").detail
        == "output differs from line 1 (2 lines differ)"
    )


def test_a_failed_proof_counts_every_claim_it_marks() -> None:
    claims = (
        ClaimOutcome("the program runs", "runs", True, ""),
        ClaimOutcome("output identical to the original", "output", False, "differs"),
        *(ClaimOutcome(f"identical under setting {index}", "setting", index > 4, "") for index in range(8)),
    )
    outcome = CheckOutcome(
        step=7,
        claims=claims,
        first_divergence=None,
        passes=False,
        proved=False,
        final_parameters_sha256=None,
        exit_code=1,
        profile="full",
    )
    console = render_text(render.checklist(outcome, "Step 07"))
    marked = sum(line.lstrip().startswith("✘") for line in console.splitlines())
    assert marked == 6
    assert "NOT PROVED: 1 of 2 claims does not hold on the full profile; 5 of 8 held settings do not hold" in console


def render_text(renderable: object) -> str:
    import io

    from workbench.console import make_console

    console = make_console(file=io.StringIO(), no_color=True)
    render.show(console, renderable)  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_a_stub_message_keeps_the_sentence_past_its_colon(plan: Plan) -> None:
    skeleton = make_skeleton(plan, plan.step(5))
    assert skeleton.source is not None
    [stub] = [line.strip() for line in skeleton.source.splitlines() if "NotImplementedError(" in line]
    assert "operate entirely on tape indices: an embedding row is a range of parameter indices" in stub, stub


def test_a_step_started_from_the_step_before_says_its_own_step(session: commands.Session, plan: Plan) -> None:
    commands.start(session, plan.step(7))
    started = (session.workspace.directory / plan.step(7).file_name).read_text(encoding="utf-8")
    reference_06 = plan.step_path(plan.step(6)).read_text(encoding="utf-8")
    assert "Step 06 of 11" in reference_06 and "Step 06 of 11" not in started
    assert started.splitlines()[1] == "Step 07 of 11: Delete the Value class and sample through the tape forward pass."
    assert [line for line in started.splitlines()[2:]] == reference_06.splitlines()[2:], "nothing else changes"


def test_the_step_line_is_made_from_the_plan_when_the_reference_has_none(plan: Plan, tmp_path: Path) -> None:
    source = '"""\nStep 03 of 11: old words.\n\nMore.\n"""\nx = 1\n'
    assert with_step_line(source, plan, plan.step(4)).splitlines()[1].startswith("Step 04 of 11: ")
    assert with_step_line("x = 1\n", plan, plan.step(4)) == "x = 1\n", "no docstring, nothing to change"


def test_the_report_keeps_every_claim_a_learner_ever_failed(
    session: commands.Session, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = iter([False, True])

    def check(session: commands.Session, path: Path, step: object, prove: bool) -> CheckOutcome:
        return fake_outcome(4, passes=next(verdicts))

    monkeypatch.setattr(commands, "check_with", check)
    commands.start(session, plan.step(4))
    learner_file = session.workspace.directory / plan.step(4).file_name
    assert commands.check(session) == 1
    learner_file.write_text(learner_file.read_text(encoding="utf-8") + "# fixed\n", encoding="utf-8")
    assert commands.check(session) == 0
    report = json.loads(session.workspace.report_path.read_text(encoding="utf-8"))
    [entry] = report["steps"]
    assert entry["status"] == "passes"
    assert entry["claims_ever_failed"] == ["no class anywhere"], (
        "the claim fixed since still counts for the facilitator"
    )
    assert "PASSES" in output_of(session)
