"""Matching: assignment optimality against an independent oracle (scipy's Hungarian method), invariants, hand fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from strategies import random_instance

from toolkit.errors import MatchingError
from toolkit.matching.solver import assign


def oracle_total(rows, capacity) -> float:
    """Best total score by scipy's Hungarian method, mentors expanded into capacity slots."""
    slots = [mentor for mentor in sorted(capacity) for _ in range(int(capacity[mentor]))]
    mentees = sorted({row[0] for row in rows})
    if not slots or not mentees:
        return 0.0
    scores = {(row[0], row[1]): row[2] for row in rows}
    weight = np.zeros((len(mentees), len(slots)))
    for i, mentee in enumerate(mentees):
        for k, mentor in enumerate(slots):
            weight[i, k] = scores.get((mentee, mentor), 0.0)  # absent pair = unmatched (scores >= 0)
    chosen_rows, chosen_columns = linear_sum_assignment(weight, maximize=True)
    return float(weight[chosen_rows, chosen_columns].sum())


@pytest.mark.parametrize("seed", range(6))
def test_max_total_equals_hungarian_oracle_with_pruning_and_certificate(seed):
    rows, capacity = random_instance(seed, 50, 18, 0.6)
    result = assign(rows, capacity, top_k=2)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(oracle_total(rows, capacity), abs=1e-6)
    assert result.certificate.certified and result.certificate.max_reduced_cost <= 1e-6


def check_feasible(result, rows, capacity, demand=1):
    pairs = result.pairs
    scores = {(row[0], row[1]): row[2] for row in rows}
    assert all((a, b) in scores for a, b in zip(pairs["mentee_id"], pairs["mentor_id"]))
    assert (pairs.groupby("mentor_id").size() <= pd.Series(capacity).reindex(
        pairs.groupby("mentor_id").size().index)).all()
    assert (pairs.groupby("mentee_id").size() <= demand).all()
    assert result.objective == pytest.approx(sum(scores[key] for key in zip(pairs["mentee_id"], pairs["mentor_id"])))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), mentees=st.integers(1, 25), mentors=st.integers(1, 10),
       density=st.floats(0.1, 1.0), top_k=st.integers(1, 4))
def test_pruned_and_certified_objective_equals_full_model(seed, mentees, mentors, density, top_k):
    rows, capacity = random_instance(seed, mentees, mentors, density)
    pruned = assign(rows, capacity, top_k=top_k)
    full = assign(rows, capacity, top_k=None)
    assert pruned.status == full.status == "optimal"
    assert pruned.objective == pytest.approx(full.objective, abs=1e-6)
    assert pruned.objective == pytest.approx(oracle_total(rows, capacity), abs=1e-6)
    check_feasible(pruned, rows, capacity)


# ------------------------------------------------------------------------------------------------
# Hand fixtures for the lexicographic objectives
# ------------------------------------------------------------------------------------------------

def test_max_min_gives_the_worst_off_mentee_a_better_pair_than_max_total():
    # Max total: A-X (10) + B-Y (1) = 11; max-min: A-Y (5) + B-X (5) = 10, worst 5 instead of 1.
    rows = [("A", "X", 10.0), ("A", "Y", 5.0), ("B", "X", 5.0), ("B", "Y", 1.0)]
    total = assign(rows, {"X": 1, "Y": 1}, objective="max_total")
    fair = assign(rows, {"X": 1, "Y": 1}, objective="max_min")
    assert total.objective == 11 and set(zip(total.pairs.mentee_id, total.pairs.mentor_id)) == {("A", "X"), ("B", "Y")}
    assert fair.objective == 10 and set(zip(fair.pairs.mentee_id, fair.pairs.mentor_id)) == {("A", "Y"), ("B", "X")}
    assert fair.min_pair_score == 5


def test_max_min_breaks_ties_on_the_worst_pair_by_total_score():
    rows = [("A", "X", 4.0), ("A", "Y", 9.0), ("B", "X", 4.0), ("B", "Y", 3.0), ("C", "Z", 4.0)]
    fair = assign(rows, {"X": 1, "Y": 1, "Z": 1}, objective="max_min")
    assert set(zip(fair.pairs.mentee_id, fair.pairs.mentor_id)) == {("A", "Y"), ("B", "X"), ("C", "Z")}
    assert fair.objective == 17


def test_max_participation_matches_more_people_at_a_lower_total():
    # One strong pair A-X (10) blocks B; matching A-Y and B-X gives two pairs (2 + 3 = 5).
    rows = [("A", "X", 10.0), ("A", "Y", 2.0), ("B", "X", 3.0)]
    total = assign(rows, {"X": 1, "Y": 1}, objective="max_total")
    most = assign(rows, {"X": 1, "Y": 1}, objective="max_participation")
    assert len(total.pairs) == 1 and total.objective == 10
    assert len(most.pairs) == 2 and most.objective == 5 and len(most.pairs) == 2


def test_required_pair_is_kept_even_when_it_lowers_the_total():
    rows = [("A", "X", 10.0), ("A", "Y", 1.0), ("B", "X", 1.0), ("B", "Y", 1.0)]
    result = assign(rows, {"X": 1, "Y": 1}, required=[("A", "Y")])
    assert ("A", "Y") in set(zip(result.pairs.mentee_id, result.pairs.mentor_id))
    assert result.objective == 2


def test_forbidden_pair_is_never_chosen():
    rows = [("A", "X", 10.0), ("A", "Y", 1.0)]
    result = assign(rows, {"X": 1, "Y": 1}, forbidden=[("A", "X")])
    assert list(zip(result.pairs.mentee_id, result.pairs.mentor_id)) == [("A", "Y")]


def test_required_pairs_beyond_capacity_are_reported_infeasible():
    rows = [("A", "X", 1.0), ("B", "X", 1.0)]
    result = assign(rows, {"X": 1}, required=[("A", "X"), ("B", "X")])
    assert result.status == "infeasible" and "mentor X" in str(result.certificate)


def test_a_quota_that_cannot_be_met_is_named_by_its_label():
    rows = [("A", "X", 1.0), ("C", "X", 2.0)]  # B, in the quota, has no allowed pair
    result = assign(rows, {"X": 2}, quotas=[(["A", "B"], 2, "graduates")])
    assert result.status == "infeasible"
    assert "graduates needs 2 matched but only 1 can be" in str(result.certificate)


def test_unknown_objective_and_uncandidate_pin_raise_matching_errors_with_a_fix():
    with pytest.raises(MatchingError, match="max_total"):
        assign([("A", "X", 1.0)], {"X": 1}, objective="max_totl")
    with pytest.raises(MatchingError, match="not an allowed pair"):
        assign([("A", "X", 1.0)], {"X": 1}, required=[("A", "Y")])


def test_min_score_leaves_out_weak_pairs():
    result = assign([("A", "X", 1.0), ("B", "X", 0.5)], {"X": 2}, min_score=0.8)
    assert list(result.pairs.mentee_id) == ["A"]


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), objective=st.sampled_from(["max_min", "max_participation"]))
def test_lexicographic_objectives_match_brute_force_on_tiny_instances(seed, objective):
    import itertools

    rows, capacity = random_instance(seed, 4, 3, 0.7)
    result = assign(rows, capacity, objective=objective, top_k=1)
    assert result.status == "optimal"
    check_feasible(result, rows, capacity)
    best = None
    for size in range(len(rows), -1, -1):
        for subset in itertools.combinations(rows, size):
            mentees = [row[0] for row in subset]
            mentors = pd.Series([row[1] for row in subset], dtype=object).value_counts()
            if len(set(mentees)) < len(mentees) or any(mentors.get(m, 0) > capacity[m] for m in mentors.index):
                continue
            worst = min((row[2] for row in subset), default=0.0)
            total = sum(row[2] for row in subset)
            key = (size, worst, total) if objective == "max_min" else (size, total)
            best = key if best is None or key > best else best
    got = (len(result.pairs), float(result.pairs["score"].min()) if len(result.pairs) else 0.0, result.objective)
    got = got if objective == "max_min" else (got[0], got[2])
    assert got == pytest.approx(best)


_ORTOOLS = """
import json, sys
from ortools.graph.python import min_cost_flow
totals = []
for rows, capacity in json.load(sys.stdin):
    mentees, mentors = sorted({row[0] for row in rows}), sorted(capacity)
    node = {("e", m): 2 + i for i, m in enumerate(mentees)}
    node.update({("m", m): 2 + len(mentees) + i for i, m in enumerate(mentors)})
    flow = min_cost_flow.SimpleMinCostFlow()
    for mentee in mentees:
        flow.add_arc_with_capacity_and_unit_cost(0, node[("e", mentee)], 1, 0)
    for mentee, mentor, score in rows:
        flow.add_arc_with_capacity_and_unit_cost(node[("e", mentee)], node[("m", mentor)], 1, -round(score * 10))
    for mentor in mentors:
        flow.add_arc_with_capacity_and_unit_cost(node[("m", mentor)], 1, capacity[mentor], 0)
    flow.add_arc_with_capacity_and_unit_cost(0, 1, len(mentees), 0)  # staying unmatched costs nothing
    flow.set_node_supply(0, len(mentees))
    flow.set_node_supply(1, -len(mentees))
    assert flow.solve() == flow.OPTIMAL
    totals.append(-flow.optimal_cost() / 10)
print(json.dumps(totals))
"""


def test_max_total_equals_or_tools_min_cost_flow():
    """A second independent oracle. OR-Tools runs in its own process: its bundled HiGHS clashes with highspy's."""
    import json
    import subprocess
    import sys

    instances = [random_instance(seed, 5 + seed % 25, 1 + seed % 9, 0.15 + (seed % 7) / 8) for seed in range(30)]
    completed = subprocess.run([sys.executable, "-c", _ORTOOLS], input=json.dumps(instances), capture_output=True,
                               text=True, check=True)
    for (rows, capacity), expected in zip(instances, json.loads(completed.stdout)):
        result = assign(rows, capacity, top_k=2)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(expected, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), mentees=st.integers(1, 30), mentors=st.integers(1, 12),
       levels=st.integers(1, 4))
def test_duals_recovered_from_the_flow_prove_optimality_on_tied_scores(seed, mentees, mentors, levels):
    """Scores from a few levels (many ties, degenerate LP): the flow's recovered duals are feasible for the
    dual LP and meet the flow's total (strong duality), and the total equals the Hungarian oracle's."""
    from toolkit.matching.flow import flow_duals, solve_flow

    rng = np.random.default_rng(seed)
    allowed = rng.random((mentees, mentors)) < 0.7
    rows, cols = (index.astype(np.int64) for index in np.nonzero(allowed))
    weight = rng.integers(0, levels + 1, len(rows)).astype(np.int64) * 1000  # integer costs, as scaled
    demand, capacity = np.ones(mentees, np.int64), rng.integers(0, 4, mentors).astype(np.int64)
    used = solve_flow(rows, cols, -weight, demand, capacity)
    mentee_dual, mentor_dual = flow_duals(rows, cols, -weight, used, demand, capacity)
    assert (mentee_dual >= 0).all() and (mentor_dual >= 0).all()
    slack = weight - mentee_dual[rows] - mentor_dual[cols]  # what each pair's own bound x <= 1 must pay
    assert (slack[~used] <= 0).all()
    dual_total = demand @ mentee_dual + capacity @ mentor_dual + np.maximum(slack[used], 0).sum()
    assert dual_total == weight[used].sum()
    table = [(f"E{r:02d}", f"M{c:02d}", float(w)) for r, c, w in zip(rows, cols, weight)]
    assert weight[used].sum() == pytest.approx(oracle_total(table, {f"M{c:02d}": int(capacity[c])
                                                                    for c in range(mentors)}))


@pytest.mark.parametrize("objective", ["max_total", "max_participation"])
def test_holding_only_each_mentees_best_pairs_gives_the_same_certified_optimum(northwind, monkeypatch, objective):
    """Huge rosters hold each mentee's few best pairs and re-score the rest when the duals ask: forced here
    on Northwind with 3 pairs per mentee (so pricing must bring pairs back), against the match holding all."""
    import toolkit as tk
    from toolkit.matching import engine
    from toolkit.roster import Roster

    roster, design = northwind
    full = tk.match(roster, design, objective=objective)
    monkeypatch.setattr(engine, "HOLD_ALL_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP_PER_MENTEE", 3)
    lines: list[str] = []
    held = tk.match(roster, design, objective=objective, progress=lines.append)
    assert any("not held could improve" in line for line in lines)  # the pricer re-scored and added pairs
    assert held.status == "optimal" and held.certificate.certified
    assert held.certificate.candidate_pairs == full.certificate.candidate_pairs
    assert held.objective == pytest.approx(full.objective, abs=1e-6)
    assert len(held.pairs) == len(full.pairs)
    held.check()
    def nobody_eligible(result) -> set[str]:  # counted over every allowed pair, not only those held
        rows = result.unmatched[result.unmatched["reason"].str.startswith("no mentee was eligible")]
        return set(rows["participant_id"])

    assert nobody_eligible(held) == nobody_eligible(full)
    frame = roster.participants.drop(columns=["source", "source_row"], errors="ignore")
    shuffled = Roster.from_frame(frame.sample(frac=1.0, random_state=3).reset_index(drop=True),
                                 org_chart=roster.org_chart)
    again = tk.match(shuffled, design, objective=objective)
    pd.testing.assert_frame_equal(again.pairs, held.pairs)


def test_held_pairs_that_the_flow_cannot_certify_are_matched_again_holding_every_pair(northwind, monkeypatch):
    """If the flow's duals were unavailable, the LP fallback would see only the pairs held: never certify that."""
    import toolkit as tk
    from toolkit.matching import engine, solver

    roster, design = northwind
    full = tk.match(roster, design, objective="max_total")
    monkeypatch.setattr(engine, "HOLD_ALL_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP_PER_MENTEE", 3)
    monkeypatch.setattr(solver, "flow_duals", lambda *args: None)
    lines: list[str] = []
    again = tk.match(roster, design, objective="max_total", progress=lines.append)
    assert any("scoring every pair" in line for line in lines)
    assert again.status == "optimal" and again.certificate.candidate_pairs == full.certificate.candidate_pairs
    assert again.certificate.solver == solver.SOLVER_NAME  # HiGHS, on every pair
    assert again.objective == pytest.approx(full.objective, abs=1e-6)
