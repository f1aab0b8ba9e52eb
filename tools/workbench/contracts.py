"""Structural contracts: what a step's code must show, declared in the plan, checked with libcst.

The plan gives each step a contract, e.g. "defines tape_backward", "no class anywhere",
"forward_inference calls no tape_*". This module owns the idea end to end: the kinds of
claim and the keys each one takes (validated once, when the plan loads), their wording,
and checking each claim against a snapshot's syntax tree (never against raw text, so
comments and docstrings that mention a name do not count).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import libcst as cst
from libcst.helpers import get_full_name_for_node

from workbench.errors import PlanError, WorkbenchError
from workbench.proof.exercises import EXERCISES
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
    "exercise": ("names",),
}
"""Every check but `exercise` reads the syntax tree; an exercise runs the step's new functions
on generated inputs (workbench.proof.exercises), in a process of its own."""

EXERCISE = "exercise"

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
            case "exercise":
                return "; ".join(EXERCISES[name].claim if name in EXERCISES else name for name in self.names)
        return self.check

    @property
    def is_static(self) -> bool:
        """Checked on the syntax tree (everything but an exercise, which runs code)."""
        return self.check != EXERCISE


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
        if (
            not isinstance(values, list)
            or not values
            and label in CONTRACT_CHECKS[check]
            or not all(isinstance(value, str) for value in values)
        ):
            raise PlanError(f"{context}: field '{label}' must be a non-empty list of strings")
    if function is not None and not isinstance(function, str):
        raise PlanError(f"{context}: field 'function' must be a function name or \"{MODULE_LEVEL}\"")
    unknown = [name for name in names if check == EXERCISE and name not in EXERCISES]
    if unknown:
        raise PlanError(f"{context}: unknown exercise {', '.join(unknown)} (known exercises: {', '.join(EXERCISES)})")
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
        if (
            self._at_module_level()
            and isinstance(node.target, cst.Name)
            and annotation in ("TypeAlias", "typing.TypeAlias")
        ):
            self.facts.type_aliases.add(node.target.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        self.facts.type_aliases.add(node.name.value)


def collect_facts(source: str) -> SourceFacts:
    """Parse `source` and gather the facts contract checks read. Raises WorkbenchError on a syntax error."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise WorkbenchError(
            f"cannot check the contract: syntax error at line {error.raw_line}: {error.message}"
        ) from None
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
            offending = sorted(
                name for name in called if any(fnmatch.fnmatchcase(name, pattern) for pattern in item.patterns)
            )
            return _result(item, offending, "called")
    raise WorkbenchError(f"unknown contract check '{item.check}'")


def _result(item: ContractItem, offenders: list[str], reason: str) -> ContractResult:
    if not offenders:
        return ContractResult(item, True, "")
    return ContractResult(item, False, f"{reason}: {', '.join(offenders)}")


def check_contract(source: str, items: tuple[ContractItem, ...]) -> list[ContractResult]:
    """Check every static claim of a contract against `source`; one result per claim, in order.
    (Exercises are run by workbench.proof.isolated, not here.)"""
    facts = collect_facts(source)
    return [check_item(facts, item) for item in items if item.is_static]


# --- Claims carry forward -------------------------------------------------------------
#
# Step NN must still meet what steps 01..NN-1 established: a learner's step 11 that quietly
# goes back to `uchars.index()` meets step 11's own contract, so each step inherits every
# earlier claim, adjusted by the plan:
# - renames: a claim about `gpt` made at step 04 is about `gpt_value` once step 05 renames
#   `gpt` to `gpt_value` (exact names follow renames; wildcard patterns stay as written);
# - retirements: a step may retire an earlier claim it deliberately ends (step 07 deletes
#   the Value class that steps 01-06 had to keep). A retirement names the step, the check,
#   optionally the function, and optionally some names, which alone then leave the claim.


@dataclass(frozen=True)
class Retirement:
    """An earlier claim that a step ends: which step made it, its check, and what to drop."""

    step: int
    check: str
    function: str | None = None
    names: tuple[str, ...] = ()
    """Empty: the whole claim ends. Otherwise only the names matching these patterns leave it."""

    def matches(self, origin: int, item: ContractItem) -> bool:
        return (
            origin == self.step
            and item.check == self.check
            and (self.function is None or self.function == item.function)
        )

    def describe(self) -> str:
        where = f" of {self.function}" if self.function else ""
        only = f" (only {', '.join(self.names)})" if self.names else ""
        return f"step {self.step:02d}'s '{self.check}' claim{where}{only}"


def parse_retirement(raw: Any, context: str) -> Retirement:
    """One `retires` entry of a step: { step = 3, check = "defines-class" [, function, names] }."""
    if not isinstance(raw, dict):
        raise PlanError(f'{context}: must be a table {{ step = N, check = "..." }}')
    for key in raw:
        if key not in ("step", "check", "function", "names"):
            raise PlanError(f"{context}: a retirement does not take a field '{key}'")
    step, check = raw.get("step"), raw.get("check")
    if not isinstance(step, int) or isinstance(step, bool):
        raise PlanError(f"{context}: field 'step' must be the number of an earlier step")
    if check not in CONTRACT_CHECKS:
        raise PlanError(f"{context}: field 'check' must be one of {', '.join(CONTRACT_CHECKS)}")
    function, names = raw.get("function"), raw.get("names", [])
    if function is not None and not isinstance(function, str):
        raise PlanError(f"{context}: field 'function' must be a function name or \"{MODULE_LEVEL}\"")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise PlanError(f"{context}: field 'names' must be a list of names or patterns")
    return Retirement(step=step, check=check, function=function, names=tuple(names))


@dataclass(frozen=True)
class CarriedClaim:
    """A claim that applies at some step: the claim as it reads there, and the step that made it."""

    origin: int
    item: ContractItem

    def describe(self, current: int) -> str:
        """The claim in words; with '(from step 02)' when an earlier step made it."""
        own = self.item.describe()
        return own if self.origin == current else f"{own} (from step {self.origin:02d})"


class ClaimHistory(Protocol):
    """What carry-forward reads of a step (workbench.plan.Step has these)."""

    @property
    def number(self) -> int: ...
    @property
    def contract(self) -> tuple[ContractItem, ...]: ...
    @property
    def renames(self) -> dict[str, str]: ...
    @property
    def retires(self) -> tuple[Retirement, ...]: ...


def _is_pattern(text: str) -> bool:
    return any(character in text for character in "*?[")


def _renamed(item: ContractItem, renames: dict[str, str]) -> ContractItem:
    def follow(name: str) -> str:
        return name if _is_pattern(name) else renames.get(name, name)

    return replace(
        item,
        names=tuple(follow(name) for name in item.names),
        function=None if item.function is None else follow(item.function),
        patterns=tuple(follow(pattern) for pattern in item.patterns),
    )


def _retired(claim: CarriedClaim, retirement: Retirement) -> CarriedClaim | None:
    if not retirement.matches(claim.origin, claim.item):
        return claim
    if not retirement.names:
        return None
    kept = tuple(
        name for name in claim.item.names if not any(fnmatch.fnmatchcase(name, dropped) for dropped in retirement.names)
    )
    return CarriedClaim(claim.origin, replace(claim.item, names=kept)) if kept else None


def claims_at(steps: Sequence[ClaimHistory], number: int) -> list[CarriedClaim]:
    """Every claim that applies at step `number`: its own first, then earlier steps' carried forward.

    `steps` are the plan's steps in order. A claim made at step K is renamed by the renames of
    steps K+1..number and dropped, wholly or in part, by their retirements. Raises PlanError
    for a retirement that matches no claim it could retire (a typo would otherwise be silent).
    """
    carried: list[CarriedClaim] = []
    for step in steps:
        if step.number > number:
            break
        carried = [CarriedClaim(claim.origin, _renamed(claim.item, step.renames)) for claim in carried]
        for index, retirement in enumerate(step.retires, start=1):
            matched = [claim for claim in carried if retirement.matches(claim.origin, claim.item)]
            if not matched:
                raise PlanError(
                    f"step {step.number}: retires item {index} ({retirement.describe()}) matches no claim carried to this step"
                )
            survivors = [_retired(claim, retirement) for claim in carried]
            carried = [claim for claim in survivors if claim is not None]
        carried.extend(CarriedClaim(step.number, item) for item in step.contract)
    own = [claim for claim in carried if claim.origin == number]
    return own + [claim for claim in carried if claim.origin != number]
