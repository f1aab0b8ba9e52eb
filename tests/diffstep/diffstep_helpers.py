"""Helpers shared by the diffstep and export_git tests (named uniquely: tests/ is not a package)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from types import ModuleType

import pytest

from workbench.paths import PROJECT_ROOT
from workbench.plan import Plan
from workbench.step_files import Snapshot, step_snapshot

LINTER_MODULE = "workbench.lint.api"
"""The style linter's API module, which tests replace (or hide) through sys.modules."""


def load_tool(name: str) -> ModuleType:
    """Import tools/<name>.py by path, whatever else is called `name` on sys.path."""
    path = PROJECT_ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"workbench_tool_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_main(name: str) -> Callable[[list[str] | None], int]:
    main = load_tool(name).main
    assert callable(main)
    return main  # type: ignore[no-any-return]


def hand_made_source(original: str, number: int) -> str:
    """A small, recognisable edit of the original for step `number`: the constant n_layer
    gains a comment naming the step, and a module-level marker name is added."""
    edited = original.replace("n_layer = 1     # number of layers", f"n_layer = 1     # number of layers (hand-made step {number:02d})")
    return edited + f"\nhand_made_marker_{number:02d} = {number}\n"


def real_step_or_skip(plan: Plan, number: int) -> Snapshot:
    """The real snapshot of a step, skipping the test while the lead has not written it yet."""
    snapshot = step_snapshot(plan.step(number))
    if not snapshot.exists():
        pytest.skip(f"{snapshot.path.name} does not exist yet")
    return snapshot
