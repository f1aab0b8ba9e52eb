"""Exercises: run the functions a step adds on generated inputs, against what they replace.

During expand steps (03-05) the plan adds tape kernels and a tape forward pass BESIDE the
Value path, and nothing calls them yet: running the program cannot tell a correct tape
`gpt` from one that drops a residual. An exercise calls the new function and the one it
replaces on the same generated inputs and compares the floats bit for bit (float.hex).
The plan names which exercises a step must pass (its contract's `exercise` items); they
keep applying at later steps, where the program does call the new functions but a short
run may not show a mistake in them.

Each exercise reads two sets of definitions (see definitions.load_definitions): the
functions under test always come from the file being checked; the functions they are
compared with (its `reference_names`: `Value`, `gpt_value`, ...) come from the same file
while it still has them, and once a later step has deleted them (step 07 deletes the
Value path) from the plan's own snapshot of the step that introduced the exercise. Each
exercise returns None when it holds, or one sentence naming the first disagreement: the
function, where, and the expected and computed values.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.proof.numbers import number_pair

Definitions = dict[str, Any]

MODEL_CONSTANTS: dict[str, int] = {"n_layer": 2, "n_head": 2, "n_embd": 12, "head_dim": 6, "block_size": 5}
"""Globals the forward passes read, set to a shape other than the default model's: two
layers, and a head width (6) whose square root is not exact, so a regrouped scale shows."""

SEEDS = range(3)


class ExerciseFailure(Exception):
    """An exercise found a disagreement; its message is the one sentence for the learner."""


@dataclass(frozen=True)
class Exercise:
    """A named check of new code: what it claims, which functions it tests, how it checks."""

    name: str
    claim: str
    functions: tuple[str, ...]
    """The functions under test (the ones a failure blames)."""
    requires: tuple[str, ...]
    """Every name the check reads from the file under test: the functions under test and the
    helpers it drives them with (tape_create, tape_value, ...)."""
    reference_names: tuple[str, ...]
    """What the tested functions are compared with; read from the file under test while it
    defines all of them, else from the reference snapshot. Empty: the file compares with itself."""
    check: Callable[[Definitions, Definitions], None]
    """check(tested, compared): raises ExerciseFailure at the first disagreement."""
    prefers_reference: bool = False
    """Compare with the reference snapshot whenever there is one, even while the file defines
    the reference names: a mistake in the file's own comparison side then fails the exercise
    of that side, not this one."""


def _hex(value: object) -> str:
    return float(value).hex() if isinstance(value, int | float) else repr(value)


def _require(definitions: Definitions, names: Sequence[str]) -> None:
    missing = [name for name in names if not callable(definitions.get(name))]
    if missing:
        raise ExerciseFailure(f"the file defines no {', '.join(missing)}")


def _compare(what: str, expected: Sequence[object], got: Sequence[object]) -> None:
    """Raise at the first element where two lists of floats differ bit for bit."""
    if len(expected) != len(got):
        raise ExerciseFailure(f"{what}: expected {len(expected)} values, got {len(got)}")
    for index, (left, right) in enumerate(zip(expected, got)):
        if _hex(left) != _hex(right):
            raise ExerciseFailure(f"{what}, element {index}: {number_pair(left, right)}")


def _call(definitions: Definitions, name: str, *arguments: Any) -> Any:
    """Call a function of the file, turning anything it raises into one sentence."""
    try:
        return definitions[name](*arguments)
    except ExerciseFailure:
        raise
    except Exception as error:  # noqa: BLE001 - the learner's code may raise anything; report it, don't crash
        raise ExerciseFailure(f"{name} raised {type(error).__name__}: {error}") from None


# --- step 03: each tape operation has the value and local derivatives of the Value operator ---

OPERATIONS: tuple[tuple[str, str, Callable[[Any, Any, float], Any]], ...] = (
    ("tape_add", "two", lambda x, y, c: x + y),
    ("tape_add_constant", "constant", lambda x, y, c: x + c),
    ("tape_multiply", "two", lambda x, y, c: x * y),
    ("tape_multiply_constant", "constant", lambda x, y, c: x * c),
    ("tape_power", "constant", lambda x, y, c: x**c),
    ("tape_log", "one", lambda x, y, c: x.log()),
    ("tape_exp", "one", lambda x, y, c: x.exp()),
    ("tape_relu", "one", lambda x, y, c: x.relu()),
)


def check_tape_operations(definitions: Definitions, compared: Definitions) -> None:
    """Every tape_* operation: same value and same gradients as the Value operator it mirrors."""
    value_class = compared["Value"]
    for seed in SEEDS:
        generator = random.Random(seed)
        for name, arity, value_operation in OPERATIONS:
            left = abs(generator.gauss(0, 1.5)) + 0.1 if name in ("tape_log", "tape_power") else generator.gauss(0, 1.5)
            right = generator.gauss(0, 1.5)
            constant = generator.choice([2, -1, 0.5, 3.0]) if name == "tape_power" else generator.gauss(0, 2.0)
            x, y = value_class(left), value_class(right)
            result = value_operation(x, y, constant)
            result.backward()
            tape = _call(definitions, "tape_create", [left, right])
            if arity == "two":
                index = _call(definitions, name, tape, 0, 1)
            elif arity == "constant":
                index = _call(definitions, name, tape, 0, constant)
            else:
                index = _call(definitions, name, tape, 0)
            _compare(f"{name} (value)", [result.data], [_call(definitions, "tape_value", tape, index)])
            gradients = _call(definitions, "tape_backward", tape, index)
            _compare(f"{name} (gradients of its inputs)", [x.grad, y.grad], list(gradients[:2]))
        check_shared_graph(definitions, value_class, generator)


GRAPH_TOLERANCE = 1e-9
"""Relative: a node with several consumers may add its contributions in another order on the
tape than in the Value graph (the lesson of step 06); a wrong derivative or scan is far off."""


def check_shared_graph(definitions: Definitions, value_class: Any, generator: random.Random) -> None:
    """Every operation once, in a graph of several levels whose nodes have several consumers
    (x0, x0 * x1 and x0 * x1 + x0 each feed two later nodes): a backward scan that runs
    forward, or a wrong local derivative anywhere, gives other gradients to the leaves."""
    numbers = [abs(generator.gauss(0, 1.0)) + 0.2 for _ in range(3)]
    x0, x1, x2 = (value_class(number) for number in numbers)
    product = x0 * x1
    with_x0 = product + x0
    squared = ((with_x0 * 0.7 + 1.3).relu()) ** 2
    decayed = (product * -0.2).exp()
    logged = (squared * decayed + 1.0).log()
    loss = (logged + with_x0) * x2
    loss.backward()
    tape = _call(definitions, "tape_create", numbers)
    t_product = _call(definitions, "tape_multiply", tape, 0, 1)
    t_with_x0 = _call(definitions, "tape_add", tape, t_product, 0)
    t_scaled = _call(definitions, "tape_multiply_constant", tape, t_with_x0, 0.7)
    t_shifted = _call(definitions, "tape_add_constant", tape, t_scaled, 1.3)
    t_squared = _call(definitions, "tape_power", tape, _call(definitions, "tape_relu", tape, t_shifted), 2)
    t_decayed = _call(
        definitions, "tape_exp", tape, _call(definitions, "tape_multiply_constant", tape, t_product, -0.2)
    )
    t_inner = _call(
        definitions, "tape_add_constant", tape, _call(definitions, "tape_multiply", tape, t_squared, t_decayed), 1.0
    )
    t_logged = _call(definitions, "tape_log", tape, t_inner)
    t_loss = _call(definitions, "tape_multiply", tape, _call(definitions, "tape_add", tape, t_logged, t_with_x0), 2)
    _compare(
        "a graph of every tape operation (its value)", [loss.data], [_call(definitions, "tape_value", tape, t_loss)]
    )
    gradients = _call(definitions, "tape_backward", tape, t_loss)
    expected = [x0.grad, x1.grad, x2.grad]
    for index, (left, right) in enumerate(zip(expected, list(gradients[:3]))):
        if not (isinstance(right, int | float) and abs(left - right) <= GRAPH_TOLERANCE * max(abs(left), abs(right))):
            raise ExerciseFailure(
                f"tape_backward on a graph of every tape operation with shared nodes, gradient of leaf {index}: "
                f"{number_pair(left, right)} (a backward scan must visit the nodes from the loss down, "
                "and each operation must record its own local derivatives)"
            )


# --- step 04: tape kernels compute the same floats as the Value kernels they sit beside ---


def check_tape_kernels(definitions: Definitions, compared: Definitions) -> None:
    """linear, softmax and rmsnorm on the tape equal linear_value, softmax_value and rmsnorm_value."""
    value_class = compared["Value"]
    for seed in SEEDS:
        generator = random.Random(100 + seed)
        rows, columns, padding = 7, 5, generator.randint(1, 5)
        parameter_data = [generator.gauss(0, 0.5) for _ in range(padding + rows * columns)]
        inputs = [generator.gauss(0, 1.0) for _ in range(columns)]
        offset = (padding, rows, columns)
        parameters = [value_class(number) for number in parameter_data]
        value_outputs = _call(compared, "linear_value", [value_class(number) for number in inputs], parameters, offset)
        tape = _call(definitions, "tape_create", parameter_data + inputs)
        input_indices = list(range(len(parameter_data), len(parameter_data) + len(inputs)))
        tape_outputs = _call(definitions, "linear", tape, input_indices, offset)
        read = definitions["tape_value"]
        _compare(
            "linear (outputs)", [node.data for node in value_outputs], [read(tape, index) for index in tape_outputs]
        )
        # Each weight feeds exactly one product: its gradient is one contribution, exact.
        value_loss = sum(value_outputs)
        value_loss.backward()
        gradients = _call(definitions, "tape_backward", tape, _call(definitions, "tape_sum", tape, tape_outputs))
        _compare(
            "linear (weight gradients)",
            [parameter.grad for parameter in parameters],
            list(gradients[: len(parameter_data)]),
        )

        numbers = [generator.gauss(0, 2.0) for _ in range(9)]
        for tape_name, value_name in (("softmax", "softmax_value"), ("rmsnorm", "rmsnorm_value")):
            tape = _call(definitions, "tape_create", numbers)
            outputs = _call(definitions, tape_name, tape, list(range(len(numbers))))
            expected = _call(compared, value_name, [value_class(number) for number in numbers])
            _compare(
                f"{tape_name} (outputs)", [node.data for node in expected], [read(tape, index) for index in outputs]
            )


# --- step 05: the tape forward pass computes the Value forward pass's logits ---


def random_model(
    seed: int, vocabulary_size: int, constants: dict[str, int]
) -> tuple[list[float], dict[str, tuple[int, int, int]]]:
    """Random parameters laid out as the snapshots lay them out, for the shape in `constants`."""
    generator = random.Random(seed)
    embedding = constants["n_embd"]
    layout = [
        ("wte", vocabulary_size, embedding),
        ("wpe", constants["block_size"], embedding),
        ("lm_head", vocabulary_size, embedding),
    ]
    for layer in range(constants["n_layer"]):
        for name, rows, columns in (
            ("attn_wq", embedding, embedding),
            ("attn_wk", embedding, embedding),
            ("attn_wv", embedding, embedding),
            ("attn_wo", embedding, embedding),
            ("mlp_fc1", 4 * embedding, embedding),
            ("mlp_fc2", embedding, 4 * embedding),
        ):
            layout.append((f"layer{layer}.{name}", rows, columns))
    parameter_data: list[float] = []
    offsets: dict[str, tuple[int, int, int]] = {}
    for name, rows, columns in layout:
        offsets[name] = (len(parameter_data), rows, columns)
        parameter_data.extend(generator.gauss(0, 0.3) for _ in range(rows * columns))
    return parameter_data, offsets


def check_tape_forward(definitions: Definitions, compared: Definitions) -> None:
    """gpt on the tape gives the logits of gpt_value, position after position, with its caches."""
    value_class = compared["Value"]
    layers = MODEL_CONSTANTS["n_layer"]
    for seed in SEEDS:
        vocabulary_size = 11
        parameter_data, offsets = random_model(300 + seed, vocabulary_size, MODEL_CONSTANTS)
        generator = random.Random(seed)
        tokens = [generator.randrange(vocabulary_size) for _ in range(MODEL_CONSTANTS["block_size"])]
        tape = _call(definitions, "tape_create", parameter_data)
        parameters = [value_class(number) for number in parameter_data]
        tape_keys: list[list[Any]] = [[] for _ in range(layers)]
        tape_values: list[list[Any]] = [[] for _ in range(layers)]
        value_keys: list[list[Any]] = [[] for _ in range(layers)]
        value_values: list[list[Any]] = [[] for _ in range(layers)]
        for position, token in enumerate(tokens):
            expected = _call(compared, "gpt_value", token, position, value_keys, value_values, parameters, offsets)
            got = _call(definitions, "gpt", tape, token, position, tape_keys, tape_values, offsets)
            _compare(
                f"gpt (logits at position {position})",
                [node.data for node in expected],
                [definitions["tape_value"](tape, index) for index in got],
            )


# --- step 08: the plain-float inference path computes the tape's floats ---


def check_float_inference(definitions: Definitions, compared: Definitions) -> None:
    """forward_inference gives the logits of the tape's gpt, position after position."""
    layers = MODEL_CONSTANTS["n_layer"]
    for seed in SEEDS:
        vocabulary_size = 11
        parameter_data, offsets = random_model(500 + seed, vocabulary_size, MODEL_CONSTANTS)
        generator = random.Random(seed)
        tokens = [generator.randrange(vocabulary_size) for _ in range(MODEL_CONSTANTS["block_size"])]
        tape = _call(compared, "tape_create", parameter_data)
        tape_keys: list[list[Any]] = [[] for _ in range(layers)]
        tape_values: list[list[Any]] = [[] for _ in range(layers)]
        float_keys: list[list[Any]] = [[] for _ in range(layers)]
        float_values: list[list[Any]] = [[] for _ in range(layers)]
        for position, token in enumerate(tokens):
            expected = _call(compared, "gpt", tape, token, position, tape_keys, tape_values, offsets)
            got = _call(
                definitions, "forward_inference", token, position, float_keys, float_values, parameter_data, offsets
            )
            _compare(
                f"forward_inference (logits at position {position})",
                [compared["tape_value"](tape, index) for index in expected],
                list(got),
            )


TAPE = ("tape_create", "tape_value", "tape_backward")
"""The tape's own functions, which every tape exercise drives the tested functions with."""

TAPE_OPERATIONS = tuple(name for name, _, _ in OPERATIONS)

EXERCISES: dict[str, Exercise] = {
    exercise.name: exercise
    for exercise in (
        Exercise(
            "tape-operations-match-value",
            "every tape operation has the value and local derivatives of its Value operator",
            (*TAPE_OPERATIONS, "tape_backward"),
            requires=(*TAPE, *TAPE_OPERATIONS),
            reference_names=("Value",),
            check=check_tape_operations,
        ),
        Exercise(
            "tape-kernels-match-value",
            "linear, softmax and rmsnorm on the tape compute the floats of their Value versions",
            ("linear", "softmax", "rmsnorm"),
            requires=(*TAPE, "tape_sum", "linear", "softmax", "rmsnorm"),
            reference_names=("Value", "linear_value", "softmax_value", "rmsnorm_value"),
            check=check_tape_kernels,
        ),
        Exercise(
            "tape-forward-matches-value",
            "the tape's gpt computes the logits of the Value path's gpt_value, float for float",
            ("gpt",),
            requires=("tape_create", "tape_value", "gpt"),
            reference_names=("Value", "gpt_value"),
            check=check_tape_forward,
        ),
        Exercise(
            "float-inference-matches-tape",
            "forward_inference computes the logits of the tape's gpt, float for float",
            ("forward_inference",),
            requires=("forward_inference",),
            reference_names=("tape_create", "tape_value", "gpt"),
            check=check_float_inference,
            # The plan's own tape gpt of step 08: a softmax_tape broken at step 09 fails the
            # exercise of step 04, and forward_inference is not blamed for it.
            prefers_reference=True,
        ),
    )
}
"""Every exercise the plan may name, by name."""


def needs_reference(exercise: Exercise, definitions: Definitions) -> bool:
    """Whether the exercise compares with the reference snapshot rather than with the file:
    when the file no longer defines all its reference names (step 07 deletes the Value path),
    or when the exercise prefers the reference."""
    return exercise.prefers_reference or not all(callable(definitions.get(name)) for name in exercise.reference_names)


def compared_side(exercise: Exercise, definitions: Definitions, reference: Definitions | None) -> Definitions:
    """Where the exercise takes what the tested functions are compared with: the reference
    snapshot when it needs one and there is one, else the file itself (steps 03-06 keep the
    Value path). The tested functions never come from the reference."""
    return reference if reference is not None and needs_reference(exercise, definitions) else definitions


def run_exercise(name: str, definitions: Definitions, reference: Definitions | None = None) -> str | None:
    """None when the exercise holds, else one sentence naming the first disagreement.

    `definitions` are the file's under test; `reference` the definitions of the plan's own
    snapshot of the step that introduced the exercise, used only for the exercise's
    `reference_names` when the file no longer defines them."""
    exercise = EXERCISES[name]
    compared = compared_side(exercise, definitions, reference)
    try:
        own_names = exercise.reference_names if compared is definitions else ()
        _require(definitions, (*own_names, *exercise.requires))
        exercise.check(definitions, compared)
    except ExerciseFailure as failure:
        return str(failure)
    except RecursionError:
        return "the functions recursed without end"
    except Exception as error:  # noqa: BLE001 - a Value class or helper of the learner's that misbehaves
        return f"{type(error).__name__}: {error}"
    return None
