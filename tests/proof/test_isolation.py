"""An attempt runs where the repository cannot be reached by a relative path.

The runner copies the attempt into a fresh temporary directory beside its own `input.txt`,
so `__file__`, the working directory and every relative path point there: a file that tries
to borrow the original or a reference step by a relative path finds nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.paths import installed_root

PROJECT_ROOT = installed_root()

BORROWING = """\
import os
here = os.path.dirname(os.path.abspath(__file__))
for relative in ('original/microgpt.py', '../original/microgpt.py', '../../original/microgpt.py', 'steps/01_flatten_parameters.py'):
    for base in (here, os.getcwd()):
        candidate = os.path.join(base, relative)
        if os.path.exists(candidate):
            raise SystemExit('reached ' + candidate)
raise FileNotFoundError('nothing of the repository is reachable from ' + here)
"""


def test_an_attempt_cannot_reach_the_repository_by_a_relative_path(
    tmp_path: Path, make_seeded_cache: Callable[[Path], Path]
) -> None:
    attempt = tmp_path / "borrowing_attempt.py"
    cache = make_seeded_cache(tmp_path)
    attempt.write_text(BORROWING + "num_steps = 10\nfor sample_index in range(20):\n    pass\n", encoding="utf-8")
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    process = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "tools" / "run_step.py"),
            str(attempt),
            "--as",
            "01",
            "--profile",
            "quick",
            "--json",
            "--jobs",
            "1",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        check=False,
    )
    [record] = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    assert record["status"] == "crash", record
    assert "FileNotFoundError: nothing of the repository is reachable" in record["verdict"], record["verdict"]
