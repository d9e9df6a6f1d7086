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

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import MatchingError, check_option

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign"]


OBJECTIVES = ("max_total", "max_min", "max_participation")


TOLERANCE = 1e-6


AUTO_PRUNE_EDGES = 60_000  # candidate sets larger than this are pruned to each mentee's top K


DEFAULT_TOP_K = 25


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
        was pruned) or ``"milp"`` (an integer programme solved to a zero gap).
    candidate_pairs
        Pairs the hard rules allow (the full problem).
    pairs_in_model
        Pairs in the last model solved.
    rounds
        Solves of the (growing) model in the final phase.
    max_reduced_cost
        The most any pruned pair could add to the objective; at most the tolerance when certified.
    solver
        The solver used (HiGHS through highspy, or CBC as a fallback).
    """

    certified: bool
    method: str
    candidate_pairs: int
    pairs_in_model: int
    rounds: int
    max_reduced_cost: float
    solver: str
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.certified:
            return f"not certified ({self.method}); " + "; ".join(self.notes)
        if self.method == "lp-duals":
            return (f"certified optimal by LP duality: {self.pairs_in_model:,} of {self.candidate_pairs:,} candidate "
                    f"pairs in the model after {self.rounds} pricing round{'s' if self.rounds != 1 else ''}; no "
                    f"pruned pair can improve the objective (largest reduced cost {self.max_reduced_cost:.2g}).")
        if self.method == "milp":
            return f"certified optimal: integer programme solved to a zero gap over {self.candidate_pairs:,} pairs."
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
def pick_solver(time_limit: float | None):
    import pulp

    highs = pulp.HiGHS(msg=False, timeLimit=time_limit, threads=1) if time_limit else pulp.HiGHS(msg=False, threads=1)
    if highs.available():
        return highs, "HiGHS (highspy)"
    cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    if cbc.available():
        return cbc, "CBC"
    raise MatchingError("No LP solver is available (neither HiGHS nor CBC).",
                        fix="reinstall the toolkit's dependencies: make install")


@dataclass
class SolverProblem:
    """A b-matching on integer indices: edge e joins mentee rows[e] and mentor cols[e]."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    required: np.ndarray            # boolean over edges
    extra_rows: list[tuple[np.ndarray, float, str]]  # (edge mask, minimum of the sum, name)
    time_limit: float | None = None

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass
class _Solved:
    chosen: np.ndarray          # boolean over edges
    value: float
    status: str
    certificate: Certificate
    place_value: np.ndarray | None = None   # per mentor: what one more place would add (LP dual)


def _top_k_mask(problem: SolverProblem, weight: np.ndarray, usable: np.ndarray, top_k: int) -> np.ndarray:
    """Each mentee's top_k usable edges by weight (ties by edge order), plus required edges."""
    order = np.lexsort((np.arange(problem.size), -weight, problem.rows))
    ranked_rows = problem.rows[order]
    usable_sorted = usable[order]
    # rank within each mentee among usable edges
    keep = np.zeros(problem.size, dtype=bool)
    counts: dict[int, int] = {}
    for position, edge in enumerate(order):
        if not usable_sorted[position]:
            continue
        row = ranked_rows[position]
        seen = counts.get(row, 0)
        if seen < top_k:
            keep[edge] = True
            counts[row] = seen + 1
    return keep | (problem.required & usable)


def _optimise(problem: SolverProblem, weight: np.ndarray, usable: np.ndarray, *, top_k: int | None,
              min_matched: int | None = None, seed: np.ndarray | None = None) -> _Solved:
    """Maximise sum(weight x) over usable edges, with column generation and a dual certificate."""
    import pulp

    solver, solver_name = pick_solver(problem.time_limit)
    candidates = int(usable.sum())
    if top_k is None or candidates <= top_k * max(1, len(np.unique(problem.rows[usable]))):
        in_model = usable.copy()
        pruned = False
    else:
        in_model = _top_k_mask(problem, weight, usable, top_k)
        pruned = True
    if seed is not None:
        in_model |= seed & usable
    rounds = 0
    while True:
        rounds += 1
        edges = np.flatnonzero(in_model)
        lp = pulp.LpProblem("matching", pulp.LpMinimize)
        variables = [lp.add_variable(f"x{edge}", lowBound=1 if problem.required[edge] else 0, upBound=1)
                     for edge in edges]
        lp += pulp.LpAffineExpression([(variable, -float(weight[edge])) for variable, edge in zip(variables, edges)])
        by_row: dict[int, list] = {}
        by_col: dict[int, list] = {}
        for variable, edge in zip(variables, edges):
            by_row.setdefault(int(problem.rows[edge]), []).append(variable)
            by_col.setdefault(int(problem.cols[edge]), []).append(variable)
        row_constraints = {}
        for row, members in by_row.items():
            constraint = pulp.LpConstraint(pulp.LpAffineExpression([(v, 1) for v in members]), pulp.LpConstraintLE,
                                           rhs=float(problem.demand[row]))
            lp += constraint, f"mentee_{row}"
            row_constraints[row] = constraint
        col_constraints = {}
        for col, members in by_col.items():
            constraint = pulp.LpConstraint(pulp.LpAffineExpression([(v, 1) for v in members]), pulp.LpConstraintLE,
                                           rhs=float(problem.capacity[col]))
            lp += constraint, f"mentor_{col}"
            col_constraints[col] = constraint
        extra_constraints = []
        position = {int(edge): index for index, edge in enumerate(edges)}
        for mask, minimum, name in problem.extra_rows:
            members = [variables[position[int(edge)]] for edge in np.flatnonzero(mask & in_model)]
            constraint = pulp.LpConstraint(pulp.LpAffineExpression([(v, 1) for v in members]), pulp.LpConstraintGE,
                                           rhs=float(minimum))
            lp += constraint, name
            extra_constraints.append((mask, constraint))
        cardinality = None
        if min_matched is not None:
            cardinality = pulp.LpConstraint(pulp.LpAffineExpression([(v, 1) for v in variables]), pulp.LpConstraintGE,
                                            rhs=float(min_matched) - 1e-7)
            lp += cardinality, "min_matched"
        status_code = lp.solve(solver)
        status = pulp.LpStatus[status_code]
        if status == "Infeasible" and pruned:
            in_model, pruned = usable.copy(), False  # the pruned model was too small: solve the full one
            continue
        if status == "Infeasible":
            return _Solved(np.zeros(problem.size, bool), float("nan"), "infeasible",
                           Certificate(False, "infeasible", candidates, len(edges), rounds, float("nan"), solver_name,
                                       ["the required pairs and quotas cannot all be met"]))
        if status != "Optimal":
            chosen = np.zeros(problem.size, dtype=bool)
            values = np.array([variable.value() or 0.0 for variable in variables])
            chosen[edges[values > 0.5]] = True
            return _Solved(chosen, float(weight[chosen].sum()), "time_limit",
                           Certificate(False, "stopped", candidates, len(edges), rounds, float("nan"), solver_name,
                                       [f"the solver stopped with status {status}"]))
        values = np.array([variable.value() or 0.0 for variable in variables])
        if np.any(np.abs(values - np.round(values)) > 1e-6):
            return _milp(problem, weight, usable, min_matched, candidates)
        chosen = np.zeros(problem.size, dtype=bool)
        chosen[edges[values > 0.5]] = True
        col_price = np.zeros(len(problem.capacity))
        for col, constraint in col_constraints.items():
            col_price[col] = constraint.pi or 0.0
        place_value = np.maximum(-col_price, 0.0)
        if not pruned:
            return _Solved(chosen, float(weight[chosen].sum()), "optimal",
                           Certificate(True, "full-model", candidates, len(edges), rounds, 0.0, solver_name),
                           place_value)
        # Price every usable edge left out of the model.
        row_price = np.zeros(len(problem.demand))
        for row, constraint in row_constraints.items():
            row_price[row] = constraint.pi or 0.0
        reduced = -weight - row_price[problem.rows] - col_price[problem.cols]
        for mask, constraint in extra_constraints:
            reduced -= (constraint.pi or 0.0) * mask
        if cardinality is not None:
            reduced -= cardinality.pi or 0.0
        outside = usable & ~in_model
        improving = outside & (reduced < -TOLERANCE)
        worst = float(-reduced[outside].min()) if outside.any() else 0.0
        if not improving.any():
            return _Solved(chosen, float(weight[chosen].sum()), "optimal",
                           Certificate(True, "lp-duals", candidates, len(edges), rounds, max(worst, 0.0), solver_name),
                           place_value)
        # Add the improving edges (most improving first, a bounded batch) and solve again.
        order = np.flatnonzero(improving)
        order = order[np.argsort(reduced[order], kind="stable")][: max(1000, len(edges) // 4)]
        in_model[order] = True


def _milp(problem: SolverProblem, weight: np.ndarray, usable: np.ndarray, min_matched: int | None,
          candidates: int) -> _Solved:
    """Fallback when an LP vertex is fractional (quotas can cause it): an integer programme on every pair."""
    import pulp

    solver, solver_name = pick_solver(problem.time_limit)
    edges = np.flatnonzero(usable)
    lp = pulp.LpProblem("matching_milp", pulp.LpMaximize)
    variables = [lp.add_variable(f"x{edge}", lowBound=1 if problem.required[edge] else 0, upBound=1, cat="Integer")
                 for edge in edges]
    lp += pulp.LpAffineExpression([(variable, float(weight[edge])) for variable, edge in zip(variables, edges)])
    for index_array, bounds, label in ((problem.rows, problem.demand, "mentee"),
                                       (problem.cols, problem.capacity, "mentor")):
        groups: dict[int, list] = {}
        for variable, edge in zip(variables, edges):
            groups.setdefault(int(index_array[edge]), []).append(variable)
        for key, members in groups.items():
            lp += pulp.lpSum(members) <= float(bounds[key]), f"{label}_{key}"
    position = {int(edge): index for index, edge in enumerate(edges)}
    for mask, minimum, name in problem.extra_rows:
        lp += pulp.lpSum(variables[position[int(edge)]] for edge in np.flatnonzero(mask & usable)) >= minimum, name
    if min_matched is not None:
        lp += pulp.lpSum(variables) >= min_matched, "min_matched"
    status = pulp.LpStatus[lp.solve(solver)]
    chosen = np.zeros(problem.size, dtype=bool)
    if status == "Infeasible":
        return _Solved(chosen, float("nan"), "infeasible",
                       Certificate(False, "infeasible", candidates, len(edges), 1, float("nan"), solver_name,
                                   ["the required pairs and quotas cannot all be met"]))
    values = np.array([variable.value() or 0.0 for variable in variables])
    chosen[edges[values > 0.5]] = True
    certified = status == "Optimal"
    return _Solved(chosen, float(weight[chosen].sum()), "optimal" if certified else "time_limit",
                   Certificate(certified, "milp", candidates, len(edges), 1, 0.0, solver_name,
                               [] if certified else [f"the solver stopped with status {status}"]))


def solve(problem: SolverProblem, objective: str, top_k: int | None) -> tuple[_Solved, float | None]:
    """Run the phases an objective needs; returns the final solve and (for max_min) the bottleneck."""
    usable = np.ones(problem.size, dtype=bool)
    if objective == "max_total":
        return _optimise(problem, problem.score, usable, top_k=top_k), None
    ones = np.ones(problem.size)
    most = _optimise(problem, ones, usable, top_k=top_k)
    if most.status != "optimal":
        return most, None
    matched = int(round(most.value))
    bottleneck = None
    if objective == "max_min" and matched:
        values = np.unique(problem.score)
        floor = float(problem.score[problem.required].min()) if problem.required.any() else None
        low, high = 0, len(values) - 1  # find the largest threshold that still matches `matched` people
        best, seed = 0, most.chosen
        while low <= high:
            middle = (low + high) // 2
            threshold = values[middle]
            if floor is not None and threshold > floor:
                high = middle - 1
                continue
            trial = _optimise(problem, ones, problem.score >= threshold - 1e-12, top_k=top_k)
            if trial.status == "optimal" and int(round(trial.value)) >= matched:
                best, low, seed = middle, middle + 1, trial.chosen
            else:
                high = middle - 1
        bottleneck = float(values[best])
        usable = (problem.score >= bottleneck - 1e-12) | problem.required
    else:
        seed = most.chosen
    final = _optimise(problem, problem.score, usable, top_k=top_k, min_matched=matched, seed=seed & usable)
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
        Seconds per solve; a stopped solve gives ``status == "time_limit"``.

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
    duplicated = table.duplicated(["mentee_id", "mentor_id"])
    if duplicated.any():
        first = table[duplicated].iloc[0]
        raise MatchingError(f"The pair {first['mentee_id']} - {first['mentor_id']} appears more than once.",
                            fix="give each pair one score")
    forbidden = {(str(a), str(b)) for a, b in forbidden}
    required = [(str(a), str(b)) for a, b in required]
    keys = list(zip(table["mentee_id"], table["mentor_id"]))
    present = set(keys)
    for pair in required:
        if pair not in present:
            raise MatchingError(f"The required pair {pair[0]} - {pair[1]} is not an allowed pair.",
                                fix="add it to the score table, or check the hard rules that exclude it")
        if pair in forbidden:
            raise MatchingError(f"The pair {pair[0]} - {pair[1]} is both required and forbidden.",
                                fix="remove it from one of the two lists")
    keep = np.array([key not in forbidden for key in keys], dtype=bool)
    required_set = set(required)
    is_required = np.array([key in required_set for key in keys], dtype=bool)
    if min_score is not None:
        keep &= (table["score"].to_numpy() >= min_score) | is_required
    table, is_required = table[keep].reset_index(drop=True), is_required[keep]
    mentees = sorted(set(table["mentee_id"]))
    capacity = pd.Series(capacity, dtype=float) if not isinstance(capacity, pd.Series) else capacity.astype(float)
    mentors = sorted(set(table["mentor_id"]))
    mentee_index = {mentee: index for index, mentee in enumerate(mentees)}
    mentor_index = {mentor: index for index, mentor in enumerate(mentors)}
    demand_array = np.array([float(demand.get(mentee, 1)) if isinstance(demand, Mapping) else float(demand)
                             for mentee in mentees])
    capacity_array = np.array([float(capacity.get(mentor, 0)) for mentor in mentors])
    rows = table["mentee_id"].map(mentee_index).to_numpy(dtype=np.int64)
    cols = table["mentor_id"].map(mentor_index).to_numpy(dtype=np.int64)
    extra = []
    for members, minimum, label in quotas:
        members = {str(member) for member in members}
        extra.append((table["mentee_id"].isin(members).to_numpy(), float(minimum), f"quota_{len(extra)}"))
    problem = SolverProblem(rows, cols, table["score"].to_numpy(dtype=float), demand_array, capacity_array, is_required,
                       extra, time_limit)
    if top_k is None and problem.size > AUTO_PRUNE_EDGES:
        top_k = DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    solved, bottleneck = solve(problem, objective, top_k)
    if solved.status == "infeasible":
        solved.certificate.notes = _infeasible_reasons(problem, mentees, mentors) or solved.certificate.notes
    pairs = table[solved.chosen].sort_values(["mentee_id", "mentor_id"], ignore_index=True)
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
