"""Top-level bindings and scopes of a Python module, read from its libcst syntax tree.

One walk, shared by every tool that asks "what does this module bind at module level?":
the knobs (numeric literals to rewrite), the structural contracts ("binds tokens"), the
semantic diff (what changed per module-level name) and the hidden-state lint rule.

Module scope means the statements that run when the module runs: the module body and the
blocks of if/for/while/try/with/match statements in it, but never a function or class body
(those are other scopes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

import libcst as cst

_EMPTY_MODULE = cst.Module(body=[])


def module_body_small_statements(module: cst.Module) -> Iterator[cst.BaseSmallStatement]:
    """The small statements (`a = 1`, `random.seed(42)`) directly in the module body, in order."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body


def module_scope_statements(statements: Iterable[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Every statement that runs at module scope, inside if/for/while/try/with blocks too.

    Simple statement lines are opened into their small statements. Compound statements are
    yielded themselves and then their blocks; function and class bodies are not entered.
    """
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
            continue
        yield statement
        if isinstance(statement, cst.BaseCompoundStatement) and not isinstance(
            statement, cst.FunctionDef | cst.ClassDef
        ):
            yield from module_scope_statements(blocks_of(statement))


def blocks_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a compound statement's blocks (else, except, finally included)."""
    inner: list[cst.CSTNode] = []
    for field in dataclasses.fields(node):
        value: Any = getattr(node, field.name)
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, cst.IndentedBlock | cst.SimpleStatementSuite):
                inner.extend(item.body)
            elif isinstance(item, cst.If):
                inner.append(item)
            elif isinstance(item, cst.Else | cst.Finally | cst.ExceptHandler | cst.ExceptStarHandler | cst.MatchCase):
                inner.extend(blocks_of(item))
    return inner


def target_names(target: cst.BaseExpression) -> list[str]:
    """Names bound by an assignment target; attributes and subscripts mutate, they do not bind."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        names: list[str] = []
        for element in target.elements:
            names.extend(target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []


def import_names(node: cst.Import | cst.ImportFrom) -> list[str]:
    """The names an import statement binds (`import os.path` binds os; `as` names win)."""
    if isinstance(node.names, cst.ImportStar):
        return []
    names: list[str] = []
    for alias in node.names:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            names.append(alias.asname.name.value)
        else:
            names.append(_EMPTY_MODULE.code_for_node(alias.name).split(".")[0])
    return names


def assignment_targets(statement: cst.CSTNode) -> list[cst.BaseExpression]:
    """The targets an assignment-like statement binds to: `=`, annotated, augmented, `for`."""
    match statement:
        case cst.Assign():
            return [target.target for target in statement.targets]
        case cst.AnnAssign() | cst.AugAssign():
            return [statement.target]
        case cst.For():
            return [statement.target]
    return []


def names_bound_by(statement: cst.CSTNode) -> list[str]:
    """Every name a module-scope statement binds (definitions, assignments, imports, with-as)."""
    match statement:
        case cst.FunctionDef() | cst.ClassDef():
            return [statement.name.value]
        case cst.With():
            return [
                name for item in statement.items if item.asname is not None for name in target_names(item.asname.name)
            ]
        case cst.Import() | cst.ImportFrom():
            return import_names(statement)
        case cst.TypeAlias():
            return [statement.name.value]
    return [name for target in assignment_targets(statement) for name in target_names(target)]


def value_bindings(small: cst.BaseSmallStatement) -> list[tuple[str, cst.BaseExpression]]:
    """(name, value) pairs a statement binds one to one: `a = 1`, `a: int = 1`, `a, b = 1, 2`.

    Chained (`a = b = 1`) and unpacked-from-one-value (`a, b = pair`) assignments give none.
    """
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return [(small.target.value, small.value)]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return []
    target = small.targets[0].target
    if isinstance(target, cst.Name):
        return [(target.value, small.value)]
    if isinstance(target, cst.Tuple | cst.List) and isinstance(small.value, cst.Tuple | cst.List):
        if len(target.elements) != len(small.value.elements):
            return []
        return [
            (target_element.value.value, value_element.value)
            for target_element, value_element in zip(target.elements, small.value.elements)
            if isinstance(target_element.value, cst.Name) and not isinstance(target_element, cst.StarredElement)
        ]
    return []
