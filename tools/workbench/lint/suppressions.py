"""`# lint: allow[rule, ...] reason` comments, and the meta rules DOD900 and DOD901.

A suppression applies to violations reported on the line the comment is on. It names
rules by code or name and must give a reason after the closing bracket. After every
rule has run, `apply_suppressions` removes the suppressed violations and reports:
- DOD900 suppression-without-reason: no reason, or a malformed `# lint:` comment;
- DOD901 unused-suppression: a named rule that reported nothing on that line (when it
  ran), or a name that is not a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import libcst as cst

from workbench.lint.rule import Rule
from workbench.lint.rules.suppression_rules import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION
from workbench.lint.source import SourceContext
from workbench.lint.violation import Violation

DIRECTIVE = "lint:"
ALLOW = "allow["


@dataclass(frozen=True)
class Suppression:
    """One suppression comment, parsed. `rule_names` are the names as written."""

    comment: cst.Comment
    line: int
    rule_names: tuple[str, ...]
    reason: str
    malformed: bool


def find_suppressions(context: SourceContext) -> list[Suppression]:
    suppressions: list[Suppression] = []
    for node in context.nodes_of(cst.Comment):
        assert isinstance(node, cst.Comment)
        body = node.value[1:].strip()
        if not body.startswith(DIRECTIVE):
            continue
        directive = body[len(DIRECTIVE) :].strip()
        line = context.line_of(node)
        closing = directive.find("]")
        if not directive.startswith(ALLOW) or closing < 0:
            suppressions.append(Suppression(node, line, (), "", malformed=True))
            continue
        names = tuple(name.strip() for name in directive[len(ALLOW) : closing].split(",") if name.strip())
        reason = directive[closing + 1 :].strip()
        suppressions.append(Suppression(node, line, names, reason, malformed=not names))
    return suppressions


def has_reason(reason: str) -> bool:
    return any(character.isalpha() for character in reason)


def apply_suppressions(
    violations: list[Violation],
    context: SourceContext,
    find_rule: Callable[[str], Rule | None],
    selected: Collection[str],
    make_violation: Callable[[cst.CSTNode, Rule, str], Violation],
) -> list[Violation]:
    """The violations left after suppression, plus the meta rules' own violations.

    `selected` holds the names of the rules that ran; `make_violation` positions a
    message at a node.
    """
    suppressions = find_suppressions(context)
    if not suppressions:
        return violations
    suppressed_keys: set[tuple[int, str]] = set()
    meta: list[Violation] = []
    for suppression in suppressions:
        if suppression.malformed:
            if SUPPRESSION_WITHOUT_REASON.name in selected:
                meta.append(make_violation(suppression.comment, SUPPRESSION_WITHOUT_REASON, "malformed suppression comment: write '# lint: allow[rule-name] reason'"))
            continue
        rules: list[Rule] = []
        for written in suppression.rule_names:
            rule = find_rule(written)
            if rule is None:
                if UNUSED_SUPPRESSION.name in selected:
                    meta.append(make_violation(suppression.comment, UNUSED_SUPPRESSION, f"suppression names '{written}', which is not a rule (see --list-rules)"))
                continue
            rules.append(rule)
        for rule in rules:
            suppressed_keys.add((suppression.line, rule.name))
        if not has_reason(suppression.reason) and SUPPRESSION_WITHOUT_REASON.name in selected:
            listed = ", ".join(rule.name for rule in rules) or "its rules"
            meta.append(make_violation(suppression.comment, SUPPRESSION_WITHOUT_REASON, f"suppression of {listed} gives no reason: say why after the closing bracket"))
    reported_keys = {(violation.line, violation.name) for violation in violations}
    if UNUSED_SUPPRESSION.name in selected:
        for suppression in suppressions:
            for written in suppression.rule_names:
                rule = find_rule(written)
                if rule is None or rule.name not in selected:
                    continue
                if (suppression.line, rule.name) not in reported_keys:
                    meta.append(make_violation(suppression.comment, UNUSED_SUPPRESSION, f"suppression of {rule.name} suppresses nothing on this line: remove it"))
    kept = [violation for violation in violations if (violation.line, violation.name) not in suppressed_keys]
    return kept + meta
