"""The linter on its first real subject, original/microgpt.py, against counts verified by
reading the file by hand."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from workbench.lint.engine import FileResult, LintSettings, lint_file
from workbench.lint.violation import Violation


@pytest.fixture(scope="module")
def original(project_root: Path, all_rules: LintSettings) -> FileResult:
    return lint_file(project_root / "original" / "microgpt.py", all_rules)


def _of(result: FileResult, name: str) -> list[Violation]:
    return [violation for violation in result.violations if violation.name == name]


EXPECTED_COUNTS = {
    "no-class": 1,  # class Value
    "no-dunder": 11,  # __init__, __add__, __mul__, __pow__, __neg__, __radd__, __sub__, __rsub__, __rmul__, __truediv__, __rtruediv__
    "hidden-state": 9,  # gpt reads state_dict: wte, wpe, attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1, mlp_fc2, lm_head
    "no-global": 0,
    # 41 signature entries (29 in Value, 12 in linear, softmax, rmsnorm, gpt; self exempt) + 12 bindings
    "type-hints": 53,
    "simple-comprehension": 6,  # docs, matrix, params, linear, attn_logits, head_out
    "no-generator": 5,  # linear's sum, softmax's max, rmsnorm's sum, attn_logits' sum, head_out's sum
    "no-with": 0,
    "no-decorator": 0,
    "no-lambda": 1,  # matrix = lambda ...
    "no-chained-calls": 1,  # open('input.txt').read().strip().split('\n')
    "no-walrus": 0,
    "no-nested-conditional": 0,
    "one-statement-per-line": 11,  # the one-line methods __pow__ ... __rtruediv__
    "no-boolean-value": 0,
    "explicit-truthiness": 0,
    "allowed-imports": 0,  # os, math, random, urllib.request
    "no-dynamic-execution": 0,  # open('input.txt') reads data, not code
    "suppression-without-reason": 0,
    "unused-suppression": 0,
}


@pytest.mark.parametrize(("rule_name", "expected"), EXPECTED_COUNTS.items())
def test_count_per_rule(original: FileResult, rule_name: str, expected: int) -> None:
    assert len(_of(original, rule_name)) == expected


def test_no_class_points_at_value(original: FileResult) -> None:
    (violation,) = _of(original, "no-class")
    assert violation.line == 30 and "'Value'" in violation.message


def test_hidden_state_flags_gpt_reading_state_dict_and_nothing_else(original: FileResult) -> None:
    violations = _of(original, "hidden-state")
    assert [violation.line for violation in violations] == [109, 110, 118, 119, 120, 133, 138, 140, 143]
    for violation in violations:
        assert violation.message.startswith("gpt reads module-level 'state_dict'")
    messages = " ".join(violation.message for violation in violations)
    for constant in ("n_layer", "n_head", "head_dim"):
        assert f"'{constant}'" not in messages


def test_chained_call_is_reported_once_at_the_outermost_call(original: FileResult) -> None:
    (violation,) = _of(original, "no-chained-calls")
    assert (violation.line, violation.column) == (19, 28)
    assert "open(...).read().strip().split(...)" in violation.message


def test_the_lambda_is_matrix(original: FileResult) -> None:
    (violation,) = _of(original, "no-lambda")
    assert violation.line == 80


def test_one_line_methods_are_the_dunder_and_math_methods(original: FileResult) -> None:
    assert [violation.line for violation in _of(original, "one-statement-per-line")] == list(range(47, 58))


@pytest.mark.parametrize(
    ("identifier", "suggestion"),
    [
        ("n_embd", "embedding_dimension"),
        ("n_head", "number_of_heads"),
        ("n_layer", "number_of_layers"),
        ("head_dim", "head_dimension"),
        ("li", "layer_index"),
        ("lr_t", "adjusted_learning_rate"),
        ("vocab_size", "vocabulary_size"),
        ("sample_idx", "sample_index"),
        ("tok_emb", "token_embedding"),
        ("pos_emb", "position_embedding"),
        ("attn_logits", "attention_logits"),
        ("probs", "probabilities"),
        ("max_val", "maximum_logit"),
        ("eps_adam", "adam_epsilon"),
        ("num_steps", "number_of_steps"),
        ("uchars", "unique_characters"),
        ("local_grad", "local_gradient"),
    ],
)
def test_full_names_flags_abbreviations_with_their_full_form(
    original: FileResult, identifier: str, suggestion: str
) -> None:
    messages = [
        violation.message
        for violation in _of(original, "full-names")
        if violation.message.startswith(f"name '{identifier}' ")
    ]
    assert messages, f"{identifier} is not flagged"
    assert messages[0].endswith(f"write '{suggestion}'")


@pytest.mark.parametrize(
    "identifier",
    [
        "token_id",
        "target_id",
        "keys",
        "values",
        "logits",
        "softmax",
        "rmsnorm",
        "linear",
        "learning_rate",
        "temperature",
        "block_size",
        "beta1",
        "losses",
        "sample",
    ],
)
def test_full_names_leaves_full_words_alone(original: FileResult, identifier: str) -> None:
    assert not [
        violation for violation in _of(original, "full-names") if violation.message.startswith(f"name '{identifier}' ")
    ]


def test_single_letters_are_flagged_but_not_the_throwaway(original: FileResult) -> None:
    flagged = Counter(
        violation.message.split("'")[1]
        for violation in _of(original, "full-names")
        if "is a single letter;" in violation.message
    )
    assert {"x", "i", "m", "v", "p", "n"} <= set(flagged)
    assert "_" not in flagged


def test_type_hints_cover_signatures_and_major_bindings(original: FileResult) -> None:
    messages = [violation.message for violation in _of(original, "type-hints")]
    assert "linear has no return type: annotate it (-> None when it returns nothing)" in messages
    assert "parameter 'x' of linear has no type hint" in messages
    assert not any("'self'" in message for message in messages)
    bound = {message.split("'")[1] for message in messages if "without a type hint" in message}
    assert bound == {
        "docs",
        "uchars",
        "state_dict",
        "params",
        "m",
        "v",
        "tokens",
        "losses",
        "sample",
        "topo",
        "visited",
        "x_attn",
    }
