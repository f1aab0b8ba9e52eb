"""`workshop.py doctor`: every check on a ready machine, and every failure with its fix.

The machine is observed once (doctor.observe); each test replaces one observation by an
old Python, a missing or wrong dataset, a slow run, no terminal... and reads the verdict.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.console import make_console
from workbench.project import Project, open_project
from workbench.runner.dataset import NAMES_FILE_ENVIRONMENT_VARIABLE, Dataset
from workbench.runner.execute import RunResult
from workbench.workshop import doctor
from workbench.workshop.doctor import (
    PASSED,
    PROBLEM,
    SKIPPED,
    WARNING,
    Finding,
    Observations,
)
from workshop_support import PROJECT_ROOT, WORKSHOP


def finished_in(seconds: float) -> object:
    """A first run that took `seconds` (for checks of the other findings, without a run)."""

    def run(project: Project, dataset: Dataset, time_limit: float) -> RunResult:
        return RunResult(status="ok", parameters=("0x0p+0",), seconds_total=seconds)

    return run


@pytest.fixture
def project(shared_runner_cache: Path) -> Project:
    return open_project(PROJECT_ROOT, cache=shared_runner_cache)


@pytest.fixture
def ready(project: Project) -> Observations:
    """This machine, made ready: installed from this checkout, on a terminal with colour."""
    seen = doctor.observe(project, make_console(file=io.StringIO()), {})
    return replace(
        seen,
        installed_from=project.root,
        stdin_is_terminal=True,
        single_keys=True,
        colour_system="truecolor",
        library_versions={"libcst": "1.0", "rich": "13.0"},
        run_program=finished_in(2.0),  # type: ignore[arg-type]
    )


def by_name(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.name: finding for finding in findings}


def test_a_ready_machine_passes_every_check_and_exits_0(project: Project, ready: Observations) -> None:
    findings = doctor.diagnose(project, ready)
    assert [finding.status for finding in findings] == [PASSED] * 6, findings
    assert doctor.exit_code(findings) == 0
    assert doctor.summary(findings) == "Ready for the workshop. Next: python tools/workshop.py start 01"


def test_an_old_python_is_a_problem_with_its_fix(project: Project, ready: Observations) -> None:
    finding = doctor.check_python(replace(ready, python_version=(3, 10, 12)))
    assert finding.status == PROBLEM and "3.10.12" in finding.detail and "needs 3.11 or newer" in finding.detail
    assert finding.fix == doctor.FIX_PYTHON and "python.org" in finding.fix
    assert doctor.exit_code(doctor.diagnose(project, replace(ready, python_version=(3, 10, 12)))) == 1


def test_a_python_newer_than_tested_is_a_warning(ready: Observations) -> None:
    assert doctor.check_python(replace(ready, python_version=(3, 14, 0))).status == WARNING


def test_a_missing_library_is_a_problem_and_another_checkout_a_warning(ready: Observations, tmp_path: Path) -> None:
    missing = doctor.check_libraries(replace(ready, library_versions={"libcst": None, "rich": "13.0"}))
    assert missing.status == PROBLEM and "missing: libcst" in missing.detail and "pip install -e ." in missing.fix
    elsewhere = doctor.check_libraries(replace(ready, installed_from=tmp_path))
    assert elsewhere.status == WARNING and str(tmp_path) in elsewhere.detail and "pip install -e ." in elsewhere.fix
    not_installed = doctor.check_libraries(replace(ready, installed_from=None))
    assert not_installed.status == WARNING and "not installed" in not_installed.detail


def test_no_dataset_and_no_network_is_a_problem_pointing_to_the_facilitators_copy(
    project: Project, ready: Observations, tmp_path: Path
) -> None:
    def no_wifi(url: str, destination: Path) -> None:
        raise OSError("Network is unreachable")

    seen = replace(ready, cache=tmp_path / "empty-cache", download=no_wifi)
    finding, dataset = doctor.check_dataset(seen)
    assert dataset is None and finding.status == PROBLEM
    assert "could not be downloaded" in finding.detail and "Network is unreachable" in finding.detail
    assert (
        NAMES_FILE_ENVIRONMENT_VARIABLE in finding.fix and "--data PATH" in finding.fix and "facilitator" in finding.fix
    )
    assert str(tmp_path / "empty-cache" / "data" / "names.txt") in finding.fix
    findings = by_name(doctor.diagnose(project, seen))
    assert findings["a first run"].status == SKIPPED


def test_a_wrong_names_file_is_a_problem_naming_its_sha256(ready: Observations, tmp_path: Path) -> None:
    wrong = tmp_path / "names.txt"
    wrong.write_text("emma\nolivia\n", encoding="utf-8")
    finding, dataset = doctor.check_dataset(replace(ready, environment={NAMES_FILE_ENVIRONMENT_VARIABLE: str(wrong)}))
    assert dataset is None and finding.status == PROBLEM
    assert "is not the standard dataset" in finding.detail and "its sha256 is" in finding.detail
    assert NAMES_FILE_ENVIRONMENT_VARIABLE in finding.fix


def test_a_first_run_really_runs_the_original_and_times_it(project: Project, ready: Observations) -> None:
    seen = replace(ready, run_program=None, expected_seconds=600.0)
    finding = doctor.check_first_run(project, seen, doctor.check_dataset(seen)[1])
    assert finding.status == PASSED, finding
    assert (
        finding.detail.startswith("the original on the quick profile ran in ") and "temporary folder" in finding.detail
    )


def test_a_slow_laptop_learns_it_now(project: Project, ready: Observations) -> None:
    dataset = doctor.check_dataset(ready)[1]
    slower = doctor.check_first_run(project, replace(ready, run_program=finished_in(45.0)), dataset)
    assert slower.status == WARNING and "took 45.0 s, slower than the 30 s expected" in slower.detail
    assert "a workshop check will take about 135 s" in slower.detail and slower.fix == doctor.FIX_SLOW
    too_slow = doctor.check_first_run(project, replace(ready, run_program=None, time_limit=0.05), dataset)
    assert (
        too_slow.status == PROBLEM
        and "did not finish within 0.05 s" in too_slow.detail
        and too_slow.fix == doctor.FIX_SLOW
    )


def test_a_run_that_fails_is_a_problem(project: Project, ready: Observations) -> None:
    def crashes(project: Project, dataset: Dataset, time_limit: float) -> RunResult:
        return RunResult(status="crash", error="crashed at original/microgpt.py:12: MemoryError")

    finding = doctor.check_first_run(project, replace(ready, run_program=crashes), doctor.check_dataset(ready)[1])
    assert finding.status == PROBLEM and "MemoryError" in finding.detail and finding.fix == doctor.FIX_RUN_FAILED


def test_no_terminal_means_watch_reads_lines(ready: Observations) -> None:
    piped = doctor.check_terminal(replace(ready, stdin_is_terminal=False))
    assert piped.status == WARNING and "one per line" in piped.detail and piped.fix == doctor.FIX_NO_TERMINAL
    no_keys = doctor.check_terminal(replace(ready, single_keys=False))
    assert no_keys.status == WARNING and "no single-key input" in no_keys.detail
    no_colour = doctor.check_terminal(replace(ready, colour_system=None))
    assert no_colour.status == WARNING and "no colour" in no_colour.detail


def test_a_full_disk_is_a_problem(project: Project, ready: Observations) -> None:
    finding = doctor.check_disk(replace(ready, free_bytes=50 << 20))
    assert (
        finding.status == PROBLEM and "only 50 MiB free" in finding.detail and "MICROGPT_WORKBENCH_CACHE" in finding.fix
    )
    assert doctor.check_disk(replace(ready, free_bytes=None)).status == WARNING


def test_the_screen_lists_each_problem_with_its_fix(project: Project, ready: Observations) -> None:
    findings = doctor.diagnose(project, replace(ready, python_version=(3, 10, 0), free_bytes=1 << 20))
    console = make_console(file=io.StringIO())
    console.print(doctor.render(findings))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count("fix: ") == 2 and "✘ Python" in text and "✘ disk space" in text
    assert "Not ready: 2 problems will stop the workshop" in text


def _doctor(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKSHOP), "doctor", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        check=False,
    )


def test_the_command_on_this_machine_is_ready_and_speaks_json() -> None:
    completed = _doctor("--format", "json", environment=dict(os.environ))
    report = json.loads(completed.stdout)
    assert completed.returncode == 0 and report["ready"] is True, completed.stdout + completed.stderr
    assert [finding["name"] for finding in report["findings"]] == [
        "Python",
        "libraries",
        "dataset",
        "a first run",
        "terminal",
        "disk space",
    ]


def test_the_command_with_a_wrong_names_file_exits_1_with_the_fix(tmp_path: Path) -> None:
    wrong = tmp_path / "names.txt"
    wrong.write_text("emma\n", encoding="utf-8")
    completed = _doctor(environment={**os.environ, NAMES_FILE_ENVIRONMENT_VARIABLE: str(wrong)})
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "✘ dataset" in completed.stdout and "fix: ask the facilitator for a copy of names.txt" in completed.stdout
    assert "- a first run: not tried: it needs the dataset" in completed.stdout
    assert "Not ready: 1 problem will stop the workshop; fix it, then run doctor again." in completed.stdout
    assert "Traceback" not in completed.stderr


def test_the_install_is_found_behind_the_build_leftover_of_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python tools/X.py` puts tools/ first on the path, where `pip install -e .` leaves an
    .egg-info without direct_url.json: the editable install behind it is still found."""
    leftover = tmp_path / "tools" / "microgpt_dod_workbench.egg-info"
    leftover.mkdir(parents=True)
    (leftover / "PKG-INFO").write_text(
        "Metadata-Version: 2.1\nName: microgpt-dod-workbench\nVersion: 0.1.0\n", encoding="utf-8"
    )
    installed = tmp_path / "site-packages" / "microgpt_dod_workbench-0.1.0.dist-info"
    installed.mkdir(parents=True)
    (installed / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: microgpt-dod-workbench\nVersion: 0.1.0\n", encoding="utf-8"
    )
    checkout = tmp_path / "my checkout"
    (installed / "direct_url.json").write_text(
        json.dumps({"url": checkout.as_uri(), "dir_info": {"editable": True}}), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(installed.parent))
    monkeypatch.syspath_prepend(str(leftover.parent))
    assert doctor._installed_from() == checkout
