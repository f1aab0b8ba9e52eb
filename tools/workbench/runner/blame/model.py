"""The place at fault, as the runner's results and records carry it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MODULE = "<module>"
"""The function name of a blame that falls on module-level code."""


@dataclass(frozen=True)
class Blame:
    """The place at fault: a function of the learner's file (or `<module>`), and what shows it."""

    function: str
    line: int | None
    call: str | None
    """'first call (training step 1)' for a function, 'training step 1' for module-level code."""
    expected: str | None
    got: str | None
    sentence: str
    """The one line a learner reads first."""
    phase: str | None = None

    def as_record(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "line": self.line,
            "call": self.call,
            "expected": self.expected,
            "got": self.got,
            "phase": self.phase,
            "summary": self.sentence,
        }
