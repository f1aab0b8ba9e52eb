"""What a session-wide run of the runner left behind, for the tests that share it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class QuickAllRun:
    """One `run_step.py all --profile quick --json`, as a user runs it, in a cold private cache."""

    cache: Path
    process: subprocess.CompletedProcess[str]
    records: list[dict[str, Any]]
