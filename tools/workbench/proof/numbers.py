"""Numbers a learner can read: the decimal first, the exact bits second, and how far apart.

"expected 0.1 (0x1.999999999999ap-4), got 0.10000000000000002 (0x1.999999999999bp-4),
1 ulp apart": the decimal says what the number is, the hex says it exactly, and the distance
says whether this is rounding. A distance is counted in ulps (representable doubles between
the two) only while that count is small enough to mean rounding; beyond it the relative
difference says more ("relative difference 1", never "4,607,182,418,800,017,408 ulps").
"""

from __future__ import annotations

import math
import struct

SMALL_ULPS = 2**20
"""Up to this many ulps (a relative difference of about 2e-10) a distance is said in ulps."""


def _ordered_bits(value: float) -> int:
    """An integer that orders like the float: adjacent doubles are adjacent integers."""
    bits: int = struct.unpack("<q", struct.pack("<d", value))[0]
    return -(2**63) - bits if bits < 0 else bits


def ulps_between(expected: float, got: float) -> int | None:
    """Representable doubles between two floats (0 when equal, 1 for neighbours); None for NaN."""
    if math.isnan(expected) or math.isnan(got):
        return None
    return abs(_ordered_bits(expected) - _ordered_bits(got))


def number_text(value: object) -> str:
    """'-0.0123 (-0x1.92a737110e454p-7)' for a float, '4,071' for an int, repr for the rest."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 80 else text[:79] + "…"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value!r} ({value.hex()})"


def distance_text(expected: float, got: float) -> str:
    """'1 ulp apart', '3,210 ulps apart', 'relative difference 2.5e-03' or 'not comparable (NaN)'."""
    ulps = ulps_between(float(expected), float(got))
    if ulps is None:
        return "not comparable (NaN)"
    if ulps <= SMALL_ULPS:
        return f"{ulps:,} ulp{'s' if ulps != 1 else ''} apart"
    if math.isinf(expected) or math.isinf(got):
        return "one of them is infinite"
    relative = abs(float(expected) - float(got)) / max(abs(float(expected)), abs(float(got)))
    return f"relative difference {relative:.2g}"


def number_pair(expected: object, got: object) -> str:
    """'expected 0.5 (0x1.0000000000000p-1), got 0.25 (0x1.0000000000000p-2), relative difference 0.5'."""
    text = f"expected {number_text(expected)}, got {number_text(got)}"
    both_numbers = all(isinstance(value, int | float) and not isinstance(value, bool) for value in (expected, got))
    if both_numbers and (isinstance(expected, float) or isinstance(got, float)):
        assert isinstance(expected, int | float) and isinstance(got, int | float)
        text += f", {distance_text(expected, got)}"
    return text
