"""The command line as users meet it: exit codes, one-sentence errors, what is shown.

Each test runs `python tools/run_step.py` in a subprocess. Runs that need programs use the
fake world's plan (--plan), so they take a fraction of a second each.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testkit import fakes
from testkit.cli import run_tool, tool_path
from testkit.world import FakeWorld
from workbench.paths import installed_root

STEP_ONE = fakes.FAKE_ORIGINAL.replace('"""A stand-in', '"""Step one of a stand-in')
ANSI_ESCAPE = "\x1b["


def run_step_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return run_tool("run_step", *arguments)


def flat(text: str) -> str:
    """The text with every run of whitespace made one space: wrapping does not matter."""
    return " ".join(text.split())


def assert_one_clear_error(process, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2, a single 'error: ...' line on stderr containing the fragments, no traceback."""
    assert process.returncode == 2, process.stdout + process.stderr
    assert "Traceback" not in process.stderr + process.stdout
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_help_explains_targets_profiles_knobs_levels_and_exit_codes() -> None:
    process = run_step_cli("--help")
    assert process.returncode == 0
    for fragment in (
        "original",
        "all",
        "--as 07",
        "quick",
        "full",
        "n_embd",
        "seed",
        "bit",
        "print",
        "exit status",
        "examples:",
        "MICROGPT_NAMES_FILE",
        "--approve",
    ):
        assert fragment in process.stdout


def test_an_unknown_step_lists_the_valid_targets() -> None:
    assert_one_clear_error(run_step_cli("12"), "'12' is not a target", "original, 01, 02", "11", "all")


def test_a_missing_snapshot_file_says_which_file(world: FakeWorld) -> None:
    assert_one_clear_error(
        world.run_cli("01"), "step 01 has no snapshot file yet", "steps/01_fake_first.py does not exist"
    )


def test_an_unknown_knob_lists_the_valid_knobs() -> None:
    assert_one_clear_error(
        run_step_cli("original", "--set", "n_emb=8"), "no knob 'n_emb'", "n_embd", "num_steps", "seed"
    )


def test_a_bad_knob_value_is_refused() -> None:
    assert_one_clear_error(run_step_cli("original", "--set", "n_layer=1.5"), "n_layer takes a whole number")


def test_a_missing_data_file_is_refused(tmp_path: Path) -> None:
    assert_one_clear_error(run_step_cli("original", "--data", str(tmp_path / "names.txt")), "--data", "does not exist")


def test_an_unknown_profile_is_refused() -> None:
    assert_one_clear_error(run_step_cli("original", "--profile", "fast"), "no profile 'fast'", "full, quick")


def test_a_file_needs_as(tmp_path: Path) -> None:
    attempt = tmp_path / "attempt.py"
    attempt.write_text("print()\n", encoding="utf-8")
    assert_one_clear_error(run_step_cli(str(attempt)), "say which step it stands for", "--as 07")


def test_as_a_step_that_does_not_exist(tmp_path: Path) -> None:
    attempt = tmp_path / "attempt.py"
    attempt.write_text("print()\n", encoding="utf-8")
    assert_one_clear_error(run_step_cli(str(attempt), "--as", "42"), "--as '42' is not a step")


def test_argument_errors_are_one_sentence_too() -> None:
    assert_one_clear_error(run_step_cli("original", "--jobs", "many"), "argument --jobs", "see --help")
    assert_one_clear_error(run_step_cli("original", "--jobs", "0"), "--jobs must be at least 1")
    assert_one_clear_error(run_step_cli("original", "--timeout", "-1"), "--timeout must be a positive number")


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (("original", "--approve", "--set", "n_layer=2"), "cannot be combined with --set"),
        (("07", "--approve"), "use it with the target original or all"),
        (("07", "--markdown"), "--markdown prints the table of all"),
    ],
)
def test_option_combinations_that_make_no_sense_are_refused(arguments: tuple[str, ...], fragment: str) -> None:
    assert_one_clear_error(run_step_cli(*arguments), fragment)


def test_approve_with_another_names_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("ada\nbob\n", encoding="utf-8")
    assert_one_clear_error(run_step_cli("original", "--approve", "--data", str(other)), "standard dataset only")


def test_approve_is_refused_for_another_plan(world: FakeWorld) -> None:
    assert_one_clear_error(world.run_cli("original", "--approve"), "only with the project's own plan")


def test_an_identical_attempt_exits_0_and_shows_its_samples(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", STEP_ONE)
    process = world.run_cli(str(attempt), "--as", "01")
    assert process.returncode == 0, process.stdout + process.stderr
    assert "IDENTICAL" in process.stdout and "identical at bit level" in process.stdout
    assert "samples the program printed:" in process.stdout and "sample  1: " in process.stdout
    assert ANSI_ESCAPE not in process.stdout + process.stderr


def test_a_crash_exits_2_with_file_and_line(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", fakes.crashing(STEP_ONE))
    process = world.run_cli(str(attempt), "--as", "01")
    assert process.returncode == 2
    assert (
        f"attempt.py:{fakes.crash_line_number(STEP_ONE)} in update: ZeroDivisionError: float division by zero"
        in flat(process.stdout)
    )
    assert "Traceback" not in process.stderr


def test_a_syntax_error_exits_2_with_file_and_line(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", fakes.with_syntax_error(STEP_ONE))
    process = world.run_cli(str(attempt), "--as", "01")
    assert process.returncode == 2
    assert f"syntax error at {attempt}:{fakes.syntax_error_line_number(STEP_ONE)}: expected ':'" in flat(process.stdout)
    assert "differs" not in process.stdout.lower()


def test_a_timeout_exits_2(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", fakes.hanging(STEP_ONE))
    process = world.run_cli(str(attempt), "--as", "01", "--timeout", "2")
    assert process.returncode == 2
    assert "timed out after 2 s (it had reached step 5 / 5)" in flat(process.stdout)


def test_one_different_character_exits_1_and_shows_the_first_differing_line(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", fakes.one_character_different(STEP_ONE))
    process = world.run_cli(str(attempt), "--as", "01")
    assert process.returncode == 1
    assert "DIFFERS" in process.stdout and "output differs from line 11" in process.stdout
    table = process.stdout.split("first differing lines")[1]
    first_row = next(line for line in table.splitlines() if line.strip().startswith("11 "))
    assert "sample  1: " in first_row and "sample  1; " in first_row


def test_the_last_bit_of_a_parameter_exits_1_at_a_bit_step(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", fakes.last_bit_changed(STEP_ONE))
    process = world.run_cli(str(attempt), "--as", "01", "--json")
    assert process.returncode == 1
    [record] = [json.loads(line) for line in process.stdout.splitlines()]
    assert record["output_identical"] is True and record["identical"] is False
    assert record["parameters_bit_identical"] is False and record["max_parameter_difference"] > 0


def test_the_last_bit_of_a_parameter_exits_0_at_a_print_step_and_is_reported(print_level_world: FakeWorld) -> None:
    attempt = print_level_world.write_attempt("attempt.py", fakes.last_bit_changed(STEP_ONE))
    process = print_level_world.run_cli(str(attempt), "--as", "01")
    assert process.returncode == 0, process.stdout
    assert "identical at print level" in flat(process.stdout) and "by at most" in flat(process.stdout)


def test_json_prints_one_object_per_target_with_the_figures(world: FakeWorld) -> None:
    attempt = world.write_attempt("attempt.py", STEP_ONE)
    process = world.run_cli(str(attempt), "--as", "01", "--json", "--profile", "quick")
    assert process.returncode == 0
    [record] = [json.loads(line) for line in process.stdout.splitlines()]
    for key in (
        "target",
        "identical",
        "level",
        "max_parameter_difference",
        "seconds_training",
        "seconds_inference",
        "peak_memory_bytes",
        "status",
        "verdict",
        "commit",
    ):
        assert key in record
    assert (record["target"], record["identical"], record["level"], record["status"]) == ("01", True, "bit", "ok")
    assert record["settings"] == {"num_steps": 3}
    assert record["peak_memory_bytes"] > 1_000_000


def test_another_names_file_is_used_and_announced(world: FakeWorld, tmp_path: Path) -> None:
    other = tmp_path / "other_names.txt"
    other.write_text("ada\nbob\ncy\n", encoding="utf-8")
    attempt = world.write_attempt("attempt.py", STEP_ONE)
    process = world.run_cli(str(attempt), "--as", "01", "--data", str(other), "--json")
    assert process.returncode == 0
    assert "not the standard dataset" in flat(process.stderr) and "golden files do not apply" in flat(process.stderr)
    assert json.loads(process.stdout)["standard_dataset"] is False


def test_all_runs_what_exists_ends_with_one_table_and_lists_missing_steps(world: FakeWorld) -> None:
    process = world.run_cli("all")
    assert process.returncode == 0, process.stdout + process.stderr
    lines = [line for line in process.stdout.splitlines() if line.strip()]
    header = next(index for index, line in enumerate(lines) if line.split()[:2] == ["step", "commit"])
    assert lines[header - 1].startswith("microgpt, step by step: profile full")
    rows = lines[header + 2 : header + 6]
    assert rows[0].split()[:2] == ["original", "The"] and "identical (bit)" in rows[0]
    assert [row.split()[0] for row in rows[1:]] == ["01", "02", "03"] and all("no file yet" in row for row in rows[1:])
    assert "No file yet for step 01, 02, 03." in " ".join(lines[header + 6 :])
    assert ANSI_ESCAPE not in process.stdout


def test_all_as_markdown_prints_the_table_for_a_readme(world: FakeWorld) -> None:
    process = world.run_cli("all", "--markdown", "--profile", "quick")
    assert process.returncode == 0
    lines = process.stdout.splitlines()
    assert (
        lines[0]
        == "| step | commit | verdict | parameters | train s | infer s | peak MiB | train × | infer × | mem × |"
    )
    assert lines[1].startswith("| --- | --- | --- | --- | ---: |")
    assert lines[2].startswith(
        "| original | The untouched original by Andrej Karpathy | identical (bit) | bit-identical |"
    )
    assert lines[3] == "| 01 | Fake step 1 | no file yet |  |  |  |  |  |  |  |"
    assert "no file yet for step 01, 02, 03" in process.stderr


def test_termination_ends_every_program_and_removes_its_directory(world: FakeWorld, tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    hanging = (
        f"import os, time\nopen({str(marker)!r}, 'w').write(f'{{os.getpid()}} {{os.getcwd()}}')\ntime.sleep(120)\n"
    )
    attempt = world.write_attempt("attempt.py", hanging)
    runner = subprocess.Popen(
        [sys.executable, str(tool_path("run_step")), "--plan", str(world.plan_path), str(attempt), "--as", "01"],
        cwd=installed_root(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and runner.poll() is None
        time.sleep(0.1)
    program_id, working_directory = marker.read_text().split(" ", 1)
    runner.send_signal(signal.SIGTERM)
    _, stderr = runner.communicate(timeout=30)
    assert runner.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert not Path(working_directory).exists()
    with pytest.raises(ProcessLookupError):
        os.kill(int(program_id), 0)
