"""Structural contracts: what a step's code must show, checked with libcst.

The plan gives each step a contract, e.g. "defines tape_backward", "no class anywhere",
"forward_inference calls no tape_*". This module reads a snapshot's source and checks each
claim against the syntax tree (never against raw text, so comments and docstrings that
mention a name do not count).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node

from workbench.errors import WorkbenchError
from workbench.plan import MODULE_LEVEL, ContractItem


@dataclass(frozen=True)
class ContractResult:
    item: ContractItem
    passed: bool
    detail: str
    """Why it failed (empty when it passed)."""

    @property
    def description(self) -> str:
        return self.item.describe()


@dataclass
class SourceFacts:
    """What the contract checks need to know about one source file."""

    module_functions: set[str] = field(default_factory=set)
    module_bindings: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    type_aliases: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    calls_by_scope: dict[str, set[str]] = field(default_factory=dict)
    unannotated: list[str] = field(default_factory=list)


class _FactCollector(cst.CSTVisitor):
    """One pass over the tree, recording definitions, bindings, identifiers and calls."""

    def __init__(self, facts: SourceFacts) -> None:
        self.facts = facts
        self.function_stack: list[str] = []
        self.class_depth = 0

    # Where are we? Calls are attributed to the outermost module-level function, or to
    # the module-level code when outside every function.
    def _scope(self) -> str:
        return self.function_stack[0] if self.function_stack else MODULE_LEVEL

    def _at_module_level(self) -> bool:
        return not self.function_stack and self.class_depth == 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = node.name.value
        if self._at_module_level():
            self.facts.module_functions.add(name)
        self.facts.identifiers.add(name)
        for parameter in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            self.facts.identifiers.add(parameter.name.value)
            if parameter.annotation is None and parameter.name.value not in ("self", "cls"):
                self.facts.unannotated.append(f"parameter {parameter.name.value} of {name}")
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                self.facts.identifiers.add(star.name.value)
                if star.annotation is None:
                    self.facts.unannotated.append(f"parameter {star.name.value} of {name}")
        if node.returns is None:
            self.facts.unannotated.append(f"return type of {name}")
        self.function_stack.append(name)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.facts.classes.add(node.name.value)
        self.facts.identifiers.add(node.name.value)
        self.class_depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        self.facts.identifiers.add(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        called = get_full_name_for_node(node.func)
        if called is not None:
            self.facts.calls_by_scope.setdefault(self._scope(), set()).add(called)

    def _record_binding(self, target: cst.BaseExpression) -> None:
        if not self._at_module_level():
            return
        if isinstance(target, cst.Name):
            self.facts.module_bindings.add(target.value)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._record_binding(element.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for assign_target in node.targets:
            self._record_binding(assign_target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._record_binding(node.target)
        annotation = get_full_name_for_node(node.annotation.annotation)
        if self._at_module_level() and isinstance(node.target, cst.Name) and annotation in ("TypeAlias", "typing.TypeAlias"):
            self.facts.type_aliases.add(node.target.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        self.facts.type_aliases.add(node.name.value)

    def visit_For(self, node: cst.For) -> None:
        self._record_binding(node.target)


def collect_facts(source: str) -> SourceFacts:
    """Parse `source` and gather the facts contract checks read. Raises WorkbenchError on a syntax error."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise WorkbenchError(f"cannot check the contract: syntax error at line {error.raw_line}: {error.message}") from None
    facts = SourceFacts()
    module.visit(_FactCollector(facts))
    return facts


def check_item(facts: SourceFacts, item: ContractItem) -> ContractResult:
    """Check one contract claim against the facts of a source file."""
    missing: list[str]
    match item.check:
        case "defines":
            missing = [name for name in item.names if name not in facts.module_functions]
            return _result(item, missing, "not defined at module level")
        case "binds":
            missing = [name for name in item.names if name not in facts.module_bindings]
            return _result(item, missing, "not bound at module level")
        case "absent":
            present = [name for name in item.names if name in facts.identifiers]
            return _result(item, present, "still present")
        case "defines-class":
            missing = [name for name in item.names if name not in facts.classes]
            return _result(item, missing, "no such class")
        case "defines-alias":
            missing = [name for name in item.names if name not in facts.type_aliases]
            return _result(item, missing, "no such type alias")
        case "no-class":
            return _result(item, sorted(facts.classes), "class defined")
        case "fully-annotated":
            return _result(item, facts.unannotated, "missing")
        case "calls" | "calls-none":
            function = item.function or MODULE_LEVEL
            if function != MODULE_LEVEL and function not in facts.module_functions:
                return ContractResult(item, False, f"there is no function {function}")
            called = facts.calls_by_scope.get(function, set())
            if item.check == "calls":
                return _result(item, [name for name in item.names if name not in called], "never called there")
            offending = sorted(name for name in called if any(fnmatch.fnmatchcase(name, pattern) for pattern in item.patterns))
            return _result(item, offending, "called")
    raise WorkbenchError(f"unknown contract check '{item.check}'")


def _result(item: ContractItem, offenders: list[str], reason: str) -> ContractResult:
    if not offenders:
        return ContractResult(item, True, "")
    return ContractResult(item, False, f"{reason}: {', '.join(offenders)}")


def check_contract(source: str, items: tuple[ContractItem, ...]) -> list[ContractResult]:
    """Check every claim of a contract against `source`; one result per claim, in order."""
    facts = collect_facts(source)
    return [check_item(facts, item) for item in items]
