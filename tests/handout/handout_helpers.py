"""Shared helpers of the handout's tests: clearly labelled fixture verdict records."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from workbench.files import sha256_of_file

FIXTURE_SUMMARY = "FIXTURE RECORD for content tests, not a real run"


def fixture_record(label: str, path: Path, **changes: Any) -> dict[str, Any]:
    """A schema-2 record with made-up, clearly labelled numbers for content tests."""
    record: dict[str, Any] = {
        "schema_version": 2, "target": label, "profile": "quick", "source_sha256": sha256_of_file(path),
        "identical": True, "level": "bit", "summary": FIXTURE_SUMMARY, "max_parameter_difference": 0.0,
        "status": "ok", "recorded_at": "2026-01-02T03:04:05+00:00",
        "settings": {"knobs": {"num_steps": 3}, "dataset_sha256": "f" * 64, "dataset": "standard"},
        "losses": [3.5, 3.25, 3.0], "samples": ["fixture"],
        "timings": {"training_seconds": 2.0, "inference_seconds": 1.0, "peak_memory_bytes": 10 * 1024 * 1024},
        "relative_to_original": {"training": 1.0, "inference": 1.0, "memory": 1.0},
        "claims": [{"name": "output identical to the original", "kind": "output", "holds": True, "detail": ""}],
    }
    record.update(copy.deepcopy(changes))
    return record


def write_record(cache: Path, record: dict[str, Any]) -> Path:
    path = cache / "verdicts" / f"{record['target']}.{record['profile']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return path
