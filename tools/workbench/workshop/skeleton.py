"""`start --skeleton`: the reference step with what it adds or changes cut out.

Seed 002's method: run it, hit the next error, implement it. The skeleton of step NN is
the reference step NN where

- every function that NN adds, or whose body NN changes against NN-1 (found by the diff
  viewer's libcst summary), keeps its signature, type hints and docstring, and its body
  becomes `raise NotImplementedError("step NN: <what it must do, from the plan>")`;
- module-level code that NN changes is cut down to the smallest enclosing block: a loop
  whose header did not change is entered, and only the statements that differ inside it
  become one `raise NotImplementedError(...)`.

A step that adds no behaviour (its code is the predecessor's up to names, annotations and
type aliases: renames, type hints) has no skeleton: `make_skeleton` says so, and the
learner starts from the predecessor. Skeletons are generated, never committed.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from workbench.plan import Plan, Step
from workbench.workshop.checking import (
    find_stubs,
    predecessor_path,
    reference_changes,
    reference_path,
    reference_renames,
    statement_fingerprint,
)

_STUBBED_STATUSES = frozenset({"added", "changed"})


@dataclass(frozen=True)
class Skeleton:
    source: str | None
    """The skeleton's text, or None when the step adds no behaviour."""
    stubbed: tuple[str, ...]
    """What was cut out: function names, and 'module-level code (line N)'."""
    note: str


def make_skeleton(plan: Plan, step: Step) -> Skeleton:
    old_source = predecessor_path(plan, step).read_text(encoding="utf-8")
    new_source = reference_path(plan, step).read_text(encoding="utf-8")
    if behaviour_free(old_source, new_source):
        return Skeleton(
            None,
            (),
            f"step {step.label} adds no behaviour (it renames or annotates what is there), so there is nothing to stub: you start from the step before",
        )
    changes = reference_changes(plan, step)
    functions = {
        change.name
        for change in changes
        if change.kind == "function"
        and "." not in change.name
        and change.status in _STUBBED_STATUSES
        and (change.status == "added" or change.body_changed)
    }
    renames = reference_renames(plan, step)
    old_module, new_module = cst.parse_module(old_source), cst.parse_module(new_source)
    stubber = _Stubber(step, functions, renames)
    body = stubber.module_body(old_module.body, new_module.body)
    source = new_module.with_changes(body=body).code
    stubbed = tuple(f"{stub.where} (line {stub.line})" for stub in find_stubs(source))
    return Skeleton(
        source,
        stubbed,
        f"step {step.label}: {len(stubbed)} place{'s' if len(stubbed) != 1 else ''} to implement: {', '.join(stubbed)}",
    )


# --- "adds no behaviour" -----------------------------------------------------------------


def behaviour_free(old_source: str, new_source: str) -> bool:
    """True when the two programs are the same code up to the names of their own
    identifiers (builtins and modules keep theirs), annotations, docstrings, type aliases
    and the imports only annotations used."""
    return _canonical(old_source) == _canonical(new_source)


def _canonical(source: str) -> str:
    tree = _Unannotate().visit(ast.parse(source))
    if tree.body and _is_docstring_node(tree.body[0]):
        tree.body = tree.body[1:]
    tree = _drop_unused_imports(tree)
    kept = set(dir(builtins)) | {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in kept:
            node.id = "_"
        elif isinstance(node, ast.arg):
            node.arg = "_"
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            node.name = "_"
        elif isinstance(node, ast.keyword) and node.arg is not None:
            node.arg = "_"
    return ast.dump(tree, annotate_fields=False)


def _is_docstring_node(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


class _Unannotate(ast.NodeTransformer):
    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        node.returns = None
        if node.body and _is_docstring_node(node.body[0]):
            node.body = node.body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    def visit_arg(self, node: ast.arg) -> Any:
        node.annotation = None
        return node

    def visit_Assign(self, node: ast.Assign) -> Any:
        # `a, b = x, y` and `a: T = x; b: T = y` do the same when x and y do not read a or b.
        target, value = node.targets[0], node.value
        if (
            len(node.targets) == 1
            and isinstance(target, ast.Tuple)
            and isinstance(value, ast.Tuple)
            and len(target.elts) == len(value.elts)
            and all(isinstance(name, ast.Name) for name in target.elts)
            and not {name.id for name in target.elts if isinstance(name, ast.Name)}
            & {node.id for element in value.elts for node in ast.walk(element) if isinstance(node, ast.Name)}
        ):
            return [
                ast.copy_location(ast.Assign(targets=[name], value=constant), node)
                for name, constant in zip(target.elts, value.elts, strict=True)
            ]
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> Any:
        if isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias" or node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)


def _drop_unused_imports(tree: ast.Module) -> ast.Module:
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    kept: list[ast.stmt] = []
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            bound = [(alias.asname or alias.name).split(".")[0] for alias in statement.names]
            if not any(name in used for name in bound):
                continue
        kept.append(statement)
    tree.body = kept
    return tree


# --- stubbing -------------------------------------------------------------------------


class _Stubber:
    def __init__(self, step: Step, functions: set[str], renames: Mapping[str, str]) -> None:
        self.step = step
        self.functions = functions
        self.renames = renames

    def module_body(
        self, old_body: Sequence[cst.BaseStatement], new_body: Sequence[cst.BaseStatement]
    ) -> list[cst.BaseStatement]:
        with_functions = [self._function(statement) for statement in new_body]
        return self._block(list(old_body), with_functions)

    def _function(self, statement: cst.BaseStatement) -> cst.BaseStatement:
        if not isinstance(statement, cst.FunctionDef) or statement.name.value not in self.functions:
            return statement
        name = statement.name.value
        body = statement.body
        kept: list[cst.BaseStatement] = []
        if isinstance(body, cst.IndentedBlock) and body.body and _is_docstring(body.body[0]):
            kept.append(body.body[0])
        kept.append(_raise(self._message(name, [name])))
        return statement.with_changes(body=cst.IndentedBlock(body=kept))

    def _block(self, old: list[cst.BaseStatement], new: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """`new` with the statements that differ from `old` cut down to one raise per run."""
        old_code = [statement for statement in old if not _is_definition(statement) and not _is_docstring(statement)]
        new_positions = [
            index
            for index, statement in enumerate(new)
            if not _is_definition(statement) and not _is_docstring(statement)
        ]
        new_code = [new[index] for index in new_positions]
        old_keys = [_key(statement, self.renames) for statement in old_code]
        new_keys = [_key(statement, {}) for statement in new_code]
        result: list[cst.BaseStatement | None] = list(new)
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, first_old, last_old, first_new, last_new in matcher.get_opcodes():
            if tag == "equal" or first_new == last_new:
                continue
            if tag == "replace" and last_old - first_old == last_new - first_new:
                pairs = zip(old_code[first_old:last_old], range(first_new, last_new), strict=True)
                if all(_same_header(old_statement, new_code[index], self.renames) for old_statement, index in pairs):
                    for old_statement, index in zip(
                        old_code[first_old:last_old], range(first_new, last_new), strict=True
                    ):
                        result[new_positions[index]] = self._enter(old_statement, new_code[index])
                    continue
            run = [new_positions[index] for index in range(first_new, last_new)]
            cut = [new[position] for position in run]
            names = sorted({name for statement in cut for name in _names_in(statement)})
            first = cut[0]
            leading = (
                first.leading_lines if isinstance(first, cst.SimpleStatementLine | cst.BaseCompoundStatement) else ()
            )
            replacement = _raise(self._message("module-level code", names)).with_changes(leading_lines=leading)
            result[run[0]] = replacement
            for position in run[1:]:
                result[position] = None
        return [statement for statement in result if statement is not None]

    def _enter(self, old: cst.BaseStatement, new: cst.BaseStatement) -> cst.BaseStatement:
        assert isinstance(old, cst.For | cst.While | cst.If | cst.With) and isinstance(
            new, cst.For | cst.While | cst.If | cst.With
        )
        old_body, new_body = old.body, new.body
        assert isinstance(old_body, cst.IndentedBlock) and isinstance(new_body, cst.IndentedBlock)
        inner = self._block(list(old_body.body), list(new_body.body))
        return new.with_changes(body=new_body.with_changes(body=inner))

    def _message(self, where: str, names: Sequence[str]) -> str:
        purpose = _purpose(self.step, names)
        return f"step {self.step.label}: {where}: {purpose}"


def _purpose(step: Step, names: Sequence[str]) -> str:
    """The sentences of the plan's `what` that mention one of `names`, else the commit."""
    sentences = re.split(r"(?<=[.!?])\s+", step.what)
    found = [
        sentence for sentence in sentences if any(re.search(rf"\b{re.escape(name)}\b", sentence) for name in names)
    ]
    text = " ".join(found[:2]) if found else step.commit + "."
    return text if len(text) <= 240 else text[:237].rstrip() + "..."


def _raise(message: str) -> cst.SimpleStatementLine:
    call = cst.Call(func=cst.Name("NotImplementedError"), args=[cst.Arg(cst.SimpleString(_quoted(message)))])
    return cst.SimpleStatementLine(body=[cst.Raise(exc=call)])


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _is_definition(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.FunctionDef | cst.ClassDef)


def _key(statement: cst.BaseStatement, renames: Mapping[str, str]) -> Any:
    return statement_fingerprint(statement, renames)


def _same_header(old: cst.BaseStatement, new: cst.BaseStatement, renames: Mapping[str, str]) -> bool:
    compound = (cst.For, cst.While, cst.If, cst.With)
    if not isinstance(old, compound) or type(old) is not type(new):
        return False
    if not isinstance(old.body, cst.IndentedBlock) or not isinstance(new.body, cst.IndentedBlock):
        return False
    empty = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
    return bool(_key(old.with_changes(body=empty), renames) == _key(new.with_changes(body=empty), {}))


def _names_in(statement: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    statement.visit(Collector())
    return found
