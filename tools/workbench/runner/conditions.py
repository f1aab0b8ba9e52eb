"""The conditions a batch of runs was measured under: when, on how many CPUs, how busy.

Timings are wall-clock seconds (and CPU seconds) of programs that share the machine with
whatever else runs on it. A speed ratio measured while the load average exceeds the CPU
count, or while more programs ran at once than there are CPUs, is noisy: the batch
measures its conditions so every report and every record can say so.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

BUSY_MARGIN = 0.5
"""A load average above the CPU count by more than this counts as a busy machine."""


def load_average() -> float | None:
    """The one-minute load average; None where the system does not tell (Windows has no
    os.getloadavg, and it raises OSError where the kernel will not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def cpu_count() -> int:
    return os.cpu_count() or 1


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class MeasurementConditions:
    """How one batch of runs was measured, as the verdict record keeps it."""

    measured_at: str
    """When the runs started, ISO 8601 in UTC."""
    cpu_count: int
    load_before: float | None
    """The one-minute load average just before the runs (None where the system does not tell)."""
    load_after: float | None
    concurrent_runs: int
    """How many programs ran at the same time."""

    @property
    def peak_load(self) -> float | None:
        known = [load for load in (self.load_before, self.load_after) if load is not None]
        return max(known) if known else None

    @property
    def overcommitted(self) -> bool:
        """More programs ran at once than there are CPUs: they competed with each other."""
        return self.concurrent_runs > self.cpu_count

    @property
    def loaded(self) -> bool:
        """Other work kept the CPUs busy while the programs ran."""
        load = self.peak_load
        return load is not None and load > self.cpu_count + BUSY_MARGIN

    @property
    def busy(self) -> bool:
        """Wall-clock timings of this batch are disturbed; CPU time is the better measure."""
        return self.overcommitted or self.loaded

    def describe(self) -> str:
        """'load average 5.0 before, 4.2 after, on 2 CPUs, 1 program at a time, 2026-12-07T10:00:00+00:00'."""

        def shown(load: float | None) -> str:
            return "unknown" if load is None else f"{load:.1f}"

        runs = f"{self.concurrent_runs} program{'s' if self.concurrent_runs != 1 else ''} at a time"
        return f"load average {shown(self.load_before)} before, {shown(self.load_after)} after, on {self.cpu_count} CPUs, {runs}, {self.measured_at}"

    def as_json(self) -> dict[str, Any]:
        return {
            "measured_at": self.measured_at,
            "cpu_count": self.cpu_count,
            "load_before": self.load_before,
            "load_after": self.load_after,
            "concurrent_runs": self.concurrent_runs,
        }
