"""Suppression comments, and the meta rules DOD900 and DOD901.

Three reaches, each naming rules by code or name and giving a reason after the bracket:
- `# lint: allow[rule, ...] reason` - the violations reported on the comment's own line;
- `# lint: allow-block[rule, ...] reason` on a line of its own - the next statement,
  with its whole block when it is a def, class, if, for, while, try or with;
- `# lint: allow-file[rule, ...] reason` anywhere - the whole file.
 After every
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
ALLOW_BLOCK = "allow-block["
ALLOW_FILE = "allow-file["


@dataclass(frozen=True)
class Suppression:
    """One suppression comment, parsed. `rule_names` are the names as written."""

    comment: cst.Comment
    line: int
    rule_names: tuple[str, ...]
    reason: str
    malformed: bool
    first_line: int = 0
    last_line: int = 0
    """The lines whose violations it suppresses (inclusive)."""

    def covers(self, line: int) -> bool:
        return self.first_line <= line <= self.last_line


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
        opening = next((prefix for prefix in (ALLOW_BLOCK, ALLOW_FILE, ALLOW) if directive.startswith(prefix)), None)
        if opening is None or closing < 0:
            suppressions.append(Suppression(node, line, (), "", malformed=True, first_line=line, last_line=line))
            continue
        names = tuple(name.strip() for name in directive[len(opening) : closing].split(",") if name.strip())
        reason = directive[closing + 1 :].strip()
        first, last = _reach(context, node, opening, line)
        suppressions.append(
            Suppression(node, line, names, reason, malformed=not names, first_line=first, last_line=last)
        )
    return suppressions


COMPOUND_STATEMENTS = (
    cst.FunctionDef,
    cst.ClassDef,
    cst.If,
    cst.For,
    cst.While,
    cst.Try,
    cst.TryStar,
    cst.With,
    cst.Match,
)


def _reach(context: SourceContext, comment: cst.Comment, opening: str, line: int) -> tuple[int, int]:
    """The first and last line a suppression covers."""
    if opening == ALLOW_FILE:
        return 1, max(len(context.lines), 1)
    if opening == ALLOW_BLOCK and isinstance(context.parent(comment), cst.EmptyLine):
        for statement in context.nodes_of(cst.SimpleStatementLine, *COMPOUND_STATEMENTS):  # source order
            position = context.position(statement)
            if position.start.line > line:
                return position.start.line, position.end.line
    return line, line


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
    ranges: list[tuple[Suppression, str]] = []
    meta: list[Violation] = []
    for suppression in suppressions:
        if suppression.malformed:
            if SUPPRESSION_WITHOUT_REASON.name in selected:
                meta.append(
                    make_violation(
                        suppression.comment,
                        SUPPRESSION_WITHOUT_REASON,
                        "malformed suppression comment: write '# lint: allow[rule-name] reason'",
                    )
                )
            continue
        rules: list[Rule] = []
        for written in suppression.rule_names:
            rule = find_rule(written)
            if rule is None:
                if UNUSED_SUPPRESSION.name in selected:
                    meta.append(
                        make_violation(
                            suppression.comment,
                            UNUSED_SUPPRESSION,
                            f"suppression names '{written}', which is not a rule (see --list-rules)",
                        )
                    )
                continue
            rules.append(rule)
        for rule in rules:
            ranges.append((suppression, rule.name))
        if not has_reason(suppression.reason) and SUPPRESSION_WITHOUT_REASON.name in selected:
            listed = ", ".join(rule.name for rule in rules) or "its rules"
            meta.append(
                make_violation(
                    suppression.comment,
                    SUPPRESSION_WITHOUT_REASON,
                    f"suppression of {listed} gives no reason: say why after the closing bracket",
                )
            )
    if UNUSED_SUPPRESSION.name in selected:
        for suppression in suppressions:
            for written in suppression.rule_names:
                rule = find_rule(written)
                if rule is None or rule.name not in selected:
                    continue
                if not any(
                    violation.name == rule.name and suppression.covers(violation.line) for violation in violations
                ):
                    where = (
                        "on this line"
                        if suppression.first_line == suppression.last_line == suppression.line
                        else "in its reach"
                    )
                    meta.append(
                        make_violation(
                            suppression.comment,
                            UNUSED_SUPPRESSION,
                            f"suppression of {rule.name} suppresses nothing {where}: remove it",
                        )
                    )
    kept = [
        violation
        for violation in violations
        if not any(name == violation.name and suppression.covers(violation.line) for suppression, name in ranges)
    ]
    return kept + meta
