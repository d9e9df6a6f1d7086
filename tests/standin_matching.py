"""A small, exact stand-in for toolkit.match, following the MatchResult contract.

Used to drive MatchingStudio in tests independently of the real engine: scores are
simple and hand-checkable (skills coverage, seniority direction, cross-department),
the assignment is exact (scipy's linear_sum_assignment with mentors replicated by
capacity), and every call is recorded so tests can see what the studio asked for.
"""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from toolkit.roster import Roster

REQUIRED_BONUS = 1_000.0


def _parts(mentee, mentor, design) -> dict[str, float]:
    weights = design.criteria
    sought = set(mentee["skills_sought"] or ())
    offered = set(mentor["skills_offered"] or ())
    parts = dict.fromkeys(weights, 0.0)
    parts["skills"] = weights["skills"] * (len(sought & offered) / len(sought) if sought else 0.0)
    gap = (mentor["seniority"] or 0) - (mentee["seniority"] or 0)
    parts["seniority"] = weights["seniority"] * (1.0 if gap >= design.seniority.min_gap else 0.0)
    parts["cross_department"] = weights["cross_department"] * (1.0 if mentee["department"] != mentor["department"]
                                                               else 0.0)
    return {name: round(value, 6) for name, value in parts.items()}


class StandInSolver:
    """Callable like toolkit.match(roster, design, required=(), forbidden=())."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def __call__(self, roster: Roster, design, required=(), forbidden=()):
        self.calls.append({"design": design, "required": list(required), "forbidden": list(forbidden),
                           "roster": roster})
        return solve(roster, design, required=required, forbidden=forbidden)


def solve(roster: Roster, design, required=(), forbidden=()):
    people = roster.participants.set_index("participant_id", drop=False)
    mentees = people[people["role"].isin(["mentee", "both"])].sort_index()
    mentors = people[people["role"].isin(["mentor", "both"])].sort_index()
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    slots = [mentor for mentor in mentors.index for _ in range(int(capacity.get(mentor, 1)))]
    required, forbidden = set(map(tuple, required)), set(map(tuple, forbidden))
    candidates: dict[tuple[str, str], dict] = {}
    for mentee_id, mentee in mentees.iterrows():
        for mentor_id, mentor in mentors.iterrows():
            if mentee_id == mentor_id or (mentee_id, mentor_id) in forbidden:
                continue
            if design.rules.exclude_same_department and mentee["department"] == mentor["department"]:
                continue
            if design.rules.respect_exclusions and (mentor_id in (mentee["exclusions"] or ())
                                                    or mentee_id in (mentor["exclusions"] or ())):
                continue
            candidates[(mentee_id, mentor_id)] = _parts(mentee, mentor, design)
    # Maximise total score; forbidden pairs are absent (cost 0 and not counted), tiny id tiebreak.
    cost = np.zeros((len(mentees), len(slots)))
    allowed = np.zeros_like(cost, dtype=bool)
    for row, mentee_id in enumerate(mentees.index):
        for column, mentor_id in enumerate(slots):
            parts = candidates.get((mentee_id, mentor_id))
            if parts is None:
                continue
            allowed[row, column] = True
            bonus = REQUIRED_BONUS if (mentee_id, mentor_id) in required else 0.0
            cost[row, column] = -(sum(parts.values()) + bonus + 1.0) + 1e-6 * column
    rows, columns = linear_sum_assignment(cost)
    records = []
    for row, column in zip(rows, columns):
        if not allowed[row, column]:
            continue
        mentee_id, mentor_id = mentees.index[row], slots[column]
        parts = candidates[(mentee_id, mentor_id)]
        records.append({"mentee_id": mentee_id, "mentor_id": mentor_id, "score": round(sum(parts.values()), 6),
                        **parts})
    pairs = pd.DataFrame(records, columns=["mentee_id", "mentor_id", "score", *design.criteria.active()])
    pairs = pairs.sort_values("mentee_id").reset_index(drop=True)
    matched = set(pairs["mentee_id"])
    unmatched = []
    for mentee_id in mentees.index:
        if mentee_id in matched:
            continue
        eligible = [pair for pair in candidates if pair[0] == mentee_id]
        unmatched.append({"participant_id": mentee_id, "role": "mentee",
                          "reason": "no eligible mentor under the rules" if not eligible
                          else "capacity taken by higher-scoring pairs",
                          "suggestion": "relax a rule" if not eligible else "recruit another mentor"})
    unmatched = pd.DataFrame(unmatched, columns=["participant_id", "role", "reason", "suggestion"])

    def explain(participant_id):
        row = pairs[(pairs["mentee_id"] == participant_id) | (pairs["mentor_id"] == participant_id)]
        if row.empty:
            reason = unmatched.loc[unmatched["participant_id"] == participant_id, "reason"]
            text = f"{participant_id} is not matched: {reason.iloc[0] if len(reason) else 'no mentee needed them'}."
        else:
            pair = row.iloc[0]
            parts = " + ".join(f"{name} {pair[name]:g}" for name in design.criteria.active())
            text = f"{pair['mentee_id']} is matched with {pair['mentor_id']}: score {pair['score']:g} = {parts}."
        return types.SimpleNamespace(text=text)

    return types.SimpleNamespace(
        roster=roster, design=design, shape=design.shape, pairs=pairs,
        circles=pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]), unmatched=unmatched,
        status="optimal", objective=float(pairs["score"].sum()), explain=explain,
    )


def small_roster() -> Roster:
    """Eight mentees and four mentors with hand-checkable scores.

    Mentee M1 (Finance) wants Python; only mentor A (Finance) offers it, and mentor B
    (Sales) is the only other mentor with a place left after the others are placed: so
    with skills weighted M1 gets A, and with skills off and cross-department on, M1 gets
    someone outside Finance.
    """
    rows = [
        ("A", "Ana Mentor", "mentor", "Finance", 6, ("Python", "SQL"), (), 2),
        ("B", "Ben Mentor", "mentor", "Sales", 6, ("Negotiation",), (), 2),
        ("C", "Cai Mentor", "mentor", "Operations", 6, ("Planning",), (), 2),
        ("D", "Dee Mentor", "mentor", "Finance", 6, ("SQL",), (), 2),
        ("M1", "Mo Mentee", "mentee", "Finance", 2, (), ("Python",), None),
        ("M2", "Max Mentee", "mentee", "Sales", 2, (), ("Negotiation",), None),
        ("M3", "Mia Mentee", "mentee", "Operations", 2, (), ("Planning",), None),
        ("M4", "Mel Mentee", "mentee", "Finance", 2, (), ("SQL",), None),
        ("M5", "Mat Mentee", "mentee", "Sales", 2, (), ("SQL",), None),
        ("M6", "Meg Mentee", "mentee", "Operations", 2, (), ("Negotiation",), None),
        ("M7", "Mik Mentee", "mentee", "Finance", 2, (), ("Planning",), None),
        ("M8", "Moe Mentee", "mentee", "Sales", 2, (), ("Python",), None),
    ]
    frame = pd.DataFrame(rows, columns=["participant_id", "name", "role", "department", "seniority",
                                        "skills_offered", "skills_sought", "capacity"])
    frame["email"] = [f"{row[0].lower()}@example.com" for row in rows]
    return Roster.from_frame(frame)
