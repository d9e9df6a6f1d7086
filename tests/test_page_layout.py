"""The layout check (tests/page_layout.py) on small hand-written pages: it finds what it must and nothing else.

Each page below is one kind of fault seen in the studio (rows printed on top of each other, a table cut
off, a label shortened with an ellipsis, a dropdown too narrow for its choice, a box that grew a
scrollbar, text beyond the window's edge), and one clean page holds the things that are fine (a wide
table in its own scrolling wrapper, text scrolled out of sight inside a scrolling list, a button and its
label). Real Chromium lays the pages out; no server is needed.
"""

from __future__ import annotations

import pytest
from conftest import require_chromium
from page_layout import assert_layout_ok, layout_problems

pytestmark = [pytest.mark.browser]

WIDE_TABLE = ("<table style='width:700px;border-collapse:collapse'><tr>"
              + "".join(f"<th>Criterion number {i}</th>" for i in range(6)) + "</tr><tr>"
              + "".join(f"<td>{i}.00</td>" for i in range(6)) + "</tr></table>")

CLEAN = f"""
<h1>Matching studio</h1>
<p>Move a weight or switch a rule: the match is solved again when you stop.</p>
<div style="width:400px;overflow-x:auto">{WIDE_TABLE}</div>
<div style="height:60px;overflow:auto">{''.join(f'<p style="margin:0">Person number {i}</p>' for i in range(12))}</div>
<p>After the list</p>
<button style="padding:4px 10px">Save scenario</button>
<select><option>Skills offered</option></select>
"""

# ipywidgets' VBox with a fixed height: flex items shrink below their text, so rows are drawn over each other.
ROWS_ON_TOP = ("<div style='display:flex;flex-direction:column;height:70px;width:500px'>"
               + "".join(f"<div style='flex:1 1 auto;min-height:0;height:40px;line-height:16px'>"
                         f"<b>{letter}</b> Column {letter}<br>e.g. an example value</div>" for letter in "ABCDE")
               + "</div>")
CUT_TABLE = f"<div style='width:300px;overflow:hidden'>{WIDE_TABLE}</div>"
ELLIPSIS = ("<button style='width:70px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap'>"
            "Hide groups under</button>")
NARROW_DROPDOWN = "<select style='width:70px'><option>participant identifier</option></select>"
ACCIDENTAL = f"<div class='widget-box' style='overflow:auto;width:300px'>{WIDE_TABLE}</div>"
PAST_THE_EDGE = "<p style='margin-left:980px;white-space:nowrap'>Across departments</p>"


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    chromium = require_chromium("the layout check's own tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        yield page
        browser.close()


def _kinds(page, body: str) -> list[str]:
    page.set_content(f"<html><body style='font:14px sans-serif'>{body}</body></html>")
    problems, _ = layout_problems(page)
    return sorted({problem["kind"] for problem in problems})


def test_a_clean_page_with_planned_scrolling_passes_and_counts_its_boxes(page):
    page.set_content(f"<html><body style='font:14px sans-serif'>{CLEAN}</body></html>")
    assert assert_layout_ok(page, "clean page") >= 20


@pytest.mark.parametrize("body, kind", [
    (ROWS_ON_TOP, "overlap"),
    (CUT_TABLE, "cut off"),
    (ELLIPSIS, "cut off"),
    (NARROW_DROPDOWN, "cut off"),
    (ACCIDENTAL, "scrolls sideways"),
    (PAST_THE_EDGE, "cut off"),
], ids=["rows on top of each other", "table cut by a box hiding overflow", "label shortened with an ellipsis",
        "dropdown narrower than its choice", "layout box with an unplanned scrollbar", "text past the window"])
def test_each_fault_is_found_and_named(page, body, kind):
    assert kind in _kinds(page, CLEAN + body)


def test_the_failure_message_names_the_text_and_where_it_is(page):
    page.set_content(f"<html><body>{ROWS_ON_TOP}</body></html>")
    with pytest.raises(AssertionError) as raised:
        assert_layout_ok(page, "columns tab")
    message = str(raised.value)
    assert message.startswith("columns tab: ") and "overlap" in message and "Column" in message


def test_a_hidden_tab_panel_is_not_checked(page):
    assert _kinds(page, CLEAN + f"<div style='display:none'>{ROWS_ON_TOP}{CUT_TABLE}</div>") == []
