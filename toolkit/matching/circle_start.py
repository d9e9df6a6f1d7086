"""Circles found fast: a min-cost flow for sizes and balance, then repairs for minimum sizes and conflicts.

Without the minimum size and the member conflicts, placing members around facilitators is a
network flow: source -> member -> (facilitator, department) -> facilitator -> sink, with one unit
per member, ``max_size`` per facilitator and the balance cap per (facilitator, department), each
member's arc worth the bonus plus their score (a bypass arc to the sink leaves someone out).
OR-Tools solves it exactly in well under a second on 2,000 people. :func:`flow_circles` then makes
the minimum size hold the way a programme lead would: a circle one or two short of the minimum is
kept and must be filled (a lower bound on its facilitator's arc), a smaller one is closed (its
facilitator's arcs removed), and the flow is solved again, until every circle used is large enough.
The greedy of :mod:`toolkit.matching.circle_model` then repairs conflicts and fills what is left.
This is the search's first grouping; the integer programme improves on it and the LP proves how far
from the best it can be.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["flow_circles", "FLOW_ROUNDS"]

FLOW_ROUNDS = 12  # rounds of closing and keeping small circles


def flow_circles(allowed: np.ndarray, weight: np.ndarray, department: np.ndarray, cap: int | None,
                 min_size: int, max_size: int, pins: list[tuple[int, int]], judge: Callable[[np.ndarray], float],
                 stop: Callable[[], bool] = lambda: False) -> tuple[np.ndarray, float]:
    """The best circles the flow rounds lead to, and the bound the first round proves.

    ``weight`` (members x facilitators) is what each link is worth (positive); pinned members go to
    their facilitator only. Each round's placement is handed to ``judge`` (which repairs conflicts
    and small circles and returns the value of the result); the best judged is returned as keys
    (member * facilitators + facilitator). The first round drops only the minimum sizes (pinned
    circles aside) and the conflicts, so no grouping is worth more than its flow: that value (plus
    the integer costs' rounding) is the bound. Rounds stop when ``stop()`` says the time is up.
    """
    members, leaders = allowed.shape
    closed = np.zeros(leaders, dtype=bool)
    kept = np.zeros(leaders, dtype=bool)
    for _, col in pins:
        kept[col] = True
    fresh = np.zeros(leaders, dtype=bool)
    best, best_value, bound = np.zeros(0, dtype=np.int64), -np.inf, np.inf
    for round_number in range(FLOW_ROUNDS):
        if round_number and stop():
            break
        placed = _solve(allowed & ~closed[None, :], weight, department, cap, min_size * kept, max_size, pins)
        if round_number == 0 and placed is not None:
            # The flow is optimal for costs rounded to 1 / SCALE of the largest: allow that much per member.
            bound = float(weight[placed // leaders, placed % leaders].sum()) + members * _unit(weight, members)
        if placed is None:  # the circles just kept cannot all be filled: close them instead
            if not fresh.any():
                break
            closed |= fresh
            kept &= ~fresh
            fresh[:] = False
            continue
        value = judge(placed)
        if value > best_value:
            best, best_value = placed, value
        sizes = np.bincount(placed % leaders, minlength=leaders)
        small = (sizes > 0) & (sizes < min_size) & ~kept
        if not small.any():
            break
        fresh = small & (2 * sizes >= min_size)
        kept |= fresh
        closed |= small & ~fresh
    return best, bound


def _unit(weight: np.ndarray, members: int) -> float:
    """One unit of the flow's integer costs, in weight."""
    return max(float(weight.max(initial=1.0)) * max(members, 1), 1.0) / 1e12


def _solve(allowed: np.ndarray, weight: np.ndarray, department: np.ndarray, cap: int | None, lower: np.ndarray,
           max_size: int, pins: list[tuple[int, int]]) -> np.ndarray | None:
    """One min-cost flow; the placed links as keys, or None when the lower bounds cannot be met."""
    members, leaders = allowed.shape
    pinned = dict(pins)
    usable = allowed.copy()
    for row, col in pins:
        usable[row] = False
        usable[row, col] = True
    rows, cols = np.nonzero(usable)
    scale = 1.0 / _unit(weight, members)
    cost = -np.round(weight[rows, cols] * scale).astype(np.int64)
    source, sink = 0, 1
    member_node = 2 + np.arange(members)
    leader_node = 2 + members + np.arange(leaders)
    # (facilitator, department) nodes carry the balance cap; members without a department go straight through.
    codes = department[rows] if cap is not None else np.full(len(rows), -1)
    balanced = codes >= 0
    pair_keys = np.unique(cols[balanced] * (int(department.max(initial=0)) + 1) + codes[balanced])
    pair_node = 2 + members + leaders + np.arange(len(pair_keys))
    via = np.full(len(rows), -1, dtype=np.int64)
    via[balanced] = pair_node[np.searchsorted(pair_keys, cols[balanced] * (int(department.max(initial=0)) + 1)
                                              + codes[balanced])]
    heads = np.where(balanced, via, leader_node[cols])
    free = np.array([row not in pinned for row in range(members)], dtype=bool)
    tails = np.concatenate([np.zeros(members, np.int64), member_node[free], member_node[rows],
                            pair_node, leader_node])
    heads_all = np.concatenate([member_node, np.full(int(free.sum()), sink, np.int64), heads,
                                leader_node[pair_keys // (int(department.max(initial=0)) + 1)],
                                np.full(leaders, sink, np.int64)])
    capacity = np.concatenate([np.ones(members), np.ones(int(free.sum())), np.ones(len(rows)),
                               np.full(len(pair_keys), cap or 0), max_size - lower]).astype(np.int64)
    costs = np.concatenate([np.zeros(members + int(free.sum()), np.int64), cost,
                            np.zeros(len(pair_keys) + leaders, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads_all, capacity, costs)
    supplies = np.zeros(2 + members + leaders + len(pair_keys), dtype=np.int64)
    supplies[source], supplies[sink] = members, -members + int(lower.sum())
    supplies[leader_node] = -lower.astype(np.int64)
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    first = members + int(free.sum())
    used = flow.flows(np.arange(first, first + len(rows))) > 0
    return np.sort(rows[used].astype(np.int64) * leaders + cols[used])
