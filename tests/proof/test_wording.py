"""Counts read correctly, failed claims are grouped and capped, the search finds the first step."""

from __future__ import annotations

from workbench.proof.divergence_search import first_divergent_step
from workbench.proof.wording import (
    FailedClaim,
    claims_summary,
    first_divergent_step_sentence,
    group_failed_claims,
    parameter_difference_meaning,
    plural,
)


def test_plurals_and_claim_counts_read_as_english() -> None:
    assert (
        plural(1, "claim") == "1 claim" and plural(2, "claim") == "2 claims" and plural(1200, "claim") == "1,200 claims"
    )
    assert claims_summary(0, 2) == "both claims hold"
    assert claims_summary(0, 1) == "the claim holds"
    assert claims_summary(0, 5) == "all 5 claims hold"
    assert claims_summary(1, 3) == "1 of 3 claims does not hold"
    assert claims_summary(2, 3) == "2 of 3 claims do not hold"
    assert claims_summary(2, 2) == "neither claim holds"
    assert claims_summary(4, 4) == "none of the 4 claims holds"


def test_failed_claims_are_grouped_by_kind_and_capped() -> None:
    failed = [FailedClaim("contract", f"no name{index} left", "line 3") for index in range(8)]
    failed += [FailedClaim("lint", f"rule {index}") for index in range(6)]
    lines = group_failed_claims(failed, limit=10)
    assert lines[0] == "contract (8):"
    assert lines[9] == "lint (6):"
    assert sum(line.startswith("  - ") for line in lines) == 10
    assert lines[-1] == "... and 4 more failed claims"


def test_the_search_finds_the_first_divergent_step_in_few_probes() -> None:
    for first in (0, 1, 3, 7, 10):
        probes: list[int] = []

        def differs_after(steps: int, first: int = first, probes: list[int] = probes) -> bool:
            probes.append(steps)
            return steps >= first

        assert first_divergent_step(differs_after, 10) == first
        assert len(probes) <= 5
    assert first_divergent_step(lambda steps: False, 10) is None
    assert first_divergent_step(lambda steps: None if steps < 10 else True, 10) is None


def test_the_first_step_sentence_does_not_blame_the_initialisation_alone() -> None:
    """With num_steps=0, code after the training loop still runs: a sampling loop that
    writes into the parameters makes them differ too, so step 0 names both places."""
    assert "initialisation, or in code after training" in first_divergent_step_sentence(0, 10)
    assert (
        first_divergent_step_sentence(3, 10)
        == "the parameters first differ after training step 3 (a run with num_steps=3 differs, one with num_steps=2 does not)"
    )
    assert (
        first_divergent_step_sentence(None, 10)
        == "the parameters agree after every number of training steps tried up to 10"
    )


def test_the_meaning_of_a_parameter_difference_depends_on_its_size() -> None:
    """A few thousand ulps is what a reordered sum leaves after ten steps; 6e15 ulps (eps
    changed from 1e-8 to 1e-9) is a changed constant, and must not be called a reordering."""
    assert "reordered or regrouped" in parameter_difference_meaning(5016)
    assert "far more than rounding" in parameter_difference_meaning(5_942_454_182_594_264)
    assert "far more than rounding" in parameter_difference_meaning(None)
