"""The matching LP: exact, certified, explained.

Matching mentees to mentors with capacities is a bipartite b-matching. Its linear
programme has a totally unimodular constraint matrix, so the LP optimum HiGHS returns
(a simplex vertex) is already a whole-number assignment; the toolkit checks that it is.

For speed at scale each mentee's *K* best candidates go into the model first. The
solution is then **certified** against the full candidate set: with the LP's dual prices
(one per mentee, per mentor and per extra row), every pruned pair's reduced cost is
computed; if none could improve the objective the restricted optimum is optimal for the
full problem (LP duality), otherwise the improving pairs are added and the model is
solved again. ``status == "optimal"`` only when that certificate holds.

Without pinned pairs or quotas, ``max_total`` and ``max_participation`` are solved as a min-cost
flow (:mod:`toolkit.matching.flow`; many tied profiles make the simplex crawl) with the LP duals
recovered from the flow, priced and certified the same way; everything else runs in HiGHS.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MatchingError, check_option
from .flow import flow_duals, flow_scale, solve_flow
from .incumbent import complete, gap_note, quotas_met, score_bound
from .lp import LPModel, quiet_highs, rank_within, top_k_mask

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign", "quiet_highs", "SolverProblem", "solve"]


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


IPM_COLUMNS = 50_000  # models with more columns are solved by interior point + crossover (see LPModel.run)


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------
@dataclass
class Certificate:
    """Why the answer is optimal (or why it is not claimed to be).

    Attributes
    ----------
    certified
        True when the solution is proven optimal for the full candidate set.
    method
        ``"lp-duals"`` (pruned model priced with the LP duals), ``"full-model"`` (nothing
        was pruned), ``"milp"`` (an integer programme solved to a zero gap) or ``"milp-priced"``
        (an integer programme on a pruned model solved to a zero gap, every pair left out priced
        out of any better answer: peer pairs and circles).
    candidate_pairs
        Pairs the hard rules allow (the full problem).
    pairs_in_model
        Pairs in the last model solved.
    rounds
        Solves of the (growing) model in the final phase.
    max_reduced_cost
        The most any pruned pair could add to the objective; at most the tolerance when certified.
    solver
        The solver used (HiGHS through highspy; the integer programmes may fall back to CBC).
    notes
        Plain-language facts: why not certified, the proven gap, the best found at a time limit.
    bound
        A proven bound on the objective when one is known (integer programmes, time limits):
        no answer can score more.
    """

    certified: bool
    method: str
    candidate_pairs: int
    pairs_in_model: int
    rounds: int
    max_reduced_cost: float
    solver: str
    notes: list[str] = field(default_factory=list)
    bound: float | None = None

    def __str__(self) -> str:
        if not self.certified:
            return f"not certified ({self.method}); " + "; ".join(self.notes)
        if self.method == "lp-duals":
            return (f"certified optimal by LP duality: {self.pairs_in_model:,} of {self.candidate_pairs:,} candidate "
                    f"pairs in the model after {self.rounds} pricing round{'s' if self.rounds != 1 else ''}; no "
                    f"pruned pair can improve the objective (largest reduced cost {self.max_reduced_cost:.2g}).")
        if self.method == "milp-priced":
            return (f"certified optimal: integer programme over the {self.pairs_in_model:,} of "
                    f"{self.candidate_pairs:,} candidate pairs in the model solved to a zero gap, and every pair left "
                    "out proven unable to be in a better answer (LP reduced costs)"
                    + (f" ({'; '.join(self.notes)})." if self.notes else "."))
        if self.method == "milp":
            return (f"certified optimal: integer programme over {self.candidate_pairs:,} pairs solved with a zero "
                    "gap tolerance" + (f" ({'; '.join(self.notes)})." if self.notes else "."))
        return f"certified optimal: all {self.candidate_pairs:,} candidate pairs were in the model."


@dataclass
class Assignment:
    """The answer of :func:`assign`: pairs, objective, status and the optimality certificate."""

    pairs: pd.DataFrame
    objective: float
    status: str
    certificate: Certificate
    objective_name: str = "max_total"
    min_pair_score: float | None = None

    def __repr__(self) -> str:
        return (f"<Assignment {len(self.pairs)} pairs, objective {self.objective:.4f}, {self.status}; "
                f"{self.certificate}>")


# ------------------------------------------------------------------------------------------------
# The solver core on integer arrays
# ------------------------------------------------------------------------------------------------
@dataclass
class SolverProblem:
    """A b-matching on integer indices: edge e joins mentee rows[e] and mentor cols[e].

    Edges are expected in (row, col) order, rows and cols numbered in participant-id order: the
    model is then built in the same order whatever the order of the input rows (determinism).
    ``time_limit`` bounds the whole solve (all phases and rounds); ``deadline`` (a
    ``time.perf_counter()`` instant) overrides it when a caller has spent part of the budget.
    """

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    required: np.ndarray            # boolean over edges
    extra_rows: list[tuple[np.ndarray, float, str]]  # (edge mask, minimum of the sum, name)
    time_limit: float | None = None
    deadline: float | None = None
    progress: Callable[[str], None] | None = None
    # Pairs left out of the arrays altogether (huge rosters): pricer(mentee duals, mentor duals, offset, known
    # edge keys, tolerance) -> (rows, cols, scores) of the left-out pairs that could improve the objective.
    pricer: Callable | None = None
    # Mentees whose pairs the time limit left unscored (boolean per mentee), and the most a pair can score.
    unscored: np.ndarray | None = None
    best_pair: float = 0.0

    @property
    def size(self) -> int:
        return len(self.rows)

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)


@dataclass
class _Solved:
    chosen: np.ndarray          # boolean over edges
    value: float
    status: str
    certificate: Certificate
    place_value: np.ndarray | None = None   # per mentor: what one more place would add (LP dual)


def _certificate(model: LPModel, certified: bool, method: str, rounds: int, worst: float,
                 notes: list[str] | None = None, bound: float | None = None) -> Certificate:
    return Certificate(certified, method, int(model.usable.sum()), int((model.in_model & model.usable).sum()), rounds,
                       worst, SOLVER_NAME, notes or [], bound)


def _optimise(model: LPModel, weight: np.ndarray, usable: np.ndarray, *, top_k: int | None, label: str,
              min_matched: int | None = None, seed: np.ndarray | None = None) -> _Solved:
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
            return _Solved(np.zeros(problem.size, bool), float("nan"), "infeasible",
                           _certificate(model, False, "infeasible", rounds, float("nan"),
                                        ["the required pairs and quotas cannot all be met"]))
        if status != "optimal":
            return _Solved(np.zeros(problem.size, bool), float("nan"), "time_limit",
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
            return _Solved(chosen, float(weight[chosen].sum()), "optimal",
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
            return _Solved(chosen, float(weight[chosen].sum()), "optimal",
                           _certificate(model, True, "lp-duals", rounds, max(worst, 0.0)), place_value)
        # Add each mentee's most improving edges (a bounded batch) and solve again from the basis.
        edges, reduced = edges[improving], reduced[improving]
        order = np.lexsort((edges, reduced, problem.rows[edges]))
        batch = edges[order[rank_within(problem.rows[edges[order]]) < max(top_k or 0, 5)]]
        model.add(np.sort(batch))


def _optimise_flow(problem: SolverProblem, offset: float, top_k: int | None, label: str,
                   deadline: float | None) -> _Solved | None:
    """The plain b-matching (no pins, quotas or cardinality rows) as a min-cost flow on a growing edge set.

    Each round solves the flow on the edges in the model, recovers optimal LP duals from it
    (:func:`toolkit.matching.flow.flow_duals`) and prices every edge left out, exactly as
    :func:`_optimise` does with HiGHS' duals. None when the flow cannot be certified this way
    (the caller then solves the LP in HiGHS). The weights are the scores plus ``offset``; with a
    ``problem.pricer`` the pairs not in the arrays are priced too, and those that could improve
    are appended to the problem.
    """
    weight = problem.score + offset
    scale = flow_scale(weight)
    cost = -np.round(weight * scale).astype(np.int64)
    demand, capacity = np.round(problem.demand).astype(np.int64), np.round(problem.capacity).astype(np.int64)
    everything = np.ones(problem.size, dtype=bool)
    inside = everything.copy() if top_k is None else top_k_mask(problem.rows, problem.cols, problem.score,
                                                                everything, top_k)
    pruned_at_start = not inside.all()
    rounds, last, round_seconds = 0, None, 0.0
    while True:
        rounds += 1
        # Stop when the next round (and the greedy completion after it) would not finish in time.
        completion = COMPLETION_SECONDS_PER_PAIR * problem.size
        if last is not None and deadline is not None and time.perf_counter() + round_seconds + completion > deadline:
            return _flow_stopped(problem, offset, *last)
        started = time.perf_counter()
        edges = np.flatnonzero(inside)
        problem.say(f"  {label}: solve {rounds} (min-cost flow), {len(edges):,} of {problem.size:,} candidate pairs "
                    "in the model")
        rows, cols = problem.rows[edges], problem.cols[edges]
        used = solve_flow(rows, cols, cost[edges], demand, capacity)
        duals = None if used is None else flow_duals(rows, cols, cost[edges], used, demand, capacity)
        if duals is None:
            return None
        mentee_price, mentor_price = duals[0] / scale, duals[1] / scale
        chosen = np.zeros(problem.size, dtype=bool)
        chosen[edges[used]] = True
        reduced = weight - mentee_price[problem.rows] - mentor_price[problem.cols]
        gain = np.where(chosen, -np.inf, reduced)
        # The duals with z = max(reduced, 0) on every pair are feasible for the dual LP: a proven bound.
        bound = float(problem.demand @ mentee_price + problem.capacity @ mentor_price + np.maximum(reduced, 0).sum())
        last = (chosen, None if problem.pricer is not None else bound, rounds, len(edges))
        worst = float(gain.max()) if problem.size else 0.0
        if worst <= TOLERANCE and problem.pricer is not None:  # price the pairs not held in the arrays
            width = max(len(problem.capacity), 1)
            known = np.sort(problem.rows.astype(np.int64) * width + problem.cols)
            rows, cols, scores = problem.pricer(mentee_price, mentor_price, offset, known, TOLERANCE)
            if len(rows):
                problem.say(f"  {label}: {len(rows):,} pairs not held could improve the answer; adding them")
                problem.rows, problem.cols = np.r_[problem.rows, rows], np.r_[problem.cols, cols]
                problem.score, weight = np.r_[problem.score, scores], np.r_[weight, scores + offset]
                problem.required = np.r_[problem.required, np.zeros(len(rows), bool)]
                cost = np.r_[cost, -np.round((scores + offset) * scale).astype(np.int64)]
                inside = np.r_[inside, np.zeros(len(rows), bool)]
                chosen = np.r_[chosen, np.zeros(len(rows), bool)]
                gain = np.r_[gain, scores + offset - mentee_price[rows] - mentor_price[cols]]
                worst = float(gain.max())
        if worst <= TOLERANCE:
            method = "lp-duals" if pruned_at_start or problem.pricer is not None else "full-model"
            certificate = Certificate(True, method, problem.size, len(edges), rounds, max(worst, 0.0),
                                      FLOW_SOLVER_NAME)
            return _Solved(chosen, float(weight[chosen].sum()), "optimal", certificate, mentor_price)
        improving = np.flatnonzero((gain > TOLERANCE) & ~inside)
        if not len(improving):
            return None  # an edge in the model breaks the duals: not certifiable this way
        order = np.lexsort((improving, -gain[improving], problem.rows[improving]))
        inside[improving[order[rank_within(problem.rows[improving[order]]) < max(top_k or 0, 5)]]] = True
        round_seconds = time.perf_counter() - started


def _flow_stopped(problem: SolverProblem, offset: float, chosen: np.ndarray, bound: float | None, rounds: int,
                  in_model: int) -> _Solved:
    """The last flow's matching, completed greedily, when the time limit stops the pricing rounds."""
    notes = [f"the time limit stopped the search after {rounds} solve{'s' if rounds != 1 else ''}"]
    return _stopped_answer(problem, "max_participation" if offset else "max_total", [chosen], notes, bound,
                           Certificate(False, "stopped", problem.size, in_model, rounds, float("nan"), FLOW_SOLVER_NAME))


def _mip_solved(model: LPModel, values: np.ndarray, rounds: int) -> _Solved:
    info = model.highs.getInfo()
    chosen = model.chosen(values)
    bound = -float(info.mip_dual_bound)
    return _Solved(chosen, float(model.weight[chosen].sum()), "optimal",
                   _certificate(model, True, "milp", rounds, 0.0, [f"proven gap {max(info.mip_gap, 0.0):.2g}"],
                                bound))


def _milp(model: LPModel, weight: np.ndarray, usable: np.ndarray, rounds: int) -> _Solved:
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
        return _Solved(np.zeros(problem.size, bool), float("nan"), "infeasible",
                       _certificate(model, False, "infeasible", rounds + 1, float("nan"),
                                    ["the required pairs and quotas cannot all be met"]))
    if status != "optimal":
        info = model.highs.getInfo()
        chosen = model.chosen(model.values()) if info.primal_solution_status == 2 else np.zeros(problem.size, bool)
        return _Solved(chosen, float(weight[chosen].sum()), "time_limit",
                       _certificate(model, False, "stopped", rounds + 1, float("nan"),
                                    [f"the integer programme stopped ({status}) with a proven gap of "
                                     f"{info.mip_gap:.2g}"], -float(info.mip_dual_bound)))
    return _mip_solved(model, model.values(), rounds + 1)


def _stopped(problem: SolverProblem, model: LPModel, objective: str, phase: _Solved,
             fallback: np.ndarray | None) -> _Solved:
    """The best solution found when the time limit stops a phase, with what is proven about it."""
    options = [phase.chosen] + ([fallback] if fallback is not None else [])
    if len(model.edges):
        options.append(model.chosen(model.values()))  # the last LP values, rounded
    return _stopped_answer(problem, objective, options, list(phase.certificate.notes), phase.certificate.bound,
                           phase.certificate)


def _stopped_answer(problem: SolverProblem, objective: str, options: list[np.ndarray], notes: list[str],
                    bound: float | None, certificate: Certificate) -> _Solved:
    """Each partial answer (and none) completed greedily until maximal; the best of them, with its proven bound.

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
    certificate.notes, certificate.bound = notes, bound
    return _Solved(best, total, "time_limit", certificate)


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


def solve(problem: SolverProblem, objective: str, top_k: int | None) -> tuple[_Solved, float | None]:
    """Run the phases an objective needs on one kept model; returns the final solve and (for max_min) the bottleneck."""
    deadline = problem.deadline
    if deadline is None and problem.time_limit is not None:
        deadline = time.perf_counter() + float(problem.time_limit)
    unscored = problem.unscored is not None and bool(problem.unscored.any())
    if unscored or (deadline is not None and time.perf_counter() + first_round_seconds(problem, top_k) > deadline):
        why = ("the time limit stopped the search while pairs were being scored" if unscored else
               "the time left was too short for one solver round")
        certificate = Certificate(False, "stopped", problem.size, 0, 0, float("nan"), GREEDY_NAME)
        return _stopped_answer(problem, objective, [], [why + ", so this is the greedy match (best score first)"],
                               None, certificate), None
    if objective in ("max_total", "max_participation") and not problem.extra_rows and not problem.required.any():
        offset = 0.0 if objective == "max_total" else _participation_bonus(problem)
        label = "highest total score" if objective == "max_total" else "most people matched, then the highest total"
        flowed = _optimise_flow(problem, offset, top_k, label, deadline)
        if flowed is not None:
            flowed.value = float(problem.score[flowed.chosen].sum())
            return flowed, None
    model = LPModel(problem, deadline)
    usable = np.ones(problem.size, dtype=bool)
    if objective == "max_total":
        final = _optimise(model, problem.score, usable, top_k=top_k, label="highest total score")
        if final.status == "time_limit":
            final = _stopped(problem, model, objective, final, None)
        return final, None
    if objective == "max_participation":
        # One solve: every pair is worth more than any total of scores a smaller matching can reach,
        # so the optimum matches the most people, then has the highest total among those.
        final = _optimise(model, problem.score + _participation_bonus(problem), usable, top_k=top_k,
                          label="most people matched, then the highest total")
        if final.status == "time_limit":
            final = _stopped(problem, model, objective, final, None)
        final.value = float(problem.score[final.chosen].sum())
        return final, None
    ones = np.ones(problem.size)
    most = _optimise(model, ones, usable, top_k=top_k, label="most people matched")
    if most.status == "time_limit":
        return _stopped(problem, model, objective, most, None), None
    if most.status != "optimal":
        return most, None
    matched = int(round(most.value))
    bottleneck = None
    seed = most.chosen
    if objective == "max_min" and matched:
        values = np.unique(problem.score)
        floor = float(problem.score[problem.required].min()) if problem.required.any() else None
        low, high = 0, len(values) - 1  # find the largest threshold that still matches `matched` people
        best = 0
        while low <= high:
            middle = (low + high) // 2
            threshold = values[middle]
            if floor is not None and threshold > floor:
                high = middle - 1
                continue
            trial = _optimise(model, ones, problem.score >= threshold - 1e-12, top_k=top_k,
                              label=f"best worst-off pair (trying {threshold:.2f})")
            if trial.status == "time_limit":
                return _stopped(problem, model, objective, trial, seed), float(values[best])
            if trial.status == "optimal" and int(round(trial.value)) >= matched:
                best, low, seed = middle, middle + 1, trial.chosen
            else:
                high = middle - 1
        bottleneck = float(values[best])
        usable = (problem.score >= bottleneck - 1e-12) | problem.required
    final = _optimise(model, problem.score, usable, top_k=top_k, min_matched=matched, seed=seed & usable,
                      label="highest total score among them")
    if final.status == "time_limit":
        final = _stopped(problem, model, objective, final, seed)
    return final, bottleneck


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
        (the default) prunes automatically above 60,000 pairs; 0 never prunes.
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
    capacity = pd.Series(capacity, dtype=float) if not isinstance(capacity, pd.Series) else capacity.astype(float)
    capacity.index = capacity.index.astype(str)
    capacity_array = capacity.groupby(level=0).last().reindex(mentors, fill_value=0.0).to_numpy(dtype=float)
    if isinstance(demand, Mapping):
        wanted = pd.Series({str(k): float(v) for k, v in demand.items()}, dtype=float)
        demand_array = wanted.reindex(mentees, fill_value=1.0).to_numpy(dtype=float)
    else:
        demand_array = np.full(len(mentees), float(demand))
    extra = []
    for members, minimum, label in quotas:
        members = {str(member) for member in members}
        extra.append((table["mentee_id"].isin(members).to_numpy(), float(minimum), f"quota_{len(extra)}"))
    problem = SolverProblem(rows, cols, table["score"].to_numpy(dtype=float), demand_array, capacity_array,
                            is_required, extra, time_limit)
    if top_k is None and problem.size > AUTO_PRUNE_EDGES:
        top_k = DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    solved, bottleneck = solve(problem, objective, top_k)
    if solved.status == "infeasible":
        solved.certificate.notes = _infeasible_reasons(problem, list(mentees), list(mentors)) or \
            solved.certificate.notes
    pairs = table[solved.chosen].reset_index(drop=True)  # already in (mentee_id, mentor_id) order
    total = float(pairs["score"].sum())
    return Assignment(pairs, total, solved.status, solved.certificate, objective,
                      float(pairs["score"].min()) if len(pairs) else None)


def _infeasible_reasons(problem: SolverProblem, mentees: Sequence[str], mentors: Sequence[str]) -> list[str]:
    """Plain reasons why pins or quotas cannot all hold (pins beyond a capacity or a demand)."""
    reasons = []
    pinned = np.flatnonzero(problem.required)
    for col, count in zip(*np.unique(problem.cols[pinned], return_counts=True)):
        if count > problem.capacity[col]:
            reasons.append(f"{count} pairs are pinned to mentor {mentors[col]}, who takes {problem.capacity[col]:g}")
    for row, count in zip(*np.unique(problem.rows[pinned], return_counts=True)):
        if count > problem.demand[row]:
            reasons.append(f"{count} mentors are pinned to mentee {mentees[row]}, who needs {problem.demand[row]:g}")
    for mask, minimum, name in problem.extra_rows:
        if len(np.unique(problem.rows[mask])) < minimum:
            reasons.append(f"{name} needs {minimum:g} matched but only {len(np.unique(problem.rows[mask]))} can be")
    return reasons
