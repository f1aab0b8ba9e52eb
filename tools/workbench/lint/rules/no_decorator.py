"""DOD403 no-decorator: no decorators."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Decorator):
        assert isinstance(node, cst.Decorator)
        yield Finding(
            node,
            f"decorator @{context.short_code_of(node.decorator, limit=40)} wraps the function in hidden behaviour: call the behaviour explicitly",
        )


RULE = make_rule(
    code="DOD403",
    name="no-decorator",
    summary="no decorators",
    flags="Every decorator on a function or class, one violation per decorator.",
    why="""
        A decorator replaces a function with whatever it returns: caching, registration,
        timing or argument rewriting happen around every call, invisibly at the call site.
        Data-oriented code keeps the transformation the reader sees the one that runs.
    """,
    fix="""
        Do the extra work explicitly where it is needed: keep a cache as an explicit dict
        passed in, register functions in an explicit table, time a call at the call site.
    """,
    example="""
        import functools

        @functools.lru_cache
        def square(value):
            return value * value
    """,
    fixed_example="""
        def square(value: int) -> int:
            return value * value
    """,
    valid_examples=(
        valid("def plain(value: int) -> int:\n    return value\n", "an undecorated function"),
        valid("product = left_matrix @ right_matrix\n", "the matrix-multiplication operator is not a decorator"),
        valid("text = '@property'\n", "a decorator inside a string"),
        valid(
            """
            import functools

            def square(value: int) -> int:
                return value * value

            cached_square = functools.partial(square)
            """,
            "calling a higher-order function explicitly",
        ),
        valid("email = 'andrej@example.com'\n", "an at sign in data"),
    ),
    invalid_examples=(
        invalid("@staticmethod\ndef helper():\n    pass\n", "a bare decorator"),
        invalid("import functools\n@functools.lru_cache(maxsize=None)\ndef slow():\n    pass\n", "a decorator call"),
        invalid("@first\n@second\ndef wrapped():\n    pass\n", "stacked decorators count one each", count=2),
        invalid("@dataclass\nclass Point:\n    pass\n", "a class decorator"),
        invalid(
            """
            def outer():
                @register
                def inner():
                    pass
            """,
            "a decorator on a nested function",
        ),
    ),
    check=check,
)
