"""Run a program's exercises in a separate process, in a temporary directory, with a time limit.

A learner's functions may loop forever, exit the interpreter or write files: none of that
may reach the runner or the repository. The program is copied into a fresh temporary
directory (so no relative path leads back to original/ or steps/) and its exercises run
there under workbench.proof.exercise_driver, with the reference snapshots it may need
copied beside it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.proof.exercises import EXERCISES
from workbench.proof.later_names import in_later_names

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


@dataclass(frozen=True)
class ExerciseOrigin:
    """Where an exercise checked at a later step comes from: the step that introduced it."""

    renames: Mapping[str, str] = field(default_factory=dict)
    """Each name at that step -> its name now, so the exercise calls the file's functions under
    their later names and its sentences say those names."""
    reference_source: str | None = None
    """The text of the plan's own snapshot of that step: what the exercise compares with once
    the file no longer defines it (the Value path, after step 07)."""
    reference_name: str = "reference.py"
    """The snapshot's file name, for the messages of a reference that fails to load."""


def run_exercises(
    source: str,
    file_name: str,
    names: Sequence[str],
    timeout: float = EXERCISE_TIMEOUT_SECONDS,
    renames: Mapping[str, str] | None = None,
    origins: Mapping[str, ExerciseOrigin] | None = None,
) -> list[ExerciseOutcome]:
    """Every named exercise on the program `source`, each an outcome (never raises for the program's faults).

    `origins` gives an exercise its step's renames and reference snapshot; an exercise it does
    not name takes `renames` (name when the exercise was introduced -> name now) and no reference."""
    if not names:
        return []
    chosen = {name: (origins or {}).get(name) or ExerciseOrigin(dict(renames or {})) for name in names}
    claims = {name: _in_later_names(name, EXERCISES[name].claim, chosen[name]) for name in names}
    with tempfile.TemporaryDirectory(prefix="microgpt-exercise-") as directory:
        work = Path(directory)
        program = work / file_name
        program.write_text(source, encoding="utf-8")
        request_file = work / ".exercise-request.json"
        request_file.write_text(json.dumps({"exercises": _requests(chosen, work / "references")}), encoding="utf-8")
        result_file = work / ".exercise-result.json"
        command = [
            sys.executable,
            "-P",
            "-m",
            "workbench.proof.exercise_driver",
            str(program),
            str(request_file),
            str(result_file),
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
        ExerciseOutcome(
            str(entry["name"]),
            claims[str(entry["name"])],
            bool(entry["holds"]),
            _in_later_names(str(entry["name"]), str(entry["detail"]), chosen[str(entry["name"])]),
        )
        for entry in record["outcomes"]
    ]


def _requests(origins: Mapping[str, ExerciseOrigin], folder: Path) -> list[dict[str, object]]:
    """The driver's request for each exercise, writing each reference snapshot once into `folder`."""
    requests: list[dict[str, object]] = []
    for name, origin in origins.items():
        reference = None
        if origin.reference_source is not None:
            folder.mkdir(exist_ok=True)
            path = folder / origin.reference_name
            if not path.exists():
                path.write_text(origin.reference_source, encoding="utf-8")
            reference = str(path)
        requests.append({"name": name, "renames": dict(origin.renames), "reference": reference})
    return requests


def _in_later_names(name: str, sentence: str, origin: ExerciseOrigin) -> str:
    return in_later_names(sentence, origin.renames, EXERCISES[name].requires)
