"""The communications timeline: every message of the programme dated on a weekday inside its window
(``templates/messages/messages.yaml``), and as an iCalendar file to import into Outlook or Google."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

import pandas as pd

from ..files import clean_text
from ..resources import templates_dir
from ..safe_yaml import parse_yaml
from .context import has_match, kit_sources, message_context, programme_window, weekday_within
from .introductions import introduction_messages
from .templates import render

if TYPE_CHECKING:
    from ..matching.result import MatchResult
    from .context import KitSource

__all__ = ["communications_timeline", "to_icalendar", "new_calendar", "one_line"]


def communications_timeline(client: KitSource, *, pairs: MatchResult | None = None) -> pd.DataFrame:
    """The dated plan of messages, each with audience, channel, subject and the filled-in text.

    Parameters
    ----------
    client
        A client.yaml path, a loaded client, or a bare design (then generic wording is used).
    pairs
        A MatchResult (or the match as run) for the introduction count; by default the
        client's own pairs/circles file when it has one.
    """
    config, design, roster, readiness = kit_sources(client)
    start, end = programme_window(design)
    introductions = introduction_messages(config, pairs) if config is not None and (
        pairs is not None or has_match(config)) else pd.DataFrame()
    context = message_context(config, design, roster, readiness, len(introductions))
    spec = parse_yaml(templates_dir() / "messages" / "messages.yaml", what="messages file")["messages"]
    midpoint = start + (end - start) / 2
    rows = []
    for message in spec:
        if "day" in message:
            day = start + dt.timedelta(days=int(message["day"]))
        elif "from_end" in message:
            day = end - dt.timedelta(days=int(message["from_end"]))
        elif message["at"] == "midpoint":
            day = midpoint
        else:
            day = midpoint - dt.timedelta(days=int(message["at"].rsplit("_", 1)[1]))
        day = weekday_within(min(max(day, start), end), start, end)
        rows.append({"date": day, "id": message["id"], "message": message["title"], "audience": message["audience"],
                     "channel": message["channel"], "subject": render(message["subject"], context).strip(),
                     "text": render(message["body"], context).strip()})
    return pd.DataFrame(rows).sort_values(["date", "id"], kind="stable", ignore_index=True)




def _uid(calendar_name: str, row) -> str:
    """A stable UID: the same calendar name, message id and date always give the same UID."""
    return hashlib.sha256(f"{calendar_name}|{row.id}|{row.date}".encode()).hexdigest()[:24] + "@mentoring-toolkit"


def one_line(text: str) -> str:
    """A calendar name or event title: control characters out, line breaks as spaces (icalendar escapes the rest)."""
    return " ".join(clean_text(text).split())


def new_calendar(name: str, dates, *, product: str):
    """An empty iCalendar named ``name`` and its reproducible DTSTAMP: (calendar, stamp).

    DTSTAMP is midnight UTC on the earliest of ``dates`` (2000-01-01 when there are none), never the clock.
    """
    from icalendar import Calendar, vText

    first = min(dates) if len(dates) else dt.date(2000, 1, 1)
    stamp = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//mentoring-toolkit//{product}//EN")
    calendar.add("calscale", "GREGORIAN")
    # icalendar would write an X- property verbatim; as TEXT (RFC 5545 3.8.8.2) it is escaped.
    calendar.add("x-wr-calname", vText(one_line(name)))
    return calendar, stamp


def to_icalendar(timeline: pd.DataFrame, *, calendar_name: str = "Mentoring programme") -> str:
    """The timeline as an iCalendar file (one all-day event per message) to import into Outlook or Google.

    Built with the ``icalendar`` package (escaping and RFC 5545 line folding are its job).
    The output is reproducible: UIDs are hashes of the calendar name, message id and date,
    and DTSTAMP is midnight UTC on the earliest message date (2000-01-01 for an empty
    timeline), never the clock.
    """
    from icalendar import Event

    calendar, stamp = new_calendar(calendar_name, list(timeline["date"]), product="programme kit")
    for row in timeline.itertuples(index=False):
        event = Event()
        event.add("uid", _uid(calendar_name, row))
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        event.add("summary", one_line(f"{row.message}: {row.subject}"))
        event.add("description", clean_text(f"Audience: {row.audience}. Channel: {row.channel}.\n{row.text}"))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
