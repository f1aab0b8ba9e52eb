"""`workspace/report.json`: one learner's progress, for the facilitator.

Written after every command that changes the state. Schema version 1 (JSON, one object):

    schema     "microgpt-workshop-report"
    version    1
    learner    the learner's name (text)
    written_at ISO 8601 UTC time
    current_step  the step being worked on (int or null)
    steps      a list, one entry per started step, in step order:
      step                     int, 1..11
      status                   "in progress" | "passes" | "proved"
      hints_used               int, 0..8
      started_at, passed_at, proved_at   ISO 8601 UTC time or null
      seconds_to_pass          from start to the first passing check (number or null)
      final_parameters_sha256  sha256 of the passing quick check's final parameters (text or null)
      claims                   the last check's claims: [{name, kind, holds, detail}]
      first_divergence         the last check's first divergence: {kind, summary, lines} or null
      blame                    the last check's place at fault: {function, line, call, expected, got,
                               phase, summary} (function "<module>" for module-level code) or null
      claims_ever_failed       the name of every claim any check of this step found failing
                               (optional: reports written before it lack it, and `collect`
                               then counts the last check's failing claims only)

`collect` (workbench.workshop.collect) reads exactly this, and nothing it does not
recognise.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from workbench.files import write_text_atomically
from workbench.plan import Plan
from workbench.workshop.workspace import State, Workspace, now, status_of

REPORT_SCHEMA = "microgpt-workshop-report"
REPORT_VERSION = 1


def build_report(workspace: Workspace, state: State, plan: Plan) -> dict[str, Any]:
    steps: list[dict[str, Any]] = []
    for number, step_state in sorted(state.steps.items()):
        last = step_state.last_check or {}
        steps.append(
            {
                "step": number,
                "status": status_of(workspace, state, number),
                "hints_used": step_state.hints_used,
                "started_at": step_state.started_at,
                "passed_at": step_state.passed_at,
                "proved_at": step_state.proved_at,
                "seconds_to_pass": seconds_between(step_state.started_at, step_state.passed_at),
                "final_parameters_sha256": step_state.final_parameters_sha256,
                "claims": [
                    {"name": claim["name"], "kind": claim["kind"], "holds": claim["holds"], "detail": claim["detail"]}
                    for claim in last.get("claims", [])
                ],
                "first_divergence": last.get("first_divergence"),
                "blame": last.get("blame"),
                "claims_ever_failed": list(step_state.claims_failed),
            }
        )
    return {
        "schema": REPORT_SCHEMA,
        "version": REPORT_VERSION,
        "learner": state.learner,
        "written_at": now(),
        "current_step": state.current_step,
        "steps": steps,
    }


def write_report(workspace: Workspace, state: State, plan: Plan) -> None:
    write_text_atomically(
        workspace.report_path, json.dumps(build_report(workspace, state, plan), indent=2, ensure_ascii=False) + "\n"
    )


def seconds_between(start: str | None, end: str | None) -> float | None:
    if start is None or end is None:
        return None
    try:
        return (
            datetime.fromisoformat(end.replace("Z", "+00:00")) - datetime.fromisoformat(start.replace("Z", "+00:00"))
        ).total_seconds()
    except ValueError:
        return None
