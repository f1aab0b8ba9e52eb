"""Compare what a learner's function produced with what the reference's produced.

Plain data only (numbers, strings, lists, tuples, dicts, ranges): the recordings hold
nothing else. Numbers are compared by their bits (float.hex), so 0.1 + 0.2 and 0.3 differ;
an int and a float with the same value agree (the snapshots mix `0` and `0.0` freely and the
program's own output check sees any effect). At a `print` step a relative drift up to the
plan's tolerance is allowed. Standard library only: it runs in the replay subprocess too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

SEQUENCES = (list, tuple, range)


@dataclass(frozen=True)
class Difference:
    """Where two values first differ (a path such as `[0][4071]`), and the two values there."""

    path: str
    expected: Any
    got: Any
    """The values at `path`; for a length mismatch, the two lengths."""
    what: str = "value"
    """'value', 'length', 'keys' or 'type'."""


def numbers_agree(expected: float, got: float, tolerance: float | None) -> bool:
    if float(expected).hex() == float(got).hex():
        return True
    if tolerance is None or not (math.isfinite(expected) and math.isfinite(got)):
        return False
    return abs(expected - got) <= tolerance * max(abs(expected), abs(got))


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def first_difference(expected: Any, got: Any, tolerance: float | None = None, path: str = "") -> Difference | None:
    """The first place, depth first and in order, where `got` differs from `expected`; None when they agree."""
    if is_number(expected) and is_number(got):
        return None if numbers_agree(expected, got, tolerance) else Difference(path, expected, got)
    if isinstance(expected, SEQUENCES) and isinstance(got, SEQUENCES):
        if len(expected) != len(got):
            return Difference(path, len(expected), len(got), "length")
        if type(expected) is type(got) and type(expected) is not range and expected == got:
            # Equal by == (fast, in C): within any tolerance, and only 0.0 against -0.0 could
            # still hide here. A print step's replay compares megabytes of tape this way.
            return None
        for index, (left, right) in enumerate(zip(expected, got)):
            found = first_difference(left, right, tolerance, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got):
            return Difference(path, sorted(map(str, expected)), sorted(map(str, got)), "keys")
        for key in expected:
            found = first_difference(expected[key], got[key], tolerance, f"{path}[{key!r}]")
            if found is not None:
                return found
        return None
    if type(expected) is not type(got) and not (isinstance(expected, SEQUENCES) and isinstance(got, SEQUENCES)):
        return Difference(path, expected, got, "type")
    return None if expected == got else Difference(path, expected, got)
