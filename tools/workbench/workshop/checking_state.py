"""What `watch` shows while a check runs: "checking step 07…" and the seconds so far.

On a terminal, a spinner with the elapsed time (rich Live, gone once the result is shown);
elsewhere (a pipe, a log, a test), one plain line, so the output stays a record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from workbench.plan import Step
from workbench.workshop import render


def checking_message(step: Step) -> str:
    return f"checking step {step.label}…"


class _Elapsed:
    """A spinner whose text carries the seconds since the check began, at every refresh."""

    def __init__(self, message: str, clock: Callable[[], float]) -> None:
        self.message = message
        self.clock = clock
        self.started = clock()
        self.spinner = Spinner("dots", style="muted")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.spinner.update(text=Text(f"{self.message} {self.clock() - self.started:.0f} s", style="muted"))
        yield self.spinner


@contextmanager
def checking(console: Console, step: Step, *, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Show that step `step` is being checked for as long as the block runs."""
    if not console.is_terminal:
        render.show(console, Text(checking_message(step), style="muted"))
        yield
        return
    with Live(_Elapsed(checking_message(step), clock), console=console, refresh_per_second=4, transient=True):
        yield
