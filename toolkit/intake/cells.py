"""Cell parsers: turn what people type into the toolkit's values (yes/no, numbers, emails, time zones,
availability windows, dates, languages); non-answers such as "Prefer not to say".

Each parser returns ``None`` for a blank cell and raises :class:`CellProblem` with a readable
reason for a value it cannot read. Roles, meeting modes, capacities and levels are read with a
confidence instead (:mod:`toolkit.intake.answers`, re-exported here).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from ..errors import did_you_mean
from . import schema
from .answers import (
    SURE,
    Reading,
    read_capacity,
    read_level,
    read_levels,
    read_meeting_mode,
    read_role,
)

__all__ = ["parse_timezone", "utc_offset_hours", "parse_availability", "Reading", "SURE", "read_role",
           "read_meeting_mode", "read_capacity", "read_level", "read_levels", "NON_ANSWERS", "non_answer"]


# Answers that say nothing: the person chose not to answer, or typed a placeholder. They are read as a
# missing value (with one warning counting them), never as a value and never as a question.
NON_ANSWERS = frozenset({
    "prefer not to say", "i prefer not to say", "i d prefer not to say", "id prefer not to say",
    "prefer not to answer", "i prefer not to answer", "prefer not to disclose", "rather not say",
    "i d rather not say", "id rather not say", "i would rather not say", "would rather not say",
    "rather not answer", "i d rather not answer", "decline to answer", "decline to state", "declined",
    "declined to answer", "not disclosed", "do not wish to disclose", "don t wish to disclose",
    "dont wish to disclose", "choose not to disclose", "n a", "na", "not applicable", "none", "nil", "null",
    "no answer", "not stated", "not specified", "unspecified", "unknown", "not known",
})
# "None" to "How many mentees could you take?" means no mentees, not "no answer": capacity reads it itself.
_NOT_NON_ANSWERS = {"capacity": {"none", "nil"}}
# Consent must be a clear yes or no: a non-answer there stays a problem with the row.
_NO_NON_ANSWERS = {"consent"}


# Names, ids and free text are kept as written ("Nil" and "Na" are names; a note may be "-").
_WORDS_MEAN_SOMETHING = {"id", "text"}


@lru_cache(maxsize=65536)  # a roster asks about the same few answers ("Sales", "Yes") thousands of times
def non_answer(text: str, field: str | None = None) -> bool:
    """Whether a cell says nothing: "Prefer not to say", "N/A", "-", "None", "Rather not say", "?" ...

    Blank cells are not non-answers (they are simply blank). ``field`` leaves out the words that
    mean something for that field ("None" mentees; "Nil", a name) and fields that need a clear
    answer (consent).
    """
    if field in _NO_NON_ANSWERS or not text or not text.strip():
        return False
    if field in schema.FIELD_NAMES and schema.field(field).kind in _WORDS_MEAN_SOMETHING:
        return False
    if all(unicodedata.category(character)[0] in "PZ" for character in text.strip()):
        return True  # only punctuation: "-", "--", "?", "..."
    key = schema.normalise_header(text)
    return key in NON_ANSWERS and key not in _NOT_NON_ANSWERS.get(field or "", set())


class CellProblem(ValueError):
    """A cell that cannot be parsed; carries the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


_YES = {"yes", "y", "true", "t", "1", "x", "ok", "agree", "i agree", "i consent", "consent", "oui", "si", "ja",
        "yes please", "willing", "\u2713", "\u2714", "checked", "on"}


_NO = {"no", "n", "false", "f", "0", "disagree", "i do not agree", "no thanks", "not willing", "non", "nein",
       "unchecked", "off", "do not consent", "i do not consent"}


_MAYBE = {"maybe", "maybe later", "not sure", "unsure", "don t know", "dont know", "perhaps", "possibly", "tbc",
          "not yet", "undecided"}


def parse_bool(text: str, *, allow_unsure: bool = True) -> bool | None:
    """Yes/no answers in their many spellings.

    "Maybe" and "Not sure" count as not answered (None) when ``allow_unsure``; consent
    needs a clear answer, so it is parsed with ``allow_unsure=False``.
    """
    key = schema.normalise_header(text) if text not in ("\u2713", "\u2714") else text
    if not key:
        return None
    if key in _MAYBE:
        if allow_unsure:
            return None
        raise CellProblem("not a clear yes/no answer", 'write "Yes" or "No"; only a clear yes counts as consent')
    if key in _YES or key.startswith("yes "):
        return True
    if key in _NO or key.startswith("no "):
        return False
    raise CellProblem("not a yes/no answer", 'write "Yes" or "No" (or leave it blank)')


_LIST_SPLIT = re.compile(r"\s*(?:;|\||\n|,(?!\d{3}\b))\s*")


def split_list(text: str) -> list[str]:
    """Split a multi-select cell: "Python; SQL", "Python, SQL", "Python;SQL;" (Microsoft Forms)."""
    items, seen = [], set()
    for item in _LIST_SPLIT.split(text):
        item = re.sub(r"\s+", " ", item).strip(" .")
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


def parse_number(text: str) -> float | None:
    key = text.strip().lower()
    if not key:
        return None
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:years?|yrs?|y)?", key)
    if not match:
        raise CellProblem("not a number", "write a number such as 3 or 2.5")
    return float(match.group(1).replace(",", "."))


_EMAIL = re.compile(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def parse_email(text: str) -> str | None:
    value = text.strip()
    if not value:
        return None
    angle = re.search(r"<([^<>]+)>", value)
    if angle:
        value = angle.group(1)
    value = value.removeprefix("mailto:").strip().lower()
    if not _EMAIL.match(value):
        raise CellProblem("not a valid email address", "correct it so it looks like name@company.com")
    return value


_TZ_ABBREVIATIONS = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "bst": "Europe/London", "uk": "Europe/London",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "ist": "Asia/Kolkata", "india": "Asia/Kolkata",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "wet": "Europe/Lisbon", "eet": "Europe/Athens",
    "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
    "hst": "Pacific/Honolulu", "est5edt": "America/New_York", "cst6cdt": "America/Chicago",
    "mst7mdt": "America/Denver", "pst8pdt": "America/Los_Angeles", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland", "brt": "America/Sao_Paulo",
    "sast": "Africa/Johannesburg", "gst": "Asia/Dubai", "bengaluru": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "new york": "America/New_York",
    "san francisco": "America/Los_Angeles", "boston": "America/New_York", "washington": "America/New_York",
    "beijing": "Asia/Shanghai", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "milan": "Europe/Rome", "barcelona": "Europe/Madrid", "geneva": "Europe/Zurich", "cape town": "Africa/Johannesburg",
    "ho chi minh city": "Asia/Ho_Chi_Minh", "seattle": "America/Los_Angeles", "austin": "America/Chicago",
    # Windows / Outlook zone names: "(UTC-05:00) Eastern Time (US & Canada)".
    "eastern time": "America/New_York", "central time": "America/Chicago", "mountain time": "America/Denver",
    "pacific time": "America/Los_Angeles", "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
    "atlantic time": "America/Halifax", "arizona": "America/Phoenix",
}


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    import zoneinfo

    names = {}
    for name in sorted(zoneinfo.available_timezones()):
        names[name.lower()] = name
    # City names: "London" -> Europe/London, when the city is unique.
    cities: dict[str, list[str]] = {}
    for name in names.values():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right")):
            cities.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), []).append(name)
    for city, zones in cities.items():
        # A city beats a legacy alias of the same name: "Singapore" -> Asia/Singapore.
        if len(zones) == 1 and (city not in names or "/" not in names[city]):
            names[city] = zones[0]
    return names


_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$")


@lru_cache(maxsize=4096)
def parse_timezone(text: str) -> str | None:
    """An IANA time zone name, or ``UTC+05:30`` for a fixed offset.

    Accepts IANA names in any case, city names ("London"), common abbreviations
    ("EST", "IST", "CET"), offsets ("UTC+5:30", "GMT-5", "+01:00") and Outlook's
    "(UTC-05:00) Eastern Time (US & Canada)".
    """
    value = text.strip()
    if not value:
        return None
    names = _zone_names()
    outlook = re.match(r"^\((?:utc|gmt)\s*([+\-\u2212]\d{1,2}:?\d{2})?\)\s*(.*)$", value, re.IGNORECASE)
    if outlook:
        offset, rest = outlook.groups()
        for part in re.split(r"[,/&()]", rest):
            candidate = part.strip().lower()
            if candidate in names:
                return names[candidate]
            if candidate in _TZ_ABBREVIATIONS:
                return _TZ_ABBREVIATIONS[candidate]
        value = f"UTC{offset}" if offset else "UTC"
    key = value.lower().replace(" ", "_")
    # "EST", "MST" are legacy zone names with no daylight saving; people who write them mean the region.
    if key in ("est", "mst", "hst", "est5edt", "cst6cdt", "mst7mdt", "pst8pdt"):
        return _TZ_ABBREVIATIONS.get(key, names[key])
    if key in names:
        return names[key]
    spaced = value.lower().replace("_", " ")
    if spaced in names:
        return names[spaced]
    if spaced in _TZ_ABBREVIATIONS:
        return _TZ_ABBREVIATIONS[spaced]
    compact = spaced.replace(" ", "")
    match = _OFFSET.match(compact)
    if match:
        sign, hours, minutes = match.groups()
        hours_value, minutes_value = int(hours), int(minutes or 0)
        if hours_value > 14 or minutes_value not in (0, 15, 30, 45):
            raise CellProblem("not a valid UTC offset", "offsets run from UTC-12:00 to UTC+14:00")
        if hours_value == 0 and minutes_value == 0:
            return "UTC"
        symbol = "-" if sign in "-\u2212" else "+"
        return f"UTC{symbol}{hours_value:02d}:{minutes_value:02d}"
    suggestion = did_you_mean(value, list(names.values()) + [k.title() for k in _TZ_ABBREVIATIONS], cutoff=0.7)
    raise CellProblem(
        "not a time zone the toolkit knows" + (f" ({suggestion.strip()})" if suggestion else ""),
        "use a time zone name such as Europe/London or America/New_York, or an offset such as UTC+5:30",
    )


def utc_offset_hours(zone: str | None, when: dt.date | None = None) -> float | None:
    """Hours ahead of UTC for a time zone returned by :func:`parse_timezone`, on a date."""
    if zone is None or zone != zone:  # None or NaN
        return None
    if zone.startswith("UTC") and len(zone) > 3:
        sign = -1 if zone[3] == "-" else 1
        hours, minutes = zone[4:].split(":")
        return sign * (int(hours) + int(minutes) / 60)
    import zoneinfo

    when = when or dt.date.today()
    moment = dt.datetime(when.year, when.month, when.day, 12, tzinfo=zoneinfo.ZoneInfo(zone))
    return moment.utcoffset().total_seconds() / 3600  # type: ignore[union-attr]


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


_DAY_WORDS = {
    "mon": 0, "monday": 0, "mondays": 0, "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "wednesdays": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3, "fri": 4,
    "friday": 4, "fridays": 4, "sat": 5, "saturday": 5, "saturdays": 5, "sun": 6, "sunday": 6, "sundays": 6,
}


_PERIODS = {"am": (9 * 60, 12 * 60), "morning": (9 * 60, 12 * 60), "mornings": (9 * 60, 12 * 60),
            "lunch": (12 * 60, 13 * 60), "lunchtime": (12 * 60, 13 * 60), "pm": (13 * 60, 17 * 60),
            "afternoon": (13 * 60, 17 * 60), "afternoons": (13 * 60, 17 * 60), "evening": (17 * 60, 20 * 60),
            "evenings": (17 * 60, 20 * 60), "all day": (9 * 60, 17 * 60), "any time": (9 * 60, 17 * 60)}


_ANYTIME = {"any", "anytime", "any time", "flexible", "fully flexible", "working hours", "office hours",
            "weekdays", "any weekday", "business hours"}


_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?"


_RANGE = re.compile(rf"^{_TIME}\s*(?:-|\u2013|\u2014|to|until)\s*{_TIME}$")


def _minutes(hours: str, minutes: str | None, meridiem: str | None, other_meridiem: str | None = None) -> int:
    hour = int(hours)
    meridiem = meridiem or other_meridiem
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    return hour * 60 + int(minutes or 0)


def _format_window(day: int, start: int, end: int) -> str:
    return f"{DAYS[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def parse_availability(text: str) -> list[str]:
    """Weekly windows in local time, canonical as ``"Mon 09:00-11:00"``.

    Accepts "Mon 09:00-11:00; Wed 2pm-4pm", "Tue AM; Thu PM", "Mon/Wed 14-16",
    "Weekdays 9-17", "Anytime".
    """
    windows: list[str] = []
    for part in re.split(r"\s*[;\n|]\s*|,\s*(?=[A-Za-z])", text.strip()):
        if not part:
            continue
        windows.extend(_parse_window(part))
    unique = sorted(set(windows), key=lambda window: (DAYS.index(window[:3]), window[4:]))
    return unique


def _parse_window(part: str) -> list[str]:
    """One availability window as typed ("Mon/Wed 14-16", "Tue AM", "weekdays") as ``Day HH:MM-HH:MM`` windows."""
    key = re.sub(r"\s+", " ", part.strip().lower()).strip(" .")
    if key in _ANYTIME:
        return [_format_window(day, 9 * 60, 17 * 60) for day in range(5)]
    match = re.match(r"^([a-z]+(?:\s*(?:/|&|and|-|\u2013)\s*[a-z]+)*)\s*(.*)$", key)
    if not match:
        raise CellProblem("availability not understood", 'write windows like "Mon 09:00-11:00; Thu PM"')
    days, time_text = _window_days(match.group(1), match.group(2).strip(), part)
    start, end = _window_minutes(time_text, part)
    return [_format_window(day, start, end) for day in days]


def _window_days(day_text: str, time_text: str, part: str) -> tuple[list[int], str]:
    """The days a window names (0 = Monday) and its time text: a period alone ("AM") means weekdays."""
    if day_text in ("weekdays", "weekday", "mon-fri", "monday-friday", "every day", "daily"):
        return list(range(5)), time_text
    range_match = re.fullmatch(r"([a-z]+)\s*(?:-|\u2013|to)\s*([a-z]+)", day_text)
    if range_match and range_match.group(1) in _DAY_WORDS and range_match.group(2) in _DAY_WORDS:
        first, last = _DAY_WORDS[range_match.group(1)], _DAY_WORDS[range_match.group(2)]
        return list(range(first, last + 1)), time_text
    words = [word for word in re.split(r"\s*(?:/|&|and|,)\s*", day_text) if word]
    if words and all(word in _DAY_WORDS for word in words):
        return [_DAY_WORDS[word] for word in words], time_text
    if day_text in _PERIODS or day_text in _ANYTIME:
        return list(range(5)), time_text or day_text
    raise CellProblem(f'"{part}" does not start with a day', 'write windows like "Mon 09:00-11:00; Thu PM"')


def _window_minutes(time_text: str, part: str) -> tuple[int, int]:
    """A window's start and end in minutes after midnight: a period ("PM", "all day") or a time range."""
    if not time_text or time_text in ("all day", "any time", "anytime"):
        return _PERIODS["all day"]
    if time_text in _PERIODS:
        return _PERIODS[time_text]
    range_match = _RANGE.match(time_text.replace(" ", "") if "to" not in time_text else time_text)
    if not range_match:
        raise CellProblem(f'the time range in "{part}" is not understood',
                          'write times like "09:00-11:00", "9am-11am" or "AM"/"PM"')
    start = _minutes(range_match.group(1), range_match.group(2), range_match.group(3), range_match.group(6))
    end = _minutes(range_match.group(4), range_match.group(5), range_match.group(6))
    if end == 0:
        end = 24 * 60
    if not (0 <= start < end <= 24 * 60):
        raise CellProblem(f'the window "{part}" ends before it starts or runs past midnight',
                          "give a start time before the end time, within one day")
    return start, end


_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")


_SLASH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ ,T].*)?$")


#: How a client writes dates, set with ``date_format:`` in client.yaml: day first, month first, or year first.
DATE_FORMATS = ("DMY", "MDY", "YMD")

#: Years a programme date can plausibly fall in; anything else (1900 from an empty Excel date, 9999 as
#: "no end") is refused with the row named rather than carried into plans and reports.
DATE_YEARS = (1950, 2100)

_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_DAY_MONTH_YEAR = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/]+{_MONTH}[\s\-/,]+(\d{{4}})$",
                             re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"^{_WEEKDAY}{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"^{_MONTH}[\s\-/,]+(\d{{2,4}})$|^(\d{{1,2}})[/.\-](\d{{4}})$", re.IGNORECASE)

_DATE_FORMAT_FIX = ('add date_format: DMY (day first, 03/04/2026 = 3 April) or date_format: MDY (month first) to '
                    'client.yaml, or write the date as YYYY-MM-DD')


def date_order(values: Iterable[str], date_format: str | None = None) -> str:
    """DMY or MDY for a column of slashed dates.

    The client's ``date_format`` decides when given; otherwise a day above 12 in either place
    decides. A column whose slashed dates could be read both ways (03/04/2026) and that nothing
    decides gives ``""``: :func:`parse_date` then refuses those dates and asks for ``date_format``.
    """
    if date_format:
        return "DMY" if date_format == "YMD" else date_format
    first_above, second_above, ambiguous = False, False, False
    for value in values:
        match = _SLASH_DATE.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            first_above |= first > 12
            second_above |= second > 12
            ambiguous |= first <= 12 and second <= 12 and first != second
    if second_above and not first_above:
        return "MDY"
    if first_above and not second_above:
        return "DMY"
    return "" if ambiguous else "DMY"


def parse_date(text: str, order: str = "DMY") -> dt.date | None:
    """A date as people type it: ISO (2026-03-02), slashed in the column's ``order`` (DMY or MDY; ``""``
    when undecided, which refuses 03/04/2026), or with the month in words (2 March 2026, March 2, 2026).

    A month without a day ("March 2026") and years outside :data:`DATE_YEARS` are refused.
    """
    value = " ".join(text.split())
    if not value:
        return None
    try:
        match = _ISO_DATE.match(value)
        if match:
            return _plausible(dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        match = _SLASH_DATE.match(value)
        if match:
            first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if len(match.group(3)) == 3:
                raise ValueError("three-digit year")
            year += 2000 if year < 100 else 0
            if not order and first <= 12 and second <= 12 and first != second:
                raise CellProblem(
                    f"{value} could be {_spoken(first, second, year)} or {_spoken(second, first, year)}, and no "
                    "date in the column settles which", _DATE_FORMAT_FIX)
            day, month = (second, first) if order == "MDY" else (first, second)
            return _plausible(dt.date(year, month, day))
        match = _DAY_MONTH_YEAR.match(value)
        if match:
            return _plausible(dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))))
        match = _MONTH_DAY_YEAR.match(value)
        if match:
            return _plausible(dt.date(int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2))))
        if _MONTH_YEAR.match(value):
            raise CellProblem("a month without a day; the toolkit will not guess which day",
                              "write the full date as YYYY-MM-DD, e.g. 2026-03-02")
    except CellProblem:
        raise
    except (ValueError, OverflowError):
        pass
    raise CellProblem("not a date", "write the date as YYYY-MM-DD, e.g. 2027-03-01")


def _plausible(date: dt.date) -> dt.date:
    low, high = DATE_YEARS
    if not low <= date.year <= high:
        raise CellProblem(f"the year {date.year} is not a plausible programme date (between {low} and {high})",
                          "check the cell: an empty Excel date shows as 1900, and 9999 often means \"no date\"; "
                          "leave it blank or write the real date as YYYY-MM-DD")
    return date


def _spoken(day: int, month: int, year: int) -> str:
    return f"{day} {dt.date(2000, month, 1).strftime('%B')} {year}"


_LANGUAGE_CODES = {
    "en": "English", "eng": "English", "es": "Spanish", "spa": "Spanish", "espanol": "Spanish", "fr": "French",
    "fra": "French", "francais": "French", "de": "German", "deu": "German", "deutsch": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "hi": "Hindi", "zh": "Mandarin", "chinese": "Mandarin",
    "mandarin chinese": "Mandarin", "ms": "Malay", "bahasa": "Malay", "bahasa melayu": "Malay", "ta": "Tamil",
    "ar": "Arabic", "ja": "Japanese", "ko": "Korean", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
}


def canonical_language(item: str) -> str:
    key = schema.normalise_header(item)
    return _LANGUAGE_CODES.get(key, item[:1].upper() + item[1:] if item.islower() else item)
