"""The workshop's commands: start, check, hint, list, next, reset, solution, prove, collect.

Each returns an exit status: 0 done (for check: every claim holds), 1 not yet (a claim
does not hold, or the command is not possible at this point, with the reason), and
unusable input raises WorkshopError (one sentence, exit status 2).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group
from rich.text import Text

import workbench
from workbench.errors import PlanError
from workbench.files import write_text_atomically
from workbench.paths import display_path
from workbench.plan import Plan, Step, load_plan
from workbench.programs import step_program
from workbench.project import Project
from workbench.workshop import render
from workbench.workshop.checking import (
    PROFILE,
    CheckOutcome,
    CheckUnavailable,
    check_file,
    measure_against_original,
    outcome_from_record,
    predecessor_path,
    reference_path,
    side_by_side_rows,
    style_debt,
)
from workbench.workshop.collect import as_json, collect
from workbench.workshop.hints import LEVELS, hint
from workbench.workshop.report import write_report
from workbench.workshop.skeleton import make_skeleton
from workbench.workshop.step_line import with_step_line
from workbench.workshop.workspace import (
    IN_PROGRESS,
    NOT_STARTED,
    PASSES,
    PROVED,
    State,
    StepState,
    WorkshopError,
    Workspace,
    now,
    sha256_of,
    status_of,
)

CHECK_CACHE_VERSION = "workshop-check/3"


@dataclass
class Session:
    project: Project
    workspace: Workspace
    out: Console
    err: Console

    @property
    def plan(self) -> Plan:
        return self.project.plan

    def say(self, text: str, style: str = "") -> None:
        render.show(self.out, Text(text, style=style))

    # --- the state ----------------------------------------------------------------------

    def state(self) -> State:
        return self.workspace.load()

    def current(self, state: State) -> Step:
        if state.current_step is None or state.current_step not in state.steps:
            first = self.plan.steps[0].label
            raise WorkshopError(f"no step is started yet: begin with `{self.workspace.command} start {first}`")
        if all(step.number != state.current_step for step in self.plan.steps):
            raise WorkshopError(
                f"your current step {state.current_step:02d} is not a step of the plan {display_path(self.plan.source_file)}: "
                f"give the plan it belongs to with --plan, or start one of this plan's steps "
                f"({', '.join(step.label for step in self.plan.steps)})"
            )
        return self.plan.step(state.current_step)

    def save(self, state: State) -> None:
        self.workspace.save(state)
        write_report(self.workspace, state, self.plan)


def parse_step(plan: Plan, text: str) -> Step:
    valid = ", ".join(step.label for step in plan.steps)
    if not text.strip().isdigit():
        raise WorkshopError(f"'{text}' is not a step; valid steps are {valid}")
    number = int(text)
    if not any(step.number == number for step in plan.steps):
        elsewhere = plan_file_with_step(plan, number)
        if elsewhere is not None:
            raise WorkshopError(
                f"there is no step {text} in this plan (steps {valid}); it is in {elsewhere}: add --plan {elsewhere}"
            )
        raise WorkshopError(f"there is no step {text}; valid steps are {valid}")
    return plan.step(number)


def plan_file_with_step(plan: Plan, number: int) -> str | None:
    """Another plan file of the project that has step `number` (plans/beyond_plan.toml for
    12-16), as a path relative to the project, or None."""
    for path in sorted((plan.root / "plans").glob("*.toml")):
        if path.resolve() == plan.source_file.resolve():
            continue
        try:
            other = load_plan(path, root=plan.root)
        except PlanError:
            continue
        if any(step.number == number for step in other.steps):
            return path.relative_to(plan.root).as_posix()
    return None


# --- start / next / reset ------------------------------------------------------------


def start(
    session: Session, step: Step, *, skeleton: bool = False, from_reference: bool = False, learner: str | None = None
) -> int:
    workspace = session.workspace
    state = workspace.load() if workspace.exists() else workspace.new_state(learner)
    if step.number in state.steps:
        path = workspace.file_of(state, step.number)
        state.current_step = step.number
        session.save(state)
        if not path.is_file():
            session.say(
                f"Step {step.label} is already started, but your file {path} is missing; step {step.label} is now the current step.",
                "warning",
            )
            session.say(f"To bring back its starting file: {session.workspace.command} reset", "muted")
            return 0
        session.say(
            f"Step {step.label} is already started: your file {path} is untouched, and step {step.label} is now the current step."
        )
        session.say(
            f"To go back to its starting file: {session.workspace.command} reset (your file is kept in .backup/).",
            "muted",
        )
        return 0
    source, origin, note = _starting_file(session, state, step, skeleton=skeleton, from_reference=from_reference)
    path = workspace.directory / step.file_name
    if path.exists():
        workspace.backup(path)
    write_text_atomically(workspace.start_copy(step.number), source)
    write_text_atomically(path, source)
    state.steps[step.number] = StepState(file=step.file_name, origin=origin, started_at=now())
    state.current_step = step.number
    session.save(state)
    render.show(
        session.out,
        Group(
            Text(f"Step {step.label}: {step.commit}", style="step"),
            Text(f"Your file: {path}  (from {origin})"),
            *([Text(note, style="warning")] if note else []),
            Text(""),
            Text(step.what),
            Text(""),
            Text("The claims to meet:", style="bold"),
            *(Text(f"  - {line}") for line in _claim_lines(session.plan, step)),
            Text(""),
            Text(f"Edit the file, then: {session.workspace.command} check  (or watch; hint for help)", style="muted"),
        ),
    )
    return 0


def _claim_lines(plan: Plan, step: Step) -> list[str]:
    lines = [
        "the program runs",
        "printed output identical to the original's",
        f"final parameters {'bit-identical to' if step.level == 'bit' else 'within drift of'} the step before's",
    ]
    lines += [claim.describe(step.number) for claim in plan.claims_at(step.number)]
    rules = plan.mandatory_rules(step.number)
    if rules:
        lines.append(f"no violations of the lint rules {', '.join(rules)}")
    return lines


def _starting_file(
    session: Session, state: State, step: Step, *, skeleton: bool, from_reference: bool
) -> tuple[str, str, str | None]:
    plan = session.plan
    if skeleton:
        made = make_skeleton(plan, step)
        if made.source is not None:
            return made.source, f"the skeleton of step {step.label}", made.note
        source, origin, _ = _starting_file(session, state, step, skeleton=False, from_reference=from_reference)
        return source, origin, made.note
    predecessor = step_program(plan, step).predecessor
    previous = None if predecessor is None else predecessor.step
    if predecessor is None or previous is None:
        return plan.original_path.read_text(encoding="utf-8"), "the original", None
    if (
        not from_reference
        and previous.number in state.steps
        and status_of(session.workspace, state, previous.number) in (PASSES, PROVED)
    ):
        source = session.workspace.file_of(state, previous.number).read_text(encoding="utf-8-sig")
        return with_step_line(source, plan, step), f"your step {previous.label}", None
    return (
        with_step_line(predecessor.path.read_text(encoding="utf-8"), plan, step),
        f"reference step {previous.label}",
        None,
    )


def next_step(session: Session, *, from_reference: bool = False, skeleton: bool = False) -> int:
    state = session.state()
    step = session.current(state)
    status = status_of(session.workspace, state, step.number)
    if status not in (PASSES, PROVED) and not from_reference:
        session.say(
            f"Step {step.label} does not pass yet ({status}): run `check` until every claim holds, or use `next --from-reference` to move on from the reference step {step.label}.",
            "warning",
        )
        return 1
    if step.number == session.plan.last_step.number:
        session.say(f"Step {step.label} was the last step: the workshop is complete.", "identical")
        return 0
    return start(session, session.plan.step(step.number + 1), skeleton=skeleton, from_reference=from_reference)


def reset(session: Session) -> int:
    state = session.state()
    step = session.current(state)
    path = session.workspace.file_of(state, step.number)
    start_copy = session.workspace.start_copy(step.number)
    if not start_copy.is_file():
        raise WorkshopError(
            f"the starting file of step {step.label} is missing from {start_copy.parent}; start the step in a fresh workspace"
        )
    backup = session.workspace.backup(path)
    shutil.copyfile(start_copy, path)
    session.save(state)
    kept = f"; your file was kept as {backup}" if backup is not None else ""
    session.say(f"Step {step.label} is back to its starting file {path}{kept}.")
    return 0


# --- check / prove -------------------------------------------------------------------


Waiting = Callable[[Step], AbstractContextManager[object]]
"""What to show while a check runs (watch's "checking step 07…"), given the step."""


def check(session: Session, *, prove: bool = False, fold_passing: bool = False, waiting: Waiting | None = None) -> int:
    """Check the current step and show the checklist (with `fold_passing`, the claims that
    hold as one line); `waiting` is shown while the check runs."""
    state = session.state()
    step = session.current(state)
    path = session.workspace.file_of(state, step.number)
    if prove:
        session.say(
            "Proving: the full profile (every training step), then every held setting of "
            "`run_step.py --prove`. Minutes, not seconds; an unchanged file is not proved twice.",
            "muted",
        )
    with waiting(step) if waiting is not None else contextlib.nullcontext():
        outcome = run_check(session, state, step, prove=prove)
    render.show(session.out, render.checklist(outcome, f"Step {step.label} — {path.name}", fold_passing=fold_passing))
    if outcome.passes and step.number == session.plan.last_step.number:
        show_completion(session, path, step)
    elif outcome.passes:
        session.say(f"Next: {session.workspace.command} next   (or `solution` to compare with the reference)", "muted")
    return outcome.exit_code


def run_check(session: Session, state: State, step: Step, *, prove: bool = False) -> CheckOutcome:
    """Check the learner's file (served from the cache when the bytes did not change),
    and record the outcome in the state and the report."""
    path = session.workspace.file_of(state, step.number)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkshopError(
            f"your file {path} is missing: `{session.workspace.command} reset` brings back the starting file"
        ) from None
    except OSError as error:
        raise WorkshopError(f"your file {path} cannot be read ({error.strerror})") from None
    key = _cache_key(session, step, data, prove)
    cache_file = session.workspace.check_cache / f"{key}.json"
    outcome = _cached(cache_file)
    if outcome is None:
        try:
            outcome = check_with(session, path, step, prove)
        except CheckUnavailable as problem:
            raise WorkshopError(str(problem)) from None
        write_text_atomically(cache_file, json.dumps(outcome.as_record()))
    _record(state, step, outcome, sha256_of(data))
    session.save(state)
    return outcome


def check_with(session: Session, path: Path, step: Step, prove: bool) -> CheckOutcome:
    """The one call into the runner (a seam the tests can watch)."""
    return check_file(session.project, path, step.number, prove=prove)


def _cache_key(session: Session, step: Step, data: bytes, prove: bool) -> str:
    """What an outcome depends on: the learner's bytes, the step, quick or proved, the plan,
    the reference files it is judged against, and the workbench's own code."""
    plan = session.plan
    references = [plan.source_file, plan.original_path, reference_path(plan, step), predecessor_path(plan, step)]
    digest = hashlib.sha256()
    for part in (
        CHECK_CACHE_VERSION.encode(),
        _workbench_digest().encode(),
        str(step.number).encode(),
        b"prove" if prove else b"quick",
        data,
        *(_file_bytes(path) for path in references),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@functools.cache
def _workbench_digest() -> str:
    """One sha256 over the installed workbench's sources: a new runner is a new check."""
    package = Path(workbench.__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<missing>"


def _cached(cache_file: Path) -> CheckOutcome | None:
    try:
        return outcome_from_record(json.loads(cache_file.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _record(state: State, step: Step, outcome: CheckOutcome, digest: str) -> None:
    step_state = state.steps[step.number]
    step_state.last_check = outcome.as_record()
    for claim in outcome.claims:
        if not claim.holds and claim.name not in step_state.claims_failed:
            step_state.claims_failed.append(claim.name)
    if outcome.passes:
        step_state.passed_at = step_state.passed_at or now()
        step_state.passed_sha256 = digest
        if outcome.profile == PROFILE:
            # The quick check's run, as the report documents it (a proof runs the full profile).
            step_state.final_parameters_sha256 = outcome.final_parameters_sha256
    if outcome.passes and outcome.proved:
        step_state.proved_at = step_state.proved_at or now()
        step_state.proved_sha256 = digest


def prove(session: Session) -> int:
    return check(session, prove=True)


def show_completion(session: Session, path: Path, step: Step) -> None:
    """Step 11 passes: the learner's speed and memory against the original, side by side,
    and the style debt of their file."""
    session.say("Measuring your program and the original side by side (quick profile)...", "muted")
    try:
        measured = measure_against_original(session.project, path, step.number)
    except CheckUnavailable as error:  # the check passed; a measurement the runner refuses is only a note
        session.say(f"The side-by-side measurement could not be made: {error}", "warning")
        measured = None
    debt = style_debt(path)
    table = Group(
        Text("Workshop complete: every step from the Value graph to flat arrays and a tape.", style="identical"),
        Text(
            _ratio_line(
                "training",
                measured.training_seconds if measured else None,
                measured.original_training_seconds if measured else None,
            )
        ),
        Text(
            _ratio_line(
                "inference",
                measured.inference_seconds if measured else None,
                measured.original_inference_seconds if measured else None,
            )
        ),
        Text(
            _memory_line(
                measured.peak_memory_bytes if measured else None,
                measured.original_peak_memory_bytes if measured else None,
            )
        ),
        Text(
            f"style debt of your file: {debt}"
            + (" (clean)" if debt == 0 else " (it must be 0: python tools/lint_style.py " + str(path) + ")"),
            style="identical" if debt == 0 else "differs",
        ),
    )
    render.show(session.out, table)


def _ratio_line(what: str, mine: float | None, original: float | None) -> str:
    if mine is None or original is None or mine <= 0:
        return f"{what}: not measured"
    return f"{what}: {mine:.2f} s, the original {original:.2f} s: {original / mine:.2f}× as fast"


def _memory_line(mine: int | None, original: int | None) -> str:
    if mine is None or original is None or original <= 0:
        return "peak memory: not measured"
    return f"peak memory: {mine / (1 << 20):.1f} MiB, the original {original / (1 << 20):.1f} MiB: {mine / original:.2f}× the original's"


# --- hint / list / solution / collect --------------------------------------------------


def give_hint(session: Session, *, show_all: bool = False) -> int:
    state = session.state()
    step = session.current(state)
    step_state = state.steps[step.number]
    path = session.workspace.file_of(state, step.number)
    if show_all:
        levels = list(range(1, max(step_state.hints_used, 1) + 1))
    else:
        if step_state.hints_used >= LEVELS:
            session.say(
                f"You have seen all {LEVELS} hints of step {step.label}; `hint --all` shows them again.", "muted"
            )
            levels = [LEVELS]
        else:
            levels = [step_state.hints_used + 1]
    step_state.hints_used = max(step_state.hints_used, levels[-1])
    session.save(state)
    for level in levels:
        render.show(session.out, render.hint_block(hint(session.plan, step, level, path), LEVELS))
        session.say("")
    return 0


def show_list(session: Session) -> int:
    state = session.state()
    render.show(session.out, render.progress_list(session.plan, session.workspace, state))
    return 0


def solution(session: Session) -> int:
    state = session.state()
    step = session.current(state)
    status = status_of(session.workspace, state, step.number)
    if status not in (PASSES, PROVED):
        session.say(
            f"The solution opens once your step {step.label} passes (it is {status}); `hint` goes up to the whole reference diff.",
            "warning",
        )
        return 1
    path = session.workspace.file_of(state, step.number)
    rows = side_by_side_rows(
        path.read_text(encoding="utf-8-sig"), reference_path(session.plan, step).read_text(encoding="utf-8")
    )
    if not rows:
        session.say(f"Your file is the reference step {step.label}, line for line.", "identical")
        return 0
    render.show(session.out, render.side_by_side(rows, f"your {path.name}", f"reference steps/{step.file_name}"))
    return 0


def collect_reports(out: Console, err: Console, paths: list[Path], output_format: str) -> int:
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise WorkshopError(
            f"{missing[0]} does not exist: give folders that hold the learners' report.json files, or the files themselves"
        )
    collection = collect(paths)
    for problem in collection.skipped:
        render.show(err, Text(problem, style="warning"))
    if output_format == "json":
        print(json.dumps(as_json(collection), indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        print(render.collection_markdown(collection), end="")
    else:
        render.show(out, render.collection_tables(collection))
    return 0


__all__ = [
    "IN_PROGRESS",
    "NOT_STARTED",
    "Session",
    "check",
    "collect_reports",
    "give_hint",
    "next_step",
    "parse_step",
    "prove",
    "reset",
    "run_check",
    "show_list",
    "solution",
    "start",
]
