"""DOD101 no-dunder: no dunder definitions, names or attribute access."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.expressions import is_dunder
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Name):
        assert isinstance(node, cst.Name)
        if not is_dunder(node.value):
            continue
        parent = context.parent(node)
        if isinstance(parent, cst.ImportFrom) and parent.module is node:
            continue  # `from __future__ import annotations` is a compiler directive, not a protocol
        if isinstance(parent, cst.FunctionDef) and parent.name is node:
            yield Finding(
                node, f"defines the dunder method '{node.value}': write an ordinary function and call it by name"
            )
        elif isinstance(parent, cst.Attribute) and parent.attr is node:
            yield Finding(
                node, f"reaches into the dunder attribute '.{node.value}': use the data directly, or pass it explicitly"
            )
        else:
            yield Finding(
                node,
                f"uses the dunder name '{node.value}': Python's hidden machinery; say what you mean with plain names",
            )


RULE = make_rule(
    code="DOD101",
    name="no-dunder",
    summary="no __dunder__ methods, names or attributes",
    flags="""
        Definitions of dunder methods (`def __add__`), dunder names anywhere in code
        (`__name__`, `__all__ = ...`, `__file__`), and dunder attribute access
        (`x.__dict__`, `super().__init__()`). `from __future__ import ...` is a compiler
        directive, not a protocol, and is not flagged.
    """,
    why="""
        Dunder methods are how Python dispatches operators and protocols behind the reader's
        back: `a + b` may allocate a graph node, `len(x)` may run arbitrary code. In
        microgpt every arithmetic operator on a Value appends to a hidden graph. Data-
        oriented code makes each operation an explicit call on explicit data, so the cost
        and the data it touches are visible where it happens.
    """,
    fix="""
        Turn each dunder method into a named function over plain data (`__add__` becomes
        `tape_add(tape, left_index, right_index)`) and call it explicitly. Instead of
        `if __name__ == "__main__":`, run the program's top-level code directly.
    """,
    example="""
        def __add__(left, right):
            return left + right
    """,
    fixed_example="""
        def add_values(left: float, right: float) -> float:
            return left + right
    """,
    valid_examples=(
        valid("from __future__ import annotations\n", "a compiler directive, not a protocol"),
        valid("_private_total = 0\n", "one leading underscore is not a dunder"),
        valid("total__count = 1\n", "double underscores inside a name are not a dunder"),
        valid("text = '__init__'\n", "a dunder inside a string is data"),
        valid(
            """
            def add_values(left: float, right: float) -> float:
                return left + right
            """,
            "an ordinary named function",
        ),
        valid("__ = 1\n", "a name made only of underscores is not a dunder"),
    ),
    invalid_examples=(
        invalid(
            """
            def __add__(left, right):
                return left
            """,
            "a dunder definition",
        ),
        invalid(
            """
            if __name__ == '__main__':
                print('run')
            """,
            "the __main__ idiom uses the dunder name __name__",
        ),
        invalid("fields = record.__dict__\n", "dunder attribute access"),
        invalid("__all__ = ['tape_add']\n", "binding a dunder name"),
        invalid("here = __file__\n", "reading a dunder name"),
        invalid(
            """
            def make(value):
                return value.__class__.__name__
            """,
            "two dunder attributes in one expression",
            count=2,
        ),
    ),
    check=check,
)
