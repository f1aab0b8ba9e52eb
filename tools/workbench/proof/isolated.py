"""Run a program's exercises in a separate process, in a temporary directory, with a time limit.

A learner's functions may loop forever, exit the interpreter or write files: none of that
may reach the runner or the repository. The program is copied into a fresh temporary
directory (so no relative path leads back to original/ or steps/) and its exercises run
there under workbench.proof.exercise_driver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.proof.exercises import EXERCISES

EXERCISE_TIMEOUT_SECONDS = 60.0

LIBRARY_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the workbench package: the child imports this very version of it."""


@dataclass(frozen=True)
class ExerciseOutcome:
    """One exercise's result: its name, what it claims, whether it holds, and where it failed."""

    name: str
    claim: str
    holds: bool
    detail: str = ""


def run_exercises(
    source: str,
    file_name: str,
    names: Sequence[str],
    timeout: float = EXERCISE_TIMEOUT_SECONDS,
    renames: Mapping[str, str] | None = None,
) -> list[ExerciseOutcome]:
    """Every named exercise on the program `source`, each an outcome (never raises for the program's faults).
    `renames` (name when the exercise was introduced -> name now) lets an exercise call a
    function under its later name."""
    if not names:
        return []
    claims = {name: EXERCISES[name].claim for name in names}
    with tempfile.TemporaryDirectory(prefix="microgpt-exercise-") as directory:
        work = Path(directory)
        program = work / file_name
        program.write_text(source, encoding="utf-8")
        result_file = work / ".exercise-result.json"
        command = [
            sys.executable,
            "-P",
            "-m",
            "workbench.proof.exercise_driver",
            str(program),
            str(result_file),
            json.dumps(dict(renames or {})),
            *names,
        ]
        try:
            environment = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(LIBRARY_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
            }
            process = subprocess.run(
                command, cwd=work, capture_output=True, text=True, timeout=timeout, check=False, env=environment
            )
        except subprocess.TimeoutExpired:
            return [
                ExerciseOutcome(name, claims[name], False, f"did not finish within {timeout:g} s") for name in names
            ]
        try:
            record = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last_line = (process.stderr.strip().splitlines() or ["it ended without a result"])[-1]
            return [
                ExerciseOutcome(name, claims[name], False, f"the exercise process failed: {last_line}")
                for name in names
            ]
    if "error" in record:
        return [ExerciseOutcome(name, claims[name], False, str(record["error"])) for name in names]
    return [
        ExerciseOutcome(str(entry["name"]), claims[str(entry["name"])], bool(entry["holds"]), str(entry["detail"]))
        for entry in record["outcomes"]
    ]
