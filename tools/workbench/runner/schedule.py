"""One batch of runs: prepare each program once, schedule each run once, run them in parallel.

For each program to check the runner needs three things under the same settings:

1. the program's own run, always live (it is what the user asked to see and time);
2. the original's output (what every program must print), and
3. the predecessor's final parameters (the original for step 01 and for the original).

2 and 3 come, in this order, from a run in this same batch (in `all`, the original and
every step run live side by side), the golden file (default settings only), the run cache,
or a run started now, in parallel with the rest. Runs are identified by content key
(Runnable.key), so the same program with the same settings never runs twice in one
invocation.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workbench.errors import WorkbenchError
from workbench.paths import display_path
from workbench.programs import Program, original_program, require_file
from workbench.project import Project
from workbench.runner.conditions import MeasurementConditions, cpu_count, load_average, now
from workbench.runner.execute import SYNTAX_ERROR, ProcessRegistry, Runnable, RunResult, execute, syntax_error
from workbench.runner.knobs import SAMPLES_KNOB, rewrite_knobs, without_unsettable_samples
from workbench.runner.reference import GoldenFile, RecordedRun, RunCache, read_golden, recorded_from
from workbench.runner.results import ERROR
from workbench.runner.settings import CheckSettings, read_source


@dataclass(frozen=True)
class PlannedRun:
    """One program run of the batch, as progress displays see it."""

    key: str
    name: str
    """'original', 'step 07', 'step 06 (predecessor)', 'original (reference)'."""
    program: Runnable
    repeat: bool = False
    """A second, independent run of a program this batch also runs (the original's
    reference computed on demand): judged against, never written to the cache."""


class RunObserver(Protocol):
    """Told about every run of a batch, from the worker threads (progress displays)."""

    def queued(self, run: PlannedRun) -> None: ...
    def started(self, run: PlannedRun) -> None: ...
    def line(self, run: PlannedRun, text: str, seconds: float) -> None: ...
    def finished(self, run: PlannedRun, result: RunResult) -> None: ...


class SilentObserver:
    """An observer that shows nothing."""

    def queued(self, run: PlannedRun) -> None:
        pass

    def started(self, run: PlannedRun) -> None:
        pass

    def line(self, run: PlannedRun, text: str, seconds: float) -> None:
        pass

    def finished(self, run: PlannedRun, result: RunResult) -> None:
        pass


@dataclass(frozen=True)
class Expected:
    """An expected result: recorded already, to come from a run of this batch, or unavailable."""

    recorded: RecordedRun | None = None
    key: str | None = None
    name: str = ""
    error: str | None = None


class Preparation(Exception):
    """A program that cannot run at all: its file is missing, unreadable, not Python, or
    does not bind a knob the settings set."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Batch:
    """The runs of one invocation: each program prepared once, each run scheduled once."""

    def __init__(self, project: Project, settings: CheckSettings) -> None:
        self.project = project
        self.settings = settings
        self.cache = RunCache(project.cache)
        self.scheduled: dict[str, PlannedRun] = {}
        self.results: dict[str, RunResult] = {}
        self.notes: list[str] = []
        self.conditions: MeasurementConditions | None = None
        """How the runs were measured (None until run_all has run something)."""
        self._prepared: dict[tuple[Path, int | None, str], Runnable | Preparation] = {}
        self.golden = self._applicable_golden()

    def _applicable_golden(self) -> GoldenFile | None:
        if not self.settings.is_default or self.settings.approve or self.project.golden_directory is None:
            return None
        golden = read_golden(self.project.golden_directory, self.settings.profile)
        if golden is None:
            return None
        try:
            original = self.prepare(original_program(self.project.plan))
        except Preparation:
            return None
        if golden.key != original.key(self.settings.dataset.sha256):
            self.notes.append(
                f"{display_path(golden.path)} was recorded from another version of the original, its settings "
                "or the runner's format, so it does not apply; record it again with --approve"
            )
            return None
        return golden

    def prepare(self, program: Program) -> Runnable:
        """The program's text after knob rewriting; Preparation if it cannot run.

        Each file is read, compiled and rewritten once per batch, however many programs
        need it (the original is every step's reference)."""
        identity = (program.path, program.step_number, program.parameters_expression)
        if identity not in self._prepared:
            try:
                self._prepared[identity] = self._prepare(program)
            except Preparation as failure:
                self._prepared[identity] = failure
        prepared = self._prepared[identity]
        if isinstance(prepared, Preparation):
            raise prepared
        return prepared

    def _prepare(self, program: Program) -> Runnable:
        try:
            require_file(program)
            source = read_source(program.path)
        except WorkbenchError as error:
            raise Preparation(ERROR, str(error)) from None
        problem = syntax_error(
            Runnable(
                program.title, program.path, source, program.parameters_expression, program.layout_expression or ""
            )
        )
        if problem is not None:
            raise Preparation(SYNTAX_ERROR, f"syntax error at {problem}")
        values = self.settings.knob_values
        if program.attempt and SAMPLES_KNOB not in self.settings.overridden:
            values = without_unsettable_samples(source, values)
            if values.keys() != self.settings.knob_values.keys():
                self.notes.append(
                    f"{display_path(program.path)} draws its samples in no module-level loop `for ... in range(N)`, "
                    f"so the {self.settings.profile} profile could not set {SAMPLES_KNOB}: it ran as written"
                )
        try:
            rewritten = rewrite_knobs(
                source,
                values,
                plan=self.project.plan,
                step_number=program.step_number,
                source_name=display_path(program.path),
                profile=self.settings.profile,
                overridden=self.settings.overridden,
            )
        except WorkbenchError as error:
            raise Preparation(ERROR, str(error)) from None
        return Runnable(
            program.title, program.path, rewritten, program.parameters_expression, program.layout_expression or ""
        )

    def key(self, runnable: Runnable) -> str:
        return runnable.key(self.settings.dataset.sha256)

    def schedule(self, runnable: Runnable, name: str) -> str:
        """Run `runnable` in this batch (once, whoever asks); its content key."""
        key = self.key(runnable)
        if key not in self.scheduled:
            self.scheduled[key] = PlannedRun(key=key, name=name, program=runnable)
        return key

    def schedule_repeat(self, runnable: Runnable, name: str) -> str:
        """An independent second run of `runnable`, for the original's reference when nothing
        is recorded for these settings: two isolated runs that must agree bit for bit."""
        key = f"{self.key(runnable)}:repeat"
        if key not in self.scheduled:
            self.scheduled[key] = PlannedRun(key=key, name=name, program=runnable, repeat=True)
        return key

    def look_up(self, runnable: Runnable) -> RecordedRun | None:
        """A result recorded before this invocation: the golden file, or the run cache."""
        key = self.key(runnable)
        if self.golden is not None and self.golden.key == key:
            return self.golden.recorded
        return self.cache.load(key)

    def expect(self, program: Program, role: str) -> Expected:
        """What `program` (the original or a predecessor) produced or will produce in this batch."""
        try:
            runnable = self.prepare(program)
        except Preparation as failure:
            return Expected(error=f"{program.title}, the {role}, cannot run: {failure.message}")
        key = self.key(runnable)
        name = "the original" if program.step is None else program.title
        if key in self.scheduled:
            return Expected(key=key, name=name)
        recorded = self.look_up(runnable)
        if recorded is not None:
            return Expected(recorded=recorded, name=name)
        return Expected(key=self.schedule(runnable, f"{program.title} ({role})"), name=name)

    def resolve(self, expected: Expected) -> tuple[RecordedRun | None, str | None]:
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
        """Run everything scheduled, `settings.jobs` at a time; successful runs go to the cache."""
        if not self.scheduled:
            return
        started, load_before = now(), load_average()
        self._run_pool(observer)
        self.conditions = MeasurementConditions(
            measured_at=started,
            cpu_count=cpu_count(),
            load_before=load_before,
            load_after=load_average(),
            concurrent_runs=min(self.settings.jobs, len(self.scheduled)),
        )
        self._note_busy_machine(self.conditions)

    def _note_busy_machine(self, conditions: MeasurementConditions) -> None:
        """Timings are wall-clock: say so when other work competed for the CPUs."""
        processors = conditions.cpu_count
        if conditions.overcommitted:
            self.notes.append(
                f"{conditions.concurrent_runs} programs ran at once on {processors} CPUs: they competed for them, so timings are inflated"
            )
        elif conditions.loaded:
            self.notes.append(
                f"the machine was busy while these programs ran (load average {conditions.peak_load:.1f} on {processors} CPUs): "
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
            planned.program,
            self.settings.dataset.path,
            timeout=self.settings.timeout,
            on_line=lambda text, seconds: observer.line(planned, text, seconds),
            registry=registry,
        )
        observer.finished(planned, result)
        return result


@dataclass(frozen=True)
class TargetPlan:
    """One program to check and where its expected results will come from."""

    target: Program
    key: str | None = None
    """The content key of its own live run (None when it cannot run)."""
    failure: Preparation | None = None
    output: Expected | None = None
    parameters: Expected | None = None
    is_reference_itself: bool = False
    """The plan's original: compared with a recorded reference of itself (or a second run)."""
    previous_golden: GoldenFile | None = None


def plan_target(batch: Batch, target: Program) -> TargetPlan:
    """Schedule a program's live run; for the original, find its reference before anything runs."""
    is_reference_itself = target.is_original
    previous_golden = None
    if is_reference_itself and batch.settings.approve and batch.project.golden_directory is not None:
        previous_golden = read_golden(batch.project.golden_directory, batch.settings.profile)
    try:
        runnable = batch.prepare(target)
    except Preparation as failure:
        return TargetPlan(target=target, failure=failure)
    if is_reference_itself:
        # Looked up before anything runs, so the live run is never compared with itself.
        recorded = previous_golden.recorded if previous_golden is not None else batch.look_up(runnable)
        expected = Expected(recorded=recorded, name=target.title) if recorded is not None else None
        key = batch.schedule(runnable, target.title)
        if expected is None and not batch.settings.approve:
            # Nothing recorded for these settings: compute the reference now, as a second
            # isolated run beside the live one (the live run is then cached for next time).
            reference_key = batch.schedule_repeat(runnable, f"{target.title} (reference, computed now)")
            expected = Expected(key=reference_key, name="a reference run of the original")
        return TargetPlan(
            target, key, output=expected, parameters=expected, is_reference_itself=True, previous_golden=previous_golden
        )
    return TargetPlan(target, batch.schedule(runnable, target.title))


def plan_expectations(batch: Batch, plan: TargetPlan) -> TargetPlan:
    """For a step or an attempt: schedule (or look up) the original and the predecessor."""
    if plan.failure is not None or plan.is_reference_itself:
        return plan
    output = batch.expect(original_program(batch.project.plan), "reference")
    predecessor = plan.target.predecessor
    parameters = output if predecessor is None else batch.expect(predecessor, "predecessor")
    return TargetPlan(plan.target, plan.key, output=output, parameters=parameters)
