"""The original is its author's work and the subject of the workshop: it never changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

ORIGINAL_SHA256 = "56fdd34299000abf03e0332c194a9ed305db953b5231f9501bcf89dd97a3a893"


def test_original_is_byte_identical_to_the_seed(project_root: Path) -> None:
    digest = hashlib.sha256((project_root / "original" / "microgpt.py").read_bytes()).hexdigest()
    assert digest == ORIGINAL_SHA256


def test_original_readme_attributes_the_author(project_root: Path) -> None:
    text = (project_root / "original" / "README.md").read_text(encoding="utf-8")
    assert "Andrej Karpathy" in text
    assert ORIGINAL_SHA256 in text
