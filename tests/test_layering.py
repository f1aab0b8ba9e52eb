"""The house's layers, read from every module's imports (ast), so they cannot silently regress.

- no import circle between the workbench's modules;
- no arrow from a lower module (the plan, the helpers everything shares, and the proof's
  pure functions) up into an area built on them (runner with its blame, lint, diffview, workshop,
  handout, the export);
- no import hidden in a function, and no import by name at run time (importlib), except
  the few listed below with their reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.paths import installed_root

PACKAGE = installed_root() / "tools" / "workbench"

LOWER_MODULES = frozenset(
    (
        "workbench",
        "workbench.plan",
        "workbench.programs",
        "workbench.contracts",
        "workbench.syntax",
        "workbench.files",
        "workbench.paths",
        "workbench.project",
        "workbench.cli",
        "workbench.errors",
        "workbench.console",
        "workbench.lint_rule_names",
        "workbench.system",
    )
)
"""The modules every area builds on: they import nothing above them."""

LOWER_PACKAGES = ("workbench.proof",)
"""Packages of the lower layer: the proof's exercises, wording and searches (pure functions)."""

AREAS = (
    "workbench.runner",
    "workbench.lint",
    "workbench.diffview",
    "workbench.workshop",
    "workbench.handout",
)
"""The areas built on the lower layer; the export (git_export, codetour and its command) too."""

IMPORTS_IN_FUNCTIONS = {
    (
        "workbench.handout.charts",
        "matplotlib",
    ): "the SVG backend must be chosen before pyplot is imported, and only the charts need it",
    ("workbench.handout.charts", "matplotlib.pyplot"): "imported after the backend is chosen (see above)",
    (
        "workbench.system",
        "multiprocessing",
    ): "only the linter's parent process needs it, and the runner's driver loads this module in every run",
    ("workbench.system", "ctypes"): "Linux only (prctl), and absent from some minimal builds",
    (
        "workbench.workshop.watch",
        "termios",
    ): "POSIX only: the key reader of a terminal; the watch works without it elsewhere",
    ("workbench.workshop.watch", "tty"): "POSIX only, as termios",
    ("workbench.handout.launch", "workbench.handout"): "the handout's libraries are an optional extra: checked first",
    (
        "workbench.handout.launch",
        "workbench.handout.command",
    ): "the handout's libraries are an optional extra: checked first",
}
"""(module, imported module) -> why the import must happen inside a function."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(node: ast.Import | ast.ImportFrom, module: str) -> Iterator[str]:
    """The modules an import statement loads (for `from package import name`, the
    submodule package.name when there is one)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    yield base
    for alias in node.names:
        if f"{base}.{alias.name}" in MODULES:
            yield f"{base}.{alias.name}"


def imports_of(module: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function or class, line) for every import statement."""
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((name, nested, child.lineno) for name in imported_names(child, module))
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            visit(child, inner)

    visit(ast.parse(MODULES[module].read_text(encoding="utf-8")), False)
    return found


GRAPH = {
    module: {name for name, _, _ in imports_of(module) if name in MODULES and name != module} for module in MODULES
}


def area_of(module: str) -> str | None:
    return next((area for area in AREAS if module == area or module.startswith(area + ".")), None)


def is_lower(module: str) -> bool:
    return module in LOWER_MODULES or any(
        module == package or module.startswith(package + ".") for package in LOWER_PACKAGES
    )


LOWER = sorted(module for module in MODULES if is_lower(module))


def test_the_graph_was_read() -> None:
    assert "workbench.plan" in MODULES and "workbench.runner.command" in MODULES
    assert "workbench.plan" in GRAPH["workbench.project"], "the parser finds `from workbench.plan import ...`"


@pytest.mark.parametrize("module", LOWER)
def test_a_lower_module_imports_no_area(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if not is_lower(name))
    assert not upward, f"{module} imports {upward}, above it"


def test_there_is_no_import_circle() -> None:
    """Tarjan's strongly connected components: every one must be a single module."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for imported in sorted(GRAPH[module]):
            if imported not in index:
                connect(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            connect(module)
    assert not circles, f"import circles: {circles}"


def test_no_import_hides_in_a_function() -> None:
    hidden = [
        f"{module}:{line} imports {name}"
        for module in MODULES
        for name, nested, line in imports_of(module)
        if nested and (module, name) not in IMPORTS_IN_FUNCTIONS
    ]
    assert not hidden, hidden


def test_nothing_is_imported_by_name_at_run_time() -> None:
    dynamic = [
        f"{module}:{node.lineno}"
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] in ("import_module", "__import__")
    ]
    assert not dynamic, dynamic


def test_the_library_never_asks_where_the_package_is_installed() -> None:
    """Tools and console commands pass their project's root; only the tests ask the package."""
    askers = [
        module
        for module, path in MODULES.items()
        if module != "workbench.paths" and "installed_root" in path.read_text(encoding="utf-8")
    ]
    assert not askers, askers


def test_every_module_has_its_layer() -> None:
    export = {"workbench.git_export", "workbench.codetour", "workbench.git_export_command"}
    assert {module for module in MODULES if not is_lower(module) and area_of(module) is None} == export
    assert LOWER_MODULES <= set(MODULES)
