"""Load the functions a program defines without running the program.

A snapshot is a script: running it trains for minutes. Checking one of its functions needs
only its definitions, so this keeps the imports, functions, classes and module-level type
aliases, drops every other statement, and executes the rest. Used by the exercises that
`run_step.py --as` runs on a learner's file and by the tests on the plan's own steps: one
mechanism for both.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any


def load_definitions(source: str, file_name: str, constants: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Execute only the definitions in `source`; `constants` are placed in its globals first.

    Raises SyntaxError for a file that does not compile, and whatever a definition raises
    while it is defined (a decorator, a default value).
    """
    tree = ast.parse(source, filename=file_name)
    kept: list[ast.stmt] = []
    for statement in tree.body:
        is_definition = isinstance(statement, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef)
        is_type_alias = isinstance(statement, ast.AnnAssign) and ast.unparse(statement.annotation) == "TypeAlias"
        if is_definition or is_type_alias:
            kept.append(statement)
    namespace: dict[str, Any] = {"__name__": "snapshot_definitions", **(constants or {})}
    exec(compile(ast.Module(body=kept, type_ignores=[]), file_name, "exec"), namespace)
    return namespace
