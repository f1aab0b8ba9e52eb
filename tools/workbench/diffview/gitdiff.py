"""Line diffs matched as git matches them, so a page's counts equal `git diff --numstat`'s.

difflib and git's xdiff both find a short edit script, but not always the same one: xdiff
sets aside lines that occur in only one file before matching, and difflib does not, so on
step 07 difflib pairs two more lines than git does (+22 −142 against git's +24 −144 on
the exported repository). Where the learner compares the handout with the exported
repository, the handout asks git for the matching (`git diff --no-index -U0`, git's
default algorithm, no user configuration) and builds the same TextDiff from it.
Without git, it falls back to difflib's matching and says so.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.diffview.textdiff import Opcode, TextDiff, diff_lines

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class MatchedDiff:
    diff: TextDiff
    by_git: bool
    """False when git was not available and difflib matched the lines instead."""


def _git_environment() -> dict[str, str]:
    """The user's environment without git's own settings: no configuration, no pager."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"})
    return environment


def git_opcodes(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[Opcode] | None:
    """The matching of the lines as `git diff` finds it, as difflib opcodes; None without git."""
    with tempfile.TemporaryDirectory(prefix="workbench-gitdiff-") as scratch:
        old_path, new_path = Path(scratch) / "old", Path(scratch) / "new"
        old_path.write_text("".join(f"{line}\n" for line in old_lines), encoding="utf-8")
        new_path.write_text("".join(f"{line}\n" for line in new_lines), encoding="utf-8")
        command = [
            "git",
            "diff",
            "--no-index",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--diff-algorithm=myers",
            "-U0",
            "--",
            str(old_path),
            str(new_path),
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                check=False,
                env=_git_environment(),
                cwd=scratch,
                stdin=subprocess.DEVNULL,
            )
        except OSError:
            return None
    if completed.returncode not in (0, 1):
        return None
    return opcodes_from_hunks(
        completed.stdout.decode("utf-8", errors="replace").splitlines(), len(old_lines), len(new_lines)
    )


def opcodes_from_hunks(diff_text: Sequence[str], old_count: int, new_count: int) -> list[Opcode]:
    """difflib opcodes from the hunk headers of a -U0 unified diff of files of these lengths."""
    opcodes: list[Opcode] = []
    old_at = new_at = 0
    for line in diff_text:
        match = _HUNK_HEADER.match(line)
        if match is None:
            continue
        old_start, new_start = int(match[1]), int(match[3])
        old_length = 1 if match[2] is None else int(match[2])
        new_length = 1 if match[4] is None else int(match[4])
        # An empty range names the line before it (the unified diff convention).
        old_first = old_start if old_length == 0 else old_start - 1
        new_first = new_start if new_length == 0 else new_start - 1
        if old_first > old_at:
            opcodes.append(("equal", old_at, old_first, new_at, new_at + old_first - old_at))
        old_last, new_last = old_first + old_length, new_first + new_length
        if old_length == 0:
            opcodes.append(("insert", old_first, old_last, new_first, new_last))
        elif new_length == 0:
            opcodes.append(("delete", old_first, old_last, new_first, new_last))
        else:
            opcodes.append(("replace", old_first, old_last, new_first, new_last))
        old_at, new_at = old_last, new_last
    if old_at < old_count:
        opcodes.append(("equal", old_at, old_count, new_at, new_count))
    return opcodes


def git_diff_lines(old_lines: Sequence[str], new_lines: Sequence[str], context: int = 3) -> MatchedDiff:
    """diff_lines with git's matching (difflib's where git is missing)."""
    opcodes = git_opcodes(old_lines, new_lines)
    return MatchedDiff(diff_lines(old_lines, new_lines, context, opcodes=opcodes), by_git=opcodes is not None)
