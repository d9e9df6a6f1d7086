"""The programme's whole year as one timeline: every pair or circle and every person, with the dates that matter.

:func:`build_timeline` reads, once, everything a client folder records about the programme as it
runs: the adopted rounds (the backbone), the pairs or circles file kept before the rounds, the
people's and pair status files, the HR extract's leavers and the meeting log. It checks them
against each other (:mod:`toolkit.programme.checks`) and works out, for each pair or circle, when
it began and how and when it stopped; for each person, when they joined, paused, returned and left.
:func:`toolkit.programme.state.state_on` then answers "who is where, since when, and why" on any day.

How rounds close pairs: when round N is adopted on day D, every pair or circle running on D that
round N does not keep stops on D. One that had met by D **ended** (reason ``replaced``: the two
people are never paired again); one that had not met is **superseded** (not an ending: nobody is
held to it, and the two may be paired again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..client import ClientConfig, load_client
from ..errors import Problem
from ..roster import roster_id_aliases
from ..rounds import Round, list_rounds
from .checks import check_endings, check_events, person_lives
from .events import (
    EVENT_COLUMNS,
    UNIT_COLUMNS,
    read_circles_log,
    read_hr_leavers,
    read_pair_status,
    read_pairs_log,
    read_people_status,
)
from .logs import as_day, blank, stop_on
from .meetings import MEETING_COLUMNS, read_meetings

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["Timeline", "build_timeline", "load_config", "round_day", "LIFE_COLUMNS"]

#: Columns the timeline adds to each pair or circle: the rounds it was in and how it stopped (if it did).
LIFE_COLUMNS = ["round", "rounds", "stops_on", "stops_how", "end_reason", "left_by", "end_source"]


def load_config(client: Any) -> ClientConfig:
    """A loaded client from a loaded client, a client folder or a client.yaml path."""
    return client if isinstance(client, ClientConfig) else load_client(client)


def round_day(adopted: Round) -> dt.date:
    """The day a round took effect: the day it was adopted (``rematch --as-of`` adopts on its as-of day)."""
    return adopted.created.date()


@dataclass(frozen=True)
class Timeline:
    """Everything recorded about a programme, read once and checked.

    Attributes
    ----------
    config
        The client.
    start, end
        The programme's first and last day (``programme.start_date`` and ``end_date`` in client.yaml).
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    today
        The day the timeline was read (no recorded event may come after it).
    rounds
        Every adopted round, oldest first.
    units
        One row per pair or circle that ever existed: :data:`~toolkit.programme.events.UNIT_COLUMNS` and
        :data:`LIFE_COLUMNS` (``stops_how``: ``ended``, ``completed``, ``superseded`` or None).
    people
        One row per person: participant_id, name, role, capacity, joined_on, left_on, left_reason,
        left_source, pauses (a tuple of (paused_on, returned_on or None, reason)), in_roster.
    events
        Every recorded event (:data:`~toolkit.programme.events.EVENT_COLUMNS`), by date.
    meetings
        Every logged meeting, read (:data:`~toolkit.programme.meetings.MEETING_COLUMNS`).
    notes
        What the toolkit read in a way the user should know (a round that kept a pair that had
        already ended, an ending whose leaver no file names, durations read as hours, ...).

    :func:`~toolkit.programme.state.state_on` gives the state on any day.
    """

    config: ClientConfig
    start: dt.date | None
    end: dt.date | None
    shape: str
    today: dt.date
    rounds: tuple[Round, ...]
    units: pd.DataFrame
    people: pd.DataFrame
    events: pd.DataFrame
    meetings: pd.DataFrame
    notes: tuple[str, ...] = ()
    #: the same tables as plain records, read once (a day's state is built from these many times)
    unit_rows: tuple[dict, ...] = ()
    person_rows: tuple[dict, ...] = ()
    meeting_rows: tuple[dict, ...] = ()


_CACHE: dict[tuple, Timeline] = {}
_CACHE_SIZE = 8


def _file_state(path: Path) -> tuple:
    try:
        found = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), found.st_mtime_ns, found.st_size)


def _signature(config: ClientConfig, today: dt.date) -> tuple:
    """What the timeline depends on: client.yaml's content, every file it names, and the round folders."""
    paths = [config.path] + [Path(entry["path"]) for entry in config.get("participants", [])]
    paths += [Path(config.get(key)) for key in ("org_chart", "pairs", "circles", "people_status", "pair_status",
                                                "hr_outcomes", "meetings") if config.get(key)]
    matches = config.folder / "matches"
    if matches.is_dir():
        paths += sorted(path for folder in matches.iterdir() for path in ([folder] + (
            sorted(folder.iterdir()) if folder.is_dir() else [])))
    return (repr(config.data), today, tuple(_file_state(path) for path in paths))


def build_timeline(client: Any, *, today: dt.date | None = None, extra_events: pd.DataFrame | None = None
                   ) -> Timeline:
    """Read and check everything a client folder records about the running programme.

    Parameters
    ----------
    client
        A loaded client, a client folder or a client.yaml path.
    today
        The day to read on (default: the clock); no recorded event may be dated after it.
    extra_events
        Events not yet in the files (:data:`~toolkit.programme.events.EVENT_COLUMNS`), checked with
        them: ``record`` checks a new row this way before appending it.

    Raises
    ------
    ConfigError
        Listing every row of the status files that cannot be read or contradicts another.
    """
    config = load_config(client)
    today = today or dt.date.today()
    if extra_events is not None:
        return _build(config, today, extra_events)
    # Reports ask for the state many times; the files are read again only when one of them changed.
    key = _signature(config, today)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _build(config, today, None)
    return _CACHE[key]


def _build(config: ClientConfig, today: dt.date, extra_events: pd.DataFrame | None) -> Timeline:
    design = config.design()
    roster = config.roster(lenient=True)
    rounds = tuple(list_rounds(config))
    date_format = config.get("date_format")
    aliases = roster_id_aliases(roster)
    legacy_units, legacy_events = _aliased(*_legacy(config, design.shape, date_format), aliases)
    units = _units_from_rounds(legacy_units, rounds, design.start_date)
    people = _people(roster, units, design.start_date)
    known = set(people["participant_id"])
    recorded = _aliased(None, _recorded_events(config, date_format), aliases)[1]
    hr = read_hr_leavers(config.get("hr_outcomes"), known, aliases, date_format=date_format) \
        if config.get("hr_outcomes") else pd.DataFrame(columns=EVENT_COLUMNS, dtype=object)
    if extra_events is not None and len(extra_events):
        recorded = pd.concat([recorded, extra_events], ignore_index=True)
    meetings = read_meetings(config) if config.get("meetings") else pd.DataFrame(columns=MEETING_COLUMNS)
    _check_meeting_dates(meetings, design.start_date, today)
    events = pd.concat([frame for frame in (legacy_events, recorded, hr) if len(frame)] or
                       [pd.DataFrame(columns=EVENT_COLUMNS, dtype=object)], ignore_index=True)
    strict = {Path(config.get(key)).name for key in ("people_status", "pair_status") if config.get(key)}
    strict |= set(extra_events["source"]) if extra_events is not None else set()
    check_events(events, units, people, start=design.start_date, end=design.planned_end_date, today=today,
                 strict=strict)
    people = person_lives(people, events)
    units, notes = _unit_lives(units, people, events, rounds, meetings, design.planned_end_date)
    check_endings(units, events, strict)
    notes += [f"meeting log {reading}" for reading in meetings.attrs.get("readings", [])]
    return Timeline(config=config, start=design.start_date, end=design.planned_end_date, shape=design.shape,
                    today=today, rounds=rounds, units=units, people=people,
                    events=events.sort_values(["date", "source", "row"], na_position="first", kind="stable",
                                              ignore_index=True),
                    meetings=meetings, notes=tuple(notes), unit_rows=tuple(units.to_dict("records")),
                    person_rows=tuple(people.to_dict("records")),
                    meeting_rows=tuple({"unit_id": str(unit), "date": day, "minutes": minutes}
                                       for unit, day, minutes in zip(meetings["unit_id"], meetings["date"],
                                                                     meetings["minutes"])))


def _check_meeting_dates(meetings: pd.DataFrame, start: dt.date | None, today: dt.date) -> None:
    """A meeting before the programme began or after today is a typing slip: stop with the rows named."""
    problems = []
    for row, day in zip(meetings["row"], meetings["date"]):
        if day is not None and day > today:
            problems.append(Problem(f"{day.day} {day:%B %Y} is after today ({today.day} {today:%B %Y})",
                                    "correct the date (a meeting is logged after it happens)", meetings.attrs.get("path"),
                                    int(row), "Date", day.isoformat()))
        elif start is not None and day is not None and day < start:
            problems.append(Problem(f"{day.day} {day:%B %Y} is before the programme began ({start.day} {start:%B %Y})",
                                    "correct the date, or programme.start_date in client.yaml", meetings.attrs.get("path"),
                                    int(row), "Date", day.isoformat()))
    stop_on(problems, "date a meeting outside the programme", "correct these rows in the meeting log")


def _legacy(config: ClientConfig, shape: str, date_format) -> tuple[pd.DataFrame, pd.DataFrame]:
    if shape == "circles" and config.get("circles"):
        return read_circles_log(config.get("circles"))
    if shape != "circles" and config.get("pairs"):
        return read_pairs_log(config.get("pairs"), date_format=date_format, shape=shape)
    return pd.DataFrame(columns=UNIT_COLUMNS, dtype=object), pd.DataFrame(columns=EVENT_COLUMNS, dtype=object)


def _aliased(units: pd.DataFrame | None, events: pd.DataFrame, aliases: dict[str, str]
             ) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Files that name people by email, moved onto the roster's participant ids (as agreements and reports do)."""
    def person(value):
        return value if blank(value) else aliases.get(str(value).strip().casefold(), str(value).strip())

    if units is not None and len(units):
        units = units.assign(mentee_id=units["mentee_id"].map(person), mentor_id=units["mentor_id"].map(person),
                             facilitator=units["facilitator"].map(person),
                             members=[tuple(person(member) for member in members) for members in units["members"]])
    if len(events):
        people = events["kind"] == "person"
        events = events.assign(subject=[person(value) if is_person else value
                                        for value, is_person in zip(events["subject"], people)],
                               left_by=events["left_by"].map(person))
    return units, events


def _recorded_events(config: ClientConfig, date_format) -> pd.DataFrame:
    frames = []
    if config.get("people_status"):
        frames.append(read_people_status(config.get("people_status"), date_format=date_format))
    if config.get("pair_status"):
        frames.append(read_pair_status(config.get("pair_status"), date_format=date_format))
    frames = [frame for frame in frames if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EVENT_COLUMNS, dtype=object)


def _round_units(adopted: Round) -> list[dict]:
    """The pairs or circles of one round, as unit rows."""
    day = round_day(adopted)
    source = f"{adopted.folder.name}"
    if adopted.shape == "circles":
        rows = []
        for circle_id, group in adopted.pairs.groupby("circle_id", sort=True):
            roles = group["circle_role"].astype(str).str.casefold()
            leaders = list(group.loc[roles == "facilitator", "participant_id"].astype(str))
            rows.append({"unit_id": str(circle_id), "shape": "circles", "mentee_id": None, "mentor_id": None,
                         "members": tuple(group["participant_id"].astype(str)), "facilitator": leaders[0] if leaders
                         else None, "matched_on": day, "first_meeting": None, "source": source, "row": None})
        return rows
    return [{"unit_id": str(pair_id), "shape": adopted.shape, "mentee_id": str(mentee), "mentor_id": str(mentor),
             "members": (str(mentee), str(mentor)), "facilitator": None, "matched_on": day, "first_meeting": None,
             "source": source, "row": None}
            for pair_id, mentee, mentor in zip(adopted.pairs["pair_id"], adopted.pairs["mentee_id"],
                                               adopted.pairs["mentor_id"])]


def _units_from_rounds(legacy: pd.DataFrame, rounds: tuple[Round, ...], start: dt.date | None) -> pd.DataFrame:
    """Every pair or circle: the file kept before the rounds first, then each round's new ones (by id)."""
    records: dict[str, dict] = {}
    for row in legacy.to_dict("records"):
        matched = row["matched_on"] if not blank(row["matched_on"]) else start
        records[row["unit_id"]] = {**row, "matched_on": matched, "round": None, "rounds": ()}
    for adopted in rounds:
        for row in _round_units(adopted):
            known = records.get(row["unit_id"])
            if known is None:
                records[row["unit_id"]] = {**row, "round": adopted.number, "rounds": (adopted.number,)}
            else:
                known["rounds"] = known["rounds"] + (adopted.number,)
                known["round"] = known["round"] if known["round"] is not None else adopted.number
                if known["matched_on"] is None:
                    known["matched_on"] = row["matched_on"]
    frame = pd.DataFrame(list(records.values()), columns=UNIT_COLUMNS + ["round", "rounds"], dtype=object)
    return frame


def _people(roster: Roster, units: pd.DataFrame, start: dt.date | None) -> pd.DataFrame:
    """Everyone the programme knows: the roster, and anyone in a pair or circle who is no longer in it.

    A sign-up's start date after the programme's start is the day that person joins; one on or before it
    means "from the start" (people are matched before launch)."""
    participants = roster.participants
    joined = participants["start_date"] if "start_date" in participants else [None] * len(participants)
    joined = [None if blank(day) or _from_the_start(as_day(day), start) else day for day in joined]
    rows = [{"participant_id": str(person), "name": roster.display_name(person), "role": role,
             "capacity": None if blank(capacity) else int(capacity), "joined_on": as_day(day) if not blank(day)
             else None, "in_roster": True}
            for person, role, capacity, day in zip(participants["participant_id"], participants["role"],
                                                   participants["capacity"], joined)]
    listed = {row["participant_id"] for row in rows}
    for unit in units.itertuples():
        for position, person in enumerate(unit.members or ()):
            if person and person not in listed:
                role = "member" if unit.shape == "circles" else ("mentee", "mentor")[min(position, 1)]
                rows.append({"participant_id": person, "name": person, "role": role, "capacity": None,
                             "joined_on": None, "in_roster": False})
                listed.add(person)
    return pd.DataFrame(rows, columns=["participant_id", "name", "role", "capacity", "joined_on", "in_roster"],
                        dtype=object)


def _from_the_start(day: dt.date | None, start: dt.date | None) -> bool:
    """Whether a sign-up's start date is on or before the programme's start (it then joins from the start)."""
    return day is not None and start is not None and day <= start


def _met_by(unit, meetings_by_unit: dict[str, list[dt.date]], day: dt.date) -> bool:
    """Whether a pair or circle had met on or before ``day`` (a logged first meeting or a meeting in the log)."""
    if not blank(unit["first_meeting"]) and unit["first_meeting"] <= day:
        return True
    matched = unit["matched_on"]
    return any((matched is None or matched <= met) and met <= day for met in meetings_by_unit.get(unit["unit_id"], ()))


def _unit_lives(units: pd.DataFrame, people: pd.DataFrame, events: pd.DataFrame, rounds: tuple[Round, ...],
                meetings: pd.DataFrame, end: dt.date | None) -> tuple[pd.DataFrame, list[str]]:
    """How and when each pair or circle stopped: its own ending, a member leaving, or a later round not keeping it."""
    notes: list[str] = []
    left = {row.participant_id: (row.left_on, row.left_source) for row in people.itertuples() if row.has_left}
    own: dict[str, Any] = {}
    for event in events[(events["kind"] == "unit")].sort_values("date", na_position="last").itertuples():
        own.setdefault(event.subject, event)
    by_unit: dict[str, list[dt.date]] = {}
    for unit_id, day in zip(meetings["unit_id"], meetings["date"]):
        by_unit.setdefault(str(unit_id), []).append(day)
    records = []
    for unit in units.to_dict("records"):
        records.append({**unit, **_own_ending(unit, own.get(unit["unit_id"]), left, end, notes)})
    _close_by_rounds(records, rounds, by_unit, notes)
    return pd.DataFrame(records, columns=UNIT_COLUMNS + LIFE_COLUMNS, dtype=object), notes


def _own_ending(unit: dict, event: Any, left: dict, end: dt.date | None, notes: list[str]) -> dict:
    """The first of: the unit's recorded ending, and (pairs) a member leaving (``event``: the unit's first
    ending event, a row of the events table, or None)."""
    candidates = []
    if event is not None:
        day = event.date if event.date is not None else end
        reason = event.reason
        state = "completed" if reason in ("completed", "goals_met") else "ended"
        candidates.append((day, state, reason, event.left_by, f"{event.source} row {event.row}"))
    leavers = [(left[person][0], person, left[person][1]) for person in unit["members"] or () if person in left]
    candidates += _leaving_endings(unit, leavers, notes)
    candidates = [candidate for candidate in candidates if candidate[0] is not None]
    if not candidates:
        return {"stops_on": None, "stops_how": None, "end_reason": None, "left_by": None, "end_source": None}
    day, state, reason, left_by, source = min(candidates, key=lambda item: (item[0], item[2] != "left"))
    if reason == "left" and left_by is None:  # the pairs file says someone left; HR or a status file says who
        gone = {person for when, person, _ in leavers if when is not None and when <= day}
        left_by = gone.pop() if len(gone) == 1 else None
    if reason == "left" and left_by is None and unit["shape"] != "circles":
        notes.append(f"{unit['unit_id']} ended because someone left ({source}), but no file says who: add a Left By "
                     "column to the pairs file, or record the leaver with mentoring-toolkit record ... left PERSON")
    return {"stops_on": day, "stops_how": state, "end_reason": reason, "left_by": left_by, "end_source": source}


def _leaving_endings(unit: dict, leavers: list[tuple[dt.date | None, str, str]], notes: list[str]) -> list[tuple]:
    """The endings members leaving give: a pair ends when either leaves (never before it was matched); a circle
    when fewer than two members are left."""
    matched_on = unit["matched_on"]
    if unit["shape"] == "circles":
        if not leavers or len(unit["members"] or ()) - len(leavers) >= 2:
            return []
        day = max((day for day, _, _ in leavers if day is not None), default=matched_on)
        return [(day, "ended", "left", None, "every member but one left")]
    endings = []
    for day, person, source in leavers:
        when = day if day is not None else matched_on
        if when is not None and matched_on is not None and when < matched_on:
            notes.append(f"{unit['unit_id']} was matched on {matched_on.day} {matched_on:%B %Y}, after {person} had "
                         f"left ({when.day} {when:%B %Y}, {source}): it counts as ended on the day it was matched")
            when = matched_on
        endings.append((when, "ended", "left", person, source))
    return endings


def _close_by_rounds(records: list[dict], rounds: tuple[Round, ...], by_unit: dict[str, list[dt.date]],
                     notes: list[str]) -> None:
    """A round adopted on day D stops every pair or circle running on D that it does not keep."""
    for adopted in rounds:
        day = round_day(adopted)
        kept = {row["unit_id"] for row in _round_units(adopted)}
        for unit in records:
            if unit["unit_id"] in kept:
                if unit["stops_on"] is not None and unit["stops_on"] < day and adopted.number in unit["rounds"]:
                    notes.append(f"round {adopted.number} (adopted {day.day} {day:%B %Y}) kept {unit['unit_id']}, which had "
                                 f"already {unit['stops_how']} on {unit['stops_on'].day} {unit['stops_on']:%B %Y}: it stays "
                                 f"{unit['stops_how']}")
                continue
            if unit["round"] is not None and unit["round"] > adopted.number:
                continue  # a later round's pair (two rounds adopted the same day): never closed by an earlier round
            matched = unit["matched_on"]
            running = matched is not None and matched <= day and (unit["stops_on"] is None or unit["stops_on"] > day)
            if not running:
                continue
            met = _met_by(unit, by_unit, day)
            unit.update({"stops_on": day, "stops_how": "ended" if met else "superseded",
                         "end_reason": "replaced" if met else None, "left_by": None,
                         "end_source": f"round {adopted.number} ({adopted.folder.name})"})
