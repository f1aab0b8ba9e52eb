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


BOOLEAN_BUILTINS: frozenset[str] = frozenset(
    f"builtins.{name}" for name in ("isinstance", "issubclass", "callable", "hasattr", "all", "any", "bool")
)


def is_boolean(expression: cst.BaseExpression, context: SourceContext) -> bool:
    """True when the expression's value is visibly True or False: a comparison, a `not`,
    the constants, a call of isinstance/callable/hasattr/all/any/bool, or and/or of those."""
    match expression:
        case cst.Comparison() | cst.UnaryOperation(operator=cst.Not()):
            return True
        case cst.Name(value="True" | "False"):
            return True
        case cst.BooleanOperation():
            return is_boolean(expression.left, context) and is_boolean(expression.right, context)
        case cst.Call():
            return bool(context.qualified_names(expression.func) & BOOLEAN_BUILTINS)
    return False


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.BooleanOperation):
        assert isinstance(node, cst.BooleanOperation)
        if isinstance(context.parent(node), cst.BooleanOperation):
            continue  # part of a larger and/or: judged at the outermost one
        holder: cst.CSTNode = node
        parent = context.parent(holder)
        while isinstance(parent, cst.BooleanOperation) or (
            isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
        ):
            holder = parent
            parent = context.parent(holder)
        if is_condition(holder, context) or is_boolean(node, context):
            continue  # a condition, or a value that is a bool whichever operand it is
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
        compared, or used as an operand. A chain of `and`/`or` is reported once. When
        every operand is itself a bool (a comparison, a `not`, True/False, isinstance(),
        any(), ... or and/or of those) the value is a bool too, and nothing is flagged.
    """,
    why="""
        `a or b` does not compute a boolean: it returns `a` when `a` is truthy, else `b`.
        Used for its value it is a hidden branch that depends on truthiness (is 0 a missing
        value? is an empty list?), which the invariants ask to make explicit.
    """,
    fix="""
        Decide with an if statement (`if name is None: name = default`), or compute an
        explicit boolean from comparisons when a bool is what you need
        (`is_ready = count > 0 and not failed`).
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
        valid(
            "def within(count: int, limit: int) -> bool:\n    return count > 0 and count < limit\n",
            "returned, but both operands are comparisons: the value is a bool",
        ),
        valid("is_inside = low < value and value < high\n", "assigned between comparisons: a bool"),
        valid("is_ready = not failed and isinstance(count, int)\n", "a not and an isinstance(): a bool"),
    ),
    invalid_examples=(
        invalid("name = given_name or 'anonymous'\n", "a default through or"),
        invalid("def pick(first, second):\n    return first and second\n", "a returned and"),
        invalid("print(ready or forced)\n", "an argument"),
        invalid("is_inside = low < value and value\n", "one operand is not a bool: the value may be `value`"),
        invalid(
            "def any_left(count: int, items: list[int]) -> bool:\n    return count > 0 or items\n",
            "returned, with a list operand",
        ),
        invalid("if (first or second) == third:\n    pass\n", "an operand of a comparison inside an if test"),
        invalid("value = (a and b) or c\n", "one chain, one report"),
    ),
    check=check,
)
