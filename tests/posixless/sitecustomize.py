"""Python without its POSIX-only parts, as on Windows: put this folder first on PYTHONPATH.

Every interpreter started with it (the command lines, the runner's child interpreters,
the linter's workers) finds, as on Windows:

- no `resource`, `termios`, `tty`, `fcntl`, `pwd`, `grp`, `posix`-only helpers
  (`import resource` raises ImportError);
- no process groups or sessions, no fork: os.killpg, os.setsid, os.getpgid, os.fork and
  their kin are gone, and so are the signals Windows lacks (SIGHUP, SIGKILL, SIGALRM, ...);
- select.select() on anything but a socket raises OSError;
- multiprocessing offers the `spawn` start method only.

What it cannot make Windows-like (path separators, drive letters, file locking, the
console's APIs, process creation itself) is listed in docs/laptops.md.
"""

from __future__ import annotations

import builtins
import os
import select
import signal
import socket
import sys

REMOVED_MODULES = frozenset({"resource", "termios", "tty", "pty", "fcntl", "pwd", "grp", "posix_ipc"})
REMOVED_OS_FUNCTIONS = (
    "killpg",
    "setsid",
    "getsid",
    "getpgid",
    "setpgid",
    "getpgrp",
    "setpgrp",
    "fork",
    "forkpty",
    "wait3",
    "wait4",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getgroups",
    "setuid",
    "setgid",
    "chown",
    "lchown",
    "fchown",
    "nice",
    "getloadavg",
)
"""Not removed though Windows lacks them: os.uname, os.sysconf, os.sched_getaffinity, which
libraries call on Linux after asking sys.platform (numpy does), a question this mode cannot
change the answer to."""
REMOVED_SIGNALS = (
    "SIGHUP",
    "SIGKILL",
    "SIGQUIT",
    "SIGALRM",
    "SIGUSR1",
    "SIGUSR2",
    "SIGCHLD",
    "SIGPIPE",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGWINCH",
    "alarm",
    "setitimer",
    "getitimer",
    "pause",
    "pthread_kill",
    "pthread_sigmask",
    "sigwait",
    "siginterrupt",
)
MARKER = "MICROGPT_POSIXLESS"
"""Set in the environment, so that a test can see its children ran in this mode."""

_KILL = getattr(signal, "SIGKILL", 9)
_real_import = builtins.__import__
_real_select = select.select


def _import(name: str, *arguments: object, **keywords: object) -> object:
    if name.partition(".")[0] in REMOVED_MODULES:
        raise ImportError(f"No module named {name!r} (removed: POSIX-only)", name=name)
    return _real_import(name, *arguments, **keywords)  # type: ignore[arg-type]


def _select(readers: list[object], writers: list[object], errors: list[object], *timeout: float | None) -> object:
    for item in (*readers, *writers, *errors):
        if not isinstance(item, socket.socket):
            raise OSError(10038, "An operation was attempted on something that is not a socket")
    return _real_select(readers, writers, errors, *timeout)


def _remove() -> None:
    for name in REMOVED_MODULES:
        sys.modules.pop(name, None)
    builtins.__import__ = _import
    for name in REMOVED_OS_FUNCTIONS:
        if hasattr(os, name):
            delattr(os, name)
    for name in REMOVED_SIGNALS:
        if hasattr(signal, name):
            delattr(signal, name)
    select.select = _select  # type: ignore[assignment]
    _keep_the_standard_library_working()
    os.environ[MARKER] = "1"


def _keep_the_standard_library_working() -> None:
    """The standard library's own POSIX code still needs what was removed: give it back there
    only (subprocess and multiprocessing kill with SIGKILL on POSIX, TerminateProcess on Windows)."""
    import subprocess

    def kill(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(_KILL)

    subprocess.Popen.kill = kill  # type: ignore[method-assign, assignment]

    import multiprocessing
    from multiprocessing import popen_fork

    popen_fork.Popen.kill = lambda self: self._send_signal(_KILL)  # type: ignore[method-assign]
    real_get_context = multiprocessing.get_context

    def get_context(method: str | None = None) -> object:
        if method not in (None, "spawn"):
            raise ValueError(f"cannot find context for {method!r}")
        return real_get_context("spawn")

    multiprocessing.get_all_start_methods = lambda: ["spawn"]  # type: ignore[assignment]
    multiprocessing.get_context = get_context  # type: ignore[assignment]
    multiprocessing.set_start_method("spawn", force=True)


_remove()
