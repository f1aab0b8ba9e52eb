"""The handout site's section of the documentation (docs/handout.md, linked from the
README): the command, and a picture that exists."""

from __future__ import annotations

import re
from pathlib import Path


def _section(text: str, heading: str) -> str:
    section = text[text.index(f"\n{heading}\n") :]
    end = section.find("\n## ", len(heading) + 1)
    return section if end < 0 else section[:end]


def test_the_handout_page_has_a_site_section_with_the_command_and_a_picture(project_root: Path) -> None:
    page = project_root / "docs" / "handout.md"
    section = _section(page.read_text(encoding="utf-8"), "## The handout site")
    assert "python tools/handout.py site/" in section
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", section)
    assert pictures and all((page.parent / picture).is_file() for picture in pictures)


def test_the_readme_links_the_handout_page(project_root: Path) -> None:
    assert "](docs/handout.md)" in (project_root / "README.md").read_text(encoding="utf-8")
