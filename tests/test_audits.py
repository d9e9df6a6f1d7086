"""Fairness audit: rates checked against a plain count, small groups never revealed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.audits import fairness_audit
from toolkit.client import load_client

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def northwind_match():
    client = load_client(SAMPLES / "northwind")
    return tk.match(client.roster(), client.design())


def test_match_rates_and_scores_agree_with_a_plain_count(northwind_match):
    result = northwind_match
    audit = fairness_audit(result, ["department"], min_group=5).set_index("value")
    mentees = result.roster.mentees
    scores = result.pairs.set_index("mentee_id")["score"]
    for department, group in mentees.groupby("department"):
        matched = group["participant_id"].isin(scores.index)
        assert audit.loc[department, "people"] == len(group)
        assert audit.loc[department, "matched"] == matched.sum()
        assert audit.loc[department, "mean_score"] == pytest.approx(scores.reindex(group["participant_id"]).mean(),
                                                                    abs=1e-4)


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 9), min_size=1, max_size=5), min_group=st.integers(2, 6))
def test_no_group_below_the_threshold_is_shown_or_recoverable_by_subtraction(sizes, min_group):
    rows, number = [], 0
    for group, size in enumerate(sizes):
        for _ in range(size):
            rows.append({"participant_id": f"E{number}", "role": "mentee", "department": f"D{group}"})
            number += 1
    rows.append({"participant_id": "M0", "role": "mentor", "department": "X", "capacity": 3})
    roster = tk.Roster.from_frame(pd.DataFrame(rows))
    design = tk.ProgramDesign.from_template("formal").override({"rules": {"require_shared_language": False}})
    result = tk.match(roster, design)
    audit = fairness_audit(result, ["department"], min_group=min_group)
    assert (audit["people"] >= min_group).all()
    hidden = audit.attrs["suppressed"]["department"]
    assert hidden != 1 or len(sizes) == 1
