"""The documentation holds together: every relative link in README.md, CONTRIBUTING.md,
ARCHITECTURE.md and docs/*.md leads to a file that exists (and to a heading that exists,
when it names one), and every page under docs/ is one click from the README."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

# Written on other branches: the README and the pages link to them already. Remove each
# name once its page is merged.
PAGES_WRITTEN_ELSEWHERE = frozenset({"docs/laptops.md"})

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", flags=re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\(\s*<?([^()\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", flags=re.MULTILINE)
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def documentation_pages(project_root: Path) -> list[Path]:
    names = ["README.md", "CONTRIBUTING.md", "ARCHITECTURE.md"]
    return [project_root / name for name in names] + sorted((project_root / "docs").glob("*.md"))


def link_targets(markdown: str) -> list[str]:
    """Every link and image target in the text, outside code blocks and inline code."""
    prose = INLINE_CODE.sub("", FENCE.sub("", markdown))
    return LINK_TARGET.findall(prose)


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes for a page's headings: lower case, punctuation dropped,
    spaces as hyphens, a repeated anchor numbered -1, -2, ..."""
    anchors: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", markdown)):
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        anchor, number = slug, 0
        while anchor in anchors:
            number += 1
            anchor = f"{slug}-{number}"
        anchors.add(anchor)
    return anchors


def broken_links(page: Path, project_root: Path, allowed_missing: frozenset[str] = frozenset()) -> list[str]:
    """One sentence per relative link of the page that leads nowhere."""
    problems: list[str] = []
    name = page.resolve().relative_to(project_root.resolve()).as_posix()
    text = page.read_text(encoding="utf-8")
    for target in link_targets(text):
        if EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page.resolve()
        try:
            shown = destination.relative_to(project_root.resolve()).as_posix()
        except ValueError:
            problems.append(f"{name}: {target} leads outside the project")
            continue
        if not destination.exists():
            if shown not in allowed_missing:
                problems.append(f"{name}: {target} leads to {shown}, which does not exist")
            continue
        if anchor and destination.suffix == ".md" and anchor not in heading_anchors(destination.read_text("utf-8")):
            problems.append(f"{name}: {target} names no heading of {shown}")
    return problems


def test_every_relative_link_leads_to_a_file_and_heading_that_exist(project_root: Path) -> None:
    problems = [
        problem
        for page in documentation_pages(project_root)
        for problem in broken_links(page, project_root, PAGES_WRITTEN_ELSEWHERE)
    ]
    assert problems == []


def test_every_page_under_docs_is_one_click_from_the_readme(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    readme_targets = {target.partition("#")[0] for target in link_targets(readme)}
    pages = {f"docs/{page.name}" for page in (project_root / "docs").glob("*.md")}
    pages = {page for page in pages if not page.endswith("-draft.md")}  # drafts wait to be merged into a page
    expected = pages | PAGES_WRITTEN_ELSEWHERE | {"CONTRIBUTING.md", "ARCHITECTURE.md"}
    assert sorted(expected - readme_targets) == []


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "topic.md").write_text("# A topic\n\n## Run and prove\n\ntext\n", encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text(
        "See [the topic](docs/topic.md#run-and-prove), [gone](docs/gone.md), [wrong](docs/topic.md#no-such-part),\n"
        "[elsewhere](docs/later.md), [web](https://example.org/x.md) and `[code](docs/none.md)`.\n\n"
        "```\n[fenced](docs/none.md)\n```\n",
        encoding="utf-8",
    )
    problems = broken_links(page, tmp_path, frozenset({"docs/later.md"}))
    assert problems == [
        "README.md: docs/gone.md leads to docs/gone.md, which does not exist",
        "README.md: docs/topic.md#no-such-part names no heading of docs/topic.md",
    ]


def test_anchors_follow_githubs_rules() -> None:
    markdown = "# Title\n\n## What a check claims, and what `--prove` adds\n\n## Notes\n\n## Notes\n"
    assert heading_anchors(markdown) == {"title", "what-a-check-claims-and-what---prove-adds", "notes", "notes-1"}


def test_every_plan_names_a_prose_page_that_exists(project_root: Path) -> None:
    for plan_file in sorted((project_root / "plans").glob("*.toml")):
        prose = tomllib.loads(plan_file.read_text(encoding="utf-8")).get("prose")
        assert isinstance(prose, str) and (project_root / prose).is_file(), f"{plan_file.name}: prose = {prose!r}"
