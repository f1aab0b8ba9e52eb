"""Naming a flat parameter index and measuring float distances in ulps."""

from __future__ import annotations

import math

from workbench.proof.parameter_places import first_difference, locate, ulps_between

LAYOUT = [("wte", 3, 4), ("wpe", 2, 4), ("layer0.attn_wq", 4, 4)]


def test_locate_names_matrix_row_and_column() -> None:
    assert locate(LAYOUT, 0).describe() == "wte[0][0] (flat index 0)"  # type: ignore[union-attr]
    assert locate(LAYOUT, 11).describe() == "wte[2][3] (flat index 11)"  # type: ignore[union-attr]
    assert locate(LAYOUT, 12).describe() == "wpe[0][0] (flat index 12)"  # type: ignore[union-attr]
    place = locate(LAYOUT, 20 + 4 * 3 + 1)
    assert place is not None and (place.matrix, place.row, place.column) == ("layer0.attn_wq", 3, 1)
    assert locate(LAYOUT, 36) is None


def test_ulps_between_neighbours_and_across_zero() -> None:
    assert ulps_between(1.0, 1.0) == 0
    assert ulps_between(1.0, math.nextafter(1.0, 2.0)) == 1
    assert ulps_between(1.0, math.nextafter(math.nextafter(1.0, 0.0), 0.0)) == 2
    assert ulps_between(0.0, -0.0) == 0
    assert ulps_between(5e-324, -5e-324) == 2
    assert ulps_between(float("nan"), 1.0) is None


def test_first_difference_names_the_place_and_counts_the_rest() -> None:
    expected = [float(index).hex() for index in range(36)]
    got = list(expected)
    got[13] = math.nextafter(13.0, 14.0).hex()
    got[30] = (31.0).hex()
    difference = first_difference(expected, got, LAYOUT)
    assert difference is not None
    assert difference.describe() == (
        f"first differing parameter: wpe[0][1] (flat index 13): expected 13.0 ({(13.0).hex()}), "
        f"got {math.nextafter(13.0, 14.0)!r} ({math.nextafter(13.0, 14.0).hex()}), 1 ulp apart; 2 of 36 parameters differ"
    )
    assert first_difference(expected, list(expected), LAYOUT) is None
