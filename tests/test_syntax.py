"""The one walk over a module's top-level bindings and scopes."""

from __future__ import annotations

import textwrap

import libcst as cst

from workbench.syntax import module_body_small_statements, module_scope_statements, names_bound_by, value_bindings

SOURCE = textwrap.dedent("""\
    import os.path, json as j
    from math import pi
    a, (b, *c) = 1, (2, 3)
    d: int = 4
    e = f = 5
    if a:
        g = 6
        for h in range(2):
            i += 1
    else:
        with open("x") as k:
            pass
    def function(parameter):
        hidden = 7
    class Class:
        member = 8
""")


def bound(source: str) -> list[str]:
    module = cst.parse_module(source)
    return [name for statement in module_scope_statements(module.body) for name in names_bound_by(statement)]


def test_every_module_scope_binding_is_found_and_no_function_or_class_body_is_entered() -> None:
    assert bound(SOURCE) == ["os", "j", "pi", "a", "b", "c", "d", "e", "f", "g", "h", "i", "k", "function", "Class"]


def test_one_to_one_value_bindings_of_the_module_body() -> None:
    module = cst.parse_module(SOURCE)
    pairs = [
        (name, cst.Module(body=[]).code_for_node(value))
        for small in module_body_small_statements(module)
        for name, value in value_bindings(small)
    ]
    # a pairs with 1 element by element; (b, *c) is not a name; e = f = 5 is chained.
    assert pairs == [("a", "1"), ("d", "4")]
