"""Run one program in isolation and record everything the checks need.

Every run gets its own temporary working directory holding `input.txt` (a copy of the
dataset) and the program (after knob rewriting), so a run never writes into the repository
and parallel runs cannot clobber each other. The program runs under `python -u` through
workbench/runner/driver.py, in its own process group, with a timeout; its stdout is read line by
line with time.monotonic() timestamps. Syntax errors are found before anything runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.files import read_json, sha256_of_bytes
from workbench.paths import display_path
from workbench.runner.crash import Crash, crash_from_record
from workbench.runner.transcript import TimedLine, last_training_step, phase_seconds, split_lines
from workbench.system import end_process_tree, process_group_options

DRIVER = Path(__file__).resolve().with_name("driver.py")
RUNNER_FORMAT = "microgpt-workbench-runner/1"
"""Part of every cache key and golden file: change it when what a run records changes."""

OK = "ok"
CRASH = "crash"
TIMEOUT = "timeout"
SYNTAX_ERROR = "syntax-error"
PARAMETERS_ERROR = "parameters-error"
WORKBENCH_FAILED = "workbench-failed"
"""The driver itself could not start: the workbench failed, not the program (exit status 2)."""
DRIVER_STARTED = "started"
"""What the driver writes before the program runs (driver.STARTED)."""


@dataclass(frozen=True)
class Runnable:
    """One program ready to run: its text after knob rewriting, and how to read its parameters."""

    name: str
    """Shown while it runs: 'original', 'step 07', 'step 06 (predecessor)'."""
    source_path: Path
    """The file it came from; errors name this file, never the temporary copy."""
    source: str
    parameters_expression: str
    layout_expression: str = ""
    """Evaluated after the parameters, for messages only (empty: none)."""

    @property
    def display(self) -> str:
        return display_path(self.source_path)

    def key(self, dataset_sha256: str) -> str:
        """The content hash that identifies this run's result in the cache."""
        # The layout only names parameters in messages: it is not part of what a run computes.
        parts = (RUNNER_FORMAT, self.source, dataset_sha256, self.parameters_expression)
        return sha256_of_bytes("\0".join(parts).encode("utf-8"))


@dataclass(frozen=True)
class RunResult:
    status: str
    """ok, crash, timeout, syntax-error, parameters-error or workbench-failed."""
    stdout: str = ""
    lines: tuple[TimedLine, ...] = ()
    parameters: tuple[str, ...] | None = None
    """The final parameters as float.hex strings (status ok only)."""
    layout: tuple[tuple[str, int, int], ...] | None = None
    """The parameters' matrices in order, (name, rows, columns), when the program told them."""
    peak_memory_bytes: int | None = None
    seconds_total: float = 0.0
    seconds_training: float | None = None
    seconds_inference: float | None = None
    cpu_seconds_training: float | None = None
    """CPU seconds of the training phase (the program's own process), None where unknown."""
    cpu_seconds_inference: float | None = None
    error: str | None = None
    """One line for the user: where it failed and why."""
    details: str = ""
    """The traceback or the program's stderr, with temporary paths replaced by the real file."""
    crash: Crash | None = None
    """A crash as fields: exception, message, suggestion, the program's frames and loops."""

    @property
    def ok(self) -> bool:
        return self.status == OK


LineListener = Callable[[str, float], None]
"""Called with each line of stdout (no newline) and the seconds since the start."""


@dataclass
class ProcessRegistry:
    """The runs in flight, so that an interrupted invocation can end them all."""

    _processes: set[subprocess.Popen[bytes]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.add(process)
            closed = self._closed
        if closed:
            _kill_process_group(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def close(self) -> None:
        """End every run in flight, and any run that starts from now on."""
        with self._lock:
            self._closed = True
            processes = list(self._processes)
        for process in processes:
            _kill_process_group(process)


def syntax_error(program: Runnable) -> str | None:
    """'steps/07_x.py:12: invalid syntax' when the program does not compile, else None."""
    try:
        compile(program.source, program.display, "exec")
    except SyntaxError as error:
        return f"{program.display}:{error.lineno}: {error.msg}"
    return None


def execute(
    program: Runnable,
    dataset_path: Path,
    *,
    timeout: float,
    on_line: LineListener | None = None,
    registry: ProcessRegistry | None = None,
) -> RunResult:
    """Run `program` in a fresh temporary directory and return what it printed and computed."""
    problem = syntax_error(program)
    if problem is not None:
        return RunResult(status=SYNTAX_ERROR, error=f"syntax error at {problem}")
    with tempfile.TemporaryDirectory(prefix="microgpt-run-") as directory:
        work = Path(directory)
        script = work / program.source_path.name
        script.write_text(program.source, encoding="utf-8")
        shutil.copyfile(dataset_path, work / "input.txt")
        return _run_in(work, script, program, timeout=timeout, on_line=on_line, registry=registry)


def _run_in(
    work: Path,
    script: Path,
    program: Runnable,
    *,
    timeout: float,
    on_line: LineListener | None,
    registry: ProcessRegistry | None,
) -> RunResult:
    result_file = work / ".driver-result.json"
    stderr_file = work / ".stderr.txt"
    command = [
        sys.executable,
        "-u",
        "-P",
        str(DRIVER),
        str(script),
        program.parameters_expression,
        str(result_file),
        program.layout_expression,
    ]
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    lines: list[TimedLine] = []
    raw_output: list[str] = []
    timed_out = threading.Event()
    with stderr_file.open("wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=work,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=environment,
            **process_group_options(),
        )
        if registry is not None:
            registry.add(process)

        def end_the_run() -> None:
            timed_out.set()
            _kill_process_group(process)

        watchdog = threading.Timer(timeout, end_the_run)
        watchdog.daemon = True
        watchdog.start()
        try:
            assert process.stdout is not None
            for raw in iter(process.stdout.readline, b""):
                seconds = time.monotonic() - start
                text = raw.decode("utf-8", errors="replace")
                raw_output.append(text)
                lines.append(TimedLine(text=text.removesuffix("\n"), seconds=seconds))
                if on_line is not None:
                    on_line(text.removesuffix("\n"), seconds)
            process.wait()
        finally:
            watchdog.cancel()
            _kill_process_group(process)
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
            if registry is not None:
                registry.discard(process)
        seconds_total = time.monotonic() - start
    stdout = "".join(raw_output)
    training, inference = phase_seconds(lines)
    observed = RunResult(
        status=CRASH,
        stdout=stdout,
        lines=tuple(lines),
        seconds_total=seconds_total,
        seconds_training=training,
        seconds_inference=inference,
        details=_readable_stderr(stderr_file, script, program),
    )
    if timed_out.is_set():
        reached = last_training_step(split_lines(stdout))
        where = f" (it had reached step {reached.step} / {reached.total})" if reached else ""
        return replace(observed, status=TIMEOUT, error=f"{program.display} timed out after {timeout:g} s{where}")
    if not result_file.exists():
        return replace(observed, status=WORKBENCH_FAILED, error=_driver_failure(observed.details, process.returncode))
    record = read_json(result_file)
    if not isinstance(record, dict) or record.get("status", DRIVER_STARTED) == DRIVER_STARTED:
        return replace(observed, error=f"{program.display} ended without finishing (exit status {process.returncode})")
    return _with_driver_record(_with_cpu_seconds(observed, record.get("line_cpu_seconds")), record, program, script)


def _with_cpu_seconds(observed: RunResult, stamps: object) -> RunResult:
    """The phases' CPU seconds, split at the same lines as the wall-clock ones."""
    lines = observed.lines
    if (
        not isinstance(stamps, list)
        or len(stamps) != len(lines)
        or not all(isinstance(value, float | int) for value in stamps)
    ):
        return observed
    training, inference = phase_seconds(
        [TimedLine(text=line.text, seconds=float(cpu)) for line, cpu in zip(lines, stamps)]
    )
    return replace(observed, cpu_seconds_training=training, cpu_seconds_inference=inference)


def _with_driver_record(observed: RunResult, record: dict[str, object], program: Runnable, script: Path) -> RunResult:
    """Complete what was observed from outside with what the driver recorded inside."""
    status = str(record.get("status"))
    peak = record.get("peak_memory_bytes")
    peak_memory = peak if isinstance(peak, int) else None
    parameters = record.get("parameters")
    if status == OK and isinstance(parameters, list):
        return replace(
            observed,
            status=OK,
            parameters=tuple(str(value) for value in parameters),
            layout=_layout(record.get("layout")),
            peak_memory_bytes=peak_memory,
        )
    if status == PARAMETERS_ERROR:
        return replace(
            observed, status=status, error=f"{program.display}: {record.get('message')}", peak_memory_bytes=peak_memory
        )
    line = record.get("line")
    function = record.get("function")
    place = program.display if line is None else f"{program.display}:{line}"
    if isinstance(function, str) and function != "<module>":
        place += f" in {function}"
    traceback_text = str(record.get("traceback") or "").replace(str(script), program.display)
    return replace(
        observed,
        status=CRASH,
        error=f"crashed at {place}: {record.get('exception')}",
        details=traceback_text or observed.details,
        crash=crash_from_record(record),
    )


def _layout(raw: object) -> tuple[tuple[str, int, int], ...] | None:
    """The driver's layout record, if it is a list of [name, rows, columns]."""
    if not isinstance(raw, list):
        return None
    entries = []
    for entry in raw:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], int)
            and isinstance(entry[2], int)
        ):
            return None
        entries.append((entry[0], entry[1], entry[2]))
    return tuple(entries)


def _driver_failure(stderr: str, exit_status: int | None) -> str:
    """The sentence for a driver that never reached the program: its last stderr line says why."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    reason = lines[-1] if lines else f"it exited with status {exit_status} and said nothing"
    return f"the workbench failed: its driver could not start the program ({reason})"


def _readable_stderr(stderr_file: Path, script: Path, program: Runnable) -> str:
    try:
        text = stderr_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text.replace(str(script), program.display).strip()


def _kill_process_group(process: subprocess.Popen[bytes]) -> None:
    end_process_tree(process)
