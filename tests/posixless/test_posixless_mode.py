"""Every command line with the POSIX-only parts of Python removed, as on Windows.

The folder's sitecustomize.py, first on PYTHONPATH, removes them from every interpreter
the command starts (the runner's child interpreters and the linter's workers included).
What this does not cover is listed in docs/laptops.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.cli import run_tool
from workbench.paths import installed_root

POSIXLESS = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork"),
    reason="this system has no POSIX parts to remove: the whole suite already runs without them",
)
MARKER = "MICROGPT_POSIXLESS"


@pytest.fixture(scope="module")
def posixless_environment(
    tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]
) -> dict[str, str]:
    """The environment of a command in this mode: its own cache (sharing the session's runs)."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("posixless"), share_runs=True)
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    for name in ("MICROGPT_NAMES_FILE", "MICROGPT_WORKSPACE", MARKER):
        environment.pop(name, None)
    environment["PYTHONPATH"] = os.pathsep.join([str(POSIXLESS), *filter(None, [os.environ.get("PYTHONPATH")])])
    return environment


def run_posixless(
    environment: dict[str, str], tool: str, *arguments: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        completed = run_tool(tool, *arguments, environment=environment, timeout=900)
    else:
        completed = subprocess.run(
            [sys.executable, str(installed_root() / "tools" / f"{tool}.py"), *arguments],
            cwd=installed_root(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=900,
            env=environment,
            check=False,
        )
    assert "Traceback" not in completed.stderr + completed.stdout, completed.stderr + completed.stdout
    return completed


PROBE = """
import json, multiprocessing, os, signal
removed = {}
for module in ("resource", "termios", "tty", "fcntl", "pwd", "grp"):
    try:
        __import__(module)
        removed[module] = False
    except ImportError:
        removed[module] = True
for name in ("killpg", "setsid", "getpgid", "fork", "getuid"):
    removed["os." + name] = not hasattr(os, name)
for name in ("SIGHUP", "SIGKILL", "SIGALRM"):
    removed["signal." + name] = not hasattr(signal, name)
print(json.dumps({"removed": removed, "start_methods": multiprocessing.get_all_start_methods(), "marker": os.environ.get("MICROGPT_POSIXLESS")}))
"""


def test_the_mode_removes_what_windows_lacks(posixless_environment: dict[str, str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=posixless_environment,
        timeout=120,
        check=True,
    )
    probe = json.loads(completed.stdout)
    assert all(probe["removed"].values()), probe["removed"]
    assert probe["start_methods"] == ["spawn"]
    assert probe["marker"] == "1"


def test_without_the_mode_the_same_probe_finds_them(posixless_environment: dict[str, str]) -> None:
    """The probe can fail: on this POSIX system, without the mode, nothing is removed."""
    if not hasattr(os, "killpg"):
        pytest.skip("this system has no POSIX parts to remove")
    environment = {**posixless_environment, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=environment, timeout=120, check=True
    )
    assert not any(json.loads(completed.stdout)["removed"].values())


def test_run_step_checks_a_step(posixless_environment: dict[str, str]) -> None:
    completed = run_posixless(posixless_environment, "run_step", "08", "--profile", "quick")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "step 08: IDENTICAL" in completed.stdout


def test_the_workshop_starts_checks_watches_and_examines_the_laptop(
    posixless_environment: dict[str, str], tmp_path: Path
) -> None:
    workspace = ["--workspace", str(tmp_path / "workspace")]
    started = run_posixless(posixless_environment, "workshop", *workspace, "start", "01")
    assert started.returncode == 0, started.stderr
    checked = run_posixless(posixless_environment, "workshop", *workspace, "check")
    assert checked.returncode == 1, (
        checked.stdout + checked.stderr
    )  # the starting file is the original: not step 01 yet
    assert "the program runs" in checked.stdout
    watched = run_posixless(posixless_environment, "workshop", *workspace, "watch", "--once")
    assert watched.returncode == 1 and "the program runs" in watched.stdout
    keys = run_posixless(posixless_environment, "workshop", *workspace, "watch", stdin="h\nq\n")
    assert keys.returncode == 1 and "stopped watching" in keys.stdout
    doctor = run_posixless(posixless_environment, "workshop", "doctor", "--format", "json")
    report = json.loads(doctor.stdout)
    assert doctor.returncode == 0 and report["ready"], doctor.stdout
    assert {finding["name"]: finding["status"] for finding in report["findings"]}["a first run"] in ("ok", "warning")


def test_lint_style_lints_files_and_gates_the_steps_with_spawned_workers(posixless_environment: dict[str, str]) -> None:
    files = run_posixless(posixless_environment, "lint_style", "original/microgpt.py")
    assert files.returncode == 1 and "no-class" in files.stdout
    steps = run_posixless(posixless_environment, "lint_style", "--steps")
    assert steps.returncode == 0, steps.stdout + steps.stderr


def test_lint_workers_really_start_with_spawn_in_this_mode(posixless_environment: dict[str, str]) -> None:
    """The linter falls back to one process when none can be started: prove they can."""
    script = (
        "from workbench.lint.workers import run_in_workers\n"
        "print(run_in_workers([-1, -2, 3], abs, workers=2, time_limit=60, describe_timeout=str, describe_crash=str))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=posixless_environment,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0 and completed.stdout.strip() == "[1, 2, 3]", completed.stderr


def test_diffstep_handout_and_export_git(posixless_environment: dict[str, str], tmp_path: Path) -> None:
    diff = run_posixless(posixless_environment, "diffstep", "05")
    assert diff.returncode == 0 and diff.stdout.strip()
    site = run_posixless(posixless_environment, "handout", str(tmp_path / "site"))
    assert site.returncode == 0 and (tmp_path / "site" / "index.html").is_file(), site.stderr
    export = run_posixless(posixless_environment, "export_git", str(tmp_path / "repository"))
    assert export.returncode == 0 and (tmp_path / "repository" / ".git").is_dir(), export.stderr
