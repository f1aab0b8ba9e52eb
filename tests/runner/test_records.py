"""The verdict record's one reader refuses, in one sentence, a record whose fields have the
wrong shape, down to the nested figures other tools (the handout) print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.plan import Plan
from workbench.programs import step_program
from workbench.runner.equivalence import Claim
from workbench.runner.records import RunFigures, UnusableRecord, make_record, read_record, write_verdict


def written_record(cache: Path, plan: Plan) -> Path:
    program = step_program(plan, plan.step(7))
    record = make_record(
        program=program, profile="quick", identical=True, summary="identical at bit level", max_parameter_difference=0.0,
        status="ok", knobs={"num_steps": 10}, dataset_sha256="0" * 64,
        figures=RunFigures("num docs: 1\nstep    1 /   10 | loss 3.3000\n\n--- inference ---\nsample  1: ana\n", 1.5, 0.25, 36_000_000),
        relative_to_original={"training": 4.0, "inference": 60.0, "memory": 0.7},
        claims=(Claim("output identical to the original", "output", True, "holds"),),
    )
    return write_verdict(cache, record)


def test_a_written_record_reads_back(tmp_path: Path, plan: Plan) -> None:
    record = read_record(written_record(tmp_path, plan))
    assert record is not None
    assert record.timings == {"training_seconds": 1.5, "inference_seconds": 0.25, "peak_memory_bytes": 36_000_000}
    assert record.settings["knobs"] == {"num_steps": 10} and record.losses == (3.3,) and record.samples == ("ana",)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timings", {"training_seconds": "fast", "inference_seconds": 0.1, "peak_memory_bytes": 1}, "'timings.training_seconds' is not a number"),
        ("timings", {"training_seconds": 1.0, "inference_seconds": None, "peak_memory_bytes": True}, "'timings.peak_memory_bytes' is not a number"),
        ("timings", {"training_seconds": 1.0, "wall": 2.0}, "'timings' has an unknown entry 'wall'"),
        ("relative_to_original", {"training": [4.0], "inference": None, "memory": None}, "'relative_to_original.training' is not a number"),
        ("relative_to_original", {"training": 1e400, "inference": None, "memory": None}, "'relative_to_original.training' is not a number"),
        ("settings", {"knobs": {"num_steps": "10"}, "dataset_sha256": "0", "dataset": "standard"}, "'settings.knobs' is not an object of numbers"),
        ("settings", {"knobs": {}, "dataset_sha256": 7, "dataset": "standard"}, "'settings.dataset_sha256' is not text"),
    ],
)
def test_a_nested_field_of_the_wrong_shape_is_refused_by_name(tmp_path: Path, plan: Plan, field: str, value: Any, message: str) -> None:
    path = written_record(tmp_path, plan)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw[field] = value
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(UnusableRecord, match=message.replace(".", r"\.").replace("(", r"\(")):
        read_record(path)
