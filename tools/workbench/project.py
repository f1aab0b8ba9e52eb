"""A project: a root folder, the plan loaded for it, its golden files and its cache.

Command lines open the installed checkout's project; tests open one built in a temporary
directory. Everything that needs to know where things are takes a Project (or its plan),
never a module-level path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.paths import DEFAULT_PLAN, GOLDEN_FOLDER, cache_directory, installed_root
from workbench.plan import Plan, load_plan


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


def open_project(root: Path | None = None, plan_file: Path | None = None, *, cache: Path | None = None) -> Project:
    """The project at `root` (default: the installed checkout) with `plan_file` (default: its
    own plan). Only the project's own plan has golden files."""
    project_root = root if root is not None else installed_root()
    own_plan = project_root / DEFAULT_PLAN
    plan = load_plan(plan_file, root=project_root)
    is_own_plan = plan.source_file.resolve() == own_plan.resolve()
    return Project(
        root=project_root,
        plan=plan,
        golden_directory=project_root / GOLDEN_FOLDER if is_own_plan else None,
        cache=cache if cache is not None else cache_directory(project_root),
    )
