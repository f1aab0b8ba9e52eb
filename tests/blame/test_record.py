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
    environment = {
        **os.environ,
        "MICROGPT_WORKBENCH_CACHE": str(make_seeded_cache(tmp_path / "cache-root", share_runs=True)),
    }
    environment.pop("MICROGPT_NAMES_FILE", None)
    process = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "run_step.py"),
            str(path),
            "--as",
            "06",
            "--profile",
            "quick",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
        check=False,
    )
    assert process.returncode == 1, process.stderr
    record = json.loads(process.stdout.strip().splitlines()[-1])
    blame = record["blame"]
    assert blame["function"] == "tape_backward" and blame["call"] == "first call (training step 1)"
    assert mistake.source().splitlines()[blame["line"] - 1].startswith("def tape_backward(")
    assert blame["expected"] != blame["got"] and blame["summary"].startswith("your tape_backward differs")
    replay = [claim for claim in record["contract"] if claim["kind"] == "replay"]
    assert [claim["holds"] for claim in replay] == [False]


@pytest.mark.slow
@pytest.mark.runner
def test_a_file_that_only_prints_the_default_run_fails_the_plain_check(
    tmp_path: Path, make_seeded_cache: Callable[..., Path], names_file: Path
) -> None:
    """Step 11's quick-profile output and final parameters, replayed without computing them:
    identical under the check's own profile, not under its one held setting."""
    from proof.attempts import capture_run, load_sources, printed_output_attempt

    from workbench.programs import attempt_program
    from workbench.project import open_project
    from workbench.runner.check import SPOT_SETTING, check_targets
    from workbench.runner.dataset import resolve_dataset
    from workbench.runner.settings import make_settings

    sources = load_sources()
    attempt = printed_output_attempt(sources, capture_run(sources, 11, names_file))
    path = tmp_path / attempt.file_name
    path.write_text(attempt.source, encoding="utf-8")
    project = open_project(ROOT, cache=make_seeded_cache(tmp_path / "cache-root", share_runs=True))
    settings = make_settings(project, profile="quick", assignments=[], dataset=resolve_dataset(cache=project.cache))
    [result] = check_targets(project, [attempt_program(project.plan, path, "11")], settings).results
    assert result.verdict is not None and result.verdict.identical, result.summary
    assert not result.identical
    assert [claim.name for claim in result.contract if not claim.holds] == [
        f"identical under {SPOT_SETTING.describe()}"
    ]
