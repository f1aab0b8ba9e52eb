"""What the handout measures from the step files: each step's diff, libcst summary and style
debt, and each step's commit in the exported repository.

The diffs are the diff viewer's own types (workbench.diffview.textdiff), matched as git
matches them (workbench.diffview.gitdiff), so a page's line counts equal `git diff
--numstat` on the export_git.py repository. The measurements run in worker processes,
started before any thread (see `start_measuring`).
"""

from __future__ import annotations

import ast
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workbench.diffview.comparison import compare
from workbench.diffview.gitdiff import git_diff_lines
from workbench.diffview.semantic import DefinitionChange, Kind, RenameEvidence, SemanticSummary
from workbench.diffview.textdiff import TextDiff
from workbench.errors import WorkbenchError
from workbench.git_export import export_plan, tag_for
from workbench.handout.inputs import HandoutSourceError, PlanData, snapshot_paths
from workbench.lint.api import rule_counts
from workbench.programs import all_programs, resolve_program
from workbench.project import open_project


@dataclass(frozen=True)
class FunctionDiff:
    """The diff of one function, the hint before the whole diff."""

    name: str
    old_lines: tuple[str, ...]
    """The function in the older file (empty when the step adds it)."""
    new_lines: tuple[str, ...]
    diff: TextDiff


@dataclass(frozen=True)
class StepChange:
    """Going from the step before (or the original) to this step."""

    label: str
    older_label: str
    older_path: Path
    newer_path: Path
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]
    diff: TextDiff
    changes: tuple[DefinitionChange, ...]
    renames: tuple[RenameEvidence, ...]
    summary_problem: str | None
    function_diff: FunctionDiff | None


def line_diff(old_lines: Sequence[str], new_lines: Sequence[str], context: int = 3) -> TextDiff:
    """The diff viewer's line diff (with changed tokens), its lines matched as git matches them."""
    return git_diff_lines(old_lines, new_lines, context).diff


def _function_ranges(source: str) -> dict[str, tuple[int, int]]:
    """Module-level function name -> (first line, last line), 1-based, decorators included."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    ranges: dict[str, tuple[int, int]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            ranges[node.name] = (first, node.end_lineno)
    return ranges


def _one_function_diff(
    summary: SemanticSummary | None, old_lines: Sequence[str], new_lines: Sequence[str]
) -> FunctionDiff | None:
    """The most changed function of the step as its own diff (or the largest one added)."""
    if summary is None:
        return None
    old_ranges = _function_ranges("\n".join(old_lines))
    new_ranges = _function_ranges("\n".join(new_lines))
    candidates: list[tuple[int, str, FunctionDiff]] = []
    for change in summary.of_kind(Kind.FUNCTION):
        if str(change.status) not in ("changed", "added"):
            continue
        new_range = new_ranges.get(change.name)
        if new_range is None:
            continue
        old_range = old_ranges.get(change.old_name or change.name) if str(change.status) == "changed" else None
        old_part = old_lines[old_range[0] - 1 : old_range[1]] if old_range else []
        new_part = new_lines[new_range[0] - 1 : new_range[1]]
        diff = line_diff(old_part, new_part, context=3)
        size = diff.lines_added + diff.lines_removed
        # A changed function beats an added one: it shows how the old code became the new.
        candidates.append(
            (
                size + (100000 if old_range else 0),
                change.label,
                FunctionDiff(change.label, tuple(old_part), tuple(new_part), diff),
            )
        )
    if not candidates:
        return None
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1]))
    return candidates[0][2]


def _step_change_worker(root: str, plan_path: str, cache: str, label: str) -> StepChange:
    project = open_project(Path(root), Path(plan_path), cache=Path(cache))
    newer = resolve_program(project.plan, label)
    older = newer.predecessor
    assert older is not None
    comparison = compare(project.plan, older, newer, cache=project.cache, with_style_debt=False)
    summary = comparison.summary
    return StepChange(
        label=label,
        older_label=older.label,
        older_path=older.path,
        newer_path=newer.path,
        old_lines=comparison.old_lines,
        new_lines=comparison.new_lines,
        diff=line_diff(comparison.old_lines, comparison.new_lines),
        changes=tuple(summary.changes) if summary else (),
        renames=tuple(summary.renames) if summary else (),
        summary_problem=comparison.summary_problem,
        function_diff=_one_function_diff(summary, comparison.old_lines, comparison.new_lines),
    )


def _rule_counts_worker(path: str) -> dict[str, int] | str:
    try:
        return dict(rule_counts(Path(path)))
    except WorkbenchError as error:
        return str(error)


@dataclass(frozen=True)
class Measurements:
    changes: dict[str, StepChange]
    """Step label -> what changed (steps whose file and predecessor's file exist)."""
    rule_counts: dict[str, dict[str, int]]
    """'original' or step label -> rule name -> violations (files the linter could read)."""
    lint_problems: dict[str, str]
    """Label -> why the linter could not count the file."""
    missing_files: tuple[str, ...]
    """Labels whose snapshot file does not exist."""


class PendingMeasurements:
    """Measurements under way in worker processes; `result()` waits for them."""

    def __init__(self, plan: PlanData, jobs: int | None) -> None:
        paths = snapshot_paths(plan)
        self.missing = tuple(label for label, path in paths.items() if not path.is_file())
        labels_to_compare = [
            story.label
            for index, story in enumerate(plan.steps)
            if story.file_path.is_file() and paths[plan.labels[index]].is_file()
        ]
        existing = [(label, path) for label, path in paths.items() if path.is_file()]
        self.pool = ProcessPoolExecutor(max_workers=max(1, min(jobs or os.cpu_count() or 1, 4)))
        try:
            self.lint_futures = {label: self.pool.submit(_rule_counts_worker, str(path)) for label, path in existing}
            self.change_futures = {
                label: self.pool.submit(_step_change_worker, str(plan.root), str(plan.path), str(plan.cache), label)
                for label in labels_to_compare
            }
        except BaseException:
            self.close()
            raise

    def result(self) -> Measurements:
        try:
            changes = {label: future.result() for label, future in self.change_futures.items()}
        except WorkbenchError as error:
            raise HandoutSourceError(str(error)) from None
        counts: dict[str, dict[str, int]] = {}
        problems: dict[str, str] = {}
        for label, future in self.lint_futures.items():
            result = future.result()
            if isinstance(result, str):
                problems[label] = result
            else:
                counts[label] = result
        return Measurements(changes=changes, rule_counts=counts, lint_problems=problems, missing_files=self.missing)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def start_measuring(plan: PlanData, jobs: int | None = None) -> PendingMeasurements:
    """Start measuring every step's change and every file's rule counts in worker processes.

    Call it before this process starts any thread: the workers are forked at once, and a
    fork while another thread holds a lock (an import, a subprocess) can hang a worker."""
    return PendingMeasurements(plan, jobs)


@dataclass(frozen=True)
class ExportHashes:
    hashes: dict[str, str]
    """'original' or step label -> the commit hash in the export_git.py repository."""
    problem: str | None


def export_commit_hashes(plan: PlanData) -> ExportHashes:
    """Export the workshop into a temporary repository and read each commit's hash."""
    with tempfile.TemporaryDirectory(prefix="handout-export-") as scratch:
        try:
            result = export_plan(plan.plan, Path(scratch) / "repository")
        except WorkbenchError as error:
            return ExportHashes({}, str(error))
    by_tag = {commit.tag: commit.commit_hash for commit in result.commits}
    hashes: dict[str, str] = {}
    for program in all_programs(plan.plan):
        tag = tag_for(program)
        if tag in by_tag:
            hashes[program.label] = by_tag[tag]
    return ExportHashes(hashes, None)
