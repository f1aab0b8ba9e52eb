"""Run exercises on one program's definitions, in a process of their own.

Started by workbench.proof.isolated, never by hand, in a fresh temporary directory:

    python -P -m workbench.proof.exercise_driver PROGRAM REQUEST_FILE RESULT_FILE

REQUEST_FILE holds {"exercises": [{"name": ..., "renames": {...}, "reference": PATH or null}]}:
for each exercise, the names its functions had at the step that introduced it mapped to
the names the file uses now (so it keeps applying after a rename), and the plan's own
snapshot of that step, loaded only when the exercise compares with it
(exercises.needs_reference).

Writes {"outcomes": [{"name": ..., "holds": ..., "detail": ...}, ...]} or, when the
definitions cannot even be loaded, {"error": "..."} to RESULT_FILE.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import EXERCISES, MODEL_CONSTANTS, Definitions, needs_reference, run_exercise
from workbench.proof.later_names import under_earlier_names


def main(arguments: list[str]) -> int:
    program, request_file, result_file = arguments
    request: dict[str, Any] = json.loads(Path(request_file).read_text(encoding="utf-8"))
    source = Path(program).read_text(encoding="utf-8")
    record: dict[str, object]
    try:
        namespace = load_definitions(source, Path(program).name, MODEL_CONSTANTS)
    except Exception as error:  # noqa: BLE001 - the learner's definitions may raise anything at load
        record = {"error": f"its definitions could not be loaded: {type(error).__name__}: {error}"}
    else:
        loaded: dict[str, Definitions] = {}
        prepared: list[tuple[str, Definitions, Definitions | None, str | None]] = []
        for entry in request["exercises"]:  # every reference is loaded before any of the file's code runs
            name = str(entry["name"])
            definitions = under_earlier_names(namespace, entry["renames"])
            try:
                reference = _reference_if_needed(name, definitions, entry["reference"], loaded)
            except Exception as error:  # noqa: BLE001 - reported as the exercise's failure, never a crash
                prepared.append((name, definitions, None, f"the reference snapshot could not be loaded: {error}"))
            else:
                prepared.append((name, definitions, reference, None))
        outcomes = []
        for name, definitions, reference, failure in prepared:
            detail = failure if failure is not None else run_exercise(name, definitions, reference)
            outcomes.append({"name": name, "holds": detail is None, "detail": detail or ""})
        record = {"outcomes": outcomes}
    Path(result_file).write_text(json.dumps(record), encoding="utf-8")
    return 0


def _reference_if_needed(
    name: str, definitions: Definitions, path: str | None, loaded: dict[str, Definitions]
) -> Definitions | None:
    """The reference snapshot's definitions, when the exercise compares with it
    (exercises.needs_reference); each snapshot is loaded once per process."""
    if path is None or not needs_reference(EXERCISES[name], definitions):
        return None
    if path not in loaded:
        loaded[path] = load_definitions(Path(path).read_text(encoding="utf-8"), Path(path).name, MODEL_CONSTANTS)
    return loaded[path]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
