"""Run one program exactly as `python program.py` would, then record what the runner needs.

Started by workbench.runner.execute, never by hand, in the run's own temporary directory:

    python -u -P driver.py PROGRAM PARAMETERS_EXPRESSION RESULT_FILE

The program's stdout is left to the program alone. After it finishes, this driver records
its peak memory (before evaluating anything else), evaluates PARAMETERS_EXPRESSION in the
program's globals, and writes a JSON record to RESULT_FILE:

    {"status": "ok", "peak_memory_bytes": ..., "parameters": ["0x1.8p-3", ...], "line_cpu_seconds": [0.01, ...]}
    {"status": "crash", "exception": "ZeroDivisionError: ...", "line": 12, "function": "gpt", "traceback": "..."}
    {"status": "parameters-error", "message": "...", "peak_memory_bytes": ...}

`line_cpu_seconds` holds this process's CPU time (time.process_time) as each line of
stdout was completed: the runner splits it into training and inference CPU seconds as it
splits the wall-clock timestamps, so a busy machine's figures can be told apart.

Standard library only: it runs before, and beside, the program.
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import sys
import time
import traceback
from typing import Any


def peak_memory_bytes() -> int:
    """This program's peak resident set size, in bytes.

    On Linux, read VmHWM from /proc/self/status: the high-water mark of the address space
    created when this process was exec'd. getrusage's ru_maxrss is NOT usable there: it
    also counts the image the process was forked from, so every child of a 50 MB runner
    would report at least 50 MB, and a program using 35 MB would look as big as the
    original. Elsewhere fall back to ru_maxrss (bytes on macOS, KiB on other systems).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def parameters_as_hex(values: Any) -> list[str]:
    """Each number exactly, as float.hex; anything that is not a number is an error."""
    hexes: list[str] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"element {index} is a {type(value).__name__}, not a number")
        hexes.append(float(value).hex())
    return hexes


def crash_record(error: BaseException, program: str) -> dict[str, Any]:
    """Where in the program the exception came from, and the traceback from the program down."""
    frames = traceback.extract_tb(error.__traceback__)
    first_in_program = next((index for index, frame in enumerate(frames) if frame.filename == program), None)
    in_program = [frame for frame in frames if frame.filename == program]
    line = in_program[-1].lineno if in_program else None
    function = in_program[-1].name if in_program else None
    if isinstance(error, SyntaxError) and error.filename == program:
        line = error.lineno
    message = str(error)
    shown_frames = frames[first_in_program:] if first_in_program is not None else []
    return {
        "status": "crash",
        "exception": f"{type(error).__name__}: {message}" if message else type(error).__name__,
        "line": line,
        "function": function,
        "traceback": "".join(traceback.format_list(shown_frames) + traceback.format_exception_only(type(error), error)),
    }


class CpuStampedStream:
    """stdout as the program sees it, noting the CPU time at the end of every line written."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.line_cpu_seconds: list[float] = []

    def write(self, text: str) -> int:
        written = self.stream.write(text)
        if "\n" in text:
            self.line_cpu_seconds.extend([time.process_time()] * text.count("\n"))
        return int(written)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def run(program: str, expression: str) -> dict[str, Any]:
    sys.argv = [program]
    sys.path.insert(0, os.path.dirname(program))
    try:
        namespace = runpy.run_path(program, run_name="__main__")
    except SystemExit as exit_request:
        sys.stdout.flush()
        if exit_request.code in (None, 0):
            return {
                "status": "parameters-error",
                "message": "the program called sys.exit() before its end, so its final parameters cannot be read",
                "peak_memory_bytes": peak_memory_bytes(),
            }
        return {
            "status": "crash",
            "exception": f"the program exited with status {exit_request.code}",
            "line": None,
            "function": None,
            "traceback": "",
        }
    except BaseException as error:  # noqa: BLE001 - any failure of the program is reported, not raised
        sys.stdout.flush()
        return crash_record(error, program)
    sys.stdout.flush()
    peak = peak_memory_bytes()
    try:
        parameters = parameters_as_hex(eval(expression, namespace))  # noqa: S307 - the plan's own expression
    except Exception as error:  # noqa: BLE001
        return {
            "status": "parameters-error",
            "message": f"the parameters expression {expression!r} failed: {type(error).__name__}: {error}",
            "peak_memory_bytes": peak,
        }
    return {"status": "ok", "peak_memory_bytes": peak, "parameters": parameters, "namespace": namespace}


def layout_of(namespace: dict[str, Any], expression: str) -> list[list[Any]] | None:
    """[[matrix, rows, columns], ...] from the layout expression, or None if it fails: it
    only names parameters in messages, so it never fails a run."""
    if not expression:
        return None
    try:
        layout = [[str(name), int(rows), int(columns)] for name, rows, columns in eval(expression, namespace)]  # noqa: S307
    except Exception:  # noqa: BLE001 - a learner's renamed table just means no names in messages
        return None
    return layout


def main(arguments: list[str]) -> int:
    program, expression, result_file, *rest = arguments
    stamped = CpuStampedStream(sys.stdout)
    sys.stdout = stamped
    record = run(program, expression)
    sys.stdout = stamped.stream
    record["line_cpu_seconds"] = stamped.line_cpu_seconds
    namespace = record.pop("namespace", None)
    if isinstance(namespace, dict):
        record["layout"] = layout_of(namespace, rest[0] if rest else "")
    with open(result_file, "w", encoding="utf-8") as stream:
        json.dump(record, stream)
    return 0 if record["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
