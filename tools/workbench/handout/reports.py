"""Learners' workshop reports: which claims tripped people most.

The reports are the workshop's own `report.json` files (`tools/workshop.py`, schema
"microgpt-workshop-report" version 1, documented in workbench.workshop.report), read by
the workshop's own reader (workbench.workshop.collect), so the facilitator sheet and
`workshop.py collect` agree. `handout.py --reports DIR` reads every `*.json` file in DIR
and below it (a facilitator may name them after the learners). A file the reader cannot
use is skipped with its one sentence; the other reports still count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from workbench.workshop.collect import LearnerReport, read_report


@dataclass(frozen=True)
class TrippedClaim:
    step: str
    claim: str
    tripped: int
    """How many learners' last check of the step found this claim not holding."""
    attempts: int
    """How many learners' reports have the step."""


@dataclass(frozen=True)
class ReportSummary:
    folder: str
    reports_read: int
    skipped: tuple[str, ...]
    """One sentence per file that was not used."""
    tripped: tuple[TrippedClaim, ...]
    """Claims that failed at least once, most tripped first."""


def report_paths(folder: Path) -> list[Path]:
    """Every report file the facilitator sheet reads from `folder`, in a fixed order."""
    return sorted(path for path in folder.rglob("*.json") if path.is_file())


def read_reports(folder: Path) -> ReportSummary:
    """Tally every usable report in `folder`; skip the others with a reason each."""
    learners: list[LearnerReport] = []
    skipped: list[str] = []
    for path in report_paths(folder):
        result = read_report(path)
        if isinstance(result, str):
            skipped.append(result)
        else:
            learners.append(result)
    tripped: Counter[tuple[str, str]] = Counter()
    attempts: Counter[str] = Counter()
    for learner in learners:
        for entry in learner.steps:
            label = f"{entry.step:02d}"
            attempts[label] += 1
            for name in sorted(set(entry.failing_claims)):
                tripped[(label, " ".join(name.split()))] += 1
    ranking = sorted(tripped.items(), key=lambda item: (-item[1], item[0]))
    return ReportSummary(
        folder=str(folder),
        reports_read=len(learners),
        skipped=tuple(skipped),
        tripped=tuple(TrippedClaim(step, name, count, attempts[step]) for (step, name), count in ranking),
    )
