"""Fixtures for the handout's tests: private caches, fixture records, and one real quick run."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from handout_helpers import fixture_record, write_record
from testkit.runs import QuickAllRun
from workbench.paths import installed_root
from workbench.plan import Plan

PROJECT_ROOT = installed_root()


@pytest.fixture
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, make_seeded_cache: Callable[[Path], Path]
) -> Path:
    """An empty workbench cache (the dataset only): no verdict records at all."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("handout-cache"))
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    return cache


@pytest.fixture(scope="session")
def real_quick_cache(quick_all_run: QuickAllRun) -> Path:
    """A cache holding version-3 verdict records of a real quick run of every program
    (the session's one `run_step.py all --profile quick`; tests copy it, never change it)."""
    assert quick_all_run.process.returncode == 0, (
        f"the quick run failed ({quick_all_run.process.returncode}): {quick_all_run.process.stderr[-2000:]}"
    )
    return quick_all_run.cache


@pytest.fixture
def real_records(real_quick_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the real quick run's cache, in use for this test."""
    cache = tmp_path / "cache"
    shutil.copytree(real_quick_cache, cache, symlinks=True)
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    return cache


@pytest.fixture
def fixture_records(private_cache: Path, plan: Plan) -> Callable[..., dict[str, Path]]:
    """fixture_records(**per_label_changes) writes a fixture record for every program."""

    def make(**per_label: dict[str, Any]) -> dict[str, Path]:
        written = {
            "original": write_record(
                private_cache, fixture_record("original", plan.original_path, **per_label.get("original", {}))
            )
        }
        for step in plan.steps:
            written[step.label] = write_record(
                private_cache,
                fixture_record(
                    step.label, plan.step_path(step), **{"level": step.level, **per_label.get(step.label, {})}
                ),
            )
        return written

    return make


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A copy of the project's plan that a test may edit (its steps are still the real files)."""
    path = tmp_path / "plan.toml"
    shutil.copyfile(PROJECT_ROOT / "plans" / "revised_plan.toml", path)
    return path


@pytest.fixture
def site_files() -> Callable[[Path], dict[str, bytes]]:
    def read(site: Path) -> dict[str, bytes]:
        return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}

    return read


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.endswith((".building", ".old"))]
    assert not leftovers, f"temporary folders left behind: {leftovers}"


_MEASURED: dict[bytes, Any] = {}
_EXPORTED: dict[bytes, Any] = {}


@pytest.fixture(autouse=True)
def measure_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint counts, diffs and the export's hashes depend only on the plan and the step files,
    which these tests never change: measure them once per plan text, not once per build.
    A test marked `uncached` measures for real every time."""
    if request.node.get_closest_marker("uncached") is not None:
        return
    from workbench.handout import site

    real_start, real_export = getattr(site, "start_measuring"), getattr(site, "export_commit_hashes")  # noqa: B009

    class Measured:
        def __init__(self, measurements: Any) -> None:
            self.measurements = measurements

        def result(self) -> Any:
            return self.measurements

        def close(self) -> None:
            pass

    def start(plan: Any, jobs: int | None = None) -> Any:
        # What the measurement reads: the files and the renames (not the story's text).
        key = repr(
            (str(plan.original_path), [(step.label, str(step.file_path), step.renames) for step in plan.steps])
        ).encode()
        if key not in _MEASURED:
            pending = real_start(plan, jobs)
            try:
                _MEASURED[key] = pending.result()
            finally:
                pending.close()
        return Measured(_MEASURED[key])

    def export(plan: Any) -> Any:
        key = plan.path.read_bytes()
        if key not in _EXPORTED:
            _EXPORTED[key] = real_export(plan)
        return _EXPORTED[key]

    monkeypatch.setattr(site, "start_measuring", start)
    monkeypatch.setattr(site, "export_commit_hashes", export)
