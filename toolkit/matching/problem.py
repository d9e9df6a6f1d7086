"""What the matching solver reads and returns: :class:`SolverProblem` in, :class:`Solved` out, values both.

:func:`toolkit.matching.solver.solve` reads a :class:`SolverProblem` (the candidate pairs as integer
arrays, demand, capacities, pins and quotas) and returns a :class:`Solved` value: the pairs chosen
over its :class:`Edges` (the problem's own pairs, and any a pricer added), the status and the
:class:`Certificate`. Neither side changes the other's arrays. :class:`Assignment` is what
:func:`toolkit.matching.solver.assign` returns for a score table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["Certificate", "Assignment", "SolverProblem", "Edges", "Solved", "edges_of"]


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
        The solver that produced the answer: OR-Tools min-cost flow (plain one-to-one matches), HiGHS
        through highspy (pins, quotas, ``max_min``, peer pairs and circles), or the greedy when no
        solver round fitted in the time limit.
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
    """The answer of :func:`~toolkit.matching.solver.assign`: pairs, objective, status and the certificate.

    Attributes
    ----------
    pairs
        mentee_id, mentor_id, score: the pairs chosen, in (mentee_id, mentor_id) order.
    objective
        The total score of the pairs.
    status
        ``optimal`` (certified), ``infeasible`` or ``time_limit``.
    certificate
        What is proven about the answer (:class:`Certificate`).
    objective_name
        The objective optimised: ``max_total``, ``max_participation`` or ``max_min``.
    min_pair_score
        The lowest pair score (None without pairs).
    """

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

    def infeasible_reasons(self, mentees: Sequence[str], mentors: Sequence[str]) -> list[str]:
        """Plain reasons why pins or quotas cannot all hold (pins beyond a capacity or a demand)."""
        reasons = []
        pinned = np.flatnonzero(self.required)
        for col, count in zip(*np.unique(self.cols[pinned], return_counts=True)):
            if count > self.capacity[col]:
                reasons.append(f"{count} pairs are pinned to mentor {mentors[col]}, who takes {self.capacity[col]:g}")
        for row, count in zip(*np.unique(self.rows[pinned], return_counts=True)):
            if count > self.demand[row]:
                reasons.append(f"{count} mentors are pinned to mentee {mentees[row]}, who needs {self.demand[row]:g}")
        for mask, minimum, name in self.extra_rows:
            if len(np.unique(self.rows[mask])) < minimum:
                reasons.append(f"{name} needs {minimum:g} matched but only {len(np.unique(self.rows[mask]))} can be")
        return reasons


class Edges(NamedTuple):
    """The candidate pairs an answer is over: edge e joins mentee ``rows[e]`` and mentor ``cols[e]``."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class Solved:
    """What :func:`solve` returns (a value: the caller's :class:`SolverProblem` is never changed).

    Attributes
    ----------
    chosen
        Boolean over ``edges``: the pairs in the answer.
    value
        The total score of the chosen pairs (the solver's weights, for the phases inside the solver).
    status
        ``optimal`` (certified), ``infeasible`` or ``time_limit``.
    certificate
        What is proven about the answer.
    place_value
        Per mentor: what one more place would add (the LP dual of the capacity); None when unknown.
    bottleneck
        ``max_min``: the lowest pair score of the answer; None for the other objectives.
    edges
        The pairs ``chosen`` is over: the problem's own, followed by those a ``pricer`` added
        (pairs the problem did not hold that could improve the answer). Always set by :func:`solve`.
    """

    chosen: np.ndarray
    value: float
    status: str
    certificate: Certificate
    place_value: np.ndarray | None = None
    bottleneck: float | None = None
    edges: Edges | None = None


def edges_of(problem: SolverProblem) -> Edges:
    """The problem's own candidate pairs as :class:`Edges`."""
    return Edges(problem.rows, problem.cols, problem.score)
