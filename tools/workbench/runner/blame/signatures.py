"""Function signatures, compared by their positional parameters' names (standard library only).

A learner may rename a parameter; what breaks every caller is another number of
parameters, or a reference parameter moved to another position: `tape_value(index, tape)`
for the reference's `tape_value(tape, index)`.
"""

from __future__ import annotations

import ast


def shaped_alike(mine: list[str], reference: list[str]) -> bool:
    """Same number of parameters, and no reference parameter's name at another position."""
    if len(mine) != len(reference):
        return False
    return all(name == expected or name not in reference for name, expected in zip(mine, reference))


def signature_text(name: str, parameters: list[str]) -> str:
    return f"{name}({', '.join(parameters)})"


def top_level_signatures(source: str) -> dict[str, list[str]]:
    """name -> positional parameter names, for every top-level function of `source` ({} if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {
        statement.name: [argument.arg for argument in (*statement.args.posonlyargs, *statement.args.args)]
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef)
    }


def signature_mismatches(learner_source: str, reference_source: str) -> dict[str, str]:
    """name -> 'your tape_value(index, tape); the reference step's is tape_value(tape, index)',
    for each function both files define with signatures shaped differently."""
    mine, reference = top_level_signatures(learner_source), top_level_signatures(reference_source)
    return {
        name: f"your {signature_text(name, mine[name])}; the reference step's is {signature_text(name, parameters)}"
        for name, parameters in reference.items()
        if name in mine and not shaped_alike(mine[name], parameters)
    }
