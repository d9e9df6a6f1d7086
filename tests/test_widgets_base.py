"""Shared widget infrastructure: escaped tables, the error panel, the debouncer, chart output."""

from __future__ import annotations

import asyncio
import base64
import struct
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import IntakeError, Problem
from toolkit.widgets._base import ChartOutput, Debouncer, ErrorPanel, frame_html


@given(st.text(max_size=40))
def test_every_cell_is_escaped_so_markup_shows_literally(text):
    rendered = frame_html(pd.DataFrame({"name": [text], "note": ["<b>x</b>"]}))
    body = rendered.split("<tbody>")[1]
    # Only the table's own tags remain: no tag from the data survives.
    stripped = body.replace("<tr>", "").replace("</tr>", "").replace("<td>", "").replace("</td>", "")
    stripped = stripped.replace("</tbody></table>", "")
    assert "<" not in stripped and ">" not in stripped


def test_frame_html_says_how_many_rows_are_not_shown():
    rendered = frame_html(pd.DataFrame({"n": range(12)}), max_rows=5)
    assert rendered.count("<tr>") == 6  # header + 5 rows
    assert "7 more rows not shown (of 12)" in rendered


def test_frame_html_formats_numbers_and_shows_an_empty_message():
    rendered = frame_html(pd.DataFrame({"score": [1.23456], "count": [3], "skills": [("SQL", "Python")]}))
    assert '<td class="tk-num">1.23</td>' in rendered and '<td class="tk-num">3</td>' in rendered
    assert "SQL, Python" in rendered
    assert "Nothing here" in frame_html(pd.DataFrame(), empty="Nothing here")


def test_error_panel_shows_a_toolkit_error_with_its_problems_as_a_table():
    panel = ErrorPanel()

    def callback():
        raise IntakeError("Two problems:", problems=[Problem("bad email", "fix it", row=4, column="Email", value="x@"),
                                                     Problem("no role", "add one", row=7)])

    assert panel.guard(callback)() is None
    assert isinstance(panel.last_error, IntakeError)
    assert "Two problems:" in panel.widget.value
    assert panel.widget.value.count("<tr>") == 3 and "fix it" in panel.widget.value
    panel.clear()
    assert panel.widget.value == "" and panel.last_error is None


def test_error_panel_shows_an_unexpected_error_with_its_traceback_folded_away():
    panel = ErrorPanel()
    panel.guard(lambda: 1 / 0)()
    assert "ZeroDivisionError" in panel.widget.value
    assert "<details>" in panel.widget.value and "Traceback" in panel.widget.value


def test_guard_returns_the_callback_result_when_nothing_goes_wrong():
    panel = ErrorPanel()
    assert panel.guard(lambda value: value * 2)(21) == 42
    assert panel.widget.value == ""


def test_debouncer_without_an_event_loop_runs_at_once():
    calls = []
    debounced = Debouncer(lambda: calls.append(1), delay=0.5)
    debounced()
    debounced()
    assert calls == [1, 1] and debounced.calls == 2


def test_debouncer_in_an_event_loop_runs_once_after_a_burst():
    calls = []

    async def burst():
        debounced = Debouncer(lambda: calls.append(1), delay=0.05)
        for _ in range(10):
            debounced()
            await asyncio.sleep(0)
        assert debounced.pending and calls == []
        # Wait on the debouncer's own state, not on a clock: no timing assumption.
        for _ in range(1000):
            if not debounced.pending:
                break
            await asyncio.sleep(0.01)
        return debounced

    debounced = asyncio.run(burst())
    assert calls == [1] and debounced.calls == 1


def test_debouncer_flush_runs_a_pending_call_now():
    calls = []

    async def scenario():
        debounced = Debouncer(lambda: calls.append(1), delay=60)
        debounced()
        debounced.flush()
        return debounced

    debounced = asyncio.run(scenario())
    assert calls == [1] and not debounced.pending


def test_chart_output_keeps_the_chart_and_shows_it_as_an_offline_image():
    output = ChartOutput()
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    output.show(chart)
    assert output.chart is chart
    shown = output.widget.outputs[0]
    png = base64.b64decode(shown["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert shown["metadata"]["image/png"]["width"] == struct.unpack(">I", png[16:20])[0] / 2
    output.show(None)
    assert output.chart is None and "text/html" in output.widget.outputs[0]["data"]


def test_data_read_ahead_is_used_only_while_the_client_folder_is_unchanged(tmp_path):
    import os
    import shutil

    from toolkit.client import load_client
    from toolkit.widgets import MatchingStudio, prepared

    folder = tmp_path / "riverbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "sample_data" / "riverbank", folder)
    config = load_client(folder)
    made = []
    first = prepared(config, "test", lambda: made.append(1) or object())
    assert prepared(config, "test", lambda: made.append(1) or object()) is first and made == [1]
    (folder / "exports").mkdir()
    (folder / "exports" / "matching.xlsx").write_bytes(b"saved by an app")  # exports are not read: no change
    assert prepared(config, "test", lambda: made.append(1) or object()) is first
    sign_ups = folder / "participants.xlsx"
    stat = sign_ups.stat()
    os.utime(sign_ups, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the client sent a new file
    assert prepared(config, "test", lambda: made.append(1) or object()) is not first and made == [1, 1]
    # The matching studio's roster, read ahead by the pre-started kernel, is the one the app then shows.
    MatchingStudio.prepare(config)
    studio = MatchingStudio.from_client(config)
    assert studio.model.signed_up is prepared(config, "roster", config.roster)
    # ... less the people the programme's timeline says cannot be matched now (riverbank: leavers, a pause)
    from toolkit.programme import programme_state
    away = set(programme_state(config).unavailable()) & set(studio.model.signed_up.ids)
    assert away and set(studio.model.roster.ids) == set(studio.model.signed_up.ids) - away


@pytest.mark.slow
def test_outside_a_pre_started_kernel_waiting_for_a_visitor_returns_at_once(monkeypatch):
    from toolkit import studio

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    studio.wait_for_visitor(Path(__file__).resolve().parents[1] / "sample_data" / "riverbank", "survey_explorer")
