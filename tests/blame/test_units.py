"""The parts of blame that need no program run: comparing values, reading numbers, finding
phases, choosing the function at fault, signatures; and, with one subprocess each, a
replayed function that loops forever or raises."""

from __future__ import annotations

import ast
import math
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.plan import load_plan
from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import MODEL_CONSTANTS, run_exercise
from workbench.proof.isolated import run_exercises
from workbench.proof.numbers import SMALL_ULPS, distance_text, number_pair, number_text
from workbench.runner import explain
from workbench.runner.blame import engine
from workbench.runner.blame.child import PROBE_NAME, probe_loss, run_program
from workbench.runner.blame.compare import first_difference
from workbench.runner.blame.engine import FunctionReplay, function_blame
from workbench.runner.blame.phases import (
    DATA_LOADING,
    FORWARD_AND_LOSS,
    INITIALISATION,
    OPTIMIZER,
    SAMPLING,
    find_phases,
)
from workbench.runner.blame.signatures import shaped_alike, signature_mismatches
from workbench.runner.equivalence import compare_output
from workbench.runner.explain import FirstTrainingStep, first_differing_training_step
from workbench.runner.judge import _exercise_detail, renames_since
from workbench.workshop.hints import hint
from workbench.workshop.report import build_report
from workbench.workshop.workspace import State, StepState, Workspace, now

from .conftest import Blamer
from .mistakes import ROOT, STEP_FILES, replace_once

# --- numbers a learner can read ---------------------------------------------------------------


def test_a_pair_of_numbers_reads_decimal_first_then_hex_then_the_distance() -> None:
    neighbour = math.nextafter(0.1, 1.0)
    assert (
        number_pair(0.1, neighbour)
        == f"expected 0.1 ({(0.1).hex()}), got {neighbour!r} ({neighbour.hex()}), 1 ulp apart"
    )


def test_one_against_zero_is_a_relative_difference_never_a_count_of_ulps() -> None:
    assert number_pair(1.0, 0.0) == f"expected 1.0 ({(1.0).hex()}), got 0.0 ({(0.0).hex()}), relative difference 1"
    assert "ulp" not in number_pair(1.0, 0.0)


def test_ulps_are_counted_up_to_the_small_limit_only() -> None:
    near = 1.0
    for _ in range(3):
        near = math.nextafter(near, 2.0)
    assert distance_text(1.0, near) == "3 ulps apart"
    far = 1.0 + (SMALL_ULPS + 1) * math.ulp(1.0)
    assert distance_text(1.0, far).startswith("relative difference 2.3e-10")
    assert distance_text(float("nan"), 1.0) == "not comparable (NaN)"
    assert number_text(4071) == "4,071" and number_text("emma") == "'emma'"


# --- comparing values -------------------------------------------------------------------------


def test_the_first_difference_has_a_path_and_both_values() -> None:
    tape = ([1.0, 2.0, 3.0], [(), (0,), (0, 1)])
    changed = ([1.0, 2.0, 3.0], [(), (0,), (1, 0)])
    difference = first_difference(tape, changed)
    assert difference is not None and (difference.path, difference.expected, difference.got) == ("[1][2][0]", 0, 1)
    assert first_difference([0.1 + 0.2], [0.3]) is not None
    assert first_difference([0, 1.0], [0.0, 1]) is None, "ints and floats of the same value agree"
    assert first_difference(range(3), [0, 1, 2]) is None
    length = first_difference([1, 2], [1])
    assert length is not None and length.what == "length"


def test_a_print_step_allows_its_drift_and_no_more() -> None:
    drifted = math.nextafter(0.5, 1.0)
    assert first_difference([0.5], [drifted], tolerance=1e-9) is None
    assert first_difference([0.5], [0.5001], tolerance=1e-9) is not None


# --- which function is at fault ---------------------------------------------------------------


def _verdict(name: str, status: str) -> dict[str, object]:
    return {
        "name": name,
        "status": status,
        "line": 1,
        "number": 1,
        "where": "training step 1",
        "path": "[3]",
        "expected": {"float": (0.5).hex()},
        "got": {"float": (0.25).hex()},
        "what": "value",
        "argument": None,
    }


def test_a_caller_is_not_blamed_when_a_function_it_calls_differs() -> None:
    verdicts = [_verdict("gpt", "differs"), _verdict("linear", "differs"), _verdict("tape_dot", "agrees")]
    blame = function_blame(verdicts, {"gpt": ["linear"], "linear": ["tape_dot"], "tape_dot": []})
    assert blame is not None and blame.function == "linear"
    assert blame.sentence == (
        f"your linear differs on its first call (training step 1): its result[3] expected 0.5 ({(0.5).hex()}), "
        f"got 0.25 ({(0.25).hex()}), relative difference 0.5; every function it calls agrees with the reference"
    )


def test_nothing_is_blamed_when_every_function_agrees() -> None:
    assert function_blame([_verdict("gpt", "agrees")], {"gpt": []}) is None


# --- signatures -------------------------------------------------------------------------------


def test_a_renamed_parameter_keeps_the_shape_a_moved_one_does_not() -> None:
    assert shaped_alike(["tape", "position"], ["tape", "index"])
    assert not shaped_alike(["index", "tape"], ["tape", "index"])
    assert not shaped_alike(["tape"], ["tape", "index"])


def test_an_exercise_says_the_two_signatures_instead_of_a_type_error() -> None:
    reference = (ROOT / "steps/03_introduce_tape.py").read_text(encoding="utf-8")
    swapped = replace_once(reference, "def tape_value(tape, index):", "def tape_value(index, tape):")
    mismatches = signature_mismatches(swapped, reference)
    assert mismatches == {"tape_value": "your tape_value(index, tape); the reference step's is tape_value(tape, index)"}
    detail = run_exercise("tape-operations-match-value", load_definitions(swapped, "swapped.py", MODEL_CONSTANTS))
    assert detail is not None and "TypeError" in detail
    assert _exercise_detail(False, detail, mismatches) == mismatches["tape_value"]


def test_the_first_hint_lists_the_signatures_a_step_adds() -> None:
    plan = load_plan(root=ROOT)
    lines = hint(plan, plan.step(3), 1, None).lines
    assert "  tape_value(tape, index)" in lines and "  tape_backward(tape, loss_index)" in lines


# --- exercises --------------------------------------------------------------------------------


def test_a_backward_scan_that_runs_forward_fails_its_exercise_naming_tape_backward() -> None:
    source = (ROOT / "steps/03_introduce_tape.py").read_text(encoding="utf-8")
    forward = replace_once(source, "range(loss_index, -1, -1)", "range(0, loss_index + 1)", within="tape_backward")
    detail = run_exercise("tape-operations-match-value", load_definitions(forward, "forward.py", MODEL_CONSTANTS))
    assert detail is not None and detail.startswith(
        "tape_backward on a graph of every tape operation with shared nodes"
    )
    assert run_exercise("tape-operations-match-value", load_definitions(source, "step03.py", MODEL_CONSTANTS)) is None


# --- phases and the short run -----------------------------------------------------------------


def test_the_phases_of_step_06_are_its_blocks() -> None:
    source = (ROOT / STEP_FILES[6]).read_text(encoding="utf-8")
    lines = source.splitlines()
    phases = find_phases(
        source,
        steps_name="num_steps",
        data_names=("documents", "unique_characters", "BOS", "vocab_size"),
        parameters_name="parameter_data",
    )
    assert (
        phases.training_loop_line is not None
        and lines[phases.training_loop_line - 1] == "for step in range(num_steps):"
    )
    table = phases.phases
    assert set(table) == {DATA_LOADING, INITIALISATION, FORWARD_AND_LOSS, OPTIMIZER, SAMPLING}
    assert "random.shuffle(documents)" in "\n".join(
        lines[table[DATA_LOADING].first_line - 1 : table[DATA_LOADING].last_line]
    )
    update = "\n".join(lines[table[OPTIMIZER].first_line - 1 : table[OPTIMIZER].last_line])
    assert update.lstrip().startswith("tape_gradients = tape_backward(tape, loss)") and update.rstrip().endswith(
        "(v_hat ** 0.5 + eps_adam)"
    )
    assert lines[table[SAMPLING].first_line - 1].startswith("temperature = 0.5")


# --- a replay that does not return ------------------------------------------------------------


@pytest.mark.runner
@pytest.mark.parametrize(
    ("change", "status_words"),
    [
        (
            "    tape_data, tape_children, tape_local_gradients = tape\n    tape_data.append(tape_data[left_index] + tape_data[right_index])",
            "never returns",
        ),
        (
            "    tape_data, tape_children, tape_local_gradients = tape\n    tape_data.append(tape_data[left_index] + tape_data[right_index] / 0)",
            "raises",
        ),
    ],
)
def test_a_replayed_function_that_loops_or_raises_is_reported(
    change: str, status_words: str, blame_file: Blamer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (ROOT / STEP_FILES[7]).read_text(encoding="utf-8")
    original = "    tape_data, tape_children, tape_local_gradients = tape\n    tape_data.append(tape_data[left_index] + tape_data[right_index])"
    if status_words == "never returns":
        change = "    while True:\n        pass\n" + original
    path = tmp_path / "broken.py"
    path.write_text(replace_once(source, original, change, within="tape_add"), encoding="utf-8")
    monkeypatch.setattr(engine, "SECONDS_PER_CALL", 1.0)
    replay, blame = blame_file(path, 7)
    assert blame is not None and blame.function == "tape_add"
    assert blame.sentence.startswith(f"your tape_add {status_words} on its first call (training step 1)"), (
        blame.sentence
    )
    if status_words == "raises":
        assert "ZeroDivisionError" in blame.sentence


# --- an exercise keeps applying after its functions are renamed ---------------------------


def test_step_08s_exercise_applies_at_step_11_under_the_later_names() -> None:
    plan = load_plan(root=ROOT)
    assert "float-inference-matches-tape" in [
        name for claim in plan.claims_at(11) if not claim.item.is_static for name in claim.item.names
    ]
    renames = renames_since(plan, 8, 11)
    assert renames["gpt"] == "forward_training" and renames["n_layer"] == "number_of_layers"
    source = (ROOT / STEP_FILES[11]).read_text(encoding="utf-8")
    [correct] = run_exercises(source, "step11.py", ["float-inference-matches-tape"], renames=renames)
    assert correct.holds, correct.detail
    broken = replace_once(
        source, "scale = (mean_square + 1e-5) ** -0.5", "scale = (mean_square + 1e-6) ** -0.5", within="rmsnorm_float"
    )
    [outcome] = run_exercises(broken, "step11.py", ["float-inference-matches-tape"], renames=renames)
    assert not outcome.holds and outcome.detail.startswith("forward_inference (logits at position 0)")


def test_the_workshop_report_carries_the_last_checks_blame(tmp_path: Path) -> None:
    blame = {
        "function": "tape_backward",
        "line": 207,
        "call": "first call (training step 1)",
        "expected": "1.0 (0x1.0000000000000p+0)",
        "got": "0.0 (0x0.0p+0)",
        "phase": None,
        "summary": "your tape_backward differs on its first call (training step 1): ...",
    }
    state = State(
        learner="ada",
        current_step=6,
        steps={6: StepState(file="06_train_on_tape.py", origin="step 05", started_at=now())},
    )
    state.steps[6].last_check = {"claims": [], "first_divergence": None, "blame": blame}
    report = build_report(Workspace(tmp_path), state, load_plan(root=ROOT))
    assert report["steps"][0]["blame"] == blame


@pytest.mark.runner
def test_the_value_objects_note_shows_only_while_the_file_does_not_pass(tmp_path: Path) -> None:
    """Steps 01-06 hold functions on Value objects that are never replayed. A passing check
    does not say so every time; a failing one does, since the learner is looking for the place."""
    from testkit.cli import run_tool

    source = (ROOT / STEP_FILES[2]).read_text(encoding="utf-8")
    correct = tmp_path / "correct.py"
    correct.write_text(source, encoding="utf-8")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(source.replace("x = [a + b for a, b in zip(x, x_residual)]", "x = x", 1), encoding="utf-8")
    passing = run_tool("run_step", str(correct), "--as", "02", "--profile", "quick", "--no-color")
    failing = run_tool("run_step", str(wrong), "--as", "02", "--profile", "quick", "--no-color")
    assert passing.returncode == 0 and "take or return Value objects" not in passing.stdout, passing.stdout
    assert failing.returncode == 1 and "take or return Value objects" in failing.stdout, failing.stdout


# --- the loss each training step prints, as a float ---------------------------------------------


def _training_loop(tree: ast.Module) -> ast.For:
    return next(
        statement
        for statement in tree.body
        if isinstance(statement, ast.For)
        and isinstance(statement.iter, ast.Call)
        and ast.unparse(statement.iter) in ("range(num_steps)", "range(number_of_steps)")
    )


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "steps").glob("[01][0-9]_*.py"), *(ROOT / "beyond").glob("1[2-6]_*.py")]),
    ids=lambda path: path.stem[:2],
)
def test_every_steps_loss_line_hands_the_probe_its_loss(path: Path) -> None:
    """Steps 01-06 print `loss.data` (a Value's float), later steps `tape_value(tape, loss)`:
    whichever it is, the very expression the loss line formats goes through the probe."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    loop = _training_loop(tree)
    before = ast.unparse(loop.body[-1])
    probe_loss(loop)
    after = ast.unparse(loop.body[-1])
    printed = "loss.data" if int(path.stem[:2]) <= 5 else "tape_value(tape, loss)"
    assert f"{{{printed}:.4f}}" in before
    assert after == before.replace(f"{{{printed}:.4f}}", f"{{{PROBE_NAME}.loss({printed}):.4f}}")


def test_the_snapshots_carry_the_loss_the_print_rounds(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(
        "parameters = [0.5]\n"
        "for step in range(2):\n"
        "    loss = 0.1 * (step + 1) + 0.2\n"
        "    parameters[0] -= loss\n"
        '    print(f"step {step+1:4d} / {2:4d} | loss {loss:.4f}")\n',
        encoding="utf-8",
    )
    request = {"program": str(program), "parameters": "parameters", "documents": "docs", "training_loop_line": 2}
    limit = sys.getrecursionlimit()
    probe, crash = run_program(request, record_calls=False)
    assert crash is None
    assert sys.getrecursionlimit() == limit, "a run in this interpreter leaves its recursion limit as it was"
    steps = {snapshot["label"]: snapshot for snapshot in probe.snapshots}
    assert (
        steps["training step 1"]["loss"] == (0.1 * 1 + 0.2).hex()
        and steps["training step 2"]["loss"] == (0.1 * 2 + 0.2).hex()
    )
    assert steps["training step 2"]["printed"] == ["step    1 /    2 | loss 0.3000", "step    2 /    2 | loss 0.4000"]
    assert steps["after training"]["loss"] is None


def test_a_loss_the_printed_line_hides_names_the_forward_pass_with_its_float() -> None:
    def snapshot(label: str, loss: float, parameter: float) -> dict[str, object]:
        return {
            "label": label,
            "documents": None,
            "printed": [f"loss {loss:.4f}"],
            "loss": loss.hex(),
            "parameters": [parameter.hex()],
        }

    reference = [snapshot("training step 1", 0.1 + 0.2, 1.0)]
    mine = [snapshot("training step 1", 0.3, 1.0 + 2**-52)]
    found = engine.compare_snapshots(reference, mine, "parameter_data", None)
    assert found is not None
    phase, where, expected, got, what = found
    assert (phase, where) == (FORWARD_AND_LOSS, "training step 1")
    assert (expected, got) == (number_text(0.1 + 0.2), number_text(0.3))
    assert what == f"the loss it prints {number_pair(0.1 + 0.2, 0.3)}"
    same_loss = engine.compare_snapshots([snapshot("training step 1", 0.3, 1.0)], mine, "parameter_data", None)
    assert same_loss is not None and same_loss[0] == OPTIMIZER


def test_the_steps_a_late_departure_needs_come_from_the_search_else_the_first_differing_loss_line() -> None:
    lines = [f"step {step:4d} /   10 | loss 3.{step}000" for step in range(1, 11)]
    later = [*lines[:3], "step    4 /   10 | loss 3.9999", *lines[4:]]
    differing = SimpleNamespace(verdict=SimpleNamespace(output=compare_output("\n".join(lines), "\n".join(later))))
    assert first_differing_training_step(differing, None) == 4  # type: ignore[arg-type]
    assert first_differing_training_step(differing, FirstTrainingStep(3, 10)) == 3  # type: ignore[arg-type]
    sample = SimpleNamespace(verdict=SimpleNamespace(output=compare_output("sample  1: anna", "sample  1: anne")))
    assert first_differing_training_step(sample, FirstTrainingStep(None, 10)) is None  # type: ignore[arg-type]


def test_a_departure_beyond_the_searched_run_is_not_blamed_over_so_many_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full-profile check whose loss line 300 is the first to differ would record 300 steps."""
    lines = [f"step {step:4d} /  500 | loss 3.0000" for step in range(1, 501)]
    later = [*lines[:299], "step  300 /  500 | loss 3.0001", *lines[300:]]
    result = SimpleNamespace(
        verdict=SimpleNamespace(output=compare_output("\n".join(lines), "\n".join(later))),
        blame=None,
        identical=False,
        target=SimpleNamespace(attempt=True),
        run=SimpleNamespace(ok=True),
        contract=(),
    )
    settings = SimpleNamespace(knob_values={"num_steps": 500})
    asked: list[int] = []
    monkeypatch.setattr(explain, "blame_over_steps", lambda project, program, settings, steps: asked.append(steps))
    assert explain.blamed_over_more_steps(None, result, settings, None) is result  # type: ignore[arg-type]
    assert asked == []
    near = [*lines[:5], "step    6 /  500 | loss 3.0001", *lines[6:]]
    result.verdict = SimpleNamespace(output=compare_output("\n".join(lines), "\n".join(near)))
    monkeypatch.setattr(
        explain,
        "blame_over_steps",
        lambda project, program, settings, steps: (asked.append(steps), (FunctionReplay(), None))[1],
    )
    monkeypatch.setattr(explain, "replace", lambda result, **changes: changes)
    assert explain.blamed_over_more_steps(None, result, settings, None) == {"contract": (), "blame": None}  # type: ignore[arg-type]
    assert asked == [6]
