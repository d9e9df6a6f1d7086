"""Time in goal wording, read as people write it, and resolved against the programme's dates.

:func:`read_time` finds every time phrase in a goal and says what each one is: a **deadline**
("by 15 May", "by the end of Q3", "next month", "within seven weeks", "by the end of the
programme", "by Christmas"), a **span** of time ("for the next 8 weeks": also a deadline, 8 weeks
after the start), a **start** ("starting in November": not a deadline), a **cadence** ("every
fortnight": how often, not by when) or **vague** ("this year", "sometime").

Numbers in words are read with ``text2num`` ("seven weeks" -> 7 weeks); day and month phrases are
resolved with ``dateparser`` (``RELATIVE_BASE`` = the programme start, dates preferred in the
future), so a month or a day without a year is the first one on or after the programme start;
quarters, holidays, seasons and the programme's own milestones (its end, its mid-point, "week 10")
are resolved here, with ``dateutil`` for Easter and calendar months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from ..design.parts import add_months  # one month arithmetic for designs and goals
from ..errors import ToolkitError

__all__ = ["as_date", "date_in_text", "add_months", "TimePhrase", "read_time", "deadline_of", "numbers_as_digits",
           "resolve_date"]


@dataclass(frozen=True)
class TimePhrase:
    """One time phrase in a goal.

    Attributes
    ----------
    role
        ``deadline``, ``start``, ``cadence`` or ``vague``.
    words
        The phrase as the person wrote it ("by the end of Q3", "within seven weeks").
    date
        The calendar date it means, or None (a cadence, a vague phrase, a period with no programme start).
    how
        How the date was worked out, in words.
    days
        For a period counted from the start ("within seven weeks"): its length in days; else the days from
        the programme start to ``date`` when both are known; None otherwise.
    span
        True when the phrase is a length of time ("8 weeks"), which says how long, not how much.
    """

    role: str
    words: str
    date: dt.date | None = None
    how: str = ""
    days: int | None = None
    span: bool = False
    at: tuple[int, int] = (0, 0)  # where it is in the text with numbers as digits (numbers_as_digits)


def as_date(value: object) -> dt.date | None:
    """A date from a date, a timestamp, ``YYYY-MM-DD`` text or a goal's words ("by 30 September 2026")."""
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


def date_in_text(text: str, *, start: dt.date | None = None, end: dt.date | None = None) -> dt.date | None:
    """The deadline a text names (the latest, when it names several), or None. See :func:`read_time`."""
    found = deadline_of(read_time(text, start=start, end=end))
    return found.date if found else None


def resolve_date(value: object, *, start: dt.date | None = None, end: dt.date | None = None) -> TimePhrase | None:
    """A deadline field as typed: a date, ``YYYY-MM-DD``, or words ("end of Q3", "15 May", "end of the programme",
    "in 8 weeks") resolved against the programme; None when it names no date."""
    if isinstance(value, (dt.date, dt.datetime)) or re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", str(value or "")):
        date = as_date(value)
        return TimePhrase("deadline", str(value), date, "the date as given", (date - start).days if start and date else None)
    words = " ".join(str(value or "").split())
    if not words:
        return None
    prefixed = words if re.match(r"(?i)^(?:by|before|until|within|in|next|for|on|end)\b", words) else f"by {words}"
    found = deadline_of(read_time(prefixed, start=start, end=end))
    return TimePhrase(found.role, words, found.date, found.how, found.days, found.span) if found else None


def deadline_of(phrases: list[TimePhrase]) -> TimePhrase | None:
    """The goal's deadline among its time phrases: the latest dated one, else the first undated one."""
    deadlines = [phrase for phrase in phrases if phrase.role == "deadline"]
    dated = [phrase for phrase in deadlines if phrase.date is not None]
    if dated:
        return max(dated, key=lambda phrase: phrase.date)  # type: ignore[arg-type, return-value]
    return deadlines[0] if deadlines else None


# ------------------------------------------------------------------------------------------------
# Numbers in words
# ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def numbers_as_digits(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with numbers in words as digits ("seven weeks" -> "7 weeks", text2num), and for each
    character of the result, the span of the original words it came from (to quote the person)."""
    from text_to_num import alpha2digit

    converted = alpha2digit(text, "en", threshold=0)
    original = [(match.start(), match.end()) for match in re.finditer(r"\S+", text)]
    tokens = [(match.start(), match.end()) for match in re.finditer(r"\S+", converted)]
    where: list[tuple[int, int]] = [(0, 0)] * len(converted)
    matcher = difflib.SequenceMatcher(None, [text[a:b] for a, b in original], [converted[a:b] for a, b in tokens],
                                      autojunk=False)
    for tag, first, first_end, second, second_end in matcher.get_opcodes():
        for index in range(second, second_end):
            if tag == "equal":
                span = original[first + index - second]
            elif first_end > first:  # "twenty five" -> "25": the whole group of words
                span = (original[first][0], original[first_end - 1][1])
            else:
                span = (original[first][0], original[first][0]) if first < len(original) else (len(text), len(text))
            for position in range(*tokens[index]):
                where[position] = span
    return converted, tuple(where)


# ------------------------------------------------------------------------------------------------
# The phrases
# ------------------------------------------------------------------------------------------------

_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|december|"
                "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_MONTH = rf"(?:{_MONTH_NAMES})\.?"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (rf"(?:{_ORDINAL}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_ORDINAL}(?:,?\s+\d{{4}})?"
         rf"|{_MONTH}(?:,?\s+\d{{4}}|\s+'\d{{2}})?|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})")
_BY = (r"(?:by|before|until|till|til|through|no later than|in time for|ahead of|on|in|during|at|for|"
       r"between now and|from now until|from now to|now until|to)")
_END_OF = r"(?:(?:by|before|until|at|for)\s+)?(?:the\s+)?(?:(end|close|start|beginning|middle)\s+of\s+)"
_STARTS = r"(?:starting|start|begin|beginning|commencing|from|as of|after|once)"
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("programme_end", re.compile(
        r"\b(?:(?:by|before|at|until|till|for)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|our\s+|my\s+)?"
        r"(?:mentoring\s+)?(?:programme|program|scheme|cohort|partnership|relationship|mentoring)\b"
        r"|\b(?:by|before|at|until)\s+(?:the\s+|our\s+|my\s+)?(?:final|last|closing)\s+(?:review|meeting|session|"
        r"check-?in)\b|\bbefore\s+the\s+(?:programme|program|mentoring)\s+ends\b")),
    ("midpoint", re.compile(
        r"\b(?:by|before|at|until)\s+(?:the\s+)?(?:mid-?\s?point|half-?\s?way(?:\s+point)?|mid-?programme|"
        r"mid-?program|mid-?term)(?:\s+(?:review|check-?in|meeting|stage|mark))?\b")),
    ("programme_week", re.compile(
        r"\b(?:by|before|in|within|during)\s+(?:the\s+end\s+of\s+)?week\s+(\d{1,2})(?:\s+of\s+the\s+"
        r"(?:programme|program))?\b")),
    ("first_period", re.compile(
        r"\b(?:in|within|during|by\s+the\s+end\s+of)\s+(?:the\s+)?(?:first|1st)\s+(?:(\d{1,3})\s+)?"
        r"(day|week|fortnight|month|quarter)s?\b")),
    ("relative", re.compile(
        r"\b(within|in|over|during|for|after)(?:\s+the)?(?:\s+(?:next|coming|following))?\s+(\d{1,3}(?:\.\d)?|an?)"
        r"(?:\s+more)?\s+(day|week|fortnight|month|quarter|year)s?(?:'?\s*time)?\b"
        r"|\b(\d{1,3})\s+(day|week|fortnight|month|quarter|year)s?\s+from\s+now\b")),
    ("next_period", re.compile(
        r"\b(?:(?:by|before|in|during|within|for|over)\s+)?(?:the\s+)?(?:end\s+of\s+)?(next|this|coming)\s+"
        r"(week|month|quarter|year)\b(?!\s+or)")),
    ("quarter", re.compile(
        rf"(?:\b{_BY}\s+(?:the\s+)?(?:(?:end|close)\s+of\s+)?|\b(?:end|close)\s+of\s+)(?:the\s+)?"
        r"(?:q([1-4])|([1-4])(?:st|nd|rd|th)\s+quarter|quarter\s+([1-4]))(?:\s*(?:of\s+|fy\s*)?'?(\d{4}|\d{2})\b)?")),
    ("year_end", re.compile(
        r"\b(?:(?:by|before|at|until)\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?year|"
        r"year[-\s]?end|eoy)\b(?!\s+review)")),
    ("holiday", re.compile(
        rf"\b(?:{_BY}|over)\s+{_END_OF}?(?:the\s+)?(christmas|xmas|easter|new\s+year|summer|spring|autumn|fall|"
        r"winter)(?:\s+(?:break|holidays?|holiday\s+season))?\b")),
    ("year", re.compile(r"\b(by|before|in|during|until|through)\s+(?:the\s+end\s+of\s+)?(20\d\d)\b(?![-/.]\d)")),
    ("date", re.compile(
        rf"(?:\b(?:(?:{_STARTS})\s+(?:in\s+|on\s+)?)|\b{_BY}\s+(?:the\s+)?(?:(?:end|close|start|beginning|middle)\s+"
        rf"of\s+|(?:mid|early|late)[-\s]+)?|\b(?:mid|early|late)[-\s]+|\bend\s+of\s+|^)({_DATE})\b")),
    ("cadence", re.compile(
        r"\b(?:every|each|per)\s+(?:\d+\s+|other\s+)?(?:day|week|fortnight|month|quarter|year|monday|tuesday|"
        r"wednesday|thursday|friday|meeting|session|sprint)s?\b|\b(?:daily|weekly|fortnightly|monthly|quarterly|"
        r"annually)\b|\b(?:once|twice|\d+\s+times?)\s+(?:a|per)\s+(?:day|week|fortnight|month|quarter|year)\b"
        r"|\b(?:a|per)\s+(?:day|week|month)\b")),
    ("vague", re.compile(
        r"\b(?:this\s+year|sometime|some\s+time|soon|eventually|one\s+day|at\s+some\s+point|asap|as\s+soon\s+as\s+"
        r"possible|in\s+the\s+future|going\s+forward|over\s+time|in\s+due\s+course)\b"
        # a financial year ends on different dates in different organisations: named, but not a date
        r"|\b(?:(?:by|before|at|until)\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+|our\s+)?)?(?:financial|fiscal)"
        r"\s+year(?:[-\s]end)?\b|\bfy[-\s]?end\b")),
]


def read_time(text: str, *, start: dt.date | None = None, end: dt.date | None = None) -> list[TimePhrase]:
    """Every time phrase in ``text``, in the order written, each with its role and date (see :class:`TimePhrase`).

    ``start`` and ``end`` are the programme's dates: yearless dates resolve to the first such date on or
    after ``start`` (or, with only ``end``, the last one on or before it), and periods count from ``start``.
    """
    converted, where = numbers_as_digits(text) if text else ("", ())
    lowered = converted.lower()
    taken = [False] * len(lowered)
    found: list[tuple[int, TimePhrase]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            if any(taken[match.start():match.end()]):
                continue
            phrase = _resolve(kind, match, start, end)
            if phrase is None:
                continue
            for position in range(match.start(), match.end()):
                taken[position] = True
            first, last = where[match.start()][0], where[match.end() - 1][1]
            words = " ".join(text[first:last].split()).strip(" ,.;") if last > first else match.group(0)
            found.append((match.start(), TimePhrase(phrase.role, words, phrase.date, phrase.how,
                                                    _days(phrase, start), phrase.span,
                                                    (match.start(), match.end()))))
    return [phrase for _, phrase in sorted(found, key=lambda item: item[0])]


def _days(phrase: TimePhrase, start: dt.date | None) -> int | None:
    if phrase.days is not None:
        return phrase.days
    if phrase.date is not None and start is not None:
        return (phrase.date - start).days
    return None


def _resolve(kind: str, match: re.Match, start: dt.date | None, end: dt.date | None) -> TimePhrase | None:
    return _RESOLVERS[kind](match, start, end)


def _programme_end(match, start, end) -> TimePhrase:
    return TimePhrase("deadline", "", end, "the programme's end" if end else "the programme's end (no end date given)")


def _midpoint(match, start, end) -> TimePhrase:
    if start and end:
        return TimePhrase("deadline", "", start + (end - start) / 2, "the programme's mid-point")
    return TimePhrase("deadline", "", None, "the programme's mid-point (no programme dates given)")


def _counted(amount: float, unit: str, start: dt.date | None, how: str) -> TimePhrase:
    days = round(amount * _UNIT_DAYS[unit])
    if start is None:
        return TimePhrase("deadline", "", None, f"{how} (no programme start to count from)", days, True)
    if unit in ("month", "quarter", "year"):
        date = add_months(start, amount * {"month": 1, "quarter": 3, "year": 12}[unit])
    else:
        date = start + dt.timedelta(days=days)
    return TimePhrase("deadline", "", date, how, (date - start).days, True)


def _programme_week(match, start, end) -> TimePhrase:
    weeks = int(match.group(1))
    if start is None:
        return TimePhrase("deadline", "", None, f"week {weeks} of the programme (no start date given)", weeks * 7)
    date = start + dt.timedelta(days=weeks * 7 - 1)
    return TimePhrase("deadline", "", date, f"the last day of week {weeks} of the programme", weeks * 7 - 1)


def _first_period(match, start, end) -> TimePhrase:
    amount = int(match.group(1) or 1)
    unit = match.group(2)
    return _counted(amount, unit, start, f"{amount} {unit}{'s' if amount != 1 else ''} after the programme start")


def _relative(match, start, end) -> TimePhrase:
    if match.group(2):
        preposition, unit = match.group(1), match.group(3)
        amount = 1.0 if match.group(2) in ("a", "an") else float(match.group(2))
    else:
        preposition, amount, unit = "in", float(match.group(4)), match.group(5)
    shown = f"{amount:g} {unit}{'s' if amount != 1 else ''}"
    phrase = _counted(amount, unit, start, f"{shown} after the programme start")
    if preposition == "after":  # "after 3 months": a start, not a deadline
        return TimePhrase("start", "", phrase.date, f"{shown} after the programme start", phrase.days, True)
    return phrase


def _period_end(day: dt.date, unit: str, step: int) -> dt.date:
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=step)
        return monday + dt.timedelta(days=6)
    if unit == "month":
        first = (day.replace(day=1) + relativedelta(months=step))
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if unit == "quarter":
        quarter_end_month = ((day.month - 1) // 3 + 1 + step) * 3
        first = dt.date(day.year, 1, 1) + relativedelta(months=quarter_end_month - 1)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return dt.date(day.year + step, 12, 31)


def _next_period(match, start, end) -> TimePhrase:
    which, unit = match.group(1), match.group(2)
    if (which, unit) == ("this", "year") and "end" not in match.group(0):
        return TimePhrase("vague", "", None, "not a date: by when this year?")
    step = 0 if which == "this" else 1
    if start is None:
        return TimePhrase("deadline", "", None, f"the end of {which} {unit} (no programme start given)",
                          _UNIT_DAYS[unit] * (step or 1))
    date = _period_end(start, unit, step)
    return TimePhrase("deadline", "", date, f"the end of the {unit} after the programme start" if step else
                      f"the end of the {unit} the programme starts in")


def _yearless(month: int, day: int | None, start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, str]:
    """A month (and day) without a year: the first on or after the start, else the last on or before the end."""
    def on(year: int) -> dt.date:
        return dt.date(year, month, min(day or calendar.monthrange(year, month)[1], calendar.monthrange(year, month)[1]))

    if start is not None:
        date = on(start.year)
        return (date if date >= start else on(start.year + 1)), "the first one on or after the programme start"
    if end is not None:
        date = on(end.year)
        return (date if date <= end else on(end.year - 1)), "the last one on or before the programme end"
    return None, "no programme dates to place it in a year"


def _quarter(match, start, end) -> TimePhrase:
    number = int(match.group(1) or match.group(2) or match.group(3))
    year_text = match.group(4)
    month = number * 3
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return TimePhrase("deadline", "", dt.date(year, month, calendar.monthrange(year, month)[1]),
                          f"the end of Q{number} {year} (calendar quarters)")
    date, how = _yearless(month, None, start, end)
    return TimePhrase("deadline", "", date, f"the end of Q{number} (calendar quarters), {how}" if date else
                      f"the end of Q{number}: {how}")


def _year_end(match, start, end) -> TimePhrase:
    date, how = _yearless(12, 31, start, end)
    return TimePhrase("deadline", "", date, f"31 December, {how}" if date else f"the end of the year: {how}")


# Seasons are meteorological (northern hemisphere): "by the summer" is before it starts, "over the summer" by its end.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _holiday(match, start, end) -> TimePhrase:
    name = " ".join(match.group(2).split())
    whole = match.group(0)
    if name in ("christmas", "xmas"):
        date, how = _yearless(12, 25, start, end)
        return TimePhrase("deadline", "", date, f"Christmas Day, {how}")
    if name == "new year":
        date, how = _yearless(1, 1, start, end)
        return TimePhrase("deadline", "", date, f"New Year's Day, {how}")
    if name == "easter":
        reference = start or (end - dt.timedelta(days=365) if end else None)
        if reference is None:
            return TimePhrase("deadline", "", None, "Easter Sunday (no programme dates to place it in a year)")
        date = easter(reference.year) if easter(reference.year) >= reference else easter(reference.year + 1)
        return TimePhrase("deadline", "", date, "Easter Sunday, the first on or after the programme start")
    first_month, last_month = _SEASONS[name]
    by_its_end = bool(match.group(1) and match.group(1) in ("end", "close")) or whole.startswith(("over", "in ")) \
        or " during " in f" {whole} "
    if by_its_end:
        date, how = _yearless(last_month, None, start, end)
        return TimePhrase("deadline", "", date, f"the end of {name}, {how}")
    month = first_month - 1 or 12
    date, how = _yearless(month, None, start, end)
    return TimePhrase("deadline", "", date, f"the day before {name} starts, {how}")


@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY",
                                                      "RETURN_AS_TIMEZONE_AWARE": False,
                                                      "PREFER_DAY_OF_MONTH": "first"})


@lru_cache(maxsize=4096)
def _parse(words: str) -> tuple[dt.date, str] | None:
    """``words`` read by dateparser: (date, period) where period is day, month or year; None if unread."""
    data = _parser().get_date_data(words)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _date(match, start, end) -> TimePhrase | None:
    whole, words = match.group(0), match.group(1)
    parsed = _parse(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", re.sub(r"\bsept\b", "sep", words)).replace(" of ", " "))
    if parsed is None:
        return None
    date, period = parsed
    has_year = bool(re.search(r"\d{4}|'\d{2}|\d+[/.]\d+[/.]\d+", words))
    day = date.day if period == "day" else None
    if not has_year:
        yearless, how = _yearless(date.month, day, start, end)
        if yearless is None:
            return TimePhrase("deadline", "", None, f"{words}: {how}")
        date = yearless
    else:
        how = "the date as written"
    if period == "month":
        last = calendar.monthrange(date.year, date.month)[1]
        if re.search(r"\bmid[-\s]", whole):
            date, how = date.replace(day=15), f"the middle of the month, {how}"
        elif re.search(r"\bearly[-\s]", whole):
            date, how = date.replace(day=10), f"early in the month (the 10th), {how}"
        elif re.search(r"\b(?:start|beginning)\s+of\b", whole):
            date, how = date.replace(day=1), f"the first of the month, {how}"
        else:
            date, how = date.replace(day=last), f"the last day of the month, {how}"
    if re.match(rf"\b(?:{_STARTS})\b", whole):
        return TimePhrase("start", "", date, f"a start, not a deadline ({how})")
    return TimePhrase("deadline", "", date, how)


def _year(match, start, end) -> TimePhrase:
    year = int(match.group(2)) - (1 if match.group(1) == "before" else 0)
    return TimePhrase("deadline", "", dt.date(year, 12, 31), f"the end of {year}")


def _cadence(match, start, end) -> TimePhrase:
    return TimePhrase("cadence", "", None, "how often, not by when")


def _vague(match, start, end) -> TimePhrase:
    if re.search(r"financial|fiscal|\bfy\b", match.group(0)):
        return TimePhrase("vague", "", None, "names no date: financial years end on different dates")
    return TimePhrase("vague", "", None, "not a date")


_RESOLVERS = {"programme_end": _programme_end, "midpoint": _midpoint, "programme_week": _programme_week,
              "first_period": _first_period, "relative": _relative, "next_period": _next_period,
              "quarter": _quarter, "year_end": _year_end, "holiday": _holiday, "year": _year, "date": _date,
              "cadence": _cadence, "vague": _vague}
