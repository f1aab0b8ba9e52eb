"""The workshop.py command line: walk the eleven commits yourself, with a verdict per
claim, graded hints and the first place where your program departs from the reference.

`python tools/workshop.py` (a thin launcher) acts on its own checkout; the installed
console command `microgpt-workshop` on the project found from the current folder upward.
The subcommands themselves are workbench.workshop.commands.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workbench.cli import JSON, MARKDOWN, TEXT, ArgumentParser, add_plan_option, add_project_option
from workbench.console import make_console
from workbench.errors import run_command_line
from workbench.project import locate_project_root, open_project
from workbench.workshop import commands
from workbench.workshop.doctor import run_doctor
from workbench.workshop.watch import watch
from workbench.workshop.workspace import WORKSPACE_ENVIRONMENT_VARIABLE, WorkshopError, resolve_workspace

DESCRIPTION = """\
Walk the refactoring of microgpt one commit at a time, in your own files. Each step is
checked by the runner exactly as `run_step.py FILE --as NN --profile quick` checks it: the
program runs, its printed output is the original's, its final parameters are the step
before's (bit for bit where the plan says so), the structural claims of this step and
the earlier ones hold, its new functions pass their exercises, and the lint rules
mandatory at this step report nothing. A failed check names the first place your
program departs."""

EPILOG = f"""\
before the workshop:
  python tools/workshop.py doctor         is this laptop ready? each problem with its fix (exit 1 if not)

the loop:
  python tools/workshop.py start 07       workspace/07_delete_value_class.py is your file
  python tools/workshop.py watch          rechecks on every save (keys: h c l n r q)
  python tools/workshop.py check          one check: a checklist of claims
  python tools/workshop.py hint           the next of 8 graded hints (hint --all: all so far)
  python tools/workshop.py list           every step: not started / in progress / passes / proved
  python tools/workshop.py next           start the next step from your passing file
  python tools/workshop.py reset          back to the starting file (yours goes to .backup/)
  python tools/workshop.py solution       once the step passes: your file beside the reference
  python tools/workshop.py prove          the proof: the full profile, then held settings and another names file
  python tools/workshop.py collect DIR    facilitators: one table from many report.json files

stretch track (steps 12-16, for learners who finish early):
  python tools/workshop.py start 12 --plan plans/beyond_plan.toml
  python tools/workshop.py check --plan plans/beyond_plan.toml
  Give the same --plan to every command of those steps; it continues from your step 11.

workspace:
  workspace/ in the project (ignored by git), or --workspace DIR, or the environment
  variable {WORKSPACE_ENVIRONMENT_VARIABLE}. Nothing outside the workspace is written.

exit status:
  0  done (check: every claim holds)   1  not yet (a claim does not hold, or not possible now)
  2  unusable input: no workspace, unknown step, unreadable file
"""


PLAN_HELP = "another plan file (default: plans/revised_plan.toml); plans/beyond_plan.toml gives steps 12-16"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="workshop.py", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help=f"the workspace directory (default: ${WORKSPACE_ENVIRONMENT_VARIABLE} or workspace/)",
    )
    parser.add_argument("--no-color", action="store_true", help="plain text even on a terminal")
    add_project_option(parser)
    add_plan_option(parser, PLAN_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    # --no-color after the command too; SUPPRESS keeps a --no-color given before it.
    shared = ArgumentParser(add_help=False)
    shared.add_argument(
        "--no-color", action="store_true", default=argparse.SUPPRESS, help="plain text even on a terminal"
    )
    shared.add_argument("--plan", type=Path, metavar="PATH", default=argparse.SUPPRESS, help=PLAN_HELP)

    start = sub.add_parser("start", parents=[shared], help="start a step: your file, its story, its claims")
    start.add_argument("step", metavar="STEP", help="the step number, e.g. 07")
    start.add_argument(
        "--skeleton",
        action="store_true",
        help="start from the step itself with what it adds cut out (raise NotImplementedError)",
    )
    start.add_argument(
        "--from-reference",
        action="store_true",
        help="start from the reference step before, even if you passed it yourself",
    )
    start.add_argument("--name", help="your name, for the facilitator's report (default: your login name)")

    check = sub.add_parser(
        "check", parents=[shared], help="check your file once: a checklist of claims and the first divergence"
    )
    check.add_argument(
        "--prove",
        action="store_true",
        help="prove instead: the full profile, then every held setting of the runner (other architectures, optimizer, seed, names file); minutes",
    )

    watch_parser = sub.add_parser(
        "watch", parents=[shared], help="recheck whenever your file is saved (keys: h c l n r q)"
    )
    watch_parser.add_argument("--once", action="store_true", help="check once and stop (for scripts)")
    watch_parser.add_argument(
        "--interval", type=float, default=0.25, metavar="SECONDS", help="how often to look at the file (default 0.25)"
    )

    hint = sub.add_parser("hint", parents=[shared], help="the next hint of a graded ladder of 8")
    hint.add_argument("--all", action="store_true", help="every hint level so far, again")

    sub.add_parser("list", parents=[shared], help="every step with its status, hints used and a progress bar")

    next_parser = sub.add_parser("next", parents=[shared], help="start the next step from your passing file")
    next_parser.add_argument(
        "--from-reference",
        action="store_true",
        help="start from the reference step instead (also when yours does not pass)",
    )
    next_parser.add_argument("--skeleton", action="store_true", help="start the next step as a skeleton")

    sub.add_parser("reset", parents=[shared], help="back to the step's starting file; your file is kept in .backup/")
    sub.add_parser("solution", parents=[shared], help="once the step passes: your file beside the reference step")
    sub.add_parser(
        "prove",
        parents=[shared],
        help="prove the current step as `run_step.py FILE --as NN --prove` does: the full profile, then every held setting (same as check --prove)",
    )

    doctor = sub.add_parser(
        "doctor",
        parents=[shared],
        help="before the workshop: is this laptop ready? Python, libraries, dataset, a first run, terminal, disk",
    )
    doctor.add_argument("--format", choices=(TEXT, JSON), default=TEXT, help="text (default) or json")

    collect = sub.add_parser(
        "collect", parents=[shared], help="facilitators: many learners' report.json files as one table"
    )
    collect.add_argument(
        "paths", nargs="+", type=Path, metavar="DIR", help="directories to search for report.json (or report files)"
    )
    collect.add_argument(
        "--format",
        choices=(TEXT, MARKDOWN, JSON),
        default=TEXT,
        help="text (default: rich on a terminal, plain when piped), markdown or json",
    )
    return parser


def main(arguments: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: the
    project is --project or the nearest one at or above the current folder)."""
    parser = build_parser()
    options = parser.parse_args(arguments)
    if options.command is None:
        parser.print_help()
        return 2
    out = make_console(no_color=options.no_color)
    err = make_console(no_color=options.no_color, stderr=True)
    if options.command == "collect":
        return commands.collect_reports(out, err, options.paths, options.format)
    project = open_project(locate_project_root(options.project, root), options.plan)
    if options.command == "doctor":
        return run_doctor(project, out, options.format, os.environ)
    plan = project.plan
    workspace = resolve_workspace(options.workspace, project.root, plan_option=options.plan)
    session = commands.Session(project=project, workspace=workspace, out=out, err=err)
    match options.command:
        case "start":
            return commands.start(
                session,
                commands.parse_step(plan, options.step),
                skeleton=options.skeleton,
                from_reference=options.from_reference,
                learner=options.name,
            )
        case "check":
            return commands.check(session, prove=options.prove)
        case "watch":
            if options.interval <= 0:
                raise WorkshopError(f"--interval must be a positive number of seconds (got {options.interval:g})")
            return watch(session, once=options.once, interval=options.interval)
        case "hint":
            return commands.give_hint(session, show_all=options.all)
        case "list":
            return commands.show_list(session)
        case "next":
            return commands.next_step(session, from_reference=options.from_reference, skeleton=options.skeleton)
        case "reset":
            return commands.reset(session)
        case "solution":
            return commands.solution(session)
        case "prove":
            return commands.prove(session)
    return 2


def console_main() -> int:
    """The `microgpt-workshop` console command."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    return run_command_line(main)
