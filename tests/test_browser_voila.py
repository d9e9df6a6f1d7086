"""End to end in a real browser: ``mentoring-toolkit studio`` serves the apps with Voilà, Chromium uses them.

The command is started as a person would start it (a subprocess, on a copy of the Riverbank
sample client in a temporary folder) and the address it prints is opened in headless system
Chromium driven by Playwright. On the matching studio page the test drags the "skills" weight
slider to zero, pins a mentee to one of their runner-up mentors (named by the toolkit's own
explanation of the first solve), checks the pairs table changed each time and shows the pinned
pair, exports to Excel and finds the workbook, with the pinned pair, in the client folder. Then
it presses Ctrl-C (SIGINT) and checks the command stops cleanly. Screenshots and the time from
the command to a usable page go to ``test-artifacts/``.

Offline and private: every request the browser makes (pages, scripts, styles, fonts, images, the
kernel's websocket) is recorded, and the tests fail if any goes to a host other than the local
server; a second test opens every page the studio serves (each app, the notebook list, the
not-found page) and checks the same, and that the buttons' Font Awesome icons still draw (from
the server's own copy).

Playwright never downloads a browser here: it drives the system Chromium. Without one the test
skips with a notice, except under CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import (
    RequestLog,
    assert_icons_draw,
    branded_copy,
    drag_slider_to_zero,
    require_chromium,
)
from served_command import served_command

import toolkit as tk
from toolkit import studio

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "sample_data" / "riverbank"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
START_SECONDS = 90  # generous bounds on a loaded 2-core machine; not speed assertions
STEP_SECONDS = 120

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def chromium() -> str:
    return require_chromium("the real-browser test of the Voilà studio")


@pytest.fixture
def client_copy(tmp_path) -> Path:
    folder = tmp_path / "riverbank"
    shutil.copytree(CLIENT, folder)
    return folder


@pytest.fixture
def studio_command(client_copy, chromium):
    """``mentoring-toolkit studio --client <copy>`` running; yields (process, landing url, start time)."""
    started = time.monotonic()
    # the pages these tests open start their kernels ahead (every page does in the test below)
    with served_command(["studio", "--client", str(client_copy), "--preheat", "index,matching_studio"],
                        START_SECONDS) as (process, url):
        yield process, url, started


def _row_of(table_text: str, label: str) -> str:
    return next((line for line in table_text.splitlines() if label in line), "")


def test_studio_command_serves_the_matching_studio_that_re_solves_pins_and_exports_into_the_client_folder(
        studio_command, client_copy, chromium):
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    process, url, started = studio_command
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    config = tk.load_client(client_copy)
    roster = config.roster()
    first = tk.match(roster, config.design())
    mentee = first.pairs["mentee_id"].iloc[0]
    runners_up = list(first.explain(mentee).runners_up["mentor_id"])

    def label(participant_id: str) -> str:
        return f"{roster.display_name(participant_id)} ({participant_id})"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.set_default_timeout(STEP_SECONDS * 1000)
            requests = RequestLog(page.context, urlsplit(url).netloc)

            # The landing page: the client's name on top, a link per app, no code, nothing from the internet.
            page.goto(url)
            page.wait_for_selector(".tk-studio-banner")
            assert config.name in page.locator(".tk-studio-banner").first.inner_text()
            assert page.locator(".tk-studio-link-matching_studio").count() == 1
            assert "import toolkit" not in page.content()
            page.wait_for_load_state("networkidle")
            assert requests.foreign() == [], "the landing page asked another host"
            page.screenshot(path=str(ARTIFACTS / "voila_landing.png"))

            # The matching studio: usable once the first solve fills the pairs table.
            with page.context.expect_page() as opened:  # each app opens in its own tab
                page.locator(".tk-studio-link-matching_studio").click()
            page = opened.value
            page.set_default_timeout(STEP_SECONDS * 1000)
            page.wait_for_selector(".tk-pairs[data-solve='1'] table.tk-table tbody tr")
            usable = time.monotonic() - started
            (ARTIFACTS / "voila_time_to_usable_page.txt").write_text(
                f"{usable:.1f} s from `mentoring-toolkit studio` to the matching studio's first solve shown "
                "(landing page opened, link followed)\n", encoding="utf-8")
            assert config.name in page.locator(".tk-studio-banner").first.inner_text()
            assert "MatchingStudio(" not in page.content()  # code hidden
            assert "Running HiGHS" not in page.locator("body").inner_text()  # nothing stray on the page
            first_table = page.locator(".tk-pairs").first.inner_text()

            # Move a weight: a new solve, a different table.
            slider = page.locator(".tk-weight-skills").first
            drag_slider_to_zero(page, slider)
            assert slider.locator(".widget-readout").inner_text().strip() in ("0.0", "0")
            page.wait_for_selector(".tk-pairs:not([data-solve='1']) table.tk-table tbody tr")
            page.wait_for_function("() => !document.querySelector('.tk-status').innerText.includes('Solve 1:')")
            second_table = page.locator(".tk-pairs").first.inner_text()
            assert second_table != first_table
            solves = int(page.locator(".tk-pairs").first.get_attribute("data-solve"))

            # Pin the mentee to a runner-up they are not paired with now.
            partner_row = _row_of(second_table, label(mentee))
            mentor = next(m for m in runners_up if label(m) not in partner_row)
            page.get_by_role("tab", name="Pin / ban").click()
            page.locator("select:has(option:text-is('(mentee)'))").select_option(label=label(mentee))
            page.locator("select:has(option:text-is('(mentor)'))").select_option(label=label(mentor))
            page.get_by_role("button", name="Pin pair").click()
            page.wait_for_selector(f".tk-pairs:not([data-solve='{solves}']) table.tk-table tbody tr",
                                   state="attached")  # the Pairs tab is hidden behind Pin / ban
            page.get_by_role("tab", name="Pairs").click()
            third_table = page.locator(".tk-pairs").first.inner_text()
            assert third_table != second_table
            pinned_row = _row_of(third_table, label(mentee))
            assert label(mentor) in pinned_row
            assert "optimal" in page.locator(".tk-status").first.inner_text()
            errors = page.locator(".tk-error")
            assert errors.count() == 0, errors.first.inner_text()
            assert assert_icons_draw(page) >= 6  # back to the design, pin, ban, save, restore, export
            page.locator(".tk-matching-studio").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "voila_matching_studio.png"))

            # Export: the workbook lands in the client folder, with the pinned pair in it.
            page.get_by_role("tab", name="Export").click()
            page.get_by_role("button", name="Export to Excel").click()
            page.wait_for_selector(".tk-ok:has-text('Saved')")
            page.screenshot(path=str(ARTIFACTS / "voila_export.png"))
            assert requests.foreign() == [], "a studio page asked another host"
            assert any("/voila/render/matching_studio.ipynb" in request for request in requests.urls)
        finally:
            browser.close()

    exported = client_copy / "exports" / "matching.xlsx"
    assert exported.exists()
    sheet = load_workbook(exported, read_only=True).worksheets[0]
    rows = [" ".join(str(cell) for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]
    assert any(label(mentee) in row and label(mentor) in row for row in rows) or \
        any(mentee in row and mentor in row for row in rows)

    # Ctrl-C stops the command cleanly.
    process.send_signal(signal.SIGINT)
    # a bound, not a speed assertion: the command gives Voilà 20 s to stop its kernels, then 5 s more to any left
    assert process.wait(timeout=90) == 0
    said = process.stdout.read()
    assert "Studio stopped." in said and "Traceback" not in said
    for name in ("voila_landing.png", "voila_matching_studio.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_every_studio_page_loads_nothing_from_another_host_and_its_icons_still_draw(tmp_path, chromium):
    from playwright.sync_api import sync_playwright

    client = branded_copy(tmp_path / "riverbank")  # its logo reaches the page as a data: URI
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The apps other than the matching studio run ahead of a visit (the layout test on Northwind runs the landing
    # page and the matching studio ahead), so every page is read both pre-started and started when opened.
    with studio.StudioServer(client, preheat=[name for name in studio.available_apps(client)
                                              if name != "matching_studio"]) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            context.set_default_timeout(STEP_SECONDS * 1000)
            requests = RequestLog(context, urlsplit(server.base).netloc)
            page = context.new_page()
            icons, asked = {}, {}
            for name in server.site.pages:
                before = len(requests.urls)
                page.goto(server.page_url(name))
                page.wait_for_selector(".tk-studio-banner")
                if name in studio.APPS:  # an app: wait for its widgets to draw
                    page.wait_for_selector(".jupyter-widgets button, .jupyter-widgets select")
                page.wait_for_load_state("networkidle")
                assert page.locator(".tk-error").count() == 0, page.locator(".tk-error").first.inner_text()
                icons[name] = assert_icons_draw(page)
                asked[name] = requests.foreign(before)
            page.screenshot(path=str(ARTIFACTS / f"voila_{server.site.pages[-1]}.png"))
            for name, address in (("the notebook list", f"{server.base}/voila/tree?token={server.token}"),
                                  ("a page that does not exist",
                                   f"{server.base}/voila/render/no_such_app.ipynb?token={server.token}")):
                before = len(requests.urls)
                page.goto(address)
                page.wait_for_load_state("networkidle")
                asked[name] = requests.foreign(before)
        finally:
            browser.close()
    assert asked == {name: [] for name in asked}, "a studio page asked another host"
    assert requests.foreign() == []
    assert icons["matching_studio"] >= 6 and icons["cohort_setup"] >= 1 and icons["goal_builder"] >= 1
    # The icon font came from this server.
    assert any(urlsplit(url).path.endswith((".woff2", ".woff", ".ttf")) for url in requests.urls)
