"""`collect`: many reports, one table; malformed, hostile and huge reports are skipped
with one sentence naming the file, and the table is printed anyway."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Run = Callable[..., subprocess.CompletedProcess[str]]


def report(learner: str, steps: list[dict[str, Any]], current: int | None = None) -> dict[str, Any]:
    return {
        "schema": "microgpt-workshop-report",
        "version": 1,
        "learner": learner,
        "written_at": "2026-01-01T00:00:00Z",
        "current_step": current,
        "steps": steps,
    }


def entry(step: int, status: str, hints: int, seconds: float | None, failing: Sequence[str] = ()) -> dict[str, Any]:
    claims = [{"name": name, "kind": "contract", "holds": False, "detail": ""} for name in failing]
    claims.append({"name": "the program runs", "kind": "runs", "holds": True, "detail": ""})
    return {
        "step": step,
        "status": status,
        "hints_used": hints,
        "started_at": None,
        "passed_at": None,
        "proved_at": None,
        "seconds_to_pass": seconds,
        "final_parameters_sha256": None,
        "claims": claims,
        "first_divergence": None,
    }


def write(path: Path, content: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def room(tmp_path: Path) -> Path:
    directory = tmp_path / "room"
    write(
        directory / "ada" / "report.json",
        report("Ada", [entry(1, "passes", 1, 600), entry(2, "in progress", 3, None, ["no docs, uchars left"])], 2),
    )
    write(
        directory / "bob" / "report.json",
        report(
            "[bold red]Bob[/]\x1b[2J",
            [entry(1, "passes", 3, 1200), entry(2, "in progress", 0, None, ["no docs, uchars left"])],
            2,
        ),
    )
    write(directory / "old" / "report.json", {**report("Old", []), "version": 0})
    write(directory / "types" / "report.json", report("Typo", [{**entry(1, "passes", 1, 10), "hints_used": "many"}]))
    write(directory / "broken" / "report.json", "{not json")
    huge = directory / "huge" / "report.json"
    huge.parent.mkdir(parents=True)
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    return directory


def test_the_table_despite_bad_reports(run_workshop: Run, tmp_path: Path) -> None:
    result = run_workshop("collect", str(room(tmp_path)))
    assert result.returncode == 0, result.stderr
    for name in ("old", "types", "broken", "huge"):
        assert any(f"/{name}/report.json" in line for line in result.stderr.splitlines()), name
    assert len([line for line in result.stderr.splitlines() if line.startswith("skipped")]) == 4
    assert "Ada" in result.stdout and "[bold red]Bob[/]" in result.stdout, "names are text, not markup"
    assert "\x1b" not in result.stdout
    assert "no docs, uchars left" in result.stdout


def test_json_and_markdown(run_workshop: Run, tmp_path: Path) -> None:
    directory = room(tmp_path)
    data = json.loads(run_workshop("collect", str(directory), "--format", "json").stdout)
    assert sorted(learner["learner"] for learner in data["learners"]) == ["Ada", "[bold red]Bob[/][2J"], (
        "control characters are dropped"
    )
    step_one = next(step for step in data["steps"] if step["step"] == 1)
    assert step_one["passed"] == 2 and step_one["median_minutes_to_pass"] == 15.0 and step_one["median_hints"] == 2
    assert data["tripping_claims"][0] == {"claim": "step 02: no docs, uchars left", "learners": 2}
    assert len(data["skipped"]) == 4
    markdown = run_workshop("collect", str(directory), "--format", "markdown").stdout
    assert "| step | started | passed |" in markdown and "| 01 | 2 | 2 | 0 | 15.0 | 2 |" in markdown


def test_a_missing_directory_is_a_usage_error_in_one_sentence(run_workshop: Run, tmp_path: Path) -> None:
    result = run_workshop("collect", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_claim_counts_every_learner_who_ever_failed_it(run_workshop: Run, tmp_path: Path) -> None:
    """Cy failed the claim before passing; Ada fails it now; Old's report predates the list
    of claims ever failed, so only its last check counts."""
    directory = tmp_path / "room"
    claim = "no docs, uchars left"
    write(directory / "ada" / "report.json", report("Ada", [entry(2, "in progress", 1, None, [claim])], 2))
    write(
        directory / "cy" / "report.json",
        report("Cy", [{**entry(2, "passes", 2, 900), "claims_ever_failed": [claim, "the program runs"]}], 2),
    )
    write(directory / "di" / "report.json", report("Di", [{**entry(2, "passes", 0, 300), "claims_ever_failed": []}], 2))
    data = json.loads(run_workshop("collect", str(directory), "--format", "json").stdout)
    assert data["tripping_claims"] == [
        {"claim": f"step 02: {claim}", "learners": 2},
        {"claim": "step 02: the program runs", "learners": 1},
    ]
    write(
        directory / "bad" / "report.json", report("Bad", [{**entry(2, "passes", 0, 300), "claims_ever_failed": [3]}], 2)
    )
    result = run_workshop("collect", str(directory))
    assert "claims_ever_failed that are not a list of claim names" in result.stderr
