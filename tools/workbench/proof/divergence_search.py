"""Find the first training step after which two programs' parameters differ.

Rerunning both programs with fewer training steps (num_steps = k) tells whether they
already disagree after k steps. Once parameters differ they stay different (every later
update reads them), so a binary search over k finds the first step in about log2(steps)
reruns; k = 0 tests the initialisation.
"""

from __future__ import annotations

from collections.abc import Callable

DiffersAfter = Callable[[int], bool | None]
"""Given k, whether the two programs' parameters differ after k training steps (None: unknown)."""


def first_divergent_step(differs_after: DiffersAfter, total_steps: int) -> int | None:
    """The smallest k in 0..total_steps after which the parameters differ, or None when they
    agree after total_steps or a probe could not be made."""
    final = differs_after(total_steps)
    if not final:
        return None
    low, high = 0, total_steps
    # Invariant: they differ after `high` steps; they agree after every k < low.
    while low < high:
        middle = (low + high) // 2
        verdict = differs_after(middle)
        if verdict is None:
            return None
        if verdict:
            high = middle
        else:
            low = middle + 1
    return high
