"""Fast stand-ins for microgpt and a small plan around them, for the runner's tests.

The fake original prints the same kinds of lines as microgpt (num docs, vocab size, num
params, `step N / M | loss X`, a blank line, `--- inference ---`, samples), reads
input.txt, trains a handful of floats with a module-level knob set, and finishes in
milliseconds. Variants of it are the snapshots and learners' attempts of the tests.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

FAKE_ORIGINAL = '''\
"""A stand-in for microgpt: the same kinds of lines, in milliseconds."""
import random
random.seed(42)
docs = [line.strip() for line in open('input.txt').read().strip().split('\\n') if line.strip()]
random.shuffle(docs)
print(f"num docs: {len(docs)}")
uchars = sorted(set(''.join(docs)))
vocab_size = len(uchars) + 1
print(f"vocab size: {vocab_size}")
n_embd = 4
n_layer = 1
learning_rate, beta1 = 0.5, 0.9
parameter_data = [random.gauss(0, 1) for _ in range(n_embd * n_layer * 3)]
print(f"num params: {len(parameter_data)}")

def update(parameters, step):
    loss = 0.0
    for index in range(len(parameters)):
        gradient = parameters[index] - 0.1 * (index % 3) + 0.01 * step
        parameters[index] -= learning_rate * (1 - beta1) * gradient
        loss += gradient * gradient
    return loss

num_steps = 5
for step in range(num_steps):
    loss = update(parameter_data, step)
    print(f"step {step+1:4d} / {num_steps:4d} | loss {loss:.4f}")

temperature = 0.5
print("\\n--- inference ---")
for sample_index in range(3):
    name = ''.join(random.choices(uchars, k=3 + sample_index))
    print(f"sample {sample_index+1:2d}: {name}")
'''

CRASH_LINE = "        loss += gradient * gradient\n"
"""Line 21 of the fake, inside `update`."""


def crash_line_number(source: str = FAKE_ORIGINAL) -> int:
    return source.splitlines(keepends=True).index(CRASH_LINE) + 1


def renamed(source: str = FAKE_ORIGINAL) -> str:
    """The fake as a later step would write it: renamed knobs, an annotated assignment."""
    return (
        source.replace("n_embd = 4", "embedding_dimension = 4")
        .replace("n_embd *", "embedding_dimension *")
        .replace("num_steps = 5", "number_of_steps: int = 5")
        .replace("range(num_steps)", "range(number_of_steps)")
        .replace("{num_steps:4d}", "{number_of_steps:4d}")
    )


def crashing(source: str = FAKE_ORIGINAL) -> str:
    """Divides by zero inside `update`, at the line CRASH_LINE."""
    return source.replace(CRASH_LINE, "        loss += gradient / 0\n")


def hanging(source: str = FAKE_ORIGINAL) -> str:
    """Trains, then never finishes."""
    return source.replace(
        'print("\\n--- inference ---")', 'import time\ntime.sleep(120)\nprint("\\n--- inference ---")'
    )


def with_syntax_error(source: str = FAKE_ORIGINAL) -> str:
    """The `def update` line loses its colon."""
    return source.replace("def update(parameters, step):", "def update(parameters, step)")


def syntax_error_line_number(source: str = FAKE_ORIGINAL) -> int:
    return source.splitlines().index("def update(parameters, step):") + 1


def one_character_different(source: str = FAKE_ORIGINAL) -> str:
    """Every sample line prints ';' where the original prints ':'."""
    return source.replace(
        'print(f"sample {sample_index+1:2d}: {name}")', 'print(f"sample {sample_index+1:2d}; {name}")'
    )


def last_bit_changed(source: str = FAKE_ORIGINAL) -> str:
    """Identical output; then one final parameter moves to the next float up."""
    return source + "import math\nparameter_data[0] = math.nextafter(parameter_data[0], math.inf)\n"


def without_parameters(source: str = FAKE_ORIGINAL) -> str:
    """Identical output, but the parameters live under another name."""
    return source + "weights = parameter_data\ndel parameter_data\n"


def plan_text(original: Path, steps_directory: Path, levels: tuple[str, str, str] = ("bit", "print", "bit")) -> str:
    """A three-step plan around the fake original, its steps in `steps_directory` (both
    absolute, so any tool finds them). Step 02 renames two knobs."""
    steps = []
    for number, (slug, level) in enumerate(zip(("fake_first", "fake_second", "fake_third"), levels), start=1):
        renames = '{ num_steps = "number_of_steps", n_embd = "embedding_dimension" }' if number == 2 else "{}"
        steps.append(
            textwrap.dedent(f'''
            [[steps]]
            number = {number}
            slug = "{slug}"
            phase = "Test"
            commit = "Fake step {number}"
            what = "A fake step."
            why = "For tests."
            reviewers = []
            level = "{level}"
            parameters = "parameter_data"
            equivalence = "By construction."
            renames = {renames}
        ''')
        )
    header = textwrap.dedent(f'''
        title = "A fake plan for the runner's tests"
        steps_directory = "{steps_directory.as_posix()}"

        [original]
        path = "{original.as_posix()}"
        parameters = "parameter_data"

        [profiles.full]

        [profiles.quick]
        num_steps = 3

        [lint]
        zero_from = {{}}
        deferred = []
    ''')
    return header + "".join(steps)
