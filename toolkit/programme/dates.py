"""The dates a pair's plan follows, from the day it was matched: one rule for introductions, milestones and agreements.

A pair's first meeting is due two weeks after it is introduced, on a weekday: introductions go out
three weeks after launch (when sign-up has closed, as the communications plan dates them), or on
the day the pair was matched if that is later (a re-match). Never a day before the pair existed.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["INTRODUCTION_DAYS", "FIRST_MEETING_DAYS", "weekday", "introduced_on", "first_meeting_due"]

#: Days after launch that the communications plan sends the first introductions.
INTRODUCTION_DAYS = 21
#: Days after an introduction that the first meeting is due.
FIRST_MEETING_DAYS = 14


def weekday(day: dt.date) -> dt.date:
    """Saturday and Sunday move to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def introduced_on(matched_on: dt.date, start: dt.date | None) -> dt.date:
    """The day a pair is introduced: three weeks after launch, or the day it was matched if later."""
    launch = start + dt.timedelta(days=INTRODUCTION_DAYS) if start is not None else matched_on
    return max(matched_on, launch)


def first_meeting_due(matched_on: dt.date, start: dt.date | None, end: dt.date | None) -> dt.date:
    """The day a pair's first meeting is due: two weeks after its introduction, on a weekday, by the programme's end."""
    due = introduced_on(matched_on, start) + dt.timedelta(days=FIRST_MEETING_DAYS)
    if end is not None:
        due = min(due, end)
    return weekday(due)
