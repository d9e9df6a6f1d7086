"""The collected status files, read and checked: what happened to whom, when, and why.

Four sources give the programme's events, every one a fact with a date and a row:

* ``people_status:`` (``collect/people_status.csv``): Participant ID, Event (joined, left,
  paused, returned), Date, Reason, Note;
* ``pair_status:`` (``collect/pair_status.csv``): Pair ID (or Circle ID), Event (ended), Date,
  Reason (no_fault, left, goals_met, completed), Left By, Note;
* the pairs file kept before the toolkit's rounds (``pairs:``; Status, Ended On, End Reason, and
  optionally Left By) and the circles file (``circles:``; a member's Status ``left``);
* the HR extract (``hr_outcomes:``): a participant whose Status is ``left`` left on their Leaving Date.

Each reader returns an events table (:data:`EVENT_COLUMNS`) and stops with every row it cannot
read (file, row, column, value, fix). Whether the events agree with each other and with the
rounds is checked by the timeline (:mod:`toolkit.programme.timeline`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ConfigError, Problem
from .logs import blank, find_column, header_of, log_frame, read_dates, stop_on
from .vocabulary import END_READINGS, EVENT_READINGS, LEGACY_STATUS_READINGS, reading_key

__all__ = ["EVENT_COLUMNS", "UNIT_COLUMNS", "read_people_status", "read_pair_status", "read_pairs_log",
           "read_circles_log", "read_hr_leavers", "PEOPLE_STATUS_HEADERS", "PAIR_STATUS_HEADERS"]

#: One row per event: kind (person or unit), subject (participant or pair/circle id), event, date, reason,
#: left_by (who left, for a pair that ended because someone left), note, source (file name) and row.
EVENT_COLUMNS = ["kind", "subject", "event", "date", "reason", "left_by", "note", "source", "row"]

#: One row per pair or circle found in a file kept before the rounds: unit_id, shape, mentee_id, mentor_id,
#: members (a tuple; circles), matched_on, first_meeting, source and row.
UNIT_COLUMNS = ["unit_id", "shape", "mentee_id", "mentor_id", "members", "facilitator", "matched_on",
                "first_meeting", "source", "row"]

#: The headers of the status templates (``new-client`` writes them; ``record`` appends to them).
PEOPLE_STATUS_HEADERS = ["Participant ID", "Event", "Date", "Reason", "Note"]
PAIR_STATUS_HEADERS = ["Pair ID", "Event", "Date", "Reason", "Left By", "Note"]

_LEFT_WORDS = {"left_organisation": "left_organisation", "left_organization": "left_organisation",
               "left_the_organisation": "left_organisation", "resigned": "left_organisation",
               "left_company": "left_organisation", "left_the_company": "left_organisation",
               "redundancy": "left_organisation", "retired": "left_organisation",
               "withdrew": "withdrew", "withdrawn": "withdrew", "left_programme": "withdrew",
               "left_program": "withdrew", "dropped_out": "withdrew", "opted_out": "withdrew"}
_REASON_FIX = ("write one of: no_fault (workload, fit, a change of role), left (with the person in Left By), "
               "goals_met or completed")


def _events(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=EVENT_COLUMNS, dtype=object)


def _cell(value) -> str | None:
    return None if blank(value) else str(value).strip()


def _required_column(frame: pd.DataFrame, path, what: str, fix: str, *names: str) -> str:
    column = find_column(frame, *names)
    if column is None:
        raise ConfigError(f"{Path(path).name} has no {what} column.", path=path, fix=fix)
    return column


def read_people_status(path, *, date_format: str | None = None) -> pd.DataFrame:
    """People's events (joined, left, paused, returned) from the people's status file.

    A ``left`` row's Reason reads as ``left_organisation`` or ``withdrew`` where the words say so
    (resigned, left the company; withdrew, left the programme); other reasons are kept as written.

    Raises
    ------
    ConfigError
        Listing every row with no person, an event the toolkit does not know, or a date it cannot read.
    """
    frame = log_frame(path)
    name = Path(path).name
    if frame.empty:
        return _events([])
    person = _required_column(frame, path, "Participant ID", "add a Participant ID column (the id in the "
                              "participant files)", "participant_id", "person_id", "employee_id", "email", "id")
    event = _required_column(frame, path, "Event", "add an Event column: joined, left, paused or returned",
                             "event", "status", "change", "what_happened")
    date = _required_column(frame, path, "Date", "add a Date column (YYYY-MM-DD)", "date", "on", "effective_date")
    problems: list[Problem] = []
    days = read_dates(frame[date], path=path, column=date, header=header_of(frame, date), problems=problems,
                      date_format=date_format)
    reasons = frame[find_column(frame, "reason", "why")] if find_column(frame, "reason", "why") else None
    notes = frame[find_column(frame, "note", "notes", "comment")] if find_column(frame, "note", "notes",
                                                                                   "comment") else None
    rows = []
    for (row, who), written, day in zip(frame[person].items(), frame[event], days):
        kind = EVENT_READINGS.get(reading_key(written))
        if blank(who):
            problems.append(Problem("no person is named", "write the person's participant id", str(path), int(row),
                                    header_of(frame, person)))
        if kind not in ("joined", "left", "paused", "returned"):
            problems.append(Problem("not an event the toolkit knows" if not blank(written) else "the event is missing",
                                    "write joined, left, paused or returned", str(path), int(row),
                                    header_of(frame, event), written))
            continue
        reason = _cell(reasons[row]) if reasons is not None else None
        if kind == "left":
            reason = _LEFT_WORDS.get(reading_key(reason)) or _LEFT_WORDS.get(reading_key(written)) or reason
        rows.append({"kind": "person", "subject": _cell(who), "event": kind, "date": day, "reason": reason,
                     "left_by": None, "note": _cell(notes[row]) if notes is not None else None, "source": name,
                     "row": int(row)})
    stop_on(problems, "cannot be read as a person's event", "correct these rows in the people's status file")
    return _events(rows)


def read_pair_status(path, *, date_format: str | None = None) -> pd.DataFrame:
    """Pair and circle events (ended, with a reason and, where someone left, who) from the pair status file.

    Raises
    ------
    ConfigError
        Listing every row with no pair, an unknown event or reason, a ``left`` reason without Left
        By, or a date the toolkit cannot read.
    """
    frame = log_frame(path)
    name = Path(path).name
    if frame.empty:
        return _events([])
    unit = _required_column(frame, path, "Pair ID", "add a Pair ID column (or Circle ID) with the id in the "
                            "round's pairs.csv", "pair_id", "circle_id", "unit_id", "pair", "circle")
    event = find_column(frame, "event", "status")
    date = _required_column(frame, path, "Date", "add a Date column (YYYY-MM-DD)", "date", "ended_on", "on")
    reason_column = find_column(frame, "reason", "end_reason", "why")
    left_column = find_column(frame, "left_by", "who_left", "leaver")
    note_column = find_column(frame, "note", "notes", "comment")
    problems: list[Problem] = []
    days = read_dates(frame[date], path=path, column=date, header=header_of(frame, date), problems=problems,
                      date_format=date_format)
    rows = []
    for (row, unit_id), day in zip(frame[unit].items(), days):
        written = frame.at[row, event] if event else "ended"
        kind = EVENT_READINGS.get(reading_key(written)) if not blank(written) else "ended"
        written_reason = frame.at[row, reason_column] if reason_column else None
        reason = END_READINGS.get(reading_key(written_reason))
        if reading_key(written) in ("completed", "complete", "finished", "completed_early"):
            kind, reason = "ended", reason or END_READINGS.get(reading_key(written))
        left_by = _cell(frame.at[row, left_column]) if left_column else None
        where = (str(path), int(row))
        if blank(unit_id):
            problems.append(Problem("no pair or circle is named", "write the id of the pair (e.g. R1-P001)", *where,
                                    header_of(frame, unit)))
        if kind != "ended":
            problems.append(Problem("not a pair event the toolkit knows", "write ended (and the reason in Reason)",
                                    *where, header_of(frame, event) if event else None, written))
            continue
        if reason is None:
            problems.append(Problem("the reason is missing" if blank(written_reason) else
                                    "not an end reason the toolkit knows", _REASON_FIX, *where,
                                    header_of(frame, reason_column) if reason_column else "Reason", written_reason))
            continue
        if reason == "left" and not left_by:
            problems.append(Problem("the pair ended because someone left, but Left By does not say who",
                                    "write the participant id of the person who left in Left By (they are then "
                                    "never matched again; the other person is matched again)", *where,
                                    header_of(frame, left_column) if left_column else "Left By"))
            continue
        rows.append({"kind": "unit", "subject": _cell(unit_id), "event": "ended", "date": day, "reason": reason,
                     "left_by": left_by if reason == "left" else None,
                     "note": _cell(frame.at[row, note_column]) if note_column else None, "source": name,
                     "row": int(row)})
    stop_on(problems, "cannot be read as a pair's event", "correct these rows in the pair status file")
    return _events(rows)


def read_pairs_log(path, *, date_format: str | None = None, shape: str = "one_to_one"
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs file kept before the toolkit's rounds: its pairs (:data:`UNIT_COLUMNS`) and their endings.

    The Status column reads through :data:`~toolkit.programme.vocabulary.LEGACY_STATUS_READINGS`;
    ``ended_early`` (and ended, closed, withdrawn) takes its reason from End Reason. A completed
    pair without Ended On completed at the programme's end. An optional Left By column names who
    left; without it the timeline looks for the leaver in the HR extract.

    Raises
    ------
    ConfigError
        Listing every row whose status or end reason the toolkit cannot read, an early ending without
        a date or a reason, a missing id, or a pair id used twice.
    """
    frame = log_frame(path)
    name = Path(path).name
    problems: list[Problem] = []
    for needed in ("mentee_id", "mentor_id"):
        if needed not in frame.columns:
            raise ConfigError(f"{name} has no {needed.replace('_', ' ').title().replace('Id', 'ID')} column.",
                              path=path, fix="the pairs file needs Pair ID, Mentee ID and Mentor ID columns")
    pair_column = find_column(frame, "pair_id", "pair")
    matched = read_dates(frame["matched_on"], path=path, column="matched_on", header=header_of(frame, "matched_on"),
                         problems=problems, date_format=date_format, required=False) \
        if "matched_on" in frame.columns else [None] * len(frame)
    first = read_dates(frame["first_meeting"], path=path, column="first_meeting",
                       header=header_of(frame, "first_meeting"), problems=problems, date_format=date_format,
                       required=False) if "first_meeting" in frame.columns else [None] * len(frame)
    ended = read_dates(frame["ended_on"], path=path, column="ended_on", header=header_of(frame, "ended_on"),
                       problems=problems, date_format=date_format, required=False) \
        if "ended_on" in frame.columns else [None] * len(frame)
    units, rows, seen = [], [], dict[str | None, int]()
    for position, (row, record) in enumerate(frame.iterrows()):
        where = (str(path), int(row))
        unit_id = _cell(record.get(pair_column)) if pair_column else f"{name}-row-{row}"
        if unit_id in seen:
            problems.append(Problem(f"the pair id {unit_id} is used again (first on row {seen[unit_id]})",
                                    "give each pair its own id", *where, header_of(frame, pair_column or "pair_id"),
                                    unit_id))
        seen.setdefault(unit_id, int(row))
        mentee, mentor = _cell(record.get("mentee_id")), _cell(record.get("mentor_id"))
        if not mentee or not mentor:
            problems.append(Problem("the pair has no mentee or no mentor", "write both participant ids", *where))
        units.append({"unit_id": unit_id, "shape": shape, "mentee_id": mentee, "mentor_id": mentor,
                      "members": (mentee, mentor), "facilitator": None, "matched_on": matched[position],
                      "first_meeting": first[position], "source": name, "row": int(row)})
        ending = _legacy_ending(record, frame, where, problems)
        if ending is None:
            continue
        state, reason = ending
        if state == "ended" and ended[position] is None:
            problems.append(Problem("the pair ended early but Ended On gives no date", "write the day it ended "
                                    "(YYYY-MM-DD)", *where, header_of(frame, "ended_on") if "ended_on" in frame
                                    else "Ended On"))
            continue
        rows.append({"kind": "unit", "subject": unit_id, "event": "ended", "date": ended[position], "reason": reason,
                     "left_by": _cell(record.get("left_by")) if reason == "left" else None, "note": None,
                     "source": name, "row": int(row)})
    stop_on(problems, "cannot be read", "correct these rows in the pairs file")
    return pd.DataFrame(units, columns=UNIT_COLUMNS, dtype=object), _events(rows)


def _legacy_ending(record: pd.Series, frame: pd.DataFrame, where: tuple[str, int],
                   problems: list[Problem]) -> tuple[str, str] | None:
    """(state, reason) for a pairs-file row that is not active; None for an active row or a problem."""
    status = record.get("status")
    key = reading_key(status) or "active"
    if key not in LEGACY_STATUS_READINGS:
        problems.append(Problem(f"the status {status!r} is not one the toolkit knows",
                                "use active, completed, completed_early, ended_no_fault, left_organisation "
                                "(or ended_early with an end reason)", *where, header_of(frame, "status"), status))
        return None
    state, reason = LEGACY_STATUS_READINGS[key]
    if state == "active":
        return None
    if reason is None:
        written = record.get("end_reason")
        reason = END_READINGS.get(reading_key(written))
        if reason is None:
            problems.append(Problem("the pair ended early, but End Reason does not say why" if blank(written) else
                                    f"the end reason {written!r} is not one the toolkit knows", _REASON_FIX, *where,
                                    header_of(frame, "end_reason") if "end_reason" in frame else "End Reason",
                                    written))
            return None
    return state, reason


def read_circles_log(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The circles file kept before the rounds: one row per circle (members, facilitator) and members who left.

    A member whose Status is ``left`` left their circle (the file gives no date: the HR extract's
    Leaving Date is used when it has one); ``inactive`` members are still in their circle (whether
    a circle meets is read from the meeting log).
    """
    frame = log_frame(path)
    name = Path(path).name
    for needed in ("circle_id", "participant_id"):
        if needed not in frame.columns:
            raise ConfigError(f"{name} has no {needed.replace('_', ' ').title().replace('Id', 'ID')} column.",
                              path=path, fix="the circles file needs Circle ID, Participant ID and Circle Role")
    units, rows = [], []
    for circle_id, group in frame.groupby("circle_id", sort=True):
        roles = group["circle_role"] if "circle_role" in group else pd.Series([None] * len(group), index=group.index)
        members = tuple(str(person).strip() for person in group["participant_id"])
        leaders = [str(person).strip() for person, role in zip(group["participant_id"], roles)
                   if reading_key(role) == "facilitator"]
        units.append({"unit_id": str(circle_id), "shape": "circles", "mentee_id": None, "mentor_id": None,
                      "members": members, "facilitator": leaders[0] if leaders else None, "matched_on": None,
                      "first_meeting": None, "source": name, "row": int(group.index[0])})
        for row, person, status in zip(group.index, group["participant_id"], group.get("status", [None] * len(group))):
            if reading_key(status) in ("left", "leaver", "withdrew", "withdrawn", "left_circle"):
                rows.append({"kind": "person", "subject": str(person).strip(), "event": "left", "date": None,
                             "reason": f"left circle {circle_id}", "left_by": None, "note": None, "source": name,
                             "row": int(row)})
    return pd.DataFrame(units, columns=UNIT_COLUMNS, dtype=object), _events(rows)


def read_hr_leavers(path, known: set[str], aliases: dict[str, str], *, date_format: str | None = None
                    ) -> pd.DataFrame:
    """``left`` events for the programme's people whom the HR extract marks as left (on their Leaving Date).

    Rows for people outside the programme (the comparison group) are not events of the programme.
    ``aliases`` maps lower-case emails to participant ids, for extracts keyed by email.

    Raises
    ------
    ConfigError
        Naming every participant marked as left without a readable Leaving Date.
    """
    frame = log_frame(path)
    name = Path(path).name
    person = find_column(frame, "employee_id", "participant_id", "email", "id")
    status = find_column(frame, "status", "employment_status")
    if frame.empty or person is None or status is None:
        return _events([])
    problems: list[Problem] = []
    rows = []
    leaving = find_column(frame, "leaving_date", "left_on", "date_left", "termination_date")
    for row, record in frame.iterrows():
        key = str(record[person] or "").strip()
        who = key if key in known else aliases.get(key.casefold())
        if who is None or reading_key(record[status]) not in ("left", "leaver", "terminated", "resigned"):
            continue
        days = read_dates(pd.Series([record.get(leaving) if leaving else None], index=[row]), path=path,
                          column=leaving or "leaving_date", header=header_of(frame, leaving) if leaving else
                          "Leaving Date", problems=problems, date_format=date_format)
        rows.append({"kind": "person", "subject": who, "event": "left", "date": days[0],
                     "reason": "left_organisation", "left_by": None, "note": None, "source": name, "row": int(row)})
    stop_on(problems, "mark a participant as left without a date",
            "ask HR for each leaver's Leaving Date (YYYY-MM-DD): the programme needs the day their pairs ended")
    return _events([row for row in rows if row["date"] is not None])
