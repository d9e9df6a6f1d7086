"""Introductions: one message per pair or circle, ready for a mail merge, naming what the two have in
common and when to meet first (``templates/messages/introductions.j2``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ..client import ClientConfig
from ..errors import ConfigError
from ..goals.agreements import match_as_run
from ..programme import build_timeline
from ..programme.dates import first_meeting_due
from ..resources import templates_dir
from ..text import join_words
from .context import kit_sources, long_date, message_context, programme_window
from .templates import render

if TYPE_CHECKING:
    from ..matching.result import MatchResult
    from ..roster import Roster
    from .context import KitSource

__all__ = ["introduction_messages"]


def _shared(first, second) -> list[str]:
    wanted = {str(item).casefold(): str(item) for item in first or ()}
    return [wanted[str(item).casefold()] for item in second or () if str(item).casefold() in wanted]


def _in_common(roster: Roster, mentee: str, mentor: str) -> str:
    """Why two people were matched, in words for them: what the mentor can help with and the goals they share."""
    first, second = roster.get(mentee), roster.get(mentor)
    reasons = []
    skills = _shared(first["skills_sought"], second["skills_offered"])
    if skills:
        reasons.append(f"{roster.display_name(mentor)} can help with {join_words(skills)}, which "
                       f"{roster.display_name(mentee)} wants to develop")
    goals = _shared(first["goals"], second["goals"])
    if goals:
        reasons.append(f"you both named {join_words(goals)} as {'a goal' if len(goals) == 1 else 'goals'}")
    return "; ".join(reasons)


def _matched_dates(config: ClientConfig | None, matched_on: dt.date | str | dict | None) -> dict | dt.date | None:
    """When each pair or circle was matched: as given (a date, or id -> date), else from the programme's timeline."""
    if matched_on is not None:
        return matched_on if isinstance(matched_on, dict) else pd.Timestamp(matched_on).date()
    if config is None:
        return None
    units = build_timeline(config).units
    return {str(unit): day for unit, day in zip(units["unit_id"], units["matched_on"]) if day is not None}


def _first_meeting_by(unit: str, dates, start: dt.date, end: dt.date) -> str:
    """The first meeting's due day for one pair or circle: two weeks after its introduction (never before it existed)."""
    matched = dates.get(unit) if isinstance(dates, dict) else dates
    return long_date(first_meeting_due(matched or start, start, end))


def introduction_messages(client: KitSource, pairs: MatchResult | None = None, *,
                          matched_on: dt.date | str | dict | None = None) -> pd.DataFrame:
    """One introduction per pair or circle, ready for a mail merge.

    ``pairs`` is a MatchResult-shaped object (``.pairs``/``.circles``, ``.roster``); by default
    the client's adopted match (:func:`toolkit.goals.match_as_run`: the current round, else its
    pairs.csv / circles.csv). Each message asks for the first meeting two weeks after the pair's
    introduction (:func:`toolkit.programme.dates.first_meeting_due`), dated from the day it was
    matched: ``matched_on`` (a date, or pair or circle id -> date), else the programme's timeline
    (the round's adoption), never the programme's start for a pair matched later.

    Returns
    -------
    pandas.DataFrame
        Pairs: ``pair_id``, the name and email of each side (``mentee_name``, ``mentee_email``,
        ``mentor_name``, ``mentor_email``; ``person_``/``partner_`` for peer pairs), ``to``
        (both addresses, ``; ``-separated), ``subject`` and ``body``. Circles: ``circle_id``,
        ``names``, ``to``, ``subject``, ``body``. The body names people, never addresses.
    """

    config, design, roster, readiness = kit_sources(client)
    if pairs is not None:
        result = pairs
    elif config is not None:
        result = match_as_run(config)
    else:
        raise ConfigError("Introductions need the client's match, and only a design was given.",
                          fix="pass the client's client.yaml, or the match as pairs=")
    roster = result.roster
    context = message_context(config, design, roster, readiness, 0)
    start, end = programme_window(design)
    dates = _matched_dates(config, matched_on)
    template = (templates_dir() / "messages" / "introductions.j2").read_text(encoding="utf-8")
    people = roster.participants.set_index("participant_id")

    def name(person: str) -> str:
        return roster.display_name(person) if person in roster else str(person)

    def field(person: str, column: str) -> str:
        if person not in people.index or column not in people.columns:
            return ""
        value = people.at[person, column]
        return value if isinstance(value, str) else ""

    def email(person: str) -> str:
        return field(person, "email") or (str(person) if "@" in str(person) else "")

    rows = []
    if design.shape == "circles":
        circles = result.circles
        for circle_id, group in circles.groupby("circle_id", sort=True):
            facilitator = group.loc[group["circle_role"] == "facilitator", "participant_id"]
            members = group.loc[group["circle_role"] != "facilitator", "participant_id"]
            text = render(template, {**context, "circle_id": circle_id,
                                      "first_meeting_by": _first_meeting_by(str(circle_id), dates, start, end),
                                      "facilitator": name(facilitator.iloc[0]) if len(facilitator) else "your facilitator",
                                      "members": ", ".join(name(person) for person in members)})
            recipients = list(facilitator) + list(members)
            rows.append({"circle_id": circle_id, "names": "; ".join(name(person) for person in recipients),
                         "to": "; ".join(address for address in map(email, recipients) if address),
                         "subject": f"{design.name}: welcome to your circle", "body": text.strip()})
        return pd.DataFrame(rows, columns=["circle_id", "names", "to", "subject", "body"])
    first_word, second_word = ("mentee", "mentor") if design.shape == "one_to_one" else ("person", "partner")
    frame = result.pairs
    for pair in frame.itertuples(index=False):
        mentee, mentor = str(pair.mentee_id), str(pair.mentor_id)
        common = _in_common(roster, mentee, mentor) if mentee in roster and mentor in roster else ""
        roles = ("mentee", "mentor") if design.shape == "one_to_one" else ("peer", "peer")
        if design.kind == "reverse":
            roles = ("senior colleague", "reverse mentor")
        unit = str(getattr(pair, "pair_id", None) or f"{mentee}-{mentor}")
        text = render(template, {**context, "first": name(mentee), "second": name(mentor),
                                  "first_meeting_by": _first_meeting_by(unit, dates, start, end),
                                  "first_role": roles[0], "second_role": roles[1],
                                  "first_title": field(mentee, "job_title"), "second_title": field(mentor, "job_title"),
                                  "first_department": field(mentee, "department"),
                                  "second_department": field(mentor, "department"), "common": common})
        rows.append({"pair_id": unit, f"{first_word}_name": name(mentee), f"{first_word}_email": email(mentee),
                     f"{second_word}_name": name(mentor), f"{second_word}_email": email(mentor),
                     "to": "; ".join(address for address in (email(mentee), email(mentor)) if address),
                     "subject": f"{design.name}: meet your {context['partner_word']}", "body": text.strip()})
    return pd.DataFrame(rows, columns=["pair_id", f"{first_word}_name", f"{first_word}_email", f"{second_word}_name",
                                       f"{second_word}_email", "to", "subject", "body"])
