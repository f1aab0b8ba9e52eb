"""Run exercises on one program's definitions, in a process of their own.

Started by workbench.proof.isolated, never by hand, in a fresh temporary directory:

    python -P -m workbench.proof.exercise_driver PROGRAM RESULT_FILE RENAMES_JSON NAME [NAME ...]

RENAMES_JSON maps the names the exercises call (as of the step that introduced them) to the
names the file uses now, so an exercise keeps applying after a rename.

Writes {"outcomes": [{"name": ..., "holds": ..., "detail": ...}, ...]} or, when the
definitions cannot even be loaded, {"error": "..."} to RESULT_FILE.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import MODEL_CONSTANTS, run_exercise


def main(arguments: list[str]) -> int:
    program, result_file, renames_json, *names = arguments
    renames: dict[str, str] = json.loads(renames_json)
    source = Path(program).read_text(encoding="utf-8")
    record: dict[str, object]
    try:
        definitions = load_definitions(source, Path(program).name, MODEL_CONSTANTS)
    except Exception as error:  # noqa: BLE001 - the learner's definitions may raise anything at load
        record = {"error": f"its definitions could not be loaded: {type(error).__name__}: {error}"}
    else:
        for old, new in renames.items():
            if old not in definitions and new in definitions:
                definitions[old] = definitions[new]  # a function the exercise calls by its earlier name
            elif old in definitions and new not in definitions:
                definitions[new] = definitions[old]  # a model constant the file reads by its later name
        outcomes = []
        for name in names:
            detail = run_exercise(name, definitions)
            outcomes.append({"name": name, "holds": detail is None, "detail": detail or ""})
        record = {"outcomes": outcomes}
    Path(result_file).write_text(json.dumps(record), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
