"""Realistic learner mistakes, one change each, and the place blame must name for each.

Two or more per phase of the program: data loading, the forward pass, the backward pass
and the tape, the optimizer update, sampling; in a function where the step has one for
that work, and in module-level code. Each mutation names the exact text it replaces, and
that text must occur exactly once (in the file, or inside one named function), so an
edited snapshot stops the corpus instead of quietly handing back a correct file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.paths import installed_root
from workbench.runner.blame.model import MODULE
from workbench.runner.blame.phases import DATA_LOADING, FORWARD_AND_LOSS, OPTIMIZER, SAMPLING

ROOT = installed_root()
REVISED = "plans/revised_plan.toml"
BEYOND = "plans/beyond_plan.toml"

STEP_FILES = {
    2: "steps/02_explicit_data_loading.py",
    6: "steps/06_train_on_tape.py",
    7: "steps/07_delete_value_class.py",
    8: "steps/08_float_inference.py",
    11: "steps/11_type_hints.py",
    14: "beyond/14_adam_function.py",
}


def _function_text(source: str, function: str) -> tuple[int, int]:
    start = source.index(f"\ndef {function}(") + 1
    following = source.find("\ndef ", start + 1)
    return start, len(source) if following < 0 else following


def replace_once(source: str, old: str, new: str, *, within: str | None = None) -> str:
    """`source` with the one occurrence of `old` (inside function `within`, if given) replaced."""
    start, end = _function_text(source, within) if within is not None else (0, len(source))
    region = source[start:end]
    if region.count(old) != 1:
        raise AssertionError(
            f"{old!r} occurs {region.count(old)} times {'in ' + within if within else 'in the file'}, not once"
        )
    return source[:start] + region.replace(old, new) + source[end:]


@dataclass(frozen=True)
class Mistake:
    id: str
    phase: str
    """The phase of the program the mistake is in (data loading, forward pass, ...)."""
    step: int
    old: str
    new: str
    function: str
    """The function blame must name, or MODULE."""
    within: str | None = None
    module_phase: str | None = None
    """For MODULE: the phase blame must name."""
    call: str | None = None
    """How blame must name the call or the training step where it shows (a part of it: the
    first calls of tape_multiply square a node, where swapped derivatives agree)."""
    shows: str | None = None
    """A part of the blame's sentence that names what shows the mistake ('the loss it prints')."""
    only_after_short_run: bool = False
    """The run departs only after the blame's short run of 2 training steps: the check blames
    it after finding the first differing training step."""

    @property
    def plan(self) -> str:
        return BEYOND if self.step >= 12 else REVISED

    def source(self) -> str:
        text = (ROOT / STEP_FILES[self.step]).read_text(encoding="utf-8")
        return replace_once(text, self.old, self.new, within=self.within)

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.id}.py"
        path.write_text(self.source(), encoding="utf-8")
        return path


DATA = "data loading"
FORWARD = "forward pass"
BACKWARD = "backward pass and tape"
OPTIMIZER_PHASE = "optimizer update"
SAMPLING_PHASE = "sampling"

MISTAKES: tuple[Mistake, ...] = (
    # --- data loading: module-level code in every step ---
    Mistake(
        "no-shuffle",
        DATA,
        2,
        "random.shuffle(documents)\n",
        "\n",
        MODULE,
        module_phase=DATA_LOADING,
        call="before training",
    ),
    Mistake(
        "short-names-dropped",
        DATA,
        11,
        "    if stripped_line != '':",
        "    if len(stripped_line) > 2:",
        MODULE,
        module_phase=DATA_LOADING,
        call="before training",
    ),
    # --- forward pass ---
    Mistake(
        "rmsnorm-epsilon",
        FORWARD,
        7,
        "shifted = tape_add_constant(tape, ms, 1e-5)",
        "shifted = tape_add_constant(tape, ms, 1e-6)",
        "rmsnorm",
        within="rmsnorm",
        call="first call (training step 1)",
    ),
    Mistake(
        "dropped-residual",
        FORWARD,
        11,
        "        hidden = [tape_add(tape, hidden_node, residual_node) for hidden_node, residual_node in zip(hidden, residual)]\n\n    logits",
        "\n    logits",
        "forward_training",
        within="forward_training",
        call="first call (training step 1)",
    ),
    Mistake(
        "losses-summed-backwards",
        FORWARD,
        2,
        "loss = (1 / n) * sum(losses)",
        "loss = (1 / n) * sum(reversed(losses))",
        MODULE,
        module_phase=FORWARD_AND_LOSS,
        call="training step 1",
        shows="the loss it prints",
    ),
    Mistake(
        "off-by-one-sequence",
        FORWARD,
        6,
        "n = min(block_size, len(tokens) - 1)",
        "n = min(block_size, len(tokens) - 2)",
        MODULE,
        module_phase=FORWARD_AND_LOSS,
        call="training step 1",
    ),
    # --- backward pass and the tape ---
    Mistake(
        "backward-runs-forward",
        BACKWARD,
        6,
        "range(loss_index, -1, -1)",
        "range(0, loss_index + 1)",
        "tape_backward",
        within="tape_backward",
        call="first call (training step 1)",
    ),
    Mistake(
        "multiply-derivatives-swapped",
        BACKWARD,
        7,
        "tape_local_gradients.append((right, left))",
        "tape_local_gradients.append((left, right))",
        "tape_multiply",
        within="tape_multiply",
        call="(training step 1)",
    ),
    Mistake(
        "backward-from-the-sum",
        BACKWARD,
        7,
        "tape_gradients = tape_backward(tape, loss)",
        "tape_gradients = tape_backward(tape, total_loss)",
        MODULE,
        module_phase=OPTIMIZER,
        call="training step 1",
    ),
    # --- the optimizer update ---
    Mistake(
        "adam-epsilon",
        OPTIMIZER_PHASE,
        6,
        "(v_hat ** 0.5 + eps_adam)",
        "(v_hat ** 0.5 + 1e-7)",
        MODULE,
        module_phase=OPTIMIZER,
        call="training step 1",
    ),
    Mistake(
        "schedule-off-by-one",
        OPTIMIZER_PHASE,
        11,
        "math.cos(math.pi * step / number_of_steps)",
        "math.cos(math.pi * (step + 1) / number_of_steps)",
        MODULE,
        module_phase=OPTIMIZER,
        call="training step 1",
    ),
    Mistake(
        "schedule-distributed",
        OPTIMIZER_PHASE,
        11,
        "learning_rate * 0.5 * (1 + math.cos(math.pi * step / number_of_steps))",
        "learning_rate * 0.5 + learning_rate * 0.5 * math.cos(math.pi * step / number_of_steps)",
        MODULE,
        module_phase=OPTIMIZER,
        call="training step 2",
        shows="of a run of 3 training steps",
        only_after_short_run=True,
    ),
    Mistake(
        "bias-correction-regrouped",
        OPTIMIZER_PHASE,
        14,
        "first_moment_correction = 1 - beta1 ** (step + 1)",
        "first_moment_correction = 1 - beta1 ** step * beta1",
        "adam_update",
        within="adam_update",
        call="call 4 (training step 4)",
        only_after_short_run=True,
    ),
    Mistake(
        "bias-correction-step",
        OPTIMIZER_PHASE,
        14,
        "first_moment_correction = 1 - beta1 ** (step + 1)",
        "first_moment_correction = 1 - beta1 ** (step + 2)",
        "adam_update",
        within="adam_update",
        call="first call (training step 1)",
    ),
    # --- sampling ---
    Mistake(
        "float-rmsnorm-epsilon",
        SAMPLING_PHASE,
        8,
        "scale = (mean_square + 1e-5) ** -0.5",
        "scale = (mean_square + 1e-6) ** -0.5",
        "rmsnorm_float",
        within="rmsnorm_float",
        call="first call (after training)",
    ),
    Mistake(
        "temperature-inverted",
        SAMPLING_PHASE,
        11,
        "[logit * temperature ** -1 for logit in logits]",
        "[logit * temperature for logit in logits]",
        MODULE,
        module_phase=SAMPLING,
        call="sampling",
    ),
)
