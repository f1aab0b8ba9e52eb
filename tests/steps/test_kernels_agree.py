"""The new kernels compute the same floats as the ones they replace, checked kernel by kernel.

Only function definitions are loaded from the snapshots (see snapshot_functions), so these
run in milliseconds and point at the exact kernel that drifted, while the end-to-end runs
prove the whole programs agree.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from workbench.plan import Plan

from .snapshot_functions import load_definitions

MODEL_CONSTANTS = {"n_layer": 2, "n_head": 2, "n_embd": 8, "head_dim": 4, "block_size": 6}


def _hex(values: list[float]) -> list[str]:
    return [float(value).hex() for value in values]


@pytest.fixture(scope="module")
def step_04(plan: Plan) -> dict[str, Any]:
    return load_definitions(plan.step_path(plan.step(4)), MODEL_CONSTANTS)


@pytest.fixture(scope="module")
def step_08(plan: Plan) -> dict[str, Any]:
    return load_definitions(plan.step_path(plan.step(8)), MODEL_CONSTANTS)


def _random_problem(seed: int, rows: int, columns: int) -> tuple[list[float], tuple[int, int, int], list[float]]:
    generator = random.Random(seed)
    padding = generator.randint(0, 5)  # the matrix does not start at offset 0
    parameter_data = [generator.gauss(0, 0.5) for _ in range(padding + rows * columns)]
    inputs = [generator.gauss(0, 1.0) for _ in range(columns)]
    return parameter_data, (padding, rows, columns), inputs


@pytest.mark.parametrize("seed", range(5))
def test_tape_linear_equals_value_linear_float_for_float(step_04: dict[str, Any], seed: int) -> None:
    parameter_data, offset, inputs = _random_problem(seed, rows=7, columns=5)
    value_class = step_04["Value"]
    parameters = [value_class(number) for number in parameter_data]
    value_outputs = step_04["linear_value"]([value_class(number) for number in inputs], parameters, offset)

    tape = step_04["tape_create"](parameter_data + inputs)
    input_indices = list(range(len(parameter_data), len(parameter_data) + len(inputs)))
    tape_outputs = step_04["linear"](tape, input_indices, offset)
    assert _hex([node.data for node in value_outputs]) == _hex([step_04["tape_value"](tape, index) for index in tape_outputs])

    # Every weight feeds exactly one product, so its gradient is a single contribution and
    # must be bit-identical; inputs feed one product per row, so only their order differs.
    value_loss = sum(value_outputs)
    value_loss.backward()
    tape_gradients = step_04["tape_backward"](tape, step_04["tape_sum"](tape, tape_outputs))
    assert _hex([parameter.grad for parameter in parameters]) == _hex(tape_gradients[: len(parameter_data)])


@pytest.mark.parametrize("seed", range(5))
def test_tape_softmax_and_rmsnorm_equal_the_value_versions(step_04: dict[str, Any], seed: int) -> None:
    generator = random.Random(100 + seed)
    numbers = [generator.gauss(0, 2.0) for _ in range(9)]
    value_class = step_04["Value"]
    tape = step_04["tape_create"](numbers)
    indices = list(range(len(numbers)))
    read = step_04["tape_value"]

    value_softmax = step_04["softmax_value"]([value_class(number) for number in numbers])
    tape_softmax = step_04["softmax"](tape, indices)
    assert _hex([node.data for node in value_softmax]) == _hex([read(tape, index) for index in tape_softmax])

    value_norm = step_04["rmsnorm_value"]([value_class(number) for number in numbers])
    tape_norm = step_04["rmsnorm"](tape, indices)
    assert _hex([node.data for node in value_norm]) == _hex([read(tape, index) for index in tape_norm])


@pytest.mark.parametrize("seed", range(5))
def test_float_kernels_equal_tape_kernels(step_08: dict[str, Any], seed: int) -> None:
    parameter_data, offset, inputs = _random_problem(200 + seed, rows=6, columns=8)
    tape = step_08["tape_create"](parameter_data + inputs)
    input_indices = list(range(len(parameter_data), len(parameter_data) + len(inputs)))
    read = step_08["tape_value"]

    tape_linear = [read(tape, index) for index in step_08["linear"](tape, input_indices, offset)]
    assert _hex(step_08["linear_float"](inputs, parameter_data, offset)) == _hex(tape_linear)

    tape_softmax = [read(tape, index) for index in step_08["softmax"](tape, input_indices)]
    assert _hex(step_08["softmax_float"](inputs)) == _hex(tape_softmax)

    tape_norm = [read(tape, index) for index in step_08["rmsnorm"](tape, input_indices)]
    assert _hex(step_08["rmsnorm_float"](inputs)) == _hex(tape_norm)


def _random_model(seed: int, vocabulary_size: int) -> tuple[list[float], dict[str, tuple[int, int, int]]]:
    """Random parameters laid out exactly as the snapshots lay them out (two layers)."""
    generator = random.Random(seed)
    embedding = MODEL_CONSTANTS["n_embd"]
    layout = [("wte", vocabulary_size, embedding), ("wpe", MODEL_CONSTANTS["block_size"], embedding), ("lm_head", vocabulary_size, embedding)]
    for layer in range(MODEL_CONSTANTS["n_layer"]):
        for name, rows, columns in (("attn_wq", embedding, embedding), ("attn_wk", embedding, embedding), ("attn_wv", embedding, embedding), ("attn_wo", embedding, embedding), ("mlp_fc1", 4 * embedding, embedding), ("mlp_fc2", embedding, 4 * embedding)):
            layout.append((f"layer{layer}.{name}", rows, columns))
    parameter_data: list[float] = []
    offsets: dict[str, tuple[int, int, int]] = {}
    for name, rows, columns in layout:
        offsets[name] = (len(parameter_data), rows, columns)
        parameter_data.extend(generator.gauss(0, 0.3) for _ in range(rows * columns))
    return parameter_data, offsets


@pytest.mark.parametrize("seed", range(3))
def test_forward_inference_equals_the_tape_forward_pass(step_08: dict[str, Any], seed: int) -> None:
    vocabulary_size = 11
    parameter_data, offsets = _random_model(300 + seed, vocabulary_size)
    generator = random.Random(seed)
    tokens = [generator.randrange(vocabulary_size) for _ in range(MODEL_CONSTANTS["block_size"])]
    layers = MODEL_CONSTANTS["n_layer"]
    tape = step_08["tape_create"](parameter_data)
    tape_keys: list[list[list[int]]] = [[] for _ in range(layers)]
    tape_values: list[list[list[int]]] = [[] for _ in range(layers)]
    float_keys: list[list[list[float]]] = [[] for _ in range(layers)]
    float_values: list[list[list[float]]] = [[] for _ in range(layers)]
    for position, token in enumerate(tokens):
        tape_logits = step_08["gpt"](tape, token, position, tape_keys, tape_values, offsets)
        float_logits = step_08["forward_inference"](token, position, float_keys, float_values, parameter_data, offsets)
        assert _hex(float_logits) == _hex([step_08["tape_value"](tape, index) for index in tape_logits]), f"position {position}"
