"""The Roster: validated participants, cohorts, and the readiness report.

A roster comes from :func:`toolkit.load_roster` (files a client sent) or
:meth:`Roster.from_frame` (a DataFrame built in code). It never changes after it is
made: filtering or splitting gives new rosters.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import schema
from .errors import IntakeError, Problem, check_option

__all__ = ["Roster", "Readiness", "PARTICIPANT_COLUMNS"]

PARTICIPANT_COLUMNS: tuple[str, ...] = tuple(
    name for name in schema.FIELD_NAMES if name not in ("first_name", "last_name")
) + ("source", "source_row")

_MISSING = "(not given)"


def _empty_value(name: str):
    return () if name in schema.LIST_FIELDS else None


class Roster:
    """Validated participants of one programme (or cohort).

    Attributes
    ----------
    participants : DataFrame
        One row per person, columns :data:`PARTICIPANT_COLUMNS`; list fields
        (skills, languages, availability, preferences ...) hold tuples.
    rejected : DataFrame
        Input rows that were not loaded: ``source``, ``row``, ``participant``,
        ``reasons`` and ``raw`` (the row's cells as found). Empty unless loaded leniently
        or rows were superseded or lacked consent.
    row_outcomes : DataFrame
        Every non-blank input row: ``source``, ``row``, ``outcome`` (loaded, merged,
        rejected), ``participant_id``, ``reason``. The accounting behind "nothing is lost".
    warnings : list of Problem
        Things worth knowing that did not stop loading (merged rows, dropped references).
    mappings : dict
        File name -> :class:`~toolkit.intake.ColumnMapping` used to read it.
    extra : DataFrame
        Columns of the input that map to no field, by participant id (kept, not used).
    org_chart : dict
        Employee id -> manager id, for people who are not participants.
    """

    def __init__(
        self,
        participants: pd.DataFrame,
        *,
        rejected: pd.DataFrame | None = None,
        row_outcomes: pd.DataFrame | None = None,
        warnings: Sequence[Problem] = (),
        mappings: Mapping | None = None,
        extra: pd.DataFrame | None = None,
        org_chart: Mapping[str, str | None] | None = None,
        sources: Sequence[str] = (),
        blank_rows: Mapping[str, list[int]] | None = None,
    ) -> None:
        self.participants = participants.reset_index(drop=True)
        self.rejected = rejected if rejected is not None else pd.DataFrame(
            columns=["source", "row", "participant", "reasons", "raw"])
        self.row_outcomes = row_outcomes if row_outcomes is not None else pd.DataFrame(
            columns=["source", "row", "outcome", "participant_id", "reason"])
        self.warnings = list(warnings)
        self.mappings = dict(mappings or {})
        self.extra = extra if extra is not None else pd.DataFrame(index=pd.Index([], name="participant_id"))
        self.org_chart = dict(org_chart or {})
        self.sources = list(sources)
        self.blank_rows = dict(blank_rows or {})
        self._by_id = {participant: index for index, participant in enumerate(self.participants["participant_id"])}

    # Construction -----------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, org_chart: Mapping[str, str | None] | None = None) -> "Roster":
        """A roster from a DataFrame that already uses the toolkit's field names.

        Missing columns are added empty; list fields given as strings ("A; B") or
        lists become tuples. Ids must be unique and roles one of mentor, mentee, both.
        """
        from .intake import split_list

        frame = frame.copy()
        unknown = [column for column in frame.columns if column not in PARTICIPANT_COLUMNS]
        if unknown:
            raise IntakeError(
                f"Columns {unknown} are not toolkit fields.",
                fix=f"rename them to toolkit field names ({', '.join(schema.FIELD_NAMES)}) or drop them",
            )
        if "participant_id" not in frame.columns:
            raise IntakeError("The frame has no participant_id column.", fix="add one with a unique id per person")
        for name in PARTICIPANT_COLUMNS:
            if name not in frame.columns:
                frame[name] = [_empty_value(name)] * len(frame)
            elif name in schema.LIST_FIELDS:
                frame[name] = [
                    tuple(split_list(value)) if isinstance(value, str)
                    else tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else ()
                    for value in frame[name]
                ]
        frame["participant_id"] = frame["participant_id"].astype(str)
        problems = []
        duplicated = frame["participant_id"][frame["participant_id"].duplicated()]
        for participant in duplicated.unique():
            problems.append(Problem(f"participant_id {participant} appears more than once", "make ids unique"))
        bad_roles = frame.loc[~frame["role"].isin(schema.ROLES), "role"]
        for position, value in bad_roles.items():
            problems.append(Problem("role must be mentor, mentee or both", 'use "mentor", "mentee" or "both"',
                                    row=int(position), column="role", value=value))
        if problems:
            raise IntakeError("The participants frame has problems:", problems=problems)
        frame = frame[list(PARTICIPANT_COLUMNS)].astype(object)
        frame = frame.where(frame.notna(), None)
        return cls(frame, org_chart=org_chart)

    @classmethod
    def _from_intake(cls, *, records, tables, mappings, warnings, org_chart, lenient) -> "Roster":
        problems = [problem for record in records for problem in record.problems]
        if problems and not lenient:
            # Row-level problems (no column) first: they often explain the cell problems after them.
            problems.sort(key=lambda problem: (problem.path or "", problem.row or 0,
                                               len(problem.column_letter or ""), problem.column_letter or ""))
            rows = {(problem.path, problem.row) for problem in problems}
            names = ", ".join(dict.fromkeys(Path(problem.path).name for problem in problems if problem.path))
            raise IntakeError(
                f"{names}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in {len(rows)} "
                f"row{'s' if len(rows) != 1 else ''}; nothing was loaded.",
                problems=problems,
                fix="Correct these in the file and load it again, or load with lenient=True to load the good "
                    "rows and set the others aside in roster.rejected (with these reasons).",
            )
        loaded = [record for record in records if record.outcome == "loaded"]
        participant_rows = []
        for record in loaded:
            row = {name: record.values.get(name, _empty_value(name)) for name in PARTICIPANT_COLUMNS}
            row["participant_id"] = record.participant_id
            row["source"] = Path(record.source).name
            row["source_row"] = record.row
            participant_rows.append(row)
        # object dtype throughout: missing stays None (pandas 3 would otherwise infer str columns with NaN).
        participants = pd.DataFrame(participant_rows, columns=list(PARTICIPANT_COLUMNS), dtype=object)
        for name in PARTICIPANT_COLUMNS:
            if name in schema.LIST_FIELDS:
                participants[name] = participants[name].map(lambda value: value if isinstance(value, tuple) else ())
        participants = participants.astype({"source_row": "int64"})

        rejected = pd.DataFrame(
            [{"source": Path(record.source).name, "row": record.row,
              "participant": record.values.get("email") or record.participant_id or "",
              "reasons": "; ".join(record.reasons), "raw": record.raw}
             for record in records if record.outcome == "rejected"],
            columns=["source", "row", "participant", "reasons", "raw"],
        )
        outcomes = pd.DataFrame(
            [{"source": Path(record.source).name, "row": record.row, "outcome": record.outcome,
              "participant_id": record.participant_id, "reason": "; ".join(record.reasons)}
             for record in records],
            columns=["source", "row", "outcome", "participant_id", "reason"],
        )
        # Columns that map to no field are kept per participant, so nothing the client sent is lost.
        extra_rows = {}
        for table, mapping in zip(tables, mappings):
            unmapped = [table.headers[index] for index in mapping.unmapped]
            if not unmapped:
                continue
            for record in loaded:
                if record.source == table.path:
                    extra_rows.setdefault(record.participant_id, {}).update(
                        {header: record.raw.get(header, "") for header in unmapped})
        extra = pd.DataFrame.from_dict(extra_rows, orient="index")
        extra.index.name = "participant_id"
        return cls(
            participants, rejected=rejected, row_outcomes=outcomes, warnings=warnings,
            mappings={Path(table.path).name: mapping for table, mapping in zip(tables, mappings)},
            extra=extra, org_chart=org_chart, sources=[table.path for table in tables],
            blank_rows={Path(table.path).name: table.blank_rows for table in tables if table.blank_rows},
        )

    # Access -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.participants)

    def __contains__(self, participant_id: object) -> bool:
        return participant_id in self._by_id

    def __iter__(self):
        return iter(self.participants["participant_id"])

    @property
    def ids(self) -> list[str]:
        return list(self.participants["participant_id"])

    def get(self, participant_id: str) -> pd.Series:
        """One participant's row (KeyError naming the id if unknown)."""
        try:
            return self.participants.iloc[self._by_id[participant_id]]
        except KeyError:
            raise KeyError(f"No participant with id {participant_id!r} in this roster.") from None

    def display_name(self, participant_id: str) -> str:
        row = self.get(participant_id)
        return str(row["name"]) if isinstance(row["name"], str) and row["name"] else participant_id

    @property
    def mentors(self) -> pd.DataFrame:
        """People who can mentor: role mentor or both."""
        return self.participants[self.participants["role"].isin(("mentor", "both"))]

    @property
    def mentees(self) -> pd.DataFrame:
        """People who want a mentor: role mentee or both."""
        return self.participants[self.participants["role"].isin(("mentee", "both"))]

    def facilitators(self) -> pd.DataFrame:
        """People who can lead a circle: mentors who did not decline, and people of role
        ``both`` who said yes to facilitating (the rest of ``both`` join circles as members)."""
        people = self.participants
        willing = people["can_facilitate"]
        chosen = ((people["role"] == "mentor") & willing.map(lambda value: value is not False)) | (
            (people["role"] == "both") & willing.map(lambda value: value is True))
        return people[chosen]

    def capacity(self, default: int = 1, maximum: int | None = None) -> pd.Series:
        """Places per mentor (id -> int): the stated capacity, else ``default``, capped at ``maximum``."""
        mentors = self.mentors
        places = pd.to_numeric(mentors["capacity"], errors="coerce").fillna(default).astype(int)
        if maximum is not None:
            places = places.clip(upper=maximum)
        return pd.Series(places.to_numpy(), index=mentors["participant_id"].to_numpy(), name="capacity")

    def subset(self, participant_ids: Iterable[str]) -> "Roster":
        """A roster of just these people (same org chart and provenance)."""
        wanted = set(participant_ids)
        kept = self.participants[self.participants["participant_id"].isin(wanted)]
        return Roster(kept, rejected=self.rejected, row_outcomes=self.row_outcomes, warnings=self.warnings,
                      mappings=self.mappings, extra=self.extra[self.extra.index.isin(wanted)],
                      org_chart=self.org_chart, sources=self.sources, blank_rows=self.blank_rows)

    def cohorts(self, by: str = "cohort") -> dict[str, "Roster"]:
        """Split into cohorts by a column (cohort, start_date, region, business_unit, site, ...).

        People with no value are grouped under "(not given)".
        """
        check_option("by", by, [name for name in PARTICIPANT_COLUMNS if name not in schema.LIST_FIELDS], IntakeError)
        keys = self.participants[by].map(lambda value: _MISSING if value is None or value != value else str(value))
        return {key: self.subset(self.participants.loc[keys == key, "participant_id"]) for key in sorted(keys.unique())}

    # Reporting lines -----------------------------------------------------------------------
    def managers(self) -> dict[str, str | None]:
        """Person -> line manager, from the org chart with the participant files taking precedence."""
        managers = dict(self.org_chart)
        for participant, manager in zip(self.participants["participant_id"], self.participants["manager_id"]):
            if isinstance(manager, str) and manager:
                managers[participant] = manager
            else:
                managers.setdefault(participant, None)
        return managers

    def management_chains(self) -> dict[str, list[str]]:
        """Participant -> their managers upwards (line manager first, then skip-level, ...)."""
        managers = self.managers()
        chains = {}
        for participant in self.participants["participant_id"]:
            chain, seen, current = [], {participant}, managers.get(participant)
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                current = managers.get(current)
            chains[participant] = chain
        return chains

    def in_reporting_line(self, first: str, second: str) -> bool:
        """True when one of the two is above the other in the management chain."""
        chains = self.management_chains()
        return second in chains.get(first, []) or first in chains.get(second, [])

    # Readiness --------------------------------------------------------------------------------
    def readiness(self, design=None, *, reference_date=None) -> "Readiness":
        """How ready this cohort is to be matched under a design.

        Parameters
        ----------
        design
            A :class:`~toolkit.design.ProgramDesign`; by default the formal template.
        reference_date
            Date for time-zone offsets (default: the design's start date, else today).
        """
        from .design import ProgramDesign

        design = design or ProgramDesign.from_template("formal")
        return Readiness.compute(self, design, reference_date=reference_date)

    # Display ----------------------------------------------------------------------------
    def intake_summary(self) -> pd.DataFrame:
        """Per file: rows read, loaded, merged, rejected, blank rows skipped."""
        if self.row_outcomes.empty:
            return pd.DataFrame(columns=["source", "rows", "loaded", "merged", "rejected", "blank rows skipped"])
        counts = self.row_outcomes.pivot_table(index="source", columns="outcome", values="row", aggfunc="count",
                                               fill_value=0)
        for outcome in ("loaded", "merged", "rejected"):
            if outcome not in counts.columns:
                counts[outcome] = 0
        counts["rows"] = counts[["loaded", "merged", "rejected"]].sum(axis=1)
        counts["blank rows skipped"] = [len(self.blank_rows.get(source, [])) for source in counts.index]
        return counts[["rows", "loaded", "merged", "rejected", "blank rows skipped"]].reset_index()

    def summary(self) -> str:
        roles = self.participants["role"].value_counts()
        text = (f"{len(self)} participants: {roles.get('mentor', 0)} mentors, {roles.get('mentee', 0)} mentees"
                f"{', ' + str(roles.get('both', 0)) + ' both' if roles.get('both', 0) else ''}.")
        if len(self.rejected):
            text += f" {len(self.rejected)} rows were set aside (see roster.rejected)."
        if self.warnings:
            text += f" {len(self.warnings)} warnings (see roster.warnings)."
        return text

    def __repr__(self) -> str:
        return f"<Roster: {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p><strong>Roster</strong>: {html.escape(self.summary())}</p>"


# ------------------------------------------------------------------------------------------------
# Readiness
# ------------------------------------------------------------------------------------------------


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _percent(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) or math.isinf(value) else f"{value:.0%}"


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

    @classmethod
    def compute(cls, roster: Roster, design, *, reference_date=None) -> "Readiness":
        from .rules import RULES, RuleContext

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
            places = pd.Series(design.circles.max_size, index=mentors["participant_id"].to_numpy())
            demand = len(mentees)
        else:
            mentees, mentors = roster.mentees, roster.mentors
            places = roster.capacity(default_capacity, max_capacity)
            demand = len(mentees) * design.mentee_demand
            over = roster.capacity(default_capacity)
            capped = int((over > max_capacity).sum())
            if capped:
                notes.append(f"{_plural(capped, 'mentor')} offered more than the programme's maximum of "
                             f"{max_capacity} mentees; their capacity is capped at {max_capacity}.")
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
                   same_department_allowed=not design.rules.exclude_same_department)

    # Presentation ------------------------------------------------------------------------
    def summary(self) -> str:
        """A plain-language paragraph a consultant can paste into an email."""
        o = self.overall
        sentences = []
        if self.shape == "circles":
            sentences.append(
                f"{_plural(o['facilitators'], 'facilitator')} for {_plural(o['demand'], 'member')}: "
                f"{_plural(o['circles_needed'], 'circle')} of up to the maximum size are needed"
                + (", so there are enough facilitators." if o["facilitators"] >= o["circles_needed"]
                   else f", but only {o['facilitators']} can be led; recruit "
                        f"{_plural(o['circles_needed'] - o['facilitators'], 'more facilitator')}.")
            )
        elif self.shape == "peer_pairs":
            sentences.append(f"{_plural(o['participants'], 'person', 'people')} in the peer pool make "
                             f"{o['participants'] // 2} pairs.")
        else:
            shortfall = o["demand"] - o["places"]
            sentences.append(
                f"{_plural(o['mentors'] + o['both'], 'mentor')} offer {_plural(o['places'], 'place')} for "
                f"{_plural(o['mentees'] + o['both'], 'mentee')} (coverage {_percent(o['coverage'])})."
            )
            if shortfall > 0:
                sentences.append(f"At least {shortfall} mentees cannot be matched unless more mentors are "
                                 "recruited or mentors take more mentees.")
            else:
                sentences.append("There are enough places overall.")
            tight = self.segments["department"]
            tight = tight[(tight["coverage"] < 1) & (tight["mentees"] > 0)].sort_values("coverage")
            if len(tight) and self.same_department_allowed:
                listed = ", ".join(f"{row.department} ({_plural(row.places, 'place')} for "
                                   f"{_plural(row.mentees, 'mentee')})" for row in tight.head(3).itertuples())
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
            sentences.append(f"{_plural(len(no_one), 'person', 'people')} {_have(len(no_one))} no eligible partner under the "
                             f"programme's rules (see the at-risk list for why and what to change).")
        few = len(self.at_risk) - len(no_one)
        if few > 0:
            sentences.append(f"{_plural(few, 'more person', 'more people')} {_have(few)} very few eligible partners.")
        gaps = self.missing_data[self.missing_data["missing"] > 0]
        for row in gaps.itertuples():
            sentences.append(f"{_plural(int(row.missing), 'person', 'people')} gave no {row.label}, "
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
    mentee_groups = mentees[column].fillna(_MISSING).value_counts()
    mentor_values = mentors[column].fillna(_MISSING)
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


def _at_risk(roster: Roster, eligibility: pd.DataFrame, skills: pd.DataFrame, rules: dict, design) -> pd.DataFrame:
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
                            key=lambda item: (-item[0], _BINDING_FIRST.get(item[1], len(_BINDING_FIRST)), item[1]))
            parts = [f"{count} {rules[rule]}" for count, rule in counts[:3]]
            head = "no eligible partner" if eligible == 0 else f"only {_plural(eligible, 'eligible partner')}"
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
_BINDING_FIRST = {"own_manager": 0, "reporting_line": 1, "exclusions": 2, "previous_partners": 3}

_RELAX = {
    "own_manager": "recruit mentors from outside this person's reporting line",
    "reporting_line": "recruit mentors from another part of the organisation (relaxing the reporting-line rule is "
                      "not advised)",
    "same_team": "allow same-team pairs (rules.exclude_same_team: false) or recruit mentors from other teams",
    "same_department": "allow same-department pairs (rules.exclude_same_department: false)",
    "no_shared_language": "recruit a mentor who speaks one of this person's languages, or drop "
                          "rules.require_shared_language",
    "seniority": "widen the seniority gap (seniority.min_gap / max_gap) or recruit mentors at the right level",
    "timezone": "raise rules.max_timezone_difference_hours or recruit mentors in nearer time zones",
    "availability": "lower rules.min_availability_overlap_hours or ask for wider availability",
    "exclusions": "check the do-not-match lists with the people involved",
    "previous_partners": "allow repeat pairs (rules.exclude_previous_partners: false)",
}


def _relax_suggestion(rule: str | None, design) -> str:
    if rule is None:
        return "recruit more mentors"
    return _RELAX.get(rule, "recruit more mentors")


def _missing_data(roster: Roster, design) -> pd.DataFrame:
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
        records.append({"field": column, "label": label, "missing": int(empty.sum()), "why": why})
    return pd.DataFrame(records, columns=["field", "label", "missing", "why"])
