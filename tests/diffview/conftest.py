"""Fixtures for the diff viewer: an empty cache of its own, no style debt measured unless a
test asks for it (with the real linter or a fake one), and hand-made steps in a temporary
project (testkit.diffview)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.diffview import comparison, style_debt


@pytest.fixture(autouse=True)
def every_test_uses_its_own_cache(tool_cache: Path) -> None:
    """The tools of every test here read and write an empty cache of its own."""


@pytest.fixture(autouse=True)
def no_style_debt(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default no style debt is measured (the real linter takes seconds per file); tests
    that need it use the `style_debt_measured` fixture."""
    monkeypatch.setattr(comparison, "measure_style_debt", lambda old_path, new_path, cache=None: None)


@pytest.fixture
def style_debt_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Style debt measured by workbench.diffview.style_debt, as the tool does."""
    monkeypatch.setattr(comparison, "measure_style_debt", style_debt.measure_style_debt)
