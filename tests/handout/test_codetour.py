"""export_git.py's CodeTour files: one per commit, pinned, chained, at the changed lines,
told with the plan's story, and without changing any commit hash."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from workbench.codetour import build_tours
from workbench.git_export import export_plan, git_environment
from workbench.plan import Plan
from workbench.programs import all_programs


def git(repository: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=repository, env=git_environment(), capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.paths import installed_root
    from workbench.plan import load_plan

    destination = tmp_path_factory.mktemp("tours") / "repository"
    export_plan(load_plan(root=installed_root()), destination)
    return destination


def _tours(repository: Path) -> list[dict[str, object]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((repository / ".tours").glob("*.tour"))]


def test_one_tour_per_commit_named_by_step(exported: Path, plan: Plan) -> None:
    names = sorted(path.name for path in (exported / ".tours").glob("*.tour"))
    assert names == ["00-original.tour", *(f"{step.label}-{step.slug}.tour" for step in plan.steps)]


def test_each_tour_is_pinned_to_its_commit_and_chained_in_plan_order(exported: Path, plan: Plan) -> None:
    tours = _tours(exported)
    tags = ["original", *(f"step-{step.label}" for step in plan.steps)]
    for tour, tag, following in zip(tours, tags, [*tours[1:], None]):
        assert tour["ref"] == git(exported, "rev-parse", tag).strip()
        assert tour.get("nextTour") == (following["title"] if following else None)
    assert tours[0].get("isPrimary") is True
    assert tours[7]["title"] == f"07 · {plan.step(7).commit}"


def test_tour_steps_point_at_changed_lines_and_tell_the_story(exported: Path, plan: Plan) -> None:
    tours = _tours(exported)
    for step, tour in zip(plan.steps, tours[1:]):
        text = git(exported, "show", f"step-{step.label}:microgpt.py").splitlines()
        changed = {
            int(line.split("+")[1].split(",")[0].split(" ")[0])
            for line in git(exported, "diff", "-U0", f"step-{step.label}~1", f"step-{step.label}").splitlines()
            if line.startswith("@@")
        }
        steps = tour["steps"]
        assert isinstance(steps, list) and steps
        for entry in steps:
            assert entry["file"] == "microgpt.py"
            assert 1 <= entry["line"] <= len(text)
        descriptions = " ".join(" ".join(entry["description"] for entry in steps).split())
        assert step.commit in descriptions
        for text in (step.what, step.why, step.equivalence):
            first_sentence = " ".join(text.split()).split(". ")[0]
            assert first_sentence in descriptions, (step.label, first_sentence)
        near = [min(abs(entry["line"] - line) for line in changed) for entry in steps]
        assert max(near) <= 3, (step.label, near)


def test_tours_change_no_commit_hash_and_leave_the_tree_clean(exported: Path, tmp_path: Path, plan: Plan) -> None:
    assert git(exported, "status", "--porcelain") == ""
    assert git(exported, "ls-files") == "microgpt.py\n"
    commits = export_plan(plan, tmp_path / "again").commits
    assert [commit.commit_hash for commit in commits] == git(exported, "log", "--reverse", "--format=%H").split()


def test_tours_are_built_from_the_programs_alone(plan: Plan) -> None:
    programs = all_programs(plan)[:3]
    tours = build_tours(programs, ["a" * 40, "b" * 40, "c" * 40])
    assert [tour.document["ref"] for tour in tours] == ["a" * 40, "b" * 40, "c" * 40]
    assert "nextTour" not in tours[-1].document


HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def git_hunks(repository: Path, tag: str, context: int) -> list[dict[str, Any]]:
    """The hunks of `git diff` for one commit: new range, counts and changed lines."""
    hunks: list[dict[str, Any]] = []
    for line in git(repository, "diff", f"-U{context}", f"{tag}~1", tag).splitlines():
        match = HUNK.match(line)
        if match:
            hunks.append(
                {
                    "new_start": int(match[3]),
                    "new_length": 1 if match[4] is None else int(match[4]),
                    "added": 0,
                    "removed": 0,
                    "changed": [],
                }
            )
        elif hunks and line[:1] in "+-" and not line.startswith(("+++", "---")):
            hunks[-1]["added" if line[0] == "+" else "removed"] += 1
            hunks[-1]["changed"].append(line[1:])
    return hunks


def _prose(description: str, first: bool) -> str:
    """A tour step's story, without the commit's headline (first step) and the italic change summaries."""
    paragraphs = description.split("\n\n")[1 if first else 0 :]
    return "\n\n".join(paragraph for paragraph in paragraphs if not paragraph.startswith(("*This commit", "*Change")))


def test_tour_07_puts_each_piece_of_prose_on_the_hunk_holding_the_names_it_mentions(exported: Path) -> None:
    tour = _tours(exported)[7]
    hunks = git_hunks(exported, "step-07", 3)
    every_changed = "\n".join(line for hunk in hunks for line in hunk["changed"])
    steps = tour["steps"]
    assert isinstance(steps, list) and len(steps) == len(hunks)
    placed = 0
    for entry, hunk in zip(steps, hunks):
        assert hunk["new_start"] <= entry["line"] <= hunk["new_start"] + hunk["new_length"], (
            entry["title"],
            entry["line"],
            hunk,
        )
        prose = _prose(entry["description"], first=entry is steps[0])
        names = set(re.findall(r"\b[A-Za-z]\w*_\w+\b", prose)) | {
            word for quoted in re.findall(r"`([^`]+)`", prose) for word in re.findall(r"[A-Za-z_]\w*", quoted)
        }
        in_diff = {name for name in names if re.search(rf"\b{name}\b", every_changed)}
        if in_diff:
            changed = "\n".join(hunk["changed"])
            assert any(re.search(rf"\b{name}\b", changed) for name in in_diff), (entry["title"], sorted(in_diff))
            placed += 1
    assert placed >= 3, "most of step 07's story names the code it changes"
    removal = next(entry for entry, hunk in zip(steps, hunks) if "def gpt_value" in "\n".join(hunk["changed"]))
    assert "gpt_value" in removal["title"] and "Reviewers" not in removal["description"]
    assert all("def rmsnorm(tape, x)" not in entry["title"] for entry in steps), (
        "titles name the function changed, not git's context line"
    )


def test_deletion_only_hunks_sit_where_the_code_was(exported: Path, plan: Plan) -> None:
    tours = _tours(exported)
    checked = 0
    for step, tour in zip(plan.steps, tours[1:]):
        text = git(exported, "show", f"step-{step.label}:microgpt.py").splitlines()
        steps = tour["steps"]
        assert isinstance(steps, list)
        for entry, hunk in zip(steps, git_hunks(exported, f"step-{step.label}", 3)):
            if hunk["added"]:
                continue
            zero_context = [
                h
                for h in git_hunks(exported, f"step-{step.label}", 0)
                if not h["added"] and h["new_start"] >= hunk["new_start"]
            ][0]
            point = zero_context["new_start"]  # the line after which the code was removed
            assert entry["line"] <= max(point, 1) and all(not line.strip() for line in text[entry["line"] : point]), (
                step.label,
                entry["line"],
                point,
            )
            assert "removed below this line" in entry["description"]
            checked += 1
    assert checked >= 2


def test_tour_line_counts_are_gits(exported: Path, plan: Plan) -> None:
    tours = _tours(exported)
    for step, tour in zip(plan.steps, tours[1:]):
        added, removed = git(exported, "diff", "--numstat", f"step-{step.label}~1", f"step-{step.label}").split()[:2]
        steps = tour["steps"]
        assert isinstance(steps, list)
        assert f"+{added} −{removed} lines." in steps[0]["description"], step.label
        counts = [re.search(r"\+(\d+) −(\d+) lines\.\*$", entry["description"]) for entry in steps]
        assert [(int(match[1]), int(match[2])) for match in counts if match] == [
            (hunk["added"], hunk["removed"]) for hunk in git_hunks(exported, f"step-{step.label}", 3)
        ], step.label
