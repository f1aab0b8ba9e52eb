"""Lint source texts and files with the selected rules."""

from __future__ import annotations

import os
import pickle
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import libcst as cst

from workbench.lint.config import LintConfig
from workbench.lint.deep_stack import call_with_deep_stack
from workbench.lint.errors import LintError, SourceError
from workbench.lint.result_cache import load_result, result_key, store_result
from workbench.lint.rule import Rule
from workbench.lint.rules import ALL_RULES, find_rule, select_rules
from workbench.lint.source import SourceContext, parse_source, read_source
from workbench.lint.suppressions import apply_suppressions
from workbench.lint.syntax_check import compile_error, is_newer_syntax
from workbench.lint.violation import Violation
from workbench.lint.words import Vocabulary, build_vocabulary
from workbench.lint.workers import run_in_workers
from workbench.paths import display_path

MAXIMUM_WORKERS = 4
MINIMUM_PARALLEL_FILES = 2
"""Files are analysed in worker processes (time-bounded, in parallel) when there are at
least this many, or when one is large; a single small text is analysed in this process."""

IN_PROCESS_CHARACTERS = 4_000
"""Texts shorter than this are analysed in this process: even their worst case (a
1,000-term sum) takes under a second, less than starting a worker."""

DEFAULT_TIME_LIMIT = 30.0
"""Seconds one file may take to analyse before it is reported as too slow (exit 2)."""

MEMORY_CACHE_ENTRIES = 4_096


@dataclass(frozen=True)
class LintSettings:
    """Which rules run, with which configuration, and how.

    `cache_folder` keeps results between runs there (see result_cache; None keeps none);
    `time_limit` bounds the analysis of one file in seconds.
    """

    rules: tuple[Rule, ...] = ALL_RULES
    config: LintConfig = field(default_factory=LintConfig)
    cache_folder: Path | None = field(default=None, compare=False)
    time_limit: float = field(default=DEFAULT_TIME_LIMIT, compare=False)

    @property
    def rule_names(self) -> frozenset[str]:
        return frozenset(rule.name for rule in self.rules)


def make_settings(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None, config: LintConfig | None = None
) -> LintSettings:
    """Settings from --select/--ignore style lists; the built-in configuration by default."""
    return LintSettings(rules=select_rules(select, ignore), config=config if config is not None else LintConfig())


@dataclass(frozen=True)
class FileResult:
    """The violations in one file, with its lines (for showing the offending source)."""

    path: str
    lines: tuple[str, ...]
    violations: tuple[Violation, ...]


class ResultMemory:
    """Lint results kept in this process, keyed by everything they depend on (the path, the
    text, the rules, the configuration), the least recently used forgotten beyond `limit`:
    the gate, the API and the tests lint the same snapshots many times in one process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._results: OrderedDict[tuple[object, ...], FileResult] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> FileResult | None:
        result = self._results.get(key)
        if result is not None:
            self._results.move_to_end(key)
        return result

    def remember(self, key: tuple[object, ...], result: FileResult) -> None:
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self.limit:
            self._results.popitem(last=False)


PROCESS_MEMORY = ResultMemory(MEMORY_CACHE_ENTRIES)
"""The results this process has seen (bounded: see ResultMemory)."""


def vocabulary_for(config: LintConfig) -> Vocabulary:
    return _vocabulary(*config.vocabulary_key())


@lru_cache(maxsize=16)
def _vocabulary(allowed_words: frozenset[str], abbreviations: tuple[tuple[str, str], ...]) -> Vocabulary:
    """Building the word tables takes a while, and a run sees one configuration per
    pyproject.toml: a few, so a small bound keeps them all."""
    return build_vocabulary(allowed_words, dict(abbreviations))


def lint_text(text: str, path: str, settings: LintSettings) -> FileResult:
    """Lint a source text. Raises SourceError if it cannot be parsed (or takes too long)."""
    (outcome,) = _lint_many([(text, path)], settings)
    if isinstance(outcome, SourceError):
        raise outcome
    return outcome


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


def lint_sources(
    files: Sequence[tuple[Path, LintSettings]], standard_input: str | None = None, standard_input_name: str = "<stdin>"
) -> tuple[list[FileResult], list[SourceError]]:
    """Lint files, each with its own settings (its nearest configuration); the path `-`
    stands for `standard_input`. Returns the results of the files that could be read and
    analysed, in the order given, and an error for each of the others."""
    groups: dict[int, tuple[LintSettings, list[tuple[int, str, str]]]] = {}
    outcomes: dict[int, FileResult | SourceError] = {}
    for index, (path, settings) in enumerate(files):
        group = groups.setdefault(id(settings), (settings, []))[1]
        if str(path) == "-" and standard_input is not None:
            group.append((index, standard_input, standard_input_name))
            continue
        display = shown_path(path)
        try:
            group.append((index, read_source(path, display), display))
        except SourceError as error:
            outcomes[index] = error
    for settings, group in groups.values():
        for (index, _, _), outcome in zip(group, _lint_many([(text, display) for _, text, display in group], settings)):
            outcomes[index] = outcome
    ordered = [outcomes[index] for index in range(len(files))]
    return [item for item in ordered if isinstance(item, FileResult)], [
        item for item in ordered if isinstance(item, SourceError)
    ]


def _lint_many(sources: Sequence[tuple[str, str]], settings: LintSettings) -> list[FileResult | SourceError]:
    """Every source's result: from the caches when possible, else analysed (in worker
    processes when there are several files or a large one)."""
    codes = tuple(rule.code for rule in settings.rules)
    configuration = settings.config.cache_key()
    outcomes: dict[int, FileResult | SourceError] = {}
    keys: dict[int, str] = {}
    missing: list[int] = []
    for index, (text, path) in enumerate(sources):
        cached = PROCESS_MEMORY.get((path, text, codes, configuration))
        if cached is None and settings.cache_folder is not None:
            keys[index] = result_key(text, codes, configuration)
            stored = load_result(settings.cache_folder, keys[index], path)
            if stored is not None:
                cached = FileResult(path=path, lines=tuple(text.splitlines()), violations=stored)
                PROCESS_MEMORY.remember((path, text, codes, configuration), cached)
        if cached is None:
            missing.append(index)
        else:
            outcomes[index] = cached
    for index, outcome in zip(missing, _analyse_all([sources[index] for index in missing], settings)):
        outcomes[index] = outcome
        if isinstance(outcome, FileResult):
            text, path = sources[index]
            PROCESS_MEMORY.remember((path, text, codes, configuration), outcome)
            if settings.cache_folder is not None:
                store_result(
                    settings.cache_folder, keys.get(index) or result_key(text, codes, configuration), outcome.violations
                )
    return [outcomes[index] for index in range(len(sources))]


def _analyse_all(sources: Sequence[tuple[str, str]], settings: LintSettings) -> list[FileResult | SourceError]:
    large = any(len(text) >= IN_PROCESS_CHARACTERS for text, _ in sources)
    if len(sources) >= MINIMUM_PARALLEL_FILES or large:
        jobs = [(text, path, settings) for text, path in sources]
        try:
            return run_in_workers(
                jobs,
                _analyse_job,
                workers=max(1, min(len(jobs), os.cpu_count() or 1, MAXIMUM_WORKERS)),
                time_limit=settings.time_limit,
                describe_timeout=_timeout_error,
                describe_crash=_crash_error,
            )
        except (OSError, pickle.PicklingError):
            pass  # no processes to be had here: analyse in this one
    return [analyse(text, path, settings) for text, path in sources]


def _analyse_job(job: tuple[str, str, LintSettings]) -> FileResult | SourceError:
    return analyse(*job)


def _timeout_error(job: tuple[str, str, LintSettings]) -> SourceError:
    _, path, settings = job
    return SourceError(
        f"{path}: took longer than {settings.time_limit:g} s to analyse, so it was stopped (raise the bound with --timeout)"
    )


def _crash_error(job: tuple[str, str, LintSettings]) -> SourceError:
    return SourceError(f"{job[1]}: the process analysing this file died (out of memory?)")


def analyse(text: str, path: str, settings: LintSettings) -> FileResult | SourceError:
    """Lint one text, uncached: CPython's verdict on its syntax first, then every rule, in a
    thread deep enough for any file CPython compiles. Errors are returned, not raised."""
    refusal = compile_error(text, path)
    if refusal is not None and not is_newer_syntax(text, path, refusal):
        return refusal
    try:
        return call_with_deep_stack(partial(_lint_text_uncached, text, path, settings))
    except SourceError as error:
        return refusal if refusal is not None else error
    except LintError as error:  # a rule refused this file: it is unusable, the others are not
        return SourceError(str(error))
    except Exception as error:  # noqa: BLE001 - must catch everything, see below
        # A bug of the linter or of one of its rules, on this file. It must not escape:
        # here, in a worker process, it would end the worker and be reported as a crash of
        # the process; in this process, as a traceback ending every other file's check. It
        # is reported as what it is, for this file only (exit status 2).
        return SourceError(
            f"{path}: internal error of the linter (a bug, not your code): {type(error).__name__}: {error}"
        )


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


def shown_path(path: Path) -> str:
    """The path as messages show it (relative to the project when inside it); a loop of
    symbolic links cannot be resolved, and is shown as given."""
    try:
        return display_path(path)
    except (RuntimeError, OSError):
        return str(path)


def lint_file(path: Path, settings: LintSettings) -> FileResult:
    """Lint one file. Raises SourceError if it cannot be read or parsed."""
    display = shown_path(path)
    return lint_text(read_source(path, display), display, settings)
