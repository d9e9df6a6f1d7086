"""Recording events, reading the meeting log, and re-matching on the timeline: what is read, and what is refused.

Every refusal names the row (as the spreadsheet shows it) and says how to fix it; nothing is written
when an event is refused.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
import time_machine

from toolkit.cli import main
from toolkit.client import load_client
from toolkit.errors import ConfigError
from toolkit.measure import engagement
from toolkit.programme import programme_state, read_duration, read_format, read_meetings
from toolkit.programme.record import record_event

FIXTURE = Path(__file__).parent / "fixtures" / "programme_year"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _on(day: str, *arguments) -> int:
    with time_machine.travel(dt.datetime.fromisoformat(f"{day} 10:00"), tick=False):
        return main([str(argument) for argument in arguments])


@pytest.fixture()
def matched(tmp_path) -> Path:
    """The fixture client after its first match (round 1 on 13 January 2025), with an empty meeting log."""
    client = tmp_path / "harbourside"
    shutil.copytree(FIXTURE, client)
    assert _on("2025-01-13", "match", "--client", client, "--quiet") == 0
    return client


# ------------------------------------------------------------------------------------------------
# durations and formats as people write them
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, minutes", [
    ("45", 45), ("0:45", 45), ("45 mins", 45), ("1 hour", 60), ("1h 15m", 75), ("1h15", 75), ("90 mins", 90),
    ("1.5", 90), ("1,5", 90), ("2 hours", 120), ("an hour", 60), ("half an hour", 30), ("1 hr 30 min", 90),
    ("", None)])
def test_durations_read_as_people_write_them(written, minutes):
    assert read_duration(written)[0] == minutes


@pytest.mark.parametrize("written", ["6", "7.5"])
def test_a_bare_number_that_could_be_minutes_or_hours_is_asked_unless_the_header_says(written):
    with pytest.raises(ValueError, match="minutes or"):
        read_duration(written)
    assert read_duration(written, "hours")[0] == float(written) * 60
    assert read_duration(written, "minutes")[0] == float(written)


@pytest.mark.parametrize("written, format", [
    ("Teams", "virtual"), ("MS Teams", "virtual"), ("Zoom", "virtual"), ("Google Meet", "virtual"),
    ("video call", "virtual"), ("Teams call", "virtual"), ("phone", "phone"), ("Phone call", "phone"),
    ("In person", "in_person"), ("face to face", "in_person"), ("F2F", "in_person"), ("coffee", "in_person"),
    ("in_person", "in_person"), ("", None)])
def test_meeting_formats_map_to_the_known_three(written, format):
    assert read_format(written) == format


def test_an_unknown_format_and_an_unsure_duration_stop_with_their_rows_named(tmp_path):
    log = tmp_path / "meetings.csv"
    log.write_text("Meeting ID,Pair ID,Date,Duration,Format\nM1,P1,2025-02-03,45,Teams\nM2,P1,2025-03-03,6,Teams\n"
                   "M3,P1,2025-04-07,60,carrier pigeon\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_meetings(log)
    assert [(problem.row, problem.column, problem.value) for problem in caught.value.problems] == [
        (3, "Duration", "6"), (4, "Format", "carrier pigeon")]


def test_a_meeting_dated_before_the_programme_or_after_today_is_refused_with_its_row(matched):
    (matched / "meeting_log.csv").write_text("Meeting ID,Pair ID,Date,Duration,Format\nM1,R1-P001,2024-12-20,45,"
                                             "Teams\nM2,R1-P001,2025-02-03,45,Teams\n", encoding="utf-8")
    with time_machine.travel(dt.datetime(2025, 1, 31, 10), tick=False), pytest.raises(ConfigError) as caught:
        programme_state(matched)
    assert [problem.row for problem in caught.value.problems] == [2, 3]
    assert "before the programme began" in caught.value.problems[0].message
    assert "after today" in caught.value.problems[1].message


# ------------------------------------------------------------------------------------------------
# record: checked before anything is written
# ------------------------------------------------------------------------------------------------
def _rows(path: Path) -> int:
    return len(path.read_text(encoding="utf-8-sig").strip().splitlines())


def test_an_unknown_person_or_pair_is_refused_with_a_did_you_mean(matched):
    before = _rows(matched / "people_status.csv")
    with pytest.raises(ConfigError, match="E1 is not in the participant files") as caught:
        record_event(matched, "left", "E1", on="2025-02-03", today=dt.date(2025, 2, 3))
    assert "Did you mean" in str(caught.value)
    with pytest.raises(ConfigError, match="no pair or circle has the id P001"):
        record_event(matched, "ended", "P001", on="2025-02-03", reason="no_fault", today=dt.date(2025, 2, 3))
    assert _rows(matched / "people_status.csv") == before


def test_a_date_outside_the_programme_or_after_today_is_refused(matched):
    with pytest.raises(ConfigError, match="after today"):
        record_event(matched, "left", "E01", on="2025-03-01", today=dt.date(2025, 2, 3))
    with pytest.raises(ConfigError, match=r"outside the programme \(6 January 2025 to 19 December 2025\)"):
        record_event(matched, "left", "E01", on="2025-01-02", today=dt.date(2025, 2, 3))


def test_contradictions_name_the_row_they_contradict(matched):
    record_event(matched, "ended", "R1-P003", on="2025-02-03", reason="no_fault", today=dt.date(2025, 2, 3))
    with pytest.raises(ConfigError, match=r"R1-P003 already ended on 3 February 2025 \(pair_status.csv row 2\)"):
        record_event(matched, "ended", "R1-P003", on="2025-02-10", reason="no_fault", today=dt.date(2025, 2, 10))
    with pytest.raises(ConfigError, match="M04 returned on 10 February 2025 but is not paused"):
        record_event(matched, "returned", "M04", on="2025-02-10", today=dt.date(2025, 2, 10))
    record_event(matched, "left", "E01", on="2025-02-04", today=dt.date(2025, 2, 10))
    with pytest.raises(ConfigError) as caught:
        record_event(matched, "paused", "E01", on="2025-02-10", today=dt.date(2025, 2, 10))
    assert "E01 left on 4 February 2025 (people_status.csv row 2)" in str(caught.value)
    # the leaver's pair ended with them, on the day they left
    pairs = programme_state(matched, as_of="2025-02-10").pairs.set_index("unit_id")
    assert (pairs.at["R1-P001", "state"], pairs.at["R1-P001", "left_by"]) == ("ended", "E01")


def test_a_hand_written_date_that_reads_two_ways_is_asked_about_with_the_client_yaml_line(matched):
    with (matched / "people_status.csv").open("a", encoding="utf-8") as handle:
        handle.write("E02,left,04/02/2025,withdrew,\n")
    with pytest.raises(ConfigError) as caught:
        programme_state(matched, as_of="2025-03-01")
    problem = caught.value.problems[0]
    assert (problem.row, problem.value) == (2, "04/02/2025") and "date_format: DMY" in problem.fix


def test_record_names_the_file_in_client_yaml_when_it_was_not_yet(matched):
    text = (matched / "client.yaml").read_text(encoding="utf-8").replace("pair_status: pair_status.csv\n", "")
    (matched / "client.yaml").write_text(text, encoding="utf-8")
    done = record_event(matched, "ended", "R1-P004", on="2025-02-03", reason="goals_met", today=dt.date(2025, 2, 3))
    assert done.yaml_line == "pair_status: collect/pair_status.csv" and done.row == 2
    assert load_client(matched).get("pair_status") == (matched / "collect" / "pair_status.csv").resolve()
    assert programme_state(matched, "2025-02-03").pairs.set_index("unit_id").at["R1-P004", "state"] == "completed"


# ------------------------------------------------------------------------------------------------
# rematch --as-of
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("as_of, words", [
    ("2024-12-01", "outside the programme, which runs from 6 January 2025 to 19 December 2025"),
    ("2025-12-25", "outside the programme"),
    ("2025-01-10", "before round 1, adopted on 13 January 2025")])
def test_rematch_as_of_outside_the_programme_or_before_the_latest_round_is_refused(matched, tmp_path, capsys, as_of,
                                                                                   words):
    assert _on("2025-03-01", "rematch", "--client", matched, "--out", tmp_path / "out", "--as-of", as_of) == 2
    assert words in capsys.readouterr().err
    assert len(list((matched / "matches").glob("round-*"))) == 1


def test_a_pairs_file_ending_that_does_not_say_who_left_stops_the_rematch(tmp_path, capsys):
    client = tmp_path / "relationships"
    shutil.copytree(Path(__file__).parent / "fixtures" / "relationships", client)
    assert _on("2026-08-10", "rematch", "--client", client, "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "P03 (A3 with B3) ended because someone left, but no file says who" in err and "Left By" in err


def test_the_hr_extract_says_who_left_a_sample_pair():
    state = programme_state(SAMPLES / "riverbank", as_of="2026-07-16")
    pair = state.pairs.set_index("unit_id").loc["RB-P003"]
    assert (pair["state"], pair["end_reason"], pair["left_by"]) == ("ended", "left", "RB1670")
    assert state.people.set_index("participant_id").at["RB1670", "state"] == "left"


# ------------------------------------------------------------------------------------------------
# the health report's counts
# ------------------------------------------------------------------------------------------------
def test_the_health_reports_meeting_total_agrees_with_its_monthly_chart_and_counts_every_round():
    config = load_client(SAMPLES / "riverbank")
    activity = engagement.activity(config, as_of="2026-09-30")
    monthly = engagement.monthly_meetings(config, as_of="2026-09-30")
    assert int(activity["meetings"].sum()) == int(monthly["meetings"].sum()) > 0
    # every meeting logged by then counts: each names a pair that existed on the day
    raw = pd.read_csv(config.get("meetings"))
    assert int(activity["meetings"].sum()) + activity.attrs["unlinked_meetings"] == int(
        (pd.to_datetime(raw["Date"]) <= "2026-09-30").sum())


def test_a_pair_matched_after_the_as_of_day_is_not_flagged_late(matched):
    risk = engagement.at_risk(load_client(matched), as_of="2025-01-12")
    assert risk.empty  # round 1 was adopted on 13 January: on the 12th there is no pair to be late
    late = engagement.at_risk(load_client(matched), as_of="2025-02-20")
    assert set(late["unit"]) == {f"R1-P00{number}" for number in range(1, 8)}  # 38 days, no meeting logged
    assert all("since they were matched" in evidence for evidence in late["evidence"])


def test_validate_checks_every_collected_file_and_names_the_row(matched, capsys):
    (matched / "meeting_log.csv").write_text("Meeting ID,Pair ID,Date,Duration,Format\nM1,R1-P001,2025-02-03,"
                                             "ninety,Teams\n", encoding="utf-8")
    assert _on("2025-03-01", "validate", "--client", matched) == 2
    out = capsys.readouterr().out
    assert "meeting log: NOT READ" in out and "row 2" in out and "ninety" in out
