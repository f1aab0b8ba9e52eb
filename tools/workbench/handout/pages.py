"""What each page shows, as plain data for the templates: the index rows, the charts, the
step pages with their hint ladder, and the facilitator sheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.handout.charts import Chart, Table, burn_down_chart, loss_chart, missing_chart, payoff_chart
from workbench.handout.highlight import CodeHunk, CodeLine, highlighted_diff, source_lines
from workbench.handout.inputs import ORIGINAL_LABEL, PlanData, StepStory, shown_path, snapshot_paths
from workbench.handout.measure import ExportHashes, FunctionDiff, Measurements, StepChange
from workbench.handout.reports import ReportSummary
from workbench.handout.verdicts import VerdictState, refresh_command
from workbench.runner.equivalence import Claim
from workbench.runner.records import VerdictRecord

NOT_YET_RUN = "not yet run"
NOT_IN_PLAN = "not in the plan yet"


def page_name(label: str) -> str:
    return "index.html" if label == ORIGINAL_LABEL else f"step-{label}.html"


def format_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def format_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def format_mebibytes(value: int | None) -> str:
    return "—" if value is None else f"{value / (1024 * 1024):.1f}"


def format_difference(value: float | None) -> str:
    if value is None:
        return "—"
    return "0" if value == 0 else f"{value:.1e}"


@dataclass(frozen=True)
class VerdictView:
    """A verdict in a few words for a table cell, and in full for the step page."""

    short: str
    css_class: str
    """'identical', 'expected-drift', 'drift', 'differs' or 'missing'."""
    state: VerdictState


def verdict_view(state: VerdictState) -> VerdictView:
    record = state.record
    if record is None:
        return VerdictView(NOT_YET_RUN, "missing", state)
    if record.status != "ok":
        return VerdictView(f"could not run ({record.status})", "differs", state)
    if not record.identical:
        return VerdictView("differs", "differs", state)
    difference = record.max_parameter_difference
    if difference:
        # At print level the plan allows the parameters to drift: that is the expected outcome, not a warning.
        css_class = "expected-drift" if record.level == "print" else "drift"
        return VerdictView(f"drift, max |Δ| {format_difference(difference)}", css_class, state)
    return VerdictView(f"identical ({record.level})", "identical", state)


CLAIM_KIND_TITLES: tuple[tuple[str, str], ...] = (
    ("output", "Printed output"),
    ("parameters", "Final parameters"),
    ("contract", "Structural contract (this step's claims and those carried forward)"),
    ("exercise", "New functions exercised on generated inputs"),
    ("lint", "Style rules mandatory at this step"),
    ("setting", "Settings held by the proof"),
)
"""The kinds of claim a verdict record carries, in the order the verdict panel shows them."""

CLAIM_KIND_COUNTS: dict[str, str] = {
    "output": "on the printed output",
    "parameters": "on the parameters",
    "contract": "structural",
    "exercise": "exercises",
    "lint": "style rules",
    "setting": "held settings",
}
"""How the folded count line names each kind ('17 structural, 17 style rules')."""


@dataclass(frozen=True)
class ClaimGroup:
    kind: str
    title: str
    claims: tuple[Claim, ...]
    holding: int


def claim_groups(record: VerdictRecord | None) -> tuple[ClaimGroup, ...]:
    """The record's claims by kind, in the panel's order (kinds it does not know last)."""
    if record is None:
        return ()
    titles = dict(CLAIM_KIND_TITLES)
    kinds = [kind for kind, _ in CLAIM_KIND_TITLES]
    kinds += sorted({claim.kind for claim in record.claims} - set(kinds))
    groups = []
    for kind in kinds:
        claims = tuple(claim for claim in record.claims if claim.kind == kind)
        if claims:
            groups.append(ClaimGroup(kind, titles.get(kind, kind), claims, sum(1 for claim in claims if claim.holds)))
    return tuple(groups)


SILENT_DETAILS = frozenset({"", "holds"})
"""Claim details that only repeat the mark beside the claim."""

HEADLINE_KINDS = frozenset({"output", "parameters"})
"""Claims always shown open: what the proof is about (the printed output, the parameters)."""


@dataclass(frozen=True)
class ShownClaim:
    name: str
    holds: bool
    detail: str
    """The record's detail, or '' where it would only say 'holds'."""


@dataclass(frozen=True)
class FoldedGroup:
    title: str
    short: str
    claims: tuple[ShownClaim, ...]


@dataclass(frozen=True)
class VerdictClaims:
    """A record's claims as the verdict panel shows them: the failing and headline claims
    open, every other claim that holds folded, by kind, under one count line."""

    open_claims: tuple[ShownClaim, ...]
    folded: tuple[FoldedGroup, ...]
    folded_count: int
    failing: int


def _shown(claim: Claim) -> ShownClaim:
    detail = claim.detail.strip()
    return ShownClaim(claim.name, claim.holds, "" if detail.lower() in SILENT_DETAILS else detail)


def verdict_claims(groups: Sequence[ClaimGroup]) -> VerdictClaims:
    open_claims: list[ShownClaim] = []
    folded: list[FoldedGroup] = []
    for group in groups:
        opened = [claim for claim in group.claims if not claim.holds or group.kind in HEADLINE_KINDS]
        open_claims.extend(_shown(claim) for claim in opened)
        rest = tuple(_shown(claim) for claim in group.claims if claim not in opened)
        if rest:
            folded.append(FoldedGroup(group.title, CLAIM_KIND_COUNTS.get(group.kind, group.kind), rest))
    return VerdictClaims(
        open_claims=tuple(open_claims),
        folded=tuple(folded),
        folded_count=sum(len(group.claims) for group in folded),
        failing=sum(1 for claim in open_claims if not claim.holds),
    )


@dataclass(frozen=True)
class IndexRow:
    label: str
    href: str | None
    commit: str
    level: str
    verdict: VerdictView
    training: str
    inference: str
    memory: str
    debt: str


@dataclass(frozen=True)
class PhaseGroup:
    phase: str
    rows: tuple[IndexRow, ...]


@dataclass(frozen=True)
class Provenance:
    profile: str
    command: str
    records: int
    missing: tuple[str, ...]
    """'07: no record', one per program without a usable record."""
    knobs: str
    dataset_sha256: str
    recorded_from: str
    recorded_to: str
    conditions: tuple[str, ...]
    """How the speed and memory figures were measured, one sentence per distinct run."""
    busy: tuple[str, ...]
    """Labels whose figures were measured on a busy machine."""

    @property
    def any_record(self) -> bool:
        return self.records > 0


@dataclass(frozen=True)
class Hint:
    number: int
    title: str
    kind: str
    """Which template block shows it: 'text', 'list', 'layout', 'changes', 'renames', 'function', 'whole'."""
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    function_name: str = ""
    function_hunks: tuple[CodeHunk, ...] = ()


@dataclass(frozen=True)
class RuleDebt:
    rule: str
    before: int
    after: int
    zero_from: int | None


@dataclass(frozen=True)
class LintView:
    total_before: int | None
    total_after: int | None
    changed: tuple[RuleDebt, ...]
    due_now: tuple[str, ...]
    """Rules the plan requires to be zero from this step on."""
    problem: str | None


@dataclass(frozen=True)
class Command:
    """A command line to show, with what it does or how long it takes, in a few words."""

    line: str
    note: str = ""


@dataclass(frozen=True)
class StepPage:
    story: StepStory
    file_name: str
    previous_href: str
    previous_label: str
    next_href: str | None
    next_label: str | None
    verdict: VerdictView
    claim_groups: tuple[ClaimGroup, ...]
    claims: VerdictClaims
    change: StepChange | None
    hunks: tuple[CodeHunk, ...]
    hints: tuple[Hint, ...]
    lint: LintView
    commit_hash: str | None
    commit_problem: str | None
    commands: tuple[str, ...]
    """The commands that show this step in the reference files (diff, run, lint)."""
    workshop_commands: tuple[Command, ...]
    """The learner's loop for this step, `workshop.py start NN`, `hint`, `check`."""
    source_href: str | None
    """The full-source page of this step's file, with a numbered anchor per line."""
    older_source_href: str | None


@dataclass(frozen=True)
class SourcePage:
    """A whole file with an anchor per line (`source-07.html#L231`), for pointing at a line."""

    label: str
    file_name: str
    path: str
    """The file as the pages name it ('steps/07_delete_value_class.py')."""
    step_href: str | None
    title: str
    lines: tuple[CodeLine, ...]


@dataclass(frozen=True)
class FacilitatorRow:
    story: StepStory
    href: str
    minutes: str
    notes: str
    commands: tuple[Command, ...]


@dataclass(frozen=True)
class FacilitatorSheet:
    rows: tuple[FacilitatorRow, ...]
    total_minutes: str
    reports: ReportSummary | None
    opening: tuple[Command, ...]
    """Before the first step: running the original live."""
    gathering: tuple[Command, ...]
    """Collecting the learners' reports at the end."""


ORIGINAL_FULL_RUN_README = "about 4 minutes on a 2-core machine, as the README measured it"
"""The original's full run as the README states it, for sites built without a full record."""


def reading_commands(story: StepStory) -> tuple[str, ...]:
    """The commands that show a step in the reference files, on the projector or at home."""
    return (
        f"python tools/diffstep.py {story.label} --stat",
        f"python tools/diffstep.py {story.label} --side-by-side",
        f"python tools/run_step.py {story.label} --profile quick",
        f"python tools/lint_style.py steps/{story.file_name}",
    )


def workshop_commands(story: StepStory) -> tuple[Command, ...]:
    return (
        Command(
            f"python tools/workshop.py start {story.label}", f"your own copy to change: workspace/{story.file_name}"
        ),
        Command("python tools/workshop.py hint", "the next hint of the ladder below, in the terminal"),
        Command(
            "python tools/workshop.py check",
            "the claims of this step against your file, and the first place it departs",
        ),
    )


def source_page_name(label: str) -> str:
    return f"source-{label}.html"


def _run_time(record: VerdictRecord | None) -> str:
    """How long the recorded run of a program took, from its record, in words."""
    training = None if record is None else record.timing("training_seconds")
    if record is None or training is None:
        return ""
    seconds = training + (record.timing("inference_seconds") or 0.0)
    amount = f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} minutes"
    return f"about {amount} of training and sampling in the recorded {record.profile} run of {record.recorded_at[:10]}"


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeedFigures:
    """One record's speed-ups and memory ratio as the site shows them, and how they were measured."""

    training: float | None
    inference: float | None
    memory: float | None
    clock: str
    """'wall' (elapsed seconds) or 'CPU' (the program's CPU seconds, where a busy machine disturbed the wall clock)."""
    busy: bool
    """Measured on a busy machine (load average above the CPU count, or more programs than CPUs at once)."""
    conditions: str
    """'load average 5.0 before, ... on 2 CPUs, ...', or why it is not known."""

    @property
    def marker(self) -> str:
        """What a table cell adds to a speed-up: '' on an idle machine."""
        if not self.busy:
            return ""
        return " (CPU time, busy machine)" if self.clock == "CPU" else " (busy machine)"


CONDITIONS_UNKNOWN = "conditions not recorded (a record from an older runner: load and CPU time unknown)"


def speed_figures(record: VerdictRecord) -> SpeedFigures:
    """Wall-clock ratios on an idle machine; CPU-time ratios, marked, on a busy one (where the
    record has them: the program's CPU seconds barely move when other work shares the CPUs)."""
    conditions = record.conditions
    described = conditions.describe() if conditions is not None else CONDITIONS_UNKNOWN
    busy = record.measured_busy
    use_cpu = busy and record.relative("training_cpu") is not None
    return SpeedFigures(
        training=record.relative("training_cpu" if use_cpu else "training"),
        inference=record.relative("inference_cpu" if use_cpu else "inference"),
        memory=record.relative("memory"),
        clock="CPU" if use_cpu else "wall",
        busy=busy,
        conditions=described,
    )


def index_groups(plan: PlanData, states: dict[str, VerdictState], measurements: Measurements) -> tuple[PhaseGroup, ...]:
    def row(label: str, commit: str, level: str, href: str | None) -> IndexRow:
        view = verdict_view(states[label])
        record = view.state.record
        figures = speed_figures(record) if record is not None else None
        counts = measurements.rule_counts.get(label)

        def speed(value: float | None) -> str:
            if figures is None:
                return NOT_YET_RUN
            return format_ratio(value) + (figures.marker if value is not None else "")

        return IndexRow(
            label=label,
            href=href,
            commit=commit,
            level=level,
            verdict=view,
            training=speed(figures.training if figures else None),
            inference=speed(figures.inference if figures else None),
            memory=format_ratio(figures.memory) if figures else NOT_YET_RUN,
            debt=str(sum(counts.values())) if counts is not None else "—",
        )

    original_href = source_page_name(ORIGINAL_LABEL) if ORIGINAL_LABEL in source_texts(plan, measurements) else None
    groups: list[PhaseGroup] = [
        PhaseGroup(
            "The starting point",
            (row(ORIGINAL_LABEL, "The untouched original by Andrej Karpathy", "reference", original_href),),
        )
    ]
    for story in plan.steps:
        entry = row(story.label, story.commit, story.level, page_name(story.label))
        if groups[-1].phase == story.phase:
            groups[-1] = PhaseGroup(story.phase, (*groups[-1].rows, entry))
        else:
            groups.append(PhaseGroup(story.phase, (entry,)))
    return tuple(groups)


def provenance(plan: PlanData, states: dict[str, VerdictState], profile: str) -> Provenance:
    records = [state.record for state in states.values() if state.record is not None]
    original = states[ORIGINAL_LABEL].record
    knobs_source = original or (records[0] if records else None)
    knobs = (
        ", ".join(f"{name}={value:g}" for name, value in sorted(knobs_source.knobs.items()))
        if knobs_source
        else NOT_YET_RUN
    )
    moments = sorted(record.recorded_at for record in records)
    return Provenance(
        profile=profile,
        command=refresh_command(profile),
        records=len(records),
        missing=tuple(f"{label}: {state.missing_reason}" for label, state in states.items() if state.record is None),
        knobs=knobs or "the program as written",
        dataset_sha256=(knobs_source.dataset_sha256 or "not recorded") if knobs_source else NOT_YET_RUN,
        recorded_from=moments[0] if moments else NOT_YET_RUN,
        recorded_to=moments[-1] if moments else NOT_YET_RUN,
        conditions=measurement_sentences(plan, states, profile),
        busy=tuple(label for label, state in states.items() if state.record is not None and state.record.measured_busy),
    )


def measurement_sentences(plan: PlanData, states: dict[str, VerdictState], profile: str) -> tuple[str, ...]:
    """How the records' figures were measured, one sentence per run that wrote them."""
    runs: dict[str, list[str]] = {}
    for label in plan.labels:
        record = states[label].record
        if record is None or record.timings is None:
            continue
        figures = speed_figures(record)
        sentence = f"{profile} profile, {figures.conditions}"
        if figures.busy:
            sentence += (
                "; a busy machine: speed-ups are CPU-time ratios, wall-clock ones are noisy"
                if figures.clock == "CPU"
                else "; a busy machine: speed-ups are noisy, and this record has no CPU time"
            )
        runs.setdefault(sentence, []).append(label)
    return tuple(f"{_who(labels, plan.labels).capitalize()}: {sentence}." for sentence, labels in runs.items())


def _who(labels: Sequence[str], every: Sequence[str]) -> str:
    """'every program' or 'original, 01, 05'."""
    return "every program" if list(labels) == list(every) else ", ".join(labels)


# --- charts ----------------------------------------------------------------------------


def _losses_equal(first: Sequence[float], second: Sequence[float]) -> str:
    return "yes" if list(first) == list(second) else "no"


def record_charts(plan: PlanData, states: dict[str, VerdictState], profile: str) -> tuple[Chart, ...]:
    """The charts drawn from the verdict records: the loss curves and the payoff."""
    return (_loss_chart(plan, states, profile), _payoff_chart(plan, states, profile))


def debt_chart(plan: PlanData, measurements: Measurements) -> Chart:
    """The chart drawn from the linter's counts: the style debt burn-down."""
    return _burn_down_chart(plan, measurements)


def _loss_chart(plan: PlanData, states: dict[str, VerdictState], profile: str) -> Chart:
    title = "Nothing changed"
    slug = "loss"
    series: list[tuple[str, tuple[float, ...]]] = []
    for label in plan.labels:
        record = states[label].record
        if record is not None and record.losses:
            series.append((label, record.losses))
    drift_state = next((states[story.label] for story in plan.steps if story.level == "print"), None)
    drift_label = next((story.label for story in plan.steps if story.level == "print"), None)
    drift_note = None
    if (
        drift_state is not None
        and drift_state.record is not None
        and drift_state.record.max_parameter_difference is not None
    ):
        drift_note = f"step {drift_label}: final parameters drift by at most {format_difference(drift_state.record.max_parameter_difference)}"
    if not series or series[0][0] != ORIGINAL_LABEL:
        return missing_chart(
            slug,
            title,
            f"{NOT_YET_RUN}: no losses recorded for the original under the {profile} profile; run {refresh_command(profile)}",
        )
    original = series[0][1]
    same = sum(1 for label, losses in series[1:] if list(losses) == list(original))
    caption = (
        f"The training loss of the original and of {len(series) - 1} steps ({profile} profile, {len(original)} training steps): "
        f"{same} of {len(series) - 1} curves are the original's, float for float, so they draw one line."
    )
    if drift_note:
        caption += f" Beside it, {drift_note}."
    rows = tuple(
        (label, str(len(losses)), f"{losses[0]:.4f}", f"{losses[-1]:.4f}", _losses_equal(losses, original))
        for label, losses in series
    )
    table = Table(("program", "losses recorded", "first loss", "last loss", "every loss equal to the original's"), rows)
    missing = [label for label in plan.labels if label not in {name for name, _ in series}]
    note = f"No losses recorded yet for {', '.join(missing)}; run {refresh_command(profile)}." if missing else None
    return Chart(
        slug,
        title,
        caption,
        "Line chart of the training loss per step, the original's and every step's curve on top of each other",
        loss_chart(series, drift_note, profile),
        table,
        missing=note,
    )


def _payoff_chart(plan: PlanData, states: dict[str, VerdictState], profile: str) -> Chart:
    title = "The payoff"
    slug = "payoff"
    labels: list[str] = []
    training: list[float | None] = []
    inference: list[float | None] = []
    memory: list[float | None] = []
    cpu_labels: list[str] = []
    busy_labels: list[str] = []
    conditions: dict[str, None] = {}
    rows: list[tuple[str, ...]] = []
    for label in plan.labels:
        record = states[label].record
        if record is None or record.relative_to_original is None:
            continue
        figures = speed_figures(record)
        labels.append(label)
        training.append(figures.training)
        inference.append(figures.inference)
        memory.append(figures.memory)
        conditions[figures.conditions] = None
        if figures.busy:
            busy_labels.append(label)
        if figures.clock == "CPU":
            cpu_labels.append(label)
        rows.append(
            (
                label,
                format_seconds(record.timing("training_seconds")),
                format_seconds(record.timing("training_cpu_seconds")),
                format_seconds(record.timing("inference_seconds")),
                format_mebibytes(_whole(record.timing("peak_memory_bytes"))),
                format_ratio(figures.training),
                format_ratio(figures.inference),
                format_ratio(figures.memory),
                ("busy, CPU time" if figures.clock == "CPU" else "busy, wall time") if figures.busy else "wall time",
            )
        )
    if len(labels) < 2:
        return missing_chart(
            slug,
            title,
            f"{NOT_YET_RUN}: speed and memory against the original are measured side by side in one run of {refresh_command(profile)}",
        )
    best = max((value for value in training if value is not None), default=None)
    caption = (
        f"Train time, inference time and peak memory of each step relative to the original, measured side by side in one run "
        f"({profile} profile; {'; '.join(conditions)})"
        f"{f'; training is up to {best:.1f} times as fast' if best else ''}."
    )
    if cpu_labels:
        caption += (
            f" The machine was busy while {_who(cpu_labels, labels)} ran, which disturbs wall-clock time, so their training and "
            "inference bars (marked *) compare the programs' CPU seconds instead; rerun on an idle machine for wall-clock figures to quote."
        )
    without_cpu = [label for label in busy_labels if label not in cpu_labels]
    if without_cpu:
        caption += (
            f" The machine was busy while {_who(without_cpu, labels)} ran and {'its record holds' if len(without_cpu) == 1 else 'their records hold'} "
            "no CPU time, so those speed-ups (marked *) are noisy; rerun on an idle machine for figures to quote."
        )
    table = Table(
        ("program", "train s", "train CPU s", "infer s", "peak MiB", "train ×", "infer ×", "mem ×", "measured"),
        tuple(rows),
    )
    missing = [label for label in plan.labels if label not in labels]
    note = f"Not measured in that run: {', '.join(missing)}." if missing else None
    marked = [f"{label}*" if label in busy_labels else label for label in labels]
    return Chart(
        slug,
        title,
        caption,
        "Three bar charts: training speed-up, inference speed-up and peak memory ratio per step",
        payoff_chart(marked, training, inference, memory),
        table,
        missing=note,
    )


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _burn_down_chart(plan: PlanData, measurements: Measurements) -> Chart:
    title = "Style debt burn-down"
    slug = "debt"
    labels = [label for label in plan.labels if label in measurements.rule_counts]
    if not labels:
        return missing_chart(
            slug,
            title,
            "the style linter could not count any file: run python tools/lint_style.py --steps",
        )
    rules = sorted({rule for label in labels for rule in measurements.rule_counts[label]})
    counts = [[measurements.rule_counts[label].get(rule, 0) for rule in rules] for label in labels]
    totals = [sum(column) for column in counts]
    shown_rules = [rule for index, rule in enumerate(rules) if any(column[index] for column in counts)]
    peak = max(range(len(totals)), key=lambda index: (totals[index], -index))

    def where(index: int) -> str:
        return "the original" if labels[index] == ORIGINAL_LABEL else f"step {labels[index]}"

    course = f"from {totals[0]} in {where(0)}"
    if 0 < peak < len(totals) - 1 and totals[peak] > totals[0]:
        course += f", rising to {totals[peak]} at {where(peak)}, then falling"
    caption = (
        f"Style violations per rule, stacked, {course} to {totals[-1]} at {where(len(totals) - 1)}; "
        "the dotted lines mark the steps from which the plan's zero_from makes rules mandatory."
    )
    rows = tuple(
        (rule, *(str(column[rules.index(rule)]) for column in counts), str(plan.lint_zero_from.get(rule, "—")))
        for rule in shown_rules
    )
    table = Table(("rule", *labels, "zero from step"), (*rows, ("total", *(str(total) for total in totals), "")))
    return Chart(
        slug,
        title,
        caption,
        "Stacked bar chart of style violations per rule for the original and every step",
        burn_down_chart(labels, rules, counts, plan.lint_zero_from),
        table,
    )


# --- step pages --------------------------------------------------------------------------


def _hints(story: StepStory, change: StepChange | None) -> tuple[Hint, ...]:
    """The workshop's hint ladder, from the least to the most given away. The page shows the
    commit message, what the step does and its equivalence; the hints hold everything else,
    each once: the why, the reviewers, the contract, the layout, the renames, the summary of
    the change, one function's diff and, last, the whole diff."""
    if change is not None and change.renames:
        renames = tuple(
            f"{rename.old} → {rename.new} ({rename.sites} site{'' if rename.sites == 1 else 's'}"
            + (")" if rename.confirmed else ", not confirmed in the code)")
            for rename in change.renames
        )
    else:
        renames = tuple(f"{old} → {new}" for old, new in story.renames)
    hints = [
        Hint(1, "The commit message, and why", "text", paragraphs=tuple(story.why.split("\n\n"))),
        Hint(
            2,
            "What the reviewers said",
            "list",
            items=tuple(f"{note.reviewer}: {note.note}" for note in story.reviewers)
            or ("No reviewer notes for this step.",),
        ),
        Hint(
            3,
            "The contract, spelled out",
            "list",
            items=story.contract_claims or ("This step has no structural contract.",),
        ),
        Hint(4, "The data layout change", "layout", paragraphs=(story.layout,))
        if story.layout
        else Hint(4, "The data layout change", "text", paragraphs=("This step does not change the data layout.",)),
        Hint(5, "The renames", "renames", items=renames or ("This step renames nothing.",)),
        Hint(6, "Functions added, removed and changed", "changes"),
    ]
    function = change.function_diff if change is not None else None
    removed = (
        tuple(item.label for item in change.changes if item.kind == "function" and item.status == "removed")
        if change
        else ()
    )
    hints.append(_function_hint(function, removed))
    size = f" (+{change.diff.lines_added} −{change.diff.lines_removed} lines)" if change is not None else ""
    hints.append(Hint(8, f"The whole diff{size}", "whole"))
    return tuple(hints)


def _function_hint(function: FunctionDiff | None, removed: tuple[str, ...]) -> Hint:
    if function is None:
        sentence = "No function is added or changed in this step"
        sentence += f"; it removes {', '.join(removed)}." if removed else "."
        return Hint(7, "The reference diff of one function", "text", paragraphs=(sentence,))
    return Hint(
        7,
        f"The reference diff of one function: {function.name}",
        "function",
        function_name=function.name,
        function_hunks=highlighted_diff(function.old_lines, function.new_lines, function.diff),
    )


def _lint_view(plan: PlanData, story: StepStory, older_label: str, measurements: Measurements) -> LintView:
    before = measurements.rule_counts.get(older_label)
    after = measurements.rule_counts.get(story.label)
    due = tuple(sorted(rule for rule, number in plan.lint_zero_from.items() if number == story.number))
    problem = measurements.lint_problems.get(story.label) or measurements.lint_problems.get(older_label)
    if before is None or after is None:
        return LintView(None, None, (), due, problem or "the style linter could not count these files")
    changed = tuple(
        RuleDebt(rule, before.get(rule, 0), after.get(rule, 0), plan.lint_zero_from.get(rule))
        for rule in sorted(set(before) | set(after))
        if before.get(rule, 0) != after.get(rule, 0)
    )
    return LintView(sum(before.values()), sum(after.values()), changed, due, None)


def source_texts(plan: PlanData, measurements: Measurements) -> dict[str, tuple[str, ...]]:
    """'original' and step label -> the file's lines, for every file a diff was read from."""
    texts: dict[str, tuple[str, ...]] = {}
    for change in measurements.changes.values():
        texts.setdefault(change.older_label, change.old_lines)
        texts.setdefault(change.label, change.new_lines)
    return {label: texts[label] for label in plan.labels if label in texts}


def source_pages(plan: PlanData, measurements: Measurements) -> tuple[SourcePage, ...]:
    pages = []
    for label, lines in source_texts(plan, measurements).items():
        if label == ORIGINAL_LABEL:
            path, step_href, title = shown_path(plan, plan.original_path), None, "The original"
        else:
            story = plan.step(label)
            path, step_href, title = (
                shown_path(plan, snapshot_paths(plan)[label]),
                page_name(label),
                f"Step {label}: {story.commit}",
            )
        pages.append(SourcePage(label, source_page_name(label), path, step_href, title, source_lines(lines)))
    return tuple(pages)


def step_pages(
    plan: PlanData, states: dict[str, VerdictState], measurements: Measurements, export: ExportHashes
) -> tuple[StepPage, ...]:
    pages: list[StepPage] = []
    labels = plan.labels
    sources = source_texts(plan, measurements)
    for index, story in enumerate(plan.steps):
        older_label = labels[index]
        change = measurements.changes.get(story.label)
        next_story = plan.steps[index + 1] if index + 1 < len(plan.steps) else None
        groups = claim_groups(states[story.label].record)
        pages.append(
            StepPage(
                story=story,
                file_name=page_name(story.label),
                previous_href="index.html" if older_label == ORIGINAL_LABEL else page_name(older_label),
                previous_label="the original" if older_label == ORIGINAL_LABEL else f"step {older_label}",
                next_href=page_name(next_story.label) if next_story else None,
                next_label=f"step {next_story.label}" if next_story else None,
                verdict=verdict_view(states[story.label]),
                claim_groups=groups,
                claims=verdict_claims(groups),
                change=change,
                hunks=highlighted_diff(change.old_lines, change.new_lines, change.diff) if change else (),
                hints=_hints(story, change),
                lint=_lint_view(plan, story, older_label, measurements),
                commit_hash=export.hashes.get(story.label),
                commit_problem=export.problem if story.label not in export.hashes else None,
                commands=reading_commands(story),
                workshop_commands=workshop_commands(story),
                source_href=source_page_name(story.label) if story.label in sources else None,
                older_source_href=source_page_name(older_label) if older_label in sources else None,
            )
        )
    return tuple(pages)


def facilitator_sheet(
    plan: PlanData, reports: ReportSummary | None, states: Mapping[str, VerdictState] | None = None
) -> FacilitatorSheet:
    """The sheet; `states` (the records the site shows) give the live runs' durations."""
    records = {label: state.record for label, state in (states or {}).items()}
    rows = tuple(
        FacilitatorRow(
            story=story,
            href=page_name(story.label),
            minutes=str(story.minutes) if story.minutes is not None else NOT_IN_PLAN,
            notes=story.facilitator_notes or NOT_IN_PLAN,
            commands=tuple(
                Command(line, _run_time(records.get(story.label)) if "run_step.py" in line else "")
                for line in reading_commands(story)
            ),
        )
        for story in plan.steps
    )
    known = [story.minutes for story in plan.steps if story.minutes is not None]
    if not known:
        total = NOT_IN_PLAN
    elif len(known) == len(plan.steps):
        total = f"{sum(known)} minutes"
    else:
        total = f"at least {sum(known)} minutes ({len(plan.steps) - len(known)} steps have no estimate yet)"
    original = records.get(ORIGINAL_LABEL)
    full_run = _run_time(original) if original is not None and original.profile == "full" else ""
    opening = (
        Command(
            "python tools/run_step.py original",
            f"500 training steps and 20 names: {full_run or ORIGINAL_FULL_RUN_README}; start it before you talk",
        ),
        Command(
            "python tools/run_step.py original --profile quick",
            _run_time(original)
            if original is not None and original.profile == "quick"
            else "10 training steps, a few seconds",
        ),
    )
    gathering = (
        Command(
            "python tools/workshop.py collect DIR",
            "every report.json below DIR as one table: who is at which step, time and hints per step, the claims that trip people",
        ),
        Command(
            "python tools/handout.py site/ --reports DIR --force",
            "rebuild this site with “What tripped people” at the top of this sheet",
        ),
    )
    return FacilitatorSheet(rows=rows, total_minutes=total, reports=reports, opening=opening, gathering=gathering)
