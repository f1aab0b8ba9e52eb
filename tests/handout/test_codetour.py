"""export_git.py's CodeTour files: one per commit, pinned, chained, at the changed lines,
told with the plan's story, and without changing any commit hash."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from workbench.codetour import build_tours
from workbench.git_export import export_plan, git_environment
from workbench.plan import Plan
from workbench.programs import all_programs


def git(repository: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=repository, env=git_environment(), capture_output=True, text=True, check=True).stdout


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
        descriptions = "\n".join(entry["description"] for entry in steps)
        assert step.commit in descriptions and step.why[:60] in descriptions and step.equivalence[:60] in descriptions
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
