"""What changed between two versions of a program, read from their syntax trees (libcst).

The summary names module-level functions, classes and names that were added, removed or
changed, and confirms each planned rename in the code by counting identifier sites.

Two pieces of code are compared at three strengths:

- identical: the same concrete syntax tree, comments and spacing included;
- the same code: equal once comments, blank lines, spacing and trailing commas are
  ignored ("comments or formatting only");
- the same code up to the plan's renames: equal when each identifier either matches or is
  renamed by the plan's map, site by site ("identifiers renamed only").

Anything else is a change. A function's signature (parameters, return annotation) is
compared separately from its body (decorators and statements), so "signature changed"
is reported on its own, with the old and new parameter lists.

An identifier site is a `Name` in the code: a use, an assignment, a parameter, a keyword
argument. The attribute part of `x.data` and the module of `from x import y` are not
sites, nor are words inside comments or strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import libcst as cst

from workbench.diffview.fingerprint import equivalent_under_renames, fingerprint, identifier_sites
from workbench.errors import WorkbenchError
from workbench.syntax import import_names, module_scope_statements, target_names

_EMPTY_MODULE = cst.Module(body=[])


class Kind(StrEnum):
    FUNCTION = "function"
    CLASS = "class"
    NAME = "name"


class Status(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    RENAMED = "renamed"
    """The definition's own name changed; its code is the same up to the plan's renames."""
    IDENTIFIERS_RENAMED = "identifiers renamed only"
    FORMATTING_ONLY = "comments or formatting only"


@dataclass(frozen=True)
class DefinitionChange:
    """One function, class or module-level name that differs between the two versions."""

    kind: Kind
    name: str
    """The name in the newer version (in the older one for a removal)."""
    status: Status
    old_name: str | None = None
    """The name in the older version when it was renamed, else None."""
    signature_changed: bool = False
    body_changed: bool = False
    old_signature: str | None = None
    """For functions: 'name(parameters) -> annotation' in the older version."""
    new_signature: str | None = None

    @property
    def label(self) -> str:
        """The name as a reader should see it: 'gpt -> forward_training' when renamed."""
        return f"{self.old_name} -> {self.name}" if self.old_name else self.name


@dataclass(frozen=True)
class RenameEvidence:
    """A planned rename and the identifier sites that confirm (or contradict) it."""

    old: str
    new: str
    old_sites_before: int
    new_sites_before: int
    old_sites_after: int
    new_sites_after: int

    @property
    def sites(self) -> int:
        """How many sites the new name gained: the number shown as `old -> new xN`."""
        return max(self.new_sites_after - self.new_sites_before, 0)

    @property
    def confirmed(self) -> bool:
        return not self.problems("before", "after")

    def problems(self, older: str, newer: str) -> tuple[str, ...]:
        """Why the code does not show this rename, in words; empty when it does.

        `older` and `newer` name the two versions, e.g. 'step 06' and 'step 07'.
        """
        found: list[str] = []
        if self.old_sites_before == 0:
            found.append(f"{self.old} does not occur in {older}")
        if self.new_sites_after == 0:
            found.append(f"{self.new} does not occur in {newer}")
        if found:
            return tuple(found)
        if self.new_sites_after <= self.new_sites_before:
            found.append(f"{self.new} is at no more sites in {newer} than in {older} ({self.new_sites_before})")
        if self.old_sites_after >= self.old_sites_before:
            found.append(f"{self.old} is still at all {self.old_sites_before} of its sites in {newer}")
        return tuple(found)


@dataclass(frozen=True)
class SemanticSummary:
    changes: tuple[DefinitionChange, ...]
    renames: tuple[RenameEvidence, ...]

    def of_kind(self, kind: Kind) -> tuple[DefinitionChange, ...]:
        return tuple(change for change in self.changes if change.kind is kind)

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.renames


class UnparsableSource(WorkbenchError):
    """A snapshot is not valid Python, so it has no syntax tree to summarize."""


# ---------------------------------------------------------------------------------------
# The module scope: definitions and the statements that bind names
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Definition:
    kind: Kind
    node: cst.FunctionDef | cst.ClassDef


@dataclass
class _Scope:
    definitions: dict[str, _Definition]
    bindings: dict[str, list[Any]]
    """Module-level name -> the fingerprints of the statements that bind it, in order."""


def _bindings_of(statement: cst.CSTNode) -> list[tuple[str, Any]]:
    """(name, fingerprint of what binds it) for each name a module-level statement binds."""
    match statement:
        case cst.Assign():
            statement_print = fingerprint(statement)
            return [(name, statement_print) for target in statement.targets for name in target_names(target.target)]
        case cst.AnnAssign() | cst.AugAssign():
            return [(name, fingerprint(statement)) for name in target_names(statement.target)]
        case cst.For():
            header = ("For", fingerprint(statement.target), fingerprint(statement.iter))
            return [(name, header) for name in target_names(statement.target)]
        case cst.With():
            return [
                (name, fingerprint(item))
                for item in statement.items
                if item.asname is not None
                for name in target_names(item.asname.name)
            ]
        case cst.Import() | cst.ImportFrom():
            return [(name, fingerprint(statement)) for name in import_names(statement)]
        case cst.TypeAlias():
            return [(statement.name.value, fingerprint(statement))]
    return []


def _read_scope(statements: Any) -> _Scope:
    scope = _Scope(definitions={}, bindings={})
    for statement in module_scope_statements(statements):
        if isinstance(statement, cst.FunctionDef):
            scope.definitions[statement.name.value] = _Definition(Kind.FUNCTION, statement)
        elif isinstance(statement, cst.ClassDef):
            scope.definitions[statement.name.value] = _Definition(Kind.CLASS, statement)
        else:
            for name, binding in _bindings_of(statement):
                scope.bindings.setdefault(name, []).append(binding)
    for name in scope.definitions:
        scope.bindings.pop(name, None)
    return scope


def _class_members(node: cst.ClassDef) -> dict[str, _Definition]:
    """The methods (and nested classes) defined directly in a class body."""
    return _read_scope(node.body.body).definitions


# ---------------------------------------------------------------------------------------
# Comparing definitions and names
# ---------------------------------------------------------------------------------------


def signature_text(node: cst.FunctionDef) -> str:
    """'name(parameters) -> annotation' on one line, as written."""
    parameters = " ".join(_EMPTY_MODULE.code_for_node(node.params).split())
    text = f"{node.name.value}({parameters})"
    if node.returns is not None:
        text += " -> " + " ".join(_EMPTY_MODULE.code_for_node(node.returns.annotation).split())
    return text


def _signature_print(node: cst.FunctionDef | cst.ClassDef) -> Any:
    if isinstance(node, cst.FunctionDef):
        return fingerprint((node.params, node.returns, node.asynchronous))
    return fingerprint((node.bases, node.keywords))


def _body_print(node: cst.FunctionDef | cst.ClassDef) -> Any:
    return fingerprint((node.decorators, node.body, node.type_parameters))


def _match_names(
    old_names: Any, new_names: Any, renames: Mapping[str, str]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Pair each old name with its counterpart: its planned new name if present, else itself.

    Returns (pairs of old and new name, removed old names, added new names), in the order
    the names appear in each version.
    """
    counterparts: dict[str, str] = {}
    claimed: set[str] = set()
    for old_name in old_names:  # planned renames first, so they win over a same-name match
        planned = renames.get(old_name)
        if planned is not None and planned in new_names and planned not in claimed:
            counterparts[old_name] = planned
            claimed.add(planned)
    for old_name in old_names:
        if old_name not in counterparts and old_name in new_names and old_name not in claimed:
            counterparts[old_name] = old_name
            claimed.add(old_name)
    pairs = [(old_name, counterparts[old_name]) for old_name in old_names if old_name in counterparts]
    removed = [old_name for old_name in old_names if old_name not in counterparts]
    added = [new_name for new_name in new_names if new_name not in claimed]
    return pairs, removed, added


def _compare_definitions(
    old_name: str,
    new_name: str,
    old: _Definition,
    new: _Definition,
    renames: Mapping[str, str],
    prefix: str,
) -> DefinitionChange | None:
    old_node, new_node = old.node, new.node
    if old_name == new_name and old_node.deep_equals(new_node):
        return None
    old_signature, new_signature = _signature_print(old_node), _signature_print(new_node)
    old_body, new_body = _body_print(old_node), _body_print(new_node)
    signature_changed = not equivalent_under_renames(old_signature, new_signature, renames)
    body_changed = not equivalent_under_renames(old_body, new_body, renames)
    renamed_from = prefix + old_name if old_name != new_name else None
    if signature_changed or body_changed:
        status = Status.CHANGED
    elif renamed_from is not None:
        status = Status.RENAMED
    elif old_signature == new_signature and old_body == new_body:
        status = Status.FORMATTING_ONLY
    else:
        status = Status.IDENTIFIERS_RENAMED
    function_signatures = (
        (signature_text(old_node), signature_text(new_node))
        if signature_changed and isinstance(old_node, cst.FunctionDef) and isinstance(new_node, cst.FunctionDef)
        else (None, None)
    )
    return DefinitionChange(
        kind=new.kind,
        name=prefix + new_name,
        status=status,
        old_name=renamed_from,
        signature_changed=signature_changed,
        body_changed=body_changed,
        old_signature=function_signatures[0],
        new_signature=function_signatures[1],
    )


def _compare_scopes(
    old_definitions: dict[str, _Definition],
    new_definitions: dict[str, _Definition],
    renames: Mapping[str, str],
    prefix: str = "",
) -> list[DefinitionChange]:
    changes: list[DefinitionChange] = []
    for kind in (Kind.CLASS, Kind.FUNCTION):
        old_of_kind = {name: definition for name, definition in old_definitions.items() if definition.kind is kind}
        new_of_kind = {name: definition for name, definition in new_definitions.items() if definition.kind is kind}
        pairs, removed, added = _match_names(old_of_kind, new_of_kind, renames)
        for old_name, new_name in pairs:
            old, new = old_of_kind[old_name], new_of_kind[new_name]
            change = _compare_definitions(old_name, new_name, old, new, renames, prefix)
            if change is not None:
                changes.append(change)
            if kind is Kind.CLASS and change is not None:
                assert isinstance(old.node, cst.ClassDef) and isinstance(new.node, cst.ClassDef)
                changes.extend(
                    _compare_scopes(
                        _class_members(old.node), _class_members(new.node), renames, prefix=f"{prefix}{new_name}."
                    )
                )
        changes.extend(DefinitionChange(kind=kind, name=prefix + name, status=Status.REMOVED) for name in removed)
        changes.extend(DefinitionChange(kind=kind, name=prefix + name, status=Status.ADDED) for name in added)
    return changes


def _compare_bindings(
    old: dict[str, list[Any]], new: dict[str, list[Any]], renames: Mapping[str, str]
) -> list[DefinitionChange]:
    changes: list[DefinitionChange] = []
    pairs, removed, added = _match_names(old, new, renames)
    for old_name, new_name in pairs:
        old_prints, new_prints = tuple(old[old_name]), tuple(new[new_name])
        renamed_from = old_name if old_name != new_name else None
        if not equivalent_under_renames(old_prints, new_prints, renames):
            status = Status.CHANGED
        elif renamed_from is not None:
            status = Status.RENAMED
        elif old_prints == new_prints:
            continue  # a name's binding statements compare without layout; nothing to report
        else:
            status = Status.IDENTIFIERS_RENAMED
        changes.append(
            DefinitionChange(
                kind=Kind.NAME,
                name=new_name,
                status=status,
                old_name=renamed_from,
                body_changed=status is Status.CHANGED,
            )
        )
    changes.extend(DefinitionChange(kind=Kind.NAME, name=name, status=Status.REMOVED) for name in removed)
    changes.extend(DefinitionChange(kind=Kind.NAME, name=name, status=Status.ADDED) for name in added)
    return changes


def parse(source: str, label: str) -> cst.Module:
    """The libcst module for a snapshot's source; UnparsableSource names the file and line."""
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise UnparsableSource(
            f"{label} is not valid Python (line {error.raw_line}, column {error.raw_column}: {error.message})"
        ) from None


def summarize(
    old_source: str,
    new_source: str,
    renames: Mapping[str, str],
    *,
    old_label: str = "the older version",
    new_label: str = "the newer version",
) -> SemanticSummary:
    """The semantic summary of going from `old_source` to `new_source`.

    `renames` is the plan's map of old name -> new name for this change; it is used to pair
    renamed definitions and to tell a rename from a change, and each entry is checked
    against the code (see RenameEvidence).
    """
    old_module, new_module = parse(old_source, old_label), parse(new_source, new_label)
    old_scope, new_scope = _read_scope(old_module.body), _read_scope(new_module.body)
    changes = _compare_scopes(old_scope.definitions, new_scope.definitions, renames)
    changes.extend(_compare_bindings(old_scope.bindings, new_scope.bindings, renames))

    old_sites, new_sites = identifier_sites(fingerprint(old_module)), identifier_sites(fingerprint(new_module))
    evidence = tuple(
        RenameEvidence(
            old=old,
            new=new,
            old_sites_before=old_sites[old],
            new_sites_before=old_sites[new],
            old_sites_after=new_sites[old],
            new_sites_after=new_sites[new],
        )
        for old, new in renames.items()
    )
    return SemanticSummary(changes=tuple(changes), renames=evidence)
