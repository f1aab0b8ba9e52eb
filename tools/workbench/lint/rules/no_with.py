"""DOD402 no-with: no with or async with statements."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.With):
        assert isinstance(node, cst.With)
        keyword = "async with" if node.asynchronous is not None else "with"
        yield Finding(node, f"'{keyword}' runs hidden enter and exit code: open, use and close explicitly")


RULE = make_rule(
    code="DOD402",
    name="no-with",
    summary="no context managers (with, async with)",
    flags="Every `with` and `async with` statement.",
    why="""
        A context manager is control flow hidden in an object: entering and leaving the
        block calls `__enter__` and `__exit__`, which may acquire, release, swallow
        exceptions or change global state. The seed's invariants rule out context managers
        for control flow; the program's few file operations can say what they do.
    """,
    fix="""
        Call the operations explicitly: `handle = open(path)`, `text = handle.read()`,
        `handle.close()`; or use a function that does the whole job, such as
        `pathlib.Path.read_text` where allowed, or `urllib.request.urlretrieve`.
    """,
    example="""
        with open('input.txt') as handle:
            text = handle.read()
    """,
    fixed_example="""
        handle = open('input.txt')
        text = handle.read()
        handle.close()
    """,
    valid_examples=(
        valid("handle = open('input.txt')\ntext = handle.read()\nhandle.close()\n", "explicit open, read, close"),
        valid("with_bias = 1.0\n", "a name starting with 'with'"),
        valid("text = 'with open(path) as handle'\n", "the keyword inside a string"),
        valid(
            """
            def load(path: str) -> str:
                handle = open(path)
                text = handle.read()
                handle.close()
                return text
            """,
            "a function that opens and closes explicitly",
        ),
        valid("import urllib.request\n", "an import is not a context manager"),
    ),
    invalid_examples=(
        invalid("with open('input.txt') as handle:\n    text = handle.read()\n", "a with statement"),
        invalid(
            """
            async def fetch(lock):
                async with lock:
                    pass
            """,
            "async with",
        ),
        invalid(
            "with open('a') as first, open('b') as second:\n    pass\n", "one statement with two items is one violation"
        ),
        invalid(
            """
            with open('a') as first:
                with open('b') as second:
                    pass
            """,
            "nested with statements",
            count=2,
        ),
        invalid("with lock: pass\n", "a with statement on one line"),
    ),
    check=check,
)
