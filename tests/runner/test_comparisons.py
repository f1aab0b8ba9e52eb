"""Comparing output line for line and parameters bit for bit, at the declared level."""

from __future__ import annotations

import math

from workbench.runner.equivalence import compare_output, compare_parameters, judge

OUTPUT = "num params: 3\nstep    1 /    1 | loss 1.0000\n\n--- inference ---\nsample  1: ada\n"
PARAMETERS = [(0.1).hex(), (-2.5).hex(), (0.0).hex()]


def nudged(index: int) -> list[str]:
    values = [float.fromhex(text) for text in PARAMETERS]
    values[index] = math.nextafter(values[index], math.inf)
    return [value.hex() for value in values]


def test_identical_output_and_parameters_pass_both_levels() -> None:
    for level in ("bit", "print"):
        verdict = judge(level, compare_output(OUTPUT, OUTPUT), compare_parameters(PARAMETERS, PARAMETERS))
        assert verdict.identical
        assert verdict.summary.startswith(f"identical at {level} level")
        assert verdict.parameters.max_difference == 0.0


def test_one_character_shows_the_first_differing_line() -> None:
    got = OUTPUT.replace("ada", "adb")
    output = compare_output(OUTPUT, got)
    assert not output.identical
    assert output.first_difference is not None
    assert (output.first_difference.line_number, output.first_difference.expected, output.first_difference.got) == (
        5,
        "sample  1: ada",
        "sample  1: adb",
    )
    verdict = judge("print", output, compare_parameters(PARAMETERS, PARAMETERS))
    assert not verdict.identical
    assert "output differs from line 5" in verdict.summary


def test_a_missing_final_newline_is_a_difference() -> None:
    output = compare_output(OUTPUT, OUTPUT.rstrip("\n"))
    assert not output.identical
    assert output.first_difference is not None and output.first_difference.got is None


def test_the_last_bit_of_one_parameter_fails_bit_level_but_not_print_level() -> None:
    parameters = compare_parameters(PARAMETERS, nudged(1))
    assert not parameters.bit_identical and parameters.differing_count == 1
    assert parameters.max_difference == math.ulp(2.5)
    bit = judge("bit", compare_output(OUTPUT, OUTPUT), parameters)
    assert not bit.identical and "not bit-identical" in bit.summary
    printed = judge("print", compare_output(OUTPUT, OUTPUT), parameters)
    assert printed.identical and "drift" in printed.summary


def test_negative_zero_is_not_bit_identical_to_zero() -> None:
    parameters = compare_parameters([(0.0).hex()], [(-0.0).hex()])
    assert not parameters.bit_identical
    assert parameters.max_difference == 0.0


def test_a_different_parameter_count_fails_both_levels() -> None:
    parameters = compare_parameters(PARAMETERS, PARAMETERS[:2])
    for level in ("bit", "print"):
        verdict = judge(level, compare_output(OUTPUT, OUTPUT), parameters)
        assert not verdict.identical
        assert "parameter count differs (2 instead of 3)" in verdict.summary
