"""Exercises hold on the plan's own steps and catch broken new code that a run cannot see.

Each broken attempt here is a real step file with one deliberate mutation in code that the
program does not call yet (the expand phase), so the program's output is unchanged and only
the exercise can tell.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import EXERCISES, MODEL_CONSTANTS, run_exercise
from workbench.proof.isolated import run_exercises

STEP_EXERCISES = {
    "03_introduce_tape.py": ["tape-operations-match-value"],
    "04_tape_helpers.py": ["tape-operations-match-value", "tape-kernels-match-value"],
    "05_tape_forward_pass.py": [
        "tape-operations-match-value",
        "tape-kernels-match-value",
        "tape-forward-matches-value",
    ],
    "06_train_on_tape.py": ["tape-operations-match-value", "tape-kernels-match-value", "tape-forward-matches-value"],
    "08_float_inference.py": ["float-inference-matches-tape"],
}


def _source(project_root: Path, file_name: str) -> str:
    return (project_root / "steps" / file_name).read_text(encoding="utf-8")


def _mutate(source: str, old: str, new: str, *, after: str = "", last: bool = False) -> str:
    start = source.index(after) if after else 0
    position = source.rindex(old, start) if last else source.index(old, start)
    assert position >= start
    return source[:position] + new + source[position + len(old) :]


@pytest.mark.parametrize(("file_name", "names"), list(STEP_EXERCISES.items()))
def test_every_exercise_holds_on_the_plan_s_own_step(project_root: Path, file_name: str, names: list[str]) -> None:
    definitions = load_definitions(_source(project_root, file_name), file_name, MODEL_CONSTANTS)
    for name in names:
        assert run_exercise(name, definitions) is None, name


MUTATIONS = {
    "a tape gpt that drops the MLP residual": (
        "05_tape_forward_pass.py",
        "tape-forward-matches-value",
        dict(
            old="x = [tape_add(tape, a, b) for a, b in zip(x, x_residual)]",
            new="x = x",
            after="def gpt(tape",
            last=True,
        ),
        "gpt (logits at position 0)",
    ),
    "a tape gpt that scales attention by head_dim ** -0.5 (equal in exact arithmetic, not in floats)": (
        "05_tape_forward_pass.py",
        "tape-forward-matches-value",
        dict(old="(head_dim ** 0.5) ** -1", new="head_dim ** -0.5", after="def gpt(tape"),
        "gpt (logits at position",
    ),
    "a tape power whose derivative is regrouped (one ulp)": (
        "03_introduce_tape.py",
        "tape-operations-match-value",
        dict(old="exponent * base ** (exponent - 1)", new="exponent * base ** exponent / base"),
        "tape_power (gradients of its inputs)",
    ),
    "a tape relu with the wrong derivative at its input": (
        "03_introduce_tape.py",
        "tape-operations-match-value",
        dict(
            old="def tape_relu(tape, index):",
            new="def tape_relu(tape, index):\n    return tape_multiply_constant(tape, index, 1.0)\n",
        ),
        "tape_relu",
    ),
    "a tape softmax that does not subtract the maximum": (
        "04_tape_helpers.py",
        "tape-kernels-match-value",
        dict(old="max_val = max(logit_values)", new="max_val = 0.0", after="def softmax(tape"),
        "softmax (outputs)",
    ),
    "a float forward pass that skips the final rmsnorm of the attention input": (
        "08_float_inference.py",
        "float-inference-matches-tape",
        dict(old="rmsnorm_float(", new="(lambda vector: vector)(", after="def forward_inference", last=True),
        "forward_inference (logits at position 0)",
    ),
}


@pytest.mark.parametrize(
    ("file_name", "exercise", "mutation", "expected_start"), list(MUTATIONS.values()), ids=list(MUTATIONS)
)
def test_a_mutation_in_new_code_fails_its_exercise_and_names_the_function(
    project_root: Path, file_name: str, exercise: str, mutation: dict[str, object], expected_start: str
) -> None:
    source = _source(project_root, file_name)
    mutated = _mutate(source, **mutation)  # type: ignore[arg-type]
    assert mutated != source
    detail = run_exercise(exercise, load_definitions(mutated, file_name, MODEL_CONSTANTS))
    assert detail is not None and detail.startswith(expected_start), detail
    assert " (0x" in detail or "raised" in detail or "tape_relu" in detail
    if " (0x" in detail:
        assert re.search(r": expected -?[\d.e+-]+ \(-?0x[^)]+\), got -?[\d.e+-]+ \(-?0x[^)]+\)", detail), (
            f"decimal first, hex second: {detail}"
        )
        assert re.search(r", ([\d,]+ ulps? apart|relative difference [\d.e+-]+)$", detail), (
            f"a float disagreement says how far apart: {detail}"
        )


def test_exercises_run_isolated_and_report_a_hang_a_crash_and_a_missing_function() -> None:
    hang = "class Value:\n    def __init__(self, data): self.data = data\ndef tape_create(d): return d\ndef tape_value(t, i): return 0.0\ndef gpt_value(*a):\n    while True: pass\ndef gpt(*a): return []\n"
    [outcome] = run_exercises(hang, "attempt.py", ["tape-forward-matches-value"], timeout=3)
    assert not outcome.holds and "did not finish" in outcome.detail
    exiting = "import os\nos_exit = os._exit\ndef tape_create(d):\n    os_exit(0)\n"
    [outcome] = run_exercises(exiting, "attempt.py", ["tape-operations-match-value"])
    assert not outcome.holds and "the file defines no Value" in outcome.detail
    broken = "def f(:\n"
    [outcome] = run_exercises(broken, "attempt.py", ["tape-kernels-match-value"])
    assert not outcome.holds and "SyntaxError" in outcome.detail


def test_an_exact_rewrite_is_not_a_failure(project_root: Path) -> None:
    """1 / x and x ** -1 round the same (both are one correctly rounded division), so this
    rewrite changes no float and must pass: exercises compare floats, not spelling."""
    source = _source(project_root, "05_tape_forward_pass.py")
    rewritten = _mutate(source, old="(head_dim ** 0.5) ** -1", new="1 / head_dim ** 0.5", after="def gpt(tape")
    assert (
        run_exercise("tape-forward-matches-value", load_definitions(rewritten, "attempt.py", MODEL_CONSTANTS)) is None
    )


def test_every_exercise_has_a_claim_and_names_its_functions() -> None:
    for name, exercise in EXERCISES.items():
        assert exercise.name == name and exercise.claim and exercise.functions
