"""The plan validates its [lint] table against a leaf list of rule names; the registry must
agree with it, name for name and in code order."""

from __future__ import annotations

from workbench.lint.rules import ALL_RULES, RULE_NAMES
from workbench.lint_rule_names import LINT_RULE_NAMES


def test_the_leaf_list_names_every_rule_of_the_registry_in_code_order() -> None:
    assert LINT_RULE_NAMES == RULE_NAMES == tuple(rule.name for rule in sorted(ALL_RULES, key=lambda rule: rule.code))
