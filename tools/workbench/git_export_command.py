"""The export_git.py command line: export the refactoring as a real git repository, one
commit per step, the original first.

`python tools/export_git.py` (a thin launcher) acts on its own checkout; the installed
console command `microgpt-export` on the project found from the current folder upward.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table
from rich.text import Text

from workbench.cli import JSON, MARKDOWN, TEXT, ArgumentParser, add_output_options, add_plan_option, add_project_option
from workbench.console import is_plain, make_console
from workbench.errors import EXIT_OK, run_command_line
from workbench.git_export import EXPORTED_FILE_NAME, ExportResult, export_plan
from workbench.project import locate_project_root, open_project

DESCRIPTION = f"""\
Build a git repository at DEST with one commit per step of the plan: first Andrej
Karpathy's original microgpt.py, unmodified, then each step's snapshot in turn, always as
the single file {EXPORTED_FILE_NAME} at the repository root. Commit subjects are the plan's
commit messages; bodies tell the step's story (what, why, reviewer notes, equivalence).
Each commit is tagged: original, step-01, step-02, ...

Author, committer and dates are fixed, so the export gives the same commit hashes every
time. Your git configuration and hooks are ignored.

It also writes one CodeTour file per commit (.tours/NN-slug.tour, for VS Code's CodeTour
extension): pinned to the commit's hash, chained in plan order, stepping through the
commit's changed hunks with the plan's story. They stay untracked (listed in
.git/info/exclude), so they change no commit hash; `git add -f .tours` keeps them."""

EPILOG = """\
examples:
  python tools/export_git.py /tmp/microgpt-steps
  cd /tmp/microgpt-steps && git log --oneline         one line per step
  git log -p --reverse                                 the whole walk, commit by commit
  git diff step-06 step-07                             one step
  git difftool original step-11                        any diff viewer
  git bisect start step-11 original                    find the step that changed something

  python tools/export_git.py /tmp/partial --allow-missing
                                                       stop before the first missing step file
  python tools/export_git.py /tmp/microgpt-steps --format json
                                                       the tags, hashes and subjects as JSON

DEST must not exist yet, or be an empty directory."""


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="export_git.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "destination", type=Path, metavar="DEST", help="where to create the repository (new or empty directory)"
    )
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="when a step has no snapshot file yet, export up to the step before it instead of refusing",
    )
    add_output_options(parser, (TEXT, JSON, MARKDOWN))
    add_plan_option(parser)
    add_project_option(parser)
    return parser


def main(argv: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: the
    project is --project or the nearest one at or above the current folder)."""
    arguments = build_parser().parse_args(argv)
    plan = open_project(locate_project_root(arguments.project, root), arguments.plan).plan
    result = export_plan(plan, arguments.destination, allow_missing=arguments.allow_missing)
    if arguments.format == JSON:
        print(json.dumps(_as_record(result), indent=1, ensure_ascii=False))
        return EXIT_OK
    if arguments.format == MARKDOWN:
        print(_as_markdown(result))
        return EXIT_OK

    console = make_console(no_color=arguments.no_color)
    plain = is_plain(console)
    table = Table(box=None, show_header=True, header_style="" if plain else "bold", padding=(0, 1))
    table.add_column("Tag", no_wrap=True, style="" if plain else "step")
    table.add_column("Commit", no_wrap=True, style="" if plain else "muted")
    table.add_column("Subject")
    for commit in result.commits:
        table.add_row(commit.tag, commit.commit_hash[:12], Text(commit.subject))
    console.print(Text(f"Exported {len(result.commits)} commits to {result.destination}"))
    console.print(table)
    if result.stopped_before is not None:
        console.print(
            Text(
                f"Stopped before step {result.stopped_before.label}: {result.stopped_before.file_name} does not exist yet.",
                style="" if plain else "warning",
            )
        )
    tours = sorted((result.destination / ".tours").glob("*.tour"))
    console.print(
        Text(
            f"CodeTour: {len(tours)} tours in .tours/ (untracked, excluded in .git/info/exclude; no commit hash changes)"
        )
    )
    console.print(Text(f"Try: cd {result.destination} && git log --oneline", style="" if plain else "muted"))
    return EXIT_OK


def _as_record(result: ExportResult) -> dict[str, object]:
    stopped = result.stopped_before
    return {
        "destination": str(result.destination),
        "commits": [
            {"tag": commit.tag, "commit": commit.commit_hash, "subject": commit.subject} for commit in result.commits
        ],
        "stopped_before": None if stopped is None else {"step": stopped.label, "file": stopped.file_name},
    }


def _as_markdown(result: ExportResult) -> str:
    lines = [
        f"Exported {len(result.commits)} commits to `{result.destination}`",
        "",
        "| tag | commit | subject |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {commit.tag} | `{commit.commit_hash[:12]}` | {commit.subject.replace('|', chr(92) + '|')} |"
        for commit in result.commits
    ]
    if result.stopped_before is not None:
        lines += [
            "",
            f"Stopped before step {result.stopped_before.label}: {result.stopped_before.file_name} does not exist yet.",
        ]
    return "\n".join(lines)


def console_main() -> int:
    """The `microgpt-export` console command."""
    return run_command_line(main)
