"""Knobs: the original's module-level numeric constants, set from the command line.

A knob is a name the ORIGINAL binds at module level to a numeric literal (`n_embd = 16`,
`num_steps = 500`, each name of `learning_rate, beta1, beta2, eps_adam = 1e-2, 0.9, 0.95,
1e-8`), plus two the original does not name: `seed`, the argument of the module-level
`random.seed(...)` call, and `num_samples`, the count of the module-level loop that draws
the samples (the last `for ... in range(N)` with a whole-number literal N: `range(20)`).
Knobs are discovered from the original's source with libcst, so the list is never out of
date.

`--set NAME=VALUE` rewrites that literal before a run, in the original and in every
snapshot alike. Names are the original's; for later steps they are translated through the
plan's renames (n_embd is `embedding_dimension` from step 10 on), and a later step's own
name is accepted too and mapped back. libcst keeps the layout, so line numbers stay valid.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from workbench.errors import WorkbenchError
from workbench.plan import Plan
from workbench.syntax import module_body_small_statements, value_bindings

SEED_KNOB = "seed"
"""The knob for the argument of the module-level `random.seed(...)` call."""
SAMPLES_KNOB = "num_samples"
"""The knob for the count of the module-level sampling loop, `for sample_idx in range(20):`."""
UNNAMED_KNOBS = (SEED_KNOB, SAMPLES_KNOB)
"""Knobs that are not names in the program, so no step renames them."""

KnobValue = int | float


@dataclass(frozen=True)
class Knob:
    """One setting of the program: the original's name, its type and its value there."""

    name: str
    kind: type[int] | type[float]
    default: KnobValue

    def describe_kind(self) -> str:
        return "a whole number" if self.kind is int else "a number"


def discover_knobs(original_source: str) -> dict[str, Knob]:
    """The knobs of a program, in the order its source binds them."""
    module = _parse(original_source, "the original")
    knobs: dict[str, Knob] = {}
    for name, literal in _module_literal_bindings(module):
        value = _literal_value(literal)
        if value is not None and name not in knobs:
            knobs[name] = Knob(name=name, kind=type(value), default=value)
    seed_argument = _seed_argument(module)
    if seed_argument is not None:
        seed_value = _literal_value(seed_argument)
        if seed_value is None and isinstance(seed_argument, cst.Name) and seed_argument.value in knobs:
            seed_value = knobs[seed_argument.value].default
        if isinstance(seed_value, int):
            knobs[SEED_KNOB] = Knob(name=SEED_KNOB, kind=int, default=seed_value)
    samples_loop = _samples_loop(module)
    samples_count = _loop_count(samples_loop) if samples_loop is not None else None
    if samples_count is not None and SAMPLES_KNOB not in knobs:
        knobs[SAMPLES_KNOB] = Knob(name=SAMPLES_KNOB, kind=int, default=samples_count)
    return knobs


def has_samples_loop(source: str) -> bool:
    """Whether a program draws its samples in a loop the knob num_samples can set. A learner's
    file may not (a skeleton's stub, a loop over a name): it then runs as written."""
    try:
        return _samples_loop(cst.parse_module(source)) is not None
    except cst.ParserSyntaxError:
        return False


def without_unsettable_samples(source: str, values: Mapping[str, KnobValue]) -> dict[str, KnobValue]:
    """`values` without num_samples when `source` has no loop it could set (see has_samples_loop)."""
    if SAMPLES_KNOB in values and not has_samples_loop(source):
        return {name: value for name, value in values.items() if name != SAMPLES_KNOB}
    return dict(values)


def knob_departures(source: str, knobs: Mapping[str, Knob], *, plan: Plan, step_number: int | None) -> list[str]:
    """'num_steps = 9 (the original: 500)' for each knob the source binds to another value.

    A profile or --set rewrites these literals before a run, so a file that changed one
    (trains 9 steps, draws no samples) would otherwise pass the quick check unnoticed.
    A knob the source does not bind as a literal is not reported here."""
    module = _parse(source, "the file")
    bound = {name: _literal_value(value) for name, value in _module_literal_bindings(module)}
    seed_argument = _seed_argument(module)
    samples_loop = _samples_loop(module)
    departures = []
    for knob in knobs.values():
        if knob.name == SEED_KNOB:
            if seed_argument is None:
                continue
            local_name, value = "random.seed(...)", _literal_value(seed_argument)
            if value is None and isinstance(seed_argument, cst.Name):
                local_name, value = seed_argument.value, bound.get(seed_argument.value)
        elif knob.name == SAMPLES_KNOB:
            local_name = "the samples loop's range(...)"
            value = _loop_count(samples_loop) if samples_loop is not None else None
        else:
            local_name = knob.name if step_number is None else plan.name_at_step(knob.name, step_number)
            value = bound.get(local_name)
        if value is not None and value != knob.default:
            departures.append(f"{local_name} = {value!r} (the original: {knob.default!r})")
    return departures


def parse_assignment(text: str) -> tuple[str, str]:
    """Split a `--set` argument 'NAME=VALUE' into its two halves."""
    name, separator, value = text.partition("=")
    if not separator or not name.strip() or not value.strip():
        raise WorkbenchError(f"--set takes NAME=VALUE, for example --set n_layer=2 (got {text!r})")
    return name.strip(), value.strip()


def knob_value(knob: Knob, given: str | KnobValue) -> KnobValue:
    """Check a value against a knob's type: whole numbers for int knobs, any number for float knobs."""
    number = _parse_number(given) if isinstance(given, str) else given
    if number is None or isinstance(number, bool):
        raise WorkbenchError(f"{knob.name} takes {knob.describe_kind()} (got {given!r})")
    if isinstance(number, float) and not math.isfinite(number):
        raise WorkbenchError(f"{knob.name} takes a finite number (got {given!r})")
    if knob.kind is int:
        if not isinstance(number, int):
            raise WorkbenchError(f"{knob.name} takes a whole number, like {knob.default} (got {given!r})")
        return number
    return float(number)


def canonical_knob_name(name: str, knobs: Mapping[str, Knob], plan: Plan) -> str:
    """The original's name for a knob given by its own or a later step's name."""
    if name in knobs:
        return name
    original_name = plan.original_name_of(name, plan.last_step.number)
    if original_name in knobs:
        return original_name
    valid = ", ".join(knobs)
    raise WorkbenchError(
        f"there is no knob '{name}'; the knobs are {valid} (later steps' names, such as embedding_dimension, work too)"
    )


def resolve_knob_values(
    knobs: Mapping[str, Knob],
    plan: Plan,
    profile: str,
    assignments: Sequence[str],
) -> tuple[dict[str, KnobValue], tuple[str, ...]]:
    """The knob values for a run: the profile's, then each `--set` on top.

    Returns the values by the original's names, and the names given with --set.
    """
    if profile not in plan.profiles:
        raise WorkbenchError(f"there is no profile '{profile}'; the profiles are {', '.join(plan.profiles)}")
    values: dict[str, KnobValue] = {}
    for name, value in plan.profiles[profile].items():
        canonical = canonical_knob_name(name, knobs, plan)
        values[canonical] = knob_value(knobs[canonical], value)
    overridden: list[str] = []
    for assignment in assignments:
        name, text = parse_assignment(assignment)
        canonical = canonical_knob_name(name, knobs, plan)
        values[canonical] = knob_value(knobs[canonical], text)
        if canonical not in overridden:
            overridden.append(canonical)
    return values, tuple(overridden)


def describe_values(values: Mapping[str, KnobValue]) -> str:
    """'num_steps=10, n_layer=2', or 'as written' when nothing is set."""
    return ", ".join(f"{name}={value!r}" for name, value in values.items()) or "as written"


def rewrite_knobs(
    source: str,
    values: Mapping[str, KnobValue],
    *,
    plan: Plan,
    step_number: int | None,
    source_name: str,
    profile: str | None = None,
    overridden: tuple[str, ...] = (),
) -> str:
    """The source with each knob's literal replaced by its value (names as of `step_number`).

    Raises WorkbenchError naming the snapshot and the expected name when a knob is not bound
    to a numeric literal at module level there; when the knob came from `profile` rather than
    from --set (`overridden`), the sentence says that the profile set it.
    """
    if not values:
        return source
    module = _parse(source, source_name)
    original_names: dict[str, str] = {}
    replacements: dict[str, KnobValue] = {}
    for knob_name, value in values.items():
        local_name = (
            knob_name
            if step_number is None or knob_name in UNNAMED_KNOBS
            else plan.name_at_step(knob_name, step_number)
        )
        original_names[local_name] = knob_name
        replacements[local_name] = value
    seed_value = replacements.pop(SEED_KNOB, None)
    if seed_value is not None:
        module, seed_name = _rewrite_seed_call(module, seed_value, source_name)
        if seed_name is not None:
            replacements[seed_name] = seed_value
            original_names.setdefault(seed_name, SEED_KNOB)
    samples_value = replacements.pop(SAMPLES_KNOB, None)
    if samples_value is not None:
        rewritten_module = _rewrite_samples_loop(module, int(samples_value))
        if rewritten_module is None:
            loop = "module-level loop `for ... in range(N)` with a number N drawing the samples"
            if profile is not None and SAMPLES_KNOB not in overridden:
                raise WorkbenchError(
                    f"the {profile} profile sets {SAMPLES_KNOB} to {samples_value!r}, but {source_name} has no {loop} "
                    f"(e.g. `for sample_idx in range(20):`), so the profile cannot set it; write the loop so, "
                    "or use another --profile"
                )
            raise WorkbenchError(f"{source_name} has no {loop}, so the knob {SAMPLES_KNOB} cannot be set there")
        module = rewritten_module
    rewriter = _ModuleLiteralRewriter(replacements)
    module = module.with_changes(body=[rewriter.statement(statement) for statement in module.body])
    for local_name in replacements:
        if local_name not in rewriter.rewritten:
            original_name = original_names[local_name]
            also = "" if original_name == local_name else f" (the knob {original_name})"
            if profile is not None and original_name not in overridden:
                raise WorkbenchError(
                    f"the {profile} profile sets {original_name} to {values[original_name]!r}, but {source_name} does not bind "
                    f"{local_name} to a number at module level (e.g. `{local_name} = {values[original_name]!r}`), so the "
                    f"profile cannot set it; bind it there, or use another --profile"
                )
            raise WorkbenchError(
                f"{source_name} does not bind {local_name}{also} to a number at module level, so it cannot be set there"
            )
    return module.code


# --- reading the module --------------------------------------------------------------


def _parse(source: str, source_name: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise WorkbenchError(f"{source_name} cannot be parsed at line {error.raw_line}: {error.message}") from None


def _module_literal_bindings(module: cst.Module) -> Iterator[tuple[str, cst.BaseExpression]]:
    """(name, value) for each module-level binding of a name to a numeric literal."""
    for small in module_body_small_statements(module):
        for name, value in value_bindings(small):
            if _literal_value(value) is not None:
                yield name, value


def _literal_value(node: cst.BaseExpression) -> KnobValue | None:
    """The number a literal spells (`16`, `1e-2`, `-0.5`), or None for anything else."""
    if isinstance(node, cst.Integer | cst.Float):
        return node.evaluated_value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus | cst.Plus):
        inner = _literal_value(node.expression)
        if inner is None:
            return None
        return -inner if isinstance(node.operator, cst.Minus) else inner
    return None


def _is_seed_call(small: cst.BaseSmallStatement) -> bool:
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    function = call.func
    return (
        isinstance(function, cst.Attribute)
        and isinstance(function.value, cst.Name)
        and function.value.value == "random"
        and function.attr.value == "seed"
        and len(call.args) == 1
        and call.args[0].keyword is None
        and not call.args[0].star
    )


def _samples_loop(module: cst.Module) -> cst.For | None:
    """The last module-level `for ... in range(N)` with a whole-number literal N: the samples."""
    loops = [
        statement
        for statement in module.body
        if isinstance(statement, cst.For) and _loop_count(statement) is not None and statement.orelse is None
    ]
    return loops[-1] if loops else None


def _loop_count(loop: cst.For) -> int | None:
    iterator = loop.iter
    if not (
        isinstance(iterator, cst.Call)
        and isinstance(iterator.func, cst.Name)
        and iterator.func.value == "range"
        and len(iterator.args) == 1
        and iterator.args[0].keyword is None
        and not iterator.args[0].star
        and isinstance(iterator.args[0].value, cst.Integer)
    ):
        return None
    count = iterator.args[0].value.evaluated_value
    return count if isinstance(count, int) else None


def _seed_argument(module: cst.Module) -> cst.BaseExpression | None:
    for small in module_body_small_statements(module):
        if _is_seed_call(small):
            assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
            return small.value.args[0].value
    return None


# --- rewriting ---------------------------------------------------------------------


def _literal_node(value: KnobValue) -> cst.BaseExpression:
    return cst.parse_expression(repr(value))


def _rewrite_seed_call(module: cst.Module, value: KnobValue, source_name: str) -> tuple[cst.Module, str | None]:
    """Set the literal argument of `random.seed(...)`, or return the name it passes instead."""
    for statement_index, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small_index, small in enumerate(statement.body):
            if not _is_seed_call(small):
                continue
            assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
            argument = small.value.args[0]
            if isinstance(argument.value, cst.Name):
                return module, argument.value.value
            if _literal_value(argument.value) is None:
                break
            new_call = small.value.with_changes(args=[argument.with_changes(value=_literal_node(value))])
            new_small = small.with_changes(value=new_call)
            new_statement = statement.with_changes(
                body=[*statement.body[:small_index], new_small, *statement.body[small_index + 1 :]]
            )
            return module.with_changes(
                body=[*module.body[:statement_index], new_statement, *module.body[statement_index + 1 :]]
            ), None
    raise WorkbenchError(
        f"{source_name} does not call random.seed(...) with a number or a name at module level, so the knob seed cannot be set there"
    )


def _rewrite_samples_loop(module: cst.Module, count: int) -> cst.Module | None:
    """Set the count of the sampling loop (see `_samples_loop`); None when there is none."""
    loop = _samples_loop(module)
    if loop is None:
        return None
    iterator = loop.iter
    assert isinstance(iterator, cst.Call)
    argument = iterator.args[0]
    new_loop = loop.with_changes(
        iter=iterator.with_changes(args=[argument.with_changes(value=cst.Integer(str(count)))])
    )
    return module.with_changes(body=[new_loop if statement is loop else statement for statement in module.body])


class _ModuleLiteralRewriter:
    """Replaces the literals bound to given names by module-level statements."""

    def __init__(self, replacements: Mapping[str, KnobValue]) -> None:
        self.replacements = replacements
        self.rewritten: set[str] = set()

    def statement(self, statement: cst.BaseStatement) -> cst.BaseStatement:
        if not isinstance(statement, cst.SimpleStatementLine):
            return statement
        return statement.with_changes(body=[self._small(small) for small in statement.body])

    def _small(self, small: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
        if isinstance(small, cst.AnnAssign) and small.value is not None:
            return small.with_changes(value=self._replace_if_bound(small.target, small.value))
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return small
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return small.with_changes(value=self._replace_if_bound(target, small.value))
        if (
            isinstance(target, cst.Tuple | cst.List)
            and isinstance(small.value, cst.Tuple | cst.List)
            and len(target.elements) == len(small.value.elements)
        ):
            elements = [
                value_element.with_changes(value=self._replace_if_bound(target_element.value, value_element.value))
                for target_element, value_element in zip(target.elements, small.value.elements)
            ]
            return small.with_changes(value=small.value.with_changes(elements=elements))
        return small

    def _replace_if_bound(self, target: cst.BaseExpression, value: cst.BaseExpression) -> cst.BaseExpression:
        if not isinstance(target, cst.Name) or target.value not in self.replacements or _literal_value(value) is None:
            return value
        self.rewritten.add(target.value)
        replacement = _literal_node(self.replacements[target.value])
        return replacement.with_changes(lpar=value.lpar, rpar=value.rpar)


def _parse_number(text: str) -> KnobValue | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None
