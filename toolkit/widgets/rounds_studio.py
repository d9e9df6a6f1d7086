"""The rounds studio: a shortlist round (mentee choice) and a no-fault re-match, in two tabs.

State lives in :class:`RoundsModel` (traitlets only, no ipywidgets); :class:`RoundsStudio` is the
view. In a notebook::

    app = RoundsStudio.from_client("sample_data/northwind/client.yaml")
    app

Tab 1 makes the shortlists (k suggestions per mentee), shows any mentee's card as they will see
it, and matches on the returned choices form with the share who got a first and a top-3 choice.
Tab 2 re-matches the people whose pair ended, keeping every active pair.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import traitlets

from ..client import load_client
from ..matching.choices import choice_outcomes, load_choices
from ..matching.engine import match
from ..matching.rematch import rematch
from ..matching.shortlists import shortlists
from ..measure.relationships import rematch_history
from ._base import STYLE, App, ErrorPanel, table_html

if TYPE_CHECKING:
    from ..design.model import ProgramDesign
    from ..roster import Roster

__all__ = ["RoundsModel", "RoundsStudio"]


class RoundsModel(traitlets.HasTraits):
    """The state of a shortlist round and a re-match (no ipywidgets here).

    Parameters
    ----------
    roster, design
        The programme (one-to-one).
    choices
        A :class:`~toolkit.matching.choices.Choices` already returned, if any.
    active, ended, leavers
        The programme's history for a re-match (see :func:`~toolkit.matching.rematch.rematch`).
    """

    k = traitlets.Int(3)
    mentee = traitlets.Unicode("")
    listed = traitlets.Any(None)
    choices = traitlets.Any(None)
    choice_match = traitlets.Any(None)
    outcome = traitlets.Dict()
    rematched = traitlets.Any(None)
    status = traitlets.Unicode("")

    def __init__(self, roster: Roster, design: ProgramDesign, *, choices=None, active=None, ended=None, leavers=(),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.roster, self.design = roster, design
        self.active, self.ended, self.leavers = active, ended, set(leavers)
        self.choices = choices

    # Shortlist round -----------------------------------------------------------------------------
    def make_shortlists(self) -> None:
        """Compute the shortlists for the current k (and pick the first mentee to show)."""
        self.listed = shortlists(self.roster, self.design, self.k).check()
        mentees = self.mentee_options()
        self.mentee = mentees[0][1] if mentees else ""
        self.status = self.listed.summary()

    def mentee_options(self) -> list[tuple[str, str]]:
        if self.listed is None:
            return []
        return [(f"{self.roster.display_name(mentee)} ({mentee})", mentee)
                for mentee in sorted(self.listed.table["mentee_id"].unique())]

    def card_html(self) -> str:
        """The selected mentee's suggestions as they will see them (their page, without the page frame)."""
        if self.listed is None or not self.mentee:
            return "<p class='tk-empty'>Make the shortlists to see a mentee's suggestions.</p>"
        page = self.listed.page(self.mentee, self.design.name)
        return page[page.index("<body>") + len("<body>"):page.index("</body>")]

    def read_choices(self, path: str | Path) -> None:
        """Read a returned choices form (every bad row is named in the error)."""
        self.choices = load_choices(path)
        self.status = (f"{self.choices.ranked['mentee_id'].nunique()} mentees ranked their suggestions in "
                       f"{Path(path).name}.")

    def match_on_choices(self) -> None:
        """Match on the ranks and measure the first-choice and top-3 shares."""
        if self.choices is None:
            raise traitlets.TraitError("Read a returned choices form first.")
        self.choice_match = match(self.roster, self.design, choices=self.choices).check()
        self.outcome = dict(choice_outcomes(self.choice_match))
        self.status = self.choice_match.summary()

    def shares_text(self) -> str:
        outcome = self.outcome
        if not outcome or not outcome.get("ranked"):
            return ""
        return (f"{outcome['first']} of {outcome['ranked']} mentees who ranked got their first choice "
                f"({outcome['first_share']:.0%}); {outcome['top3']} got one of their top three "
                f"({outcome['top3_share']:.0%}).")

    # Re-match ------------------------------------------------------------------------------------
    def run_rematch(self) -> None:
        """Re-match the people whose pair ended, new joiners and the reserve, keeping active pairs."""
        self.rematched = rematch(self.roster, self.design, active=self.active, ended=self.ended,
                                 leavers=self.leavers).check(self.roster, self.design)
        self.status = self.rematched.summary()


class RoundsStudio(App):
    """The rounds studio: a ``Tab`` view over a :class:`RoundsModel` (shortlist round | re-match)."""

    def __init__(self, roster: Roster, design: ProgramDesign, *, choices=None, active=None, ended=None, leavers=()) -> None:
        import ipywidgets as widgets

        self.model = model = RoundsModel(roster, design, choices=choices, active=active, ended=ended,
                                         leavers=leavers)
        self.errors = ErrorPanel()
        self.k = widgets.BoundedIntText(description="Suggestions", value=model.k, min=1, max=10)
        self.make = widgets.Button(description="Make shortlists", button_style="primary", icon="list")
        self.mentee = widgets.Dropdown(description="Mentee", options=[])
        self.card = widgets.HTML(model.card_html())
        self.path = widgets.Text(description="Choices form", placeholder="path to the returned form (.xlsx or .csv)")
        self.read = widgets.Button(description="Read choices", icon="upload")
        self.match = widgets.Button(description="Match on choices", button_style="primary", icon="check")
        self.shares = widgets.HTML()
        self.exposure = widgets.HTML()
        self.rematch = widgets.Button(description="Re-match", button_style="primary", icon="refresh")
        self.new_pairs = widgets.HTML()
        self.status = widgets.HTML()

        widgets.link((self.k, "value"), (model, "k"))
        self.mentee.observe(lambda change: setattr(model, "mentee", change["new"] or ""), "value")
        model.observe(lambda change: self._show_card(), "mentee")
        model.observe(lambda change: self._show_shortlists(), "listed")
        model.observe(lambda change: self._show_shares(), "outcome")
        model.observe(lambda change: self._show_rematch(), "rematched")
        model.observe(lambda change: self._show_status(), "status")
        self.make.on_click(self.errors.guard(lambda _: model.make_shortlists()))
        self.read.on_click(self.errors.guard(lambda _: model.read_choices(self.path.value)))
        self.match.on_click(self.errors.guard(lambda _: model.match_on_choices()))
        self.rematch.on_click(self.errors.guard(lambda _: model.run_rematch()))

        shortlist_tab = widgets.VBox([
            widgets.HBox([self.k, self.make]), self.exposure, self.mentee, self.card,
            widgets.HTML("<b>Returned choices</b>"), widgets.HBox([self.path, self.read, self.match]), self.shares])
        rematch_tab = widgets.VBox([
            widgets.HTML("<p class='tk-note'>Keeps every active pair, reduces each mentor's places by their active "
                         "pairs and never repeats a pair that existed.</p>"), self.rematch, self.new_pairs])
        self.tabs = widgets.Tab(children=[shortlist_tab, rematch_tab])
        self.tabs.set_title(0, "Shortlist round")
        self.tabs.set_title(1, "Re-match")
        self.view = widgets.VBox([widgets.HTML(STYLE + "<b>Rounds studio</b>"), self.tabs, self.status,
                                  self.errors.widget])

    @classmethod
    def from_client(cls, client_path: str | Path) -> RoundsStudio:
        """The studio for a client: its roster, design, returned choices (if any) and history."""
        config = load_client(client_path)
        choices = load_choices(config.get("choices")) if config.get("choices") else None
        history = rematch_history(config)  # the programme's timeline: rounds, status files, the pairs file
        return cls(config.roster(), config.design(), choices=choices, active=history["active"],
                   ended=history["ended"], leavers=set(history["away"]))  # left, paused or not yet joined

    # model -> view ------------------------------------------------------------------------------
    def _show_status(self) -> None:
        self.errors.clear()
        self.status.value = f"<p class='tk-note'>{html.escape(self.model.status)}</p>"

    def _show_shortlists(self) -> None:
        model = self.model
        self.mentee.options = model.mentee_options()
        if model.mentee:
            self.mentee.value = model.mentee
        listed = model.listed
        busiest = listed.exposure.sort_values(["shown", "mentor_id"], ascending=[False, True]).head(8)
        busiest = busiest.assign(mentor=[model.roster.display_name(m) for m in busiest["mentor_id"]])
        self.exposure.value = table_html(busiest[["mentor", "capacity", "shown", "limit"]],
                                         caption="Mentors shown most (never above k x their places)")

    def _show_card(self) -> None:
        self.card.value = self.model.card_html()

    def _show_shares(self) -> None:
        model = self.model
        text = model.shares_text()
        not_allowed = model.outcome.get("not_allowed", pd.DataFrame())
        extra = (table_html(not_allowed, caption="Ranked pairs the programme's rules exclude")
                 if len(not_allowed) else "")
        self.shares.value = f"<p class='tk-ok'>{html.escape(text)}</p>{extra}" if text else ""

    def _show_rematch(self) -> None:
        done = self.model.rematched
        roster = self.model.roster
        new = done.new_pairs.assign(mentee=[roster.display_name(m) for m in done.new_pairs["mentee_id"]],
                                    mentor=[roster.display_name(m) for m in done.new_pairs["mentor_id"]])
        self.new_pairs.value = (f"<p class='tk-ok'>{html.escape(done.summary())}</p>"
                                + table_html(new[["mentee", "mentor", "score"]], caption="New pairs"))
