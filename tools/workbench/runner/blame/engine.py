"""Name the place at fault in a learner's file: a function of theirs, or the module-level
lines of one phase.

1. Record (once per reference text, settings and dataset; cached under `<cache>/blame/`):
   the plan's own snapshot of the step runs cut short (2 training steps, 2 samples) with
   every top-level function wrapped, keeping a bounded sample of each function's calls.
   A run that departs only after 2 steps is blamed over more (`blame_over_steps`).
2. Replay: the learner's functions of the same names, loaded without running their
   module-level code, are called on the recorded arguments; their result and their effect
   on the arguments are compared with the reference's. The place at fault is the first
   function, in the order the reference first called them, that differs while every
   function it calls agrees on its own calls.
3. When every function agrees but the program does not, both programs run cut short again
   with snapshots around the training loop (documents, printed lines, each step's loss as a
   float, parameters), and the first phase whose snapshot differs is named with its lines
   in the learner's file (see `phases`).

Everything the learner's code does runs in a subprocess with a time limit (`child`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import read_json, sha256_of_bytes, write_json_atomically
from workbench.plan import BIT, Step
from workbench.programs import Program
from workbench.project import Project
from workbench.proof.isolated import LIBRARY_ROOT
from workbench.proof.numbers import number_pair, number_text
from workbench.runner.blame.compare import first_difference
from workbench.runner.blame.model import MODULE, Blame
from workbench.runner.blame.phases import (
    DATA_LOADING,
    DATA_NAMES,
    FORWARD_AND_LOSS,
    INITIALISATION,
    OPTIMIZER,
    SAMPLING,
    Phase,
    ProgramPhases,
    find_phases,
)
from workbench.runner.blame.signatures import signature_text
from workbench.runner.equivalence import REPLAY, Claim
from workbench.runner.knobs import SAMPLES_KNOB, KnobValue, rewrite_knobs, without_unsettable_samples
from workbench.runner.settings import CheckSettings

BLAME_FORMAT = "microgpt-workbench-blame/3"
"""Part of every recording's cache key: change it when what a recording holds changes."""
TRAINING_STEPS = 2
SAMPLES = 2
RECORD_TIMEOUT_SECONDS = 180.0
REPLAY_TIMEOUT_SECONDS = 120.0
SECONDS_PER_CALL = 10.0
PRINT_TOLERANCE = 1e-9
"""At a `print` step, the relative drift a float may show before a function is blamed."""
REPLAY_CLAIM = "every function that keeps the reference's name and signature agrees with it on the recorded calls"
ORDINALS = {1: "first", 2: "second", 3: "third"}


@dataclass(frozen=True)
class FunctionReplay:
    """The learner's functions replayed on the reference's calls."""

    compared: tuple[str, ...] = ()
    differing: tuple[str, ...] = ()
    blame: Blame | None = None
    notes: tuple[str, ...] = ()
    not_replayed: tuple[str, ...] = ()
    """Functions that take or return Value objects: named only when the file does not pass."""
    problem: str | None = None
    """Why nothing could be replayed (the reference could not be recorded, the file does not load)."""

    @property
    def claim(self) -> Claim | None:
        """The claim of agreement; None when nothing was compared and nothing went wrong."""
        if self.blame is not None:
            return Claim(REPLAY_CLAIM, REPLAY, False, self.blame.sentence.removeprefix("your "))
        if self.problem is not None:
            return Claim(REPLAY_CLAIM, REPLAY, False, self.problem)
        if not self.compared:
            return None
        return Claim(REPLAY_CLAIM, REPLAY, True, f"holds for {len(self.compared)} functions")


@dataclass
class _Reference:
    recording: Path
    snapshots: list[dict[str, Any]] = field(default_factory=list)


# --- the short programs ------------------------------------------------------------------


def _blame_values(settings: CheckSettings, training_steps: int) -> dict[str, KnobValue]:
    return {**settings.knob_values, "num_steps": training_steps, SAMPLES_KNOB: SAMPLES}


def short_source(
    project: Project,
    step: Step,
    source: str,
    source_name: str,
    settings: CheckSettings,
    training_steps: int = TRAINING_STEPS,
) -> str:
    """The program cut short for blame: its knobs as the check's settings, `training_steps`
    training steps (2 unless a mistake shows only later), 2 samples."""
    values = without_unsettable_samples(source, _blame_values(settings, training_steps))
    return rewrite_knobs(source, values, plan=project.plan, step_number=step.number, source_name=source_name)


def program_phases(project: Project, step: Step, source: str, parameters_expression: str) -> ProgramPhases:
    plan = project.plan
    parameters_name = parameters_expression if parameters_expression.isidentifier() else "parameter_data"
    return find_phases(
        source,
        steps_name=plan.name_at_step("num_steps", step.number),
        data_names=tuple(plan.name_at_step(name, step.number) for name in DATA_NAMES),
        parameters_name=parameters_name,
    )


def _documents_name(project: Project, step: Step) -> str:
    return project.plan.name_at_step("docs", step.number)


# --- the subprocess ----------------------------------------------------------------------


def _run_child(
    request: dict[str, Any], source: str, file_name: str, settings: CheckSettings, timeout: float
) -> dict[str, Any]:
    """Run workbench.runner.blame.child on `source` in a fresh directory holding the dataset; its JSON record."""
    with tempfile.TemporaryDirectory(prefix="microgpt-blame-") as directory:
        work = Path(directory)
        program = work / file_name
        program.write_text(source, encoding="utf-8")
        shutil.copyfile(settings.dataset.path, work / "input.txt")
        request_file, result_file = work / ".blame-request.json", work / ".blame-result.json"
        request_file.write_text(json.dumps({**request, "program": str(program)}), encoding="utf-8")
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(LIBRARY_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        }
        command = [sys.executable, "-P", "-m", "workbench.runner.blame.child", str(request_file), str(result_file)]
        try:
            process = subprocess.run(
                command, cwd=work, capture_output=True, text=True, timeout=timeout, check=False, env=environment
            )
        except subprocess.TimeoutExpired:
            return {"status": "timeout", "message": f"did not finish within {timeout:g} s"}
        try:
            record = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last_line = (process.stderr.strip().splitlines() or ["it ended without a result"])[-1]
            return {"status": "error", "message": f"the blame process failed: {last_line}"}
    return record if isinstance(record, dict) else {"status": "error", "message": "the blame process wrote no record"}


def _reference(project: Project, program: Program, settings: CheckSettings, training_steps: int) -> _Reference | str:
    """The recording of the plan's own snapshot of the step, run for `training_steps` steps
    (cached by the snapshot's text, the settings with that step count, and the dataset), or
    why there is none."""
    step = program.step
    assert step is not None
    reference_path = project.plan.step_path(step)
    try:
        text = reference_path.read_text(encoding="utf-8")
    except OSError as error:
        return f"the reference step could not be read: {error}"
    values = json.dumps(sorted(_blame_values(settings, training_steps).items()))
    parts = (
        BLAME_FORMAT,
        sys.version,
        text,
        values,
        f"training steps: {training_steps}",
        settings.dataset.sha256,
        step.parameters,
        _documents_name(project, step),
    )
    key = sha256_of_bytes("\0".join(parts).encode("utf-8"))
    directory = project.cache / "blame"
    recording, snapshots_file = directory / f"{key}.pickle", directory / f"{key}.snapshots.json"
    snapshots = read_json(snapshots_file)
    if recording.exists() and isinstance(snapshots, list):
        return _Reference(recording, snapshots)
    try:
        source = short_source(project, step, text, reference_path.name, settings, training_steps)
    except WorkbenchError as error:
        return f"the reference step could not be prepared: {error}"
    phases = program_phases(project, step, source, step.parameters)
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".partial", delete=False) as partial:
        partial_path = Path(partial.name)
    try:
        request = {
            "mode": "record",
            "recording": str(partial_path),
            "training_loop_line": phases.training_loop_line,
            "parameters": step.parameters,
            "documents": _documents_name(project, step),
            "focus_step": training_steps if training_steps > TRAINING_STEPS else None,
        }
        result = _run_child(request, source, reference_path.name, settings, RECORD_TIMEOUT_SECONDS)
        if result.get("status") != "ok":
            return f"the reference step could not be recorded: {result.get('message')}"
        write_json_atomically(snapshots_file, result["snapshots"])
        os.replace(partial_path, recording)
    finally:
        partial_path.unlink(missing_ok=True)
    return _Reference(recording, list(result["snapshots"]))


# --- functions ---------------------------------------------------------------------------


def _decoded(value: Any) -> Any:
    if isinstance(value, dict) and "float" in value:
        return float.fromhex(value["float"])
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else number_text(value)


def _call_words(verdict: dict[str, Any]) -> str:
    number = int(verdict["number"])
    ordinal = f"{ORDINALS[number]} call" if number in ORDINALS else f"call {number:,}"
    return f"{ordinal} ({verdict['where']})"


def _place_words(function: str, verdict: dict[str, Any]) -> str:
    """'gradient of node 4,071', 'its result[3]', 'tape[0][4,115] after the call'."""
    path = re.sub(r"\[(\d+)\]", lambda match: f"[{int(match.group(1)):,}]", str(verdict.get("path", "")))
    argument = verdict.get("argument")
    single = re.fullmatch(r"\[([\d,]+)\]", path)
    if argument is None and single and "backward" in function:
        return f"gradient of node {single.group(1)}"
    where = f"its result{path}" if argument is None else f"{argument}{path} after the call"
    return f"{where} has another length:" if verdict.get("what") == "length" else where


def function_blame(verdicts: list[dict[str, Any]], callees: dict[str, list[str]]) -> Blame | None:
    """The first function, in the reference's call order, that differs while every function it calls agrees."""
    failing = {verdict["name"]: verdict for verdict in verdicts if verdict["status"] in ("differs", "raises", "hangs")}
    if not failing:
        return None
    order = [verdict["name"] for verdict in verdicts]
    chosen = next((name for name in order if name in failing and not set(callees.get(name, ())) & set(failing)), None)
    name = chosen or next(name for name in order if name in failing)
    verdict = failing[name]
    call = _call_words(verdict)
    calls = [callee for callee in callees.get(name, ()) if callee != name]
    tail = "; every function it calls agrees with the reference" if calls and chosen else ""
    if verdict["status"] != "differs":
        verb = "never returns" if verdict["status"] == "hangs" else "raises"
        detail = str(verdict["detail"])
        return Blame(name, verdict.get("line"), call, None, detail, f"your {name} {verb} on its {call}: {detail}{tail}")
    expected, got = _decoded(verdict["expected"]), _decoded(verdict["got"])
    if verdict.get("what") == "length":
        values = f"expected {expected:,} items, got {got:,}"
    elif isinstance(expected, str) or isinstance(got, str):
        values = f"expected {_text(expected)}, got {_text(got)}"
    else:
        values = number_pair(expected, got)
    sentence = f"your {name} differs on its {call}: {_place_words(name, verdict)} {values}{tail}"
    return Blame(name, verdict.get("line"), call, _text(expected), _text(got), sentence)


def replay_notes(verdicts: list[dict[str, Any]]) -> tuple[str, ...]:
    """What was not compared, and why, in a few sentences."""
    notes = []
    for verdict in verdicts:
        name = verdict["name"]
        if verdict["status"] == "reshaped":
            notes.append(
                f"your {signature_text(name, verdict['signature'])}; the reference step's is "
                f"{signature_text(name, verdict['reference_signature'])}: not compared with the reference's calls"
            )
        elif verdict["status"] == "missing":
            notes.append(
                f"the file defines no {name}, which the reference step calls: its work is judged by the output only"
            )
    return tuple(notes)


def not_replayed_note(names: tuple[str, ...]) -> str:
    return f"{', '.join(names)} take or return Value objects: they are judged by the program's output, not replayed"


def replay_functions(
    project: Project, program: Program, settings: CheckSettings, training_steps: int = TRAINING_STEPS
) -> FunctionReplay:
    """Replay the reference step's recorded calls (a run of `training_steps` training steps)
    against the functions of `program` (an attempt)."""
    step = program.step
    if step is None:
        return FunctionReplay()
    reference = _reference(project, program, settings, training_steps)
    if isinstance(reference, str):
        return FunctionReplay(notes=(f"blame is unavailable: {reference}",))
    try:
        source = program.path.read_text(encoding="utf-8-sig")
    except OSError as error:
        return FunctionReplay(problem=f"the file could not be read: {error}")
    request = {
        "mode": "replay",
        "recording": str(reference.recording),
        "seconds_per_call": SECONDS_PER_CALL,
        "tolerance": None if step.level == BIT else PRINT_TOLERANCE,
    }
    result = _run_child(request, source, program.path.name, settings, REPLAY_TIMEOUT_SECONDS)
    if result.get("status") != "ok":
        return FunctionReplay(problem=str(result.get("message")))
    verdicts: list[dict[str, Any]] = result["functions"]
    compared = tuple(
        verdict["name"] for verdict in verdicts if verdict["status"] in ("agrees", "differs", "raises", "hangs")
    )
    differing = tuple(verdict["name"] for verdict in verdicts if verdict["status"] in ("differs", "raises", "hangs"))
    not_replayed = tuple(verdict["name"] for verdict in verdicts if verdict["status"] == "not-compared")
    return FunctionReplay(
        compared, differing, function_blame(verdicts, result["callees"]), replay_notes(verdicts), not_replayed
    )


# --- module-level code -------------------------------------------------------------------


def _by_label(snapshots: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(snapshot["label"]): snapshot for snapshot in snapshots}


def _first_printed_difference(
    expected: list[str], got: list[str], start: int
) -> tuple[int, str | None, str | None] | None:
    for index in range(start, max(len(expected), len(got))):
        left = expected[index] if index < len(expected) else None
        right = got[index] if index < len(got) else None
        if left != right:
            return index, left, right
    return None


def _parameters_difference(
    name: str, expected: list[str] | None, got: list[str] | None, tolerance: float | None
) -> tuple[str, str, str] | None:
    if expected is None or got is None:
        return None
    difference = first_difference(
        [float.fromhex(value) for value in expected], [float.fromhex(value) for value in got], tolerance
    )
    if difference is None:
        return None
    if difference.what == "length":
        return (
            f"{name} has {difference.got:,} values, the reference {difference.expected:,}",
            str(difference.expected),
            str(difference.got),
        )
    index = difference.path.strip("[]")
    return (
        f"{name}[{int(index):,}] {number_pair(difference.expected, difference.got)}",
        number_text(difference.expected),
        number_text(difference.got),
    )


def _loss_difference(expected: str | None, got: str | None, tolerance: float | None) -> tuple[str, str, str] | None:
    """The loss a training step printed, as the float it was (a hex string in a snapshot), when
    the two differ beyond `tolerance`; None when they agree or either program printed none."""
    if expected is None or got is None:
        return None
    expected_loss, got_loss = float.fromhex(expected), float.fromhex(got)
    if first_difference(expected_loss, got_loss, tolerance) is None:
        return None
    return (
        f"the loss it prints {number_pair(expected_loss, got_loss)}",
        number_text(expected_loss),
        number_text(got_loss),
    )


def _printed_phase(line: str) -> str:
    if line.startswith(("num docs", "vocab size")):
        return DATA_LOADING
    if line.startswith("num params"):
        return INITIALISATION
    if line.startswith("step"):
        return FORWARD_AND_LOSS
    return SAMPLING


def compare_snapshots(
    reference: list[dict[str, Any]], mine: list[dict[str, Any]], parameters_name: str, tolerance: float | None
) -> tuple[str, str, str | None, str | None, str] | None:
    """(phase, where, expected, got, what differs) at the first snapshot where the two programs depart."""
    expected_by, got_by = _by_label(reference), _by_label(mine)
    printed_so_far = 0
    for snapshot in reference:
        label = str(snapshot["label"])
        other = got_by.get(label)
        if other is None:
            continue
        if snapshot["documents"] is not None and other["documents"] is not None:
            difference = first_difference(snapshot["documents"], other["documents"])
            if difference is not None:
                what = f"documents{difference.path} expected {difference.expected!r}, got {difference.got!r}"
                if difference.what == "length":
                    what = f"{difference.got:,} documents, the reference {difference.expected:,}"
                return DATA_LOADING, label, repr(difference.expected), repr(difference.got), what
        printed = _first_printed_difference(snapshot["printed"], other["printed"], printed_so_far)
        if printed is not None:
            _, left, right = printed
            phase = _printed_phase(left or right or "")
            if label.startswith("training step") and phase not in (DATA_LOADING, INITIALISATION):
                phase = FORWARD_AND_LOSS
            return phase, label, left, right, f"it prints {right!r} where the reference prints {left!r}"
        printed_so_far = len(snapshot["printed"])
        loss = _loss_difference(snapshot.get("loss"), other.get("loss"), tolerance)
        if loss is not None:
            sentence, left, right = loss
            return FORWARD_AND_LOSS, label, left, right, sentence
        parameters = _parameters_difference(parameters_name, snapshot["parameters"], other["parameters"], tolerance)
        if parameters is not None:
            sentence, left, right = parameters
            phase = (
                INITIALISATION
                if label == "before training"
                else OPTIMIZER
                if label.startswith("training step")
                else SAMPLING
            )
            return phase, label, left, right, sentence
    del expected_by
    return None


def module_blame(
    project: Project, program: Program, settings: CheckSettings, training_steps: int = TRAINING_STEPS
) -> Blame | None:
    """The module-level phase where `program` first departs from the reference step, both cut
    short to `training_steps` training steps; None if it does not depart there."""
    step = program.step
    if step is None:
        return None
    reference = _reference(project, program, settings, training_steps)
    if isinstance(reference, str):
        return None
    try:
        source = short_source(
            project,
            step,
            program.path.read_text(encoding="utf-8-sig"),
            program.path.name,
            settings,
            training_steps,
        )
    except (OSError, WorkbenchError):
        return None
    phases = program_phases(project, step, source, program.parameters_expression)
    request = {
        "mode": "probe",
        "training_loop_line": phases.training_loop_line,
        "parameters": program.parameters_expression,
        "documents": _documents_name(project, step),
    }
    result = _run_child(request, source, program.path.name, settings, RECORD_TIMEOUT_SECONDS)
    if result.get("status") != "ok":
        return None
    tolerance = None if step.level == BIT else PRINT_TOLERANCE
    parameters_name = (
        program.parameters_expression if program.parameters_expression.isidentifier() else "the parameters"
    )
    found = compare_snapshots(reference.snapshots, result["snapshots"], parameters_name, tolerance)
    if found is None:
        return None
    phase_name, where, expected, got, what = found
    phase = phases.phases.get(phase_name)
    return module_blame_from(phase_name, phase, where, expected, got, what, training_steps)


def module_blame_from(
    phase_name: str,
    phase: Phase | None,
    where: str,
    expected: str | None,
    got: str | None,
    what: str,
    training_steps: int = TRAINING_STEPS,
) -> Blame:
    place = phase.describe() if phase is not None else phase_name
    when = where if where.startswith(("before", "after")) else "while sampling" if where == SAMPLING else f"in {where}"
    if training_steps > TRAINING_STEPS:
        when = f"{when} of a run of {training_steps} training steps"
    sentence = (
        f"the module-level code of {place} departs first, {when}: {what}; "
        "every function of your file agrees with the reference on its recorded calls"
    )
    return Blame(MODULE, phase.first_line if phase is not None else None, where, expected, got, sentence, phase_name)


def blame_over_steps(
    project: Project, program: Program, settings: CheckSettings, training_steps: int = TRAINING_STEPS
) -> tuple[FunctionReplay, Blame | None]:
    """The replay of `program`'s functions and the place at fault, both over a run of
    `training_steps` training steps. Beyond TRAINING_STEPS, the recording also keeps each
    function's first call in the last of them, the step where the run first differs."""
    replay = replay_functions(project, program, settings, training_steps)
    if replay.blame is not None:
        return replay, replay.blame
    return replay, module_blame(project, program, settings, training_steps)


def blame_attempt(project: Project, program: Program, settings: CheckSettings) -> Blame | None:
    """The place at fault in `program` (a learner's file checked as a step), or None when none is found."""
    return blame_over_steps(project, program, settings)[1]
