"""DOD405 no-chained-calls: no method called on the result of a call."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.expressions import chain_links, chain_outline, is_outermost_chain
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Call):
        assert isinstance(node, cst.Call)
        if is_outermost_chain(node, context):
            count = len(chain_links(node))
            yield Finding(
                node,
                f"{count} chained calls, {chain_outline(node, context)}: give each intermediate result a name on its own line",
            )


RULE = make_rule(
    code="DOD405",
    name="no-chained-calls",
    summary="no method called on the result of a call (a.b().c(), open(p).read())",
    flags="""
        A call whose function is an attribute of another call's result: `a.b().c()`,
        `open(path).read()`, `text.strip().split()`. A chain is reported once, at its
        outermost call, however long it is. A method on a subscript (`xs[i].log()`), on a
        parenthesised expression (`(a - b).exp()`) or on a literal (`"".join(parts)`), and a
        subscript of a call (`f(x)[0]`), are not chains.
    """,
    why="""
        "One operation per line." A chain performs several transformations without naming
        any of the intermediate data, so the reader cannot see its shape between steps and
        a debugger cannot stop on it. In microgpt `open('input.txt').read().strip().split('\\n')`
        reads, trims and splits the dataset in one line.
    """,
    fix="Bind each intermediate result to a descriptive name on its own line.",
    example="""
        lines = open('input.txt').read().strip().split('\\n')
    """,
    fixed_example="""
        handle = open('input.txt')
        text = handle.read()
        handle.close()
        stripped_text = text.strip()
        lines = stripped_text.split('\\n')
    """,
    valid_examples=(
        valid("first = choices([1, 2])[0]\n", "a subscript of a call"),
        valid("value = (left - right).exp()\n", "a method on a parenthesised expression"),
        valid("logarithm = values[index].log()\n", "a method on a subscript"),
        valid("text = ''.join(['a', 'b'])\n", "a method on a string literal"),
        valid("import os\nexists = os.path.exists('input.txt')\n", "an attribute path is not a call chain"),
        valid("squared = relu(value) ** 2\n", "the result of a call used as an operand"),
        valid("size = len(sorted(set('abc')))\n", "nested calls as arguments are not method chains"),
    ),
    invalid_examples=(
        invalid("text = open('input.txt').read()\n", "open(...).read()"),
        invalid("lines = open('input.txt').read().strip().split('\\n')\n", "a long chain is reported once"),
        invalid("words = line.strip().split()\n", "two methods"),
        invalid("value = builder().add(1).build()\n", "a builder chain"),
        invalid("total = sum([line.strip().upper() for line in lines])\n", "a chain inside a comprehension"),
        invalid("first = a().b()\nsecond = c().d()\n", "two separate chains", count=2),
    ),
    check=check,
)
