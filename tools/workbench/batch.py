"""Check targets: run them, find what they must match, and judge them. One pool, no repeats.

For each target the runner needs three things under the same settings:

1. the target's own run, always live (it is what the user asked to see and time);
2. the original's output (what every program must print), and
3. the predecessor's final parameters (the original for step 01 and for the original).

2 and 3 come, in this order, from a run in this same batch (in `all`, the original and
every step run live side by side), the golden file (default settings only), the run cache,
or a run started now, in parallel with the rest. Runs are identified by content key
(Program.key), so the same program with the same settings never runs twice in one
invocation. The original's own check compares its live run with a reference looked up
before anything runs; when there is none, the live run becomes the reference.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from workbench.dataset import Dataset
from workbench.contracts import ContractResult, check_contract
from workbench.equivalence import Verdict, compare_output, compare_parameters, judge
from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK, WorkbenchError
from workbench.execution import OK, SYNTAX_ERROR, ProcessRegistry, Program, RunResult, execute, syntax_error
from workbench.knobs import KnobValue, describe_values, discover_knobs, resolve_knob_values, rewrite_knobs
from workbench.paths import display_path
from workbench.reference import GoldenFile, RecordedRun, RunCache, read_golden, recorded_from, write_golden
from workbench.step_files import require_file
from workbench.targets import Project, Target, original_target, predecessor_of
from workbench.verdicts import write_verdict

DEFAULT_TIMEOUT_SECONDS = 600.0
ERROR = "error"
"""Status of a target that could not be checked (bad knob for its file, predecessor failed...)."""


@dataclass(frozen=True)
class CheckSettings:
    """Everything that shapes a run besides the program itself."""

    profile: str
    knob_values: dict[str, KnobValue]
    """By the original's names: the profile's values with every --set on top."""
    overridden: tuple[str, ...]
    """The knobs given with --set."""
    dataset: Dataset
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    approve: bool = False

    @property
    def is_default(self) -> bool:
        """A profile as the plan defines it, on the standard dataset: golden files apply."""
        return not self.overridden and self.dataset.standard

    def describe(self) -> str:
        return f"profile {self.profile} ({describe_values(self.knob_values)})"

    def as_record(self) -> dict[str, Any]:
        return {"profile": self.profile, "knobs": dict(self.knob_values), "dataset_sha256": self.dataset.sha256}


def make_settings(
    project: Project,
    *,
    profile: str,
    assignments: Sequence[str],
    dataset: Dataset,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    jobs: int | None = None,
    approve: bool = False,
) -> CheckSettings:
    knobs = discover_knobs(_read_source(project.plan.original_path))
    values, overridden = resolve_knob_values(knobs, project.plan, profile, assignments)
    if approve and overridden:
        raise WorkbenchError("--approve records golden files for the plan's profiles as defined; it cannot be combined with --set")
    if approve and project.golden_directory is None:
        raise WorkbenchError("--approve records golden files, and this plan has none (only the project's own plan does)")
    if approve and not dataset.standard:
        raise WorkbenchError("--approve records golden files on the standard dataset only; it cannot be used with another names file")
    if timeout <= 0:
        raise WorkbenchError(f"--timeout must be a positive number of seconds (got {timeout:g})")
    if jobs is not None and jobs < 1:
        raise WorkbenchError(f"--jobs must be at least 1 (got {jobs})")
    return CheckSettings(
        profile=profile, knob_values=values, overridden=overridden, dataset=dataset,
        timeout=timeout, jobs=jobs or os.cpu_count() or 1, approve=approve,
    )


@dataclass(frozen=True)
class PlannedRun:
    """One program run of the batch, as progress displays see it."""

    key: str
    name: str
    """'original', 'step 07', 'step 06 (predecessor)', 'original (reference)'."""
    program: Program
    repeat: bool = False
    """A second, independent run of a program this batch also runs (the original's
    reference computed on demand): judged against, never written to the cache."""


class RunObserver(Protocol):
    def queued(self, run: PlannedRun) -> None: ...
    def started(self, run: PlannedRun) -> None: ...
    def line(self, run: PlannedRun, text: str, seconds: float) -> None: ...
    def finished(self, run: PlannedRun, result: RunResult) -> None: ...


class SilentObserver:
    def queued(self, run: PlannedRun) -> None:
        pass

    def started(self, run: PlannedRun) -> None:
        pass

    def line(self, run: PlannedRun, text: str, seconds: float) -> None:
        pass

    def finished(self, run: PlannedRun, result: RunResult) -> None:
        pass


@dataclass(frozen=True)
class Speed:
    """This target against the original, both from this same invocation."""

    training: float | None
    """How many times faster training ran (original seconds / target seconds)."""
    inference: float | None
    memory: float | None
    """Peak memory as a fraction of the original's."""


@dataclass(frozen=True)
class TargetResult:
    target: Target
    status: str
    """ok, crash, timeout, syntax-error, parameters-error, or error."""
    identical: bool
    summary: str
    run: RunResult | None = None
    verdict: Verdict | None = None
    output_reference: str | None = None
    """Where the expected output came from."""
    parameters_reference: str | None = None
    """Whose parameters were compared, and from where."""
    details: str = ""
    notes: tuple[str, ...] = ()
    speed: Speed | None = None
    approved: Path | None = None
    """The golden file written by --approve from this run."""
    contract: tuple[ContractResult, ...] = ()
    """The step's structural contract checked on the file (empty for the original)."""

    @property
    def counts_as_identical(self) -> bool:
        return self.identical or self.approved is not None

    @property
    def structure_holds(self) -> bool:
        return all(claim.passed for claim in self.contract)

    @property
    def max_parameter_difference(self) -> float | None:
        return None if self.verdict is None else self.verdict.parameters.max_difference


def exit_code(results: Sequence[TargetResult]) -> int:
    """2 if any target could not be checked, else 1 if any differs, else 0."""
    if any(result.status != OK for result in results):
        return EXIT_ERROR
    if any(not result.counts_as_identical for result in results):
        return EXIT_DIFFERS
    return EXIT_OK


# --- where expected results come from ------------------------------------------------


@dataclass(frozen=True)
class _Expected:
    """An expected result: recorded already, to come from a run of this batch, or unavailable."""

    recorded: RecordedRun | None = None
    key: str | None = None
    name: str = ""
    error: str | None = None


class _Preparation(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Batch:
    def __init__(self, project: Project, settings: CheckSettings) -> None:
        self.project = project
        self.settings = settings
        self.cache = RunCache(project.cache)
        self.scheduled: dict[str, PlannedRun] = {}
        self.results: dict[str, RunResult] = {}
        self.notes: list[str] = []
        self._prepared: dict[tuple[Path, int | None, str], Program | _Preparation] = {}
        self.golden = self._applicable_golden()

    def _applicable_golden(self) -> GoldenFile | None:
        if not self.settings.is_default or self.settings.approve or self.project.golden_directory is None:
            return None
        golden = read_golden(self.project.golden_directory, self.settings.profile)
        if golden is None:
            return None
        try:
            original = self.prepare(original_target(self.project))
        except _Preparation:
            return None
        if golden.key != original.key(self.settings.dataset.sha256):
            self.notes.append(
                f"{display_path(golden.path)} was recorded from another version of the original, its settings "
                "or the runner's format, so it does not apply; record it again with --approve"
            )
            return None
        return golden

    def prepare(self, target: Target) -> Program:
        """The target's program after knob rewriting; _Preparation if it cannot run.

        Each file is read, compiled and rewritten once per batch, however many targets
        need it (the original is every step's reference)."""
        identity = (target.path, target.step_number, target.parameters_expression)
        if identity not in self._prepared:
            try:
                self._prepared[identity] = self._prepare(target)
            except _Preparation as failure:
                self._prepared[identity] = failure
        prepared = self._prepared[identity]
        if isinstance(prepared, _Preparation):
            raise prepared
        return prepared

    def _prepare(self, target: Target) -> Program:
        try:
            require_file(target.snapshot)
            source = _read_source(target.path)
        except WorkbenchError as error:
            raise _Preparation(ERROR, str(error)) from None
        problem = syntax_error(Program(target.title, target.path, source, target.parameters_expression))
        if problem is not None:
            raise _Preparation(SYNTAX_ERROR, f"syntax error at {problem}")
        try:
            rewritten = rewrite_knobs(
                source, self.settings.knob_values, plan=self.project.plan,
                step_number=target.step_number, source_name=display_path(target.path),
            )
        except WorkbenchError as error:
            raise _Preparation(ERROR, str(error)) from None
        return Program(target.title, target.path, rewritten, target.parameters_expression)

    def key(self, program: Program) -> str:
        return program.key(self.settings.dataset.sha256)

    def schedule(self, program: Program, name: str) -> str:
        key = self.key(program)
        if key not in self.scheduled:
            self.scheduled[key] = PlannedRun(key=key, name=name, program=program)
        return key

    def schedule_repeat(self, program: Program, name: str) -> str:
        """An independent second run of `program`, for the original's reference when nothing
        is recorded for these settings: two isolated runs that must agree bit for bit."""
        key = f"{self.key(program)}:repeat"
        if key not in self.scheduled:
            self.scheduled[key] = PlannedRun(key=key, name=name, program=program, repeat=True)
        return key

    def look_up(self, program: Program) -> RecordedRun | None:
        """A result recorded before this invocation: the golden file, or the run cache."""
        key = self.key(program)
        if self.golden is not None and self.golden.key == key:
            return self.golden.recorded
        return self.cache.load(key)

    def expect(self, target: Target, role: str) -> _Expected:
        """What `target` (the original or a predecessor) produced or will produce in this batch."""
        try:
            program = self.prepare(target)
        except _Preparation as failure:
            return _Expected(error=f"{target.title}, the {role}, cannot run: {failure.message}")
        key = self.key(program)
        name = "the original" if target.step is None else target.title
        if key in self.scheduled:
            return _Expected(key=key, name=name)
        recorded = self.look_up(program)
        if recorded is not None:
            return _Expected(recorded=recorded, name=name)
        return _Expected(key=self.schedule(program, f"{target.title} ({role})"), name=name)

    def resolve(self, expected: _Expected) -> tuple[RecordedRun | None, str | None]:
        """(the expected run, or None with the reason it is unavailable)."""
        if expected.error is not None:
            return None, expected.error
        if expected.recorded is not None:
            return expected.recorded, None
        assert expected.key is not None
        result = self.results[expected.key]
        if not result.ok:
            return None, f"{expected.name} did not finish: {result.error}"
        return recorded_from(result, "run now"), None

    def run_all(self, observer: RunObserver) -> None:
        if not self.scheduled:
            return
        load_before = _load_average()
        self._run_pool(observer)
        self._note_busy_machine(max(load_before, _load_average()))

    def _note_busy_machine(self, load: float) -> None:
        """Timings are wall-clock: say so when other work competed for the CPUs."""
        processors = os.cpu_count() or 1
        concurrent = min(self.settings.jobs, len(self.scheduled))
        if concurrent > processors:
            self.notes.append(f"{concurrent} programs ran at once on {processors} CPUs: they competed for them, so timings are inflated")
        elif load > processors + 0.5:
            self.notes.append(
                f"the machine was busy while these programs ran (load average {load:.1f} on {processors} CPUs): "
                "timings and speed ratios are noisy; rerun on an idle machine for figures to quote"
            )

    def _run_pool(self, observer: RunObserver) -> None:
        registry = ProcessRegistry()
        pool = ThreadPoolExecutor(max_workers=self.settings.jobs, thread_name_prefix="run")
        for planned in self.scheduled.values():
            observer.queued(planned)
        futures: dict[Future[RunResult], PlannedRun] = {
            pool.submit(self._run_one, planned, observer, registry): planned for planned in self.scheduled.values()
        }
        try:
            for future in as_completed(futures):
                planned = futures[future]
                result = future.result()
                self.results[planned.key] = result
                if not planned.repeat:
                    self.cache.store(planned.key, planned.program, result, self.settings.as_record())
        except BaseException:
            registry.close()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _run_one(self, planned: PlannedRun, observer: RunObserver, registry: ProcessRegistry) -> RunResult:
        observer.started(planned)
        result = execute(
            planned.program, self.settings.dataset.path, timeout=self.settings.timeout,
            on_line=lambda text, seconds: observer.line(planned, text, seconds), registry=registry,
        )
        observer.finished(planned, result)
        return result


# --- the check ---------------------------------------------------------------------


@dataclass(frozen=True)
class _TargetPlan:
    target: Target
    key: str | None = None
    failure: _Preparation | None = None
    output: _Expected | None = None
    parameters: _Expected | None = None
    is_reference_itself: bool = False
    previous_golden: GoldenFile | None = None


@dataclass(frozen=True)
class CheckReport:
    results: list[TargetResult]
    notes: list[str]

    @property
    def exit_code(self) -> int:
        return exit_code(self.results)


def check_targets(
    project: Project,
    targets: Sequence[Target],
    settings: CheckSettings,
    observer: RunObserver | None = None,
) -> CheckReport:
    """Run and judge `targets` (in parallel, each once), and say where every expectation came from."""
    batch = _Batch(project, settings)
    plans = [_plan_target(batch, target) for target in targets]
    plans = [_plan_expectations(batch, plan) for plan in plans]
    batch.run_all(observer or SilentObserver())
    results = [_judge_target(batch, plan) for plan in plans]
    results = _with_speed(results)
    for result in results:
        _record_verdict(project, settings, result)
    return CheckReport(results=results, notes=batch.notes)


def _plan_target(batch: _Batch, target: Target) -> _TargetPlan:
    is_reference_itself = target.step is None and not target.attempt
    previous_golden = None
    if is_reference_itself and batch.settings.approve and batch.project.golden_directory is not None:
        previous_golden = read_golden(batch.project.golden_directory, batch.settings.profile)
    try:
        program = batch.prepare(target)
    except _Preparation as failure:
        return _TargetPlan(target=target, failure=failure)
    if is_reference_itself:
        # Looked up before anything runs, so the live run is never compared with itself.
        recorded = previous_golden.recorded if previous_golden is not None else batch.look_up(program)
        expected = _Expected(recorded=recorded, name=target.title) if recorded is not None else None
        key = batch.schedule(program, target.title)
        if expected is None and not batch.settings.approve:
            # Nothing recorded for these settings: compute the reference now, as a second
            # isolated run beside the live one (the live run is then cached for next time).
            reference_key = batch.schedule_repeat(program, f"{target.title} (reference, computed now)")
            expected = _Expected(key=reference_key, name="a reference run of the original")
        return _TargetPlan(target, key, output=expected, parameters=expected, is_reference_itself=True, previous_golden=previous_golden)
    return _TargetPlan(target, batch.schedule(program, target.title))


def _plan_expectations(batch: _Batch, plan: _TargetPlan) -> _TargetPlan:
    if plan.failure is not None or plan.is_reference_itself:
        return plan
    output = batch.expect(original_target(batch.project), "reference")
    predecessor = predecessor_of(batch.project, plan.target)
    parameters = output if predecessor is None else batch.expect(predecessor, "predecessor")
    return _TargetPlan(plan.target, plan.key, output=output, parameters=parameters)


def _judge_target(batch: _Batch, plan: _TargetPlan) -> TargetResult:
    target = plan.target
    if plan.failure is not None:
        return TargetResult(target, plan.failure.status, False, plan.failure.message)
    assert plan.key is not None
    run = batch.results[plan.key]
    if not run.ok:
        return TargetResult(target, run.status, False, run.error or run.status, run=run, details=run.details)
    if plan.is_reference_itself:
        return _judge_original(batch, plan, run)
    assert plan.output is not None and plan.parameters is not None
    expected_output, output_problem = batch.resolve(plan.output)
    expected_parameters, parameters_problem = batch.resolve(plan.parameters)
    problem = output_problem or parameters_problem
    if problem is not None or expected_output is None or expected_parameters is None:
        return TargetResult(target, ERROR, False, f"cannot check {target.title}: {problem}", run=run)
    assert run.parameters is not None
    verdict = judge(
        target.level,
        compare_output(expected_output.stdout, run.stdout),
        compare_parameters(expected_parameters.parameters, run.parameters),
    )
    contract = _check_structure(target)
    structure_holds = all(claim.passed for claim in contract)
    summary = verdict.summary
    if verdict.identical and not structure_holds:
        broken = sum(1 for claim in contract if not claim.passed)
        summary = f"{verdict.summary}, but {broken} of {len(contract)} structural claims of {target.snapshot.title} do not hold yet"
    return TargetResult(
        target, OK, verdict.identical and structure_holds, summary, run=run, verdict=verdict,
        output_reference=f"{plan.output.name} ({expected_output.origin})",
        parameters_reference=f"{plan.parameters.name} ({expected_parameters.origin})",
        contract=contract,
    )


def _check_structure(target: Target) -> tuple[ContractResult, ...]:
    """The plan's structural contract for the step, checked on the file that ran: identical
    output is not enough for an attempt that still has, say, the Value class."""
    if target.step is None:
        return ()
    source = target.path.read_text(encoding="utf-8")
    return tuple(check_contract(source, target.step.contract))


def _judge_original(batch: _Batch, plan: _TargetPlan, run: RunResult) -> TargetResult:
    target = plan.target
    assert run.parameters is not None
    reference, problem = batch.resolve(plan.output) if plan.output is not None else (None, None)
    verdict = None
    notes: list[str] = []
    if problem is not None:
        return TargetResult(target, ERROR, False, f"cannot check {target.title}: {problem}", run=run)
    if reference is not None:
        verdict = judge(target.level, compare_output(reference.stdout, run.stdout), compare_parameters(reference.parameters, run.parameters))
        identical, summary = verdict.identical, verdict.summary
        origin = f"the reference ({reference.origin})"
        if plan.output is not None and plan.output.key is not None:
            origin = "a reference run of the original, computed now in its own directory"
    else:
        identical, origin = True, "none yet"
        summary = "no earlier reference for these settings: this run is now the cached reference"
        if batch.settings.is_default and not batch.settings.approve and batch.project.golden_directory is not None:
            notes.append(f"there is no golden file for the {batch.settings.profile} profile yet; record one with --approve")
    approved = None
    if batch.settings.approve and batch.project.golden_directory is not None:
        approved = _approve(batch, plan, run, verdict)
        summary = _approval_summary(approved, plan.previous_golden, verdict)
    return TargetResult(
        target, OK, identical, summary, run=run, verdict=verdict,
        output_reference=origin, parameters_reference=origin, notes=tuple(notes), approved=approved,
    )


def _approve(batch: _Batch, plan: _TargetPlan, run: RunResult, verdict: Verdict | None) -> Path:
    assert plan.key is not None
    previous = plan.previous_golden
    if previous is not None and previous.key == plan.key and verdict is not None and verdict.identical:
        return previous.path
    program = batch.scheduled[plan.key].program
    assert batch.project.golden_directory is not None
    return write_golden(
        batch.project.golden_directory, batch.settings.profile, key=plan.key, program=program,
        result=run, settings=dict(batch.settings.knob_values), dataset_sha256=batch.settings.dataset.sha256,
    )


def _approval_summary(path: Path, previous: GoldenFile | None, verdict: Verdict | None) -> str:
    where = display_path(path)
    if previous is None:
        return f"golden file recorded: {where} (new)"
    if verdict is not None and verdict.identical:
        return f"golden file {where} confirmed: identical to this run, left unchanged"
    return f"golden file recorded: {where} (replaced; the old one differed: {verdict.summary if verdict else 'unreadable'})"


def _with_speed(results: list[TargetResult]) -> list[TargetResult]:
    """Speed against the original's live run in this same invocation, never a recorded one."""
    baseline = next((result.run for result in results if result.target.step is None and not result.target.attempt and result.run is not None and result.run.ok), None)
    if baseline is None:
        return results
    return [
        result if result.run is None or not result.run.ok else _replace_speed(result, baseline)
        for result in results
    ]


def _replace_speed(result: TargetResult, baseline: RunResult) -> TargetResult:
    assert result.run is not None
    speed = Speed(
        training=_ratio(baseline.seconds_training, result.run.seconds_training),
        inference=_ratio(baseline.seconds_inference, result.run.seconds_inference),
        memory=_ratio(result.run.peak_memory_bytes, baseline.peak_memory_bytes),
    )
    return replace(result, speed=speed)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _record_verdict(project: Project, settings: CheckSettings, result: TargetResult) -> None:
    """The verdict record for other tools: plan targets, default settings only."""
    if result.target.attempt or not settings.is_default or not result.target.exists():
        return
    write_verdict(
        label=result.target.label, profile=settings.profile, source_path=result.target.path,
        identical=result.counts_as_identical, level=result.target.level, summary=result.summary,
        max_parameter_difference=result.max_parameter_difference, status=result.status, cache=project.cache,
    )


def _load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"cannot read {display_path(path)}: {error}") from None
