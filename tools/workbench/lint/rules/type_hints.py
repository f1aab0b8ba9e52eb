"""DOD300 type-hints: annotated signatures and annotated major bindings."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.metadata import GlobalScope

from workbench.lint.expressions import called_names, container_kind, empty_container_kind
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext


def _all_params(parameters: cst.Parameters) -> list[cst.Param]:
    params = [*parameters.posonly_params, *parameters.params]
    if isinstance(parameters.star_arg, cst.Param):
        params.append(parameters.star_arg)
    params.extend(parameters.kwonly_params)
    if parameters.star_kwarg is not None:
        params.append(parameters.star_kwarg)
    return params


def _is_method(context: SourceContext, function: cst.FunctionDef) -> bool:
    body = context.parent(function)
    return body is not None and isinstance(context.parent(body), cst.ClassDef)


def _signature_findings(context: SourceContext) -> Iterator[Finding]:
    for function in context.nodes_of(cst.FunctionDef):
        assert isinstance(function, cst.FunctionDef)
        label = context.function_label(function)
        method = _is_method(context, function)
        for position, param in enumerate(_all_params(function.params)):
            if param.annotation is not None:
                continue
            if method and position == 0 and param.name.value in ("self", "cls"):
                continue
            yield Finding(param.name, f"parameter '{param.name.value}' of {label} has no type hint")
        if function.returns is None:
            yield Finding(function.name, f"{label} has no return type: annotate it (-> None when it returns nothing)")


def _type_guess(value: cst.BaseExpression, context: SourceContext) -> str:
    if isinstance(value, cst.Dict | cst.DictComp):
        return "dict[..., ...]"
    if isinstance(value, cst.Set | cst.SetComp):
        return "set[...]"
    if isinstance(value, cst.Tuple):
        return "tuple[...]"
    if isinstance(value, cst.Call):
        for name in sorted(called_names(value, context)):
            short = name.rpartition(".")[2]
            if short in ("dict", "defaultdict", "Counter", "OrderedDict"):
                return f"{'dict' if short == 'dict' else short}[..., ...]"
            if short in ("set", "frozenset", "tuple", "deque"):
                return f"{short}[...]"
    return "list[...]"


def _major_binding_findings(context: SourceContext) -> Iterator[Finding]:
    annotated: set[tuple[int, str]] = set()
    for statement in context.nodes_of(cst.AnnAssign):
        assert isinstance(statement, cst.AnnAssign)
        if isinstance(statement.target, cst.Name):
            annotated.add((id(context.scope(statement)), statement.target.value))
    for statement in context.nodes_of(cst.Assign):
        assert isinstance(statement, cst.Assign)
        if len(statement.targets) != 1 or not isinstance(statement.targets[0].target, cst.Name):
            continue  # unpacking, chained targets, attributes and subscripts cannot be annotated here
        target = statement.targets[0].target
        scope = context.scope(statement)
        if (id(scope), target.value) in annotated:
            continue
        kind = empty_container_kind(statement.value, context)
        if kind is None and isinstance(scope, GlobalScope):
            kind = container_kind(statement.value, context)
        if kind is None:
            continue
        where = "module-level " if isinstance(scope, GlobalScope) else ""
        yield Finding(
            target,
            f"{where}'{target.value}' is bound to {kind} without a type hint: write {target.value}: {_type_guess(statement.value, context)} = ...",
        )


def check(context: SourceContext) -> Iterator[Finding]:
    yield from _signature_findings(context)
    yield from _major_binding_findings(context)


RULE = make_rule(
    code="DOD300",
    name="type-hints",
    summary="every parameter and return annotated, and every major binding annotated",
    flags="""
        Signatures: every parameter of every `def` without an annotation (including *args
        and **kwargs; not `self`/`cls` as the first parameter of a method), and every `def`
        without a return annotation (`-> None` included). Lambda parameters cannot be
        annotated and are left to no-lambda.

        Major bindings: an assignment to a single plain name, without an annotation for that
        name anywhere in the same scope, when it is either (1) at module level and binds a
        container: a list, dict, set or tuple display, a list, set or dict comprehension, a
        call to list, dict, set, tuple, sorted or frozenset, a repeated display (`[0.0] * n`)
        or a concatenation with a display (`[BOS] + tokens`); or (2) at any scope, an empty
        container initialisation: `[]`, `{}`, `set()`, `list()`, `dict()` (also `deque()`,
        `Counter()`, `OrderedDict()`, `defaultdict(f)`). Tuple-unpacking targets, chained
        assignments (`a = b = []`), attributes, subscripts, augmented assignments and loop
        targets cannot carry an annotation and are exempt.
    """,
    why="""
        In data-oriented code the types are the data layout: `list[float]` of parameters,
        `list[TapeIndex]` of node indices, `dict[str, tuple[int, int, int]]` for the offset
        table. Annotating signatures and the containers that hold the program's data makes
        the layout readable at the point of declaration, and tells apart ints that are token
        ids from ints that are tape indices.
    """,
    fix="""
        Annotate: `def linear(vector: list[float], start: int) -> list[float]:`,
        `-> None` for procedures, and `losses: list[TapeIndex] = []` where a container is
        first bound. Introduce a TypeAlias for a compound type that recurs.
    """,
    example="""
        def scale(values, factor):
            return [value * factor for value in values]

        totals = []
    """,
    fixed_example="""
        def scale(values: list[float], factor: float) -> list[float]:
            return [value * factor for value in values]

        totals: list[float] = []
    """,
    valid_examples=(
        valid(
            """
            def scale(values: list[float], factor: float) -> list[float]:
                return values
            """,
            "a fully annotated signature",
        ),
        valid("first, second = [], []\n", "tuple unpacking cannot be annotated"),
        valid(
            """
            def count(items: list[int]) -> int:
                total = 0
                for item in items:
                    total = total + item
                return total
            """,
            "a local number is not a major binding",
        ),
        valid("losses: list[float] = []\n", "an annotated empty container"),
        valid(
            """
            def squares(limit: int) -> list[int]:
                values = [index * index for index in range(limit)]
                return values
            """,
            "a non-empty container inside a function is not a major binding",
        ),
        valid("scale = lambda value: value * 2\n", "lambda parameters cannot be annotated"),
        valid(
            """
            TapeIndex = int
            learning_rate = 0.01
            """,
            "module-level scalars and aliases are not containers",
        ),
        valid(
            """
            sample: list[str]
            sample = []
            """,
            "the name is annotated elsewhere in the same scope",
        ),
    ),
    invalid_examples=(
        invalid(
            """
            def linear(vector, matrix):
                return vector
            """,
            "two parameters and the return type",
            count=3,
        ),
        invalid(
            """
            def report(message: str):
                print(message)
            """,
            "no -> None on a procedure",
        ),
        invalid("docs = [line for line in ['a', 'b']]\n", "a module-level comprehension"),
        invalid(
            """
            def build() -> None:
                visited = set()
            """,
            "an empty set initialised inside a function",
        ),
        invalid("first_moment = [0.0] * 10\n", "a repeated list display at module level"),
        invalid("unique_characters = sorted(set('hello'))\n", "a module-level call to sorted"),
        invalid(
            """
            def collect(*values, **options) -> None:
                pass
            """,
            "*args and **kwargs need annotations too",
            count=2,
        ),
    ),
    check=check,
)
