"""Shortlists for mentee choice: up to k suggested mentors per mentee, computed by the optimiser.

A greedy "each mentee's k best mentors" would put the most attractive mentors on every list
and leave some mentees with nobody who can actually take them. Shortlists here are built in
two exact steps:

1. the programme's best match (``match(roster, design)``, certified optimal) puts each
   matched mentee's optimal mentor on their list, so the lists together always contain a
   complete best matching: whatever the best match inside the lists is, it is as large and
   as good as the best match without them (for a design that maximises the total score
   rather than participation, and k >= 2, a largest match goes on the lists too, so everyone
   who can be matched can be matched inside them);
2. the remaining places are filled by a second b-matching: each mentee asks for k minus
   what they already have, each mentor offers k x capacity minus what they already show,
   and the total score is maximised (``assign``). No mentor appears on more than
   k x capacity lists.

Each suggestion comes with a card: what the two share and why this mentor.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..criteria import CRITERIA_REGISTRY
from ..errors import MatchingError, Problem
from ..files import write_csv, write_excel, write_text
from ..paths import participant_file
from .candidates import build_candidates
from .engine import match
from .result import MatchResult
from .scoring import pair_facts
from .solver import assign

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["Shortlists", "shortlists", "FORM_COLUMNS"]

#: The choices form, in order: the mentee fills in Your rank; the programme team may add each mentor's
#: answer in Mentor rank (a number, or decline).
FORM_COLUMNS = ["Mentee ID", "Mentee", "Option", "Mentor ID", "Mentor", "Role", "Department", "Why this mentor",
                "Your rank", "Mentor rank"]



@dataclass
class Shortlists:
    """Up to k suggested mentors per mentee, with explanation cards.

    Attributes
    ----------
    table
        One row per suggestion: mentee_id, option (1..k, best score first), mentor_id, score,
        shared (what the two have in common), why (one sentence for the mentee).
    k
        The most suggestions per mentee.
    exposure
        Per mentor: lists they appear on (``shown``), their capacity and the limit k x capacity.
    best_match
        The certified best match the lists contain.
    not_listed
        Mentees with no suggestion, and why.
    seconds
        Wall time.
    """

    table: pd.DataFrame
    k: int
    exposure: pd.DataFrame
    best_match: MatchResult
    not_listed: pd.DataFrame
    roster: Roster = field(repr=False)
    design: ProgramDesign = field(repr=False)
    seconds: float = 0.0

    def for_mentee(self, mentee_id: str) -> pd.DataFrame:
        """One mentee's suggestions, in the order shown."""
        return self.table[self.table["mentee_id"] == mentee_id].reset_index(drop=True)

    def check(self) -> Shortlists:
        """Assert the invariants (at most k per mentee, exposure within k x capacity, the best match inside)."""
        problems = []
        per_mentee = self.table["mentee_id"].value_counts()
        problems += [f"mentee {m} has {n} suggestions, more than k = {self.k}" for m, n in per_mentee.items()
                     if n > self.k]
        over = self.exposure[self.exposure["shown"] > self.exposure["limit"]]
        problems += [f"mentor {row.mentor_id} is on {row.shown} lists, above {row.limit}" for row in over.itertuples()]
        listed = set(zip(self.table["mentee_id"], self.table["mentor_id"]))
        problems += [f"best pair {a} - {b} is not on the lists" for a, b in
                     zip(self.best_match.pairs["mentee_id"], self.best_match.pairs["mentor_id"]) if (a, b) not in listed]
        if self.table.duplicated(["mentee_id", "mentor_id"]).any():
            problems.append("a mentor is listed twice for one mentee")
        if problems:
            raise MatchingError(f"The shortlists break {len(problems)} of their invariants:",
                                problems=[Problem(text, "") for text in problems],
                                fix="report this as a bug, with the roster and design that produced it")
        return self

    def summary(self) -> str:
        listed = self.table["mentee_id"].nunique()
        mentees = listed + len(self.not_listed)
        full = int((self.table.groupby("mentee_id").size() == self.k).sum()) if len(self.table) else 0
        return (f"Shortlists for {listed} of {mentees} mentees ({full} with the full {self.k} suggestions); "
                f"{self.table['mentor_id'].nunique()} mentors suggested, none on more than {self.k} x their "
                f"capacity lists; the lists contain the best match ({len(self.best_match.pairs)} pairs).")

    def __repr__(self) -> str:
        return f"<Shortlists {self.summary()}>"

    # Outputs --------------------------------------------------------------------------------
    def form(self) -> pd.DataFrame:
        """The choices form: one row per suggestion, with an empty ``Your rank`` column to fill in."""
        roster = self.roster
        people = roster.participants.set_index("participant_id")
        rows = [{
            "Mentee ID": row.mentee_id, "Mentee": roster.display_name(row.mentee_id), "Option": int(row.option),
            "Mentor ID": row.mentor_id, "Mentor": roster.display_name(row.mentor_id),
            "Role": people.at[row.mentor_id, "job_title"] or "", "Department": people.at[row.mentor_id, "department"]
            or "", "Why this mentor": row.why, "Your rank": "", "Mentor rank": "",
        } for row in self.table.itertuples()]
        return pd.DataFrame(rows, columns=FORM_COLUMNS)

    def write_form(self, folder: str | Path) -> list[Path]:
        """Write the choices form as ``choices_form.xlsx`` (with a how-to sheet) and ``choices_form.csv``."""
        folder = Path(folder)
        form = self.form()
        how = pd.DataFrame({"How to fill in the choices form": [
            f"Each mentee sees up to {self.k} suggested mentors.",
            "In 'Your rank', write 1 for your first choice, 2 for your second, and so on.",
            "Leave a rank blank for a mentor you would rather not be matched with.",
            "Mentor rank (for the programme team): a mentor's own order of the mentees shown to them, or decline.",
            "Do not change the ID columns; return the file to the programme team.",
        ]})
        return [write_excel({"Choices": form, "How to fill in": how}, folder / "choices_form.xlsx"),
                write_csv(form, folder / "choices_form.csv")]

    def page(self, mentee_id: str, programme: str = "") -> str:
        """A personal HTML page for one mentee: their suggestions and cards, no one's contact details."""
        roster = self.roster
        people = roster.participants.set_index("participant_id")
        name = html.escape(roster.display_name(mentee_id))
        cards = []
        for row in self.for_mentee(mentee_id).itertuples():
            mentor = row.mentor_id
            detail = " · ".join(html.escape(str(value)) for value in (people.at[mentor, "job_title"],
                                                                   people.at[mentor, "department"],
                                                                   people.at[mentor, "site"]) if value)
            shared = "".join(f"<li>{html.escape(line)}</li>" for line in row.shared.split("\n") if line)
            cards.append(f"<section class='card'><h2>Option {row.option}: {html.escape(roster.display_name(mentor))}"
                         f"</h2><p class='detail'>{detail}</p><p>{html.escape(row.why)}</p>"
                         f"<ul>{shared}</ul></section>")
        body = "".join(cards) or "<p>We have no suggestion for you yet; the programme team will be in touch.</p>"
        title = f"Your suggested mentors{' — ' + html.escape(programme) if programme else ''}"
        return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" + title + "</title><style>"
                "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;color:#222;line-height:1.45}"
                ".card{border:1px solid #ccd;border-radius:8px;padding:0.8rem 1.2rem;margin:1rem 0}"
                ".detail{color:#555;margin-top:-0.6rem}</style></head><body>"
                f"<h1>{title}</h1><p>Dear {name}, here are up to {self.k} mentors we suggest for you. Each of them has "
                "a place in the programme and fits its rules for you. Rank them on the choices form (1 = first choice); "
                "the programme team "
                "matches everyone as close to their first choice as the places allow.</p>"
                f"{body}</body></html>")

    def write_pages(self, folder: str | Path, programme: str = "") -> list[Path]:
        """One HTML page per listed mentee, ``<folder>/<mentee_id>.html`` (an id that is not a plain file
        name, such as ``../../x``, gets a safe name with a hash of it: never a path outside ``folder``)."""
        folder = Path(folder)
        return [write_text(self.page(mentee, programme), participant_file(folder, mentee, ".html"))
                for mentee in sorted(self.table["mentee_id"].unique())]


def shortlists(roster: Roster, design: ProgramDesign, k: int = 3, *, required: Iterable[tuple[str, str]] = (),
               forbidden: Iterable[tuple[str, str]] = (), time_limit: float | None = None) -> Shortlists:
    """Up to ``k`` suggested mentors per mentee, each with an explanation card.

    Parameters
    ----------
    roster, design
        As for :func:`~toolkit.matching.match` (one-to-one designs).
    k
        Suggestions per mentee (at least 1).
    required, forbidden
        Pairs to pin or ban, as for ``match``.

    Returns
    -------
    Shortlists
        ``table`` (mentee_id, option, mentor_id, score, shared, why); no mentor on more than
        k x capacity lists; the certified best match is inside the lists.
    """
    clock = time.perf_counter()
    if int(k) != k or k < 1:
        raise MatchingError(f"k = {k!r} suggestions per mentee is not a whole number of 1 or more.",
                            fix="use k=3 (the usual), or any whole number of 1 or more")
    k = int(k)
    if design.shape != "one_to_one":
        raise MatchingError(f"Shortlists are for one-to-one programmes; this design makes {design.shape}.",
                            fix="use a one-to-one template (formal, reverse, virtual, informal)")
    forbidden = [(mentee, mentor) for mentee, mentor in forbidden]
    # Scored once, in participant-id order as match() numbers them, and shared by every solve below.
    found = build_candidates(roster, design, mentee_ids=sorted(roster.mentees["participant_id"]),
                             mentor_ids=sorted(roster.mentors["participant_id"]))
    best = match(roster, design, required=required, forbidden=forbidden, time_limit=time_limit, candidates=found)
    if best.status != "optimal":
        raise MatchingError(f"The best match could not be proven optimal ({best.status}); shortlists need it.",
                            fix="give the solver more time (time_limit=) or check the pins and quotas")
    mentee_ids, mentor_ids = np.asarray(found.mentee_ids), np.asarray(found.mentor_ids)
    edges = pd.DataFrame({"mentee_id": mentee_ids[found.rows] if len(found.rows) else [],
                          "mentor_id": mentor_ids[found.cols] if len(found.cols) else [], "score": found.scores})
    if design.rules.min_score is not None:
        edges = edges[edges["score"] >= design.rules.min_score]
    banned = set(forbidden)
    if banned:
        edges = edges[np.array([pair not in banned for pair in zip(edges["mentee_id"], edges["mentor_id"])], dtype=bool)]
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    chosen = best.pairs[["mentee_id", "mentor_id", "score"]]
    if design.objective != "max_participation" and k >= 2:
        # The best match may leave out people another match could place: put a largest match on
        # the lists too, so everyone who can be matched can be matched inside them.
        most = match(roster, design, required=required, forbidden=forbidden, objective="max_participation",
                     time_limit=time_limit, candidates=found)
        if most.status != "optimal":
            raise MatchingError(f"The largest match could not be proven optimal ({most.status}).",
                                fix="give the solver more time (time_limit=) or check the pins and quotas")
        chosen = pd.concat([chosen, most.pairs[["mentee_id", "mentor_id", "score"]]], ignore_index=True)
        chosen = chosen.drop_duplicates(["mentee_id", "mentor_id"], ignore_index=True)
    shown = chosen["mentor_id"].value_counts()
    have = chosen["mentee_id"].value_counts()
    taken = set(zip(chosen["mentee_id"], chosen["mentor_id"]))
    rest = edges[np.array([pair not in taken for pair in zip(edges["mentee_id"], edges["mentor_id"])], dtype=bool)]
    demand = {mentee: k - int(have.get(mentee, 0)) for mentee in rest["mentee_id"].unique()}
    places = {mentor: max(0, k * int(capacity.get(mentor, 0)) - int(shown.get(mentor, 0))) for mentor in capacity.index}
    fill = pd.DataFrame(columns=["mentee_id", "mentor_id", "score"])
    if len(rest) and any(places.values()):
        extra = assign(rest, places, demand=demand, objective="max_total", time_limit=time_limit)
        if extra.status != "optimal":
            raise MatchingError(f"Filling the shortlists stopped early ({extra.status}).",
                                fix="give the solver more time (time_limit=)")
        fill = extra.pairs
    listed = pd.concat([chosen, fill], ignore_index=True)
    listed = listed.sort_values(["mentee_id", "score", "mentor_id"], ascending=[True, False, True], ignore_index=True)
    listed["option"] = listed.groupby("mentee_id").cumcount() + 1
    cards = [_card(roster, design, mentee, mentor) for mentee, mentor in zip(listed["mentee_id"], listed["mentor_id"])]
    listed["shared"] = [shared for shared, _ in cards]
    listed["why"] = [why for _, why in cards]
    table = listed[["mentee_id", "option", "mentor_id", "score", "shared", "why"]].astype({"score": float})
    counts = table["mentor_id"].value_counts()
    exposure = pd.DataFrame({"mentor_id": capacity.index, "capacity": capacity.to_numpy(dtype=int)})
    exposure["shown"] = exposure["mentor_id"].map(counts).fillna(0).astype(int)
    exposure["limit"] = k * exposure["capacity"]
    not_listed = best.unmatched[(best.unmatched["role"] == "mentee")
                                & ~best.unmatched["participant_id"].isin(table["mentee_id"])]
    not_listed = not_listed[["participant_id", "reason", "suggestion"]].reset_index(drop=True)
    return Shortlists(table, k, exposure, best, not_listed, roster, design, time.perf_counter() - clock)


def _card(roster: Roster, design: ProgramDesign, mentee_id: str, mentor_id: str) -> tuple[str, str]:
    """What the two share (one line per active criterion, in the mentee's words) and why this mentor.

    The lines and the reason are the criteria registry's ``card`` and ``why`` templates filled with the
    pair's facts: the lines of criteria shown whatever their weight (a stated choice) first, then the
    active criteria in registry order; the reason is the first criterion with a ``why`` that has facts.
    """
    active = set(design.criteria.active())
    name = roster.display_name(mentor_id)
    found = pair_facts(roster, mentee_id, mentor_id)
    ordered = sorted(CRITERIA_REGISTRY, key=lambda criterion: not criterion.card_always)
    lines = [criterion.card.format(name=name, **found[criterion.name]) for criterion in ordered
             if criterion.card and criterion.name in found and (criterion.card_always or criterion.name in active)]
    why = next((criterion.why.format(name=name, **found[criterion.name]) for criterion in CRITERIA_REGISTRY
                if criterion.why and criterion.name in found), f"{name} fits the programme's rules for you and has a place.")
    return "\n".join(lines), why
