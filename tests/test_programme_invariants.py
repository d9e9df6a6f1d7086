"""The timeline's invariants on random programme years: random joins, leavers, endings, pauses and re-matches.

Each example writes a small client folder, then plays a random sequence of events through the same
functions the commands use (``record_event``, ``rematch_round``), in date order. Whatever the
sequence, on every day of the year: a leaver is never in a running pair after leaving, no pair is
ever made twice, no mentor holds more mentees than their capacity, nobody paused or gone is given a
new partner, and every person is in exactly one state.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.client import load_client
from toolkit.errors import ConfigError
from toolkit.programme import PERSON_STATES, RUNNING_STATES, build_timeline, state_on
from toolkit.programme.record import record_event
from toolkit.running import rematch_and_adopt

START, END = dt.date(2025, 1, 6), dt.date(2025, 12, 19)
CLIENT = """client: Random year
programme:
  template: formal
  start_date: 2025-01-06
  end_date: 2025-12-19
  overrides:
    seniority: {direction: any}
participants:
- path: people.csv
people_status: people_status.csv
pair_status: pair_status.csv
"""


def _write_client(folder: Path, mentees: int, capacities: list[int]) -> list[str]:
    rows = ["participant_id,name,role,capacity,skills_offered,skills_sought,department"]
    rows += [f"E{number:02d},Mentee {number},mentee,,,Budgeting,Housing" for number in range(1, mentees + 1)]
    rows += [f"M{number:02d},Mentor {number},mentor,{capacity},Budgeting,,Finance"
             for number, capacity in enumerate(capacities, 1)]
    (folder / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "people_status.csv").write_text("Participant ID,Event,Date,Reason,Note\n", encoding="utf-8")
    (folder / "pair_status.csv").write_text("Pair ID,Event,Date,Reason,Left By,Note\n", encoding="utf-8")
    (folder / "client.yaml").write_text(CLIENT, encoding="utf-8")
    return [row.split(",")[0] for row in rows[1:]]


steps = st.lists(st.tuples(st.sampled_from(["rematch", "left", "ended", "paused", "returned"]),
                           st.integers(0, 30), st.integers(1, 20)), min_size=2, max_size=7)


def _play(folder: Path, people: list[str], plan: list[tuple[str, int, int]]) -> None:
    """The year's events in date order, through the functions the commands run (the re-match's papers aside)."""
    day = START + dt.timedelta(days=7)
    rematch_and_adopt(load_client(folder), day)  # the first match
    for action, pick, gap in plan:
        day = min(day + dt.timedelta(days=gap), END)
        try:
            if action == "rematch":
                rematch_and_adopt(load_client(folder), day)
            elif action == "ended":
                pairs = state_on(build_timeline(load_client(folder)), day).running()
                if len(pairs):
                    record_event(folder, "ended", pairs["unit_id"].iloc[pick % len(pairs)], on=day, reason="no_fault")
            else:
                record_event(folder, action, people[pick % len(people)], on=day, reason="withdrew"
                             if action == "left" else None)
        except ConfigError:
            pass  # refused (pausing someone who left, returning someone not paused ...): nothing was written


def _check_every_day(folder: Path, people: list[str], capacity: dict[str, int]) -> None:
    timeline = build_timeline(load_client(folder))
    units = timeline.units
    held = units[units["stops_how"] != "superseded"]
    made = list(zip(held["mentee_id"], held["mentor_id"]))
    assert len(made) == len(set(made)), "a pair was made twice"
    left_on = {row.participant_id: row.left_on for row in timeline.people.itertuples() if row.has_left}
    day = START
    while day <= END + dt.timedelta(days=3):
        state = state_on(timeline, day)
        assert sorted(state.people["participant_id"]) == sorted(people)  # everyone, once
        assert set(state.people["state"]) <= set(PERSON_STATES)
        running = state.running()
        load = running["mentor_id"].value_counts()
        assert all(count <= capacity[mentor] for mentor, count in load.items()), (day, dict(load))
        inside = set(running["mentee_id"]) | set(running["mentor_id"])
        assert not {person for person, left in left_on.items() if left <= day} & inside, day
        assert running["mentee_id"].is_unique, day
        fresh = state.pairs[state.pairs["matched_on"] == day]
        away = set(state.unavailable())
        assert not (set(fresh["mentee_id"]) | set(fresh["mentor_id"])) & away, day
        assert set(state.pairs["state"]) <= {"active", "paused", "ended", "completed", "superseded"}
        assert set(running["state"]) <= set(RUNNING_STATES)
        day += dt.timedelta(days=7)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mentees=st.integers(2, 6), capacities=st.lists(st.integers(1, 2), min_size=1, max_size=3), plan=steps)
def test_on_every_day_leavers_are_out_no_pair_repeats_capacities_hold_and_each_person_has_one_state(
        mentees, capacities, plan):
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        people = _write_client(folder, mentees, capacities)
        _play(folder, people, plan)
        capacity = {f"M{number:02d}": value for number, value in enumerate(capacities, 1)}
        _check_every_day(folder, people, capacity)
