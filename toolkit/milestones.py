"""A dated plan per pair: agreement signed, first meeting, mid-point review, closure conversation.

Dates come from the programme's window (``start_date`` to ``end_date``, or start plus the
design's duration) and the day the pair was matched (the round's adoption, or a re-match's
``--as-of``), so a pair matched mid-programme in a re-match gets a shorter plan that still ends
with the programme, and never a first meeting due before it existed. The first meeting's day is
the one introductions name (:func:`toolkit.programme.dates.first_meeting_due`). Each milestone has a reminder
message, and :func:`pair_calendar` writes a pair's plan as an iCalendar file (one all-day
event per milestone, with an alarm a few days before) to import into Outlook or Google::

    plan = tk.pair_milestones(result, design)              # one row per pair and milestone
    tk.write_pair_calendars(plan, "kit/milestones")          # <pair>.ics per pair
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from icalendar import Alarm, Event

from .files import write_csv, write_text
from .kit import new_calendar, one_line, programme_window
from .paths import participant_file
from .programme import build_timeline
from .programme.dates import first_meeting_due, weekday

if TYPE_CHECKING:
    from .client import ClientConfig
    from .design.model import ProgramDesign
    from .matching.result import MatchResult

__all__ = ["MILESTONES", "pair_milestones", "pair_calendar", "write_pair_calendars"]

#: (key, title, reminder days before, reminder message). Dates are set in :func:`_dates`.
MILESTONES = (
    ("first_meeting", "First meeting", 3,
     "Your first mentoring meeting is due by {date}. If it is not in the diary yet, {mentee} books it and "
     "{mentor} suggests two times; 45 minutes is plenty to get to know each other."),
    ("agreement_signed", "Mentoring agreement signed", 3,
     "Please agree and sign your mentoring agreement by {date}: goals, how often you meet, how you keep in "
     "touch, and what stays confidential. The template is in your welcome pack."),
    ("midpoint_review", "Mid-point review", 5,
     "Half-way on {date}: take ten minutes of your next meeting to review your goals. What has moved, what "
     "has not, and what should change for the second half? The mid-point survey follows."),
    ("closure_conversation", "Closure conversation", 7,
     "Your mentoring relationship closes around {date}. Plan a last meeting to look back at the goals, "
     "celebrate what changed, and agree whether and how to stay in touch."),
)


def _dates(matched: dt.date, start: dt.date, end: dt.date) -> dict[str, dt.date]:
    first = first_meeting_due(matched, start, end)
    agreement = weekday(min(first + dt.timedelta(days=7), end))
    middle = weekday(min(max(matched + (end - matched) / 2, agreement), end))
    closure = weekday(max(end - dt.timedelta(days=7), middle))
    return {"first_meeting": first, "agreement_signed": agreement, "midpoint_review": middle,
            "closure_conversation": min(closure, max(end, middle))}


def pair_milestones(result: MatchResult, design: ProgramDesign | None = None, *,
                    matched_on: dt.date | str | dict | None = None, pair_ids: dict[str, str] | None = None,
                    client: ClientConfig | str | Path | None = None) -> pd.DataFrame:
    """Each pair's milestones with dates and reminder messages.

    Parameters
    ----------
    result
        A one-to-one :class:`MatchResult` (its ``.pairs`` and ``.roster``).
    design
        The design (default ``result.design``): its programme window dates the plan.
    matched_on
        The day the pairs were matched: one date, or pair id -> date. Default: the ``matched_on``
        column of the pairs, else the client's timeline (``client``: the round's adoption), else the
        programme start.
    pair_ids
        Names for the pairs (mentee_id -> pair id); default the pairs' ``pair_id`` (the round's ids),
        else ``mentee_id-mentor_id``.
    client
        The client whose timeline dates the pairs when ``matched_on`` is not given.

    Returns
    -------
    DataFrame
        pair_id, mentee_id, mentor_id, milestone, title, date, remind_days_before, message.
    """
    design = design if design is not None else result.design
    start, end = programme_window(design)
    roster = result.roster
    if matched_on is None and client is not None:
        units = build_timeline(client).units
        matched_on = {str(unit): day for unit, day in zip(units["unit_id"], units["matched_on"]) if day is not None}
    rows = []
    for pair in result.pairs.itertuples():
        pair_id = (pair_ids or {}).get(pair.mentee_id) or getattr(pair, "pair_id", None) or \
            f"{pair.mentee_id}-{pair.mentor_id}"
        if isinstance(matched_on, dict):
            matched = matched_on.get(pair_id) or matched_on.get(pair.mentee_id) or getattr(pair, "matched_on", None)
        else:
            matched = matched_on or getattr(pair, "matched_on", None)
        matched = max(pd.Timestamp(matched or start).date(), start)
        names = {"mentee": roster.display_name(pair.mentee_id), "mentor": roster.display_name(pair.mentor_id)}
        for key, title, remind, text in MILESTONES:
            day = _dates(matched, start, end)[key]
            rows.append({"pair_id": pair_id, "mentee_id": pair.mentee_id, "mentor_id": pair.mentor_id,
                         "milestone": key, "title": title, "date": day, "remind_days_before": remind,
                         "message": text.format(date=f"{day:%A} {day.day} {day:%B %Y}", **names)})
    return pd.DataFrame(rows, columns=["pair_id", "mentee_id", "mentor_id", "milestone", "title", "date",
                                       "remind_days_before", "message"])


def pair_calendar(plan: pd.DataFrame, *, calendar_name: str = "Mentoring milestones") -> str:
    """One pair's milestones as an iCalendar file: all-day events with a reminder alarm each.

    Reproducible: UIDs hash the calendar name, pair and milestone; DTSTAMP is the first milestone's day.
    """
    calendar, stamp = new_calendar(calendar_name, list(plan["date"]), product="pair milestones")
    for row in plan.itertuples(index=False):
        event = Event()
        key = f"{calendar_name}|{row.pair_id}|{row.milestone}"
        event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:24] + "@mentoring-toolkit")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        event.add("summary", one_line(f"Mentoring: {row.title}"))
        event.add("description", row.message)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{row.title} on {row.date:%d %B}: {row.message}")
        alarm.add("trigger", dt.timedelta(days=-int(row.remind_days_before)))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def write_pair_calendars(plan: pd.DataFrame, folder: str | Path, *, calendar_name: str = "Mentoring milestones"
                         ) -> list[Path]:
    """``<folder>/<pair_id>.ics`` per pair and ``milestones.csv`` with every pair's dates and reminders."""
    folder = Path(folder)
    written = [write_text(pair_calendar(group, calendar_name=f"{calendar_name} ({pair_id})"),
                          participant_file(folder, pair_id, ".ics"))
               for pair_id, group in plan.groupby("pair_id", sort=True)]
    written.append(write_csv(plan, folder / "milestones.csv"))
    return written
