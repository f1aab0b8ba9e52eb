"""The learner's workspace and its state file.

The workspace is `workspace/` at the project root (gitignored), or the directory given
with `--workspace DIR` or the environment variable MICROGPT_WORKSPACE. The workshop never
writes anywhere else (the runner keeps its own cache of reference runs in `.cache/`).

    workspace/
      NN_slug.py          the learner's file for step NN
      workshop.json       the state file (below)
      report.json         the report for the facilitator (see workbench.workshop.report)
      .start/NN.py        each step's starting file, for `reset`
      .backup/            the learner's files as they were before a `reset`, timestamped
      .cache/checks/      check outcomes by content, so an unchanged file is not rerun

State file `workshop.json`, schema version 1 (JSON, one object):

    schema        "microgpt-workshop-state"
    version       1
    learner       the learner's name (start --name; default: the login name)
    current_step  the step the learner works on (int), or null before the first start
    steps         { "07": StepState, ... } for every step ever started

    StepState:
      file               the learner's file name inside the workspace
      origin             where the starting file came from: "your step 06", "reference step 06",
                         "the original", "skeleton of step 07"
      started_at         ISO 8601 UTC time of the start
      hints_used         how many levels of the hint ladder were shown (0..8)
      passed_at          when a check first passed (null until then)
      proved_at          when the proof first held (null until then)
      passed_sha256      sha256 of the file content that last passed (null until then)
      proved_sha256      sha256 of the file content that last proved (null until then)
      final_parameters_sha256  of the passing quick check's final parameters (null if unknown)
      last_check         the last CheckOutcome as a record (workbench.workshop.checking), or null
      claims_failed      every claim name a check of this step has found failing (optional;
                         absent in state files written before it: an empty list)

A step's status follows from these: "proved" when the current file is the one that
proved, "passes" when it is the one that passed, otherwise "in progress" (and "not
started" for a step with no entry). A state file of another schema or version, or one
that is not valid JSON, stops the workshop with one sentence saying so; it is never
overwritten silently.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shlex
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import write_text_atomically

WORKSPACE_ENVIRONMENT_VARIABLE = "MICROGPT_WORKSPACE"
STATE_SCHEMA = "microgpt-workshop-state"
STATE_VERSION = 1
STATE_FILE = "workshop.json"

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
PASSES = "passes"
PROVED = "proved"


class WorkshopError(WorkbenchError):
    """Unusable input for the workshop: one sentence, exit status 2."""


@dataclass
class StepState:
    file: str
    origin: str
    started_at: str
    hints_used: int = 0
    passed_at: str | None = None
    proved_at: str | None = None
    passed_sha256: str | None = None
    proved_sha256: str | None = None
    final_parameters_sha256: str | None = None
    last_check: dict[str, Any] | None = None
    claims_failed: list[str] = field(default_factory=list)
    """Every claim a check of this step has found failing, in the order first seen."""


@dataclass
class State:
    learner: str
    current_step: int | None = None
    steps: dict[int, StepState] = field(default_factory=dict)


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


DEFAULT_COMMAND = "python tools/workshop.py"


class Workspace:
    """One learner's workspace directory and its state."""

    def __init__(self, directory: Path, command: str = DEFAULT_COMMAND) -> None:
        self.directory = directory
        self.command = command
        """How the learner calls the workshop for this workspace, for the commands it suggests."""

    @property
    def state_path(self) -> Path:
        return self.directory / STATE_FILE

    @property
    def report_path(self) -> Path:
        return self.directory / "report.json"

    @property
    def backup_directory(self) -> Path:
        return self.directory / ".backup"

    @property
    def check_cache(self) -> Path:
        return self.directory / ".cache" / "checks"

    def start_copy(self, step: int) -> Path:
        return self.directory / ".start" / f"{step:02d}.py"

    def exists(self) -> bool:
        return self.state_path.is_file()

    def file_of(self, state: State, step: int) -> Path:
        return self.directory / state.steps[step].file

    # --- state file ---------------------------------------------------------------

    def load(self) -> State:
        if not self.state_path.is_file():
            raise WorkshopError(f"there is no workshop in {self.directory} yet: begin with `{self.command} start 01`")
        try:
            raw = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise WorkshopError(
                f"the state file {self.state_path} cannot be read ({error}); move it away to start afresh"
            ) from None
        return _parse_state(raw, self.state_path)

    def save(self, state: State) -> None:
        record = {
            "schema": STATE_SCHEMA,
            "version": STATE_VERSION,
            "learner": state.learner,
            "current_step": state.current_step,
            "steps": {f"{number:02d}": vars(step_state) for number, step_state in sorted(state.steps.items())},
        }
        write_text_atomically(self.state_path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")

    def new_state(self, learner: str | None) -> State:
        return State(learner=learner or _login_name())

    # --- files ----------------------------------------------------------------------

    def backup(self, path: Path) -> Path | None:
        """Keep a copy of the learner's file in .backup/ (never overwriting an older copy)."""
        if not path.is_file():
            return None
        self.backup_directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.backup_directory / f"{path.stem}.{stamp}{path.suffix}"
        shutil.copy2(path, target)
        return target


def resolve_workspace(option: Path | None, project_root: Path, *, plan_option: Path | None = None) -> Workspace:
    """--workspace DIR, else $MICROGPT_WORKSPACE, else workspace/ in the project at
    `project_root`. The commands it suggests carry --workspace and --plan when they were given."""
    if option is not None:
        directory = option
    elif os.environ.get(WORKSPACE_ENVIRONMENT_VARIABLE):
        directory = Path(os.environ[WORKSPACE_ENVIRONMENT_VARIABLE])
    else:
        directory = project_root / "workspace"
    directory = directory.expanduser().resolve()
    if directory.exists() and not directory.is_dir():
        raise WorkshopError(f"the workspace {directory} is a file, not a directory")
    steps_directory = (project_root / "steps").resolve()
    if (
        directory == project_root.resolve()
        or directory == steps_directory
        or steps_directory in directory.parents
        or directory in steps_directory.parents
    ):
        raise WorkshopError(f"the workspace cannot be {directory}: it must be a directory of its own, outside steps/")
    command = DEFAULT_COMMAND if option is None else f"{DEFAULT_COMMAND} --workspace {shlex.quote(str(option))}"
    if plan_option is not None:
        command += f" --plan {shlex.quote(str(plan_option))}"
    return Workspace(directory, command)


def status_of(workspace: Workspace, state: State, step: int) -> str:
    """not started | in progress | passes | proved, for the learner's current file."""
    step_state = state.steps.get(step)
    if step_state is None:
        return NOT_STARTED
    path = workspace.directory / step_state.file
    try:
        digest = sha256_of(path.read_bytes())
    except OSError:
        return IN_PROGRESS
    if step_state.proved_sha256 == digest:
        return PROVED
    if step_state.passed_sha256 == digest:
        return PASSES
    return IN_PROGRESS


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name: on Windows without USERNAME, getpass wants `pwd`
        return "learner"


def _parse_state(raw: Any, path: Path) -> State:
    def bad(reason: str) -> WorkshopError:
        return WorkshopError(
            f"the state file {path} is not one this workshop can read ({reason}); move it away to start afresh"
        )

    if not isinstance(raw, dict) or raw.get("schema") != STATE_SCHEMA:
        raise bad("not a workshop state file")
    if raw.get("version") != STATE_VERSION:
        raise bad(f"schema version {raw.get('version')!r}, this workshop reads version {STATE_VERSION}")
    learner, current, steps_raw = raw.get("learner"), raw.get("current_step"), raw.get("steps")
    if (
        not isinstance(learner, str)
        or not (current is None or isinstance(current, int))
        or not isinstance(steps_raw, dict)
    ):
        raise bad("wrong types")
    steps: dict[int, StepState] = {}
    for label, entry in steps_raw.items():
        if not isinstance(label, str) or not label.isdigit() or not isinstance(entry, dict):
            raise bad(f"step entry {label!r}")
        try:
            step_state = StepState(**entry)
        except TypeError:
            raise bad(f"step {label} has unknown or missing fields") from None
        failed = step_state.claims_failed
        if not isinstance(failed, list) or not all(isinstance(name, str) for name in failed):
            raise bad(f"step {label} has claims_failed that are not a list of claim names")
        if (
            not isinstance(step_state.file, str)
            or "/" in step_state.file
            or "\\" in step_state.file
            or not isinstance(step_state.hints_used, int)
        ):
            raise bad(f"step {label} has wrong types")
        steps[int(label)] = step_state
    return State(learner=learner, current_step=current, steps=steps)
