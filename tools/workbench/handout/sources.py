"""Everything the handout reads from the rest of the workbench, as plain data.

This is the handout's only door into the workbench: the project and its plan
(workbench.project, workbench.programs), the diff viewer's comparison and libcst summary,
the linter's rule counts, the verdict records (read by workbench.runner.records, their
one owner), the runner (to refresh them) and the git export (for each step's commit
hash). The page code sees only the dataclasses below, so when the workbench moves a
module, only this file changes.

A version-1 record (no `schema_version`) counts as "not yet run"; a record the runner's
reader cannot use is an error the user must fix.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workbench.diffview.comparison import compare
from workbench.diffview.semantic import DefinitionChange, Kind, SemanticSummary
from workbench.diffview.textdiff import DiffLine, TextDiff, diff_lines
from workbench.errors import WorkbenchError
from workbench.files import sha256_of_file
from workbench.git_export import export_plan, tag_for
from workbench.lint.api import rule_counts
from workbench.paths import DEFAULT_PLAN, display_path
from workbench.plan import Plan, load_plan
from workbench.programs import ORIGINAL, all_programs, resolve_program
from workbench.project import open_project
from workbench.runner import records

ORIGINAL_LABEL = ORIGINAL
PROFILES = records.PROFILES_BY_PREFERENCE
RUN_ALL_COMMAND = "python tools/run_step.py all --profile {profile}"
MAXIMUM_RECORD_BYTES = 50 * 1024 * 1024


class HandoutSourceError(WorkbenchError):
    """An input of the handout cannot be used (missing plan, corrupt verdict record, ...)."""


# ---------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerNote:
    reviewer: str
    note: str


@dataclass(frozen=True)
class StepStory:
    """One step of the plan, as the pages tell it."""

    label: str
    """'07'."""
    number: int
    slug: str
    file_name: str
    """'07_delete_value_class.py'."""
    file_path: Path
    phase: str
    commit: str
    what: str
    why: str
    reviewers: tuple[ReviewerNote, ...]
    level: str
    equivalence: str
    refinement: str | None
    layout: str | None
    renames: tuple[tuple[str, str], ...]
    contract_claims: tuple[str, ...]
    """The step's structural contract, each claim in words ('defines tape_backward')."""
    minutes: int | None
    """Estimated workshop minutes (the plan's `minutes`), when the plan has them."""
    facilitator_notes: str | None
    """Notes for the person running the workshop (the plan's `facilitator_notes`)."""


@dataclass(frozen=True)
class PlanData:
    title: str
    path: Path
    root: Path
    """The project root the plan was loaded for."""
    cache: Path
    """The workbench cache holding the verdict records."""
    original_path: Path
    steps: tuple[StepStory, ...]
    profiles: tuple[str, ...]
    lint_zero_from: dict[str, int]
    lint_deferred: tuple[str, ...]
    workbench_plan: Plan = field(repr=False, compare=False)
    """The workbench's own plan, for the library calls in this module."""

    @property
    def labels(self) -> tuple[str, ...]:
        """'original', '01', ..., in plan order."""
        return (ORIGINAL_LABEL, *(step.label for step in self.steps))

    def step(self, label: str) -> StepStory:
        for story in self.steps:
            if story.label == label:
                return story
        raise HandoutSourceError(f"there is no step {label} in the plan")


def load_plan_data(path: Path | None = None, *, root: Path) -> PlanData:
    """The project at `root` with `path` as its plan (default: its own plan)."""
    plan_path = path if path is not None else root / DEFAULT_PLAN
    if not plan_path.is_file():
        raise HandoutSourceError(f"the plan file {display_path(plan_path)} does not exist")
    try:
        project = open_project(root, plan_path)
    except WorkbenchError as error:
        raise HandoutSourceError(str(error)) from None
    plan = project.plan
    stories = tuple(
        StepStory(
            label=step.label,
            number=step.number,
            slug=step.slug,
            file_name=step.file_name,
            file_path=plan.step_path(step),
            phase=step.phase,
            commit=step.commit,
            what=step.what,
            why=step.why,
            reviewers=tuple(ReviewerNote(note.reviewer, note.note) for note in step.reviewers),
            level=step.level,
            equivalence=step.equivalence,
            refinement=step.refinement,
            layout=step.layout,
            renames=tuple(step.renames.items()),
            contract_claims=tuple(item.describe() for item in step.contract),
            minutes=step.minutes,
            facilitator_notes=step.facilitator_notes,
        )
        for step in plan.steps
    )
    return PlanData(
        title=plan.title,
        path=plan_path,
        root=project.root,
        cache=project.cache,
        original_path=plan.original_path,
        steps=stories,
        profiles=tuple(plan.profiles),
        lint_zero_from=dict(plan.lint_zero_from),
        lint_deferred=tuple(plan.lint_deferred),
        workbench_plan=plan,
    )


# ---------------------------------------------------------------------------------------
# What changed in each step: the diff viewer's line diff and libcst summary
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLineData:
    kind: str
    """'context', 'removed' or 'added'."""
    text: str
    old_number: int | None
    new_number: int | None
    changed_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DiffRowData:
    """One side-by-side row; a side is None where that file has no line."""

    old: DiffLineData | None
    new: DiffLineData | None


@dataclass(frozen=True)
class DiffHunkData:
    header: str
    new_start: int
    new_length: int
    rows: tuple[DiffRowData, ...]
    lines: tuple[DiffLineData, ...]


@dataclass(frozen=True)
class DiffData:
    hunks: tuple[DiffHunkData, ...]
    lines_added: int
    lines_removed: int


@dataclass(frozen=True)
class DefinitionChangeData:
    kind: str
    """'function', 'class' or 'name'."""
    label: str
    """'gpt -> forward_training' when renamed."""
    status: str
    """'added', 'removed', 'changed', 'renamed', 'identifiers renamed only', ..."""
    signature_changed: bool
    body_changed: bool
    old_signature: str | None
    new_signature: str | None


@dataclass(frozen=True)
class RenameData:
    old: str
    new: str
    sites: int
    confirmed: bool


@dataclass(frozen=True)
class FunctionDiffData:
    """The diff of one function, the hint before the whole diff."""

    name: str
    old_lines: tuple[str, ...]
    """The function in the older file (empty when the step adds it)."""
    new_lines: tuple[str, ...]
    diff: DiffData


@dataclass(frozen=True)
class StepChange:
    """Going from the step before (or the original) to this step."""

    label: str
    older_label: str
    older_path: Path
    newer_path: Path
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]
    diff: DiffData
    changes: tuple[DefinitionChangeData, ...]
    renames: tuple[RenameData, ...]
    summary_problem: str | None
    function_diff: FunctionDiffData | None


def _diff_data(diff: TextDiff) -> DiffData:
    def line_data(line: DiffLine) -> DiffLineData:
        return DiffLineData(str(line.kind), line.text, line.old_number, line.new_number, tuple(line.changed_spans))

    hunks = tuple(
        DiffHunkData(
            header=hunk.header,
            new_start=hunk.new_start,
            new_length=hunk.new_length,
            rows=tuple(
                DiffRowData(None if row.old is None else line_data(row.old), None if row.new is None else line_data(row.new))
                for row in hunk.rows
            ),
            lines=tuple(line_data(line) for line in hunk.lines),
        )
        for hunk in diff.hunks
    )
    return DiffData(hunks=hunks, lines_added=diff.lines_added, lines_removed=diff.lines_removed)


def line_diff(old_lines: Sequence[str], new_lines: Sequence[str], context: int = 3) -> DiffData:
    """The diff viewer's line diff (with changed tokens), as plain data."""
    return _diff_data(diff_lines(old_lines, new_lines, context))


def _change_data(change: DefinitionChange) -> DefinitionChangeData:
    return DefinitionChangeData(
        kind=str(change.kind),
        label=change.label,
        status=str(change.status),
        signature_changed=change.signature_changed,
        body_changed=change.body_changed,
        old_signature=change.old_signature,
        new_signature=change.new_signature,
    )


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


def _one_function_diff(summary: SemanticSummary | None, old_lines: Sequence[str], new_lines: Sequence[str]) -> FunctionDiffData | None:
    """The most changed function of the step as its own diff (or the largest one added)."""
    if summary is None:
        return None
    old_ranges = _function_ranges("\n".join(old_lines))
    new_ranges = _function_ranges("\n".join(new_lines))
    candidates: list[tuple[int, str, FunctionDiffData]] = []
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
        candidates.append((size + (100000 if old_range else 0), change.label, FunctionDiffData(change.label, tuple(old_part), tuple(new_part), diff)))
    if not candidates:
        return None
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1]))
    return candidates[0][2]


def _step_change_worker(plan_path: str, root: str, cache: str, label: str) -> StepChange:
    plan = load_plan(Path(plan_path), root=Path(root))
    newer = resolve_program(plan, label)
    older = newer.predecessor
    assert older is not None
    comparison = compare(plan, older, newer, cache=Path(cache), with_style_debt=False)
    summary = comparison.summary
    return StepChange(
        label=label,
        older_label=older.label,
        older_path=older.path,
        newer_path=newer.path,
        old_lines=comparison.old_lines,
        new_lines=comparison.new_lines,
        diff=_diff_data(comparison.diff),
        changes=tuple(_change_data(change) for change in summary.changes) if summary else (),
        renames=tuple(RenameData(r.old, r.new, r.sites, r.confirmed) for r in summary.renames) if summary else (),
        summary_problem=comparison.summary_problem,
        function_diff=_one_function_diff(summary, comparison.old_lines, comparison.new_lines),
    )


def _rule_counts_worker(path: str, cache: str) -> dict[str, int] | str:
    try:
        return dict(rule_counts(Path(path), cache=Path(cache)))
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
            self.lint_futures = {label: self.pool.submit(_rule_counts_worker, str(path), str(plan.cache)) for label, path in existing}
            self.change_futures = {
                label: self.pool.submit(_step_change_worker, str(plan.path), str(plan.root), str(plan.cache), label)
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


def measure_steps(plan: PlanData, jobs: int | None = None) -> Measurements:
    """Every step's change and every file's rule counts, in parallel worker processes."""
    pending = start_measuring(plan, jobs)
    try:
        return pending.result()
    finally:
        pending.close()


def snapshot_paths(plan: PlanData) -> dict[str, Path]:
    """'original' and every step label -> its file (which may not exist yet)."""
    return {ORIGINAL_LABEL: plan.original_path, **{story.label: story.file_path for story in plan.steps}}


# ---------------------------------------------------------------------------------------
# Verdict records, schema version 2
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    name: str
    kind: str
    holds: bool
    detail: str


@dataclass(frozen=True)
class Timings:
    training_seconds: float | None
    inference_seconds: float | None
    peak_memory_bytes: int | None


@dataclass(frozen=True)
class RelativeToOriginal:
    """Speed-ups (original seconds / these seconds) and memory ratio, from one run of all."""

    training: float | None
    inference: float | None
    memory: float | None


@dataclass(frozen=True)
class VerdictRecord:
    label: str
    profile: str
    path: Path
    source_sha256: str
    identical: bool
    level: str
    summary: str
    max_parameter_difference: float | None
    status: str
    recorded_at: str
    knobs: dict[str, float | int]
    dataset: str | None
    dataset_sha256: str | None
    losses: tuple[float, ...] | None
    samples: tuple[str, ...] | None
    timings: Timings | None
    relative: RelativeToOriginal | None
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class VerdictState:
    """What the records say about one program under one profile, as it is now."""

    label: str
    profile: str
    record: VerdictRecord | None
    missing_reason: str | None
    """Why there is no usable record ('no record', 'recorded for an earlier version ...')."""
    refresh_command: str


def refresh_command(profile: str) -> str:
    return RUN_ALL_COMMAND.format(profile=profile)


def record_path(plan: PlanData, label: str, profile: str) -> Path:
    return records.verdict_path(plan.cache, label, profile)


def read_verdict_record(path: Path) -> VerdictRecord | None:
    """The record in `path` as the runner's reader reads it; None for a version-1 record.

    Raises HandoutSourceError, naming the file, for a record the reader cannot use.
    """
    where = display_path(path)
    try:
        too_large = path.stat().st_size > MAXIMUM_RECORD_BYTES
    except OSError as error:
        raise HandoutSourceError(f"the verdict record {where} cannot be read ({error.strerror})") from None
    if too_large:
        raise HandoutSourceError(f"the verdict record {where} is larger than {MAXIMUM_RECORD_BYTES // (1024 * 1024)} MiB; delete it and run {refresh_command('quick')}")
    try:
        record = records.read_record(path)
    except records.UnusableRecord as problem:
        raise HandoutSourceError(f"the verdict record {where} cannot be used: {problem}; delete it or run the runner again") from None
    if record is None:
        return None
    return _record_data(record, path)


def _float_or_none(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def _record_data(record: records.VerdictRecord, path: Path) -> VerdictRecord:
    """The runner's record as the pages show it (figures typed, claims as plain data); the
    runner's reader has already checked every field's type (workbench.runner.records)."""
    knobs = record.settings.get("knobs", {})
    timings = None
    if record.timings is not None:
        peak = record.timings.get("peak_memory_bytes")
        timings = Timings(
            training_seconds=_float_or_none(record.timings.get("training_seconds")),
            inference_seconds=_float_or_none(record.timings.get("inference_seconds")),
            peak_memory_bytes=None if peak is None else int(peak),
        )
    relative = None
    if record.relative_to_original is not None:
        relative = RelativeToOriginal(
            training=_float_or_none(record.relative_to_original.get("training")),
            inference=_float_or_none(record.relative_to_original.get("inference")),
            memory=_float_or_none(record.relative_to_original.get("memory")),
        )
    dataset = record.settings.get("dataset")
    dataset_sha256 = record.settings.get("dataset_sha256")
    return VerdictRecord(
        label=record.target,
        profile=record.profile,
        path=path,
        source_sha256=record.source_sha256,
        identical=record.identical,
        level=record.level,
        summary=record.summary,
        max_parameter_difference=record.max_parameter_difference,
        status=record.status,
        recorded_at=record.recorded_at,
        knobs=dict(knobs),
        dataset=dataset if isinstance(dataset, str) else None,
        dataset_sha256=dataset_sha256 if isinstance(dataset_sha256, str) else None,
        losses=record.losses,
        samples=record.samples,
        timings=timings,
        relative=relative,
        claims=tuple(Claim(claim.name, claim.kind, claim.holds, claim.detail) for claim in record.claims),
    )


def verdict_state(plan: PlanData, label: str, profile: str, source_path: Path) -> VerdictState:
    """The usable record for `label` under `profile`, or why there is none."""
    command = refresh_command(profile)
    path = record_path(plan, label, profile)
    if not path.is_file():
        return VerdictState(label, profile, None, "no record", command)
    record = read_verdict_record(path)
    if record is None:
        return VerdictState(label, profile, None, "only a record from an older runner (schema version 1, without losses, timings or claims)", command)
    if record.label != label or record.profile != profile:
        raise HandoutSourceError(f"the verdict record {display_path(path)} describes {record.label}.{record.profile}, not {label}.{profile}")
    try:
        current = sha256_of_file(source_path)
    except OSError:
        return VerdictState(label, profile, None, "the program's file does not exist", command)
    if current != record.source_sha256:
        return VerdictState(label, profile, None, "the record is for an earlier version of the file", command)
    return VerdictState(label, profile, record, None, command)


def best_profile(plan: PlanData) -> str:
    """'full' when the original has a usable full record, else 'quick'."""
    state = verdict_state(plan, ORIGINAL_LABEL, "full", plan.original_path)
    return "full" if state.record is not None else "quick"


def run_runner(command: list[str]) -> int:
    """Run the runner's command line with its report on stderr; its exit status."""
    return subprocess.run(command, stdout=sys.stderr, check=False).returncode


def refresh_verdicts(profile: str, plan_path: Path | None = None, *, root: Path) -> int:
    """Run `run_step.py all --profile PROFILE` (its report goes to stderr); its exit status.

    The runner writes a version-2 record for every program of the plan into the cache in use.
    """
    command = [sys.executable, str(root / "tools" / "run_step.py"), "all", "--profile", profile, "--no-color"]
    if plan_path is not None:
        command += ["--plan", str(plan_path)]
    status = run_runner(command)
    if status not in (0, 1):
        raise HandoutSourceError(
            f"the runner could not check every program ({refresh_command(profile)} exited with status {status}); its report is above"
        )
    return status


# ---------------------------------------------------------------------------------------
# The git export: each step's commit hash
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportHashes:
    hashes: dict[str, str]
    """'original' or step label -> the commit hash in the export_git.py repository."""
    problem: str | None


def export_commit_hashes(plan: PlanData) -> ExportHashes:
    """Export the workshop into a temporary repository and read each commit's hash."""
    with tempfile.TemporaryDirectory(prefix="handout-export-") as scratch:
        try:
            result = export_plan(plan.workbench_plan, Path(scratch) / "repository")
        except WorkbenchError as error:
            return ExportHashes({}, str(error))
    by_tag = {commit.tag: commit.commit_hash for commit in result.commits}
    hashes: dict[str, str] = {}
    for program in all_programs(plan.workbench_plan):
        tag = tag_for(program)
        if tag in by_tag:
            hashes[program.label] = by_tag[tag]
    return ExportHashes(hashes, None)


# ---------------------------------------------------------------------------------------
# Inputs, for --check
# ---------------------------------------------------------------------------------------


def input_files(plan: PlanData) -> dict[str, Path]:
    """Every file the site is built from, by the name shown when it changes."""
    inputs: dict[str, Path] = {shown_path(plan, plan.path): plan.path}
    for path in snapshot_paths(plan).values():
        inputs[shown_path(plan, path)] = path
    for label in plan.labels:
        for profile in PROFILES:
            inputs[f"verdict record {label}.{profile}"] = record_path(plan, label, profile)
    return inputs


def file_sha256(path: Path) -> str | None:
    try:
        return sha256_of_file(path)
    except OSError:
        return None


def shown_path(plan: PlanData, path: Path) -> str:
    """A path as the pages show it: relative to the project root when inside it."""
    return display_path(path, plan.root)
