"""Progress while programs run, driven by their own `step N / M | loss X` lines.

On a terminal: one live bar per run (queued, loading, training with its current loss and
ETA, sampling, done). Plain (piped or --no-color): one line when a run starts and one when
it ends, and no cursor movement. Progress goes to stderr, so stdout keeps the report (or
the JSON) alone.
"""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from workbench.console import is_plain
from workbench.runner.execute import RunResult
from workbench.runner.report import format_seconds
from workbench.runner.schedule import PlannedRun
from workbench.runner.transcript import parse_step_line

INFERENCE_HEADER = "--- inference ---"


class LiveProgress:
    """Rich progress bars, one per run, updated from the runs' worker threads."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}", style="step"),
            BarColumn(bar_width=32),
            TextColumn("{task.fields[state]}"),
            TimeElapsedColumn(),
            TextColumn("[muted]eta[/muted]"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            refresh_per_second=8,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> LiveProgress:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.progress.stop()

    def queued(self, run: PlannedRun) -> None:
        self.tasks[run.key] = self.progress.add_task(
            run.name, start=False, total=1, completed=0, state="[muted]queued[/muted]"
        )

    def started(self, run: PlannedRun) -> None:
        task = self.tasks[run.key]
        self.progress.start_task(task)
        self.progress.update(task, total=None, state="loading")

    def line(self, run: PlannedRun, text: str, seconds: float) -> None:
        """Training steps fill the bar; sampling is its last unit, so the clock keeps running."""
        task = self.tasks[run.key]
        step = parse_step_line(text)
        if step is not None:
            self.progress.update(
                task,
                total=step.total + 1,
                completed=step.step,
                state=f"step {step.step}/{step.total}  loss {step.loss}",
            )
        elif text == INFERENCE_HEADER:
            self.progress.update(task, state="sampling")

    def finished(self, run: PlannedRun, result: RunResult) -> None:
        task = self.tasks[run.key]
        state = f"done in {format_seconds(result.seconds_total)}" if result.ok else f"[error]{result.status}[/error]"
        total = self.progress.tasks[task].total or 1
        self.progress.update(task, total=total, completed=total, state=state)
        self.progress.stop_task(task)


class PlainProgress:
    """A line per run start and end, for logs and pipes."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.lock = threading.Lock()

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        pass

    def queued(self, run: PlannedRun) -> None:
        pass

    def started(self, run: PlannedRun) -> None:
        self._say(f"running {run.name}: {run.program.display}")

    def line(self, run: PlannedRun, text: str, seconds: float) -> None:
        pass

    def finished(self, run: PlannedRun, result: RunResult) -> None:
        if result.ok:
            self._say(f"finished {run.name} in {format_seconds(result.seconds_total)}")
        else:
            self._say(f"finished {run.name}: {result.status}")

    def _say(self, text: str) -> None:
        with self.lock:
            self.console.print(text, markup=False)


def make_progress(console: Console) -> LiveProgress | PlainProgress:
    return PlainProgress(console) if is_plain(console) else LiveProgress(console)
