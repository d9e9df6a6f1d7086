"""The recorded events checked against each other, the pairs and the programme's dates, before any state is built.

Only the files the programme team keeps (the people's and pair status files, and a row ``record``
is about to append) are held to these rules; the HR extract and the pairs file kept before the
rounds are read as they are. Every contradiction names both rows::

    people_status.csv row 5: E104 left on 2026-06-01, but row 3 already records them leaving on 2026-05-04
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import Problem, did_you_mean
from .logs import stop_on

__all__ = ["check_events", "check_endings", "person_lives", "RECORDED_SOURCES"]

#: Where recorded events come from: rows of these files are checked strictly.
RECORDED_SOURCES = ("people_status", "pair_status")


def _long(day: dt.date | None) -> str:
    return "an unknown day" if day is None else f"{day.day} {day:%B %Y}"


def _problem(event, message: str, fix: str, column: str = "Date", value=None) -> Problem:
    return Problem(message, fix, event.source, event.row, column, value)


def check_events(events: pd.DataFrame, units: pd.DataFrame, people: pd.DataFrame, *, start: dt.date | None,
                 end: dt.date | None, today: dt.date, strict: set[str]) -> None:
    """Stop with every recorded event that names an unknown person or pair, falls outside the programme or after
    today, or contradicts another (left twice, returned without a pause, ended before it was matched ...).

    ``strict`` holds the file names whose rows are checked (the status files and a row being recorded).
    """
    problems: list[Problem] = []
    recorded = events[events["source"].isin(strict)]
    known_people = set(people["participant_id"])
    members = {row.unit_id: tuple(row.members or ()) for row in units.itertuples()}
    matched = dict(zip(units["unit_id"], units["matched_on"]))
    for event in recorded.itertuples():
        problems += _date_problems(event, start, end, today)
        if event.kind == "person" and event.subject not in known_people:
            problems.append(_problem(event, f"{event.subject} is not in the participant files or any pair"
                                     + did_you_mean(str(event.subject), known_people),
                                     "write the person's participant id as in the participant files",
                                     "Participant ID", event.subject))
        if event.kind == "unit":
            problems += _unit_event_problems(event, members, matched)
    problems += _sequence_problems(events, recorded)
    stop_on(problems, "contradict the programme's record",
            "correct or remove these rows; each event is recorded once, on the day it happened")


def _date_problems(event, start: dt.date | None, end: dt.date | None, today: dt.date) -> list[Problem]:
    day = event.date
    if day is None:
        return []
    if day > today:
        return [_problem(event, f"{_long(day)} is after today ({_long(today)})",
                         "record an event on or after the day it happens, never before", value=day.isoformat())]
    if start is not None and day < start or end is not None and day > end:
        return [_problem(event, f"{_long(day)} is outside the programme ({_long(start)} to {_long(end)})",
                         "correct the date, or the programme's start_date / end_date in client.yaml",
                         value=day.isoformat())]
    return []


def _unit_event_problems(event, members: dict, matched: dict) -> list[Problem]:
    if event.subject not in members:
        return [_problem(event, f"no pair or circle has the id {event.subject}" + did_you_mean(str(event.subject),
                                                                                             members),
                         "write the id as in the round's pairs.csv or introductions.csv (e.g. R1-P001)", "Pair ID",
                         event.subject)]
    problems = []
    began = matched.get(event.subject)
    if began is not None and event.date is not None and event.date < began:
        problems.append(_problem(event, f"{event.subject} was matched on {_long(began)}, after this date",
                                 "correct the date", value=event.date.isoformat()))
    if event.left_by and event.left_by not in members[event.subject]:
        problems.append(_problem(event, f"{event.left_by} is not in {event.subject} "
                                 f"({', '.join(members[event.subject])})", "write the id of the member who left",
                                 "Left By", event.left_by))
    return problems


def _sequence_problems(events: pd.DataFrame, recorded: pd.DataFrame) -> list[Problem]:
    """Each person's and each pair's recorded events must follow one another sensibly."""
    problems: list[Problem] = []
    leavers = _as_person_events(events)
    for person, group in leavers.groupby("subject", sort=False):
        problems += _person_sequence(person, group.sort_values(["date", "order"], na_position="first"),
                                     set(zip(recorded["source"], recorded["row"])))
    ended = recorded[recorded["kind"] == "unit"].sort_values("date")
    for unit_id, group in ended.groupby("subject", sort=False):
        first = group.iloc[0]
        for event in group.iloc[1:].itertuples():
            problems.append(_problem(event, f"{unit_id} already ended on {_long(first.date)} ({first.source} row "
                                     f"{first.row})", "keep one row per ending", "Pair ID", unit_id))
    return problems


_ORDER = {"joined": 0, "returned": 1, "paused": 2, "left": 3}


def _as_person_events(events: pd.DataFrame) -> pd.DataFrame:
    """Person events, with a pair's ``left`` ending read as its leaver's ``left`` event."""
    people = events[events["kind"] == "person"]
    left_by = events[(events["kind"] == "unit") & events["left_by"].notna()].assign(
        kind="person", event="left", subject=lambda frame: frame["left_by"], reason="left_organisation")
    frame = pd.concat([frame for frame in (people, left_by) if len(frame)] or [people], ignore_index=True)
    return frame.assign(order=frame["event"].map(_ORDER).fillna(9))


def _person_sequence(person: str, group: pd.DataFrame, strict: set) -> list[Problem]:
    problems: list[Problem] = []
    joined = left = paused = None
    for event in group.itertuples():
        checked = (event.source, event.row) in strict
        complaint = None
        if left is not None and not (event.event == "left" and (event.date == left.date or not checked)):
            complaint = (f"{person} left on {_long(left.date)} ({left.source} row {left.row}); nothing can happen "
                         "to them after that", "remove the row, or correct the date of leaving")
        elif event.event == "joined" and joined is not None:
            complaint = (f"{person} already joined on {_long(joined.date)} ({joined.source} row {joined.row})",
                         "keep one joined row per person")
        elif event.event == "paused" and paused is not None:
            complaint = (f"{person} is already paused since {_long(paused.date)} ({paused.source} row {paused.row})",
                         "record returned before pausing again")
        elif event.event == "returned" and paused is None:
            complaint = (f"{person} returned on {_long(event.date)} but is not paused",
                         "record paused first (with the day the pause began), or remove the row")
        if complaint and checked:
            problems.append(_problem(event, *complaint, "Event", event.event))
        joined = event if event.event == "joined" and joined is None else joined
        paused = event if event.event == "paused" else None if event.event == "returned" else paused
        left = event if event.event == "left" and left is None else left
    return problems


def person_lives(people: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """People with their dates: joined_on (a joined event overrides the sign-up's start date), left_on (the
    earliest leaving, from any source), left_reason, left_source, and pauses ((paused_on, returned_on, reason))."""
    frame = people.copy()
    person_events = _as_person_events(events).sort_values(["date", "order"], na_position="first", kind="stable")
    grouped = dict(iter(person_events.groupby("subject", sort=False)))
    joined, left_on, reasons, sources, pauses, left_known = [], [], [], [], [], []
    for person, day in zip(frame["participant_id"], frame["joined_on"]):
        group = grouped.get(person)
        rows = list(group.itertuples()) if group is not None else []
        joins = [event.date for event in rows if event.event == "joined"]
        joined.append(joins[0] if joins else day)
        leavings = [event for event in rows if event.event == "left"]
        # the earliest dated leaving; a file that says "left" without a date counts only when nothing dates it
        leaving = next((event for event in leavings if event.date is not None), leavings[0] if leavings else None)
        left_on.append(leaving.date if leaving is not None else None)
        left_known.append(leaving is not None)
        reasons.append(leaving.reason if leaving is not None else None)
        sources.append(f"{leaving.source} row {leaving.row}" if leaving is not None else None)
        spans, open_pause = [], None
        for event in rows:
            if event.event == "paused" and open_pause is None:
                open_pause = event
            elif event.event == "returned" and open_pause is not None:
                spans.append((open_pause.date, event.date, open_pause.reason))
                open_pause = None
        if open_pause is not None:
            spans.append((open_pause.date, None, open_pause.reason))
        pauses.append(tuple(spans))
    for column, values in (("joined_on", joined), ("left_on", left_on), ("left_reason", reasons),
                           ("left_source", sources), ("pauses", pauses), ("has_left", left_known)):
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def check_endings(units: pd.DataFrame, events: pd.DataFrame, strict: set[str]) -> None:
    """Stop when a recorded ending comes after the pair had already stopped another way (a later round replaced
    or superseded it, or a member left first)."""
    problems = []
    stops = {row.unit_id: row for row in units.itertuples()}
    for event in events[(events["kind"] == "unit") & events["source"].isin(strict)].itertuples():
        unit = stops.get(event.subject)
        if unit is None or unit.stops_on is None or event.date is None or unit.end_source == f"{event.source} row " \
                                                                                              f"{event.row}":
            continue
        if unit.stops_on <= event.date:
            how = "superseded" if unit.stops_how == "superseded" else unit.stops_how
            problems.append(_problem(event, f"{event.subject} had already {how} on {_long(unit.stops_on)} "
                                     f"({unit.end_source})", "remove the row, or correct its date",
                                     value=event.date.isoformat()))
    stop_on(problems, "contradict the programme's record",
            "correct or remove these rows; each event is recorded once, on the day it happened")
