"""Is a run equivalent to its references, at the level the plan declares?

Two comparisons, stronger together than four printed decimals:

- output: stdout, line for line, against the ORIGINAL's stdout under the same settings;
- parameters: the final parameters, float for float by their bits (float.hex), against the
  PREDECESSOR's under the same settings (the original for step 01 and for the original).

Levels:
- `bit`: output identical AND every parameter bit-identical. One float that differs in its
  last bit fails the step, even when the printed output is identical.
- `print`: output identical; parameters may drift, and the largest absolute difference is
  reported. A different number of parameters fails both levels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.plan import BIT
from workbench.proof.parameter_places import MatrixLayout, ParameterDifference, first_difference
from workbench.proof.wording import parameter_difference_meaning
from workbench.runner.transcript import split_lines

SHOWN_DIFFERENCES = 5
"""How many differing lines a report shows, from the first one on."""


@dataclass(frozen=True)
class LineDifference:
    line_number: int
    """1-based, as an editor shows it."""
    expected: str | None
    """None when the expected output has no such line."""
    got: str | None


@dataclass(frozen=True)
class OutputComparison:
    identical: bool
    expected_line_count: int
    got_line_count: int
    differing_line_count: int
    differences: tuple[LineDifference, ...]
    """The first few differing lines, in order."""

    @property
    def first_difference(self) -> LineDifference | None:
        return self.differences[0] if self.differences else None


@dataclass(frozen=True)
class ParameterComparison:
    expected_count: int
    got_count: int
    differing_count: int
    """How many floats differ in at least one bit (0 when the counts differ)."""
    max_difference: float | None
    """Largest absolute difference; None when the counts differ."""
    first: ParameterDifference | None = None
    """The first parameter that differs, named through the layout when the run gave one."""

    @property
    def same_count(self) -> bool:
        return self.expected_count == self.got_count

    @property
    def bit_identical(self) -> bool:
        return self.same_count and self.differing_count == 0


OUTPUT = "output"
PARAMETERS = "parameters"
CONTRACT = "contract"
EXERCISE = "exercise"
LINT = "lint"
REPLAY = "replay"
"""The learner's functions replayed on the reference's recorded calls (workbench.runner.blame)."""
HELD = "held setting"
"""The plain check's one held setting (workbench.runner.check.SPOT_SETTING)."""
SETTING = "setting"
CLAIM_KINDS: tuple[str, ...] = (OUTPUT, PARAMETERS, CONTRACT, EXERCISE, REPLAY, LINT, HELD, SETTING)


@dataclass(frozen=True)
class Claim:
    """One thing checked about a run, by name: whether it holds, and the evidence in words."""

    name: str
    """'output identical to the original', 'final parameters bit-identical to step 06's', a contract claim."""
    kind: str
    """output, parameters, contract (a structural claim, the step's own or carried forward),
    exercise (new functions run on generated inputs), lint (a rule mandatory at the step),
    or setting (a held setting of --prove)."""
    holds: bool
    detail: str
    """What was found: why it fails, or what holding looked like."""
    short: str = ""
    """A shorter form of a failure's detail for one-line summaries (empty: the detail)."""


@dataclass(frozen=True)
class Verdict:
    identical: bool
    """Equivalent at the declared level: every claim holds."""
    level: str
    summary: str
    """Derived from the claims: the details of those that fail, else what the level means."""
    output: OutputComparison
    parameters: ParameterComparison
    claims: tuple[Claim, ...] = ()
    """The output claim, then the parameters claim."""


def compare_output(expected: str, got: str) -> OutputComparison:
    expected_lines = split_lines(expected)
    got_lines = split_lines(got)
    differences: list[LineDifference] = []
    differing = 0
    for index in range(max(len(expected_lines), len(got_lines))):
        expected_line = expected_lines[index] if index < len(expected_lines) else None
        got_line = got_lines[index] if index < len(got_lines) else None
        if expected_line != got_line:
            differing += 1
            if len(differences) < SHOWN_DIFFERENCES:
                differences.append(LineDifference(index + 1, expected_line, got_line))
    return OutputComparison(
        identical=not differing,
        expected_line_count=_counted_lines(expected_lines),
        got_line_count=_counted_lines(got_lines),
        differing_line_count=differing,
        differences=tuple(differences),
    )


def compare_parameters(
    expected: tuple[str, ...] | list[str],
    got: tuple[str, ...] | list[str],
    layout: tuple[MatrixLayout, ...] | None = None,
) -> ParameterComparison:
    """Float for float by their bits; `layout` (the run's matrices) names the first difference."""
    if len(expected) != len(got):
        return ParameterComparison(len(expected), len(got), 0, None)
    differing = 0
    largest = 0.0
    for expected_hex, got_hex in zip(expected, got):
        if expected_hex != got_hex:
            differing += 1
            difference = abs(float.fromhex(got_hex) - float.fromhex(expected_hex))
            largest = difference if difference != difference else max(largest, difference)
    first = first_difference(expected, got, layout) if differing else None
    return ParameterComparison(len(expected), len(got), differing, largest, first)


def output_claim(output: OutputComparison, reference: str) -> Claim:
    """Every line of output equals `reference`'s ('the original', 'the reference')."""
    if output.identical:
        detail = f"{output.got_line_count} lines identical"
    else:
        first = output.first_difference
        assert first is not None
        count = output.differing_line_count
        detail = (
            f"output differs from line {first.line_number} ({count} line{'s differ' if count != 1 else ' differs'})"
        )
    return Claim(f"output identical to {reference}", OUTPUT, output.identical, detail)


def parameters_claim(level: str, parameters: ParameterComparison, predecessor: str) -> Claim:
    """What `level` demands of the final parameters against `predecessor`'s ('step 06')."""
    if level == BIT:
        name = f"final parameters bit-identical to {predecessor}'s"
    else:
        name = f"final parameters as many as {predecessor}'s, drift allowed"
    if not parameters.same_count:
        return Claim(
            name,
            PARAMETERS,
            False,
            f"parameter count differs ({parameters.got_count} instead of {parameters.expected_count})",
        )
    if parameters.bit_identical:
        return Claim(
            name, PARAMETERS, True, "parameters bit-identical" if level == BIT else "parameters bit-identical too"
        )
    if level == BIT:
        first = "" if parameters.first is None else f"; {parameters.first.describe()}"
        short = f"{parameters.differing_count} of {parameters.expected_count} parameters are not bit-identical"
        return Claim(
            name,
            PARAMETERS,
            False,
            (
                f"{short} (largest difference {format_difference(parameters.max_difference)}; level bit requires every bit){first}"
            ),
            short=short,
        )
    return Claim(
        name,
        PARAMETERS,
        True,
        (
            f"parameters drift: {parameters.differing_count} of {parameters.expected_count} differ, "
            f"by at most {format_difference(parameters.max_difference)}"
        ),
    )


def judge(
    level: str,
    output: OutputComparison,
    parameters: ParameterComparison,
    *,
    reference: str = "the original",
    predecessor: str = "the predecessor",
) -> Verdict:
    """The verdict at `level`: its claims, and a one-line summary for people derived from them."""
    claims = (output_claim(output, reference), parameters_claim(level, parameters, predecessor))
    if output.identical and not claims[1].holds and parameters.same_count:
        # The one failure a newcomer cannot see: same printed output, other bits.
        claims = (
            claims[0],
            replace(
                claims[1],
                detail=f"{claims[1].detail}. What this means: {parameter_difference_meaning(parameters.first.ulps if parameters.first else None)}",
                short=f"{claims[1].short or claims[1].detail}, although the output is identical",
            ),
        )
    return Verdict(all(claim.holds for claim in claims), level, summarize(level, claims), output, parameters, claims)


def summarize(level: str, claims: tuple[Claim, ...]) -> str:
    """'identical at bit level', 'identical at print level (parameters drift: ...)', or the
    details of the claims that fail, joined by semicolons."""
    problems = [claim.short or claim.detail for claim in claims if not claim.holds]
    if problems:
        return "; ".join(problems)
    if level == BIT:
        return "identical at bit level"
    parameters = next((claim for claim in claims if claim.kind == PARAMETERS), None)
    return "identical at print level" if parameters is None else f"identical at print level ({parameters.detail})"


def format_difference(difference: float | None) -> str:
    if difference is None:
        return "n/a"
    return "0" if difference == 0 else f"{difference:.3g}"


def _counted_lines(lines: list[str]) -> int:
    return len(lines) - 1 if lines and lines[-1] == "" else len(lines)
