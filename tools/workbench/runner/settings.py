"""What shapes a run besides the program itself: the profile, the knobs, the dataset, limits.

`make_settings` validates what the user asked for against the plan and the original (the
knobs are discovered from the original's source) before anything runs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.project import Project
from workbench.runner.dataset import Dataset
from workbench.runner.knobs import KnobValue, describe_values, discover_knobs, resolve_knob_values

DEFAULT_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class CheckSettings:
    """Everything that shapes a run besides the program itself."""

    profile: str
    knob_values: dict[str, KnobValue]
    """By the original's names: the profile's values with every --set on top."""
    overridden: tuple[str, ...]
    """The knobs given with --set."""
    dataset: Dataset
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    approve: bool = False

    @property
    def is_default(self) -> bool:
        """A profile as the plan defines it, on the standard dataset: golden files apply."""
        return not self.overridden and self.dataset.standard

    def describe(self) -> str:
        """'profile quick (num_steps=10)'."""
        return f"profile {self.profile} ({describe_values(self.knob_values)})"

    def as_record(self) -> dict[str, Any]:
        """The settings as stored beside a cached run."""
        return {"profile": self.profile, "knobs": dict(self.knob_values), "dataset_sha256": self.dataset.sha256}


def make_settings(
    project: Project,
    *,
    profile: str,
    assignments: Sequence[str],
    dataset: Dataset,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    jobs: int | None = None,
    approve: bool = False,
) -> CheckSettings:
    """Validated settings for a check; WorkbenchError (one sentence) for anything inconsistent."""
    knobs = discover_knobs(read_source(project.plan.original_path))
    values, overridden = resolve_knob_values(knobs, project.plan, profile, assignments)
    if approve and overridden:
        raise WorkbenchError(
            "--approve records golden files for the plan's profiles as defined; it cannot be combined with --set"
        )
    if approve and project.golden_directory is None:
        raise WorkbenchError(
            "--approve records golden files, and this plan has none (only the project's own plan does)"
        )
    if approve and not dataset.standard:
        raise WorkbenchError(
            "--approve records golden files on the standard dataset only; it cannot be used with another names file"
        )
    if timeout <= 0:
        raise WorkbenchError(f"--timeout must be a positive number of seconds (got {timeout:g})")
    if jobs is not None and jobs < 1:
        raise WorkbenchError(f"--jobs must be at least 1 (got {jobs})")
    return CheckSettings(
        profile=profile,
        knob_values=values,
        overridden=overridden,
        dataset=dataset,
        timeout=timeout,
        jobs=jobs or os.cpu_count() or 1,
        approve=approve,
    )


def read_source(path: Path) -> str:
    """A program's text, or one sentence saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"cannot read {display_path(path)}: {error}") from None
