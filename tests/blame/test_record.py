"""The JSON record of a check carries the place at fault as data (`run_step.py FILE --as NN --format json`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .mistakes import MISTAKES, ROOT


@pytest.mark.slow
@pytest.mark.runner
def test_the_json_record_names_the_function_at_fault(tmp_path: Path, make_seeded_cache: Callable[..., Path]) -> None:
    [mistake] = [mistake for mistake in MISTAKES if mistake.id == "backward-runs-forward"]
    path = mistake.write(tmp_path)
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(make_seeded_cache(tmp_path / "cache-root", share_runs=True))}
    environment.pop("MICROGPT_NAMES_FILE", None)
    process = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_step.py"), str(path), "--as", "06", "--profile", "quick", "--format", "json"],
        capture_output=True, text=True, env=environment, timeout=900, check=False,
    )
    assert process.returncode == 1, process.stderr
    record = json.loads(process.stdout.strip().splitlines()[-1])
    blame = record["blame"]
    assert blame["function"] == "tape_backward" and blame["call"] == "first call (training step 1)"
    assert mistake.source().splitlines()[blame["line"] - 1].startswith("def tape_backward(")
    assert blame["expected"] != blame["got"] and blame["summary"].startswith("your tape_backward differs")
    replay = [claim for claim in record["contract"] if claim["kind"] == "replay"]
    assert [claim["holds"] for claim in replay] == [False]
