"""Fingerprints: a syntax tree with the layout taken out, for comparing code by meaning.

Two nodes are the same code exactly when their fingerprints are equal; identifier sites
become `Identifier` leaves, so the same code up to a planned rename can be recognised.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import libcst as cst


@dataclass(frozen=True)
class Identifier:
    """An identifier site inside a fingerprint (a leaf a planned rename may change)."""

    value: str


_LAYOUT_TYPES = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
)
_LAYOUT_FIELDS = frozenset(
    {"comma", "semicolon", "indent", "header", "footer", "leading_lines", "lines_after_decorators"}
)
_MODULE_LAYOUT_FIELDS = frozenset({"encoding", "default_indent", "default_newline", "has_trailing_newline"})


def fingerprint(node: Any) -> Any:
    """The node as nested tuples of node type names and values, without layout.

    Comments, blank lines, spacing, indentation and optional trailing commas are dropped;
    identifier sites become `Identifier` leaves. Two nodes are the same code exactly when
    their fingerprints are equal.
    """
    return _fingerprint(node, identifier_site=True)


def _fingerprint(value: Any, *, identifier_site: bool) -> Any:
    if isinstance(value, cst.Name):
        leaf: Any = Identifier(value.value) if identifier_site else value.value
        return ("Name", leaf, len(value.lpar), len(value.rpar))
    if isinstance(value, cst.CSTNode):
        parts: list[Any] = [type(value).__name__]
        for field in dataclasses.fields(value):
            if field.name in _LAYOUT_FIELDS or field.name.startswith("whitespace"):
                continue
            if isinstance(value, cst.Module) and field.name in _MODULE_LAYOUT_FIELDS:
                continue
            child = getattr(value, field.name)
            if isinstance(child, _LAYOUT_TYPES):
                continue
            child_is_site = not (
                (isinstance(value, cst.Attribute) and field.name == "attr")
                or (isinstance(value, cst.ImportFrom) and field.name == "module")
            )
            parts.append(_fingerprint(child, identifier_site=child_is_site))
        return tuple(parts)
    if isinstance(value, list | tuple):
        return tuple(
            _fingerprint(item, identifier_site=identifier_site) for item in value if not isinstance(item, _LAYOUT_TYPES)
        )
    if isinstance(value, cst.MaybeSentinel):
        return None
    return value


def equivalent_under_renames(old: Any, new: Any, renames: Mapping[str, str]) -> bool:
    """Fingerprints equal site by site, where an old identifier may carry its planned new name."""
    if isinstance(old, Identifier) and isinstance(new, Identifier):
        return old.value == new.value or renames.get(old.value) == new.value
    if isinstance(old, tuple) and isinstance(new, tuple):
        return len(old) == len(new) and all(
            equivalent_under_renames(a, b, renames) for a, b in zip(old, new, strict=True)
        )
    return bool(old == new)


def identifier_sites(fingerprint_value: Any) -> Counter[str]:
    """How many identifier sites each name has in a fingerprint."""
    counts: Counter[str] = Counter()
    pending = [fingerprint_value]
    while pending:
        item = pending.pop()
        if isinstance(item, Identifier):
            counts[item.value] += 1
        elif isinstance(item, tuple):
            pending.extend(item)
    return counts
