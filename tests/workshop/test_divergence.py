"""What a failed check says about where the program departs: a 1-ulp parameter at a bit
step, a hard-coded output that must never be proved."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.paths import PROJECT_ROOT
from workbench.plan import Plan
from workbench.workshop.checking import check_file, parameter_name, phase_of, ulps_apart

Run = Callable[..., subprocess.CompletedProcess[str]]
FLAT_INDEX = 1045
"""layer0.attn_wq starts after wte (27x16), wpe (8x16) and lm_head (27x16): 992 + 3*16 + 5."""


def test_one_ulp_at_a_bit_step_names_the_parameter(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_07.py"
    source = plan.step(7).path.read_text(encoding="utf-8")
    attempt.write_text(source + f"\nparameter_data[{FLAT_INDEX}] = math.nextafter(parameter_data[{FLAT_INDEX}], math.inf)\n", encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 7)
    assert not outcome.passes and outcome.exit_code == 1
    claims = {claim.kind: claim for claim in outcome.claims}
    assert claims["output"].holds and not claims["parameters"].holds
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "parameter"
    assert "layer0.attn_wq[3][5]" in divergence.summary
    assert f"flat index {FLAT_INDEX}" in divergence.summary
    assert "1 ulp" in divergence.summary and "1 of 4064 parameters differ" in divergence.summary
    assert any(line.startswith("expected: 0x") for line in divergence.lines)


def hard_coded_step_01(plan: Plan) -> str:
    """A step 01 'attempt' that prints the quick profile's output and hands over its final
    parameters without computing anything."""
    golden = json.loads((PROJECT_ROOT / "tests" / "golden" / "original.quick.json").read_text(encoding="utf-8"))
    lines = golden["stdout"][:-1] if golden["stdout"][-1] == "" else golden["stdout"]
    floats = ", ".join(repr(float.fromhex(value)) for value in golden["parameters"])
    printed = "\n".join(f"print({line!r})" for line in lines)
    return (
        "import random\n\nrandom.seed(42)\nnum_steps = 500\n\n\nclass Value:\n    pass\n\n\n"
        f"parameter_data = [{floats}]\nparameter_gradients = [0.0]\nparameter_offset_table = {{}}\n"
        f"first_moment = [0.0]\nsecond_moment = [0.0]\n{printed}\n"
    )


def test_a_hard_coded_output_passes_the_quick_check_only(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "hard_coded_01.py"
    attempt.write_text(hard_coded_step_01(plan), encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 1)
    # The quick check cannot tell; this is exactly why `passes` is not `proved`.
    assert outcome.passes, [claim for claim in outcome.claims if not claim.holds]
    assert outcome.proved is None


@pytest.mark.xfail(reason="needs run_step --prove", strict=True)
def test_a_hard_coded_output_is_never_proved(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "hard_coded_01.py"
    attempt.write_text(hard_coded_step_01(plan), encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 1, prove=True)
    assert outcome.proved is False
    assert outcome.exit_code == 1


def test_ulps_and_names_and_phases() -> None:
    assert ulps_apart(1.0, math.nextafter(1.0, 2.0)) == 1
    assert ulps_apart(-0.0, 0.0) == 0
    assert ulps_apart(math.nextafter(0.0, -1.0), math.nextafter(0.0, 1.0)) == 2
    assert parameter_name(0, 4064) == "wte[0][0]"
    assert parameter_name(FLAT_INDEX, 4064) == "layer0.attn_wq[3][5]"
    assert parameter_name(4063, 4064) == "layer0.mlp_fc2[15][63]"
    assert parameter_name(5, 4065) == "parameter 5"
    assert phase_of("step    3 /   10 | loss 3.1234") == "training loss at step 3"
    assert phase_of("sample  5: anna") == "sample 5"
    assert phase_of("vocab size: 27") == "the header"


def test_a_changed_loss_line_is_the_first_divergence_with_its_phase(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_02.py"
    source = plan.step(2).path.read_text(encoding="utf-8")
    marker = 'print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data:.4f}")'
    assert marker in source
    attempt.write_text(source.replace(marker, 'print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data + (step == 2):.4f}")'), encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 2)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "printed-line", divergence
    assert "training loss at step 3" in divergence.summary
    assert divergence.lines[0].startswith("expected: step    3")


def test_a_crash_is_the_first_divergence_trimmed_to_the_learners_file(tmp_path: Path, plan: Plan) -> None:
    attempt = tmp_path / "attempt_07.py"
    source = plan.step(7).path.read_text(encoding="utf-8")
    attempt.write_text(source.replace("def softmax(", "def softmax_renamed(", 1), encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 7)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "traceback"
    assert "NameError" in divergence.summary and "in gpt" in divergence.summary
    assert any("softmax(" in line for line in divergence.lines), divergence.lines
    assert not next(claim for claim in outcome.claims if claim.kind == "runs").holds


def test_a_syntax_error_is_the_first_divergence(tmp_path: Path) -> None:
    attempt = tmp_path / "attempt_03.py"
    attempt.write_text("import math\ndef broken(:\n    pass\n", encoding="utf-8")
    outcome = check_file(PROJECT_ROOT, attempt, 3)
    divergence = outcome.first_divergence
    assert divergence is not None and divergence.kind == "traceback"
    assert divergence.summary.startswith("SyntaxError") and "line 2" in divergence.summary
    assert "def broken(:" in " ".join(divergence.lines)
    assert outcome.exit_code == 1
