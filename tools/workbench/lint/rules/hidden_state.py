"""DOD110 hidden-state: functions that read or write mutable or rebound module-level data.

Scope analysis (libcst's ScopeProvider) finds, for every name a function uses, the
binding it refers to. A module-level binding is harmless to read from a function when it
is a constant: bound exactly once, outside any loop, to an immutable value. Everything
else the function touches at module level is state it did not receive as an argument.

What counts is what the value is at run time, not how its assignment looks: a list is a
list whether it came from a display, `list(...)`, a comprehension or `str.split`. Calls
known to return a new mutable container (FRESH_CONTAINER_CALLS) are never constants, and
calls whose result is immutable are constants only when nothing mutable can leak into
that result (`tuple([[]])` holds a list; `max([1], [2])` is one of its lists).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.metadata import (
    Access,
    Assignment,
    BaseAssignment,
    BuiltinAssignment,
    ClassScope,
    GlobalScope,
    ImportAssignment,
    Scope,
)

from workbench.lint.expressions import container_kind
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext, in_function_scope
from workbench.syntax import value_bindings

ALWAYS_IMMUTABLE_CALLS: frozenset[str] = frozenset(
    f"builtins.{name}"
    for name in (
        "len",
        "int",
        "float",
        "str",
        "bool",
        "complex",
        "abs",
        "round",
        "ord",
        "chr",
        "hash",
        "repr",
        "ascii",
        "format",
        "hex",
        "oct",
        "bin",
        "range",
        "isinstance",
        "callable",
        "id",
    )
)
"""Calls whose result is immutable whatever their arguments: len(docs) is an int."""

IMMUTABLE_WHEN_ARGUMENTS_ARE: frozenset[str] = frozenset(f"builtins.{name}" for name in ("pow", "divmod", "bytes"))
"""Calls whose result is immutable when their arguments are constants."""

IMMUTABLE_WHEN_ELEMENTS_ARE: frozenset[str] = frozenset(f"builtins.{name}" for name in ("tuple", "frozenset"))
"""Calls that make an immutable container of their argument's elements: immutable all
through only when those elements are (`tuple('ab')`, not `tuple([[]])`)."""

ONE_OF_THEIR_ARGUMENTS: frozenset[str] = frozenset(f"builtins.{name}" for name in ("min", "max", "sum"))
"""Calls whose result is one of their arguments or elements (`max(a, b)`, `min(values)`)
or built from them (`sum(lists, [])`): immutable when those are."""

IMMUTABLE_MODULE_PREFIXES: tuple[str, ...] = ("math.", "typing.")

TRANSPARENT_CALLS: frozenset[str] = frozenset(("typing.cast",))
"""Calls that return their last argument unchanged: `cast(list[str], words)` is `words`."""

FRESH_CONTAINER_CALLS: dict[str, str] = {
    **{f"builtins.{name}": name for name in ("list", "dict", "set", "bytearray")},
    "builtins.sorted": "list",
    "builtins.dir": "list",
    **{
        f"builtins.{kind}.{method}": "list" for kind in ("str", "bytes") for method in ("split", "rsplit", "splitlines")
    },
    "builtins.dict.fromkeys": "dict",
    "builtins.str.maketrans": "dict",
    **{f"builtins.{kind}.copy": kind for kind in ("list", "dict", "set")},
    **{f"collections.{name}": name for name in ("defaultdict", "OrderedDict", "deque", "Counter", "ChainMap")},
    "copy.copy": "copy",
    "copy.deepcopy": "copy",
    "os.listdir": "list",
    "os.environ.copy": "dict",
    "random.sample": "list",
    "random.choices": "list",
    "typing.get_type_hints": "dict",
}
"""Calls known to return a new mutable container, and the kind, for the message: the
value is a container whatever the assignment looks like."""

FRESH_CONTAINER_METHODS: dict[str, str] = {"split": "list", "rsplit": "list", "splitlines": "list", "copy": "copy"}
"""Methods that, on a value, return a new mutable container (`'a b'.split()`, `row.copy()`)."""

STRING_SPLITTERS: frozenset[str] = frozenset(("split", "rsplit", "splitlines"))
"""The str and bytes methods that return a new list of their parts."""

MUTABLE_MODULE_ATTRIBUTES: frozenset[str] = frozenset(
    ("os.environ", "os.environb", "sys.argv", "sys.path", "sys.modules")
)
"""Attributes of modules that are mutable containers shared by the whole program."""

IMMUTABLE_RESULT_METHODS: frozenset[str] = frozenset(
    """
    upper lower title capitalize casefold swapcase strip lstrip rstrip replace join format center
    ljust rjust zfill removeprefix removesuffix encode decode startswith endswith count find rfind
    index rindex isdigit isalpha isalnum isupper islower isspace isidentifier isdecimal isnumeric
    partition rpartition expandtabs hex bit_length is_integer as_integer_ratio conjugate
    """.split()
)
"""Methods of str, bytes, int, float and tuple whose result is immutable: on a constant,
with constant (or pure) arguments, they compute a constant. Not split, rsplit or
splitlines: those return a list."""

PURE_BUILDERS: frozenset[str] = frozenset(
    f"builtins.{name}"
    for name in ("sorted", "list", "set", "dict", "reversed", "zip", "enumerate", "range", "tuple", "frozenset")
)
"""Calls that build a value from their arguments and nothing else: fine as an intermediate
inside a constant (`tuple(sorted('cab'))`), though their own result may be mutable."""


class ConstantJudge:
    """Decides, once per name, whether a module-level binding is a constant, and if not why."""

    def __init__(self, context: SourceContext, global_scope: GlobalScope) -> None:
        self.context = context
        self.global_scope = global_scope
        self.verdicts: dict[str, str | None] = {}

    def why_not_constant(self, name: str) -> str | None:
        """None for a constant, an import, a function or a class; otherwise the reason."""
        if name not in self.verdicts:
            self.verdicts[name] = "bound in terms of itself"  # a guard against cycles
            self.verdicts[name] = self._judge(name)
        return self.verdicts[name]

    def _judge(self, name: str) -> str | None:
        assignments = sorted(self.global_scope.assignments[name], key=self._line)
        if not assignments:
            return None
        if len(assignments) > 1:
            if self._chosen_once(assignments):
                for assignment in assignments:
                    reason = self._judge_one(assignment)
                    if reason is not None:
                        return reason
                return None
            lines = ", ".join(str(self._line(assignment)) for assignment in assignments)
            return f"bound {len(assignments)} times (lines {lines})"
        return self._judge_one(assignments[0])

    def _chosen_once(self, assignments: list[BaseAssignment]) -> bool:
        """True when the bindings sit in mutually exclusive branches of module-level
        if/elif/else or try/except/else statements: one of them runs, once, at import."""
        paths = []
        for assignment in assignments:
            node = getattr(assignment, "node", None)
            if not isinstance(node, cst.CSTNode) or node not in self.context.positions:
                return False
            paths.append(self._branch_path(node))
        for first in range(len(paths)):
            for second in range(first + 1, len(paths)):
                if not _exclusive(paths[first], paths[second]):
                    return False
        return True

    def _branch_path(self, node: cst.CSTNode) -> list[tuple[cst.CSTNode, str]]:
        """(statement, branch) pairs from the module down to `node`: which branch of each
        enclosing if or try it is in."""
        path: list[tuple[cst.CSTNode, str]] = []
        child = node
        for ancestor in self.context.ancestors(node):
            if isinstance(ancestor, cst.If):
                path.append(
                    (ancestor, "body" if ancestor.body is child else "orelse" if ancestor.orelse is child else "test")
                )
            elif isinstance(ancestor, cst.Try):
                if ancestor.body is child:
                    branch = "try"
                elif child in ancestor.handlers:
                    branch = f"except{ancestor.handlers.index(child)}"
                elif ancestor.orelse is child:
                    branch = "else"
                else:
                    branch = "finally"
                path.append((ancestor, branch))
            child = ancestor
        path.reverse()
        return path

    def _judge_one(self, assignment: BaseAssignment) -> str | None:
        if isinstance(assignment, ImportAssignment) or not isinstance(assignment, Assignment):
            return None
        node = assignment.node
        if isinstance(node, cst.FunctionDef | cst.ClassDef | cst.TypeAlias):
            return None
        line = self._line(assignment)
        function = self.context.enclosing_function(node)
        if function is not None:
            return f"rebound inside {self.context.function_label(function)} (line {line})"
        loop = self._enclosing_loop(node)
        if loop is not None:
            return f"rebound on every pass of the loop at line {self.context.line_of(loop)}"
        if self._is_type_alias(node) or self._is_bare_annotation(node):
            return None
        value = self._bound_value(node)
        if value is None:
            return f"{self._binding_kind(node)} (line {line})"
        if self.is_constant(value):
            return None
        kind = self.fresh_container(value) or container_kind(value, self.context)
        if kind is not None:
            return f"{kind} (line {line})"
        return f"bound to `{self.context.short_code_of(value, limit=40)}` (line {line}), which is not a constant"

    def _line(self, assignment: BaseAssignment) -> int:
        node = getattr(assignment, "node", None)
        if node is None or node not in self.context.positions:
            return 0
        return self.context.line_of(node)

    def _enclosing_loop(self, node: cst.CSTNode) -> cst.CSTNode | None:
        for ancestor in self.context.ancestors(node):
            if isinstance(ancestor, cst.For | cst.While):
                return ancestor
        return None

    def _is_type_alias(self, node: cst.CSTNode) -> bool:
        """`Tape: TypeAlias = ...` (or `typing.TypeAlias`)."""
        parent = self.context.parent(node)
        if not isinstance(parent, cst.AnnAssign) or parent.target is not node:
            return False
        annotation = parent.annotation.annotation
        return isinstance(annotation, cst.Name | cst.Attribute) and self.context.code_of(annotation).endswith(
            "TypeAlias"
        )

    def _is_bare_annotation(self, node: cst.CSTNode) -> bool:
        """`x: int` declares a name without binding a value."""
        parent = self.context.parent(node)
        return isinstance(parent, cst.AnnAssign) and parent.target is node and parent.value is None

    def _bound_value(self, node: cst.CSTNode) -> cst.BaseExpression | None:
        """The value bound to the name `node` by a plain or annotated assignment, or None."""
        parent = self.context.parent(node)
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            return parent.value
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            statement = self.context.parent(parent)
            if isinstance(statement, cst.Assign):
                return statement.value
        if isinstance(parent, cst.Element):
            return self._unpacked_value(node, parent)
        return None

    def _unpacked_value(self, node: cst.CSTNode, element: cst.Element) -> cst.BaseExpression | None:
        """`a, b = 1, 2`: the element of the value tuple that lands in `node` (the shared
        one-to-one reading of workbench.syntax.value_bindings)."""
        target_tuple = self.context.parent(element)
        target = self.context.parent(target_tuple) if target_tuple is not None else None
        statement = self.context.parent(target) if target is not None else None
        if not isinstance(node, cst.Name) or not isinstance(statement, cst.Assign):
            return None
        values = [value for name, value in value_bindings(statement) if name == node.value]
        return values[0] if len(values) == 1 else None

    def _binding_kind(self, node: cst.CSTNode) -> str:
        for ancestor in self.context.ancestors(node):
            if isinstance(ancestor, cst.For):
                return "a for-loop variable"
            if isinstance(ancestor, cst.AugAssign):
                return "updated in place by an augmented assignment"
            if isinstance(ancestor, cst.WithItem):
                return "a with-statement target"
            if isinstance(ancestor, cst.ExceptHandler | cst.ExceptStarHandler):
                return "an exception variable"
            if isinstance(ancestor, cst.NamedExpr):
                return "bound by an assignment expression"
            if isinstance(ancestor, cst.MatchCase):
                return "a match capture"
            if isinstance(ancestor, cst.BaseSmallStatement | cst.BaseCompoundStatement):
                break
        return "bound by unpacking"

    def is_constant(self, expression: cst.BaseExpression) -> bool:
        """An immutable value computed only from literals, constants, modules and builtins."""
        match expression:
            case cst.Integer() | cst.Float() | cst.Imaginary() | cst.SimpleString() | cst.Ellipsis() | cst.Lambda():
                return True
            case cst.ConcatenatedString():
                return self.is_constant(expression.left) and self.is_constant(expression.right)
            case cst.FormattedString():
                return all(
                    self.is_constant(part.expression)
                    for part in expression.parts
                    if isinstance(part, cst.FormattedStringExpression)
                )
            case cst.Name():
                return self._name_is_constant(expression)
            case cst.Attribute():
                return self._is_module_attribute(expression)
            case cst.Tuple():
                return all(self.is_constant(element.value) for element in expression.elements)
            case cst.UnaryOperation():
                return self.is_constant(expression.expression)
            case cst.BinaryOperation() | cst.BooleanOperation():
                return self.is_constant(expression.left) and self.is_constant(expression.right)
            case cst.Comparison():
                return self.is_constant(expression.left) and all(
                    self.is_constant(target.comparator) for target in expression.comparisons
                )
            case cst.IfExp():
                return (
                    self.is_constant(expression.test)
                    and self.is_constant(expression.body)
                    and self.is_constant(expression.orelse)
                )
            case cst.Subscript():
                return self.is_constant(expression.value) and all(
                    self._slice_is_constant(element.slice) for element in expression.slice
                )
            case cst.Call():
                return self._call_is_constant(expression)
        return False

    def _slice_is_constant(self, part: cst.BaseSlice) -> bool:
        if isinstance(part, cst.Index):
            return self.is_constant(part.value)
        if isinstance(part, cst.Slice):
            bounds = (part.lower, part.upper, part.step)
            return all(bound is None or self.is_constant(bound) for bound in bounds)
        return False

    def _name_is_constant(self, name: cst.Name) -> bool:
        if name.value in ("True", "False", "None"):
            return True
        referents = self.context.referents(name)
        if not referents:
            return False
        for referent in referents:
            if isinstance(referent, BuiltinAssignment):
                continue
            if not isinstance(referent.scope, GlobalScope) or self.why_not_constant(referent.name) is not None:
                return False
        return True

    def _is_module_attribute(self, attribute: cst.Attribute) -> bool:
        """`math.pi`, `os.path.sep`: an attribute of an imported module (not one of the
        module's own mutable containers, as `os.environ`)."""
        if attribute.attr.value == "__dict__" or self.context.qualified_names(attribute) & MUTABLE_MODULE_ATTRIBUTES:
            return False
        return self._is_imported(attribute)

    def call_targets(self, call: cst.Call) -> set[str]:
        """The qualified names of the called function. For a method of a builtin type
        libcst names only the type (`str.split` is `builtins.str`): name the method too."""
        function = call.func
        if (
            isinstance(function, cst.Attribute)
            and isinstance(function.value, cst.Name)
            and self._is_builtin(function.value)
        ):
            return {f"builtins.{function.value.value}.{function.attr.value}"}
        return self.context.qualified_names(function)

    def fresh_container(self, expression: cst.BaseExpression) -> str | None:
        """'a new list from str.split(...)' when `expression` is a call known to return a
        new mutable container (FRESH_CONTAINER_CALLS, FRESH_CONTAINER_METHODS), else None."""
        if not isinstance(expression, cst.Call):
            return None
        for name in sorted(self.call_targets(expression)):
            if name in FRESH_CONTAINER_CALLS:
                return f"a new {FRESH_CONTAINER_CALLS[name]} from {name.removeprefix('builtins.')}(...)"
        function = expression.func
        if (
            isinstance(function, cst.Attribute)
            and function.attr.value in FRESH_CONTAINER_METHODS
            and not self._is_imported(function.value)
        ):
            receiver = self.context.short_code_of(function.value, limit=30)
            return f"a new {FRESH_CONTAINER_METHODS[function.attr.value]} from {receiver}.{function.attr.value}(...)"
        return None

    def _is_imported(self, expression: cst.BaseExpression) -> bool:
        """`os`, `os.path`, `math.pi`: a module, or a name imported from one, and its
        attributes; not a value of this file."""
        base = expression
        while isinstance(base, cst.Attribute):
            base = base.value
        if not isinstance(base, cst.Name):
            return False
        referents = self.context.referents(base) or set()
        return bool(referents) and all(isinstance(referent, ImportAssignment) for referent in referents)

    def _call_is_constant(self, call: cst.Call) -> bool:
        if self.fresh_container(call) is not None:
            return False
        names = self.context.qualified_names(call.func)
        if names & ALWAYS_IMMUTABLE_CALLS:
            return True
        if names & TRANSPARENT_CALLS:
            return bool(call.args) and self.is_constant(call.args[-1].value)
        if any(name.startswith(IMMUTABLE_MODULE_PREFIXES) for name in names):
            return True
        if names & IMMUTABLE_WHEN_ARGUMENTS_ARE:
            return all(self.is_pure(argument.value) for argument in call.args)
        if names & IMMUTABLE_WHEN_ELEMENTS_ARE:
            return all(self._immutable_through(argument.value) for argument in call.args)
        if names & ONE_OF_THEIR_ARGUMENTS:
            return self._arguments_stay_immutable(call, summing="builtins.sum" in names)
        function = call.func
        if (
            isinstance(function, cst.Attribute)
            and function.attr.value in IMMUTABLE_RESULT_METHODS
            and not names & PURE_BUILDERS
        ):
            receiver_is_value = not isinstance(function.value, cst.Name) or not self._is_builtin(function.value)
            return (
                receiver_is_value
                and self.is_constant(function.value)
                and all(self.is_pure(argument.value) for argument in call.args)
            )
        return False

    def _is_builtin(self, name: cst.Name) -> bool:
        """`str` in `str.maketrans(...)`: a type, not a value."""
        referents = self.context.referents(name) or set()
        return any(isinstance(referent, BuiltinAssignment) for referent in referents)

    def _immutable_through(self, expression: cst.BaseExpression) -> bool:
        """A constant, or a pure intermediate whose elements are all constants: what an
        immutable container built from it holds is immutable (`tuple(sorted('cab'))`)."""
        return self.is_constant(expression) or (self.is_pure(expression) and self._elements_are_constant(expression))

    def _elements_are_constant(self, expression: cst.BaseExpression) -> bool:
        """Iterating over `expression` yields only constants."""
        if self.is_constant(expression):
            return True
        match expression:
            case cst.List() | cst.Set() | cst.Tuple():
                return all(
                    isinstance(element, cst.Element) and self.is_constant(element.value)
                    for element in expression.elements
                )
            case cst.Call():
                names = self.context.qualified_names(expression.func)
                if names & {"builtins.range", "builtins.dict"}:
                    return True  # integers; a dict's keys
                if names & PURE_BUILDERS:
                    return all(self._elements_are_constant(argument.value) for argument in expression.args)
                return self._splits_a_constant(expression)  # strings
        return False

    def _arguments_stay_immutable(self, call: cst.Call, summing: bool) -> bool:
        """min, max and sum: the result is an argument, an element of the one iterable
        argument, or (sum) the elements added to the start value."""
        if any(argument.star for argument in call.args):
            return False
        positional = [argument.value for argument in call.args if argument.keyword is None]
        keywords = [argument.value for argument in call.args if argument.keyword is not None]
        if not positional or not all(self.is_constant(value) for value in keywords):
            return False
        iterable, *others = positional
        if len(positional) == 1 or summing:
            return self._immutable_through(iterable) and all(self.is_constant(value) for value in others)
        return all(self.is_constant(value) for value in positional)

    def is_pure(self, expression: cst.BaseExpression) -> bool:
        """Computed from constants only, possibly through mutable intermediates that
        nothing else can see (`sorted('cab')`, `['a', 'b']`): fine as an argument of a
        call whose result is immutable."""
        if self.is_constant(expression):
            return True
        match expression:
            case cst.List() | cst.Set() | cst.Tuple():
                return all(
                    isinstance(element, cst.Element) and self.is_pure(element.value) for element in expression.elements
                )
            case cst.Call():
                names = self.context.qualified_names(expression.func)
                arguments_pure = all(self.is_pure(argument.value) for argument in expression.args)
                return (bool(names & PURE_BUILDERS) or self._splits_a_constant(expression)) and arguments_pure
        return False

    def _splits_a_constant(self, call: cst.Call) -> bool:
        """`'a b'.split()`: a new list of strings, from a constant."""
        function = call.func
        return (
            isinstance(function, cst.Attribute)
            and function.attr.value in STRING_SPLITTERS
            and self.is_constant(function.value)
            and all(self.is_pure(argument.value) for argument in call.args)
        )


def check(context: SourceContext) -> Iterator[Finding]:
    global_scope = context.global_scope
    if global_scope is None:
        return
    judge = ConstantJudge(context, global_scope)
    captures = _match_captures(context)
    reported: set[cst.CSTNode] = set()
    names = sorted({assignment.name for assignment in global_scope.assignments})
    for name in names:
        reason = judge.why_not_constant(name)
        if reason is None:
            continue
        for assignment in global_scope.assignments[name]:
            node = getattr(assignment, "node", None)
            if isinstance(node, cst.Name) and node not in reported:
                function = context.enclosing_function(node)
                if function is not None:
                    reported.add(node)
                    yield Finding(
                        node,
                        f"{context.function_label(function)} rebinds module-level '{name}': return the new value instead",
                    )
            for access in assignment.references:
                if access.node in reported or access.is_annotation or access.is_type_hint:
                    continue
                if not in_function_scope(access.scope) or not _refers_to_module_level(access):
                    continue
                function = context.enclosing_function(access.node)
                if function is not None and name in captures.get(function, ()):
                    continue  # a match capture makes the name local to the function
                reported.add(access.node)
                verb = _access_verb(access, context)
                yield Finding(
                    access.node,
                    f"{context.function_label(function)} {verb} module-level '{name}', which is {reason}: pass it in as an argument",
                )
    yield from _augmented_module_names(context, global_scope)


def _augmented_module_names(context: SourceContext, global_scope: GlobalScope) -> Iterator[Finding]:
    """`WORDS += ['c']` in a function that binds WORDS nowhere else and does not declare
    it global: meant to change the module-level container, though Python makes the name
    local to the function (and raises UnboundLocalError when it runs)."""
    for statement in context.nodes_of(cst.AugAssign):
        if not isinstance(statement, cst.AugAssign):
            continue
        target = statement.target
        function = context.enclosing_function(statement)
        scope = context.scope(target)
        if not isinstance(target, cst.Name) or function is None or scope is None or isinstance(scope, GlobalScope):
            continue
        name = target.value
        bindings = scope.assignments[name]
        if not bindings or any(
            not isinstance(context.parent(getattr(binding, "node", target)), cst.AugAssign) for binding in bindings
        ):
            continue
        if _nearest_binding_scope(scope, name) is not global_scope:
            continue
        label = context.function_label(function)
        operator = context.code_of(statement.operator).strip()
        yield Finding(
            target,
            f"{label} changes module-level '{name}' with {operator}, which makes '{name}' local to {label}"
            " (UnboundLocalError when it runs): pass it in as an argument",
        )


def _nearest_binding_scope(scope: Scope, name: str) -> Scope | None:
    """The nearest enclosing scope (class bodies aside) that binds `name`, if any."""
    parent = scope.parent
    while True:
        if not isinstance(parent, ClassScope) and name in parent.assignments:
            return parent
        if isinstance(parent, GlobalScope) or parent.parent is parent:
            return None
        parent = parent.parent


def _exclusive(first: list[tuple[cst.CSTNode, str]], second: list[tuple[cst.CSTNode, str]]) -> bool:
    """True when two branch paths part ways in different branches of one if or try (a
    try body and its else both run, as does a finally: those are not exclusive)."""
    for (statement, branch), (other_statement, other_branch) in zip(first, second):
        if statement is not other_statement:
            return False
        if branch != other_branch:
            together = {branch, other_branch}
            return "finally" not in together and "test" not in together and together != {"try", "else"}
    return False


def _match_captures(context: SourceContext) -> dict[cst.CSTNode, set[str]]:
    """Function -> the names its match patterns capture (libcst's scope analysis does not
    see these bindings, so a capture looks like a read of the module-level name)."""
    captures: dict[cst.CSTNode, set[str]] = {}
    for node in context.nodes_of(cst.MatchAs, cst.MatchStar, cst.MatchMapping):
        capture = node.rest if isinstance(node, cst.MatchMapping) else node.name  # type: ignore[attr-defined]
        function = context.enclosing_function(node)
        if isinstance(capture, cst.Name) and function is not None:
            captures.setdefault(function, set()).add(capture.value)
    return captures


def _refers_to_module_level(access: Access) -> bool:
    """Check the access's own referents: libcst lists, among a module-level binding's
    references, reads that a later local binding of the same name shadows (libcst 1.9)."""
    return any(isinstance(referent.scope, GlobalScope) for referent in access.referents)


def _access_verb(access: Access, context: SourceContext) -> str:
    node = access.node
    parent = context.parent(node)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        holder = context.parent(parent)
        if isinstance(holder, cst.AssignTarget | cst.AugAssign | cst.Del):
            return "writes into"
    if isinstance(parent, cst.Attribute) and parent.value is node:
        holder = context.parent(parent)
        if isinstance(holder, cst.Call) and holder.func is parent:
            return f"calls .{parent.attr.value}() on"
    return "reads"


RULE = make_rule(
    code="DOD110",
    name="hidden-state",
    summary="functions must not read or write module-level state that is mutable or rebound",
    flags="""
        A use, inside a function or lambda, of a module-level binding that is not a
        constant: a name the function reads, writes into, calls a method on, or rebinds
        (with `global`). Scope analysis resolves each name to its binding, so a parameter
        or local that shadows a module-level name is not flagged.

        A constant is bound exactly once, outside any loop, to an immutable value: a number,
        a string, a tuple of constants, arithmetic, comparisons or conditionals on
        constants, other constants, attributes of imported modules (`math.pi`), calls that
        always return immutable values (`len(...)`, `int(...)`, `math.*`), or `min`, `max`
        or `sum` of constants. Imports, module-level functions and classes, and type aliases
        are fine to use.

        A mutable container is never a constant, however it was made: a display, a
        comprehension, a constructor (`list(...)`, `dict(...)`, `collections.deque()`), or a
        call known to return a new one (`str.split`, `sorted`, `dict.fromkeys`, `.copy()`).
        A function that changes one, by a method (`append`, `update`, `pop`), item or slice
        assignment, augmented assignment or `del`, is reported; so is `x += ...` on a
        module-level name the function never binds otherwise, which Python turns into an
        UnboundLocalError.
    """,
    why="""
        "No hidden state": a function's signature should name every piece of data it
        transforms. When `gpt` reads the module's `state_dict`, the forward pass silently
        depends on a dict that the training loop mutates; you cannot see from the call
        `gpt(token_id, pos_id, keys, values)` which data it touches, test it on other
        parameters, or reason about its access pattern. Constants (hyperparameters) carry
        no state and are fine.
    """,
    fix="""
        Pass the data in as an argument (and return anything new). Keep module-level names
        that functions use as constants, bound once.
    """,
    example="""
        weights = [0.5, 0.25]

        def score(value):
            return weights[0] * value
    """,
    fixed_example="""
        def score(weights: list[float], value: float) -> float:
            return weights[0] * value

        weights: list[float] = [0.5, 0.25]
        print(score(weights, 2.0))
    """,
    valid_examples=(
        valid(
            """
            n_layer = 1

            def layers():
                return range(n_layer)
            """,
            "a constant read inside a function",
        ),
        valid(
            """
            import math

            def gelu_like(value):
                return math.exp(value)
            """,
            "math.exp: an imported module",
        ),
        valid(
            """
            n_embd = 16
            n_head = 4
            head_dim = n_embd // n_head

            def split(position):
                return position * head_dim
            """,
            "arithmetic on constants is a constant",
        ),
        valid(
            """
            uchars = ['a', 'b']
            BOS = len(uchars)

            def is_boundary(token_id):
                return token_id == BOS
            """,
            "len(...) of a list is an immutable int",
        ),
        valid(
            """
            state = {'w': [1.0]}

            def read(state):
                return state['w']
            """,
            "a parameter shadows the module-level name: the data is passed in",
        ),
        valid(
            """
            learning_rate, beta1 = 0.01, 0.9

            def decay(step):
                return learning_rate * beta1 ** step
            """,
            "constants bound by unpacking a tuple of constants",
        ),
        valid(
            """
            def helper(value):
                return value + 1

            def caller(value):
                return helper(value)
            """,
            "calling a module-level function",
        ),
        valid(
            """
            docs = ['emma', 'olivia']
            lengths = [len(doc) for doc in docs]
            """,
            "a comprehension at module level is not a function",
        ),
        valid(
            """
            import os

            if os.name == 'nt':
                SEPARATOR = '\\\\'
            else:
                SEPARATOR = '/'

            def join(first: str, second: str) -> str:
                return first + SEPARATOR + second
            """,
            "a constant chosen once at import by if/else",
        ),
        valid(
            """
            import os

            try:
                LIMIT = int(os.environ['LIMIT'])
            except KeyError:
                LIMIT = 10

            def clamp(value: int) -> int:
                return min(value, LIMIT)
            """,
            "a constant chosen once at import by try/except",
        ),
        valid(
            """
            import string

            UPPER = string.ascii_lowercase.upper()
            LISTED = ', '.join(('a', 'b'))
            LABEL = f'{UPPER}: {LISTED:>10}'
            ORDER = tuple(sorted('cab'))

            def describe() -> str:
                return LABEL + UPPER + LISTED + str(ORDER)
            """,
            "constant expressions: a str method, join, an f-string and tuple(sorted(...)) of constants",
        ),
        valid(
            """
            name = []

            def first(command: list[str]) -> str:
                match command:
                    case [name, *rest]:
                        return name
                return ''
            """,
            "a match capture inside a function shadows the module-level name",
        ),
        valid(
            """
            WORDS = ['a', 'b']

            def grow(words: list[str], word: str) -> None:
                words.append(word)

            grow(WORDS, 'c')
            """,
            "a literal list passed in and changed by a method: the signature names it",
        ),
        valid(
            """
            COUNTS = dict(a=0)

            def bump(counts: dict[str, int], key: str) -> None:
                counts[key] = counts[key] + 1

            bump(COUNTS, 'a')
            """,
            "a constructed dict passed in and changed by item assignment",
        ),
        valid(
            """
            SQUARES = [number * number for number in range(4)]

            def drop_first(squares: list[int]) -> None:
                del squares[0]

            drop_first(SQUARES)
            """,
            "a comprehension's list passed in and changed by del",
        ),
        valid(
            """
            WORDS = 'a b'.split()

            def extend(words: list[str]) -> None:
                words += ['c']

            extend(WORDS)
            """,
            "a list from str.split passed in and extended by +=",
        ),
        valid(
            """
            ORDER = tuple('c a b'.split())
            FIRST = min('c a b'.split())

            def rank(letter: str) -> int:
                return ORDER.index(letter) + len(FIRST)
            """,
            "immutable values built once from a list that split made, only read",
        ),
        valid(
            """
            total = []

            def add_all(values: list[int]) -> int:
                total = 0
                for value in values:
                    total += value
                return total
            """,
            "+= on a local the function bound first, not on the module-level name",
        ),
    ),
    invalid_examples=(
        invalid(
            """
            state_dict = {'wte': [[0.1]]}

            def gpt(token_id):
                return state_dict['wte'][token_id]
            """,
            "reading a module-level dict (as microgpt's gpt does)",
        ),
        invalid(
            """
            tape = []

            def record(value):
                tape.append(value)
            """,
            "appending to a module-level list: the function writes hidden state",
        ),
        invalid(
            """
            total = 0
            for step in range(3):
                total = total + step

            def report():
                return total
            """,
            "a name rebound at module level is not a constant",
        ),
        invalid(
            """
            counter = 0

            def bump():
                global counter
                counter = counter + 1
            """,
            "a global write and a read of the same name",
            count=2,
        ),
        invalid(
            """
            cache = {}
            scale = lambda value: cache.get(value, value)
            """,
            "a lambda is a function too",
        ),
        invalid(
            """
            params = [1.0, 2.0]

            def total():
                return sum([params[0], params[1]])
            """,
            "each access is reported",
            count=2,
        ),
        invalid(
            """
            WORDS = 'a b c'.split()

            def grow(word: str) -> None:
                WORDS.append(word)
            """,
            "str.split makes a list: appending to it is hidden state",
        ),
        invalid(
            """
            import string

            LETTERS = string.ascii_lowercase.splitlines()

            def letters() -> list[str]:
                return LETTERS
            """,
            "splitlines of a constant is a list",
        ),
        invalid(
            """
            import os

            SEPARATOR = '/'
            if os.name == 'nt':
                SEPARATOR = '\\\\'

            def join(first: str, second: str) -> str:
                return first + SEPARATOR + second
            """,
            "a default overwritten by an if: bound twice, both may run",
        ),
        invalid(
            """
            TABLE = dict.fromkeys('ab', 0)

            def lookup(key: str) -> int:
                return TABLE[key]
            """,
            "a method of a type, not of a value: dict.fromkeys makes a dict",
        ),
        invalid(
            """
            name = []

            def first(command: list[str]) -> int:
                match command:
                    case [head, *rest]:
                        return len(name)
                return 0
            """,
            "a match statement that does not capture the name still reads the module-level one",
        ),
        invalid(
            """
            SCORES = {'emma': 0}

            def reset(name: str) -> None:
                SCORES[name] = 0
            """,
            "a literal dict changed by item assignment",
        ),
        invalid(
            """
            HISTORY = [0.0]

            def remember(loss: float) -> None:
                HISTORY += [loss]
            """,
            "a literal list changed by += (which also makes the name local: UnboundLocalError)",
        ),
        invalid(
            """
            QUEUE = ['emma', 'ava']

            def drop() -> None:
                del QUEUE[0]
            """,
            "a literal list changed by del",
        ),
        invalid(
            """
            import collections

            COUNTS = collections.Counter()

            def count(words: list[str]) -> None:
                COUNTS.update(words)
            """,
            "a constructor's Counter changed by a method",
        ),
        invalid(
            """
            BUFFER = list(range(4))

            def clear_tail() -> None:
                BUFFER[2:] = []
            """,
            "a list() constructor's list changed by slice assignment",
        ),
        invalid(
            """
            TOTALS = dict(a=0)

            def add(key: str, amount: int) -> None:
                TOTALS[key] += amount
            """,
            "a dict() constructor's dict changed by += on an item",
        ),
        invalid(
            """
            import collections

            RECENT = collections.deque([1, 2, 3])

            def forget() -> None:
                del RECENT[0]
            """,
            "a constructor's deque changed by del",
        ),
        invalid(
            """
            LENGTHS = {name: len(name) for name in ('emma', 'ava')}

            def record(name: str) -> None:
                LENGTHS.setdefault(name, len(name))
            """,
            "a dict comprehension changed by a method",
        ),
        invalid(
            """
            GRID = [[0.0] * 2 for _ in range(2)]

            def mark(row: int) -> None:
                GRID[row] = [1.0, 1.0]
            """,
            "a list comprehension changed by item assignment",
        ),
        invalid(
            """
            LETTERS = {letter for letter in 'abc'}

            def learn(letters: set[str]) -> None:
                LETTERS |= letters
            """,
            "a set comprehension changed by |=",
        ),
        invalid(
            """
            SCORES = {name: 0 for name in ('emma', 'ava')}

            def forget(name: str) -> None:
                del SCORES[name]
            """,
            "a dict comprehension changed by del",
        ),
        invalid(
            """
            WORDS = str.split('a b c')

            def grow(word: str) -> None:
                WORDS.append(word)
            """,
            "str.split called on the type makes a list too: appending to it is hidden state",
        ),
        invalid(
            """
            ROWS = 'a,b;c,d'.rsplit(';')

            def replace_first(row: str) -> None:
                ROWS[0] = row
            """,
            "a list from rsplit changed by item assignment",
        ),
        invalid(
            """
            ORDER = sorted('cab')

            def add(letter: str) -> None:
                ORDER += [letter]
            """,
            "a list from sorted(...) changed by +=",
        ),
        invalid(
            """
            TABLE = dict.fromkeys('ab', 0)

            def drop(key: str) -> None:
                del TABLE[key]
            """,
            "a dict from dict.fromkeys changed by del",
        ),
        invalid(
            """
            import typing

            WORDS = typing.cast(list[str], 'a b'.split())

            def grow(word: str) -> None:
                WORDS.append(word)
            """,
            "typing.cast returns its argument: still the list from split",
        ),
        invalid(
            """
            PAIRS = tuple([[], []])

            def pair(value: int) -> None:
                PAIRS[0].append(value)
            """,
            "a tuple that holds lists: its lists can change",
        ),
        invalid(
            """
            LONGEST = max(['a', 'b'], ['c'])

            def grow(word: str) -> None:
                LONGEST.append(word)
            """,
            "max of lists is one of the lists",
        ),
        invalid(
            """
            import os

            ENVIRONMENT = os.environ

            def configure(value: str) -> None:
                ENVIRONMENT['MODE'] = value
            """,
            "os.environ is a module's mutable mapping, not a constant",
        ),
    ),
    check=check,
)
