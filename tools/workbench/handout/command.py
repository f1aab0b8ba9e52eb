"""The handout.py command line: build the workshop's handout site, static pages with
charts, browsable offline.

`python tools/handout.py` (a thin launcher) acts on its own checkout; the installed
console command `microgpt-handout` on the project found from the current folder upward.
Both start it through workbench.handout.launch, which checks the handout's libraries first.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.text import Text

from workbench.cli import ArgumentParser, add_plan_option, add_project_option
from workbench.console import is_plain, make_console
from workbench.errors import EXIT_DIFFERS, EXIT_OK, WorkbenchError
from workbench.handout.inputs import plan_data
from workbench.handout.site import BuildRequest, build_site, check_site
from workbench.handout.verdicts import refresh_command, refresh_verdicts
from workbench.project import Project, locate_project_root, open_project

DESCRIPTION = """\
Write the whole workshop as static web pages into OUT: an index of the steps by phase
(verdict, speed and memory against the original, style debt), three charts (the loss
curves that coincide, the speed and memory payoff, the style debt burn-down), one page
per step (its story, the libcst summary, the side-by-side diff, the verdict and its
claims, the hints in the order of the workshop's hint ladder, its commit in the
export_git.py repository) and a facilitator sheet. Open OUT/index.html in any browser:
no server, no JavaScript.

Numbers come from the runner's verdict records (full profile when the original has one,
else quick). What has not been run is shown as "not yet run" with the command that
runs it, never guessed; --run runs it first."""

EPILOG = f"""\
examples:
  python tools/handout.py site/                    build from the existing records
  python tools/handout.py site/ --force            replace the site built there before
  python tools/handout.py site/ --run quick        refresh the verdicts ({refresh_command("quick")}) first
  python tools/handout.py site/ --reports reports/ facilitator sheet: what tripped learners
  python tools/handout.py --check site/            exit 1 and name what changed since the build
  python tools/handout.py beyond-site/ --plan plans/beyond_plan.toml
                                                   the stretch track (steps 12-16) as its own site

OUT must be new, empty, or (with --force) a site this tool built. The site is written
into a temporary folder and renamed into place, so a failure leaves nothing behind.
The same inputs always give the same bytes.

learners' reports (--reports DIR): every *.json in DIR and below it, as the workshop
writes them (workspace/report.json of `python tools/workshop.py`, gathered from the
room). A report the workshop's reader cannot use (larger than 1 MB, not JSON, another
schema version) is skipped with one sentence.

--check compares the inputs (plan, steps, verdict records, templates, reports) and every
file of the site (a page deleted or edited by hand) with the sha256 digests recorded at
build time, and prints the command that rebuilds the site with the options it was built
with. Every speed figure says how it was measured (load average, CPUs, date); one taken
on a busy machine is marked, and compares CPU time instead of wall-clock time.

exit status: 0 built (--check: the site is current), 1 (--check) the site is stale,
2 bad input: OUT not usable, missing plan, corrupt verdict record."""


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="handout.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "out", type=Path, metavar="OUT", help="the folder to write the site into (or, with --check, to check)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not build: say whether the site in OUT is stale (exit 1) or current (exit 0)",
    )
    parser.add_argument("--force", action="store_true", help="replace the handout site already in OUT")
    parser.add_argument(
        "--run", choices=("quick", "full"), help="refresh the verdict records with the runner first, on this profile"
    )
    parser.add_argument(
        "--profile",
        choices=("quick", "full"),
        help="which verdict records to show (default: --run's, else full when recorded, else quick)",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        help="a folder of learners' workshop report.json files, for the facilitator sheet",
    )
    add_plan_option(parser, "another plan file, e.g. plans/beyond_plan.toml (default: plans/revised_plan.toml)")
    add_project_option(parser)
    parser.add_argument("--no-color", action="store_true", help="plain text even on a terminal")
    return parser


def open_plan_project(root: Path, plan: Path | None) -> Project:
    """The project at `root` with `plan` (default: its own plan), or one sentence why not."""
    if plan is not None and not plan.is_file():
        raise WorkbenchError(f"the plan file {plan} does not exist")
    return open_project(root, plan)


def main(argv: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: the
    project is --project or the nearest one at or above the current folder)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.check:
        given = [
            option
            for option, value in (
                ("--plan", arguments.plan),
                ("--run", arguments.run),
                ("--profile", arguments.profile),
                ("--reports", arguments.reports),
                ("--force", arguments.force),
            )
            if value
        ]
        if given:
            parser.error(
                f"--check reads the options the site was built with from the site itself, so {', '.join(given)} has no use with it"
            )
    console = make_console(no_color=arguments.no_color)
    plain = is_plain(console)
    if arguments.check:
        check = check_site(open_plan_project(locate_project_root(arguments.project, root), None), arguments.out)
        changes = check.changes
        if not changes:
            console.print(
                Text(
                    f"{arguments.out} is current: nothing changed since it was built.",
                    style="" if plain else "identical",
                )
            )
            return EXIT_OK
        console.print(
            Text(
                f"{arguments.out} is stale; {len(changes)} thing{'s' if len(changes) != 1 else ''} changed since it was built:",
                style="" if plain else "warning",
            )
        )
        for change in changes:
            console.print(Text(f"  {change}"))
        console.print(Text(f"Rebuild with: {check.rebuild}", style="" if plain else "muted"), soft_wrap=True)
        return EXIT_DIFFERS
    started = time.monotonic()
    project = open_plan_project(locate_project_root(arguments.project, root), arguments.plan)
    if arguments.run is not None:
        refresh_verdicts(plan_data(project), arguments.run, make_console(no_color=arguments.no_color, stderr=True))
    result = build_site(
        BuildRequest(
            project=project,
            out=arguments.out,
            force=arguments.force,
            profile=arguments.profile or arguments.run,
            reports=arguments.reports,
        )
    )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    seconds = time.monotonic() - started
    console.print(
        Text(
            f"Wrote {result.pages} pages in {seconds:.1f} s ({result.records} verdict records, {result.profile} profile)."
        )
    )
    console.print(Text(f"Open {result.out / 'index.html'}"), soft_wrap=True)
    return EXIT_OK
