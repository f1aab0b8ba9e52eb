"""docs/rules.md: generated from the rule modules, checked against them, written by
`lint_style.py --write-rules-reference`, and named by --explain."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import lint_style
from workbench.errors import run_command_line
from workbench.lint.engine import LintSettings, lint_text
from workbench.lint.fixes import SAFE_FIXES, fix_text
from workbench.lint.reference import GENERATED_MARKER, REFERENCE_PATH, REFRESH_COMMAND, anchor, prose, rules_reference
from workbench.lint.rule import Rule
from workbench.lint.rules import ALL_RULES
from workbench.paths import installed_root
from workbench.plan import Plan, load_plan

PROJECT_ROOT = installed_root()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(root=PROJECT_ROOT)


@pytest.fixture(scope="module")
def page(plan: Plan) -> str:
    return rules_reference(ALL_RULES, plan)


def _section(page: str, rule: Rule) -> str:
    start = page.index(f"\n## {rule.title}\n")
    end = page.find("\n## ", start + 1)
    return page[start:] if end < 0 else page[start:end]


def _found(rule: Rule, source: str, settings: LintSettings) -> int:
    return sum(1 for violation in lint_text(source, "example.py", settings).violations if violation.code == rule.code)


def test_the_committed_page_is_current(page: str) -> None:
    committed = PROJECT_ROOT / REFERENCE_PATH
    assert committed.is_file(), f"{REFERENCE_PATH} is missing; write it with: {REFRESH_COMMAND}"
    assert committed.read_text(encoding="utf-8") == page, (
        f"{REFERENCE_PATH} is stale (a rule or the plan changed); refresh it with: {REFRESH_COMMAND}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_has_a_contents_row_and_a_section(page: str, rule: Rule, plan: Plan) -> None:
    contents = page[page.index("## Contents") : page.index(f"\n## {ALL_RULES[0].title}\n")]
    assert f"[{rule.code}](#{anchor(rule)}) | `{rule.name}` |" in contents
    section = _section(page, rule)
    for part in (
        prose(rule.flags.split("\n\n")[0]),
        prose(rule.why.split("\n\n")[0]),
        prose(rule.fix.split("\n\n")[0]),
    ):
        assert part in section
    assert rule.example.rstrip("\n") in section and rule.fixed_example.rstrip("\n") in section
    assert f"--explain {rule.name}`" in section
    step = plan.lint_zero_from.get(rule.name, plan.last_step.number)
    assert (
        f"Required from: {'the final step (' if rule.name not in plan.lint_zero_from else ''}step {step:02d}" in section
    )


def test_the_page_starts_with_its_marker_and_a_table_of_contents(page: str) -> None:
    lines = page.splitlines()
    assert lines[0] == GENERATED_MARKER
    assert page.index("## Contents") < page.index(f"## {ALL_RULES[0].title}")
    assert page.count("\n## ") == len(ALL_RULES) + 1


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_the_pages_bad_example_is_flagged_and_its_good_one_is_not(rule: Rule, all_rules: LintSettings) -> None:
    """The meta rules too (the other rules' tests lint only rules with a check)."""
    assert _found(rule, rule.example, all_rules) >= 1
    assert _found(rule, rule.fixed_example, all_rules) == 0


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_the_fix_column_says_what_fix_does_to_the_examples(rule: Rule, page: str, all_rules: LintSettings) -> None:
    """--fix changes some flagged example of a rule marked yes, and none of a rule marked no."""
    fixed = False
    for source in (rule.example, *(example.source for example in rule.invalid_examples)):
        own = [
            violation
            for violation in lint_text(source, "example.py", all_rules).violations
            if violation.code == rule.code
        ]
        fixed = fixed or fix_text(source, "example.py", all_rules, own) != source
    assert fixed == (rule.name in SAFE_FIXES)
    row = next(line for line in page.splitlines() if line.startswith(f"| [{rule.code}]"))
    assert row.split(" | ")[3] == ("yes" if fixed else "no")


def test_the_step_comes_from_the_plan(plan: Plan) -> None:
    moved = replace(plan, lint_zero_from={**plan.lint_zero_from, "no-lambda": 5}, lint_deferred=("no-lambda",))
    rule = next(rule for rule in ALL_RULES if rule.name == "no-lambda")
    section = _section(rules_reference(ALL_RULES, moved), rule)
    assert "Required from: step 05" in section and "deferred by the plan" in section
    assert "Required from: not known" in _section(rules_reference(ALL_RULES, None), rule)


def test_prose_escapes_markdown_outside_code_spans() -> None:
    assert (
        prose("no __dunder__ names, not even `__init__`, <reason> *args")
        == "no \\_\\_dunder\\_\\_ names, not even `__init__`, \\<reason\\> \\*args"
    )


def _run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run_command_line(lint_style.main, arguments)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_command_writes_the_page_and_then_finds_it_current(
    tmp_path: Path, page: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rules.md"
    status, out, _ = _run(["--write-rules-reference", str(target)], capsys)
    assert status == 0 and "Wrote the reference of" in out
    assert target.read_text(encoding="utf-8") == page
    status, out, _ = _run(["--write-rules-reference", str(target)], capsys)
    assert status == 0 and "is current" in out


def test_the_command_replaces_an_old_page_but_no_other_file(
    tmp_path: Path, page: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.md"
    old.write_text(GENERATED_MARKER + "\n\nan older page\n", encoding="utf-8")
    assert _run(["--write-rules-reference", str(old)], capsys)[0] == 0
    assert old.read_text(encoding="utf-8") == page
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n", encoding="utf-8")
    status, _, err = _run(["--write-rules-reference", str(notes)], capsys)
    assert status == 2 and "is not a rules reference this command wrote" in err and len(err.strip().splitlines()) == 1
    assert notes.read_text(encoding="utf-8") == "my own notes\n"


def test_the_command_is_a_mode_of_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["--write-rules-reference", str(tmp_path / "rules.md"), "--list-rules"], capsys)
    assert status == 2 and "--write-rules-reference" in err
    assert not (tmp_path / "rules.md").exists()


def test_help_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        lint_style.main(["--help"])
    assert "--write-rules-reference" in " ".join(capsys.readouterr().out.split())


def test_explain_ends_by_naming_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["--explain", "no-lambda", "--no-color"], capsys)
    assert status == 0 and out.rstrip().splitlines()[-1] == f"All rules: {REFERENCE_PATH.as_posix()}"
    assert (PROJECT_ROOT / REFERENCE_PATH).is_file()
