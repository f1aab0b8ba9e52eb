"""Shared fixtures. Area-specific fixtures live next to their tests; helpers live in testkit/."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.cli import run_tool
from testkit.diffview import HandMadeProject, make_hand_made_project
from testkit.runs import QuickAllRun
from workbench.paths import installed_root
from workbench.plan import Plan, load_plan

PROJECT_ROOT = installed_root()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-profile",
        action="store_true",
        help="also run the whole chain on the full 500-step profile (about 15 minutes on 2 cores; the README's first command proves the same)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked full_profile are skipped, with the reason in the summary, unless asked for."""
    if config.getoption("--full-profile"):
        return
    skip = pytest.mark.skip(
        reason="the whole chain on the full profile: add --full-profile, or run the README's first command"
    )
    for item in items:
        if item.get_closest_marker("full_profile") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan(root=PROJECT_ROOT)


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
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run cache (`<cache>/runs/`) for the whole session, for tests that need reference
    runs to be right but not cold. Runs are keyed by content (the program's text after knob
    rewriting, the settings, the dataset's sha256), exactly as in a user's .cache/, so a
    predecessor or an original under a held setting that one test computed serves the next
    test instead of running again. Tests that count or time cold runs keep a cache of their own."""
    return tmp_path_factory.mktemp("shared-runs")


@pytest.fixture(scope="session")
def shared_blame(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of blame recordings (`<cache>/blame/`) for the whole session: the plan's
    snapshot of a step is recorded once, by whichever test checks an attempt at it first.
    Recordings are keyed by content like runs (the snapshot's text, the settings, the dataset)."""
    return tmp_path_factory.mktemp("shared-blame")


@pytest.fixture(scope="session")
def make_seeded_cache(names_file: Path, shared_runs: Path, shared_blame: Path) -> Callable[..., Path]:
    """make_seeded_cache(root, share_runs=False) -> root/cache, a private workbench cache
    holding the dataset, so runs neither download anything nor write into the repository's
    own cache. With share_runs, its runs/ is the session's shared run cache and its blame/
    the session's blame recordings (verdict records and everything else stay private)."""

    def make(root: Path, *, share_runs: bool = False) -> Path:
        cache = root / "cache"
        (cache / "data").mkdir(parents=True)
        shutil.copyfile(names_file, cache / "data" / "names.txt")
        if share_runs:
            (cache / "runs").symlink_to(shared_runs, target_is_directory=True)
            (cache / "blame").symlink_to(shared_blame, target_is_directory=True)
        return cache

    return make


@pytest.fixture(scope="session")
def quick_all_run(tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]) -> QuickAllRun:
    """The quick profile of every program, once per session: the runner's end-to-end test
    reads its verdicts, the handout's tests build sites from the records it leaves, and its
    runs (in the shared run cache) are the predecessors of later checks."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("quick-all"), share_runs=True)
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    environment.pop("MICROGPT_NAMES_FILE", None)
    process = run_tool(
        "run_step", "all", "--profile", "quick", "--json", "--jobs", "2", environment=environment, timeout=1800
    )
    records = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    return QuickAllRun(cache=cache, process=process, records=records)


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
