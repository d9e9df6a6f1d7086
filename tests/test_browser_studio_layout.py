"""Every studio page, every tab, at projector widths (1024 and 1366 px): no text over text, nothing cut off.

The studio is served by Voilà for a copy of the Northwind sample (the largest tables: over 300 pairs) and opened
in headless system Chromium. Each page is used a little first, so the tabs hold what a workshop sees (a
person's explanation, two saved scenarios, a before-and-after survey comparison by department), then for
each width the layout check (``tests/page_layout.py``: element boxes, never pixels) runs on the page as
opened and after a click on each of its tabs. Screenshots of every tab at both widths go to
``test-artifacts/studio_layout/`` (look at them). The tables' search, sorting and pages (the page
template's script) are used on the pairs table and checked against the match.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import require_chromium
from page_layout import assert_layout_ok, each_tab, screenshot_whole

from toolkit import studio

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "studio_layout"
WIDTHS = (1366, 1024)
HEIGHT = 768  # a projector's
STEP_SECONDS = 120
FIRST_PAGE_SECONDS = 400  # generous bounds on a shared 2-core machine; not speed assertions

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _use_matching_studio(page) -> None:
    page.wait_for_selector(".tk-pairs[data-solve='1'] table.tk-table tbody tr")
    page.get_by_role("tab", name="Explain").click()
    page.locator("select:has(option:text-is('(choose a person)'))").select_option(index=1)
    page.wait_for_selector("pre")
    page.get_by_role("tab", name="Scenarios").click()
    for name in ("As designed", "Mix departments"):
        if name == "Mix departments":  # a second scenario with a different weight (the objective picker)
            page.locator("select:has(option:text-is('Highest total score'))").select_option(index=1)
            page.wait_for_function("() => !document.querySelector('.tk-pairs[data-solve=\"1\"]')")
        page.get_by_placeholder("name this scenario").fill(name)
        page.get_by_role("button", name="Save scenario").click()
        page.wait_for_selector(f".tk-table th:has-text('{name}')")
    page.get_by_role("tab", name="Pairs").click()


def _use_survey_explorer(page) -> None:
    page.locator("select:has(option:text-is('End of programme'))").first.select_option(label="End of programme")
    page.wait_for_selector("select option:text-is('Baseline (before the programme)')", state="attached")
    compared = page.locator("select:has(option:text-is('(nothing: this survey alone)'))")
    compared.select_option(label="Baseline (before the programme)")
    page.wait_for_selector("h4:has-text('the same people')")
    page.locator("select:has(option:text-is('Everyone'))").select_option(label="Department")
    page.wait_for_selector("h4:has-text('by department')")
    page.wait_for_selector(".tk-chart-fill img")


USE = {"matching_studio": _use_matching_studio, "survey_explorer": _use_survey_explorer}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    chromium = require_chromium("the studio's layout check")
    folder = tmp_path_factory.mktemp("studio") / "northwind"
    shutil.copytree(ROOT / "sample_data" / "northwind", folder)
    # The studio matches whom the match command would today (leavers and people paused set aside), so the
    # pairs table holds as many rows as that match; counted here, not written down, as it moves with the date.
    import toolkit as tk
    from toolkit.client import load_client
    pairs = len(tk.client_match(load_client(folder)).pairs)
    # The landing page and the matching studio run ahead of a visit; the other pages start when opened (the browser
    # test of every page on Riverbank runs those ahead), so the layout is read both ways a page is served.
    with studio.StudioServer(folder, preheat=("index", "matching_studio")) as server:
        server.expected_pairs = pairs
        yield server, chromium


def _check_page(page, name: str, failures: list[str]) -> int:
    """The layout check on the page as it is and after a click on each tab, at each width; screenshots."""
    checked = 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.wait_for_timeout(400)
        checked += _check(page, f"{name} at {width} px", ARTIFACTS / f"{name}_{width}_opened.png", failures)
        for tab in each_tab(page):
            slug = re.sub(r"\W+", "_", tab.lower()).strip("_")
            checked += _check(page, f"{name} at {width} px, tab {tab!r}", ARTIFACTS / f"{name}_{width}_{slug}.png",
                              failures)
    return checked


def _check(page, where: str, screenshot: Path, failures: list[str]) -> int:
    try:
        return assert_layout_ok(page, where)
    except AssertionError as problem:
        failures.append(str(problem))
        return 0
    finally:
        screenshot_whole(page, screenshot)


def test_every_studio_tab_reads_at_projector_widths(served):
    from playwright.sync_api import sync_playwright

    server, chromium = served
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": WIDTHS[0], "height": HEIGHT})
            page.set_default_timeout(STEP_SECONDS * 1000)
            for name in server.site.pages:
                page.goto(server.page_url(name))
                # The first page waits for the pre-started kernels to get ready (minutes on a loaded machine).
                page.wait_for_selector(".tk-studio-banner", timeout=FIRST_PAGE_SECONDS * 1000)
                if name in studio.APPS:
                    page.wait_for_selector(".jupyter-widgets button, .jupyter-widgets select")
                page.wait_for_load_state("networkidle")
                if name in USE:
                    USE[name](page)
                assert page.locator(".tk-error").count() == 0, page.locator(".tk-error").first.inner_text()
                before = len(failures)
                boxes = _check_page(page, name, failures)
                if len(failures) == before:  # a clean page must have had something to check
                    assert boxes > (20 if name == "index" else 60), f"{name}: only {boxes} boxes checked"
        finally:
            browser.close()
    assert not failures, "\n\n".join(failures)


def test_the_pairs_table_searches_sorts_and_pages(served):
    from playwright.sync_api import sync_playwright

    server, chromium = served
    total = server.expected_pairs
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1024, "height": HEIGHT})
            page.set_default_timeout(STEP_SECONDS * 1000)
            page.goto(server.page_url("matching_studio"))
            page.wait_for_selector(".tk-pairs[data-solve='1'] table.tk-table tbody tr",
                                   timeout=FIRST_PAGE_SECONDS * 1000)
            pairs = page.locator(".tk-pairs").first
            rows = pairs.locator("tbody tr:visible")
            assert rows.count() == 25
            assert pairs.locator(".tk-page-info").inner_text() == f"Rows 1–25 of {total}"
            first_page = rows.first.inner_text()
            pairs.get_by_role("button", name="Next").click()
            assert pairs.locator(".tk-page-info").inner_text() == f"Rows 26–50 of {total}"
            assert rows.first.inner_text() != first_page
            # Sort by mentee name (A to Z), then search for one person: only their row is left.
            pairs.locator("th button.tk-sort", has_text="Mentee").click()
            names = [rows.nth(index).locator("td").first.inner_text() for index in range(rows.count())]
            assert names == sorted(names, key=str.casefold) and pairs.locator(".tk-page-info").inner_text().startswith(
                "Rows 1–25")
            pairs.get_by_placeholder("Search this table").fill(names[3].split(" (")[0])
            assert rows.count() >= 1 and all(names[3].split(" (")[0] in rows.nth(index).inner_text()
                                             for index in range(rows.count()))
            assert f"of {total}" in pairs.locator(".tk-page-info").inner_text()
            # Sort by score: numbers, biggest first.
            pairs.get_by_placeholder("Search this table").fill("")
            pairs.locator("th button.tk-sort", has_text="Match score").click()
            scores = [float(rows.nth(index).locator("td").nth(2).inner_text()) for index in range(rows.count())]
            assert scores == sorted(scores, reverse=True)
        finally:
            browser.close()
