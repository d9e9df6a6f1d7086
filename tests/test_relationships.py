"""Relationships over time (status, stuck, silent, fit-check flags) and the dated plan per pair."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from toolkit.client import load_client
from toolkit.design import ProgramDesign
from toolkit.errors import ConfigError
from toolkit.matching.engine import match
from toolkit.measure.relationships import (
    FIT_SCRIPT,
    closure_suggestions,
    fit_check_flags,
    relationship_counts,
    relationships,
    stuck_pairs,
)
from toolkit.measure.survey import load_survey
from toolkit.milestones import pair_calendar, pair_milestones, write_pair_calendars
from toolkit.roster import Roster

FIXTURES = Path(__file__).parent / "fixtures" / "relationships"
AS_OF = "2026-08-10"


def _roster() -> Roster:
    rows = [{"participant_id": f"A{i}", "name": f"Mentee {i}", "email": f"a{i}@example.com", "role": "mentee"}
            for i in range(1, 8)]
    rows += [{"participant_id": f"B{i}", "name": f"Mentor {i}", "email": f"b{i}@example.com", "role": "mentor",
              "capacity": 2} for i in range(1, 7)]
    return Roster.from_frame(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def table():
    return relationships(load_client(FIXTURES), as_of=AS_OF)


def test_each_logged_ending_reads_as_a_state_and_a_reason(table):
    assert dict(zip(table["pair_id"], zip(table["state"], table["end_reason"]))) == {
        "P01": ("active", None), "P02": ("active", None), "P03": ("ended", "left"), "P04": ("ended", "no_fault"),
        "P05": ("completed", "completed"), "P06": ("completed", "goals_met"), "P07": ("active", None),
        "P08": ("active", None)}


def test_an_unknown_status_stops_with_the_row_named(tmp_path):
    import shutil

    shutil.copytree(FIXTURES, tmp_path / "client")
    pairs = tmp_path / "client" / "pairs_with_endings.csv"
    pairs.write_text(pairs.read_text().replace("P02,A2,B2,2026-03-02,,active", "P02,A2,B2,2026-03-02,,paused"))
    with pytest.raises(ConfigError) as caught:
        relationships(load_client(tmp_path / "client"), as_of=AS_OF)
    assert [(problem.row, problem.value) for problem in caught.value.problems] == [(3, "paused")]


def test_stuck_after_21_days_silent_after_90_and_the_counts(table):
    assert list(stuck_pairs(table)["pair_id"]) == ["P02", "P07"]
    assert list(table.loc[table["silent"], "pair_id"]) == ["P02", "P08"]
    counts = relationship_counts(table)
    assert (counts["currently_matched_mentees"], counts["ever_matched_mentees"]) == (4, 7)
    assert counts["median_days_to_first_meeting"] == 9.0
    assert counts["by_state"]["ended"] == 2 and counts["by_state"]["completed"] == 2
    assert counts["ended_by_reason"] == {"left": 1, "no_fault": 1}


def test_a_silent_pair_gets_a_warning_message_with_a_closing_date_first(table):
    suggestions = closure_suggestions(table, _roster(), notice_days=14, coordinator="Harriet")
    row = suggestions.set_index("pair_id").loc["P08"]
    assert row["close_on"] == dt.date(2026, 8, 24)
    assert "Mentee 7 and Mentor 6" in row["warning message"] and "24 August 2026" in row["warning message"]
    assert "16 March 2026" in row["warning message"] and row["warning message"].endswith("Harriet")


def test_a_not_a_fit_or_two_not_sure_yet_answers_flag_the_pair(table):
    survey = load_survey(FIXTURES / "fit_check_google_forms.csv", "fit_check")
    flags = fit_check_flags(survey, table, _roster()).set_index("pair_id")
    assert sorted(flags.index) == ["P02", "P08"]  # P01 has one "Not sure yet" and one "Good fit": not flagged
    assert flags.loc["P02", "why flagged"] == 'a "Not a fit" answer'
    assert flags.loc["P08", "why flagged"] == '2 "Not sure yet" answers'
    assert flags.loc["P08", "suggested conversation"] == FIT_SCRIPT


def test_each_pair_gets_four_dated_milestones_inside_the_programme_as_a_calendar_with_alarms(tmp_path):
    rows = [{"participant_id": "S1", "name": "Sam", "role": "mentee", "skills_sought": ("SQL",)},
            {"participant_id": "T1", "name": "Tess", "role": "mentor", "skills_offered": ("SQL",), "capacity": 1,
             "department": "Finance"}]
    roster = Roster.from_frame(pd.DataFrame(rows))
    design = ProgramDesign.from_template("formal").override({"start_date": "2026-03-02", "end_date": "2026-11-30"})
    plan = pair_milestones(match(roster, design), design, matched_on="2026-06-13")
    assert plan["pair_id"].iloc[0] == "S1-T1"  # never a made-up P001: no round, so the two people's ids
    plan["pair_id"] = "P001"
    assert list(plan["milestone"]) == ["first_meeting", "agreement_signed", "midpoint_review", "closure_conversation"]
    assert list(plan["date"]) == sorted(plan["date"])
    assert all(dt.date(2026, 6, 13) <= day <= dt.date(2026, 11, 30) and day.weekday() < 5 for day in plan["date"])
    assert plan["date"].iloc[0] == dt.date(2026, 6, 29)  # 14 days after a Saturday match is a Saturday: moved on
    calendar = Calendar.from_ical(pair_calendar(plan))
    events = calendar.walk("VEVENT")
    assert [event.decoded("dtstart") for event in events] == list(plan["date"])
    alarms = [event.walk("VALARM")[0].decoded("trigger") for event in events]
    assert alarms == [dt.timedelta(days=-days) for days in plan["remind_days_before"]]
    written = write_pair_calendars(plan, tmp_path)
    assert [path.name for path in written] == ["P001.ics", "milestones.csv"]
    assert pair_calendar(plan) == pair_calendar(plan)  # reproducible: no clock in the file


def test_as_of_an_earlier_day_later_endings_are_still_running_and_later_matches_not_yet_made():
    early = relationships(load_client(FIXTURES), as_of="2026-05-10")
    status = dict(zip(early["pair_id"], early["state"]))
    assert "P07" not in status  # matched on 20 May
    assert status["P03"] == "ended" and status["P04"] == "active" and status["P06"] == "active"
