"""Printing renderables: verbatim text that must not wrap, and plain output without trailing spaces."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console, RenderableType
from rich.text import Text


@dataclass(frozen=True)
class Verbatim:
    """Text printed exactly as is, never wrapped at the console width (a plain diff)."""

    text: str


Part = RenderableType | Verbatim


def print_parts(console: Console, parts: Iterable[Part]) -> None:
    for part in parts:
        if isinstance(part, Verbatim):
            console.print(Text(part.text), soft_wrap=True)
        else:
            console.print(part)


class TrailingSpaceStripper:
    """A text stream that drops the spaces rich pads plain lines with, line by line.

    Tables and grids pad every line to the console width; in a pipe or a file that is
    only noise (and trips up diff tools and editors). Wraps the real stream and passes
    `isatty`, `flush` and `encoding` through.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *complete, self._pending = self._pending.split("\n")
        for line in complete:
            self._stream.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending.rstrip(" "))
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    @property
    def encoding(self) -> str:
        return str(getattr(self._stream, "encoding", "utf-8"))


class Output:
    """The screen, and optionally a recording console for --html/--svg, fed the same parts.

    Each part is built by a function of `plain`, so the screen and the recording can
    differ in styling (a pipe is plain; an export stays in colour) but never in content.
    """

    def __init__(
        self, screen: Console, screen_plain: bool, recorder: Console | None = None, recorder_plain: bool = False
    ) -> None:
        self.screen = screen
        self.screen_plain = screen_plain
        self.recorder = recorder
        self.recorder_plain = recorder_plain

    def show(self, build: Callable[[bool], list[Part]]) -> None:
        screen_parts = build(self.screen_plain)
        print_parts(self.screen, screen_parts)
        if self.recorder is not None:
            same = self.recorder_plain == self.screen_plain
            print_parts(self.recorder, screen_parts if same else build(self.recorder_plain))
