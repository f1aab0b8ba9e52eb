"""A crash as data, recorded by the driver inside the program's process: the exception,
Python's own suggestion, the chain of the program's frames, the loop it happened in."""

from __future__ import annotations

from pathlib import Path

from workbench.paths import installed_root
from workbench.runner.crash import Crash, CrashFrame, LoopPosition, crash_from_record, syntax_crash
from workbench.runner.execute import CRASH, Runnable, execute
from workbench.runner.explain import crash_moment

PRETEND_PATH = installed_root() / "steps" / "07_pretend.py"

TRAINING_TYPO = """\
total = 3
num_steps = 5


def rate(step):
    return helper(step)


def helper(step):
    return totl if step == 2 else 0


for step in range(num_steps):
    rate(step)
    print(f"step {step + 1:4d} / {num_steps:4d} | loss 1.0000")
parameter_data = [1.0]
"""


def run(source: str, names_file: Path) -> Crash:
    result = execute(Runnable("step 07", PRETEND_PATH, source, "parameter_data"), names_file, timeout=60)
    assert result.status == CRASH and result.crash is not None, result.error
    return result.crash


def test_the_driver_records_the_exception_the_suggestion_and_every_frame_of_the_program(names_file: Path) -> None:
    crash = run(TRAINING_TYPO, names_file)
    assert (crash.exception, crash.message) == ("NameError", "name 'totl' is not defined")
    assert crash.suggestion == "Did you mean: 'total'?", "computed in the program's process, where the names live"
    assert crash.headline == "NameError: name 'totl' is not defined. Did you mean: 'total'?"
    assert (crash.line, crash.function) == (10, "helper")
    assert crash.frames == (
        CrashFrame(14, "<module>", "rate(step)"),
        CrashFrame(6, "rate", "return helper(step)"),
        CrashFrame(10, "helper", "return totl if step == 2 else 0"),
    ), "the whole chain of the learner's own frames, outermost first"
    assert crash.loops == (LoopPosition("<module>", "step", 2, 13, ("num_steps", "range")),)


def test_the_training_step_and_the_sample_of_a_crash(names_file: Path) -> None:
    crash = run(TRAINING_TYPO, names_file)
    printed = ["num docs: 3", "step    1 / 5 | loss 1.0000", "step    2 / 5 | loss 1.0000"]
    assert crash_moment(crash, printed, frozenset({"num_steps"})) == "training step 3"
    sampling = run(
        "print('--- inference ---')\nfor sample_idx in range(20):\n    print(f'sample {sample_idx + 1:2d}: x')\n    if sample_idx == 4:\n        1 / 0\n",
        names_file,
    )
    assert crash_moment(sampling, ["--- inference ---", "sample  5: x"], frozenset({"num_steps"})) == "sample 5"
    setup = run("print('num docs: 3')\nvalue = {}['missing']\n", names_file)
    assert crash_moment(setup, ["num docs: 3"], frozenset({"num_steps"})) == "before the first training step"
    assert setup.exception == "KeyError" and setup.suggestion is None


def test_a_record_without_the_fields_still_gives_the_exception() -> None:
    crash = crash_from_record(
        {"status": "crash", "exception": "ZeroDivisionError: float division by zero", "line": 3, "function": "f"}
    )
    assert (crash.exception, crash.message, crash.line, crash.function, crash.frames) == (
        "ZeroDivisionError",
        "float division by zero",
        3,
        "f",
        (),
    )


def test_a_syntax_error_is_a_crash_at_its_line() -> None:
    crash = syntax_crash("import math\ndef broken(:\n    pass\n", "attempt.py")
    assert crash is not None and crash.syntax and crash.line == 2
    assert crash.frames == (CrashFrame(2, "<module>", "def broken(:"),)
    assert syntax_crash("x = 1\n", "attempt.py") is None
