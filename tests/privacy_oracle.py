"""LP oracle for cell suppression: how far can a reader pin down each hidden cell of a breakdown?

Given exactly what a reader sees — the shown rows, each column's total, how many rows are hidden,
that a hidden group has someone in it and that a sub-count lies between 0 and its row's people —
scipy's ``linprog`` finds the smallest and largest value each hidden cell can take. The criterion is
the one documented in ``toolkit/privacy.py``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def hidden_ranges(counts, subs, hidden):
    """LP bounds of each hidden cell given what is published: [(low, high) of people], [[(low, high)] per sub]."""
    counts, hidden = np.asarray(counts, float), np.asarray(hidden, bool)
    rows = np.flatnonzero(hidden)
    k, m = len(rows), len(subs)
    size = k * (1 + m)  # variables: people of each hidden row, then each sub-count of each hidden row
    a_eq, b_eq = [], []
    line = np.zeros(size)
    line[:k] = 1
    a_eq.append(line)
    b_eq.append(counts[rows].sum())
    for j, sub in enumerate(subs):
        line = np.zeros(size)
        line[k * (1 + j):k * (2 + j)] = 1
        a_eq.append(line)
        b_eq.append(np.asarray(sub, float)[rows].sum())
    a_ub, b_ub = [], []
    for j in range(m):
        for position in range(k):
            line = np.zeros(size)
            line[k * (1 + j) + position], line[position] = 1, -1  # sub-count <= people
            a_ub.append(line)
            b_ub.append(0)
    bounds = [(min(1.0, counts[row]), None) for row in rows] + [(0, None)] * (k * m)

    def extremes(variable):
        objective = np.zeros(size)
        objective[variable] = 1
        low = linprog(objective, A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
        high = linprog(-objective, A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
        assert low.status == 0 and high.status == 0
        return low.fun, -high.fun

    return ([extremes(position) for position in range(k)],
            [[extremes(k * (1 + j) + position) for position in range(k)] for j in range(m)])


def assert_safe(counts, subs, hidden, min_group):
    counts, hidden = np.asarray(counts, float), np.asarray(hidden, bool)
    assert not (counts[~hidden] < min_group).any(), "a small group is shown"
    if not hidden.any() or hidden.all():
        return  # nothing hidden, or nothing shown but the total (which describes everyone)
    sizes, subhidden_ranges = hidden_ranges(counts, subs, hidden)
    for low, high in sizes:
        assert high - low > 1e-6, "a hidden group's size follows from the shown rows and the total"
        assert high >= min_group - 1e-6, "the reader can tell a hidden group is small"
    for sub, ranges in zip(subs, subhidden_ranges):
        total, everyone = float(np.sum(sub)), counts.sum()
        if 0 < total < everyone:
            for low, high in ranges:
                assert high - low > 1e-6, "a hidden group's sub-count follows from the totals"
