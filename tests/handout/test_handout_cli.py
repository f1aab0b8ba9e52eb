"""handout.py as a user meets it: errors in one sentence with exit 2 and nothing written,
--check naming what went stale, byte-identical rebuilds, and the speed budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbench.handout.inputs import relative_to
from workbench.paths import installed_root

PROJECT_ROOT = installed_root()

HANDOUT = PROJECT_ROOT / "tools" / "handout.py"
SPEED_BUDGET_SECONDS = 20.0


def handout(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HANDOUT), *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _one_sentence_error(completed: subprocess.CompletedProcess[str]) -> str:
    assert completed.returncode == 2, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), completed.stderr
    assert "Traceback" not in completed.stderr
    return lines[0]


def _entries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_non_empty_folder_is_refused_without_force(tmp_path: Path, private_cache: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    message = _one_sentence_error(handout(out))
    assert "not empty" in message and "--force" in message
    assert _entries(out) == ["notes.txt"]


def test_force_replaces_only_a_site(tmp_path: Path, private_cache: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    message = _one_sentence_error(handout(out, "--force"))
    assert "holds no handout site" in message
    assert _entries(out) == ["notes.txt"]


def test_an_unusable_destination_is_refused(tmp_path: Path, private_cache: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    message = _one_sentence_error(handout(blocker / "site"))
    assert "does not exist" in message
    message = _one_sentence_error(handout(blocker))
    assert "is not a folder" in message


def test_a_missing_plan_is_refused(tmp_path: Path, private_cache: Path) -> None:
    message = _one_sentence_error(handout(tmp_path / "site", "--plan", tmp_path / "nowhere.toml"))
    assert "nowhere.toml" in message and "does not exist" in message
    assert _entries(tmp_path) == []


def test_a_corrupt_record_is_refused_and_nothing_is_written(tmp_path: Path, private_cache: Path) -> None:
    (private_cache / "verdicts").mkdir()
    (private_cache / "verdicts" / "03.quick.json").write_text('{"schema_version": 2, "target": ', encoding="utf-8")
    out = tmp_path / "out"
    message = _one_sentence_error(handout(out))
    assert "03.quick.json" in message
    assert _entries(tmp_path) == []


def test_a_failed_build_leaves_the_old_site_in_place(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]
) -> None:
    records = fixture_records()
    out = tmp_path / "out"
    assert handout(out).returncode == 0
    before = (out / "index.html").read_bytes()
    records["03"].write_text("{", encoding="utf-8")
    _one_sentence_error(handout(out, "--force"))
    assert (out / "index.html").read_bytes() == before
    assert _entries(tmp_path) == ["out"]


def test_check_names_what_went_stale(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]], plan_copy: Path
) -> None:
    records = fixture_records()
    out = tmp_path / "out"
    built = handout(out, "--plan", plan_copy)
    assert built.returncode == 0, built.stderr
    current = handout("--check", out)
    assert current.returncode == 0 and "is current" in current.stdout

    record = json.loads(records["07"].read_text(encoding="utf-8"))
    record["summary"] = "changed"
    records["07"].write_text(json.dumps(record), encoding="utf-8")
    records["09"].unlink()
    plan_copy.write_text(plan_copy.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    stale = handout("--check", out)
    assert stale.returncode == 1
    assert "verdict record 07.quick: changed" in stale.stdout
    assert "verdict record 09.quick: gone since the site was built" in stale.stdout
    assert f"{relative_to(plan_copy, PROJECT_ROOT)}: changed" in stale.stdout
    assert "verdict record 08.quick" not in stale.stdout
    assert (
        f"Rebuild with: python tools/handout.py {out} --force --plan {relative_to(plan_copy, PROJECT_ROOT)}"
        in stale.stdout
    )


def test_check_names_a_deleted_and_an_edited_page(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]
) -> None:
    fixture_records()
    out = tmp_path / "out"
    assert handout(out).returncode == 0
    (out / "step-05.html").unlink()
    index = out / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</h1>", " (edited)</h1>", 1), encoding="utf-8")
    (out / "charts" / "debt.svg").write_bytes((out / "charts" / "debt.svg").read_bytes() + b" ")
    stale = handout("--check", out)
    assert stale.returncode == 1, stale.stdout
    assert "site file step-05.html: deleted since the site was built" in stale.stdout
    assert "site file index.html: edited since the site was built" in stale.stdout
    assert "site file charts/debt.svg: edited since the site was built" in stale.stdout
    assert "step-06.html" not in stale.stdout and "3 things changed" in stale.stdout


def test_the_suggested_rebuild_repeats_every_option(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]
) -> None:
    fixture_records()
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "ada.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    built = handout(out, "--reports", reports, "--profile", "quick")
    assert built.returncode == 0, built.stderr
    (reports / "bob.json").write_text("{}", encoding="utf-8")
    stale = handout("--check", out)
    assert stale.returncode == 1 and "learners' report bob.json: new since the site was built" in stale.stdout
    rebuild = stale.stdout.split("Rebuild with: ", 1)[1].split()
    assert rebuild == [
        "python",
        "tools/handout.py",
        str(out),
        "--force",
        "--profile",
        "quick",
        "--reports",
        relative_to(reports, PROJECT_ROOT),
    ]
    again = subprocess.run(
        [sys.executable, str(HANDOUT), *rebuild[2:]], capture_output=True, text=True, check=False, cwd=PROJECT_ROOT
    )
    assert again.returncode == 0, again.stderr
    assert handout("--check", out).returncode == 0
    assert "What tripped people" in (out / "facilitator.html").read_text(encoding="utf-8")


@pytest.mark.uncached
def test_the_beyond_plan_builds_its_own_site(tmp_path: Path, private_cache: Path) -> None:
    out = tmp_path / "beyond"
    built = handout(out, "--plan", PROJECT_ROOT / "plans" / "beyond_plan.toml")
    assert built.returncode == 0, built.stderr
    from workbench.plan import load_plan

    beyond = load_plan(PROJECT_ROOT / "plans" / "beyond_plan.toml", root=PROJECT_ROOT)
    pages = sorted(path.name for path in out.glob("step-*.html"))
    assert pages == [f"step-{step.label}.html" for step in beyond.steps] and pages[0] == "step-12.html"
    assert beyond.title in (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "handout-inputs.json").read_text(encoding="utf-8"))
    assert manifest["options"]["plan"] == "plans/beyond_plan.toml"
    assert handout("--check", out).returncode == 0


def test_check_of_a_folder_without_a_site_is_an_error(tmp_path: Path, private_cache: Path) -> None:
    message = _one_sentence_error(handout("--check", tmp_path))
    assert "holds no handout site" in message


@pytest.mark.uncached
def test_a_rebuild_is_byte_identical_and_fast(
    tmp_path: Path, real_records: Path, site_files: Callable[[Path], dict[str, bytes]]
) -> None:
    started = time.monotonic()
    first = handout(tmp_path / "first")
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    second = handout(tmp_path / "second")
    assert second.returncode == 0, second.stderr
    first_files, second_files = site_files(tmp_path / "first"), site_files(tmp_path / "second")
    assert sorted(first_files) == sorted(second_files)
    different = [name for name in first_files if first_files[name] != second_files[name]]
    assert different == []
    assert {"charts/loss.svg", "charts/payoff.svg", "charts/debt.svg"} <= set(first_files)
    load = os.getloadavg()[0]
    processors = os.cpu_count() or 1
    if load > processors:
        pytest.skip(
            f"built in {seconds:.1f} s, but the machine is busy (load {load:.1f} on {processors} CPUs): the {SPEED_BUDGET_SECONDS:g} s budget is for an idle machine"
        )
    assert seconds < SPEED_BUDGET_SECONDS


def test_numbers_of_a_real_quick_run_reach_the_pages(tmp_path: Path, real_records: Path) -> None:
    out = tmp_path / "site"
    assert handout(out).returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    for label in ("original", "06", "11"):
        record = json.loads((real_records / "verdicts" / f"{label}.quick.json").read_text(encoding="utf-8"))
        assert record["losses"], label
        relative, conditions = record["relative_to_original"], record["conditions"]
        load = max(conditions["load_before"] or 0, conditions["load_after"] or 0)
        busy = load > conditions["cpu_count"] + 0.5 or conditions["concurrent_runs"] > conditions["cpu_count"]
        row = index[index.index(f">{label}</") :].split("</tr>")[0]
        training = (
            f"{relative['training_cpu']:.2f}× (CPU time, busy machine)" if busy else f"{relative['training']:.2f}×"
        )
        assert training in row and f"{relative['memory']:.2f}×" in row
        assert f"on {conditions['cpu_count']} CPUs" in index
        assert f"{record['losses'][-1]:.4f}" in index  # the loss chart's table
    drift = json.loads((real_records / "verdicts" / "06.quick.json").read_text(encoding="utf-8"))[
        "max_parameter_difference"
    ]
    assert f"{drift:.1e}" in index
    assert "12 of 12 programs recorded" in index


def _fake_runner(monkeypatch: pytest.MonkeyPatch, status: int) -> list[tuple[Any, ...]]:
    from workbench.handout import verdicts

    calls: list[tuple[Any, ...]] = []

    class Report:
        results: list[Any] = []
        notes = ["a note from the runner"]
        exit_code = status

    def check(project: Any, targets: Any, settings: Any, observer: Any = None) -> Report:
        calls.append((project, list(targets), settings))
        return Report()

    monkeypatch.setattr(verdicts, "check_targets", check)
    return calls


def test_run_refreshes_the_verdicts_with_the_runner_first(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handout as handout_cli
    from workbench.programs import all_programs

    calls = _fake_runner(monkeypatch, 1)  # 1: some program differs; the site still shows it
    assert handout_cli.main([str(tmp_path / "site"), "--run", "quick"]) == 0
    [(project, targets, settings)] = calls
    assert project.cache == private_cache and project.root == PROJECT_ROOT
    assert [target.label for target in targets] == [program.label for program in all_programs(project.plan)]
    assert settings.profile == "quick" and settings.is_default
    assert "quick profile" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_run_uses_the_plan_it_is_given(tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handout as handout_cli

    calls = _fake_runner(monkeypatch, 0)
    beyond = PROJECT_ROOT / "plans" / "beyond_plan.toml"
    assert handout_cli.main([str(tmp_path / "site"), "--run", "quick", "--plan", str(beyond)]) == 0
    [(project, targets, _)] = calls
    assert project.plan.source_file.resolve() == beyond.resolve()
    assert [target.label for target in targets][-1] == "16"


def test_a_runner_that_cannot_check_stops_the_build(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handout as handout_cli
    from workbench.errors import run_command_line

    _fake_runner(monkeypatch, 2)
    assert run_command_line(handout_cli.main, [str(tmp_path / "site"), "--run", "full"]) == 2
    assert not (tmp_path / "site").exists()


def test_check_takes_its_options_from_the_site(tmp_path: Path, private_cache: Path) -> None:
    message = _one_sentence_error(handout("--check", tmp_path, "--plan", tmp_path / "plan.toml", "--force"))
    assert "--plan, --force has no use with it" in message
