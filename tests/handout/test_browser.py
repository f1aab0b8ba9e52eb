"""The handout site in a real browser: headless Chromium (Debian's package) opens the index
and two step pages from file://, every link and image must resolve, every chart must
render, and the console must stay free of errors. At 1280 px and at 390 px (a phone) no
page scrolls sideways, code never wraps and the diff is one column on the phone; printed
to PDF on A4 and Letter, every table fits and a step's first page is full. Screenshots and
PDFs are kept as artefacts in .cache/handout-screenshots/ (gitignored), or in
$HANDOUT_SCREENSHOTS.

Select with `pytest -m browser`. Without /usr/bin/chromium (or the playwright library)
the test is skipped with the reason; under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from workbench.handout.site import BuildRequest, build_site
from workbench.paths import installed_root
from workbench.project import open_project

PROJECT_ROOT = installed_root()

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ("index.html", "step-06.html", "step-07.html", "source-07.html", "facilitator.html")
WIDTHS = {"desktop": 1280, "phone": 390}


def _screenshots_directory() -> Path:
    override = os.environ.get("HANDOUT_SCREENSHOTS")
    directory = Path(override) if override else PROJECT_ROOT / ".cache" / "handout-screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _missing_browser() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright library is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def browser() -> Any:
    problem = _missing_browser()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test must run under CI, but {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="handout-chromium-")
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 800},
            offline=True,
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def built_site(real_quick_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site from the real quick run's records, shared by this module's tests (read only)."""
    cache = tmp_path_factory.mktemp("browser-cache") / "cache"
    shutil.copytree(real_quick_cache, cache, symlinks=True)
    site = tmp_path_factory.mktemp("browser-site") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
        build_site(BuildRequest(project=open_project(PROJECT_ROOT), out=site))
    return site


def _local_target(site: Path, page: str, href: str) -> tuple[Path, str] | None:
    """(file, fragment) a link points at inside the site; None for an external link."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "file"):
        return None
    if parts.scheme == "file":
        return Path(unquote(parts.path)), parts.fragment
    base = (site / page).parent
    return ((base / unquote(parts.path)).resolve() if parts.path else (site / page)), parts.fragment


@pytest.mark.browser
def test_the_site_works_in_chromium(built_site: Path, browser: Any) -> None:
    site = built_site
    screenshots = _screenshots_directory()
    problems: list[str] = []
    anchors: dict[Path, str] = {}
    for name in PAGES:
        page = browser.new_page()
        console_errors: list[str] = []
        failed: list[str] = []
        page.on(
            "console",
            lambda message, errors=console_errors: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error, errors=console_errors: errors.append(str(error)))
        page.on("requestfailed", lambda request, failures=failed: failures.append(request.url))
        page.goto((site / name).as_uri(), wait_until="load")

        assert page.title(), name
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))"):
            target = _local_target(site, name, href)
            if target is None:
                problems.append(f"{name}: external link {href}")
                continue
            path, fragment = target
            if not path.is_file():
                problems.append(f"{name}: link {href} points at a missing file")
            elif fragment and f'id="{fragment}"' not in anchors.setdefault(path, path.read_text(encoding="utf-8")):
                problems.append(f"{name}: link {href} points at a missing anchor")
        images = page.eval_on_selector_all(
            "img",
            "images => images.map(image => [image.getAttribute('src'), image.complete, image.naturalWidth, image.getBoundingClientRect().height])",
        )
        for source, complete, width, height in images:
            if not complete or width == 0 or height < 100:
                problems.append(
                    f"{name}: image {source} did not render (complete={complete}, width={width}, height={height})"
                )
        if name == "index.html":
            charts = [source for source, *_ in images if source.startswith("charts/")]
            assert sorted(charts) == ["charts/debt.svg", "charts/loss.svg", "charts/payoff.svg"]
        elif name.startswith("step-"):
            assert page.locator("table.diff").count() >= 1
            assert page.locator("details.hint").count() == 8
            assert not page.locator("details[open]").count()  # hints stay hidden until asked
            assert (
                page.locator("details.hint").last.locator("#diff table.diff").count() >= 1
            )  # the diff is the last rung
        problems.extend(f"{name}: console error: {text}" for text in console_errors)
        problems.extend(f"{name}: request failed: {url}" for url in failed)
        page.screenshot(path=str(screenshots / f"{name}.png"))
        page.screenshot(path=str(screenshots / f"{name}.full.png"), full_page=True)
        page.close()
    assert problems == []


_LAYOUT = """() => {
  const style = element => getComputedStyle(element);
  const codes = [...document.querySelectorAll('td.code')].filter(cell => cell.offsetParent !== null);
  const heights = codes.map(cell => cell.getBoundingClientRect().height);
  const hunks = [...document.querySelectorAll('.diff-split .hunk')].filter(hunk => hunk.offsetParent !== null);
  const centre = link => { const box = link.getBoundingClientRect(); return box.left + box.width / 2; };
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: innerWidth,
    height: document.scrollingElement.scrollHeight,
    codeCells: codes.length,
    notPre: codes.filter(cell => style(cell).whiteSpace !== 'pre').length,
    tallest: Math.max(0, ...heights), lowest: Math.min(Infinity, ...heights),
    split: [...document.querySelectorAll('.diff-split')].map(element => style(element).display),
    unified: [...document.querySelectorAll('.diff-unified')].map(element => style(element).display),
    unevenSides: hunks.filter(hunk => {
      const [before, after] = hunk.querySelectorAll('.side table');
      const height = row => row.getBoundingClientRect().height;
      const rowsDiffer = [...before.rows].some((row, index) => Math.abs(height(row) - height(after.rows[index])) > 0.5);
      return rowsDiffer || Math.abs(height(before) - height(after)) > 2;
    }).length,
    allSteps: [...document.querySelectorAll('nav.step-links')].map(nav => [centre(nav.querySelector('.all-steps')), nav.getBoundingClientRect().left + nav.getBoundingClientRect().width / 2]),
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("device", WIDTHS)
def test_code_keeps_its_shape_on_a_desktop_and_a_phone(built_site: Path, browser: Any, device: str) -> None:
    """No page scrolls sideways; every code cell is `white-space: pre` and one line high;
    side by side the two halves of a hunk line up, and on the phone the diff is one column."""
    width = WIDTHS[device]
    screenshots = _screenshots_directory()
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for name in (
            "index.html",
            "step-06.html",
            "step-07.html",
            "step-11.html",
            "source-07.html",
            "facilitator.html",
        ):
            page.goto((built_site / name).as_uri(), wait_until="load")
            page.screenshot(path=str(screenshots / f"{device}-{name}.png"), full_page=True)
            # Open every fold, as a learner would one by one, so every code block is laid out.
            page.eval_on_selector_all("details", "folds => folds.forEach(fold => { fold.open = true; })")
            layout = page.evaluate(_LAYOUT)
            if name.startswith("step-"):
                page.locator("#diff").scroll_into_view_if_needed()
                page.screenshot(path=str(screenshots / f"{device}-{name}.diff.png"))
            assert layout["scrollWidth"] <= layout["innerWidth"], (
                f"{name} scrolls sideways at {width} px: {layout['scrollWidth']}"
            )
            if name.startswith(("step-", "source-")):
                assert layout["codeCells"] > 20 and layout["notPre"] == 0, (name, layout["codeCells"], layout["notPre"])
                assert layout["tallest"] - layout["lowest"] < 1, (
                    f"{name}: a code line wraps at {width} px ({layout['lowest']}..{layout['tallest']} px high)"
                )
            if name.startswith("step-"):
                expected = ("block", "none") if device == "desktop" else ("none", "block")
                assert set(layout["split"]) == {expected[0]} and set(layout["unified"]) == {expected[1]}, (
                    name,
                    device,
                    layout["split"],
                    layout["unified"],
                )
                assert layout["unevenSides"] == 0, (
                    f"{name}: the two halves of {layout['unevenSides']} hunks do not line up"
                )
                for link, middle in layout["allSteps"]:
                    assert abs(link - middle) < 2, (
                        f"{name}: 'all steps' sits off-centre ({link:.0f} against {middle:.0f})"
                    )
        if device == "phone":
            page.goto((built_site / "source-07.html").as_uri() + "#L231", wait_until="load")
            assert page.evaluate("document.querySelector(':target').id") == "L231"
            page.screenshot(path=str(screenshots / f"{device}-source-07-L231.png"))
    finally:
        page.close()


def _pdf_text(path: Path, *pages: int) -> str:
    range_options = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", "-layout", *range_options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_handout_prints(built_site: Path, browser: Any, paper: str) -> None:
    """Printed, the index's steps table keeps its last column, a step's first page is full,
    and the hints print open with the whole diff last."""
    screenshots = _screenshots_directory()
    page = browser.new_page()
    try:
        page.goto((built_site / "index.html").as_uri(), wait_until="load")
        rows = page.eval_on_selector_all(
            "table.steps tbody tr:not(.phase)",
            "rows => rows.map(row => [row.cells[0].innerText, row.cells[row.cells.length - 1].innerText])",
        )
        index_pdf = screenshots / f"index.{paper}.pdf"
        page.pdf(path=str(index_pdf), format=paper)
        step_pdf = screenshots / f"step-07.{paper}.pdf"
        page.goto((built_site / "step-07.html").as_uri(), wait_until="load")
        page.pdf(path=str(step_pdf), format=paper)
    finally:
        page.close()
    index = _pdf_text(index_pdf)
    assert re.search(r"mem ×\s+style debt", index), "the steps table's last column is cut off"
    lines = index.splitlines()
    assert len(rows) == 12
    for label, debt in rows:
        line = next((line for line in lines if line.strip().startswith(f"{label} ")), None)
        assert line is not None and line.rstrip().endswith(f" {debt}"), (
            f"row {label}: its style debt {debt} is not printed ({line!r})"
        )
    first_page = _pdf_text(step_pdf, 1)
    printed = len("".join(first_page.split()))
    assert printed > 1000, f"page 1 of step 07 is mostly blank ({printed} characters; a full page holds about 1500)"
    step = _pdf_text(step_pdf)
    assert "Hint 1:" in step and "Hint 8:" in step and step.index("Hint 1:") < step.index("Hint 8:")
    assert "Confirm the Adam loop" in step  # a hint's text prints, not just its title
    assert "def __mul__(self, other):" in step  # the whole diff prints, one line per line of code
