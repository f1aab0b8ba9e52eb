"""Load the functions (and classes) a snapshot defines without running its training loop.

A snapshot is a script: importing it would train for minutes. Tests that exercise one
kernel need only its definitions, so this keeps the imports, classes, functions and
module-level type aliases, drops everything else, and executes that.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any


def load_definitions(path: Path, constants: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute only the definitions of the script at `path`; `constants` are put in its globals first."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    kept: list[ast.stmt] = []
    for statement in tree.body:
        is_definition = isinstance(statement, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef)
        is_type_alias = isinstance(statement, ast.AnnAssign) and ast.unparse(statement.annotation) == "TypeAlias"
        if is_definition or is_type_alias:
            kept.append(statement)
    namespace: dict[str, Any] = dict(constants or {})
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(path), "exec"), namespace)
    return namespace
