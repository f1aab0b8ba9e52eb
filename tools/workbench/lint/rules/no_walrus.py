"""DOD406 no-walrus: no assignment expressions."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.NamedExpr):
        assert isinstance(node, cst.NamedExpr)
        name = context.short_code_of(node.target, limit=30)
        yield Finding(
            node,
            f"assignment expression binds '{name}' in the middle of an expression: assign it on its own line first",
        )


RULE = make_rule(
    code="DOD406",
    name="no-walrus",
    summary="no assignment expressions (:=)",
    flags="Every assignment expression `name := value`.",
    why="""
        An assignment inside an expression is a side effect the eye skips: the line seems to
        test or compute something and also creates data. Each line should do one legible
        thing; binding a value is one of them.
    """,
    fix="Assign the value on its own line, then use the name.",
    example="""
        if (count := len(values)) > 10:
            print(count)
    """,
    fixed_example="""
        count = len(values)
        if count > 10:
            print(count)
    """,
    valid_examples=(
        valid("count = len([1, 2])\nif count > 1:\n    print(count)\n", "assign first, then test"),
        valid("print(round(2.5, ndigits=1))\n", "a keyword argument is not an assignment expression"),
        valid("text = 'count := 3'\n", "the operator inside a string"),
        valid("def f(value: int = 3) -> int:\n    return value\n", "a default value"),
        valid("is_equal = 1 == 1\n", "a comparison"),
    ),
    invalid_examples=(
        invalid("if (count := len([1])) > 0:\n    print(count)\n", "in an if test"),
        invalid("while (line := input()) != '':\n    print(line)\n", "in a while test"),
        invalid("values = [square for item in range(3) if (square := item * item) > 1]\n", "in a comprehension"),
        invalid("print(total := 3)\n", "in a call"),
        invalid("pair = ((first := 1), (second := 2))\n", "two in one expression", count=2),
    ),
    check=check,
)
