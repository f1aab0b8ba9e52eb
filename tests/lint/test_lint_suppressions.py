"""Suppression comments: what they suppress, and the meta rules DOD900 and DOD901."""

from __future__ import annotations

from lint_helpers import counts, lint


def test_a_suppression_with_a_reason_removes_the_violation_silently() -> None:
    assert counts("square = lambda value: value * value  # lint: allow[no-lambda] a demo\n") == {}


def test_a_suppression_may_name_rules_by_code_and_several_at_once() -> None:
    source = "text = open('a').read()  # lint: allow[DOD405, no-lambda] a one-off\n"
    found = counts(source)
    assert found == {"unused-suppression": 1}, "no-lambda suppresses nothing on this line"


def test_a_suppression_without_a_reason_still_suppresses_but_is_reported() -> None:
    (violation,) = lint("square = lambda value: value * value  # lint: allow[no-lambda]\n")
    assert violation.code == "DOD900" and "gives no reason" in violation.message
    assert violation.column == 39


def test_a_suppression_applies_to_its_own_line_only() -> None:
    source = "# lint: allow[no-lambda] wrong line\nsquare = lambda value: value * value\n"
    assert counts(source) == {"no-lambda": 1, "unused-suppression": 1}


def test_an_unknown_rule_name_is_reported() -> None:
    (violation,) = lint("total = 1  # lint: allow[no-lamda] typo\n")
    assert violation.code == "DOD901" and "'no-lamda', which is not a rule" in violation.message


def test_a_malformed_directive_is_reported() -> None:
    (violation,) = lint("total = 1  # lint: allow no-lambda\n")
    assert violation.code == "DOD900" and "malformed" in violation.message


def test_unused_is_only_judged_for_rules_that_ran() -> None:
    source = "total = 1  # lint: allow[no-class] not judged when no-class does not run\n"
    assert counts(source, "no-lambda", "unused-suppression") == {}
    assert counts(source, "no-class", "unused-suppression") == {"unused-suppression": 1}


def test_meta_violations_cannot_be_suppressed() -> None:
    source = "total = 1  # lint: allow[unused-suppression]\n"
    assert counts(source) == {"suppression-without-reason": 1, "unused-suppression": 1}


def test_a_suppression_covers_a_violation_reported_on_its_line_in_a_multi_line_statement() -> None:
    source = "values = [\n    lambda: 0,  # lint: allow[no-lambda] a table of callbacks\n]\n"
    assert counts(source, "no-lambda", "suppression-without-reason", "unused-suppression") == {}
