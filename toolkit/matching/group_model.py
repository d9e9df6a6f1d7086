"""Peer pairs and circles at scale: an integer programme on a growing set of candidate links, with a proof.

Both group shapes are integer programmes whose columns are candidate links (two peers; a member in
a facilitator's circle). Holding every allowed link does not scale (2,000 peers allow about a
million pairs), so :func:`solve_restricted` works the way the one-to-one solver does:

1. the model starts with each person's best links (the family's pruned set, pins included);
2. its LP relaxation is solved and every link left out is priced with the LP's row prices (a row
   the model does not hold yet is priced 0, which keeps the prices a feasible dual of the full LP
   for every link the model holds); links that could improve the LP join the model and it is
   solved again (column generation); where the LP is fractional the family adds the cutting
   planes it knows (odd sets for peer pairs, "no member in a closed circle" for circles);
3. when the LP stays fractional the integer programme is solved on the model's links, starting
   from the best grouping found so far;
4. the proof is weak duality: for any row prices ``pi >= 0``, every grouping is worth at most
   ``pi . b + (the sum of its links' reduced costs)``. So no grouping that uses a link left out
   can beat ``bound + that link's reduced cost``, and none inside the model can beat the integer
   programme's own bound; the larger of the two bounds the full problem. Links that could still
   beat the grouping found join the model and step 3 runs again.

A :class:`Budget` (a time limit on a clock the tests can replace) is checked between phases and
handed to HiGHS; when it runs out the best grouping found is completed by the family (greedily,
until nobody left out could still join) and returned with the best bound proven so far, which
every priced LP round tightens (any prices give a bound, optimal or not).

Values here are *weighted*: every link is worth a bonus (more than any total of scores) plus its
score, so the most people placed comes first and the total score decides between equals.
:func:`lexicographic_notes` turns a weighted value and bound back into people and scores.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import highspy
import numpy as np

from .lp import quiet_highs

__all__ = ["Budget", "RestrictedIP", "Priced", "Family", "Solved", "solve_restricted", "lexicographic_notes",
           "close_enough", "INTEGRAL"]

INTEGRAL = 1e-6  # a column value this close to 0 or 1 counts as whole
MAX_CUT_ROUNDS = 40  # LP re-solves with new cutting planes before the integer programme takes over
MAX_MIP_ROUNDS = 8  # integer programmes re-solved after links that could still improve joined the model


@dataclass
class Budget:
    """A time limit measured on ``clock`` (``time.perf_counter`` unless a test gives its own)."""

    time_limit: float | None
    clock: Callable[[], float] = time.perf_counter
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def left(self) -> float:
        """Seconds left (infinite without a limit)."""
        if self.time_limit is None:
            return math.inf
        return float(self.time_limit) - (self.clock() - self.started)

    def expired(self) -> bool:
        return self.left() <= 0


def close_enough(value: float, bound: float) -> bool:
    """True when ``value`` reaches ``bound`` within the arithmetic's precision (weighted units)."""
    return value >= bound - (1e-6 + 1e-11 * abs(bound))


class RestrictedIP:
    """A maximisation with rows ``A x <= b`` and bounded columns in one HiGHS model, grown by columns and rows.

    The entries are kept here too, so reduced costs and the dual bound of any prices are computed
    exactly (not taken from the solver's tolerances).
    """

    def __init__(self, budget: Budget):
        self.budget = budget
        self.highs = quiet_highs()
        self.highs.setOptionValue("dual_feasibility_tolerance", 1e-9)
        self.upper = np.zeros(0)
        self.weight = np.zeros(0)
        self.col_lower, self.col_upper = np.zeros(0), np.zeros(0)
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._values: list[np.ndarray] = []
        self.integer = False
        self.runs = 0
        # Dual simplex from scratch and after new rows (the basis stays dual feasible); primal simplex after
        # new columns (it stays primal feasible), as the one-to-one LP does.
        self.strategy = 1

    @property
    def rows(self) -> int:
        return len(self.upper)

    @property
    def cols(self) -> int:
        return len(self.weight)

    def add_rows(self, upper: np.ndarray, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        """New rows ``sum(values x[cols]) <= upper`` (``rows`` numbers them 0..len(upper)-1); their indices."""
        count = len(upper)
        first = self.rows
        if not count:
            return np.zeros(0, dtype=np.int64)
        order = np.lexsort((cols, rows))
        rows, cols, values = rows[order], cols[order], np.asarray(values, dtype=float)[order]
        starts = np.searchsorted(rows, np.arange(count)).astype(np.int32)
        self.highs.addRows(count, np.full(count, -highspy.kHighsInf), np.asarray(upper, dtype=float), len(rows),
                           starts, cols.astype(np.int32), values)
        self.upper = np.r_[self.upper, np.asarray(upper, dtype=float)]
        self._keep(rows + first, cols, values)
        self.strategy = 1
        return np.arange(first, first + count)

    def add_cols(self, weight: np.ndarray, lower: np.ndarray, upper: np.ndarray, cols: np.ndarray,
                 rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """New columns (``cols`` numbers them 0..len(weight)-1, with their entries in existing rows)."""
        count = len(weight)
        first = self.cols
        if not count:
            return np.zeros(0, dtype=np.int64)
        order = np.lexsort((rows, cols))
        cols, rows, values = cols[order], rows[order], np.asarray(values, dtype=float)[order]
        starts = np.searchsorted(cols, np.arange(count)).astype(np.int32)
        self.highs.addCols(count, -np.asarray(weight, dtype=float), np.asarray(lower, dtype=float),
                           np.asarray(upper, dtype=float), len(rows), starts, rows.astype(np.int32), values)
        if self.integer:
            self.highs.changeColsIntegrality(count, np.arange(first, first + count, dtype=np.int32),
                                             np.ones(count, dtype=np.uint8))
        self.weight = np.r_[self.weight, np.asarray(weight, dtype=float)]
        self.col_lower = np.r_[self.col_lower, np.asarray(lower, dtype=float)]
        self.col_upper = np.r_[self.col_upper, np.asarray(upper, dtype=float)]
        self._keep(rows, cols + first, values)
        if self.runs:
            self.strategy = 4
        return np.arange(first, first + count)

    def _keep(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        self._rows.append(np.asarray(rows, dtype=np.int64))
        self._cols.append(np.asarray(cols, dtype=np.int64))
        self._values.append(np.asarray(values, dtype=float))
        if len(self._rows) > 64:  # fold the pieces now and then
            self._rows, self._cols, self._values = ([np.concatenate(self._rows)], [np.concatenate(self._cols)],
                                                    [np.concatenate(self._values)])

    def reduced(self, prices: np.ndarray) -> np.ndarray:
        """Each column's reduced cost under row prices ``pi``: weight - A^T pi."""
        if not self._rows:
            return self.weight.copy()
        rows, cols, values = np.concatenate(self._rows), np.concatenate(self._cols), np.concatenate(self._values)
        return self.weight - np.bincount(cols, weights=values * prices[rows], minlength=self.cols)

    def dual_bound(self, prices: np.ndarray) -> float:
        """What no solution of this model can beat, for any prices ``pi >= 0`` (weak duality)."""
        reduced = self.reduced(prices)
        return float(prices @ self.upper + np.maximum(reduced * self.col_lower, reduced * self.col_upper).sum())

    def _limit(self) -> bool:
        left = self.budget.left()
        if left <= 0:
            return False
        if math.isfinite(left):
            self.highs.setOptionValue("time_limit", float(left))
        return True

    def _set_integer(self, integer: bool) -> None:
        if integer != self.integer and self.cols:
            self.highs.changeColsIntegrality(self.cols, np.arange(self.cols, dtype=np.int32),
                                             np.full(self.cols, 1 if integer else 0, dtype=np.uint8))
        self.integer = integer

    def solve_lp(self) -> tuple[str, np.ndarray, np.ndarray]:
        """The LP relaxation: status (optimal, infeasible, time_limit), column values, row prices (>= 0)."""
        self._set_integer(False)
        if not self._limit():
            return "time_limit", np.zeros(self.cols), np.zeros(self.rows)
        self.highs.setOptionValue("presolve", "off")  # warm restarts from the kept basis
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("simplex_strategy", self.strategy)
        self.runs += 1
        self.highs.run()
        status = _status(self.highs.getModelStatus())
        if status != "optimal":
            return status, np.zeros(self.cols), np.zeros(self.rows)
        solution = self.highs.getSolution()
        values = np.asarray(solution.col_value, dtype=float)
        prices = np.maximum(-np.asarray(solution.row_dual, dtype=float), 0.0)
        return status, values, prices

    def solve_mip(self, start: np.ndarray | None) -> tuple[str, np.ndarray | None, float]:
        """The integer programme: status, the best solution's column values (None if none), its proven bound."""
        self._set_integer(True)
        if not self._limit():
            return "time_limit", None, math.inf
        self.highs.setOptionValue("presolve", "on")
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self.highs.setOptionValue("mip_abs_gap", 0.0)
        if start is not None:
            index = np.flatnonzero(start > 0.5).astype(np.int32)
            self.highs.setSolution(len(index), index, np.ones(len(index)))
        self.runs += 1
        self.highs.run()
        status = _status(self.highs.getModelStatus())
        info = self.highs.getInfo()
        found = None
        if info.primal_solution_status == 2:  # a feasible solution exists
            found = np.asarray(self.highs.getSolution().col_value, dtype=float)
        if status == "optimal" and found is not None:
            return status, found, float(self.weight @ found)
        bound = -float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else math.inf
        return status, found, bound


def _status(status) -> str:
    if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
        return "optimal"
    if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "infeasible"
    if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt,
                  highspy.HighsModelStatus.kSolutionLimit, highspy.HighsModelStatus.kIterationLimit):
        return "time_limit"
    return "error"


@dataclass
class Priced:
    """Links left out of the model, priced: those above a floor (keys, reduced costs) and two summaries."""

    keys: np.ndarray
    reduced: np.ndarray
    best: float  # the largest reduced cost of any link left out (-inf when none is)
    positive: float  # the sum of the positive ones

    @staticmethod
    def join(parts: list[tuple[np.ndarray, np.ndarray, float, float]]) -> Priced:
        keys = [part[0] for part in parts]
        return Priced(np.concatenate(keys) if keys else np.zeros(0, np.int64),
                      np.concatenate([part[1] for part in parts]) if keys else np.zeros(0),
                      max((part[2] for part in parts), default=-math.inf), float(sum(part[3] for part in parts)))


class Family(Protocol):
    """What a group shape gives :func:`solve_restricted` (links are int64 keys; see peers and circle_model).

    ``cut_gap``: while the proven gap is at least this (weighted units), the LP is tightened with
    the family's cutting planes before links are added (a gap of half a bonus or more is a
    question of how many people can be placed, which cuts answer better than more links).
    """

    ip: RestrictedIP
    candidates: int
    cut_gap: float

    def in_model(self) -> int: ...

    def price(self, prices: np.ndarray, floor: float) -> Priced: ...

    def add(self, keys: np.ndarray, reduced: np.ndarray, per_person: int | None) -> int: ...

    def add_all(self) -> int: ...

    def cut(self, values: np.ndarray) -> int: ...

    def grouping(self, values: np.ndarray) -> np.ndarray: ...

    def first_grouping(self) -> np.ndarray: ...

    def integer(self, start: np.ndarray) -> tuple[str, np.ndarray | None, float]: ...

    def complete(self, keys: np.ndarray) -> np.ndarray: ...

    def value(self, keys: np.ndarray) -> float: ...

    def quick_bound(self) -> float: ...


@dataclass
class Solved:
    """What :func:`solve_restricted` found: the links chosen, their weighted value, the proven bound."""

    keys: np.ndarray
    value: float
    bound: float
    status: str  # optimal, time_limit or infeasible
    method: str  # lp (the LP was whole), integer (the integer programme on the model), greedy or infeasible
    rounds: int
    in_model: int
    max_reduced: float
    notes: list[str] = field(default_factory=list)


@dataclass
class _Search:
    """The state of one search: the best grouping and bound so far, the last LP's values and prices."""

    family: Family
    budget: Budget
    best: np.ndarray
    value: float
    bound: float
    rounds: int = 0
    max_reduced: float = math.nan
    notes: list[str] = field(default_factory=list)
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    prices: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def offer(self, keys: np.ndarray) -> None:
        """A grouping found: completed (maximal) and kept if it is worth more than the best so far."""
        keys = self.family.complete(keys)
        value = self.family.value(keys)
        if value > self.value:
            self.best, self.value = keys, value

    def tighten(self, bound: float) -> None:
        self.bound = min(self.bound, bound)

    def closed(self) -> bool:
        return close_enough(self.value, self.bound)

    def answer(self, status: str, method: str) -> Solved:
        if status == "optimal":
            self.bound = self.value
        return Solved(self.best, self.value, self.bound, status, method, self.rounds, self.family.in_model(),
                      self.max_reduced, self.notes)


def _infeasible(search: _Search) -> Solved:
    return Solved(np.zeros(0, np.int64), -math.inf, -math.inf, "infeasible", "infeasible", search.rounds,
                  search.family.in_model(), math.nan, ["the pins and circle sizes cannot all be met"])


def solve_restricted(family: Family, budget: Budget) -> Solved:
    """Column generation on the LP, the integer programme on the model, cuts and links added until proven
    (module notes); at the time limit, the best grouping found with the best bound proven."""
    search = _Search(family, budget, np.zeros(0, np.int64), -math.inf, math.inf)
    search.offer(family.first_grouping())  # an answer whatever happens next (completed greedily)
    search.tighten(family.quick_bound())
    outcome = _relax(search)
    if outcome == "infeasible":
        return _infeasible(search)
    if outcome == "stopped":
        search.notes.append("the time limit stopped the search before the LP relaxation was solved")
        return search.answer("time_limit", "greedy")
    if outcome == "whole" and search.closed():
        return search.answer("optimal", "lp")
    return _integer_rounds(search)


def _relax(search: _Search) -> str:
    """Solve the LP, adding every link left out that could improve it, until none can: 'whole' or
    'fractional' (search.values and search.prices hold the answer), 'stopped' or 'infeasible'."""
    family, ip = search.family, search.family.ip
    widened = False
    while not search.budget.expired():
        search.rounds += 1
        status, values, prices = ip.solve_lp()
        if status == "infeasible" and not widened:
            widened = True  # the pruned model lacks links the pins need: hold every link once
            family.add_all()
            continue
        if status != "optimal":
            return "infeasible" if status == "infeasible" else "stopped"
        search.values, search.prices = values, prices
        priced = family.price(prices, 1e-7)
        search.max_reduced = max(priced.best, 0.0) if math.isfinite(priced.best) else 0.0
        search.tighten(ip.dual_bound(prices) + priced.positive)  # any prices give a bound, optimal or not
        whole = bool(np.all(np.abs(values - np.round(values)) <= INTEGRAL))
        if whole or not len(priced.keys):
            search.offer(family.grouping(values))
        if not len(priced.keys):
            return "whole" if whole else "fractional"
        family.add(priced.keys, priced.reduced, 5)
    return "stopped"


def _tighten_with_cuts(search: _Search, cut_rounds: int) -> int:
    """While the gap is about how many people can be placed, add cuts and solve the LP again; rounds used."""
    family = search.family
    while (search.bound - search.value >= family.cut_gap and cut_rounds < MAX_CUT_ROUNDS
           and not search.budget.expired() and family.cut(search.values)):
        cut_rounds += 1
        if _relax(search) in ("stopped", "infeasible"):
            break
    return cut_rounds


def _price_out(search: _Search) -> tuple[float, Priced]:
    """The model's dual bound under the last LP prices (rows added since priced 0), and every link left out
    priced, those above ``best grouping - that bound`` listed: only they could be in a better grouping."""
    ip = search.family.ip
    prices = np.r_[search.prices, np.zeros(ip.rows - len(search.prices))]
    inside = ip.dual_bound(prices)
    return inside, search.family.price(prices, search.value - inside)


def _integer_rounds(search: _Search) -> Solved:
    """The integer programme on the model's links, with the links that could still beat the best grouping
    added first, and cuts between rounds (module notes, steps 3 and 4)."""
    family = search.family
    cut_rounds, status = 0, "optimal"
    inside, priced = _price_out(search)
    if len(priced.keys) > family.in_model():  # the grouping so far is too weak a floor: solve the model first
        priced = Priced(np.zeros(0, np.int64), np.zeros(0), priced.best, priced.positive)
    for _ in range(MAX_MIP_ROUNDS):
        if search.budget.expired():
            break
        family.add(priced.keys, priced.reduced, None)
        status, found, model_bound = family.integer(search.best)
        search.rounds += 1
        if found is not None:
            search.offer(found)
        if status == "infeasible":
            return _infeasible(search)
        cut_rounds = _tighten_with_cuts(search, cut_rounds)
        # A grouping using a link left out is worth at most the model's bound + that link's reduced cost.
        inside, priced = _price_out(search)
        outside = inside + priced.best + priced.positive if math.isfinite(priced.best) else -math.inf
        search.tighten(max(min(model_bound, inside), outside))
        if search.closed():
            return search.answer("optimal", "integer")
        if status != "optimal" or not len(priced.keys):
            break
    search.notes.append("the time limit stopped the search" if search.budget.expired() or status == "time_limit"
                        else "the search stopped before closing the gap")
    return search.answer("time_limit", "integer")


def lexicographic_notes(bound: float, bonus: float, links: int, placed: int, total: float, *,
                        unit: str, per_link: int) -> tuple[float | None, list[str]]:
    """Read a proven weighted bound as people and scores, for a grouping of ``links`` links totalling ``total``.

    Every link is worth ``bonus`` plus its score (scores are never negative), so a grouping with
    ``k`` links is worth at least ``bonus * k``: at most ``floor(bound / bonus)`` links are
    possible. When the grouping found has that many, the most people placed is proven and the
    total score can be at most ``bound - bonus * links``; that score bound is returned (else None).
    """
    if not math.isfinite(bound):
        return None, ["no bound is proven"]
    most = int(math.floor(bound / bonus + 1e-9))
    if most > links:
        return None, [f"at most {most * per_link:,} {unit} can be placed (proven); this places {placed:,}"]
    score_bound = max(bound - bonus * links, total)
    gap = score_bound - total
    if gap <= 1e-6 * max(1.0, abs(score_bound)):
        return score_bound, [f"the most {unit} that can be placed, with the highest total score possible "
                             f"({total:.2f}; proven)"]
    return score_bound, [f"the most {unit} that can be placed (proven); no such grouping can total more than "
                         f"{score_bound:.2f}, so this is within {gap:.2f} ({gap / max(score_bound, 1e-9) * 100:.2f}%)"
                         " of the best possible"]
