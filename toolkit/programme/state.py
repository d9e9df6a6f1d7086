"""The programme on one day: every person and every pair or circle in exactly one state, with dates and reasons.

:func:`programme_state` is the one question every step asks::

    state = tk.programme_state("clients/acme", as_of="2026-07-01")
    state.people        # participant_id, name, role, state, since, unit_id, reason
    state.pairs         # one row per pair or circle: state, dates, meetings, how it ended
    state.counts()      # people and pairs by state, endings by reason, meetings
    state.to_json()     # the same for scripts

The words (``active``, ``waiting``, ``superseded`` ...) and their meanings are defined once in
:mod:`toolkit.programme.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConfigError
from ..rounds import Round
from ..rounds import client_match as rounds_client_match
from .logs import as_day, blank
from .timeline import Timeline, build_timeline, load_config, round_day
from .vocabulary import END_REASON_LABELS, END_REASONS, PERSON_STATES, RUNNING_STATES, UNIT_STATES

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["ProgrammeState", "programme_state", "state_on", "reporting_state", "available_roster", "client_match",
           "PEOPLE_COLUMNS", "PAIR_COLUMNS", "MEETING_STATE_COLUMNS", "NO_FIRST_MEETING_DAYS"]

#: A pair that has not met this many days after matching has "no first meeting yet" (Mentorloop's stuck flag).
NO_FIRST_MEETING_DAYS = 21

PEOPLE_COLUMNS = ["participant_id", "name", "role", "state", "since", "unit_id", "reason"]
PAIR_COLUMNS = ["unit_id", "round", "rounds", "shape", "mentee_id", "mentor_id", "members", "facilitator", "state",
                "matched_on", "first_meeting", "last_meeting", "meetings", "minutes", "ended_on", "end_reason",
                "left_by", "reason"]
MEETING_STATE_COLUMNS = ["meeting_id", "unit_id", "date", "minutes", "format", "row"]


def _long(day: dt.date | None) -> str:
    return "an unknown day" if day is None else f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class ProgrammeState:
    """The programme as it stood on ``as_of``.

    Attributes
    ----------
    as_of
        The day.
    start, end
        The programme's first and last day.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    rounds
        The rounds adopted on or before ``as_of``, oldest first; ``current_round`` is the last of them.
    people
        :data:`PEOPLE_COLUMNS`: one row per person, in one of
        :data:`~toolkit.programme.vocabulary.PERSON_STATES`; ``since`` is the day that state began,
        ``unit_id`` the pair or circle (several ``;``-separated for a mentor with several mentees),
        ``reason`` plain words.
    pairs
        :data:`PAIR_COLUMNS`: one row per pair or circle matched on or before ``as_of``, in one of
        :data:`~toolkit.programme.vocabulary.UNIT_STATES`. ``round`` is the round it was first
        adopted in (None for a pair from the pairs file kept before the rounds); ``end_reason`` one of
        :data:`~toolkit.programme.vocabulary.END_REASONS`; ``left_by`` who left.
    meetings
        The meetings that count: logged against a pair or circle that existed on the meeting's day, on
        or before ``as_of`` (:data:`MEETING_STATE_COLUMNS`).
    uncounted
        The other logged meetings up to ``as_of``, each with ``why`` (no such pair, before it was
        matched, after it ended) and its ``row`` in the meeting log.
    notes
        What the toolkit read in a way the user should know.
    """

    as_of: dt.date
    start: dt.date | None
    end: dt.date | None
    shape: str
    rounds: tuple[Round, ...]
    people: pd.DataFrame
    pairs: pd.DataFrame
    meetings: pd.DataFrame
    uncounted: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def current_round(self) -> Round | None:
        """The latest round adopted on or before ``as_of`` (None before the first)."""
        return self.rounds[-1] if self.rounds else None

    def running(self) -> pd.DataFrame:
        """The pairs or circles still holding their people: active or paused."""
        return self.pairs[self.pairs["state"].isin(RUNNING_STATES)].reset_index(drop=True)

    def ever_paired(self) -> frozenset:
        """(mentee_id, mentor_id) of every pair that existed and was not superseded: never to be made again."""
        held = self.pairs[self.pairs["state"] != "superseded"]
        return frozenset(zip(held["mentee_id"].astype(str), held["mentor_id"].astype(str))) \
            if self.shape != "circles" else frozenset()

    def stopped(self) -> pd.DataFrame:
        """Pairs that ended or completed (not running, not superseded), with their end dates and reasons."""
        return self.pairs[self.pairs["state"].isin(("ended", "completed"))].reset_index(drop=True)

    def in_state(self, *states: str) -> frozenset:
        """The ids of the people in any of ``states``."""
        return frozenset(self.people.loc[self.people["state"].isin(states), "participant_id"])

    def leavers(self) -> frozenset:
        """People who left on or before ``as_of``: never matched again."""
        return self.in_state("left")

    def unavailable(self) -> dict[str, str]:
        """Who may not be matched on ``as_of`` and why, in words: leavers, people paused, people not yet joined."""
        away = self.people[self.people["state"].isin(("left", "paused", "not_joined"))]
        return dict(zip(away["participant_id"], away["reason"]))

    def no_first_meeting(self, days: int = NO_FIRST_MEETING_DAYS) -> pd.DataFrame:
        """Running pairs or circles with no meeting more than ``days`` days after they were matched."""
        running = self.running()
        late = [first is None and matched is not None and (self.as_of - matched).days > days
                for first, matched in zip(running["first_meeting"], running["matched_on"])]
        return running.loc[late].reset_index(drop=True)

    def counts(self) -> dict:
        """People and pairs (or circles) by state, endings by reason, meetings counted and not, leavers, rounds."""
        people = self.people["state"].value_counts()
        pairs = self.pairs["state"].value_counts()
        stopped = self.pairs[self.pairs["state"] == "ended"]["end_reason"].value_counts()
        return {
            "as_of": self.as_of.isoformat(),
            "people": {state: int(people.get(state, 0)) for state in PERSON_STATES},
            "pairs": {state: int(pairs.get(state, 0)) for state in UNIT_STATES},
            "ended_by_reason": {reason: int(stopped.get(reason, 0)) for reason in END_REASONS
                                if reason not in ("completed", "goals_met")},
            "meetings": len(self.meetings),
            "meetings_not_counted": len(self.uncounted),
            "no_first_meeting": len(self.no_first_meeting()),
            "rounds": len(self.rounds),
        }

    def to_json(self) -> str:
        """One JSON object: as_of, the programme's dates, the rounds, the counts, and ``people`` and ``pairs`` lists
        (each item with its state and dates, ISO-formatted)."""
        document = {
            "as_of": self.as_of.isoformat(),
            "programme": {"start": _plain(self.start), "end": _plain(self.end), "shape": self.shape},
            "rounds": [{"number": done.number, "adopted": round_day(done).isoformat(), "folder": done.folder.name,
                        "units": done.units} for done in self.rounds],
            "counts": self.counts(),
            "people": [{key: _plain(value) for key, value in row.items()} for row in self.people.to_dict("records")],
            "pairs": [{key: _plain(value) for key, value in row.items()} for row in self.pairs.to_dict("records")],
            "notes": list(self.notes),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    """A value JSON can hold: dates as ISO text, tuples as lists, NaN as null, numpy numbers as Python numbers."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def programme_state(client: Any, as_of: Any = None) -> ProgrammeState:
    """The programme on ``as_of``: who is where, since when, and why; every pair or circle and how it stands.

    Parameters
    ----------
    client
        A loaded client (``tk.load_client``), a client folder, or a client.yaml path.
    as_of
        The day (a date or YYYY-MM-DD; default today). Pairs matched later are not listed; pairs that
        ended later are still running; meetings after it are not counted.

    Returns
    -------
    ProgrammeState

    Raises
    ------
    ConfigError
        When a status file cannot be read or contradicts itself (every row named), or ``as_of`` is
        not a date.
    """
    return state_on(build_timeline(client), as_of)


def available_roster(client: Any, roster: Roster | None = None, *, as_of: Any = None):
    """The roster a new match may use on ``as_of`` (default today): everyone except people who left, are paused,
    or join later (:meth:`ProgrammeState.unavailable`). A leaver, recorded in any file, is never matched again."""
    config = load_config(client)
    roster = config.roster() if roster is None else roster
    away = programme_state(config, as_of).unavailable()
    return roster.subset([person for person in roster.ids if person not in away]) if away else roster


def client_match(client: Any, *, as_of: Any = None, away: Any = None, **options):
    """The client's match for the people available on ``as_of`` (default today), as ``match`` adopts it.

    :func:`toolkit.rounds.client_match` with ``away`` set to the people who left, are paused or join later
    (:meth:`ProgrammeState.unavailable`) unless given: a leaver, recorded in any file, is never matched again.
    ``options`` go to :func:`toolkit.rounds.client_match` (``roster``, ``design``, ``objective``, ``time_limit``, ...).
    """
    config = load_config(client)
    if away is None:
        away = programme_state(config, as_of).unavailable()
    return rounds_client_match(config, away=away, **options)


def reporting_state(client: Any, as_of: Any = None) -> ProgrammeState:
    """The state a report describes: on ``as_of`` if given, else on the last logged meeting up to today (a report
    run after the programme shows it as it was when the last meeting was logged), else today."""
    timeline = build_timeline(client)
    if as_of is None:
        days = [day for day in timeline.meetings["date"] if day is not None and day <= timeline.today]
        as_of = max(days) if days else timeline.today
    return state_on(timeline, as_of)


def state_on(timeline: Timeline, as_of: Any = None) -> ProgrammeState:
    """The state of a :class:`~toolkit.programme.timeline.Timeline` on one day."""
    day = _day(as_of, timeline.today)
    rounds = tuple(done for done in timeline.rounds if round_day(done) <= day)
    paused = _paused_on(timeline.person_rows, day)
    left = {row["participant_id"]: row for row in timeline.person_rows
            if row["has_left"] and (row["left_on"] is None or row["left_on"] <= day)}
    units = [unit for unit in timeline.unit_rows if unit["matched_on"] is not None and unit["matched_on"] <= day]
    counted, why = _count_meetings(timeline.meeting_rows, units, day, timeline.end)
    meetings = timeline.meetings
    kept = meetings.iloc[list(counted)].reindex(columns=MEETING_STATE_COLUMNS)
    rest = meetings.iloc[list(why)].reindex(columns=MEETING_STATE_COLUMNS).assign(why=list(why.values()))
    pairs = _pairs_on(units, [timeline.meeting_rows[position] for position in counted], day, timeline.end, paused,
                      left)
    people = _people_on(timeline.person_rows, pairs, day, timeline, paused, left)
    return ProgrammeState(as_of=day, start=timeline.start, end=timeline.end, shape=timeline.shape, rounds=rounds,
                          people=people, pairs=pairs, meetings=kept.reset_index(drop=True),
                          uncounted=rest.reindex(columns=MEETING_STATE_COLUMNS + ["why"]).reset_index(drop=True),
                          notes=timeline.notes)


def _day(as_of: Any, today: dt.date) -> dt.date:
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return today
    try:
        found = as_day(as_of)
    except (ValueError, TypeError):
        raise ConfigError(f"The day {as_of!r} is not a date.", fix="write it as YYYY-MM-DD, e.g. 2026-07-01") from None
    return today if found is None else found  # a blank cell (NaN, NaT) as no day given


def _paused_on(people: tuple[dict, ...], day: dt.date) -> dict[str, tuple]:
    """person -> (paused_on, reason) for everyone paused on ``day``."""
    paused = {}
    for person in people:
        for began, ended, reason in person["pauses"]:
            if began is not None and began <= day and (ended is None or ended > day):
                paused[person["participant_id"]] = (began, reason)
    return paused


def _stop_on(unit: dict, day: dt.date, end: dt.date | None) -> tuple[dt.date | None, str | None, str | None]:
    """(stopped on, how, reason) as of ``day``: the unit's own stop if it came by then, else the programme's end."""
    stops = unit["stops_on"]
    if stops is not None and stops <= day:
        return stops, unit["stops_how"], unit["end_reason"]
    if end is not None and day > end:
        return end, "completed", "completed"
    return None, None, None


def _count_meetings(meetings: tuple[dict, ...], units: list[dict], day: dt.date, end: dt.date | None
                    ) -> tuple[list[int], dict[int, str]]:
    """The positions of the meetings up to ``day`` that count (the pair or circle existed that day), and the
    others' positions with why they do not."""
    lives = {}
    for unit in units:
        stopped, _, _ = _stop_on(unit, day, end)
        lives[unit["unit_id"]] = (unit["matched_on"], stopped or day)
    counted, why = [], {}
    for position, meeting in enumerate(meetings):
        met, unit_id = meeting["date"], meeting["unit_id"]
        if met is None or met > day:
            continue
        life = lives.get(unit_id)
        if life is None:
            why[position] = "no pair or circle has this id"
        elif met < life[0]:
            why[position] = f"before {unit_id} was matched ({_long(life[0])})"
        elif met > life[1]:
            why[position] = f"after {unit_id} stopped ({_long(life[1])})"
        else:
            counted.append(position)
    return counted, why


def _pairs_on(units: list[dict], meetings: list[dict], day: dt.date, end: dt.date | None,
              paused: dict, left: dict) -> pd.DataFrame:
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    number: dict[str, int] = {}
    minutes: dict[str, float] = {}
    for meeting in meetings:
        unit_id, met = meeting["unit_id"], meeting["date"]
        first[unit_id] = min(first.get(unit_id, met), met)
        last[unit_id] = max(last.get(unit_id, met), met)
        number[unit_id] = number.get(unit_id, 0) + 1
        minutes[unit_id] = minutes.get(unit_id, 0.0) + (0.0 if blank(meeting["minutes"]) else float(meeting["minutes"]))
    rows = []
    for unit in units:
        stopped, how, reason = _stop_on(unit, day, end)
        members = tuple(person for person in unit["members"] or () if unit["shape"] != "circles" or
                        person not in left or stopped is not None)
        on_hold = [person for person in members if person in paused]
        state = how or ("paused" if on_hold else "active")
        logged = unit["first_meeting"] if not blank(unit["first_meeting"]) and unit["first_meeting"] <= day else None
        met = [value for value in (logged, first.get(unit["unit_id"])) if value is not None]
        rows.append({
            "unit_id": unit["unit_id"], "round": unit["round"], "rounds": unit["rounds"], "shape": unit["shape"],
            "mentee_id": unit["mentee_id"], "mentor_id": unit["mentor_id"], "members": members,
            "facilitator": unit["facilitator"], "state": state, "matched_on": unit["matched_on"],
            "first_meeting": min(met) if met else None, "last_meeting": last.get(unit["unit_id"]),
            "meetings": number.get(unit["unit_id"], 0), "minutes": minutes.get(unit["unit_id"], 0.0),
            "ended_on": stopped, "end_reason": reason if how in ("ended", "completed") else None,
            "left_by": unit["left_by"] if how == "ended" else None,
            "reason": _unit_reason(unit, state, stopped, reason, on_hold, paused)})
    rows.sort(key=lambda row: (row["matched_on"], row["unit_id"]))
    frame = pd.DataFrame(rows, columns=PAIR_COLUMNS, dtype=object)
    frame["meetings"], frame["minutes"] = frame["meetings"].astype(int), frame["minutes"].astype(float)
    return frame


def _unit_reason(unit: dict, state: str, stopped, reason, on_hold: list, paused: dict) -> str:
    if state == "active":
        where = f"round {unit['round']}" if unit["round"] is not None else "the pairs file"
        return f"matched on {_long(unit['matched_on'])} ({where})"
    if state == "paused":
        return "; ".join(f"{person} paused on {_long(paused[person][0])}" for person in on_hold)
    if state == "superseded":
        return f"replaced by {unit['end_source']} on {_long(stopped)}, before a first meeting"
    words = f"{unit['left_by']} left" if reason == "left" and unit["left_by"] else END_REASON_LABELS.get(reason, reason)
    return f"{state} on {_long(stopped)}: {words}"


def _people_on(people: tuple[dict, ...], pairs: pd.DataFrame, day: dt.date, timeline: Timeline, paused: dict,
               left: dict) -> pd.DataFrame:
    """Each person's one state on ``day``: not_joined, left, paused, active, completed or waiting (in that order)."""
    holding: dict[str, list[dict]] = {}
    for unit in pairs.to_dict("records"):
        for person in unit["members"] or ():
            holding.setdefault(person, []).append(unit)
    rows = []
    for person in people:
        state, since, unit_id, reason = _person_state(person, holding.get(person["participant_id"], []), day,
                                                      timeline, paused, left)
        rows.append({"participant_id": person["participant_id"], "name": person["name"], "role": person["role"],
                     "state": state, "since": since, "unit_id": unit_id, "reason": reason})
    return pd.DataFrame(rows, columns=PEOPLE_COLUMNS, dtype=object)


def _person_state(person: dict, units: list[dict], day: dt.date, timeline: Timeline, paused: dict, left: dict
                  ) -> tuple[str, dt.date | None, str | None, str]:
    """(state, since, pair or circle ids, reason) of one person on ``day``, the first that holds of: not
    joined, left, paused, active, completed, waiting."""
    who = person["participant_id"]
    joined = person["joined_on"]
    if joined is not None and joined > day and not units:  # someone already matched has joined, whatever the date
        return "not_joined", joined, None, f"joins on {_long(joined)}"
    if who in left:
        row = left[who]
        words = {"left_organisation": "left the organisation", "withdrew": "withdrew from the programme"}.get(
            row["left_reason"], row["left_reason"] or "left")
        return "left", row["left_on"], None, f"{words} on {_long(row['left_on'])} ({row['left_source']})"
    running = [unit for unit in units if unit["state"] in RUNNING_STATES]
    if who in paused:
        began, why = paused[who]
        held = "; ".join(unit["unit_id"] for unit in running) or None
        return "paused", began, held, f"paused on {_long(began)}" + (f" ({why})" if why else "")
    if running:
        return _active(person, running)
    lasting = [unit for unit in units if unit["state"] != "superseded"]
    last = max(lasting, key=lambda unit: (unit["ended_on"] or dt.date.min, unit["matched_on"])) if lasting else None
    if last is not None and last["state"] == "completed":  # their latest pair or circle finished as planned
        return "completed", last["ended_on"], last["unit_id"], f"{last['unit_id']} completed on {_long(last['ended_on'])}"
    since, _, reason = _waiting(person, units, day, timeline)
    if timeline.end is not None and day > timeline.end:
        reason += f" (the programme ended on {_long(timeline.end)})"
    return "waiting", since, None, reason


def _active(person: dict, running: list[dict]) -> tuple[str, dt.date | None, str | None, str]:
    """The active state of someone in running pairs or circles: since the first was matched, and their role."""
    ids = "; ".join(unit["unit_id"] for unit in running)
    since = min(unit["matched_on"] for unit in running)
    role = _role_in(person["participant_id"], running[0])
    places = f" ({len(running)} of {person['capacity']} places)" if role == "mentor" and person["capacity"] else ""
    return "active", since, ids, f"{role} in {ids} since {_long(since)}{places}"


def _role_in(person: str, unit: dict) -> str:
    if unit["shape"] == "circles":
        return "facilitator" if unit.get("facilitator") == person else "member"
    if unit["shape"] == "peer_pairs":
        return "peer"
    return "mentee" if unit["mentee_id"] == person else "mentor"


def _waiting(person: dict, units: list[dict], day: dt.date, timeline: Timeline) -> tuple[dt.date | None, None, str]:
    """Since when and why a person in the programme has no running pair or circle."""
    stopped = [unit for unit in units if unit["state"] in ("ended", "superseded", "completed")]
    if stopped:
        last = max(stopped, key=lambda unit: unit["ended_on"] or dt.date.min)
        if last["state"] == "superseded":
            return last["ended_on"], None, f"{last['unit_id']} was replaced before a first meeting; not matched since"
        if last["end_reason"] == "left" and last["left_by"] and last["left_by"] != person["participant_id"]:
            return last["ended_on"], None, (f"{last['left_by']} left on {_long(last['ended_on'])}, ending "
                                            f"{last['unit_id']}; waiting for a new match (no fault of theirs)")
        words = END_REASON_LABELS.get(last["end_reason"], last["end_reason"])
        return last["ended_on"], None, f"{last['unit_id']} ended on {_long(last['ended_on'])} ({words}); " \
                                       "waiting for a new match"
    returned = [ended for _, ended, _ in person["pauses"] if ended is not None and ended <= day]
    if returned:
        return max(returned), None, f"returned from a pause on {_long(max(returned))}; waiting for a match"
    joined = person["joined_on"]
    rounds = [done for done in timeline.rounds if round_day(done) <= day]
    if joined is not None and rounds and joined > round_day(rounds[-1]):
        return joined, None, f"joined on {_long(joined)}, after round {rounds[-1].number} was matched"
    if rounds:
        why = _unmatched_reason(rounds[-1], person["participant_id"])
        return joined or round_day(rounds[-1]), None, f"not matched in round {rounds[-1].number}" + (
            f": {why}" if why else "")
    return joined or timeline.start, None, "not matched yet"


def _unmatched_reason(adopted: Round, person: str) -> str:
    table = adopted.unmatched
    found = table[table["participant_id"].astype(str) == person]
    if not len(found) or blank(found["reason"].iloc[0]):
        return ""
    return str(found["reason"].iloc[0])
