"""DOD500 no-boolean-value: `and`/`or` only as conditions, never for their value."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def is_condition(node: cst.CSTNode, context: SourceContext) -> bool:
    """True when `node` is the test of an if, elif, while, assert, conditional expression,
    comprehension filter or match guard."""
    parent = context.parent(node)
    match parent:
        case cst.If() | cst.While() | cst.Assert() | cst.IfExp() | cst.CompIf():
            return parent.test is node
        case cst.MatchCase():
            return parent.guard is node
    return False


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.BooleanOperation):
        assert isinstance(node, cst.BooleanOperation)
        if isinstance(context.parent(node), cst.BooleanOperation):
            continue  # part of a larger and/or: judged at the outermost one
        holder: cst.CSTNode = node
        parent = context.parent(holder)
        while isinstance(parent, cst.BooleanOperation) or (isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)):
            holder = parent
            parent = context.parent(holder)
        if is_condition(holder, context):
            continue
        operator = "and" if isinstance(node.operator, cst.And) else "or"
        yield Finding(
            node,
            f"'{operator}' used for its value (it returns one of its operands, not True or False): decide with an if statement, or compare explicitly",
        )


RULE = make_rule(
    code="DOD500",
    name="no-boolean-value",
    summary="and/or only in conditions, never used for their value",
    flags="""
        An `and`/`or` expression anywhere other than the test of an if, elif, while,
        assert, conditional expression, comprehension filter or match guard (possibly under
        `not`): assigned (`name = value or default`), returned, passed as an argument,
        compared, or used as an operand. A chain of `and`/`or` is reported once.
    """,
    why="""
        `a or b` does not compute a boolean: it returns `a` when `a` is truthy, else `b`.
        Used for its value it is a hidden branch that depends on truthiness (is 0 a missing
        value? is an empty list?), which the invariants ask to make explicit.
    """,
    fix="""
        Decide with an if statement (`if name is None: name = default`), or compute an
        explicit boolean with comparisons when a bool is what you need
        (`is_ready = count > 0 and not failed` is still an and-value: write the if).
    """,
    example="""
        name = given_name or 'anonymous'
    """,
    fixed_example="""
        if given_name == '':
            name = 'anonymous'
        else:
            name = given_name
    """,
    valid_examples=(
        valid("if ready and count > 0:\n    print(count)\n", "an and in an if test"),
        valid("while not (done or failed):\n    step()\n", "an or under not in a while test"),
        valid("assert count > 0 and count < 10\n", "an assert test"),
        valid("label = 'yes' if ready or forced else 'no'\n", "the test of a conditional expression"),
        valid("kept = [item for item in items if item > 0 and item < 5]\n", "a comprehension filter"),
        valid("is_small = count < 10\n", "a comparison without and/or"),
    ),
    invalid_examples=(
        invalid("name = given_name or 'anonymous'\n", "a default through or"),
        invalid("def pick(first, second):\n    return first and second\n", "a returned and"),
        invalid("print(ready or forced)\n", "an argument"),
        invalid("is_inside = low < value and value < high\n", "assigned, even between comparisons"),
        invalid("if (first or second) == third:\n    pass\n", "an operand of a comparison inside an if test"),
        invalid("value = (a and b) or c\n", "one chain, one report"),
    ),
    check=check,
)
