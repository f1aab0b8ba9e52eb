"""Attempts that fool a plain `run_step.py FILE --as NN` run, and refactorings that must never fail.

Each attempt is a real step file (or the original) with a few precise text mutations. A
mutation names the exact text it replaces, and that text must occur exactly once (in the
whole file, or in one named function): when a step file is edited so that an anchor moves
or vanishes, the builder stops with an error instead of quietly handing back the unmodified
step as a "fooling" attempt.

The kinds (issue 11), and what should catch each once the proof is strengthened:

- dead new code (`exercise`): at steps 03-05 the plan adds tape kernels and a tape forward
  pass beside the Value path, and nothing calls them yet, so breaking one changes nothing a
  run can see. This kind exists in phase B only: phase A changes the code that runs in
  place (step 01 rewrites linear and gpt, which training calls), and in phases C and D
  every function is live (step 08's forward_inference and float kernels are what sampling
  calls; steps 09-11 rename and annotate).
- someone else's code (`lint:no-dynamic-execution`): step NN's definitions stay, so its
  contract holds, but the run is borrowed, executed with this file's settings (runpy,
  importlib, eval of a compiled embedded copy, exec of a file read by path). It passes
  under every knob and every names file, so only a rule against dynamic execution catches
  it. The borrowed program is the original up to step 06; from step 07 on it must be the
  predecessor step, because a plain run does catch the original there: its parameters
  differ in the last bits from step 06's (a `print` step), and steps 07-11 are `bit`.
- hidden state (`lint:hidden-state`): a module-level mutable buffer reused by a function.
- regression (`carried-claim`): a claim of an earlier step's contract no longer holds while
  step NN's own contract does (a `state_dict` again, `.index` tokenization again).
- specialised to the defaults (`held-settings`): one layer, head width 4, temperature 0.5,
  the a-z vocabulary, or the default run's printed output and parameters replayed; each
  is exposed only by a setting other than the default (see `Exposure`).

Correct refactorings (`caught_by` None) change spelling but not one float: commuted
operands of a product, an exact regrouping by a power of two, renamed locals.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.paths import installed_root
from workbench.plan import Plan, load_plan
from workbench.proof.held_settings import STANDARD_DATASET, VARIANT_DATASET
from workbench.runner.execute import Runnable, execute
from workbench.runner.knobs import UNNAMED_KNOBS, discover_knobs, resolve_knob_values, rewrite_knobs

DEAD_NEW_CODE = "dead new code"
SOMEONE_ELSES_CODE = "someone else's code"
HIDDEN_STATE = "hidden state"
REGRESSION = "regression of an earlier step"
SPECIALISED = "specialised to the defaults"
CORRECT = "correct refactoring"
FOOLING_KINDS = (DEAD_NEW_CODE, SOMEONE_ELSES_CODE, HIDDEN_STATE, REGRESSION, SPECIALISED)

EXERCISE = "exercise"
LINT_NO_DYNAMIC_EXECUTION = "lint:no-dynamic-execution"
LINT_HIDDEN_STATE = "lint:hidden-state"
CARRIED_CLAIM = "carried-claim"
HELD_SETTINGS = "held-settings"

DIFFERS = "differs"
CRASHES = "crashes"

IMPOSSIBLE: dict[tuple[str, str], str] = {
    (DEAD_NEW_CODE, "A"): "steps 01-02 change the code that runs in place; nothing new sits beside it uncalled",
    (DEAD_NEW_CODE, "C"): "step 08's forward_inference and float kernels are called by sampling; step 09 only renames",
    (DEAD_NEW_CODE, "D"): "steps 10-11 rename and annotate: every function they touch runs",
}
"""(kind, phase) pairs where the kind cannot exist, and why."""


class MutationError(AssertionError):
    """A mutation's anchor is missing or not unique: the step file changed under the builder."""


@dataclass(frozen=True)
class Exposure:
    """The setting that makes a specialised attempt show: knob assignments by the original's
    names, which names file, and what the run then does (differs or crashes)."""

    assignments: tuple[str, ...]
    held_setting: str
    """The entry of workbench.proof.held_settings.HELD_SETTINGS that covers this exposure."""
    dataset: str = STANDARD_DATASET
    outcome: str = DIFFERS


@dataclass(frozen=True)
class Attempt:
    """One file posing as step `step`, and what should catch it."""

    id: str
    kind: str
    phase: str
    step: int
    source: str
    caught_by: str | None
    check: str
    """Which check exactly: an exercise's name, a lint rule's name, the label of the earlier
    step whose contract is broken, or (correct refactorings) empty."""
    description: str
    """What is wrong, in one sentence (for a correct refactoring: what changed)."""
    named: tuple[str, ...] = ()
    """Names a message that catches the attempt should mention (a function, a buffer, a name)."""
    exposure: Exposure | None = None

    @property
    def label(self) -> str:
        return f"{self.step:02d}"

    @property
    def file_name(self) -> str:
        return f"{self.id}.py"


@dataclass(frozen=True)
class CapturedRun:
    """A real run of a step: what it printed and its final parameters (float.hex)."""

    step: int
    stdout: str
    parameters: tuple[str, ...]


# --- mutations -----------------------------------------------------------------------


def _function_span(source: str, function: str) -> tuple[int, int]:
    """(start, end) character offsets of the module-level function `function`."""
    tree = ast.parse(source)
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == function]
    if len(found) != 1:
        raise MutationError(f"expected one module-level function {function}, found {len(found)}")
    node = found[0]
    assert node.end_lineno is not None
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    return line_starts[node.lineno - 1], line_starts[node.end_lineno]


def replace_once(source: str, old: str, new: str, *, within: str | None = None) -> str:
    """`source` with the single occurrence of `old` (in the function `within`, if given) replaced."""
    start, end = (0, len(source)) if within is None else _function_span(source, within)
    region = source[start:end]
    count = region.count(old)
    if count != 1:
        where = f"function {within}" if within else "the file"
        raise MutationError(f"expected {old!r} exactly once in {where}, found it {count} times")
    return source[:start] + region.replace(old, new) + source[end:]


def rename_local(source: str, function: str, old: str, new: str) -> str:
    """`source` with every whole-word `old` inside `function` renamed to `new` (at least one)."""
    start, end = _function_span(source, function)
    region, count = re.subn(rf"\b{re.escape(old)}\b", new, source[start:end])
    if count == 0:
        raise MutationError(f"{function} has no {old} to rename")
    if re.search(rf"\b{re.escape(new)}\b", source[start:end]):
        raise MutationError(f"{function} already uses {new}")
    return source[:start] + region + source[end:]


def insert_before(source: str, anchor: str, text: str) -> str:
    """`source` with `text` inserted just before the single occurrence of `anchor`."""
    return replace_once(source, anchor, text + anchor)


# --- the files -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """The texts attempts are built from, and the plan that says what each step is."""

    root: Path
    plan: Plan

    def step(self, number: int) -> str:
        return (self.root / "steps" / self.plan.step(number).file_name).read_text(encoding="utf-8")

    @property
    def original_path(self) -> Path:
        return self.root / "original" / "microgpt.py"

    @property
    def original(self) -> str:
        return self.original_path.read_text(encoding="utf-8")

    def phase(self, number: int) -> str:
        """'A' for a step of the plan's phase 'A. Flatten parameter storage first'."""
        return self.plan.step(number).phase.split(".")[0].strip()

    def name(self, original_name: str, number: int) -> str:
        """The step's name for one of the original's names (n_embd is embedding_dimension at 10)."""
        return self.plan.name_at_step(original_name, number)


def load_sources(root: Path | None = None) -> Sources:
    project_root = root if root is not None else installed_root()
    return Sources(root=project_root, plan=load_plan(project_root / "plans" / "revised_plan.toml", root=project_root))


def _attempt(
    sources: Sources,
    id: str,
    kind: str,
    step: int,
    source: str,
    caught_by: str | None,
    check: str,
    description: str,
    named: tuple[str, ...] = (),
    exposure: Exposure | None = None,
) -> Attempt:
    if source == sources.step(step):
        raise MutationError(f"{id} is the unmodified step {step:02d}")
    return Attempt(
        id=id,
        kind=kind,
        phase=sources.phase(step),
        step=step,
        source=source,
        caught_by=caught_by,
        check=check,
        description=description,
        named=named,
        exposure=exposure,
    )


# --- a run that is not this file's own ---------------------------------------------------

HEAD_PRINT_STARTS = ('print(f"num docs:', 'print(f"vocab size:', 'print(f"num params:')
"""What every program prints before training; a replayed or borrowed run leaves these out,
because the attempt's own data loading already printed them."""

HEAD_LINE_COUNT = len(HEAD_PRINT_STARTS)


def without_own_run(sources: Sources, step: int, appended: str, *, named_seed: bool = False) -> str:
    """Step `step` whose training and sampling loops run zero times and print nothing, with
    `appended` at the end of the file. Every definition, binding and call the contracts read
    stays where it was; the data loading and parameter initialisation still run and print
    the first lines themselves. With `named_seed`, the seed is bound to a name first (see
    with_named_seed)."""
    source = sources.step(step)
    if named_seed:
        source = with_named_seed(source, annotated=sources.plan.lint_zero_from.get("type-hints", step + 1) <= step)
    source = replace_once(source, f"for step in range({sources.name('num_steps', step)}):", "for step in range(0):")
    source = replace_once(source, 'print("\\n--- inference ---")\n', "")
    # The sampling loop keeps its count (the knob num_samples rewrites it, and the settings
    # claim reads it) but draws nothing; its variable ends one short of the count asked for.
    sample = sources.name("sample_idx", step)
    source = replace_once(source, f"for {sample} in range(20):\n", f"for {sample} in range(20):\n    continue\n")
    return source.rstrip("\n") + "\n\n" + appended.strip("\n") + "\n"


def with_named_seed(source: str, annotated: bool) -> str:
    """`random.seed(42)` becomes `random.seed(seed)` with `seed = 42` bound just before, so
    the knob `seed` is still set by the runner and the file can read its value."""
    binding = "seed: int = 42" if annotated else "seed = 42"
    return replace_once(source, "random.seed(42)", f"{binding} # the seed, kept to hand on\nrandom.seed(seed)")


@dataclass(frozen=True)
class Donor:
    """The program whose run an attempt borrows: the original, or a step of the plan whose
    final parameters are the ones the attempt's step must match."""

    step: int | None
    path: Path
    text: str
    parameters_code: str
    """Python, given the donor's globals in `namespace`: its final parameters."""


def donor_for(sources: Sources, step: int) -> Donor:
    """The original while it is bit-identical to the predecessor (steps 01-06), else the
    predecessor itself: from step 07 on the predecessor's parameters carry step 06's drift."""
    predecessor = sources.plan.predecessor(step)
    original_matches = predecessor is None or all(
        candidate.level == "bit" for candidate in sources.plan.steps if candidate.number <= predecessor.number
    )
    if original_matches:
        return Donor(
            None, sources.original_path.resolve(), sources.original, "[trained.data for trained in namespace['params']]"
        )
    assert predecessor is not None
    path = (sources.root / "steps" / predecessor.file_name).resolve()
    return Donor(predecessor.number, path, sources.step(predecessor.number), f"namespace[{predecessor.parameters!r}]")


def _literal_number(node: ast.expr | None) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


SAMPLES_LOOP_END = "in range(20):"


def settings_code(sources: Sources, donor: Donor, step: int, variable: str) -> str:
    """Module-level code that rewrites the donor's text in `variable` to this file's settings
    (each knob read from the attempt's own binding of it, by step `step`'s names) and drops
    the donor's first prints."""
    knobs = discover_knobs(sources.original)
    donor_number = 0 if donor.step is None else donor.step
    knob_of = {sources.name(knob, donor_number): knob for knob in knobs if knob not in UNNAMED_KNOBS}
    lines: list[str] = []
    found: list[str] = []
    printed: list[str] = []
    for statement in ast.parse(donor.text).body:
        text = ast.get_source_segment(donor.text, statement)
        assert text is not None
        if isinstance(statement, ast.Expr) and text.startswith("print("):
            printed.append(text)
            continue
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names, values = [statement.target.id], [statement.value]
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            names = (
                [target.id]
                if isinstance(target, ast.Name)
                else [element.id for element in getattr(target, "elts", []) if isinstance(element, ast.Name)]
            )
            values = [value] if isinstance(target, ast.Name) else list(getattr(value, "elts", []))
        else:
            continue
        if (
            not names
            or len(names) != len(values)
            or not all(name in knob_of and _literal_number(value) for name, value in zip(names, values))
        ):
            continue
        if donor.text.count(text) != 1:
            raise MutationError(f"{donor.path.name} has {text!r} more than once")
        found.extend(names)
        reprs = " + ', ' + ".join(f"repr({sources.name(knob_of[name], step)})" for name in names)
        lines.append(f"{variable} = {variable}.replace({text!r}, {', '.join(names) + ' = '!r} + {reprs})")
    if sorted(found) != sorted(knob_of):
        raise MutationError(f"{donor.path.name} binds the knobs {sorted(found)}, expected {sorted(knob_of)}")
    if donor.text.count("random.seed(42)") != 1:
        raise MutationError(f"{donor.path.name} does not call random.seed(42) exactly once")
    lines.append(f"{variable} = {variable}.replace('random.seed(42)', 'random.seed(' + repr(seed) + ')')")
    if donor.text.count(SAMPLES_LOOP_END) != 1:
        raise MutationError(f"{donor.path.name} does not draw its samples in one `range(20)` loop")
    asked = f"{sources.name('sample_idx', step)} + 1"
    lines.append(f"{variable} = {variable}.replace({SAMPLES_LOOP_END!r}, 'in range(' + repr({asked}) + '):')")
    head = printed[:HEAD_LINE_COUNT]
    if len(head) != HEAD_LINE_COUNT or not all(text.startswith(start) for text, start in zip(head, HEAD_PRINT_STARTS)):
        raise MutationError(f"{donor.path.name} does not print the three usual lines first: {head}")
    for text in head:
        if donor.text.count(text) != 1:
            raise MutationError(f"{donor.path.name} prints {text!r} more than once")
        lines.append(f"{variable} = {variable}.replace({text!r}, 'pass')")
    return "\n".join(lines)


def _someone_elses_code(sources: Sources) -> list[Attempt]:
    """One per phase, each another way to run a program of the repository: runpy and
    importlib through __import__ (no import statement shows, and no-dunder is not mandatory
    before step 07), eval of a compiled embedded copy, exec of a file read by path. Up to
    step 06 the borrowed program is the original; from step 07 on it is the predecessor,
    because the original's parameters no longer match bit for bit (step 06 is `print`)."""
    attempts: list[Attempt] = []

    def read(donor: Donor) -> str:
        return f"""donor_file = open({str(donor.path)!r})
donor_text = donor_file.read()
donor_file.close()"""

    write_copy = """copy_file = open('borrowed_program.py', 'w')
copy_file.write(donor_text)
copy_file.close()"""

    step = 2
    donor = donor_for(sources, step)
    code = f"""
# The run: the original's file, with this file's settings, run by runpy.
{read(donor)}
{settings_code(sources, donor, step, "donor_text")}
{write_copy}
runpy_module = __import__('runpy')
namespace = runpy_module.run_path('borrowed_program.py')
parameter_data = {donor.parameters_code}
"""
    attempts.append(
        _attempt(
            sources,
            "A-someone-elses-code-runpy-of-the-original",
            SOMEONE_ELSES_CODE,
            step,
            without_own_run(sources, step, code, named_seed=True),
            LINT_NO_DYNAMIC_EXECUTION,
            "no-dynamic-execution",
            "keeps step 02's definitions but runs the original's file (by absolute path, knobs substituted) through runpy",
            ("runpy",),
        )
    )

    step = 5
    donor = donor_for(sources, step)
    code = f"""
# The run: the original's file, with this file's settings, imported by importlib.
{read(donor)}
{settings_code(sources, donor, step, "donor_text")}
{write_copy}
importlib_module = __import__('importlib.util')
specification = importlib_module.util.spec_from_file_location('borrowed_program', 'borrowed_program.py')
loaded_module = importlib_module.util.module_from_spec(specification)
specification.loader.exec_module(loaded_module)
namespace = vars(loaded_module)
parameter_data = {donor.parameters_code}
"""
    attempts.append(
        _attempt(
            sources,
            "B-someone-elses-code-importlib-of-the-original",
            SOMEONE_ELSES_CODE,
            step,
            without_own_run(sources, step, code, named_seed=True),
            LINT_NO_DYNAMIC_EXECUTION,
            "no-dynamic-execution",
            "keeps step 05's definitions but imports a copy of the original's file through importlib",
            ("importlib",),
        )
    )

    step = 8
    donor = donor_for(sources, step)
    code = f"""
# The run: step {donor.step:02d}'s program, embedded, with this file's settings.
donor_text = {donor.text!r}
{settings_code(sources, donor, step, "donor_text")}
namespace = {{'__name__': '__main__'}}
eval(compile(donor_text, 'borrowed_program.py', 'exec'), namespace)
parameter_data = {donor.parameters_code}
"""
    attempts.append(
        _attempt(
            sources,
            "C-someone-elses-code-eval-of-an-embedded-step-07",
            SOMEONE_ELSES_CODE,
            step,
            without_own_run(sources, step, code, named_seed=True),
            LINT_NO_DYNAMIC_EXECUTION,
            "no-dynamic-execution",
            "keeps step 08's definitions but evaluates a compiled copy of step 07 embedded in the file",
            ("eval", "compile"),
        )
    )

    step = 11
    donor = donor_for(sources, step)
    code = f"""
# The run: step {donor.step:02d}'s file, read and executed with this file's settings.
{read(donor).replace("donor_text =", "donor_text: str =")}
{settings_code(sources, donor, step, "donor_text")}
namespace: dict[str, list[float]] = {{}}
exec(donor_text, namespace)
parameter_data = {donor.parameters_code}
"""
    attempts.append(
        _attempt(
            sources,
            "D-someone-elses-code-exec-of-step-10-s-file",
            SOMEONE_ELSES_CODE,
            step,
            without_own_run(sources, step, code, named_seed=True),
            LINT_NO_DYNAMIC_EXECUTION,
            "no-dynamic-execution",
            "keeps step 11's definitions but reads step 10's .py file and exec()s it with its knobs substituted",
            ("exec",),
        )
    )
    return attempts


# --- dead new code -----------------------------------------------------------------------


def _dead_new_code(sources: Sources) -> list[Attempt]:
    relu = replace_once(
        sources.step(3),
        "tape_local_gradients.append((float(argument > 0),))",
        "tape_local_gradients.append((1.0,))",
        within="tape_relu",
    )
    softmax = replace_once(sources.step(4), "max_val = max(logit_values)", "max_val = 0.0", within="softmax")
    residual = replace_once(
        sources.step(5),
        "x = linear(tape, x, parameter_offset_table[f'layer{li}.mlp_fc2'])\n"
        "        x = [tape_add(tape, a, b) for a, b in zip(x, x_residual)]\n",
        "x = linear(tape, x, parameter_offset_table[f'layer{li}.mlp_fc2'])\n",
        within="gpt",
    )
    return [
        _attempt(
            sources,
            "B-dead-new-code-tape-relu-derivative",
            DEAD_NEW_CODE,
            3,
            relu,
            EXERCISE,
            "tape-operations-match-value",
            "tape_relu passes the gradient through for negative inputs too (derivative 1, not 0)",
            ("tape_relu",),
        ),
        _attempt(
            sources,
            "B-dead-new-code-tape-softmax-without-maximum",
            DEAD_NEW_CODE,
            4,
            softmax,
            EXERCISE,
            "tape-kernels-match-value",
            "the tape softmax does not subtract the maximum logit, so its floats differ from softmax_value's",
            ("softmax",),
        ),
        _attempt(
            sources,
            "B-dead-new-code-tape-gpt-drops-mlp-residual",
            DEAD_NEW_CODE,
            5,
            residual,
            EXERCISE,
            "tape-forward-matches-value",
            "the tape gpt drops the residual connection around the MLP block",
            ("gpt",),
        ),
    ]


# --- hidden state ------------------------------------------------------------------------


def _hidden_state(sources: Sources) -> list[Attempt]:
    linear = sources.step(2)
    linear = insert_before(
        linear,
        "def linear(x, params, matrix_offset):",
        "linear_output_buffer = [] # one list for every call of linear, to save allocations\n\n",
    )
    linear = replace_once(linear, "    output = []\n", "    linear_output_buffer.clear()\n", within="linear")
    linear = replace_once(linear, "output.append(total)", "linear_output_buffer.append(total)", within="linear")
    linear = replace_once(linear, "return output", "return list(linear_output_buffer)", within="linear")

    heads = sources.step(7)
    heads = insert_before(
        heads, "def gpt(tape,", "head_output_buffer = [] # one list for every head of every position\n\n"
    )
    heads = replace_once(
        heads, "head_out = []\n", "head_out = head_output_buffer\n            head_out.clear()\n", within="gpt"
    )

    softmax = sources.step(8)
    softmax = insert_before(
        softmax, "def softmax_float(logits):", "exponential_buffer = [] # reused by every softmax_float\n\n"
    )
    softmax = replace_once(
        softmax,
        "    exponentials = []\n",
        "    exponentials = exponential_buffer\n    exponentials.clear()\n",
        within="softmax_float",
    )

    backward = sources.step(11)
    backward = insert_before(
        backward,
        "def tape_backward(",
        "tape_gradient_buffer: list[float] = [] # one gradient array for every training step\n\n",
    )
    backward = replace_once(
        backward,
        "    tape_gradients: list[float] = [0.0] * len(tape_data)\n",
        "    tape_gradients: list[float] = tape_gradient_buffer\n    tape_gradients.clear()\n"
        "    tape_gradients.extend([0.0] * len(tape_data))\n",
        within="tape_backward",
    )
    return [
        _attempt(
            sources,
            "A-hidden-state-linear-output-buffer",
            HIDDEN_STATE,
            2,
            linear,
            LINT_HIDDEN_STATE,
            "hidden-state",
            "linear fills a module-level list and returns a copy of it: the function writes state its signature does not name",
            ("linear_output_buffer",),
        ),
        _attempt(
            sources,
            "B-hidden-state-tape-gpt-head-buffer",
            HIDDEN_STATE,
            7,
            heads,
            LINT_HIDDEN_STATE,
            "hidden-state",
            "the tape gpt collects every head's output in one module-level list",
            ("head_output_buffer",),
        ),
        _attempt(
            sources,
            "C-hidden-state-softmax-float-buffer",
            HIDDEN_STATE,
            8,
            softmax,
            LINT_HIDDEN_STATE,
            "hidden-state",
            "softmax_float reuses a module-level list for its exponentials",
            ("exponential_buffer",),
        ),
        _attempt(
            sources,
            "D-hidden-state-tape-backward-gradient-buffer",
            HIDDEN_STATE,
            11,
            backward,
            LINT_HIDDEN_STATE,
            "hidden-state",
            "tape_backward hands out one module-level gradient array, cleared and refilled every step",
            ("tape_gradient_buffer",),
        ),
    ]


# --- regressions of an earlier step -------------------------------------------------------


def _regressions(sources: Sources) -> list[Attempt]:
    state_dict = sources.step(2)
    state_dict = insert_before(
        state_dict,
        "# Define the model architecture",
        "state_dict = parameter_offset_table # the matrices by name, as the original called them\n\n",
    )
    state_dict = replace_once(
        state_dict,
        "logits = gpt(token_id, pos_id, keys, values, params, parameter_offset_table)\n        probs = softmax(logits)",
        "logits = gpt(token_id, pos_id, keys, values, params, state_dict)\n        probs = softmax(logits)",
    )

    index_seven = replace_once(
        sources.step(7),
        "tokens.append(character_to_token[character])",
        "tokens.append(unique_characters.index(character))",
    )

    gradients = sources.step(9)
    gradients = replace_once(
        gradients,
        "    tape_gradients = tape_backward(tape, loss)\n",
        "    tape_gradients = tape_backward(tape, loss)\n"
        "    parameter_gradients = tape_gradients[:len(parameter_data)] # the parameters' gradients in their own array\n",
    )
    gradients = replace_once(gradients, "(1 - beta1) * tape_gradients[i]", "(1 - beta1) * parameter_gradients[i]")
    gradients = replace_once(
        gradients, "(1 - beta2) * tape_gradients[i] ** 2", "(1 - beta2) * parameter_gradients[i] ** 2"
    )

    index_eleven = replace_once(
        sources.step(11),
        "tokens.append(character_to_token[character])",
        "tokens.append(unique_characters.index(character))",
    )
    return [
        _attempt(
            sources,
            "A-regression-state-dict-again",
            REGRESSION,
            2,
            state_dict,
            CARRIED_CLAIM,
            "01",
            "binds state_dict again, which step 01 removed",
            ("state_dict",),
        ),
        _attempt(
            sources,
            "B-regression-index-tokenization-at-07",
            REGRESSION,
            7,
            index_seven,
            CARRIED_CLAIM,
            "02",
            "tokenizes with unique_characters.index() again, the linear scan step 02 replaced by a lookup table",
            ("unique_characters.index",),
        ),
        _attempt(
            sources,
            "C-regression-parameter-gradients-again",
            REGRESSION,
            9,
            gradients,
            CARRIED_CLAIM,
            "06",
            "copies the gradients into a parameter_gradients array again, which step 06 removed",
            ("parameter_gradients",),
        ),
        _attempt(
            sources,
            "D-regression-index-tokenization-at-11",
            REGRESSION,
            11,
            index_eleven,
            CARRIED_CLAIM,
            "02",
            "tokenizes with unique_characters.index() again, the linear scan step 02 replaced by a lookup table",
            ("unique_characters.index",),
        ),
    ]


# --- specialised to the defaults ------------------------------------------------------------


def _specialised(sources: Sources) -> list[Attempt]:
    # Not a forward pass specialised to one layer: from step 03 on the exercises run the tape
    # gpt with two layers, so the plain check already fails it (tests/proof/test_exercises_later.py).
    sampling_temperature = replace_once(
        sources.step(7),
        "scaled_logits = [tape_multiply_constant(tape, l, temperature ** -1) for l in logits]",
        "scaled_logits = [tape_multiply_constant(tape, l, 0.5 ** -1) for l in logits]",
    )
    temperature = replace_once(
        sources.step(8),
        "scaled_logits = [l * temperature ** -1 for l in logits]",
        "scaled_logits = [l * 0.5 ** -1 for l in logits]",
    )
    head_width = replace_once(
        sources.step(9), "head_dim = n_embd // n_head # dimension of each head", "head_dim = 4 # dimension of each head"
    )
    alphabet = replace_once(
        sources.step(11),
        "unique_characters: list[str] = sorted(set(''.join(documents)))",
        "unique_characters: list[str] = list('abcdefghijklmnopqrstuvwxyz')",
    )
    schedule = replace_once(
        sources.step(11), "math.cos(math.pi * step / number_of_steps)", "math.cos(step / number_of_steps * math.pi)"
    )
    return [
        _attempt(
            sources,
            "D-specialised-schedule-regrouped",
            SPECIALISED,
            11,
            schedule,
            HELD_SETTINGS,
            "more training steps",
            "the cosine schedule's angle is regrouped: the same floats at 2, 3, 6, 10 and 15 training steps, not at 20",
            exposure=Exposure(("num_steps=20",), "more training steps"),
        ),
        _attempt(
            sources,
            "B-specialised-temperature-literal",
            SPECIALISED,
            7,
            sampling_temperature,
            HELD_SETTINGS,
            "optimizer and sampling",
            "sampling on the tape scales the logits by 0.5 ** -1, the default temperature, not by temperature",
            exposure=Exposure(("temperature=0.9",), "optimizer and sampling"),
        ),
        _attempt(
            sources,
            "C-specialised-temperature-literal",
            SPECIALISED,
            8,
            temperature,
            HELD_SETTINGS,
            "optimizer and sampling",
            "sampling scales the logits by 0.5 ** -1, the default temperature, not by temperature",
            exposure=Exposure(("temperature=0.9",), "optimizer and sampling"),
        ),
        _attempt(
            sources,
            "C-specialised-head-width-four",
            SPECIALISED,
            9,
            head_width,
            HELD_SETTINGS,
            "architecture",
            "the head width is the literal 4, right only for n_embd=16 and n_head=4",
            exposure=Exposure(("n_embd=12", "n_head=2"), "architecture"),
        ),
        _attempt(
            sources,
            "D-specialised-a-to-z-vocabulary",
            SPECIALISED,
            11,
            alphabet,
            HELD_SETTINGS,
            "another names file",
            "the vocabulary is the letters a to z, not the characters of the names file",
            exposure=Exposure((), "another names file", dataset=VARIANT_DATASET, outcome=CRASHES),
        ),
    ]


PRINTED_OUTPUT_EXPOSURES: dict[int, Exposure] = {
    1: Exposure(("temperature=0.9",), "optimizer and sampling"),
    11: Exposure(("n_layer=2",), "architecture"),
}
"""The steps that get a replayed-output attempt, and the setting that exposes each (any
setting does; these share their reference run with another attempt's exposure)."""


def printed_output_attempt(sources: Sources, captured: CapturedRun) -> Attempt:
    """Step `captured.step` whose run prints `captured`'s output and sets its final parameters
    without computing anything; the data loading still prints the first lines itself."""
    step = captured.step
    lines = captured.stdout.splitlines(keepends=True)
    expected_starts = ("num docs:", "vocab size:", "num params:")
    if len(lines) <= HEAD_LINE_COUNT or not all(line.startswith(start) for line, start in zip(lines, expected_starts)):
        raise MutationError("the captured run does not start with the three lines every step prints first")
    annotated = step >= 11
    replayed = "".join(lines[HEAD_LINE_COUNT:])
    code = f"""
# The run, as the default run printed it and left the parameters.
printed_text{": str" if annotated else ""} = {replayed!r}
recorded_parameters{": list[str]" if annotated else ""} = {list(captured.parameters)!r}
print(printed_text, end='')
parameter_data = [float.fromhex(recorded) for recorded in recorded_parameters]
"""
    return _attempt(
        sources,
        f"{sources.phase(step)}-specialised-replays-the-default-run",
        SPECIALISED,
        step,
        without_own_run(sources, step, code),
        HELD_SETTINGS,
        PRINTED_OUTPUT_EXPOSURES[step].held_setting,
        f"prints what step {step:02d} printed under the quick profile and sets its final parameters, computing nothing",
        exposure=PRINTED_OUTPUT_EXPOSURES[step],
    )


def capture_run(
    sources: Sources, step: int, dataset: Path, profile: str = "quick", timeout: float = 600.0
) -> CapturedRun:
    """Run the real step file under `profile` (in a temporary directory, as the runner does)."""
    knobs = discover_knobs(sources.original)
    values, _ = resolve_knob_values(knobs, sources.plan, profile, ())
    path = sources.root / "steps" / sources.plan.step(step).file_name
    rewritten = rewrite_knobs(sources.step(step), values, plan=sources.plan, step_number=step, source_name=path.name)
    result = execute(
        Runnable(f"step {step:02d}", path, rewritten, sources.plan.step(step).parameters), dataset, timeout=timeout
    )
    if not result.ok or result.parameters is None:
        raise RuntimeError(f"the real step {step:02d} did not run: {result.error}")
    return CapturedRun(step=step, stdout=result.stdout, parameters=result.parameters)


# --- correct refactorings -----------------------------------------------------------------------


def correct_refactorings(sources: Sources) -> list[Attempt]:
    """Refactorings that change no float: they must pass every check, plain or strengthened."""
    adam = replace_once(
        sources.step(2),
        "first_moment[i] = beta1 * first_moment[i] + (1 - beta1) * parameter_gradients[i]",
        "first_moment[i] = first_moment[i] * beta1 + parameter_gradients[i] * (1 - beta1)",
    )
    multiply = replace_once(
        sources.step(7), "tape_data.append(left * right)", "tape_data.append(right * left)", within="tape_multiply"
    )
    renamed = rename_local(sources.step(8), "softmax_float", "maximum_logit", "largest_logit")
    renamed = rename_local(renamed, "softmax_float", "reciprocal", "inverse_total")
    halved = replace_once(
        sources.step(11),
        "adjusted_learning_rate = learning_rate * 0.5 * (1 + math.cos(math.pi * step / number_of_steps))",
        "adjusted_learning_rate = learning_rate * (1 + math.cos(math.pi * step / number_of_steps)) / 2",
    )
    commuted = replace_once(
        sources.step(11),
        "dot_product = dot_product + query_head[dimension] * key_heads[past_position][dimension]",
        "dot_product = dot_product + key_heads[past_position][dimension] * query_head[dimension]",
        within="forward_inference",
    )
    return [
        _attempt(
            sources,
            "A-correct-commuted-adam-products",
            CORRECT,
            2,
            adam,
            None,
            "",
            "beta1 * m and (1 - beta1) * g written with their operands swapped: multiplication of two floats commutes",
        ),
        _attempt(
            sources,
            "B-correct-commuted-tape-multiply",
            CORRECT,
            7,
            multiply,
            None,
            "",
            "tape_multiply computes right * left: the same float",
        ),
        _attempt(
            sources,
            "C-correct-renamed-softmax-float-locals",
            CORRECT,
            8,
            renamed,
            None,
            "",
            "softmax_float's locals renamed",
        ),
        _attempt(
            sources,
            "D-correct-halving-regrouped",
            CORRECT,
            11,
            halved,
            None,
            "",
            "learning_rate * 0.5 * c regrouped as learning_rate * c / 2: scaling by a power of two is exact, so the float is the same",
        ),
        _attempt(
            sources,
            "D-correct-commuted-attention-dot-product",
            CORRECT,
            11,
            commuted,
            None,
            "",
            "the float attention dot product multiplies key by query instead of query by key",
        ),
    ]


# --- the corpus ---------------------------------------------------------------------------------


def fooling_attempts(sources: Sources) -> list[Attempt]:
    """Every fooling attempt that needs no captured run (see printed_output_attempt for the rest)."""
    return [
        *_dead_new_code(sources),
        *_someone_elses_code(sources),
        *_hidden_state(sources),
        *_regressions(sources),
        *_specialised(sources),
    ]


def every_attempt(sources: Sources, captured_runs: Sequence[CapturedRun]) -> list[Attempt]:
    """The whole corpus: fooling attempts, the replays of `captured_runs` (one per step of
    PRINTED_OUTPUT_EXPOSURES, see capture_run), and the correct refactorings."""
    replays = [printed_output_attempt(sources, captured) for captured in captured_runs]
    return [*fooling_attempts(sources), *replays, *correct_refactorings(sources)]


def coverage_gaps(
    attempts: Sequence[Attempt], phases: Sequence[str], also_present: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(kind, phase) pairs with no attempt that are not explained in IMPOSSIBLE."""
    present = {(attempt.kind, attempt.phase) for attempt in attempts} | set(also_present)
    return [
        (kind, phase)
        for kind in FOOLING_KINDS
        for phase in phases
        if (kind, phase) not in present and (kind, phase) not in IMPOSSIBLE
    ]


def by_id(attempts: Sequence[Attempt]) -> Mapping[str, Attempt]:
    table = {attempt.id: attempt for attempt in attempts}
    if len(table) != len(attempts):
        raise ValueError("two attempts share an id")
    return table
