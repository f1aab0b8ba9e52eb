"""What the handout site shows: every step, the numbers of the verdict records, never a
number that was not recorded, escaped text, the hint ladder, the facilitator sheet."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from handout_helpers import BUSY, FIXTURE_SUMMARY, write_record
from workbench.handout.inputs import PlanData, plan_data
from workbench.handout.site import BuildRequest, build_site
from workbench.paths import installed_root
from workbench.plan import Plan
from workbench.project import open_project

PROJECT_ROOT = installed_root()


def load_plan_data(plan_file: Path | None = None) -> PlanData:
    return plan_data(open_project(PROJECT_ROOT, plan_file))


HINT_LADDER = (
    "The commit message, and why",
    "What the reviewers said",
    "The contract, spelled out",
    "The data layout change",
    "The renames",
    "Functions added, removed and changed",
    "The reference diff of one function",
    "The whole diff",
)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _build(tmp_path: Path, plan_path: Path | None = None, **options: object) -> Path:
    out = tmp_path / "site"
    build_site(BuildRequest(project=open_project(PROJECT_ROOT, plan_path), out=out, **options))  # type: ignore[arg-type]
    return out


def test_every_step_has_a_page_linked_from_the_index(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    index = _text(site / "index.html")
    for step in plan.steps:
        assert f'href="step-{step.label}.html"' in index
        assert html.escape(step.commit, quote=False) in index
        page = _text(site / f"step-{step.label}.html")
        assert html.escape(step.commit, quote=False) in page
        assert step.phase in index
    assert (site / "facilitator.html").is_file() and (site / "style.css").is_file()


def test_no_page_needs_javascript(tmp_path: Path, private_cache: Path) -> None:
    site = _build(tmp_path)
    for page in site.glob("*.html"):
        assert "<script" not in _text(page).lower(), page.name


def test_without_records_nothing_is_invented(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    index = _text(site / "index.html")
    assert "python tools/run_step.py all --profile quick" in index
    assert index.count("not yet run") >= 3 * (len(plan.steps) + 1)
    assert not (site / "charts" / "loss.svg").exists()
    assert not (site / "charts" / "payoff.svg").exists()
    assert (site / "charts" / "debt.svg").is_file()  # the linter needs no run
    step = _text(site / "step-07.html")
    assert "not yet run" in step and "python tools/run_step.py all --profile quick" in step


def test_a_version_1_record_counts_as_not_yet_run(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    from workbench.files import sha256_of_file

    version_1 = {
        "target": "07",
        "profile": "quick",
        "source_sha256": sha256_of_file(plan.step_path(plan.step(7))),
        "identical": True,
        "level": "bit",
        "summary": "identical at bit level",
        "max_parameter_difference": 0.0,
        "status": "ok",
    }
    write_record(private_cache, version_1)  # version 1 had no schema_version
    site = _build(tmp_path)
    page = _text(site / "step-07.html")
    assert "not yet run" in page and "schema version 1" in page
    assert "identical at bit level" not in page


def test_index_numbers_are_the_records_numbers(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]], plan: Plan
) -> None:
    fixture_records(
        **{
            "06": {
                "level": "print",
                "max_parameter_difference": 2.9e-12,
                "relative_to_original": {"training": 4.87, "inference": 2.07, "memory": 0.73},
            },
            "08": {"relative_to_original": {"training": 4.67, "inference": 63.59, "memory": 0.68}},
        }
    )
    site = _build(tmp_path)
    index = _text(site / "index.html")
    row_06 = index[index.index('href="step-06.html">06') :].split("</tr>")[0]
    assert "drift, max |Δ| 2.9e-12" in row_06
    assert "4.87×" in row_06 and "2.07×" in row_06 and "0.73×" in row_06
    row_08 = index[index.index('href="step-08.html">08') :].split("</tr>")[0]
    assert "63.59×" in row_08 and "identical (bit)" in row_08
    assert "2026-01-02T03:04:05+00:00" in index  # the records' date, not the build's
    assert FIXTURE_SUMMARY in _text(site / "step-08.html")


def test_a_stale_record_is_not_shown(tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]) -> None:
    fixture_records(**{"05": {"source_sha256": "0" * 64}})
    site = _build(tmp_path)
    page = _text(site / "step-05.html")
    assert FIXTURE_SUMMARY not in page
    assert "earlier version of the file" in page


def test_the_hints_follow_the_ladder_in_closed_details(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    for step in plan.steps:
        page = _text(site / f"step-{step.label}.html")
        summaries = re.findall(r'<details class="hint"[^>]*>\s*<summary>Hint (\d): ([^<]*)</summary>', page)
        assert [int(number) for number, _ in summaries] == list(range(1, 9))
        for (_, title), expected in zip(summaries, HINT_LADDER):
            assert html.unescape(title).startswith(expected)
        assert "<details open" not in page


def test_hints_are_generated_from_the_plan(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    step = plan.step(1)
    page = html.unescape(_text(site / "step-01.html"))
    hints = page[page.index("Hint 1:") : page.index('id="diff"')]
    assert step.reviewers[0].note in hints
    assert "first_moment" in hints and "m → first_moment" in hints
    assert step.layout is not None and step.layout in hints
    for item in step.contract:
        assert item.describe() in hints


def test_text_from_files_is_escaped(tmp_path: Path, private_cache: Path, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(
        text.replace('what = """\nReplace state_dict', 'what = """\n<script>alert(1)</script> Replace state_dict', 1),
        encoding="utf-8",
    )
    site = _build(tmp_path, plan_path=plan_copy)
    page = _text(site / "step-01.html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_diff_marks_changed_tokens(tmp_path: Path, private_cache: Path) -> None:
    site = _build(tmp_path)
    page = _text(site / "step-09.html")
    assert 'class="code removed"' in page and 'class="code added"' in page
    assert "token-changed" in page


def test_each_step_page_names_its_exported_commit(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    from workbench.git_export import export_plan

    exported = export_plan(plan, tmp_path / "repository")
    hashes = {commit.tag: commit.commit_hash for commit in exported.commits}
    site = _build(tmp_path)
    for step in plan.steps:
        assert hashes[f"step-{step.label}"] in _text(site / f"step-{step.label}.html")


def _without_facilitator_keys(plan_file: Path) -> None:
    """Drop every step's `minutes` and `facilitator_notes` from the plan file."""
    text = plan_file.read_text(encoding="utf-8")
    text = re.sub(r'^facilitator_notes = """.*?"""\n', "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"^minutes = \d+\n", "", text, flags=re.MULTILINE)
    plan_file.write_text(text, encoding="utf-8")
    assert all(step.minutes is None and step.facilitator_notes is None for step in load_plan_data(plan_file).steps)


def test_the_facilitator_sheet_shows_the_plans_minutes_and_notes(
    tmp_path: Path, private_cache: Path, plan: Plan
) -> None:
    site = _build(tmp_path)
    sheet = _text(site / "facilitator.html")
    for step in plan.steps:
        assert step.minutes is not None and f">{step.minutes}<" in sheet
        assert (
            step.facilitator_notes is not None and html.escape(step.facilitator_notes.split()[0], quote=False) in sheet
        )
    assert "not in the plan yet" not in sheet


def test_the_facilitator_sheet_says_what_the_plan_lacks(
    tmp_path: Path, private_cache: Path, plan: Plan, plan_copy: Path
) -> None:
    _without_facilitator_keys(plan_copy)
    site = _build(tmp_path, plan_path=plan_copy)
    sheet = _text(site / "facilitator.html")
    assert sheet.count("not in the plan yet") >= 2 * len(plan.steps)
    assert "python tools/run_step.py 07 --profile quick" in sheet


def test_the_facilitator_sheet_shows_minutes_and_notes_when_the_plan_has_them(
    tmp_path: Path, private_cache: Path, plan_copy: Path
) -> None:
    _without_facilitator_keys(plan_copy)
    text = plan_copy.read_text(encoding="utf-8")
    text = text.replace(
        'slug = "flatten_parameters"\n',
        'slug = "flatten_parameters"\nminutes = 25\nfacilitator_notes = "Show the offset table on the board <first>."\n',
        1,
    )
    plan_copy.write_text(text, encoding="utf-8")
    assert load_plan_data(plan_copy).steps[0].minutes == 25
    site = _build(tmp_path, plan_path=plan_copy)
    sheet = _text(site / "facilitator.html")
    assert ">25<" in sheet
    assert "Show the offset table on the board &lt;first&gt;." in sheet
    assert "at least 25 minutes" in sheet


def _report(learner: str, steps: list[tuple[int, list[dict[str, object]]]]) -> str:
    """A learner's report.json in the workshop's schema (workbench.workshop.report)."""
    return json.dumps(
        {
            "schema": "microgpt-workshop-report",
            "version": 1,
            "learner": learner,
            "written_at": "2026-01-02T03:04:05+00:00",
            "current_step": steps[-1][0],
            "steps": [
                {
                    "step": number,
                    "status": "in progress",
                    "hints_used": 2,
                    "started_at": None,
                    "passed_at": None,
                    "proved_at": None,
                    "seconds_to_pass": None,
                    "final_parameters_sha256": None,
                    "first_divergence": None,
                    "claims": [{"kind": "contract", "detail": "", **claim} for claim in claims],
                }
                for number, claims in steps
            ],
        }
    )


def test_reports_rank_the_claims_that_tripped_people(tmp_path: Path, private_cache: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "bob").mkdir(parents=True)
    no_class = {"name": "no class <anywhere>", "holds": False}
    output = {"name": "output identical to the original", "holds": True}
    (reports / "ada.json").write_text(_report("Ada", [(7, [no_class, output])]), encoding="utf-8")
    (reports / "bob" / "report.json").write_text(
        _report("Bob", [(6, [{"name": "binds tape", "holds": False}]), (7, [no_class])]), encoding="utf-8"
    )
    (reports / "broken.json").write_text("{not json", encoding="utf-8")
    (reports / "other.json").write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    (reports / "huge.json").write_bytes(b" " * (1024 * 1024 + 1))
    out = tmp_path / "site"
    result = build_site(BuildRequest(project=open_project(PROJECT_ROOT), out=out, reports=reports))
    sheet = _text(out / "facilitator.html")
    assert "From 2 learners" in sheet
    first_row = sheet[sheet.index("<tbody>") :].split("</tr>")[0]
    assert "no class &lt;anywhere&gt;" in first_row and ">2<" in first_row
    assert "binds tape" in sheet and "output identical to the original" not in sheet
    assert len(result.notes) == 3
    assert all(note.startswith("skipped ") and note.endswith(".") for note in result.notes)
    assert any("huge.json" in note and "more than" in note for note in result.notes)


def test_charts_are_svg_without_dates(tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]) -> None:
    fixture_records()
    site = _build(tmp_path)
    index = _text(site / "index.html")
    for name in ("loss", "payoff", "debt"):
        svg = _text(site / "charts" / f"{name}.svg")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg
        assert f'src="charts/{name}.svg"' in index
    assert index.count("The data as a table") == 3
    assert index.count("<figcaption>") == 3


@pytest.mark.parametrize(
    "bad", [b"{not json", b"[1, 2]", b'{"schema_version": 3}', b'{"schema_version": 2, "target": "07"}']
)
def test_a_corrupt_record_stops_the_build(tmp_path: Path, private_cache: Path, bad: bytes) -> None:
    from workbench.handout.inputs import HandoutSourceError

    (private_cache / "verdicts").mkdir()
    (private_cache / "verdicts" / "07.quick.json").write_bytes(bad)
    with pytest.raises(HandoutSourceError, match=r"the verdict record .*07\.quick\.json"):
        build_site(BuildRequest(project=open_project(PROJECT_ROOT), out=tmp_path / "site"))
    assert not (tmp_path / "site").exists()


def test_figures_say_how_they_were_measured_and_busy_ones_are_marked(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]], plan: Plan
) -> None:
    busy = {
        "conditions": BUSY,
        "relative_to_original": {
            "training": 1.66,
            "inference": 2.5,
            "memory": 0.9,
            "training_cpu": 1.02,
            "inference_cpu": 2.25,
        },
    }
    version_2 = {
        "schema_version": 2,
        "conditions": None,
        "timings": {"training_seconds": 2.0, "inference_seconds": 1.0, "peak_memory_bytes": 1024},
        "relative_to_original": {"training": 1.5, "inference": 4.44, "memory": 0.55},
    }
    records = fixture_records(**{"02": busy, "03": version_2})
    record_03 = json.loads(records["03"].read_text(encoding="utf-8"))
    del record_03["conditions"]  # version 2 had no conditions
    records["03"].write_text(json.dumps(record_03), encoding="utf-8")
    site = _build(tmp_path)
    index = html.unescape(_text(site / "index.html"))
    row_02 = index[index.index('href="step-02.html">02') :].split("</tr>")[0]
    assert "1.02× (CPU time, busy machine)" in row_02 and "2.25× (CPU time, busy machine)" in row_02
    assert "1.66×" not in row_02, "a busy machine's wall-clock ratio is not the figure shown"
    row_03 = index[index.index('href="step-03.html">03') :].split("</tr>")[0]
    assert "1.50×" in row_03 and "busy" not in row_03
    row_04 = index[index.index('href="step-04.html">04') :].split("</tr>")[0]
    assert "1.00×" in row_04 and "busy" not in row_04
    assert (
        "02: quick profile, load average 5.0 before, 4.5 after, on 2 CPUs, 2 programs at a time, 2026-01-02T03:00:00+00:00; a busy machine"
        in index
    )
    assert "03: quick profile, conditions not recorded (a record from an older runner" in index
    assert "load average 0.2 before, 0.5 after, on 2 CPUs" in index
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", index, re.DOTALL)
    payoff = next(caption for caption in captions if caption.startswith("Train time"))
    assert "The machine was busy while 02 ran" in payoff and "CPU seconds instead" in payoff
    assert "load average 5.0 before" in payoff
    assert "training is up to 1.5 times as fast" in payoff, (
        "the busy step counts with its CPU ratio, not its 1.66 wall-clock one"
    )
    assert "02*" in _text(site / "charts" / "payoff.svg")


def _links_and_paths(site: Path) -> tuple[list[str], list[str]]:
    """(links in the site's pages that lead nowhere, files of the site holding an absolute path)."""
    broken = []
    for page in site.glob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#]+)', _text(page)):
            if "://" not in target and not (site / target).exists():
                broken.append(f"{page.name} -> {target}")
    absolute = []
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            if re.search(r"(?<![\w.:/])/(?:tmp|home|root|work|Users|var|private)/", text) or str(PROJECT_ROOT) in text:
                absolute.append(str(path.relative_to(site)))
    return broken, absolute


def test_a_hostile_report_set_leaves_no_broken_link_and_no_absolute_path(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]
) -> None:
    fixture_records()
    reports = tmp_path / "reports"
    (reports / "room 2").mkdir(parents=True)
    unknown = {"name": "defines a step the plan lacks", "holds": False}
    (reports / "ada.json").write_text(
        _report("Ada", [(42, [unknown]), (7, [{"name": "no class anywhere", "holds": False}])]), encoding="utf-8"
    )
    (reports / "room 2" / "broken.json").write_text("{not json", encoding="utf-8")
    (reports / "huge.json").write_bytes(b" " * (1024 * 1024 + 1))
    out = tmp_path / "site"
    result = build_site(BuildRequest(project=open_project(PROJECT_ROOT), out=out, reports=reports))
    assert any("room 2/broken.json" in note for note in result.notes) and not any(
        str(tmp_path) in note for note in result.notes
    )
    sheet = _text(out / "facilitator.html")
    assert "defines a step the plan lacks" in sheet and 'href="step-42.html"' not in sheet
    assert "42 <span" in sheet and 'href="step-07.html">07</a>' in sheet
    assert "skipped room 2/broken.json" in sheet and "skipped huge.json" in sheet
    broken, absolute = _links_and_paths(out)
    assert broken == [] and absolute == []
    manifest = json.loads(_text(out / "handout-inputs.json"))
    assert not Path(manifest["options"]["reports"]).is_absolute()
    assert "learners' report room 2/broken.json" in manifest["inputs"]


def test_the_site_counts_lines_as_git_does(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    import subprocess

    from workbench.git_export import export_plan, git_environment

    repository = tmp_path / "repository"
    export_plan(plan, repository)
    site = _build(tmp_path)
    for label in ("01", "07", "10"):
        numstat = subprocess.run(
            ["git", "diff", "--numstat", f"step-{label}~1", f"step-{label}"],
            cwd=repository,
            env=git_environment(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        page = html.unescape(_text(site / f"step-{label}.html"))
        assert f"+{numstat[0]} −{numstat[1]} lines in" in page, (label, numstat)


def test_the_debt_caption_tells_the_rise_before_the_fall(tmp_path: Path, private_cache: Path) -> None:
    from workbench.lint.api import rule_counts

    site = _build(tmp_path)
    plan = load_plan_data()
    totals = {
        label: sum(rule_counts(path).values())
        for label, path in (("original", plan.original_path), *((step.label, step.file_path) for step in plan.steps))
    }
    peak = max(totals, key=lambda label: totals[label])
    assert totals[peak] > totals["original"], "the plan's debt rises before it falls"
    caption = html.unescape(
        [
            caption
            for caption in re.findall(r"<figcaption>(.*?)</figcaption>", _text(site / "index.html"), re.DOTALL)
            if "Style violations" in caption
        ][0]
    )
    assert (
        f"from {totals['original']} in the original, rising to {totals[peak]} at step {peak}, then falling to {totals['11']} at step 11"
        in caption
    )


def test_each_thing_is_shown_once_and_the_hints_hold_what_the_page_does_not(
    tmp_path: Path, private_cache: Path, plan: Plan
) -> None:
    site = _build(tmp_path)
    for step in plan.steps:
        page = html.unescape(_text(site / f"step-{step.label}.html"))
        hints = page[page.index("Hint 1:") :]
        for paragraph in step.why.split("\n\n"):
            assert page.count(paragraph) == 1 and paragraph in hints, (step.label, paragraph[:40])
        for note in step.reviewers:
            assert page.count(note.note) == 1 and note.note in hints
        for item in step.contract:
            assert page.count(item.describe()) == 1 and item.describe() in hints
        if step.layout:
            assert page.count(step.layout) == 1 and step.layout in hints
        assert 'id="contract-title"' not in page  # no contract panel beside the verdict's claims
        assert page.index('id="diff"') > page.index("Hint 8:")  # the whole diff is the last rung, folded


def test_the_verdict_folds_the_claims_that_hold(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]
) -> None:
    claims = [
        {"name": "output identical to the original", "kind": "output", "holds": True, "detail": "35 lines identical"},
        {"name": "no class anywhere", "kind": "contract", "holds": True, "detail": "holds"},
        {"name": "defines tape_backward (from step 03)", "kind": "contract", "holds": True, "detail": "holds"},
        {"name": "binds tape at module level", "kind": "contract", "holds": False, "detail": "tape is not bound"},
        {"name": "lint rule no-class reports nothing", "kind": "lint", "holds": True, "detail": "holds"},
    ]
    fixture_records(**{"07": {"claims": claims, "identical": False}})
    page = _text(_build(tmp_path) / "step-07.html")
    verdict = page[page.index('id="verdict-title"') : page.index('id="debt-title"')]
    opened, folded = verdict.split('<details class="claims-folded">')
    assert "binds tape at module level" in opened and 'class="fails"' in opened and "tape is not bound" in opened
    assert "35 lines identical" in opened
    assert "3 more claims hold: 2 structural, 1 style rules" in folded
    assert "no class anywhere" in folded and "no class anywhere" not in opened
    assert "(holds)" not in page and "— holds" not in page
    assert verdict.count("defines tape_backward (from step 03)") == 1


def test_an_expected_drift_is_not_a_warning(tmp_path: Path, fixture_records: Callable[..., dict[str, Path]]) -> None:
    fixture_records(
        **{
            "06": {"level": "print", "max_parameter_difference": 2.9e-12},
            "07": {"level": "bit", "max_parameter_difference": 1e-15},
        }
    )
    site = _build(tmp_path)
    for name in ("index.html", "step-06.html"):
        text = _text(site / name)
        assert '<span class="verdict expected-drift">drift, max |Δ| 2.9e-12</span>' in text
    assert '<span class="verdict drift">drift, max |Δ| 1.0e-15</span>' in _text(site / "step-07.html")


def test_the_full_source_has_an_anchor_for_every_line(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    for label, path in [("original", plan.original_path), *((step.label, plan.step_path(step)) for step in plan.steps)]:
        lines = path.read_text(encoding="utf-8").splitlines()
        source = _text(site / f"source-{label}.html")
        anchors = [
            int(number) for number in re.findall(r'<tr id="L(\d+)"><td class="number"><a href="#L\1">\1</a>', source)
        ]
        assert anchors == list(range(1, len(lines) + 1)), label
        # Every line keeps its indentation and its text.
        cells = re.findall(r'<td class="code">(.*?)</td></tr>', source)
        assert [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells] == lines, label
    anchors_of: dict[str, set[str]] = {}
    for step in plan.steps:
        page = _text(site / f"step-{step.label}.html")
        assert f'href="source-{step.label}.html"' in page
        links = re.findall(r'href="(source-[0-9a-z]+\.html)#L(\d+)"', page)
        assert links, step.label  # the diff's line numbers point into the whole files
        for target, number in links:
            if target not in anchors_of:
                anchors_of[target] = set(re.findall(r'id="L(\d+)"', _text(site / target)))
            assert number in anchors_of[target], (step.label, target, number)


def test_each_step_page_shows_the_workshop_commands(tmp_path: Path, private_cache: Path, plan: Plan) -> None:
    site = _build(tmp_path)
    for step in plan.steps:
        page = _text(site / f"step-{step.label}.html")
        for command in (
            f"python tools/workshop.py start {step.label}",
            "python tools/workshop.py hint",
            "python tools/workshop.py check",
        ):
            assert f'<code class="command">{command}</code>' in page, (step.label, command)
        assert f"workspace/{step.file_name}" in page
        assert "my_step_" not in page  # a file the learner does not have


def test_the_facilitator_sheet_times_the_original_and_gathers_reports(
    tmp_path: Path, fixture_records: Callable[..., dict[str, Path]], plan: Plan
) -> None:
    (tmp_path / "without").mkdir()
    (tmp_path / "with").mkdir()
    sheet = _text(_build(tmp_path / "without") / "facilitator.html")
    assert "python tools/run_step.py original</code>" in sheet and "about 4 minutes on a 2-core machine" in sheet
    assert (
        "python tools/workshop.py collect DIR" in sheet
        and "python tools/handout.py site/ --reports DIR --force" in sheet
    )
    for step in plan.steps:  # the step number is a badge beside the link, not underlined with it
        assert (
            f'<h2 id="f-{step.label}"><span class="step-number">{step.label}</span> <a href="step-{step.label}.html">'
            in sheet
        )
    fixture_records(
        original={
            "profile": "full",
            "timings": {"training_seconds": 230.0, "inference_seconds": 10.0, "peak_memory_bytes": 1},
        }
    )
    sheet = _text(_build(tmp_path / "with") / "facilitator.html")
    assert "about 4.0 minutes of training and sampling in the recorded full run of 2026-01-02" in sheet
    assert "2-core machine" not in sheet


def test_an_unbuilt_site_says_not_yet_run_once_with_the_command(tmp_path: Path, private_cache: Path) -> None:
    index = _text(_build(tmp_path) / "index.html")
    provenance = index[index.index('class="provenance"') : index.index("</aside>")]
    assert provenance.count("not yet run") == 1 and "python tools/run_step.py all --profile quick" in provenance
    assert "settings not yet run" not in index and "sha256 not yet run" not in index


def test_the_site_folder_is_ignored_by_git() -> None:
    from workbench.paths import installed_root

    assert "/site/" in (installed_root() / ".gitignore").read_text(encoding="utf-8").splitlines()
