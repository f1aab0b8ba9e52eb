"""The README's promises that can drift from the code: its two commands, CI, its length,
the step table (now on docs/runner.md), and the tools the documentation names."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.plan import Plan


def _fenced_blocks(text: str) -> list[str]:
    return re.findall(r"```(?:bash)?\n(.*?)```", text, flags=re.DOTALL)


def test_the_readme_opens_with_the_two_commands(project_root: Path) -> None:
    text = (project_root / "README.md").read_text(encoding="utf-8")
    first, second = _fenced_blocks(text)[:2]
    assert first.strip() == "python -m pip install -e . && python tools/run_step.py all"
    assert second.strip() == 'python -m pip install -e ".[test]" && python -m pytest'


def test_ci_runs_exactly_the_readmes_test_command(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    test_command = _fenced_blocks(readme)[1].strip()
    ci_lines = [line.strip() for line in (project_root / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in ci_lines
    assert "cp ../shared/data/names.txt .cache/data/names.txt" in ci_lines


README_MOST_LINES = 220


def _documentation(project_root: Path) -> list[Path]:
    return [project_root / "README.md", project_root / "CONTRIBUTING.md", *sorted((project_root / "docs").glob("*.md"))]


def test_the_readme_is_short_enough_to_read_to_the_end(project_root: Path) -> None:
    lines = (project_root / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MOST_LINES, f"README.md has {len(lines)} lines; move detail to a page under docs/"


def test_the_step_table_has_every_step_with_its_commit_message(project_root: Path, plan: Plan) -> None:
    text = (project_root / "docs" / "runner.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| (\d\d|original) \| ([^|]+) \|", text, flags=re.MULTILINE)
    }
    assert "original" in rows
    for step in plan.steps:
        assert rows.get(step.label, "").strip() == step.commit, f"docs/runner.md table row for step {step.label}"


def test_every_tool_the_documentation_names_exists(project_root: Path) -> None:
    for page in _documentation(project_root):
        text = page.read_text(encoding="utf-8")
        for tool in sorted(set(re.findall(r"tools/(\w+\.py)", text))):
            assert (project_root / "tools" / tool).is_file(), f"{page.name} names tools/{tool}"
