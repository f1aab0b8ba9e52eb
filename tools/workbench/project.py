"""A project: a root folder, the plan loaded for it, its golden files and its cache.

There is no default project. `tools/X.py` opens the checkout that holds it; a console
command finds its project from the current folder upward (as git and ruff find theirs) or
takes `--project DIR`; tests open one built in a temporary directory. Everything that
needs to know where things are takes a Project (or its plan), never a module-level path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import DEFAULT_PLAN, GOLDEN_FOLDER, ORIGINAL_PROGRAM, cache_directory
from workbench.plan import Plan, load_plan

PROJECT_MARKERS: tuple[Path, ...] = (DEFAULT_PLAN, ORIGINAL_PROGRAM)
"""The files that make a folder a workbench project."""


@dataclass(frozen=True)
class Project:
    root: Path
    plan: Plan
    golden_directory: Path | None
    """Where the original's golden files live; None for a plan that has none (another plan)."""
    cache: Path
    """Runs, verdict records and the dataset (`.cache/` unless MICROGPT_WORKBENCH_CACHE moves it)."""

    @property
    def owns_golden_files(self) -> bool:
        return self.golden_directory is not None


def open_project(root: Path, plan_file: Path | None = None, *, cache: Path | None = None) -> Project:
    """The project at `root` with `plan_file` (default: its own plan). Only the project's
    own plan has golden files."""
    own_plan = root / DEFAULT_PLAN
    plan = load_plan(plan_file, root=root)
    is_own_plan = plan.source_file.resolve() == own_plan.resolve()
    return Project(
        root=root,
        plan=plan,
        golden_directory=root / GOLDEN_FOLDER if is_own_plan else None,
        cache=cache if cache is not None else cache_directory(root),
    )


def is_project_root(folder: Path) -> bool:
    """True when `folder` holds a workbench project (its plan and the original)."""
    return all((folder / marker).is_file() for marker in PROJECT_MARKERS)


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a project; None when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project_root(folder):
            return folder
    return None


def locate_project_root(chosen: Path | None, own_checkout: Path | None = None, *, start: Path | None = None) -> Path:
    """The project a command line acts on: `--project DIR` when given, else the checkout that
    holds the tool (`tools/X.py`), else the nearest project at or above `start` (default: the
    current folder). Raises WorkbenchError, in one sentence, when there is none."""
    if chosen is not None:
        if not is_project_root(chosen):
            raise WorkbenchError(
                f"{chosen} is not a workbench project: it has no {DEFAULT_PLAN.as_posix()} and {ORIGINAL_PROGRAM.as_posix()}"
            )
        return chosen.resolve()
    if own_checkout is not None:
        return own_checkout
    folder = start if start is not None else Path.cwd()
    found = find_project_root(folder)
    if found is None:
        raise WorkbenchError(
            f"there is no workbench project in {folder} or above it (a folder holding {DEFAULT_PLAN.as_posix()} and "
            f"{ORIGINAL_PROGRAM.as_posix()}); run the command inside a checkout, or give --project DIR"
        )
    return found
