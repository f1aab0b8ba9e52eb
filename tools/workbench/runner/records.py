"""The verdict record of each plan program: written after a run, read by other tools.

This module is the record's one owner: it writes it and it reads it, and nothing else
parses it. After every run of a plan program (the original or a step, not a `--as`
attempt) with the standard dataset and no --set, the runner writes
`<cache>/verdicts/<label>.<profile>.json` (schema version 2):

    {"schema_version": 2, "target": "07", "profile": "full", "source_sha256": "...",
     "identical": true, "level": "bit", "summary": "identical at bit level",
     "max_parameter_difference": 0.0, "status": "ok", "recorded_at": "2026-12-03T08:00:00+00:00",
     "settings": {"knobs": {...}, "dataset_sha256": "...", "dataset": "standard"},
     "losses": [3.366, ...], "samples": ["kamon", ...],
     "timings": {"training_seconds": 12.3, "inference_seconds": 0.4, "peak_memory_bytes": 37000000},
     "relative_to_original": {"training": 4.2, "inference": 60.1, "memory": 0.7},
     "claims": [{"name": "output identical to the original", "kind": "output", "holds": true, "detail": "..."}]}

`losses`, `samples` and `timings` are null when the program printed or measured none;
`relative_to_original` is null unless the original ran side by side in the same
invocation. A record counts only while `source_sha256` matches the file as it is now. A
file without `schema_version` (version 1) counts as "not yet run"; any other version is
reported in one sentence, never guessed at.
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
from workbench.runner.equivalence import CLAIM_KINDS, Claim
from workbench.runner.transcript import printed_losses, sampled_names, split_lines

SCHEMA_VERSION = 2
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
    """training_seconds, inference_seconds, peak_memory_bytes."""
    relative_to_original: dict[str, float | None] | None
    """training, inference (times as fast) and memory (fraction) against the original in the same run."""
    claims: tuple[Claim, ...]
    path: Path | None = None
    """Where it was read from (None before it is written)."""
    schema_version: int = SCHEMA_VERSION

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
            "claims": [{"name": claim.name, "kind": claim.kind, "holds": claim.holds, "detail": claim.detail} for claim in self.claims],
        }


@dataclass(frozen=True)
class RunFigures:
    """What a run printed and measured, as the record keeps it."""

    stdout: str | None
    training_seconds: float | None
    inference_seconds: float | None
    peak_memory_bytes: int | None


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
        timings=None if figures is None or not measured else {
            "training_seconds": figures.training_seconds,
            "inference_seconds": figures.inference_seconds,
            "peak_memory_bytes": figures.peak_memory_bytes,
        },
        relative_to_original=relative_to_original,
        claims=claims,
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
    if raw["schema_version"] != SCHEMA_VERSION:
        raise UnusableRecord(f"it has schema version {raw['schema_version']!r}, and this workbench reads version {SCHEMA_VERSION}")
    for name in ("target", "profile", "source_sha256", "level", "summary", "recorded_at", "status"):
        if not isinstance(raw.get(name), str):
            raise UnusableRecord(f"the field '{name}' is missing or not text")
    if not isinstance(raw.get("identical"), bool):
        raise UnusableRecord("the field 'identical' is missing or not true/false")
    difference = raw.get("max_parameter_difference")
    if difference is not None and not _is_number(difference):
        raise UnusableRecord("the field 'max_parameter_difference' is not a number")
    for name in ("settings", "timings", "relative_to_original"):
        if raw.get(name) is not None and not isinstance(raw.get(name), dict):
            raise UnusableRecord(f"the field '{name}' is not an object")
    _check_numbers(raw.get("timings"), "timings", TIMING_FIELDS)
    _check_numbers(raw.get("relative_to_original"), "relative_to_original", RELATIVE_FIELDS)
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
    )


def _read_claims(raw: Any) -> tuple[Claim, ...]:
    if not isinstance(raw, list):
        raise UnusableRecord("the field 'claims' is not a list")
    claims: list[Claim] = []
    for entry in raw:
        valid = (
            isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("kind") in CLAIM_KINDS
            and isinstance(entry.get("holds"), bool) and isinstance(entry.get("detail"), str)
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
            problems.append(f"{display_path(path)} describes {record.target}.{record.profile}, not {program.label}.{profile}")
        elif record.source_sha256 != current:
            stale.append(profile)
        else:
            usable.append(record)
    return VerdictLookup(record=usable[0] if usable else None, stale_profiles=tuple(stale), problems=tuple(problems))


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


TIMING_FIELDS = ("training_seconds", "inference_seconds", "peak_memory_bytes")
RELATIVE_FIELDS = ("training", "inference", "memory")


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
    if not isinstance(knobs, dict) or not all(isinstance(key, str) and _is_number(value) for key, value in knobs.items()):
        raise UnusableRecord("the field 'settings.knobs' is not an object of numbers")
    for field in ("dataset_sha256", "dataset"):
        if field in settings and not isinstance(settings[field], str):
            raise UnusableRecord(f"the field 'settings.{field}' is not text")


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)
