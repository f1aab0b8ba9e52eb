"""plans/README.md is the plan as prose; plans/revised_plan.toml is the plan as data.

The tools read only the TOML, so nothing else would notice if the prose drifted from it.
These tests parse the README's step sections, their summary tables and the lint schedule,
and compare them field by field with the plan as `load_plan()` returns it. The last tests
feed the same checks a deliberately drifted copy of the README, to show that they can fail.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

import pytest

from workbench.paths import DEFAULT_PLAN, installed_root
from workbench.plan import Plan, Step, load_plan

PROJECT_ROOT = installed_root()
PLAN_FILE = PROJECT_ROOT / DEFAULT_PLAN
README = PROJECT_ROOT / "plans" / "README.md"
PLAN = load_plan(root=PROJECT_ROOT)

STEP_HEADING = re.compile(r"^### Step (\d{2}) — `([a-z0-9_]+)`$")
GROUP_HEADING = re.compile(r"^### Group (.+)$")
RENAME = re.compile(
    r"`([A-Za-z_][A-Za-z0-9_]*)`\s+→\s+`([A-Za-z_][A-Za-z0-9_]*)`"
)  # a line break may fall on either side
REVIEWS_HEADING = "## 4. The three reviews"
LINT_HEADING = "## 7. Deferrals and the lint gate"
EQUIVALENCE_HEADING = "## 6. Equivalence"


@dataclass
class StepSection:
    """One '### Step NN — `slug`' section of the README: its heading, the phase it sits
    under, its label/value table and its full text."""

    number: int
    slug: str
    group: str | None
    rows: dict[str, str] = field(default_factory=dict)
    text: str = ""


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _code(cell: str) -> str | None:
    """The text of a cell that is exactly one code span, else None."""
    match = re.fullmatch(r"`([^`]+)`", cell)
    return match.group(1) if match else None


def _chapter(text: str, heading_start: str) -> str:
    """The text of the '## ' chapter whose heading starts with heading_start."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(heading_start):
            end = len(lines)
            for later in range(index + 1, len(lines)):
                if lines[later].startswith("## "):
                    end = later
                    break
            return "\n".join(lines[index:end])
    return ""


def parse_step_sections(text: str) -> list[StepSection]:
    sections: list[StepSection] = []
    current: StepSection | None = None
    body: list[str] = []
    group: str | None = None
    for line in text.splitlines():
        heading = STEP_HEADING.match(line)
        if heading or line.startswith("## ") or line.startswith("### "):
            if current is not None:
                current.text = "\n".join(body)
                sections.append(current)
                current = None
            group_heading = GROUP_HEADING.match(line)
            if group_heading:
                group = group_heading.group(1)
            elif line.startswith("## "):
                group = None
            if heading:
                current = StepSection(number=int(heading.group(1)), slug=heading.group(2), group=group)
                body = []
            continue
        if current is not None:
            body.append(line)
            cells = _cells(line) if line.startswith("|") else []
            if len(cells) == 2 and cells[0] and not set(cells[0]) <= {"-", " "}:
                current.rows.setdefault(cells[0], cells[1])
    if current is not None:
        current.text = "\n".join(body)
        sections.append(current)
    return sections


def problems_with_step(section: StepSection, step: Step) -> list[str]:
    """Everything in one README step section that disagrees with the plan's step."""
    where = f"README step {step.label}"
    problems: list[str] = []
    if section.slug != step.slug:
        problems.append(f"{where}: heading slug {section.slug!r}, plan slug {step.slug!r}")
    if section.group != step.phase:
        problems.append(f"{where}: listed under group {section.group!r}, plan phase {step.phase!r}")
    commit = _code(section.rows.get("Commit", ""))
    if commit != step.commit:
        problems.append(f"{where}: commit {commit!r}, plan commit {step.commit!r}")
    level = _code(section.rows.get("Equivalence level", ""))
    if level != step.level:
        problems.append(f"{where}: level {level!r}, plan level {step.level!r}")
    stated_reviewers = section.rows.get("Reviewers", "")
    planned_reviewers = ", ".join(note.reviewer for note in step.reviewers) or "none"
    if stated_reviewers != planned_reviewers:
        problems.append(f"{where}: reviewers {stated_reviewers!r}, plan reviewers {planned_reviewers!r}")
    layout = _code(section.rows["Layout"]) if "Layout" in section.rows else None
    if layout != step.layout:
        problems.append(f"{where}: layout {layout!r}, plan layout {step.layout!r}")
    has_refinement = "**Refinement.**" in section.text
    if has_refinement != (step.refinement is not None):
        expected = "has a refinement" if step.refinement else "has no refinement"
        problems.append(f"{where}: the plan {expected}, the README {'describes one' if has_refinement else 'does not'}")
    stated_renames = dict(RENAME.findall(section.text))
    if stated_renames != step.renames:
        problems.append(f"{where}: renames {stated_renames}, plan renames {step.renames}")
    for label in ("**What.**", "**Why.**", "**Equivalence.**"):
        if label not in section.text:
            problems.append(f"{where}: no {label} paragraph")
    paragraphs = [paragraph.strip() for paragraph in section.text.split("\n\n")]
    reviews = [paragraph for paragraph in paragraphs if paragraph.startswith("**Reviews.**")]
    if len(reviews) != 1:
        problems.append(f"{where}: expected one **Reviews.** paragraph, found {len(reviews)}")
    for note in step.reviewers:
        if reviews and note.reviewer not in reviews[0]:
            problems.append(f"{where}: the Reviews paragraph does not give {note.reviewer}'s note")
    return problems


def problems_with_steps(text: str, plan: Plan) -> list[str]:
    sections = parse_step_sections(text)
    numbers = [section.number for section in sections]
    planned = [step.number for step in plan.steps]
    if numbers != planned:
        return [f"README step sections {numbers}, plan steps {planned}"]
    problems: list[str] = []
    for section, step in zip(sections, plan.steps):
        problems.extend(problems_with_step(section, step))
    return problems


def parse_level_table(text: str) -> dict[int, str]:
    """The '| NN | `level` | ... |' rows of the equivalence chapter's summary table."""
    levels: dict[int, str] = {}
    for line in _chapter(text, EQUIVALENCE_HEADING).splitlines():
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if len(cells) >= 2 and re.fullmatch(r"\d{2}", cells[0]) and _code(cells[1]):
            levels[int(cells[0])] = _code(cells[1]) or ""
    return levels


def parse_lint_schedule(text: str) -> tuple[dict[str, int], set[str]]:
    """The lint chapter's schedule: rule -> zero-from step, and the rules marked deferred."""
    zero_from: dict[str, int] = {}
    deferred: set[str] = set()
    for line in _chapter(text, LINT_HEADING).splitlines():
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        rule = _code(cells[0]) if cells else None
        if rule is None or len(cells) < 3 or not cells[1].isdigit():
            continue
        zero_from[rule] = int(cells[1])
        if cells[2] == "deferred":
            deferred.add(rule)
    return zero_from, deferred


@pytest.fixture(scope="module")
def readme_text() -> str:
    return README.read_text(encoding="utf-8")


def test_the_plan_names_this_readme_as_its_prose() -> None:
    raw = tomllib.loads(PLAN_FILE.read_text(encoding="utf-8"))
    assert (PROJECT_ROOT / raw["prose"]).resolve() == README.resolve()


def test_the_readme_has_one_section_per_step_in_plan_order(readme_text: str) -> None:
    numbers = [section.number for section in parse_step_sections(readme_text)]
    assert numbers == [step.number for step in PLAN.steps]


@pytest.mark.parametrize("label", [step.label for step in PLAN.steps])
def test_step_section_agrees_with_the_plan(readme_text: str, label: str) -> None:
    step = PLAN.step(int(label))
    sections = {section.number: section for section in parse_step_sections(readme_text)}
    assert step.number in sections, f"plans/README.md has no '### Step {label} — `{step.slug}`' section"
    assert problems_with_step(sections[step.number], step) == []


def test_every_commit_message_appears_verbatim(readme_text: str) -> None:
    missing = [step.commit for step in PLAN.steps if f"`{step.commit}`" not in readme_text]
    assert missing == []


def test_equivalence_summary_table_agrees_with_the_plan(readme_text: str) -> None:
    assert parse_level_table(readme_text) == {step.number: step.level for step in PLAN.steps}


def test_every_reviewer_in_the_plan_has_a_review_section(readme_text: str) -> None:
    reviews = _chapter(readme_text, REVIEWS_HEADING)
    reviewers = sorted({note.reviewer for step in PLAN.steps for note in step.reviewers})
    assert reviewers, "the plan names no reviewer at all"
    missing = [name for name in reviewers if f"\n### {name}\n" not in reviews]
    assert missing == []


def test_the_reviews_are_said_to_be_simulated(readme_text: str) -> None:
    assert "simulated" in _chapter(readme_text, REVIEWS_HEADING)


def test_lint_schedule_agrees_with_the_plan(readme_text: str) -> None:
    zero_from, deferred = parse_lint_schedule(readme_text)
    assert zero_from == PLAN.lint_zero_from
    assert deferred == set(PLAN.lint_deferred)


def test_the_original_is_attributed(readme_text: str) -> None:
    assert "Andrej Karpathy" in readme_text


# The checks above must be able to fail: run them on a README that drifted from the plan.


def test_checks_catch_a_changed_commit_message(readme_text: str) -> None:
    step = PLAN.step(6)
    drifted = readme_text.replace(f"| Commit | `{step.commit}` |", f"| Commit | `{step.commit}, then relax` |")
    assert drifted != readme_text
    assert any("commit" in problem for problem in problems_with_steps(drifted, PLAN))


def test_checks_catch_a_changed_level(readme_text: str) -> None:
    drifted = readme_text.replace("| Equivalence level | `print` |", "| Equivalence level | `bit` |")
    assert drifted != readme_text
    assert any("level" in problem for problem in problems_with_steps(drifted, PLAN))
    assert parse_level_table(drifted.replace("| 06 | `print` |", "| 06 | `bit` |")) != {
        step.number: step.level for step in PLAN.steps
    }


def test_checks_catch_a_missing_reviewer_and_a_stale_rename(readme_text: str) -> None:
    drifted = readme_text.replace("| Reviewers | Casey Muratori, Mike Acton |", "| Reviewers | Casey Muratori |", 1)
    drifted = drifted.replace("`m` → `first_moment`", "`m` → `first_moments`")
    problems = problems_with_steps(drifted, PLAN)
    assert any("reviewers" in problem for problem in problems)
    assert any("renames" in problem for problem in problems)


def test_checks_catch_a_moved_lint_step(readme_text: str) -> None:
    drifted = readme_text.replace("| `full-names` | 10 | deferred |", "| `full-names` | 9 | deferred |")
    assert drifted != readme_text
    zero_from, _ = parse_lint_schedule(drifted)
    assert zero_from != PLAN.lint_zero_from
