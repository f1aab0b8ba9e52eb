"""Name a parameter by its place in the model, and say how far apart two floats are.

The runner compares final parameters as one flat list of floats. A learner needs more than
"index 1234 differs": the matrix it belongs to, its row and column, the two values as
float.hex, and how many representable doubles lie between them (units in the last place).
The layout, an ordered list of (matrix name, rows, columns), comes from the program itself,
so nothing here knows the model's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.proof.numbers import number_pair
from workbench.proof.numbers import ulps_between as ulps_between

MatrixLayout = tuple[str, int, int]
"""(matrix name, number of rows, number of columns), in the order the flat list holds them."""


@dataclass(frozen=True)
class ParameterPlace:
    """Where one flat index lives: `layer0.attn_wq[3][5]`, flat index 1234."""

    matrix: str
    row: int
    column: int
    flat_index: int

    def describe(self) -> str:
        return f"{self.matrix}[{self.row}][{self.column}] (flat index {self.flat_index})"


def locate(layout: Sequence[MatrixLayout], flat_index: int) -> ParameterPlace | None:
    """The place of `flat_index` in a model laid out as `layout`; None past its end."""
    start = 0
    for matrix, rows, columns in layout:
        size = rows * columns
        if flat_index < start + size and columns > 0:
            offset = flat_index - start
            return ParameterPlace(matrix=matrix, row=offset // columns, column=offset % columns, flat_index=flat_index)
        start += size
    return None


@dataclass(frozen=True)
class ParameterDifference:
    """The first parameter that differs, and how many differ in all."""

    flat_index: int
    place: ParameterPlace | None
    expected: float
    got: float
    ulps: int | None
    differing_count: int
    total_count: int

    def describe(self) -> str:
        where = self.place.describe() if self.place is not None else f"flat index {self.flat_index}"
        return (
            f"first differing parameter: {where}: {number_pair(self.expected, self.got)}; "
            f"{self.differing_count:,} of {self.total_count:,} parameters differ"
        )


def first_difference(
    expected_hex: Sequence[str], got_hex: Sequence[str], layout: Sequence[MatrixLayout] | None = None
) -> ParameterDifference | None:
    """The first index where two parameter lists (float.hex strings) differ; None when equal.

    Lists of different lengths differ at the first index past the shorter one's end only if
    everything before agrees; callers report a length mismatch separately.
    """
    differing = [index for index, (left, right) in enumerate(zip(expected_hex, got_hex)) if left != right]
    if not differing:
        return None
    first = differing[0]
    expected = float.fromhex(expected_hex[first])
    got = float.fromhex(got_hex[first])
    return ParameterDifference(
        flat_index=first,
        place=locate(layout, first) if layout is not None else None,
        expected=expected,
        got=got,
        ulps=ulps_between(expected, got),
        differing_count=len(differing),
        total_count=min(len(expected_hex), len(got_hex)),
    )
