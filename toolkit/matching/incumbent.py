"""The best match found when a time limit stops the search: completed greedily, with a proven bound.

When the time limit stops a one-to-one match the solver has a partial answer (the last min-cost
flow or LP round on the pruned pairs, or nothing at all when the limit is shorter than scoring and
one round). :func:`complete` adds pairs to it until no mentee who still has room has an eligible
mentor with a free place (the match is *maximal*), best score first, within every hard rule the
model holds: only candidate pairs (the rules, bans and the minimum score are already applied to
them), mentor capacities, mentee demand, pinned pairs first. Quotas are minimums of people
matched, so adding pairs never breaks one; members of a quota not yet met are placed first.

:func:`greedy_fill` is the exact greedy b-matching (edges in one fixed order: score from the best,
then a rotation of the mentor order so tied profiles start from different mentors, then the
mentee), computed in vectorised rounds: each round takes every edge that is among its mentee's
best ``room`` edges and among its mentor's best ``room`` edges still open. Such an edge is taken by
the one-by-one greedy whatever happens before it, so the rounds give exactly the greedy's pairs;
each round takes at least the best open edge, and on real rosters a few rounds take nearly all.

:func:`score_bound` is what can be proven without a solver: each mentee's best eligible scores
(up to their demand; mentees not scored yet count the highest score a pair can reach), the largest
of them only as many as there are places.

:func:`best_found` puts these together when a time limit stops the solver: each partial answer it has
completed, the best of them kept, with what is proven about it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .lp import rank_within
from .problem import Certificate, Solved, SolverProblem, edges_of

__all__ = ["greedy_fill", "complete", "quotas_met", "score_bound", "row_max", "gap_note", "best_found", "VECTOR_ROUNDS"]

VECTOR_ROUNDS = 60  # after this many vectorised rounds on a band the few open edges left are taken one by one
BAND = 50_000  # edges per band (at least four per open mentee place)


def greedy_fill(rows: np.ndarray, cols: np.ndarray, score: np.ndarray, room_rows: np.ndarray,
                room_cols: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The greedy's choice among ``edges`` (indices into rows/cols/score) within the rooms left.

    Returns the indices taken (a subset of ``edges``); ``room_rows`` and ``room_cols`` are not changed.
    The edges are taken in bands of the highest scores left (a partition, not a sort of them all):
    the greedy's decisions on a band do not depend on the edges after it.
    """
    room_rows = np.asarray(room_rows).astype(np.int64)  # copies, updated as edges are taken
    room_cols = np.asarray(room_cols).astype(np.int64)
    rest = np.asarray(edges, dtype=np.int64)
    if (room_rows <= 0).any() or (room_cols <= 0).any():
        rest = rest[(room_rows[rows[rest]] > 0) & (room_cols[cols[rest]] > 0)]
    if len(rest) == len(rows) and bool(np.all(rest[1:] > rest[:-1])):  # every edge, in order: no gathering
        rest_rows, rest_cols, rest_score = rows, cols, score
    else:
        rest_rows, rest_cols, rest_score = rows[rest], cols[rest], score[rest]  # carried along, not gathered again
    taken = []
    while len(rest):
        size = max(BAND, 4 * int(np.clip(room_rows, 0, None).sum()))
        if size < len(rest):
            threshold = np.partition(rest_score, len(rest) - size)[len(rest) - size]
            inside = rest_score >= threshold  # ties at the threshold stay together
            band = rest[inside]
            keep = ~inside
        else:
            band, keep = rest, np.zeros(len(rest), dtype=bool)
        taken.append(_greedy_band(rows, cols, score, room_rows, room_cols, band))
        keep &= (room_rows[rest_rows] > 0) & (room_cols[rest_cols] > 0)
        rest, rest_rows, rest_cols, rest_score = rest[keep], rest_rows[keep], rest_cols[keep], rest_score[keep]
    return np.concatenate(taken) if taken else rest


def _greedy_band(rows, cols, score, room_rows, room_cols, edges) -> np.ndarray:
    """Exact greedy on one band of open edges; takes the rooms it uses from room_rows and room_cols."""
    width = max(len(room_cols), 1)
    r, c = rows[edges].astype(np.int64), cols[edges].astype(np.int64)
    order = np.lexsort((r, (c - r) % width, -score[edges]))
    edges, r, c = edges[order], r[order], c[order]  # the greedy's order: position = index
    alive_row = np.argsort(r, kind="stable")  # positions by (mentee, position)
    alive_col = np.argsort(c, kind="stable")  # positions by (mentor, position)
    taken = np.zeros(len(edges), dtype=bool)
    rank_row = np.zeros(len(edges), dtype=np.int64)
    rank_col = np.zeros(len(edges), dtype=np.int64)
    for _ in range(VECTOR_ROUNDS):
        rank_row[alive_row] = rank_within(r[alive_row])
        rank_col[alive_col] = rank_within(c[alive_col])
        accept = alive_row[(rank_row[alive_row] < room_rows[r[alive_row]])
                           & (rank_col[alive_row] < room_cols[c[alive_row]])]
        taken[accept] = True
        room_rows -= np.bincount(r[accept], minlength=len(room_rows))
        room_cols -= np.bincount(c[accept], minlength=len(room_cols))
        open_row = ~taken[alive_row] & (room_rows[r[alive_row]] > 0) & (room_cols[c[alive_row]] > 0)
        open_col = ~taken[alive_col] & (room_rows[r[alive_col]] > 0) & (room_cols[c[alive_col]] > 0)
        alive_row, alive_col = alive_row[open_row], alive_col[open_col]
        if not len(alive_row):
            return edges[taken]
    for position in np.sort(alive_row).tolist():  # the few left, one by one in the greedy's order
        row, col = r[position], c[position]
        if room_rows[row] > 0 and room_cols[col] > 0:
            taken[position] = True
            room_rows[row] -= 1
            room_cols[col] -= 1
    return edges[taken]


def complete(rows: np.ndarray, cols: np.ndarray, score: np.ndarray, demand: np.ndarray, capacity: np.ndarray,
             chosen: np.ndarray | None = None, *, required: np.ndarray | None = None,
             extra_rows=(), allowed: np.ndarray | None = None) -> np.ndarray:
    """``chosen`` (a boolean over edges; none by default) with pairs added greedily until maximal.

    Pinned pairs (``required``) not yet chosen come first, then the members of each quota
    (``extra_rows``: edge mask, minimum, name) not yet met, then every other ``allowed`` edge.
    """
    size = len(rows)
    chosen = np.zeros(size, dtype=bool) if chosen is None else chosen.copy()
    allowed = np.ones(size, dtype=bool) if allowed is None else allowed
    mentees, mentors = len(demand), len(capacity)

    def rooms() -> tuple[np.ndarray, np.ndarray]:
        used = np.flatnonzero(chosen)
        return (np.round(demand).astype(np.int64) - np.bincount(rows[used], minlength=mentees),
                np.round(capacity).astype(np.int64) - np.bincount(cols[used], minlength=mentors))

    stages: list[np.ndarray | None] = []
    if required is not None and required.any():
        stages.append(required)
    for mask, minimum, _ in extra_rows:
        stages.append(mask if _matched(rows, chosen, mask) < minimum else None)
    stages.append(allowed)
    for stage in stages:
        if stage is None:
            continue
        room_rows, room_cols = rooms()
        chosen[greedy_fill(rows, cols, score, room_rows, room_cols, np.flatnonzero(stage & ~chosen))] = True
    return chosen


def _matched(rows: np.ndarray, chosen: np.ndarray, mask: np.ndarray) -> int:
    return int((chosen & mask).sum())  # pairs of the quota's members, as the model's quota row counts them


def quotas_met(rows: np.ndarray, chosen: np.ndarray, extra_rows) -> bool:
    """True when every quota (edge mask, minimum, name) has its minimum of its members' pairs matched."""
    return all(_matched(rows, chosen, mask) >= minimum for mask, minimum, _ in extra_rows)


def score_bound(rows: np.ndarray, score: np.ndarray, demand: np.ndarray, capacity: np.ndarray, *,
                unscored: np.ndarray | None = None, best_pair: float = 0.0) -> float:
    """No match totals more than this: each mentee's best scores up to their demand (the highest a
    pair can score for mentees in ``unscored``), the largest of them only as many as there are places."""
    demand = np.round(demand).astype(np.int64)
    unscored = np.zeros(len(demand), dtype=bool) if unscored is None else unscored
    positive = np.flatnonzero(score > 0)
    if (demand <= 1).all():
        values = np.where((demand > 0) & ~unscored, row_max(rows[positive], score[positive], len(demand)), 0.0)
    else:
        order = positive[np.lexsort((-score[positive], rows[positive]))]
        keep = order[rank_within(rows[order]) < demand[rows[order]]]
        values = score[keep[~unscored[rows[keep]]]]
    values = np.r_[values, np.full(int(demand[unscored].sum()), max(float(best_pair), 0.0))]
    places = int(np.round(capacity).astype(np.int64).sum())
    if len(values) > places:
        values = np.partition(values, len(values) - places)[len(values) - places:] if places > 0 else values[:0]
    return float(values.sum())


def row_max(rows: np.ndarray, score: np.ndarray, mentees: int) -> np.ndarray:
    """Each mentee's best score among these edges (0 for a mentee with none)."""
    best = np.zeros(mentees)
    if not len(rows):
        return best
    if np.all(rows[1:] >= rows[:-1]):  # edges in mentee order (as the engine keeps them): one reduceat
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        best[rows[starts]] = np.maximum.reduceat(score, starts)
    else:
        np.maximum.at(best, rows, score)
    return best


def gap_note(total: float, bound: float) -> str:
    """The plain sentence about a bound: how far the match found can be from the best possible."""
    if not np.isfinite(bound):
        return "no bound on the best possible total is proven"
    gap = max(bound - total, 0.0)
    if bound <= 0 or gap <= 1e-9 * max(1.0, abs(bound)):
        return f"no match can total more than {bound:.2f} (proven), so this is the best possible"
    return (f"no match can total more than {bound:.2f} (proven), so this is within {gap:.2f} "
            f"({gap / bound * 100:.1f}%) of the best possible")


def best_found(problem: SolverProblem, objective: str, options: list[np.ndarray], notes: list[str],
                    bound: float | None, certificate: Certificate) -> Solved:
    """Each partial answer (and none) completed greedily until maximal; the best of them, with its proven bound
    (``certificate``: the stopped phase's, given these ``notes`` and ``bound``).

    Completion adds pairs only (pins first, then members of quotas not yet met), so quota minimums
    met stay met; for ``max_total`` only pairs that do not lower the total are added.
    """
    allowed = problem.score >= 0 if objective == "max_total" else None
    completed = [complete(problem.rows, problem.cols, problem.score, problem.demand, problem.capacity, chosen,
                          required=problem.required, extra_rows=problem.extra_rows, allowed=allowed)
                 for chosen in [np.zeros(problem.size, bool), *options]]

    def key(chosen: np.ndarray) -> tuple:
        total = float(problem.score[chosen].sum())
        pinned = bool(chosen[problem.required].all())
        met = quotas_met(problem.rows, chosen, problem.extra_rows)
        return (pinned, met, total) if objective == "max_total" else (pinned, met, int(chosen.sum()), total)

    best = max(completed, key=key)
    total = float(problem.score[best].sum())
    notes.append(f"best found: {int(best.sum()):,} pairs, total {total:.2f} (completed: no mentee left out has "
                 "an eligible mentor with a free place)")
    if not quotas_met(problem.rows, best, problem.extra_rows):
        notes.append("the match found does not meet every quota")
    if objective == "max_total":
        own = score_bound(problem.rows, problem.score, problem.demand, problem.capacity,
                          unscored=problem.unscored, best_pair=problem.best_pair)
        bound = own if bound is None or not np.isfinite(bound) else min(bound, own)
        notes.append(gap_note(total, bound))
    else:
        bound = None
        unscored = 0.0 if problem.unscored is None else float(problem.demand[problem.unscored].sum())
        reachable = min(float(np.minimum(np.bincount(problem.rows, minlength=len(problem.demand)),
                                         problem.demand).sum()) + unscored, float(problem.capacity.sum()))
        notes.append(f"at most {reachable:,.0f} people can be matched (those with an eligible mentor, within the "
                     "places offered)" + (", so this matches as many as possible" if best.sum() >= reachable else ""))
    return Solved(best, total, "time_limit", replace(certificate, notes=notes, bound=bound), edges=edges_of(problem))
