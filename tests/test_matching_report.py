"""The matching report for leadership: no pair list, strongest reasons that say what is distinctive, never blank."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

import toolkit as tk
from toolkit.reports import strongest_reasons

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def test_strongest_reasons_are_the_parts_above_the_typical_pair_by_hand():
    """Points per priority: skills 4, 4, 2, 0; goals 2, 1, 0, 0; preferences 3, 0, 0, 0.
    The typical pair (medians): skills (0, 2, 4, 4) -> 3; goals (0, 0, 1, 2) -> 0.5; preferences 0.
    P1: preferences +3, goals +1.5, skills +1 -> the two largest: stated preferences, goals.
    P2: skills +1, goals +0.5.
    P3: skills -1, goals -0.5: nothing above the typical pair; its largest part is skills.
    P4: nothing at all: it meets the rules and scores no points."""
    pairs = pd.DataFrame({"mentee_id": ["E1", "E2", "E3", "E4"], "mentor_id": ["M1", "M2", "M3", "M4"],
                          "score": [9.0, 5.0, 2.0, 0.0], "skills": [4.0, 4.0, 2.0, 0.0],
                          "goals": [2.0, 1.0, 0.0, 0.0], "preferences": [3.0, 0.0, 0.0, 0.0]})
    reasons = strongest_reasons(pairs)
    assert reasons[0] == ("stated preferences (+3.0 over the typical pair), goals (+1.5 over the typical pair)")
    assert reasons[1] == "skills (+1.0 over the typical pair), goals (+0.5 over the typical pair)"
    assert reasons[2] == "as the typical pair: skills"
    assert reasons[3] == "meets the rules; scores no points on the priorities"


def test_northwind_reasons_are_never_blank_and_not_the_same_for_nearly_everyone(northwind_match):
    reasons = strongest_reasons(northwind_match.pairs)
    assert len(reasons) == len(northwind_match.pairs) and all(reason.strip() for reason in reasons)
    commonest, count = Counter(reasons).most_common(1)[0]
    assert count < 0.5 * len(reasons), commonest
    # the typical Northwind pair already has the most skills points (4 of 4): no pair can stand out on skills
    assert northwind_match.pairs["skills"].median() == northwind_match.pairs["skills"].max()
    assert not any("skills (+" in reason for reason in reasons)


def test_a_new_client_whose_sign_ups_carry_no_priority_data_still_gets_a_reason_for_each_pair():
    rows = [{"participant_id": f"E{i}", "role": "mentee", "department": "A"} for i in range(3)]
    rows += [{"participant_id": f"M{i}", "role": "mentor", "department": "B", "capacity": 1} for i in range(3)]
    design = tk.ProgramDesign.from_template("formal").override({"rules": {"require_shared_language": False}})
    result = tk.match(tk.Roster.from_frame(pd.DataFrame(rows)), design)
    reasons = strongest_reasons(result.pairs)
    assert len(reasons) == 3 and all(reason for reason in reasons)
