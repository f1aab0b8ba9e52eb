"""The supported Pythons other than the one running the tests (3.11 to 3.13): a step checked
end to end under each, its runs in child interpreters of that same Python, and its output
and parameters bit-identical to the golden file recorded under another.

An interpreter is found on PATH (python3.12, python3.13) or under pyenv; the test is skipped,
with the reason, when it is missing or lacks the workbench's libraries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.paths import installed_root

pytestmark = pytest.mark.slow


def find_python(version: str) -> Path | None:
    """The first interpreter that really is Python `version`: on PATH (a pyenv shim on PATH
    may refuse to run), then in pyenv's versions folder."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    on_path = shutil.which(f"python{version}")
    candidates = [*([Path(on_path)] if on_path else []), *sorted(pyenv.glob(f"{version}.*/bin/python"), reverse=True)]
    for candidate in candidates:
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_a_step_is_checked_bit_identical_under_another_python(
    version: str, tmp_path: Path, make_seeded_cache: Callable[..., Path]
) -> None:
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} here (python{version} on PATH, or pyenv)")
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        pytest.skip(f"the tests themselves run under Python {version}")
    probe = subprocess.run(
        [str(python), "-c", "import libcst, rich"], capture_output=True, text=True, timeout=120, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"Python {version} ({python}) lacks libcst or rich: {python} -m pip install libcst rich")
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(make_seeded_cache(tmp_path))}
    environment.pop("MICROGPT_NAMES_FILE", None)
    environment.pop("PYTHONPATH", None)  # each tool puts its own checkout first
    completed = subprocess.run(
        [str(python), str(installed_root() / "tools" / "run_step.py"), "03", "--profile", "quick", "--json"],
        cwd=installed_root(),
        capture_output=True,
        text=True,
        timeout=1200,
        env=environment,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    [record] = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    assert (
        record["identical"] is True
        and record["parameters_bit_identical"] is True
        and record["output_identical"] is True
    )
    linted = subprocess.run(
        [str(python), str(installed_root() / "tools" / "lint_style.py"), "--steps"],
        cwd=installed_root(),
        capture_output=True,
        text=True,
        timeout=1200,
        env=environment,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
