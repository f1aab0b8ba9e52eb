"""Fixtures for diffstep and export_git: hand-made step files, an empty cache, no linter."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diffstep_helpers import LINTER_MODULE, hand_made_source
from workbench.plan import Plan

@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache, so no real run record leaks in."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    return cache


@pytest.fixture(autouse=True)
def no_linter(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default the style linter is absent (importing it raises ImportError); tests that
    need it install a fake with `monkeypatch.setitem(sys.modules, LINTER_MODULE, fake)`."""
    monkeypatch.setitem(sys.modules, LINTER_MODULE, None)


@pytest.fixture
def hand_made_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: Plan) -> Callable[..., Path]:
    """Point the plan's steps at a temporary directory and write hand-made snapshots there.

    Call it with the step numbers to create (default: all of them); it returns the directory.
    """
    directory = tmp_path / "steps"
    directory.mkdir()
    monkeypatch.setattr("workbench.plan.STEPS_DIRECTORY", directory)
    original = plan.original_path.read_text(encoding="utf-8")

    def create(numbers: list[int] | None = None) -> Path:
        for number in numbers if numbers is not None else [step.number for step in plan.steps]:
            (directory / plan.step(number).file_name).write_text(hand_made_source(original, number), encoding="utf-8")
        return directory

    return create
