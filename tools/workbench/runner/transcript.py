"""The shape of microgpt's output: what its lines mean to the runner.

    num docs: 32033
    vocab size: 27
    num params: 4064
    step    1 /  500 | loss 3.3630
    ...
    step  500 /  500 | loss 2.0859

    --- inference ---
    sample  1: kalia
    ...

Training is timed from the `num params:` line to the last `step` line; inference from the
last `step` line to the last line of output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

STEP_LINE = re.compile(r"^step\s+(?P<step>\d+)\s*/\s*(?P<total>\d+)\s*\|\s*loss\s+(?P<loss>\S+)\s*$")
PARAMETER_COUNT_PREFIX = "num params:"
SAMPLE_PREFIX = "sample"
INFERENCE_BANNER = "--- inference ---"
STEP_LINE_START = re.compile(r"^step\s+(?P<step>\d+)\s*/")
SAMPLE_LINE = re.compile(r"^sample\s+(?P<sample>\d+)\s*:")


@dataclass(frozen=True)
class TimedLine:
    """One line of a program's stdout (without its newline) and when it arrived."""

    text: str
    seconds: float
    """Seconds since the program was started."""


@dataclass(frozen=True)
class TrainingStep:
    step: int
    total: int
    loss: str


def parse_step_line(line: str) -> TrainingStep | None:
    match = STEP_LINE.match(line)
    if match is None:
        return None
    return TrainingStep(step=int(match["step"]), total=int(match["total"]), loss=match["loss"])


def phase_seconds(lines: Sequence[TimedLine]) -> tuple[float | None, float | None]:
    """(training seconds, inference seconds), or None where the output lacks the lines."""
    step_times = [line.seconds for line in lines if parse_step_line(line.text) is not None]
    if not step_times:
        return None, None
    start = next((line.seconds for line in lines if line.text.startswith(PARAMETER_COUNT_PREFIX)), 0.0)
    last_step = step_times[-1]
    return last_step - start, lines[-1].seconds - last_step


def last_training_step(lines: Sequence[str]) -> TrainingStep | None:
    for line in reversed(lines):
        step = parse_step_line(line)
        if step is not None:
            return step
    return None


def sample_lines(lines: Sequence[str]) -> list[str]:
    """The sampled names the program printed (`sample  1: kalia`, ...)."""
    return [line for line in lines if line.startswith(SAMPLE_PREFIX)]


def printed_losses(lines: Sequence[str]) -> list[float]:
    """The training losses the program printed, in order (`step 3 / 10 | loss 3.1234` -> 3.1234)."""
    losses: list[float] = []
    for line in lines:
        step = parse_step_line(line)
        if step is not None:
            try:
                losses.append(float(step.loss))
            except ValueError:
                continue
    return losses


def sampled_names(lines: Sequence[str]) -> list[str]:
    """The sampled names as printed (`sample  1: kalia` -> 'kalia')."""
    return [line.partition(":")[2].strip() for line in sample_lines(lines)]


def split_lines(stdout: str) -> list[str]:
    """Lines of output as compared and stored: split on newlines, a final newline gives ''."""
    return stdout.split("\n")


def phase_of(line: str) -> str:
    """Which part of the run a printed line belongs to: 'training loss at step 3',
    'sample 5', 'the inference banner' or 'the header'."""
    training = STEP_LINE_START.match(line.strip())
    if training is not None:
        return f"training loss at step {int(training['step'])}"
    sample = SAMPLE_LINE.match(line.strip())
    if sample is not None:
        return f"sample {int(sample['sample'])}"
    return "the header" if "inference" not in line else "the inference banner"


def reached_inference(lines: Sequence[str]) -> bool:
    """The program printed its inference banner or a sample."""
    return any(line.strip() == INFERENCE_BANNER or SAMPLE_LINE.match(line.strip()) is not None for line in lines)
