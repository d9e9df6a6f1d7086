"""Peer pairs (one pool) and group mentoring circles: certified groupings at scale, with a time limit.

Peer pairing is a maximum-weight matching on a general graph (:mod:`toolkit.matching.peers`);
circles place members around facilitators within sizes, balance and conflicts
(:mod:`toolkit.matching.circle_model`). Both objectives are exact and lexicographic: the most
people placed first, then the highest total score. Both are solved by
:func:`toolkit.matching.group_model.solve_restricted` on each person's best links and certified
against every allowed link with LP prices; a time limit returns the best grouping found,
completed greedily (nobody left out could still join), with the gap proven to the best possible.
This module turns the answer into a :class:`MatchResult` and explains it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .circle_model import CircleFamily, CirclePool, build_circle_pool
from .group_model import Budget, RestrictedIP, Solved, lexicographic_notes, solve_restricted
from .peers import PeerFamily, PeerPool, build_pool
from .problem import Certificate
from .result import CircleScores, Explanation, MatchResult
from .solver import SOLVER_NAME

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

PEER_SOLVER = "rustworkx blossom (max_weight_matching) on the pruned pairs, priced with HiGHS LP duals"
CIRCLE_SOLVER = SOLVER_NAME + ": integer programme on the pruned links, priced with its LP duals"

__all__ = ["match_group", "peer_pairs", "form_circles"]


def match_group(roster: Roster, design: ProgramDesign, *, required: Iterable[tuple[str, str]] = (),
                forbidden: Iterable[tuple[str, str]] = (), time_limit: float | None = None) -> MatchResult:
    """Dispatch on the design's shape (``peer_pairs`` or ``circles``)."""
    if design.shape == "peer_pairs":
        return peer_pairs(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)
    return form_circles(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)


def _certificate(solved: Solved, bonus: float, links: int, placed: int, total: float, *, unit: str, per_link: int,
                 candidates: int, solver: str, pins_value: float = 0.0) -> tuple[str, Certificate]:
    """The status and certificate of a group solve, read back from weighted units into people and scores."""
    if solved.status == "infeasible":
        return "infeasible", Certificate(False, "infeasible", candidates, solved.in_model, solved.rounds, float("nan"),
                                         solver, solved.notes)
    score_bound, notes = lexicographic_notes(solved.bound + pins_value, bonus, links, placed, total, unit=unit,
                                             per_link=per_link)
    if solved.status == "optimal":
        method = "lp-duals" if solved.method == "lp" else "milp-priced"
        return "optimal", Certificate(True, method, candidates, solved.in_model, solved.rounds,
                                      float(solved.max_reduced), solver, notes, score_bound)
    how = "greedy (best score first, within every rule)" if solved.method == "greedy" else solver
    return "time_limit", Certificate(False, "stopped", candidates, solved.in_model, solved.rounds, float("nan"), how,
                                     solved.notes + notes, score_bound)


def peer_pairs(roster: Roster, design: ProgramDesign, *, required: Iterable[tuple[str, str]] = (),
               forbidden: Iterable[tuple[str, str]] = (), time_limit: float | None = None,
               clock: Callable[[], float] | None = None) -> MatchResult:
    """Pair a pool of peers: most people paired, then the highest total score.

    Solved on each person's best partners and certified against every allowed pair
    (:mod:`toolkit.matching.peers`). ``time_limit`` (seconds, measured on ``clock``) stops the
    search between phases: the best pairing found so far is completed greedily until no two
    unpaired people may pair, and its certificate gives the proven gap to the best possible.
    """
    started = time.perf_counter()
    required = [(str(first), str(second)) for first, second in required]
    forbidden = [(str(first), str(second)) for first, second in forbidden]
    budget = Budget(time_limit, clock or time.perf_counter)
    pool = build_pool(roster, design, required=required, forbidden=forbidden)
    pinned_scores = [float(pool.score[a, b]) for a, b in pool.pins]
    best = max([float(pool.score[pool.allowed].max()) if pool.allowed.any() else 0.0, *pinned_scores])
    bonus = max(1.0, float(pool.eligible.sum() // 2) * max(best, 0.0) + 1.0)  # above any total of scores
    family = PeerFamily(pool, RestrictedIP(budget), bonus)
    solved = solve_restricted(family, budget)
    n = pool.size
    chosen = [(int(key // n), int(key % n)) for key in solved.keys] + [(min(pin), max(pin)) for pin in pool.pins]
    pairs = _peer_table(pool, sorted(chosen))
    pins_value = float(sum(bonus + pool.score[a, b] for a, b in pool.pins))
    total = float(pairs["score"].sum()) if len(pairs) else 0.0
    status, certificate = _certificate(solved, bonus, len(pairs), 2 * len(pairs), total, unit="people", per_link=2,
                                       candidates=family.candidates + len(pool.pins), solver=PEER_SOLVER,
                                       pins_value=pins_value)
    paired = set(pairs["mentee_id"]) | set(pairs["mentor_id"])
    records = []
    for index, person in enumerate(pool.ids):
        if person in paired:
            continue
        if not pool.eligible[index]:
            reason, suggestion = ("no eligible peer under the programme's rules",
                                  "relax a rule for them (see the readiness report's at-risk list)")
        else:
            reason = "every eligible peer was paired with someone else (an odd pool or few options)"
            suggestion = "form one trio, or pair them with the programme lead"
        records.append({"participant_id": person, "role": "peer", "reason": reason, "suggestion": suggestion})
    unmatched = pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])
    ids = np.array(pool.ids, dtype=object)
    held = pd.DataFrame({"mentee_id": ids[family.first], "mentor_id": ids[family.second],
                         "score": pool.score[family.first, family.second]})
    result = MatchResult(roster, design, "peer_pairs", pairs,
                         pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]), unmatched, status,
                         total, certificate, required=tuple(required), forbidden=tuple(forbidden),
                         candidate_edges=held.sort_values(["mentee_id", "mentor_id"], ignore_index=True),
                         explainer=_explain_pairs_table)
    result.seconds = time.perf_counter() - started
    return result


def _peer_table(pool: PeerPool, chosen: list[tuple[int, int]]) -> pd.DataFrame:
    """The pairs with each criterion's weighted part averaged over both directions (they add up to the score)."""
    model = pool.model
    first = np.array([a for a, _ in chosen], dtype=np.int64)
    second = np.array([b for _, b in chosen], dtype=np.int64)
    forward, backward = model.pair_parts(first, second), model.pair_parts(second, first)
    parts = {name: (forward[name] + backward[name]) / 2 for name in model.active}
    ids = np.array(pool.ids, dtype=object)
    score = np.sum([parts[name] for name in model.active], axis=0) if model.active else np.zeros(len(first))
    table = pd.DataFrame({"mentee_id": ids[first] if len(first) else [], "mentor_id": ids[second] if len(first) else [],
                          "score": score if len(first) else [], **{name: parts[name] for name in model.active}},
                         columns=["mentee_id", "mentor_id", "score", *model.active])
    return table.sort_values(["mentee_id", "mentor_id"], ignore_index=True)


def _explain_pairs_table(result: MatchResult, participant_id: str) -> Explanation:
    roster, pairs, edges = result.roster, result.pairs, result.candidate_edges
    assert edges is not None  # peer-pair results carry the pairs their model held
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


def form_circles(roster: Roster, design: ProgramDesign, *, required: Iterable[tuple[str, str]] = (),
                 forbidden: Iterable[tuple[str, str]] = (), time_limit: float | None = None,
                 clock: Callable[[], float] | None = None) -> MatchResult:
    """Circles of members around facilitators: most members placed, then the best total fit.

    ``required``/``forbidden`` take (member, facilitator) pairs: pin a member to a
    facilitator's circle, or keep them out of it. Solved on each member's best facilitators and
    certified against every allowed link (:mod:`toolkit.matching.circle_model`); ``time_limit``
    (seconds, on ``clock``) returns the best circles found so far, completed greedily, with the
    proven gap to the best possible.
    """
    started = time.perf_counter()
    required = [(str(first), str(second)) for first, second in required]
    forbidden = [(str(first), str(second)) for first, second in forbidden]
    budget = Budget(time_limit, clock or time.perf_counter)
    pool = build_circle_pool(roster, design, required=required, forbidden=forbidden)
    reachable = pool.allowed.any(axis=1)
    best = float(pool.score[pool.allowed].max()) if reachable.any() else 0.0
    bonus = max(1.0, float(reachable.sum()) * max(best, 0.0) + 1.0)  # above any total of scores
    family = CircleFamily(pool, RestrictedIP(budget), bonus)
    solved = solve_restricted(family, budget)
    rows, cols = solved.keys // family.f, solved.keys % family.f
    objective = float(pool.score[rows, cols].sum())
    status, certificate = _certificate(solved, bonus, len(rows), len(rows), objective, unit="members", per_link=1,
                                       candidates=family.candidates, solver=CIRCLE_SOLVER)
    missing = [(row, col) for row, col in pool.pins if not np.any((rows == row) & (cols == col))]
    if missing and status != "infeasible":
        certificate.notes.append(f"{len(missing)} pinned member{'s' if len(missing) != 1 else ''} could not be "
                                 "placed in the time: their circle could not be filled to circles.min_size")
    circles = _circle_table(pool, rows, cols)
    result = MatchResult(roster, design, "circles", pd.DataFrame(columns=["mentee_id", "mentor_id", "score"]),
                         circles, _circle_unmatched(pool, rows, cols), status, objective, certificate,
                         required=tuple(required), forbidden=tuple(forbidden),
                         circle_scores=CircleScores(pool.members, pool.facilitators, pool.score, pool.allowed),
                         explainer=_explain_circle)
    result.seconds = time.perf_counter() - started
    return result


def _circle_table(pool: CirclePool, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
    """circle_id, participant_id, circle_role: circles numbered in facilitator-id order, facilitator first."""
    names = {col: f"C{number:02d}" for number, col in enumerate(sorted(set(cols.tolist())), start=1)}
    records = [{"circle_id": names[col], "participant_id": pool.facilitators[col], "circle_role": "facilitator"}
               for col in sorted(names)]
    records += [{"circle_id": names[col], "participant_id": pool.members[row], "circle_role": "member"}
                for row, col in zip(rows.tolist(), cols.tolist())]
    return pd.DataFrame(records, columns=["circle_id", "participant_id", "circle_role"]).sort_values(
        ["circle_id", "circle_role", "participant_id"], key=lambda column: column.map(
            {"facilitator": 0, "member": 1}) if column.name == "circle_role" else column, ignore_index=True)


def _circle_unmatched(pool: CirclePool, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
    """Everyone not in a circle, with the reason and a suggestion."""
    placed, leading = set(rows.tolist()), set(cols.tolist())
    records = []
    for row, member in enumerate(pool.members):
        if row in placed:
            continue
        if not pool.allowed[row].any():
            reason, suggestion = ("no facilitator may lead them under the programme's rules",
                                  "recruit a facilitator outside their reporting line, or relax the seniority rule")
        else:
            reason, suggestion = ("every circle they could join is full or would break a rule",
                                  "recruit one more facilitator, or raise circles.max_size")
        records.append({"participant_id": member, "role": "member", "reason": reason, "suggestion": suggestion})
    for col, facilitator in enumerate(pool.facilitators):
        if col not in leading:
            records.append({"participant_id": facilitator, "role": "facilitator",
                            "reason": "not needed: the members fit in fewer circles",
                            "suggestion": "ask them to co-facilitate or to lead a circle in the next cohort"})
    return pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])


def _explain_circle(result: MatchResult, participant_id: str) -> Explanation:
    roster = result.roster
    assert result.circle_scores is not None  # circle results carry what they were scored on
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
