"""One run in isolation: its own directory, its exact stdout, its crash, its timeout, its figures."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from testkit import fakes
from workbench.paths import installed_root
from workbench.runner.execute import CRASH, OK, PARAMETERS_ERROR, SYNTAX_ERROR, TIMEOUT, Runnable, execute

PRETEND_PATH = installed_root() / "steps" / "07_pretend.py"
"""Where the program claims to come from: errors must name this file, never a temporary one."""


def program(source: str, expression: str = "parameter_data") -> Runnable:
    return Runnable(name="step 07", source_path=PRETEND_PATH, source=source, parameters_expression=expression)


def test_stdout_is_exactly_the_programs_and_parameters_are_hex(tmp_path: Path, names_file: Path) -> None:
    (tmp_path / "input.txt").write_bytes(names_file.read_bytes())
    (tmp_path / "fake.py").write_text(fakes.FAKE_ORIGINAL, encoding="utf-8")
    direct = subprocess.run([sys.executable, "fake.py"], cwd=tmp_path, capture_output=True, text=True, check=True)
    result = execute(program(fakes.FAKE_ORIGINAL), names_file, timeout=60)
    assert result.status == OK
    assert result.stdout == direct.stdout
    assert result.parameters is not None and len(result.parameters) == 12
    assert all(float.fromhex(text).hex() == text for text in result.parameters)


def test_the_run_happens_in_a_temporary_directory_that_is_removed(names_file: Path) -> None:
    source = "import os\nprint(os.getcwd())\nopen('written.txt', 'w').write('x')\nprint(sorted(os.listdir('.')))\nparameter_data = [1.0]\n"
    result = execute(program(source), names_file, timeout=60)
    assert result.status == OK
    working_directory = Path(result.lines[0].text)
    assert working_directory != installed_root() and installed_root() not in working_directory.parents
    assert "input.txt" in result.lines[1].text and "07_pretend.py" in result.lines[1].text
    assert not working_directory.exists()


def test_a_crash_names_the_real_file_the_line_and_the_exception(names_file: Path) -> None:
    result = execute(program(fakes.crashing()), names_file, timeout=60)
    assert result.status == CRASH
    line = fakes.crash_line_number()
    assert result.error == f"crashed at steps/07_pretend.py:{line} in update: ZeroDivisionError: float division by zero"
    assert f'File "steps/07_pretend.py", line {line}, in update' in result.details
    assert "microgpt-run-" not in result.details and "driver.py" not in result.details


def test_a_syntax_error_is_found_before_running(names_file: Path) -> None:
    result = execute(program(fakes.with_syntax_error()), names_file, timeout=60)
    assert result.status == SYNTAX_ERROR
    assert result.error == f"syntax error at steps/07_pretend.py:{fakes.syntax_error_line_number()}: expected ':'"
    assert result.stdout == "" and result.seconds_total == 0.0


def test_a_hanging_program_is_killed_at_the_timeout(names_file: Path) -> None:
    source = "import subprocess, sys, time\nprint('step    2 /    9 | loss 1.0000', flush=True)\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\ntime.sleep(60)\n"
    started = time.monotonic()
    result = execute(program(source), names_file, timeout=1.5)
    assert time.monotonic() - started < 10
    assert result.status == TIMEOUT
    assert result.error == "steps/07_pretend.py timed out after 1.5 s (it had reached step 2 / 9)"


def test_missing_parameters_are_an_error_not_a_crash(names_file: Path) -> None:
    result = execute(program(fakes.without_parameters()), names_file, timeout=60)
    assert result.status == PARAMETERS_ERROR
    assert "'parameter_data' failed: NameError" in (result.error or "")


def test_parameters_must_be_numbers(names_file: Path) -> None:
    result = execute(program("parameter_data = [1.0, 'two']\n"), names_file, timeout=60)
    assert result.status == PARAMETERS_ERROR
    assert "element 1 is a str, not a number" in (result.error or "")


def test_training_and_inference_are_timed_from_the_programs_own_lines(names_file: Path) -> None:
    source = (
        "import time\nprint('num docs: 1')\ntime.sleep(0.3)\nprint('num params: 1')\n"
        "for step in range(3):\n    time.sleep(0.2)\n    print(f'step {step+1:4d} /    3 | loss 1.0000')\n"
        "print()\nprint('--- inference ---')\ntime.sleep(0.4)\nprint('sample  1: ada')\nparameter_data = [0.5]\n"
    )
    result = execute(program(source), names_file, timeout=60)
    assert result.status == OK
    assert result.seconds_training is not None and 0.55 <= result.seconds_training <= 1.5
    assert result.seconds_inference is not None and 0.35 <= result.seconds_inference <= 1.2


def test_peak_memory_is_measured_before_the_parameters_expression(names_file: Path) -> None:
    """The expression allocates 300 MB; the program itself does not. Peak memory is the program's."""
    expression = "(bytearray(300_000_000), parameter_data)[1]"
    result = execute(program("parameter_data = [1.0]\n", expression), names_file, timeout=60)
    assert result.status == OK
    assert result.peak_memory_bytes is not None
    assert 5_000_000 < result.peak_memory_bytes < 150_000_000


def test_peak_memory_sees_what_the_program_allocates(names_file: Path) -> None:
    result = execute(program("block = bytearray(200_000_000)\nparameter_data = [1.0]\n"), names_file, timeout=60)
    assert result.peak_memory_bytes is not None and result.peak_memory_bytes > 200_000_000


def test_peak_memory_is_the_programs_own_not_inherited_from_the_runner(names_file: Path) -> None:
    """On Linux a child's ru_maxrss starts from the process it was forked from; the figure
    must not. The runner here holds 300 MB of touched ballast; the program itself is tiny."""
    ballast = bytearray(300_000_000)
    for offset in range(0, len(ballast), 4096):
        ballast[offset] = 1
    result = execute(program("parameter_data = [1.0]\n"), names_file, timeout=60)
    del ballast
    assert result.status == OK
    assert result.peak_memory_bytes is not None
    assert result.peak_memory_bytes < 60_000_000, f"a tiny program reported {result.peak_memory_bytes / 1e6:.0f} MB"
