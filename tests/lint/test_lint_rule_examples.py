"""Every rule's own examples, run as tests: the rule documentation is the specification.

The examples live next to each rule (tools/workbench/lint/rules/*.py); `--explain` shows
the same data. A valid example must produce no violation of its rule; an invalid one
exactly the number it declares. All rules run together, so an example also proves that
other rules do not steal or duplicate its findings.
"""

from __future__ import annotations

import pytest

from workbench.lint.engine import LintSettings, lint_text
from workbench.lint.rule import Example, Rule
from workbench.lint.rules import ALL_RULES

FIXED_RULES = {
    "DOD100": "no-class",
    "DOD101": "no-dunder",
    "DOD110": "hidden-state",
    "DOD111": "no-global",
    "DOD200": "full-names",
    "DOD300": "type-hints",
    "DOD400": "simple-comprehension",
    "DOD401": "no-generator",
    "DOD402": "no-with",
    "DOD403": "no-decorator",
    "DOD404": "no-lambda",
    "DOD405": "no-chained-calls",
    "DOD406": "no-walrus",
    "DOD407": "no-nested-conditional",
    "DOD408": "one-statement-per-line",
    "DOD500": "no-boolean-value",
    "DOD501": "explicit-truthiness",
    "DOD600": "allowed-imports",
    "DOD900": "suppression-without-reason",
    "DOD901": "unused-suppression",
}


def _cases(kind: str) -> list[pytest.param]:
    cases = []
    for rule in ALL_RULES:
        examples = rule.valid_examples if kind == "valid" else rule.invalid_examples
        for number, example in enumerate(examples, start=1):
            cases.append(pytest.param(rule, example, id=f"{rule.code}-{rule.name}-{kind}{number}"))
    return cases


def _count(rule: Rule, source: str, settings: LintSettings) -> tuple[int, list[str]]:
    result = lint_text(source, "example.py", settings)
    found = [
        f"{violation.line}:{violation.column} {violation.message}"
        for violation in result.violations
        if violation.code == rule.code
    ]
    return len(found), found


def test_codes_and_names_are_the_fixed_ones() -> None:
    """Published codes and names never change (plans and suppressions use them); new
    rules only add codes. The catalogue is in code order, without repeats."""
    catalogue = {rule.code: rule.name for rule in ALL_RULES}
    assert {code: catalogue.get(code) for code in FIXED_RULES} == FIXED_RULES
    assert [rule.code for rule in ALL_RULES] == sorted(catalogue)
    assert len(catalogue) == len(ALL_RULES) and len({rule.name for rule in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_is_documented_with_five_examples_each_way(rule: Rule) -> None:
    assert rule.summary and rule.flags and rule.why and rule.fix and rule.example and rule.fixed_example
    assert len(rule.valid_examples) >= 5, "at least five examples that must not be flagged"
    assert len(rule.invalid_examples) >= 5, "at least five examples that must be flagged"
    assert all(example.count >= 1 for example in rule.invalid_examples)
    assert len({example.source for example in (*rule.valid_examples, *rule.invalid_examples)}) == len(
        rule.valid_examples
    ) + len(rule.invalid_examples)


@pytest.mark.parametrize(("rule", "example"), _cases("valid"))
def test_valid_example_is_not_flagged(rule: Rule, example: Example, all_rules: LintSettings) -> None:
    count, found = _count(rule, example.source, all_rules)
    assert count == 0, f"{example.note}: unexpectedly flagged: {found}\n{example.source}"


@pytest.mark.parametrize(("rule", "example"), _cases("invalid"))
def test_invalid_example_is_flagged_exactly(rule: Rule, example: Example, all_rules: LintSettings) -> None:
    count, found = _count(rule, example.source, all_rules)
    assert count == example.count, f"{example.note}: expected {example.count}, found {found}\n{example.source}"


@pytest.mark.parametrize("rule", [rule for rule in ALL_RULES if rule.check is not None], ids=lambda rule: rule.code)
def test_documentation_example_is_flagged_and_its_fix_is_not(rule: Rule, all_rules: LintSettings) -> None:
    assert _count(rule, rule.example, all_rules)[0] >= 1
    assert _count(rule, rule.fixed_example, all_rules)[0] == 0
