"""No-fault re-matching: invariants on random programme histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import random_roster, seeds

from toolkit.design import ProgramDesign
from toolkit.errors import MatchingError
from toolkit.matching.engine import match
from toolkit.matching.rematch import rematch

FORMAL = ProgramDesign.from_template("formal")


def _history(seed: int, mentees: int, mentors: int, ended_share: float):
    """A first match, some of its pairs ended, and a leaver drawn among the people of ended pairs."""
    roster = random_roster(seed, mentees, mentors)
    first = match(roster, FORMAL).pairs[["mentee_id", "mentor_id"]]
    rng = np.random.default_rng(seed)
    ends = rng.random(len(first)) < ended_share
    active, ended = first[~ends].reset_index(drop=True), first[ends].reset_index(drop=True)
    # a leaver ends every pair they were in, so they are drawn among people with no active pair
    people = sorted((set(ended["mentee_id"]) | set(ended["mentor_id"])) - set(active["mentee_id"])
                    - set(active["mentor_id"]))
    leavers = {people[int(rng.integers(len(people)))]} if people and rng.random() < 0.5 else set()
    return roster, active, ended, leavers


@pytest.mark.slow
@given(seeds, st.integers(1, 20), st.integers(1, 8), st.floats(0, 1))
def test_active_pairs_are_kept_capacities_respected_and_no_pair_repeated(seed, mentees, mentors, ended_share):
    roster, active, ended, leavers = _history(seed, mentees, mentors, ended_share)
    done = rematch(roster, FORMAL, active=active, ended=ended, leavers=leavers).check(roster, FORMAL)
    assert list(zip(done.kept["mentee_id"], done.kept["mentor_id"])) == list(zip(active["mentee_id"],
                                                                                active["mentor_id"]))
    new = list(zip(done.new_pairs["mentee_id"], done.new_pairs["mentor_id"]))
    history = set(zip(active["mentee_id"], active["mentor_id"])) | set(zip(ended["mentee_id"], ended["mentor_id"]))
    assert not set(new) & history
    assert not {mentee for mentee, _ in new} & set(active["mentee_id"])
    assert not {person for pair in new for person in pair} & leavers
    capacity = roster.capacity(FORMAL.capacity.default, FORMAL.capacity.max)
    load = pd.concat([active["mentor_id"], done.new_pairs["mentor_id"]]).value_counts()
    assert all(count <= capacity[mentor] for mentor, count in load.items())
    # Everyone in play is accounted for: newly matched or unmatched with a reason.
    in_play = set(done.in_play.loc[done.in_play["role"] == "mentee", "participant_id"])
    assert in_play == {mentee for mentee, _ in new} | set(
        done.result.unmatched.loc[done.result.unmatched["role"] == "mentee", "participant_id"])


def test_a_rematch_with_nothing_ended_changes_nothing_and_keeps_everyone_in_place():
    roster, active, _, _ = _history(11, 10, 5, 0.0)
    done = rematch(roster, FORMAL, active=active, ended=None)
    assert len(done.pairs) >= len(active)
    assert list(zip(done.kept["mentee_id"], done.kept["mentor_id"])) == list(zip(active["mentee_id"],
                                                                                active["mentor_id"]))


def test_an_active_pair_with_someone_not_in_the_roster_is_refused():
    roster = random_roster(3, 4, 2)
    with pytest.raises(MatchingError, match="not in the roster"):
        rematch(roster, FORMAL, active=[("S000", "X999")])
