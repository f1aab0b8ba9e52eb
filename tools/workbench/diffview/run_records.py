"""The runner's cached verdicts: was this exact file run, and was its output identical?

tools/run_step.py writes one JSON record per snapshot and profile (workbench.verdicts
owns the layout: `<cache>/verdicts/<label>.<profile>.json`):

    {"target": "07", "profile": "full", "source_sha256": "...", "identical": true,
     "level": "bit", "summary": "identical at bit level", "max_parameter_difference": 0.0,
     "recorded_at": "2025-01-01T12:00:00+00:00"}

A record counts only while `source_sha256` matches the file as it is now; a `full` run is
preferred over a `quick` one. Anything else is reported, never guessed: no record, a
record for an older version of the file (stale), or a record that cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.files import sha256_of_file
from workbench.paths import display_path
from workbench.step_files import Snapshot
from workbench.verdicts import verdict_path

PROFILES_BY_PREFERENCE: tuple[str, ...] = ("full", "quick")


@dataclass(frozen=True)
class RunRecord:
    target: str
    profile: str
    source_sha256: str
    identical: bool
    level: str
    summary: str
    max_parameter_difference: float | None
    recorded_at: str
    path: Path


@dataclass(frozen=True)
class VerdictLookup:
    """What the cache says about one snapshot as it is now."""

    record: RunRecord | None
    """The preferred record whose source_sha256 matches the current file, if any."""
    stale_profiles: tuple[str, ...] = ()
    """Profiles with a record for a different version of the file."""
    problems: tuple[str, ...] = ()
    """Records that exist but cannot be used, one sentence each."""


def find_verdict(snapshot: Snapshot) -> VerdictLookup:
    """The best usable run record for the snapshot's current file (full before quick)."""
    if not snapshot.exists():
        return VerdictLookup(record=None)
    current = sha256_of_file(snapshot.path)
    usable: list[RunRecord] = []
    stale: list[str] = []
    problems: list[str] = []
    for profile in PROFILES_BY_PREFERENCE:
        path = verdict_path(snapshot.label, profile)
        if not path.is_file():
            continue
        try:
            record = _read_record(path)
        except ValueError as error:
            problems.append(f"{display_path(path)} cannot be used: {error}")
            continue
        if record.target != snapshot.label or record.profile != profile:
            problems.append(f"{display_path(path)} describes {record.target}.{record.profile}, not {snapshot.label}.{profile}")
        elif record.source_sha256 != current:
            stale.append(profile)
        else:
            usable.append(record)
    return VerdictLookup(record=usable[0] if usable else None, stale_profiles=tuple(stale), problems=tuple(problems))


def _read_record(path: Path) -> RunRecord:
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"it is not readable JSON ({error})") from None
    if not isinstance(raw, dict):
        raise ValueError("it is not a JSON object")
    text_fields = ("target", "profile", "source_sha256", "level", "summary", "recorded_at")
    for name in text_fields:
        if not isinstance(raw.get(name), str):
            raise ValueError(f"the field '{name}' is missing or not text")
    if not isinstance(raw.get("identical"), bool):
        raise ValueError("the field 'identical' is missing or not true/false")
    difference = raw.get("max_parameter_difference")
    if difference is not None and (isinstance(difference, bool) or not isinstance(difference, int | float)):
        raise ValueError("the field 'max_parameter_difference' is not a number")
    return RunRecord(
        target=raw["target"],
        profile=raw["profile"],
        source_sha256=raw["source_sha256"],
        identical=raw["identical"],
        level=raw["level"],
        summary=raw["summary"],
        max_parameter_difference=None if difference is None else float(difference),
        recorded_at=raw["recorded_at"],
        path=path,
    )
