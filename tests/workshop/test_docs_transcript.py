"""docs/workshop.md shows a failing check of step 07; it must be what the check prints.

The page leaves some claims out (lines of "..."), and the terminal may wrap long lines at
another width, so the test compares logical lines (a wrapped line joined to the line it
continues) and asks that the page's lines appear in the real output, in the same order."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

COMMAND = "$ python tools/workshop.py check"


def documented_transcript(page: Path) -> list[str]:
    """The lines of the code block that starts with the check command, without it."""
    blocks: list[list[str]] = []
    inside = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            if inside:
                blocks.append([])
        elif inside:
            blocks[-1].append(line)
    (block,) = [block for block in blocks if block[:1] == [COMMAND]]
    return block[1:]


def logical_lines(lines: list[str]) -> list[str]:
    """Join each wrapped continuation (indented by two spaces) to the line before it;
    leave out the page's '...' and blank lines."""
    joined: list[str] = []
    for line in lines:
        if line.startswith("  ") and joined and not line.startswith("  ─"):
            joined[-1] = f"{joined[-1]} {line.strip()}"
        elif line.strip() not in ("", "..."):
            joined.append(line.rstrip())
    return joined


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """The expected lines that are not found in the actual lines in the same order."""
    missing: list[str] = []
    position = 0
    for line in expected:
        try:
            position = actual.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_missing_in_order_notices_a_changed_and_a_reordered_line() -> None:
    actual = ["a", "b", "c"]
    assert missing_in_order(["a", "c"], actual) == []
    assert missing_in_order(["a", "x"], actual) == ["x"]
    assert missing_in_order(["c", "a"], actual) == ["a"]


@pytest.mark.runner
def test_the_documented_check_of_step_07_is_what_the_check_prints(run_workshop: Run, project_root: Path) -> None:
    expected = logical_lines(documented_transcript(project_root / "docs" / "workshop.md"))
    assert run_workshop("start", "07", "--from-reference").returncode == 0
    completed = run_workshop("--no-color", "check")
    assert completed.returncode == 1, completed.stderr
    actual = logical_lines(completed.stdout.splitlines())
    assert missing_in_order(expected, actual) == [], completed.stdout
