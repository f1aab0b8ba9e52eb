"""The catalogue of rules, in code order, and how to name them on the command line.

Codes and names are fixed: the plan (plans/revised_plan.toml, [lint] zero_from) and
suppression comments refer to them. A rule is named by its code (DOD404, case does not
matter), its name (no-lambda), or a code prefix (DOD4 = every DOD4xx rule).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from workbench.lint.errors import LintError
from workbench.lint.rule import Rule
from workbench.lint.rules import (
    allowed_imports,
    explicit_truthiness,
    full_names,
    hidden_state,
    no_boolean_value,
    no_chained_calls,
    no_class,
    no_decorator,
    no_dunder,
    no_dynamic_execution,
    no_generator,
    no_global,
    no_lambda,
    no_nested_conditional,
    no_walrus,
    no_with,
    one_statement_per_line,
    simple_comprehension,
    type_hints,
)
from workbench.lint.rules.suppression_rules import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION

RULE_MODULES: tuple[ModuleType, ...] = (
    no_class,
    no_dunder,
    hidden_state,
    no_global,
    full_names,
    type_hints,
    simple_comprehension,
    no_generator,
    no_with,
    no_decorator,
    no_lambda,
    no_chained_calls,
    no_walrus,
    no_nested_conditional,
    one_statement_per_line,
    no_boolean_value,
    explicit_truthiness,
    allowed_imports,
    no_dynamic_execution,
)
"""The registry: one line per rule module (rules/<name>.py defines RULE), imported above.
Adding a rule is its module, its import and line here, its name in
workbench/lint_rule_names.py, and its step in the plan's [lint] zero_from; --explain,
--list-rules, the SARIF rule table and the tests all read the rule from its module."""


def _rule_of(module: ModuleType) -> Rule:
    rule = getattr(module, "RULE", None)
    if not isinstance(rule, Rule):
        raise LintError(f"internal error: {module.__name__} defines no RULE")
    return rule


ALL_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (*(_rule_of(module) for module in RULE_MODULES), SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION),
        key=lambda rule: rule.code,
    )
)
"""Every rule, in code order (the meta rules DOD900 and DOD901 last)."""

RULE_NAMES: tuple[str, ...] = tuple(rule.name for rule in ALL_RULES)
_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}


def find_rule(code_or_name: str) -> Rule | None:
    """The rule with this code (any case) or name, or None."""
    text = code_or_name.strip()
    return _BY_CODE.get(text.upper()) or _BY_NAME.get(text.lower())


def require_rule(code_or_name: str) -> Rule:
    rule = find_rule(code_or_name)
    if rule is None:
        raise LintError(f"'{code_or_name}' is not a rule; run with --list-rules to see the codes and names")
    return rule


def resolve_rule_list(items: Iterable[str]) -> list[Rule]:
    """Rules named by codes, names or code prefixes. Unknown entries are a LintError."""
    found: list[Rule] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        rule = find_rule(text)
        if rule is not None:
            found.append(rule)
            continue
        prefixed = [
            candidate
            for candidate in ALL_RULES
            if text.upper().startswith("DOD") and candidate.code.startswith(text.upper())
        ]
        if not prefixed:
            raise LintError(f"'{text}' is not a rule code, name or code prefix; run with --list-rules to see them")
        found.extend(prefixed)
    return found


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> tuple[Rule, ...]:
    """Every rule (or those in `select`) minus those in `ignore`, in code order."""
    chosen = set(ALL_RULES) if select is None else set(resolve_rule_list(select))
    ignored = set(resolve_rule_list(ignore or ()))
    return tuple(rule for rule in ALL_RULES if rule in chosen and rule not in ignored)
