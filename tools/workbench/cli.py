"""What every command line of the workbench shares: one-sentence usage errors, --format, --no-color.

Conventions (every tool in tools/, each a thin launcher over `workbench/<area>/command.py`):

- `--format NAME` chooses the output: `text` (the default: rich on a terminal, plain when
  piped) or a machine-readable form; older flags (`--json`, `--markdown`, `--html`, ...)
  remain as aliases of their `--format`;
- `--no-color` gives plain text on a terminal too;
- exit status 0 (identical / clean / done), 1 (differs / violations), 2 (usage error,
  crash, a check that could not be made), and every error is one sentence on stderr;
- `--project DIR` names the project; without it, `python tools/X.py` acts on the checkout
  that holds it and an installed console command (`microgpt-run-step`, ...) on the nearest
  project at or above the current folder.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

TEXT = "text"
JSON = "json"
MARKDOWN = "markdown"
HTML = "html"
SVG = "svg"


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def add_output_options(
    parser: argparse.ArgumentParser,
    formats: Sequence[str],
    aliases: Sequence[tuple[str, str, str]] = (),
    *,
    format_help: str = "",
) -> None:
    """`--format` with `formats` (the first is the default), each alias (flag, format, help)
    as a flag that means `--format FORMAT`, and `--no-color`."""
    group = parser.add_mutually_exclusive_group()
    described = format_help or f"output format: {', '.join(formats)} (default: {formats[0]})"
    group.add_argument("--format", choices=tuple(formats), default=formats[0], help=described)
    for flag, chosen, text in aliases:
        group.add_argument(
            flag, dest="format", action="store_const", const=chosen, help=f"{text} (same as --format {chosen})"
        )
    parser.add_argument("--no-color", action="store_true", help="plain text even on a terminal")


def add_project_option(parser: argparse.ArgumentParser) -> None:
    """`--project DIR`: the workbench project to act on (see workbench.project.locate_project_root)."""
    parser.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="the project folder to act on (default: the checkout this tool is in; for an installed "
        "command, the nearest folder at or above the current one holding plans/revised_plan.toml)",
    )


def add_plan_option(
    parser: argparse.ArgumentParser, help_text: str = "another plan file (default: plans/revised_plan.toml)"
) -> None:
    """`--plan PATH`: another plan file for the project."""
    parser.add_argument("--plan", type=Path, metavar="PATH", help=help_text)
