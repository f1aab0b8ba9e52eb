"""Shared helpers of the handout's tests: clearly labelled fixture verdict records."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from workbench.files import sha256_of_file

FIXTURE_SUMMARY = "FIXTURE RECORD for content tests, not a real run"
IDLE = {
    "measured_at": "2026-01-02T03:00:00+00:00",
    "cpu_count": 2,
    "load_before": 0.25,
    "load_after": 0.5,
    "concurrent_runs": 2,
}
BUSY = {**IDLE, "load_before": 5.0, "load_after": 4.5}


def fixture_record(label: str, path: Path, **changes: Any) -> dict[str, Any]:
    """A schema-3 record with made-up, clearly labelled numbers for content tests, measured
    on an idle machine (`conditions=BUSY` for a busy one)."""
    record: dict[str, Any] = {
        "schema_version": 3,
        "target": label,
        "profile": "quick",
        "source_sha256": sha256_of_file(path),
        "identical": True,
        "level": "bit",
        "summary": FIXTURE_SUMMARY,
        "max_parameter_difference": 0.0,
        "status": "ok",
        "recorded_at": "2026-01-02T03:04:05+00:00",
        "settings": {"knobs": {"num_steps": 3}, "dataset_sha256": "f" * 64, "dataset": "standard"},
        "losses": [3.5, 3.25, 3.0],
        "samples": ["fixture"],
        "timings": {
            "training_seconds": 2.0,
            "inference_seconds": 1.0,
            "training_cpu_seconds": 1.5,
            "inference_cpu_seconds": 0.75,
            "peak_memory_bytes": 10 * 1024 * 1024,
        },
        "relative_to_original": {
            "training": 1.0,
            "inference": 1.0,
            "memory": 1.0,
            "training_cpu": 1.0,
            "inference_cpu": 1.0,
        },
        "conditions": IDLE,
        "claims": [{"name": "output identical to the original", "kind": "output", "holds": True, "detail": ""}],
    }
    record.update(copy.deepcopy(changes))
    return record


def write_record(cache: Path, record: dict[str, Any]) -> Path:
    path = cache / "verdicts" / f"{record['target']}.{record['profile']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return path
