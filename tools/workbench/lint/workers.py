"""Run lint jobs in worker processes, each job bounded in time, every worker ended with the run.

libcst's parser holds the interpreter lock while it works, and on a long `a + b + ...`
chain it takes time that grows with the cube of the chain's length; a thread cannot be
interrupted there, a process can. So a job that exceeds the time limit has its worker
killed (and replaced) and comes back as a SourceError.

Workers die with the run: they are killed when the pool is left (normally, on an error,
or on Ctrl-C), on Linux the kernel kills them when the parent dies (even by SIGKILL),
and elsewhere they exit as soon as they see that their parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from workbench.lint.errors import SourceError
from workbench.system import die_with_parent, worker_start_method

Job = TypeVar("Job")
Outcome = TypeVar("Outcome")

PARENT_POLL_SECONDS = 1.0


@dataclass
class _Worker(Generic[Job]):
    process: BaseProcess
    connection: Connection
    index: int = -1
    started: float = 0.0


def _context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context(worker_start_method())


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the process that started it ends."""
    die_with_parent()

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _serve(connection: Connection, parent: int, work: Callable[[object], object]) -> None:
    """A worker's life: run the jobs it is sent until told to stop or its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        connection.send((index, work(job)))


def run_in_workers(
    jobs: Sequence[Job],
    work: Callable[[Job], Outcome],
    *,
    workers: int,
    time_limit: float,
    describe_timeout: Callable[[Job], SourceError],
    describe_crash: Callable[[Job], SourceError],
) -> list[Outcome | SourceError]:
    """`work(job)` for every job, in at most `workers` processes, in the order given.

    `work` must be a module-level function (it is sent to the workers). A job that runs
    longer than `time_limit` seconds gives `describe_timeout(job)`; a worker that dies
    gives `describe_crash(job)`. Raises OSError when no process can be started.
    """
    context = _context()
    results: dict[int, Outcome | SourceError] = {}
    pending = deque(range(len(jobs)))
    idle: list[_Worker[Job]] = []
    busy: dict[Connection, _Worker[Job]] = {}
    everyone: list[_Worker[Job]] = []

    def start() -> _Worker[Job]:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_serve, args=(child_end, os.getpid(), work), daemon=True)  # type: ignore[attr-defined]
        process.start()
        child_end.close()
        worker: _Worker[Job] = _Worker(process, parent_end)
        everyone.append(worker)
        return worker

    def retire(worker: _Worker[Job]) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()

    try:
        while pending or busy:
            while pending and len(busy) < workers:
                worker = idle.pop() if idle else start()
                worker.index = pending.popleft()
                worker.started = time.monotonic()
                worker.connection.send((worker.index, jobs[worker.index]))
                busy[worker.connection] = worker
            now = time.monotonic()
            deadline = min(worker.started + time_limit for worker in busy.values())
            for connection in wait(list(busy), timeout=max(0.0, deadline - now)):
                assert isinstance(connection, Connection)
                worker = busy.pop(connection)
                try:
                    index, outcome = connection.recv()
                except (EOFError, OSError):
                    results[worker.index] = describe_crash(jobs[worker.index])
                    retire(worker)
                    continue
                results[index] = outcome
                idle.append(worker)
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                if now - worker.started >= time_limit:
                    del busy[connection]
                    results[worker.index] = describe_timeout(jobs[worker.index])
                    retire(worker)
        for worker in idle:
            try:
                worker.connection.send(None)
            except OSError:
                pass
    finally:
        for worker in everyone:
            retire(worker)
    return [results[index] for index in range(len(jobs))]
