"""Learners' workshop reports: which claims tripped people most.

The reports are the workshop's own `report.json` files (`tools/workshop.py`, schema
"microgpt-workshop-report" version 1, documented in workbench.workshop.report), read by
the workshop's own reader (workbench.workshop.collect), so the facilitator sheet and
`workshop.py collect` agree. `handout.py --reports DIR` reads every `*.json` file in DIR
and below it (a facilitator may name them after the learners). A file the reader cannot
use is skipped with its one sentence, naming the file relative to DIR (a published
sheet holds no folder of the facilitator's machine); the other reports still count. A
report's step that the plan does not have is listed as text, never linked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
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
    in_plan: bool
    """False for a step the plan does not have (a learner's report from another plan): no page to link."""

    @property
    def href(self) -> str | None:
        return f"step-{self.step}.html" if self.in_plan else None


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


def read_reports(folder: Path, plan_labels: Collection[str]) -> ReportSummary:
    """Tally every usable report in `folder`; skip the others with a reason each.

    `plan_labels` are the plan's step labels ('01', ...): only those get a link."""
    learners: list[LearnerReport] = []
    skipped: list[str] = []
    for path in report_paths(folder):
        result = read_report(path)
        if isinstance(result, str):
            skipped.append(result.replace(str(path), path.relative_to(folder).as_posix()))
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
        folder=folder.name,
        reports_read=len(learners),
        skipped=tuple(skipped),
        tripped=tuple(
            TrippedClaim(step, name, count, attempts[step], step in plan_labels) for (step, name), count in ranking
        ),
    )
