"""An exercise at a later step: the file's functions under the names the exercise calls, and
its sentences under the file's names.

An exercise calls functions by their names at the step that introduced it (`gpt`, `linear`);
step 09 renames them (`forward_training`, `linear_tape`), and step 10 renames the model
constants their bodies read (`n_embd` becomes `embedding_dimension`). `renames` maps each
name at the exercise's step to its name now (workbench.runner.judge.renames_since).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any


def under_earlier_names(namespace: dict[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    """A view of the file's definitions in which each renamed function is also reachable by
    the name the exercise calls it.

    `namespace` is the globals of the file's functions: a model constant placed there under
    its earlier name (exercises.MODEL_CONSTANTS) is copied to its later name in `namespace`
    itself, where the file's functions read it. Functions are aliased in the returned view
    only, so one exercise's earlier names never reach another exercise or the file's code.
    """
    for old, new in renames.items():
        value = namespace.get(old)
        if value is not None and not callable(value) and new not in namespace:
            namespace[new] = value
    view = dict(namespace)
    for old, new in renames.items():
        if old not in namespace and callable(namespace.get(new)):
            view[old] = namespace[new]
    return view


def in_later_names(sentence: str, renames: Mapping[str, str], names: Iterable[str]) -> str:
    """`sentence` with each of `names` that a later step renamed said by its name now:
    'linear (outputs), element 0: ...' checked at step 09 reads 'linear_tape (outputs), ...'."""
    shown = {old: new for old, new in renames.items() if old in set(names)}
    if not shown:
        return sentence
    alternatives = "|".join(re.escape(old) for old in sorted(shown, key=len, reverse=True))
    return re.sub(rf"\b({alternatives})\b", lambda match: shown[match.group(1)], sentence)
