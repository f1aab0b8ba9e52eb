"""The one door for "check this file and explain it": run the checks, find the first
divergence, and return it as data.

`check_and_explain(project, programs, settings)` checks the programs as
`check_targets` (or, with `prove`, `prove_targets`) does, then explains each result:

- a crash: the exception's type, message and Python's own suggestion, the line and function,
  the program's own frames from the outermost in, the training step or sample it happened
  in, and the last lines the program printed before it (all recorded by the driver inside
  the program's process, never read back from a message);
- the first differing printed line, with the part of the run it belongs to;
- the first differing parameter, named through the program's own offset table, and the
  first training step after which the parameters differ, found by rerunning with fewer
  steps (`runner/first_step.py`) when the run is short enough;
- the place at fault (`blame`), found by replaying the reference's calls (workbench.runner.blame),
  and for a run that departs only after the blame's short run of 2 training steps, found
  again over as many steps as the first differing training step says.

The command line (tools/run_step.py) and the workshop call it; each turns the data into
its own words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from workbench.programs import Program
from workbench.project import Project
from workbench.runner.blame.engine import TRAINING_STEPS, blame_over_steps
from workbench.runner.blame.model import Blame
from workbench.runner.check import check_targets
from workbench.runner.crash import Crash, LoopPosition, syntax_crash
from workbench.runner.equivalence import PARAMETERS, REPLAY, ParameterComparison
from workbench.runner.execute import SYNTAX_ERROR
from workbench.runner.first_step import LONGEST_SEARCHED_RUN, STEPS_KNOB, find_first_step, worth_searching
from workbench.runner.prove import ProofReport, prove_targets
from workbench.runner.results import CheckReport, TargetResult
from workbench.runner.schedule import RunObserver
from workbench.runner.settings import CheckSettings
from workbench.runner.transcript import STEP_LINE_START, last_training_step, phase_of, reached_inference

LAST_PRINTED_LINES = 3
"""How many of the program's last printed lines a crash keeps."""


@dataclass(frozen=True)
class CrashContext:
    """A crash and what the program was doing when it happened."""

    crash: Crash
    file_name: str
    """The name of the program's file, as its frames are shown."""
    during: str | None
    """'training step 4', 'sample 3', 'before the first training step'... (None: unknown)."""
    last_printed: tuple[str, ...]
    """The last lines the program printed before it crashed (at most LAST_PRINTED_LINES)."""


@dataclass(frozen=True)
class PrintedLineDifference:
    """The first printed line that differs from the reference's."""

    line_number: int
    """1-based, as an editor shows it."""
    phase: str
    """The part of the run it belongs to: 'training loss at step 3', 'sample 5', 'the header'."""
    expected: str | None
    """None when the reference printed no such line."""
    got: str | None


@dataclass(frozen=True)
class FirstTrainingStep:
    """Where the parameters first leave the predecessor's, by rerunning with fewer steps."""

    step: int | None
    """The smallest number of training steps after which they differ (0: the
    initialisation); None when no probe differed."""
    searched_up_to: int
    """The number of training steps of the checked run."""


@dataclass(frozen=True)
class ParameterDivergence:
    """The final parameters differ from the predecessor's at the plan's level."""

    comparison: ParameterComparison
    """Counts, the largest difference and the first differing parameter by name."""
    output_identical: bool


@dataclass(frozen=True)
class Explanation:
    """One program's check, explained: the result and the first place it departs."""

    result: TargetResult
    crash: CrashContext | None = None
    printed_line: PrintedLineDifference | None = None
    parameters: ParameterDivergence | None = None
    """Set when the final parameters fail the plan's level."""
    first_training_step: FirstTrainingStep | None = None
    """Set when the output holds, the parameters have other bits (within a print level's
    drift too), and the search was asked for in a run short enough to make it."""

    @property
    def blame(self) -> Blame | None:
        """The place at fault, as the check found it by replay (workbench.runner.blame); None when
        none was found."""
        return self.result.blame


@dataclass(frozen=True)
class ExplainedCheck:
    """Every program's result and explanation, and the proof when one was asked for."""

    report: CheckReport
    proof: ProofReport | None
    explanations: tuple[Explanation, ...]

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.proof is None else self.proof.exit_code


def check_and_explain(
    project: Project,
    programs: Sequence[Program],
    settings: CheckSettings,
    *,
    prove: bool = False,
    observer: RunObserver | None = None,
    search_first_step: bool = True,
    search_allowed_drift: bool = True,
    before_search: Callable[[Program], None] | None = None,
) -> ExplainedCheck:
    """Check `programs` (proved under every held setting with `prove`) and explain each.
    With `search_first_step`, a program whose output holds but whose parameters differ in
    a short run is rerun with fewer training steps to find the first that differs (also
    when the plan's print level allows the drift, unless `search_allowed_drift` is False);
    `before_search` is told first (the search reruns the program about log2(steps) times)."""
    proof = prove_targets(project, programs, settings, observer) if prove else None
    report = proof.main if proof is not None else check_targets(project, programs, settings, observer)
    explanations = []
    results = []
    for result in report.results:
        first_step = None
        if (
            search_first_step
            and worth_searching(result, settings)
            and (search_allowed_drift or not _parameters_hold(result))
        ):
            if before_search is not None:
                before_search(result.target)
            total = settings.knob_values[STEPS_KNOB]
            assert isinstance(total, int)
            first_step = FirstTrainingStep(find_first_step(project, result.target, settings), total)
        result = blamed_over_more_steps(project, result, settings, first_step)
        results.append(result)
        explanations.append(explain(project, result, first_step))
    if any(new is not old for new, old in zip(results, report.results)):
        report = replace(report, results=results)
        proof = None if proof is None else replace(proof, main=report)
    return ExplainedCheck(report=report, proof=proof, explanations=tuple(explanations))


def first_differing_training_step(result: TargetResult, first_step: FirstTrainingStep | None) -> int | None:
    """How many training steps a run needs to show that `result` differs: the searched first
    differing step, else the step whose printed loss is the first line that differs."""
    if first_step is not None and first_step.step is not None:
        return first_step.step
    line = None if result.verdict is None else result.verdict.output.first_difference
    printed = None if line is None else STEP_LINE_START.match((line.expected or line.got or "").strip())
    return None if printed is None else int(printed["step"])


def blamed_over_more_steps(
    project: Project, result: TargetResult, settings: CheckSettings, first_step: FirstTrainingStep | None
) -> TargetResult:
    """A learner's file that differs, blamed nowhere by the check's short run of
    TRAINING_STEPS steps, because its run departs only later: blamed again over as many
    steps as show the departure (at most the profile's), its replay claim with it. Only for
    a departure within LONGEST_SEARCHED_RUN steps: the longer run records the reference anew."""
    steps = first_differing_training_step(result, first_step)
    total = settings.knob_values.get(STEPS_KNOB)
    if (
        steps is None
        or not TRAINING_STEPS < steps <= LONGEST_SEARCHED_RUN
        or not isinstance(total, int)
        or result.blame is not None
        or result.identical
        or not result.target.attempt
        or result.run is None
        or not result.run.ok
    ):
        return result
    replay, blame = blame_over_steps(project, result.target, settings, min(steps, total))
    claim = replay.claim
    contract = tuple(
        claim if claim is not None and existing.kind == REPLAY else existing for existing in result.contract
    )
    return replace(result, contract=contract, blame=blame)


def _parameters_hold(result: TargetResult) -> bool:
    verdict = result.verdict
    return verdict is None or all(claim.holds for claim in verdict.claims if claim.kind == PARAMETERS)


def explain(project: Project, result: TargetResult, first_step: FirstTrainingStep | None = None) -> Explanation:
    """What one result says about where the program departs, as data."""
    run = result.run
    if run is not None and run.crash is not None:
        return Explanation(result, crash=crash_context(project, result.target, run.crash, run.stdout))
    if result.status == SYNTAX_ERROR:
        crash = _syntax_crash(result.target)
        return Explanation(
            result, crash=None if crash is None else CrashContext(crash, result.target.path.name, None, ())
        )
    verdict = result.verdict
    if verdict is None:
        return Explanation(result)
    line = verdict.output.first_difference
    printed = None
    if line is not None:
        phase = phase_of(line.expected if line.expected else (line.got or ""))
        printed = PrintedLineDifference(line.line_number, phase, line.expected, line.got)
    parameters = None
    if any(claim.kind == PARAMETERS and not claim.holds for claim in verdict.claims):
        parameters = ParameterDivergence(verdict.parameters, verdict.output.identical)
    return Explanation(result, printed_line=printed, parameters=parameters, first_training_step=first_step)


def _syntax_crash(program: Program) -> Crash | None:
    try:
        source = program.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return syntax_crash(source, program.path.name)


def crash_context(project: Project, program: Program, crash: Crash, stdout: str) -> CrashContext:
    """The crash with the training step or sample it happened in and the last printed lines."""
    printed = [line for line in stdout.splitlines() if line.strip()]
    during = None if crash.syntax else crash_moment(crash, printed, steps_names(project, program))
    return CrashContext(crash, program.path.name, during, tuple(printed[-LAST_PRINTED_LINES:]))


def steps_names(project: Project, program: Program) -> frozenset[str]:
    """The names the number of training steps goes by in this program: the original's and
    the plan's name for it at the program's step."""
    names = {STEPS_KNOB}
    if program.step is not None:
        names.add(project.plan.name_at_step(STEPS_KNOB, program.step.number))
    return frozenset(names)


def crash_moment(crash: Crash, printed: Sequence[str], steps_names: frozenset[str]) -> str | None:
    """'training step 4' when the crash was in the loop over the training steps, 'sample 3'
    in the loop over the samples, else where in the run's printed output it came."""
    training = next((loop for loop in crash.loops if steps_names & set(loop.over)), None)
    if training is not None:
        return f"training step {training.value + 1}"
    sampling = reached_inference(printed)
    outermost: LoopPosition | None = crash.loops[0] if crash.loops else None
    if sampling and outermost is not None and outermost.function == "<module>":
        return f"sample {outermost.value + 1}"
    if outermost is not None:
        return f"{outermost.variable} = {outermost.value} (the loop at line {outermost.line})"
    if sampling:
        return "inference, outside the loop over the samples"
    trained = last_training_step(printed)
    if trained is not None:
        return f"after training step {trained.step}, outside the training loop"
    return "before the first training step"
