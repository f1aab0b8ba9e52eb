"""The verdict record of each plan program: written after a run, read by other tools.

This module is the record's one owner: it writes it and it reads it, and nothing else
parses it. After every run of a plan program (the original or a step, not a `--as`
attempt) with the standard dataset and no --set, the runner writes
`<cache>/verdicts/<label>.<profile>.json` (schema version 3):

    {"schema_version": 3, "target": "07", "profile": "full", "source_sha256": "...",
     "identical": true, "level": "bit", "summary": "identical at bit level",
     "max_parameter_difference": 0.0, "status": "ok", "recorded_at": "2026-12-03T08:00:00+00:00",
     "settings": {"knobs": {...}, "dataset_sha256": "...", "dataset": "standard"},
     "losses": [3.366, ...], "samples": ["kamon", ...],
     "timings": {"training_seconds": 12.3, "inference_seconds": 0.4, "training_cpu_seconds": 12.1,
                 "inference_cpu_seconds": 0.4, "peak_memory_bytes": 37000000},
     "relative_to_original": {"training": 4.2, "inference": 60.1, "memory": 0.7,
                              "training_cpu": 4.1, "inference_cpu": 59.8},
     "conditions": {"measured_at": "2026-12-03T07:58:00+00:00", "cpu_count": 2, "load_before": 0.3,
                    "load_after": 1.1, "concurrent_runs": 2},
     "claims": [{"name": "output identical to the original", "kind": "output", "holds": true, "detail": "..."}]}

`losses`, `samples` and `timings` are null when the program printed or measured none;
`relative_to_original` is null unless the original ran side by side in the same
invocation. `conditions` says how the figures were measured (workbench.runner.conditions):
when, on how many CPUs, the load average before and after, and how many programs ran at
once; a busy machine disturbs wall-clock seconds, so the CPU seconds and their ratios are
kept beside them. A record counts only while `source_sha256` matches the file as it is now.

Version 3 added the CPU figures and `conditions` as required parts of the record (null only
where nothing was measured), so a reader can tell "measured on a busy machine" from "written
by an older runner". A version-2 record (the same without them) is still read, its
conditions unknown. A file without `schema_version` (version 1) counts as "not yet run";
any other version is reported in one sentence, never guessed at.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.files import sha256_of_file, write_json_atomically
from workbench.paths import display_path
from workbench.programs import Program
from workbench.runner.conditions import MeasurementConditions
from workbench.runner.equivalence import CLAIM_KINDS, Claim
from workbench.runner.transcript import printed_losses, sampled_names, split_lines

SCHEMA_VERSION = 3
READABLE_VERSIONS = (2, 3)
"""Version 2 is version 3 without CPU figures and conditions: read as "conditions unknown"."""
PROFILES_BY_PREFERENCE: tuple[str, ...] = ("full", "quick")
"""A full run's record is preferred over a quick one's."""


@dataclass(frozen=True)
class VerdictRecord:
    """One verdict record, as written and as read back."""

    target: str
    profile: str
    source_sha256: str
    identical: bool
    level: str
    summary: str
    max_parameter_difference: float | None
    status: str
    recorded_at: str
    settings: dict[str, Any]
    """{"knobs": {...by the original's names}, "dataset_sha256": ..., "dataset": "standard"}."""
    losses: tuple[float, ...] | None
    samples: tuple[str, ...] | None
    timings: dict[str, float | int | None] | None
    """training_seconds, inference_seconds, training_cpu_seconds, inference_cpu_seconds, peak_memory_bytes."""
    relative_to_original: dict[str, float | None] | None
    """training, inference (times as fast), memory (fraction), and training_cpu, inference_cpu
    (times as fast in CPU seconds) against the original in the same run."""
    claims: tuple[Claim, ...]
    path: Path | None = None
    """Where it was read from (None before it is written)."""
    schema_version: int = SCHEMA_VERSION
    conditions: MeasurementConditions | None = None
    """How the figures were measured; None when nothing was (or a version-2 record)."""

    @property
    def knobs(self) -> dict[str, float | int]:
        return dict(self.settings.get("knobs", {}))

    @property
    def dataset_sha256(self) -> str | None:
        value = self.settings.get("dataset_sha256")
        return value if isinstance(value, str) else None

    def timing(self, name: str) -> float | None:
        """One of TIMING_FIELDS, None when not measured."""
        value = (self.timings or {}).get(name)
        return None if value is None else float(value)

    def relative(self, name: str) -> float | None:
        """One of RELATIVE_FIELDS, None when not measured side by side."""
        value = (self.relative_to_original or {}).get(name)
        return None if value is None else float(value)

    @property
    def measured_busy(self) -> bool:
        """The figures were measured on a busy machine (False when the conditions are unknown)."""
        return self.conditions is not None and self.conditions.busy

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "target": self.target,
            "profile": self.profile,
            "source_sha256": self.source_sha256,
            "identical": self.identical,
            "level": self.level,
            "summary": self.summary,
            "max_parameter_difference": self.max_parameter_difference,
            "status": self.status,
            "recorded_at": self.recorded_at,
            "settings": self.settings,
            "losses": None if self.losses is None else list(self.losses),
            "samples": None if self.samples is None else list(self.samples),
            "timings": self.timings,
            "relative_to_original": self.relative_to_original,
            "conditions": None if self.conditions is None else self.conditions.as_json(),
            "claims": [
                {"name": claim.name, "kind": claim.kind, "holds": claim.holds, "detail": claim.detail}
                for claim in self.claims
            ],
        }


@dataclass(frozen=True)
class RunFigures:
    """What a run printed and measured, as the record keeps it."""

    stdout: str | None
    training_seconds: float | None
    inference_seconds: float | None
    peak_memory_bytes: int | None
    training_cpu_seconds: float | None = None
    inference_cpu_seconds: float | None = None


def verdict_path(cache: Path, label: str, profile: str) -> Path:
    return cache / "verdicts" / f"{label}.{profile}.json"


def make_record(
    *,
    program: Program,
    profile: str,
    identical: bool,
    summary: str,
    max_parameter_difference: float | None,
    status: str,
    knobs: dict[str, int | float],
    dataset_sha256: str,
    figures: RunFigures | None,
    relative_to_original: dict[str, float | None] | None,
    claims: tuple[Claim, ...],
    conditions: MeasurementConditions | None = None,
) -> VerdictRecord:
    """The record of one run of a plan program, stamped now."""
    lines = split_lines(figures.stdout) if figures is not None and figures.stdout is not None else []
    losses = printed_losses(lines)
    samples = sampled_names(lines)
    measured = figures is not None and (figures.training_seconds is not None or figures.peak_memory_bytes is not None)
    return VerdictRecord(
        target=program.label,
        profile=profile,
        source_sha256=sha256_of_file(program.path),
        identical=identical,
        level=program.level,
        summary=summary,
        max_parameter_difference=_finite(max_parameter_difference),
        status=status,
        recorded_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        settings={"knobs": dict(knobs), "dataset_sha256": dataset_sha256, "dataset": "standard"},
        losses=tuple(losses) if losses else None,
        samples=tuple(samples) if samples else None,
        timings=None
        if figures is None or not measured
        else {
            "training_seconds": figures.training_seconds,
            "inference_seconds": figures.inference_seconds,
            "training_cpu_seconds": figures.training_cpu_seconds,
            "inference_cpu_seconds": figures.inference_cpu_seconds,
            "peak_memory_bytes": figures.peak_memory_bytes,
        },
        relative_to_original=relative_to_original,
        claims=claims,
        conditions=conditions if measured else None,
    )


def write_verdict(cache: Path, record: VerdictRecord) -> Path:
    """Write the record atomically where readers look for it; its path."""
    path = verdict_path(cache, record.target, record.profile)
    write_json_atomically(path, record.as_json())
    return path


class UnusableRecord(ValueError):
    """A verdict file that exists but cannot be used; the message says why in one sentence."""


def read_record(path: Path) -> VerdictRecord | None:
    """The record in `path`; None for a version-1 record (not yet run under this schema).

    Raises UnusableRecord for anything unreadable or of another schema version."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnusableRecord(f"it is not readable JSON ({error})") from None
    if not isinstance(raw, dict):
        raise UnusableRecord("it is not a JSON object")
    if "schema_version" not in raw:
        return None
    version = raw["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version not in READABLE_VERSIONS:
        readable = " and ".join(str(number) for number in READABLE_VERSIONS)
        raise UnusableRecord(f"it has schema version {version!r}, and this workbench reads versions {readable}")
    for name in ("target", "profile", "source_sha256", "level", "summary", "recorded_at", "status"):
        if not isinstance(raw.get(name), str):
            raise UnusableRecord(f"the field '{name}' is missing or not text")
    if not isinstance(raw.get("identical"), bool):
        raise UnusableRecord("the field 'identical' is missing or not true/false")
    difference = raw.get("max_parameter_difference")
    if difference is not None and not _is_number(difference):
        raise UnusableRecord("the field 'max_parameter_difference' is not a number")
    for name in ("settings", "timings", "relative_to_original", "conditions"):
        if raw.get(name) is not None and not isinstance(raw.get(name), dict):
            raise UnusableRecord(f"the field '{name}' is not an object")
    older = version == 2
    _check_numbers(raw.get("timings"), "timings", TIMING_FIELDS_V2 if older else TIMING_FIELDS)
    _check_numbers(
        raw.get("relative_to_original"), "relative_to_original", RELATIVE_FIELDS_V2 if older else RELATIVE_FIELDS
    )
    if older and "conditions" in raw:
        raise UnusableRecord("the field 'conditions' is not part of schema version 2")
    if not older and "conditions" not in raw:
        raise UnusableRecord("the field 'conditions' is missing")
    conditions = None if older else _read_conditions(raw.get("conditions"))
    _check_settings(raw.get("settings"))
    losses, samples = raw.get("losses"), raw.get("samples")
    if losses is not None and not (isinstance(losses, list) and all(_is_number(value) for value in losses)):
        raise UnusableRecord("the field 'losses' is not a list of numbers")
    if samples is not None and not (isinstance(samples, list) and all(isinstance(value, str) for value in samples)):
        raise UnusableRecord("the field 'samples' is not a list of text")
    return VerdictRecord(
        target=raw["target"],
        profile=raw["profile"],
        source_sha256=raw["source_sha256"],
        identical=raw["identical"],
        level=raw["level"],
        summary=raw["summary"],
        max_parameter_difference=None if difference is None else float(difference),
        status=raw["status"],
        recorded_at=raw["recorded_at"],
        settings=dict(raw.get("settings") or {}),
        losses=None if losses is None else tuple(float(value) for value in losses),
        samples=None if samples is None else tuple(samples),
        timings=raw.get("timings"),
        relative_to_original=raw.get("relative_to_original"),
        claims=_read_claims(raw.get("claims")),
        path=path,
        schema_version=version,
        conditions=conditions,
    )


def _read_conditions(raw: dict[str, Any] | None) -> MeasurementConditions | None:
    """{"measured_at": text, "cpu_count": whole number >= 1, "load_before"/"load_after": number
    or null, "concurrent_runs": whole number >= 1}, exactly these fields; or null."""
    if raw is None:
        return None
    unknown = sorted(set(raw) - set(CONDITION_FIELDS))
    if unknown:
        raise UnusableRecord(f"the field 'conditions' has an unknown entry '{unknown[0]}'")
    if not isinstance(raw.get("measured_at"), str):
        raise UnusableRecord("the field 'conditions.measured_at' is missing or not text")
    for name in ("cpu_count", "concurrent_runs"):
        value = raw.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UnusableRecord(f"the field 'conditions.{name}' is not a whole number of at least 1")
    for name in ("load_before", "load_after"):
        value = raw.get(name)
        if value is not None and not (_is_number(value) and math.isfinite(value) and value >= 0):
            raise UnusableRecord(f"the field 'conditions.{name}' is not a load average")
    return MeasurementConditions(
        measured_at=raw["measured_at"],
        cpu_count=raw["cpu_count"],
        load_before=None if raw.get("load_before") is None else float(raw["load_before"]),
        load_after=None if raw.get("load_after") is None else float(raw["load_after"]),
        concurrent_runs=raw["concurrent_runs"],
    )


def _read_claims(raw: Any) -> tuple[Claim, ...]:
    if not isinstance(raw, list):
        raise UnusableRecord("the field 'claims' is not a list")
    claims: list[Claim] = []
    for entry in raw:
        valid = (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and entry.get("kind") in CLAIM_KINDS
            and isinstance(entry.get("holds"), bool)
            and isinstance(entry.get("detail"), str)
        )
        if not valid:
            raise UnusableRecord("an entry of 'claims' is not {name, kind, holds, detail}")
        claims.append(Claim(entry["name"], entry["kind"], entry["holds"], entry["detail"]))
    return tuple(claims)


def read_verdict(cache: Path, label: str, profile: str, source_path: Path) -> VerdictRecord | None:
    """The recorded verdict for `label` under `profile`, if `source_path` is unchanged since
    (None when there is none, it is stale, or it cannot be used)."""
    path = verdict_path(cache, label, profile)
    try:
        record = read_record(path)
        current = sha256_of_file(source_path)
    except (UnusableRecord, OSError):
        return None
    return record if record is not None and record.source_sha256 == current else None


@dataclass(frozen=True)
class VerdictLookup:
    """What the cache says about one program's file as it is now."""

    record: VerdictRecord | None
    """The preferred record whose source_sha256 matches the current file, if any."""
    stale_profiles: tuple[str, ...] = ()
    """Profiles with a record for a different version of the file."""
    problems: tuple[str, ...] = ()
    """Records that exist but cannot be used, one sentence each."""


def find_verdict(cache: Path, program: Program) -> VerdictLookup:
    """The best usable record for the program's current file (full before quick)."""
    if not program.exists():
        return VerdictLookup(record=None)
    current = sha256_of_file(program.path)
    usable: list[VerdictRecord] = []
    stale: list[str] = []
    problems: list[str] = []
    for profile in PROFILES_BY_PREFERENCE:
        path = verdict_path(cache, program.label, profile)
        if not path.is_file():
            continue
        try:
            record = read_record(path)
        except UnusableRecord as error:
            problems.append(f"{display_path(path)} cannot be used: {error}")
            continue
        if record is None:
            continue
        if record.target != program.label or record.profile != profile:
            problems.append(
                f"{display_path(path)} describes {record.target}.{record.profile}, not {program.label}.{profile}"
            )
        elif record.source_sha256 != current:
            stale.append(profile)
        else:
            usable.append(record)
    return VerdictLookup(record=usable[0] if usable else None, stale_profiles=tuple(stale), problems=tuple(problems))


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


TIMING_FIELDS_V2 = ("training_seconds", "inference_seconds", "peak_memory_bytes")
TIMING_FIELDS = (*TIMING_FIELDS_V2, "training_cpu_seconds", "inference_cpu_seconds")
RELATIVE_FIELDS_V2 = ("training", "inference", "memory")
RELATIVE_FIELDS = (*RELATIVE_FIELDS_V2, "training_cpu", "inference_cpu")
CONDITION_FIELDS = ("measured_at", "cpu_count", "load_before", "load_after", "concurrent_runs")


def _check_numbers(table: dict[str, Any] | None, name: str, fields: tuple[str, ...]) -> None:
    """An object of exactly these fields, each a finite number or null."""
    if table is None:
        return
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise UnusableRecord(f"the field '{name}' has an unknown entry '{unknown[0]}'")
    for field in fields:
        value = table.get(field)
        if value is not None and not (_is_number(value) and math.isfinite(value)):
            raise UnusableRecord(f"the field '{name}.{field}' is not a number")


def _check_settings(settings: dict[str, Any] | None) -> None:
    """{"knobs": {name: number}, "dataset_sha256": text, "dataset": text}, as make_record writes it."""
    if settings is None:
        return
    knobs = settings.get("knobs", {})
    if not isinstance(knobs, dict) or not all(
        isinstance(key, str) and _is_number(value) for key, value in knobs.items()
    ):
        raise UnusableRecord("the field 'settings.knobs' is not an object of numbers")
    for field in ("dataset_sha256", "dataset"):
        if field in settings and not isinstance(settings[field], str):
            raise UnusableRecord(f"the field 'settings.{field}' is not text")


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)
