"""Claims carry forward: step NN must still meet what steps 01..NN-1 established.

A step's contract says what its code shows ("no uchars left", "defines tape_backward"). A
learner's step 11 that quietly goes back to `uchars.index()` meets step 11's own contract,
so each later step inherits every earlier claim, with two adjustments from the plan data:

- renames: a claim about `gpt` made at step 04 is about `gpt_value` once step 05 renames
  `gpt` to `gpt_value` (exact names follow renames; wildcard patterns stay as written);
- retirements: a step may retire an earlier claim that it deliberately ends (step 07 deletes
  the Value class that steps 01-06 were required to keep). A retirement names the step, the
  check, optionally the function, and optionally some of the names, which are then dropped
  from the claim while the rest of it carries on.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.plan import ContractItem


@dataclass(frozen=True)
class Retirement:
    """An earlier claim that a step ends: which step made it, its check, and what to drop."""

    step: int
    check: str
    function: str | None = None
    names: tuple[str, ...] = ()
    """Empty: the whole claim ends. Otherwise only these names leave it."""

    def matches(self, origin: int, item: ContractItem) -> bool:
        return origin == self.step and item.check == self.check and (self.function is None or self.function == item.function)


@dataclass(frozen=True)
class CarriedClaim:
    """A claim checked at some step: the claim as it reads there, and the step that made it."""

    origin: int
    item: ContractItem

    def describe(self, current: int) -> str:
        """The claim in words; with '(from step 02)' when an earlier step made it."""
        own = self.item.describe()
        return own if self.origin == current else f"{own} (from step {self.origin:02d})"


def _is_pattern(text: str) -> bool:
    return any(character in text for character in "*?[")


def _rename(item: ContractItem, renames: Mapping[str, str]) -> ContractItem:
    def follow(name: str) -> str:
        return name if _is_pattern(name) else renames.get(name, name)

    return dataclasses.replace(
        item,
        names=tuple(follow(name) for name in item.names),
        function=None if item.function is None else follow(item.function),
        patterns=tuple(follow(pattern) for pattern in item.patterns),
    )


def _retire(claim: CarriedClaim, retirements: Sequence[Retirement]) -> CarriedClaim | None:
    for retirement in retirements:
        if not retirement.matches(claim.origin, claim.item):
            continue
        if not retirement.names:
            return None
        kept = tuple(name for name in claim.item.names if not any(fnmatch.fnmatchcase(name, dropped) for dropped in retirement.names))
        if not kept:
            return None
        claim = CarriedClaim(claim.origin, dataclasses.replace(claim.item, names=kept))
    return claim


@dataclass(frozen=True)
class StepClaims:
    """What carry-forward needs of one step: its number, contract, renames and retirements."""

    number: int
    contract: tuple[ContractItem, ...]
    renames: Mapping[str, str]
    retirements: tuple[Retirement, ...] = ()


def claims_at(steps: Sequence[StepClaims], number: int) -> list[CarriedClaim]:
    """Every claim that applies at step `number`: its own first, then earlier steps' that carry forward.

    `steps` are the plan's steps in order. A claim made at step K is renamed by the renames
    of steps K+1..number and dropped (wholly or in part) by their retirements.
    """
    carried: list[CarriedClaim] = []
    for step in steps:
        if step.number > number:
            break
        carried = [CarriedClaim(claim.origin, _rename(claim.item, step.renames)) for claim in carried]
        survivors = [_retire(claim, step.retirements) for claim in carried]
        carried = [claim for claim in survivors if claim is not None]
        carried.extend(CarriedClaim(step.number, item) for item in step.contract)
    own = [claim for claim in carried if claim.origin == number]
    inherited = [claim for claim in carried if claim.origin != number]
    return own + inherited
