"""The proof is not fooled: every attempt of tests/proof/attempts.py is caught, and every
correct refactoring passes.

Each attempt poses as step NN with output identical to the original's: new code nobody
calls yet, a borrowed run, hidden state, a regression of an earlier step, a file that only
works under the defaults. The runner is used as a learner would (`run_step.py FILE --as NN
--profile quick --json`, and `--prove`), in a private cache seeded with the dataset:
- a structural attempt fails the plain check, and the claim that fails names the exercise,
  the lint rule or the earlier step's claim, with the function, buffer or name at fault;
- an attempt specialised to the defaults passes the plain check (only another
  configuration can show it) but fails under the held setting of the proof's matrix aimed
  at it (the very run --prove makes); one of them goes through `--prove` end to end and is
  not proved, naming that setting;
- correct refactorings (commuted operands, exact regroupings, renamed locals) pass, and
  one of them is proved.

The tests without a program run check that each attempt is what it claims to be: it keeps
its own step's contract, adds no lint violation the plan forbids at its step except its
own, and is caught by its catcher called directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workbench.contracts import check_contract
from workbench.lint.api import lint_source
from workbench.lint.rules import RULE_NAMES
from workbench.paths import installed_root
from workbench.proof.definitions import load_definitions
from workbench.proof.exercises import EXERCISES, MODEL_CONSTANTS, run_exercise
from workbench.proof.held_settings import HELD_SETTINGS, VARIANT_DATASET, HeldSetting
from workbench.proof.isolated import run_exercises
from workbench.proof.variant_names import variant_names_text
from workbench.runner.check import SPOT_SETTING
from workbench.runner.judge import exercise_origins

from .attempts import (
    CARRIED_CLAIM,
    CORRECT,
    CRASHES,
    EXERCISE,
    IMPOSSIBLE,
    LINT_HIDDEN_STATE,
    LINT_NO_DYNAMIC_EXECUTION,
    PRINTED_OUTPUT_EXPOSURES,
    SPECIALISED,
    Attempt,
    CapturedRun,
    Exposure,
    MutationError,
    by_id,
    capture_run,
    correct_refactorings,
    coverage_gaps,
    fooling_attempts,
    insert_before,
    load_sources,
    printed_output_attempt,
    rename_local,
    replace_once,
)

PROJECT_ROOT = installed_root()

RUN_STEP = PROJECT_ROOT / "tools" / "run_step.py"
PARALLEL_RUNS = 2
RUN_TIMEOUT_SECONDS = 900

runs_many_programs = pytest.mark.slow
"""The tests below that run dozens of programs (quick profile; about two minutes on two idle
cores). Marked `slow` so that `-m "not slow"` stays fast; select them with `-m slow`."""

SOURCES = load_sources()
FOOLING = fooling_attempts(SOURCES)
CORRECT_REFACTORINGS = correct_refactorings(SOURCES)
PRINTED_IDS = [f"{SOURCES.phase(step)}-specialised-replays-the-default-run" for step in PRINTED_OUTPUT_EXPOSURES]
"""Known before the runs they replay are captured (see printed_output_attempt)."""
EXPOSED_IDS = [attempt.id for attempt in FOOLING if attempt.exposure is not None] + PRINTED_IDS


# --- what each attempt is, checked without running it ---------------------------------------


def test_every_kind_has_an_attempt_in_every_phase_where_it_can_exist() -> None:
    phases = sorted({SOURCES.phase(step.number) for step in SOURCES.plan.steps})
    assert phases == ["A", "B", "C", "D"]
    replays = [(SPECIALISED, SOURCES.phase(step)) for step in PRINTED_OUTPUT_EXPOSURES]
    assert coverage_gaps(FOOLING, phases, also_present=replays) == []
    for kind, phase in IMPOSSIBLE:
        assert not any(attempt.kind == kind and attempt.phase == phase for attempt in FOOLING), (kind, phase)


def test_ids_are_unique_and_start_with_their_phase() -> None:
    every = [*FOOLING, *CORRECT_REFACTORINGS]
    assert len(by_id(every)) == len(every)
    assert not set(PRINTED_IDS) & {attempt.id for attempt in every}
    for attempt in every:
        assert attempt.id.startswith(f"{attempt.phase}-"), attempt.id
        assert attempt.phase == SOURCES.phase(attempt.step)


def test_a_moved_anchor_stops_the_builder() -> None:
    source = "def f(x):\n    y = x * 2\n    return y\n\ndef g(x):\n    y = x * 2\n    return y\n"
    with pytest.raises(MutationError, match="exactly once"):
        replace_once(source, "y = x * 2", "y = 2 * x")
    with pytest.raises(MutationError, match="found it 0 times"):
        replace_once(source, "y = x * 3", "y = 3 * x", within="f")
    with pytest.raises(MutationError, match="one module-level function h"):
        replace_once(source, "y = x * 2", "y = 2 * x", within="h")
    with pytest.raises(MutationError, match="no z to rename"):
        rename_local(source, "f", "z", "w")
    assert replace_once(source, "y = x * 2", "y = 2 * x", within="g").count("y = 2 * x") == 1
    assert insert_before(source, "def g(x):", "# g\n").count("# g\ndef g(x):") == 1
    assert rename_local(source, "g", "y", "doubled").count("doubled") == 2


@pytest.mark.parametrize("attempt", [*FOOLING, *CORRECT_REFACTORINGS], ids=lambda attempt: attempt.id)
def test_each_attempt_keeps_its_own_step_s_contract(attempt: Attempt) -> None:
    """Otherwise the plain run would already report it INCOMPLETE."""
    failures = [
        result.description
        for result in check_contract(attempt.source, SOURCES.plan.step(attempt.step).contract)
        if not result.passed
    ]
    assert failures == []


def _rule_increase(attempt: Attempt) -> dict[str, int]:
    before = Counter(violation.name for violation in lint_source(SOURCES.step(attempt.step), "step.py"))
    after = Counter(violation.name for violation in lint_source(attempt.source, attempt.file_name))
    return {name: after[name] - before[name] for name in after if after[name] > before[name]}


@pytest.mark.parametrize("attempt", [*FOOLING, *CORRECT_REFACTORINGS], ids=lambda attempt: attempt.id)
def test_each_attempt_adds_no_violation_its_step_forbids_except_its_own(attempt: Attempt) -> None:
    """Each attempt has one catcher: besides its own rule, it trips no lint rule that is
    mandatory at its step (zero_from <= step, what --as will carry). A correct refactoring
    adds no violation at all."""
    own = attempt.check if attempt.caught_by in (LINT_HIDDEN_STATE, LINT_NO_DYNAMIC_EXECUTION) else None
    zero_from = SOURCES.plan.lint_zero_from
    increase = _rule_increase(attempt)
    if attempt.kind == CORRECT:
        assert increase == {}
    offending = {
        name: count for name, count in increase.items() if name != own and zero_from.get(name, 0) <= attempt.step
    }
    assert offending == {}


@pytest.mark.parametrize("attempt", [a for a in FOOLING if a.caught_by == EXERCISE], ids=lambda attempt: attempt.id)
def test_dead_new_code_fails_its_exercise_and_the_message_names_the_function(attempt: Attempt) -> None:
    detail = run_exercise(attempt.check, load_definitions(attempt.source, attempt.file_name, MODEL_CONSTANTS))
    assert detail is not None
    assert any(detail.startswith(name) for name in attempt.named), detail


@pytest.mark.parametrize("attempt", CORRECT_REFACTORINGS, ids=lambda attempt: attempt.id)
def test_no_correct_refactoring_fails_an_exercise(attempt: Attempt) -> None:
    """Every exercise the plan carries to the attempt's step, as the check runs them (under
    the step's names, against the plan's snapshot of their step once the file has no Value path)."""
    plan = SOURCES.plan
    origins = exercise_origins(plan, plan.claims_at(attempt.step), attempt.step)
    outcomes = run_exercises(attempt.source, attempt.file_name, list(origins), origins=origins)
    assert {outcome.name: outcome.detail for outcome in outcomes if not outcome.holds} == {}
    assert attempt.step < 3 or outcomes, "from step 03 on every step carries an exercise"


@pytest.mark.parametrize(
    "attempt", [a for a in FOOLING if a.caught_by == LINT_HIDDEN_STATE], ids=lambda attempt: attempt.id
)
def test_hidden_state_is_flagged_by_the_linter_naming_the_buffer(attempt: Attempt) -> None:
    assert _rule_increase(attempt).get("hidden-state", 0) > 0
    messages = [
        violation.message for violation in lint_source(attempt.source, attempt.file_name, select=["hidden-state"])
    ]
    assert any(name in message for message in messages for name in attempt.named), messages


@pytest.mark.parametrize(
    "attempt", [a for a in FOOLING if a.caught_by == CARRIED_CLAIM], ids=lambda attempt: attempt.id
)
def test_a_regression_breaks_a_claim_of_the_earlier_step_naming_it(attempt: Attempt) -> None:
    earlier = SOURCES.plan.step(int(attempt.check))
    assert earlier.number < attempt.step
    details = [result.detail for result in check_contract(attempt.source, earlier.contract) if not result.passed]
    assert any(name in detail for detail in details for name in attempt.named), details


@pytest.mark.parametrize(
    "attempt", [a for a in FOOLING if a.caught_by == LINT_NO_DYNAMIC_EXECUTION], ids=lambda attempt: attempt.id
)
def test_dynamic_execution_is_flagged_once_the_rule_exists(attempt: Attempt) -> None:
    if attempt.check not in RULE_NAMES:
        pytest.skip(f"the linter has no rule {attempt.check} yet")
    assert _rule_increase(attempt).get(attempt.check, 0) > 0


@pytest.mark.parametrize("attempt", [a for a in FOOLING if a.exposure is not None], ids=lambda attempt: attempt.id)
def test_each_exposure_is_covered_by_a_held_setting_of_the_proof(attempt: Attempt) -> None:
    assert attempt.exposure is not None
    _assert_covered(attempt.exposure)


@pytest.mark.parametrize("step", list(PRINTED_OUTPUT_EXPOSURES))
def test_each_replay_exposure_is_covered_by_a_held_setting_of_the_proof(step: int) -> None:
    _assert_covered(PRINTED_OUTPUT_EXPOSURES[step])


def _assert_covered(exposure: Exposure) -> None:
    """The targeted setting run below is part of the fixed matrix --prove will run."""
    [held] = [setting for setting in HELD_SETTINGS if setting.name == exposure.held_setting]
    assert held.dataset == exposure.dataset
    assert {assignment.split("=")[0] for assignment in exposure.assignments} <= {
        assignment.split("=")[0] for assignment in held.assignments
    }


# --- the runs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One invocation of run_step.py on one attempt: exit status, JSON record, wall seconds."""

    returncode: int
    record: dict[str, Any]
    seconds: float
    stderr: str

    def explain(self) -> str:
        return f"exit {self.returncode}: {self.record.get('verdict')} {self.record.get('error')}\n{self.stderr[-2000:]}"


@dataclass(frozen=True)
class Job:
    attempt: Attempt
    arguments: tuple[str, ...] = ()
    group: str = ""
    """Jobs of one group share a predecessor and a reference: the first runs alone, the rest after."""


def _run_attempt(cache: Path, directory: Path, job: Job) -> Run:
    path = directory / job.attempt.file_name
    path.write_text(job.attempt.source, encoding="utf-8")
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    environment.pop("MICROGPT_NAMES_FILE", None)
    command = [
        sys.executable,
        str(RUN_STEP),
        str(path),
        "--as",
        job.attempt.label,
        "--profile",
        "quick",
        "--json",
        "--jobs",
        "1",
        *job.arguments,
    ]
    start = time.monotonic()
    process = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        env=environment,
        check=False,
    )
    seconds = time.monotonic() - start
    records = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    return Run(process.returncode, records[-1] if records else {}, seconds, process.stderr)


def _run_in_waves(cache: Path, directory: Path, jobs: Sequence[Job]) -> dict[str, Run]:
    """Two at a time; the first job of each group in a first wave, so that a predecessor or
    reference the group shares is computed once and cached for the others."""
    seen: set[str] = set()
    first: list[Job] = []
    rest: list[Job] = []
    for job in jobs:
        (rest if job.group in seen else first).append(job)
        seen.add(job.group)
    runs: dict[str, Run] = {}
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        for wave in (first, rest):
            for job, run in zip(wave, pool.map(lambda job: _run_attempt(cache, directory, job), wave)):
                runs[job.attempt.id] = run
    return runs


def _summary(title: str, runs: dict[str, Run], started: float) -> None:
    """Printed for the record (pytest -s shows it): each run's wall time and the total."""
    print(f"\n{title}: {len(runs)} runs in {time.monotonic() - started:.1f} s")
    for identifier, run in runs.items():
        print(f"  {identifier:55s} exit {run.returncode}  {run.seconds:6.1f} s  {run.record.get('verdict')}")


@pytest.fixture(scope="module")
def attempt_cache(tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]) -> Path:
    """Reference runs (predecessors, the original under held settings) from the session's run cache."""
    return make_seeded_cache(tmp_path_factory.mktemp("attempts"), share_runs=True)


@pytest.fixture(scope="module")
def captured_runs(names_file: Path) -> dict[int, CapturedRun]:
    """The real steps' quick runs that the replaying attempts print back."""
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        captured = list(pool.map(lambda step: capture_run(SOURCES, step, names_file), PRINTED_OUTPUT_EXPOSURES))
    return {run.step: run for run in captured}


@pytest.fixture(scope="module")
def printed_attempts(captured_runs: dict[int, CapturedRun]) -> list[Attempt]:
    attempts = [printed_output_attempt(SOURCES, captured) for captured in captured_runs.values()]
    assert [attempt.id for attempt in attempts] == PRINTED_IDS
    return attempts


@pytest.fixture(scope="module")
def plain_runs(
    attempt_cache: Path, printed_attempts: list[Attempt], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """Every attempt, fooling or correct, under a plain `--as NN --profile quick` run."""
    started = time.monotonic()
    every = sorted([*FOOLING, *printed_attempts, *CORRECT_REFACTORINGS], key=lambda attempt: attempt.step)
    runs = _run_in_waves(
        attempt_cache, tmp_path_factory.mktemp("plain"), [Job(attempt, group=attempt.label) for attempt in every]
    )
    _summary("plain runs", runs, started)
    return runs


PROVED_CORRECT_IDS = ("D-correct-halving-regrouped",)
"""A correct refactoring also proved under every held setting (the rest get the plain check;
the workshop's tests prove the reference step 11 too)."""
PROVED_SPECIALISED_ID = "B-specialised-temperature-literal"
"""The specialised attempt that goes through the whole `--prove` end to end; the others run
under the one held setting aimed at them (below), which is the same run --prove makes."""


@pytest.fixture(scope="module")
def proof_runs(attempt_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """`--as NN --prove` (the quick profile plus every held setting) end to end, for one
    attempt specialised to the defaults and one correct refactoring."""
    directory = tmp_path_factory.mktemp("proved")
    chosen = [
        by_id(FOOLING)[PROVED_SPECIALISED_ID],
        *(attempt for attempt in CORRECT_REFACTORINGS if attempt.id in PROVED_CORRECT_IDS),
    ]
    jobs = [Job(attempt, ("--prove",), group=attempt.label) for attempt in chosen]
    started = time.monotonic()
    runs = _run_in_waves(attempt_cache, directory, jobs)
    _summary("proof runs", runs, started)
    return runs


def held_setting_arguments(setting: HeldSetting, variant_names: Path) -> tuple[str, ...]:
    """The command-line form of one held setting, as --prove applies it: its knobs on the
    quick profile, and for the variant the names file --prove makes from the standard one."""
    arguments = [argument for assignment in setting.assignments for argument in ("--set", assignment)]
    if setting.dataset == VARIANT_DATASET:
        arguments += ["--data", str(variant_names)]
    return tuple(arguments)


@pytest.fixture(scope="module")
def targeted_runs(
    attempt_cache: Path, printed_attempts: list[Attempt], names_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """Every attempt that only another configuration exposes, under the held setting of the
    proof's matrix aimed at it: `--as NN --profile quick --set ... [--data VARIANT]`."""
    directory = tmp_path_factory.mktemp("targeted")
    variant_names = directory / "variant-names.txt"
    variant_names.write_text(variant_names_text(names_file.read_text(encoding="utf-8")), encoding="utf-8")
    settings = {setting.name: setting for setting in HELD_SETTINGS}
    jobs = []
    for attempt in [*FOOLING, *printed_attempts]:
        if attempt.exposure is None:
            continue
        setting = settings[attempt.exposure.held_setting]
        jobs.append(
            Job(attempt, held_setting_arguments(setting, variant_names), group=f"{attempt.label} {setting.name}")
        )
    started = time.monotonic()
    runs = _run_in_waves(attempt_cache, directory, jobs)
    _summary("targeted runs", runs, started)
    return runs


STRUCTURAL_CATCHERS = (EXERCISE, LINT_HIDDEN_STATE, LINT_NO_DYNAMIC_EXECUTION, CARRIED_CLAIM)


def _failing_claims(run: Run) -> list[dict[str, Any]]:
    return [claim for claim in run.record.get("contract", []) if not claim["holds"]]


def _catching_claim_words(attempt: Attempt) -> str:
    """What the name of the claim that catches `attempt` must contain."""
    if attempt.caught_by == EXERCISE:
        return EXERCISES[attempt.check].claim
    if attempt.caught_by in (LINT_HIDDEN_STATE, LINT_NO_DYNAMIC_EXECUTION):
        return f"lint rule {attempt.check} reports nothing"
    return f"(from step {attempt.check})"


@runs_many_programs
@pytest.mark.parametrize(
    "attempt", [a for a in FOOLING if a.caught_by in STRUCTURAL_CATCHERS], ids=lambda attempt: attempt.id
)
def test_every_structural_attempt_fails_the_plain_check_and_the_message_names_what_is_wrong(
    plain_runs: dict[str, Run], attempt: Attempt
) -> None:
    """Output identical, yet not identical: the claim that catches it is named, with the
    function, buffer or name at fault in its detail."""
    if attempt.caught_by == LINT_NO_DYNAMIC_EXECUTION and attempt.check not in RULE_NAMES:
        pytest.skip(f"the linter has no rule {attempt.check} yet")
    run = plain_runs[attempt.id]
    assert run.returncode == 1, run.explain()
    assert run.record["output_identical"] is True and run.record["structure_holds"] is False
    failing = _failing_claims(run)
    words = _catching_claim_words(attempt)
    catching = [claim for claim in failing if words in claim["claim"]]
    assert catching, f"no failing claim contains {words!r}: {[claim['claim'] for claim in failing]}"
    for name in attempt.named:
        assert any(name in claim["claim"] or name in claim["detail"] for claim in catching), (
            f"{name!r} not named in {catching}"
        )


@runs_many_programs
@pytest.mark.parametrize("attempt_id", EXPOSED_IDS)
def test_a_specialised_attempt_passes_the_plain_check_but_not_the_held_setting_aimed_at_it(
    plain_runs: dict[str, Run], targeted_runs: dict[str, Run], printed_attempts: list[Attempt], attempt_id: str
) -> None:
    """Only another configuration exposes it: the plain quick check passes, the held setting
    of the proof's matrix that targets it (see the coverage tests above) does not. A file
    that replays the default run's output is the exception: the plain check's own held
    setting (another seed, three steps) already fails it."""
    attempt = by_id([*FOOLING, *printed_attempts])[attempt_id]
    assert attempt.exposure is not None
    if attempt_id in PRINTED_IDS:
        plain = plain_runs[attempt_id]
        assert plain.returncode == 1 and plain.record["output_identical"] is True, plain.explain()
        assert [claim["claim"] for claim in _failing_claims(plain)] == [f"identical under {SPOT_SETTING.describe()}"]
    else:
        assert plain_runs[attempt_id].returncode == 0, plain_runs[attempt_id].explain()
    run = targeted_runs[attempt_id]
    assert run.record.get("identical") is False, run.explain()
    if attempt.exposure.outcome == CRASHES:
        assert run.returncode == 2 and run.record["status"] == "crash", run.explain()
    else:
        assert run.returncode == 1 and run.record["status"] == "ok", run.explain()


@runs_many_programs
def test_prove_end_to_end_does_not_prove_a_specialised_attempt_and_names_the_setting(
    proof_runs: dict[str, Run],
) -> None:
    attempt = by_id(FOOLING)[PROVED_SPECIALISED_ID]
    assert attempt.exposure is not None
    run = proof_runs[PROVED_SPECIALISED_ID]
    assert run.returncode == 1, run.explain()
    assert run.record["proved"] is False
    failed = {entry["setting"] for entry in run.record["proof"] if not entry["holds"]}
    assert attempt.exposure.held_setting in failed, run.record["proof"]


@runs_many_programs
@pytest.mark.parametrize("attempt_id", [attempt.id for attempt in CORRECT_REFACTORINGS])
def test_every_correct_refactoring_passes_the_plain_check(plain_runs: dict[str, Run], attempt_id: str) -> None:
    run = plain_runs[attempt_id]
    assert run.returncode == 0, run.explain()
    assert run.record["identical"] is True and run.record["structure_holds"] is True
    assert run.record["level"] == "print" or run.record["parameters_bit_identical"] is True


@runs_many_programs
@pytest.mark.parametrize("attempt_id", PROVED_CORRECT_IDS)
def test_a_correct_refactoring_is_proved(proof_runs: dict[str, Run], attempt_id: str) -> None:
    run = proof_runs[attempt_id]
    assert run.returncode == 0, run.explain()
    assert run.record["proved"] is True and all(entry["holds"] for entry in run.record["proof"])
