"""DOD110 hidden-state: functions that read or write mutable or rebound module-level data.

Scope analysis (libcst's ScopeProvider) finds, for every name a function uses, the
binding it refers to. A module-level binding is harmless to read from a function when it
is a constant: bound exactly once, outside any loop, to an immutable value. Everything
else the function touches at module level is state it did not receive as an argument.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.metadata import Access, Assignment, BaseAssignment, BuiltinAssignment, GlobalScope, ImportAssignment

from workbench.lint.expressions import container_kind
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext, in_function_scope

ALWAYS_IMMUTABLE_CALLS: frozenset[str] = frozenset(
    f"builtins.{name}"
    for name in (
        "len", "int", "float", "str", "bool", "complex", "abs", "round", "ord", "chr", "hash", "repr",
        "ascii", "format", "hex", "oct", "bin", "range", "isinstance", "callable", "id",
    )
)
"""Calls whose result is immutable whatever their arguments: len(docs) is an int."""

IMMUTABLE_WHEN_ARGUMENTS_ARE: frozenset[str] = frozenset(
    f"builtins.{name}" for name in ("min", "max", "sum", "pow", "divmod", "tuple", "frozenset", "bytes")
)
"""Calls whose result is immutable when their arguments are constants."""

IMMUTABLE_MODULE_PREFIXES: tuple[str, ...] = ("math.", "typing.")


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
            lines = ", ".join(str(self._line(assignment)) for assignment in assignments)
            return f"bound {len(assignments)} times (lines {lines})"
        assignment = assignments[0]
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
        kind = container_kind(value, self.context)
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
        return isinstance(annotation, cst.Name | cst.Attribute) and self.context.code_of(annotation).endswith("TypeAlias")

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
        """`a, b = 1, 2`: the element of the value tuple that lands in `node`."""
        target_tuple = self.context.parent(element)
        target = self.context.parent(target_tuple) if target_tuple is not None else None
        statement = self.context.parent(target) if target is not None else None
        if not isinstance(target_tuple, cst.Tuple | cst.List) or not isinstance(target, cst.AssignTarget) or not isinstance(statement, cst.Assign):
            return None
        if target.target is not target_tuple or not isinstance(statement.value, cst.Tuple | cst.List):
            return None
        targets = target_tuple.elements
        values = statement.value.elements
        if len(targets) != len(values) or any(not isinstance(item, cst.Element) for item in (*targets, *values)):
            return None
        position = [item for item in targets].index(element)
        return values[position].value

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
                    self.is_constant(part.expression) for part in expression.parts if isinstance(part, cst.FormattedStringExpression)
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
                return self.is_constant(expression.left) and all(self.is_constant(target.comparator) for target in expression.comparisons)
            case cst.IfExp():
                return self.is_constant(expression.test) and self.is_constant(expression.body) and self.is_constant(expression.orelse)
            case cst.Subscript():
                return self.is_constant(expression.value) and all(self._slice_is_constant(element.slice) for element in expression.slice)
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
        """`math.pi`, `os.path.sep`: an attribute of an imported module."""
        base: cst.BaseExpression = attribute
        while isinstance(base, cst.Attribute):
            base = base.value
        if not isinstance(base, cst.Name):
            return False
        referents = self.context.referents(base) or set()
        return bool(referents) and all(isinstance(referent, ImportAssignment) for referent in referents)

    def _call_is_constant(self, call: cst.Call) -> bool:
        names = self.context.qualified_names(call.func)
        if names & ALWAYS_IMMUTABLE_CALLS:
            return True
        if any(name.startswith(IMMUTABLE_MODULE_PREFIXES) for name in names):
            return True
        if names & IMMUTABLE_WHEN_ARGUMENTS_ARE:
            return all(self.is_constant(argument.value) for argument in call.args)
        return False


def check(context: SourceContext) -> Iterator[Finding]:
    global_scope = context.global_scope
    if global_scope is None:
        return
    judge = ConstantJudge(context, global_scope)
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
                    yield Finding(node, f"{context.function_label(function)} rebinds module-level '{name}': return the new value instead")
            for access in assignment.references:
                if access.node in reported or access.is_annotation or access.is_type_hint:
                    continue
                if not in_function_scope(access.scope) or not _refers_to_module_level(access):
                    continue
                reported.add(access.node)
                function = context.enclosing_function(access.node)
                verb = _access_verb(access, context)
                yield Finding(
                    access.node,
                    f"{context.function_label(function)} {verb} module-level '{name}', which is {reason}: pass it in as an argument",
                )


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
        always return immutable values (`len(...)`, `int(...)`, `math.*`), or `min`/`max`/
        `sum` of constants. Imports, module-level functions and classes, and type aliases
        are fine to use.
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
    ),
    check=check,
)
