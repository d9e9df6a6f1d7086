"""The meeting log: every row read as a meeting (pair or circle, date, minutes, format) or stopped with the row named.

People log meetings the way they speak: durations as ``45``, ``0:45``, ``45 mins``, ``1 hour``,
``1h 15m`` or ``1.5``; formats as ``Teams``, ``Zoom``, ``phone`` or ``coffee``. Each is read into
minutes and one of :data:`MEETING_FORMATS`; a duration that could be minutes or hours (``6``)
and a format the toolkit does not know are asked about, naming the rows::

    meetings = tk.programme.read_meetings(client)     # one row per meeting; .attrs["readings"] says what was read how

Which meetings *count* (logged against a pair or circle that existed on that day) is decided by
the timeline (:func:`toolkit.programme.programme_state`), not here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, Problem
from .logs import blank, find_column, header_of, log_frame, read_dates, stop_on

__all__ = ["MEETING_FORMATS", "FORMAT_WORDS", "MEETING_COLUMNS", "read_meetings", "read_duration", "read_format"]

#: The meeting formats reports count.
MEETING_FORMATS = ("in_person", "virtual", "phone")

#: Words in a Format cell and the format they mean (whole words, any case).
FORMAT_WORDS = {
    "virtual": ("virtual", "video", "online", "remote", "teams", "msteams", "zoom", "meet", "webex", "skype",
                "hangouts", "hangout", "facetime", "vc", "videocall"),
    "phone": ("phone", "telephone", "call", "mobile", "tel", "phonecall"),
    "in_person": ("in_person", "inperson", "person", "face", "f2f", "office", "onsite", "site", "coffee", "lunch",
                  "walk", "walking", "canteen", "ip"),
}

#: Columns of the table :func:`read_meetings` returns.
MEETING_COLUMNS = ["meeting_id", "unit_id", "date", "minutes", "format", "logged_by", "attended", "mentee_id",
                   "mentor_id", "row"]

# A meeting lasts from 5 minutes to 8 hours: a bare number is read in the unit where it is plausible.
_MINUTES_RANGE = (5, 480)
_HOURS_RANGE = (0.25, 8)
_WORD_MINUTES = {"an hour": 60, "one hour": 60, "1 hour": 60, "half an hour": 30, "half hour": 30,
                 "two hours": 120, "an hour and a half": 90, "hour and a half": 90, "quarter of an hour": 15}
_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)(?::00)?$")
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)(?![a-z])")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_DURATION_FIX = 'write the minutes as a number (45) or with the unit ("45 mins", "1 hour", "1h 15m")'


def read_duration(text: object, column_unit: str | None = None) -> tuple[float | None, str]:
    """Minutes for a duration as people write it, and how it was read.

    Parameters
    ----------
    text
        ``45``, ``0:45``, ``45 mins``, ``1 hour``, ``1h 15m``, ``1.5``, ``an hour``, blank.
    column_unit
        ``"minutes"`` or ``"hours"`` when the column's header says so; it settles a bare number
        that would be plausible in both (5 to 8).

    Returns
    -------
    (minutes, how)
        ``how`` is ``"blank"``, ``"as written"``, ``"hours"`` (a bare number read as hours) or
        ``"minutes"`` (a bare number read as minutes in an hours column).

    Raises
    ------
    ValueError
        With the reason, when the duration cannot be read or could be minutes or hours.
    """
    if blank(text):
        return None, "blank"
    value = " ".join(str(text).strip().casefold().split())
    if value in _WORD_MINUTES:
        return float(_WORD_MINUTES[value]), "as written"
    clock = _CLOCK.match(value)
    if clock:
        return _plausible(int(clock.group(1)) * 60 + int(clock.group(2)), value), "as written"
    if _NUMBER.match(value):
        return _bare_number(float(value.replace(",", ".")), value, column_unit)
    parts = _PART.findall(value)
    rest = _PART.sub("", value)
    trailing = re.fullmatch(r"\s*(\d{1,2})\s*", rest)  # "1h15": the minutes after the hours have no unit
    if parts and (not rest.strip() or (trailing and parts[-1][1].startswith("h"))):
        minutes = sum(float(number.replace(",", ".")) * (60 if unit.startswith("h") else 1) for number, unit in parts)
        minutes += float(trailing.group(1)) if trailing else 0
        return _plausible(minutes, value), "as written"
    raise ValueError("not a duration the toolkit can read")


def _plausible(minutes: float, text: str) -> float:
    low, high = _MINUTES_RANGE
    if not low <= minutes <= high:
        raise ValueError(f"{text} is {minutes:g} minutes, outside what a meeting lasts ({low} minutes to "
                         f"{high // 60} hours)")
    return float(minutes)


def _bare_number(number: float, text: str, column_unit: str | None) -> tuple[float, str]:
    as_minutes = _MINUTES_RANGE[0] <= number <= _MINUTES_RANGE[1]
    as_hours = _HOURS_RANGE[0] <= number <= _HOURS_RANGE[1]
    if as_minutes and as_hours:
        if column_unit is None:
            raise ValueError(f"{text} could be {number:g} minutes or {number:g} hours")
        return (number * 60, "hours") if column_unit == "hours" else (number, "as written")
    if as_minutes:
        return number, "minutes" if column_unit == "hours" else "as written"
    if as_hours:
        return number * 60, "as written" if column_unit == "hours" else "hours"
    raise ValueError(f"{text} is not a length a meeting has, in minutes or in hours")


def read_format(text: object) -> str | None:
    """One of :data:`MEETING_FORMATS` for a Format cell (``Teams`` -> virtual), None when blank.

    Raises
    ------
    ValueError
        When the cell names no known format, or two of them ("Zoom or in person").
    """
    if blank(text):
        return None
    words = set(re.sub(r"[^a-z0-9_]+", " ", str(text).casefold().replace("-", "").replace("to face", "")).split())
    words |= {"".join(sorted(words))} if len(words) == 2 else set()
    found = {kind for kind, names in FORMAT_WORDS.items() if words & set(names)}
    if "phone" in found and "virtual" in found:
        found = {"virtual"}  # "Teams call", "video call": the call is a video call
    if len(found) != 1:
        raise ValueError("not a meeting format the toolkit knows" if not found else
                         f"it names {len(found)} formats ({', '.join(sorted(found))})")
    return found.pop()


def _column_unit(header: str | None) -> str | None:
    words = (header or "").casefold()
    if "hour" in words or words.endswith(("_hrs", "_h")):
        return "hours"
    if "min" in words:
        return "minutes"
    return None


def _durations(frame: pd.DataFrame, column: str | None, problems: list[Problem]) -> tuple[list, list[str]]:
    """Minutes for each row (None where not logged), and the durations read from a bare number, in words."""
    if column is None:
        return [None] * len(frame), []
    unit, path = _column_unit(column), frame.attrs.get("path")
    minutes, readings = [], []
    for row, text in frame[column].items():
        try:
            value, how = read_duration(text, unit)
        except ValueError as error:
            value, how = None, "blank"
            problems.append(Problem(str(error), _DURATION_FIX, path, int(row), header_of(frame, column), text))
        minutes.append(value)
        if how in ("hours", "minutes"):
            readings.append(f"row {row}: {str(text).strip()} read as {value:g} minutes ({how})")
    return minutes, readings


def _formats(frame: pd.DataFrame, column: str | None, problems: list[Problem]) -> list:
    """One of :data:`MEETING_FORMATS` for each row (None where not logged)."""
    if column is None:
        return [None] * len(frame)
    formats = []
    for row, text in frame[column].items():
        try:
            formats.append(read_format(text))
        except ValueError as error:
            formats.append(None)
            problems.append(Problem(str(error), "write in_person, virtual or phone (Teams, Zoom and the like are "
                                                "virtual)", frame.attrs.get("path"), int(row), header_of(frame, column),
                                    text))
    return formats


def read_meetings(source, *, date_format: str | None = None) -> pd.DataFrame:
    """Every logged meeting, read: one row per meeting, in the file's order.

    Parameters
    ----------
    source
        A client (``load_client``), whose ``meetings:`` file is read, or the path of a meeting log.
    date_format
        ``DMY`` or ``MDY`` for slashed dates (default: the client's ``date_format:``).

    Returns
    -------
    DataFrame
        :data:`MEETING_COLUMNS`: ``unit_id`` is the Pair ID or Circle ID as logged, ``minutes``
        a number (NaN when not logged), ``format`` one of :data:`MEETING_FORMATS` or None, ``row``
        the spreadsheet row. ``attrs["readings"]`` lists the durations read as hours (or minutes) from a
        bare number, as "row N: 1.5 read as 90 minutes".

    Raises
    ------
    ConfigError
        Listing every row whose date, duration or format cannot be read, or that names no pair or circle.
    """
    path = source
    if hasattr(source, "get") and hasattr(source, "path"):
        if not source.get("meetings"):
            raise ConfigError(f"{source.path.name} names no meetings file.", path=source.path,
                              fix="add meetings: collect/meeting_log.csv to client.yaml")
        path = source.get("meetings")
        date_format = date_format or source.get("date_format")
    frame = log_frame(path)
    unit_column = find_column(frame, "circle_id", "pair_id", "unit_id", "pair", "circle")
    if unit_column is None:
        raise ConfigError(f"{Path(path).name} has no Pair ID or Circle ID column.", path=path,
                          fix="add a Pair ID column (or Circle ID for circles) with the id of the pair that met")
    date_column = find_column(frame, "date", "meeting_date", "date_of_meeting", "when")
    if date_column is None:
        raise ConfigError(f"{Path(path).name} has no Date column.", path=path, fix="add a Date column (YYYY-MM-DD)")
    problems: list[Problem] = []
    days = read_dates(frame[date_column], path=path, column=date_column, header=header_of(frame, date_column),
                      problems=problems, date_format=date_format)
    duration_column = find_column(frame, "duration_minutes", "duration", "minutes", "duration_mins", "length",
                                  "duration_hours", "hours")
    minutes, readings = _durations(frame, duration_column, problems)
    format_column = find_column(frame, "format", "meeting_format", "mode", "how", "channel")
    formats = _formats(frame, format_column, problems)
    for row, value in frame[unit_column].items():
        if blank(value):
            problems.append(Problem("no pair or circle is named", "write the id of the pair or circle that met "
                                    "(as in introductions.csv, e.g. R1-P001)", str(path), int(row),
                                    header_of(frame, unit_column)))
    stop_on(problems, "cannot be read as a meeting", "correct these rows in the meeting log and run the command again")
    count = len(frame)

    def column(*names: str) -> list:
        name = find_column(frame, *names)
        return [None if blank(value) else str(value).strip() for value in frame[name]] if name else [None] * count

    attended = [tuple(part.strip() for part in re.split(r"[;,]", text) if part.strip()) if text else None
                for text in column("attended", "attendees")]
    table = pd.DataFrame({
        "meeting_id": column("meeting_id", "id"), "unit_id": [str(value).strip() for value in frame[unit_column]],
        "date": days, "minutes": pd.to_numeric(pd.Series(minutes, dtype=object), errors="coerce").to_numpy(),
        "format": formats, "logged_by": column("logged_by"),
        "attended": attended, "mentee_id": column("mentee_id"), "mentor_id": column("mentor_id"),
        "row": [int(row) for row in frame.index]}, columns=MEETING_COLUMNS).astype(
            {"meeting_id": object, "unit_id": object, "format": object, "logged_by": object, "mentee_id": object,
             "mentor_id": object, "date": object})
    table.attrs["readings"] = readings
    table.attrs["path"] = str(path)
    return table
