"""--html and --svg: well-formed, carrying what the screen shows, never overwriting silently."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from testkit.cli import tool_main
from testkit.diffview import HandMadeProject
from workbench.diffview.comparison import compare
from workbench.diffview.diff_render import ADDED_TOKENS, REMOVED_TOKENS, render_diff
from workbench.diffview.export import make_recording_console
from workbench.diffview.printing import print_parts
from workbench.errors import run_command_line
from workbench.plan import Plan

main = tool_main("diffstep")

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class BalanceChecker(HTMLParser):
    """Collects the text and fails on any closing tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__()
        self.open_tags: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open_tags[-1:] or 'nothing'}")
        else:
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_export_is_well_formed_and_carries_the_commit_and_the_diff(
    tmp_path: Path, hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    target = tmp_path / "step02.html"
    assert run_command_line(main, [*hand_made_project.arguments, "02", "--html", str(target)]) == 0
    screen = capsys.readouterr().out
    checker = BalanceChecker()
    checker.feed(target.read_text(encoding="utf-8"))
    checker.close()
    assert checker.problems == [] and checker.open_tags == []
    text = "".join(checker.text)
    assert plan.step(2).commit in text
    assert "n_layer = 1     # number of layers (hand-made step 02)" in text
    assert "Step 02 of 11" in screen


def test_svg_export_is_xml_with_the_commit_message(
    tmp_path: Path, hand_made_project: HandMadeProject, plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    target = tmp_path / "step02.svg"
    assert run_command_line(main, [*hand_made_project.arguments, "02", "--stat", "--svg", str(target)]) == 0
    root = ElementTree.parse(target).getroot()
    assert root.tag.endswith("svg")
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert plan.step(2).commit.split(":")[0] in text


def test_an_existing_export_file_is_not_overwritten_without_force(
    tmp_path: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    target = tmp_path / "slides.html"
    target.write_text("my slides", encoding="utf-8")
    assert run_command_line(main, [*hand_made_project.arguments, "02", "--html", str(target)]) == 2
    captured = capsys.readouterr()
    assert "already exists; pass --force" in captured.err
    assert captured.out == "", "nothing is shown before the refusal"
    assert target.read_text(encoding="utf-8") == "my slides"
    assert run_command_line(main, [*hand_made_project.arguments, "02", "--html", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_same_file_for_both_exports_is_refused(
    tmp_path: Path, hand_made_project: HandMadeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    hand_made_project.write([1, 2])
    target = tmp_path / "both"
    assert (
        run_command_line(main, [*hand_made_project.arguments, "02", "--html", str(target), "--svg", str(target)]) == 2
    )
    assert "both name" in capsys.readouterr().err
    assert not target.exists()


def test_on_a_terminal_the_changed_token_alone_gets_the_strong_tint(
    tmp_path: Path, hand_made_project: HandMadeProject, tool_cache: Path
) -> None:
    hand_made_project.write([1, 2])
    comparison = compare(
        hand_made_project.plan, hand_made_project.program(1), hand_made_project.program(2), cache=tool_cache
    )
    console = make_recording_console(width=120)
    print_parts(console, [render_diff(comparison, plain=False)])
    page = console.export_html(inline_styles=True)
    for style, token in ((REMOVED_TOKENS, "01"), (ADDED_TOKENS, "02")):
        colour = style.split("on ")[1]
        tinted = re.findall(rf'<span style="[^"]*background-color: {colour}[^"]*">([^<]*)</span>', page)
        assert tinted == [token], (style, tinted)
