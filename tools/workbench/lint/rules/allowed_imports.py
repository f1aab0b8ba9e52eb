"""DOD600 allowed-imports: imports only from the allowed standard-library modules."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext

COMPILER_DIRECTIVES: frozenset[str] = frozenset(("__future__",))


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def check(context: SourceContext) -> Iterator[Finding]:
    allowed = context.config.allowed_modules
    listed = ", ".join(sorted(allowed))
    for node in context.nodes_of(cst.Import, cst.ImportFrom):
        if isinstance(node, cst.Import):
            for alias in node.names:
                module = _dotted(alias.name)
                if module.partition(".")[0] not in allowed:
                    yield Finding(alias, f"imports '{module}', which is not an allowed module (allowed: {listed})")
            continue
        assert isinstance(node, cst.ImportFrom)
        if node.relative:
            yield Finding(
                node,
                "relative import: the program is one self-contained file; import only allowed standard-library modules",
            )
            continue
        module = _dotted(node.module) if node.module is not None else ""
        top_level = module.partition(".")[0]
        if top_level not in allowed and top_level not in COMPILER_DIRECTIVES:
            yield Finding(
                node.module or node, f"imports from '{module}', which is not an allowed module (allowed: {listed})"
            )


RULE = make_rule(
    code="DOD600",
    name="allowed-imports",
    summary="imports only from the allowed standard-library modules; no relative imports",
    flags="""
        An `import` or `from ... import` of a module whose top-level package is not allowed
        (one violation per module named), and every relative import. Allowed: os, math,
        random, json, struct, urllib, collections, itertools, functools, string, hashlib,
        time and typing, plus `allowed-modules` from [tool.lint_style]. Submodules of an
        allowed package are allowed (`urllib.request`, `os.path`). `from __future__ import`
        is a compiler directive and is allowed.
    """,
    why="""
        The subject is a dependency-free program: everything it does is on the page. The
        seed allows the paradigm-neutral parts of the standard library; a third-party or
        exotic module brings its own data layouts and abstractions the reader cannot see.
    """,
    fix="""
        Use the allowed modules, write the few lines yourself, or (for a deliberate
        project-wide choice) add the module to `allowed-modules` in [tool.lint_style].
    """,
    example="""
        import numpy
    """,
    fixed_example="""
        import math
    """,
    valid_examples=(
        valid("import math\nimport random\n", "allowed modules"),
        valid("import urllib.request\n", "a submodule of an allowed package"),
        valid("from typing import TypeAlias\n", "typing is allowed"),
        valid("from __future__ import annotations\n", "a compiler directive"),
        valid("from collections import defaultdict\nimport os.path\n", "from-imports of allowed modules"),
        valid("import json as json_module\n", "an alias does not change the module"),
    ),
    invalid_examples=(
        invalid("import numpy\n", "a third-party module"),
        invalid("from . import helpers\n", "a relative import"),
        invalid("import sys, re\n", "two disallowed modules in one statement", count=2),
        invalid("from dataclasses import dataclass\n", "a standard-library module outside the allowed set"),
        invalid("from ..package.module import name\n", "a relative import with a module"),
        invalid("import typing_extensions\n", "a name that merely starts like an allowed one"),
    ),
    check=check,
)
