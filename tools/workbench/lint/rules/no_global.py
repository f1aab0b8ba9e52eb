"""DOD111 no-global: no `global` or `nonlocal` statements."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Global, cst.Nonlocal):
        assert isinstance(node, cst.Global | cst.Nonlocal)
        keyword = "global" if isinstance(node, cst.Global) else "nonlocal"
        names = ", ".join(f"'{item.name.value}'" for item in node.names)
        yield Finding(
            node,
            f"'{keyword}' lets this function rebind {names} outside itself: take it as an argument and return the new value",
        )


RULE = make_rule(
    code="DOD111",
    name="no-global",
    summary="no global or nonlocal statements",
    flags="Every `global` and every `nonlocal` statement.",
    why="""
        `global` and `nonlocal` let a function rebind a variable that belongs to someone
        else, so the data a function transforms is no longer visible in its signature.
        Data-oriented functions receive their inputs as arguments and return their outputs;
        the caller decides where the result goes.
    """,
    fix="""
        Pass the value in as an argument and return the new value; the caller assigns it.
        For state that grows (a tape, a cache), pass the container and let the function
        append to it, so the signature shows what it writes.
    """,
    example="""
        step_count = 0

        def advance():
            global step_count
            step_count = step_count + 1
    """,
    fixed_example="""
        def advance(step_count: int) -> int:
            return step_count + 1

        step_count: int = 0
        step_count = advance(step_count)
    """,
    valid_examples=(
        valid(
            """
            def advance(step_count: int) -> int:
                return step_count + 1
            """,
            "state passed in and returned",
        ),
        valid("global_step = 0\n", "a name containing 'global' is not a global statement"),
        valid(
            """
            def outer() -> int:
                total = 0
                total = total + 1
                return total
            """,
            "rebinding a local variable",
        ),
        valid(
            """
            LIMIT = 8

            def clamp(value: int) -> int:
                return min(value, LIMIT)
            """,
            "reading a module constant needs no global statement",
        ),
        valid("text = 'global counter'\n", "the keyword inside a string"),
    ),
    invalid_examples=(
        invalid(
            """
            counter = 0

            def bump():
                global counter
                counter += 1
            """,
            "a global statement",
        ),
        invalid(
            """
            def outer():
                total = 0

                def inner():
                    nonlocal total
                    total += 1
            """,
            "a nonlocal statement",
        ),
        invalid(
            """
            def reset():
                global first, second
                first = second = 0
            """,
            "one statement naming two globals is one violation",
        ),
        invalid(
            """
            def read_only():
                global settings
                return settings
            """,
            "a global statement even for reading",
        ),
        invalid(
            """
            def one():
                global alpha

            def two():
                global beta
            """,
            "two statements",
            count=2,
        ),
    ),
    check=check,
)
