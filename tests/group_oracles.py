"""Independent solves of peer pairs and circles, for the tests and benchmarks/groups_at_scale.py.

- :func:`networkx_pairing`: networkx's ``max_weight_matching`` (a pure-Python blossom algorithm,
  written apart from the toolkit) on every allowed pair: the most pairs, then the highest total.
- :func:`full_circles`: the circles as one plain integer programme holding every allowed link (PuLP,
  HiGHS, zero gap): the model ``form_circles`` solved before it pruned and priced (same rules, sizes,
  balance and conflicts), so it shares nothing with the toolkit's search but the inputs.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pulp

from toolkit.matching.circle_model import CirclePool
from toolkit.matching.lp import quiet_highs
from toolkit.matching.peers import PeerPool


def networkx_pairing(pool: PeerPool) -> tuple[int, float]:
    """(pairs, total score) of the best pairing of the pool's free people, pins excluded (exact)."""
    graph = nx.Graph()
    first, second = np.nonzero(np.triu(pool.allowed, 1))
    # Integer weights (1e-9 units) keep the blossom algorithm's comparisons exact.
    graph.add_weighted_edges_from(zip(first.tolist(), second.tolist(),
                                      np.round(pool.score[first, second] * 1e9).astype(np.int64).tolist()))
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return len(matching), float(sum(pool.score[min(a, b), max(a, b)] for a, b in matching))


def full_circles(pool: CirclePool, time_limit: float | None = None) -> dict:
    """Every allowed link a binary variable; returns status, members placed, total score, HiGHS' gap."""
    quiet_highs()
    m, f = pool.allowed.shape
    links = list(zip(*np.nonzero(pool.allowed)))
    best = float(pool.score[pool.allowed].max()) if links else 0.0
    bonus = m * max(best, 0.0) + 1.0
    problem = pulp.LpProblem("circles", pulp.LpMaximize)
    pinned = set(pool.pins)
    place = {(r, c): problem.add_variable(f"y_{r}_{c}", lowBound=1 if (r, c) in pinned else 0, upBound=1,
                                          cat="Integer") for r, c in links}
    opened = {c: problem.add_variable(f"open_{c}", lowBound=0, upBound=1, cat="Integer") for c in range(f)}
    problem += pulp.lpSum((bonus + float(pool.score[r, c])) * v for (r, c), v in place.items())
    by_member: dict[int, list] = {}
    by_circle: dict[int, list] = {}
    for (r, c), variable in place.items():
        by_member.setdefault(r, []).append(variable)
        by_circle.setdefault(c, []).append((r, variable))
    for variables in by_member.values():
        problem += pulp.lpSum(variables) <= 1
    for c, items in by_circle.items():
        size = pulp.lpSum(v for _, v in items)
        problem += size <= pool.max_size * opened[c]
        problem += size >= pool.min_size * opened[c]
        if pool.cap is not None:
            groups: dict[int, list] = {}
            for r, v in items:
                if pool.department[r] >= 0:
                    groups.setdefault(int(pool.department[r]), []).append(v)
            for variables in groups.values():
                if len(variables) > pool.cap:
                    problem += pulp.lpSum(variables) <= pool.cap
        inside = dict(items)
        for a in inside:
            for b in pool.conflicts[a]:
                if a < b and b in inside:
                    problem += inside[a] + inside[b] <= 1
    options = {"msg": False, "gapRel": 0.0, "gapAbs": 0.0}
    if time_limit is not None:
        options["timeLimit"] = float(time_limit)
    status = pulp.LpStatus[problem.solve(pulp.HiGHS(**options))]
    chosen = [(r, c) for (r, c), v in place.items() if (v.value() or 0) > 0.5]
    highs = getattr(problem, "solverModel", None)
    gap = float(highs.getInfo().mip_gap) if highs is not None else math.nan
    return {"status": status, "placed": len(chosen), "total": float(sum(pool.score[r, c] for r, c in chosen)),
            "gap": gap, "chosen": chosen}
