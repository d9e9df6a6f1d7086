"""What every report notebook starts from: the client's inputs (:class:`ReportContext`) and
display-ready :class:`Block` objects, plus the table and bullet helpers all sections use.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..client import ClientConfig, load_client
from ..errors import ConfigError
from ..files import shared_terms, withhold_terms
from ..html_table import frame_html
from ..images import image_type, logo_problem
from ..labels import labelled
from ..labels import money as format_money
from .audit import record
from .releases import protected_readiness, release_of
from .runner import REPORTS

if TYPE_CHECKING:
    from ..design.model import ProgramDesign
    from ..ledger import Release
    from ..matching.readiness import Readiness
    from ..roster import Roster
    from ..rounds import Round

T = TypeVar("T")

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
    problem = logo_problem(path)  # checked again here: the file may have changed since client.yaml was read
    if problem:
        raise ConfigError(f"branding.logo: {problem}.", fix="save the logo as a PNG, JPEG or SVG image under 1 MB",
                          path=path)
    return f"data:{image_type(path)};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def bullets_html(items: Iterable[str]) -> str:
    """Items as an HTML bullet list, each escaped."""
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


@dataclass
class ReportContext:
    """One client's inputs, loaded once for a report notebook.

    What the sections make once per report run (this run's release and the readiness decided in it, the
    match the matching report describes, the standards assessment) is kept with :meth:`once` and read back
    with :meth:`made`; nothing outside the class reads its private fields.
    """

    config: ClientConfig
    roster: Roster
    design: ProgramDesign
    #: The matching report's round: the client's adopted match (:func:`toolkit.rounds.current_round`), or
    #: None when nothing is adopted yet and the report proposes a match.
    adopted_round: Round | None = None
    _made: dict[str, Any] = field(default_factory=dict, repr=False)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """What ``make()`` returns, made the first time a section asks for ``key`` and kept for the report run."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def made(self, key: str) -> Any:
        """What :meth:`once` made for ``key`` so far, or None (the appendix describes the match only if a section
        made it)."""
        return self._made.get(key)

    def keep(self, key: str, value: T) -> T:
        """Keep ``value`` as what the report made for ``key`` (a match solved before the report, a test's)."""
        self._made[key] = value
        return value

    @property
    def release(self) -> Release:
        """This report run's release (:func:`toolkit.reports.releases.release_of`): every table it publishes is
        decided against the client's release ledger."""
        return release_of(self)

    @property
    def readiness(self) -> Readiness:
        """The client's readiness with its department and site tables decided in this report's release."""
        return self.once("readiness", lambda: protected_readiness(self))

    @property
    def min_group(self) -> int:
        return int(self.config.privacy["min_group"])

    @cached_property
    def own_words(self) -> set[str]:
        """Skills and goals fewer than ``privacy.min_group`` people wrote: a person's own words, which a client
        report counts but never quotes beside a name (the rest are the programme's shared vocabulary)."""
        people = self.roster.participants
        columns = [column for column in ("skills_offered", "skills_sought", "goals") if column in people]
        lists = [[term for column in columns for term in (row[column] or ())] for _, row in people.iterrows()]
        shared = {term.casefold() for term in shared_terms(lists, self.min_group)}
        return {str(term) for terms in lists for term in terms if str(term).casefold() not in shared}

    def stalled_by_pair(self, stalled: pd.DataFrame) -> pd.DataFrame:
        """Stalled goals as a client report shows them: the pair by name, the goal library's theme, the status
        and why it stalled; never the goal's own words (they may hold names, contact details, private matters)."""
        from ..goals.library import load_goal_library

        themes = {key.casefold(): theme.name for key, theme in load_goal_library().themes.items()}
        themes |= {theme.casefold(): theme for theme in themes.values()}
        percent = stalled["percent_complete"] if "percent_complete" in stalled else pd.Series(float("nan"),
                                                                                               index=stalled.index)
        return pd.DataFrame({
            "pair": [f"{self.person(first)} and {self.person(second)}" if second == second and second else
                     self.person(first) for first, second in zip(stalled["participant_id"], stalled["partner_id"])],
            "theme": [themes.get(str(theme).casefold(), "other") if theme == theme and theme else ""
                      for theme in stalled.get("theme", pd.Series("", index=stalled.index))],
            "status": stalled["status"].astype(str).str.replace("_", " ").to_numpy(),
            "percent_complete": [f"{value:.0f}%" if value == value else "" for value in percent],
            "why stalled": stalled["stalled_reason"].to_numpy(),
        })

    def person(self, participant_id: object) -> str:
        """A participant's name as reports show it (the id when the roster does not know them)."""
        try:
            return self.roster.display_name(str(participant_id))
        except KeyError:
            return str(participant_id)

    def in_shared_words(self, text: object) -> str:
        """``text`` (a reason, a suggestion, a list of skills) with :attr:`own_words` withheld."""
        return withhold_terms(text, self.own_words, "a skill or goal few people named")

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
