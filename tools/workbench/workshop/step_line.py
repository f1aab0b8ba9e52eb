"""The step line of a starting file's module docstring, brought up to the step it starts.

A step started from the step before (the learner's file or the reference) would otherwise
keep the old step's line ("Step 06 of 11: Train on the tape..."). `with_step_line` puts
the reference step's own line in its place ("Step 07 of 11: Delete the Value class..."),
or, when the reference file has none, one made from the plan ("Step 07 of 11: <commit>").
Nothing else of the file changes; a file whose docstring has no step line is left as it is.
"""

from __future__ import annotations

import ast
import re

from workbench.plan import Plan, Step

STEP_LINE = re.compile(r"^Step \d+\b")


def with_step_line(source: str, plan: Plan, step: Step) -> str:
    """`source` with the first line of its module docstring that starts "Step NN" replaced
    by step `step`'s line."""
    span = _docstring_span(source)
    if span is None:
        return source
    lines = source.splitlines(keepends=True)
    first, last = span
    for index in range(first, last + 1):
        text = lines[index]
        if STEP_LINE.match(text.strip().lstrip('"').lstrip("'")):
            indentation = text[: len(text) - len(text.lstrip())]
            prefix = text.strip()[: len(text.strip()) - len(text.strip().lstrip('"').lstrip("'"))]
            ending = "\n" if text.endswith("\n") else ""
            body = text.strip()[len(prefix) :]
            suffix = body[len(body.rstrip('"').rstrip("'")) :]
            lines[index] = f"{indentation}{prefix}{reference_step_line(plan, step)}{suffix}{ending}"
            return "".join(lines)
    return source


def reference_step_line(plan: Plan, step: Step) -> str:
    """The step line of the reference step's own docstring, or one made from the plan."""
    try:
        reference = plan.step_path(step).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        reference = ""
    span = _docstring_span(reference)
    if span is not None:
        for line in reference.splitlines()[span[0] : span[1] + 1]:
            text = line.strip().strip('"').strip("'")
            if STEP_LINE.match(text):
                return text
    return f"Step {step.label} of {plan.last_step.label}: {step.commit}"


def _docstring_span(source: str) -> tuple[int, int] | None:
    """The 0-based first and last line of the module docstring, or None when there is none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    if not tree.body:
        return None
    first = tree.body[0]
    if not (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    ):
        return None
    return first.lineno - 1, (first.end_lineno or first.lineno) - 1
