"""Parse a Python file once, and index it for the rules.

Every rule asks the same few questions of a file: which nodes of a given type exist,
what is this node's parent, where does it start, which scope is it in, which binding
does this name refer to. `parse_source` answers them all up front, in one pass over the
syntax tree plus libcst's ScopeProvider and PositionProvider, so that twenty rules
cost about as much as one.
"""

from __future__ import annotations

import errno
import io
import stat
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import libcst as cst
from libcst.metadata import (
    BaseAssignment,
    CodeRange,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from workbench.lint.config import LintConfig
from workbench.lint.errors import SourceError
from workbench.lint.words import Vocabulary


@dataclass
class SourceContext:
    """A parsed file with its indexes. Rules read it; nothing writes it after parsing."""

    path: str
    text: str
    lines: list[str]
    module: cst.Module
    config: LintConfig
    vocabulary: Vocabulary
    nodes: list[cst.CSTNode] = field(default_factory=list)
    """Every node, in source (pre-)order."""
    positions: dict[cst.CSTNode, CodeRange] = field(default_factory=dict)
    scopes: dict[cst.CSTNode, Scope | None] = field(default_factory=dict)
    _parents: dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict)
    _order: dict[cst.CSTNode, tuple[int, int]] = field(default_factory=dict)
    _by_type: dict[type, list[cst.CSTNode]] = field(default_factory=dict)

    # -- the tree -------------------------------------------------------------------

    def nodes_of(self, *kinds: type) -> list[cst.CSTNode]:
        """All nodes of exactly these types, in source order."""
        if len(kinds) == 1:
            return list(self._by_type.get(kinds[0], ()))
        found = [node for kind in kinds for node in self._by_type.get(kind, ())]
        found.sort(key=self.order_of)
        return found

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """The parent, the grandparent, ... up to the Module."""
        current = self._parents.get(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def descendants(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Every node inside `node` (not `node` itself), in source order."""
        start, end = self._order[node]
        return self.nodes[start + 1 : end]

    def order_of(self, node: cst.CSTNode) -> int:
        """The node's index in source order (a sort key)."""
        return self._order[node][0]

    def contains(self, outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
        """True when `inner` is `outer` or lies inside it."""
        outer_start, outer_end = self._order[outer]
        return outer_start <= self._order[inner][0] < outer_end

    # -- positions and text -----------------------------------------------------------

    def position(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def line_of(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def code_of(self, node: cst.CSTNode) -> str:
        """The source text of a node, as libcst would print it."""
        return self.module.code_for_node(node)

    def short_code_of(self, node: cst.CSTNode, limit: int = 60) -> str:
        """The node's text on one line, shortened for a message."""
        text = " ".join(self.code_of(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    # -- scopes -------------------------------------------------------------------------

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self.scopes.get(node)

    @property
    def global_scope(self) -> GlobalScope | None:
        scope = self.scopes.get(self.module)
        return scope if isinstance(scope, GlobalScope) else None

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """What a name or attribute refers to: {'builtins.len'}, {'math.exp'}, {'gpt'}."""
        scope = self.scopes.get(node)
        if scope is None:
            return set()
        return {qualified.name for qualified in scope.get_qualified_names_for(node)}

    def referents(self, name: cst.Name) -> set[BaseAssignment] | None:
        """The bindings a name refers to, or None when the name is not a read access."""
        scope = self.scopes.get(name)
        if scope is None:
            return None
        for access in scope.accesses[name]:
            if access.node is name:
                return set(access.referents)
        return None

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | cst.Lambda | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.FunctionDef | cst.Lambda):
                return ancestor
        return None

    def function_label(self, function: cst.FunctionDef | cst.Lambda | None) -> str:
        """'gpt', 'Value.backward' or 'a lambda' (for messages)."""
        if function is None:
            return "module-level code"
        if isinstance(function, cst.Lambda):
            return "a lambda"
        names = [function.name.value]
        for ancestor in self.ancestors(function):
            if isinstance(ancestor, cst.ClassDef | cst.FunctionDef):
                names.append(ancestor.name.value)
        return ".".join(reversed(names))


def in_function_scope(scope: Scope | None) -> bool:
    """True when code in `scope` runs inside a function (or lambda), at any depth."""
    current = scope
    while current is not None and not isinstance(current, GlobalScope):
        if isinstance(current, FunctionScope):
            return True
        current = current.parent
    return False


class _NodeIndexer(cst.CSTVisitor):
    """One pass over the tree: source order, parents and subtree extents of every node."""

    def __init__(self, context: SourceContext) -> None:
        self.context = context
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        context = self.context
        if self.stack:
            context._parents[node] = self.stack[-1]
        context._order[node] = (len(context.nodes), -1)
        context.nodes.append(node)
        context._by_type.setdefault(type(node), []).append(node)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()
        start, _ = self.context._order[original_node]
        self.context._order[original_node] = (start, len(self.context.nodes))


def read_source(path: Path, display: str) -> str:
    """A file's text, decoded as Python decodes it (PEP 263), or a SourceError.

    Only regular files are read: a FIFO named `f.py` would block forever.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        raise SourceError(f"{display}: no such file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError(f"{display}: is a loop of symbolic links") from None
        raise SourceError(f"{display}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(status.st_mode):
        raise SourceError(f"{display}: is a directory")
    if not stat.S_ISREG(status.st_mode):
        raise SourceError(f"{display}: is not a regular file (a FIFO, socket or device), so it is not read")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{display}: is a directory") from None
    except OSError as error:
        raise SourceError(f"{display}: cannot be read ({error.strerror or error})") from None
    return decode_source(data, display)


def decode_source(data: bytes, display: str) -> str:
    """Bytes decoded as Python decodes a source file (PEP 263 and the UTF-8 BOM)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise SourceError(f"{display}: cannot be decoded as Python source ({error})") from None


def parse_source(text: str, path: str, config: LintConfig, vocabulary: Vocabulary) -> SourceContext:
    """Parse and index a source text. Raises SourceError naming the line it cannot parse.

    Deeply nested files need a deep stack: call this through deep_stack.call_with_deep_stack
    (the engine does), after syntax_check.compile_error has accepted the text.
    """
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise SourceError(
            f"{path}:{error.raw_line}:{error.raw_column + 1}: cannot parse this file: {error.message}"
        ) from None
    except RecursionError:
        raise SourceError(f"{path}: this file is nested too deeply to analyse") from None
    except Exception as error:  # noqa: BLE001 - libcst's native parser reports some failures as other exceptions
        raise SourceError(f"{path}: the parser cannot read this file ({type(error).__name__})") from None
    try:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        metadata = wrapper.resolve_many([PositionProvider, ScopeProvider])
        context = SourceContext(
            path=path,
            text=text,
            lines=text.splitlines(),
            module=module,
            config=config,
            vocabulary=vocabulary,
            positions=cast(dict[cst.CSTNode, CodeRange], dict(metadata[PositionProvider])),
            scopes=cast(dict[cst.CSTNode, Scope | None], dict(metadata[ScopeProvider])),
        )
        module.visit(_NodeIndexer(context))
    except RecursionError:
        raise SourceError(f"{path}: this file is nested too deeply to analyse") from None
    except KeyError as error:  # libcst turns a RecursionError deep inside it into a KeyError
        if isinstance(error.__context__, RecursionError):
            raise SourceError(f"{path}: this file is nested too deeply to analyse") from None
        raise
    return context
