"""The handout site in a real browser: headless Chromium (Debian's package) opens the index
and two step pages from file://, every link and image must resolve, every chart must
render, and the console must stay free of errors. Screenshots are kept as artefacts in
.cache/handout-screenshots/ (gitignored), or in $HANDOUT_SCREENSHOTS.

Select with `pytest -m browser`. Without /usr/bin/chromium (or the playwright library)
the test is skipped with the reason; under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import os
import shutil
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
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PAGES = ("index.html", "step-06.html", "step-07.html")


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
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 800}, offline=True,
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


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
def test_the_site_works_in_chromium(tmp_path: Path, real_records: Path, browser: Any) -> None:
    site = tmp_path / "site"
    build_site(BuildRequest(project=open_project(PROJECT_ROOT), out=site))
    screenshots = _screenshots_directory()
    problems: list[str] = []
    for name in PAGES:
        page = browser.new_page()
        console_errors: list[str] = []
        failed: list[str] = []
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        page.on("requestfailed", lambda request: failed.append(request.url))
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
            elif fragment and f'id="{fragment}"' not in path.read_text(encoding="utf-8"):
                problems.append(f"{name}: link {href} points at a missing anchor")
        images = page.eval_on_selector_all(
            "img", "images => images.map(image => [image.getAttribute('src'), image.complete, image.naturalWidth, image.getBoundingClientRect().height])"
        )
        for source, complete, width, height in images:
            if not complete or width == 0 or height < 100:
                problems.append(f"{name}: image {source} did not render (complete={complete}, width={width}, height={height})")
        if name == "index.html":
            charts = [source for source, *_ in images if source.startswith("charts/")]
            assert sorted(charts) == ["charts/debt.svg", "charts/loss.svg", "charts/payoff.svg"]
        else:
            assert page.locator("table.diff").count() >= 1
            assert page.locator("details.hint").count() == 8
            assert not page.locator("details.hint[open]").count()
        problems.extend(f"{name}: console error: {text}" for text in console_errors)
        problems.extend(f"{name}: request failed: {url}" for url in failed)
        page.screenshot(path=str(screenshots / f"{name}.png"))
        page.screenshot(path=str(screenshots / f"{name}.full.png"), full_page=True)
        page.close()
    assert problems == []
