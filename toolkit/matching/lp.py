"""The core linear programme in HiGHS: silent models, the kept b-matching model, vectorised pruning.

:class:`LPModel` holds the b-matching LP of :mod:`toolkit.matching.solver` in one highspy model,
built from numpy arrays (no modelling layer): pricing rounds add columns, a new phase changes
costs and bounds, and HiGHS restarts from the kept basis. It runs when a one-to-one match has
pins, quotas or the ``max_min`` objective, or when the min-cost flow cannot be certified; the
peer-pair and circle models (:mod:`toolkit.matching.group_model`) use :func:`quiet_highs` too.

Why highspy directly: measured on Northwind (492 people) a PuLP model took 2.3 s (1.1 s building
45,000 PuLP variables and reading them back) against 0.3 s from arrays, and keeping the model
between rounds avoids rebuilding it at all.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time

import highspy
import numpy as np

__all__ = ["LPModel", "quiet_highs", "top_k_mask", "rank_within", "IPM_COLUMNS"]

IPM_COLUMNS = 25_000  # a re-solve after adding more columns than this uses interior point + crossover (LPModel.run)


# ------------------------------------------------------------------------------------------------
# Silent HiGHS
# ------------------------------------------------------------------------------------------------
_BANNER = threading.Lock()
_BANNER_SHOWN = False


def quiet_highs() -> highspy.Highs:
    """A highspy model that prints nothing.

    HiGHS writes its banner from C (file descriptor 1) the first time a model is built in a
    process, before any option can be set; that one construction runs with descriptors 1 and 2
    pointed at the null device, so the banner never reaches a terminal, a notebook or a report.
    Every model then has ``output_flag`` and ``log_to_console`` off.
    """
    global _BANNER_SHOWN
    with _BANNER:
        if _BANNER_SHOWN:
            highs = highspy.Highs()
        else:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    stream.flush()
            saved: list[int] = []
            try:
                saved = [os.dup(1), os.dup(2)]
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(null, 2)
                os.close(null)
            except OSError:
                pass
            try:
                highs = highspy.Highs()
            finally:
                for target, descriptor in zip((1, 2), saved):
                    os.dup2(descriptor, target)
                    os.close(descriptor)
            _BANNER_SHOWN = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs


def top_k_mask(rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, usable: np.ndarray, top_k: int) -> np.ndarray:
    """Each mentee's ``top_k`` usable edges by weight, vectorised.

    Ties in weight are broken by a rotation of the mentor order, ``(col - row) mod mentors``, so
    people with identical profiles start from different mentors instead of all from the same
    few (the certified answer does not depend on it; only how fast it is reached).
    """
    keep = np.zeros(len(rows), dtype=bool)
    index = np.flatnonzero(usable)
    if not len(index):
        return keep
    width = int(cols.max()) + 1
    spread = (cols[index] - rows[index]) % width
    # One integer sort key (row, weight from the best, spread) and one argsort, instead of a lexsort:
    # the weight enters as the order-preserving bits of a float32 (pruning needs the order only
    # roughly; ties at float32 precision fall to the spread), so the key fits in 64 bits.
    flipped = (-weight[index]).astype(np.float32).view(np.uint32)
    ordered = np.where(flipped & np.uint32(0x80000000), ~flipped, flipped | np.uint32(0x80000000)).astype(np.int64)
    spread_bits = max(int(width - 1).bit_length(), 1)
    if int(rows.max()).bit_length() + 32 + spread_bits <= 63:
        key = (rows[index].astype(np.int64) << (32 + spread_bits)) | (ordered << spread_bits) | spread
        order = index[np.argsort(key)]  # keys are distinct (one edge per row and mentor)
    else:
        order = index[np.lexsort((spread, ordered, rows[index]))]
    keep[order[rank_within(rows[order]) < top_k]] = True
    return keep


def rank_within(groups: np.ndarray) -> np.ndarray:
    """Position of each element inside its run of equal values (``groups`` sorted)."""
    positions = np.arange(len(groups))
    if not len(groups):
        return positions
    starts = np.r_[True, groups[1:] != groups[:-1]]
    return positions - np.maximum.accumulate(np.where(starts, positions, 0))


class LPModel:
    """The b-matching LP in HiGHS, built from arrays and kept across pricing rounds and phases.

    Rows: one per mentee (at most its demand), one per mentor (at most its capacity), one per
    quota (at least its minimum) and, for the lexicographic objectives, one cardinality row.
    Columns are added as pricing asks for them; a new phase changes costs and bounds only, so
    HiGHS restarts from the previous basis.
    """

    def __init__(self, problem, deadline: float | None):
        self.problem, self.deadline = problem, deadline
        self.highs = quiet_highs()
        self.highs.setOptionValue("presolve", "off")  # warm restarts after adding columns
        mentees, mentors, extra = len(problem.demand), len(problem.capacity), len(problem.extra_rows)
        self.mentor_row, self.extra_row = mentees, mentees + mentors
        lower = np.r_[np.full(mentees + mentors, -highspy.kHighsInf), [float(m) for _, m, _ in problem.extra_rows]]
        upper = np.r_[problem.demand.astype(float), problem.capacity.astype(float), np.full(extra, highspy.kHighsInf)]
        count = len(lower)
        self.highs.addRows(count, lower, upper, 0, np.zeros(count, dtype=np.int32), np.zeros(0, dtype=np.int32),
                           np.zeros(0))
        self.card_row: int | None = None
        self.edges = np.zeros(0, dtype=np.int64)          # column -> edge
        self.column_of = np.full(problem.size, -1, dtype=np.int64)
        self.weight = problem.score
        self.usable = np.ones(problem.size, dtype=bool)
        self.integer = False
        self.runs, self.added = 0, 0
        self.strategy = 1  # dual simplex from scratch; primal after columns or costs change (the basis stays feasible)

    @property
    def in_model(self) -> np.ndarray:
        return self.column_of >= 0

    def phase(self, weight: np.ndarray, usable: np.ndarray) -> None:
        bounds_change = not np.array_equal(usable, self.usable)
        self.weight, self.usable = weight, usable
        count = len(self.edges)
        if count:
            self.strategy = 1 if bounds_change else 4  # new bounds keep the basis dual feasible, new costs primal
            index = np.arange(count, dtype=np.int32)
            self.highs.changeColsCost(count, index, -weight[self.edges].astype(float))
            lower = (self.problem.required & usable)[self.edges].astype(float)
            self.highs.changeColsBounds(count, index, lower, usable[self.edges].astype(float))

    def require_matched(self, matched: int) -> None:
        if self.card_row is None:
            count = len(self.edges)
            self.highs.addRow(float(matched), highspy.kHighsInf, count, np.arange(count, dtype=np.int32),
                              np.ones(count))
            self.card_row = self.highs.getNumRow() - 1
        else:
            self.highs.changeRowsBounds(  # type: ignore[attr-defined]  # missing from highspy's stubs
                1, np.array([self.card_row], dtype=np.int32), np.array([float(matched)]),
                np.array([highspy.kHighsInf]))

    def add(self, edges: np.ndarray) -> None:
        """Add these edges (not yet in the model) as columns, with the current phase's costs and bounds."""
        if not len(edges):
            return
        problem, count = self.problem, len(edges)
        position = np.arange(count)
        row_blocks = [problem.rows[edges], self.mentor_row + problem.cols[edges]]
        col_blocks = [position, position]
        for number, (mask, _, _) in enumerate(problem.extra_rows):
            inside = np.flatnonzero(mask[edges])
            row_blocks.append(np.full(len(inside), self.extra_row + number))
            col_blocks.append(inside)
        if self.card_row is not None:
            row_blocks.append(np.full(count, self.card_row))
            col_blocks.append(position)
        entry_rows, entry_cols = np.concatenate(row_blocks), np.concatenate(col_blocks)
        order = np.lexsort((entry_rows, entry_cols))
        entry_rows, entry_cols = entry_rows[order], entry_cols[order]
        starts = np.searchsorted(entry_cols, position).astype(np.int32)
        lower = (problem.required & self.usable)[edges].astype(float)
        upper = self.usable[edges].astype(float)
        self.highs.addCols(count, -self.weight[edges].astype(float), lower, upper, len(entry_rows), starts,
                           entry_rows.astype(np.int32), np.ones(len(entry_rows)))
        if self.integer:
            self.highs.changeColsIntegrality(count, np.arange(len(self.edges), len(self.edges) + count, dtype=np.int32),
                                             np.ones(count, dtype=np.uint8))
        self.column_of[edges] = np.arange(len(self.edges), len(self.edges) + count)
        self.added += count
        if len(self.edges):
            self.strategy = 4  # the basis stays primal feasible: primal simplex prices the new columns in
        self.edges = np.concatenate([self.edges, edges])

    def run(self) -> str:
        """Solve from the current basis within the time left: optimal, infeasible, time_limit or error."""
        if self.deadline is not None:
            remaining = self.deadline - time.perf_counter()
            if remaining <= 0:
                return "time_limit"
            self.highs.setOptionValue("time_limit", float(remaining))
        # Simplex: dual from scratch, then primal from the kept basis after columns are added. When a
        # pricing round has added a large batch (many tied profiles: the simplex then crawls through
        # degenerate pivots) the interior point method with crossover was measured faster
        # (Northwind x 5,000: 38 s against 68 s); it still ends on a vertex. On 5,000 x 1,500 random
        # profiles simplex throughout took 4.5 s against 35 s for interior point throughout.
        large = self.runs > 0 and self.added > IPM_COLUMNS and not self.integer
        self.highs.setOptionValue("solver", "ipm" if large else "simplex")
        self.runs, self.added = self.runs + 1, 0
        self.highs.setOptionValue("simplex_strategy", self.strategy)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
            return "optimal"
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return "infeasible"
        if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
            return "time_limit"
        return "error: " + self.highs.modelStatusToString(status)

    def values(self) -> np.ndarray:
        values = np.asarray(self.highs.getSolution().col_value, dtype=float)
        return values if len(values) == len(self.edges) else np.zeros(len(self.edges))

    def duals(self) -> np.ndarray:
        duals = np.asarray(self.highs.getSolution().row_dual, dtype=float)
        return duals if len(duals) == self.highs.getNumRow() else np.zeros(self.highs.getNumRow())

    def chosen(self, values: np.ndarray) -> np.ndarray:
        chosen = np.zeros(self.problem.size, dtype=bool)
        chosen[self.edges[values > 0.5]] = True
        return chosen
