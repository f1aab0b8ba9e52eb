"""`collect DIR...`: many learners' report.json files, one table for the facilitator.

Reports come from other people's machines, so each is read defensively: larger than
MAX_REPORT_BYTES, not JSON, another schema or version, or a field of the wrong type, and
the report is skipped with one sentence naming the file. Text from a report is shown as
text (never as markup) and stripped of control characters.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.workshop.report import REPORT_SCHEMA, REPORT_VERSION

MAX_REPORT_BYTES = 1_000_000
MAX_TEXT = 200
STATUSES = ("in progress", "passes", "proved")


@dataclass(frozen=True)
class StepEntry:
    step: int
    status: str
    hints_used: int
    seconds_to_pass: float | None
    failing_claims: tuple[str, ...]
    """The claims that fail in the last check."""
    ever_failed: tuple[str, ...] = ()
    """Every claim any check of the step found failing (empty in older reports)."""


@dataclass(frozen=True)
class LearnerReport:
    learner: str
    source: Path
    current_step: int | None
    steps: tuple[StepEntry, ...]


@dataclass(frozen=True)
class Collection:
    learners: tuple[LearnerReport, ...]
    skipped: tuple[str, ...]
    """One sentence per report that could not be used."""


def report_files(arguments: list[Path]) -> tuple[list[Path], list[str]]:
    """Every report.json under the given directories (or the files themselves)."""
    found: list[Path] = []
    problems: list[str] = []
    for argument in arguments:
        if argument.is_file():
            found.append(argument)
        elif argument.is_dir():
            found.extend(sorted(path for path in argument.rglob("report.json") if path.is_file()))
        else:
            problems.append(f"{argument} does not exist, so nothing was read from it.")
    return found, problems


def collect(arguments: list[Path]) -> Collection:
    files, skipped = report_files(arguments)
    learners: list[LearnerReport] = []
    for path in files:
        result = read_report(path)
        if isinstance(result, str):
            skipped.append(result)
        else:
            learners.append(result)
    return Collection(tuple(learners), tuple(skipped))


def read_report(path: Path) -> LearnerReport | str:
    """The report, or one sentence saying why it was skipped."""
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            return f"skipped {path}: {size:,} bytes is more than a report can be ({MAX_REPORT_BYTES:,} at most)."
        with path.open("rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
        if len(data) > MAX_REPORT_BYTES:
            return f"skipped {path}: it is more than {MAX_REPORT_BYTES:,} bytes."
        raw = json.loads(data.decode("utf-8"))
    except OSError as error:
        return f"skipped {path}: it cannot be read ({error.strerror})."
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return f"skipped {path}: it is not a JSON report."
    try:
        return _parse(raw, path)
    except _Malformed as problem:
        return f"skipped {path}: {problem}."


class _Malformed(Exception):
    pass


def _parse(raw: Any, path: Path) -> LearnerReport:
    if not isinstance(raw, dict) or raw.get("schema") != REPORT_SCHEMA:
        raise _Malformed("it is not a workshop report")
    if raw.get("version") != REPORT_VERSION or isinstance(raw.get("version"), bool):
        raise _Malformed(
            f"it has schema version {_clean(repr(raw.get('version')))}, and this workshop reads version {REPORT_VERSION}"
        )
    learner = raw.get("learner")
    current = raw.get("current_step")
    steps_raw = raw.get("steps")
    if not isinstance(learner, str):
        raise _Malformed("its learner is not text")
    if current is not None and not _is_step(current):
        raise _Malformed("its current_step is not a step number")
    if not isinstance(steps_raw, list) or len(steps_raw) > 100:
        raise _Malformed("its steps are not a list of steps")
    steps = tuple(_parse_step(entry) for entry in steps_raw)
    return LearnerReport(learner=_clean(learner) or "(no name)", source=path, current_step=current, steps=steps)


def _parse_step(entry: Any) -> StepEntry:
    if not isinstance(entry, dict):
        raise _Malformed("a step entry is not an object")
    step, status, hints = entry.get("step"), entry.get("status"), entry.get("hints_used")
    seconds, claims = entry.get("seconds_to_pass"), entry.get("claims")
    if not isinstance(step, int) or not _is_step(step):
        raise _Malformed("a step entry has no valid step number")
    if status not in STATUSES:
        raise _Malformed(f"step {step} has an unknown status")
    if isinstance(hints, bool) or not isinstance(hints, int) or not 0 <= hints <= 8:
        raise _Malformed(f"step {step} has a hints_used that is not 0 to 8")
    if seconds is not None and (
        isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < 1e9
    ):
        raise _Malformed(f"step {step} has a seconds_to_pass that is not a duration")
    if not isinstance(claims, list) or len(claims) > 500:
        raise _Malformed(f"step {step} has claims that are not a list")
    failing: list[str] = []
    for claim in claims:
        if (
            not isinstance(claim, dict)
            or not isinstance(claim.get("name"), str)
            or not isinstance(claim.get("holds"), bool)
        ):
            raise _Malformed(f"step {step} has a claim without a name or a holds flag")
        if not claim["holds"]:
            failing.append(_clean(claim["name"]))
    ever = entry.get("claims_ever_failed", [])
    if not isinstance(ever, list) or len(ever) > 500 or not all(isinstance(name, str) for name in ever):
        raise _Malformed(f"step {step} has claims_ever_failed that are not a list of claim names")
    return StepEntry(
        step=step,
        status=status,
        hints_used=hints,
        seconds_to_pass=float(seconds) if seconds is not None else None,
        failing_claims=tuple(failing),
        ever_failed=tuple(_clean(name) for name in ever),
    )


def _is_step(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 99


def _clean(text: str) -> str:
    printable = "".join(character for character in text if character.isprintable())
    return printable[:MAX_TEXT]


# --- the facilitator's view ---------------------------------------------------------------


@dataclass(frozen=True)
class StepSummary:
    step: int
    started: int
    passed: int
    proved: int
    median_minutes_to_pass: float | None
    median_hints: float | None


def where_is(learner: LearnerReport) -> str:
    """'step 07, in progress' for the learner's current step."""
    entries = {entry.step: entry for entry in learner.steps}
    if learner.current_step is None or learner.current_step not in entries:
        return "not started"
    return f"step {learner.current_step:02d}, {entries[learner.current_step].status}"


def step_summaries(learners: tuple[LearnerReport, ...]) -> list[StepSummary]:
    by_step: dict[int, list[StepEntry]] = {}
    for learner in learners:
        for entry in learner.steps:
            by_step.setdefault(entry.step, []).append(entry)
    summaries = []
    for step, entries in sorted(by_step.items()):
        passing = [entry for entry in entries if entry.status in ("passes", "proved")]
        times = [entry.seconds_to_pass / 60 for entry in passing if entry.seconds_to_pass is not None]
        summaries.append(
            StepSummary(
                step=step,
                started=len(entries),
                passed=len(passing),
                proved=sum(1 for entry in entries if entry.status == "proved"),
                median_minutes_to_pass=statistics.median(times) if times else None,
                median_hints=statistics.median([entry.hints_used for entry in entries]) if entries else None,
            )
        )
    return summaries


def tripping_claims(learners: tuple[LearnerReport, ...], limit: int = 10) -> list[tuple[str, int]]:
    """The claims that failed for the most learners: each learner counts once per claim
    that any of their checks of a step found failing (a claim they have since fixed too),
    or, from a report that does not list those, that fails in their last check of a step
    still in progress."""
    counts: Counter[str] = Counter()
    for learner in learners:
        failing = {
            f"step {entry.step:02d}: {claim}"
            for entry in learner.steps
            for claim in (*entry.ever_failed, *(entry.failing_claims if entry.status == "in progress" else ()))
        }
        counts.update(failing)
    return counts.most_common(limit)


def as_json(collection: Collection) -> dict[str, Any]:
    return {
        "learners": [
            {
                "learner": learner.learner,
                "report": str(learner.source),
                "where": where_is(learner),
                "hints_used": sum(entry.hints_used for entry in learner.steps),
                "steps": {f"{entry.step:02d}": entry.status for entry in learner.steps},
            }
            for learner in collection.learners
        ],
        "steps": [vars(summary) for summary in step_summaries(collection.learners)],
        "tripping_claims": [
            {"claim": claim, "learners": count} for claim, count in tripping_claims(collection.learners)
        ],
        "skipped": list(collection.skipped),
    }
