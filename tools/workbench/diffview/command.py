"""The diffstep.py command line: walk the refactoring one commit at a time, the story of a
step, what changed, and the diff.

`python tools/diffstep.py` (a thin launcher) acts on its own checkout; the installed
console command `microgpt-diffstep` on the project found from the current folder upward.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from functools import partial
from pathlib import Path
from typing import TextIO, cast

from workbench.cli import (
    HTML,
    JSON,
    MARKDOWN,
    SVG,
    TEXT,
    ArgumentParser,
    add_output_options,
    add_plan_option,
    add_project_option,
)
from workbench.console import is_plain, make_console
from workbench.diffview.comparison import Comparison, compare
from workbench.diffview.data import comparison_markdown, comparison_record, step_list_markdown, step_list_record
from workbench.diffview.export import (
    ExportFormat,
    ExportTarget,
    check_export_targets,
    export_text,
    make_recording_console,
    write_exports,
)
from workbench.diffview.printing import Output, Part, TrailingSpaceStripper
from workbench.diffview.render import render_between, render_comparison, render_step_list
from workbench.diffview.selection import require_files, select_pairs
from workbench.errors import EXIT_OK, WorkbenchError, run_command_line
from workbench.project import locate_project_root, open_project

DESCRIPTION = """\
Show one step of the refactoring as a commit: its story from the plan (what, why, the
reviewers' notes, the declared equivalence), the verdict of the last run and the style
debt when they are known, a summary of what changed in the code (functions, classes,
module-level names, renames with their number of sites, the data layout change) and a
syntax-highlighted diff with the changed tokens picked out.

A step is named by its number (7 or 07); the untouched program is `original`. One step
is shown against the step before it (step 01 against the original)."""

EPILOG = """\
examples:
  python tools/diffstep.py --list               every step, its commit message, missing files
  python tools/diffstep.py 01                   step 01 against the original
  python tools/diffstep.py 07                   step 07 against step 06
  python tools/diffstep.py 03..07               steps 03 to 07, one after the other
  python tools/diffstep.py original 11          the whole refactoring as one diff
  python tools/diffstep.py 07 --stat            the story and the summary, no diff
  python tools/diffstep.py 07 --side-by-side    old and new in two columns (wide screens)
  python tools/diffstep.py 07 --context 10      more unchanged lines around each change
  python tools/diffstep.py 07 --svg step07.svg  save what is shown, for a slide
  python tools/diffstep.py 07 --side-by-side --width 180 --html step07.html
  python tools/diffstep.py 07 --format html > step07.html   the page on stdout instead
  python tools/diffstep.py 07 --format json     the comparison as data
  python tools/diffstep.py 07 --format markdown the story's heading and the diff, for notes
  python tools/diffstep.py 07 | less            plain text when piped

Output is plain text (no colour, unified diff format, a `?` line marking the changed
tokens) when piped or with --no-color. Exports never overwrite a file without --force."""


def _context_lines(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of lines, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number of context lines cannot be negative")
    return value


def _columns(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of columns, got {text!r}") from None
    if value < 40:
        raise argparse.ArgumentTypeError("the output needs at least 40 columns")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="diffstep.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="STEP",
        help="a step (07), a range (03..07) or two snapshots to compare (original 11); none lists the steps",
    )
    parser.add_argument(
        "--list", action="store_true", help="list every step with its commit message and mark missing files"
    )
    parser.add_argument("--stat", action="store_true", help="show only the header, the summary and the line counts")
    parser.add_argument("--side-by-side", action="store_true", help="show the diff in two columns instead of unified")
    parser.add_argument(
        "--context",
        type=_context_lines,
        default=3,
        metavar="N",
        help="unchanged lines shown around each change (default 3)",
    )
    parser.add_argument(
        "--width", type=_columns, metavar="COLUMNS", help="output width (default: the terminal's; 100 when piped)"
    )
    add_output_options(
        parser,
        (TEXT, JSON, MARKDOWN, HTML, SVG),
        format_help=(
            "what to print: text (default), json, markdown, or html/svg (what the terminal shows, as a page or an image)"
        ),
    )
    parser.add_argument("--html", type=Path, metavar="FILE", help="also save what is shown as an HTML page")
    parser.add_argument("--svg", type=Path, metavar="FILE", help="also save what is shown as an SVG image")
    parser.add_argument("--force", action="store_true", help="let --html/--svg overwrite an existing file")
    add_plan_option(parser)
    add_project_option(parser)
    return parser


def _export_targets(arguments: argparse.Namespace) -> list[ExportTarget]:
    targets = []
    if arguments.html is not None:
        targets.append(ExportTarget(arguments.html, ExportFormat.HTML))
    if arguments.svg is not None:
        targets.append(ExportTarget(arguments.svg, ExportFormat.SVG))
    return targets


def _make_output(*, no_color: bool, exporting: bool, width: int | None, silent: bool = False) -> Output:
    """The screen (plain text without trailing spaces when piped) and, for exports, a recorder.
    A silent screen renders into memory (the page or image goes to stdout instead)."""
    screen = (
        make_console(no_color=no_color, file=cast(TextIO, io.StringIO())) if silent else make_console(no_color=no_color)
    )
    screen_plain = is_plain(screen)
    if screen_plain and not silent:
        screen = make_console(no_color=no_color, file=cast(TextIO, TrailingSpaceStripper(sys.stdout)))
    if width is not None:
        screen.width = width
    if not exporting:
        return Output(screen, screen_plain)
    recorder = make_recording_console(width=screen.width, plain=no_color)
    return Output(screen, screen_plain, recorder, recorder_plain=no_color)


def _comparison_parts(
    comparison: Comparison, first: bool, stat_only: bool, side_by_side: bool, plain: bool
) -> list[Part]:
    """One comparison as printed; every one after the first is preceded by a separator."""
    separator: list[Part] = [] if first else [render_between(plain)]
    return [*separator, *render_comparison(comparison, plain=plain, stat_only=stat_only, side_by_side=side_by_side)]


def main(argv: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: the
    project is --project or the nearest one at or above the current folder)."""
    arguments = build_parser().parse_args(argv)
    project = open_project(locate_project_root(arguments.project, root), arguments.plan)
    plan = project.plan
    if arguments.list and arguments.names:
        raise WorkbenchError("--list shows every step; leave out the step names, or drop --list")
    listing = arguments.list or not arguments.names
    pairs = [] if listing else select_pairs(plan, arguments.names)
    require_files(plan, pairs)
    if arguments.format in (JSON, MARKDOWN):
        comparisons = [
            compare(plan, pair.older, pair.newer, cache=project.cache, context=arguments.context) for pair in pairs
        ]
        if arguments.format == JSON:
            document = (
                step_list_record(plan) if listing else [comparison_record(comparison) for comparison in comparisons]
            )
            print(json.dumps(document, indent=1, ensure_ascii=False))
        else:
            print(
                step_list_markdown(plan)
                if listing
                else "\n\n".join(comparison_markdown(comparison) for comparison in comparisons)
            )
        return EXIT_OK

    targets = _export_targets(arguments)
    check_export_targets(targets, force=arguments.force)
    page = arguments.format in (HTML, SVG)
    output = _make_output(
        no_color=arguments.no_color, exporting=bool(targets) or page, width=arguments.width, silent=page
    )

    if listing:
        output.show(lambda plain: [render_step_list(plan, plain)])
        title = "diffstep --list"
    else:
        for index, pair in enumerate(pairs):
            comparison = compare(plan, pair.older, pair.newer, cache=project.cache, context=arguments.context)
            output.show(partial(_comparison_parts, comparison, index == 0, arguments.stat, arguments.side_by_side))
        title = "diffstep " + " ".join(arguments.names)

    recorder = output.recorder
    if recorder is not None:
        for path in write_exports(recorder, targets, title=title, force=arguments.force):
            print(f"saved {path}", file=sys.stderr)
        if page:
            sys.stdout.write(export_text(recorder, ExportFormat(arguments.format), title))
    return EXIT_OK


def console_main() -> int:
    """The `microgpt-diffstep` console command."""
    return run_command_line(main)
