"""Relationships over time (status, stuck, silent, fit-check flags) and the dated plan per pair."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

from toolkit.design import ProgramDesign
from toolkit.errors import ConfigError
from toolkit.matching.engine import match
from toolkit.measure.engagement import read_log
from toolkit.measure.relationships import (
    FIT_SCRIPT,
    closure_suggestions,
    fit_check_flags,
    pair_statuses,
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
    meetings = read_log(FIXTURES / "meetings_log.csv")
    meetings = pd.DataFrame({"unit": meetings["pair_id"], "date": pd.to_datetime(meetings["date"]).dt.date})
    return relationships(None, as_of=AS_OF, pairs=read_log(FIXTURES / "pairs_with_endings.csv"), meetings=meetings)


def test_each_logged_ending_reads_as_one_of_the_five_statuses(table):
    assert dict(zip(table["pair_id"], table["status"])) == {
        "P01": "active", "P02": "active", "P03": "left_organisation", "P04": "ended_no_fault", "P05": "completed",
        "P06": "completed_early", "P07": "active", "P08": "active"}


def test_an_unknown_status_stops_with_the_row_named():
    pairs = pd.DataFrame({"pair_id": ["P1", "P2"], "mentee_id": ["A1", "A2"], "mentor_id": ["B1", "B2"],
                          "status": ["active", "paused"]})
    with pytest.raises(ConfigError) as caught:
        pair_statuses(pairs, path="pairs.csv")
    assert [(problem.row, problem.value) for problem in caught.value.problems] == [(3, "paused")]


def test_stuck_after_21_days_silent_after_90_and_the_counts(table):
    assert list(stuck_pairs(table)["pair_id"]) == ["P02", "P07"]
    assert list(table.loc[table["silent"], "pair_id"]) == ["P02", "P08"]
    counts = relationship_counts(table)
    assert (counts["currently_matched_mentees"], counts["ever_matched_mentees"]) == (4, 7)
    assert counts["median_days_to_first_meeting"] == 9.0
    assert counts["by_status"]["left_organisation"] == 1 and counts["by_status"]["completed_early"] == 1


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
    meetings = pd.DataFrame(columns=["unit", "date"])
    early = relationships(None, as_of="2026-05-10", pairs=read_log(FIXTURES / "pairs_with_endings.csv"),
                          meetings=meetings)
    status = dict(zip(early["pair_id"], early["status"]))
    assert "P07" not in status  # matched on 20 May
    assert status["P03"] == "left_organisation" and status["P04"] == "active" and status["P06"] == "active"
