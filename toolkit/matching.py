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

import argparse
import html
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import MatchingError, check_option

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign", "match", "MatchResult", "Explanation"]

OBJECTIVES = ("max_total", "max_min", "max_participation")
TOLERANCE = 1e-6
_AUTO_PRUNE_EDGES = 60_000  # candidate sets larger than this are pruned to each mentee's top K
_DEFAULT_TOP_K = 25


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
def _solver(time_limit: float | None):
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
class _Problem:
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


def _top_k_mask(problem: _Problem, weight: np.ndarray, usable: np.ndarray, top_k: int) -> np.ndarray:
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


def _optimise(problem: _Problem, weight: np.ndarray, usable: np.ndarray, *, top_k: int | None,
              min_matched: int | None = None, seed: np.ndarray | None = None) -> _Solved:
    """Maximise sum(weight x) over usable edges, with column generation and a dual certificate."""
    import pulp

    solver, solver_name = _solver(problem.time_limit)
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


def _milp(problem: _Problem, weight: np.ndarray, usable: np.ndarray, min_matched: int | None,
          candidates: int) -> _Solved:
    """Fallback when an LP vertex is fractional (quotas can cause it): an integer programme on every pair."""
    import pulp

    solver, solver_name = _solver(problem.time_limit)
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


def _solve(problem: _Problem, objective: str, top_k: int | None) -> tuple[_Solved, float | None]:
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
    problem = _Problem(rows, cols, table["score"].to_numpy(dtype=float), demand_array, capacity_array, is_required,
                       extra, time_limit)
    if top_k is None and problem.size > _AUTO_PRUNE_EDGES:
        top_k = _DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    solved, bottleneck = _solve(problem, objective, top_k)
    if solved.status == "infeasible":
        solved.certificate.notes = _infeasible_reasons(problem, mentees, mentors) or solved.certificate.notes
    pairs = table[solved.chosen].sort_values(["mentee_id", "mentor_id"], ignore_index=True)
    total = float(pairs["score"].sum())
    return Assignment(pairs, total, solved.status, solved.certificate, objective,
                      float(pairs["score"].min()) if len(pairs) else None)


def _infeasible_reasons(problem: _Problem, mentees: Sequence[str], mentors: Sequence[str]) -> list[str]:
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


# ------------------------------------------------------------------------------------------------
# High level: roster + design -> MatchResult
# ------------------------------------------------------------------------------------------------
@dataclass
class Explanation:
    """Why a person got their partner: score parts, evidence, runners-up and the score gap."""

    participant_id: str
    text: str
    partner: str | None = None
    parts: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    runners_up: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in self.text.splitlines() if line.strip())
        if len(self.runners_up):
            body += self.runners_up.to_html(index=False, float_format=lambda value: f"{value:.2f}")
        return body


@dataclass
class MatchResult:
    """The proposed match for a roster under a design.

    Attributes
    ----------
    roster, design
        What it was computed from.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    pairs
        One row per pair: mentee_id, mentor_id, score, then one column per active criterion
        (weighted parts that add up to score). Empty for circles.
    circles
        One row per person in a circle: circle_id, participant_id, circle_role. Empty otherwise.
    unmatched
        participant_id, role, reason, suggestion: everyone not matched, and why.
    status
        ``optimal`` (certified), ``infeasible`` or ``time_limit``.
    objective
        The total score of the pairs (circles: of the facilitator-member links).
    certificate
        How optimality was proven (:class:`Certificate`).
    """

    roster: Any
    design: Any
    shape: str
    pairs: pd.DataFrame
    circles: pd.DataFrame
    unmatched: pd.DataFrame
    status: str
    objective: float
    certificate: Certificate
    seconds: float = 0.0
    min_pair_score: float | None = None
    place_value: pd.Series | None = None
    _explainer: Any = field(default=None, repr=False)

    def recruiting_advice(self, top: int = 5) -> pd.DataFrame:
        """Which mentors' extra places would raise the total most (LP duals of the capacity constraints).

        Each row: mentor, department, skills offered, and the score one more place with that
        mentor (or someone like them) would add. Empty when no extra place would help.
        """
        columns = ["mentor_id", "name", "department", "skills_offered", "value_of_one_more_place"]
        if self.place_value is None or not (self.place_value > 1e-9).any():
            return pd.DataFrame(columns=columns)
        best = self.place_value[self.place_value > 1e-9].sort_values(ascending=False, kind="stable").head(top)
        people = self.roster.participants.set_index("participant_id")
        return pd.DataFrame({
            "mentor_id": best.index, "name": [self.roster.display_name(m) for m in best.index],
            "department": [people.at[m, "department"] for m in best.index],
            "skills_offered": ["; ".join(people.at[m, "skills_offered"] or ()) for m in best.index],
            "value_of_one_more_place": best.round(3).to_numpy(),
        })

    @property
    def solver(self) -> str:
        return self.certificate.solver

    def explain(self, participant_id: str) -> Explanation:
        """Why this person got this partner (or none): parts, evidence, runners-up and score gaps."""
        if participant_id not in self.roster:
            from .errors import did_you_mean

            raise MatchingError(f"{participant_id!r} is not in this roster." + did_you_mean(participant_id,
                                                                                        self.roster.ids),
                                fix="use a participant_id from result.pairs or result.unmatched")
        return self._explainer(self, participant_id)

    def summary(self) -> str:
        """One paragraph: how many matched, the status and the main reasons for the rest."""
        if self.shape == "circles":
            members = self.circles[self.circles["circle_role"] == "member"]
            head = f"{self.circles['circle_id'].nunique()} circles for {len(members)} members"
        else:
            head = f"{len(self.pairs)} pairs (total score {self.objective:.1f})"
        counts = self.unmatched["role"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        spare = {"mentor": "mentor without a mentee", "facilitator": "facilitator not needed"}
        tail = "; ".join(f"{count} {role} not matched" if role not in spare else
                         f"{count} {spare[role].replace('mentor ', 'mentors ') if count != 1 else spare[role]}"
                         .replace("facilitator not", "facilitators not" if count != 1 else "facilitator not")
                         for role, count in counts.items())
        tail = f"; {tail}" if tail else "; everyone matched"
        return f"{head}{tail}. Status: {self.status} — {self.certificate}"

    def __repr__(self) -> str:
        return f"<MatchResult {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>" + (self.pairs.head(20).to_html(index=False) if len(self.pairs)
                                                          else self.circles.head(30).to_html(index=False))


def match(
    roster,
    design,
    *,
    required: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
    objective: str | None = None,
    top_k: int | None = None,
    time_limit: float | None = None,
) -> MatchResult:
    """Match a roster under a programme design: optimal, certified and explained.

    Parameters
    ----------
    roster
        A :class:`~toolkit.roster.Roster`.
    design
        A :class:`~toolkit.design.ProgramDesign` (its shape picks one-to-one pairs, peer pairs
        or circles; its criteria, rules, capacity, quotas and objective are used).
    required, forbidden
        (mentee_id, mentor_id) pairs to pin or ban (peer pairs: either order).
    objective
        Overrides ``design.objective``.
    top_k
        Candidates per mentee before certification (default: automatic).
    time_limit
        Seconds per solve.

    Returns
    -------
    MatchResult
    """
    if design.shape in ("peer_pairs", "circles"):
        from . import circles

        return circles.match_group(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)
    from .rules import RuleContext
    from .scoring import ScoreModel

    clock = time.perf_counter()
    objective = objective or design.objective
    check_option("objective", objective, OBJECTIVES, MatchingError)
    context = RuleContext.build(roster, design)
    model = ScoreModel.build(roster, design, context=context)
    mentee_ids, mentor_ids = list(context.mentees.ids), list(context.mentors.ids)
    rows, cols, scores = [], [], []
    for start, stop in context.chunks():
        allowed = context.allowed(start, stop)
        block = model.scores(start, stop)
        r, c = np.nonzero(allowed)
        rows.append(r + start)
        cols.append(c)
        scores.append(block[r, c])
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    scores = np.concatenate(scores) if scores else np.zeros(0)
    mentee_position = {participant: index for index, participant in enumerate(mentee_ids)}
    mentor_position = {participant: index for index, participant in enumerate(mentor_ids)}
    edge_of = None

    def edge_lookup() -> dict[tuple[int, int], int]:
        nonlocal edge_of
        if edge_of is None:
            edge_of = {(int(r), int(c)): index for index, (r, c) in enumerate(zip(rows, cols))}
        return edge_of

    keep = np.ones(len(rows), dtype=bool)
    forbidden = list(forbidden)
    if forbidden:
        lookup = edge_lookup()
        for mentee, mentor in forbidden:
            edge = lookup.get((mentee_position.get(mentee, -1), mentor_position.get(mentor, -1)))
            if edge is not None:
                keep[edge] = False
    is_required = np.zeros(len(rows), dtype=bool)
    for mentee, mentor in required:
        if mentee not in mentee_position or mentor not in mentor_position:
            raise MatchingError(f"The pinned pair {mentee} - {mentor} is not a mentee and a mentor of this roster.",
                                fix="pin a mentee (first) with a mentor (second)")
        edge = edge_lookup().get((mentee_position[mentee], mentor_position[mentor]))
        if edge is None:
            reasons = _rules_between(context, mentee_position[mentee], mentor_position[mentor])
            raise MatchingError(f"The pinned pair {roster.display_name(mentee)} - {roster.display_name(mentor)} "
                                f"breaks the programme's rules ({', '.join(reasons)}).",
                                fix="unpin it, or switch off that rule in the design")
        is_required[edge] = True
    min_score = design.rules.min_score
    if min_score is not None:
        keep &= (scores >= min_score) | is_required
    rows, cols, scores, is_required = rows[keep], cols[keep], scores[keep], is_required[keep]
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    capacity_array = np.array([float(capacity.get(mentor, design.capacity.default)) for mentor in mentor_ids])
    demand_array = np.full(len(mentee_ids), float(design.mentee_demand))
    extra = []
    participants = roster.participants.set_index("participant_id")
    for number, quota in enumerate(design.quotas):
        column = quota.attribute
        if column not in participants.columns:
            raise MatchingError(f"A quota names the field {column!r}, which the roster does not have.",
                                fix="use a participant field such as department or site")
        members = {index for index, participant in enumerate(mentee_ids)
                   if str(participants.at[participant, column]) == str(quota.value)}
        extra.append((np.isin(rows, list(members)), float(quota.min_matched), f"quota_{number}"))
    problem = _Problem(rows.astype(np.int64), cols.astype(np.int64), scores.astype(float), demand_array,
                       capacity_array, is_required, extra, time_limit)
    if top_k is None and problem.size > _AUTO_PRUNE_EDGES:
        top_k = _DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    solved, bottleneck = _solve(problem, objective, top_k)
    chosen = np.flatnonzero(solved.chosen)
    pairs = _pairs_with_parts(model, rows[chosen], cols[chosen], mentee_ids, mentor_ids)
    result = MatchResult(
        roster=roster, design=design, shape="one_to_one", pairs=pairs,
        circles=pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]),
        unmatched=pd.DataFrame(columns=["participant_id", "role", "reason", "suggestion"]),
        status=solved.status, objective=float(pairs["score"].sum()) if len(pairs) else 0.0,
        certificate=solved.certificate, min_pair_score=bottleneck, _explainer=_explain_one_to_one,
    )
    result._context, result._model = context, model
    if solved.place_value is not None:
        result.place_value = pd.Series(solved.place_value, index=mentor_ids, name="value_of_one_more_place")
    result.unmatched = _unmatched_one_to_one(result, context, model, rows, cols, scores, capacity_array)
    result.seconds = time.perf_counter() - clock
    return result


def _rules_between(context, row: int, col: int) -> list[str]:
    masks = context.excluded(row, row + 1)
    return [rule.replace("_", " ") for rule, mask in masks.items() if mask[0, col]] or [
        "its score is below the programme's minimum"]


def _pairs_with_parts(model, rows: np.ndarray, cols: np.ndarray, mentee_ids, mentor_ids) -> pd.DataFrame:
    """The chosen pairs with their weighted parts (recomputed exactly as scored)."""
    records = []
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    for row in np.unique(rows):
        parts = model.parts(int(row), int(row) + 1)
        for col in cols[rows == row]:
            values = {name: float(value[0, col]) for name, value in parts.items()}
            records.append({"mentee_id": mentee_ids[row], "mentor_id": mentor_ids[col],
                            "score": float(sum(values.values())), **values})
    frame = pd.DataFrame(records, columns=["mentee_id", "mentor_id", "score", *model.active])
    frame = frame.astype({column: float for column in ["score", *model.active]})
    return frame.sort_values(["mentee_id", "mentor_id"], ignore_index=True)


def _unmatched_one_to_one(result: MatchResult, context, model, rows, cols, scores, capacity_array) -> pd.DataFrame:
    """Everyone not matched, with the reason and a concrete suggestion."""
    from .roster import _RELAX, _BINDING_FIRST
    from .rules import RULES

    roster = result.roster
    matched = set(result.pairs["mentee_id"])
    used = result.pairs["mentor_id"].value_counts()
    eligible_count = np.bincount(rows, minlength=len(context.mentees.ids))
    counts = context.exclusion_counts().set_index("participant_id")
    records = []
    for index, mentee in enumerate(context.mentees.ids):
        if mentee in matched:
            continue
        if eligible_count[index] == 0:
            row = counts.loc[mentee]
            rule_counts = sorted(((int(row[rule]), rule) for rule in counts.columns if rule in RULES and rule != "self"
                                  and int(row[rule])), key=lambda item: (-item[0], _BINDING_FIRST.get(item[1], 9)))
            detail = ", ".join(f"{count} {RULES[rule]}" for count, rule in rule_counts[:3])
            reason = "no eligible mentor under the programme's rules" + (f": of the mentors, {detail}" if detail
                                                                          else "")
            suggestion = _RELAX.get(rule_counts[0][1], "recruit more mentors") if rule_counts else "recruit more mentors"
            if result.design.rules.min_score is not None and not rule_counts:
                reason = "every eligible mentor scores below the programme's minimum score"
                suggestion = "lower rules.min_score or recruit mentors closer to this person's needs"
        else:
            options = np.flatnonzero(rows == index)
            best = options[np.argsort(-scores[options], kind="stable")][:3]
            names = ", ".join(f"{roster.display_name(context.mentors.ids[cols[edge]])} ({scores[edge]:.1f})"
                              for edge in best)
            reason = (f"all {len(options)} eligible mentors are full: their places went to mentees with fewer or "
                      "weaker alternatives")
            suggestion = f"ask one of the best-suited mentors to take one more mentee: {names}"
        records.append({"participant_id": mentee, "role": "mentee", "reason": reason, "suggestion": suggestion})
    for index, mentor in enumerate(context.mentors.ids):
        if mentor in used.index or mentor in context.mentees.ids:
            continue
        options = np.flatnonzero(cols == index)
        reason = ("no mentee was eligible for them under the programme's rules" if not len(options) else
                  f"{len(options)} mentees were eligible, but each was better served by another mentor")
        records.append({"participant_id": mentor, "role": "mentor", "reason": reason,
                        "suggestion": "keep them in reserve for re-matching, or invite them to a later cohort"})
    return pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])


def _explain_one_to_one(result: MatchResult, participant_id: str) -> Explanation:
    from .scoring import evidence

    context, model, roster = result._context, result._model, result.roster
    pairs = result.pairs
    if participant_id in set(pairs["mentor_id"]) and participant_id not in set(pairs["mentee_id"]):
        mine = pairs[pairs["mentor_id"] == participant_id]
        lines = [f"{roster.display_name(participant_id)} mentors {len(mine)}: " + "; ".join(
            f"{roster.display_name(row.mentee_id)} (score {row.score:.2f})" for row in mine.itertuples())]
        return Explanation(participant_id, "\n".join(lines))
    mentee_ids = list(context.mentees.ids)
    if participant_id not in mentee_ids:
        unmatched = result.unmatched.set_index("participant_id")
        reason = unmatched.loc[participant_id, "reason"] if participant_id in unmatched.index else "not a mentee"
        return Explanation(participant_id, f"{roster.display_name(participant_id)}: {reason}.")
    row = mentee_ids.index(participant_id)
    parts = model.parts(row, row + 1)
    allowed = context.allowed(row, row + 1)[0]
    score = sum(value[0] for value in parts.values()) if parts else np.zeros(len(context.mentors.ids))
    mine = pairs[pairs["mentee_id"] == participant_id]
    used = pairs["mentor_id"].value_counts()
    capacity = result.roster.capacity(result.design.capacity.default, result.design.capacity.max)
    candidates = np.flatnonzero(allowed)
    ranked = candidates[np.lexsort((candidates, -score[candidates]))]
    partner = mine["mentor_id"].iloc[0] if len(mine) else None
    partner_score = float(mine["score"].iloc[0]) if len(mine) else None
    runner_rows = []
    for col in ranked:
        mentor = context.mentors.ids[col]
        if mentor == partner:
            continue
        full = int(used.get(mentor, 0)) >= int(capacity.get(mentor, result.design.capacity.default))
        runner_rows.append({"mentor_id": mentor, "name": roster.display_name(mentor), "score": float(score[col]),
                            "gap": (partner_score - float(score[col])) if partner_score is not None else None,
                            "status": "full" if full else "had a place"})
        if len(runner_rows) == 3:
            break
    runners = pd.DataFrame(runner_rows, columns=["mentor_id", "name", "score", "gap", "status"])
    if partner is None:
        reason = result.unmatched.set_index("participant_id").loc[participant_id, "reason"]
        text = f"{roster.display_name(participant_id)} is not matched: {reason}."
        return Explanation(participant_id, text, runners_up=runners)
    col = list(context.mentors.ids).index(partner)
    part_values = {name: float(value[0, col]) for name, value in parts.items()}
    proof = evidence(roster, result.design, participant_id, partner)
    shown = " + ".join(f"{name.replace('_', ' ')} {value:.2f}" for name, value in part_values.items() if value)
    lines = [f"{roster.display_name(participant_id)} is matched with {roster.display_name(partner)}: score "
             f"{partner_score:.2f} = {shown or '0'}."]
    for name, value in part_values.items():
        if value and name in proof:
            lines.append(f"  {name.replace('_', ' ')}: {proof[name]}")
    if len(runners):
        best = runners.iloc[0]
        if best["gap"] is not None and best["gap"] < 0:
            lines.append(f"The best-scoring alternative, {best['name']} ({best['score']:.2f}), was {best['status']}; "
                         "giving them to this mentee would lower the programme's total.")
        else:
            lines.append(f"Runner-up: {best['name']} ({best['score']:.2f}), {abs(best['gap']):.2f} points lower.")
    return Explanation(participant_id, "\n".join(lines), partner=partner, parts=part_values, evidence=proof,
                       runners_up=runners)


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------
def export_match(result: MatchResult, out: str | Path) -> list[Path]:
    """Write the match as Excel (one sheet each: pairs or circles, unmatched) and CSV files, without emails."""
    from .exports import write_csv, write_excel

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    roster = result.roster
    if result.shape == "circles":
        main = result.circles.assign(name=[roster.display_name(person) for person in result.circles["participant_id"]])
        main_name = "circles"
    else:
        pairs = result.pairs
        first, second = ("mentee", "mentor") if result.shape == "one_to_one" else ("person", "partner")
        main = pd.DataFrame({f"{first}_id": pairs["mentee_id"], f"{first}": [roster.display_name(p) for p in
                                                                          pairs["mentee_id"]],
                             f"{second}_id": pairs["mentor_id"], f"{second}": [roster.display_name(p) for p in
                                                                             pairs["mentor_id"]]})
        main = pd.concat([main, pairs.drop(columns=["mentee_id", "mentor_id"]).round(4)], axis=1)
        main_name = "pairs"
    unmatched = result.unmatched.assign(name=[roster.display_name(p) for p in result.unmatched["participant_id"]])
    unmatched = unmatched[["participant_id", "name", "role", "reason", "suggestion"]]
    about = pd.DataFrame({"item": ["programme", "status", "certificate", "objective", "solver"],
                          "value": [result.design.name, result.status, str(result.certificate),
                                    f"{result.objective:.4f}", result.solver]})
    written = [write_excel({main_name: main, "unmatched": unmatched, "about": about}, out / "match.xlsx")]
    written.append(write_csv(main, out / f"{main_name}.csv"))
    written.append(write_csv(unmatched, out / "unmatched.csv"))
    return written


def _register_cli() -> None:
    from .cli import DEMO_STEPS, _client_paths, _say, command

    def configure(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--client", help="a client.yaml (default: every sample client)")
        parser.add_argument("--out", default="matches", help="folder for the exports")
        parser.add_argument("--objective", choices=OBJECTIVES, help="override the design's objective")

    @command("match", "match a client's participants and write Excel/CSV exports", configure)
    def run_match(arguments: argparse.Namespace) -> int:
        from .client import load_client

        for client_path in _client_paths(arguments.client):
            config = load_client(client_path)
            result = match(config.roster(), config.design(), objective=arguments.objective)
            out = Path(arguments.out) if arguments.client else Path(arguments.out) / config.slug
            written = export_match(result, out)
            _say(f"{config.name}: {result.summary()}")
            _say(f"   written: {', '.join(str(path) for path in written)}")
        return 0

    def demo_match(client_path: Path, out_dir: Path) -> list[Path]:
        from .client import load_client

        config = load_client(client_path)
        result = match(config.roster(), config.design())
        _say(f"   match: {result.summary()}")
        return export_match(result, out_dir / "match")

    DEMO_STEPS["match"] = demo_match


_register_cli()
