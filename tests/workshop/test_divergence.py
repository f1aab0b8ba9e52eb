"""What a failed check says about where the program departs: a 1-ulp parameter at a bit
step, a hard-coded output that must never be proved."""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.plan import Plan
from workbench.programs import step_program
from workbench.project import open_project
from workbench.proof.parameter_places import ulps_between
from workbench.runner.check import check_targets
from workbench.runner.execute import RunResult
from workbench.runner.judge import lint_claims
from workbench.runner.transcript import phase_of
from workbench.workshop.checking import check_file, quick_settings
from workshop_support import PROJECT_ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]
FLAT_INDEX = 1045
"""layer0.attn_wq starts after wte (27x16), wpe (8x16) and lm_head (27x16): 992 + 3*16 + 5."""


@pytest.mark.runner
def test_one_ulp_at_a_bit_step_names_the_parameter(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_08.py"
    source = plan.step_path(plan.step(8)).read_text(encoding="utf-8")
    attempt.write_text(
        source + f"\nparameter_data[{FLAT_INDEX}] = math.nextafter(parameter_data[{FLAT_INDEX}], math.inf)\n",
        encoding="utf-8",
    )
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 8)
    assert not outcome.passes and outcome.exit_code == 1
    claims = {claim.kind: claim for claim in outcome.claims}
    assert claims["output"].holds and not claims["parameters"].holds
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "parameter"
    assert "layer0.attn_wq[3][5]" in divergence.summary
    assert f"flat index {FLAT_INDEX}" in divergence.summary
    assert "1 ulp" in divergence.summary and "1 of 4,064 parameters differ" in divergence.summary
    assert any("reordered or regrouped" in line for line in divergence.lines), "one ulp is what a reordering leaves"
    assert any(line.startswith("expected: 0x") for line in divergence.lines)
    assert any(line.startswith("first training step: ") for line in divergence.lines), (
        "the first training step is searched"
    )


@pytest.mark.runner
def test_a_changed_constant_is_not_called_a_reordering(tmp_path: Path, plan: Plan) -> None:
    """eps_adam 1e-8 -> 1e-9 keeps the printed losses (four decimals) and moves the
    parameters by ~6e15 ulps: the check says the arithmetic changed, after training step 1."""
    source = plan.step_path(plan.step(7)).read_text(encoding="utf-8")
    marker = "0.95, 1e-8"
    assert source.count(marker) == 1
    attempt = tmp_path / "attempt_07.py"
    attempt.write_text(source.replace(marker, "0.95, 1e-9"), encoding="utf-8")
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 7)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "parameter", divergence
    text = "\n".join(divergence.lines)
    assert "far more than rounding" in text and "reordered" not in text
    assert "after training step 1 " in text


def reference_run(number: int) -> RunResult:
    """Reference step `number` run through the runner on the quick profile (cached by content)."""
    project = open_project(PROJECT_ROOT)
    [result] = check_targets(
        project, [step_program(project.plan, project.plan.step(number))], quick_settings(project)
    ).results
    assert result.run is not None and result.run.ok and result.run.parameters is not None, result.summary
    return result.run


def hard_coded_step_01() -> str:
    """A step 01 'attempt' that prints what reference step 01 printed on the quick profile and
    hands over its final parameters without computing anything (the runner's capture of them)."""
    run = reference_run(1)
    lines = run.stdout.splitlines()
    floats = ", ".join(f"float.fromhex({value!r})" for value in run.parameters or ())
    printed = "\n".join(f"print({line!r})" for line in lines)
    return (
        "import random\n\nrandom.seed(42)\nnum_steps = 500\n\n\nclass Value:\n    pass\n\n\n"
        f"parameter_data = [{floats}]\nparameter_gradients = [0.0]\nparameter_offset_table = {{}}\n"
        f"first_moment = [0.0]\nsecond_moment = [0.0]\n{printed}\n"
    )


@pytest.mark.runner
@pytest.mark.proof
def test_a_hard_coded_output_reaches_at_most_passes_and_is_never_proved(tmp_path: Path) -> None:
    attempt = tmp_path / "hard_coded_01.py"
    attempt.write_text(hard_coded_step_01(), encoding="utf-8")
    quick = check_file(open_project(PROJECT_ROOT), attempt, 1)
    claims = {claim.kind: claim for claim in quick.claims}
    assert claims["output"].holds and claims["parameters"].holds, "the default quick run cannot tell"
    assert quick.proved is None and quick.profile == "quick"
    proof = check_file(open_project(PROJECT_ROOT), attempt, 1, prove=True)
    assert proof.profile == "full"
    assert proof.proved is False and proof.exit_code == 1
    full_claims = {claim.kind: claim for claim in proof.claims}
    assert not full_claims["output"].holds, "500 training steps print other losses than the 10 it replays"
    failed_settings = [claim for claim in proof.claims if claim.kind == "setting" and not claim.holds]
    assert failed_settings, "a held setting names what the hard-coded file cannot do"


@pytest.mark.runner
@pytest.mark.proof
def test_a_file_that_works_only_with_one_layer_is_not_proved(tmp_path: Path, plan: Plan) -> None:
    """At the last step, whose full run takes seconds: the full profile holds (one layer is
    the default), a held setting with two layers does not. Only the module-level code is
    specialised (the parameters and the KV caches): a forward pass looping over one layer
    fails the plain check already, through the exercise of step 05 (two layers)."""
    last = plan.last_step
    source = plan.step_path(last).read_text(encoding="utf-8")
    markers = ("\nfor layer_index in range(number_of_layers):", "[[] for _ in range(number_of_layers)]")
    assert source.count(markers[0]) == 1 and source.count(markers[1]) >= 2
    for marker in markers:
        source = source.replace(marker, marker.replace("range(number_of_layers)", "range(1)"))
    attempt = tmp_path / last.file_name
    attempt.write_text(source, encoding="utf-8")
    outcome = check_file(open_project(PROJECT_ROOT), attempt, last.number, prove=True)
    assert outcome.profile == "full"
    assert outcome.passes, [claim for claim in outcome.claims if not claim.holds and claim.kind != "setting"]
    assert outcome.proved is False and outcome.exit_code == 1
    failed = [claim.name for claim in outcome.claims if claim.kind == "setting" and not claim.holds]
    assert any("n_layer=2" in name for name in failed), failed


def test_ulps_and_phases() -> None:
    assert ulps_between(1.0, math.nextafter(1.0, 2.0)) == 1
    assert ulps_between(-0.0, 0.0) == 0
    assert ulps_between(math.nextafter(0.0, -1.0), math.nextafter(0.0, 1.0)) == 2
    assert phase_of("step    3 /   10 | loss 3.1234") == "training loss at step 3"
    assert phase_of("sample  5: anna") == "sample 5"
    assert phase_of("vocab size: 27") == "the header"


@pytest.mark.runner
def test_a_changed_loss_line_is_the_first_divergence_with_its_phase(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_02.py"
    source = plan.step_path(plan.step(2)).read_text(encoding="utf-8")
    marker = 'print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data:.4f}")'
    assert marker in source
    attempt.write_text(
        source.replace(marker, 'print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data + (step == 2):.4f}")'),
        encoding="utf-8",
    )
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 2)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "printed-line", divergence
    assert "training loss at step 3" in divergence.summary
    assert divergence.lines[0].startswith("expected: step    3")


@pytest.mark.runner
def test_a_crash_is_the_first_divergence_trimmed_to_the_learners_file(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_07.py"
    source = plan.step_path(plan.step(7)).read_text(encoding="utf-8")
    attempt.write_text(source.replace("def softmax(", "def softmax_renamed(", 1), encoding="utf-8")
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 7)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "traceback"
    assert "NameError" in divergence.summary and "in gpt" in divergence.summary
    assert any("softmax(" in line for line in divergence.lines), divergence.lines
    assert not next(claim for claim in outcome.claims if claim.kind == "runs").holds


@pytest.mark.runner
def test_a_syntax_error_is_the_first_divergence(tmp_path: Path) -> None:
    attempt = tmp_path / "attempt_03.py"
    attempt.write_text("import math\ndef broken(:\n    pass\n", encoding="utf-8")
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 3)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "traceback"
    assert divergence.summary.startswith("SyntaxError") and "line 2" in divergence.summary
    assert "def broken(:" in " ".join(divergence.lines)
    assert outcome.exit_code == 1


def test_a_lint_claim_is_listed_by_its_line_numbers(plan: Plan) -> None:
    """The checklist shows a failing lint rule as its lines ('lines 68, 74, 78 and 8 more');
    the runner's claim detail (with each line's code quoted) stays whole in the report."""
    source = plan.step_path(plan.step(6)).read_text(encoding="utf-8")
    claims = {claim.name: claim for claim in lint_claims(plan, 7, source, "07_attempt.py")}
    dunder = claims["lint rule no-dunder reports nothing"]
    assert not dunder.holds and "`def __init__" in dunder.detail
    assert re.fullmatch(r"lines \d+, \d+, \d+ and \d+ more", dunder.short), dunder.short
    single = claims["lint rule no-class reports nothing"]
    assert re.fullmatch(r"line \d+", single.short), single.short


@pytest.mark.runner
def test_a_crash_keeps_its_training_step_its_frames_pythons_suggestion_and_the_last_printed_lines(
    tmp_path: Path, plan: Plan
) -> None:
    """From the driver's fields to the learner's text: a typo met in training step 3, two
    frames deep."""
    source = plan.step_path(plan.step(2)).read_text(encoding="utf-8")
    loop = "for step in range(num_steps):\n"
    assert source.count(loop) == 1
    helper = "def rate_at(step):\n    return learning_rat if step == 2 else learning_rate\n\n\n"
    attempt = tmp_path / "attempt_02.py"
    attempt.write_text(source.replace(loop, helper + loop + "    rate_at(step)\n"), encoding="utf-8")
    lines = attempt.read_text(encoding="utf-8").splitlines()
    helper_line = lines.index("    return learning_rat if step == 2 else learning_rate") + 1
    call_line = lines.index("    rate_at(step)") + 1
    outcome = check_file(open_project(PROJECT_ROOT), attempt, 2)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "traceback"
    assert divergence.summary == f"NameError at line {helper_line} in rate_at, during training step 3"
    text = list(divergence.lines)
    assert text[:4] == [
        f'File "attempt_02.py", line {call_line}, in <module>',
        "    rate_at(step)",
        f'File "attempt_02.py", line {helper_line}, in rate_at',
        "    return learning_rat if step == 2 else learning_rate",
    ], "the chain of the learner's own frames, outermost first"
    assert text[4] == "NameError: name 'learning_rat' is not defined. Did you mean: 'learning_rate'?"
    assert text[5] == "last printed before the crash:"
    assert text[-1].startswith("    step    2 / ") and len(text) == 9, "the last three lines the program printed"
