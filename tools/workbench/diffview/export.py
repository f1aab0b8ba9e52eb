"""Saving what diffstep shows as HTML or SVG, for slides and handouts.

The export is recorded by a second rich Console that is given exactly the same
renderables as the screen, at the same width. It is styled (colours, syntax
highlighting) unless --no-color asked for plain text; output piped elsewhere still
exports in colour, since slides are the point. An existing file is never replaced
unless `force` is set, and the check happens before anything is printed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rich.console import Console

from workbench.console import PLAIN_WIDTH, THEME
from workbench.errors import WorkbenchError


class ExportFormat(StrEnum):
    HTML = "html"
    SVG = "svg"


@dataclass(frozen=True)
class ExportTarget:
    path: Path
    format: ExportFormat


def check_export_targets(targets: Sequence[ExportTarget], *, force: bool) -> None:
    """Refuse, in one sentence, any target that would overwrite a file or cannot be written."""
    seen: dict[Path, ExportTarget] = {}
    for target in targets:
        resolved = target.path.resolve()
        if resolved in seen:
            raise WorkbenchError(
                f"--{seen[resolved].format} and --{target.format} both name {target.path}; give each export its own file"
            )
        seen[resolved] = target
        if target.path.is_dir():
            raise WorkbenchError(
                f"{target.path} is a directory; --{target.format} needs a file name, e.g. {target.path / ('diff.' + target.format)}"
            )
        if target.path.exists() and not force:
            raise WorkbenchError(
                f"{target.path} already exists; pass --force to overwrite it, or choose another file name"
            )
        if not target.path.parent.is_dir():
            raise WorkbenchError(f"cannot write {target.path}: the directory {target.path.parent} does not exist")


def make_recording_console(*, width: int = PLAIN_WIDTH, plain: bool = False) -> Console:
    """A console that renders into memory and keeps a record for export."""
    if plain:
        return Console(
            file=io.StringIO(),
            record=True,
            theme=THEME,
            highlight=False,
            color_system=None,
            width=width,
            no_color=True,
            emoji=False,
        )
    return Console(
        file=io.StringIO(),
        record=True,
        theme=THEME,
        highlight=False,
        force_terminal=True,
        color_system="truecolor",
        width=width,
        emoji=False,
    )


def export_text(console: Console, target_format: ExportFormat, title: str) -> str:
    """The recording as an HTML page or an SVG image (the record is kept for further exports)."""
    if target_format is ExportFormat.HTML:
        return console.export_html(clear=False)
    return console.export_svg(title=title, clear=False)


def write_exports(console: Console, targets: Sequence[ExportTarget], *, title: str, force: bool) -> list[Path]:
    """Write each export; without `force`, a file that appeared meanwhile is still not replaced."""
    written: list[Path] = []
    for target in targets:
        content = export_text(console, target.format, title)
        try:
            with target.path.open("w" if force else "x", encoding="utf-8") as stream:
                stream.write(content)
        except FileExistsError:
            raise WorkbenchError(
                f"{target.path} already exists; pass --force to overwrite it, or choose another file name"
            ) from None
        except OSError as error:
            raise WorkbenchError(f"cannot write {target.path}: {error.strerror}") from None
        written.append(target.path)
    return written
