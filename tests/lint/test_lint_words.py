"""Splitting names into words and judging them against the word tables."""

from __future__ import annotations

import pytest

from workbench.lint.words import (
    ABBREVIATIONS,
    GLOSSARY,
    build_vocabulary,
    english_words,
    judge_name,
    pluralize,
    split_words,
)

VOCABULARY = build_vocabulary(frozenset(), {})


@pytest.mark.parametrize(
    ("identifier", "words"),
    [
        ("n_embd", ["n", "embd"]),
        ("TapeIndex", ["Tape", "Index"]),
        ("HTTPServer", ["HTTP", "Server"]),
        ("beta1", ["beta", "1"]),
        ("layer0_weights", ["layer", "0", "weights"]),
        ("MAX_STEPS", ["MAX", "STEPS"]),
        ("_children", ["children"]),
        ("größe", ["größe"]),
    ],
)
def test_split_words(identifier: str, words: list[str]) -> None:
    assert split_words(identifier.strip("_")) == words


def test_the_vendored_word_list_is_lower_case_words_of_three_letters_or_more() -> None:
    words = english_words()
    assert len(words) > 50_000
    assert {"embedding", "dimension", "gradient", "tape"} <= words
    assert all(word.isascii() and word.isalpha() and word.islower() and len(word) >= 3 for word in words)


@pytest.mark.parametrize(
    "identifier",
    [
        "token_id",
        "embedding_dimension",
        "softmax",
        "logits",
        "TapeIndex",
        "beta1",
        "tape_exp",
        "parameter_offset_table",
        "_",
        "first_moment",
        "tokens",
        "lookups",
    ],
)
def test_full_words_pass(identifier: str) -> None:
    assert judge_name(identifier, VOCABULARY) is None


@pytest.mark.parametrize(
    ("identifier", "suggestion"),
    [
        ("n_embd", "embedding_dimension"),
        ("idx", "index"),
        ("grad", "gradient"),
        ("grads", "gradients"),
        ("attn", "attention"),
        ("emb", "embedding"),
        ("pos", "position"),
        ("tok", "token"),
        ("probs", "probabilities"),
        ("val", "value"),
        ("vocab", "vocabulary"),
        ("eps", "epsilon"),
        ("num", "number"),
        ("max_value", "maximum_value"),
        ("min_count", "minimum_count"),
        ("MAX_STEPS", "MAXIMUM_STEPS"),
        ("AttnCache", "AttentionCache"),
        ("mats", "matrices"),
        ("_tmp", "_temporary"),
    ],
)
def test_abbreviations_are_flagged_with_their_full_form(identifier: str, suggestion: str) -> None:
    verdict = judge_name(identifier, VOCABULARY)
    assert verdict is not None and verdict.suggestion == suggestion
    assert f"write '{suggestion}'" in verdict.message


@pytest.mark.parametrize("word", ["max", "min", "doc", "temp", "grad", "mat", "info"])
def test_the_abbreviation_table_wins_over_the_dictionary(word: str) -> None:
    assert word in english_words() and word in ABBREVIATIONS
    assert judge_name(word, VOCABULARY) is not None


@pytest.mark.parametrize("identifier", ["x", "i", "T", "_x"])
def test_single_letters_are_flagged(identifier: str) -> None:
    verdict = judge_name(identifier, VOCABULARY)
    assert verdict is not None and "is a single letter" in verdict.message


@pytest.mark.parametrize("identifier", ["xi", "hs", "cm", "nout"])
def test_two_letter_dictionary_junk_and_non_words_are_flagged(identifier: str) -> None:
    assert judge_name(identifier, VOCABULARY) is not None


def test_configuration_adds_words_and_abbreviations() -> None:
    vocabulary = build_vocabulary(frozenset({"nout"}), {"tape": "recording"})
    assert judge_name("nout", vocabulary) is None
    verdict = judge_name("tape_index", vocabulary)
    assert verdict is not None and verdict.suggestion == "recording_index"


def test_glossary_holds_the_domain_terms() -> None:
    assert {
        "softmax",
        "rmsnorm",
        "relu",
        "adam",
        "gpt",
        "mlp",
        "logit",
        "logits",
        "kv",
        "autograd",
        "tokenizer",
    } <= GLOSSARY


@pytest.mark.parametrize(
    ("phrase", "plural"),
    [
        ("probability", "probabilities"),
        ("matrix", "matrices"),
        ("keyword_argument", "keyword_arguments"),
        ("index", "indices"),
        ("bus", "buses"),
    ],
)
def test_pluralize(phrase: str, plural: str) -> None:
    assert pluralize(phrase) == plural
