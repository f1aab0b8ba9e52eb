"""The gate on synthetic step sequences: each of its five checks, passing and failing."""

from __future__ import annotations

import textwrap

import pytest

from workbench.lint.config import LintConfig
from workbench.lint.engine import LintSettings
from workbench.lint.errors import LintError, SourceError
from workbench.lint.gate import REASON_ADDED_LINE, REASON_FINAL, GatePolicy, GateSnapshot, changed_lines, run_gate
from workbench.lint.rules import select_rules

SETTINGS = LintSettings(
    rules=select_rules(["no-lambda", "hidden-state", "full-names", "no-class"]), config=LintConfig()
)


def program(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


CLEAN = program(
    """
    import math

    LIMIT = 3


    def double(value):
        return value * 2
    """
)


def test_a_clean_burn_down_passes() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    report = run_gate([("original", original), ("01", CLEAN)], GatePolicy(zero_from={"no-lambda": 1}), SETTINGS)
    assert report.passed, report.failures
    assert report.counts["no-lambda"] == (1, 0)
    assert report.labels == ("original", "01")


def test_a_step_that_adds_a_violation_fails_even_when_the_count_holds() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    step = CLEAN + "cube = lambda value: value * value * value\n"
    final = CLEAN
    report = run_gate(
        [("original", original), ("01", step), ("02", final)], GatePolicy(zero_from={"no-lambda": 2}), SETTINGS
    )
    assert not report.passed
    (failure,) = report.failures
    assert (failure.label, failure.rule_name, failure.line) == ("01", "no-lambda", 8)
    assert failure.reasons == (REASON_ADDED_LINE,)
    assert ("no-lambda", 1) in report.broken_cells
    assert report.counts["no-lambda"] == (1, 1, 0)


def test_unchanged_debt_may_stay_until_its_step() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    step = "# a comment the step adds\n" + original
    report = run_gate(
        [("original", original), ("01", step), ("02", CLEAN)], GatePolicy(zero_from={"no-lambda": 2}), SETTINGS
    )
    assert report.passed, report.failures


def test_counts_that_rise_fail() -> None:
    original = program(
        """
        LIMIT = 3


        def read_limit():
            return LIMIT
        """
    )
    step = original.replace("LIMIT = 3", "LIMIT = [3]")
    report = run_gate(
        [("original", original), ("01", step), ("02", original)], GatePolicy(zero_from={"hidden-state": 2}), SETTINGS
    )
    rises = [failure for failure in report.failures if failure.kind == "rise"]
    assert [(failure.label, failure.rule_name) for failure in rises] == [("01", "hidden-state")]
    assert "rose from 0 at original to 1 at 01" in rises[0].message
    assert len(report.failures) == 1, "the read is on an unchanged line: only the rise fails"


def test_a_rule_must_be_zero_from_its_step() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    report = run_gate(
        [("original", original), ("01", original), ("02", CLEAN)], GatePolicy(zero_from={"no-lambda": 1}), SETTINGS
    )
    (failure,) = report.failures
    assert failure.label == "01" and failure.reasons == ("must be zero from step 01",)


def test_a_deferred_rule_is_debt_until_its_step_and_fails_after_it() -> None:
    original = CLEAN
    first = CLEAN + "n_embd = 16\n"
    second = CLEAN + "n_embd = 16\nhead_dim = 4\n"
    policy = GatePolicy(zero_from={"full-names": 3}, deferred=frozenset({"full-names"}))
    report = run_gate([("original", original), ("01", first), ("02", second), ("03", second)], policy, SETTINGS)
    assert [failure.label for failure in report.failures] == ["03", "03"], (
        "steps 01 and 02 may add debt; 03 may not carry it"
    )
    assert all("must be zero from step 03" in failure.reasons for failure in report.failures)
    assert report.is_debt("full-names", 1) and report.is_debt("full-names", 2) and not report.is_debt("full-names", 3)


def test_a_deferred_rule_at_its_step_may_not_rise_or_add() -> None:
    policy = GatePolicy(zero_from={"full-names": 1}, deferred=frozenset({"full-names"}))
    report = run_gate([("original", CLEAN), ("01", CLEAN + "tok_emb = 1\n")], policy, SETTINGS)
    kinds = sorted(failure.kind for failure in report.failures)
    assert kinds == ["rise", "violation"]
    violation = next(failure for failure in report.failures if failure.kind == "violation")
    assert REASON_ADDED_LINE in violation.reasons


def test_a_non_deferred_rule_may_not_add_debt_before_its_step() -> None:
    policy = GatePolicy(zero_from={"full-names": 2})
    report = run_gate([("original", CLEAN), ("01", CLEAN + "tok_emb = 1\n"), ("02", CLEAN)], policy, SETTINGS)
    assert {failure.kind for failure in report.failures} == {"rise", "violation"}
    assert all(failure.label == "01" for failure in report.failures)


def test_the_final_step_must_be_clean_even_for_rules_the_plan_does_not_name() -> None:
    dirty = CLEAN + "class Record:\n    pass\n"
    report = run_gate([("original", dirty), ("01", dirty)], GatePolicy(zero_from={}), SETTINGS)
    (failure,) = report.failures
    assert failure.rule_name == "no-class" and failure.reasons == (REASON_FINAL,)


def test_a_missing_snapshot_fails_and_names_the_file() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    snapshots = [
        GateSnapshot("original", original, "original/p.py"),
        GateSnapshot("01", None, "steps/01_x.py"),
        GateSnapshot("02", CLEAN, "steps/02_y.py"),
    ]
    report = run_gate(snapshots, GatePolicy(zero_from={"no-lambda": 2}), SETTINGS)
    (failure,) = report.failures
    assert failure.kind == "missing" and "steps/01_x.py does not exist" in failure.message
    assert report.counts["no-lambda"] == (1, None, 0)


def test_after_a_missing_snapshot_the_next_step_is_compared_with_the_last_one_that_exists() -> None:
    original = CLEAN + "square = lambda value: value * value\n"
    report = run_gate(
        [("original", original), ("01", None), ("02", original), ("03", CLEAN)],
        GatePolicy(zero_from={"no-lambda": 3}),
        SETTINGS,
    )
    assert [failure.kind for failure in report.failures] == ["missing"]


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (GatePolicy(zero_from={"no-lambdas": 1}), "unknown rule 'no-lambdas'"),
        (GatePolicy(zero_from={"no-lambda": 1}, deferred=frozenset({"full-name"})), "unknown rule 'full-name'"),
        (GatePolicy(zero_from={"no-lambda": 5}), "numbered 1 to 1"),
        (GatePolicy(zero_from={}, deferred=frozenset({"full-names"})), "no zero_from step"),
    ],
)
def test_a_bad_policy_is_a_clear_error(policy: GatePolicy, words: str) -> None:
    with pytest.raises(LintError, match=words):
        run_gate([("original", CLEAN), ("01", CLEAN)], policy, SETTINGS)


def test_an_unparseable_snapshot_is_an_error_with_its_line() -> None:
    with pytest.raises(SourceError, match=r"steps/01\.py:3:"):
        run_gate(
            [
                GateSnapshot("original", CLEAN, "original.py"),
                GateSnapshot("01", "x = 1\ny = 2\ndef broken(:\n", "steps/01.py"),
            ],
            GatePolicy(zero_from={}),
            SETTINGS,
        )


def test_changed_lines_are_the_added_and_replaced_lines_of_the_new_text() -> None:
    before = "a\nb\nc\nd\n"
    after = "a\nB\nc\nnew\nd\n"
    assert changed_lines(before, after) == {2, 4}
    assert changed_lines(before, before) == set()
    assert changed_lines("", "x\ny\n") == {1, 2}


def test_numbered_snapshots_apply_zero_from_by_step_number_not_position() -> None:
    """A plan that continues another starts at step 11: zero_from 12 is its third snapshot."""
    debt = CLEAN + "square = lambda value: value * value\n"
    step_12 = "# a comment the step adds\n" + debt
    snapshots = [
        GateSnapshot("original", debt, "original", 0),
        GateSnapshot("11", debt, "11", 11),
        GateSnapshot("12", step_12, "12", 12),
        GateSnapshot("13", CLEAN, "13", 13),
    ]
    report = run_gate(snapshots, GatePolicy(zero_from={"no-lambda": 12}, validated=True), SETTINGS)
    assert [(failure.label, failure.reasons) for failure in report.failures] == [("12", ("must be zero from step 12",))]
    assert report.numbers == (0, 11, 12, 13)
