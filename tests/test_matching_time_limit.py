"""A match stopped by its time limit: the best match found is completed, honest and bounded.

The stops are forced without timing anything: the solver's estimate of its first round is made
infinite (so it goes straight to the greedy match), or the deadline is already past when the
first round ends (so the round's pruned answer is what there is), or the clock seen by scoring
jumps past the deadline after the first block. Whatever stops it, the match found must respect
every hard rule (capacities, bans, pins, the minimum score), be maximal (no mentee left out has an
eligible mentor with a free place), and total no more than the proven bound and the true optimum
(scipy's ``linear_sum_assignment`` on mentees x mentor places).
"""

from __future__ import annotations

import time
import types

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

import toolkit as tk
from toolkit.matching import candidates as candidates_module
from toolkit.matching import incumbent
from toolkit.matching import solver as solver_module
from toolkit.matching.candidates import candidate_edges
from toolkit.matching.incumbent import greedy_fill, score_bound
from toolkit.matching.rules import RuleContext
from toolkit.matching.solver import assign


def random_instance(seed: int):
    """Scores on 60% of pairs, capacities 0-3, a few bans and pins (pins within capacity), a minimum score."""
    rng = np.random.default_rng(seed)
    mentees, mentors = int(rng.integers(2, 40)), int(rng.integers(1, 12))
    cells = [(i, j) for i in range(mentees) for j in range(mentors) if rng.random() < 0.6]
    scores = rng.choice([1.0, 2.0, 2.0, 3.0], len(cells)) + np.round(rng.random(len(cells)), 1)
    edges = pd.DataFrame({"mentee_id": [f"E{i:02d}" for i, _ in cells], "mentor_id": [f"M{j:02d}" for _, j in cells],
                          "score": scores})
    capacity = {f"M{j:02d}": int(rng.integers(0, 4)) for j in range(mentors)}
    order = rng.permutation(len(edges))
    forbidden = [tuple(edges.iloc[k][["mentee_id", "mentor_id"]]) for k in order[:3]]
    required, pinned_mentees, left = [], set(), dict(capacity)
    for k in order[3:6]:
        mentee, mentor, score = edges.iloc[k]
        if mentee not in pinned_mentees and left[mentor] > 0 and score >= 1.5:
            required.append((mentee, mentor))
            pinned_mentees.add(mentee)
            left[mentor] -= 1
    return edges, capacity, forbidden, required, 1.5


def oracle_optimum(edges: pd.DataFrame, capacity: dict, forbidden, min_score: float) -> float:
    """The best total over all matchings (no pins: an upper bound on any match with them)."""
    usable = edges[(edges["score"] >= min_score)
                   & ~pd.Series(list(zip(edges["mentee_id"], edges["mentor_id"]))).isin(set(forbidden)).to_numpy()]
    mentees = sorted(edges["mentee_id"].unique())
    places = [mentor for mentor in sorted(capacity) for _ in range(capacity[mentor])]
    if not places or not len(usable):
        return 0.0
    weight = np.zeros((len(mentees), len(places)))
    row = {mentee: index for index, mentee in enumerate(mentees)}
    for mentee, mentor, score in usable[["mentee_id", "mentor_id", "score"]].itertuples(index=False):
        for place, owner in enumerate(places):
            if owner == mentor:
                weight[row[mentee], place] = score
    chosen_rows, chosen_places = linear_sum_assignment(weight, maximize=True)
    return float(weight[chosen_rows, chosen_places].sum())


def assert_valid_and_maximal(result, edges, capacity, forbidden, required, min_score):
    pairs = result.pairs
    used = pairs["mentor_id"].value_counts()
    assert all(count <= capacity[mentor] for mentor, count in used.items())
    assert not pairs["mentee_id"].duplicated().any()
    chosen = set(zip(pairs["mentee_id"], pairs["mentor_id"]))
    assert not chosen & set(forbidden)
    assert set(required) <= chosen
    assert (pairs["score"] >= min_score).all() or set(required) >= {
        pair for pair, score in zip(zip(pairs["mentee_id"], pairs["mentor_id"]), pairs["score"]) if score < min_score}
    known = set(zip(edges["mentee_id"], edges["mentor_id"]))
    assert chosen <= known  # candidate pairs only
    matched = set(pairs["mentee_id"])
    open_mentors = {mentor for mentor, places in capacity.items() if used.get(mentor, 0) < places}
    left_out = [(mentee, mentor) for mentee, mentor, score in edges[["mentee_id", "mentor_id", "score"]].itertuples(
        index=False) if mentee not in matched and mentor in open_mentors and score >= min_score
        and (mentee, mentor) not in set(forbidden)]
    assert left_out == [], f"not maximal: {left_out[:3]} could still be matched"


@pytest.mark.parametrize("stop", ["before the first round", "after the first round"])
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_a_stopped_match_is_completed_within_every_rule_and_below_the_bound_and_the_optimum(seed, stop):
    edges, capacity, forbidden, required, min_score = random_instance(seed)
    estimate = float("inf") if stop == "before the first round" else float("-inf")
    with pytest.MonkeyPatch.context() as patch:  # no clock involved: the stop is forced
        patch.setattr(solver_module, "first_round_seconds", lambda problem, top_k: estimate, raising=False)
        # A deadline that has passed when the first round (flow, or HiGHS with pins) ends; each mentee's
        # best pair only in that round, so the round's own answer leaves many people out.
        result = assign(edges, capacity, forbidden=forbidden, required=required, min_score=min_score, top_k=1,
                        time_limit=1e-9)
    if result.status == "optimal":  # the first round was already certified (its pairs were enough)
        assert stop == "after the first round" and result.certificate.certified
    else:
        assert result.status == "time_limit" and not result.certificate.certified

    class View:  # what assert_valid_and_maximal reads
        pairs = result.pairs

    assert_valid_and_maximal(View, edges, capacity, forbidden, required, min_score)
    optimum = oracle_optimum(edges, capacity, forbidden, min_score)
    bound = result.certificate.bound
    assert result.objective <= optimum + 1e-9
    if result.status == "time_limit":
        assert optimum <= bound + 1e-9  # the bound is proven: nothing beats it
        assert "best possible" in str(result.certificate)  # how far the match found can be from the best


def one_by_one_greedy(rows, cols, score, room_rows, room_cols):
    """The greedy written plainly: edges in the documented order, each taken while both sides have room."""
    room_rows, room_cols = room_rows.copy(), room_cols.copy()
    width = len(room_cols)
    taken = []
    for edge in np.lexsort((rows, (cols - rows) % width, -score)):
        if room_rows[rows[edge]] > 0 and room_cols[cols[edge]] > 0:
            taken.append(edge)
            room_rows[rows[edge]] -= 1
            room_cols[cols[edge]] -= 1
    return sorted(taken)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 100_000), band=st.sampled_from([3, 50_000]), rounds=st.sampled_from([1, 60]))
def test_the_vectorised_greedy_takes_exactly_the_pairs_of_the_one_by_one_greedy(seed, band, rounds):

    rng = np.random.default_rng(seed)
    mentees, mentors = int(rng.integers(1, 40)), int(rng.integers(1, 15))
    rows, cols = np.nonzero(rng.random((mentees, mentors)) < rng.random())
    score = rng.integers(0, 4, len(rows)).astype(float) if seed % 2 else rng.random(len(rows))
    room_rows, room_cols = rng.integers(0, 3, mentees), rng.integers(0, 4, mentors)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(incumbent, "BAND", band)  # bands of three edges, or one band
        patch.setattr(incumbent, "VECTOR_ROUNDS", rounds)  # the one-by-one tail, or the rounds
        taken = greedy_fill(rows, cols, score, room_rows, room_cols, np.arange(len(rows)))
    assert sorted(taken.tolist()) == one_by_one_greedy(rows, cols, score, room_rows, room_cols)


def test_the_bound_counts_mentees_not_scored_at_the_best_a_pair_can_score_and_only_as_many_as_places():
    rows, score = np.array([0, 0, 1]), np.array([3.0, 5.0, 2.0])
    assert score_bound(rows, score, np.ones(3), np.array([5])) == 7.0
    assert score_bound(rows, score, np.ones(3), np.array([5]), unscored=np.array([False, False, True]),
                       best_pair=10.0) == 17.0
    assert score_bound(rows, score, np.ones(3), np.array([1])) == 5.0  # one place: the best mentee only


@pytest.fixture
def scoring_stops_after_the_first_block(monkeypatch):
    """Scoring sees its clock jump far past any deadline once the first block (40 mentees) is scored."""
    chunks = RuleContext.chunks
    monkeypatch.setattr(RuleContext, "chunks", lambda self, rows_per_chunk=None: chunks(self, 40))
    monkeypatch.setattr(candidates_module, "time", types.SimpleNamespace(perf_counter=lambda: time.perf_counter() + 1e6),
                        raising=False)


def test_when_scoring_is_stopped_the_mentees_not_scored_are_listed_and_pins_still_hold(
        northwind, scoring_stops_after_the_first_block):
    roster, design = northwind
    design = design.override({"objective": "max_total"})
    best = tk.match(roster, design)  # scoring without a deadline is not stopped
    assert best.status == "optimal"
    mentees = sorted(roster.mentees["participant_id"])
    late = mentees[-1]
    pin = (late, best.pairs.set_index("mentee_id")["mentor_id"].get(late) or best.pairs["mentor_id"].iloc[0])
    best_pinned = tk.match(roster, design, required=[pin])
    stopped = tk.match(roster, design, required=[pin], time_limit=600)
    assert stopped.status == "time_limit"
    stopped.check()  # capacities, the pin, everyone matched or listed with a reason
    assert pin in set(zip(stopped.pairs["mentee_id"], stopped.pairs["mentor_id"]))
    reasons = stopped.unmatched.set_index("participant_id")["reason"]
    not_scored = [mentee for mentee in mentees[40:] if mentee != late]
    assert all("before their pairs with the mentors were scored" in reasons[mentee] for mentee in not_scored)
    assert not reasons.str.contains("are full|better served").any()  # nothing claimed that is not proven
    assert stopped.objective <= best_pinned.objective + 1e-9 <= stopped.certificate.bound + 1e-6
    # Completed: no scored mentee left out has an eligible mentor with a free place.
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    used = stopped.pairs["mentor_id"].value_counts()
    edges = candidate_edges(roster, design, with_parts=False, min_score=design.rules.min_score)
    scored_left_out = set(mentees[:40]) - set(stopped.pairs["mentee_id"])
    free = {mentor for mentor in capacity.index if used.get(mentor, 0) < capacity[mentor]}
    assert not ((edges["mentee_id"].isin(scored_left_out)) & edges["mentor_id"].isin(free)).any()


def test_when_scoring_of_a_huge_roster_is_stopped_the_best_pairs_held_are_matched_and_the_rest_listed(
        northwind, scoring_stops_after_the_first_block, monkeypatch):
    from toolkit.matching import engine

    monkeypatch.setattr(engine, "HOLD_ALL_PAIRS", 0)  # hold each mentee's best pairs only, as for 20,000 x 5,000
    roster, design = northwind
    design = design.override({"objective": "max_total"})
    stopped = tk.match(roster, design, time_limit=600)
    assert stopped.status == "time_limit"
    stopped.check()
    mentees = sorted(roster.mentees["participant_id"])
    assert set(stopped.pairs["mentee_id"]) <= set(mentees[:40])
    reasons = stopped.unmatched.set_index("participant_id")["reason"]
    assert all("before their pairs with the mentors were scored" in reasons[mentee] for mentee in mentees[40:])
    assert stopped.objective <= tk.match(roster, design).objective <= stopped.certificate.bound + 1e-6


@pytest.mark.parametrize("stop", ["before the first round", "after the first round"])
def test_a_stopped_match_places_a_quota_first_rather_than_break_it(stop, monkeypatch):
    # Best score first alone would give both places to B and C; the quota needs A matched.
    edges = pd.DataFrame({"mentee_id": ["A", "A", "B", "B", "C", "C"], "mentor_id": ["M1", "M2"] * 3,
                          "score": [1.0, 1.0, 5.0, 4.0, 4.0, 5.0]})
    estimate = float("inf") if stop == "before the first round" else float("-inf")
    monkeypatch.setattr(solver_module, "first_round_seconds", lambda problem, top_k: estimate, raising=False)
    result = assign(edges, {"M1": 1, "M2": 1}, quotas=[(["A"], 1, "group A")], time_limit=1e-9)
    assert result.status == "time_limit"
    assert "A" in set(result.pairs["mentee_id"]) and len(result.pairs) == 2  # the quota met, both places used
    assert "does not meet every quota" not in str(result.certificate)


def test_pairs_priced_in_before_the_time_limit_are_part_of_the_stopped_answer(monkeypatch):
    """Only the best pairs are held; pricing adds a pair not held, then the time limit stops the next round.

    The answer is over the held pairs and the added one (it was a shape error when the added pair
    grew the caller's problem but not the round kept for the stop); the problem given to the solver
    is not changed. The clock is a counter the pricer moves past the deadline: nothing is timed.
    """
    from toolkit.matching.solver import SolverProblem, solve

    now = [0.0]
    monkeypatch.setattr(solver_module, "time", types.SimpleNamespace(perf_counter=lambda: now[0]))

    def pricer(mentee_price, mentor_price, offset, known, tolerance):
        now[0] = 100.0  # the clock passes the deadline while the pairs not held are priced
        if 1 * 2 + 1 in set(known.tolist()):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.array([1]), np.array([1]), np.array([5.0])

    # Mentees 0 and 1 both want mentor 0 (one place); mentor 1 has two places, mentee 1's pair with them not held.
    problem = SolverProblem(np.array([0, 1, 2]), np.array([0, 0, 1]), np.array([1.0, 1.0, 1.0]), np.ones(3),
                            np.array([1.0, 2.0]), np.zeros(3, bool), [], deadline=10.0, pricer=pricer, best_pair=5.0)
    solved = solve(problem, "max_total", None)
    assert solved.status == "time_limit"
    assert problem.rows.tolist() == [0, 1, 2] and problem.score.tolist() == [1.0, 1.0, 1.0]  # not changed
    edges = solved.edges
    assert len(edges.rows) == len(solved.chosen) == 4
    chosen = set(zip(edges.rows[solved.chosen].tolist(), edges.cols[solved.chosen].tolist()))
    assert chosen == {(0, 0), (1, 1), (2, 1)}  # the added pair (worth 5) is in the completed answer
    assert solved.value == pytest.approx(7.0)
