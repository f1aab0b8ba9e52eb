"""The last verdict of each plan target, kept for other tools (the diff viewer's header).

After every run of a plan target (the original or a step, not a `--as` attempt) with the
standard dataset and no --set, the runner writes
`<cache>/verdicts/<label>.<profile>.json`:

    {"target": "07", "profile": "full", "source_sha256": "...", "identical": true,
     "level": "bit", "summary": "identical at bit level", "max_parameter_difference": 0.0,
     "status": "ok", "recorded_at": "2025-01-01T12:00:00+00:00"}

read_verdict returns it only while the file's bytes still have that sha256, so an edited
snapshot never shows a stale verdict.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

from workbench.files import read_json, sha256_of_file, write_json_atomically
from workbench.paths import cache_directory


def verdict_path(label: str, profile: str, cache: Path | None = None) -> Path:
    return (cache if cache is not None else cache_directory()) / "verdicts" / f"{label}.{profile}.json"


def write_verdict(
    *,
    label: str,
    profile: str,
    source_path: Path,
    identical: bool,
    level: str,
    summary: str,
    max_parameter_difference: float | None,
    status: str,
    cache: Path | None = None,
) -> Path:
    path = verdict_path(label, profile, cache)
    write_json_atomically(path, {
        "target": label,
        "profile": profile,
        "source_sha256": sha256_of_file(source_path),
        "identical": identical,
        "level": level,
        "summary": summary,
        "max_parameter_difference": max_parameter_difference if max_parameter_difference is not None and math.isfinite(max_parameter_difference) else None,
        "status": status,
        "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    })
    return path


def read_verdict(label: str, profile: str, source_path: Path, cache: Path | None = None) -> dict[str, Any] | None:
    """The recorded verdict for `label` under `profile`, if `source_path` is unchanged since."""
    record = read_json(verdict_path(label, profile, cache))
    if not isinstance(record, dict):
        return None
    try:
        current = sha256_of_file(source_path)
    except OSError:
        return None
    return record if record.get("source_sha256") == current else None
