"""The verdict record's one reader refuses, in one sentence, a record whose fields have the
wrong shape, down to the nested figures other tools (the handout) print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.plan import Plan
from workbench.programs import step_program
from workbench.runner.conditions import MeasurementConditions
from workbench.runner.equivalence import Claim
from workbench.runner.records import RunFigures, UnusableRecord, make_record, read_record, write_verdict

BUSY = MeasurementConditions(
    measured_at="2026-12-07T10:00:00+00:00", cpu_count=2, load_before=5.0, load_after=4.5, concurrent_runs=2
)


def written_record(cache: Path, plan: Plan, conditions: MeasurementConditions | None = BUSY) -> Path:
    program = step_program(plan, plan.step(7))
    record = make_record(
        program=program,
        profile="quick",
        identical=True,
        summary="identical at bit level",
        max_parameter_difference=0.0,
        status="ok",
        knobs={"num_steps": 10},
        dataset_sha256="0" * 64,
        figures=RunFigures(
            "num docs: 1\nstep    1 /   10 | loss 3.3000\n\n--- inference ---\nsample  1: ana\n",
            1.5,
            0.25,
            36_000_000,
            training_cpu_seconds=1.25,
            inference_cpu_seconds=0.125,
        ),
        relative_to_original={
            "training": 4.0,
            "inference": 60.0,
            "memory": 0.7,
            "training_cpu": 3.5,
            "inference_cpu": 50.0,
        },
        claims=(Claim("output identical to the original", "output", True, "holds"),),
        conditions=conditions,
    )
    return write_verdict(cache, record)


def test_a_written_record_reads_back(tmp_path: Path, plan: Plan) -> None:
    record = read_record(written_record(tmp_path, plan))
    assert record is not None
    assert record.timings == {
        "training_seconds": 1.5,
        "inference_seconds": 0.25,
        "training_cpu_seconds": 1.25,
        "inference_cpu_seconds": 0.125,
        "peak_memory_bytes": 36_000_000,
    }
    assert record.settings["knobs"] == {"num_steps": 10} and record.losses == (3.3,) and record.samples == ("ana",)
    assert record.conditions == BUSY and record.measured_busy
    assert record.relative("training_cpu") == 3.5 and record.timing("inference_cpu_seconds") == 0.125


def test_an_idle_machine_is_not_busy_and_too_many_programs_at_once_is() -> None:
    idle = MeasurementConditions(
        "2026-12-07T10:00:00+00:00", cpu_count=2, load_before=0.2, load_after=1.9, concurrent_runs=2
    )
    assert not idle.busy
    assert MeasurementConditions(idle.measured_at, 2, 0.2, 0.3, concurrent_runs=4).busy
    assert not MeasurementConditions(idle.measured_at, 2, None, None, concurrent_runs=1).busy, (
        "an unknown load is not called busy"
    )
    assert "load average 5.0 before, 4.5 after, on 2 CPUs" in BUSY.describe()


def test_a_version_2_record_reads_with_conditions_unknown(tmp_path: Path, plan: Plan) -> None:
    path = written_record(tmp_path, plan)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = 2
    del raw["conditions"]
    raw["timings"] = {"training_seconds": 1.5, "inference_seconds": 0.25, "peak_memory_bytes": 1}
    raw["relative_to_original"] = {"training": 4.0, "inference": 60.0, "memory": 0.7}
    path.write_text(json.dumps(raw), encoding="utf-8")
    record = read_record(path)
    assert record is not None and record.schema_version == 2 and record.conditions is None and not record.measured_busy
    assert record.timing("training_cpu_seconds") is None and record.relative("training_cpu") is None
    raw["timings"]["training_cpu_seconds"] = 1.0
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(UnusableRecord, match="'timings' has an unknown entry 'training_cpu_seconds'"):
        read_record(path)


@pytest.mark.parametrize("version", [1, 4, "3", True, 3.0])
def test_an_unknown_schema_version_is_refused(tmp_path: Path, plan: Plan, version: Any) -> None:
    path = written_record(tmp_path, plan)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["schema_version"] = version
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(UnusableRecord, match="reads versions 2 and 3"):
        read_record(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "timings",
            {"training_seconds": "fast", "inference_seconds": 0.1, "peak_memory_bytes": 1},
            "'timings.training_seconds' is not a number",
        ),
        (
            "timings",
            {"training_seconds": 1.0, "inference_seconds": None, "peak_memory_bytes": True},
            "'timings.peak_memory_bytes' is not a number",
        ),
        ("timings", {"training_seconds": 1.0, "wall": 2.0}, "'timings' has an unknown entry 'wall'"),
        (
            "relative_to_original",
            {"training": [4.0], "inference": None, "memory": None},
            "'relative_to_original.training' is not a number",
        ),
        (
            "relative_to_original",
            {"training": 1e400, "inference": None, "memory": None},
            "'relative_to_original.training' is not a number",
        ),
        (
            "settings",
            {"knobs": {"num_steps": "10"}, "dataset_sha256": "0", "dataset": "standard"},
            "'settings.knobs' is not an object of numbers",
        ),
        (
            "settings",
            {"knobs": {}, "dataset_sha256": 7, "dataset": "standard"},
            "'settings.dataset_sha256' is not text",
        ),
        ("conditions", [], "'conditions' is not an object"),
        (
            "conditions",
            {**BUSY.as_json(), "cpu_count": 0},
            "'conditions.cpu_count' is not a whole number of at least 1",
        ),
        ("conditions", {**BUSY.as_json(), "load_before": -1}, "'conditions.load_before' is not a load average"),
        ("conditions", {**BUSY.as_json(), "measured_at": None}, "'conditions.measured_at' is missing or not text"),
        ("conditions", {**BUSY.as_json(), "hostname": "x"}, "'conditions' has an unknown entry 'hostname'"),
    ],
)
def test_a_nested_field_of_the_wrong_shape_is_refused_by_name(
    tmp_path: Path, plan: Plan, field: str, value: Any, message: str
) -> None:
    path = written_record(tmp_path, plan)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw[field] = value
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(UnusableRecord, match=message.replace(".", r"\.").replace("(", r"\(")):
        read_record(path)
