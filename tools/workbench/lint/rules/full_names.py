"""DOD200 full-names: every name the file chooses is made of full English words."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from workbench.lint.expressions import is_dunder
from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext
from workbench.lint.words import judge_name

_NAMED_DEFINITIONS = (
    cst.FunctionDef,
    cst.ClassDef,
    cst.TypeAlias,
    cst.TypeVar,
    cst.TypeVarTuple,
    cst.ParamSpec,
    cst.Param,
)
_TARGET_HOLDERS = (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)
_AS_NAME_HOLDERS = (cst.WithItem, cst.ExceptHandler, cst.ExceptStarHandler, cst.ImportAlias)
_MATCH_CAPTURES = (cst.MatchAs, cst.MatchStar, cst.MatchMapping)


def bound_names(context: SourceContext) -> list[cst.Name]:
    """Every Name node at which the file binds a name it chose, in source order."""
    found: list[cst.Name] = []
    for definition in context.nodes_of(*_NAMED_DEFINITIONS):
        assert isinstance(definition, _NAMED_DEFINITIONS)
        found.append(definition.name)
    for holder in context.nodes_of(*_TARGET_HOLDERS):
        assert isinstance(holder, _TARGET_HOLDERS)
        found.extend(_target_names(holder.target))
    for node in context.nodes_of(*_AS_NAME_HOLDERS):
        assert isinstance(node, _AS_NAME_HOLDERS)
        alias = node.asname if isinstance(node, cst.WithItem | cst.ImportAlias) else node.name
        if alias is not None:
            found.extend(_target_names(alias.name))
    for pattern in context.nodes_of(*_MATCH_CAPTURES):
        assert isinstance(pattern, _MATCH_CAPTURES)
        capture = pattern.rest if isinstance(pattern, cst.MatchMapping) else pattern.name
        if isinstance(capture, cst.Name):
            found.append(capture)
    found.sort(key=context.order_of)
    return found


def _target_names(target: cst.BaseExpression) -> Iterator[cst.Name]:
    match target:
        case cst.Name():
            yield target
        case cst.Tuple() | cst.List():
            for element in target.elements:
                yield from _target_names(element.value)
        case cst.StarredElement():
            yield from _target_names(target.value)
        case cst.Attribute():
            yield target.attr  # filtered below: only attributes set on a method's self


def _binding_key(context: SourceContext, name: cst.Name) -> tuple[int, str] | None:
    """(scope identity, name): the same name bound twice in one scope is judged once."""
    parent = context.parent(name)
    if isinstance(parent, cst.Attribute):
        owner = _attribute_owner(context, parent)
        return None if owner is None else (id(owner), "." + name.value)
    scope = context.scope(name)
    if scope is None:  # type parameters and `type` aliases: judged at each binding
        return (id(parent), name.value)
    return (id(scope), name.value)


def _attribute_owner(context: SourceContext, attribute: cst.Attribute) -> cst.ClassDef | None:
    """The class whose instances get the attribute, for `self.name = ...` inside a method."""
    if not isinstance(attribute.value, cst.Name):
        return None
    function = context.enclosing_function(attribute)
    if not isinstance(function, cst.FunctionDef) or not function.params.params:
        return None
    if function.params.params[0].name.value != attribute.value.value:
        return None
    body = context.parent(function)
    owner = context.parent(body) if body is not None else None
    return owner if isinstance(owner, cst.ClassDef) else None


def check(context: SourceContext) -> Iterator[Finding]:
    seen: set[tuple[int, str]] = set()
    for name in bound_names(context):
        if name.value == "_" or is_dunder(name.value):
            continue
        key = _binding_key(context, name)
        if key is None or key in seen:
            continue
        seen.add(key)
        verdict = judge_name(name.value, context.vocabulary)
        if verdict is not None:
            yield Finding(name, verdict.message)


RULE = make_rule(
    code="DOD200",
    name="full-names",
    summary="every name the file binds is made of full English words (no abbreviations)",
    flags="""
        Every name the file chooses: variables, parameters, functions, classes, loop and
        comprehension targets, import aliases (`as`), with and except targets, match
        captures, type aliases and type parameters, and attributes a method sets on its
        own instance. Each is split into words (snake_case, CamelCase and digits) and every
        word must be an English word (the vendored wamerican list), a glossary term
        (softmax, rmsnorm, logits, ...) or an `allowed-words` entry in [tool.lint_style].
        Known abbreviations are flagged even when the dictionary lists them (max, min,
        doc, grad, temp), with their full form; single letters are flagged. A name is
        judged once per scope, at its first binding. `_` as a throwaway, dunders, module
        names in `import os`, attributes of other modules and keyword names at call
        sites are not the file's choice and are not flagged.
    """,
    why="""
        Names are the documentation of a data layout: `head_dimension` says what the number
        measures, `head_dim` makes the reader decode it, and `li` says nothing. In a
        workbench that teaches by reading code, every abbreviation is a small tax on every
        reader, paid each time the name appears.
    """,
    fix="""
        Rename to the full form the message suggests (n_embd -> embedding_dimension,
        li -> layer_index, attn -> attention), or name what the value holds. A genuine domain
        term goes in [tool.lint_style] allowed-words.
    """,
    example="""
        n_embd = 16
        for li in range(2):
            print(li)
    """,
    fixed_example="""
        embedding_dimension = 16
        for layer_index in range(2):
            print(layer_index)
    """,
    valid_examples=(
        valid("token_id = 3\n", "'id' is a word"),
        valid(
            "checksum = 0\ntimeout_seconds = 5\nruntime = 1.0\nendpoint = 'x'\nhtml = ''\nrgb = (0, 0, 0)\n",
            "everyday computing words",
        ),
        valid(
            "neighbour_count = 0\ncolour = 'red'\ncentre = 0.5\n\ndef initialise() -> None:\n    pass\n",
            "British spellings",
        ),
        valid("embedding_dimension = 16\n", "a name made of full words"),
        valid(
            """
            def softmax(logits):
                return logits
            """,
            "glossary terms: softmax, logits",
        ),
        valid("for _ in range(3):\n    pass\n", "'_' as a throwaway"),
        valid(
            "import os\nimport math\nvalue = math.exp(os.sep.count('/'))\n",
            "module names and their attributes are not chosen here",
        ),
        valid("print(round(2.5, ndigits=0))\n", "keyword names at call sites are not chosen here"),
        valid("TapeIndex = int\nbeta1 = 0.9\n", "CamelCase and a digit split into words"),
        valid("probabilities = [0.5, 0.5]\n", "the full form of probs"),
    ),
    invalid_examples=(
        invalid("n_embd = 16\n", "abbreviations, with the suggestion embedding_dimension"),
        invalid("colr = 'red'\nnbr_count = 0\n", "misspellings and abbreviations are still flagged", count=2),
        invalid("for li in range(2):\n    pass\n", "a loop variable: li -> layer_index"),
        invalid(
            """
            def total_length(words: list[str]) -> int:
                total = 0
                for idx in range(len(words)):
                    total = total + len(words[idx])
                return total
            """,
            "a function's local with a known full form: --fix renames idx to index everywhere in the function",
        ),
        invalid(
            """
            def attn(q, k):
                return q
            """,
            "an abbreviated function name and two single-letter parameters",
            count=3,
        ),
        invalid("max_val = 3.0\n", "max is a dictionary word but abbreviates maximum"),
        invalid("import numpy as np\n", "an import alias is chosen by the file"),
        invalid("squares = [x * x for x in range(3)]\n", "a single-letter comprehension variable"),
        invalid(
            """
            x = 1
            x = 2
            """,
            "a name is judged once per scope",
        ),
        invalid(
            """
            try:
                pass
            except ValueError as e:
                pass
            """,
            "an except target",
        ),
    ),
    check=check,
)
