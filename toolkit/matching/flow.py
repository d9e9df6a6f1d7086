"""The capacitated assignment as a min-cost flow, with LP duals recovered from the flow.

For the plain b-matching (no pinned pairs, quotas or cardinality rows) the LP of
:mod:`toolkit.matching.solver` is a network problem. OR-Tools' min-cost flow solves it
exactly and quickly even when many profiles tie (where simplex crawls through degenerate
pivots: Northwind repeated to 5,000 people took 18 s in HiGHS). The flow has no LP duals,
so :func:`flow_duals` computes them: with the chosen pairs fixed, the duals are shortest-path
distances in a graph of difference constraints (one arc per complementary-slackness or
dual-feasibility condition), found by a vectorised Bellman-Ford. They exist exactly when the
flow is optimal, and the solver then prices every pruned pair with them as it does with
HiGHS' duals, so the certificate is the same LP-duality argument.

Costs are scaled to integers for the flow (``scale``, about twelve significant digits); the
duals are computed on the same integers, so they are exact for the scaled problem, and the
solver checks the reduced costs on the float scores with its tolerance.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["flow_scale", "solve_flow", "flow_duals"]

_FAR = np.int64(1) << np.int64(60)  # "not reached yet" in the shortest-path distances


def flow_scale(weight: np.ndarray) -> float:
    """Integer cost scale: about 1e12 for the largest weight, at most 1e9 per unit."""
    largest = float(np.abs(weight).max()) if len(weight) else 1.0
    return min(1e9, 1e12 / max(largest, 1e-9))


def solve_flow(rows: np.ndarray, cols: np.ndarray, cost: np.ndarray, demand: np.ndarray,
               capacity: np.ndarray) -> np.ndarray | None:
    """Maximum-weight b-matching on these edges (``cost`` = -weight, integers): which edges are used.

    None when the flow solver does not report an optimum.
    """
    mentees, mentors = len(demand), len(capacity)
    supply = int(demand.sum())
    source, sink = 0, 1
    mentee_node = 2 + np.arange(mentees, dtype=np.int64)
    mentor_node = 2 + mentees + np.arange(mentors, dtype=np.int64)
    tails = np.concatenate([np.zeros(mentees, np.int64), mentee_node[rows], mentor_node, [source]])
    heads = np.concatenate([mentee_node, mentor_node[cols], np.full(mentors, sink, np.int64), [sink]])
    capacities = np.concatenate([demand, np.ones(len(rows)), capacity, [supply]]).astype(np.int64)
    costs = np.concatenate([np.zeros(mentees, np.int64), cost, np.zeros(mentors + 1, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(2 + mentees + mentors, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    return flow.flows(np.arange(mentees, mentees + len(rows))) > 0


def flow_duals(rows: np.ndarray, cols: np.ndarray, cost: np.ndarray, used: np.ndarray, demand: np.ndarray,
               capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Optimal LP duals (per mentee, per mentor; integers on the cost scale) for an optimal b-matching.

    The conditions, with u (mentees) and v = -q (mentors) as potentials and a root at 0:
    unused edge u_i + v_j >= w (arc i -> j, cost -w); used edge u_i + v_j <= w (arc j -> i, cost w);
    u >= 0 (arc i -> root), v >= 0 (arc root -> j); u_i = 0 where a mentee has room (arc root -> i),
    v_j = 0 where a mentor has room (arc j -> root). Shortest distances from the root satisfy
    them all; None if there is a negative cycle (the matching was not optimal).
    """
    mentees, mentors = len(demand), len(capacity)
    root, mentee_node, mentor_node = 0, 1 + np.arange(mentees), 1 + mentees + np.arange(mentors)
    taken = np.bincount(rows[used], minlength=mentees)
    filled = np.bincount(cols[used], minlength=mentors)
    room_mentees = np.flatnonzero(taken < demand)
    room_mentors = np.flatnonzero(filled < capacity)
    weight = -cost
    tails = np.concatenate([mentee_node[rows[~used]], mentor_node[cols[used]], mentee_node,
                            np.zeros(mentors, np.int64), np.zeros(len(room_mentees), np.int64),
                            mentor_node[room_mentors]])
    heads = np.concatenate([mentor_node[cols[~used]], mentee_node[rows[used]], np.zeros(mentees, np.int64),
                            mentor_node, mentee_node[room_mentees], np.zeros(len(room_mentors), np.int64)])
    lengths = np.concatenate([-weight[~used], weight[used], np.zeros(mentees + mentors + len(room_mentees)
                                                                     + len(room_mentors), np.int64)])
    if not len(heads):
        return np.zeros(mentees, np.int64), np.zeros(mentors, np.int64)
    order = np.argsort(heads, kind="stable")
    tails, heads, lengths = tails[order], heads[order], lengths[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    distance = np.full(1 + mentees + mentors, _FAR, dtype=np.int64)
    distance[root] = 0
    for _ in range(2 * (1 + mentees + mentors)):
        reached = distance[tails]
        offered = np.where(reached < _FAR, reached + lengths, _FAR)
        best = np.minimum.reduceat(offered, starts)
        improved = best < distance[targets]
        if not improved.any():
            if distance[root] < 0 or (distance >= _FAR).any():
                return None
            return distance[mentee_node], -distance[mentor_node]
        distance[targets[improved]] = best[improved]
        if distance[root] < 0:
            return None  # a negative cycle through the root
    return None
