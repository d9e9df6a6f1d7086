"""Fairness audit of a match: do some groups get matched less often, or less well?

For each fairness attribute (the design's ``fairness.attributes``, e.g. department,
site, gender) and each value, the audit gives the number of people who needed a
match, how many were matched, the match rate, the mean score of their matches, and
the gap to everyone's match rate. Gaps larger than ``fairness.max_match_rate_gap``
are flagged.

Privacy: groups with fewer people than the anonymity threshold (``min_group``,
default 5, the client's ``privacy.min_group``) are suppressed: they do not appear,
and only the number of suppressed groups is given per attribute. Further groups are
hidden by :func:`toolkit.privacy.hidden_rows` until neither the hidden groups' sizes nor
their matched counts follow from the totals (cell suppression; see :mod:`toolkit.privacy`). Missing values form
their own group ("not given"), subject to the same threshold.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import MatchingError
from ..privacy import suppress
from .candidates import candidate_edges
from .choices import choice_preferences

__all__ = ["fairness_audit", "NOT_GIVEN", "AUDIT_COLUMNS"]

NOT_GIVEN = "not given"
AUDIT_COLUMNS = ["attribute", "value", "people", "matched", "match_rate", "mean_score", "gap", "flagged"]


def _needing_a_match(result) -> pd.DataFrame:
    """People the match was for, with ``matched`` (bool) and ``score`` (their pair's score)."""
    roster = result.roster
    people = roster.participants.set_index("participant_id", drop=False)
    if result.shape == "one_to_one":
        ids = list(roster.mentees["participant_id"])
        scores = result.pairs.groupby("mentee_id")["score"].mean() if len(result.pairs) else pd.Series(dtype=float)
    elif result.shape == "peer_pairs":
        ids = list(roster.ids)
        pairs = result.pairs
        scores = pd.concat([pairs.set_index("mentee_id")["score"], pairs.set_index("mentor_id")["score"]]) \
            if len(pairs) else pd.Series(dtype=float)
    else:
        circles = result.circles
        facilitators = set(roster.facilitators()["participant_id"])
        ids = [p for p in roster.mentees["participant_id"] if p not in facilitators]
        scores = pd.Series(np.nan, index=list(circles.loc[circles["circle_role"] == "member", "participant_id"]),
                           dtype=float)
        candidates = getattr(result, "candidates", None)
        if candidates is not None and len(circles):
            frame = candidates.frame()
            leader = {}
            for circle_id, circle in circles.groupby("circle_id"):
                head = circle.loc[circle["circle_role"] == "facilitator", "participant_id"]
                for member in circle.loc[circle["circle_role"] == "member", "participant_id"]:
                    leader[member] = head.iloc[0] if len(head) else None
            keyed = frame.set_index(["mentee_id", "mentor_id"])["score"]
            scores = pd.Series({m: keyed.get((m, f), np.nan) for m, f in leader.items()}, dtype=float)
    frame = people.loc[ids].copy()
    frame["matched"] = [participant in scores.index for participant in ids]
    frame["score"] = [float(scores.loc[[participant]].mean()) if participant in scores.index else np.nan
                      for participant in ids]
    return frame


def fairness_audit(result, attributes: Sequence[str] | None = None, *, min_group: int = 5,
                   max_gap: float | None = None) -> pd.DataFrame:
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
    rows, suppressed = [], {}
    for attribute in attributes:
        values = people[attribute].map(lambda value: NOT_GIVEN if value is None or (isinstance(value, float)
                                                                                  and np.isnan(value))
                                       or str(value).strip() == "" else str(value))
        groups = dict(tuple(people.groupby(values, sort=True)))
        sizes = pd.DataFrame({"value": list(groups), "people": [len(group) for group in groups.values()],
                              "matched": [int(group["matched"].sum()) for group in groups.values()]})
        # complementary: the groups add up to everyone, and the matched count is shown beside them
        visible = suppress(sizes, "people", min_group, linked=["matched"])
        hidden = set(sizes["value"]) - set(visible["value"])
        suppressed[attribute] = len(hidden)
        for value, group in groups.items():
            if value in hidden:
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
def _preferences(result, edges: pd.DataFrame) -> tuple[dict, dict, dict]:
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
            if len(taken) < capacity.get(mentor, 0):
                blocking.append((mentee, mentor))
            elif taken and ranks.get(mentee, len(ranks)) < max(ranks.get(other, len(ranks)) for other in taken):
                blocking.append((mentee, mentor))
    return blocking


def stability_audit(result) -> dict:
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
        ``matched_stable``.
    """
    if result.shape != "one_to_one":
        raise MatchingError("The stability audit is for one-to-one matches.",
                            fix="peer pairs and circles have no two-sided preferences to audit")
    design = result.design
    edges = candidate_edges(result.roster, design, model=result.score_model, with_parts=False,
                            min_score=design.rules.min_score)
    capacity = result.roster.capacity(design.capacity.default, design.capacity.max).to_dict()
    chosen = getattr(result, "choices", None) is not None
    mentee_rank, mentor_rank, score = (choice_preferences if chosen else _preferences)(result, edges)
    blocking = _blocking_pairs(result.pairs, mentee_rank, mentor_rank, capacity)
    # Mentee-proposing deferred acceptance with capacities.
    next_choice = {mentee: 0 for mentee in mentee_rank}
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
    }
