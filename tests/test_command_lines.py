"""What every command line of the workbench shares: --format with the old flags as aliases,
--no-color, one-sentence usage errors with exit status 2, and a clear word when the
workbench is not installed."""

from __future__ import annotations

import pytest

from testkit.cli import run_tool

TOOLS_WITH_FORMATS = {
    "run_step": ("text", "json", "markdown"),
    "diffstep": ("text", "json", "markdown", "html", "svg"),
    "export_git": ("text", "json", "markdown"),
}


@pytest.mark.parametrize("tool", sorted(TOOLS_WITH_FORMATS))
def test_help_offers_format_and_no_color(tool: str) -> None:
    process = run_tool(tool, "--help")
    assert process.returncode == 0, process.stderr
    flat = " ".join(process.stdout.split())
    assert "--format" in flat and "--no-color" in flat
    assert "{" + ",".join(TOOLS_WITH_FORMATS[tool]) + "}" in flat


@pytest.mark.parametrize(("tool", "arguments"), [
    ("run_step", ("07", "--json", "--format", "markdown")),
    ("diffstep", ("07", "--format", "yaml")),
    ("export_git", ("somewhere", "--format", "yaml")),
])
def test_a_bad_format_is_one_sentence_and_exit_2(tool: str, arguments: tuple[str, ...]) -> None:
    process = run_tool(tool, *arguments)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "--format" in lines[0]


@pytest.mark.parametrize("tool", sorted(TOOLS_WITH_FORMATS))
def test_without_the_installed_workbench_the_tool_says_how_to_install_it(tool: str) -> None:
    """-I -S: no site-packages (so no rich, no libcst) and not even the script's folder."""
    process = run_tool(tool, "--help", interpreter_options=("-I", "-S"))
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and "the workbench is not installed" in lines[0] and "python -m pip install -e ." in lines[0]
    assert "Traceback" not in process.stderr
