"""Meeting in person needs the same site: a pair that wants to meet in person but works at two sites
is a meeting-mode mismatch, and the explanation names both sites. Without sites, nothing changes and
the explanation says the location is unknown (never a silent guess).

Fixture: tests/fixtures/sites/two_sites_in_person_signup.csv, a Google Forms sign-up of two sites
(Grimsby, Peterhead). Dan Whitaker (Peterhead, in person) wants Lean manufacturing and Leadership;
Sarah Okafor (Grimsby, in person) and Kwame Asante (Peterhead, in person) both offer them, Sarah at
the ideal seniority gap (0.4 points better), so without the site check Dan is sent to Grimsby.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.matching import scoring
from toolkit.matching.readiness import readiness
from toolkit.matching.scoring import ScoreModel, evidence
from toolkit.roster import Roster

SIGNUP = Path(__file__).parent / "fixtures" / "sites" / "two_sites_in_person_signup.csv"


@pytest.fixture(scope="module")
def roster():
    return tk.load_roster(SIGNUP)


@pytest.fixture(scope="module")
def design():
    return tk.ProgramDesign.from_template("formal")


def _id(roster, name: str) -> str:
    people = roster.participants
    return people.loc[people["name"] == name, "participant_id"].iloc[0]


def _without_sites(roster) -> Roster:
    return Roster.from_frame(roster.participants.assign(site=None))


def test_an_in_person_mentee_gets_the_free_mentor_on_their_own_site_not_the_one_at_another_site(roster, design):
    result = tk.match(roster, design)
    dan, kwame, sarah = (_id(roster, name) for name in ("Dan Whitaker", "Kwame Asante", "Sarah Okafor"))
    partner = result.pairs.set_index("mentee_id").loc[dan, "mentor_id"]
    assert partner == kwame
    assert sarah not in set(result.pairs["mentor_id"])  # Sarah was free: the site decided it
    # ... and the cross-site pair scores the meeting-mode mismatch, its evidence naming both sites.
    model = ScoreModel.build(roster, design)
    row, col = list(model.context.mentees.ids).index(dan), list(model.context.mentors.ids).index(sarah)
    assert model.pair_parts(np.array([row]), np.array([col]))["meeting_mode"][0] == 0.0
    assert evidence(roster, design, dan, sarah)["meeting_mode"].endswith("in person, but Peterhead and Grimsby")
    assert "both at Peterhead" in evidence(roster, design, dan, kwame)["meeting_mode"]


def test_an_in_person_pair_across_sites_is_explained_with_both_sites(roster, design):
    # Only Sarah (Grimsby) offers what Dan wants once Kwame is out of reach: the explanation says why
    # the meeting-mode point is missing instead of leaving it out.
    kwame = _id(roster, "Kwame Asante")
    result = tk.match(roster.subset([pid for pid in roster.ids if pid != kwame]), design)
    text = result.explain(_id(roster, "Dan Whitaker")).text
    assert "Sarah Okafor" in text
    assert "meeting mode (no points): in_person / in_person: in person, but Peterhead and Grimsby" in text


def test_without_sites_the_match_is_unchanged_and_the_explanation_says_the_location_is_unknown(roster, design):
    blind = _without_sites(roster)
    result = tk.match(blind, design)
    dan, sarah = _id(roster, "Dan Whitaker"), _id(roster, "Sarah Okafor")
    assert result.pairs.set_index("mentee_id").loc[dan, "mentor_id"] == sarah  # today's behaviour: Sarah scores best
    assert result.pairs.set_index("mentee_id").loc[dan, "meeting_mode"] == pytest.approx(1.0)
    said = evidence(blind, design, dan, sarah)["meeting_mode"]
    assert "location unknown for the mentee and the mentor" in said and "Grimsby" not in said


@pytest.mark.parametrize("tabulated", [True, False])
def test_the_vectorised_part_is_the_rule_in_words_for_every_mode_and_site(design, tabulated, monkeypatch):
    # Oracle: the rule as stated, one pair at a time, over every combination of modes and sites; both
    # ways of computing it (a table per mentee mode and site, or pair by pair when the sites are many).
    monkeypatch.setattr(scoring, "MAX_MODE_STATES", 600 if tabulated else 0)
    modes = ["in_person", "virtual", "hybrid", "no_preference", None]
    sites = ["Grimsby", " grimsby ", "Peterhead", None]
    people = list(itertools.product(modes, sites))
    frame = pd.DataFrame({
        "participant_id": [f"E{i}" for i in range(len(people))] + [f"R{i}" for i in range(len(people))],
        "role": ["mentee"] * len(people) + ["mentor"] * len(people),
        "meeting_mode": [mode for mode, _ in people] * 2, "site": [site for _, site in people] * 2,
    })
    roster = Roster.from_frame(frame)
    model = ScoreModel.build(roster, design.override({"criteria": dict.fromkeys(design.criteria, 0)
                                                      | {"meeting_mode": 1}}))
    assert (model.mode_table is not None) == tabulated
    block = model.raw_parts()["meeting_mode"]
    assert np.array_equal(model.raw_parts(3, 9)["meeting_mode"], block[3:9])
    rows, cols = np.meshgrid(np.arange(len(people)), np.arange(len(people)), indexing="ij")
    pairwise = model.pair_parts(rows.ravel(), cols.ravel())["meeting_mode"].reshape(block.shape)
    for (i, (mode_a, site_a)), (j, (mode_b, site_b)) in itertools.product(enumerate(people), repeat=2):
        clash = {mode_a, mode_b} == {"in_person", "virtual"}
        known = site_a is not None and site_b is not None
        apart = "in_person" in (mode_a, mode_b) and known and site_a.strip().casefold() != site_b.strip().casefold()
        assert block[i, j] == pairwise[i, j] == (0.0 if clash or apart else 1.0), (people[i], people[j])


def test_readiness_warns_when_in_person_mentees_outnumber_in_person_places_on_their_site(roster, design):
    kwame = _id(roster, "Kwame Asante")
    short = readiness(roster.subset([pid for pid in roster.ids if pid != kwame]), design)
    assert any("in person at Peterhead outnumber" in note for note in short.notes)
    assert not any("in person" in note for note in readiness(roster, design).notes)
    assert not any("in person" in note for note in readiness(_without_sites(roster), design).notes)
