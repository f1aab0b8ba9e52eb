"""Run one program exactly as `python program.py` would, then record what the runner needs.

Started by workbench.runner.execute, never by hand, in the run's own temporary directory:

    python -u -P driver.py PROGRAM PARAMETERS_EXPRESSION RESULT_FILE

The program's stdout is left to the program alone. After it finishes, this driver records
its peak memory (before evaluating anything else), evaluates PARAMETERS_EXPRESSION in the
program's globals, and writes a JSON record to RESULT_FILE:

    {"status": "ok", "peak_memory_bytes": ..., "parameters": ["0x1.8p-3", ...], "line_cpu_seconds": [0.01, ...]}
    {"status": "crash", "exception": "NameError: ...", "exception_type": "NameError",
     "message": "name 'totl' is not defined", "suggestion": "Did you mean: 'total'?",
     "line": 12, "function": "gpt", "frames": [{"line": 150, "function": "<module>", "code": "..."}, ...],
     "loops": [{"function": "<module>", "variable": "step", "value": 3, "line": 140, "over": ["num_steps", "range"]}],
     "traceback": "..."}
    {"status": "parameters-error", "message": "...", "peak_memory_bytes": ...}

`line_cpu_seconds` holds this process's CPU time (time.process_time) as each line of
stdout was completed: the runner splits it into training and inference CPU seconds as it
splits the wall-clock timestamps, so a busy machine's figures can be told apart.

Before the program starts, the driver writes {"status": "started"} to RESULT_FILE: a run
that leaves no result file at all never reached the learner's program, so the workbench
failed, not the program (see runner.execute).

Standard library only: it runs before, and beside, the program. The one call that differs
between systems (peak memory) comes from workbench/system.py, loaded by its path so that
nothing of the workbench lands on the program's import path.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import os
import runpy
import sys
import time
import traceback
from types import ModuleType
from typing import Any

STARTED = "started"
"""The status the driver records before the program runs (replaced when it ends)."""


def _load_system() -> ModuleType:
    """workbench/system.py, loaded from the file beside this package, not imported by name."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "system.py")
    spec = importlib.util.spec_from_file_location("_microgpt_workbench_system", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_system = _load_system()


def peak_memory_bytes() -> int | None:
    """This program's peak resident set size in bytes, or None where the system cannot say."""
    peak: int | None = _system.peak_memory_bytes()
    return peak


def parameters_as_hex(values: Any) -> list[str]:
    """Each number exactly, as float.hex; anything that is not a number is an error."""
    hexes: list[str] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"element {index} is a {type(value).__name__}, not a number")
        hexes.append(float(value).hex())
    return hexes


def crash_record(error: BaseException, program: str) -> dict[str, Any]:
    """Where in the program the exception came from, as fields: the exception's type and
    message, Python's own suggestion ("Did you mean: 'total'?", computed here because the
    exception object lives only in this process), the program's own frames from the
    outermost in, the loops those frames were in with their variables' values (the
    training step or sample), and the traceback from the program down as text."""
    frames = traceback.extract_tb(error.__traceback__)
    first_in_program = next((index for index, frame in enumerate(frames) if frame.filename == program), None)
    in_program = [frame for frame in frames if frame.filename == program]
    line = in_program[-1].lineno if in_program else None
    function = in_program[-1].name if in_program else None
    own_frames = [
        {"line": frame.lineno, "function": frame.name, "code": (frame.line or "").strip()} for frame in in_program
    ]
    if isinstance(error, SyntaxError) and error.filename == program:
        line = error.lineno
        own_frames.append({"line": error.lineno, "function": "<module>", "code": (error.text or "").strip()})
    message = str(error)
    shown_frames = frames[first_in_program:] if first_in_program is not None else []
    return {
        "status": "crash",
        "exception": f"{type(error).__name__}: {message}" if message else type(error).__name__,
        "exception_type": type(error).__name__,
        "message": message,
        "suggestion": python_suggestion(error),
        "line": line,
        "function": function,
        "frames": own_frames,
        "loops": enclosing_loops(error, program),
        "traceback": "".join(traceback.format_list(shown_frames) + traceback.format_exception_only(type(error), error)),
    }


def python_suggestion(error: BaseException) -> str | None:
    """What Python's own report of the exception adds after its message, e.g. "Did you
    mean: 'total'?" for a NameError or AttributeError, or None when it adds nothing.

    Python 3.12 computes it in traceback.TracebackException; 3.11 only in the interpreter's
    own display (sys.__excepthook__), so the last line of both is asked for, here in the
    program's process, where the exception and the frames it searches still live."""
    if isinstance(error, SyntaxError):
        return None
    plain = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    for shown in (_formatted_by_traceback(error), _displayed_by_interpreter(error)):
        last = shown.strip().splitlines()[-1] if shown.strip() else ""
        if last.startswith(plain) and len(last) > len(plain):
            suggestion = last[len(plain) :].lstrip(". ").strip()
            if suggestion:
                return suggestion
    return None


def _formatted_by_traceback(error: BaseException) -> str:
    try:
        return "".join(traceback.TracebackException.from_exception(error).format_exception_only())
    except Exception:  # noqa: BLE001 - a suggestion is a courtesy; its absence is not an error
        return ""


def _displayed_by_interpreter(error: BaseException) -> str:
    shown = io.StringIO()
    try:
        with contextlib.redirect_stderr(shown):
            sys.__excepthook__(type(error), error, error.__traceback__)
    except Exception:  # noqa: BLE001 - as above
        return ""
    return shown.getvalue()


def enclosing_loops(error: BaseException, program: str) -> list[dict[str, Any]]:
    """The `for` loops of the program that the crash happened in, outermost first: in each
    of the program's frames, every loop around the line it was executing whose variable is
    a whole number, with that number (`for step in range(num_steps)` gives step = 3 in the
    fourth training step)."""
    try:
        with open(program, encoding="utf-8") as stream:
            tree = ast.parse(stream.read(), program)
    except (OSError, SyntaxError, ValueError):
        return []
    scopes: dict[int, list[ast.stmt]] = {0: tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            scopes[first] = node.body
    loops: list[dict[str, Any]] = []
    trace = error.__traceback__
    while trace is not None:
        frame, line = trace.tb_frame, trace.tb_lineno
        trace = trace.tb_next
        code = frame.f_code
        if code.co_filename != program:
            continue
        body = scopes.get(0 if code.co_name == "<module>" else code.co_firstlineno)
        if body is None:
            continue
        values = frame.f_globals if code.co_name == "<module>" else frame.f_locals
        for loop in _loops_around(body, line):
            target = loop.target
            if not isinstance(target, ast.Name):
                continue
            value = values.get(target.id)
            if isinstance(value, int) and not isinstance(value, bool):
                over = sorted({node.id for node in ast.walk(loop.iter) if isinstance(node, ast.Name)})
                loops.append(
                    {"function": code.co_name, "variable": target.id, "value": value, "line": loop.lineno, "over": over}
                )
    return loops


def _loops_around(body: list[ast.stmt], line: int) -> list[ast.For]:
    """The `for` statements of one scope (not of functions defined in it) around `line`."""
    found: list[ast.For] = []
    pending: list[Any] = list(body)
    while pending:
        statement = pending.pop(0)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        start = getattr(statement, "lineno", None)
        end = getattr(statement, "end_lineno", None) or start
        if start is None or end is None or not start <= line <= end:
            continue
        if isinstance(statement, ast.For):
            found.append(statement)
        for field in ("body", "orelse", "finalbody", "handlers"):
            pending.extend(getattr(statement, field, []))
    return found


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
            "exception_type": "SystemExit",
            "message": f"the program exited with status {exit_request.code}",
            "suggestion": None,
            "line": None,
            "function": None,
            "frames": [],
            "loops": [],
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
    with open(result_file, "w", encoding="utf-8") as stream:
        json.dump({"status": STARTED}, stream)
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
