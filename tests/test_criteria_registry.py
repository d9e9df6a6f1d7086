"""The criteria registry: every list of criteria agrees with it, and a criterion added through it
(``same_site``) scores, explains, and appears in shortlist cards, labels and the design's words."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.criteria import CRITERIA_REGISTRY, CRITERION
from toolkit.design.vocabulary import CRITERIA, CRITERION_LABELS, programs_dir
from toolkit.labels import label
from toolkit.matching.scoring import CRITERIA as SCORED
from toolkit.matching.scoring import CRITERION_FIELDS, FACTS, PARTS, ScoreModel, applied
from toolkit.matching.shortlists import shortlists
from toolkit.roster import PARTICIPANT_COLUMNS, Roster
from toolkit.safe_yaml import parse_yaml

NAMES = [criterion.name for criterion in CRITERIA_REGISTRY]


def test_every_list_of_criteria_is_the_registry():
    assert len(set(NAMES)) == len(NAMES)
    assert list(CRITERIA) == NAMES and list(SCORED) == NAMES
    assert set(PARTS) == set(NAMES) and set(FACTS) == set(NAMES)
    assert {criterion.name: criterion.fields for criterion in CRITERIA_REGISTRY} == CRITERION_FIELDS
    for criterion in CRITERIA_REGISTRY:
        assert CRITERION_LABELS[criterion.name] == criterion.label
        assert label(criterion.name) == criterion.heading
        assert criterion.fields[0] in PARTICIPANT_COLUMNS


@pytest.mark.parametrize("path", sorted(programs_dir().glob("*.yaml")), ids=lambda path: path.stem)
def test_every_programme_template_weighs_every_criterion(path):
    criteria = parse_yaml(path)["criteria"]
    assert [name for name in NAMES if name not in criteria] == []


def site_roster() -> Roster:
    """Two mentees and two mentors, alike in all but their sites: E1 and M1 both at Peterhead."""
    people = [("E1", "Ada Quinn", "mentee", "Peterhead"), ("E2", "Ben Roe", "mentee", "Grimsby"),
              ("M1", "Cara Moss", "mentor", " peterhead "), ("M2", "Dev Shah", "mentor", "Leeds")]
    rows = [{"participant_id": pid, "name": name, "role": role,
             "department": "Operations" if role == "mentee" else "Finance", "seniority": 2 if role == "mentee" else 4,
             "site": site, "skills_sought": ("Planning",) if role == "mentee" else (),
             "skills_offered": ("Planning",) if role == "mentor" else (), "capacity": 1 if role == "mentor" else None}
            for pid, name, role, site in people]
    return Roster.from_frame(pd.DataFrame(rows))


def test_same_site_scores_explains_and_is_shown_on_cards_and_in_words():
    roster = site_roster()
    design = tk.ProgramDesign.from_template("formal").override({"criteria": {"same_site": {"weight": 4}},
                                                                "rules": {"exclude_same_team": False}})
    model = ScoreModel.build(roster, design)
    parts = model.raw_parts()["same_site"]
    mentees, mentors = list(model.context.mentees.ids), list(model.context.mentors.ids)
    assert parts[mentees.index("E1"), mentors.index("M1")] == 1.0  # case and spacing of sites ignored
    assert parts[mentees.index("E2"), mentors.index("M1")] == 0.0 and parts[mentees.index("E1"),
                                                                            mentors.index("M2")] == 0.0
    result = tk.match(roster, design)
    pairs = set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    assert ("E1", "M1") in pairs and result.pairs.loc[result.pairs["mentee_id"] == "E1", "same_site"].iloc[0] == 4.0
    explanation = result.explain("E1")
    assert "same site: both at Peterhead" in explanation.text.replace("same_site", "same site")
    assert explanation.evidence["same_site"] == "both at Peterhead"
    cards = shortlists(roster, design, k=2).table
    card = cards[(cards["mentee_id"] == "E1") & (cards["mentor_id"] == "M1")]["shared"].iloc[0]
    assert "You both work at Peterhead." in card
    other = cards[(cards["mentee_id"] == "E2")]["shared"]
    assert not other.str.contains("both work at").any()
    assert label("same_site") == "Same site"
    assert "same site" in design.describe()
    assert "same_site" in applied(roster, design).criteria


def test_a_criterion_with_no_weight_stays_off_the_cards():
    roster = site_roster()
    design = tk.ProgramDesign.from_template("formal").override({"rules": {"exclude_same_team": False}})
    assert CRITERION["same_site"].name not in design.criteria.active()
    cards = shortlists(roster, design, k=2).table
    assert not cards["shared"].str.contains("both work at").any()
    assert "same_site" not in tk.match(roster, design).pairs.columns
    assert "same_site" not in ScoreModel.build(roster, design).raw_parts()
