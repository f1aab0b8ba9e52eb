"""`watch`: rerun the check whenever the learner's file is saved.

The file is polled (modification time and size), not watched through inotify, so it
works on network drives and WSL; a change is checked once the file has been still for a
short debounce. Keys act without Enter on a terminal:

    h  next hint     c  check now     l  list     n  next step (once the step passes)
    r  reset (asks y/N)               q  quit

Without a terminal (tests, pipes), the same keys are read one per line from stdin, and
the end of stdin quits. A deleted or half-saved file is reported and watching goes on;
Ctrl-C restores the terminal and stops.
"""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TextIO, cast

from rich.text import Text

from workbench.system import KeyReader, input_ready
from workbench.workshop import commands, render
from workbench.workshop.checking_state import checking
from workbench.workshop.workspace import WorkshopError

KEYS_HELP = "keys: h hint · c check · l list · n next step · r reset · q quit"


class KeyStream(Protocol):
    """What watch reads keys from: sys.stdin, or any object with these two methods."""

    def isatty(self) -> bool: ...

    def readline(self) -> str: ...


class KeySource(Protocol):
    exhausted: bool

    def read(self, timeout: float) -> str | None: ...


class LineKeys:
    """Keys one per line from a stream that is not a terminal."""

    def __init__(self, stream: KeyStream) -> None:
        self.stream = stream
        self.exhausted = False

    def read(self, timeout: float) -> str | None:
        if self.exhausted:
            time.sleep(timeout)
            return None
        if not input_ready(self.stream, timeout):
            return None
        line = self.stream.readline()
        if line == "":
            self.exhausted = True
            return "q"
        return line.strip()[:1].lower() or None


def signature(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size), or None when the file is not there."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def watch(
    session: commands.Session,
    *,
    once: bool = False,
    interval: float = 0.25,
    debounce: float = 0.4,
    stdin: KeyStream | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    state = session.state()
    session.current(state)
    if once:
        return _check(session, show_keys=False)
    stream: KeyStream = stdin if stdin is not None else sys.stdin
    if stream.isatty() and KeyReader.available():
        with KeyReader(cast(TextIO, stream)) as keys:
            return _loop(session, keys, interval, debounce, clock)
    return _loop(session, LineKeys(stream), interval, debounce, clock)


def _loop(
    session: commands.Session, keys: KeySource, interval: float, debounce: float, clock: Callable[[], float]
) -> int:
    last_code = _check(session)
    path = _current_path(session)
    seen = signature(path)
    try:
        while True:
            key = keys.read(interval)
            if key:
                outcome = _act(session, keys, key)
                if outcome is None:
                    render.show(session.out, Text("stopped watching", style="muted"))
                    return last_code
                if outcome >= 0:
                    last_code = outcome
                path = _current_path(session)
                seen = signature(path)
                continue
            now_signature = signature(path)
            if now_signature == seen:
                continue
            now_signature = _settle(path, debounce, interval, clock)
            seen = now_signature
            if now_signature is None:
                render.show(
                    session.out,
                    Text(f"{path.name} was deleted; watching for it to come back (r resets it)", style="warning"),
                )
                continue
            problem = _half_saved(path)
            if problem is not None:
                render.show(session.out, Text(f"{path.name} {problem}; waiting for the next save", style="warning"))
                continue
            last_code = _check(session)
    except KeyboardInterrupt:
        render.show(session.out, Text("\nstopped watching", style="muted"))
        return last_code


def _settle(path: Path, debounce: float, interval: float, clock: Callable[[], float]) -> tuple[int, int] | None:
    """Wait until the file has not changed for `debounce` seconds."""
    current = signature(path)
    still_since = clock()
    while clock() - still_since < debounce:
        time.sleep(min(interval, debounce))
        latest = signature(path)
        if latest != current:
            current, still_since = latest, clock()
    return current


def _half_saved(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "cannot be read right now (half-saved?)"
    if not text.strip():
        return "is empty (half-saved?)"
    try:
        ast.parse(text)
    except SyntaxError as error:
        return f"does not parse yet (line {error.lineno}: {error.msg})"
    return None


def _current_path(session: commands.Session) -> Path:
    state = session.state()
    return session.workspace.file_of(state, session.current(state).number)


def _check(session: commands.Session, *, show_keys: bool = True) -> int:
    if session.out.is_terminal:
        session.out.clear()
    try:
        code = commands.check(session, fold_passing=True, waiting=lambda step: checking(session.out, step))
    except WorkshopError as problem:
        render.show(session.out, Text(str(problem), style="warning"))
        code = 1
    if show_keys:
        render.show(session.out, Text(KEYS_HELP, style="muted"))
    return code


def _act(session: commands.Session, keys: KeySource, key: str) -> int | None:
    """Do what a key asks; None to quit, -1 when the key did not check anything."""
    try:
        match key:
            case "q":
                return None
            case "c":
                return _check(session)
            case "h":
                commands.give_hint(session)
            case "l":
                commands.show_list(session)
            case "n":
                if commands.next_step(session) == 0:
                    return _check(session)
            case "r":
                render.show(
                    session.out,
                    Text("Reset this step to its starting file? Your file is kept in .backup/. [y/N]", style="warning"),
                )
                answer = None
                while answer is None and not keys.exhausted:
                    answer = keys.read(0.5)
                if answer == "y":
                    commands.reset(session)
                    return _check(session)
                render.show(session.out, Text("not reset", style="muted"))
            case _:
                render.show(session.out, Text(KEYS_HELP, style="muted"))
    except WorkshopError as problem:
        render.show(session.out, Text(str(problem), style="warning"))
    return -1
