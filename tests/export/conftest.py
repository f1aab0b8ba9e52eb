"""Fixtures for the git export: an empty cache of its own and hand-made steps (testkit.diffview)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def every_test_uses_its_own_cache(tool_cache: Path) -> None:
    """The tools of every test here read and write an empty cache of its own."""
