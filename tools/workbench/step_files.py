"""Deprecated: the programs of the plan are workbench.programs.Program now.

Kept only so that callers not yet moved (the linter's tests) keep working; new code
imports workbench.programs. Delete this module once nothing imports it.
"""

from __future__ import annotations

from workbench.programs import Program, all_programs, existing_programs

Snapshot = Program
all_snapshots = all_programs
existing_snapshots = existing_programs

__all__ = ["Snapshot", "all_snapshots", "existing_snapshots"]
