"""DOD401 no-generator: no generator expressions, yield or yield from."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.GeneratorExp, cst.Yield):
        if isinstance(node, cst.Yield):
            keyword = "yield from" if isinstance(node.value, cst.From) else "yield"
            yield Finding(node, f"'{keyword}' makes a generator, a lazy pipeline: build and return a list instead")
            continue
        parent = context.parent(node)
        function_name = ""
        if isinstance(parent, cst.Arg):
            call = context.parent(parent)
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Name | cst.Attribute):
                function_name = context.short_code_of(call.func, limit=30)
        if function_name:
            yield Finding(
                node,
                f"generator expression passed to {function_name}(...): compute it in an explicit for loop (a running total, maximum, ...)",
            )
        else:
            yield Finding(node, "generator expression: a lazy pipeline; build the values in an explicit for loop")


RULE = make_rule(
    code="DOD401",
    name="no-generator",
    summary="no generator expressions, yield or yield from",
    flags="""
        Every generator expression, including the bare ones passed to a call
        (`sum(x * x for x in values)`, `max(v.data for v in logits)`), and every `yield`
        and `yield from`.
    """,
    why="""
        A generator is a lazy pipeline: the values are produced somewhere else, later, on
        demand, interleaved with their consumer. That hides when and in what order the data
        is touched, which is exactly what data-oriented code wants to show. In microgpt the
        dot products and sums of `linear`, `softmax` and `rmsnorm` are generators inside
        sum(...) and max(...): the hot loop of the program is hidden in an argument.
    """,
    fix="""
        Write the loop: a running total for sum, a running maximum for max, a list built by
        append for anything collected. A function that yields becomes one that returns a list.
    """,
    example="""
        total = sum(weight * value for weight, value in zip(weights, values))
    """,
    fixed_example="""
        total = 0.0
        for weight, value in zip(weights, values):
            total = total + weight * value
    """,
    valid_examples=(
        valid("total = sum([1, 2, 3])\n", "sum over a list"),
        valid("squares = [value * value for value in range(3)]\n", "a list comprehension is not a generator"),
        valid(
            """
            def collect(limit: int) -> list[int]:
                values = []
                for index in range(limit):
                    values.append(index)
                return values
            """,
            "a function that returns a list",
        ),
        valid("pair = (1, 2)\n", "a parenthesised tuple is not a generator"),
        valid("largest = max(3, 4)\n", "max of arguments"),
        valid("yields = ['a', 'b']\n", "a name containing 'yield'"),
    ),
    invalid_examples=(
        invalid("total = sum(value * value for value in range(3))\n", "a generator inside sum"),
        invalid("largest = max(value for value in [1, 2])\n", "a generator inside max"),
        invalid("lazy = (value for value in range(3))\n", "a bare generator expression"),
        invalid(
            """
            def numbers():
                yield 1
                yield 2
            """,
            "each yield",
            count=2,
        ),
        invalid(
            """
            def delegate():
                yield from range(3)
            """,
            "yield from",
        ),
        invalid("joined = ''.join(str(value) for value in range(3))\n", "a generator passed to a method"),
    ),
    check=check,
)
