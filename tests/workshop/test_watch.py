"""`watch` without a terminal: keys one per line on stdin, a deleted file reported, Ctrl-C
leaves cleanly. The check itself is replaced by a recorded outcome here: these tests are
about the loop, not the verdict."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from workbench.plan import Plan
from workbench.system import KeyReader
from workbench.workshop import commands
from workbench.workshop.checking import CheckOutcome
from workbench.workshop.checking_state import checking
from workbench.workshop.watch import watch
from workshop_support import fake_outcome, output_of


class ScriptedInput:
    """A stdin whose lines are keys, or actions run when the line is read."""

    def __init__(self, items: list[str | Callable[[], object]]) -> None:
        self.items = list(items)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        if not self.items:
            return ""
        item = self.items.pop(0)
        if callable(item):
            item()
            return "\n"
        return item + "\n"


@pytest.fixture
def recorded_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every check the workshop asks for; it fails until the file contains 'FIXED'."""
    seen: list[Path] = []

    def check(session: commands.Session, path: Path, step: object, prove: bool) -> CheckOutcome:
        seen.append(path)
        number = session.state().current_step or 1
        return fake_outcome(number, passes="FIXED" in path.read_text(encoding="utf-8"))

    monkeypatch.setattr(commands, "check_with", check)
    return seen


def test_keys_drive_the_loop(session: commands.Session, plan: Plan, recorded_checks: list[Path]) -> None:
    commands.start(session, plan.step(4))
    learner_file = session.workspace.directory / plan.step(4).file_name
    script = ScriptedInput(
        [
            "h",
            "n",
            "l",
            "c",
            lambda: learner_file.write_text(learner_file.read_text(encoding="utf-8") + "# FIXED\n"),
            "c",
            "n",
            "q",
        ]
    )
    code = watch(session, stdin=script, interval=0.01, debounce=0.02)
    text = output_of(session)
    assert "Hint 1 of 8" in text
    assert "does not pass yet" in text, "n before passing says why"
    assert "steps pass" in text, "l shows the list"
    assert "PASSES" in text
    assert session.state().current_step == 5, "n after passing starts the next step"
    assert "# FIXED" in (session.workspace.directory / plan.step(5).file_name).read_text(encoding="utf-8"), (
        "05 starts from the learner's 04"
    )
    assert code == 0, "the last check is step 05's, which starts from the passing 04"
    assert len(recorded_checks) == 3, "the first check, the save, step 05; the unchanged recheck comes from the cache"


def test_a_saved_file_is_checked_and_a_deleted_one_reported(
    session: commands.Session, plan: Plan, recorded_checks: list[Path]
) -> None:
    commands.start(session, plan.step(4))
    learner_file = session.workspace.directory / plan.step(4).file_name
    original = learner_file.read_text(encoding="utf-8")

    def save() -> None:
        learner_file.write_text(original + "\n# FIXED\n", encoding="utf-8")
        stat = learner_file.stat()
        os.utime(learner_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))

    def half_save() -> None:
        learner_file.write_text(original[: len(original) // 3] + "\ndef broken(:\n", encoding="utf-8")

    script = ScriptedInput([save, "", half_save, "", learner_file.unlink, "", "", "q"])
    watch(session, stdin=script, interval=0.01, debounce=0.02)
    text = output_of(session)
    assert "PASSES" in text, "the save was checked"
    assert "does not parse yet" in text
    assert "was deleted" in text
    assert len(recorded_checks) == 2, "the first check and the save; not the half-saved or deleted file"


def test_reset_asks_first(session: commands.Session, plan: Plan, recorded_checks: list[Path]) -> None:
    commands.start(session, plan.step(4))
    learner_file = session.workspace.directory / plan.step(4).file_name
    learner_file.write_text("# my work\n", encoding="utf-8")
    watch(session, stdin=ScriptedInput(["r", "n", "q"]), interval=0.01, debounce=0.02)
    assert learner_file.read_text(encoding="utf-8") == "# my work\n", "N keeps the file"
    watch(session, stdin=ScriptedInput(["r", "y", "q"]), interval=0.01, debounce=0.02)
    assert learner_file.read_text(encoding="utf-8") == session.workspace.start_copy(4).read_text(encoding="utf-8")
    assert any(
        path.read_text(encoding="utf-8") == "# my work\n"
        for path in (session.workspace.directory / ".backup").iterdir()
    )


def test_once_checks_once(session: commands.Session, plan: Plan, recorded_checks: list[Path]) -> None:
    commands.start(session, plan.step(4))
    assert watch(session, once=True) == 1
    assert len(recorded_checks) == 1
    assert "keys:" not in output_of(session), "--once reads no keys, so it offers none"


def test_ctrl_c_restores_the_terminal(
    session: commands.Session, plan: Plan, recorded_checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pty = pytest.importorskip("pty", reason="a pseudo-terminal is POSIX-only")
    termios = pytest.importorskip("termios", reason="terminal modes are POSIX-only")
    commands.start(session, plan.step(4))
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "r", closefd=False) as terminal:
            before = termios.tcgetattr(follower)

            def interrupt(self: KeyReader, timeout: float) -> str | None:
                assert termios.tcgetattr(follower) != before, "keys are read without Enter"
                raise KeyboardInterrupt

            monkeypatch.setattr(KeyReader, "read", interrupt)
            watch(session, stdin=terminal, interval=0.01, debounce=0.02)
            assert termios.tcgetattr(follower) == before
    finally:
        os.close(leader)
        os.close(follower)
    assert "stopped watching" in output_of(session)


def test_a_check_in_progress_says_so_and_the_claims_that_hold_fold_into_one_line(
    session: commands.Session,
    plan: Plan,
    recorded_checks: list[Path],
) -> None:
    """Without a terminal, "checking step 04…" is one plain line before the result; the
    failing claim comes first and the one that holds is counted, not listed."""
    commands.start(session, plan.step(4))
    start = len(output_of(session))
    watch(session, once=True)
    text = output_of(session)[start:]
    lines = text.splitlines()
    assert lines[0] == "checking step 04…", lines
    failing, holding = lines.index("✘ no class anywhere  (class defined: Value)"), lines.index("✔ 1 claim holds")
    assert failing < holding, "failing claims first"
    assert "the program runs" not in text, "a claim that holds is folded into the count"
    assert "\x1b" not in text, "no spinner or cursor codes without a terminal"


def test_a_passing_check_folds_every_claim(session: commands.Session, plan: Plan, recorded_checks: list[Path]) -> None:
    commands.start(session, plan.step(4))
    learner_file = session.workspace.directory / plan.step(4).file_name
    learner_file.write_text(learner_file.read_text(encoding="utf-8") + "# FIXED\n", encoding="utf-8")
    start = len(output_of(session))
    watch(session, once=True)
    lines = output_of(session)[start:].splitlines()
    assert "✔ 2 claims hold" in lines and not any(line.startswith("✘") for line in lines)
    assert any(line.startswith("PASSES") for line in lines)


def test_the_checking_state_shows_the_seconds_on_a_terminal(plan: Plan) -> None:
    """On a terminal the state is a live spinner with the elapsed seconds, gone after."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=60)
    ticks = iter([100.0])
    with checking(console, plan.step(4), clock=lambda: next(ticks, 103.0)):
        pass
    assert "checking step 04… 3 s" in buffer.getvalue()
