"""One programme's anonymised aggregates, read from its client folder, ready for the store.

:func:`programme_record` gathers, for one client: the design kind and shape, sector and size bands,
the match rate, first-choice share, meetings per pair (or circle) per month, the fit check's flagged
share, completion with its interval and the closure reasons, the survey changes with intervals, the
ROI range, and what the learning step found (:mod:`toolkit.portfolio.learning`). Nothing else.

The anonymity threshold (the client's ``privacy.min_group``) is applied here, before anything is
written: a breakdown's group of fewer people is stored empty (NULL), with further groups emptied so
that none can be worked out from the totals (:func:`toolkit.privacy.hidden_rows`); survey changes
of fewer people are not stored at all. :attr:`ProgrammeRecord.notes` says what was left out and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..matching.choices import load_choices
from ..measure.impact import outcomes as hr_outcomes
from ..measure.impact import outcomes_shown, roi, wilson
from ..measure.survey import load_survey, pre_post
from ..privacy import enough, hidden_rows
from .bands import sector_band, size_band
from .learning import fit_coefficients
from .outcomes import END_REASONS, STOPPED_STATES, ProgrammeOutcome, programme_outcome
from .pairs import PairOutcomes, flagged_units, pair_outcomes

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..roster import Roster

__all__ = ["ProgrammeFigures", "programme_record", "programme_identity", "SEEKING_ROLES"]

#: Roster roles of the people a programme matches for (mentors offer; they are not "waiting to be matched").
SEEKING_ROLES = ("mentee", "both")
_DAYS_PER_MONTH = 30.44


@dataclass
class ProgrammeFigures:
    """What :func:`programme_record` found: the rows for each store table, and notes on what was left out."""

    rows: dict[str, list[dict]]
    notes: list[str] = field(default_factory=list)
    pairs: PairOutcomes | None = None  # the per-pair table (stays in the client folder; never stored)


def programme_identity(config: ClientConfig) -> tuple[str, ...]:
    """What makes a programme the same programme when it is added again: client, programme, start."""
    design = config.design()
    return ("client", config.slug, design.name, str(design.start_date or ""))


def programme_record(config: ClientConfig, key: str, *, as_of: dt.date | str | None = None, learn: bool = True,
                     resamples: int | None = None) -> ProgrammeFigures:
    """A client's programme as store rows (see the module docstring), filed under ``key``."""
    design = config.design()
    roster = config.roster(lenient=True)
    min_group = int(config.privacy["min_group"])
    outcome = programme_outcome(config, as_of)
    notes: list[str] = []
    units = outcome.units
    programme = {
        "programme_key": key, "origin": "client", "added_on": dt.date.today(), "as_of_month": f"{outcome.as_of:%Y-%m}",
        "start_month": f"{design.start_date:%Y-%m}" if design.start_date else None,
        "duration_months": int(design.duration_months) if getattr(design, "duration_months", None) else None,
        "design_kind": design.kind, "shape": design.shape,
        "sector_band": sector_band(config.get("sector"), source=str(config.path)),
        "size_band": size_band(len(roster)), "min_group": min_group, "finished": outcome.finished,
        "units": len(units),
        **_match_rate(roster, units), **_first_choice(config, units, notes), "meetings_per_unit_month": _rhythm(outcome),
        **_fit_flags(units, outcome, config, roster, min_group, notes), **_completion(units, min_group, notes),
        **_roi(config, min_group, notes),
    }
    rows = {"programmes": [programme], "closure_reasons": _closure_reasons(units, min_group, notes),
            "effects": _effects(config, roster, min_group, notes), "learning": []}
    pairs = None
    if learn:
        pairs = pair_outcomes(config, outcome, roster=roster, design=design)
        rows["learning"] = _learning(pairs, min_group, notes, resamples)
    return ProgrammeFigures(rows, notes, pairs)


def _people(units: pd.DataFrame) -> int:
    return int(sum(len(members) for members in units["members"]))


def _match_rate(roster: Roster, units: pd.DataFrame) -> dict:
    people = roster.participants
    seeking = people[people["role"].isin(SEEKING_ROLES)]
    placed = {str(person).strip().casefold() for members in units["members"] for person in members}
    # Logs name people by id or by e-mail address (circles often by address): either counts.
    emails = seeking["email"] if "email" in seeking else pd.Series([None] * len(seeking), index=seeking.index)
    matched = sum(any(isinstance(key, str) and key.strip().casefold() in placed for key in (person, email))
                  for person, email in zip(seeking["participant_id"], emails))
    return {"seekers": len(seeking), "match_rate": matched / len(seeking) if len(seeking) else None}


def _first_choice(config: ClientConfig, units: pd.DataFrame, notes: list[str]) -> dict:
    if not config.get("choices") or not len(units) or units["mentee_id"].isna().all():
        return {"ranked": None, "first_choice_share": None}
    ranks = load_choices(config.get("choices")).ranks
    ranks = ranks[ranks["rank"].notna()]
    # A mentee's first pair is the match their ranking was for; a later re-match is not.
    first = units.sort_values("matched_on", na_position="first", kind="stable").drop_duplicates("mentee_id")
    got = dict(zip(first["mentee_id"], first["mentor_id"]))
    ranked = sorted(set(ranks["mentee_id"]))
    rank_of = {(a, b): int(r) for a, b, r in zip(ranks["mentee_id"], ranks["mentor_id"], ranks["rank"])}
    firsts = sum(rank_of.get((mentee, got.get(mentee))) == 1 for mentee in ranked)
    return {"ranked": len(ranked), "first_choice_share": firsts / len(ranked) if ranked else None}


def _rhythm(outcome: ProgrammeOutcome) -> float | None:
    """Meetings per pair (or circle) per month, over the months each ran up to the day looked at."""
    months = 0.0
    for row in outcome.units.itertuples():
        start = _date(row.matched_on) or outcome.start
        stop = min(day for day in (_date(row.ended_on), outcome.end, outcome.as_of) if day is not None)
        if start is not None and outcome.start is not None:
            start = max(start, outcome.start)
        if start is not None and stop > start:
            months += (stop - start).days / _DAYS_PER_MONTH
    return float(outcome.units["meetings"].sum() / months) if months > 0 else None


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()


def _fit_flags(units, outcome: ProgrammeOutcome, config: ClientConfig, roster: Roster, min_group: int,
               notes: list[str]) -> dict:
    """The share of pairs the fit check flagged; empty when either side is too few people to show."""
    if not config.survey("fit_check") or outcome.shape == "circles" or not len(units):
        return {"fit_checked": None, "fit_flag_share": None}
    flagged = units["unit_id"].isin(flagged_units(config, units, roster))
    people = (_people(units[flagged]), _people(units[~flagged]))
    if not all(enough(count, min_group) for count in people):
        notes.append(f"fit check: fewer than {min_group} people were, or were not, flagged, so the flagged share is "
                     "not stored")
        return {"fit_checked": len(units), "fit_flag_share": None}
    return {"fit_checked": len(units), "fit_flag_share": float(flagged.mean())}


def _completion(units: pd.DataFrame, min_group: int, notes: list[str]) -> dict:
    """Completed among the pairs or circles that have stopped, with a Wilson 95% interval."""
    stopped = units[units["state"].isin(STOPPED_STATES)]
    if not enough(_people(stopped), min_group):
        notes.append(f"completion: fewer than {min_group} people are in pairs or circles that have stopped, so no "
                     "completion rate is stored")
        return {"stopped": len(stopped), "completion_rate": None, "completion_low": None, "completion_high": None}
    completed = int((stopped["state"] == "completed").sum())
    low, high = wilson(completed, len(stopped))
    return {"stopped": len(stopped), "completion_rate": completed / len(stopped), "completion_low": low,
            "completion_high": high}


def _closure_reasons(units: pd.DataFrame, min_group: int, notes: list[str]) -> list[dict]:
    """Stopped pairs or circles by reason; small groups emptied, and enough others that none can be derived."""
    stopped = units[units["state"].isin(STOPPED_STATES)]
    reasons = [reason for reason in END_REASONS if (stopped["end_reason"] == reason).any()]
    if not reasons:
        return []
    counts = [int((stopped["end_reason"] == reason).sum()) for reason in reasons]
    people = [_people(stopped[stopped["end_reason"] == reason]) for reason in reasons]
    # The completion rate shows how many completed, so the completed reasons' total is known too.
    completed = [count if reason in ("completed", "goals_met") else 0 for reason, count in zip(reasons, people)]
    hidden = hidden_rows(people, min_group, complementary=True, linked=[completed])
    if hidden.any():
        notes.append(f"closure reasons: {int(hidden.sum())} of {len(reasons)} reasons stored without their count, "
                     f"to protect groups of fewer than {min_group} people")
    total = len(stopped)
    return [{"reason": reason, "units": None if hide else count, "share": None if hide else count / total}
            for reason, count, hide in zip(reasons, counts, hidden)]


def _effects(config: ClientConfig, roster: Roster, min_group: int, notes: list[str]) -> list[dict]:
    """Baseline-to-end change per survey measure, for measures answered by enough people."""
    baseline, end = config.survey("baseline"), config.survey("end")
    if not baseline or not end:
        return []
    table = pre_post(load_survey(baseline["path"], instrument=baseline["instrument"], roster=roster),
                     load_survey(end["path"], instrument=end["instrument"], roster=roster))
    kept = table[[enough(n, min_group) for n in table["n"]]] if len(table) else table
    if len(kept) < len(table):
        notes.append(f"survey changes: {len(table) - len(kept)} measures answered by fewer than {min_group} people "
                     "are not stored")
    return [{"measure": row.construct, "people": int(row.n), "change": float(row.mean_change),
             "ci_low": float(row.ci_low), "ci_high": float(row.ci_high), "standardised": float(row.d_z_corrected)}
            for row in kept.itertuples()]


def _roi(config: ClientConfig, min_group: int, notes: list[str]) -> dict:
    empty = {"roi_low": None, "roi_central": None, "roi_high": None}
    if not config.get("roi") or not config.get("hr_outcomes"):
        return empty
    table = hr_outcomes(config, comparison=False)
    if not outcomes_shown(table, min_group):
        notes.append(f"return on investment: fewer than {min_group} people in a group, so no range is stored")
        return empty
    analysis = roi(config, outcomes_table=table, min_group=min_group)
    if analysis.missing or not analysis.methods:
        notes.append("return on investment: the client.yaml settings it needs are not all given, so no range is stored")
        return empty
    low, central, high = analysis.methods[0].roi  # the isolation method the impact report leads with
    return {"roi_low": low, "roi_central": central, "roi_high": high}


def _learning(pairs: PairOutcomes, min_group: int, notes: list[str], resamples: int | None) -> list[dict]:
    if pairs.reason:
        notes.append(f"learning: {pairs.reason}")
        return []
    worked = pairs.table["worked"].to_numpy()
    # Each outcome group's people must reach the threshold: the counts stored say how many worked.
    if not all(enough(2 * count, min_group) for count in (int(worked.sum()), int(len(worked) - worked.sum()))):
        notes.append(f"learning: fewer than {min_group} people in pairs that did, or did not, work")
        return []
    options = {"resamples": resamples} if resamples else {}
    found = fit_coefficients(pairs.parts, worked, weights=pairs.weights, **options)
    if not len(found):
        notes.append(f"learning: too few pairs with a known outcome ({len(worked)}) to fit a model")
    return found.to_dict("records")
