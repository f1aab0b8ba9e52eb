"""Every tool reads the extension plan: a real run of step 12 against step 11, every
extension step under other settings, the diff from step 11, the lint gate and the export."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from testkit.cli import run_tool

PLAN_ARGUMENTS = ("--plan", "plans/beyond_plan.toml")


@pytest.fixture
def private_cache(tmp_path: Path, make_seeded_cache: Callable[..., Path]) -> Path:
    return make_seeded_cache(tmp_path, share_runs=True)


def run_step_records(cache: Path, *arguments: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    environment.pop("MICROGPT_NAMES_FILE", None)
    process = run_tool("run_step", *arguments, "--json", *PLAN_ARGUMENTS, environment=environment, timeout=600)
    return process, [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]


def test_step_12_is_bit_identical_to_step_11_in_a_real_run(private_cache: Path) -> None:
    process, records = run_step_records(private_cache, "12", "--profile", "quick")
    assert process.returncode == 0, process.stderr[-3000:]
    [record] = records
    assert record["target"] == "12"
    assert record["identical"] is True and record["output_identical"] is True
    assert record["parameters_bit_identical"] is True and record["max_parameter_difference"] == 0.0


def test_every_extension_step_agrees_under_another_setting(private_cache: Path) -> None:
    settings = ("n_embd=8", "n_head=2", "block_size=6", "seed=7")
    arguments = ["all", "--profile", "quick"]
    for assignment in settings:
        arguments += ["--set", assignment]
    process, records = run_step_records(private_cache, *arguments)
    failures = [(record["target"], record["verdict"]) for record in records if not record["identical"]]
    assert process.returncode == 0 and not failures, f"exit {process.returncode}: {failures}\n{process.stderr[-3000:]}"
    by_target = {record["target"]: record for record in records}
    assert set(by_target) == {"original", "11", "12", "13", "14", "15", "16"}
    for label in ("12", "13", "14", "15", "16"):
        assert by_target[label]["parameters_bit_identical"] is True, label
    assert float(records[0]["settings"]["n_embd"]) == 8.0


def test_diffstep_shows_step_11_to_step_12_with_its_story(tool_cache: Path) -> None:
    process = run_tool("diffstep", "12", *PLAN_ARGUMENTS, "--no-color")
    assert process.returncode == 0, process.stderr
    assert "Step 12 of 16" in process.stdout
    assert "steps/11_type_hints.py -> beyond/12_operation_tape.py" in process.stdout
    assert "Record one tape node per vector operation" in process.stdout
    assert "TapeIndex -> Offset" in process.stdout


def test_the_lint_gate_passes_on_the_beyond_plan() -> None:
    process = run_tool("lint_style", "--steps", *PLAN_ARGUMENTS, "--no-color")
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr
    assert "Gate passed" in process.stdout
    header = next(line for line in process.stdout.splitlines() if line.startswith("| rule"))
    assert [cell.strip() for cell in header.strip("|").split("|")][2:] == ["orig", "11", "12", "13", "14", "15", "16"]


def test_the_export_continues_the_history_after_the_eleven(tmp_path: Path, tool_cache: Path) -> None:
    destination = tmp_path / "history"
    process = run_tool("export_git", str(destination), *PLAN_ARGUMENTS, "--no-color")
    assert process.returncode == 0, process.stderr
    log = subprocess.run(
        ["git", "-C", str(destination), "log", "--reverse", "--format=%s"], capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert len(log) == 17
    assert log[0] == "Add Andrej Karpathy's microgpt.py, unmodified"
    assert log[11] == "Add the TapeIndex alias and type hints to every signature and major binding"
    assert log[12] == "Record one tape node per vector operation with a hand-written backward per kind"
    exported = subprocess.run(["git", "-C", str(destination), "show", "HEAD:microgpt.py"], capture_output=True, check=True).stdout
    assert exported == (Path(__file__).parents[2] / "beyond" / "16_skip_inactive_units.py").read_bytes()


def test_a_diffstep_range_runs_from_step_11_into_the_extension(tool_cache: Path) -> None:
    process = run_tool("diffstep", "11..13", *PLAN_ARGUMENTS, "--stat", "--no-color")
    assert process.returncode == 0, process.stderr
    comparisons = [line for line in process.stdout.splitlines() if " -> " in line and line.endswith(".py")]
    assert comparisons == [
        "steps/10_full_names.py -> steps/11_type_hints.py",
        "steps/11_type_hints.py -> beyond/12_operation_tape.py",
        "beyond/12_operation_tape.py -> beyond/13_row_slices.py",
    ]
