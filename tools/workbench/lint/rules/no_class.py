"""DOD100 no-class: no `class` anywhere."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.ClassDef):
        assert isinstance(node, cst.ClassDef)
        yield Finding(
            node.name,
            f"class '{node.name.value}': keep the data in plain containers and write functions that take it as arguments",
        )


RULE = make_rule(
    code="DOD100",
    name="no-class",
    summary="no class definitions: data lives in plain containers, functions transform it",
    flags="Every `class` statement, at any depth (nested classes, classes inside functions, dataclasses, exceptions, enums).",
    why="""
        A class binds data to the functions that may touch it and hides its layout behind
        attributes and methods. Data-oriented code declares the data once, in plain
        containers (flat lists, tuples, dicts used as record stores), and keeps the functions
        that transform it separate, so a reader can see the whole layout and every access.
        In microgpt the Value class is an array of structs scattered over the heap: one
        object per scalar, with its children reached by pointer.
    """,
    fix="""
        Replace the class by the containers that hold its fields (a struct of arrays: one
        list per field, indexed by the same integer) and turn each method into a function
        that receives those containers as arguments and returns what it computes.
    """,
    example="""
        class Counter:
            def __init__(self):
                self.total = 0
    """,
    fixed_example="""
        counter_totals: list[int] = [0]

        def counter_add(totals: list[int], index: int, amount: int) -> None:
            totals[index] = totals[index] + amount
    """,
    valid_examples=(
        valid("point = (1.0, 2.0)\n", "a tuple used as a record is plain data"),
        valid("record = {'name': 'emma', 'count': 3}\n", "a dict used as a record store"),
        valid("classes = ['noun', 'verb']\n", "a name containing the word 'class' is not a class"),
        valid(
            """
            def make_point(x_position: float, y_position: float) -> tuple[float, float]:
                return (x_position, y_position)
            """,
            "a function that builds a record",
        ),
        valid("text = 'class Value: pass'\n", "the word class inside a string"),
        valid("kind = type(3)\n", "asking for a type is not defining one"),
    ),
    invalid_examples=(
        invalid(
            """
            class Value:
                pass
            """,
            "the simplest class",
        ),
        invalid(
            """
            def build():
                class Local:
                    pass
                return Local
            """,
            "a class inside a function",
        ),
        invalid(
            """
            class Outer:
                class Inner:
                    pass
            """,
            "a nested class counts twice: each is a class",
            count=2,
        ),
        invalid(
            """
            from dataclasses import dataclass

            @dataclass
            class Point:
                x_position: float
            """,
            "a dataclass is still a class",
        ),
        invalid("class ParseError(Exception): pass\n", "an exception class"),
        invalid(
            """
            import enum

            class Color(enum.Enum):
                RED = 1
            """,
            "an enumeration",
        ),
    ),
    check=check,
)
