"""Run exercises on one program's definitions, in a process of their own.

Started by workbench.proof.isolated, never by hand, in a fresh temporary directory:

    python -P -m workbench.proof.exercise_driver PROGRAM RESULT_FILE NAME [NAME ...]

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
    program, result_file, *names = arguments
    source = Path(program).read_text(encoding="utf-8")
    record: dict[str, object]
    try:
        definitions = load_definitions(source, Path(program).name, MODEL_CONSTANTS)
    except Exception as error:  # noqa: BLE001 - the learner's definitions may raise anything at load
        record = {"error": f"its definitions could not be loaded: {type(error).__name__}: {error}"}
    else:
        outcomes = []
        for name in names:
            detail = run_exercise(name, definitions)
            outcomes.append({"name": name, "holds": detail is None, "detail": detail or ""})
        record = {"outcomes": outcomes}
    Path(result_file).write_text(json.dumps(record), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
