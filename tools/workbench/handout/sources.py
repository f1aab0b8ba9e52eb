"""Everything the handout reads from the rest of the workbench, as plain data.

This is the handout's only door into the workbench: the plan, the step files, the diff
viewer's line diff and libcst summary, the linter's rule counts, the verdict records, the
runner (to refresh them) and the git export (for each step's commit hash). The page code
sees only the dataclasses below, so when the workbench moves a module, only this file
changes.

Verdict records are read as schema version 2 (see `read_verdict_record`): a version-1
record (no `schema_version`) counts as "not yet run", any other version or an unreadable
record is an error the user must fix.
"""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.diffview.comparison import compare
from workbench.diffview.semantic import DefinitionChange, Kind, SemanticSummary
from workbench.diffview.textdiff import TextDiff, diff_lines
from workbench.errors import PlanError, WorkbenchError
from workbench.files import sha256_of_file
from workbench.git_export import export_plan, tag_for
from workbench.lint.api import rule_counts
from workbench.paths import PLAN_FILE, PROJECT_ROOT, cache_directory, display_path
from workbench.plan import Plan, load_plan
from workbench.step_files import all_snapshots, predecessor_snapshot, resolve_snapshot
from workbench.verdicts import verdict_path

ORIGINAL_LABEL = "original"
SCHEMA_VERSION = 2
PROFILES = ("full", "quick")
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
    """Estimated workshop minutes, when the plan has them (key `minutes`)."""
    facilitator_notes: str | None
    """Notes for the person running the workshop (key `facilitator_notes`)."""


@dataclass(frozen=True)
class PlanData:
    title: str
    path: Path
    original_path: Path
    steps: tuple[StepStory, ...]
    profiles: tuple[str, ...]
    lint_zero_from: dict[str, int]
    lint_deferred: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """'original', '01', ..., in plan order."""
        return (ORIGINAL_LABEL, *(step.label for step in self.steps))

    def step(self, label: str) -> StepStory:
        for story in self.steps:
            if story.label == label:
                return story
        raise HandoutSourceError(f"there is no step {label} in the plan")


FACILITATOR_KEYS = ("minutes", "facilitator_notes")
"""Plan keys the facilitator sheet reads when present (the plan loader does not know them yet)."""


def load_plan_data(path: Path | None = None) -> PlanData:
    """The plan through the workbench's own loader, plus the facilitator keys if present."""
    plan_path = path or PLAN_FILE
    if not plan_path.is_file():
        raise HandoutSourceError(f"the plan file {display_path(plan_path)} does not exist")
    raw = _raw_plan(plan_path)
    extras = _facilitator_extras(raw)
    try:
        plan = load_plan(plan_path) if not extras else _load_plan_without(plan_path, raw)
    except PlanError as error:
        raise HandoutSourceError(str(error)) from None
    stories = tuple(
        StepStory(
            label=step.label,
            number=step.number,
            slug=step.slug,
            file_name=step.file_name,
            file_path=step.path,
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
            minutes=extras.get(step.number, {}).get("minutes"),
            facilitator_notes=extras.get(step.number, {}).get("facilitator_notes"),
        )
        for step in plan.steps
    )
    return PlanData(
        title=plan.title,
        path=plan_path,
        original_path=plan.original_path,
        steps=stories,
        profiles=tuple(plan.profiles),
        lint_zero_from=dict(plan.lint_zero_from),
        lint_deferred=tuple(plan.lint_deferred),
    )


def _raw_plan(plan_path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(plan_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise HandoutSourceError(f"the plan file {display_path(plan_path)} cannot be read: {error}") from None


def _facilitator_extras(raw: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Per step number: the facilitator keys the plan has, checked for their types."""
    extras: dict[int, dict[str, Any]] = {}
    steps = raw.get("steps")
    if not isinstance(steps, list):
        return extras
    for entry in steps:
        if not isinstance(entry, dict) or not isinstance(entry.get("number"), int):
            continue
        found: dict[str, Any] = {}
        minutes = entry.get("minutes")
        if minutes is not None:
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
                raise HandoutSourceError(f"plan step {entry['number']}: 'minutes' must be a positive whole number (got {minutes!r})")
            found["minutes"] = minutes
        notes = entry.get("facilitator_notes")
        if notes is not None:
            if not isinstance(notes, str):
                raise HandoutSourceError(f"plan step {entry['number']}: 'facilitator_notes' must be text")
            found["facilitator_notes"] = " ".join(notes.split())
        if found:
            extras[entry["number"]] = found
    return extras


def _load_plan_without(plan_path: Path, raw: dict[str, Any]) -> Plan:
    """Load a plan whose steps carry the facilitator keys, which the loader does not know yet."""
    for entry in raw.get("steps", []):
        if isinstance(entry, dict):
            for key in FACILITATOR_KEYS:
                entry.pop(key, None)
    from workbench.plan import _parse_plan  # noqa: PLC0415 - until the loader knows these keys

    return _parse_plan(raw, plan_path, display_path(plan_path))


def _workbench_plan(data: PlanData) -> Plan:
    raw = _raw_plan(data.path)
    return load_plan(data.path) if not _facilitator_extras(raw) else _load_plan_without(data.path, raw)


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
    def line_data(line: Any) -> DiffLineData:
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


def _step_change_worker(plan_path: str, label: str) -> StepChange:
    plan = load_plan_data(Path(plan_path))
    workbench_plan = _workbench_plan(plan)
    newer = resolve_snapshot(workbench_plan, label)
    older = predecessor_snapshot(workbench_plan, newer)
    assert older is not None
    comparison = compare(workbench_plan, older, newer, with_style_debt=False)
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


def measure_steps(plan: PlanData, jobs: int | None = None) -> Measurements:
    """Every step's change and every file's rule counts, in parallel worker processes."""
    paths = snapshot_paths(plan)
    missing = tuple(label for label, path in paths.items() if not path.is_file())
    labels_to_compare = [
        story.label
        for index, story in enumerate(plan.steps)
        if story.file_path.is_file() and paths[plan.labels[index]].is_file()
    ]
    existing = [(label, path) for label, path in paths.items() if path.is_file()]
    workers = max(1, min(jobs or os.cpu_count() or 1, 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        lint_futures = {label: pool.submit(_rule_counts_worker, str(path)) for label, path in existing}
        change_futures = {label: pool.submit(_step_change_worker, str(plan.path), label) for label in labels_to_compare}
        try:
            changes = {label: future.result() for label, future in change_futures.items()}
        except WorkbenchError as error:
            raise HandoutSourceError(str(error)) from None
        counts: dict[str, dict[str, int]] = {}
        problems: dict[str, str] = {}
        for label, future in lint_futures.items():
            result = future.result()
            if isinstance(result, str):
                problems[label] = result
            else:
                counts[label] = result
    return Measurements(changes=changes, rule_counts=counts, lint_problems=problems, missing_files=missing)


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


def record_path(label: str, profile: str) -> Path:
    return verdict_path(label, profile)


class _Malformed(Exception):
    pass


def read_verdict_record(path: Path) -> VerdictRecord | None:
    """A verdict record as schema version 2; None for a version-1 record (no schema_version).

    Raises HandoutSourceError, naming the file, for unreadable JSON, a wrong field type or
    a schema version other than 1 or 2.
    """
    where = display_path(path)
    try:
        if path.stat().st_size > MAXIMUM_RECORD_BYTES:
            raise HandoutSourceError(f"the verdict record {where} is larger than {MAXIMUM_RECORD_BYTES // (1024 * 1024)} MiB; delete it and run {RUN_ALL_COMMAND.format(profile='quick')}")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HandoutSourceError(f"the verdict record {where} is not readable JSON ({error}); delete it or run the runner again") from None
    if not isinstance(raw, dict):
        raise HandoutSourceError(f"the verdict record {where} is not a JSON object; delete it or run the runner again")
    version = raw.get("schema_version")
    if version is None:
        return None
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise HandoutSourceError(f"the verdict record {where} has schema_version {version!r}, and this handout reads version {SCHEMA_VERSION}")
    try:
        return _parse_record(raw, path)
    except _Malformed as problem:
        raise HandoutSourceError(f"the verdict record {where} is corrupt: {problem}") from None


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str):
        raise _Malformed(f"the field '{name}' is missing or not text")
    return value


def _number_or_none(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Malformed(f"the field '{name}' is not a finite number or null")
    return float(value)


def _parse_record(raw: dict[str, Any], path: Path) -> VerdictRecord:
    identical = raw.get("identical")
    if not isinstance(identical, bool):
        raise _Malformed("the field 'identical' is missing or not true/false")
    settings = raw.get("settings")
    if not isinstance(settings, dict):
        raise _Malformed("the field 'settings' is missing or not an object")
    knobs = settings.get("knobs", {})
    if not isinstance(knobs, dict) or not all(isinstance(value, int | float) and not isinstance(value, bool) for value in knobs.values()):
        raise _Malformed("the field 'settings.knobs' is not an object of numbers")
    losses = raw.get("losses")
    if losses is not None:
        if not isinstance(losses, list):
            raise _Malformed("the field 'losses' is not a list of numbers or null")
        losses = tuple(_number_or_none(value, "losses") for value in losses)
        if any(value is None for value in losses):
            raise _Malformed("the field 'losses' holds a null")
    samples = raw.get("samples")
    if samples is not None and (not isinstance(samples, list) or not all(isinstance(sample, str) for sample in samples)):
        raise _Malformed("the field 'samples' is not a list of text or null")
    timings_raw = raw.get("timings")
    timings = None
    if timings_raw is not None:
        if not isinstance(timings_raw, dict):
            raise _Malformed("the field 'timings' is not an object or null")
        peak = _number_or_none(timings_raw.get("peak_memory_bytes"), "timings.peak_memory_bytes")
        timings = Timings(
            training_seconds=_number_or_none(timings_raw.get("training_seconds"), "timings.training_seconds"),
            inference_seconds=_number_or_none(timings_raw.get("inference_seconds"), "timings.inference_seconds"),
            peak_memory_bytes=None if peak is None else int(peak),
        )
    relative_raw = raw.get("relative_to_original")
    relative = None
    if relative_raw is not None:
        if not isinstance(relative_raw, dict):
            raise _Malformed("the field 'relative_to_original' is not an object or null")
        relative = RelativeToOriginal(
            training=_number_or_none(relative_raw.get("training"), "relative_to_original.training"),
            inference=_number_or_none(relative_raw.get("inference"), "relative_to_original.inference"),
            memory=_number_or_none(relative_raw.get("memory"), "relative_to_original.memory"),
        )
    claims_raw = raw.get("claims") or []
    if not isinstance(claims_raw, list):
        raise _Malformed("the field 'claims' is not a list")
    claims: list[Claim] = []
    for entry in claims_raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("holds"), bool):
            raise _Malformed("an entry of 'claims' lacks a text 'name' or a true/false 'holds'")
        claims.append(Claim(entry["name"], str(entry.get("kind", "")), entry["holds"], str(entry.get("detail") or "")))
    dataset = settings.get("dataset")
    dataset_sha256 = settings.get("dataset_sha256")
    return VerdictRecord(
        label=_text(raw, "target"),
        profile=_text(raw, "profile"),
        path=path,
        source_sha256=_text(raw, "source_sha256"),
        identical=identical,
        level=_text(raw, "level"),
        summary=_text(raw, "summary"),
        max_parameter_difference=_number_or_none(raw.get("max_parameter_difference"), "max_parameter_difference"),
        status=_text(raw, "status"),
        recorded_at=_text(raw, "recorded_at"),
        knobs=dict(knobs),
        dataset=dataset if isinstance(dataset, str) else None,
        dataset_sha256=dataset_sha256 if isinstance(dataset_sha256, str) else None,
        losses=losses,
        samples=None if samples is None else tuple(samples),
        timings=timings,
        relative=relative,
        claims=tuple(claims),
    )


def verdict_state(label: str, profile: str, source_path: Path) -> VerdictState:
    """The usable record for `label` under `profile`, or why there is none."""
    command = refresh_command(profile)
    path = record_path(label, profile)
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
    state = verdict_state(ORIGINAL_LABEL, "full", plan.original_path)
    return "full" if state.record is not None else "quick"


def run_runner(command: list[str]) -> int:
    """Run the runner's command line with its report on stderr; its exit status."""
    return subprocess.run(command, stdout=sys.stderr, check=False).returncode


def refresh_verdicts(profile: str) -> int:
    """Run `run_step.py all --profile PROFILE` (its report goes to stderr); its exit status."""
    command = [sys.executable, str(PROJECT_ROOT / "tools" / "run_step.py"), "all", "--profile", profile, "--no-color"]
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
    workbench_plan = _workbench_plan(plan)
    with tempfile.TemporaryDirectory(prefix="handout-export-") as scratch:
        try:
            result = export_plan(workbench_plan, Path(scratch) / "repository")
        except WorkbenchError as error:
            return ExportHashes({}, str(error))
    by_tag = {commit.tag: commit.commit_hash for commit in result.commits}
    hashes: dict[str, str] = {}
    for snapshot in all_snapshots(workbench_plan):
        tag = tag_for(snapshot)
        if tag in by_tag:
            hashes[snapshot.label] = by_tag[tag]
    return ExportHashes(hashes, None)


# ---------------------------------------------------------------------------------------
# Inputs, for --check
# ---------------------------------------------------------------------------------------


def input_files(plan: PlanData) -> dict[str, Path]:
    """Every file the site is built from, by the name shown when it changes."""
    inputs: dict[str, Path] = {display_path(plan.path): plan.path}
    for label, path in snapshot_paths(plan).items():
        inputs[display_path(path)] = path
    for label in plan.labels:
        for profile in PROFILES:
            path = record_path(label, profile)
            inputs[f"verdict record {label}.{profile}"] = path
    return inputs


def file_sha256(path: Path) -> str | None:
    try:
        return sha256_of_file(path)
    except OSError:
        return None


def shown_path(path: Path) -> str:
    return display_path(path)
