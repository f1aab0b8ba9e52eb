"""The header's verdict (from the runner's cached records) and style debt (from the linter)."""

from __future__ import annotations

import hashlib
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from diffstep_helpers import LINTER_MODULE, tool_main
from workbench.diffview.run_records import find_verdict
from workbench.diffview.style_debt import measure_style_debt
from workbench.errors import run_command_line
from workbench.plan import Plan
from workbench.step_files import step_snapshot

main = tool_main("diffstep")


def write_record(cache: Path, label: str, profile: str, source: Path | None, **overrides: object) -> Path:
    record: dict[str, object] = {
        "target": label,
        "profile": profile,
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest() if source else "0" * 64,
        "identical": True,
        "level": "bit",
        "summary": "identical at bit level",
        "max_parameter_difference": 0.0,
        "recorded_at": "2025-01-01T12:00:00+00:00",
    }
    record.update(overrides)
    path = cache / "verdicts" / f"{label}.{profile}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def header(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    """The --stat output with its wrapping undone: words separated by single spaces."""
    assert run_command_line(main, [*arguments, "--stat"]) == 0
    return " ".join(capsys.readouterr().out.split())


def test_a_matching_full_record_is_preferred_over_quick(
    isolated_cache: Path, hand_made_steps: Callable[..., Path], plan: Plan
) -> None:
    hand_made_steps([1, 2])
    step = plan.step(2)
    write_record(isolated_cache, "02", "quick", step.path, summary="quick says identical")
    write_record(isolated_cache, "02", "full", step.path, summary="full says identical")
    lookup = find_verdict(step_snapshot(step))
    assert lookup.record is not None and lookup.record.profile == "full"
    assert lookup.record.summary == "full says identical"


def test_a_record_for_another_version_of_the_file_is_not_used(
    isolated_cache: Path, hand_made_steps: Callable[..., Path], plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_steps([1, 2])
    write_record(isolated_cache, "02", "full", None)
    write_record(isolated_cache, "02", "quick", plan.step(2).path, identical=False, summary="differs at step 3: loss 2.1 != 2.2")
    lookup = find_verdict(step_snapshot(plan.step(2)))
    assert lookup.stale_profiles == ("full",)
    assert lookup.record is not None and lookup.record.profile == "quick"
    out = header(capsys, "02")
    assert "Verdict DIFFERS: differs at step 3: loss 2.1 != 2.2 (quick run, recorded 2025-01-01 12:00 UTC; the full record is for an earlier version)" in out


def test_only_stale_records_say_so(
    isolated_cache: Path, hand_made_steps: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_steps([1, 2])
    write_record(isolated_cache, "02", "full", None)
    out = header(capsys, "02")
    assert "no verdict for the file as it is now (the full record is for an earlier version)" in out
    assert "identical at bit level" not in out


def test_the_verdict_is_shown_when_the_record_matches(
    isolated_cache: Path, hand_made_steps: Callable[..., Path], plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_steps([1, 2])
    write_record(isolated_cache, "02", "full", plan.step(2).path)
    out = header(capsys, "02")
    assert "Verdict identical at bit level (full run, recorded 2025-01-01 12:00 UTC)" in out


def test_a_malformed_record_is_reported_not_trusted(
    isolated_cache: Path, hand_made_steps: Callable[..., Path], plan: Plan
) -> None:
    hand_made_steps([1, 2])
    path = write_record(isolated_cache, "02", "full", plan.step(2).path)
    path.write_text("{not json", encoding="utf-8")
    lookup = find_verdict(step_snapshot(plan.step(2)))
    assert lookup.record is None
    assert len(lookup.problems) == 1 and "not readable JSON" in lookup.problems[0]


def fake_linter(counts: dict[str, dict[str, int]]) -> types.ModuleType:
    module = types.ModuleType(LINTER_MODULE)

    def rule_counts(path: Path) -> dict[str, int]:
        return counts[path.name]

    module.rule_counts = rule_counts  # type: ignore[attr-defined]
    return module


def test_style_debt_before_and_after_with_the_rules_that_changed(
    monkeypatch: pytest.MonkeyPatch, hand_made_steps: Callable[..., Path], plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_steps([1, 2])
    counts = {
        plan.step(1).file_name: {"no-class": 3, "full-names": 10, "no-lambda": 1},
        plan.step(2).file_name: {"no-class": 0, "full-names": 10, "no-lambda": 1, "type-hints": 2},
    }
    monkeypatch.setitem(sys.modules, LINTER_MODULE, fake_linter(counts))
    debt = measure_style_debt(plan.step(1).path, plan.step(2).path)
    assert debt is not None and (debt.total_before, debt.total_after) == (14, 13)
    assert [(change.rule, change.before, change.after) for change in debt.changed_rules] == [("no-class", 3, 0), ("type-hints", 0, 2)]
    out = header(capsys, "02")
    assert "Style debt 14 -> 13 (-1): no-class 3 -> 0, type-hints 0 -> 2" in out


def test_no_style_debt_line_without_the_linter(hand_made_steps: Callable[..., Path], plan: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    hand_made_steps([1, 2])
    assert measure_style_debt(plan.step(1).path, plan.step(2).path) is None
    assert "Style debt" not in header(capsys, "02")


def test_a_failing_linter_is_one_sentence_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, hand_made_steps: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_steps([1, 2])
    monkeypatch.setitem(sys.modules, LINTER_MODULE, fake_linter({}))  # KeyError for every file
    out = header(capsys, "02")
    assert "Style debt the style linter failed:" in out
