"""Lint source texts and files with the selected rules."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from workbench.lint.config import LintConfig, load_config
from workbench.lint.errors import LintError, SourceError
from workbench.lint.rule import Rule
from workbench.lint.rules import ALL_RULES, find_rule, select_rules
from workbench.lint.source import SourceContext, parse_source, read_source
from workbench.lint.suppressions import apply_suppressions
from workbench.lint.violation import Violation
from workbench.lint.words import Vocabulary, build_vocabulary
from workbench.paths import display_path

MAXIMUM_WORKERS = 4
MINIMUM_PARALLEL_FILES = 4
"""Processes for linting many files at once (the gate's twelve snapshots); fewer files
than this are linted in this process, where starting workers would cost more."""

SKIPPED_DIRECTORIES: frozenset[str] = frozenset(("__pycache__", "venv", "node_modules", "build", "dist"))
"""Folders never searched for Python files (nor any folder whose name starts with a dot)."""


@dataclass(frozen=True)
class LintSettings:
    """Which rules run, with which configuration."""

    rules: tuple[Rule, ...] = ALL_RULES
    config: LintConfig = field(default_factory=LintConfig)

    @property
    def rule_names(self) -> frozenset[str]:
        return frozenset(rule.name for rule in self.rules)


def make_settings(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None, config: LintConfig | None = None) -> LintSettings:
    """Settings from --select/--ignore style lists; the project's configuration by default."""
    return LintSettings(rules=select_rules(select, ignore), config=config if config is not None else load_config())


@dataclass(frozen=True)
class FileResult:
    """The violations in one file, with its lines (for showing the offending source)."""

    path: str
    lines: tuple[str, ...]
    violations: tuple[Violation, ...]


_VOCABULARIES: dict[object, Vocabulary] = {}
_RESULTS: dict[tuple[object, ...], FileResult] = {}
_RESULTS_LIMIT = 64
"""Lint results are kept per process, keyed by everything they depend on: the gate, the
API and the tests lint the same snapshots many times."""


def vocabulary_for(config: LintConfig) -> Vocabulary:
    key = config.vocabulary_key()
    if key not in _VOCABULARIES:
        _VOCABULARIES[key] = build_vocabulary(config.allowed_words, config.abbreviations)
    return _VOCABULARIES[key]


def lint_text(text: str, path: str, settings: LintSettings) -> FileResult:
    """Lint a source text. Raises SourceError if it cannot be parsed."""
    key = _cache_key(text, path, settings)
    cached = _RESULTS.get(key)
    if cached is None:
        cached = _lint_text_uncached(text, path, settings)
        _remember(key, cached)
    return cached


def lint_texts(sources: Sequence[tuple[str, str]], settings: LintSettings) -> list[FileResult]:
    """Lint several (text, path) pairs, in parallel processes when that pays off.

    The results are in the order given. The first text that cannot be parsed raises its
    SourceError, as lint_text does.
    """
    outcomes = _lint_many(sources, settings)
    for outcome in outcomes:
        if isinstance(outcome, SourceError):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, FileResult)]


def lint_files(paths: Sequence[Path], settings: LintSettings) -> tuple[list[FileResult], list[SourceError]]:
    """Lint files (in parallel when there are several): the results of those that could be
    read and parsed, and an error for each of the others."""
    readable: list[tuple[str, str]] = []
    errors: list[SourceError] = []
    for path in paths:
        display = display_path(path)
        try:
            readable.append((read_source(path, display), display))
        except SourceError as error:
            errors.append(error)
    results: list[FileResult] = []
    for outcome in _lint_many(readable, settings):
        if isinstance(outcome, SourceError):
            errors.append(outcome)
        else:
            results.append(outcome)
    return results, errors


def _lint_many(sources: Sequence[tuple[str, str]], settings: LintSettings) -> list[FileResult | SourceError]:
    missing = [(text, path) for text, path in sources if _cache_key(text, path, settings) not in _RESULTS]
    workers = min(len(missing), os.cpu_count() or 1, MAXIMUM_WORKERS)
    if workers >= 2 and len(missing) >= MINIMUM_PARALLEL_FILES:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(_lint_or_error, text, path, settings) for text, path in missing]
                computed = [future.result() for future in futures]
        except (OSError, BrokenProcessPool, pickle.PicklingError):
            computed = []  # no processes to be had here: lint in this one
        for (text, path), outcome in zip(missing, computed):
            if isinstance(outcome, FileResult):
                _remember(_cache_key(text, path, settings), outcome)
    return [_lint_or_error(text, path, settings) for text, path in sources]


def _lint_or_error(text: str, path: str, settings: LintSettings) -> FileResult | SourceError:
    """lint_text, with a SourceError returned as a value (it crosses process boundaries)."""
    try:
        return lint_text(text, path, settings)
    except SourceError as error:
        return error


def _cache_key(text: str, path: str, settings: LintSettings) -> tuple[object, ...]:
    return (path, text, tuple(rule.code for rule in settings.rules), settings.config.cache_key())


def _remember(key: tuple[object, ...], result: FileResult) -> None:
    if len(_RESULTS) >= _RESULTS_LIMIT:
        _RESULTS.pop(next(iter(_RESULTS)))
    _RESULTS[key] = result


def _lint_text_uncached(text: str, path: str, settings: LintSettings) -> FileResult:
    context = parse_source(text, path, settings.config, vocabulary_for(settings.config))
    violations: list[Violation] = []
    for rule in settings.rules:
        if rule.check is None:
            continue
        try:
            for finding in rule.check(context):
                violations.append(_violation(context, finding.node, rule, finding.message))
        except RecursionError:
            raise SourceError(f"{path}: nested too deeply for rule {rule.title}") from None
        except Exception as error:  # a bug in a rule must still end in one clear sentence
            raise LintError(f"internal error: rule {rule.title} failed on {path}: {type(error).__name__}: {error}") from error

    def make_violation(node: cst.CSTNode, rule: Rule, message: str) -> Violation:
        return _violation(context, node, rule, message)

    violations = apply_suppressions(violations, context, find_rule, settings.rule_names, make_violation)
    return FileResult(path=path, lines=tuple(context.lines), violations=tuple(sorted(set(violations))))


def _violation(context: SourceContext, node: cst.CSTNode, rule: Rule, message: str) -> Violation:
    position = context.position(node)
    return Violation(
        path=context.path,
        line=position.start.line,
        column=position.start.column + 1,
        end_line=position.end.line,
        end_column=position.end.column + 1,
        code=rule.code,
        name=rule.name,
        message=message,
    )


def lint_file(path: Path, settings: LintSettings) -> FileResult:
    """Lint one file. Raises SourceError if it cannot be read or parsed."""
    display = display_path(path)
    return lint_text(read_source(path, display), display, settings)


def collect_python_files(paths: Sequence[Path]) -> list[Path]:
    """The files to lint: files as given, folders searched recursively for *.py.

    A path that does not exist is a SourceError. Hidden folders and SKIPPED_DIRECTORIES
    are not searched.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*.py")):
                relative_parts = candidate.relative_to(path).parts[:-1]
                if any(part.startswith(".") or part in SKIPPED_DIRECTORIES for part in relative_parts):
                    continue
                if candidate.is_file():
                    files.append(candidate)
        elif path.exists():
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or folder")
    unique: list[Path] = []
    seen: set[Path] = set()
    for file in files:
        resolved = file.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(file)
    return unique
