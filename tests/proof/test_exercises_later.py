"""The exercises of steps 03-05 keep applying at later steps.

From step 07 on the file has no Value path to compare its tape functions with, so each
exercise takes it from the plan's own snapshot of the step that introduced it, while the
functions under test still come from the file, under their later names. Each mistake below
is one realistic change to a later step's file, in a function the program does call but
whose mistake a short run may not show; the exercises are taken from the plan
(`exercise_origins` of the claims at the step), so a retirement that came back would stop
them running and fail these tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from blame.mistakes import replace_once

from workbench.plan import Plan, load_plan
from workbench.programs import attempt_program
from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import EXERCISES, MODEL_CONSTANTS, run_exercise
from workbench.proof.isolated import run_exercises
from workbench.proof.later_names import in_later_names, under_earlier_names
from workbench.runner.equivalence import EXERCISE
from workbench.runner.judge import check_structure, exercise_origins

EARLY_EXERCISES = ("tape-operations-match-value", "tape-kernels-match-value", "tape-forward-matches-value")
LATER_STEPS = (7, 8, 9, 10, 11)


def _source(plan: Plan, number: int) -> str:
    return plan.step_path(plan.step(number)).read_text(encoding="utf-8")


@pytest.mark.parametrize("number", LATER_STEPS)
def test_the_plan_s_own_later_step_carries_and_passes_the_exercises_of_steps_03_to_05(plan: Plan, number: int) -> None:
    origins = exercise_origins(plan, plan.claims_at(number), number)
    assert set(EARLY_EXERCISES) <= set(origins)
    source = _source(plan, number)
    outcomes = run_exercises(source, f"{number:02d}.py", list(origins), origins=origins)
    assert {outcome.name: outcome.detail for outcome in outcomes if not outcome.holds} == {}
    assert {outcome.name for outcome in outcomes} == set(origins)


def test_each_exercise_compares_with_the_snapshot_of_the_step_that_introduced_it(plan: Plan) -> None:
    origins = exercise_origins(plan, plan.claims_at(9), 9)
    assert [origins[name].reference_name for name in EARLY_EXERCISES] == [
        "03_introduce_tape.py",
        "04_tape_helpers.py",
        "05_tape_forward_pass.py",
    ]
    assert origins["tape-kernels-match-value"].renames["linear"] == "linear_tape"
    assert origins["tape-forward-matches-value"].renames["gpt"] == "forward_training"
    assert origins["float-inference-matches-tape"].renames["gpt"] == "forward_training"


def test_the_operation_tape_retires_them_where_the_tape_changes_shape(project_root: Path) -> None:
    beyond = load_plan(project_root / "plans/beyond_plan.toml", root=project_root)
    at_11 = {name for claim in beyond.claims_at(11) if not claim.item.is_static for name in claim.item.names}
    assert set(EARLY_EXERCISES) <= at_11
    for number in (12, 13, 14, 15, 16):
        assert exercise_origins(beyond, beyond.claims_at(number), number) == {}
    assert beyond.snapshot_path(3) == project_root / "steps" / "03_introduce_tape.py"
    assert beyond.snapshot_path(12) == project_root / "beyond" / "12_operation_tape.py"


@dataclass(frozen=True)
class LaterMistake:
    id: str
    step: int
    exercise: str
    old: str
    new: str
    within: str
    named: str
    """How the failure must start: the function under its name at that step."""


LATER_MISTAKES = (
    LaterMistake(
        "tape_power's derivative regrouped at step 10 (one ulp)",
        10,
        "tape-operations-match-value",
        "exponent * base ** (exponent - 1)",
        "exponent * base ** exponent / base",
        "tape_power",
        "tape_power (gradients of its inputs)",
    ),
    LaterMistake(
        "a backward scan that runs forward at step 11",
        11,
        "tape-operations-match-value",
        "range(loss_index, -1, -1)",
        "range(0, loss_index + 1)",
        "tape_backward",
        "tape_backward on a graph of every tape operation with shared nodes",
    ),
    LaterMistake(
        "softmax_tape without the maximum subtracted at step 09",
        9,
        "tape-kernels-match-value",
        "max_val = max(logit_values)",
        "max_val = 0.0",
        "softmax_tape",
        "softmax_tape (outputs)",
    ),
    LaterMistake(
        "rmsnorm_tape with another epsilon at step 11",
        11,
        "tape-kernels-match-value",
        "tape_add_constant(tape, mean_square, 1e-5)",
        "tape_add_constant(tape, mean_square, 1e-6)",
        "rmsnorm_tape",
        "rmsnorm_tape (outputs)",
    ),
    LaterMistake(
        "linear summing its row from the last weight at step 07",
        7,
        "tape-kernels-match-value",
        "output.append(tape_dot(tape, weight_row, x))",
        "output.append(tape_dot(tape, weight_row[::-1], x[::-1]))",
        "linear",
        "linear (outputs)",
    ),
    LaterMistake(
        "the attention scale regrouped as head_dim ** -0.5 at step 07",
        7,
        "tape-forward-matches-value",
        "(head_dim ** 0.5) ** -1",
        "head_dim ** -0.5",
        "gpt",
        "gpt (logits at position",
    ),
    LaterMistake(
        "forward_training reading layer 0's second MLP matrix in every layer at step 10 (one layer hides it)",
        10,
        "tape-forward-matches-value",
        "parameter_offset_table[f'layer{layer_index}.mlp_fc2']",
        "parameter_offset_table['layer0.mlp_fc2']",
        "forward_training",
        "forward_training (logits at position 0)",
    ),
)


@pytest.mark.parametrize("mistake", LATER_MISTAKES, ids=lambda mistake: mistake.id)
def test_a_mistake_at_a_later_step_fails_the_early_exercise_and_names_the_function(
    plan: Plan, mistake: LaterMistake
) -> None:
    origins = exercise_origins(plan, plan.claims_at(mistake.step), mistake.step)
    assert mistake.exercise in origins, f"step {mistake.step} no longer carries {mistake.exercise}"
    source = _source(plan, mistake.step)
    broken = replace_once(source, mistake.old, mistake.new, within=mistake.within)
    [correct] = run_exercises(source, "attempt.py", [mistake.exercise], origins=origins)
    assert correct.holds, correct.detail
    [outcome] = run_exercises(broken, "attempt.py", [mistake.exercise], origins=origins)
    assert not outcome.holds
    assert outcome.detail.startswith(mistake.named), outcome.detail
    assert " (0x" in outcome.detail, f"expected and got values: {outcome.detail}"


def test_the_check_of_a_learner_s_file_reports_the_failure_under_the_step_s_names(plan: Plan, tmp_path: Path) -> None:
    broken = replace_once(_source(plan, 9), "max_val = max(logit_values)", "max_val = 0.0", within="softmax_tape")
    attempt = tmp_path / "my_step_09.py"
    attempt.write_text(broken, encoding="utf-8")
    claims = [claim for claim in check_structure(plan, attempt_program(plan, attempt, "09")) if claim.kind == EXERCISE]
    assert len(claims) == 4, [claim.name for claim in claims]
    [claim] = [
        claim for claim in claims if claim.name.startswith("linear_tape, softmax_tape and rmsnorm_tape on the tape")
    ]
    assert not claim.holds and claim.name.endswith("(from step 04)"), claim.name
    assert claim.detail.startswith("softmax_tape (outputs), element 0: expected"), claim.detail
    by_start = {claim.name.split(" computes")[0]: claim for claim in claims}
    assert not by_start["the tape's forward_training"].holds, "forward_training calls the broken softmax_tape"
    assert by_start["forward_inference"].holds, "forward_inference is compared with step 08's own tape gpt"


def test_float_inference_is_compared_with_the_plan_s_tape_gpt_and_still_catches_its_own_mistake(
    plan: Plan,
) -> None:
    origins = exercise_origins(plan, plan.claims_at(11), 11)
    assert origins["float-inference-matches-tape"].reference_name == "08_float_inference.py"
    source = _source(plan, 11)
    broken = replace_once(
        source, "scale = (mean_square + 1e-5) ** -0.5", "scale = (mean_square + 1e-6) ** -0.5", within="rmsnorm_float"
    )
    [outcome] = run_exercises(broken, "attempt.py", ["float-inference-matches-tape"], origins=origins)
    assert not outcome.holds and outcome.detail.startswith("forward_inference (logits at position 0)"), outcome.detail


def test_the_tested_functions_never_come_from_the_reference(plan: Plan) -> None:
    source = replace_once(_source(plan, 9), "def softmax_tape(tape, logits):", "def softmax_tape_draft(tape, logits):")
    origins = exercise_origins(plan, plan.claims_at(9), 9)
    [outcome] = run_exercises(source, "attempt.py", ["tape-kernels-match-value"], origins=origins)
    assert not outcome.holds and outcome.detail == "the file defines no softmax_tape"


def test_a_file_with_its_own_value_path_is_compared_with_it_and_one_without_needs_the_reference(
    plan: Plan,
) -> None:
    reference = load_definitions(_source(plan, 5), "05.py", MODEL_CONSTANTS)
    at_07 = load_definitions(_source(plan, 7), "07.py", MODEL_CONSTANTS)
    assert run_exercise("tape-forward-matches-value", at_07) == "the file defines no Value, gpt_value"
    assert run_exercise("tape-forward-matches-value", at_07, reference) is None
    # At step 05 the file's own gpt_value is the comparison, not the reference's: a broken
    # Value path in the file makes the (correct) tape gpt disagree with it.
    own = replace_once(_source(plan, 5), "/ head_dim**0.5", "/ (head_dim**0.5 + 1e-12)", within="gpt_value")
    detail = run_exercise("tape-forward-matches-value", load_definitions(own, "05.py", MODEL_CONSTANTS), reference)
    assert detail is not None and detail.startswith("gpt (logits at position 1)")  # one key: attention weight 1


def test_functions_are_called_by_their_earlier_names_and_constants_read_by_their_later_ones() -> None:
    def forward_training() -> str:
        return "forward"

    namespace = {"n_embd": 12, "forward_training": forward_training}
    view = under_earlier_names(namespace, {"gpt": "forward_training", "n_embd": "embedding_dimension"})
    assert view["gpt"] is forward_training and "gpt" not in namespace
    assert namespace["embedding_dimension"] == 12 and view["embedding_dimension"] == 12


def test_a_sentence_says_the_names_of_the_step_it_is_read_at() -> None:
    renames = {"linear": "linear_tape", "gpt": "forward_training", "n": "sequence_length"}
    sentence = "linear (outputs), element 0: gpt and linear_value n"
    assert (
        in_later_names(sentence, renames, EXERCISES["tape-kernels-match-value"].requires)
        == "linear_tape (outputs), element 0: gpt and linear_value n"
    )
