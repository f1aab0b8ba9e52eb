"""The header's verdict (from the runner's cached records) and style debt (from the linter)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from testkit.cli import tool_main
from testkit.diffview import HandMadeProject
from workbench.diffview import style_debt
from workbench.diffview.style_debt import measure_style_debt
from workbench.errors import run_command_line
from workbench.lint.errors import SourceError
from workbench.plan import Plan
from workbench.runner.records import VerdictRecord, find_verdict, verdict_path, write_verdict

main = tool_main("diffstep")


def write_record(cache: Path, label: str, profile: str, source: Path | None, **overrides: object) -> Path:
    """A verdict record written through the runner's records module (the one writer), for
    `source` as it is now (None: for some other version of the file)."""
    fields: dict[str, object] = {
        "target": label,
        "profile": profile,
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest() if source else "0" * 64,
        "identical": True,
        "level": "bit",
        "summary": "identical at bit level",
        "max_parameter_difference": 0.0,
        "status": "ok",
        "recorded_at": "2025-01-01T12:00:00+00:00",
        "settings": {"knobs": {}, "dataset_sha256": "0" * 64, "dataset": "standard"},
        "losses": None,
        "samples": None,
        "timings": None,
        "relative_to_original": None,
        "claims": (),
    }
    fields.update(overrides)
    return write_verdict(cache, VerdictRecord(**fields))  # type: ignore[arg-type]


def header(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    """The --stat output with its wrapping undone: words separated by single spaces."""
    assert run_command_line(main, [*arguments, "--stat"]) == 0
    return " ".join(capsys.readouterr().out.split())


def test_a_matching_full_record_is_preferred_over_quick(
    tool_cache: Path, hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    write_record(tool_cache, "02", "quick", hand_made_project.path(2), summary="quick says identical")
    write_record(tool_cache, "02", "full", hand_made_project.path(2), summary="full says identical")
    lookup = find_verdict(tool_cache, hand_made_project.program(2))
    assert lookup.record is not None and lookup.record.profile == "full"
    assert lookup.record.summary == "full says identical"


def test_a_record_for_another_version_of_the_file_is_not_used(
    tool_cache: Path, hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    write_record(tool_cache, "02", "full", None)
    write_record(
        tool_cache,
        "02",
        "quick",
        hand_made_project.path(2),
        identical=False,
        summary="differs at step 3: loss 2.1 != 2.2",
    )
    lookup = find_verdict(tool_cache, hand_made_project.program(2))
    assert lookup.stale_profiles == ("full",)
    assert lookup.record is not None and lookup.record.profile == "quick"
    out = header(capsys, *hand_made_project.arguments, "02")
    assert (
        "Verdict DIFFERS: differs at step 3: loss 2.1 != 2.2 (quick run, recorded 2025-01-01 12:00 UTC; the full record is for an earlier version)"
        in out
    )


def test_only_stale_records_say_so(
    tool_cache: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    write_record(tool_cache, "02", "full", None)
    out = header(capsys, *hand_made_project.arguments, "02")
    assert "no verdict for the file as it is now (the full record is for an earlier version)" in out
    assert "identical at bit level" not in out


def test_the_verdict_is_shown_when_the_record_matches(
    tool_cache: Path, hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    write_record(tool_cache, "02", "full", hand_made_project.path(2))
    out = header(capsys, *hand_made_project.arguments, "02")
    assert "Verdict identical at bit level (full run, recorded 2025-01-01 12:00 UTC)" in out


def test_a_malformed_record_is_reported_not_trusted(
    tool_cache: Path, hand_made_project: HandMadeProject, plan: Plan
) -> None:
    hand_made_project.write([1, 2])
    path = write_record(tool_cache, "02", "full", hand_made_project.path(2))
    path.write_text("{not json", encoding="utf-8")
    lookup = find_verdict(tool_cache, hand_made_project.program(2))
    assert lookup.record is None
    assert len(lookup.problems) == 1 and "not readable JSON" in lookup.problems[0]


def test_a_version_1_record_counts_as_not_run_yet(
    tool_cache: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    version_1 = {
        "target": "02",
        "profile": "full",
        "source_sha256": hashlib.sha256(hand_made_project.path(2).read_bytes()).hexdigest(),
        "identical": True,
        "level": "bit",
        "summary": "identical at bit level",
        "max_parameter_difference": 0.0,
        "status": "ok",
        "recorded_at": "2025-01-01T12:00:00+00:00",
    }
    path = verdict_path(tool_cache, "02", "full")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(version_1), encoding="utf-8")
    lookup = find_verdict(tool_cache, hand_made_project.program(2))
    assert lookup.record is None and lookup.problems == () and lookup.stale_profiles == ()
    assert "not run yet" in header(capsys, *hand_made_project.arguments, "02")


def test_a_record_of_another_schema_version_is_reported_in_one_sentence(
    tool_cache: Path, hand_made_project: HandMadeProject
) -> None:
    hand_made_project.write([1, 2])
    path = write_record(tool_cache, "02", "full", hand_made_project.path(2))
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**record, "schema_version": 4}), encoding="utf-8")
    lookup = find_verdict(tool_cache, hand_made_project.program(2))
    assert lookup.record is None
    assert len(lookup.problems) == 1 and "schema version 4" in lookup.problems[0]


def fake_rule_counts(monkeypatch: pytest.MonkeyPatch, counts: dict[str, dict[str, int]]) -> None:
    """The linter's rule_counts replaced by these counts per file name; a file without
    counts cannot be parsed."""

    def rule_counts(path: Path, *, cache: Path | None = None) -> dict[str, int]:
        if path.name not in counts:
            raise SourceError(f"{path.name}:1:1: cannot parse this file")
        return counts[path.name]

    monkeypatch.setattr(style_debt, "rule_counts", rule_counts)


def test_style_debt_before_and_after_with_the_rules_that_changed(
    monkeypatch: pytest.MonkeyPatch,
    hand_made_project: HandMadeProject,
    plan: Plan,
    capsys: pytest.CaptureFixture[str],
    style_debt_measured: None,
) -> None:
    hand_made_project.write([1, 2])
    counts = {
        plan.step(1).file_name: {"no-class": 3, "full-names": 10, "no-lambda": 1},
        plan.step(2).file_name: {"no-class": 0, "full-names": 10, "no-lambda": 1, "type-hints": 2},
    }
    fake_rule_counts(monkeypatch, counts)
    debt = measure_style_debt(hand_made_project.path(1), hand_made_project.path(2))
    assert debt is not None and (debt.total_before, debt.total_after) == (14, 13)
    assert [(change.rule, change.before, change.after) for change in debt.changed_rules] == [
        ("no-class", 3, 0),
        ("type-hints", 0, 2),
    ]
    out = header(capsys, *hand_made_project.arguments, "02")
    assert "Style debt 14 -> 13 (-1): no-class 3 -> 0, type-hints 0 -> 2" in out


def test_no_style_debt_line_when_it_is_not_measured(
    hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    assert "Style debt" not in header(capsys, *hand_made_project.arguments, "02")


def test_style_debt_is_counted_by_the_real_linter(hand_made_project: HandMadeProject, tool_cache: Path) -> None:
    hand_made_project.write([1, 2])
    debt = measure_style_debt(hand_made_project.path(1), hand_made_project.path(2), cache=tool_cache)
    assert debt.error is None and debt.before["no-class"] >= 1 and debt.total_before > 0


def test_a_file_the_linter_cannot_read_is_one_sentence_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
    hand_made_project: HandMadeProject,
    capsys: pytest.CaptureFixture[str],
    style_debt_measured: None,
) -> None:
    hand_made_project.write([1, 2])
    fake_rule_counts(monkeypatch, {})  # no file can be parsed
    out = header(capsys, *hand_made_project.arguments, "02")
    assert "Style debt the style linter failed:" in out
