"""How the workshop looks: the checklist, hints, the progress list, diffs, the
facilitator's table. rich on a terminal, plain text when piped (workbench.console)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from workbench.console import is_plain
from workbench.diffview.textdiff import DiffLine, SideBySideRow
from workbench.plan import Plan
from workbench.proof.wording import claims_summary
from workbench.runner.equivalence import SETTING
from workbench.workshop.checking import CheckOutcome, ClaimOutcome, Divergence
from workbench.workshop.collect import Collection, step_summaries, tripping_claims, where_is
from workbench.workshop.hints import Hint
from workbench.workshop.workspace import IN_PROGRESS, NOT_STARTED, PASSES, PROVED, State, Workspace, status_of

HOLDS, FAILS = "✔", "✘"
STATUS_STYLES = {NOT_STARTED: "muted", IN_PROGRESS: "warning", PASSES: "identical", PROVED: "bold green"}


def show(console: Console, renderable: RenderableType) -> None:
    """Print; lines marked no_wrap (code in a diff) keep their full length (crop=False), so
    they can be copied as they are."""
    if is_plain(console):
        with console.capture() as capture:
            console.print(renderable, crop=False)
        console.file.write("".join(line.rstrip() + "\n" for line in capture.get().splitlines()))
        console.file.flush()
    else:
        console.print(renderable, crop=False)


def checklist(outcome: CheckOutcome, title: str, *, fold_passing: bool = False) -> RenderableType:
    """The claims with a mark each, the verdict and the first divergence. With
    `fold_passing` (watch), the failing claims come first and the ones that hold are one
    line ("31 claims hold")."""
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True)
    rows.add_column()
    if fold_passing:
        _folded_rows(rows, outcome)
    else:
        _claim_rows(rows, outcome)
    checked = [claim for claim in outcome.claims if claim.kind != SETTING]
    held = sum(1 for claim in checked if claim.holds)
    total = len(checked)
    settings = len(outcome.claims) - total
    failed_settings = sum(1 for claim in outcome.claims if claim.kind == SETTING and not claim.holds)
    if outcome.passes:
        verdict = Text(f"PASSES: all {total} claims hold on the {outcome.profile} profile", style="identical")
        if outcome.proved:
            verdict.append(
                f"  and PROVED under {settings} held setting{'s' if settings != 1 else ''}", style="bold green"
            )
        elif outcome.proved is False:
            verdict = Text(
                f"PASSES on the {outcome.profile} profile, but NOT PROVED: {claims_summary(failed_settings, settings, 'held setting')}",
                style="differs",
            )
    elif outcome.proved is not None:
        verdict = Text(
            f"NOT PROVED: {claims_summary(total - held, total)} on the {outcome.profile} profile", style="differs"
        )
        if failed_settings:
            # Every ✘ above is counted: the profile's claims, then the held settings.
            verdict.append(f"; {claims_summary(failed_settings, settings, 'held setting')}", style="differs")
    else:
        verdict = Text(f"{claims_summary(total - held, total)} yet", style="differs")
    parts: list[RenderableType] = [Text(title, style="step")]
    if outcome.blame is not None:
        parts.append(Text.assemble(("at fault  ", "muted"), (str(outcome.blame.get("summary", "")), "bold")))
    parts += [rows, Text(""), verdict]
    if outcome.first_divergence is not None:
        parts += [Text(""), divergence_panel(outcome.first_divergence)]
    return Group(*parts)


def _claim_rows(rows: Table, outcome: CheckOutcome) -> None:
    """Every claim in the order checked; lint rules that hold share one row."""
    quiet_rules = [claim for claim in outcome.claims if claim.kind == "lint" and claim.holds]
    for claim in outcome.claims:
        if claim in quiet_rules and len(quiet_rules) > 1:
            if claim is quiet_rules[0]:
                names = ", ".join(
                    rule.name.removeprefix("lint rule ").removesuffix(" reports nothing") for rule in quiet_rules
                )
                rows.add_row(
                    Text(HOLDS, style="identical"), Text(f"{len(quiet_rules)} lint rules report nothing ({names})")
                )
            continue
        mark = Text(HOLDS, style="identical") if claim.holds else Text(FAILS, style="differs")
        rows.add_row(mark, _claim_line(claim))


def _folded_rows(rows: Table, outcome: CheckOutcome) -> None:
    """The failing claims, then one row for all that hold."""
    failing = [claim for claim in outcome.claims if not claim.holds]
    for claim in failing:
        rows.add_row(Text(FAILS, style="differs"), _claim_line(claim))
    holding = len(outcome.claims) - len(failing)
    if holding:
        rows.add_row(Text(HOLDS, style="identical"), Text(f"{holding} claim{'s hold' if holding != 1 else ' holds'}"))


def _claim_line(claim: ClaimOutcome) -> Text:
    line = Text(claim.name)
    if claim.brief and not claim.holds:
        line.append(f"  ({claim.brief})", style="muted")
    return line


def divergence_panel(divergence: Divergence) -> RenderableType:
    body = Text(divergence.summary, style="bold")
    for line in divergence.lines:
        body.append("\n" + line)
    return Panel(body, title=f"first divergence: {divergence.kind}", title_align="left", box=box.ROUNDED, expand=False)


def hint_block(hint: Hint, total_levels: int) -> RenderableType:
    parts: list[RenderableType] = [Text(f"Hint {hint.level} of {total_levels}: {hint.title}", style="step")]
    parts.extend(Text(line) for line in hint.lines)
    if hint.diff:
        parts.append(diff_block(hint.diff))
    return Group(*parts)


def diff_block(hunks: Sequence[Sequence[DiffLine]]) -> RenderableType:
    """The diff as code: never wrapped, so a `+` line can be pasted into the file."""
    text = Text(no_wrap=True, overflow="ignore")
    for index, hunk in enumerate(hunks):
        if index:
            text.append("\n")
        first = hunk[0] if hunk else None
        if first is not None:
            text.append(f"@@ line {first.new_number or first.old_number} @@\n", style="muted")
        for row in hunk:
            style = {"-": "removed", "+": "added"}.get(row.marker, "")
            text.append(f"{row.marker} {row.text}\n", style=style)
    return text


def side_by_side(rows: Sequence[Sequence[SideBySideRow]], left: str, right: str) -> RenderableType:
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False, expand=True)
    table.add_column("#", justify="right", style="muted", no_wrap=True)
    table.add_column(left, overflow="fold", ratio=1)
    table.add_column("#", justify="right", style="muted", no_wrap=True)
    table.add_column(right, overflow="fold", ratio=1)
    for index, hunk in enumerate(rows):
        if index:
            table.add_row("", Text("...", style="muted"), "", Text("...", style="muted"))
        for row in hunk:
            old, new = row.old, row.new
            table.add_row(
                "" if old is None or old.old_number is None else str(old.old_number),
                Text("" if old is None else old.text, style="removed" if old is not None and old.marker == "-" else ""),
                "" if new is None or new.new_number is None else str(new.new_number),
                Text("" if new is None else new.text, style="added" if new is not None and new.marker == "+" else ""),
            )
    return table


def progress_list(plan: Plan, workspace: Workspace, state: State) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for heading in ("", "step", "status", "hints", "minutes", "commit"):
        table.add_column(heading, no_wrap=heading != "commit")
    done = 0
    for step in plan.steps:
        status = status_of(workspace, state, step.number)
        done += status in (PASSES, PROVED)
        step_state = state.steps.get(step.number)
        marker = "▶" if state.current_step == step.number else ""
        table.add_row(
            marker,
            step.label,
            Text(status, style=STATUS_STYLES[status]),
            "" if step_state is None else f"{step_state.hints_used}/8",
            "" if step.minutes is None else f"~{step.minutes}",
            step.commit,
        )
    bar = Table.grid(padding=(0, 1))
    bar.add_row(
        ProgressBar(total=len(plan.steps), completed=done, width=40), Text(f"{done} of {len(plan.steps)} steps pass")
    )
    return Group(Text(f"{state.learner}'s workshop ({workspace.directory})", style="step"), table, bar)


def collection_tables(collection: Collection) -> RenderableType:
    people = Table(title="Who is where", box=box.SIMPLE_HEAD, title_justify="left")
    for heading in ("learner", "where", "steps passed", "hints", "report"):
        people.add_column(heading)
    for learner in collection.learners:
        passed = sum(1 for entry in learner.steps if entry.status in (PASSES, PROVED))
        people.add_row(
            Text(learner.learner),
            where_is(learner),
            str(passed),
            str(sum(entry.hints_used for entry in learner.steps)),
            Text(str(learner.source), style="muted"),
        )
    steps = Table(title="Per step", box=box.SIMPLE_HEAD, title_justify="left")
    for heading in ("step", "started", "passed", "proved", "median minutes to pass", "median hints"):
        steps.add_column(heading, justify="right")
    for summary in step_summaries(collection.learners):
        steps.add_row(
            f"{summary.step:02d}",
            str(summary.started),
            str(summary.passed),
            str(summary.proved),
            "—" if summary.median_minutes_to_pass is None else f"{summary.median_minutes_to_pass:.1f}",
            "—" if summary.median_hints is None else f"{summary.median_hints:g}",
        )
    claims = Table(title="Claims that trip people most", box=box.SIMPLE_HEAD, title_justify="left")
    claims.add_column("claim")
    claims.add_column("learners", justify="right")
    for claim, count in tripping_claims(collection.learners):
        claims.add_row(Text(claim), str(count))
    return Group(people, steps, claims)


def collection_markdown(collection: Collection) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["## Who is where", "", "| learner | where | steps passed | hints |", "| --- | --- | ---: | ---: |"]
    for learner in collection.learners:
        passed = sum(1 for entry in learner.steps if entry.status in (PASSES, PROVED))
        lines.append(
            f"| {cell(learner.learner)} | {where_is(learner)} | {passed} | {sum(entry.hints_used for entry in learner.steps)} |"
        )
    lines += [
        "",
        "## Per step",
        "",
        "| step | started | passed | proved | median minutes to pass | median hints |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for summary in step_summaries(collection.learners):
        minutes = "—" if summary.median_minutes_to_pass is None else f"{summary.median_minutes_to_pass:.1f}"
        hints = "—" if summary.median_hints is None else f"{summary.median_hints:g}"
        lines.append(
            f"| {summary.step:02d} | {summary.started} | {summary.passed} | {summary.proved} | {minutes} | {hints} |"
        )
    lines += ["", "## Claims that trip people most", "", "| claim | learners |", "| --- | ---: |"]
    lines += [f"| {cell(claim)} | {count} |" for claim, count in tripping_claims(collection.learners)]
    return "\n".join(lines) + "\n"
