"""The one-to-one matching solver: exact, certified, explained.

Matching mentees to mentors with capacities is a bipartite b-matching. Without pinned pairs or
quotas, ``max_total`` and ``max_participation`` run as an OR-Tools min-cost flow
(:mod:`toolkit.matching.flow`; many tied profiles make the simplex crawl) with the LP duals
recovered from the flow; pins, quotas, ``max_min`` and a flow that cannot be certified run as an
LP in HiGHS (:class:`~toolkit.matching.lp.LPModel`). The LP's constraint matrix is totally
unimodular, so the optimum HiGHS returns (a simplex vertex) is already a whole-number assignment;
the toolkit checks that it is (quotas can break this: the integer programme is then solved).

For speed at scale each mentee's *K* best candidates go into the model first. The
solution is then **certified** against the full candidate set: with the LP's dual prices
(one per mentee, per mentor and per extra row), every pruned pair's reduced cost is
computed; if none could improve the objective the restricted optimum is optimal for the
full problem (LP duality), otherwise the improving pairs are added and the model is
solved again (the flow's recovered duals price and certify the same way). ``status == "optimal"``
only when that certificate holds.

:func:`solve` reads a :class:`~toolkit.matching.problem.SolverProblem` and returns a
:class:`~toolkit.matching.problem.Solved` value; it never changes the problem's arrays (pairs a
pricer adds are in ``Solved.edges``).

Objectives (``design.objective`` or ``objective=``):

``max_total``
    the highest total score.
``max_participation``
    the most people matched, then the highest total among those matchings.
``max_min``
    the most people matched, then the best worst-off pair (the lowest pair score is as high
    as it can be), then the highest total.

Low level, with any score table::

    a = tk.matching.assign(edges, capacity)   # edges: mentee_id, mentor_id, score
    a.pairs, a.objective, a.status, a.certificate

High level, from a roster and a design::

    result = tk.match(roster, design)
    result.pairs, result.unmatched, result.explain("E11350")
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import MatchingError, check_option
from .flow import flow_duals, flow_scale, solve_flow
from .incumbent import best_found
from .lp import LPModel, quiet_highs, rank_within, top_k_mask
from .problem import Assignment, Certificate, Edges, Solved, SolverProblem, edges_of

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign", "quiet_highs", "SolverProblem", "Solved", "Edges",
           "solve"]


OBJECTIVES = ("max_total", "max_min", "max_participation")


TOLERANCE = 1e-6


AUTO_PRUNE_EDGES = 20_000  # candidate sets larger than this are pruned to each mentee's top K


DEFAULT_TOP_K = 20


SOLVER_NAME = "HiGHS (highspy)"


FLOW_SOLVER_NAME = "OR-Tools min-cost flow (LP duals recovered from the flow)"


GREEDY_NAME = "greedy (best score first, within the hard rules; no solver round fitted in the time limit)"


# Seconds per candidate pair (pruning and pricing in the first round; the greedy completion after it) and per
# pair in the first model (the flow or LP), measured on the 2-core reference machine when idle (Northwind
# repeated to 5,000 people: 4.7 million pairs, 0.55 s and 0.3 s; 71,520 pairs in the first flow, 0.2 s), with
# a margin for a busy machine.
SECONDS_PER_PAIR, SECONDS_PER_MODEL_PAIR, COMPLETION_SECONDS_PER_PAIR = 1.6e-7, 4e-6, 8e-8


def _certificate(model: LPModel, certified: bool, method: str, rounds: int, worst: float,
                 notes: list[str] | None = None, bound: float | None = None) -> Certificate:
    return Certificate(certified, method, int(model.usable.sum()), int((model.in_model & model.usable).sum()), rounds,
                       worst, SOLVER_NAME, notes or [], bound)


def _optimise(model: LPModel, weight: np.ndarray, usable: np.ndarray, *, top_k: int | None, label: str,
              min_matched: int | None = None, seed: np.ndarray | None = None) -> Solved:
    """Maximise sum(weight x) over usable edges: column generation on the kept model, certified by its duals."""
    problem = model.problem
    model.phase(weight, usable)
    if min_matched is not None:
        model.require_matched(min_matched)
    if top_k is None or model.integer:
        wanted = usable.copy()
    else:
        wanted = top_k_mask(problem.rows, problem.cols, problem.score, usable, top_k)
        wanted |= problem.required & usable
        if seed is not None:
            wanted |= seed & usable
    model.add(np.flatnonzero(wanted & ~model.in_model))
    pruned_at_start = bool((usable & ~model.in_model).any())
    rounds = 0
    while True:
        rounds += 1
        problem.say(f"  {label}: solve {rounds}, {int((model.in_model & usable).sum()):,} of {int(usable.sum()):,} "
                    "candidate pairs in the model")
        status = model.run()
        outside = usable & ~model.in_model
        if status == "infeasible" and outside.any():
            model.add(np.flatnonzero(outside))  # the pruned model was too small: solve the full one
            continue
        if status == "infeasible":
            return Solved(np.zeros(problem.size, bool), float("nan"), "infeasible",
                           _certificate(model, False, "infeasible", rounds, float("nan"),
                                        ["the required pairs and quotas cannot all be met"]))
        if status != "optimal":
            return Solved(np.zeros(problem.size, bool), float("nan"), "time_limit",
                           _certificate(model, False, "stopped", rounds, float("nan"),
                                        [f"the solver stopped ({status}) while {label}"]))
        values = model.values()
        if model.integer:
            return _mip_solved(model, values, rounds)
        if np.any(np.abs(values - np.round(values)) > 1e-6):
            return _milp(model, weight, usable, rounds)
        chosen = model.chosen(values)
        duals = model.duals()
        mentor_price = duals[model.mentor_row:model.extra_row]
        place_value = np.maximum(-mentor_price, 0.0)
        if not outside.any():
            method = "lp-duals" if pruned_at_start else "full-model"
            return Solved(chosen, float(weight[chosen].sum()), "optimal",
                           _certificate(model, True, method, rounds, 0.0), place_value)
        # Price every usable edge left out of the model (arrays only).
        edges = np.flatnonzero(outside)
        reduced = -weight[edges] - duals[problem.rows[edges]] - mentor_price[problem.cols[edges]]
        for number, (mask, _, _) in enumerate(problem.extra_rows):
            reduced -= duals[model.extra_row + number] * mask[edges]
        if model.card_row is not None:
            reduced -= duals[model.card_row]
        worst = float(-reduced.min())
        improving = reduced < -TOLERANCE
        if not improving.any():
            return Solved(chosen, float(weight[chosen].sum()), "optimal",
                           _certificate(model, True, "lp-duals", rounds, max(worst, 0.0)), place_value)
        # Add each mentee's most improving edges (a bounded batch) and solve again from the basis.
        edges, reduced = edges[improving], reduced[improving]
        order = np.lexsort((edges, reduced, problem.rows[edges]))
        batch = edges[order[rank_within(problem.rows[edges[order]]) < max(top_k or 0, 5)]]
        model.add(np.sort(batch))


def _optimise_flow(problem: SolverProblem, offset: float, top_k: int | None, label: str,
                   deadline: float | None) -> Solved | None:
    """The plain b-matching (no pins, quotas or cardinality rows) as a min-cost flow on a growing edge set.

    Each round solves the flow on the edges in the model, recovers optimal LP duals from it
    (:func:`toolkit.matching.flow.flow_duals`) and prices every edge left out, exactly as
    :func:`_optimise` does with HiGHS' duals. None when the flow cannot be certified this way
    (the caller then solves the LP in HiGHS). The weights are the scores plus ``offset``; with a
    ``problem.pricer`` the pairs not in the arrays are priced too, and those that could improve
    join the edges of the answer (``Solved.edges``; ``problem`` itself is not changed).
    """
    flow = _FlowState.start(problem, offset, top_k)
    rounds, round_seconds = 0, 0.0
    last: tuple[SolverProblem, np.ndarray, float | None, int, int] | None = None
    while True:
        rounds += 1
        # Stop when the next round (and the greedy completion after it) would not finish in time.
        completion = COMPLETION_SECONDS_PER_PAIR * flow.problem.size
        if last is not None and deadline is not None and time.perf_counter() + round_seconds + completion > deadline:
            return _flow_stopped(offset, *last)
        started = time.perf_counter()
        edges = np.flatnonzero(flow.inside)
        problem.say(f"  {label}: solve {rounds} (min-cost flow), {len(edges):,} of {flow.problem.size:,} candidate "
                    "pairs in the model")
        priced = flow.solve_round(edges)
        if priced is None:
            return None
        chosen, gain, mentee_price, mentor_price, bound = priced
        if problem.pricer is None:
            last = (flow.problem, chosen, bound, rounds, len(edges))
        else:  # the pairs not held are priced when the held ones are settled; no bound without them
            if float(gain.max(initial=-np.inf)) <= TOLERANCE:
                chosen, gain = flow.price_unheld(mentee_price, mentor_price, chosen, gain, label)
            last = (flow.problem, chosen, None, rounds, len(edges))
        worst = float(gain.max()) if flow.problem.size else 0.0
        if worst <= TOLERANCE:
            method = "lp-duals" if flow.pruned_at_start or problem.pricer is not None else "full-model"
            certificate = Certificate(True, method, flow.problem.size, len(edges), rounds, max(worst, 0.0),
                                      FLOW_SOLVER_NAME)
            return Solved(chosen, float(flow.weight[chosen].sum()), "optimal", certificate, mentor_price,
                          edges=edges_of(flow.problem))
        if not flow.add_improving(gain, top_k):
            return None  # an edge in the model breaks the duals: not certifiable this way
        round_seconds = time.perf_counter() - started


class _FlowState:
    """The flow's edge set between rounds: the problem (grown by pricing), weights, costs, edges in the model."""

    def __init__(self, problem: SolverProblem, offset: float, weight: np.ndarray, scale: float, cost: np.ndarray,
                 inside: np.ndarray) -> None:
        self.problem, self.offset, self.weight, self.scale, self.cost, self.inside = (problem, offset, weight, scale,
                                                                                     cost, inside)
        self.pruned_at_start = not inside.all()
        self.demand = np.round(problem.demand).astype(np.int64)
        self.capacity = np.round(problem.capacity).astype(np.int64)

    @classmethod
    def start(cls, problem: SolverProblem, offset: float, top_k: int | None) -> _FlowState:
        """The first round's state: each mentee's ``top_k`` best edges in the model (all with None)."""
        weight = problem.score + offset
        scale = flow_scale(weight)
        everything = np.ones(problem.size, dtype=bool)
        inside = everything.copy() if top_k is None else top_k_mask(problem.rows, problem.cols, problem.score,
                                                                    everything, top_k)
        return cls(problem, offset, weight, scale, -np.round(weight * scale).astype(np.int64), inside)

    def solve_round(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float] | None:
        """The flow on ``edges``, its LP duals and every edge priced: (chosen, gain of each edge not chosen,
        mentee prices, mentor prices, a proven bound); None when the flow gives no optimal duals."""
        problem = self.problem
        rows, cols = problem.rows[edges], problem.cols[edges]
        used = solve_flow(rows, cols, self.cost[edges], self.demand, self.capacity)
        duals = None if used is None else flow_duals(rows, cols, self.cost[edges], used, self.demand, self.capacity)
        if duals is None:
            return None
        mentee_price, mentor_price = duals[0] / self.scale, duals[1] / self.scale
        chosen = np.zeros(problem.size, dtype=bool)
        chosen[edges[used]] = True
        reduced = self.weight - mentee_price[problem.rows] - mentor_price[problem.cols]
        # The duals with z = max(reduced, 0) on every pair are feasible for the dual LP: a proven bound.
        bound = float(problem.demand @ mentee_price + problem.capacity @ mentor_price + np.maximum(reduced, 0).sum())
        return chosen, np.where(chosen, -np.inf, reduced), mentee_price, mentor_price, bound

    def price_unheld(self, mentee_price: np.ndarray, mentor_price: np.ndarray, chosen: np.ndarray,
                     gain: np.ndarray, label: str) -> tuple[np.ndarray, np.ndarray]:
        """Ask ``problem.pricer`` for the pairs not held that could improve the answer; they join the edges
        (a new problem value, outside the model until the next round). Returns chosen and gain over them all."""
        problem = self.problem
        width = max(len(problem.capacity), 1)
        known = np.sort(problem.rows.astype(np.int64) * width + problem.cols)
        assert problem.pricer is not None
        rows, cols, scores = problem.pricer(mentee_price, mentor_price, self.offset, known, TOLERANCE)
        if not len(rows):
            return chosen, gain
        problem.say(f"  {label}: {len(rows):,} pairs not held could improve the answer; adding them")
        self.problem = replace(problem, rows=np.r_[problem.rows, rows], cols=np.r_[problem.cols, cols],
                               score=np.r_[problem.score, scores],
                               required=np.r_[problem.required, np.zeros(len(rows), bool)])
        self.weight = np.r_[self.weight, scores + self.offset]
        self.cost = np.r_[self.cost, -np.round((scores + self.offset) * self.scale).astype(np.int64)]
        self.inside = np.r_[self.inside, np.zeros(len(rows), bool)]
        return (np.r_[chosen, np.zeros(len(rows), bool)],
                np.r_[gain, scores + self.offset - mentee_price[rows] - mentor_price[cols]])

    def add_improving(self, gain: np.ndarray, top_k: int | None) -> bool:
        """Put each mentee's most improving edges left out (a bounded batch) into the model; False when none
        is left out (an edge in the model breaks the duals)."""
        rows = self.problem.rows
        improving = np.flatnonzero((gain > TOLERANCE) & ~self.inside)
        if not len(improving):
            return False
        order = np.lexsort((improving, -gain[improving], rows[improving]))
        self.inside[improving[order[rank_within(rows[improving[order]]) < max(top_k or 0, 5)]]] = True
        return True


def _flow_stopped(offset: float, problem: SolverProblem, chosen: np.ndarray, bound: float | None, rounds: int,
                  in_model: int) -> Solved:
    """The last flow's matching, completed greedily, when the time limit stops the pricing rounds (``problem``:
    the edges of that round, pairs added by pricing included)."""
    notes = [f"the time limit stopped the search after {rounds} solve{'s' if rounds != 1 else ''}"]
    return best_found(problem, "max_participation" if offset else "max_total", [chosen], notes, bound,
                           Certificate(False, "stopped", problem.size, in_model, rounds, float("nan"), FLOW_SOLVER_NAME))


def _mip_solved(model: LPModel, values: np.ndarray, rounds: int) -> Solved:
    info = model.highs.getInfo()
    chosen = model.chosen(values)
    bound = -float(info.mip_dual_bound)
    return Solved(chosen, float(model.weight[chosen].sum()), "optimal",
                   _certificate(model, True, "milp", rounds, 0.0, [f"proven gap {max(info.mip_gap, 0.0):.2g}"],
                                bound))


def _milp(model: LPModel, weight: np.ndarray, usable: np.ndarray, rounds: int) -> Solved:
    """When an LP vertex is fractional (quotas can cause it): the same model, every pair, integer, zero gap."""
    problem = model.problem
    model.add(np.flatnonzero(~model.in_model))
    count = len(model.edges)
    model.highs.changeColsIntegrality(count, np.arange(count, dtype=np.int32), np.ones(count, dtype=np.uint8))
    model.integer = True
    model.highs.setOptionValue("mip_rel_gap", 0.0)
    model.highs.setOptionValue("mip_abs_gap", 0.0)
    problem.say("  the LP answer was fractional: solving the integer programme to a zero gap")
    status = model.run()
    if status == "infeasible":
        return Solved(np.zeros(problem.size, bool), float("nan"), "infeasible",
                       _certificate(model, False, "infeasible", rounds + 1, float("nan"),
                                    ["the required pairs and quotas cannot all be met"]))
    if status != "optimal":
        info = model.highs.getInfo()
        chosen = model.chosen(model.values()) if info.primal_solution_status == 2 else np.zeros(problem.size, bool)
        return Solved(chosen, float(weight[chosen].sum()), "time_limit",
                       _certificate(model, False, "stopped", rounds + 1, float("nan"),
                                    [f"the integer programme stopped ({status}) with a proven gap of "
                                     f"{info.mip_gap:.2g}"], -float(info.mip_dual_bound)))
    return _mip_solved(model, model.values(), rounds + 1)


def _stopped(problem: SolverProblem, model: LPModel, objective: str, phase: Solved,
             fallback: np.ndarray | None) -> Solved:
    """The best solution found when the time limit stops a phase, with what is proven about it."""
    options = [phase.chosen] + ([fallback] if fallback is not None else [])
    if len(model.edges):
        options.append(model.chosen(model.values()))  # the last LP values, rounded
    return best_found(problem, objective, options, list(phase.certificate.notes), phase.certificate.bound,
                           phase.certificate)


def _participation_bonus(problem: SolverProblem) -> float:
    """A bonus per pair above any difference in total score between matchings (scores may be negative)."""
    if not problem.size:
        return 1.0
    pairs = min(float(problem.demand.sum()), float(problem.capacity.sum()), float(problem.size))
    spread = float(abs(problem.score.max()) + abs(problem.score.min()))
    return float(np.ceil(2 * pairs * spread + 1.0))


def first_round_seconds(problem: SolverProblem, top_k: int | None) -> float:
    """About how long the first solver round takes on this problem (to skip it when it cannot fit)."""
    in_model = problem.size if top_k is None else min(problem.size, top_k * len(problem.demand))
    return (SECONDS_PER_PAIR + COMPLETION_SECONDS_PER_PAIR) * problem.size + SECONDS_PER_MODEL_PAIR * in_model


def solve(problem: SolverProblem, objective: str, top_k: int | None) -> Solved:
    """Run the phases an objective needs on one kept model.

    Returns a :class:`Solved` value (its ``edges`` always set, its ``bottleneck`` set for ``max_min``);
    ``problem`` is read, never changed.
    """
    deadline = problem.deadline
    if deadline is None and problem.time_limit is not None:
        deadline = time.perf_counter() + float(problem.time_limit)
    solved = _greedy_only(problem, objective, top_k, deadline) or _flow_first(problem, objective, top_k, deadline)
    if solved is None:
        model = LPModel(problem, deadline)
        if objective == "max_min":
            solved = _max_min(problem, model, top_k)
        else:
            solved = _lp_total(problem, model, objective, top_k)
    return solved if solved.edges is not None else replace(solved, edges=edges_of(problem))


def _greedy_only(problem: SolverProblem, objective: str, top_k: int | None, deadline: float | None) -> Solved | None:
    """The greedy match when scoring was cut short or one solver round cannot fit in the time left; else None."""
    unscored = problem.unscored is not None and bool(problem.unscored.any())
    if not unscored and (deadline is None or time.perf_counter() + first_round_seconds(problem, top_k) <= deadline):
        return None
    why = ("the time limit stopped the search while pairs were being scored" if unscored else
           "the time left was too short for one solver round")
    certificate = Certificate(False, "stopped", problem.size, 0, 0, float("nan"), GREEDY_NAME)
    return best_found(problem, objective, [], [why + ", so this is the greedy match (best score first)"],
                           None, certificate)


def _flow_first(problem: SolverProblem, objective: str, top_k: int | None, deadline: float | None) -> Solved | None:
    """``max_total`` or ``max_participation`` without pins or quotas as a min-cost flow; None when it does not
    apply or cannot be certified (HiGHS then solves the LP)."""
    if objective not in ("max_total", "max_participation") or problem.extra_rows or problem.required.any():
        return None
    offset = 0.0 if objective == "max_total" else _participation_bonus(problem)
    label = "highest total score" if objective == "max_total" else "most people matched, then the highest total"
    flowed = _optimise_flow(problem, offset, top_k, label, deadline)
    if flowed is None:
        return None
    assert flowed.edges is not None
    return replace(flowed, value=float(flowed.edges.score[flowed.chosen].sum()))


def _lp_total(problem: SolverProblem, model: LPModel, objective: str, top_k: int | None) -> Solved:
    """``max_total`` or ``max_participation`` in HiGHS (pins or quotas, or a flow that could not be certified)."""
    usable = np.ones(problem.size, dtype=bool)
    if objective == "max_total":
        final = _optimise(model, problem.score, usable, top_k=top_k, label="highest total score")
    else:
        # One solve: every pair is worth more than any total of scores a smaller matching can reach,
        # so the optimum matches the most people, then has the highest total among those.
        final = _optimise(model, problem.score + _participation_bonus(problem), usable, top_k=top_k,
                          label="most people matched, then the highest total")
    if final.status == "time_limit":
        final = _stopped(problem, model, objective, final, None)
    if objective == "max_participation":
        final = replace(final, value=float(problem.score[final.chosen].sum()))
    return final


def _max_min(problem: SolverProblem, model: LPModel, top_k: int | None) -> Solved:
    """``max_min``: the most people matched, then the best worst-off pair, then the highest total."""
    objective = "max_min"
    ones = np.ones(problem.size)
    usable = np.ones(problem.size, dtype=bool)
    most = _optimise(model, ones, usable, top_k=top_k, label="most people matched")
    if most.status == "time_limit":
        return _stopped(problem, model, objective, most, None)
    if most.status != "optimal":
        return most
    matched = int(round(most.value))
    bottleneck = None
    seed = most.chosen
    if matched:
        found = _best_floor(problem, model, top_k, matched, seed)
        if found.stopped is not None:
            return replace(found.stopped, bottleneck=found.floor)
        bottleneck, seed = found.floor, found.seed
        usable = (problem.score >= bottleneck - 1e-12) | problem.required
    final = _optimise(model, problem.score, usable, top_k=top_k, min_matched=matched, seed=seed & usable,
                      label="highest total score among them")
    if final.status == "time_limit":
        final = _stopped(problem, model, objective, final, seed)
    return replace(final, bottleneck=bottleneck)


class _Floor(NamedTuple):
    floor: float           # the highest pair-score floor found that still matches as many people
    seed: np.ndarray       # the matching found at that floor
    stopped: Solved | None  # the best found when the time limit stopped the search (else None)


def _best_floor(problem: SolverProblem, model: LPModel, top_k: int | None, matched: int, seed: np.ndarray) -> _Floor:
    """Bisection over the distinct scores: the largest floor at which ``matched`` people can still be matched
    (never above the lowest pinned pair's score)."""
    values = np.unique(problem.score)
    ones = np.ones(problem.size)
    ceiling = float(problem.score[problem.required].min()) if problem.required.any() else None
    low, high = 0, len(values) - 1
    best = 0
    while low <= high:
        middle = (low + high) // 2
        threshold = values[middle]
        if ceiling is not None and threshold > ceiling:
            high = middle - 1
            continue
        trial = _optimise(model, ones, problem.score >= threshold - 1e-12, top_k=top_k,
                          label=f"best worst-off pair (trying {threshold:.2f})")
        if trial.status == "time_limit":
            return _Floor(float(values[best]), seed, _stopped(problem, model, "max_min", trial, seed))
        if trial.status == "optimal" and int(round(trial.value)) >= matched:
            best, low, seed = middle, middle + 1, trial.chosen
        else:
            high = middle - 1
    return _Floor(float(values[best]), seed, None)


def assign(
    edges: pd.DataFrame,
    capacity: Mapping[str, int] | pd.Series,
    demand: int | Mapping[str, int] = 1,
    forbidden: Iterable[tuple[str, str]] = (),
    required: Iterable[tuple[str, str]] = (),
    min_score: float | None = None,
    *,
    objective: str = "max_total",
    quotas: Sequence[tuple[Iterable[str], int, str]] = (),
    top_k: int | None = None,
    time_limit: float | None = None,
) -> Assignment:
    """Optimal assignment of mentees to mentors for any score table.

    Parameters
    ----------
    edges
        DataFrame with columns ``mentee_id``, ``mentor_id``, ``score``: the allowed pairs.
    capacity
        Mentor id -> most mentees they take. Mentors missing here take none.
    demand
        Mentors each mentee needs (usually 1), one number or per mentee.
    forbidden
        (mentee_id, mentor_id) pairs never to use.
    required
        Pairs that must be in the answer (e.g. fixed from an earlier round).
    min_score
        Pairs scoring below this are not used (required pairs excepted).
    objective
        ``max_total``, ``max_participation`` or ``max_min`` (see the module notes).
    quotas
        (mentee ids, minimum matched, label): at least that many of those mentees matched.
    top_k
        Prune to each mentee's best ``top_k`` pairs and certify against the rest. None
        (the default) prunes automatically above 20,000 pairs (``AUTO_PRUNE_EDGES``); 0 never prunes.
    time_limit
        Seconds for the whole solve (every phase and pricing round). When it runs out the best
        solution found is returned with ``status == "time_limit"`` and the certificate says what
        is proven about it (``certificate.bound``, ``certificate.notes``).

    Returns
    -------
    Assignment
        ``pairs`` (mentee_id, mentor_id, score), ``objective`` (total score of the pairs),
        ``status`` (``optimal`` only when certified, ``infeasible`` or ``time_limit``) and
        ``certificate``.
    """
    check_option("objective", objective, OBJECTIVES, MatchingError)
    if not isinstance(edges, pd.DataFrame):
        edges = pd.DataFrame(list(edges), columns=["mentee_id", "mentor_id", "score"])
    missing = [column for column in ("mentee_id", "mentor_id", "score") if column not in edges.columns]
    if missing:
        raise MatchingError(f"The score table has no {', '.join(missing)} column.",
                            fix="give a DataFrame with columns mentee_id, mentor_id and score")
    table = edges[["mentee_id", "mentor_id", "score"]].copy()
    table["mentee_id"], table["mentor_id"] = table["mentee_id"].astype(str), table["mentor_id"].astype(str)
    table["score"] = pd.to_numeric(table["score"], errors="coerce")
    if table["score"].isna().any():
        row = table[table["score"].isna()].index[0]
        raise MatchingError("A score is missing or not a number.", fix="give every pair a numeric score",
                            row=int(row) + 2, column="score", value=edges.loc[row, "score"])
    # Ids become integer codes once, in id order; the edges are then sorted by (mentee, mentor), so the
    # model (and the pairs chosen among equally good ones) never depends on the order of the input rows.
    row_codes, mentees = pd.factorize(table["mentee_id"], sort=True)
    col_codes, mentors = pd.factorize(table["mentor_id"], sort=True)
    width = max(len(mentors), 1)
    key = row_codes.astype(np.int64) * width + col_codes
    order = np.argsort(key, kind="stable")
    key = key[order]
    duplicated = np.flatnonzero(key[1:] == key[:-1])
    if len(duplicated):
        first = table.iloc[order[duplicated[0]]]
        raise MatchingError(f"The pair {first['mentee_id']} - {first['mentor_id']} appears more than once.",
                            fix="give each pair one score")
    table = table.iloc[order].reset_index(drop=True)
    rows, cols = row_codes[order].astype(np.int64), col_codes[order].astype(np.int64)

    def pair_keys(pairs: list[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros(0, dtype=np.int64)
        first = mentees.get_indexer([a for a, _ in pairs])
        second = mentors.get_indexer([b for _, b in pairs])
        return np.where((first >= 0) & (second >= 0), first.astype(np.int64) * width + second, -1)

    forbidden = [(str(a), str(b)) for a, b in forbidden]
    required = [(str(a), str(b)) for a, b in required]
    forbidden_keys, required_keys = pair_keys(forbidden), pair_keys(required)
    position = np.searchsorted(key, required_keys)
    found = (required_keys >= 0) & (position < len(key)) & (key[np.minimum(position, len(key) - 1)] == required_keys)
    for pair, ok, pair_key in zip(required, found, required_keys):
        if not ok:
            raise MatchingError(f"The required pair {pair[0]} - {pair[1]} is not an allowed pair.",
                                fix="add it to the score table, or check the hard rules that exclude it")
        if pair_key in set(forbidden_keys.tolist()):
            raise MatchingError(f"The pair {pair[0]} - {pair[1]} is both required and forbidden.",
                                fix="remove it from one of the two lists")
    keep = ~np.isin(key, forbidden_keys)
    is_required = np.isin(key, required_keys)
    score = table["score"].to_numpy(dtype=float)
    if min_score is not None:
        keep &= (score >= min_score) | is_required
    table, is_required, rows, cols = table[keep].reset_index(drop=True), is_required[keep], rows[keep], cols[keep]
    problem = SolverProblem(rows, cols, table["score"].to_numpy(dtype=float), _demand_array(demand, mentees),
                            _capacity_array(capacity, mentors), is_required, _quota_rows(quotas, table), time_limit)
    if top_k is None and problem.size > AUTO_PRUNE_EDGES:
        top_k = DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    solved = solve(problem, objective, top_k)
    certificate = solved.certificate
    if solved.status == "infeasible":
        certificate = replace(certificate, notes=problem.infeasible_reasons(list(mentees), list(mentors))
                              or certificate.notes)
    pairs = table[solved.chosen].reset_index(drop=True)  # already in (mentee_id, mentor_id) order
    total = float(pairs["score"].sum())
    return Assignment(pairs, total, solved.status, certificate, objective,
                      float(pairs["score"].min()) if len(pairs) else None)


def _capacity_array(capacity: Mapping[str, int] | pd.Series, mentors: pd.Index) -> np.ndarray:
    """Each mentor's places, in mentor-code order (a mentor not named takes none; the last of repeated ids counts)."""
    places = pd.Series(capacity, dtype=float) if not isinstance(capacity, pd.Series) else capacity.astype(float)
    places.index = places.index.astype(str)
    return places.groupby(level=0).last().reindex(mentors, fill_value=0.0).to_numpy(dtype=float)


def _demand_array(demand: int | Mapping[str, int], mentees: pd.Index) -> np.ndarray:
    """Mentors each mentee needs, in mentee-code order (1 for a mentee a mapping does not name)."""
    if isinstance(demand, Mapping):
        wanted = pd.Series({str(k): float(v) for k, v in demand.items()}, dtype=float)
        return wanted.reindex(mentees, fill_value=1.0).to_numpy(dtype=float)
    return np.full(len(mentees), float(demand))


def _quota_rows(quotas: Sequence[tuple[Iterable[str], int, str]],
                table: pd.DataFrame) -> list[tuple[np.ndarray, float, str]]:
    """One solver row per quota: (edges whose mentee is in it, minimum matched, its label: named in the reasons a
    match is infeasible)."""
    extra: list[tuple[np.ndarray, float, str]] = []
    for members, minimum, label in quotas:
        wanted = {str(member) for member in members}
        extra.append((table["mentee_id"].isin(wanted).to_numpy(), float(minimum), str(label) or f"quota_{len(extra)}"))
    return extra
