"""Where things live in the project, and where the workbench may write."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parents[2]
PLAN_FILE: Path = PROJECT_ROOT / "plans" / "revised_plan.toml"
STEPS_DIRECTORY: Path = PROJECT_ROOT / "steps"
ORIGINAL_FILE: Path = PROJECT_ROOT / "original" / "microgpt.py"
GOLDEN_DIRECTORY: Path = PROJECT_ROOT / "tests" / "golden"

CACHE_ENVIRONMENT_VARIABLE = "MICROGPT_WORKBENCH_CACHE"
"""Set this to keep the workbench's cache (dataset, reference runs) somewhere else."""


def cache_directory() -> Path:
    """The workbench's cache: `.cache/` in the project (gitignored) unless overridden."""
    override = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser().resolve()
    return PROJECT_ROOT / ".cache"


def display_path(path: Path) -> str:
    """A path as a user should read it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
