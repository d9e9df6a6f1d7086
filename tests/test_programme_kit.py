"""Programme kit: dated inside the window, fully filled in, importable calendars, training fit for the kind."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pandas as pd
import pytest

import toolkit as tk
from toolkit import kit
from toolkit.client import load_client
from toolkit.reports import external_references

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bnan\b")


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    out = tmp_path_factory.mktemp("kit")
    return {slug: (load_client(SAMPLES / slug), kit.write_kit(SAMPLES / slug / "client.yaml", out / slug), out / slug)
            for slug in CLIENTS}


@pytest.mark.slow
@pytest.mark.parametrize("slug", CLIENTS)
def test_every_message_is_on_a_weekday_inside_the_programme_window_and_fully_filled(kits, slug):
    config, _, folder = kits[slug]
    design = config.design()
    start, end = design.start_date, design.planned_end_date
    timeline = pd.read_csv(folder / "communications_timeline.csv", parse_dates=["date"])
    assert len(timeline) >= 10
    for day in timeline["date"].dt.date:
        assert start <= day <= end and day.weekday() < 5
    assert list(timeline["date"]) == sorted(timeline["date"])
    for column in ("subject", "text", "audience", "channel"):
        assert not timeline[column].isna().any()
        assert not timeline[column].map(lambda text: bool(LEFTOVER.search(text))).any()
    assert {"launch", "introductions", "first_meeting_nudge", "check_in_30", "midpoint_survey", "reengagement",
            "close_out", "celebration"} <= set(timeline["id"])


@pytest.mark.slow
@pytest.mark.parametrize("slug", CLIENTS)
def test_calendar_parses_with_icalendar_one_event_per_message(kits, slug):
    _, _, folder = kits[slug]
    calendar = icalendar.Calendar.from_ical((folder / "communications.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    timeline = pd.read_csv(folder / "communications_timeline.csv")
    assert len(events) == len(timeline)
    assert sorted(str(event.get("dtstart").dt) for event in events) == sorted(timeline["date"])
    assert len({str(event.get("uid")) for event in events}) == len(events)


@pytest.mark.slow
@pytest.mark.parametrize("slug", CLIENTS)
def test_one_introduction_per_pair_or_circle_with_names_and_no_emails(kits, slug):
    config, _, folder = kits[slug]
    introductions = pd.read_csv(folder / "introductions.csv")
    source = pd.read_csv(config.get("circles") or config.get("pairs"))
    # pairs that ended early get no introduction (the pairs file's status says which)
    running = source[~source["Status"].isin(["ended_early"])] if "Pair ID" in source else source
    units = running.iloc[:, 0].nunique()
    assert len(introductions) == units
    assert not introductions["body"].str.contains("@").any()
    assert not introductions["body"].map(lambda text: bool(LEFTOVER.search(text))).any()
    names = (introductions["names"].iloc[0].split("; ") if "names" in introductions else
             list(introductions.filter(like="_name").iloc[0]))
    assert all(name in introductions["body"].iloc[0] for name in names)
    # ready for a mail merge: every message has its recipients' addresses
    assert introductions["to"].str.contains("@").all()


@pytest.mark.parametrize("kind, topic, absent", [
    ("reverse", "power_dynamics", "facilitating_circles"),
    ("group", "facilitating_circles", "power_dynamics"),
    ("peer", "peer_reciprocity", "power_dynamics"),
    ("virtual", "virtual_mentoring", "facilitating_circles"),
    ("formal", "inclusive_mentoring", "power_dynamics"),
])
def test_training_plan_fits_the_programme_kind(kind, topic, absent):
    plan = kit.training_plan(tk.ProgramDesign.from_template(kind))
    assert topic in plan.topics() and absent not in plan.topics()
    assert {"active_listening", "confidentiality", "first_meeting", "giving_back"} <= plan.topics()


@pytest.mark.parametrize("kind", ["formal", "informal", "peer", "reverse", "group", "virtual"])
def test_session_timings_add_up(kind):
    plan = kit.training_plan(tk.ProgramDesign.from_template(kind))
    for session, modules in plan.sessions.items():
        schedule = plan.schedule(session, start="09:00")
        assert schedule["minutes"].sum() == plan.minutes(session)
        for module in modules:
            assert module["minutes"] == sum(activity["minutes"] for activity in module["activities"])
        start = pd.Timestamp("2000-01-01 09:00")
        assert schedule["end"].iloc[-1] == (start + pd.Timedelta(minutes=plan.minutes(session))).strftime("%H:%M")


@pytest.mark.slow
@pytest.mark.parametrize("slug", CLIENTS)
def test_leadership_brief_is_self_contained_and_carries_the_readiness_figures(kits, slug):
    config, _, folder = kits[slug]
    page = (folder / "leadership_brief.html").read_text(encoding="utf-8")
    assert external_references(page) == [] and "<script" not in page
    assert not LEFTOVER.search(page)
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", page)  # no email addresses
    readiness = tk.readiness(config.roster(), config.design())
    assert f"<b>{readiness.overall['participants']}</b>" in page
    assert "What we ask of leaders" in page and config.design().name in page


def test_a_design_without_dates_is_refused_with_the_fix():
    with pytest.raises(tk.DesignError, match="start_date"):
        kit.communications_timeline(tk.ProgramDesign.from_template("formal"))


@pytest.mark.slow
def test_timeline_exports_are_formula_safe(kits, tmp_path):
    import openpyxl

    _, written, folder = kits["northwind"]
    book = openpyxl.load_workbook(folder / "communications_timeline.xlsx")
    values = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value]
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)
    assert {path.name for path in written} >= {"training_plan.md", "training_plan.html", "communications.ics",
                                                "leadership_brief.html", "introductions.csv"}



@pytest.mark.parametrize("slug", CLIENTS)
def test_leadership_brief_reads_readiness_with_small_departments_suppressed(slug):
    # The brief prints readiness.summary(), which names departments short of places: it must only
    # ever see the departments the anonymity rule lets a report show.
    config = load_client(SAMPLES / slug)
    _, _, _, readiness = kit.kit_sources(config)
    shown = set(readiness.segments["department"]["department"])
    sizes = config.roster().participants["department"].value_counts()
    assert not shown & set(sizes[sizes < config.privacy["min_group"]].index)
