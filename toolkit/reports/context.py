"""What every report notebook starts from: the client's inputs (:class:`ReportContext`) and
display-ready :class:`Block` objects, plus the table and bullet helpers all sections use.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..client import ClientConfig, load_client
from ..html_table import frame_html
from ..labels import labelled
from ..labels import money as format_money
from ..matching.readiness import readiness as compute_readiness
from ..privacy import protect_readiness
from ..roster import MISSING_LABEL
from .audit import record
from .runner import REPORTS

__all__ = ["Block", "ReportContext", "prepare", "table_html", "bullets_html", "executive_page", "logo_data_uri"]


class Block:
    """A piece of report content: HTML in notebooks and reports, plain text elsewhere."""

    def __init__(self, html_text: str, text: str = "") -> None:
        self.html, self.text = html_text, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or re.sub(r"<[^>]+>", "", self.html)


def table_html(frame: pd.DataFrame, **options) -> str:
    """A DataFrame as an escaped HTML table with human column labels (:func:`toolkit.labels.label`).

    Whole numbers of 1,000 and more get thousands separators; see :func:`toolkit.html_table.frame_html`.
    """
    if frame is not None and len(frame):
        frame = labelled(frame)
        frame.columns = [str(column)[:1].upper() + str(column)[1:] for column in frame.columns]
        for column in frame.columns:
            if pd.api.types.is_integer_dtype(frame[column]) and frame[column].abs().max() >= 1000:
                frame[column] = [f"{value:,}" for value in frame[column]]
    caption = options.pop("caption", None)
    table = frame_html(frame, **options)
    if not table.startswith("<table"):
        return table  # "nothing to show"
    # The caption sits outside the box that scrolls, so on a phone it wraps to the screen, not to the table.
    label = f' aria-label="{html.escape(caption)}"' if caption else ""
    head = f'<figcaption class="tk-caption">{html.escape(caption)}</figcaption>' if caption else ""
    return (f'<figure class="tk-table-figure">{head}<div class="tk-table-box" role="region" tabindex="0"{label}>'
            f"{table}</div></figure>")


def executive_page(headline: str, happened: Iterable[str], means: Iterable[str], next_steps: Iterable[str]) -> Block:
    """The first page of a report: a headline, then what happened, what it means and what to do next.

    Every line should carry its number; the page is written for a reader with five minutes.
    """
    parts = [f'<section class="tk-exec"><p class="tk-verdict">{html.escape(headline)}</p>']
    text = [headline]
    for heading, items in (("What happened", happened), ("What it means", means), ("What to do next", next_steps)):
        items = [item for item in items if item]
        if items:
            parts.append(f"<h3>{heading}</h3>{bullets_html(items)}")
            text += [heading] + [f"- {item}" for item in items]
    parts.append("</section>")
    return Block("".join(parts), "\n".join(text))


def logo_data_uri(path: Path | None) -> str:
    """An image file as a ``data:`` URI, so the report shows the logo without fetching anything."""
    if not path:
        return ""
    path = Path(path)
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


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
    #: The matching report's round: the client's adopted match (:func:`toolkit.rounds.current_round`), or
    #: None when nothing is adopted yet and the report proposes a match.
    adopted_round: Any = None
    _standards: Any = None  # the standards report's assessment, made once

    @property
    def readiness(self):
        if self._readiness is None:
            self._readiness = protect_readiness(compute_readiness(self.roster, self.design),
                                                self.roster.participants, self.min_group, MISSING_LABEL)
        return self._readiness

    @property
    def min_group(self) -> int:
        return int(self.config.privacy["min_group"])

    @property
    def currency(self) -> str:
        return self.config.currency if self.config is not None else "GBP"

    def money(self, value: float | None) -> str:
        """An amount in the client's currency, with thousands separators."""
        return format_money(value, self.currency)

    def title(self, report: str) -> Block:
        """The report's heading: report, client, programme and dates."""
        design = self.design
        dates = ""
        if getattr(design, "start_date", None):
            dates = f"{design.start_date:%d %B %Y}" + (f" to {design.end_date:%d %B %Y}"
                                                         if getattr(design, "end_date", None) else "")
        brand = self.config.branding
        accent = brand["accent"]
        logo = logo_data_uri(brand["logo"])
        by = f" by {html.escape(brand['consultancy'])}" if brand["consultancy"] else ""
        heading = (f'<style>:root {{ --tk-accent: {accent}; }}</style>'
                   f'<header class="tk-report-head">'
                   + (f'<img class="tk-logo" alt="logo" src="{logo}">' if logo else "")
                   + f'<p class="tk-kicker">{html.escape(REPORTS[report]["title"])}'
                   f'</p><h1>{html.escape(self.config.name)}</h1><p class="tk-sub">{html.escape(design.name)}'
                   f"{' &middot; ' + html.escape(dates) if dates else ''}</p>"
                   f'<p class="tk-audience">For {html.escape(REPORTS[report].get("audience", "the programme team"))}'
                   f'. Confidential.</p><p class="tk-sub">Prepared{by} on {dt.date.today():%d %B %Y}.</p></header>')
        return Block(heading, f"{REPORTS[report]['title']}: {self.config.name}")


def prepare(client: str | Path) -> ReportContext:
    """Load a client for a report notebook and set charts to render offline as images."""
    import altair as alt

    alt.renderers.enable("png", scale_factor=2)
    config = load_client(client)
    context = ReportContext(config, config.roster(), config.design())
    record(client=config.name, programme=context.design.name, participants=len(context.roster))
    return context
