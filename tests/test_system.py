"""The platform module: each call as it behaves on this system, and as it behaves where a
POSIX-only part is missing (simulated by removing it for the test)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from workbench import system


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: reap it if it is ours, and look at its state
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return True
    return "\nState:\tZ" not in status


def _start_with_grandchild(tmp_path: Path, **options: object) -> tuple[subprocess.Popen[bytes], int]:
    """A child that starts a grandchild (its pid written to a file), then both sleep."""
    pid_file = tmp_path / "grandchild.pid"
    script = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], **options)  # type: ignore[call-overload]
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child never started its grandchild"
        time.sleep(0.05)
    return process, int(pid_file.read_text())


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are a POSIX feature")
def test_ending_a_run_ends_its_children_too(tmp_path: Path) -> None:
    process, grandchild = _start_with_grandchild(tmp_path, **system.process_group_options())
    system.end_process_tree(process)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_without_sessions_or_windows_groups_the_run_alone_is_started_and_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("setsid", "killpg"):
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.delattr(subprocess, "CREATE_NEW_PROCESS_GROUP", raising=False)
    assert system.process_group_options() == {}
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], **system.process_group_options())
    system.end_process_tree(process)
    assert process.wait(timeout=30) != 0


def test_on_windows_a_run_gets_a_process_group_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "killpg", raising=False)
    monkeypatch.setattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200, raising=False)
    assert system.process_group_options() == {"creationflags": 0x200}


def test_ending_a_finished_run_does_nothing() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(timeout=30)
    system.end_process_tree(process)  # no error, no signal to a reused pid
    assert process.returncode == 0


def test_peak_memory_is_measured_here() -> None:
    peak = system.peak_memory_bytes()
    assert peak is not None and peak > 1 << 20


def _without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_proc(*arguments: object, **keywords: object) -> None:
        raise FileNotFoundError("/proc/self/status")

    monkeypatch.setattr(system, "open", no_proc, raising=False)


def test_without_resource_and_proc_peak_memory_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_proc(monkeypatch)
    monkeypatch.setitem(system._OPTIONAL_MODULES, "resource", None)
    assert system.peak_memory_bytes() is None


@pytest.mark.parametrize(("platform", "factor"), [("darwin", 1), ("freebsd14", 1024)])
def test_ru_maxrss_is_bytes_on_macos_and_kibibytes_elsewhere(
    monkeypatch: pytest.MonkeyPatch, platform: str, factor: int
) -> None:
    _without_proc(monkeypatch)
    fake = types.ModuleType("resource")
    fake.RUSAGE_SELF = 0  # type: ignore[attr-defined]
    fake.getrusage = lambda who: types.SimpleNamespace(ru_maxrss=5000)  # type: ignore[attr-defined]
    monkeypatch.setitem(system._OPTIONAL_MODULES, "resource", fake)
    monkeypatch.setattr(sys, "platform", platform)
    assert system.peak_memory_bytes() == 5000 * factor


@pytest.mark.parametrize(
    ("platform", "available", "method"),
    [
        ("linux", ["fork", "spawn", "forkserver"], "fork"),
        ("darwin", ["spawn", "fork", "forkserver"], "spawn"),
        ("win32", ["spawn"], "spawn"),
        ("linux", ["spawn"], "spawn"),
    ],
)
def test_workers_fork_only_on_linux(
    monkeypatch: pytest.MonkeyPatch, platform: str, available: list[str], method: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert system.worker_start_method(available) == method


def test_only_the_termination_signals_the_system_has_are_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert signal.SIGTERM in system.termination_signals()
    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    assert system.termination_signals() == (signal.SIGTERM,)


def test_no_single_keys_without_termios_or_msvcrt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(system._OPTIONAL_MODULES, "termios", None)
    monkeypatch.setitem(system._OPTIONAL_MODULES, "msvcrt", None)
    assert not system.KeyReader.available()
    with pytest.raises(OSError):
        system.KeyReader(io.StringIO())


def test_on_windows_keys_come_from_msvcrt(monkeypatch: pytest.MonkeyPatch) -> None:
    pressed = ["H", "\xe0", "K", "q"]  # h, an arrow key (two codes), q
    fake = types.ModuleType("msvcrt")
    fake.kbhit = lambda: bool(pressed)  # type: ignore[attr-defined]
    fake.getwch = lambda: pressed.pop(0)  # type: ignore[attr-defined]
    monkeypatch.setitem(system._OPTIONAL_MODULES, "msvcrt", fake)
    assert system.KeyReader.available()
    with system.KeyReader(io.StringIO()) as keys:
        assert [keys.read(0.01), keys.read(0.01), keys.read(0.01), keys.read(0.01)] == ["h", None, "q", None]


@pytest.mark.skipif(
    sys.platform == "win32", reason="select() takes only sockets on Windows, so a pipe always reads as ready there"
)
def test_a_pipe_without_input_is_not_ready_and_a_stringio_always_is() -> None:
    assert system.input_ready(io.StringIO("h\n"), 0.01)
    reader, writer = os.pipe()
    try:
        with os.fdopen(reader, closefd=False) as stream:
            assert not system.input_ready(stream, 0.01)
            os.write(writer, b"h\n")
            assert system.input_ready(stream, 1.0)
    finally:
        os.close(reader)
        os.close(writer)
