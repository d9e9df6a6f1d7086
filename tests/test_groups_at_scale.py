"""Peer pairs and circles solved on pruned links and certified: against independent solves, with invariants.

The toolkit prunes each person's links, prices the rest with LP duals and solves the integer part
on what it holds (the blossom algorithm for peer pairs, HiGHS for circles). Here the pruning is made
as tight as it goes (one partner, one circle per person) so that pricing, cuts and links added later
must do the work, and the answers are compared with solves that share none of it: networkx's
``max_weight_matching`` on every allowed pair, and the circles as one full integer programme
(``tests/group_oracles.py``). Time limits are forced with a clock that jumps (no timing anywhere):
whatever stops the search, the grouping must keep every rule, be maximal, and its proven bound must
not be beaten by the true optimum.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from group_oracles import full_circles, networkx_pairing
from hypothesis import example, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.errors import MatchingError
from toolkit.matching import circle_model, peers
from toolkit.matching.candidates import candidate_edges
from toolkit.matching.circle_model import build_circle_pool
from toolkit.matching.groups import form_circles, peer_pairs
from toolkit.matching.peers import build_pool
from toolkit.roster import Roster

SKILLS = ["Python", "SQL", "Negotiation", "Planning", "Design", "Budgeting"]
DEPARTMENTS = ["Sales", "Finance", "Operations"]


def pool_roster(seed: int, size: int, facilitators: int = 0) -> Roster:
    """People P00.. in three departments with teams, a line manager for some (earlier people), skills,
    levels and a few do-not-match lists; the first ``facilitators`` lead circles (mentors), the rest
    are members (or, with no facilitators, all of them peers)."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(size):
        leads = index < facilitators
        department = DEPARTMENTS[int(rng.integers(0, 3))]
        rows.append({
            "participant_id": f"P{index:02d}", "name": f"Person {index}",
            "role": "mentor" if leads else ("mentee" if facilitators else "both"),
            "department": department, "team": f"{department} {int(rng.integers(0, 2))}",
            "seniority": 6 if leads else int(rng.integers(1, 4)),
            "manager_id": f"P{int(rng.integers(0, index)):02d}" if index and rng.random() < 0.3 else None,
            "skills_offered": tuple(rng.choice(SKILLS, size=2, replace=False)),
            "skills_sought": tuple(rng.choice(SKILLS, size=int(rng.integers(0, 3)), replace=False)),
            "exclusions": (f"P{int(rng.integers(0, size)):02d}",) if rng.random() < 0.15 else (),
        })
    return Roster.from_frame(pd.DataFrame(rows))


PEER = tk.ProgramDesign.from_template("peer")


def circle_design(min_size: int, max_size: int, balance: bool):
    return tk.ProgramDesign.from_template("group").override({
        "circles": {"min_size": min_size, "max_size": max_size, "balance": ["department"] if balance else []},
        "rules": {"exclude_same_team": False, "require_shared_language": False,
                  "max_timezone_difference_hours": None},
    })


class JumpingClock:
    """A clock that moves ``step`` seconds each time it is read: a time limit runs out after a set number of
    reads, wherever they fall in the search."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def pins_from(rng: np.random.Generator, allowed: np.ndarray, count: int) -> list[tuple[int, int]]:
    """Up to ``count`` disjoint allowed (i < j) pairs."""
    used: set[int] = set()
    first, second = np.nonzero(np.triu(allowed, 1))
    chosen = []
    for index in rng.permutation(len(first))[:4 * count]:
        a, b = int(first[index]), int(second[index])
        if a not in used and b not in used and len(chosen) < count:
            chosen.append((a, b))
            used |= {a, b}
    return chosen


# ------------------------------------------------------------------------------------------------
# Peer pairs
# ------------------------------------------------------------------------------------------------
def test_the_peer_pool_arrays_hold_exactly_the_candidate_pairs_and_their_scores():
    roster = pool_roster(11, 24)
    pool = build_pool(roster, PEER)
    edges = candidate_edges(roster, PEER, with_parts=False)
    position = {person: index for index, person in enumerate(pool.ids)}
    first = edges["mentee_id"].map(position).to_numpy()
    second = edges["mentor_id"].map(position).to_numpy()
    held = np.zeros_like(pool.allowed)
    held[first, second] = held[second, first] = True
    assert np.array_equal(held, pool.allowed)
    assert np.allclose(pool.score[first, second], edges["score"].to_numpy())


def assert_peer_invariants(result, pool, required, forbidden) -> None:
    result.check()  # nobody twice, nobody lost, pins present, bans absent, scores add up
    paired = set(result.pairs["mentee_id"]) | set(result.pairs["mentor_id"])
    left = [index for index, person in enumerate(pool.ids) if person not in paired]
    assert not pool.allowed[np.ix_(left, left)].any(), "two unpaired people could still pair (not maximal)"
    chosen = {frozenset(pair) for pair in zip(result.pairs["mentee_id"], result.pairs["mentor_id"])}
    assert {frozenset(pair) for pair in required} <= chosen
    assert not {frozenset(pair) for pair in forbidden} & chosen
    assert set(result.unmatched["reason"]) <= {"no eligible peer under the programme's rules",
                                               "every eligible peer was paired with someone else (an odd pool or "
                                               "few options)"}


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 30), top_k=st.sampled_from([1, 2, 10]),
       pinned=st.integers(0, 2), banned=st.integers(0, 3))
@example(seed=290, size=10, top_k=1, pinned=1, banned=0)  # a cut after pairs joined the model (IndexError once)
def test_peer_pairs_are_the_pairing_networkx_finds_on_every_allowed_pair(seed, size, top_k, pinned, banned):
    roster = pool_roster(seed, size)
    rng = np.random.default_rng(seed)
    free = build_pool(roster, PEER)
    ids = free.ids
    required = [(ids[a], ids[b]) for a, b in pins_from(rng, free.allowed, pinned)]
    forbidden = [(ids[a], ids[b]) for a, b in pins_from(rng, free.allowed, banned) if (ids[a], ids[b]) not in required]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peers, "PEER_TOP_K", top_k)
        result = peer_pairs(roster, PEER, required=required, forbidden=forbidden)
    pool = build_pool(roster, PEER, required=required, forbidden=forbidden)
    count, total = networkx_pairing(pool)
    pinned_total = sum(pool.score[a, b] for a, b in pool.pins)
    assert result.status == "optimal"
    assert len(result.pairs) == count + len(pool.pins)
    assert result.objective == pytest.approx(total + pinned_total, abs=1e-6)
    assert result.certificate.certified and result.certificate.bound == pytest.approx(result.objective, abs=1e-5)
    assert_peer_invariants(result, pool, required, forbidden)


def test_an_odd_pool_where_everyone_may_pair_leaves_one_out_and_proves_it():
    """Seven people, all allowed together: the LP would pair three and a half; the odd-set cut stops it."""
    rows = [{"participant_id": f"P{index}", "role": "both", "department": DEPARTMENTS[index % 3],
             "skills_offered": (SKILLS[index % 6],), "skills_sought": (SKILLS[(index + 1) % 6],)} for index in range(7)]
    roster = Roster.from_frame(pd.DataFrame(rows))
    design = PEER.override({"rules": {"exclude_same_team": False, "require_shared_language": False}})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peers, "PEER_TOP_K", 2)
        result = peer_pairs(roster, design)
    pool = build_pool(roster, design)
    assert pool.allowed[np.triu_indices(7, 1)].all()
    assert (len(result.pairs), result.objective) == (3, pytest.approx(networkx_pairing(pool)[1], abs=1e-6))
    assert result.status == "optimal" and "most people" in " ".join(result.certificate.notes)


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(4, 30), reads=st.integers(1, 12))
def test_a_peer_search_stopped_anywhere_returns_a_maximal_pairing_within_its_proven_bound(seed, size, reads):
    roster = pool_roster(seed, size)
    pool = build_pool(roster, PEER)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(peers, "PEER_TOP_K", 1)
        result = peer_pairs(roster, PEER, time_limit=reads - 0.5, clock=JumpingClock(1.0))
    assert_peer_invariants(result, pool, [], [])
    count, total = networkx_pairing(pool)
    if result.status == "optimal":
        assert (len(result.pairs), result.objective) == (count, pytest.approx(total, abs=1e-6))
        return
    assert result.status == "time_limit"
    notes = " ".join(result.certificate.notes)
    assert "proven" in notes
    if result.certificate.bound is not None:  # the most people is proven: the score bound holds for them
        assert len(result.pairs) == count
        assert total <= result.certificate.bound + 1e-6
    else:
        placed_at_most = int(notes.split("at most ")[1].split(" ")[0].replace(",", ""))
        assert 2 * count <= placed_at_most


def test_a_time_limit_of_zero_still_pairs_everyone_who_can_be_paired():
    roster = pool_roster(5, 30)
    result = peer_pairs(roster, PEER, time_limit=0.0)
    assert result.status == "time_limit" and len(result.pairs) > 0
    assert_peer_invariants(result, build_pool(roster, PEER), [], [])
    assert "time limit" in " ".join(result.certificate.notes)


def test_a_person_pinned_to_two_partners_is_named():
    roster = pool_roster(3, 10)
    pool = build_pool(roster, PEER)
    person = int(np.flatnonzero(pool.allowed.sum(axis=1) >= 2)[0])
    first, second = np.flatnonzero(pool.allowed[person])[:2]
    with pytest.raises(MatchingError, match="pinned to two partners"):
        peer_pairs(roster, PEER, required=[(pool.ids[person], pool.ids[first]), (pool.ids[person], pool.ids[second])])


# ------------------------------------------------------------------------------------------------
# Circles
# ------------------------------------------------------------------------------------------------
def circle_invariants(result, pool, required, forbidden) -> None:
    result.check()  # one facilitator per circle, sizes within min and max, nobody twice, nobody lost
    circles = result.circles
    members = circles[circles["circle_role"] == "member"]
    leader_of = dict(zip(circles.loc[circles["circle_role"] == "facilitator", "circle_id"],
                         circles.loc[circles["circle_role"] == "facilitator", "participant_id"]))
    row_at = {person: index for index, person in enumerate(pool.members)}
    col_at = {person: index for index, person in enumerate(pool.facilitators)}
    placed = {row_at[person]: col_at[leader_of[circle]] for circle, person in
              zip(members["circle_id"], members["participant_id"])}
    for row, col in placed.items():
        assert pool.allowed[row, col]
    assert not {(row_at[m], col_at[f]) for m, f in forbidden} & set(placed.items())
    for row, col in pool.pins:
        assert placed.get(row) == col, "a pin was not kept"
    inside: dict[int, list[int]] = {}
    for row, col in placed.items():
        inside.setdefault(col, []).append(row)
    for rows in inside.values():
        assert not any(b in pool.conflicts[a] for a, b in itertools.combinations(rows, 2)), "conflict in a circle"
        if pool.cap is not None:
            codes = [pool.department[row] for row in rows if pool.department[row] >= 0]
            assert max(np.bincount(codes), default=0) <= pool.cap
    for row in range(len(pool.members)):  # maximal: nobody left out fits an open circle
        if row in placed:
            continue
        for col, rows in inside.items():
            fits = (pool.allowed[row, col] and len(rows) < pool.max_size
                    and not any(other in pool.conflicts[row] for other in rows)
                    and (pool.cap is None or pool.department[row] < 0
                         or sum(pool.department[other] == pool.department[row] for other in rows) < pool.cap))
            assert not fits, f"{pool.members[row]} could still join {pool.facilitators[col]}'s circle"


def circle_case(seed: int, members: int, leaders: int):
    roster = pool_roster(seed, members + leaders, facilitators=leaders)
    rng = np.random.default_rng(seed)
    min_size, max_size = [(2, 3), (3, 4), (2, 4)][int(rng.integers(0, 3))]
    design = circle_design(min_size, max_size, balance=bool(rng.integers(0, 2)))
    pool = build_circle_pool(roster, design)
    links = np.argwhere(pool.allowed)
    required = []
    if len(links) and rng.random() < 0.5:
        row, col = links[int(rng.integers(0, len(links)))]
        required = [(pool.members[row], pool.facilitators[col])]
    forbidden = [(pool.members[row], pool.facilitators[col]) for row, col in links[rng.permutation(len(links))[:2]]]
    forbidden = [pair for pair in forbidden if pair not in required]
    return roster, design, required, forbidden


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), members=st.integers(3, 12), leaders=st.integers(1, 4))
def test_circles_are_what_the_full_integer_programme_finds(seed, members, leaders):
    roster, design, required, forbidden = circle_case(seed, members, leaders)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(circle_model, "CIRCLE_TOP_K", 1)
        patch.setattr(circle_model, "LEADER_TOP_CIRCLES", 1)
        patch.setattr(circle_model, "FULL_MODEL_LINKS", 0)  # pruned and priced, as above 30,000 links
        result = form_circles(roster, design, required=required, forbidden=forbidden)
    pool = build_circle_pool(roster, design, required=required, forbidden=forbidden)
    reference = full_circles(pool)
    if reference["status"] == "Infeasible":
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    placed = int((result.circles["circle_role"] == "member").sum())
    assert (placed, result.objective) == (reference["placed"], pytest.approx(reference["total"], abs=1e-6))
    circle_invariants(result, pool, required, forbidden)


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), members=st.integers(3, 14), leaders=st.integers(1, 4), reads=st.integers(1, 10),
       full=st.booleans())
def test_circles_stopped_anywhere_keep_every_rule_and_their_bound(seed, members, leaders, reads, full):
    roster, design, required, forbidden = circle_case(seed, members, leaders)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(circle_model, "FULL_MODEL_LINKS", circle_model.FULL_MODEL_LINKS if full else 0)
            result = form_circles(roster, design, required=required, forbidden=forbidden, time_limit=reads - 0.5,
                                  clock=JumpingClock(1.0))
    except MatchingError:
        return  # a pin the rules or sizes refuse (tested below)
    if result.status == "infeasible":
        return
    pool = build_circle_pool(roster, design, required=required, forbidden=forbidden)
    if result.status == "time_limit" and any("could not be placed in the time" in note
                                             for note in result.certificate.notes):
        pool.pins = []  # the greedy could not fill the pinned circle: said so, and the pin is not claimed
    circle_invariants(result, pool, required, forbidden)
    reference = full_circles(pool)
    placed = int((result.circles["circle_role"] == "member").sum())
    assert placed <= reference["placed"]
    if result.certificate.bound is not None:
        assert placed == reference["placed"] and reference["total"] <= result.certificate.bound + 1e-6


def test_circles_with_no_time_at_all_still_place_members():
    roster = pool_roster(8, 40, facilitators=8)
    design = circle_design(3, 5, balance=True)
    result = form_circles(roster, design, time_limit=0.0)
    assert result.status in ("time_limit", "optimal")
    assert (result.circles["circle_role"] == "member").sum() > 0
    circle_invariants(result, build_circle_pool(roster, design), [], [])
    assert any("proven" in note for note in result.certificate.notes)


def test_pins_that_overfill_a_circle_are_refused_with_the_numbers():
    roster = pool_roster(4, 16, facilitators=2)
    design = circle_design(2, 3, balance=False)
    pool = build_circle_pool(roster, design)
    col = int(np.argmax(pool.allowed.sum(axis=0)))
    rows = np.flatnonzero(pool.allowed[:, col])[:4]
    assert len(rows) == 4
    with pytest.raises(MatchingError, match="above circles.max_size"):
        form_circles(roster, design, required=[(pool.members[row], pool.facilitators[col]) for row in rows])


def test_the_flow_bound_is_never_beaten_by_the_full_programme():
    for seed in range(4):
        roster = pool_roster(seed, 18, facilitators=4)
        design = circle_design(3, 4, balance=True)
        result = form_circles(roster, design)
        pool = build_circle_pool(roster, design)
        reference = full_circles(pool)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(reference["total"], abs=1e-6)
        assert math.isfinite(result.certificate.bound)


def test_a_small_pool_starts_with_every_link_and_a_large_one_with_each_members_best():
    roster = pool_roster(3, 40, facilitators=8)
    design = circle_design(3, 5, balance=True)
    pool = build_circle_pool(roster, design)
    small = form_circles(roster, design)
    assert small.certificate.pairs_in_model == small.certificate.candidate_pairs == int(pool.allowed.sum())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(circle_model, "FULL_MODEL_LINKS", int(pool.allowed.sum()) - 1)
        patch.setattr(circle_model, "CIRCLE_TOP_K", 1)
        patch.setattr(circle_model, "LEADER_TOP_CIRCLES", 1)
        pruned = form_circles(roster, design)
    assert pruned.certificate.pairs_in_model < pruned.certificate.candidate_pairs
    reference = full_circles(pool)
    for result in (small, pruned):
        assert result.status == "optimal"
        assert result.objective == pytest.approx(reference["total"], abs=1e-6)
