"""Verdict records of schema version 2 from a REAL quick run of every program.

A stand-in for the runner's own version-2 records writer (being written beside this
handout; see the verdict record schema): it runs the original and every step with the
runner library exactly as `python tools/run_step.py all --profile quick` does, and
writes each result in the version-2 layout. When the runner writes version 2 itself,
replace `write_real_quick_records` by a call of that command and delete this module.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from workbench.batch import TargetResult, check_targets, make_settings
from workbench.dataset import resolve_dataset
from workbench.files import sha256_of_file
from workbench.plan import load_plan
from workbench.targets import Project, plan_targets
from workbench.transcript import parse_step_line, sample_lines, split_lines


def _losses(stdout: str) -> list[float] | None:
    losses = [float(step.loss) for line in split_lines(stdout) if (step := parse_step_line(line)) is not None]
    return losses or None


def _samples(stdout: str) -> list[str] | None:
    samples = [line.split(":", 1)[1].strip() for line in sample_lines(split_lines(stdout)) if ":" in line]
    return samples or None


def _claims(result: TargetResult) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = []
    verdict = result.verdict
    if verdict is not None:
        first = verdict.output.first_difference
        claims.append({
            "name": "output identical to the original", "kind": "output", "holds": verdict.output.identical,
            "detail": "" if first is None else f"first difference on line {first.line_number}",
        })
        parameters = verdict.parameters
        claims.append({
            "name": f"final parameters meet level {verdict.level} against the predecessor", "kind": "parameters",
            "holds": parameters.same_count and (parameters.bit_identical or verdict.level != "bit"),
            "detail": f"{parameters.differing_count} of {parameters.expected_count} differ",
        })
    for claim in result.contract:
        claims.append({"name": claim.description, "kind": "contract", "holds": claim.passed, "detail": claim.detail})
    return claims


def record_of(result: TargetResult, profile: str, knobs: dict[str, Any], dataset_sha256: str) -> dict[str, Any]:
    run, speed = result.run, result.speed
    stdout = run.stdout if run is not None else ""
    return {
        "schema_version": 2,
        "target": result.target.label,
        "profile": profile,
        "source_sha256": sha256_of_file(result.target.path),
        "identical": result.counts_as_identical,
        "level": result.target.level,
        "summary": result.summary,
        "max_parameter_difference": result.max_parameter_difference,
        "status": result.status,
        "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "settings": {"knobs": knobs, "dataset_sha256": dataset_sha256, "dataset": "standard"},
        "losses": _losses(stdout),
        "samples": _samples(stdout),
        "timings": None if run is None else {
            "training_seconds": run.seconds_training, "inference_seconds": run.seconds_inference,
            "peak_memory_bytes": run.peak_memory_bytes,
        },
        "relative_to_original": None if speed is None else {"training": speed.training, "inference": speed.inference, "memory": speed.memory},
        "claims": _claims(result),
    }


def write_real_quick_records(cache: Path) -> list[Path]:
    """Run every program on the quick profile (cache = the workbench cache in use) and
    write `<cache>/verdicts/<label>.quick.json` in schema version 2."""
    plan = load_plan()
    project = Project(plan=plan, cache=cache)
    targets, _ = plan_targets(project)
    dataset = resolve_dataset(cache=cache)
    settings = make_settings(project, profile="quick", assignments=[], dataset=dataset, jobs=2)
    report = check_targets(project, targets, settings)
    written: list[Path] = []
    for result in report.results:
        path = cache / "verdicts" / f"{result.target.label}.quick.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record_of(result, "quick", dict(settings.knob_values), dataset.sha256), indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
