"""DOD400 simple-comprehension: comprehensions only as plain mappings (one for, no filter, no nesting)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.expressions import contains_chain
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext

_NESTED_KINDS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _reasons(comprehension: cst.ListComp | cst.SetComp | cst.DictComp, context: SourceContext) -> list[str]:
    reasons: list[str] = []
    clause: cst.CompFor | None = comprehension.for_in
    clauses: list[cst.CompFor] = []
    while clause is not None:
        clauses.append(clause)
        clause = clause.inner_for_in
    if len(clauses) > 1:
        reasons.append(f"{len(clauses)} 'for' clauses")
    filters = sum(len(clause.ifs) for clause in clauses)
    if filters:
        reasons.append("a filter ('if')" if filters == 1 else f"{filters} filters ('if')")
    if any(clause.asynchronous is not None for clause in clauses):
        reasons.append("'async for'")
    if any(isinstance(inner, _NESTED_KINDS) for inner in context.descendants(comprehension)):
        reasons.append("a nested comprehension or generator")
    if contains_chain(comprehension, context):
        reasons.append("a chained call")
    return reasons


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.ListComp, cst.SetComp, cst.DictComp):
        assert isinstance(node, cst.ListComp | cst.SetComp | cst.DictComp)
        reasons = _reasons(node, context)
        if reasons:
            yield Finding(
                node, f"comprehension is not a plain mapping ({', '.join(reasons)}): write an explicit for loop"
            )


RULE = make_rule(
    code="DOD400",
    name="simple-comprehension",
    summary="list, set and dict comprehensions only as plain mappings (one for, no filter, no nesting)",
    flags="""
        A list, set or dict comprehension with more than one `for`, any `if` filter, an
        `async for`, another comprehension or generator anywhere inside it, a chained
        method call inside it. A plain mapping split over several lines (as a formatter
        writes a long one) is still a plain mapping. Generator expressions are
        no-generator's business.
    """,
    why="""
        A comprehension hides a loop inside an expression. For a plain mapping (`[value *
        scale for value in values]`) that costs nothing; once it filters, nests or chains,
        the reader has to unpack control flow that an explicit loop would state line by
        line, and the shape of the data being built (which loop is outer, what is
        skipped) disappears into one line.
    """,
    fix="""
        Write the explicit loop: create the empty container with its type, loop, and
        append. Keep comprehensions that are one `for` over one iterable producing one
        element per item.
    """,
    example="""
        documents = [line.strip() for line in lines if line.strip()]
    """,
    fixed_example="""
        documents: list[str] = []
        for line in lines:
            stripped_line = line.strip()
            if len(stripped_line) > 0:
                documents.append(stripped_line)
    """,
    valid_examples=(
        valid("squares = [value * value for value in range(4)]\n", "a trivial mapping"),
        valid("totals = [first + second for first, second in zip([1], [2])]\n", "zip in the iterable is fine"),
        valid("names = {index: str(index) for index in range(3)}\n", "a trivial dict comprehension"),
        valid("weights = [row[0].log() for row in [[1]]]\n", "a method on a subscript is not a chain"),
        valid("caches = [[] for _ in range(2)]\n", "an empty display as the element is not a nested comprehension"),
        valid("letters = {character for character in 'hello'}\n", "a trivial set comprehension"),
        valid(
            """
            scaled_weights = [
                weight * scale
                for weight in [0.5, 0.25]
            ]
            """,
            "a plain mapping split over four lines, as a formatter writes it",
        ),
    ),
    invalid_examples=(
        invalid("docs = [line.strip() for line in ['a '] if line.strip()]\n", "a filter"),
        invalid("pairs = [(row, column) for row in range(2) for column in range(2)]\n", "two for clauses"),
        invalid(
            "grid = [[0 for column in range(2)] for row in range(2)]\n",
            "a nested comprehension (the inner one is fine)",
        ),
        invalid("sums = [sum(item for item in row) for row in [[1]]]\n", "a generator inside"),
        invalid("words = [line.strip().split() for line in ['a b']]\n", "a chained call inside"),
        invalid(
            """
            values = [
                index * 2
                for index in range(3)
                if index > 0
            ]
            """,
            "a filter, over several lines",
        ),
    ),
    check=check,
)
