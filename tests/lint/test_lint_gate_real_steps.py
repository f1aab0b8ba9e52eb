"""The gate over the real original and the eleven step snapshots, as CI runs it.

This fails until the lead has written every snapshot (a missing step is a gate failure)
and whenever a step breaks the plan's [lint] table: read the failures it prints.
"""

from __future__ import annotations

from workbench.lint.config import load_config
from workbench.lint.engine import LintSettings
from workbench.lint.gate import policy_from_plan, run_gate, snapshots_from_plan
from workbench.lint.rules import ALL_RULES, RULE_NAMES
from workbench.plan import Plan


def test_the_plan_names_only_known_rules(plan: Plan) -> None:
    assert set(plan.lint_zero_from) <= set(RULE_NAMES)
    assert set(plan.lint_deferred) <= set(plan.lint_zero_from)
    policy_from_plan(plan)


def test_every_non_meta_rule_has_a_step_in_the_plan(plan: Plan) -> None:
    meta = {"suppression-without-reason", "unused-suppression"}
    assert set(RULE_NAMES) - meta == set(plan.lint_zero_from)


def test_the_gate_passes_over_the_real_steps(plan: Plan) -> None:
    report = run_gate(
        snapshots_from_plan(plan),
        policy_from_plan(plan),
        LintSettings(rules=ALL_RULES, config=load_config(plan.root / "pyproject.toml")),
    )
    problems = [
        f"{failure.location} {failure.rule_code} {failure.rule_name} {list(failure.reasons)} {failure.message}"
        for failure in report.failures
    ]
    assert report.passed, "gate failures:\n" + "\n".join(problems)
    final = {name: values[-1] for name, values in report.counts.items()}
    assert set(final.values()) == {0}
