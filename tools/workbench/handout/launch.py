"""The handout's command line, started only when the handout's libraries are installed.

The handout's libraries (jinja2, matplotlib, pygments) are the `handout` extra of
pyproject.toml: the light install, the linter's hook, leaves them out. This module imports
none of them: it checks first, and only then imports workbench.handout.command, whose
modules need them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from workbench.errors import EXIT_ERROR, run_command_line

HANDOUT_LIBRARIES: tuple[str, ...] = ("jinja2", "matplotlib", "pygments")
"""The `handout` extra of pyproject.toml: the light install (the linter's) leaves them out."""
INSTALL_HANDOUT = 'python -m pip install -e ".[handout]"'


def missing_handout_libraries() -> list[str]:
    """The handout's libraries that cannot be imported here."""
    missing = []
    for name in HANDOUT_LIBRARIES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def run(arguments: list[str] | None = None, *, root: Path | None = None) -> int:
    """The handout's command line (`root` as for workbench.handout.command.main), or exit
    status 2 with one sentence saying how to install the libraries it lacks."""
    missing = missing_handout_libraries()
    if missing:
        print(
            f"error: the handout needs {', '.join(missing)}, which the light install leaves out; install them with: {INSTALL_HANDOUT}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    from workbench.handout import command  # an optional extra: imported once it is known to be installed

    return command.main(arguments, root=root)


def console_main() -> int:
    """The `microgpt-handout` console command."""
    return run_command_line(run)
