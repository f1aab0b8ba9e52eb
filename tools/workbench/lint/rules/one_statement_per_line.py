"""DOD408 one-statement-per-line: no semicolons, no body on the header's line."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext

_COMPOUND_KEYWORDS: dict[type, str] = {
    cst.FunctionDef: "def",
    cst.ClassDef: "class",
    cst.If: "if",
    cst.Else: "else",
    cst.For: "for",
    cst.While: "while",
    cst.Try: "try",
    cst.TryStar: "try",
    cst.ExceptHandler: "except",
    cst.ExceptStarHandler: "except*",
    cst.Finally: "finally",
    cst.With: "with",
    cst.MatchCase: "case",
}


def _keyword(node: cst.CSTNode, context: SourceContext) -> str:
    keyword = _COMPOUND_KEYWORDS[type(node)]
    if isinstance(node, cst.If):
        parent = context.parent(node)
        if isinstance(parent, cst.If) and parent.orelse is node:
            return "elif"
    return keyword


def check(context: SourceContext) -> Iterator[Finding]:
    for kind in _COMPOUND_KEYWORDS:
        for node in context.nodes_of(kind):
            body = getattr(node, "body", None)
            if isinstance(body, cst.SimpleStatementSuite):
                anchor = node.name if isinstance(node, cst.FunctionDef | cst.ClassDef) else node
                yield Finding(
                    anchor,
                    f"'{_keyword(node, context)}' with its body on the same line: put the body on its own indented line",
                )
    for line in context.nodes_of(cst.SimpleStatementLine, cst.SimpleStatementSuite):
        assert isinstance(line, cst.SimpleStatementLine | cst.SimpleStatementSuite)
        statements = line.body
        if len(statements) > 1:
            yield Finding(
                statements[1],
                f"{len(statements)} statements on one line, separated by semicolons: one statement per line",
            )
        elif statements and isinstance(statements[0].semicolon, cst.Semicolon):
            yield Finding(statements[0].semicolon, "a trailing semicolon: remove it")


RULE = make_rule(
    code="DOD408",
    name="one-statement-per-line",
    summary="one statement per line: no semicolons, no compound statement with its body on the same line",
    flags="""
        Several statements on one line separated by semicolons (one violation per line), a
        trailing semicolon, and a compound statement whose body follows the colon on the
        same line: `def f(): return x`, `if ready: go()`, `else: stop()`, `for ...: ...`,
        `while`, `try`, `except`, `finally`, `with`, `class`, `case`.
    """,
    why="""
        "Each line should do one legible thing." A body on the header's line hides a block
        of control flow where the eye expects a declaration, and semicolons pack several
        transformations into one line that diffs, debuggers and readers treat as one. In
        microgpt, the Value class squeezes eleven methods onto one line each.
    """,
    fix="Put each statement on its own line, and each body on its own indented lines.",
    example="""
        def double(value): return value * 2
        first = 1; second = 2
    """,
    fixed_example="""
        def double(value: int) -> int:
            return value * 2

        first = 1
        second = 2
    """,
    valid_examples=(
        valid("def double(value: int) -> int:\n    return value * 2\n", "the body on its own line"),
        valid("text = 'first; second'\n", "a semicolon inside a string"),
        valid("if ready:\n    go()\nelse:\n    stop()\n", "an if/else with indented bodies"),
        valid("values = {'key': 1}\n", "a colon in a dict display"),
        valid("scale = lambda value: value * 2\n", "a lambda's colon is not a compound statement"),
        valid("total = 1  # first; second\n", "a semicolon inside a comment"),
    ),
    invalid_examples=(
        invalid("first = 1; second = 2\n", "two statements on one line"),
        invalid("def double(value): return value * 2\n", "a def with its body on the same line"),
        invalid("if ready: go()\n", "an if with its body on the same line"),
        invalid("for item in items: print(item)\n", "a for loop on one line"),
        invalid("total = 0;\n", "a trailing semicolon"),
        invalid("if ready:\n    go()\nelse: stop()\n", "an else with its body on the same line"),
        invalid("first = 1; second = 2; third = 3\n", "one line, however many semicolons"),
    ),
    check=check,
)
