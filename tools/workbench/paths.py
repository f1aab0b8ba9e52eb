"""Where the workbench may write, and how paths are shown.

Nothing here is a setting and nothing here knows where a project is: a `Project`
(workbench.project) carries the root, the plan, the golden files and the cache, and is
passed to whoever needs them.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENVIRONMENT_VARIABLE = "MICROGPT_WORKBENCH_CACHE"
"""Set this to keep the workbench's cache (dataset, reference runs, verdicts) somewhere else."""

DEFAULT_PLAN = Path("plans") / "revised_plan.toml"
"""The plan every tool reads unless told otherwise, relative to the project root."""

ORIGINAL_PROGRAM = Path("original") / "microgpt.py"
"""The untouched original, relative to the project root."""

GOLDEN_FOLDER = Path("tests") / "golden"
"""The original's committed golden files, relative to the project root."""

USER_CACHE_FOLDER_NAME = "microgpt-workbench"
"""The workbench's folder in the user's cache, for a run with no project (the linter elsewhere)."""


def installed_root() -> Path:
    """The checkout this package was imported from. Only the test suite asks (it tests that
    checkout); the library never does: tools and console commands pass their project's root."""
    return Path(__file__).resolve().parents[2]


def cache_directory(root: Path) -> Path:
    """The workbench's cache: `.cache/` in the project at `root` (gitignored) unless overridden."""
    override = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser().resolve()
    return root / ".cache"


def user_cache_directory() -> Path:
    """The workbench's cache when there is no project: the override, else the user's cache
    folder ($XDG_CACHE_HOME or ~/.cache), never a folder of the files being checked."""
    override = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / USER_CACHE_FOLDER_NAME


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user should read it: relative to `root` (default: the current folder)
    when inside it, else as given."""
    try:
        return str(path.resolve().relative_to((root if root is not None else Path.cwd()).resolve()))
    except (ValueError, OSError):
        return str(path)
