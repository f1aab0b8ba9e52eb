"""A figure this system cannot measure (peak memory on Windows) is said to be so, in the
result's timings and in the table, instead of failing or looking like zero."""

from __future__ import annotations

import io

from workbench.console import make_console
from workbench.plan import Plan
from workbench.programs import original_program
from workbench.runner.execute import RunResult
from workbench.runner.report import NOT_MEASURED, render_result
from workbench.runner.results import TargetResult
from workbench.runner.table import TABLE_HEADINGS, table_rows


def result_with_peak(plan: Plan, peak: int | None) -> TargetResult:
    run = RunResult(
        status="ok",
        stdout="step    1 /   10 | loss 3.3\n",
        parameters=("0x0p+0",),
        peak_memory_bytes=peak,
        seconds_total=1.0,
        seconds_training=0.8,
        seconds_inference=0.2,
    )
    return TargetResult(original_program(plan), "ok", True, "identical", run=run)


def test_the_result_and_the_table_say_not_measured_here(plan: Plan) -> None:
    console = make_console(file=io.StringIO())
    render_result(console, result_with_peak(plan, None), show_samples=False)
    assert "peak memory not measured here" in console.file.getvalue()  # type: ignore[attr-defined]
    [row] = table_rows([result_with_peak(plan, None)])
    assert row[TABLE_HEADINGS.index("peak MiB")] == NOT_MEASURED


def test_a_measured_peak_is_shown_in_mebibytes(plan: Plan) -> None:
    console = make_console(file=io.StringIO())
    render_result(console, result_with_peak(plan, 37 << 20), show_samples=False)
    assert "peak memory 37.0 MiB" in console.file.getvalue()  # type: ignore[attr-defined]
    [row] = table_rows([result_with_peak(plan, 37 << 20)])
    assert row[TABLE_HEADINGS.index("peak MiB")] == "37.0"
