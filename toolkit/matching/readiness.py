"""Readiness: is a cohort ready to be matched under a design?

Mentor places against mentee demand, overall and by department, site and skill; who has no
or few eligible partners under the hard rules and why; missing data; a summary to paste into
an email. ``tk.readiness(roster, design)``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..design.model import ProgramDesign
from ..design.vocabulary import HARD_RULES
from ..roster import MISSING_LABEL, Roster
from ..text import have, join_words, percent, plural
from .rules import RULES, RuleContext

__all__ = ["Readiness", "readiness"]

@dataclass
class Readiness:
    """Capacity against demand, overall and by segment, and who is likely to stay unmatched.

    Attributes
    ----------
    overall : dict
        mentors, mentees, places (mentor capacity), demand (mentor places mentees need),
        coverage (places / demand), and for circles the facilitators and circles needed.
    segments : dict of DataFrame
        ``department``, ``site`` and ``skill``: mentees, mentors, places and coverage per value.
    eligibility : DataFrame
        Per mentee: eligible mentors under the design's hard rules, and how many each rule excludes.
    at_risk : DataFrame
        participant_id, name, reason, suggestion: mentees likely to stay unmatched.
    missing_data : DataFrame
        field, people missing it, why it matters for this design.
    mentee_ids, mentor_ids : tuple of str
        Who the segments count as mentees (places needed) and as mentors (places offered).
    """

    design_name: str
    shape: str
    overall: dict
    segments: dict[str, pd.DataFrame]
    eligibility: pd.DataFrame
    at_risk: pd.DataFrame
    missing_data: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    same_department_allowed: bool = True
    mentee_ids: tuple[str, ...] = ()
    mentor_ids: tuple[str, ...] = ()

    @classmethod
    def compute(cls, roster: Roster, design: ProgramDesign, *, reference_date=None) -> Readiness:
        shape = design.shape
        default_capacity, max_capacity = design.capacity.default, design.capacity.max
        notes: list[str] = []
        if shape == "peer_pairs":
            mentees = roster.participants
            mentors = roster.participants
            places = pd.Series(1, index=mentors["participant_id"].to_numpy())
            demand = len(mentees)
        elif shape == "circles":
            mentors = roster.facilitators()
            mentees = roster.participants[~roster.participants["participant_id"].isin(mentors["participant_id"])]
            assert design.circles is not None, "a circles design has its circle sizes (the design checker asks)"
            places = pd.Series(design.circles.max_size, index=mentors["participant_id"].to_numpy())
            demand = len(mentees)
        else:
            mentees, mentors = roster.mentees, roster.mentors
            places = roster.capacity(default_capacity, max_capacity)
            demand = len(mentees) * design.mentee_demand
            over = roster.capacity(default_capacity)
            capped = int((over > max_capacity).sum())
            if capped:
                notes.append(f"{plural(capped, 'mentor')} offered more than the programme's maximum of "
                             f"{max_capacity} mentees; their capacity is capped at {max_capacity}.")
            if design.criteria.get("meeting_mode", 0):
                notes += _in_person_notes(mentees, mentors, places)
        total_places = int(places.sum())
        overall = {
            "participants": len(roster),
            "mentors": int((roster.participants["role"] == "mentor").sum()),
            "mentees": int((roster.participants["role"] == "mentee").sum()),
            "both": int((roster.participants["role"] == "both").sum()),
            "places": total_places,
            "demand": int(demand),
            "coverage": total_places / demand if demand else float("nan"),
        }
        if shape == "circles":
            circles = design.circles
            assert circles is not None, "a circles design has its circle sizes (the design checker asks)"
            needed = math.ceil(len(mentees) / circles.max_size) if len(mentees) else 0
            overall.update(facilitators=len(mentors), circles_needed=needed,
                           circles_possible=min(len(mentors), len(mentees) // circles.min_size))
        if shape == "peer_pairs" and len(mentees) % 2:
            notes.append("The pool has an odd number of people, so one person cannot be paired "
                         "(consider one trio, or pairing them with the programme lead).")

        segments = {}
        place_of = places.to_dict()
        for column in ("department", "site"):
            segments[column] = _segment_table(mentees, mentors, column, place_of, design.mentee_demand)
        segments["skill"] = _skill_table(mentees, mentors, place_of)

        if shape == "circles":
            context = RuleContext.build(roster, design, mentee_ids=list(mentees["participant_id"]),
                                        mentor_ids=list(mentors["participant_id"]), reference_date=reference_date)
        else:
            context = RuleContext.build(roster, design, reference_date=reference_date)
        eligibility = context.exclusion_counts()
        at_risk = _at_risk(roster, eligibility, segments["skill"], RULES, design)
        missing = _missing_data(roster, design)
        return cls(design.name, shape, overall, segments, eligibility, at_risk, missing, notes,
                   same_department_allowed=not design.rules.exclude_same_department,
                   mentee_ids=tuple(map(str, mentees["participant_id"])),
                   mentor_ids=tuple(map(str, mentors["participant_id"])))

    # Presentation ------------------------------------------------------------------------
    def summary(self) -> str:
        """A plain-language paragraph a consultant can paste into an email."""
        o = self.overall
        sentences = []
        if self.shape == "circles":
            sentences.append(
                f"{plural(o['facilitators'], 'facilitator')} for {plural(o['demand'], 'member')}: "
                f"{plural(o['circles_needed'], 'circle')} of up to the maximum size are needed"
                + (", so there are enough facilitators." if o["facilitators"] >= o["circles_needed"]
                   else f", but only {o['facilitators']} can be led; recruit "
                        f"{plural(o['circles_needed'] - o['facilitators'], 'more facilitator')}.")
            )
        elif self.shape == "peer_pairs":
            sentences.append(f"{plural(o['participants'], 'person', 'people')} in the peer pool make "
                             f"{o['participants'] // 2} pairs.")
        else:
            shortfall = o["demand"] - o["places"]
            sentences.append(
                f"{plural(o['mentors'] + o['both'], 'mentor')} {'offers' if o['mentors'] + o['both'] == 1 else 'offer'} "
                f"{plural(o['places'], 'place')} for "
                f"{plural(o['mentees'] + o['both'], 'mentee')} (coverage {percent(o['coverage'])})."
            )
            if shortfall > 0:
                sentences.append(f"At least {plural(shortfall, 'mentee')} cannot be matched unless more mentors are "
                                 "recruited or mentors take more mentees.")
            else:
                sentences.append("There are enough places overall.")
            tight = self.segments["department"]
            tight = tight[(tight["coverage"] < 1) & (tight["mentees"] > 0)].sort_values("coverage")
            if len(tight) and self.same_department_allowed:
                listed = ", ".join(f"{row.department} ({plural(row.places, 'place')} for "
                                   f"{plural(row.mentees, 'mentee')})" for row in tight.head(3).itertuples())
                sentences.append(f"Departments with fewer mentor places than mentees (some of their mentees "
                                 f"will be matched across departments): {listed}.")
        skills = self.segments["skill"]
        scarce = skills[skills["mentees"] >= 3].sort_values(["coverage", "mentees"], ascending=[True, False])
        scarce = scarce[scarce["coverage"] < 1]
        if len(scarce):
            listed = ", ".join(f"{row.skill} ({row.mentees} want it, {row.mentors} offer it)"
                               for row in scarce.head(3).itertuples())
            sentences.append(f"Skills in short supply: {listed}.")
        no_one = self.at_risk[self.at_risk["eligible"] == 0] if len(self.at_risk) else self.at_risk
        if len(no_one):
            sentences.append(f"{plural(len(no_one), 'person', 'people')} {have(len(no_one))} no eligible partner under the "
                             f"programme's rules (see the at-risk list for why and what to change).")
        few = len(self.at_risk) - len(no_one)
        if few > 0:
            sentences.append(f"{plural(few, 'more person', 'more people')} {have(few)} very few eligible partners.")
        gaps = self.missing_data[self.missing_data["missing"] > 0]
        for row in gaps.itertuples():
            if row.missing == row.asked:  # a question the sign-up form did not ask, most likely
                sentences.append(f"The sign-ups have no {row.label} for anyone, so {row.why} (add the question "
                                 "to the sign-up form, or give it no weight in the design).")
            else:
                sentences.append(f"{plural(int(row.missing), 'person', 'people')} gave no {row.label}, "
                                 f"so {row.why}.")
        sentences += self.notes
        return " ".join(sentences)

    def __repr__(self) -> str:
        return f"<Readiness ({self.design_name}): {self.summary()}>"

    def _repr_html_(self) -> str:
        parts = [f"<h4>Readiness: {html.escape(self.design_name)}</h4>", f"<p>{html.escape(self.summary())}</p>"]
        for name, table in self.segments.items():
            parts.append(f"<details><summary>By {html.escape(name)}</summary>{table.to_html(index=False)}</details>")
        if len(self.at_risk):
            parts.append(f"<details><summary>At risk ({len(self.at_risk)})</summary>"
                         f"{self.at_risk.to_html(index=False)}</details>")
        return "\n".join(parts)


def _segment_table(mentees: pd.DataFrame, mentors: pd.DataFrame, column: str, place_of: dict, demand: int):
    mentee_groups = mentees[column].fillna(MISSING_LABEL).value_counts()
    mentor_values = mentors[column].fillna(MISSING_LABEL)
    mentor_groups = mentor_values.value_counts()
    places = mentors.assign(_places=mentors["participant_id"].map(place_of).fillna(0),
                            _key=mentor_values).groupby("_key")["_places"].sum()
    keys = sorted(set(mentee_groups.index) | set(mentor_groups.index))
    table = pd.DataFrame({
        column: keys,
        "mentees": [int(mentee_groups.get(key, 0)) for key in keys],
        "mentors": [int(mentor_groups.get(key, 0)) for key in keys],
        "places": [int(places.get(key, 0)) for key in keys],
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        table["coverage"] = table["places"] / (table["mentees"] * demand)
    return table


def _skill_table(mentees: pd.DataFrame, mentors: pd.DataFrame, place_of: dict) -> pd.DataFrame:
    sought = mentees.explode("skills_sought")["skills_sought"].dropna().value_counts()
    offering = mentors.explode("skills_offered")[["participant_id", "skills_offered"]].dropna()
    offered = offering["skills_offered"].value_counts()
    places = offering.assign(_places=offering["participant_id"].map(place_of).fillna(0)).groupby(
        "skills_offered")["_places"].sum()
    skills = sorted(set(sought.index) | set(offered.index), key=str.casefold)
    table = pd.DataFrame({
        "skill": skills,
        "mentees": [int(sought.get(skill, 0)) for skill in skills],
        "mentors": [int(offered.get(skill, 0)) for skill in skills],
        "places": [int(places.get(skill, 0)) for skill in skills],
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        table["coverage"] = table["places"] / table["mentees"]
    return table.sort_values(["mentees", "skill"], ascending=[False, True], ignore_index=True)


def _at_risk(roster: Roster, eligibility: pd.DataFrame, skills: pd.DataFrame, rules: dict,
             design: ProgramDesign) -> pd.DataFrame:
    columns = ["participant_id", "name", "eligible", "reason", "suggestion"]
    if eligibility.empty:
        return pd.DataFrame(columns=columns)
    rule_columns = [column for column in eligibility.columns if column in rules and column != "self"]
    unoffered = set(skills.loc[skills["mentors"] == 0, "skill"])
    records = []
    names = roster.participants.set_index("participant_id")["name"]
    sought = roster.participants.set_index("participant_id")["skills_sought"]
    for row in eligibility.itertuples(index=False):
        eligible = int(row.eligible)
        reasons = []
        if eligible <= 2:
            # Most exclusions first; on a tie the rule that cannot be relaxed is the one that binds.
            counts = sorted(((int(getattr(row, rule)), rule) for rule in rule_columns if getattr(row, rule)),
                            key=lambda item: (-item[0], BINDING_FIRST.get(item[1], len(BINDING_FIRST)), item[1]))
            parts = [f"{count} {rules[rule]}" for count, rule in counts[:3]]
            head = "no eligible partner" if eligible == 0 else f"only {plural(eligible, 'eligible partner')}"
            reasons.append(head + (": " + ", ".join(parts) if parts else ""))
            suggestion = _relax_suggestion(counts[0][1] if counts else None, design)
        missing_skills = [skill for skill in sought.get(row.participant_id, ()) if skill in unoffered]
        if missing_skills:
            reasons.append("nobody offers " + ", ".join(missing_skills))
        if not reasons:
            continue
        if eligible > 2:
            suggestion = f"recruit a mentor who offers {missing_skills[0]}"
        name = names.get(row.participant_id)
        records.append({"participant_id": row.participant_id,
                        "name": name if isinstance(name, str) else row.participant_id,
                        "eligible": eligible, "reason": "; ".join(reasons), "suggestion": suggestion})
    return pd.DataFrame(records, columns=columns).sort_values(["eligible", "participant_id"], ignore_index=True)


# Rules that cannot sensibly be relaxed come first when several exclude the same candidates.
BINDING_FIRST = {rule.name: rule.binding_order for rule in HARD_RULES if rule.binding_order is not None}
RELAX = {rule.name: rule.relax for rule in HARD_RULES if rule.relax}


def _relax_suggestion(rule: str | None, design: ProgramDesign) -> str:
    if rule is None:
        return "recruit more mentors"
    return RELAX.get(rule, "recruit more mentors")


def _missing_data(roster: Roster, design: ProgramDesign) -> pd.DataFrame:
    """Fields the design relies on that some participants left empty."""
    participants = roster.participants
    checks = []
    weights = design.criteria
    rules = design.rules
    if design.seniority.direction != "any" or weights.get("seniority", 0):
        checks.append(("seniority", "seniority level", "the seniority rule cannot be checked for them"))
    if rules.require_shared_language or weights.get("language", 0):
        checks.append(("languages", "languages", "shared language cannot be checked for them"))
    if rules.max_timezone_difference_hours is not None or weights.get("timezone", 0):
        checks.append(("timezone", "time zone", "time-zone overlap cannot be judged for them"))
    if rules.min_availability_overlap_hours is not None or weights.get("availability", 0):
        checks.append(("availability", "availability", "availability overlap cannot be judged for them"))
    if weights.get("skills", 0):
        checks.append(("skills_sought", "skills they want to develop (mentees)", "skills cannot guide their match"))
    records = []
    for column, label, why in checks:
        values = participants[column]
        if column == "skills_sought":
            values = roster.mentees[column]
        empty = values.map(lambda value: value is None or value == () or value != value)
        records.append({"field": column, "label": label, "missing": int(empty.sum()), "asked": len(values),
                        "why": why})
    return pd.DataFrame(records, columns=["field", "label", "missing", "asked", "why"])


def _in_person_notes(mentees: pd.DataFrame, mentors: pd.DataFrame, places: pd.Series) -> list[str]:
    """Sites where mentees who want to meet in person outnumber the places of mentors there who can
    (no counts: a site's figures may be below the privacy threshold)."""

    def site_of(frame: pd.DataFrame) -> pd.Series:
        return frame["site"].map(lambda site: " ".join(site.split()) if isinstance(site, str) and site.strip() else None)

    wanting = site_of(mentees[mentees["meeting_mode"] == "in_person"]).dropna().value_counts()
    able = mentors[mentors["meeting_mode"] != "virtual"]
    offered = places.reindex(able["participant_id"]).fillna(0).groupby(site_of(able).to_numpy()).sum()
    short = sorted(site for site, count in wanting.items() if offered.get(site, 0) < count)
    if not short:
        return []
    return [f"Mentees who want to meet in person at {join_words(short)} outnumber the mentor places there that can "
            "meet in person; some will be matched with a mentor at another site (recruit in-person mentors there, "
            "or ask those mentees whether video suits them)."]


def readiness(roster: Roster, design: ProgramDesign | None = None, *, reference_date=None) -> Readiness:
    """How ready a cohort is to be matched under a design.

    Parameters
    ----------
    roster
        The participants (:func:`toolkit.load_roster`).
    design
        A :class:`~toolkit.design.ProgramDesign`; by default the formal template.
    reference_date
        Date for time-zone offsets (default: the design's start date, else today).
    """
    design = design or ProgramDesign.from_template("formal")
    return Readiness.compute(roster, design, reference_date=reference_date)
