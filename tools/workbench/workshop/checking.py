"""What the workshop shows of a check: the runner's verdict and explanation, in the
learner's words.

The check itself is the runner's one door, `workbench.runner.explain.check_and_explain`:
it runs the file as a step (`check_targets`, or `prove_targets` for a proof), and explains
the result as data: the crash with its frames, exception, suggestion and training step,
the first differing printed line, the first differing parameter and training step. This
module turns that outcome into what the learner reads: one line per claim, exactly as the
runner judged it, and the first place where the program departs from the reference. The
workshop adds no second way to run, judge or diff a program: what it shows beyond the
verdict is wording.

    check_file(project, file, step, prove=False) -> CheckOutcome
    measure_against_original(project, file, step) -> Measurement
    style_debt(file) -> int ; reference_changes(plan, step) ; unified_rows(...) ; side_by_side_rows(...)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.diffview.comparison import planned_renames
from workbench.diffview.fingerprint import Identifier, fingerprint
from workbench.diffview.semantic import summarize
from workbench.diffview.textdiff import DiffLine, SideBySideRow, diff_lines
from workbench.errors import WorkbenchError
from workbench.lint.api import lint_source
from workbench.plan import Plan, Step
from workbench.programs import attempt_program, original_program, step_program
from workbench.project import Project
from workbench.proof.wording import first_divergent_step_sentence, parameter_difference_meaning
from workbench.runner.check import check_targets
from workbench.runner.dataset import resolve_dataset
from workbench.runner.equivalence import CLAIM_KINDS as RUNNER_CLAIM_KINDS
from workbench.runner.equivalence import SETTING, Claim
from workbench.runner.execute import OK, WORKBENCH_FAILED
from workbench.runner.explain import (
    CrashContext,
    Explanation,
    FirstTrainingStep,
    ParameterDivergence,
    PrintedLineDifference,
    check_and_explain,
)
from workbench.runner.prove import ProofReport
from workbench.runner.results import ERROR
from workbench.runner.settings import CheckSettings, make_settings

PROFILE = "quick"
"""The profile of `check`: seconds, for a loop."""
PROOF_PROFILE = "full"
"""The profile of `prove`, as `run_step.py FILE --as NN --prove` runs it: the full 500-step
run, then every held setting of the runner's proving mode."""
RUNS = "runs"
"""The one claim the workshop states itself: the runner judges only a program that ran."""
CLAIM_KINDS: tuple[str, ...] = (RUNS, *RUNNER_CLAIM_KINDS)


class CheckUnavailable(Exception):
    """The check could not be made (the runner refused the file or the settings).
    The message is one sentence for the learner."""


@dataclass(frozen=True)
class ClaimOutcome:
    """One claim about the learner's program, as the runner judged it."""

    name: str
    kind: str
    """runs | output | parameters | contract | exercise | lint | setting"""
    holds: bool
    detail: str
    short: str = ""
    """The runner's shorter form of a failure's detail (empty: the detail)."""

    @property
    def brief(self) -> str:
        """What to show beside the claim in a checklist."""
        return self.short or self.detail


@dataclass(frozen=True)
class Divergence:
    """Where the learner's program first departs from the reference, in words."""

    kind: str
    """traceback | printed-line | parameter | unimplemented | claim"""
    summary: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class CheckOutcome:
    """The verdict of one check of a learner's file as a step."""

    step: int
    claims: tuple[ClaimOutcome, ...]
    first_divergence: Divergence | None
    passes: bool
    """Every claim of the check holds on its profile (the held settings of a proof are not
    part of it; a proof's full profile implies the quick check's claims)."""
    proved: bool | None
    """None when proving was not asked for."""
    final_parameters_sha256: str | None
    exit_code: int
    training_seconds: float | None = None
    inference_seconds: float | None = None
    peak_memory_bytes: int | None = None
    original_training_seconds: float | None = None
    original_inference_seconds: float | None = None
    original_peak_memory_bytes: int | None = None
    profile: str = PROFILE
    """quick for a check; full for a proof (its held settings run on the quick profile)."""
    blame: dict[str, Any] | None = None
    """The place at fault (workbench.runner.blame.model.Blame.as_record()), None when none was found or it passes."""

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def outcome_from_record(record: Any) -> CheckOutcome | None:
    """A CheckOutcome from `as_record()`'s JSON, or None when the record is not one."""
    try:
        claims = tuple(ClaimOutcome(**claim) for claim in record["claims"])
        divergence_record = record["first_divergence"]
        divergence = (
            None
            if divergence_record is None
            else Divergence(
                kind=divergence_record["kind"],
                summary=divergence_record["summary"],
                lines=tuple(divergence_record["lines"]),
            )
        )
        fields = {key: value for key, value in record.items() if key not in ("claims", "first_divergence")}
        return CheckOutcome(claims=claims, first_divergence=divergence, **fields)
    except (KeyError, TypeError, ValueError):
        return None


# --- the check ------------------------------------------------------------------------


def quick_settings(project: Project) -> CheckSettings:
    """The quick profile on the standard names file, as `run_step.py --profile quick` uses."""
    return profile_settings(project, PROFILE)


def profile_settings(project: Project, profile: str) -> CheckSettings:
    """A profile of the plan on the standard names file, no --set."""
    return make_settings(project, profile=profile, assignments=[], dataset=resolve_dataset(cache=project.cache))


def check_file(project: Project, file: Path, step: int, *, prove: bool = False) -> CheckOutcome:
    """Check `file` as step `step` of the project's plan on the quick profile; with `prove`,
    prove it as `run_step.py FILE --as NN --prove` does: the full profile, then every held
    setting. Raises CheckUnavailable when no verdict can be had."""
    try:
        source = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else f"not UTF-8 text ({error.reason})"
        raise CheckUnavailable(f"cannot read {file}: {reason}") from None
    if not source.strip():
        raise CheckUnavailable(
            f"your file {file} is empty: write the step there, or `reset` to bring back its starting file"
        )
    try:
        program = attempt_program(project.plan, file, f"{step:02d}")
        settings = profile_settings(project, PROOF_PROFILE if prove else PROFILE)
        # The learner is shown the first training step only when the parameters fail.
        checked = check_and_explain(project, [program], settings, prove=prove, search_allowed_drift=False)
    except WorkbenchError as error:
        raise CheckUnavailable(str(error)) from None
    [explanation] = checked.explanations
    if explanation.result.status in (ERROR, WORKBENCH_FAILED):
        raise CheckUnavailable(explanation.result.summary)
    return outcome_of(explanation, source, proof=checked.proof, profile=settings.profile)


def claim_outcome(claim: Claim) -> ClaimOutcome:
    """The runner's claim, as it is: name, kind, whether it holds, and its evidence."""
    return ClaimOutcome(claim.name, claim.kind, claim.holds, claim.detail, claim.short)


def outcome_of(
    explanation: Explanation, source: str, *, proof: ProofReport | None = None, profile: str = PROFILE
) -> CheckOutcome:
    """The learner's view of one explained result: its claims, the first divergence, figures."""
    result = explanation.result
    ran = result.status == OK
    claims = [ClaimOutcome("the program runs", RUNS, ran, "" if ran else result.summary)]
    claims += [claim_outcome(claim) for claim in result.claims]
    passes = all(claim.holds for claim in claims)
    proved: bool | None = None
    if proof is not None:
        claims += [claim_outcome(outcome.claim()) for outcome in proof.settings.get(result.target.label, [])]
        proved = passes and proof.proved(result)
    run = result.run
    parameters = run.parameters if run is not None and ran else None
    return CheckOutcome(
        step=result.target.number,
        profile=profile,
        claims=tuple(claims),
        first_divergence=first_divergence(explanation, source, claims),
        passes=passes,
        proved=proved,
        final_parameters_sha256=None if parameters is None else parameters_sha256(parameters),
        exit_code=0 if passes and proved is not False else 1,
        training_seconds=None if run is None else run.seconds_training,
        inference_seconds=None if run is None else run.seconds_inference,
        peak_memory_bytes=None if run is None else run.peak_memory_bytes,
        blame=None if result.blame is None or passes else result.blame.as_record(),
    )


def parameters_sha256(parameters: Sequence[str]) -> str:
    """The sha256 of final parameters as the runner records them (float.hex, one per line)."""
    return hashlib.sha256("\n".join(parameters).encode("ascii")).hexdigest()


# --- the first divergence -------------------------------------------------------------


def first_divergence(explanation: Explanation, source: str, claims: Sequence[ClaimOutcome]) -> Divergence | None:
    """Whichever comes first: the learner's crash, the first differing printed line, the
    first differing parameter, a stub left by --skeleton, or the first claim that fails."""
    result = explanation.result
    if result.status != OK:
        if explanation.crash is not None and explanation.crash.crash.line is not None:
            return crash_divergence(explanation.crash)
        return Divergence("traceback", result.summary, ())
    if explanation.printed_line is not None:
        return printed_line_divergence(explanation.printed_line)
    if explanation.parameters is not None:
        return parameter_divergence(explanation.parameters, explanation.first_training_step)
    stubs = find_stubs(source)
    if stubs:
        stub = stubs[0]
        return Divergence("unimplemented", f"{stub.where} is not implemented yet (line {stub.line})", (stub.message,))
    failing = [claim for claim in claims if not claim.holds and claim.kind != SETTING]
    if failing:
        claim = failing[0]
        return Divergence("claim", f"{claim.name}: does not hold", tuple(line for line in (claim.brief,) if line))
    failing_settings = [claim for claim in claims if not claim.holds]
    if failing_settings:
        claim = failing_settings[0]
        return Divergence("claim", f"not {claim.name}", tuple(line for line in (claim.brief,) if line))
    return None


def crash_divergence(context: CrashContext) -> Divergence:
    """The crash in the learner's file: where, during which training step or sample, the
    chain of the learner's own frames with their lines, the exception with Python's own
    suggestion, and what the program printed last."""
    crash = context.crash
    function = crash.function if crash.function not in (None, "<module>") else None
    summary = f"{crash.exception} at line {crash.line}" + (f" in {function}" if function else "")
    if context.during is not None:
        summary += f", during {context.during}"
    lines: list[str] = []
    for frame in crash.frames:
        shown_function = None if crash.syntax else frame.function
        lines.append(
            f'File "{context.file_name}", line {frame.line}' + (f", in {shown_function}" if shown_function else "")
        )
        if frame.code:
            lines.append(f"    {frame.code}")
    lines.append(crash.headline)
    if context.last_printed:
        lines.append("last printed before the crash:")
        lines += [f"    {line}" for line in context.last_printed]
    return Divergence("traceback", summary, tuple(lines))


def printed_line_divergence(line: PrintedLineDifference) -> Divergence:
    return Divergence(
        "printed-line",
        f"printed line {line.line_number} differs ({line.phase})",
        (
            f"expected: {'(no such line)' if line.expected is None else line.expected}",
            f"got:      {'(no such line)' if line.got is None else line.got}",
        ),
    )


def parameter_divergence(divergence: ParameterDivergence, searched: FirstTrainingStep | None = None) -> Divergence:
    """The first differing parameter as the runner named it through the program's layout."""
    parameters = divergence.comparison
    if not parameters.same_count:
        return Divergence("parameter", f"{parameters.got_count} parameters instead of {parameters.expected_count}", ())
    first = parameters.first
    if first is None:
        return Divergence("parameter", "the final parameters are not bit-identical", ())
    where = first.place.describe() if first.place is not None else f"flat index {first.flat_index}"
    distance = (
        "an incomparable distance (NaN)"
        if first.ulps is None
        else f"{first.ulps:,} ulp{'s' if first.ulps != 1 else ''}"
    )
    lines = [f"expected: {first.expected.hex()}", f"got:      {first.got.hex()}"]
    if divergence.output_identical:
        lines.append(f"What this means: {parameter_difference_meaning(first.ulps)}")
    if searched is not None:
        lines.append(f"first training step: {first_divergent_step_sentence(searched.step, searched.searched_up_to)}")
    return Divergence(
        "parameter",
        f"parameter {where} differs by {distance}; {first.differing_count:,} of {first.total_count:,} parameters differ",
        tuple(lines),
    )


# --- stubs left by --skeleton -----------------------------------------------------------


@dataclass(frozen=True)
class Stub:
    where: str
    """The function's name, or 'module-level code'."""
    line: int
    message: str


_STUB = re.compile(r"^(?P<indent>\s*)raise NotImplementedError\((?P<message>.*)\)\s*$")


def find_stubs(source: str) -> list[Stub]:
    """Every `raise NotImplementedError(...)` left in the file, with its enclosing function."""
    stubs: list[Stub] = []
    enclosing: list[tuple[int, str]] = []
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped and not stripped.startswith("#"):
            while enclosing and indent <= enclosing[-1][0]:
                enclosing.pop()
        definition = re.match(r"def\s+([A-Za-z_]\w*)", stripped)
        if definition is not None:
            enclosing.append((indent, definition.group(1)))
            continue
        match = _STUB.match(line)
        if match is not None:
            where = enclosing[-1][1] if enclosing else "module-level code"
            message = match.group("message").strip().strip("\"'")
            stubs.append(Stub(where, number, f"NotImplementedError: {message}"))
    return stubs


# --- the linter ------------------------------------------------------------------------


def style_debt(file: Path) -> int:
    """How many style violations the file has, under every rule."""
    return len(lint_source(file.read_text(encoding="utf-8-sig"), str(file)))


# --- speed and memory against the original (completion) ----------------------------------


@dataclass(frozen=True)
class Measurement:
    training_seconds: float | None
    inference_seconds: float | None
    peak_memory_bytes: int | None
    original_training_seconds: float | None
    original_inference_seconds: float | None
    original_peak_memory_bytes: int | None


def measure_against_original(project: Project, file: Path, step: int) -> Measurement:
    """The learner's program and the original, run side by side in one check on the quick
    profile: seconds of training and inference and peak memory of each."""
    try:
        targets = [original_program(project.plan), attempt_program(project.plan, file, f"{step:02d}")]
        original, learner = check_targets(project, targets, quick_settings(project)).results
    except WorkbenchError as error:
        raise CheckUnavailable(str(error)) from None
    original_run, learner_run = original.run, learner.run
    return Measurement(
        training_seconds=learner_run.seconds_training if learner_run else None,
        inference_seconds=learner_run.seconds_inference if learner_run else None,
        peak_memory_bytes=learner_run.peak_memory_bytes if learner_run else None,
        original_training_seconds=original_run.seconds_training if original_run else None,
        original_inference_seconds=original_run.seconds_inference if original_run else None,
        original_peak_memory_bytes=original_run.peak_memory_bytes if original_run else None,
    )


# --- the diff viewer -------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionDelta:
    """One function, class or module-level name that a reference step changes."""

    kind: str
    """function | class | name"""
    name: str
    old_name: str | None
    status: str
    """added | removed | changed | renamed | identifiers renamed only | comments or formatting only"""
    signature_changed: bool
    body_changed: bool


def reference_changes(plan: Plan, step: Step) -> list[DefinitionDelta]:
    """The libcst summary of what reference step `step` changes against its predecessor."""
    old_source = predecessor_path(plan, step).read_text(encoding="utf-8")
    new_source = plan.step_path(step).read_text(encoding="utf-8")
    return list(_summarized(old_source, new_source, tuple(sorted(reference_renames(plan, step).items()))))


@lru_cache(maxsize=32)
def _summarized(old_source: str, new_source: str, renames: tuple[tuple[str, str], ...]) -> tuple[DefinitionDelta, ...]:
    summary = summarize(old_source, new_source, dict(renames))
    return tuple(
        DefinitionDelta(
            change.kind.value,
            change.name,
            change.old_name,
            change.status.value,
            change.signature_changed,
            change.body_changed,
        )
        for change in summary.changes
    )


def reference_renames(plan: Plan, step: Step) -> dict[str, str]:
    """The plan's renames from the predecessor to `step`, as the diff viewer composes them."""
    newer = step_program(plan, step)
    assert newer.predecessor is not None
    return planned_renames(plan, newer.predecessor, newer)


def predecessor_path(plan: Plan, step: Step) -> Path:
    """The reference file step `step` starts from: the step before it (of the plan it
    continues, for a plan's first step), or the original for step 01."""
    predecessor = step_program(plan, step).predecessor
    return plan.original_path if predecessor is None else predecessor.path


def reference_path(plan: Plan, step: Step) -> Path:
    """The reference file of step `step` (steps/NN_slug.py)."""
    return plan.step_path(step)


def unified_rows(old_text: str, new_text: str, *, context: int = 3) -> list[list[DiffLine]]:
    """The diff viewer's line diff, as hunks of its numbered lines."""
    diff = diff_lines(old_text.splitlines(), new_text.splitlines(), context)
    return [list(hunk.lines) for hunk in diff.hunks]


def side_by_side_rows(old_text: str, new_text: str, *, context: int = 3) -> list[list[SideBySideRow]]:
    """The diff viewer's side-by-side rows, hunk by hunk."""
    diff = diff_lines(old_text.splitlines(), new_text.splitlines(), context)
    return [list(hunk.rows) for hunk in diff.hunks]


def statement_fingerprint(node: Any, renames: Mapping[str, str]) -> Any:
    """The diff viewer's layout-free fingerprint of a libcst node, with every identifier
    carried through `renames`: two statements are the same code up to the plan's renames
    exactly when these are equal."""

    def rename(value: Any) -> Any:
        if isinstance(value, Identifier):
            return Identifier(renames.get(value.value, value.value))
        if isinstance(value, tuple):
            return tuple(rename(item) for item in value)
        return value

    return rename(fingerprint(node)) if renames else fingerprint(node)
