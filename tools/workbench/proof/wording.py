"""Sentences that teach: counts with correct plurals, failed claims grouped, drift explained.

A failed check is read by a newcomer on a projector. These functions turn the runner's
findings into short sentences: "1 of 3 claims does not hold", "both claims hold", the failed
claims grouped by kind with at most ten shown, and what it means when the output is
identical but the parameters are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

REORDERING_EXPLANATION = (
    "a floating-point operation was reordered or regrouped (for example `a*b/c` vs `a*(b/c)`, "
    "or a sum added in another order); the printed output hides it, the parameters do not"
)
CHANGED_ARITHMETIC_EXPLANATION = (
    "the parameters differ by far more than rounding: a constant, a formula or what it is "
    "applied to changed, not only the order of operations; the printed output, rounded to "
    "four decimals, hides it, the parameters do not"
)
ROUNDING_ULPS = 2**24
"""Up to this many ulps (a relative difference of about 4e-9) a difference can come from
rounding alone: a reordered sum moves the last bits and training carries that along
(hundreds to thousands of ulps after ten steps, 2.9e-12 absolute after 500). Beyond it the
arithmetic itself changed."""


def parameter_difference_meaning(ulps: int | None) -> str:
    """What a difference of `ulps` in the first differing parameter means (None: NaN)."""
    if ulps is not None and ulps <= ROUNDING_ULPS:
        return REORDERING_EXPLANATION
    return CHANGED_ARITHMETIC_EXPLANATION


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """'1 claim', '3 claims', '0 claims'."""
    return f"{count:,} {noun if count == 1 else (plural_noun or noun + 's')}"


def claims_summary(failed: int, total: int, noun: str = "claim") -> str:
    """'every claim holds', 'both claims hold', '1 of 3 claims does not hold', 'neither claim holds'."""
    if total == 0:
        return f"no {noun}s to check"
    if failed == 0:
        if total == 1:
            return f"the {noun} holds"
        return f"both {noun}s hold" if total == 2 else f"all {total:,} {noun}s hold"
    if failed == total:
        if total == 1:
            return f"the {noun} does not hold"
        return f"neither {noun} holds" if total == 2 else f"none of the {total:,} {noun}s holds"
    verb = "does not hold" if failed == 1 else "do not hold"
    return f"{failed:,} of {total:,} {noun}s {verb}"


@dataclass(frozen=True)
class FailedClaim:
    """A claim that does not hold: its kind (contract, exercise, lint, ...), its words, and why."""

    kind: str
    description: str
    detail: str = ""


def group_failed_claims(failed: Sequence[FailedClaim], limit: int = 10) -> list[str]:
    """Lines for the report: failed claims grouped by kind in first-seen order, at most `limit`
    claims shown, then 'and N more' for the rest."""
    kinds: dict[str, list[FailedClaim]] = {}
    for claim in failed:
        kinds.setdefault(claim.kind, []).append(claim)
    lines: list[str] = []
    shown = 0
    for kind, claims in kinds.items():
        if shown >= limit:
            break
        lines.append(f"{kind} ({len(claims):,}):")
        for claim in claims:
            if shown >= limit:
                break
            lines.append(f"  - {claim.description}" + (f": {claim.detail}" if claim.detail else ""))
            shown += 1
    rest = len(failed) - shown
    if rest > 0:
        lines.append(f"... and {plural(rest, 'more failed claim')}")
    return lines


def first_divergent_step_sentence(step: int | None, probed_up_to: int) -> str:
    """Where training first departs, as found by rerunning with fewer steps."""
    if step is None:
        return f"the parameters agree after every number of training steps tried up to {probed_up_to:,}"
    if step == 0:
        # With num_steps=0 only the initialisation and the code after the training loop run:
        # the final parameters differ in one of those two (sampling must not change them).
        return "the parameters already differ with no training step at all: in the initialisation, or in code after training that changes them"
    return f"the parameters first differ after training step {step:,} (a run with num_steps={step} differs, one with num_steps={step - 1} does not)"
