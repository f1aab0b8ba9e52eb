"""Learners' workshop reports: which claims tripped people most.

A report is one JSON file per learner (any name ending in .json) in the folder given with
`handout.py --reports DIR`:

    {
      "format": "microgpt-workshop-report",
      "version": 1,
      "learner": "Ada",                                  optional, never shown
      "attempts": [
        {"step": "07",
         "claims": [{"name": "no class anywhere", "holds": false},
                    {"name": "output identical to the original", "holds": true}]}
      ]
    }

`step` is a step label ("07" or 7); each claim's `name` is as the runner words it (the
`claims` of a verdict record, or the `contract` of `run_step.py FILE --as 07 --json`).
Files larger than 1 MiB, unreadable JSON or another shape are skipped, each with one
sentence saying why; the other reports still count.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPORT_FORMAT = "microgpt-workshop-report"
REPORT_VERSION = 1
MAXIMUM_REPORT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class TrippedClaim:
    step: str
    claim: str
    tripped: int
    """How many attempts found this claim not holding."""
    attempts: int
    """How many attempts checked it."""


@dataclass(frozen=True)
class ReportSummary:
    folder: str
    reports_read: int
    skipped: tuple[str, ...]
    """One sentence per file that was not used."""
    tripped: tuple[TrippedClaim, ...]
    """Claims that failed at least once, most tripped first."""


class _Rejected(Exception):
    pass


def _step_label(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:02d}"
    if isinstance(value, str) and value.strip().isdigit():
        return f"{int(value):02d}"
    raise _Rejected("an attempt's 'step' is not a step number")


def _attempts(document: Any) -> list[tuple[str, list[tuple[str, bool]]]]:
    if not isinstance(document, dict) or document.get("format") != REPORT_FORMAT:
        raise _Rejected(f"it is not a workshop report (its 'format' is not \"{REPORT_FORMAT}\")")
    if document.get("version") != REPORT_VERSION:
        raise _Rejected(f"its version is {document.get('version')!r}, and this handout reads version {REPORT_VERSION}")
    attempts = document.get("attempts")
    if not isinstance(attempts, list):
        raise _Rejected("its 'attempts' is not a list")
    parsed: list[tuple[str, list[tuple[str, bool]]]] = []
    for attempt in attempts:
        if not isinstance(attempt, dict) or not isinstance(attempt.get("claims"), list):
            raise _Rejected("an attempt has no list of 'claims'")
        claims: list[tuple[str, bool]] = []
        for claim in attempt["claims"]:
            if not isinstance(claim, dict) or not isinstance(claim.get("name"), str) or not isinstance(claim.get("holds"), bool):
                raise _Rejected("a claim lacks a text 'name' or a true/false 'holds'")
            claims.append((" ".join(claim["name"].split()), claim["holds"]))
        parsed.append((_step_label(attempt.get("step")), claims))
    return parsed


def read_reports(folder: Path) -> ReportSummary:
    """Tally every readable report in `folder`; skip the others with a reason each."""
    tripped: Counter[tuple[str, str]] = Counter()
    checked: Counter[tuple[str, str]] = Counter()
    skipped: list[str] = []
    read = 0
    for path in sorted(folder.glob("*.json")):
        try:
            if not path.is_file():
                raise _Rejected("it is not a file")
            if path.stat().st_size > MAXIMUM_REPORT_BYTES:
                raise _Rejected(f"it is larger than {MAXIMUM_REPORT_BYTES // 1024} KiB")
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise _Rejected(f"it is not readable JSON ({error.__class__.__name__})") from None
            attempts = _attempts(document)
        except _Rejected as reason:
            skipped.append(f"skipped the report {path.name}: {reason}.")
            continue
        except OSError as error:
            skipped.append(f"skipped the report {path.name}: it cannot be read ({error.strerror}).")
            continue
        read += 1
        for step, claims in attempts:
            for name, holds in claims:
                checked[(step, name)] += 1
                if not holds:
                    tripped[(step, name)] += 1
    ranking = sorted(tripped.items(), key=lambda item: (-item[1], item[0]))
    return ReportSummary(
        folder=str(folder),
        reports_read=read,
        skipped=tuple(skipped),
        tripped=tuple(TrippedClaim(step, name, count, checked[(step, name)]) for (step, name), count in ranking),
    )
