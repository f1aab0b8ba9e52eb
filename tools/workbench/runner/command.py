"""The run_step.py command line: run a snapshot of microgpt and prove its output identical
to the original's.

`python tools/run_step.py` (a thin launcher) acts on its own checkout; the installed
console command `microgpt-run-step` on the project found from the current folder upward.
"""

from __future__ import annotations

import argparse
import json
import signal
from pathlib import Path

from rich.console import Console
from rich.text import Text

from workbench.cli import JSON, MARKDOWN, TEXT, ArgumentParser, add_output_options, add_plan_option, add_project_option
from workbench.console import make_console
from workbench.errors import WorkbenchError, run_command_line
from workbench.paths import CACHE_ENVIRONMENT_VARIABLE
from workbench.programs import Program, all_programs, attempt_program, require_file, resolve_program, valid_names
from workbench.project import Project, locate_project_root, open_project
from workbench.proof.wording import first_divergent_step_sentence
from workbench.runner.dataset import NAMES_FILE_ENVIRONMENT_VARIABLE, resolve_dataset
from workbench.runner.explain import Explanation, check_and_explain
from workbench.runner.progress import make_progress
from workbench.runner.proof_report import render_proof
from workbench.runner.prove import ProofReport, proof_record
from workbench.runner.report import emit, render_header, render_result
from workbench.runner.results import CheckReport
from workbench.runner.settings import DEFAULT_TIMEOUT_SECONDS, CheckSettings, make_settings
from workbench.runner.table import json_record, markdown_table, render_summary_line, render_table
from workbench.system import termination_signals

ALL = "all"

DESCRIPTION = """\
Run the original microgpt, a step of the refactoring, every step, or your own attempt, each
in its own temporary directory, and prove the result identical to the original's.

TARGET is one of:
  original        the untouched original/microgpt.py, checked against its reference: for a
                  profile as defined, the golden file tests/golden/original.<profile>.json;
                  with --set or --data, a cached run, or a second run computed now
  07 (or 7)       steps/07_*.py: output identical to the original's, parameters to step 06's,
                  and the step's structural contract from the plan holds
  all             the original and every step file that exists, in parallel, ending with one
                  table: verdicts, timings, peak memory, and speed relative to the original
  FILE --as 07    any file, checked as if it were step 07 (its level, its parameters, its
                  names for the knobs; its predecessor is step 06)

Levels (declared per step in plans/revised_plan.toml):
  bit     output identical to the original's AND final parameters bit-identical (float.hex)
          to the predecessor's; one float off in its last bit fails the step
  print   output identical to the original's; the parameters may drift, and the largest
          absolute difference is reported
Everything is compared under the same settings: the reference is always the original run
with the same profile, knobs and dataset (cached by content in .cache/runs/)."""

EPILOG = f"""\
profiles:
  full    the program as written (500 training steps; the original takes about 4 minutes
          on a 2-core machine)
  quick   num_steps=10, num_samples=5, a few seconds: for fast checks while you work

knobs (--set NAME=VALUE, repeatable; overrides the profile):
  n_embd, n_head, n_layer, block_size, learning_rate, beta1, beta2, eps_adam,
  num_steps, temperature, seed (the argument of random.seed) and num_samples (the
  count of the loop that draws the names, range(20)). Names are the original's; later
  names such as embedding_dimension work too. Whole numbers for integer knobs;
  learning_rate and the like take any number.

dataset (first that applies):
  --data PATH, then {NAMES_FILE_ENVIRONMENT_VARIABLE} (a copy of the standard names
  file, checked by sha256), then the cache .cache/data/names.txt, then a download from
  the original's URL into that cache. Another names file via --data is allowed: golden
  files do not apply to it, and the tool says so. {CACHE_ENVIRONMENT_VARIABLE} moves the
  cache.

output (--format):
  text      the report: a verdict panel per program, and for all one table (default)
  json      one JSON object per program (JSON Lines); --json is the same
  markdown  with all: the results table as Markdown; --markdown is the same

--approve (with original or all):
  run the original fresh, show how it differs from the golden file of this profile, and
  record the fresh run as tests/golden/original.<profile>.json. Refused with --set or a
  non-standard dataset. Nothing else ever writes into the repository.

exit status:
  0  identical at the level the plan declares (all: every target)
  1  differs (all: some target differs, none failed)
  2  usage error, crash, syntax error, timeout, or a check that could not be made

examples:
  python tools/run_step.py original --profile quick
  python tools/run_step.py 07
  python tools/run_step.py all --jobs 2
  python tools/run_step.py all --format markdown > results.md
  python tools/run_step.py my_attempt.py --as 07 --profile quick
  python tools/run_step.py 03 --profile quick --set n_layer=2 --set seed=7
  python tools/run_step.py original --profile quick --approve
  python tools/run_step.py 07 --format json | python -m json.tool --json-lines
"""


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="run_step.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("target", metavar="TARGET", help="original, a step number (07), all, or a file with --as")
    parser.add_argument("--as", dest="as_step", metavar="STEP", help="check TARGET (a file) as if it were this step")
    parser.add_argument("--profile", default="full", help="full (default) or quick")
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a knob, e.g. --set n_layer=2 (repeatable)",
    )
    parser.add_argument(
        "--data", type=Path, metavar="PATH", help="the names file to train on (default: the standard dataset)"
    )
    parser.add_argument("--jobs", type=int, metavar="N", help="programs to run at once (default: the number of CPUs)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"end a run that takes longer (default: {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    add_output_options(
        parser,
        (TEXT, JSON, MARKDOWN),
        (
            ("--json", JSON, "print one JSON object per target (JSON Lines) instead of the report"),
            ("--markdown", MARKDOWN, "with all: print the results table as Markdown"),
        ),
    )
    parser.add_argument(
        "--prove", action="store_true", help="also check under every held setting on the quick profile (see below)"
    )
    parser.add_argument(
        "--approve", action="store_true", help="record the original's golden file for this profile (see below)"
    )
    add_plan_option(parser)
    add_project_option(parser)
    return parser


def choose_targets(project: Project, name: str, as_step: str | None) -> tuple[list[Program], list[Program]]:
    """(programs to check, plan steps without a file yet)."""
    plan = project.plan
    if as_step is not None:
        return [attempt_program(plan, Path(name), as_step)], []
    if name == ALL:
        every = all_programs(plan)
        return [program for program in every if program.exists()], [
            program for program in every if not program.exists()
        ]
    if name.endswith(".py") or "/" in name or Path(name).is_file():
        raise WorkbenchError(f"to check the file {name}, say which step it stands for, e.g. {name} --as 07")
    try:
        program = resolve_program(plan, name)
    except WorkbenchError:
        raise WorkbenchError(
            f"'{name}' is not a target; name one of {valid_names(plan)}, or {ALL}, or a file with --as NN"
        ) from None
    require_file(program)
    return [program], []


def main(arguments: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: the
    project is --project or the nearest one at or above the current folder)."""
    options = build_parser().parse_args(arguments)
    project = open_project(locate_project_root(options.project, root), options.plan)
    if options.approve and options.target not in ("original", ALL):
        raise WorkbenchError("--approve records the original's golden file: use it with the target original or all")
    if options.approve and options.as_step is not None:
        raise WorkbenchError("--approve records the golden file from the original itself, not from another file")
    if options.approve and not project.owns_golden_files:
        raise WorkbenchError(
            "--approve records the project's golden files, so it works only with the project's own plan"
        )
    if options.approve and options.prove:
        raise WorkbenchError("--approve records golden files and --prove checks a program; run them separately")
    if options.format == MARKDOWN and options.target != ALL:
        raise WorkbenchError("--markdown prints the table of all; use it with the target all")
    targets, missing = choose_targets(project, options.target, options.as_step)
    dataset = resolve_dataset(options.data, cache=project.cache)
    settings = make_settings(
        project,
        profile=options.profile,
        assignments=options.assignments,
        dataset=dataset,
        timeout=options.timeout,
        jobs=options.jobs,
        approve=options.approve,
    )
    out = make_console(no_color=options.no_color)
    err = make_console(no_color=options.no_color, stderr=True)
    notice = dataset.notice()
    if notice is not None:
        emit(err, Text(f"note: {notice}", style="warning"))
    single = len(targets) == 1 and options.target != ALL
    if options.format == TEXT:
        if single:
            render_header(out, targets[0], settings)
        else:
            emit(out, Text(f"Checking {len(targets)} programs, {settings.jobs} at a time: {settings.describe()}"))
            emit(out, Text(f"dataset: {settings.dataset.describe()}", style="muted"))
    explained = single and options.format == TEXT

    def before_search(program: Program) -> None:
        emit(
            err,
            Text(
                "the parameters differ: rerunning with fewer training steps to find where they start to", style="muted"
            ),
        )

    with make_progress(err) as progress:
        checked = check_and_explain(
            project,
            targets,
            settings,
            prove=options.prove,
            observer=progress,
            search_first_step=explained,
            before_search=before_search,
        )
    show(
        checked.report,
        settings,
        missing,
        out=out,
        err=err,
        output_format=options.format,
        single=single,
        proof=checked.proof,
    )
    if explained:
        show_first_training_step(out, checked.explanations[0])
    return checked.exit_code


def show_first_training_step(out: Console, explanation: Explanation) -> None:
    """The training step after which the parameters first differ, when it was searched for."""
    searched = explanation.first_training_step
    if searched is not None:
        sentence = first_divergent_step_sentence(searched.step, searched.searched_up_to)
        emit(out, Text(f"first divergence: {sentence}", style="warning"))


def show(
    report: CheckReport,
    settings: CheckSettings,
    missing: list[Program],
    *,
    out: Console,
    err: Console,
    output_format: str,
    single: bool,
    proof: ProofReport | None = None,
) -> None:
    """The report: JSON Lines, a Markdown table, or the rich/plain report (notes to stderr
    when stdout carries data)."""
    notes = [
        *report.notes,
        *([f"no file yet for step {', '.join(target.label for target in missing)}"] if missing else []),
    ]
    if output_format != TEXT:
        for note in notes:
            emit(err, Text(f"note: {note}", style="warning"))
        if output_format == JSON:
            for result in report.results:
                record = json_record(result, settings)
                if proof is not None:
                    record.update(proof_record(proof, result))
                print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(markdown_table(report.results, missing))
        return
    if single:
        render_result(out, report.results[0])
        if proof is not None:
            render_proof(out, proof, report.results[0])
    else:
        for result in report.results:
            if result.status != "ok" or not result.counts_as_identical or result.approved is not None:
                render_result(out, result, show_samples=False)
                emit(out, Text(""))
    for note in report.notes:
        emit(out, Text(f"note: {note}", style="warning"))
    if not single:
        if proof is not None:
            for result in report.results:
                render_proof(out, proof, result)
        render_summary_line(out, report.exit_code if proof is None else proof.exit_code, report.results)
        render_table(out, report.results, missing, settings)


def interrupt_on_termination() -> None:
    """A closed terminal (SIGHUP, where the system has it) or a killed job (SIGTERM) stops the runner like Ctrl-C does:
    every program in flight is ended and every temporary directory removed."""

    def interrupt(signal_number: int, frame: object) -> None:
        raise KeyboardInterrupt

    for termination in termination_signals():
        signal.signal(termination, interrupt)


def console_main() -> int:
    """The `microgpt-run-step` console command."""
    interrupt_on_termination()
    return run_command_line(main)
