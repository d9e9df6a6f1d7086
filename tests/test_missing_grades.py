"""A missing grade (a blank cell, or "Prefer not to say") is treated the way the design says, in every rule
and criterion that uses seniority: the seniority rule cannot be checked for that person, so it never excludes
their pairs, and pairs are made without seniority (its part of the score is 0, never a guess). One test per
use of seniority: the hard rule in each direction (mentor senior, mentee senior for reverse mentoring,
similar for peers), the scoring criterion, peer pairs, circles, and the match as a whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.design.model import ProgramDesign
from toolkit.matching.engine import match
from toolkit.matching.rules import RuleContext
from toolkit.matching.scoring import ScoreModel, evidence
from toolkit.roster import Roster

NO_OTHER_RULES = {"rules": {"exclude_own_manager": False, "exclude_reporting_line": False,
                            "exclude_same_team": False, "exclude_same_department": False,
                            "require_shared_language": False, "max_timezone_difference_hours": None,
                            "min_availability_overlap_hours": None}}


def _roster(levels: dict[str, tuple[str, float | None]]) -> Roster:
    """participant id -> (role, level or None for a missing grade)."""
    return Roster.from_frame(pd.DataFrame({
        "participant_id": list(levels), "name": [f"Person {key}" for key in levels],
        "role": [role for role, _ in levels.values()], "seniority": [level for _, level in levels.values()],
        "capacity": [2 if role != "mentee" else None for role, _ in levels.values()],
    }))


def _design(template: str, **seniority) -> ProgramDesign:
    design = ProgramDesign.from_template(template).override(NO_OTHER_RULES)
    return design.override({"seniority": seniority}) if seniority else design


@pytest.mark.parametrize("template, direction, allowed_known", [
    ("formal", "mentor_senior", {("E1", "M3")}),  # mentee at 1: only the mentor at 3 is above (gap 1..5)
    ("reverse", "mentee_senior", {("E5", "M1"), ("E5", "M3")}),  # reverse: the mentee is senior (gap 2..7)
])
def test_the_seniority_rule_never_excludes_a_pair_with_a_missing_grade(template, direction, allowed_known):
    roster = _roster({"E1": ("mentee", 1), "E5": ("mentee", 5), "EX": ("mentee", None),
                      "M1": ("mentor", 1), "M3": ("mentor", 3), "MX": ("mentor", None)})
    design = _design(template)
    assert design.seniority.direction == direction
    mentees, mentors = ["E1", "E5", "EX"], ["M1", "M3", "MX"]
    context = RuleContext.build(roster, design, mentee_ids=mentees, mentor_ids=mentors)
    excluded = context.excluded()["seniority"]
    for row, mentee in enumerate(mentees):
        for col, mentor in enumerate(mentors):
            if "X" in mentee or "X" in mentor:
                assert not excluded[row, col], (mentee, mentor)  # cannot be checked: not held to it
            else:
                assert excluded[row, col] == ((mentee, mentor) not in allowed_known), (mentee, mentor)


def test_the_similar_rule_of_peer_pairs_never_excludes_a_missing_grade():
    roster = _roster({"P1": ("both", 1), "P4": ("both", 4), "PX": ("both", None)})
    design = _design("peer")
    assert design.seniority.direction == "similar" and design.shape == "peer_pairs"
    ids = ["P1", "P4", "PX"]
    excluded = RuleContext.build(roster, design, mentee_ids=ids, mentor_ids=ids).excluded()["seniority"]
    assert excluded[0, 1] and excluded[1, 0]  # 3 levels apart, more than max_gap 1
    assert not excluded[2, :].any() and not excluded[:, 2].any()


def test_the_seniority_criterion_gives_no_credit_either_way_for_a_missing_grade():
    roster = _roster({"E1": ("mentee", 1), "EX": ("mentee", None),
                      "M3": ("mentor", 3), "M6": ("mentor", 6), "MX": ("mentor", None)})
    design = _design("formal")
    model = ScoreModel.build(roster, design, context=RuleContext.build(roster, design, mentee_ids=["E1", "EX"],
                                                                         mentor_ids=["M3", "M6", "MX"]))
    part = model.raw_parts()["seniority"]
    assert part[0, 0] == pytest.approx(1 - abs(2 - 2) / 5) and part[0, 1] == pytest.approx(1 - abs(5 - 2) / 5)
    assert (part[1, :] == 0).all() and part[0, 2] == 0  # pairs are made without seniority, never a guess
    assert np.isfinite(part).all()
    # The explanation does not claim a level it does not know.
    assert "seniority" not in evidence(roster, design, "EX", "M3")
    assert evidence(roster, design, "E1", "M3")["seniority"] == "levels 1.0 and 3.0"


def test_a_circle_member_with_a_missing_grade_may_join_any_facilitator():
    frame = pd.DataFrame({
        "participant_id": ["F1", "F5", "A1", "A2", "AX", "A4"],
        "name": ["Fay", "Fin", "Ann", "Abe", "Axel", "Ada"], "role": ["both"] * 6,
        "seniority": [1, 5, 1, 2, None, 4], "can_facilitate": [True, True, False, False, False, False]})
    roster = Roster.from_frame(frame)
    design = _design("group")
    assert design.shape == "circles" and design.seniority.direction == "mentor_senior"
    leaders = list(roster.facilitators()["participant_id"])
    members = [person for person in frame["participant_id"] if person not in leaders]
    excluded = RuleContext.build(roster, design, mentee_ids=members, mentor_ids=leaders).excluded()["seniority"]
    row = members.index("AX")
    assert not excluded[row, :].any()
    assert excluded[members.index("A1"), leaders.index("F1")]  # a known level is still held to the rule


def test_the_match_pairs_someone_who_gave_no_grade_and_says_the_rule_was_not_checked_for_them():
    roster = _roster({"E1": ("mentee", 1), "E2": ("mentee", 2), "EX": ("mentee", None),
                      "M1": ("mentor", 1), "M4": ("mentor", 4)})
    design = _design("formal")
    result = match(roster, design)
    paired = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    assert set(paired) == {"E1", "E2", "EX"}  # M1 is below E1 and E2, so it can only mentor EX
    assert paired["EX"] == "M1"
    by_pair = result.pairs.set_index("mentee_id")
    assert by_pair.loc["EX", "seniority"] == 0  # no credit for a level nobody knows
    assert by_pair.loc["E1", "seniority"] > 0
