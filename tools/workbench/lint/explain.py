"""--explain RULE and --list-rules: the rules' documentation, from the rules themselves."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from workbench.console import is_plain
from workbench.lint.rule import Example, Rule

REFERENCE_PAGE = "docs/rules.md"
"""The rules reference page (workbench.lint.reference writes it), named at the end of --explain."""


def _print_code(console: Console, source: str, indent: int) -> None:
    """A code block, highlighted on a terminal, plain and unpadded when piped."""
    code = source.rstrip("\n")
    if is_plain(console):
        for line in code.splitlines():
            console.print(Text(" " * indent + line if line else ""), soft_wrap=True)
        return
    syntax = Syntax(code, "python", theme="ansi_dark", background_color="default")
    console.print(Padding(syntax, (0, 0, 0, indent), expand=False))


def _section(console: Console, title: str, body: str) -> None:
    console.print(Text(title, style="bold"))
    width = max(40, console.width - 2)
    for paragraph in body.split("\n\n"):
        wrapped = textwrap.fill(
            paragraph, width=width, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
        )
        console.print(Text(wrapped), soft_wrap=True)


def _examples(console: Console, title: str, examples: Sequence[Example], flagged: bool) -> None:
    console.print(Text(title, style="bold"))
    for number, example in enumerate(examples, start=1):
        if flagged:
            verdict = f"flagged {example.count} time{'s' if example.count != 1 else ''}"
        else:
            verdict = "not flagged"
        heading = Text()
        heading.append(f"  {number}. {example.note}", style="commit")
        heading.append(f"  ({verdict})", style="muted")
        console.print(heading, soft_wrap=True)
        _print_code(console, example.source, indent=5)


def render_explanation(
    console: Console, rule: Rule, zero_from: Mapping[str, int] | None = None, deferred: Sequence[str] = ()
) -> None:
    """What the rule flags, why it matters, how to fix it, and its examples."""
    title = Text()
    title.append(rule.code, style="bold red")
    title.append(" ")
    title.append(rule.name, style="bold cyan")
    title.append(f"  {rule.summary}")
    console.print(title, soft_wrap=True)
    if zero_from is not None and rule.name in zero_from:
        note = f"In the plan: must be zero from step {zero_from[rule.name]:02d}"
        if rule.name in deferred:
            note += " (deferred: debt until then)"
        console.print(Text(note, style="muted"))
    console.print()
    _section(console, "What it flags", rule.flags)
    console.print()
    _section(console, "Why it matters (data-oriented design)", rule.why)
    console.print()
    console.print(Text("Example", style="bold"))
    _print_code(console, rule.example, indent=2)
    console.print()
    _section(console, "Fix", rule.fix)
    _print_code(console, rule.fixed_example, indent=2)
    console.print()
    _examples(console, "Not flagged", rule.valid_examples, flagged=False)
    console.print()
    _examples(console, "Flagged", rule.invalid_examples, flagged=True)
    console.print()
    console.print(
        Text(f"Suppress a deliberate exception on its line with:  # lint: allow[{rule.name}] <reason>", style="muted"),
        soft_wrap=True,
    )
    console.print(Text(f"All rules: {REFERENCE_PAGE}", style="muted"), soft_wrap=True)


def render_rule_list(
    console: Console, rules: Sequence[Rule], zero_from: Mapping[str, int] | None = None, deferred: Sequence[str] = ()
) -> None:
    """One row per rule: code, name, what it is about, and (when known) the plan's step."""
    table = Table(box=box.SIMPLE if not is_plain(console) else box.ASCII2)
    table.add_column("code", style="bold red", no_wrap=True)
    table.add_column("name", style="cyan", no_wrap=True)
    table.add_column("flags")
    if zero_from is not None:
        table.add_column("zero from", justify="right", no_wrap=True)
    for rule in rules:
        cells: list[str | Text] = [rule.code, rule.name, rule.summary]
        if zero_from is not None:
            step = zero_from.get(rule.name)
            label = "end" if step is None else f"{step:02d}"
            if rule.name in deferred:
                label += " (deferred)"
            cells.append(label)
        table.add_row(*cells)
    console.print(table)
    console.print(Text("Explain one: --explain CODE_OR_NAME (e.g. --explain no-lambda)", style="muted"))
