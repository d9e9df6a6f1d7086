"""What every report notebook starts from: the client's inputs (:class:`ReportContext`) and
display-ready :class:`Block` objects, plus the table and bullet helpers all sections use.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..client import ClientConfig, load_client
from ..html_table import frame_html
from ..matching.readiness import readiness as compute_readiness
from ..privacy import protect_readiness
from ..roster import MISSING_LABEL
from .audit import record
from .runner import REPORTS

__all__ = ["Block", "ReportContext", "prepare", "table_html", "bullets_html"]


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
            self._readiness = protect_readiness(compute_readiness(self.roster, self.design),
                                                self.roster.participants, self.min_group, MISSING_LABEL)
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


def prepare(client: str | Path) -> ReportContext:
    """Load a client for a report notebook and set charts to render offline as images."""
    import altair as alt

    alt.renderers.enable("png", scale_factor=2)
    config = load_client(client)
    context = ReportContext(config, config.roster(), config.design())
    record(client=config.name, programme=context.design.name, participants=len(context.roster))
    return context
