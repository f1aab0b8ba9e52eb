"""Where the installed workbench lives, where it may write, and how paths are shown.

Nothing here is a setting: a `Project` (workbench.project) carries the root, the plan, the
golden files and the cache, and is passed to whoever needs them. The functions below only
give the defaults a command line starts from.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

CACHE_ENVIRONMENT_VARIABLE = "MICROGPT_WORKBENCH_CACHE"
"""Set this to keep the workbench's cache (dataset, reference runs, verdicts) somewhere else."""

DEFAULT_PLAN = Path("plans") / "revised_plan.toml"
"""The plan every tool reads unless told otherwise, relative to the project root."""

GOLDEN_FOLDER = Path("tests") / "golden"
"""The original's committed golden files, relative to the project root."""


@functools.cache
def installed_root() -> Path:
    """The checkout the workbench package was installed from (`pip install -e .`)."""
    return Path(__file__).resolve().parents[2]


PROJECT_ROOT: Path = installed_root()
"""The installed checkout, for the linter's configuration lookup; new code takes a Project."""


def cache_directory(root: Path | None = None) -> Path:
    """The workbench's cache: `.cache/` in the project (gitignored) unless overridden."""
    override = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser().resolve()
    return (root if root is not None else installed_root()) / ".cache"


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user should read it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(root if root is not None else installed_root()))
    except ValueError:
        return str(path)
