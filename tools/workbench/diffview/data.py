"""diffstep's machine-readable forms: a comparison (or the step list) as JSON or Markdown.

JSON carries the facts the terminal view shows (sides, renames, the semantic summary, line
counts, the recorded verdict, the style debt, the hunks); Markdown is the story's header
followed by the unified diff in a fenced block, for notes and pull requests.
"""

from __future__ import annotations

from typing import Any

from workbench.diffview.comparison import Comparison
from workbench.paths import display_path
from workbench.plan import Plan
from workbench.programs import Program, all_programs
from workbench.runner.records import VerdictLookup


def _side(program: Program) -> dict[str, Any]:
    return {
        "label": program.label,
        "title": program.plan_title,
        "file": display_path(program.path),
        "commit": program.commit,
    }


def _verdict(program: Program, lookup: VerdictLookup) -> dict[str, Any]:
    record = lookup.record
    return {
        "target": program.label,
        "recorded": None
        if record is None
        else {
            "profile": record.profile,
            "identical": record.identical,
            "level": record.level,
            "summary": record.summary,
            "recorded_at": record.recorded_at,
        },
        "stale_profiles": list(lookup.stale_profiles),
        "problems": list(lookup.problems),
    }


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    """One comparison as a JSON object."""
    summary = comparison.summary
    debt = comparison.style_debt
    return {
        "older": _side(comparison.older),
        "newer": _side(comparison.newer),
        "single_step": comparison.is_single_step,
        "renames": dict(comparison.renames),
        "lines_added": comparison.diff.lines_added,
        "lines_removed": comparison.diff.lines_removed,
        "changes": None
        if summary is None
        else [
            {
                "kind": str(change.kind),
                "name": change.name,
                "old_name": change.old_name,
                "status": str(change.status),
                "signature_changed": change.signature_changed,
                "body_changed": change.body_changed,
            }
            for change in summary.changes
        ],
        "rename_sites": None
        if summary is None
        else [
            {"old": rename.old, "new": rename.new, "sites": rename.sites, "confirmed": rename.confirmed}
            for rename in summary.renames
        ],
        "summary_problem": comparison.summary_problem,
        "verdicts": [_verdict(program, lookup) for program, lookup in comparison.verdicts],
        "style_debt": None if debt is None else {"before": debt.before, "after": debt.after, "error": debt.error},
        "hunks": [
            {"header": hunk.header, "lines": [line.marker + line.text for line in hunk.lines]}
            for hunk in comparison.diff.hunks
        ],
    }


def comparison_markdown(comparison: Comparison) -> str:
    """One comparison as Markdown: a heading, the newer step's story in short, the diff."""
    older, newer = comparison.older, comparison.newer
    lines = [
        f"## {newer.plan_title}: {newer.commit}"
        if comparison.is_single_step
        else f"## {older.plan_title} -> {newer.plan_title}",
        "",
    ]
    if comparison.is_single_step and newer.step is not None:
        lines += [f"*Level:* {newer.step.level}. {newer.step.what}", ""]
    lines += [
        f"`{display_path(older.path)}` -> `{display_path(newer.path)}`: +{comparison.diff.lines_added} -{comparison.diff.lines_removed} lines",
        "",
    ]
    lines += ["```diff", f"--- {display_path(older.path)}", f"+++ {display_path(newer.path)}"]
    for hunk in comparison.diff.hunks:
        lines.append(hunk.header)
        lines.extend(line.marker + line.text for line in hunk.lines)
    lines.append("```")
    return "\n".join(lines)


def step_list_record(plan: Plan) -> dict[str, Any]:
    """The plan's programs as a JSON object: label, level, commit, file, whether it exists."""
    return {
        "title": plan.title,
        "steps": [
            {
                **_side(program),
                "level": program.level,
                "phase": None if program.step is None else program.step.phase,
                "exists": program.exists(),
            }
            for program in all_programs(plan)
        ],
    }


def step_list_markdown(plan: Plan) -> str:
    """The plan's programs as a Markdown table."""
    lines = [f"## {plan.title}", "", "| step | level | commit message | file |", "| --- | --- | --- | --- |"]
    for program in all_programs(plan):
        level = "" if program.step is None else program.level
        status = "ok" if program.exists() else "missing"
        lines.append(f"| {program.label} | {level} | {program.commit.replace('|', chr(92) + '|')} | {status} |")
    return "\n".join(lines)
