"""Peer pairs and circles: exact against brute force on small pools, rules and sizes on the sample client."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import peer_pool

import toolkit as tk
from toolkit.client import load_client
from toolkit.matching.candidates import candidate_edges
from toolkit.matching.rules import RuleContext

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _best_pairing(edges: pd.DataFrame) -> tuple[int, float]:
    """Brute force over every set of disjoint pairs: (most pairs, then highest total)."""
    records = list(zip(edges["mentee_id"], edges["mentor_id"], edges["score"]))
    best = (0, 0.0)
    for size in range(len(records), 0, -1):
        for subset in itertools.combinations(records, size):
            people = [person for pair in subset for person in pair[:2]]
            if len(set(people)) == len(people):
                best = max(best, (size, round(sum(pair[2] for pair in subset), 9)))
        if best[0] == size:
            break
    return best


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(2, 7))
def test_peer_pairs_are_the_best_pairing_a_brute_force_finds(seed, size):
    roster = peer_pool(seed, size)
    design = tk.ProgramDesign.from_template("peer")
    result = tk.match(roster, design)
    edges = candidate_edges(roster, design)
    assert result.status == "optimal"
    assert (len(result.pairs), round(result.objective, 9)) == pytest.approx(_best_pairing(edges))
    paired = list(result.pairs["mentee_id"]) + list(result.pairs["mentor_id"])
    assert len(paired) == len(set(paired))
    assert set(paired) | set(result.unmatched["participant_id"]) == set(roster.ids)
    assert np.allclose(result.pairs.drop(columns=["mentee_id", "mentor_id", "score"]).sum(axis=1),
                       result.pairs["score"])


def _circle_design(min_size: int = 2, max_size: int = 3):
    return tk.ProgramDesign.from_template("group").override({
        "circles": {"min_size": min_size, "max_size": max_size, "balance": []},
        "rules": {"exclude_same_team": False, "require_shared_language": False},
    })


def test_circles_place_the_most_members_with_the_best_fit_that_brute_force_finds():
    roster = peer_pool(7, 8, mentors=2)
    design = _circle_design()
    result = tk.match(roster, design)
    facilitators = list(roster.facilitators()["participant_id"])
    members = [person for person in roster.ids if person not in facilitators]
    context = RuleContext.build(roster, design, mentee_ids=members, mentor_ids=facilitators)
    from toolkit.matching.scoring import ScoreModel

    score = ScoreModel.build(roster, design, context=context).scores()
    allowed = context.allowed()
    excluded = {frozenset((person, other)) for person in roster.ids for other in roster.get(person)["exclusions"]}
    best = (0, 0.0)
    for choice in itertools.product(range(len(facilitators) + 1), repeat=len(members)):  # last = no circle
        sizes = np.bincount(choice, minlength=len(facilitators) + 1)[:-1]
        if any(0 < size < 2 or size > 3 for size in sizes):
            continue
        if any(choice[m] < len(facilitators) and not allowed[m, choice[m]] for m in range(len(members))):
            continue
        if any(choice[a] == choice[b] < len(facilitators) and frozenset((members[a], members[b])) in excluded
               for a in range(len(members)) for b in range(a + 1, len(members))):
            continue
        placed = [m for m in range(len(members)) if choice[m] < len(facilitators)]
        best = max(best, (len(placed), round(float(sum(score[m, choice[m]] for m in placed)), 9)))
    in_circles = result.circles[result.circles["circle_role"] == "member"]
    assert result.status == "optimal"
    assert (len(in_circles), round(result.objective, 9)) == pytest.approx(best)


@pytest.fixture(scope="module")
def lumen():
    client = load_client(SAMPLES / "lumen")
    roster, design = client.roster(), client.design()
    return roster, design, tk.match(roster, design)


def test_lumen_circles_respect_sizes_facilitation_and_reporting_lines(lumen):
    roster, design, result = lumen
    circles = result.circles
    assert result.status == "optimal" and result.shape == "circles"
    roles = circles.groupby("circle_id")["circle_role"].value_counts().unstack(fill_value=0)
    assert (roles["facilitator"] == 1).all()
    assert roles["member"].between(design.circles.min_size, design.circles.max_size).all()
    assert circles["participant_id"].is_unique
    for _, group in circles.groupby("circle_id"):
        people = list(group["participant_id"])
        for first, second in itertools.combinations(people, 2):
            assert not roster.in_reporting_line(first, second)
    accounted = set(circles["participant_id"]) | set(result.unmatched["participant_id"])
    assert accounted == set(roster.ids)
    member = circles.loc[circles["circle_role"] == "member", "participant_id"].iloc[0]
    assert "circle" in result.explain(member).text


def test_peer_pins_and_bans_are_honoured():
    roster = peer_pool(3, 6)
    design = tk.ProgramDesign.from_template("peer")
    free = tk.match(roster, design)
    first = tuple(free.pairs[["mentee_id", "mentor_id"]].iloc[0])
    banned = tk.match(roster, design, forbidden=[first])
    assert first not in set(zip(banned.pairs["mentee_id"], banned.pairs["mentor_id"]))
    assert banned.objective <= free.objective + 1e-9 or len(banned.pairs) < len(free.pairs)
