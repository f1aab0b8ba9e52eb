"""What a rule is: a code, a name, its documentation, its examples as data, and a check.

A rule's check receives the parsed file (a SourceContext) and yields Findings: the node
to point at and a message. The engine turns findings into Violations with positions.
The examples are the rule's specification in miniature: the tests run every one of them
(tests/lint/test_lint_rule_examples.py) and `lint_style.py --explain RULE` prints them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import libcst as cst

from workbench.lint.source import SourceContext


@dataclass(frozen=True)
class Example:
    """A small program and what the rule must say about it.

    For a valid example `count` is 0; for an invalid one it is the exact number of
    violations of this rule the program must produce.
    """

    source: str
    note: str
    count: int


def valid(source: str, note: str) -> Example:
    """An example the rule must not flag (often a near-miss)."""
    return Example(source=_tidy(source), note=note, count=0)


def invalid(source: str, note: str, count: int = 1) -> Example:
    """An example the rule must flag exactly `count` times."""
    return Example(source=_tidy(source), note=note, count=count)


def _tidy(source: str) -> str:
    return textwrap.dedent(source).strip("\n") + "\n"


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one node: where to point, and what to say."""

    node: cst.CSTNode
    message: str


CheckFunction = Callable[[SourceContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One style rule. `code` and `name` are stable: the plan and suppressions use them."""

    code: str
    name: str
    summary: str
    flags: str
    why: str
    fix: str
    example: str
    fixed_example: str
    valid_examples: tuple[Example, ...]
    invalid_examples: tuple[Example, ...]
    check: CheckFunction | None = None
    """None for the meta rules, which the suppression machinery reports itself."""

    @property
    def title(self) -> str:
        """'DOD404 no-lambda'."""
        return f"{self.code} {self.name}"


def make_rule(
    *,
    code: str,
    name: str,
    summary: str,
    flags: str,
    why: str,
    fix: str,
    example: str,
    fixed_example: str,
    valid_examples: Iterable[Example],
    invalid_examples: Iterable[Example],
    check: CheckFunction | None,
) -> Rule:
    """Build a Rule, tidying the prose (one paragraph per blank-line block) and examples."""
    return Rule(
        code=code,
        name=name,
        summary=summary.strip(),
        flags=_paragraphs(flags),
        why=_paragraphs(why),
        fix=_paragraphs(fix),
        example=_tidy(example),
        fixed_example=_tidy(fixed_example),
        valid_examples=tuple(valid_examples),
        invalid_examples=tuple(invalid_examples),
        check=check,
    )


def _paragraphs(text: str) -> str:
    blocks = textwrap.dedent(text).strip().split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)
