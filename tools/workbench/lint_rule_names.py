"""The names of the linter's rules, in code order: a leaf that imports nothing.

The plan names rules in its `[lint]` table and validates them against this list, so the
plan (a lower layer) never imports the linter (a higher one). The linter's registry
(workbench.lint.rules) is checked against this list by the test suite: adding a rule is
its module, its line in the registry, its name here, and its step in the plan.
"""

from __future__ import annotations

LINT_RULE_NAMES: tuple[str, ...] = (
    "no-class",
    "no-dunder",
    "hidden-state",
    "no-global",
    "full-names",
    "type-hints",
    "simple-comprehension",
    "no-generator",
    "no-with",
    "no-decorator",
    "no-lambda",
    "no-chained-calls",
    "no-walrus",
    "no-nested-conditional",
    "one-statement-per-line",
    "no-boolean-value",
    "explicit-truthiness",
    "allowed-imports",
    "no-dynamic-execution",
    "suppression-without-reason",
    "unused-suppression",
)
