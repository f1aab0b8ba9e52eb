"""Shared fixtures. Area-specific fixtures live next to their tests; helpers live in testkit/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.diffview import HandMadeProject, make_hand_made_project
from workbench.paths import installed_root
from workbench.plan import Plan, load_plan

PROJECT_ROOT = installed_root()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan()


STANDARD_NAMES_CANDIDATES: tuple[Path, ...] = (
    PROJECT_ROOT.parent / "shared" / "data" / "names.txt",
    PROJECT_ROOT / ".cache" / "data" / "names.txt",
)
"""Where the standard dataset is found: the shared copy CI and developers have, or the
project's cache seeded from it. It is never downloaded by the tests."""


@pytest.fixture(scope="session")
def names_file() -> Path:
    """The standard names dataset."""
    for candidate in STANDARD_NAMES_CANDIDATES:
        if candidate.is_file():
            return candidate
    pytest.fail("the names dataset is missing: seed .cache/data/names.txt from ../shared/data/names.txt")


@pytest.fixture(scope="session")
def make_seeded_cache(names_file: Path) -> Callable[[Path], Path]:
    """make_seeded_cache(root) -> root/cache, a private workbench cache holding the dataset,
    so runs neither download anything nor write into the repository's own cache."""

    def make(root: Path) -> Path:
        cache = root / "cache"
        (cache / "data").mkdir(parents=True)
        shutil.copyfile(names_file, cache / "data" / "names.txt")
        return cache

    return make


@pytest.fixture
def tool_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workbench cache that the tools of this test use (MICROGPT_WORKBENCH_CACHE)."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    return cache


@pytest.fixture
def hand_made_project(tmp_path: Path) -> HandMadeProject:
    """The project's plan with its own empty steps folder; `write([1, 2])` fills it."""
    return make_hand_made_project(tmp_path)
