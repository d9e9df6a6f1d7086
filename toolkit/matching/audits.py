"""Fairness audit of a match: do some groups get matched less often, or less well?

For each fairness attribute (the design's ``fairness.attributes``, e.g. department,
site, gender) and each value, the audit gives the number of people who needed a
match, how many were matched, the match rate, the mean score of their matches, and
the gap to everyone's match rate. Gaps larger than ``fairness.max_match_rate_gap``
are flagged.

Privacy: each attribute's groups are one table published through the release ledger
(:mod:`toolkit.ledger`, the client's release when a report passes one): groups with fewer people than
the anonymity threshold (``min_group``, default 5, the client's ``privacy.min_group``) are suppressed,
and only the number of suppressed groups is given per attribute; further groups are hidden until
neither the hidden groups' sizes nor their matched counts follow from the totals, and a group hidden
in another table or an earlier release (readiness, an earlier matching report) stays hidden. Missing
values form their own group ("(not given)"), subject to the same threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import MatchingError
from ..ledger import Ledger, Release, Row, Table
from ..roster import MISSING_LABEL
from .candidates import candidate_edges
from .choices import choice_preferences

if TYPE_CHECKING:
    from ..roster import Roster
    from .result import MatchResult

__all__ = ["fairness_audit", "fairness_table", "people_to_match", "NOT_GIVEN", "AUDIT_COLUMNS"]

NOT_GIVEN = MISSING_LABEL  # the readiness tables' word for a blank too: the same group links across tables
AUDIT_COLUMNS = ["attribute", "value", "people", "matched", "match_rate", "mean_score", "gap", "flagged"]


def people_to_match(roster: Roster, shape: str) -> list[str]:
    """The participants a match of this shape is for (mentees; everyone in peer pairs; circle members)."""
    if shape == "one_to_one":
        return list(roster.mentees["participant_id"])
    if shape == "peer_pairs":
        return list(roster.ids)
    facilitators = set(roster.facilitators()["participant_id"])
    return [p for p in roster.mentees["participant_id"] if p not in facilitators]


def _needing_a_match(result: MatchResult) -> pd.DataFrame:
    """People the match was for, with ``matched`` (bool) and ``score`` (their pair's score)."""
    roster = result.roster
    people = roster.participants.set_index("participant_id", drop=False)
    ids = people_to_match(roster, result.shape)
    if result.shape == "one_to_one":
        scores = result.pairs.groupby("mentee_id")["score"].mean() if len(result.pairs) else pd.Series(dtype=float)
    elif result.shape == "peer_pairs":
        pairs = result.pairs
        scores = pd.concat([pairs.set_index("mentee_id")["score"], pairs.set_index("mentor_id")["score"]]) \
            if len(pairs) else pd.Series(dtype=float)
    else:  # circles: who is in a circle; no score per member
        circles = result.circles
        scores = pd.Series(np.nan, index=list(circles.loc[circles["circle_role"] == "member", "participant_id"]),
                           dtype=float)
    frame = people.loc[ids].copy()
    frame["matched"] = [participant in scores.index for participant in ids]
    frame["score"] = [float(scores.loc[[participant]].mean()) if participant in scores.index else np.nan
                      for participant in ids]
    return frame


def group_values(people: pd.DataFrame, attribute: str) -> pd.Series:
    """Each person's group for ``attribute``: the value as text, blanks as "(not given)"."""
    return people[attribute].map(lambda value: NOT_GIVEN if value is None or (isinstance(value, float)
                                                                             and np.isnan(value))
                                 or str(value).strip() == "" else str(value))


def fairness_table(people: pd.DataFrame, attribute: str) -> Table:
    """The fairness audit's groups for one attribute as a table for the release ledger.

    ``people`` are the people to match (:func:`people_to_match`), with ``matched`` and ``score`` when a
    match is known: then each row shows who was matched and reads each person's match and score.
    Without them (a readiness report foreseeing the audit) the rows count the people only.
    """
    values = group_values(people, attribute)
    rows = []
    for value, group in people.groupby(values, sort=True):
        ids = [str(person) for person in group["participant_id"]]
        if "matched" in group:
            rows.append(Row(value, ids, parts={"matched": [str(person) for person in group.loc[group["matched"],
                                                                                               "participant_id"]]},
                            answers={str(person): (bool(matched), None if score != score else round(float(score), 4))
                                     for person, matched, score in zip(group["participant_id"], group["matched"],
                                                                       group["score"])}))
        else:
            rows.append(Row(value, ids))
    return Table(f"people to match by {attribute}", attribute, rows)


def fairness_audit(result: MatchResult, attributes: Sequence[str] | None = None, *, min_group: int = 5,
                   max_gap: float | None = None, release: Release | None = None) -> pd.DataFrame:
    """Match rate and mean score per value of each fairness attribute, small groups suppressed.

    Parameters
    ----------
    result
        A :class:`~toolkit.matching.MatchResult`.
    attributes
        Participant fields to audit (default: the design's ``fairness.attributes``).
    min_group
        The anonymity threshold: groups with fewer people are not shown.
    max_gap
        Match-rate gap to everyone's rate that is flagged (default: the design's
        ``fairness.max_match_rate_gap``).
    release
        The client's release (:class:`toolkit.ledger.Release`) the audit is published in: groups hidden
        in its other tables or in earlier releases stay hidden. None: decided on its own.

    Returns
    -------
    pandas.DataFrame
        Columns ``attribute, value, people, matched, match_rate, mean_score, gap, flagged``;
        ``frame.attrs["suppressed"]`` maps each attribute to its number of suppressed groups
        and ``frame.attrs["overall_match_rate"]`` is everyone's rate.
    """
    design = result.design
    attributes = list(attributes if attributes is not None else design.fairness.attributes)
    max_gap = design.fairness.max_match_rate_gap if max_gap is None else max_gap
    if min_group < 1:
        raise MatchingError(f"The anonymity threshold must be at least 1, not {min_group}.",
                            fix="use privacy.min_group from the client (usually 5)")
    people = _needing_a_match(result)
    unknown = [name for name in attributes if name not in people.columns]
    if unknown:
        raise MatchingError(f"Cannot audit by {', '.join(unknown)}: no such participant field.",
                            fix="choose fields of the roster, e.g. department, site, gender")
    overall = float(people["matched"].mean()) if len(people) else float("nan")
    release = release or Ledger(None, min_group).release("fairness audit")
    rows, suppressed = [], {}
    for attribute in attributes:
        groups = dict(tuple(people.groupby(group_values(people, attribute), sort=True)))
        decision = release.publish(fairness_table(people, attribute))
        suppressed[attribute] = len([value for value in groups if not decision.shows(value)])
        for value, group in groups.items():
            if not decision.shows(value):
                continue
            rate = float(group["matched"].mean())
            mean_score = float(group["score"].mean()) if group["score"].notna().any() else float("nan")
            gap = rate - overall
            rows.append((attribute, value, len(group), int(group["matched"].sum()), round(rate, 4),
                         round(mean_score, 4) if not np.isnan(mean_score) else np.nan, round(gap, 4),
                         bool(abs(gap) > max_gap)))
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    frame.attrs["suppressed"] = suppressed
    frame.attrs["overall_match_rate"] = overall
    frame.attrs["min_group"] = min_group
    return frame


# ------------------------------------------------------------------------------------------------
# Stability
# ------------------------------------------------------------------------------------------------
def _preferences(result: MatchResult, edges: pd.DataFrame) -> tuple[dict, dict, dict]:
    """Mentee rankings (stated choices first, then by score), mentor rankings (by score), and scores."""
    score = {(a, b): s for a, b, s in zip(edges["mentee_id"], edges["mentor_id"], edges["score"])}
    stated = result.roster.participants.set_index("participant_id")["preferences"]
    mentee_rank: dict[str, list[str]] = {}
    for mentee, group in edges.groupby("mentee_id", sort=True):
        by_score = [mentor for _, mentor in sorted(zip(-group["score"], group["mentor_id"]))]
        chosen = [mentor for mentor in (stated.get(mentee) or ()) if (mentee, mentor) in score]
        mentee_rank[mentee] = chosen + [mentor for mentor in by_score if mentor not in chosen]
    mentor_rank = {mentor: {mentee: position for position, (_, mentee) in
                            enumerate(sorted(zip(-group["score"], group["mentee_id"])))}
                   for mentor, group in edges.groupby("mentor_id", sort=True)}
    return mentee_rank, mentor_rank, score


def _blocking_pairs(pairs: pd.DataFrame, mentee_rank, mentor_rank, capacity) -> list[tuple[str, str]]:
    partner = dict(zip(pairs["mentee_id"], pairs["mentor_id"]))
    held: dict[str, list[str]] = {}
    for mentee, mentor in partner.items():
        held.setdefault(mentor, []).append(mentee)
    blocking = []
    for mentee, ranking in mentee_rank.items():
        current = partner.get(mentee)
        for mentor in ranking:
            if mentor == current:
                break  # every later mentor is liked less than the current one
            taken = held.get(mentor, [])
            # a mentee the mentor holds but could not be matched with under today's rules (a pair kept by a
            # re-match) ranks below every eligible one
            ranks = mentor_rank.get(mentor, {})
            worst_taken = max((ranks.get(other, len(ranks)) for other in taken), default=len(ranks))
            if len(taken) < capacity.get(mentor, 0) or taken and ranks.get(mentee, len(ranks)) < worst_taken:
                blocking.append((mentee, mentor))
    return blocking


def _hold_fixed(result: MatchResult, edges: pd.DataFrame, capacity: dict) -> tuple[pd.DataFrame, pd.DataFrame,
                pd.DataFrame, dict]:
    """Split the match into pairs held fixed (pinned, or outside today's candidate pairs) and the rest.

    Returns the fixed pairs, the free pairs, the edges without the fixed mentees, and the mentors'
    capacity less their fixed mentees.
    """
    pairs = result.pairs
    allowed = set(zip(edges["mentee_id"], edges["mentor_id"]))
    if result.choices is not None:  # a declined pair is no one's preference
        allowed -= set(result.choices.declined_pairs)
    pinned = set(result.required)
    is_fixed = np.array([pair in pinned or pair not in allowed for pair in zip(pairs["mentee_id"], pairs["mentor_id"])],
                        dtype=bool)
    fixed, free_pairs = pairs[is_fixed], pairs[~is_fixed]
    capacity = dict(capacity)
    for mentor in fixed["mentor_id"]:
        capacity[mentor] = capacity.get(mentor, 0) - 1
    edges = edges[~edges["mentee_id"].isin(set(fixed["mentee_id"]))]
    return fixed, free_pairs, edges, capacity


def stability_audit(result: MatchResult) -> dict:
    """Blocking pairs of the match, and the stable alternative (mentee-proposing deferred acceptance).

    Preferences: each mentee ranks eligible mentors by their stated choices first, then by pair
    score; each mentor ranks eligible mentees by pair score. A blocking pair is a mentee and a
    mentor who both prefer each other to what the match gave them (or the mentor has a free place).
    When the match was made on choices (``match(..., choices=)``), the real ranks come first on
    both sides and pairs a mentor declined are left out.

    Returns
    -------
    dict
        ``blocking_pairs`` (DataFrame), ``stable_pairs`` (the deferred-acceptance match),
        ``optimal_total`` and ``stable_total`` (scores), ``score_given_up``, ``matched_optimal``,
        ``matched_stable``, ``held_fixed`` (the pairs held as they are, see below).

    Pairs the programme set itself, pinned pairs (which may score below ``rules.min_score``) and
    pairs of an adopted round the current rules no longer allow, are held fixed on both sides: their
    mentees neither propose nor block, their mentors have that many fewer places, and the stable
    alternative keeps them.
    """
    if result.shape != "one_to_one":
        raise MatchingError("The stability audit is for one-to-one matches.",
                            fix="peer pairs and circles have no two-sided preferences to audit")
    design = result.design
    edges = candidate_edges(result.roster, design, model=result.score_model, with_parts=False,
                            min_score=design.rules.min_score)
    capacity = result.roster.capacity(design.capacity.default, design.capacity.max).to_dict()
    fixed, free_pairs, edges, capacity = _hold_fixed(result, edges, capacity)
    chosen = result.choices is not None
    mentee_rank, mentor_rank, score = (choice_preferences if chosen else _preferences)(result, edges)
    blocking = _blocking_pairs(free_pairs, mentee_rank, mentor_rank, capacity)
    # Mentee-proposing deferred acceptance with capacities.
    next_choice = dict.fromkeys(mentee_rank, 0)
    held: dict[str, list[str]] = {}
    free = sorted(mentee_rank)
    while free:
        mentee = free.pop(0)
        ranking = mentee_rank[mentee]
        if next_choice[mentee] >= len(ranking):
            continue
        mentor = ranking[next_choice[mentee]]
        next_choice[mentee] += 1
        taken = held.setdefault(mentor, [])
        if capacity.get(mentor, 0) <= 0:
            free.insert(0, mentee)
            continue
        taken.append(mentee)
        if len(taken) > capacity[mentor]:
            worst = max(taken, key=lambda other: mentor_rank[mentor][other])
            taken.remove(worst)
            free.insert(0, worst)
    stable = pd.DataFrame([(mentee, mentor, score[(mentee, mentor)]) for mentor, mentees in held.items()
                           for mentee in mentees], columns=["mentee_id", "mentor_id", "score"])
    stable = pd.concat([fixed[["mentee_id", "mentor_id", "score"]], stable], ignore_index=True) if len(fixed) \
        else stable
    stable = stable.sort_values(["mentee_id"], ignore_index=True)
    optimal_total = float(result.pairs["score"].sum())
    stable_total = float(stable["score"].sum())
    return {
        "blocking_pairs": pd.DataFrame(blocking, columns=["mentee_id", "mentor_id"]),
        "stable_pairs": stable,
        "optimal_total": optimal_total,
        "stable_total": stable_total,
        "score_given_up": optimal_total - stable_total,
        "matched_optimal": len(result.pairs),
        "matched_stable": len(stable),
        "held_fixed": fixed[["mentee_id", "mentor_id"]].reset_index(drop=True),
    }
