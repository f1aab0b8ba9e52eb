"""Questions several rules ask about expressions: is it a container? a chained call?"""

from __future__ import annotations

import libcst as cst

from workbench.lint.source import SourceContext

_DISPLAY_KINDS: dict[type, str] = {
    cst.List: "a list display",
    cst.Dict: "a dict display",
    cst.Set: "a set display",
    cst.Tuple: "a tuple display",
    cst.ListComp: "a list comprehension",
    cst.SetComp: "a set comprehension",
    cst.DictComp: "a dict comprehension",
}

CONTAINER_CONSTRUCTORS: frozenset[str] = frozenset(
    ("builtins.list", "builtins.dict", "builtins.set", "builtins.tuple", "builtins.sorted", "builtins.frozenset")
)
EMPTY_CONTAINER_CONSTRUCTORS: frozenset[str] = frozenset(
    (
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "collections.deque",
        "collections.Counter",
        "collections.OrderedDict",
    )
)


def called_names(call: cst.Call, context: SourceContext) -> set[str]:
    """The qualified names of the called function: {'builtins.sorted'}, {'math.exp'}."""
    return context.qualified_names(call.func)


def container_kind(node: cst.BaseExpression, context: SourceContext) -> str | None:
    """How `node` visibly makes a container, in words, or None.

    Displays and comprehensions; calls to list, dict, set, tuple, sorted, frozenset;
    a list display repeated (`[0.0] * n`) or concatenated (`[BOS] + tokens + [BOS]`).
    """
    kind = _DISPLAY_KINDS.get(type(node))
    if kind is not None:
        return kind
    if isinstance(node, cst.Call):
        names = called_names(node, context) & CONTAINER_CONSTRUCTORS
        if names:
            return f"the result of {min(names).removeprefix('builtins.')}(...)"
        return None
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Multiply):
            for operand in (node.left, node.right):
                if isinstance(operand, cst.List | cst.Tuple):
                    return "a repeated display ([x] * n)"
        if isinstance(node.operator, cst.Add):
            if container_kind(node.left, context) is not None or container_kind(node.right, context) is not None:
                return "a concatenation of displays"
    return None


def empty_container_kind(node: cst.BaseExpression, context: SourceContext) -> str | None:
    """'[]', '{}', 'set()', 'list()', 'dict()' (and deque(), Counter(), defaultdict(f), ...)."""
    if isinstance(node, cst.List) and not node.elements:
        return "an empty list ([])"
    if isinstance(node, cst.Dict) and not node.elements:
        return "an empty dict ({})"
    if isinstance(node, cst.Call):
        names = called_names(node, context)
        if names & EMPTY_CONTAINER_CONSTRUCTORS and not node.args:
            return f"an empty container ({min(names).rpartition('.')[2]}())"
        if "collections.defaultdict" in names and len(node.args) <= 1:
            return "an empty container (defaultdict(...))"
    return None


def chain_receiver(call: cst.Call) -> cst.Call | None:
    """For `a().b()` the call `a()`: the call whose result this call's method is taken from."""
    function = call.func
    if isinstance(function, cst.Attribute) and isinstance(function.value, cst.Call):
        return function.value
    return None


def is_outermost_chain(call: cst.Call, context: SourceContext) -> bool:
    """True for the last call of a chain: `open(p).read().split()` at `.split()` only."""
    if chain_receiver(call) is None:
        return False
    parent = context.parent(call)
    if isinstance(parent, cst.Attribute) and parent.value is call:
        grandparent = context.parent(parent)
        if isinstance(grandparent, cst.Call) and grandparent.func is parent:
            return False
    return True


def chain_links(call: cst.Call) -> list[cst.Call]:
    """The calls of a chain from the innermost to `call`."""
    links = [call]
    receiver = chain_receiver(call)
    while receiver is not None:
        links.append(receiver)
        receiver = chain_receiver(receiver)
    links.reverse()
    return links


def chain_outline(call: cst.Call, context: SourceContext) -> str:
    """`open(...).read().strip().split(...)`: the chain with the arguments elided."""
    links = chain_links(call)
    first = links[0]
    text = _with_arguments(context.short_code_of(first.func, limit=40), first)
    for link in links[1:]:
        function = link.func
        assert isinstance(function, cst.Attribute)
        text += "." + _with_arguments(function.attr.value, link)
    return text


def _with_arguments(name: str, call: cst.Call) -> str:
    return f"{name}(...)" if call.args else f"{name}()"


def contains_chain(node: cst.CSTNode, context: SourceContext) -> bool:
    """True when a chained method call appears anywhere inside `node`."""
    if isinstance(node, cst.Call) and chain_receiver(node) is not None:
        return True
    return any(isinstance(inner, cst.Call) and chain_receiver(inner) is not None for inner in context.descendants(node))


def is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def strip_not(node: cst.BaseExpression) -> cst.BaseExpression:
    """`not not x` -> `x`."""
    while isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        node = node.expression
    return node
