"""The workshop's one door to the runner, the linter and the diff viewer.

Everything the workshop knows about a learner's program comes through this module: the
claims that hold or not, the first place where the program departs from the reference,
the style debt, and the reference diffs the hints and `solution` show. Nothing else in
tools/workbench/workshop/ imports the runner, the linter or the diff viewer.

Today the check runs `tools/run_step.py FILE --as NN --profile quick --json` as a
subprocess and maps its JSON Lines record; what that record does not carry yet (the
learner's traceback beyond its innermost frame, the final parameters, the name of the
first differing parameter) is recovered as well as the record and the run cache allow.
When the runner's result carries per-claim outcomes and the first divergence itself,
`check_file` becomes a call to that library function and nothing else changes.

    check_file(project_root, file, step, prove=False) -> CheckOutcome
    measure_against_original(project_root, file, step) -> Measurement
    style_debt(file) -> int ; reference_changes(step) ; reference_diff(...) ; unified_lines(...)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.plan import BIT, Plan, Step, load_plan

CLAIM_KINDS: tuple[str, ...] = ("runs", "output", "parameters", "contract", "exercise", "lint", "setting")
DIVERGENCE_KINDS: tuple[str, ...] = ("traceback", "printed-line", "parameter", "unimplemented", "claim")
PROFILE = "quick"
CHECK_TIMEOUT_SECONDS = 300.0
STUB_MARKER = "NotImplementedError"


class CheckUnavailable(Exception):
    """The check could not be made (the runner refused, or an option it does not have yet).
    The message is one sentence for the learner."""


@dataclass(frozen=True)
class ClaimOutcome:
    """One claim about the learner's program and whether it holds."""

    name: str
    kind: str
    """runs | output | parameters | contract | exercise | lint | setting"""
    holds: bool
    detail: str


@dataclass(frozen=True)
class Divergence:
    """Where the learner's program first departs from the reference."""

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

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def outcome_from_record(record: Any) -> CheckOutcome | None:
    """A CheckOutcome from `as_record()`'s JSON, or None when the record is not one."""
    try:
        claims = tuple(ClaimOutcome(**claim) for claim in record["claims"])
        divergence_record = record["first_divergence"]
        divergence = None if divergence_record is None else Divergence(
            kind=divergence_record["kind"], summary=divergence_record["summary"], lines=tuple(divergence_record["lines"]),
        )
        fields = {key: value for key, value in record.items() if key not in ("claims", "first_divergence")}
        return CheckOutcome(claims=claims, first_divergence=divergence, **fields)
    except (KeyError, TypeError, ValueError):
        return None


# --- the check ------------------------------------------------------------------------


def check_file(project_root: Path, file: Path, step: int, *, prove: bool = False) -> CheckOutcome:
    """Check `file` as step `step` on the quick profile (and, with `prove`, the runner's
    proving mode). Raises CheckUnavailable when no verdict can be had."""
    plan = load_plan()
    plan_step = plan.step(step)
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckUnavailable(f"cannot read {file}: {error}") from None
    command = [
        sys.executable, str(project_root / "tools" / "run_step.py"), str(file),
        "--as", plan_step.label, "--profile", PROFILE, "--json", "--no-color",
    ]
    if prove:
        command.append("--prove")
    process = subprocess.Popen(command, cwd=project_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The linter and the stub scan run here while the program runs there.
    lint_claims = _lint_claims(plan, plan_step, source, file)
    stubs = find_stubs(source)
    try:
        stdout, stderr = process.communicate(timeout=CHECK_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise CheckUnavailable(f"the check took longer than {CHECK_TIMEOUT_SECONDS:g} s and was stopped") from None
    record = _last_json_line(stdout)
    if record is None:
        message = _last_line(stderr) or f"run_step.py ended with status {process.returncode} and no result"
        if prove and "--prove" in stderr:
            raise CheckUnavailable("proving needs `run_step.py --prove`, which this version of the runner does not have yet")
        raise CheckUnavailable(message.removeprefix("error: "))
    return _outcome(plan, plan_step, file, source, record, lint_claims, stubs, prove)


def _outcome(
    plan: Plan, step: Step, file: Path, source: str, record: dict[str, Any],
    lint_claims: list[ClaimOutcome], stubs: list[Stub], prove: bool,
) -> CheckOutcome:
    status = record.get("status")
    if status == "error":
        raise CheckUnavailable(str(record.get("error") or "the runner could not check the file"))
    ran = status == "ok"
    claims: list[ClaimOutcome] = [ClaimOutcome("the program runs", "runs", ran, "" if ran else str(record.get("error") or status))]
    first = record.get("first_difference")
    if ran:
        output_holds = bool(record.get("output_identical"))
        reference = _reference_line_count()
        claims.append(ClaimOutcome(
            f"printed output identical to the original's ({reference} lines)" if reference else "printed output identical to the original's",
            "output", output_holds,
            "" if output_holds or not isinstance(first, dict) else f"line {first.get('line')} differs",
        ))
        claims.append(_parameters_claim(step, record))
        for claim in record.get("contract") or []:
            claims.append(ClaimOutcome(str(claim.get("claim")), "contract", bool(claim.get("holds")), str(claim.get("detail") or "")))
    else:
        claims.append(ClaimOutcome("printed output identical to the original's", "output", False, "not checked: the program did not finish"))
        claims.append(ClaimOutcome(_parameters_claim_name(step), "parameters", False, "not checked: the program did not finish"))
        claims.extend(ClaimOutcome(item.describe(), "contract", False, "not checked: the program did not finish") for item in step.contract)
    claims.append(ClaimOutcome(
        f"every function of step {step.label} is implemented", "exercise", not stubs,
        "" if not stubs else "still a stub: " + ", ".join(f"{stub.where} (line {stub.line})" for stub in stubs),
    ))
    claims.extend(lint_claims)
    parameters = _recorded_parameters(plan, step, file, source, record) if ran else None
    divergence = _first_divergence(record, file, source, stubs, claims, parameters, step)
    proved: bool | None = None
    if prove:
        proved = bool(record.get("identical")) and bool(record.get("proved", record.get("identical")))
    passes = all(claim.holds for claim in claims)
    return CheckOutcome(
        step=step.number,
        claims=tuple(claims),
        first_divergence=divergence,
        passes=passes,
        proved=proved and passes if proved is not None else None,
        final_parameters_sha256=None if parameters is None else _parameters_sha256(parameters[1]),
        exit_code=0 if passes and proved is not False else 1,
        training_seconds=_number(record.get("seconds_training")),
        inference_seconds=_number(record.get("seconds_inference")),
        peak_memory_bytes=_integer(record.get("peak_memory_bytes")),
    )


def _parameters_claim_name(step: Step) -> str:
    predecessor = "the original's" if step.number == 1 else f"step {step.number - 1:02d}'s"
    if step.level == BIT:
        return f"final parameters bit-identical to {predecessor}"
    return f"final parameters within drift of {predecessor} (level print)"


def _parameters_claim(step: Step, record: dict[str, Any]) -> ClaimOutcome:
    name = _parameters_claim_name(step)
    difference = record.get("max_parameter_difference")
    if step.level == BIT:
        holds = bool(record.get("parameters_bit_identical"))
        detail = "" if holds else f"largest difference {difference}"
        return ClaimOutcome(name, "parameters", holds, detail)
    holds = isinstance(difference, int | float) and math.isfinite(difference) and bool(record.get("output_identical"))
    return ClaimOutcome(name, "parameters", holds, f"largest difference {difference}")


def _first_divergence(
    record: dict[str, Any], file: Path, source: str, stubs: list[Stub], claims: list[ClaimOutcome],
    parameters: tuple[tuple[str, ...], tuple[str, ...]] | None, step: Step,
) -> Divergence | None:
    if record.get("status") != "ok":
        return _traceback_divergence(str(record.get("error") or record.get("status")), file, source)
    first = record.get("first_difference")
    if isinstance(first, dict):
        return printed_line_divergence(int(first.get("line") or 0), str(first.get("expected")), str(first.get("got")))
    if step.level == BIT and record.get("parameters_bit_identical") is False:
        return _parameter_divergence(parameters, record)
    if stubs:
        stub = stubs[0]
        return Divergence("unimplemented", f"{stub.where} is not implemented yet (line {stub.line})", (stub.message,))
    failing = [claim for claim in claims if not claim.holds]
    if failing:
        claim = failing[0]
        return Divergence("claim", f"{claim.name}: does not hold", tuple(line for line in (claim.detail,) if line))
    return None


_CRASH = re.compile(r"at (?P<path>.+?):(?P<line>\d+)(?::\d+)?(?: in (?P<function>[^:]+))?: (?P<error>.*)$")


def _traceback_divergence(error: str, file: Path, source: str) -> Divergence:
    """The crash, trimmed to the learner's file: where it happened and the line of code."""
    match = _CRASH.search(error)
    lines: list[str] = [error]
    summary = error
    if match is not None:
        line_number = int(match.group("line"))
        function = match.group("function")
        message = ("SyntaxError: " if error.startswith("syntax error") else "") + match.group("error")
        exception = message.split(":", 1)[0]
        summary = f"{exception} at line {line_number}" + (f" in {function}" if function else "")
        source_lines = source.splitlines()
        lines = [f'File "{file}", line {line_number}' + (f", in {function}" if function else "")]
        if 1 <= line_number <= len(source_lines) and STUB_MARKER not in source_lines[line_number - 1]:
            lines.append("    " + source_lines[line_number - 1].strip())
        lines.append(message)
    return Divergence("traceback", summary, tuple(lines))


_TRAINING_LINE = re.compile(r"^step\s+(\d+)\s*/")
_SAMPLE_LINE = re.compile(r"^sample\s+(\d+)\s*:")


def phase_of(line: str) -> str:
    """Which part of the run a printed line belongs to: 'training loss at step 3',
    'sample 5', or 'the header'."""
    training = _TRAINING_LINE.match(line.strip())
    if training is not None:
        return f"training loss at step {int(training.group(1))}"
    sample = _SAMPLE_LINE.match(line.strip())
    if sample is not None:
        return f"sample {int(sample.group(1))}"
    return "the header" if "inference" not in line else "the inference banner"


def printed_line_divergence(line_number: int, expected: str, got: str) -> Divergence:
    phase = phase_of(expected if expected not in ("None", "") else got)
    return Divergence(
        "printed-line",
        f"printed line {line_number} differs ({phase})",
        (f"expected: {expected}", f"got:      {got}"),
    )


def _parameter_divergence(parameters: tuple[tuple[str, ...], tuple[str, ...]] | None, record: dict[str, Any]) -> Divergence:
    if parameters is None:
        return Divergence(
            "parameter",
            "the output is identical but the final parameters are not bit-identical",
            (
                f"largest difference: {record.get('max_parameter_difference')}",
                "a floating-point operation was reordered or regrouped (for example a*b/c vs a*(b/c)); the output hides it, the parameters do not",
            ),
        )
    expected, got = parameters
    if len(expected) != len(got):
        return Divergence("parameter", f"{len(got)} parameters instead of {len(expected)}", ())
    differing = [index for index, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    index = differing[0]
    name = parameter_name(index, len(expected))
    expected_value, got_value = float.fromhex(expected[index]), float.fromhex(got[index])
    return Divergence(
        "parameter",
        f"parameter {name} (flat index {index}) differs by {ulps_apart(expected_value, got_value)} ulp; {len(differing)} of {len(expected)} parameters differ",
        (
            f"expected: {expected[index]}",
            f"got:      {got[index]}",
            "a floating-point operation was reordered or regrouped (for example a*b/c vs a*(b/c)); the output hides it, the parameters do not",
        ),
    )


def ulps_apart(first: float, second: float) -> int:
    """How many representable doubles lie between two floats (0 when equal)."""
    return abs(_ordered_bits(first) - _ordered_bits(second))


def _ordered_bits(value: float) -> int:
    bits: int = struct.unpack("<q", struct.pack("<d", value))[0]
    return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)


# --- parameter names (until the runner reports them through the program's offset table) --


def parameter_name(flat_index: int, count: int) -> str:
    """'layer0.attn_wq[3][5]' for a flat index, by the original's layout under the default
    architecture; 'parameter 1234' when the count does not fit that layout."""
    for name, start, rows, columns in _default_layout(count):
        if start <= flat_index < start + rows * columns:
            row, column = divmod(flat_index - start, columns)
            return f"{name}[{row}][{column}]"
    return f"parameter {flat_index}"


def _default_layout(count: int) -> list[tuple[str, int, int, int]]:
    from workbench.knobs import discover_knobs

    plan = load_plan()
    knobs = discover_knobs(plan.original_path.read_text(encoding="utf-8"))
    width, layers, block = int(knobs["n_embd"].default), int(knobs["n_layer"].default), int(knobs["block_size"].default)
    remaining = count - block * width - layers * 12 * width * width
    if remaining <= 0 or remaining % (2 * width):
        return []
    vocabulary = remaining // (2 * width)
    shapes = [("wte", vocabulary, width), ("wpe", block, width), ("lm_head", vocabulary, width)]
    for layer in range(layers):
        shapes += [
            (f"layer{layer}.attn_wq", width, width), (f"layer{layer}.attn_wk", width, width),
            (f"layer{layer}.attn_wv", width, width), (f"layer{layer}.attn_wo", width, width),
            (f"layer{layer}.mlp_fc1", 4 * width, width), (f"layer{layer}.mlp_fc2", width, 4 * width),
        ]
    layout: list[tuple[str, int, int, int]] = []
    start = 0
    for name, rows, columns in shapes:
        layout.append((name, start, rows, columns))
        start += rows * columns
    return layout


def _recorded_parameters(
    plan: Plan, step: Step, file: Path, source: str, record: dict[str, Any],
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(the predecessor's final parameters, the learner's), as float.hex, from the run
    cache the runner just wrote; None when they cannot be found."""
    try:
        from workbench.execution import Program
        from workbench.knobs import discover_knobs, resolve_knob_values, rewrite_knobs
        from workbench.paths import GOLDEN_DIRECTORY, cache_directory
        from workbench.reference import RunCache, read_golden

        dataset = str(record.get("dataset_sha256"))
        knobs = discover_knobs(plan.original_path.read_text(encoding="utf-8"))
        values, _ = resolve_knob_values(knobs, plan, PROFILE, [])
        cache = RunCache(cache_directory())

        def look_up(text: str, number: int | None, expression: str, path: Path) -> tuple[str, ...] | None:
            rewritten = rewrite_knobs(text, values, plan=plan, step_number=number, source_name=str(path))
            recorded = cache.load(Program("lookup", path, rewritten, expression).key(dataset))
            return None if recorded is None else recorded.parameters

        got = look_up(source, step.number, step.parameters, file)
        predecessor = plan.predecessor(step.number)
        if predecessor is None:
            golden = read_golden(GOLDEN_DIRECTORY, PROFILE)
            expected = None if golden is None else golden.recorded.parameters
        else:
            expected = look_up(predecessor.path.read_text(encoding="utf-8"), predecessor.number, predecessor.parameters, predecessor.path)
    except Exception:  # noqa: BLE001 - a best effort until the runner reports it; never fatal
        return None
    if got is None or expected is None:
        return None
    return expected, got


def _parameters_sha256(parameters: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(parameters).encode("ascii")).hexdigest()


def _reference_line_count() -> int | None:
    try:
        from workbench.paths import GOLDEN_DIRECTORY
        from workbench.reference import read_golden

        golden = read_golden(GOLDEN_DIRECTORY, PROFILE)
    except Exception:  # noqa: BLE001 - only a count in a claim's name
        return None
    return None if golden is None else len([line for line in golden.recorded.stdout.splitlines() if line.strip()])


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


def mandatory_rules(plan: Plan, step: Step) -> list[str]:
    """The style rules that must report nothing at this step (plan [lint] zero_from)."""
    return [rule for rule, number in plan.lint_zero_from.items() if number <= step.number]


def _lint_claims(plan: Plan, step: Step, source: str, file: Path) -> list[ClaimOutcome]:
    from workbench.errors import WorkbenchError
    from workbench.lint.api import lint_source

    rules = mandatory_rules(plan, step)
    try:
        violations = lint_source(source, str(file), select=rules)
    except WorkbenchError as error:
        return [ClaimOutcome("the style rules mandatory at this step", "lint", False, str(error))]
    claims: list[ClaimOutcome] = []
    for rule in rules:
        found = [violation for violation in violations if violation.name == rule]
        lines = ", ".join(str(violation.line) for violation in found[:6])
        more = f" and {len(found) - 6} more" if len(found) > 6 else ""
        detail = f"{len(found)} at {file.name} line{'s' if len(found) > 1 else ''} {lines}{more}" if found else ""
        claims.append(ClaimOutcome(f"style rule {rule}: no violations", "lint", not found, detail))
    return claims


def style_debt(file: Path) -> int:
    """How many style violations the file has, under every rule."""
    from workbench.lint.api import lint_source

    return len(lint_source(file.read_text(encoding="utf-8"), str(file)))


# --- speed and memory against the original (completion) ----------------------------------


@dataclass(frozen=True)
class Measurement:
    training_seconds: float | None
    inference_seconds: float | None
    peak_memory_bytes: int | None
    original_training_seconds: float | None
    original_inference_seconds: float | None
    original_peak_memory_bytes: int | None


def measure_against_original(project_root: Path, file: Path, step: int) -> Measurement:
    """The learner's program and the original, run side by side in one batch on the quick
    profile: seconds of training and inference and peak memory of each."""
    from workbench.batch import SilentObserver, check_targets, make_settings
    from workbench.dataset import resolve_dataset
    from workbench.targets import Project, attempt_target, original_target

    plan = load_plan()
    project = Project(plan=plan)
    targets = [original_target(project), attempt_target(project, file, plan.step(step).label)]
    settings = make_settings(project, profile=PROFILE, assignments=[], dataset=resolve_dataset(None), jobs=2)
    report = check_targets(project, targets, settings, SilentObserver())
    original_run, learner_run = (result.run for result in report.results)
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
    new_source = step.path.read_text(encoding="utf-8")
    return list(_summarized(old_source, new_source, tuple(sorted(reference_renames(plan, step).items()))))


@lru_cache(maxsize=32)
def _summarized(old_source: str, new_source: str, renames: tuple[tuple[str, str], ...]) -> tuple[DefinitionDelta, ...]:
    from workbench.diffview.semantic import summarize

    summary = summarize(old_source, new_source, dict(renames))
    return tuple(
        DefinitionDelta(change.kind.value, change.name, change.old_name, change.status.value, change.signature_changed, change.body_changed)
        for change in summary.changes
    )


def reference_renames(plan: Plan, step: Step) -> dict[str, str]:
    """The plan's renames from the predecessor to `step`, as the diff viewer composes them."""
    from workbench.diffview.comparison import planned_renames
    from workbench.step_files import predecessor_snapshot, step_snapshot

    newer = step_snapshot(step)
    older = predecessor_snapshot(plan, newer)
    assert older is not None
    return planned_renames(plan, older, newer)


def predecessor_path(plan: Plan, step: Step) -> Path:
    """The reference file step `step` starts from: step NN-1, or the original for 01."""
    previous = plan.predecessor(step.number)
    return plan.original_path if previous is None else previous.path


@dataclass(frozen=True)
class DiffRow:
    """One line of a diff: ' ', '-' or '+', the line numbers on each side, the text."""

    marker: str
    old_number: int | None
    new_number: int | None
    text: str


def unified_rows(old_text: str, new_text: str, *, context: int = 3) -> list[list[DiffRow]]:
    """The diff viewer's line diff, as hunks of rows."""
    from workbench.diffview.textdiff import diff_lines

    diff = diff_lines(old_text.splitlines(), new_text.splitlines(), context)
    return [[DiffRow(line.marker, line.old_number, line.new_number, line.text) for line in hunk.lines] for hunk in diff.hunks]


def side_by_side_rows(old_text: str, new_text: str, *, context: int = 3) -> list[list[tuple[DiffRow | None, DiffRow | None]]]:
    """The diff viewer's side-by-side rows, hunk by hunk."""
    from workbench.diffview.textdiff import diff_lines

    diff = diff_lines(old_text.splitlines(), new_text.splitlines(), context)

    def row(line: Any) -> DiffRow | None:
        return None if line is None else DiffRow(line.marker, line.old_number, line.new_number, line.text)

    return [[(row(pair.old), row(pair.new)) for pair in hunk.rows] for hunk in diff.hunks]


# --- small pieces ----------------------------------------------------------------------


def _last_json_line(text: str) -> dict[str, Any] | None:
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    return None


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def statement_fingerprint(node: Any, renames: Mapping[str, str]) -> Any:
    """The diff viewer's layout-free fingerprint of a libcst node, with every identifier
    carried through `renames`: two statements are the same code up to the plan's renames
    exactly when these are equal."""
    from workbench.diffview.semantic import Identifier, fingerprint

    def rename(value: Any) -> Any:
        if isinstance(value, Identifier):
            return Identifier(renames.get(value.value, value.value))
        if isinstance(value, tuple):
            return tuple(rename(item) for item in value)
        return value

    return rename(fingerprint(node)) if renames else fingerprint(node)
