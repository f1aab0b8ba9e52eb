"""The revised plan as data: load plans/revised_plan.toml, validate it, and answer questions.

Every tool reads the plan through `load_plan()`, and the plan is validated there, once:
every later reader can trust it. A malformed plan raises PlanError with a message that
names the TOML key, e.g.
"plans/revised_plan.toml: step 7: field 'level' must be one of bit, print (got 'exact')"
or "plans/revised_plan.toml: [lint] zero_from: unknown rule 'no-lambdas'".

Paths in the plan (`[original] path`, `steps_directory`, `predecessor_plan`) are relative
to the project root the plan is loaded for; an absolute path is taken as it is.

A plan may continue another: `predecessor_plan` names the plan file and `predecessor_step`
the step of it that comes before this plan's first step. Its steps are then numbered on
from there (12, 13, ... after step 11), its knob names start as that step's, and the
claims of the predecessor plan are carried into it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.contracts import CarriedClaim, ContractItem, Retirement, claims_at, parse_contract_item, parse_retirement
from workbench.errors import PlanError
from workbench.lint_rule_names import LINT_RULE_NAMES
from workbench.paths import DEFAULT_PLAN, display_path

BIT = "bit"
PRINT = "print"
LEVELS: tuple[str, ...] = (BIT, PRINT)
"""Equivalence levels: `bit` = final parameters bit-identical to the predecessor and output
identical to the original; `print` = output identical, parameters may drift."""

DEFAULT_STEPS_DIRECTORY = "steps"
"""Where a plan's step files live when it has no `steps_directory` key."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class ReviewerNote:
    reviewer: str
    note: str


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    phase: str
    commit: str
    what: str
    why: str
    reviewers: tuple[ReviewerNote, ...]
    level: str
    parameters: str
    equivalence: str
    renames: dict[str, str] = field(default_factory=dict)
    contract: tuple[ContractItem, ...] = ()
    retires: tuple[Retirement, ...] = ()
    """Claims of earlier steps that this step deliberately ends (see workbench.contracts)."""
    layout: str | None = None
    refinement: str | None = None
    minutes: int | None = None
    """Workshop: the estimated minutes a learner needs for the step."""
    facilitator_notes: str | None = None
    """Workshop: what a facilitator should watch for at this step."""

    @property
    def label(self) -> str:
        """Two digits, as in file names and on the command line: '07'."""
        return f"{self.number:02d}"

    @property
    def file_name(self) -> str:
        return f"{self.label}_{self.slug}.py"


@dataclass(frozen=True)
class Plan:
    title: str
    original_path: Path
    original_parameters: str
    original_layout: str | None
    """Expression for the original's parameter layout [(matrix, rows, columns), ...] (messages only)."""
    step_layout: str | None
    """The same for every step of the plan."""
    steps: tuple[Step, ...]
    profiles: dict[str, dict[str, int | float]]
    lint_zero_from: dict[str, int]
    lint_deferred: tuple[str, ...]
    source_file: Path
    steps_directory: Path
    """Where the step files `NN_slug.py` live (the plan's `steps_directory`, default steps/)."""
    root: Path
    """The project root the plan's relative paths were resolved against."""
    predecessor_plan: Plan | None = None
    """The plan this one continues (`predecessor_plan`), or None for a plan that starts from the original."""
    predecessor_step: Step | None = None
    """The step of `predecessor_plan` before this plan's first step (`predecessor_step`)."""

    def step_path(self, step: Step) -> Path:
        """The file of one step of this plan (it may not exist yet)."""
        return self.steps_directory / step.file_name

    def snapshot_path(self, number: int) -> Path:
        """The file of step `number` of this plan or of a plan it continues (step 03's is
        steps/03_introduce_tape.py for the beyond plan too)."""
        if any(candidate.number == number for candidate in self.steps) or self.predecessor_plan is None:
            return self.step_path(self.step(number))
        return self.predecessor_plan.snapshot_path(number)

    @property
    def last_step(self) -> Step:
        return self.steps[-1]

    def step(self, number: int) -> Step:
        for candidate in self.steps:
            if candidate.number == number:
                return candidate
        valid = ", ".join(candidate.label for candidate in self.steps)
        raise PlanError(f"there is no step {number} in the plan; valid steps are {valid}")

    def predecessor(self, number: int) -> Step | None:
        """The step of this plan before `number`, or None for its first step (whose predecessor
        is the original, or `predecessor_step` of `predecessor_plan` for a plan that continues one)."""
        index = self.steps.index(self.step(number))
        return self.steps[index - 1] if index > 0 else None

    def mandatory_rules(self, number: int) -> tuple[str, ...]:
        """The lint rules that must report nothing at step `number` (`[lint] zero_from` at or
        before it), in alphabetical order."""
        return tuple(sorted(rule for rule, first in self.lint_zero_from.items() if first <= number))

    def claims_at(self, number: int) -> list[CarriedClaim]:
        """Every structural claim that applies at step `number`: its own contract, then the
        claims of earlier steps carried forward through renames and retirements."""
        return claims_at(self.history, number)

    @property
    def history(self) -> tuple[Step, ...]:
        """Every step from the original's successor on: the predecessor plans' steps up to
        `predecessor_step`, then this plan's."""
        if self.predecessor_plan is None or self.predecessor_step is None:
            return self.steps
        earlier = tuple(step for step in self.predecessor_plan.history if step.number <= self.predecessor_step.number)
        return earlier + self.steps

    def name_at_step(self, original_name: str, number: int) -> str:
        """Follow the renames of steps 1..number, through the predecessor plan's first:
        'n_embd' at step 10 -> 'embedding_dimension'."""
        name = original_name
        for candidate in self.history:
            if candidate.number > number:
                break
            name = candidate.renames.get(name, name)
        return name

    def original_name_of(self, name: str, number: int) -> str:
        """Undo the renames up to step `number` (the predecessor plan's included): the
        original's name for a later name, if any."""
        for candidate in reversed(self.history):
            if candidate.number > number:
                continue
            for old, new in candidate.renames.items():
                if new == name:
                    name = old
                    break
        return name


def load_plan(path: Path | None = None, *, root: Path) -> Plan:
    """Read and validate a plan (default: the project's own) for the project at `root`, with
    the plans it continues. Raises PlanError naming the key on any problem."""
    plan_path = path if path is not None else root / DEFAULT_PLAN
    return _load_plan_file(plan_path, root, ())


def _load_plan_file(plan_path: Path, project_root: Path, continued_by: tuple[Path, ...]) -> Plan:
    where = display_path(plan_path, project_root)
    try:
        raw = tomllib.loads(plan_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"the plan file {where} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise PlanError(f"{where} is not valid TOML: {error}") from None
    continued_by = (*continued_by, plan_path.resolve())
    predecessor_plan, predecessor_step = _parse_predecessor(raw, where, project_root, continued_by)
    return _parse_plan(raw, plan_path, where, project_root, predecessor_plan, predecessor_step)


def _parse_predecessor(
    raw: dict[str, Any], where: str, root: Path, continued_by: tuple[Path, ...]
) -> tuple[Plan | None, Step | None]:
    """The plan this one continues and the step it continues from; (None, None) for neither key."""
    if "predecessor_plan" not in raw and "predecessor_step" not in raw:
        return None, None
    for key in ("predecessor_plan", "predecessor_step"):
        if key not in raw:
            other = "predecessor_step" if key == "predecessor_plan" else "predecessor_plan"
            raise PlanError(
                f"{where}: the field '{key}' is missing: a plan with '{other}' continues another plan and needs both"
            )
    plan_file = raw["predecessor_plan"]
    if not isinstance(plan_file, str) or not plan_file.strip():
        raise PlanError(
            f"{where}: field 'predecessor_plan' must be text: the plan file this plan continues, relative to the project root"
        )
    number = raw["predecessor_step"]
    if isinstance(number, bool) or not isinstance(number, int):
        raise PlanError(
            f"{where}: field 'predecessor_step' must be an integer: the step of the predecessor plan this plan continues from (got {number!r})"
        )
    predecessor_path = root / plan_file
    if predecessor_path.resolve() in continued_by:
        raise PlanError(
            f"{where}: field 'predecessor_plan': {plan_file} continues this plan itself (a plan cannot continue itself, even through another)"
        )
    try:
        predecessor = _load_plan_file(predecessor_path, root, continued_by)
    except PlanError as error:
        raise PlanError(f"{where}: field 'predecessor_plan': {error}") from None
    numbers = [step.number for step in predecessor.steps]
    if number not in numbers:
        raise PlanError(
            f"{where}: field 'predecessor_step' is {number}, but {plan_file} has steps {numbers[0]} to {numbers[-1]}"
        )
    return predecessor, predecessor.step(number)


def _parse_plan(
    raw: dict[str, Any],
    plan_path: Path,
    where: str,
    root: Path,
    predecessor_plan: Plan | None = None,
    predecessor_step: Step | None = None,
) -> Plan:
    title = _require(raw, "title", str, where)
    original = _require(raw, "original", dict, where)
    original_path = root / _require(original, "path", str, f"{where}: [original]")
    steps_folder = raw.get("steps_directory", DEFAULT_STEPS_DIRECTORY)
    if not isinstance(steps_folder, str) or not steps_folder.strip():
        raise PlanError(
            f"{where}: field 'steps_directory' must be text: the folder of the step files, relative to the project root"
        )
    steps_directory = root / steps_folder
    original_parameters = _require(original, "parameters", str, f"{where}: [original]")
    _check_expression(original_parameters, f"{where}: [original]: field 'parameters'")
    original_layout = _optional_expression(original, "parameter_layout", f"{where}: [original]")
    step_layout = _optional_expression(raw, "parameter_layout", where)

    profiles_raw = _require(raw, "profiles", dict, where)
    profiles: dict[str, dict[str, int | float]] = {}
    for profile_name, settings in profiles_raw.items():
        if not isinstance(settings, dict):
            raise PlanError(f"{where}: profile '{profile_name}' must be a table of NAME = number")
        for knob, value in settings.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PlanError(f"{where}: profile '{profile_name}': '{knob}' must be a number (got {value!r})")
        profiles[profile_name] = dict(settings)
    for required_profile in ("full", "quick"):
        if required_profile not in profiles:
            raise PlanError(f"{where}: the profile '{required_profile}' is missing from [profiles]")

    lint = _require(raw, "lint", dict, where)
    zero_from_raw = _require(lint, "zero_from", dict, f"{where}: [lint]")
    deferred_raw = _require(lint, "deferred", list, f"{where}: [lint]")

    steps_raw = _require(raw, "steps", list, where)
    if not steps_raw:
        raise PlanError(f"{where}: the plan has no [[steps]]")
    steps: list[Step] = []
    for position, step_raw in enumerate(steps_raw, start=1):
        if not isinstance(step_raw, dict):
            raise PlanError(f"{where}: entry {position} of [[steps]] is not a table")
        steps.append(_parse_step(step_raw, position, where))

    first = 1 if predecessor_step is None else predecessor_step.number + 1
    numbers = [step.number for step in steps]
    if numbers != list(range(first, first + len(steps))):
        after = "" if predecessor_step is None else f" (one after 'predecessor_step' = {predecessor_step.number})"
        raise PlanError(
            f"{where}: [[steps]] field 'number': steps must be numbered {first}, {first + 1}, {first + 2}, ... in order{after} (found {numbers})"
        )
    slugs = [step.slug for step in steps]
    if len(set(slugs)) != len(slugs):
        raise PlanError(f"{where}: two steps share a slug ({slugs})")

    problem = lint_schedule_problem(zero_from_raw, deferred_raw, steps[-1].number, first_step=first)
    if problem is not None:
        raise PlanError(f"{where}: [lint] {problem}")
    earlier: tuple[Step, ...] = ()
    if predecessor_plan is not None and predecessor_step is not None:
        earlier = tuple(step for step in predecessor_plan.history if step.number <= predecessor_step.number)
    try:
        claims_at((*earlier, *steps), steps[-1].number)  # every retirement must end a claim that exists
    except PlanError as error:
        raise PlanError(f"{where}: {error}") from None

    return Plan(
        title=title,
        original_path=original_path,
        original_parameters=original_parameters,
        original_layout=original_layout,
        step_layout=step_layout,
        steps=tuple(steps),
        profiles=profiles,
        lint_zero_from=dict(zero_from_raw),
        lint_deferred=tuple(deferred_raw),
        source_file=plan_path,
        steps_directory=steps_directory,
        root=root,
        predecessor_plan=predecessor_plan,
        predecessor_step=predecessor_step,
    )


def lint_schedule_problem(zero_from: Any, deferred: Any, number_of_steps: int, *, first_step: int = 1) -> str | None:
    """What is wrong with a lint schedule (the plan's `[lint]` table), in one sentence naming
    the key, or None. Steps are numbered `first_step` to `number_of_steps` (the last step's
    number). The plan loader and the gate's own policies share this one check."""
    if not isinstance(zero_from, dict):
        return "field 'zero_from' must be a table of rule-name = step"
    if not isinstance(deferred, list | tuple | set | frozenset):
        return "field 'deferred' must be a list of rule names"
    unknown = sorted(name for name in (*zero_from, *deferred) if name not in LINT_RULE_NAMES)
    if unknown:
        listed = ", ".join(f"'{name}'" for name in unknown)
        return f"zero_from/deferred: unknown rule{'s' if len(unknown) > 1 else ''} {listed}; the rules are: {', '.join(sorted(LINT_RULE_NAMES))}"
    for rule, number in zero_from.items():
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not first_step <= number <= max(number_of_steps, first_step)
        ):
            return f"zero_from: rule '{rule}' is step {number!r}, but the steps are numbered {first_step} to {number_of_steps}"
    for rule in deferred:
        if rule not in zero_from:
            return f"deferred: '{rule}' is deferred but has no zero_from step that ends the deferral"
    return None


def _parse_step(raw: dict[str, Any], position: int, where: str) -> Step:
    number = raw.get("number")
    context = f"{where}: step {number}" if isinstance(number, int) else f"{where}: step entry {position}"
    known_fields = {
        "number",
        "slug",
        "phase",
        "commit",
        "what",
        "why",
        "reviewers",
        "level",
        "parameters",
        "equivalence",
        "renames",
        "contract",
        "retires",
        "layout",
        "refinement",
        "minutes",
        "facilitator_notes",
    }
    for key in raw:
        if key not in known_fields:
            raise PlanError(f"{context}: unknown field '{key}' (known fields: {', '.join(sorted(known_fields))})")
    number = _require(raw, "number", int, context)
    slug = _require(raw, "slug", str, context)
    if not _SLUG.match(slug):
        raise PlanError(f"{context}: field 'slug' must be lowercase words joined by underscores (got {slug!r})")
    commit = _require(raw, "commit", str, context).strip()
    if "\n" in commit or not commit:
        raise PlanError(f"{context}: field 'commit' must be one non-empty line")
    if commit.endswith("."):
        raise PlanError(f"{context}: field 'commit' is a commit subject: no final full stop")
    level = _require(raw, "level", str, context)
    if level not in LEVELS:
        raise PlanError(f"{context}: field 'level' must be one of {', '.join(LEVELS)} (got {level!r})")
    parameters = _require(raw, "parameters", str, context)
    _check_expression(parameters, f"{context}: field 'parameters'")

    reviewers_raw = _require(raw, "reviewers", list, context)
    reviewers: list[ReviewerNote] = []
    for entry in reviewers_raw:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("reviewer"), str)
            or not isinstance(entry.get("note"), str)
        ):
            raise PlanError(f'{context}: field \'reviewers\' must be a list of {{ reviewer = "...", note = "..." }}')
        reviewers.append(ReviewerNote(entry["reviewer"], entry["note"]))

    renames_raw = raw.get("renames", {})
    if not isinstance(renames_raw, dict):
        raise PlanError(f"{context}: field 'renames' must be a table of old_name = \"new_name\"")
    for old, new in renames_raw.items():
        if not isinstance(new, str) or not _IDENTIFIER.match(old) or not _IDENTIFIER.match(new):
            raise PlanError(f"{context}: field 'renames': '{old}' = {new!r} is not a rename between two identifiers")

    contract_raw = raw.get("contract", [])
    if not isinstance(contract_raw, list):
        raise PlanError(f"{context}: field 'contract' must be a list of {{ check = \"...\", ... }}")
    contract = tuple(
        parse_contract_item(item, f"{context}: contract item {index}")
        for index, item in enumerate(contract_raw, start=1)
    )

    retires_raw = raw.get("retires", [])
    if not isinstance(retires_raw, list):
        raise PlanError(f"{context}: field 'retires' must be a list of {{ step = N, check = \"...\" }}")
    retires = tuple(
        parse_retirement(item, f"{context}: retires item {index}") for index, item in enumerate(retires_raw, start=1)
    )
    for retirement in retires:
        if not isinstance(number, int) or retirement.step >= number:
            raise PlanError(
                f"{context}: field 'retires' can only end claims of earlier steps (got step {retirement.step})"
            )

    layout = raw.get("layout")
    refinement = raw.get("refinement")
    for optional_name, optional_value in (("layout", layout), ("refinement", refinement)):
        if optional_value is not None and not isinstance(optional_value, str):
            raise PlanError(f"{context}: field '{optional_name}' must be text")
    minutes = raw.get("minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1):
        raise PlanError(f"{context}: field 'minutes' must be a whole number of minutes, at least 1 (got {minutes!r})")
    facilitator_notes = raw.get("facilitator_notes")
    if facilitator_notes is not None and (not isinstance(facilitator_notes, str) or not facilitator_notes.strip()):
        raise PlanError(f"{context}: field 'facilitator_notes' must be non-empty text")

    return Step(
        number=number,
        slug=slug,
        phase=_require(raw, "phase", str, context),
        commit=commit,
        what=_paragraph(_require(raw, "what", str, context)),
        why=_paragraph(_require(raw, "why", str, context)),
        reviewers=tuple(reviewers),
        level=level,
        parameters=parameters,
        equivalence=_paragraph(_require(raw, "equivalence", str, context)),
        renames=dict(renames_raw),
        contract=contract,
        retires=retires,
        layout=layout.strip() if isinstance(layout, str) else None,
        refinement=_paragraph(refinement) if isinstance(refinement, str) else None,
        minutes=minutes,
        facilitator_notes=_paragraph(facilitator_notes) if isinstance(facilitator_notes, str) else None,
    )


def _require(table: dict[str, Any], key: str, kind: type, context: str) -> Any:
    if key not in table:
        raise PlanError(f"{context}: the field '{key}' is missing")
    value = table[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise PlanError(f"{context}: field '{key}' must be {_KIND_NAMES.get(kind, kind.__name__)} (got {value!r})")
    return value


_KIND_NAMES = {str: "text", int: "an integer", dict: "a table", list: "a list"}


def _check_expression(expression: str, context: str) -> None:
    try:
        compile(expression, "<plan>", "eval")
    except SyntaxError as error:
        raise PlanError(f"{context}: {expression!r} is not a Python expression ({error.msg})") from None


def _optional_expression(table: dict[str, Any], key: str, context: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PlanError(f"{context}: field '{key}' must be a Python expression, as text")
    _check_expression(value, f"{context}: field '{key}'")
    return value


def _paragraph(text: str) -> str:
    """Join the lines of a TOML multi-line string into paragraphs (blank lines separate them)."""
    paragraphs = [
        " ".join(line.strip() for line in block.splitlines() if line.strip()) for block in text.strip().split("\n\n")
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
