"""Fixtures for the diff viewer: an empty cache of its own, no linter unless a test installs a
fake one, and hand-made steps in a temporary project (testkit.diffview)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from testkit.diffview import LINTER_MODULE


@pytest.fixture(autouse=True)
def every_test_uses_its_own_cache(tool_cache: Path) -> None:
    """The tools of every test here read and write an empty cache of its own."""


@pytest.fixture(autouse=True)
def no_linter(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default the style linter cannot be imported; tests that need it install a fake with
    `monkeypatch.setitem(sys.modules, LINTER_MODULE, fake)`."""
    monkeypatch.setitem(sys.modules, LINTER_MODULE, None)
