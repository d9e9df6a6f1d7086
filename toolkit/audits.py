"""Fairness audit of a match: do some groups get matched less often, or less well?

For each fairness attribute (the design's ``fairness.attributes``, e.g. department,
site, gender) and each value, the audit gives the number of people who needed a
match, how many were matched, the match rate, the mean score of their matches, and
the gap to everyone's match rate. Gaps larger than ``fairness.max_match_rate_gap``
are flagged.

Privacy: groups with fewer people than the anonymity threshold (``min_group``,
default 5, the client's ``privacy.min_group``) are suppressed: they do not appear,
and only the number of suppressed groups is given per attribute. Missing values form
their own group ("not given"), subject to the same threshold.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .errors import MatchingError

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
        hidden = {value for value, group in groups.items() if len(group) < min_group}
        if len(hidden) == 1 and len(groups) > 1:
            # One hidden group could be worked out by subtraction from the total: hide the next smallest too.
            shown = sorted((len(group), value) for value, group in groups.items() if value not in hidden)
            hidden.add(shown[0][1])
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
