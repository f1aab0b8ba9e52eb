"""One clear sentence and a non-zero exit instead of a traceback.

Library code raises WorkbenchError (or a subclass) with a message written for the user.
Command-line entry points wrap their main function with `run_command_line`, which turns
those errors into a message on stderr and exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from workbench.console import tolerate_any_encoding

EXIT_OK = 0
EXIT_DIFFERS = 1
EXIT_ERROR = 2


class WorkbenchError(Exception):
    """An error the user can act on. The message is shown as is, without a traceback."""


class PlanError(WorkbenchError):
    """The plan file is missing or malformed."""


def run_command_line(main: Callable[[list[str] | None], int], arguments: list[str] | None = None) -> int:
    """Run a command-line main function, turning expected failures into exit status 2.
    Output that the console's encoding cannot hold is written with ASCII stand-ins."""
    tolerate_any_encoding(sys.stdout)
    tolerate_any_encoding(sys.stderr)
    try:
        return main(arguments)
    except WorkbenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        return EXIT_OK
