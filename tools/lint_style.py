#!/usr/bin/env python3
"""Check Python files against the workbench's data-oriented style rules.

A thin command line over workbench.lint: argument parsing and output selection only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from workbench.console import make_console
from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK, WorkbenchError, run_command_line
from workbench.lint.config import load_config
from workbench.lint.engine import LintSettings, collect_python_files, lint_files, make_settings
from workbench.lint.errors import LintError
from workbench.lint.explain import render_explanation, render_rule_list
from workbench.lint.gate import policy_from_plan, run_gate, snapshots_from_plan
from workbench.lint.gate_report import render_gate, render_gate_github, render_gate_json
from workbench.lint.report import render_github, render_json, render_statistics, render_text
from workbench.lint.rules import ALL_RULES, require_rule
from workbench.plan import Plan, load_plan

DESCRIPTION = """\
Check Python files against the data-oriented paradigm and the code style invariants of
the workbench (no classes, no hidden state, full names, type hints, explicit loops, ...).
Every rule has a code (DOD404) and a name (no-lambda); --list-rules shows them all and
--explain shows what a rule flags, why it matters, how to fix it, and examples.

With --steps, check the original and every step snapshot of the plan instead, and print
the style debt burn-down: the gate fails if a count rises, a step adds a violation, a
rule is not zero from the step the plan names, or the final step is not clean.
"""

EPILOG = """\
examples:
  python tools/lint_style.py original/microgpt.py           check one file
  python tools/lint_style.py steps/                         check a folder (recursively)
  python tools/lint_style.py --statistics original/         counts per rule
  python tools/lint_style.py --select no-class,DOD110 steps/ only these rules
  python tools/lint_style.py --ignore full-names,type-hints steps/
  python tools/lint_style.py --explain hidden-state         why a rule exists, with examples
  python tools/lint_style.py --list-rules
  python tools/lint_style.py --steps                        the gate and the debt burn-down
  python tools/lint_style.py --format github steps/         annotations for GitHub Actions

suppressing a deliberate exception, on the offending line (a reason is required):
  key_of = lambda pair: pair[1]  # lint: allow[no-lambda] sorting needs a key function

configuration: [tool.lint_style] in pyproject.toml
  allowed-words = [...]    glossary additions     abbreviations = { short = "full_form" }
  allowed-modules = [...]  importable modules besides the standard set

exit status: 0 clean (or gate passed), 1 violations (or gate failed),
             2 a file that cannot be read or parsed, or a bad option
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lint_style.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="Python files or folders to check")
    mode = parser.add_argument_group("what to do (default: check the PATHs)")
    mode.add_argument("--steps", action="store_true", help="run the gate over the original and every step of the plan")
    mode.add_argument("--explain", metavar="RULE", help="show a rule's documentation and examples (code or name)")
    mode.add_argument("--list-rules", action="store_true", help="list every rule's code, name and summary")
    options = parser.add_argument_group("settings")
    options.add_argument("--select", metavar="RULES", help="only these rules: codes, names or code prefixes, comma-separated")
    options.add_argument("--ignore", metavar="RULES", help="skip these rules: codes, names or code prefixes, comma-separated")
    options.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format (default: text)")
    options.add_argument("--statistics", action="store_true", help="show counts per rule instead of each violation")
    options.add_argument("--no-color", action="store_true", help="plain output even on a terminal")
    options.add_argument("--config", type=Path, metavar="PYPROJECT", help="read [tool.lint_style] from this file (default: the project's pyproject.toml)")
    options.add_argument("--plan", type=Path, metavar="PLAN", help="with --steps: the plan file (default: plans/revised_plan.toml)")
    return parser


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [item for item in text.split(",") if item.strip()]


def main(arguments: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(arguments)
    console = make_console(no_color=options.no_color)
    modes = sum((options.steps, options.explain is not None, options.list_rules))
    if modes > 1:
        raise LintError("choose one of --steps, --explain and --list-rules")

    if options.list_rules or options.explain is not None:
        plan = _optional_plan(options.plan)
        zero_from = plan.lint_zero_from if plan is not None else None
        deferred = plan.lint_deferred if plan is not None else ()
        if options.list_rules:
            render_rule_list(console, ALL_RULES, zero_from, deferred)
        else:
            render_explanation(console, require_rule(options.explain), zero_from, deferred)
        return EXIT_OK

    settings = make_settings(select=_split(options.select), ignore=_split(options.ignore), config=load_config(options.config))
    if options.steps:
        if options.paths:
            raise LintError("--steps checks the plan's snapshots; give no PATHs with it")
        return _run_gate(options, settings, console)
    if not options.paths:
        raise LintError("give Python files or folders to check (or --steps, --explain RULE, --list-rules); see --help")
    return _run_lint(options, settings, console)


def _optional_plan(path: Path | None) -> Plan | None:
    """The plan for showing each rule's step; a broken default plan is not this command's business."""
    if path is not None:
        return load_plan(path)
    try:
        return load_plan()
    except WorkbenchError:
        return None


def _run_lint(options: argparse.Namespace, settings: LintSettings, console: Console) -> int:
    files = collect_python_files(options.paths)
    results, errors = lint_files(files, settings)
    if options.format == "json":
        render_json(console, results, settings.rules, statistics_only=options.statistics)
    elif options.format == "github":
        render_github(console, results)
    elif options.statistics:
        render_statistics(console, results, settings.rules, unchecked=len(errors))
    else:
        render_text(console, results, settings.rules, unchecked=len(errors))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if not files:
        print("warning: no Python files found", file=sys.stderr)
    return EXIT_DIFFERS if any(result.violations for result in results) else EXIT_OK


def _run_gate(options: argparse.Namespace, settings: LintSettings, console: Console) -> int:
    plan = load_plan(options.plan)
    policy = policy_from_plan(plan)
    report = run_gate(snapshots_from_plan(plan), policy, settings)
    if options.format == "json":
        render_gate_json(console, report)
    elif options.format == "github":
        render_gate_github(console, report)
    else:
        render_gate(console, report, title=f"Style debt burn-down: {plan.title}")
    return EXIT_OK if report.passed else EXIT_DIFFERS


if __name__ == "__main__":
    sys.exit(run_command_line(main))
