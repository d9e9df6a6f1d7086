"""Words a client reads: one map from the toolkit's code names to human labels, and money.

Charts, report tables and summaries all take their column and axis names from :func:`label`,
so ``match_rate`` reads "Match rate" everywhere and a new name is added in one place::

    label("percent_complete")   # 'Percent complete'
    label("pulse_2026-08")      # 'Pulse survey, August 2026'
    money(824189, "GBP")        # '£824,189'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

import pandas as pd

from .criteria import CRITERIA_REGISTRY

__all__ = ["LABELS", "label", "labelled", "money", "CURRENCY_SYMBOLS", "duration"]

# code name -> what a client reads. Keep entries short: they are column headers and axis titles.
LABELS: dict[str, str] = {
    # matching and fairness (each criterion's heading comes from the criteria registry)
    **{criterion.name: criterion.heading for criterion in CRITERIA_REGISTRY},
    "match_rate": "Match rate",
    "mean_score": "Average match score",
    "score": "Match score",
    "matched": "Matched",
    "people": "People",
    "participants": "Participants",
    "same_department": "Same department",
    "mentee_id": "Mentee",
    "mentor_id": "Mentor",
    "participant_id": "Participant",
    "circle_id": "Circle",
    "circle_role": "Role in circle",
    "age_band": "Age band",
    "skills_offered": "Skills offered",
    "skills_wanted": "Skills wanted",
    "value_of_one_more_place": "Value of one more place",
    # engagement and goals
    "percent_complete": "Percent complete",
    "stalled_reason": "Why it stalled",
    "meetings": "Meetings",
    "minutes": "Minutes",
    "active_30_days": "Met in the last 30 days",
    "units_meeting": "Meeting this month",
    "suggested intervention": "What would help",
    "suggestion": "What would help",
    "reason": "Why",
    "evidence": "Evidence",
    "unit": "Pair or circle",
    "stage": "Stage",
    "count": "Count",
    "what it counts": "What it counts",
    # surveys and outcomes
    "construct": "Measure",
    "mean_pre": "Before",
    "mean_post": "After",
    "mean_change": "Change",
    "ci_low": "Interval low",
    "ci_high": "Interval high",
    "n": "People",
    "rate": "Rate",
    "outcome": "Outcome",
    "group": "Group",
    "retained": "Stayed with the organisation",
    "promoted": "Promoted",
    "participant": "Participants",
    "comparison": "Comparison group",
    "theme": "Theme",
    "comments": "Comments",
    "share": "Share",
    "tone": "Tone",
    # readiness
    "coverage": "Coverage",
    "places": "Mentor places",
    "mentees": "Mentees",
    "mentors": "Mentors",
    "department": "Department",
    "site": "Site",
    "skill": "Skill",
    "gender": "Gender",
    "eligible": "Eligible partners",
}

_MONTH = re.compile(r"^(?P<stem>[a-z_]+?)[_-](?P<year>\d{4})-(?P<month>\d{2})$")
_SURVEY_STEMS = {"pulse": "Pulse survey", "survey": "Survey"}


def label(name: object) -> str:
    """The human label for a code name: the map first, then a dated file stem, then words.

    ``match_rate`` -> "Match rate"; ``pulse_2026-08`` -> "Pulse survey, August 2026";
    an unknown ``snake_case_name`` -> "Snake case name". Text with spaces is kept as it is.
    """
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    dated = _MONTH.match(text)
    if dated:
        month = dt.date(int(dated["year"]), int(dated["month"]), 1)
        stem = _SURVEY_STEMS.get(dated["stem"], dated["stem"].replace("_", " ").capitalize())
        return f"{stem}, {month:%B %Y}"
    if "_" in text and " " not in text:
        words = text.replace("_", " ").strip()
        return words[:1].upper() + words[1:]
    return text


def labelled(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with its column names (or only ``columns``) turned into labels."""
    names = set(frame.columns if columns is None else columns)
    return frame.rename(columns={column: label(column) for column in frame.columns if column in names})


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "JPY": "¥",
                    "INR": "₹", "CHF": "CHF ", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "ZAR": "R"}


def money(value: float | None, currency: str = "GBP", *, decimals: int = 0) -> str:
    """An amount with its currency and thousands separators: ``money(-1234.5, "EUR")`` -> "-€1,235".

    Missing or infinite amounts read "n/a"; an unknown currency code is written before the number.
    """
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "n/a"
    code = str(currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} " if code else "")
    amount = f"{abs(float(value)):,.{decimals}f}"
    sign = "-" if round(float(value), decimals) < 0 else ""
    return f"{sign}{symbol}{amount}"


def duration(seconds: float | None) -> str:
    """A run time rounded for a reader: "under a second", "8 seconds", "2 minutes 5 seconds"."""
    if seconds is None or seconds != seconds:
        return "n/a"
    if seconds < 1:
        return "under a second"
    whole = int(round(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} second{'s' if rest != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}" + (f" {rest} second{'s' if rest != 1 else ''}"
                                                               if rest else "")
