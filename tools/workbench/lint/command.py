"""The lint_style.py command line: argument parsing, choosing what to lint, and output.

`python tools/lint_style.py` (a thin launcher) knows its own checkout, for --steps; the
pre-commit hook (`python -m workbench.lint`) and the installed console command
`microgpt-lint` need no workbench project to check files: each file's configuration is the
nearest pyproject.toml with [tool.lint_style] above it. --steps needs the project: the
launcher's checkout, --project DIR, or the nearest one at or above the current folder.
"""

from __future__ import annotations

import argparse
import difflib
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from workbench.cli import ArgumentParser
from workbench.console import make_console
from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK, WorkbenchError, run_command_line
from workbench.lint.config import LintConfig, load_config
from workbench.lint.discovery import STANDARD_INPUT, ConfigFinder, collect_files, nearest_config, settings_for
from workbench.lint.engine import DEFAULT_TIME_LIMIT, FileResult, LintSettings, lint_sources, make_settings, shown_path
from workbench.lint.errors import LintError, SourceError
from workbench.lint.explain import render_explanation, render_rule_list
from workbench.lint.fixes import fix_text
from workbench.lint.gate import policy_from_plan, run_gate, snapshots_from_plan
from workbench.lint.gate_report import render_gate, render_gate_github, render_gate_json
from workbench.lint.reference import REFERENCE_PATH, rules_reference, write_reference
from workbench.lint.report import render_github, render_json, render_markdown, render_statistics, render_text
from workbench.lint.result_cache import lint_cache_folder
from workbench.lint.rule import Rule
from workbench.lint.rules import ALL_RULES, require_rule
from workbench.lint.sarif import render_sarif
from workbench.lint.source import decode_source, read_source
from workbench.paths import CACHE_ENVIRONMENT_VARIABLE
from workbench.plan import Plan, load_plan
from workbench.project import find_project_root, locate_project_root

FORMATS = ("text", "json", "github", "sarif", "markdown")
GATE_FORMATS = ("text", "json", "github")

DESCRIPTION = """\
Check Python files against the data-oriented paradigm and the code style invariants of
the workbench (no classes, no hidden state, full names, type hints, explicit loops, ...).
Every rule has a code (DOD404) and a name (no-lambda); --list-rules shows them all and
--explain shows what a rule flags, why it matters, how to fix it, and examples;
--write-rules-reference writes all of that as one Markdown page (docs/rules.md).

With --steps, check the original and every step snapshot of the plan instead, and print
the style debt burn-down: the gate fails if a count rises, a step adds a violation, a
rule is not zero from the step the plan names, or the final step is not clean.
"""

EPILOG = f"""\
examples:
  python tools/lint_style.py original/microgpt.py           check one file
  python tools/lint_style.py steps/                         check a folder (recursively)
  python tools/lint_style.py --statistics original/         counts per rule
  python tools/lint_style.py --select no-class,DOD110 steps/ only these rules
  python tools/lint_style.py --ignore full-names,type-hints steps/
  python tools/lint_style.py --explain hidden-state         why a rule exists, with examples
  python tools/lint_style.py --list-rules
  python tools/lint_style.py --write-rules-reference docs/rules.md   the rules as one Markdown page
  python tools/lint_style.py --steps                        the gate and the debt burn-down
  python tools/lint_style.py --format github steps/         annotations for GitHub Actions
  python tools/lint_style.py --format sarif --output-file lint.sarif .
  python tools/lint_style.py --diff steps/01_flatten_parameters.py  show the safe fixes
  python tools/lint_style.py --fix mycode.py                apply them
  cat mycode.py | python tools/lint_style.py - --stdin-filename mycode.py

suppressing a deliberate exception (a reason is required):
  key_of = lambda pair: pair[1]  # lint: allow[no-lambda] sorting needs a key function
  # lint: allow[no-class] a record type for the tests       (own line: the next statement,
  class Record:                                              with its whole block)
      ...
  # lint: allow-file[full-names] generated code keeps the upstream names   (whole file)

configuration: the nearest pyproject.toml with [tool.lint_style] above each file (or --config)
  allowed-words = [...]    glossary additions     abbreviations = {{ short = "full_form" }}
  allowed-modules = [...]  importable modules besides the standard set
  select = [...]  ignore = [...]                  rules, as on the command line
  exclude = [...]  extend-exclude = [...]          globs of files and folders not searched
  per-file-ignores = {{ "tests/*.py" = ["full-names"] }}
  Folders are searched skipping hidden folders, virtual environments, the exclude list
  (.venv, venv, site-packages, build, dist, ...) and whatever .gitignore ignores.

cache: results are kept between runs in .cache/lint/ of the workbench project (or in lint/
  under ${CACHE_ENVIRONMENT_VARIABLE}; outside a project, in the user's cache folder,
  ~/.cache/microgpt-workbench/lint/); a file is analysed again only when its text, the
  rules, the configuration or the linter changes. Clear it by deleting that folder;
  --no-cache neither reads nor writes it.

exit status: 0 clean (or gate passed), 1 violations (or gate failed, or --fix left some),
             2 a file that cannot be read, compiled or analysed in time, or a bad option
"""


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="lint_style.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="Python files or folders to check; - reads standard input"
    )
    mode = parser.add_argument_group("what to do (default: check the PATHs)")
    mode.add_argument("--steps", action="store_true", help="run the gate over the original and every step of the plan")
    mode.add_argument("--explain", metavar="RULE", help="show a rule's documentation and examples (code or name)")
    mode.add_argument("--list-rules", action="store_true", help="list every rule's code, name and summary")
    mode.add_argument(
        "--write-rules-reference",
        type=Path,
        metavar="FILE",
        help=f"write every rule's documentation as one Markdown page to FILE (the workbench keeps it as {REFERENCE_PATH.as_posix()})",
    )
    mode.add_argument(
        "--fix",
        action="store_true",
        help="apply the provably safe fixes to the files (see --diff), then report what is left",
    )
    mode.add_argument(
        "--diff", action="store_true", help="show the provably safe fixes as a unified diff; change nothing"
    )
    options = parser.add_argument_group("settings")
    options.add_argument(
        "--select", metavar="RULES", help="only these rules: codes, names or code prefixes, comma-separated"
    )
    options.add_argument(
        "--ignore", metavar="RULES", help="skip these rules: codes, names or code prefixes, comma-separated"
    )
    options.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text; --steps: text, json or github)"
    )
    options.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="same as --format json (as run_step.py --json)",
    )
    options.add_argument(
        "--output-file", type=Path, metavar="FILE", help="write the report to FILE instead of standard output"
    )
    options.add_argument("--statistics", action="store_true", help="show counts per rule instead of each violation")
    options.add_argument("--no-color", action="store_true", help="plain output even on a terminal")
    options.add_argument(
        "--config",
        type=Path,
        metavar="PYPROJECT",
        help="read [tool.lint_style] from this file for every file (default: the nearest pyproject.toml that has it)",
    )
    options.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclude patterns to files named on the command line too (for pre-commit)",
    )
    options.add_argument(
        "--no-respect-gitignore",
        action="store_true",
        help="search folders ignored by git too (as ruff's flag of that name)",
    )
    options.add_argument(
        "--stdin-filename", metavar="NAME", help="with -: the name to report and to find the configuration by"
    )
    options.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the results cache (see 'cache' below)"
    )
    options.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"give up on a file after this long (default: {DEFAULT_TIME_LIMIT:g})",
    )
    options.add_argument(
        "--plan",
        type=Path,
        metavar="PLAN",
        help="the plan file, for --steps and for the step from which each rule is required (default: plans/revised_plan.toml)",
    )
    options.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="with --steps: the workbench project (default: the checkout of tools/lint_style.py, or the nearest folder at or above the current one holding plans/revised_plan.toml)",
    )
    return parser


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [item for item in text.split(",") if item.strip()]


def main(arguments: list[str] | None = None, *, root: Path | None = None) -> int:
    """The command line; `root` is the checkout of the launcher that calls it (None: for
    --steps, the project is --project or the nearest one at or above the current folder)."""
    parser = build_parser()
    options = parser.parse_args(arguments)
    options.launcher_root = root
    modes = sum(
        (
            options.steps,
            options.explain is not None,
            options.list_rules,
            options.write_rules_reference is not None,
            options.fix or options.diff,
        )
    )
    if modes > 1:
        raise LintError("choose one of --steps, --explain, --list-rules, --write-rules-reference and --fix/--diff")
    if options.timeout <= 0:
        raise LintError("--timeout must be a positive number of seconds")
    for flag, value in (("--select", options.select), ("--ignore", options.ignore)):
        if value is not None and not _split(value):
            raise LintError(
                f"{flag} names no rule; give codes, names or code prefixes, comma-separated (see --list-rules)"
            )
    with _output(options.output_file) as stream:
        console = make_console(file=stream, no_color=options.no_color or options.output_file is not None)
        return _dispatch(options, console)


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO | None]:
    if path is None:
        yield None
        return
    try:
        stream = path.open("w", encoding="utf-8")
    except OSError as error:
        raise LintError(f"cannot write the report to {path}: {error.strerror or error}") from None
    try:
        yield stream
    finally:
        stream.close()


def _dispatch(options: argparse.Namespace, console: Console) -> int:
    if options.write_rules_reference is not None:
        return _write_rules_reference(options.write_rules_reference, options, console)
    if options.list_rules or options.explain is not None:
        plan = _optional_plan(options)
        zero_from = plan.lint_zero_from if plan is not None else None
        deferred = plan.lint_deferred if plan is not None else ()
        if options.list_rules:
            render_rule_list(console, ALL_RULES, zero_from, deferred)
        else:
            render_explanation(console, require_rule(options.explain), zero_from, deferred)
        return EXIT_OK
    if options.steps:
        if options.paths:
            raise LintError("--steps checks the plan's snapshots; give no PATHs with it")
        if options.format not in GATE_FORMATS:
            raise LintError(f"--steps reports as {', '.join(GATE_FORMATS)}; not as {options.format}")
        project_root = locate_project_root(options.project, options.launcher_root)
        config = load_config(options.config) if options.config is not None else nearest_config(project_root)
        settings = make_settings(select=_split(options.select), ignore=_split(options.ignore), config=config)
        cache_folder = None if options.no_cache else lint_cache_folder(project_root)
        return _run_gate(
            options, project_root, replace(settings, cache_folder=cache_folder, time_limit=options.timeout), console
        )
    if not options.paths:
        raise LintError("give Python files or folders to check (or --steps, --explain RULE, --list-rules); see --help")
    if options.statistics and options.format in ("sarif", "markdown"):
        raise LintError(f"--statistics works with the text, json and github formats, not {options.format}")
    return _run_lint(options, console)


def _write_rules_reference(path: Path, options: argparse.Namespace, console: Console) -> int:
    written = write_reference(path, rules_reference(ALL_RULES, _optional_plan(options)))
    if written:
        console.print(Text(f"Wrote the reference of {len(ALL_RULES)} rules to {path}."), soft_wrap=True)
    else:
        console.print(Text(f"{path} is current: nothing to write."), soft_wrap=True)
    return EXIT_OK


def _optional_plan(options: argparse.Namespace) -> Plan | None:
    """The plan for showing each rule's step, when there is a project (--plan needs one); a
    broken default plan is not this command's business."""
    if options.plan is not None:
        return load_plan(options.plan, root=locate_project_root(options.project, options.launcher_root))
    root = options.launcher_root if options.project is None else locate_project_root(options.project)
    if root is None:
        root = find_project_root(Path.cwd())
    if root is None:
        return None
    try:
        return load_plan(root=root)
    except WorkbenchError:
        return None


def _run_lint(options: argparse.Namespace, console: Console) -> int:
    finder = ConfigFinder(explicit=load_config(options.config) if options.config is not None else None)
    files, errors = collect_files(
        options.paths, finder, force_exclude=options.force_exclude, respect_gitignore=not options.no_respect_gitignore
    )
    standard_input: str | None = None
    standard_input_name = options.stdin_filename or "<stdin>"
    if STANDARD_INPUT in files:
        standard_input = decode_source(sys.stdin.buffer.read(), standard_input_name)
    base = LintSettings(
        cache_folder=None if options.no_cache else lint_cache_folder(_project_around(options)),
        time_limit=options.timeout,
    )
    known: dict[tuple[int, tuple[str, ...]], LintSettings] = {}
    pairs: list[tuple[Path, LintSettings]] = []
    for path in files:
        where = Path(options.stdin_filename) if path == STANDARD_INPUT and options.stdin_filename else path
        config = finder.config_for(where)
        settings = settings_for(where, config, base, _split(options.select), _split(options.ignore))
        settings = known.setdefault((id(config), tuple(rule.code for rule in settings.rules)), settings)
        pairs.append((path, settings))
    results, lint_errors = lint_sources(pairs, standard_input, standard_input_name)
    errors.extend(lint_errors)
    if options.diff:
        changed = _apply_fixes(options, pairs, results, console, standard_input)[1]
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR if errors else EXIT_DIFFERS if changed else EXIT_OK
    if options.fix:
        if standard_input is not None and options.output_file is None:
            console = make_console(stderr=True, no_color=options.no_color)  # stdout carries the fixed text
        results = _apply_fixes(options, pairs, results, console, standard_input)[0]
    rules = (
        _rules_used(settings for _, settings in pairs)
        if pairs
        else _rules_used([make_settings(_split(options.select), _split(options.ignore), LintConfig())])
    )
    _render(options, console, results, rules, errors)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if not files:
        print("warning: no Python files found", file=sys.stderr)
    return EXIT_DIFFERS if any(result.violations for result in results) else EXIT_OK


def _rules_used(all_settings: Iterable[LintSettings]) -> list[Rule]:
    """The rules that ran on some file, in code order (the report lists them all)."""
    used = {rule for settings in all_settings for rule in settings.rules}
    return [rule for rule in ALL_RULES if rule in used]


def _render(
    options: argparse.Namespace,
    console: Console,
    results: list[FileResult],
    rules: list[Rule],
    errors: list[SourceError],
) -> None:
    if options.format == "json":
        render_json(console, results, rules, statistics_only=options.statistics, errors=errors)
    elif options.format == "github":
        render_github(console, results, errors=errors, rules=rules, statistics=options.statistics)
    elif options.format == "sarif":
        render_sarif(console, results, rules, errors=errors)
    elif options.format == "markdown":
        render_markdown(console, results, rules, errors=errors)
    elif options.statistics:
        render_statistics(console, results, rules, unchecked=len(errors))
    else:
        render_text(console, results, rules, unchecked=len(errors))


def _apply_fixes(
    options: argparse.Namespace,
    pairs: list[tuple[Path, LintSettings]],
    results: list[FileResult],
    console: Console,
    standard_input: str | None,
) -> tuple[list[FileResult], int]:
    """--diff prints the safe fixes (and nothing else); --fix writes them and re-lints the
    fixed files; standard input comes back, fixed or not, on standard output (for an
    editor), while the report goes to standard error. Returns the results and the number
    of files with fixes."""
    changed = 0
    fixed_input = [standard_input]
    by_path = {result.path: result for result in results}
    fixed_pairs: list[tuple[Path, LintSettings]] = []
    for path, settings in pairs:
        display = options.stdin_filename or "<stdin>" if path == STANDARD_INPUT else shown_path(path)
        result = by_path.get(display)
        if result is None or not result.violations:
            continue
        before = standard_input if path == STANDARD_INPUT and standard_input is not None else "\n".join(result.lines)
        if path != STANDARD_INPUT:
            before = read_source(path, display)
        after = fix_text(before, display, settings, result.violations)
        if after == before:
            continue
        changed += 1
        if options.diff:
            diff = difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{display}", f"b/{display}"
            )
            console.file.writelines(diff)
        elif path == STANDARD_INPUT:
            fixed_input[0] = after
            fixed_pairs.append((path, settings))
        else:
            path.write_text(after, encoding="utf-8")
            fixed_pairs.append((path, settings))
    if options.fix and fixed_input[0] is not None:
        sys.stdout.write(fixed_input[0])
    if not fixed_pairs:
        return results, changed
    refreshed, _ = lint_sources(fixed_pairs, fixed_input[0], options.stdin_filename or "<stdin>")
    fresh = {result.path: result for result in refreshed}
    return [fresh.get(result.path, result) for result in results], changed


def _project_around(options: argparse.Namespace) -> Path | None:
    """The workbench project whose cache keeps the results: --project, the launcher's
    checkout, or the nearest one at or above the current folder; None outside any."""
    if options.project is not None:
        return locate_project_root(options.project)
    if options.launcher_root is not None:
        return Path(options.launcher_root)
    return find_project_root(Path.cwd())


def _run_gate(options: argparse.Namespace, project_root: Path, settings: LintSettings, console: Console) -> int:
    plan = load_plan(options.plan, root=project_root)
    policy = policy_from_plan(plan)
    report = run_gate(snapshots_from_plan(plan), policy, settings)
    if options.format == "json":
        render_gate_json(console, report)
    elif options.format == "github":
        render_gate_github(console, report)
    else:
        render_gate(console, report, title=f"Style debt burn-down: {plan.title}")
    return EXIT_OK if report.passed else EXIT_DIFFERS


def _stop(signal_number: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C does: worker processes are stopped first."""
    raise KeyboardInterrupt


def stop_on_termination() -> None:
    signal.signal(signal.SIGTERM, _stop)


def console_main() -> int:
    """The `microgpt-lint` console command (and `python -m workbench.lint`, the pre-commit hook)."""
    stop_on_termination()
    return run_command_line(main)
