"""Record a program's calls, replay them against another file's functions, or snapshot its phases.

Started by workbench.runner.blame.engine, never by hand, in a fresh temporary directory:

    python -P -m workbench.runner.blame.child REQUEST_FILE RESULT_FILE

REQUEST_FILE is JSON with a "mode":

- "record": run PROGRAM (already cut short by the engine) with every top-level function
  wrapped, keeping a bounded sample of its calls (arguments before, result and arguments
  after, as plain-data pickles; with "focus_step", also each function's first call in that
  training step), who calls whom, the module's scalar constants, and phase
  snapshots; write it all to RECORDING (a pickle, read back only by "replay").
- "probe": run PROGRAM and take the phase snapshots only (the learner's file).
- "replay": load the definitions of PROGRAM without running it and call each function the
  recording has calls of, comparing its result and its effect on its arguments.

Writes a JSON record to RESULT_FILE. Everything the program or the learner's functions do
stays in this process, which the engine ends at its time limit.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import io
import json
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from workbench.proof.definitions import load_definitions
from workbench.runner.blame.compare import Difference, first_difference, is_number
from workbench.runner.blame.signatures import shaped_alike

RECORDED_CALL_NUMBERS = frozenset({1, 2, 3, 5, 9, 17, 33})
"""Which calls of each function are kept: the first three, then ever sparser ones, so that a
function meets several shapes of input (softmax over one attention logit, then over the
vocabulary) while a recording stays small."""
BYTES_PER_FUNCTION = 2_000_000
"""After its first call, a function's calls are kept only while they fit in this many bytes."""

SETUP = "before training"
AFTER_TRAINING = "after training"
SAMPLING = "sampling"
"""The last snapshot's label: the program's end, after the samples."""
PROBE_NAME = "__workbench_blame__"


class Unrecordable(Exception):
    """An argument or result that is not plain data (a Value object, a file...)."""


class ReplayTimeout(BaseException):
    """A replayed function ran out of time; a BaseException so `except Exception` cannot swallow it."""


class PlainPickler(pickle.Pickler):
    """Pickles plain data only: numbers, strings, lists, tuples, dicts, ranges."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is range or obj is range:
            return NotImplemented
        raise Unrecordable(type(obj).__name__)


def plain_bytes(value: Any) -> bytes:
    buffer = io.BytesIO()
    PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def parameter_names(function: Callable[..., Any]) -> list[str]:
    try:
        return [
            name
            for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return []


class Probe:
    """Wraps functions and takes phase snapshots while the program runs."""

    def __init__(
        self,
        *,
        record_calls: bool,
        parameters: str,
        documents: str,
        output: io.StringIO,
        focus_step: int | None = None,
    ) -> None:
        self.record_calls = record_calls
        self.focus_step = focus_step
        """A training step whose first call of each function is kept too, whatever its number."""
        self.focused: set[str] = set()
        self.parameters_expression = parameters
        self.documents_name = documents
        self.output = output
        self.where = SETUP
        self.training_step = 0
        self.functions: dict[str, dict[str, Any]] = {}
        self.counts: dict[str, int] = {}
        self.order: list[str] = []
        self.callees: dict[str, set[str]] = {}
        self.stack: list[str] = []
        self.snapshots: list[dict[str, Any]] = []
        self.constants: dict[str, Any] = {}
        self.step_loss: float | None = None

    # --- functions ---

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        name = function.__name__
        self.functions[name] = {
            "signature": parameter_names(function),
            "line": function.__code__.co_firstlineno,
            "unrecordable": None,
            "calls": [],
            "bytes": 0,
        }
        self.callees[name] = set()
        entry = self.functions[name]

        @functools.wraps(function)
        def recorded(*arguments: Any, **keywords: Any) -> Any:
            count = self.counts[name] = self.counts.get(name, 0) + 1
            if count == 1:
                self.order.append(name)
            if self.stack:
                self.callees[self.stack[-1]].add(name)
            before = None
            focused = (
                self.training_step == self.focus_step and self.where != AFTER_TRAINING and name not in self.focused
            )
            if focused:
                self.focused.add(name)
            if (
                (count in RECORDED_CALL_NUMBERS or focused)
                and entry["unrecordable"] is None
                and (count == 1 or focused or entry["bytes"] < BYTES_PER_FUNCTION)
            ):
                try:
                    before = plain_bytes((arguments, keywords))
                except Unrecordable as error:
                    entry["unrecordable"] = str(error)
            self.stack.append(name)
            try:
                result = function(*arguments, **keywords)
            finally:
                self.stack.pop()
            if before is not None:
                try:
                    after = plain_bytes((result, arguments, keywords))
                except Unrecordable as error:
                    entry["unrecordable"] = str(error)
                else:
                    if count == 1 or focused or entry["bytes"] + len(before) + len(after) <= BYTES_PER_FUNCTION:
                        entry["calls"].append(
                            {"number": count, "where": self.where, "arguments": before, "after": after}
                        )
                    entry["bytes"] += len(before) + len(after)
            return result

        return recorded

    # --- phases ---

    def snapshot(self, label: str, namespace: dict[str, Any]) -> None:
        if not self.constants:
            self.constants = {
                name: value
                for name, value in namespace.items()
                if not name.startswith("__")
                and (type(value) in (int, float, bool) or (type(value) is str and len(value) <= 100))
            }
        try:
            parameters: list[str] | None = [float(value).hex() for value in eval(self.parameters_expression, namespace)]  # noqa: S307 - the plan's own expression
        except Exception:  # noqa: BLE001 - a learner's file may not bind it yet; the snapshot says so
            parameters = None
        documents = namespace.get(self.documents_name)
        printed = self.output.getvalue().splitlines()
        self.snapshots.append(
            {
                "label": label,
                "parameters": parameters,
                "loss": None if self.step_loss is None else self.step_loss.hex(),
                "documents": list(documents)
                if label == SETUP and isinstance(documents, list) and all(isinstance(item, str) for item in documents)
                else None,
                "printed": printed,
            }
        )

    def before_training(self, namespace: dict[str, Any]) -> None:
        self.snapshot(SETUP, namespace)

    def start_step(self) -> None:
        self.training_step += 1
        self.where = f"training step {self.training_step}"
        self.step_loss = None

    def loss(self, value: Any) -> Any:
        """The loss the step prints, kept as the float it is; handed back to the print unchanged."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.step_loss = float(value)
        return value

    def end_step(self, namespace: dict[str, Any]) -> None:
        self.snapshot(self.where, namespace)

    def after_training(self, namespace: dict[str, Any]) -> None:
        self.where = AFTER_TRAINING
        self.step_loss = None
        self.snapshot(AFTER_TRAINING, namespace)


def _statement(text: str, line: int) -> ast.stmt:
    statement = ast.parse(text).body[0]
    return ast.increment_lineno(statement, line - 1)


def _loss_value(statement: ast.stmt) -> ast.FormattedValue | None:
    """In a `print(f"... {X:.4f}")` statement, the last value printed with a float format (the loss)."""
    if not (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == "print"
    ):
        return None
    floats = [
        value
        for argument in statement.value.args
        if isinstance(argument, ast.JoinedStr)
        for value in argument.values
        if isinstance(value, ast.FormattedValue)
        and isinstance(value.format_spec, ast.JoinedStr)
        and any(
            isinstance(part, ast.Constant) and str(part.value).endswith(("f", "e", "g"))
            for part in value.format_spec.values
        )
    ]
    return floats[-1] if floats else None


def probe_loss(loop: ast.For) -> None:
    """Hand the loss a training step prints to the probe on its way to the print: the last
    float formatted by the last statement of the loop's body that prints one. The
    expression still runs once, and the print gets the very value it had."""
    for statement in reversed(loop.body):
        printed = _loss_value(statement)
        if printed is not None:
            probed = ast.Call(
                func=ast.Attribute(value=ast.Name(id=PROBE_NAME, ctx=ast.Load()), attr="loss", ctx=ast.Load()),
                args=[printed.value],
                keywords=[],
            )
            printed.value = ast.copy_location(probed, printed.value)
            ast.fix_missing_locations(printed)
            return


def instrument(source: str, file_name: str, training_loop_line: int | None, *, wrap: bool) -> Any:
    """The program compiled with its functions wrapped and probes around the training loop
    (the module-level `for` starting at `training_loop_line`), which also hand the probe the
    loss each step prints; line numbers unchanged."""
    tree = ast.parse(source, filename=file_name)
    body: list[ast.stmt] = []
    for statement in tree.body:
        is_loop = isinstance(statement, ast.For) and statement.lineno == training_loop_line
        if is_loop:
            assert isinstance(statement, ast.For)
            probe_loss(statement)
            body.append(_statement(f"{PROBE_NAME}.before_training(globals())", statement.lineno))
            statement.body.insert(0, _statement(f"{PROBE_NAME}.start_step()", statement.lineno))
            statement.body.append(
                _statement(f"{PROBE_NAME}.end_step(globals())", statement.end_lineno or statement.lineno)
            )
        body.append(statement)
        if is_loop:
            body.append(_statement(f"{PROBE_NAME}.after_training(globals())", statement.end_lineno or statement.lineno))
        if wrap and isinstance(statement, ast.FunctionDef):
            body.append(
                _statement(
                    f"{statement.name} = {PROBE_NAME}.wrap({statement.name})", statement.end_lineno or statement.lineno
                )
            )
    tree.body = body
    return compile(tree, file_name, "exec")


def run_program(request: dict[str, Any], *, record_calls: bool) -> tuple[Probe, str | None]:
    """Run the program under the probe; the probe and the crash (None when it finished)."""
    program = str(request["program"])
    source = Path(program).read_text(encoding="utf-8")
    output = io.StringIO()
    probe = Probe(
        record_calls=record_calls,
        parameters=str(request["parameters"]),
        documents=str(request["documents"]),
        output=output,
        focus_step=request.get("focus_step"),
    )
    code = instrument(source, program, request.get("training_loop_line"), wrap=record_calls)
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": program,
        "__builtins__": builtins,
        PROBE_NAME: probe,
    }
    # A deep graph (the Value path's backward) needs more than the default limit; the limit
    # is put back afterwards, so a caller in the same interpreter (a test) is left as it was.
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, 10_000))
    real_stdout = sys.stdout
    sys.stdout = output
    crash: str | None = None
    try:
        exec(code, namespace)
    except BaseException as error:  # noqa: BLE001 - any failure of the program is reported
        crash = f"{type(error).__name__}: {error}"
    finally:
        sys.stdout = real_stdout
        sys.setrecursionlimit(previous_limit)
    probe.snapshot(SAMPLING, namespace)
    return probe, crash


def record(request: dict[str, Any]) -> dict[str, Any]:
    probe, crash = run_program(request, record_calls=True)
    if crash is not None:
        return {"status": "error", "message": f"the reference crashed while recording: {crash}"}
    recording = {
        "functions": probe.functions,
        "order": probe.order,
        "callees": {name: sorted(callees) for name, callees in probe.callees.items()},
        "constants": probe.constants,
        "snapshots": probe.snapshots,
    }
    Path(request["recording"]).write_bytes(pickle.dumps(recording, protocol=pickle.HIGHEST_PROTOCOL))
    return {"status": "ok", "snapshots": probe.snapshots}


def probe_program(request: dict[str, Any]) -> dict[str, Any]:
    probe, crash = run_program(request, record_calls=False)
    return {"status": "ok", "snapshots": probe.snapshots, "crash": crash}


# --- replay ---------------------------------------------------------------------------


def _on_alarm(signal_number: int, frame: FrameType | None) -> None:
    raise ReplayTimeout()


def shown(value: Any) -> Any:
    """A value as JSON can carry it: numbers as themselves (floats exactly, via hex), the rest as text."""
    if is_number(value):
        return {"float": float(value).hex()} if isinstance(value, float) else value
    text = repr(value)
    return text if len(text) <= 120 else text[:119] + "…"


def replay_function(
    name: str, function: Callable[..., Any], entry: dict[str, Any], tolerance: float | None, seconds: float
) -> dict[str, Any]:
    reference_names: list[str] = entry["signature"]
    verdict: dict[str, Any] = {"name": name, "line": function.__code__.co_firstlineno, "calls": len(entry["calls"])}
    for call in entry["calls"]:
        arguments, keywords = pickle.loads(call["arguments"])
        expected_result, expected_arguments, expected_keywords = pickle.loads(call["after"])
        arguments = list(arguments)
        place = {"number": call["number"], "where": call["where"]}
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            result = function(*arguments, **keywords)
        except ReplayTimeout:
            return {**verdict, **place, "status": "hangs", "detail": f"did not return within {seconds:g} s"}
        except RecursionError:
            return {**verdict, **place, "status": "raises", "detail": "RecursionError: it recursed without end"}
        except BaseException as error:  # noqa: BLE001 - the learner's code may raise anything, even SystemExit
            frames = [
                frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == entry.get("file")
            ]
            at = f" at line {frames[-1].lineno}" if frames else ""
            return {**verdict, **place, "status": "raises", "detail": f"{type(error).__name__}: {error}{at}"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        difference: Difference | None = first_difference(expected_result, result, tolerance)
        argument = None
        if difference is None:
            for position, (expected, got) in enumerate(zip(expected_arguments, arguments)):
                difference = first_difference(expected, got, tolerance)
                if difference is not None:
                    argument = (
                        reference_names[position] if position < len(reference_names) else f"argument {position + 1}"
                    )
                    break
        if difference is not None:
            return {
                **verdict,
                **place,
                "status": "differs",
                "argument": argument,
                "path": difference.path,
                "what": difference.what,
                "expected": shown(difference.expected),
                "got": shown(difference.got),
            }
    return {**verdict, "status": "agrees"}


def replay(request: dict[str, Any]) -> dict[str, Any]:
    recording = pickle.loads(Path(request["recording"]).read_bytes())
    program = str(request["program"])
    try:
        definitions = load_definitions(Path(program).read_text(encoding="utf-8"), program, recording["constants"])
    except BaseException as error:  # noqa: BLE001 - the learner's definitions may raise anything at load
        return {"status": "error", "message": f"its definitions could not be loaded: {type(error).__name__}: {error}"}
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.setrecursionlimit(10_000)
    tolerance = request.get("tolerance")
    seconds = float(request["seconds_per_call"])
    verdicts = []
    for name in recording["order"]:
        entry = {**recording["functions"][name], "file": program}
        function = definitions.get(name)
        base = {"name": name, "reference_signature": entry["signature"], "reference_line": entry["line"]}
        if not callable(function) or not hasattr(function, "__code__"):
            verdicts.append({**base, "status": "missing"})
        elif not shaped_alike(parameter_names(function), entry["signature"]):
            verdicts.append(
                {
                    **base,
                    "status": "reshaped",
                    "signature": parameter_names(function),
                    "line": function.__code__.co_firstlineno,
                }
            )
        elif entry["unrecordable"] is not None:
            verdicts.append(
                {
                    **base,
                    "status": "not-compared",
                    "detail": entry["unrecordable"],
                    "line": function.__code__.co_firstlineno,
                }
            )
        else:
            verdicts.append({**base, **replay_function(name, function, entry, tolerance, seconds)})
    return {"status": "ok", "functions": verdicts, "callees": recording["callees"]}


def main(arguments: list[str]) -> int:
    request_file, result_file = arguments
    request = json.loads(Path(request_file).read_text(encoding="utf-8"))
    modes = {"record": record, "probe": probe_program, "replay": replay}
    result = modes[request["mode"]](request)
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
