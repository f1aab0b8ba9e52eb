"""DOD407 no-nested-conditional: no conditional expression inside another."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.IfExp):
        if any(isinstance(ancestor, cst.IfExp) for ancestor in context.ancestors(node)):
            continue
        inner = [descendant for descendant in context.descendants(node) if isinstance(descendant, cst.IfExp)]
        if inner:
            total = len(inner) + 1
            yield Finding(node, f"{total} conditional expressions nested in one: write an if/elif/else statement")


RULE = make_rule(
    code="DOD407",
    name="no-nested-conditional",
    summary="no conditional expression inside another",
    flags="""
        A conditional expression (`a if test else b`) that contains another one in its test,
        its value or its alternative. Reported once, at the outermost conditional.
    """,
    why="""
        Nested ternaries make the reader evaluate a decision tree inside one expression.
        Explicit control flow puts each branch on its own line, where the data each branch
        produces is visible.
    """,
    fix="Write an if/elif/else statement that assigns the result in each branch.",
    example="""
        sign = 'positive' if value > 0 else 'negative' if value < 0 else 'zero'
    """,
    fixed_example="""
        if value > 0:
            sign = 'positive'
        elif value < 0:
            sign = 'negative'
        else:
            sign = 'zero'
    """,
    valid_examples=(
        valid("sign = 'positive' if value > 0 else 'other'\n", "a single conditional expression"),
        valid(
            "if value > 0:\n    sign = 1\nelif value < 0:\n    sign = -1\nelse:\n    sign = 0\n",
            "an if/elif/else statement",
        ),
        valid("first = 1 if ready else 0\nsecond = 2 if ready else 0\n", "two separate conditionals"),
        valid("values = [1 if item else 0 for item in flags]\n", "one conditional in a comprehension"),
        valid("pair = (1 if ready else 0, 2 if done else 0)\n", "two conditionals side by side, not nested"),
    ),
    invalid_examples=(
        invalid(
            "sign = 'positive' if value > 0 else 'negative' if value < 0 else 'zero'\n", "nested in the alternative"
        ),
        invalid("size = (1 if small else 2) if ready else 0\n", "nested in the value"),
        invalid("result = 1 if (ready if checked else False) else 0\n", "nested in the test"),
        invalid("level = 'a' if x else 'b' if y else 'c' if z else 'd'\n", "three deep is still one report"),
        invalid(
            "first = 1 if a else 2 if b else 3\nsecond = 1 if c else 2 if d else 3\n", "two separate nests", count=2
        ),
    ),
    check=check,
)
