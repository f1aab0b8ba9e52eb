"""The verdict records the pages show, read by their one reader (workbench.runner.records),
and the runner called in-process to refresh them (`handout.py --run`).

A version-1 record (no `schema_version`) counts as "not yet run"; a version-2 record is
shown with its measurement conditions unknown; a record the runner's reader cannot use is
an error the user must fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console

from workbench.errors import EXIT_DIFFERS, EXIT_OK
from workbench.files import sha256_of_file
from workbench.handout.inputs import ORIGINAL_LABEL, HandoutSourceError, PlanData, record_path, shown_path
from workbench.programs import all_programs
from workbench.runner import records
from workbench.runner.check import check_targets
from workbench.runner.dataset import resolve_dataset
from workbench.runner.progress import make_progress
from workbench.runner.records import VerdictRecord
from workbench.runner.settings import make_settings
from workbench.runner.table import render_summary_line, render_table

RUN_ALL_COMMAND = "python tools/run_step.py all --profile {profile}"
MAXIMUM_RECORD_BYTES = 50 * 1024 * 1024


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


def read_verdict_record(plan: PlanData, label: str, profile: str) -> VerdictRecord | None:
    """The record of `label` under `profile` as the runner's reader reads it; None for a
    version-1 record. Raises HandoutSourceError, naming the file, for one it cannot use."""
    path = record_path(plan, label, profile)
    where = shown_path(plan, path)
    try:
        too_large = path.stat().st_size > MAXIMUM_RECORD_BYTES
    except OSError as error:
        raise HandoutSourceError(f"the verdict record {where} cannot be read ({error.strerror})") from None
    if too_large:
        raise HandoutSourceError(
            f"the verdict record {where} is larger than {MAXIMUM_RECORD_BYTES // (1024 * 1024)} MiB; delete it and run {refresh_command('quick')}"
        )
    try:
        return records.read_record(path)
    except records.UnusableRecord as problem:
        raise HandoutSourceError(
            f"the verdict record {where} cannot be used: {problem}; delete it or run the runner again"
        ) from None


def verdict_state(plan: PlanData, label: str, profile: str) -> VerdictState:
    """The usable record for `label` under `profile`, or why there is none."""
    command = refresh_command(profile)
    source_path = plan.original_path if label == ORIGINAL_LABEL else plan.step(label).file_path
    if not record_path(plan, label, profile).is_file():
        return VerdictState(label, profile, None, "no record", command)
    record = read_verdict_record(plan, label, profile)
    if record is None:
        return VerdictState(
            label,
            profile,
            None,
            "only a record from an older runner (schema version 1, without losses, timings or claims)",
            command,
        )
    if record.target != label or record.profile != profile:
        where = shown_path(plan, record_path(plan, label, profile))
        raise HandoutSourceError(
            f"the verdict record {where} describes {record.target}.{record.profile}, not {label}.{profile}"
        )
    try:
        current = sha256_of_file(source_path)
    except OSError:
        return VerdictState(label, profile, None, "the program's file does not exist", command)
    if current != record.source_sha256:
        return VerdictState(label, profile, None, "the record is for an earlier version of the file", command)
    return VerdictState(label, profile, record, None, command)


def best_profile(plan: PlanData) -> str:
    """'full' when the original has a usable full record, else 'quick'."""
    return "full" if verdict_state(plan, ORIGINAL_LABEL, "full").record is not None else "quick"


def refresh_verdicts(plan: PlanData, profile: str, console: Console) -> int:
    """Check every program of the plan side by side, as `run_step.py all --profile PROFILE`
    does (its progress and table on `console`), so the runner writes a fresh record of each;
    0 when all are identical, 1 when some differ; an error when some could not be checked."""
    project = plan.project
    programs = [program for program in all_programs(project.plan) if program.exists()]
    settings = make_settings(project, profile=profile, assignments=[], dataset=resolve_dataset(cache=project.cache))
    with make_progress(console) as progress:
        report = check_targets(project, programs, settings, progress)
    for note in report.notes:
        console.print(f"note: {note}", style="warning", markup=False)
    render_summary_line(console, report.exit_code, report.results)
    render_table(
        console, report.results, [program for program in all_programs(project.plan) if not program.exists()], settings
    )
    if report.exit_code not in (EXIT_OK, EXIT_DIFFERS):
        raise HandoutSourceError(
            f"the runner could not check every program ({refresh_command(profile)} would say the same); its report is above"
        )
    return report.exit_code
