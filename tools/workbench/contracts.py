"""Structural contracts: what a step's code must show, declared in the plan, checked with libcst.

The plan gives each step a contract, e.g. "defines tape_backward", "no class anywhere",
"forward_inference calls no tape_*". This module owns the idea end to end: the kinds of
claim and the keys each one takes (validated once, when the plan loads), their wording,
and checking each claim against a snapshot's syntax tree (never against raw text, so
comments and docstrings that mention a name do not count).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from workbench.errors import PlanError, WorkbenchError
from workbench.syntax import assignment_targets, module_scope_statements, target_names

CONTRACT_CHECKS: dict[str, tuple[str, ...]] = {
    # check name -> the fields it requires besides `check`
    "defines": ("names",),
    "binds": ("names",),
    "absent": ("names",),
    "defines-class": ("names",),
    "defines-alias": ("names",),
    "no-class": (),
    "fully-annotated": (),
    "calls": ("function", "names"),
    "calls-none": ("function", "patterns"),
}

MODULE_LEVEL = "<module>"
"""In a contract, `function = "<module>"` means the module-level code outside any function."""

@dataclass(frozen=True)
class ContractItem:
    """One structural claim a step's code must satisfy (checked by workbench.contracts)."""

    check: str
    names: tuple[str, ...] = ()
    function: str | None = None
    patterns: tuple[str, ...] = ()

    def describe(self) -> str:
        """The claim in words, e.g. 'defines tape_backward' or 'forward_inference calls no tape_*'."""
        joined = ", ".join(self.names)
        where = "module-level code" if self.function == MODULE_LEVEL else str(self.function)
        match self.check:
            case "defines":
                return f"defines {joined}"
            case "binds":
                return f"binds {joined} at module level"
            case "absent":
                return f"no {joined} left"
            case "defines-class":
                return f"still defines class {joined}"
            case "defines-alias":
                return f"defines type alias {joined}"
            case "no-class":
                return "no class anywhere"
            case "fully-annotated":
                return "every function signature fully annotated"
            case "calls":
                return f"{where} calls {joined}"
            case "calls-none":
                return f"{where} calls no {', '.join(self.patterns)}"
        return self.check


def parse_contract_item(raw: Any, context: str) -> ContractItem:
    """One `contract` entry of a step in the plan; PlanError naming the entry and the key."""
    if not isinstance(raw, dict) or not isinstance(raw.get("check"), str):
        raise PlanError(f"{context}: must be a table with a 'check' field")
    check = raw["check"]
    if check not in CONTRACT_CHECKS:
        raise PlanError(f"{context}: unknown check '{check}' (known checks: {', '.join(CONTRACT_CHECKS)})")
    allowed = {"check", *CONTRACT_CHECKS[check]}
    for key in raw:
        if key not in allowed:
            raise PlanError(f"{context}: check '{check}' does not take a field '{key}'")
    for required in CONTRACT_CHECKS[check]:
        if required not in raw:
            raise PlanError(f"{context}: check '{check}' needs the field '{required}'")
    names = raw.get("names", [])
    patterns = raw.get("patterns", [])
    function = raw.get("function")
    for label, values in (("names", names), ("patterns", patterns)):
        if not isinstance(values, list) or not values and label in CONTRACT_CHECKS[check] or not all(isinstance(value, str) for value in values):
            raise PlanError(f"{context}: field '{label}' must be a non-empty list of strings")
    if function is not None and not isinstance(function, str):
        raise PlanError(f"{context}: field 'function' must be a function name or \"{MODULE_LEVEL}\"")
    return ContractItem(check=check, names=tuple(names), function=function, patterns=tuple(patterns))


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

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        annotation = get_full_name_for_node(node.annotation.annotation)
        if self._at_module_level() and isinstance(node.target, cst.Name) and annotation in ("TypeAlias", "typing.TypeAlias"):
            self.facts.type_aliases.add(node.target.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        self.facts.type_aliases.add(node.name.value)


def collect_facts(source: str) -> SourceFacts:
    """Parse `source` and gather the facts contract checks read. Raises WorkbenchError on a syntax error."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise WorkbenchError(f"cannot check the contract: syntax error at line {error.raw_line}: {error.message}") from None
    facts = SourceFacts()
    module.visit(_FactCollector(facts))
    for statement in module_scope_statements(module.body):
        for target in assignment_targets(statement):
            facts.module_bindings.update(target_names(target))
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
