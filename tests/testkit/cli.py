"""Running the command-line tools as a user does: one subprocess helper, and in-process mains."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

from workbench.paths import installed_root

TOOLS = installed_root() / "tools"


def tool_path(name: str) -> Path:
    """tools/<name>.py of the checkout under test."""
    return TOOLS / f"{name}.py"


def run_tool(
    name: str,
    *arguments: str,
    cwd: Path | None = None,
    timeout: float = 300,
    environment: Mapping[str, str] | None = None,
    interpreter_options: tuple[str, ...] = (),
    root: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python tools/<name>.py ARGUMENTS` in a subprocess, as a user runs it, from the root of
    the checkout under test (or of the copy at `root`). The environment carries the test's
    private cache unless `environment` replaces it."""
    project = root if root is not None else installed_root()
    return subprocess.run(
        [sys.executable, *interpreter_options, str(project / "tools" / f"{name}.py"), *arguments],
        cwd=cwd if cwd is not None else project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ if environment is None else environment),
        check=False,
    )


def load_tool(name: str) -> ModuleType:
    """Import tools/<name>.py by path, whatever else is called `name` on sys.path."""
    spec = importlib.util.spec_from_file_location(f"workbench_tool_{name}", tool_path(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_main(name: str) -> Callable[[list[str] | None], int]:
    """The `main(arguments) -> exit status` of tools/<name>.py, to call in-process."""
    main = load_tool(name).main
    assert callable(main)
    return main  # type: ignore[no-any-return]
