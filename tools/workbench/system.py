"""Every call that differs between Windows, macOS and Linux, in one place.

The rest of the workbench never asks which system it runs on; it calls these:

- `process_group_options()` and `end_process_tree(process)`: start a run in a process
  group of its own and end it with its children (a POSIX session and `killpg`, a Windows
  process group and `taskkill /T`, or the process alone where neither exists);
- `peak_memory_bytes()`: this process's peak memory, or None where it cannot be measured;
- `KeyReader`: single key presses from the terminal for `watch` (cbreak mode through
  `termios` on POSIX, `msvcrt` on Windows), and `input_ready` for lines from a pipe;
- `worker_start_method()` and `die_with_parent()`: how the linter starts its workers
  (`fork` only on Linux: on macOS it is unsafe once threads run; `spawn` elsewhere);
- `termination_signals()`: the signals that mean "stop" on this system (no SIGHUP on Windows).

Standard library only, and each feature is detected by what the interpreter offers, so
the same code runs with the POSIX-only modules removed (tests/posixless). The runner's
driver loads this file by path inside the child interpreter, before the learner's
program runs: keep it importing nothing but the standard library, and nothing at the top
that a system lacks.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from types import ModuleType
from typing import Any

# The modules some systems lack, imported here once so that nothing else has to ask: None
# where the interpreter does not offer them (resource, termios and tty are POSIX-only,
# msvcrt is Windows-only).
try:
    import resource
except ImportError:
    resource = None  # type: ignore[assignment]
try:
    import termios
except ImportError:
    termios = None  # type: ignore[assignment]
try:
    import tty
except ImportError:
    tty = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

_OPTIONAL_MODULES: dict[str, ModuleType | None] = {
    "resource": resource,
    "termios": termios,
    "tty": tty,
    "msvcrt": msvcrt,
}

TASKKILL_SECONDS = 10.0
"""How long `taskkill` may take to end a run's tree on Windows before the run alone is killed."""


def _optional_module(name: str) -> ModuleType | None:
    """A standard module that some systems lack (resource, termios, tty, msvcrt), or None."""
    return _OPTIONAL_MODULES[name]


# --- process groups ------------------------------------------------------------------------


def _has_posix_sessions() -> bool:
    return hasattr(os, "setsid") and hasattr(os, "killpg") and hasattr(signal, "SIGKILL")


def process_group_options() -> dict[str, Any]:
    """Keyword arguments for subprocess.Popen that start the child in a group of its own,
    so that ending it ends whatever it started too."""
    if _has_posix_sessions():
        return {"start_new_session": True}
    flag = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", None)
    if flag is not None:
        return {"creationflags": flag}
    return {}


def end_process_tree(process: subprocess.Popen[bytes]) -> None:
    """End a child started with process_group_options(), and its children; never raises."""
    if process.poll() is not None:
        return
    if _has_posix_sessions():
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return
    taskkill = shutil.which("taskkill") if hasattr(subprocess, "CREATE_NEW_PROCESS_GROUP") else None
    if taskkill is not None:
        try:
            subprocess.run(
                [taskkill, "/F", "/T", "/PID", str(process.pid)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TASKKILL_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            pass
    try:
        process.kill()
    except OSError:
        pass


# --- peak memory ---------------------------------------------------------------------------


def peak_memory_bytes() -> int | None:
    """This process's peak resident set size in bytes, or None where it cannot be measured.

    On Linux, VmHWM from /proc/self/status: the high-water mark of the address space
    created when this process was exec'd. getrusage's ru_maxrss is NOT usable there: it
    also counts the image the process was forked from, so every child of a 50 MB runner
    would report at least 50 MB. Elsewhere ru_maxrss (bytes on macOS, KiB on the other
    POSIX systems); None where there is no `resource` module (Windows).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    resource = _optional_module("resource")
    if resource is None:
        return None
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak if sys.platform == "darwin" else peak * 1024


# --- keys ----------------------------------------------------------------------------------


class KeyReader:
    """Single key presses from a terminal, without Enter. Use as a context manager: on
    POSIX it puts the terminal in cbreak mode and restores it on exit."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.exhausted = False
        self._msvcrt = _optional_module("msvcrt")
        self._termios = None if self._msvcrt is not None else _optional_module("termios")
        self._descriptor = -1
        self._saved: Any = None
        if self._msvcrt is None and self._termios is None:
            raise OSError("this terminal offers no single-key input")
        if self._termios is not None:
            self._descriptor = stream.fileno()
            self._saved = self._termios.tcgetattr(self._descriptor)

    @staticmethod
    def available() -> bool:
        """True when single key presses can be read on this system (a terminal still needed)."""
        return _optional_module("msvcrt") is not None or (
            _optional_module("termios") is not None and _optional_module("tty") is not None
        )

    def __enter__(self) -> KeyReader:
        if self._termios is not None:
            tty = _optional_module("tty")
            assert tty is not None
            tty.setcbreak(self._descriptor)
        return self

    def __exit__(self, *exception: object) -> None:
        if self._termios is not None:
            self._termios.tcsetattr(self._descriptor, self._termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str | None:
        """One key, lower case, or None when none was pressed within `timeout` seconds."""
        if self._msvcrt is not None:
            return self._read_windows(timeout)
        ready, _, _ = select.select([self._descriptor], [], [], timeout)
        if not ready:
            return None
        return os.read(self._descriptor, 1).decode("utf-8", "replace").lower()

    def _read_windows(self, timeout: float) -> str | None:
        assert self._msvcrt is not None
        deadline = time.monotonic() + timeout
        while True:
            if self._msvcrt.kbhit():
                key = str(self._msvcrt.getwch())
                if key in ("\x00", "\xe0"):  # a function or arrow key: two codes, no letter
                    self._msvcrt.getwch()
                    return None
                if key == "\x03":
                    raise KeyboardInterrupt
                return key.lower()
            if time.monotonic() >= deadline:
                return None
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))


def input_ready(stream: Any, timeout: float) -> bool:
    """True when a line can be read from `stream` without waiting longer than `timeout`:
    select() where the stream supports it (POSIX pipes), else True (read directly: Windows
    selects only sockets, and a StringIO is not selectable anywhere)."""
    try:
        ready, _, _ = select.select([stream], [], [], timeout)
    except (ValueError, OSError, TypeError):
        return True
    return bool(ready)


# --- worker processes ----------------------------------------------------------------------

_LINUX_SET_PARENT_DEATH_SIGNAL = 1  # prctl(PR_SET_PDEATHSIG, ...)


def worker_start_method(available: list[str] | None = None) -> str:
    """`fork` on Linux (fast, and safe there), `spawn` everywhere else: macOS has fork, but
    a forked child of a process that runs threads can deadlock in the system's libraries."""
    if available is None:
        import multiprocessing

        available = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in available:
        return "fork"
    return "spawn"


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only; elsewhere the
    caller polls its parent)."""
    if not sys.platform.startswith("linux") or not hasattr(signal, "SIGKILL"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(_LINUX_SET_PARENT_DEATH_SIGNAL, signal.SIGKILL)
    except (OSError, AttributeError, ImportError):
        pass


# --- signals -------------------------------------------------------------------------------


def termination_signals() -> tuple[signal.Signals, ...]:
    """The signals that ask a command to stop: SIGTERM, and SIGHUP (a closed terminal)
    where the system has it."""
    names = ("SIGTERM", "SIGHUP")
    return tuple(getattr(signal, name) for name in names if hasattr(signal, name))
