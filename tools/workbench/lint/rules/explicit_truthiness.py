"""DOD501 explicit-truthiness: no visible container tested for truthiness."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.metadata import Assignment

from workbench.lint.expressions import container_kind, empty_container_kind, strip_not
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def _tests(context: SourceContext) -> Iterator[cst.BaseExpression]:
    for node in context.nodes_of(cst.If, cst.While, cst.Assert, cst.IfExp, cst.CompIf):
        assert isinstance(node, cst.If | cst.While | cst.Assert | cst.IfExp | cst.CompIf)
        yield node.test
    for case in context.nodes_of(cst.MatchCase):
        assert isinstance(case, cst.MatchCase)
        if case.guard is not None:
            yield case.guard


def _tested_operands(test: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The expressions whose truthiness decides the test: through `not`, `and`, `or`."""
    test = strip_not(test)
    if isinstance(test, cst.BooleanOperation):
        yield from _tested_operands(test.left)
        yield from _tested_operands(test.right)
    else:
        yield test


CONTAINER_TYPES: frozenset[str] = frozenset(
    (
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "typing.List",
        "typing.Dict",
        "typing.Set",
        "typing.FrozenSet",
        "typing.Tuple",
        "typing.Deque",
        "typing.DefaultDict",
        "typing.OrderedDict",
        "typing.Counter",
        "collections.deque",
        "collections.Counter",
        "collections.OrderedDict",
        "collections.defaultdict",
    )
)
"""Annotations that make a value a container whose truthiness is its length. Abstract
types (Sequence, Mapping) are left alone: a class may give them another truthiness."""


def annotated_container(annotation: cst.BaseExpression, context: SourceContext) -> str | None:
    """'list[int]' when the annotation names a concrete container type, else None."""
    base = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    if not isinstance(base, cst.Name | cst.Attribute) or not context.qualified_names(base) & CONTAINER_TYPES:
        return None
    return context.short_code_of(annotation, limit=30)


def returned_container(call: cst.Call, context: SourceContext) -> str | None:
    """'list[str]' when the call is of a function of this file annotated to return a container."""
    if not isinstance(call.func, cst.Name):
        return None
    referents = context.referents(call.func)
    if not referents or len(referents) != 1:
        return None
    (referent,) = referents
    function = referent.node if isinstance(referent, Assignment) else None
    if not isinstance(function, cst.FunctionDef) or function.returns is None:
        return None
    return annotated_container(function.returns.annotation, context)


def _container_binding(name: cst.Name, context: SourceContext) -> tuple[str, int] | None:
    """(kind, line) when every binding of `name` visibly makes a container: a display or
    a constructor call, a container annotation on the parameter or assignment, or a call
    of a function of this file whose return annotation is a container."""
    referents = context.referents(name)
    if not referents:
        return None
    kinds: list[tuple[str, int]] = []
    for referent in referents:
        if isinstance(referent, Assignment) and isinstance(referent.node, cst.Param):
            parameter = referent.node
            annotated = (
                annotated_container(parameter.annotation.annotation, context)
                if parameter.annotation is not None
                else None
            )
            if annotated is None or parameter.star in ("*", "**"):
                return None
            kinds.append((f"a parameter annotated {annotated}", context.line_of(parameter)))
            continue
        if not isinstance(referent, Assignment) or not isinstance(referent.node, cst.Name):
            return None
        target = referent.node
        parent = context.parent(target)
        value: cst.BaseExpression | None = None
        if isinstance(parent, cst.AnnAssign) and parent.target is target:
            annotated = annotated_container(parent.annotation.annotation, context)
            if annotated is not None:
                kinds.append((f"annotated {annotated}", context.line_of(target)))
                continue
            value = parent.value
        elif isinstance(parent, cst.AssignTarget) and parent.target is target:
            statement = context.parent(parent)
            if isinstance(statement, cst.Assign):
                value = statement.value
        elif isinstance(parent, cst.AugAssign):
            continue  # `items += [...]` keeps the container a container
        if value is None:
            return None
        kind = empty_container_kind(value, context) or container_kind(value, context)
        if kind is None and isinstance(value, cst.Call):
            returned = returned_container(value, context)
            kind = None if returned is None else f"the result of a function returning {returned}"
        if kind is None:
            return None
        kinds.append((kind, context.line_of(target)))
    return min(kinds, key=lambda pair: pair[1]) if kinds else None


def check(context: SourceContext) -> Iterator[Finding]:
    for test in _tests(context):
        for operand in _tested_operands(test):
            kind = container_kind(operand, context)
            if kind is None and isinstance(operand, cst.Call):
                returned = returned_container(operand, context)
                kind = None if returned is None else f"the result of a function returning {returned}"
            if kind is not None:
                yield Finding(operand, f"{kind} tested for truthiness: test what you mean, such as len(...) > 0")
                continue
            if isinstance(operand, cst.Name):
                binding = _container_binding(operand, context)
                if binding is not None:
                    kind, line = binding
                    name = operand.value
                    yield Finding(
                        operand,
                        f"'{name}' is a container ({kind}, line {line}) tested for truthiness: write len({name}) > 0 or len({name}) == 0",
                    )


RULE = make_rule(
    code="DOD501",
    name="explicit-truthiness",
    summary="no implicit truthiness of containers in conditions",
    flags="""
        In the test of an if, elif, while, assert, conditional expression, comprehension
        filter or match guard (also under `not`, `and`, `or`): a container display or
        comprehension, or a name that scope analysis resolves to bindings that all visibly
        make a container (a display, a comprehension, a list()/dict()/set()/tuple()/sorted()
        call, `[x] * n`), or are annotated as one (a parameter `items: list[int]`, an
        annotated assignment, or the call of a function of the same file whose return
        annotation is `list[...]`, `dict[...]`, `set[...]`, `tuple[...]`, deque, Counter,
        ...). Values whose type cannot be seen statically (unannotated parameters, other
        call results, attributes, abstract types such as Sequence) are not flagged.
    """,
    why="""
        `if items:` asks "is this container non-empty?" without saying so; the same line
        would silently change meaning if `items` became a number, a None, or an array whose
        truthiness raises. Explicit control flow says what it tests: `len(items) > 0`.
    """,
    fix="Compare explicitly: `len(items) > 0`, `len(items) == 0`, `name is not None`.",
    example="""
        pending = []
        while pending:
            pending.pop()
    """,
    fixed_example="""
        pending: list[int] = []
        while len(pending) > 0:
            pending.pop()
    """,
    valid_examples=(
        valid("pending = []\nwhile len(pending) > 0:\n    pending.pop()\n", "an explicit length test"),
        valid("def run(items):\n    if items:\n        print(items)\n", "a parameter's type is not visible"),
        valid(
            "from collections.abc import Sequence\n\ndef run(items: Sequence[int]) -> None:\n    if items:\n        print(items)\n",
            "an abstract type may define its own truthiness",
        ),
        valid(
            "def run(items: list[int] | None) -> None:\n    if items:\n        print(items)\n",
            "an optional list: the test is also about None",
        ),
        valid("def count() -> int:\n    return 3\n\nif count():\n    pass\n", "a function returning an int"),
        valid("if ready:\n    go()\n", "a name not bound to a container"),
        valid("if text.strip():\n    print(text)\n", "a call result whose type is not visible"),
        valid("count = 0\nif count == 0:\n    print(count)\n", "an explicit comparison"),
        valid("items = []\nif items is not None:\n    print(items)\n", "an identity test, not truthiness"),
    ),
    invalid_examples=(
        invalid("pending = []\nwhile pending:\n    pending.pop()\n", "a list tested by while"),
        invalid("seen = set()\nif not seen:\n    print(seen)\n", "a set under not"),
        invalid("if []:\n    pass\n", "a bare display"),
        invalid("if sorted(names):\n    pass\n", "a call that visibly makes a list"),
        invalid("table = {'a': 1}\nassert table\n", "a dict in an assert"),
        invalid(
            "items = [1, 2]\nready = True\nlabel = 'full' if items and ready else 'empty'\n",
            "inside an and, in a conditional expression",
        ),
        invalid(
            "rows = [row for row in range(3)]\nif rows or not rows:\n    pass\n", "both operands of an or", count=2
        ),
        invalid(
            "def run(items: list[int]) -> None:\n    if items:\n        print(items)\n",
            "an annotated parameter: the target style's usual case",
        ),
        invalid(
            "def run(table: dict[str, int], names: tuple[str, ...]) -> None:\n    while table and not names:\n        table.clear()\n",
            "two annotated parameters",
            count=2,
        ),
        invalid("pending: list[int] = load()\nif pending:\n    pass\n", "an annotated assignment"),
        invalid(
            "def load() -> list[str]:\n    return []\n\nif load():\n    pass\n",
            "the call of a function returning a list",
        ),
        invalid(
            "def load() -> list[str]:\n    return []\n\nnames = load()\nassert names\n", "a name bound to such a call"
        ),
    ),
    check=check,
)
