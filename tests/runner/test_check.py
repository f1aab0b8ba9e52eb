"""Checking targets: references, predecessors, levels, caching, verdict records, golden files.

Everything here runs fake microgpt-shaped programs (tests/testkit/fakes.py) around a
three-step plan: step 01 bit, step 02 print (and renames two knobs), step 03 bit.
"""

from __future__ import annotations

import json

import pytest

from testkit import fakes
from testkit.world import FakeWorld
from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK, WorkbenchError
from workbench.files import sha256_of_file
from workbench.runner.check import check_targets
from workbench.runner.dataset import Dataset
from workbench.runner.execute import CRASH, OK, SYNTAX_ERROR, TIMEOUT
from workbench.runner.records import SCHEMA_VERSION, read_verdict, verdict_path
from workbench.runner.reference import golden_path
from workbench.runner.results import ERROR

STEP_ONE = fakes.FAKE_ORIGINAL.replace('"""A stand-in', '"""Step one of a stand-in')
"""Same behaviour as the fake original, different text (so it is a run of its own)."""
STEP_TWO = fakes.renamed(STEP_ONE)


def test_a_bit_identical_step_passes_against_the_original(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    report = world.check(world.step(1))
    [result] = report.results
    assert report.exit_code == EXIT_OK
    assert (result.status, result.identical, result.summary) == (OK, True, "identical at bit level")
    assert result.parameters_reference == "the original (run now)"
    assert sorted(world.observer.started_names) == ["original (reference)", "step 01"]


def test_one_different_character_differs_and_shows_the_first_line(world: FakeWorld) -> None:
    world.write_step(1, fakes.one_character_different(STEP_ONE))
    report = world.check(world.step(1))
    [result] = report.results
    assert report.exit_code == EXIT_DIFFERS
    assert result.verdict is not None
    first = result.verdict.output.first_difference
    assert first is not None
    assert first.expected is not None and first.got is not None
    assert first.expected.startswith("sample  1: ") and first.got.startswith("sample  1; ")
    assert first.line_number == 11


def test_the_last_bit_of_one_parameter_fails_a_bit_step(world: FakeWorld) -> None:
    world.write_step(1, fakes.last_bit_changed(STEP_ONE))
    [result] = world.check(world.step(1)).results
    assert result.verdict is not None
    assert result.verdict.output.identical
    assert not result.identical
    assert result.verdict.parameters.differing_count == 1
    assert "not bit-identical" in result.summary


def test_the_last_bit_of_one_parameter_passes_a_print_step_with_the_difference_reported(
    print_level_world: FakeWorld,
) -> None:
    world = print_level_world
    world.write_step(1, fakes.last_bit_changed(STEP_ONE))
    report = world.check(world.step(1))
    [result] = report.results
    assert report.exit_code == EXIT_OK
    assert result.identical
    assert result.max_parameter_difference is not None and result.max_parameter_difference > 0
    assert "drift" in result.summary


def test_a_print_step_is_compared_with_its_predecessor_step(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    world.write_step(2, STEP_TWO)
    [result] = world.check(world.step(2)).results
    assert result.identical and result.summary.startswith("identical at print level")
    assert result.parameters_reference == "step 01 (run now)"
    assert sorted(world.observer.started_names) == ["original (reference)", "step 01 (predecessor)", "step 02"]


def test_a_crash_is_reported_with_file_and_line(world: FakeWorld) -> None:
    world.write_step(1, fakes.crashing(STEP_ONE))
    report = world.check(world.step(1))
    [result] = report.results
    assert report.exit_code == EXIT_ERROR
    assert result.status == CRASH
    assert f"01_fake_first.py:{fakes.crash_line_number(STEP_ONE)} in update: ZeroDivisionError" in result.summary


def test_a_syntax_error_is_reported_with_file_and_line_and_never_runs(world: FakeWorld) -> None:
    world.write_step(1, fakes.with_syntax_error(STEP_ONE))
    [result] = world.check(world.step(1)).results
    assert result.status == SYNTAX_ERROR
    assert f"01_fake_first.py:{fakes.syntax_error_line_number(STEP_ONE)}" in result.summary
    assert "step 01" not in world.observer.started_names


def test_a_hanging_step_times_out(world: FakeWorld) -> None:
    world.write_step(1, fakes.hanging(STEP_ONE))
    report = world.check(world.step(1), settings=world.settings(timeout=2))
    [result] = report.results
    assert report.exit_code == EXIT_ERROR
    assert result.status == TIMEOUT and "timed out after 2 s" in result.summary


def test_a_missing_predecessor_file_makes_the_check_impossible(world: FakeWorld) -> None:
    world.write_step(2, STEP_TWO)
    [result] = world.check(world.step(2)).results
    assert result.status == ERROR
    assert "step 01, the predecessor, cannot run: step 01 has no snapshot file yet" in result.summary


def test_a_crashing_predecessor_makes_the_check_impossible(world: FakeWorld) -> None:
    world.write_step(1, fakes.crashing(STEP_ONE))
    world.write_step(2, STEP_TWO)
    [result] = world.check(world.step(2)).results
    assert result.status == ERROR
    assert "step 01 did not finish: crashed at" in result.summary


def test_all_runs_each_program_once_and_reuses_the_batch(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    world.write_step(2, STEP_TWO)
    world.write_step(3, fakes.renamed(STEP_ONE.replace("Step one", "Step three")))
    targets = [world.original(), world.step(1), world.step(2), world.step(3)]
    report = world.check(*targets)
    assert report.exit_code == EXIT_OK
    # Each step once; the original once live plus once as its own reference (nothing was
    # recorded for these settings yet), never more.
    assert sorted(world.observer.started_names) == [
        "original",
        "original (reference, computed now)",
        "step 01",
        "step 02",
        "step 03",
    ]
    assert len(set(world.observer.keys)) == 5
    assert [result.parameters_reference for result in report.results[1:]] == [
        "the original (run now)",
        "step 01 (run now)",
        "step 02 (run now)",
    ]
    for result in report.results:
        assert result.speed is not None and result.speed.training is not None and result.speed.memory is not None


def test_speed_ratios_only_come_from_an_original_run_in_the_same_batch(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    [result] = world.check(world.step(1)).results
    assert result.speed is None


def test_predecessors_and_references_come_from_the_cache_the_second_time(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    world.write_step(2, STEP_TWO)
    world.check(world.step(1))
    [result] = world.check(world.step(2)).results
    assert result.identical
    assert world.observer.started_names == ["step 02"]
    assert result.parameters_reference == "step 01 (cached run)"
    assert result.output_reference == "the original (cached run)"


def test_knobs_reach_every_program_under_their_names_at_each_step(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    world.write_step(2, STEP_TWO)
    settings = world.settings("quick", ["embedding_dimension=2"])
    report = world.check(world.step(2), settings=settings)
    [result] = report.results
    assert result.identical, result.summary
    assert result.run is not None
    assert "num params: 6" in result.run.stdout and "step    3 /    3" in result.run.stdout


def test_a_knob_the_snapshot_does_not_bind_is_an_error_naming_it(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE.replace("num_steps = 5\n", "def steps():\n    return 5\nnum_steps = steps()\n"))
    [result] = world.check(world.step(1), settings=world.settings("quick")).results
    assert result.status == ERROR
    assert "01_fake_first.py does not bind num_steps to a number at module level" in result.summary


def test_a_step_without_its_parameters_is_an_error(world: FakeWorld) -> None:
    world.write_step(1, fakes.without_parameters(STEP_ONE))
    [result] = world.check(world.step(1)).results
    assert result.status == "parameters-error"


def test_an_attempt_is_checked_as_its_step_and_leaves_no_verdict_record(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", STEP_ONE)
    [result] = world.check(world.attempt(attempt, "1")).results
    assert result.identical and result.target.title == "attempt.py as step 01"
    assert not verdict_path(world.project.cache, "01", "full").exists()


def test_verdict_records_are_written_and_read_back_while_the_file_is_unchanged(world: FakeWorld) -> None:
    path = world.write_step(1, STEP_ONE)
    world.check(world.step(1))
    record = read_verdict(world.project.cache, "01", "full", path)
    assert record is not None
    assert record.identical is True and record.level == "bit" and record.summary == "identical at bit level"
    assert record.source_sha256 == sha256_of_file(path) and record.max_parameter_difference == 0.0
    assert set(record.as_json()) >= {
        "target",
        "profile",
        "source_sha256",
        "identical",
        "level",
        "summary",
        "max_parameter_difference",
        "recorded_at",
    }
    assert record.schema_version == SCHEMA_VERSION == 3
    path.write_text(STEP_ONE + "# edited\n", encoding="utf-8")
    assert read_verdict(world.project.cache, "01", "full", path) is None


def test_no_verdict_record_with_set_or_another_dataset(world: FakeWorld, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world.write_step(1, STEP_ONE)
    world.check(world.step(1), settings=world.settings("full", ["num_steps=2"]))
    assert not verdict_path(world.project.cache, "01", "full").exists()
    other = tmp_path / "other.txt"
    other.write_text("ada\nbob\n", encoding="utf-8")
    settings = world.settings()
    other_settings = type(settings)(**{**settings.__dict__, "dataset": Dataset(other, "0" * 64, "--data")})
    [result] = world.check(world.step(1), settings=other_settings).results
    assert result.identical and result.run is not None and "num docs: 2" in result.run.stdout
    assert not verdict_path(world.project.cache, "01", "full").exists()


def test_the_original_computes_a_reference_on_demand_then_uses_the_cache(world: FakeWorld) -> None:
    """Nothing recorded for these settings: a second, isolated run of the original is the
    reference, and the two must agree bit for bit. Next time the cached run is used."""
    [first] = world.check(world.original()).results
    assert first.verdict is not None and first.identical
    assert first.output_reference == "a reference run of the original, computed now in its own directory"
    assert sorted(world.observer.started_names) == ["original", "original (reference, computed now)"]
    [second] = world.check(world.original()).results
    assert second.verdict is not None and second.identical
    assert second.output_reference == "the reference (cached run)"
    assert world.observer.started_names == ["original"]
    assert len(list((world.project.cache / "runs").glob("*.json"))) == 1, "the repeat run must not be cached"


def test_an_original_that_is_not_deterministic_fails_against_its_reference_run(world: FakeWorld) -> None:
    """Two isolated runs of the same program under the same settings must agree; a program
    that reads the clock does not."""
    world.project.plan.original_path.write_text(
        fakes.FAKE_ORIGINAL.replace("random.seed(42)", "import time\nrandom.seed(time.perf_counter_ns())"),
        encoding="utf-8",
    )
    [result] = world.check(world.original()).results
    assert result.verdict is not None and not result.identical
    assert world.check(world.original()).exit_code == EXIT_DIFFERS


def test_approve_writes_the_golden_file_which_then_is_the_reference(world: FakeWorld) -> None:
    golden = golden_path(world.project.golden_directory, "quick")
    [approved] = world.check(world.original(), settings=world.settings("quick", approve=True)).results
    assert approved.approved == golden and "(new)" in approved.summary
    recorded = json.loads(golden.read_text(encoding="utf-8"))
    assert recorded["settings"] == {"num_steps": 3} and recorded["stdout"][2] == "num params: 12"
    world.write_step(1, STEP_ONE)
    [result] = world.check(world.step(1), settings=world.settings("quick")).results
    assert result.output_reference == f"the original (golden file {golden})"
    [again] = world.check(world.original(), settings=world.settings("quick", approve=True)).results
    assert "confirmed" in again.summary


def test_approve_replaces_a_golden_file_that_differs_and_says_so(world: FakeWorld) -> None:
    golden = golden_path(world.project.golden_directory, "quick")
    world.check(world.original(), settings=world.settings("quick", approve=True))
    record = json.loads(golden.read_text(encoding="utf-8"))
    record["stdout"][3] = record["stdout"][3].replace("loss", "LOSS")
    golden.write_text(json.dumps(record), encoding="utf-8")
    [result] = world.check(world.original(), settings=world.settings("quick")).results
    assert not result.identical and result.verdict is not None
    assert (
        result.verdict.output.first_difference is not None and result.verdict.output.first_difference.line_number == 4
    )
    [approved] = world.check(world.original(), settings=world.settings("quick", approve=True)).results
    assert "replaced; the old one differed: output differs from line 4" in approved.summary
    assert json.loads(golden.read_text(encoding="utf-8"))["stdout"][3].startswith("step    1 /    3 | loss")


def test_a_golden_file_for_another_program_does_not_apply(world: FakeWorld) -> None:
    world.check(world.original(), settings=world.settings("quick", approve=True))
    world.project.plan.original_path.write_text(fakes.FAKE_ORIGINAL + "# changed\n", encoding="utf-8")
    report = world.check(world.original(), settings=world.settings("quick"))
    assert any("does not apply" in note for note in report.notes)
    assert report.results[0].output_reference == "a reference run of the original, computed now in its own directory"


def test_approve_is_refused_with_set_or_another_dataset(world: FakeWorld) -> None:
    with pytest.raises(WorkbenchError, match="cannot be combined with --set"):
        world.settings("quick", ["n_layer=2"], approve=True)


def test_the_library_runs_without_an_observer(world: FakeWorld) -> None:
    world.write_step(1, STEP_ONE)
    report = check_targets(world.project, [world.step(1)], world.settings())
    assert report.exit_code == EXIT_OK


def test_a_busy_machine_is_mentioned_because_timings_are_wall_clock(
    world: FakeWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.write_step(1, STEP_ONE)
    monkeypatch.setattr("workbench.runner.conditions.os.getloadavg", lambda: (40.0, 40.0, 40.0))
    report = world.check(world.step(1))
    assert any("the machine was busy" in note and "load average 40.0" in note for note in report.notes)
    record = read_verdict(world.project.cache, "01", "full", world.step(1).path)
    assert record is not None and record.conditions is not None and record.measured_busy
    assert record.conditions.load_before == 40.0 == record.conditions.load_after
    monkeypatch.setattr("workbench.runner.conditions.os.getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not world.check(world.step(1)).notes


def test_the_verdict_record_carries_losses_samples_timings_speed_and_claims(world: FakeWorld) -> None:
    path = world.write_step(1, STEP_ONE)
    report = world.check(world.original(), world.step(1))
    step_result = report.results[1]
    assert step_result.run is not None and step_result.speed is not None
    record = read_verdict(world.project.cache, "01", "full", path)
    assert record is not None and record.schema_version == 3
    printed = step_result.run.stdout.splitlines()
    assert record.losses == tuple(float(line.split("loss")[1]) for line in printed if line.startswith("step"))
    assert record.samples == tuple(line.split(": ", 1)[1] for line in printed if line.startswith("sample"))
    assert record.timings == {
        "training_seconds": step_result.run.seconds_training,
        "inference_seconds": step_result.run.seconds_inference,
        "training_cpu_seconds": step_result.run.cpu_seconds_training,
        "inference_cpu_seconds": step_result.run.cpu_seconds_inference,
        "peak_memory_bytes": step_result.run.peak_memory_bytes,
    }
    assert step_result.run.cpu_seconds_training is not None and step_result.run.cpu_seconds_training >= 0
    original_run = report.results[0].run
    assert original_run is not None and original_run.cpu_seconds_training is not None
    speed = step_result.speed
    assert record.relative_to_original == {
        "training": speed.training,
        "inference": speed.inference,
        "memory": speed.memory,
        "training_cpu": original_run.cpu_seconds_training / step_result.run.cpu_seconds_training
        if step_result.run.cpu_seconds_training
        else None,
        "inference_cpu": original_run.cpu_seconds_inference / step_result.run.cpu_seconds_inference
        if original_run.cpu_seconds_inference is not None and step_result.run.cpu_seconds_inference
        else None,
    }
    assert record.conditions is not None and record.conditions.cpu_count >= 1 and record.conditions.concurrent_runs >= 1
    assert record.settings == {"knobs": {}, "dataset_sha256": world.dataset.sha256, "dataset": "standard"}
    assert [(claim.name, claim.kind, claim.holds) for claim in record.claims] == [
        ("output identical to the original", "output", True),
        ("final parameters bit-identical to the original's", "parameters", True),
    ]


def test_the_summary_is_the_detail_of_the_claims_that_fail(world: FakeWorld) -> None:
    world.write_step(1, fakes.last_bit_changed(fakes.one_character_different(STEP_ONE)))
    [result] = world.check(world.step(1)).results
    failing = [claim for claim in result.claims if not claim.holds]
    assert [claim.kind for claim in failing] == ["output", "parameters"]
    assert result.summary == "; ".join(claim.short or claim.detail for claim in failing)
    assert result.summary.startswith("output differs from line 11")
