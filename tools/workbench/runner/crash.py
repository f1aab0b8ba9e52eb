"""A crash as data: what the driver recorded inside the program's process, as fields.

The driver (workbench/runner/driver.py) writes, for a program that raised, the exception's
type and message, Python's own suggestion, the program's own frames from the outermost in,
and the loops those frames were in. `crash_from_record` reads that record into a `Crash`;
`syntax_crash` makes one for a file that does not compile (found before anything runs).
Nothing downstream reads the one-line summary or the traceback text back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CrashFrame:
    """One frame of the program's own file in a crash, outermost first."""

    line: int
    function: str
    """The function's name, or '<module>' for module-level code."""
    code: str
    """The stripped source line ('' when it could not be read)."""


@dataclass(frozen=True)
class LoopPosition:
    """A `for` loop of the program the crash happened in, and its variable's value then."""

    function: str
    variable: str
    value: int
    line: int
    over: tuple[str, ...] = ()
    """The names its iterable reads: ('num_steps', 'range') for `range(num_steps)`."""


@dataclass(frozen=True)
class Crash:
    """Where and how a program stopped with an exception."""

    exception: str
    """The exception's type name: 'NameError', 'SyntaxError', 'SystemExit'."""
    message: str
    suggestion: str | None
    """Python's own hint after the message, e.g. "Did you mean: 'total'?"."""
    line: int | None
    """The innermost line of the program's file (None when no frame was in it)."""
    function: str | None
    """The function of that line ('<module>' for module-level code)."""
    frames: tuple[CrashFrame, ...]
    """The program's own frames, outermost first (the innermost is `line` and `function`)."""
    loops: tuple[LoopPosition, ...] = ()
    """The program's loops around the crash, outermost first."""

    @property
    def syntax(self) -> bool:
        return self.exception == "SyntaxError"

    @property
    def headline(self) -> str:
        """'NameError: name 'x' is not defined. Did you mean: 'y'?', as Python says it."""
        text = f"{self.exception}: {self.message}" if self.message else self.exception
        return f"{text}. {self.suggestion}" if self.suggestion else text


def crash_from_record(record: Mapping[str, object]) -> Crash:
    """The driver's crash record as a Crash; a field of the wrong shape is left out."""
    exception_type = record.get("exception_type")
    message = record.get("message")
    if not isinstance(exception_type, str):
        # An older or partial record: the one line "Type: message" is all there is.
        exception_type, _, message = str(record.get("exception") or "an error").partition(": ")
    line = record.get("line")
    function = record.get("function")
    suggestion = record.get("suggestion")
    return Crash(
        exception=exception_type,
        message=message if isinstance(message, str) else "",
        suggestion=suggestion if isinstance(suggestion, str) and suggestion else None,
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        function=function if isinstance(function, str) else None,
        frames=tuple(_frames(record.get("frames"))),
        loops=tuple(_loops(record.get("loops"))),
    )


def syntax_crash(source: str, file_name: str) -> Crash | None:
    """The SyntaxError `source` raises when compiled, as a Crash; None when it compiles."""
    try:
        compile(source, file_name, "exec")
    except SyntaxError as error:
        lines = source.splitlines()
        number = error.lineno
        code = (
            lines[number - 1].strip() if number is not None and 0 < number <= len(lines) else (error.text or "").strip()
        )
        frames = () if number is None else (CrashFrame(number, "<module>", code),)
        return Crash("SyntaxError", error.msg, None, number, None, frames)
    return None


def _frames(raw: object) -> list[CrashFrame]:
    if not isinstance(raw, list):
        return []
    frames = []
    for entry in raw:
        if isinstance(entry, dict) and _whole(entry.get("line")) and isinstance(entry.get("function"), str):
            code = entry.get("code")
            frames.append(CrashFrame(entry["line"], entry["function"], code if isinstance(code, str) else ""))
    return frames


def _loops(raw: object) -> list[LoopPosition]:
    if not isinstance(raw, list):
        return []
    loops = []
    for entry in raw:
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("function"), str)
            and isinstance(entry.get("variable"), str)
            and _whole(entry.get("value"))
            and _whole(entry.get("line"))
        ):
            over = entry.get("over")
            names = tuple(name for name in over if isinstance(name, str)) if isinstance(over, list) else ()
            loops.append(LoopPosition(entry["function"], entry["variable"], entry["value"], entry["line"], names))
    return loops


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
