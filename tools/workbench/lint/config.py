"""[tool.lint_style] in pyproject.toml: the project's additions to the linter's tables.

    [tool.lint_style]
    allowed-words = ["microgpt"]              # glossary additions: lower-case words
    abbreviations = { hdim = "head_dimension" }  # abbreviation -> full form (snake_case)
    allowed-modules = ["dataclasses"]         # importable besides the standard set
    select = ["DOD1", "no-lambda"]            # only these rules (default: all)
    ignore = ["type-hints"]                   # never these rules
    exclude = [".venv", "build"]              # replaces the default folders not searched
    extend-exclude = ["generated/*.py"]       # adds to them
    per-file-ignores = { "tests/*.py" = ["full-names"] }  # rules off for some files

Patterns are globs: one without a `/` matches any file or folder name on the way,
one with a `/` matches the path relative to the pyproject.toml's folder.

Everything is validated on load: an unknown key, a value of the wrong type, a malformed
word, or a word that is both allowed and listed as an abbreviation is a ConfigError
(exit status 2) that says which key of which file to fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.lint.errors import ConfigError
from workbench.lint.words import ABBREVIATIONS
from workbench.paths import display_path

SECTION = "tool.lint_style"

STANDARD_ALLOWED_MODULES: frozenset[str] = frozenset(
    (
        "os",
        "math",
        "random",
        "json",
        "struct",
        "urllib",
        "collections",
        "itertools",
        "functools",
        "string",
        "hashlib",
        "time",
        "typing",
    )
)
"""The standard-library modules the seed prompt names as paradigm-neutral, plus typing."""

_KNOWN_KEYS = (
    "allowed-words",
    "abbreviations",
    "allowed-modules",
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
)

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
"""Folders never searched for Python files unless `exclude` says otherwise (ruff's list)."""


@dataclass(frozen=True)
class LintConfig:
    """The validated configuration. The default instance has no additions."""

    allowed_words: frozenset[str] = frozenset()
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    extra_allowed_modules: frozenset[str] = frozenset()
    source: str = "built-in defaults"
    root: Path | None = None
    """The folder of the pyproject.toml it came from (patterns are relative to it)."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def allowed_modules(self) -> frozenset[str]:
        return STANDARD_ALLOWED_MODULES | self.extra_allowed_modules

    def vocabulary_key(self) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
        """Everything the word tables depend on (a dictionary key)."""
        return self.allowed_words, tuple(sorted(self.abbreviations.items()))

    def cache_key(self) -> tuple[object, ...]:
        """Everything a lint result depends on, besides the source and the rules."""
        return (*self.vocabulary_key(), self.extra_allowed_modules)


def load_config(pyproject: Path) -> LintConfig:
    """Read [tool.lint_style] from `pyproject` (--config, or the nearest one that has it:
    see discovery.nearest_config). A missing section means no additions; a missing file is
    an error.
    """
    path = pyproject
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"the configuration file {where} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"the configuration file {where} cannot be read ({error})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where} is not valid TOML: {error}") from None
    section = document.get("tool", {}).get("lint_style")
    if section is None:
        return LintConfig(source=f"{where} (no [{SECTION}] section)", root=path.resolve().parent)
    return parse_config(section, f"{where}: [{SECTION}]", root=path.resolve().parent)


def has_section(pyproject: Path) -> bool:
    """True when the file is readable TOML with a [tool.lint_style] table (discovery asks)."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = document.get("tool")
    return isinstance(tool, dict) and "lint_style" in tool


def parse_config(section: Any, where: str, root: Path | None = None) -> LintConfig:
    """Validate the contents of a [tool.lint_style] table."""
    if not isinstance(section, dict):
        raise ConfigError(f"{where} must be a table")
    for key in section:
        if key not in _KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: {', '.join(_KNOWN_KEYS)})")

    allowed_words = _string_list(section, "allowed-words", where)
    for word in allowed_words:
        if not _is_lower_word(word):
            raise ConfigError(f"{where}: allowed-words: {word!r} must be one lower-case word (letters a-z only)")

    abbreviations_raw = section.get("abbreviations", {})
    if not isinstance(abbreviations_raw, dict):
        raise ConfigError(f'{where}: abbreviations must be a table of short = "full_form" (got {abbreviations_raw!r})')
    abbreviations: dict[str, str] = {}
    for short, full_form in abbreviations_raw.items():
        if not _is_lower_word(short):
            raise ConfigError(f"{where}: abbreviations: {short!r} must be one lower-case word (letters a-z only)")
        if not isinstance(full_form, str) or not all(_is_lower_word(part) for part in full_form.split("_")):
            raise ConfigError(
                f"{where}: abbreviations: '{short}' must map to a snake_case full form such as \"head_dimension\" (got {full_form!r})"
            )
        abbreviations[short] = full_form

    modules = _string_list(section, "allowed-modules", where)
    for module in modules:
        if not module.isidentifier():
            raise ConfigError(
                f'{where}: allowed-modules: {module!r} must be a top-level module name such as "dataclasses"'
            )

    forbidden = set(ABBREVIATIONS) | set(abbreviations)
    overlap = sorted(set(allowed_words) & forbidden)
    if overlap:
        listed = ", ".join(f"'{word}'" for word in overlap)
        raise ConfigError(
            f"{where}: {listed} cannot be both an allowed word and an abbreviation; remove it from allowed-words (or from abbreviations)"
        )

    per_file_raw = section.get("per-file-ignores", {})
    if not isinstance(per_file_raw, dict) or not all(
        isinstance(value, list) and all(isinstance(item, str) for item in value) for value in per_file_raw.values()
    ):
        raise ConfigError(f'{where}: per-file-ignores must be a table of "glob" = ["rule", ...] (got {per_file_raw!r})')
    select = section.get("select")
    if select is not None:
        select = _string_list(section, "select", where)
    exclude = section.get("exclude")
    return LintConfig(
        allowed_words=frozenset(allowed_words),
        abbreviations=abbreviations,
        extra_allowed_modules=frozenset(modules),
        source=where,
        root=root,
        select=None if select is None else tuple(select),
        ignore=tuple(_string_list(section, "ignore", where)),
        exclude=DEFAULT_EXCLUDE if exclude is None else tuple(_string_list(section, "exclude", where)),
        extend_exclude=tuple(_string_list(section, "extend-exclude", where)),
        per_file_ignores=tuple((pattern, tuple(rules)) for pattern, rules in per_file_raw.items()),
    )


def _string_list(section: dict[str, Any], key: str, where: str) -> list[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {key} must be a list of strings (got {value!r})")
    return list(value)


def _is_lower_word(text: object) -> bool:
    return isinstance(text, str) and text.isascii() and text.isalpha() and text.islower()
