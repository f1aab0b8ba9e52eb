"""One rule violation at one place in one file."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Violation:
    """A rule violation. Lines and columns are 1-based; `end_column` is exclusive.

    Field order is the sort order: by file, then position, then rule code.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    message: str

    @property
    def location(self) -> str:
        """'path:line:column', the form editors and terminals turn into links."""
        return f"{self.path}:{self.line}:{self.column}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
