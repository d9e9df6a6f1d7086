"""Peer pairs (one pool) and group mentoring circles, as exact integer programmes.

Peer pairing is a matching on a general graph, whose LP can be fractional (odd cycles),
so it is solved as an integer programme with HiGHS to a zero gap: the most people paired
first, then the highest total score. Circles are formed the same way: each facilitator
leads at most one circle of ``circles.min_size`` to ``circles.max_size`` members, every
member joins at most one circle, nobody shares a circle with their manager, someone in
their reporting line or someone on their do-not-match list, and at most half a circle
comes from one department (``circles.balance``). Most members placed first, then the
highest total of facilitator-member scores.
"""

from __future__ import annotations

import math
import time
from typing import Iterable

import numpy as np
import pandas as pd
import pulp

from ..errors import MatchingError
from .candidates import candidate_edges
from .lp import pick_solver
from .result import CircleScores, Explanation, MatchResult
from .rules import RuleContext
from .scoring import ScoreModel
from .solver import Certificate

__all__ = ["match_group", "peer_pairs", "form_circles"]


def match_group(roster, design, *, required: Iterable[tuple[str, str]] = (),
                forbidden: Iterable[tuple[str, str]] = (), time_limit: float | None = None) -> MatchResult:
    """Dispatch on the design's shape (``peer_pairs`` or ``circles``)."""
    if design.shape == "peer_pairs":
        return peer_pairs(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)
    return form_circles(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)


def _status(problem, solver, solver_name: str, size: int) -> tuple[str, Certificate]:
    """Solve (silently, zero gap tolerance) and say what is proven: the gap HiGHS reports, or none."""
    status = pulp.LpStatus[problem.solve(solver)]
    gap, bound = _proven_gap(problem)
    if status == "Optimal":  # solved with zero gap tolerances: HiGHS says Optimal only at a closed gap
        return "optimal", Certificate(True, "milp", size, size, 1, 0.0, solver_name,
                                      [f"proven gap {gap:.2g}"] if gap is not None else [], bound)
    if status == "Infeasible":
        return "infeasible", Certificate(False, "infeasible", size, size, 1, float("nan"), solver_name,
                                         ["the pins, bans and circle sizes cannot all be met"])
    proven = f"; proven gap {gap:.2g} (the best possible is at most {bound:.6g} in the solver's units)" \
        if gap is not None and bound is not None else "; no gap proven"
    return "time_limit", Certificate(False, "stopped", size, size, 1, float("nan"), solver_name,
                                     [f"the solver stopped with status {status}{proven}"], bound)


def _proven_gap(problem) -> tuple[float | None, float | None]:
    """The relative gap and dual bound HiGHS proved for a PuLP problem (None with CBC)."""
    highs = getattr(problem, "solverModel", None)
    if highs is None or not hasattr(highs, "getInfo"):
        return None, None
    info = highs.getInfo()
    if info.mip_node_count < 0:  # solved as an LP (no integer variables): no gap to report
        return 0.0, None
    return max(float(info.mip_gap), 0.0), abs(float(info.mip_dual_bound))


def peer_pairs(roster, design, *, required=(), forbidden=(), time_limit=None) -> MatchResult:
    """Pair a pool of peers: most people paired, then the highest total score (exact)."""
    clock = time.perf_counter()
    model = ScoreModel.build(roster, design)
    edges = candidate_edges(roster, design, model=model, min_score=design.rules.min_score)
    banned = {frozenset(pair) for pair in forbidden}
    edges = edges[np.array([frozenset(pair) not in banned for pair in zip(edges["mentee_id"], edges["mentor_id"])],
                           dtype=bool)]
    edges = edges.reset_index(drop=True)
    pinned = {frozenset(pair) for pair in required}
    keys = [frozenset(pair) for pair in zip(edges["mentee_id"], edges["mentor_id"])]
    for pair in pinned - set(keys):
        first, second = sorted(pair)
        raise MatchingError(f"The pinned pair {roster.display_name(first)} - {roster.display_name(second)} breaks "
                            "the programme's rules.", fix="unpin it, or switch off that rule in the design")
    solver, solver_name = pick_solver(time_limit)
    scores = edges["score"].to_numpy(dtype=float)
    # One integer programme: weight = 1 pair x (a bonus above any total score) + score, so the most
    # pairs come first and the total decides between equally large pairings.
    bonus = float(scores.sum()) + 1.0
    problem = pulp.LpProblem("peer_pairs", pulp.LpMaximize)
    variables = [problem.add_variable(f"x{index}", lowBound=1 if key in pinned else 0, upBound=1, cat="Integer")
                 for index, key in enumerate(keys)]
    problem += pulp.lpSum((bonus + score) * variable for score, variable in zip(scores, variables))
    incident: dict[str, list] = {}
    for variable, first, second in zip(variables, edges["mentee_id"], edges["mentor_id"]):
        incident.setdefault(first, []).append(variable)
        incident.setdefault(second, []).append(variable)
    for person, members in sorted(incident.items()):
        problem += pulp.lpSum(members) <= 1, f"person_{person}"
    status, certificate = _status(problem, solver, solver_name, len(edges))
    chosen = [index for index, variable in enumerate(variables) if (variable.value() or 0) > 0.5]
    pairs = edges.iloc[chosen].sort_values(["mentee_id", "mentor_id"], ignore_index=True)
    paired = set(pairs["mentee_id"]) | set(pairs["mentor_id"])
    records = []
    for person in roster.ids:
        if person in paired:
            continue
        if person not in incident:
            reason, suggestion = ("no eligible peer under the programme's rules",
                                  "relax a rule for them (see the readiness report's at-risk list)")
        else:
            reason = "every eligible peer was paired with someone else (an odd pool or few options)"
            suggestion = "form one trio, or pair them with the programme lead"
        records.append({"participant_id": person, "role": "peer", "reason": reason, "suggestion": suggestion})
    unmatched = pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])
    result = MatchResult(roster, design, "peer_pairs", pairs,
                         pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]), unmatched, status,
                         float(pairs["score"].sum()) if len(pairs) else 0.0, certificate,
                         required=tuple(map(tuple, required)), forbidden=tuple(map(tuple, forbidden)), candidate_edges=edges,
                         explainer=_explain_pairs_table)
    result.seconds = time.perf_counter() - clock
    return result


def _explain_pairs_table(result: MatchResult, participant_id: str) -> Explanation:
    roster, pairs, edges = result.roster, result.pairs, result.candidate_edges
    mine = pairs[(pairs["mentee_id"] == participant_id) | (pairs["mentor_id"] == participant_id)]
    options = edges[(edges["mentee_id"] == participant_id) | (edges["mentor_id"] == participant_id)].copy()
    options["other"] = np.where(options["mentee_id"] == participant_id, options["mentor_id"], options["mentee_id"])
    options = options.sort_values(["score", "other"], ascending=[False, True])
    if mine.empty:
        reason = result.unmatched.set_index("participant_id").loc[participant_id, "reason"]
        return Explanation(participant_id, f"{roster.display_name(participant_id)} is not paired: {reason}.")
    row = mine.iloc[0]
    partner = row["mentor_id"] if row["mentee_id"] == participant_id else row["mentee_id"]
    criteria = [column for column in pairs.columns if column not in ("mentee_id", "mentor_id", "score")]
    shown = " + ".join(f"{name.replace('_', ' ')} {row[name]:.2f}" for name in criteria if row[name])
    runners = options[options["other"] != partner].head(3)
    runners = pd.DataFrame({"partner_id": runners["other"], "name": [roster.display_name(p) for p in runners["other"]],
                            "score": runners["score"], "gap": float(row["score"]) - runners["score"]})
    text = (f"{roster.display_name(participant_id)} is paired with {roster.display_name(partner)}: score "
            f"{row['score']:.2f} = {shown or '0'}.")
    if len(runners):
        text += (f"\nRunner-up: {runners['name'].iloc[0]} ({runners['score'].iloc[0]:.2f}); pairing them instead "
                 "would leave fewer people paired or a lower total.")
    return Explanation(participant_id, text, partner=partner,
                       parts={name: float(row[name]) for name in criteria}, runners_up=runners.reset_index(drop=True))


def form_circles(roster, design, *, required=(), forbidden=(), time_limit=None) -> MatchResult:
    """Circles of members around facilitators: most members placed, then the best total fit (exact).

    ``required``/``forbidden`` take (member, facilitator) pairs: pin a member to a
    facilitator's circle, or keep them out of it.
    """
    clock = time.perf_counter()
    settings = design.circles
    facilitators = list(roster.facilitators()["participant_id"])
    members = [person for person in roster.ids if person not in set(facilitators)]
    if not facilitators:
        raise MatchingError("Nobody in the roster can facilitate a circle.",
                            fix="mark facilitators (role mentor, or can_facilitate: yes) in the sign-up file")
    context = RuleContext.build(roster, design, mentee_ids=members, mentor_ids=facilitators)
    model = ScoreModel.build(roster, design, context=context)
    allowed = context.allowed()
    score = model.scores()
    for member, facilitator in forbidden:
        if member in members and facilitator in facilitators:
            allowed[members.index(member), facilitators.index(facilitator)] = False
    pinned = [(members.index(m), facilitators.index(f)) for m, f in required if m in members and f in facilitators]
    for row, col in pinned:
        if not allowed[row, col]:
            raise MatchingError(f"{roster.display_name(members[row])} cannot join "
                                f"{roster.display_name(facilitators[col])}'s circle under the programme's rules.",
                                fix="unpin them, or switch off that rule in the design")
    # Members who may not share a circle: reporting lines and do-not-match lists among members.
    peer_context = RuleContext.build(roster, design.override({"rules": {"exclude_same_team": False,
                                                                          "exclude_same_department": False,
                                                                          "require_shared_language": False,
                                                                          "max_timezone_difference_hours": None,
                                                                          "min_availability_overlap_hours": None},
                                                                "seniority": {"direction": "any"}}),
                                     mentee_ids=members, mentor_ids=members)
    peer_masks = peer_context.excluded()
    conflict = np.zeros((len(members), len(members)), dtype=bool)
    for rule in ("own_manager", "reporting_line", "exclusions"):
        if rule in peer_masks:
            conflict |= peer_masks[rule]
    solver, solver_name = pick_solver(time_limit)
    links = [(row, col) for row in range(len(members)) for col in range(len(facilitators)) if allowed[row, col]]
    bonus = float(sum(score[row, col] for row, col in links)) + 1.0
    problem = pulp.LpProblem("circles", pulp.LpMaximize)
    place = {(row, col): problem.add_variable(f"y_{row}_{col}", lowBound=1 if (row, col) in pinned else 0,
                                              upBound=1, cat="Integer") for row, col in links}
    opened = {col: problem.add_variable(f"open_{col}", lowBound=0, upBound=1, cat="Integer")
              for col in range(len(facilitators))}
    problem += pulp.lpSum((bonus + float(score[row, col])) * variable for (row, col), variable in place.items())
    by_member: dict[int, list] = {}
    by_circle: dict[int, list] = {}
    for (row, col), variable in place.items():
        by_member.setdefault(row, []).append(variable)
        by_circle.setdefault(col, []).append(((row, col), variable))
    for row, variables in by_member.items():
        problem += pulp.lpSum(variables) <= 1, f"member_{row}"
    people = roster.participants.set_index("participant_id")
    cap_share = max(2, math.ceil(settings.max_size / 2))
    for col, items in by_circle.items():
        size = pulp.lpSum(variable for _, variable in items)
        problem += size <= settings.max_size * opened[col], f"max_size_{col}"
        problem += size >= settings.min_size * opened[col], f"min_size_{col}"
        for attribute in [name for name in settings.balance if name == "department"]:
            groups: dict[str, list] = {}
            for (row, _), variable in items:
                value = people.at[members[row], attribute]
                if isinstance(value, str):
                    groups.setdefault(value, []).append(variable)
            for value, variables in groups.items():
                if len(variables) > cap_share:
                    problem += pulp.lpSum(variables) <= cap_share
        inside = {row: variable for (row, _), variable in items}
        for first in inside:
            for second in inside:
                if first < second and (conflict[first, second] or conflict[second, first]):
                    problem += inside[first] + inside[second] <= 1
    status, certificate = _status(problem, solver, solver_name, len(links))
    assigned = sorted((col, row) for (row, col), variable in place.items() if (variable.value() or 0) > 0.5)
    used = sorted({col for col, _ in assigned}, key=lambda col: facilitators[col])
    names = {col: f"C{number:02d}" for number, col in enumerate(used, start=1)}
    records = [{"circle_id": names[col], "participant_id": facilitators[col], "circle_role": "facilitator"}
               for col in used]
    records += [{"circle_id": names[col], "participant_id": members[row], "circle_role": "member"}
                for col, row in assigned]
    circles = pd.DataFrame(records, columns=["circle_id", "participant_id", "circle_role"]).sort_values(
        ["circle_id", "circle_role", "participant_id"], key=lambda column: column.map(
            {"facilitator": 0, "member": 1}) if column.name == "circle_role" else column, ignore_index=True)
    placed = {members[row] for _, row in assigned}
    unmatched = []
    for row, member in enumerate(members):
        if member in placed:
            continue
        if not allowed[row].any():
            reason, suggestion = ("no facilitator may lead them under the programme's rules",
                                  "recruit a facilitator outside their reporting line, or relax the seniority rule")
        else:
            reason, suggestion = ("every circle they could join is full or would break a rule",
                                  "recruit one more facilitator, or raise circles.max_size")
        unmatched.append({"participant_id": member, "role": "member", "reason": reason, "suggestion": suggestion})
    for col, facilitator in enumerate(facilitators):
        if col not in names:
            unmatched.append({"participant_id": facilitator, "role": "facilitator",
                              "reason": "not needed: the members fit in fewer circles",
                              "suggestion": "ask them to co-facilitate or to lead a circle in the next cohort"})
    objective = float(sum(score[row, col] for col, row in assigned))
    result = MatchResult(roster, design, "circles", pd.DataFrame(columns=["mentee_id", "mentor_id", "score"]),
                         circles, pd.DataFrame(unmatched, columns=["participant_id", "role", "reason", "suggestion"]),
                         status, objective, certificate, required=tuple(map(tuple, required)), forbidden=tuple(map(tuple, forbidden)),
                         circle_scores=CircleScores(members, facilitators, score, allowed), explainer=_explain_circle)
    result.seconds = time.perf_counter() - clock
    return result


def _explain_circle(result: MatchResult, participant_id: str) -> Explanation:
    roster = result.roster
    members, facilitators, score, allowed = result.circle_scores
    circles = result.circles
    mine = circles[circles["participant_id"] == participant_id]
    if mine.empty:
        reason = result.unmatched.set_index("participant_id").loc[participant_id, "reason"]
        return Explanation(participant_id, f"{roster.display_name(participant_id)} is not in a circle: {reason}.")
    circle_id = mine["circle_id"].iloc[0]
    everyone = circles[circles["circle_id"] == circle_id]
    facilitator = everyone.loc[everyone["circle_role"] == "facilitator", "participant_id"].iloc[0]
    others = [roster.display_name(p) for p in everyone["participant_id"] if p != participant_id]
    text = f"{roster.display_name(participant_id)} is in circle {circle_id} with " + ", ".join(others) + "."
    if participant_id in members:
        row, col = members.index(participant_id), facilitators.index(facilitator)
        text += f"\nFit with the facilitator {roster.display_name(facilitator)}: {score[row, col]:.2f}."
        alternatives = [(float(score[row, c]), facilitators[c]) for c in np.flatnonzero(allowed[row]) if c != col]
        alternatives.sort(key=lambda item: (-item[0], item[1]))
        if alternatives:
            text += (f"\nBest other facilitator: {roster.display_name(alternatives[0][1])} ({alternatives[0][0]:.2f}); "
                     "circle sizes and balance decided between them.")
    return Explanation(participant_id, text, partner=facilitator)
