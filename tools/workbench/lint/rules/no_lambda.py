"""DOD404 no-lambda: no lambda expressions."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Lambda):
        yield Finding(
            node, "lambda: an anonymous function inside an expression; write a named def with typed parameters"
        )


RULE = make_rule(
    code="DOD404",
    name="no-lambda",
    summary="no lambda expressions",
    flags="Every `lambda`, wherever it appears (assigned, passed as an argument, returned).",
    why="""
        A lambda is a function without a name, a signature you can annotate, or a line of
        its own. In microgpt, `matrix = lambda nout, nin, std=0.02: [[...] ...]` hides
        the whole parameter-initialisation layout in one expression. A named def states
        what it builds, from which inputs, with which types.
    """,
    fix="Write a named function with annotated parameters and call it by name.",
    example="""
        matrix = lambda rows, columns: [[0.0] * columns for _ in range(rows)]
    """,
    fixed_example="""
        def make_matrix(number_of_rows: int, number_of_columns: int) -> list[list[float]]:
            rows: list[list[float]] = []
            for _ in range(number_of_rows):
                rows.append([0.0] * number_of_columns)
            return rows
    """,
    valid_examples=(
        valid("def double(value: int) -> int:\n    return value * 2\n", "a named function"),
        valid("lambda_value = 0.1\n", "a name containing 'lambda'"),
        valid("ordered = sorted([3, 1, 2])\n", "sorted without a key function"),
        valid("text = 'lambda x: x'\n", "the keyword inside a string"),
        valid(
            """
            def by_length(word: str) -> int:
                return len(word)

            ordered = sorted(['bb', 'a'], key=by_length)
            """,
            "a named key function",
        ),
    ),
    invalid_examples=(
        invalid("double = lambda value: value * 2\n", "an assigned lambda"),
        invalid("ordered = sorted(['bb', 'a'], key=lambda word: len(word))\n", "a lambda passed as an argument"),
        invalid("make = lambda: lambda: 0\n", "a lambda returning a lambda counts twice", count=2),
        invalid(
            """
            def adder(amount):
                return lambda value: value + amount
            """,
            "a returned lambda",
        ),
        invalid("handlers = {'add': lambda a, b: a + b}\n", "a lambda in a table"),
    ),
    check=check,
)
