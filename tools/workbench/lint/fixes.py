"""Fixes that are mechanical and provably safe, applied with libcst (--fix, --diff).

Two kinds, and nothing else (every other violation stays a report):

- explicit-truthiness: a name the rule proved to be a container, tested for truthiness,
  becomes `len(name) > 0` (`not name` becomes `len(name) == 0`). For list, dict, set,
  tuple and the other containers the rule recognises, truthiness is defined as a
  non-zero length, so the meaning is the same. Skipped when the file rebinds `len`.
- full-names: a local variable of a function whose name is an abbreviation with a known
  full form (the built-in table or `abbreviations` in the configuration) is renamed at
  every binding and every use in its scope. Skipped when the new name is already used
  anywhere in the function, when the name is a parameter (callers may pass it by
  keyword), declared global or nonlocal, used by a nested function, or when the
  function calls locals(), vars(), eval() or exec(), which could see the old name.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import libcst as cst
from libcst.metadata import Assignment, FunctionScope

from workbench.lint.deep_stack import call_with_deep_stack
from workbench.lint.engine import LintSettings, vocabulary_for
from workbench.lint.source import SourceContext, parse_source
from workbench.lint.violation import Violation
from workbench.lint.words import judge_name

INTROSPECTING_CALLS = frozenset(("locals", "vars", "eval", "exec"))

SAFE_FIXES: dict[str, str] = {
    "explicit-truthiness": "a name proved to be a container, tested for truthiness, becomes `len(name) > 0` (`not name` becomes `len(name) == 0`)",
    "full-names": "a function's local variable named by an abbreviation with a known full form is renamed at every use, when that is provably safe",
}
"""The rules --fix and --diff have fixes for, and what each fix does (docs/rules.md)."""


def fix_text(text: str, path: str, settings: LintSettings, violations: Sequence[Violation]) -> str:
    """`text` with the safe fixes for `violations` applied (unchanged when there are none)."""
    return call_with_deep_stack(partial(_fix, text, path, settings, violations))


def _fix(text: str, path: str, settings: LintSettings, violations: Sequence[Violation]) -> str:
    wanted = {(violation.line, violation.column, violation.name) for violation in violations}
    if not any(name in SAFE_FIXES for _, _, name in wanted):
        return text
    context = parse_source(text, path, settings.config, vocabulary_for(settings.config))
    replacements: dict[cst.CSTNode, cst.CSTNode] = {}
    for node in context.nodes:
        if not isinstance(node, cst.Name):
            continue
        position = context.position(node).start
        key = (position.line, position.column + 1)
        if (*key, "explicit-truthiness") in wanted:
            _truthiness_fix(context, node, replacements)
        if (*key, "full-names") in wanted:
            _rename_fix(context, node, replacements)
    if not replacements:
        return text
    return context.module.visit(_Replacer(replacements)).code


def _truthiness_fix(context: SourceContext, name: cst.Name, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
    global_scope = context.global_scope
    if (
        global_scope is None
        or "len" in global_scope.assignments
        or any(node.value == "len" for node in _function_names(context))
    ):
        return
    call = cst.Call(func=cst.Name("len"), args=[cst.Arg(cst.Name(name.value))])
    parent = context.parent(name)
    if (
        isinstance(parent, cst.UnaryOperation)
        and isinstance(parent.operator, cst.Not)
        and not isinstance(context.parent(parent), cst.UnaryOperation)
    ):
        replacements[parent] = cst.Comparison(
            call, [cst.ComparisonTarget(cst.Equal(), cst.Integer("0"))], lpar=parent.lpar, rpar=parent.rpar
        )
    elif not isinstance(parent, cst.UnaryOperation):
        replacements[name] = cst.Comparison(
            call, [cst.ComparisonTarget(cst.GreaterThan(), cst.Integer("0"))], lpar=name.lpar, rpar=name.rpar
        )


def _function_names(context: SourceContext) -> list[cst.Name]:
    return [node.name for node in context.nodes_of(cst.FunctionDef) if isinstance(node, cst.FunctionDef)]


def _rename_fix(context: SourceContext, name: cst.Name, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
    verdict = judge_name(name.value, context.vocabulary)
    if verdict is None or verdict.suggestion is None or not verdict.suggestion.isidentifier():
        return
    if any(problem.kind != "abbreviation" for problem in verdict.problems):
        return
    scope = context.scope(name)
    if not isinstance(scope, FunctionScope) or scope.node is None:
        return
    function = scope.node
    inside = context.descendants(function)
    new_name = verdict.suggestion
    for node in inside:
        if isinstance(node, cst.Name) and node.value == new_name:
            return
        if isinstance(node, cst.Global | cst.Nonlocal) and any(item.name.value == name.value for item in node.names):
            return
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in INTROSPECTING_CALLS:
            return
    assignments = list(scope.assignments[name.value])
    if not assignments:
        return
    nodes: list[cst.Name] = []
    for assignment in assignments:
        if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
            return
        if isinstance(context.parent(assignment.node), cst.Param):
            return
        nodes.append(assignment.node)
        for access in assignment.references:
            if not isinstance(access.node, cst.Name) or access.scope is not scope:
                return  # a string annotation, or a use from a nested function
            nodes.append(access.node)
    for node in inside:  # every use of the name in the function must be one of these
        if isinstance(node, cst.Name) and node.value == name.value and node not in nodes:
            parent = context.parent(node)
            if isinstance(parent, cst.Attribute) and parent.attr is node:
                continue
            if isinstance(parent, cst.Arg) and parent.keyword is node:
                continue
            return
    for node in nodes:
        replacements[node] = node.with_changes(value=new_name)


class _Replacer(cst.CSTTransformer):
    """Swap nodes by identity."""

    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.replacements.get(original_node, updated_node)
