"""Each mistake of the corpus is blamed where it is, with the value that shows it; no correct
file is blamed: the plan's own steps and the proof's correct refactorings."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from proof.attempts import CORRECT, Attempt, correct_refactorings, load_sources

from workbench.runner.blame.model import MODULE, Blame
from workbench.runner.equivalence import REPLAY

from .conftest import Blamer, Checker
from .mistakes import DATA, MISTAKES, ROOT, STEP_FILES, Mistake


def test_the_corpus_has_two_mistakes_per_phase_in_functions_and_in_module_code() -> None:
    phases = Counter(mistake.phase for mistake in MISTAKES)
    assert all(count >= 2 for count in phases.values()) and len(phases) == 5
    for phase in phases:
        places = {mistake.function == MODULE for mistake in MISTAKES if mistake.phase == phase}
        assert places == ({True} if phase == DATA else {True, False}), phase
    for mistake in MISTAKES:
        assert mistake.source() != (ROOT / STEP_FILES[mistake.step]).read_text(encoding="utf-8")


SHORT_RUN_MISTAKES = [mistake for mistake in MISTAKES if not mistake.only_after_short_run]
LATER_MISTAKES = [mistake for mistake in MISTAKES if mistake.only_after_short_run]


@pytest.mark.slow
@pytest.mark.runner
@pytest.mark.parametrize("mistake", SHORT_RUN_MISTAKES, ids=lambda mistake: mistake.id)
def test_a_mistake_is_blamed_where_it_is(mistake: Mistake, blame_file: Blamer, tmp_path: Path) -> None:
    replay, blame = blame_file(mistake.write(tmp_path), mistake.step)
    assert blame is not None, replay
    assert replay.claim is None or replay.claim.holds == (not replay.differing)
    assert_blamed_where_it_is(mistake, blame, functions_agree=not replay.differing)


@pytest.mark.slow
@pytest.mark.runner
@pytest.mark.parametrize("mistake", LATER_MISTAKES, ids=lambda mistake: mistake.id)
def test_a_mistake_that_shows_after_the_short_run_is_blamed_by_the_check(
    mistake: Mistake, blame_file: Blamer, check_file: Checker, tmp_path: Path
) -> None:
    """The short run of 2 training steps blames nothing; the check, knowing the first
    differing training step, blames the place over that many steps."""
    path = mistake.write(tmp_path)
    replay, blame = blame_file(path, mistake.step)
    assert blame is None and replay.claim is not None and replay.claim.holds, blame
    explanation = check_file(path, mistake.step)
    searched = explanation.first_training_step
    assert searched is not None and searched.step is not None and searched.step > 2
    assert explanation.blame is not None, explanation.result.summary
    [claim] = [claim for claim in explanation.result.contract if claim.kind == REPLAY]
    assert_blamed_where_it_is(mistake, explanation.blame, functions_agree=claim.holds)


def assert_blamed_where_it_is(mistake: Mistake, blame: Blame, *, functions_agree: bool) -> None:
    assert blame.function == mistake.function, blame.sentence
    assert mistake.call is not None and blame.call is not None and mistake.call in blame.call, blame.sentence
    assert blame.expected is not None and blame.got is not None and blame.expected != blame.got
    assert blame.sentence.split(": ")[0].count(blame.function if blame.function != MODULE else "module-level") == 1
    if mistake.shows is not None:
        assert mistake.shows in blame.sentence, blame.sentence
    if mistake.function == MODULE:
        assert blame.phase == mistake.module_phase, blame.sentence
        assert blame.line is not None
        assert functions_agree, "a module-level mistake leaves every function agreeing"
    else:
        assert not functions_agree
        defined_at = mistake.source().splitlines()[blame.line - 1] if blame.line else ""
        assert defined_at.startswith(f"def {mistake.function}("), blame
        assert blame.sentence.startswith(f"your {mistake.function} differs on its {blame.call}: ")


@pytest.mark.slow
@pytest.mark.runner
def test_an_unshuffled_file_is_shown_the_document_the_reference_starts_with(
    blame_file: Blamer, tmp_path: Path, names_file: Path
) -> None:
    """The first differing value is the reference program's own: its first document after
    random.seed(42) and one shuffle, computed here independently of the recording."""
    [mistake] = [mistake for mistake in MISTAKES if mistake.id == "no-shuffle"]
    _, blame = blame_file(mistake.write(tmp_path), mistake.step)
    documents = [line.strip() for line in names_file.read_text(encoding="utf-8").strip().split("\n") if line.strip()]
    unshuffled_first = documents[0]
    random.seed(42)
    random.shuffle(documents)
    assert blame is not None
    assert (blame.expected, blame.got) == (repr(documents[0]), repr(unshuffled_first))


@pytest.mark.slow
@pytest.mark.runner
@pytest.mark.parametrize("step", [2, 6, 7, 8, 11])
def test_the_plans_own_steps_blame_nothing(step: int, blame_file: Blamer) -> None:
    replay, blame = blame_file(ROOT / STEP_FILES[step], step)
    assert blame is None and replay.problem is None
    if step <= 2:  # every function of steps 01-02 works on Value objects: none is replayed, and a note says so
        assert replay.claim is None and replay.not_replayed
    else:
        assert replay.claim is not None and replay.claim.holds


@pytest.mark.slow
@pytest.mark.runner
@pytest.mark.parametrize("attempt", correct_refactorings(load_sources()), ids=lambda attempt: attempt.id)
def test_the_proofs_correct_refactorings_blame_nothing(attempt: Attempt, blame_file: Blamer, tmp_path: Path) -> None:
    assert attempt.kind == CORRECT
    path = tmp_path / attempt.file_name
    path.write_text(attempt.source, encoding="utf-8")
    replay, blame = blame_file(path, attempt.step)
    assert blame is None, blame
    assert replay.problem is None


@pytest.mark.slow
@pytest.mark.runner
def test_a_loss_the_printed_line_hides_is_blamed_on_the_forward_pass(blame_file: Blamer, tmp_path: Path) -> None:
    """Summing the per-position losses in another order changes the loss beyond the four
    decimals the loss line prints: the blame shows the float that departs."""
    [mistake] = [mistake for mistake in MISTAKES if mistake.id == "losses-summed-backwards"]
    _, blame = blame_file(mistake.write(tmp_path), mistake.step)
    assert blame is not None and blame.expected is not None and blame.got is not None
    expected, got = (float(value.split(" ")[0]) for value in (blame.expected, blame.got))
    assert expected != got and f"{expected:.4f}" == f"{got:.4f}"
    assert f"expected {blame.expected}, got {blame.got}" in blame.sentence
