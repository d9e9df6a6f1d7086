"""What every report notebook starts from: the client's inputs (:class:`ReportContext`) and
display-ready :class:`Block` objects, plus the table and bullet helpers all sections use.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..client import ClientConfig, load_client
from ..html_table import frame_html
from ..matching.readiness import readiness as compute_readiness
from ..privacy import suppress
from ..roster import MISSING_LABEL
from .audit import record
from .runner import REPORTS

__all__ = ["Block", "ReportContext", "prepare", "table_html", "bullets_html", "protect_readiness"]


class Block:
    """A piece of report content: HTML in notebooks and reports, plain text elsewhere."""

    def __init__(self, html_text: str, text: str = "") -> None:
        self.html, self.text = html_text, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or re.sub(r"<[^>]+>", "", self.html)


def table_html(frame: pd.DataFrame, **options) -> str:
    """A DataFrame as an escaped HTML table (see :func:`toolkit.html_table.frame_html`)."""
    return frame_html(frame, **options)


def bullets_html(items: Iterable[str]) -> str:
    """Items as an HTML bullet list, each escaped."""
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


@dataclass
class ReportContext:
    """One client's inputs, loaded once for a report notebook."""

    config: ClientConfig
    roster: Any
    design: Any
    _readiness: Any = None
    _match: Any = None

    @property
    def readiness(self):
        if self._readiness is None:
            self._readiness = protect_readiness(compute_readiness(self.roster, self.design), self.roster,
                                                self.min_group)
        return self._readiness

    @property
    def min_group(self) -> int:
        return int(self.config.privacy["min_group"])

    def title(self, report: str) -> Block:
        """The report's heading: report, client, programme and dates."""
        design = self.design
        dates = ""
        if getattr(design, "start_date", None):
            dates = f"{design.start_date:%d %B %Y}" + (f" to {design.end_date:%d %B %Y}"
                                                         if getattr(design, "end_date", None) else "")
        heading = (f'<header class="tk-report-head"><p class="tk-kicker">{html.escape(REPORTS[report]["title"])}'
                   f'</p><h1>{html.escape(self.config.name)}</h1><p class="tk-sub">{html.escape(design.name)}'
                   f"{' &middot; ' + html.escape(dates) if dates else ''}</p>"
                   f'<p class="tk-sub">Prepared {dt.date.today():%d %B %Y}. Confidential: for the programme team.'
                   "</p></header>")
        return Block(heading, f"{REPORTS[report]['title']}: {self.config.name}")


def protect_readiness(readiness, roster, min_group: int):
    """``readiness`` with its department and site tables through the anonymity engine.

    A department or site is a group of people (mentees and mentors together, each person once);
    groups under ``min_group`` are hidden, and more where the report's totals (mentors, mentees,
    places) would give them away. Every section, chart and sentence of a report reads these
    tables, so none of them can name a hidden group. Skills are not suppressed: one person
    counts towards several skills and nobody is identified by the skills they ask for.
    """
    segments = dict(readiness.segments)
    for column in ("department", "site"):
        if column not in segments:
            continue
        table = segments[column]
        sizes = roster.participants[column].fillna(MISSING_LABEL).value_counts() \
            if column in roster.participants else pd.Series(dtype=int)
        counted = table.assign(_people=[int(sizes.get(value, 0)) for value in table[column]])
        counted["_people"] = counted[["_people", "mentees", "mentors"]].max(axis=1)
        shown = suppress(counted, "_people", min_group, linked=["mentees", "mentors"])
        segments[column] = shown.drop(columns="_people")
        segments[column].attrs.update(hidden=shown.attrs["hidden"], min_group=min_group)
    return replace(readiness, segments=segments)


def prepare(client: str | Path) -> ReportContext:
    """Load a client for a report notebook and set charts to render offline as images."""
    import altair as alt

    alt.renderers.enable("png", scale_factor=2)
    config = load_client(client)
    context = ReportContext(config, config.roster(), config.design())
    record(client=config.name, programme=context.design.name, participants=len(context.roster))
    return context
