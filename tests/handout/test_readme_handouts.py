"""The README's Handouts section: the command, and a picture that exists."""

from __future__ import annotations

import re
from pathlib import Path


def test_the_readme_has_a_handouts_section_with_the_command_and_a_picture(project_root: Path) -> None:
    text = (project_root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Handouts\n"):]
    section = section[: section.index("\n## ", 5)]
    assert "python tools/handout.py site/" in section
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", section)
    assert pictures and all((project_root / picture).is_file() for picture in pictures)
