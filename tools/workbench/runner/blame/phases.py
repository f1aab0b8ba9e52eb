"""The phases of a program's module-level code, as line ranges of its file (read with libcst).

Every snapshot, and every learner's file checked as one, has the same shape at module
level: load the data and build the tokenizer, initialise the parameters, loop over the
training steps, then sample. The heuristic, in order:

- the training loop is the module-level `for` over `range(num_steps)` (the knob, under the
  step's name for it); failing that, the first module-level `for` whose body runs a backward
  pass (`tape_backward(...)` or `.backward()`);
- inside it, the forward pass and loss are the statements before the one holding the
  backward pass, and the backward pass and optimizer update are that statement and every
  one after it except a final `print` (the loss line, which only reports);
- before it, data loading is every module-level statement that is not an import, a
  definition or a constant, up to the last one that names the documents, the vocabulary or
  the tokenizer's tables; parameter initialisation is the rest before the loop that names
  the parameters;
- sampling is everything after the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

DATA_LOADING = "data loading"
INITIALISATION = "parameter initialisation"
FORWARD_AND_LOSS = "the training loop's forward pass and loss"
OPTIMIZER = "the backward pass and optimizer update"
SAMPLING = "sampling"

DATA_NAMES = ("docs", "uchars", "BOS", "vocab_size")
"""The original's names for the data and the tokenizer (followed through the plan's renames)."""


@dataclass(frozen=True)
class Phase:
    name: str
    first_line: int
    last_line: int

    def describe(self) -> str:
        """'the optimizer update (lines 512-518)'."""
        lines = (
            f"line {self.first_line}"
            if self.first_line == self.last_line
            else f"lines {self.first_line}-{self.last_line}"
        )
        return f"{self.name} ({lines})"


@dataclass(frozen=True)
class ProgramPhases:
    training_loop_line: int | None
    """The first line of the module-level training loop (None when none was found)."""
    phases: dict[str, Phase]


def _names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            found.add(attribute.attr.value)

    node.visit(Collector())
    return found


def _is_training_loop(statement: cst.CSTNode, steps_name: str) -> bool:
    if not isinstance(statement, cst.For) or not isinstance(statement.iter, cst.Call):
        return False
    call = statement.iter
    return (
        isinstance(call.func, cst.Name)
        and call.func.value == "range"
        and len(call.args) == 1
        and isinstance(call.args[0].value, cst.Name)
        and call.args[0].value.value == steps_name
    )


def _runs_backward(node: cst.CSTNode) -> bool:
    return bool(_names_in(node) & {"tape_backward", "backward"})


def _is_print(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Name)
        and small.value.func.value == "print"
    )


def _is_setup(statement: cst.CSTNode) -> bool:
    """Imports, definitions, and constants bound to literals are not a phase's work."""
    if isinstance(statement, cst.FunctionDef | cst.ClassDef):
        return True
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body)
    return False


def find_phases(source: str, *, steps_name: str, data_names: tuple[str, ...], parameters_name: str) -> ProgramPhases:
    """The phases of `source`; an empty table when it does not parse."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError:
        return ProgramPhases(None, {})
    positions = wrapper.resolve(PositionProvider)
    body = list(wrapper.module.body)

    def first(node: cst.CSTNode) -> int:
        return positions[node].start.line

    def last(node: cst.CSTNode) -> int:
        return positions[node].end.line

    loop_index = next((index for index, statement in enumerate(body) if _is_training_loop(statement, steps_name)), None)
    if loop_index is None:
        loop_index = next(
            (
                index
                for index, statement in enumerate(body)
                if isinstance(statement, cst.For) and _runs_backward(statement)
            ),
            None,
        )
    phases: dict[str, Phase] = {}
    before = body if loop_index is None else body[:loop_index]
    work = [statement for statement in before if not _is_setup(statement)]
    data = [
        statement
        for statement in work
        if _names_in(statement) & set(data_names) and parameters_name not in _names_in(statement)
    ]
    if data:
        phases[DATA_LOADING] = Phase(DATA_LOADING, first(work[0]), last(data[-1]))
    initialisation = [statement for statement in work if parameters_name in _names_in(statement)]
    if initialisation:
        phases[INITIALISATION] = Phase(INITIALISATION, first(initialisation[0]), last(initialisation[-1]))
    if loop_index is None:
        return ProgramPhases(None, phases)
    loop = body[loop_index]
    assert isinstance(loop, cst.For)
    inner = list(loop.body.body)
    backward_index = next((index for index, statement in enumerate(inner) if _runs_backward(statement)), None)
    if backward_index is not None:
        forward_end = last(inner[backward_index - 1]) if backward_index > 0 else first(loop)
        phases[FORWARD_AND_LOSS] = Phase(FORWARD_AND_LOSS, first(loop), forward_end)
        update = inner[backward_index:]
        while update and _is_print(update[-1]):
            update.pop()
        if update:
            phases[OPTIMIZER] = Phase(OPTIMIZER, first(update[0]), last(update[-1]))
    else:
        phases[FORWARD_AND_LOSS] = Phase(FORWARD_AND_LOSS, first(loop), last(loop))
    after = [statement for statement in body[loop_index + 1 :] if not _is_setup(statement)]
    if after:
        phases[SAMPLING] = Phase(SAMPLING, first(after[0]), last(after[-1]))
    return ProgramPhases(first(loop), phases)
