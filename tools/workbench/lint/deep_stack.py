"""Run a function where deeply nested (but valid) Python can be analysed.

libcst walks syntax trees recursively, so a 500-branch elif chain or a 2,000-term sum
exceeds Python's default recursion limit of 1,000 frames. Raising the limit alone would
overflow the C stack of the main thread; a thread with a large stack can take it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")

STACK_BYTES = 512 * 1024 * 1024
"""Address space reserved for the analysis thread's stack (pages are only used on demand)."""

RECURSION_LIMIT = 60_000
"""Frames allowed while analysing: far deeper than any file CPython itself compiles."""

_LOCK = threading.Lock()


def call_with_deep_stack(function: Callable[[], Result]) -> Result:
    """`function()` in a thread with a large stack and a high recursion limit; its result
    is returned and its exception re-raised here. Calls are serialised (the recursion
    limit is global to the interpreter)."""
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # noqa: BLE001 - handed back to the calling thread, which raises it
            failure.append(error)

    with _LOCK:
        previous_stack = threading.stack_size()
        previous_limit = sys.getrecursionlimit()
        try:
            threading.stack_size(STACK_BYTES)
            worker = threading.Thread(target=body, name="lint-analysis", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous_stack)
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        try:
            worker.join()
        finally:
            sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]
