"""Dates in goal wording and agreements: read a date from a value or from a goal's text, move by months."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

from ..design.parts import add_months  # one month arithmetic for designs and goals
from ..errors import ToolkitError

__all__ = ["as_date", "date_in_text", "add_months"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_DATE_PATTERNS = [
    re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b"),
    re.compile(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b"),
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\s+(20\d\d)\b", re.I),
    re.compile(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(20\d\d)\b", re.I),
    re.compile(r"\b([a-z]+)\.?\s+(20\d\d)\b", re.I),
    re.compile(r"\bq([1-4])\s*(20\d\d)\b", re.I),
]
_RELATIVE_TIME = re.compile(r"\b(?:within|in|over the next|for)\s+(\d+|one|two|three|four|five|six|eight|nine|twelve)"
                            r"\s+(week|month)s?\b", re.I)
_PROGRAMME_END_WORDS = ("end of the programme", "end of the program", "by the final review", "end of programme",
                        "before the programme ends", "by the end of the mentoring")
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9,
                 "twelve": 12}


def as_date(value: object) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        found = date_in_text(str(value))
        if found is None:
            raise ToolkitError(f"{value!r} is not a date I can read.", fix="write it as YYYY-MM-DD") from None
        return found


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def date_in_text(text: str, *, start: dt.date | None = None, end: dt.date | None = None) -> dt.date | None:
    """The latest date the text names (a month alone means its last day), or None."""
    found: list[dt.date] = []
    lowered = text.lower()
    for match in _DATE_PATTERNS[0].finditer(lowered):
        try:
            found.append(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            pass
    for match in _DATE_PATTERNS[1].finditer(lowered):  # day/month/year, the UK reading
        try:
            found.append(dt.date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            pass
    for match in _DATE_PATTERNS[2].finditer(lowered):
        month = _MONTHS.get(match[2])
        if month:
            try:
                found.append(dt.date(int(match[3]), month, int(match[1])))
            except ValueError:
                pass
    for match in _DATE_PATTERNS[3].finditer(lowered):
        month = _MONTHS.get(match[1])
        if month:
            try:
                found.append(dt.date(int(match[3]), month, int(match[2])))
            except ValueError:
                pass
    # A full date also contains "month year"; blank full dates out before reading month-only ones.
    for pattern in _DATE_PATTERNS[:4]:
        lowered = pattern.sub(lambda m: " " * len(m[0]) if _MONTHS.get(str(m[2])) or _MONTHS.get(str(m[1]))
                              or m[0][:1].isdigit() else m[0], lowered)
    for match in _DATE_PATTERNS[4].finditer(lowered):
        month = _MONTHS.get(match[1])
        if month:
            found.append(_month_end(int(match[2]), month))
    for match in _DATE_PATTERNS[5].finditer(lowered):
        found.append(_month_end(int(match[2]), int(match[1]) * 3))
    if not found and start is not None:
        relative = _RELATIVE_TIME.search(lowered)
        if relative:
            amount = int(relative[1]) if relative[1].isdigit() else _WORD_NUMBERS[relative[1].lower()]
            days = amount * (7 if relative[2].lower() == "week" else 30)
            found.append(start + dt.timedelta(days=days))
    if not found and end is not None and any(words in lowered for words in _PROGRAMME_END_WORDS):
        found.append(end)
    return max(found) if found else None
