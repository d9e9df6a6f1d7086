"""Roster and readiness: figures checked against an independent count of the raw files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit.client import load_client
from toolkit.errors import IntakeError

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def northwind():
    config = load_client(SAMPLE_DATA / "northwind" / "client.yaml")
    return config, config.roster(), config.design()


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _column(rows: list[dict[str, str]], *words: str) -> str:
    """The raw header containing all these words (case-insensitive), found without the toolkit."""
    matches = [name for name in rows[0] if all(word in name.lower() for word in words)]
    assert len(matches) == 1, (words, matches)
    return matches[0]


def test_department_readiness_agrees_with_a_plain_count_of_the_sign_up_file(northwind):
    config, roster, design = northwind
    rows = _raw_rows(SAMPLE_DATA / "northwind" / "participants.csv")
    role_column, department_column = _column(rows, "role"), _column(rows, "department")
    capacity_column = _column(rows, "max mentees")
    mentees, places = Counter(), Counter()
    for row in rows:
        role = row[role_column].strip().lower()
        if role in ("mentee", "both"):
            mentees[row[department_column].strip()] += 1
        if role in ("mentor", "both"):
            stated = row[capacity_column].strip()
            places[row[department_column].strip()] += min(int(float(stated)) if stated else 1, design.capacity.max)
    table = tk.readiness(roster, design).segments["department"].set_index("department")
    for department in set(mentees) | set(places):
        assert table.loc[department, "mentees"] == mentees[department]
        assert table.loc[department, "places"] == places[department]
    readiness = tk.readiness(roster, design)
    assert readiness.overall["places"] == sum(places.values())
    assert readiness.overall["demand"] == sum(mentees.values())
    assert readiness.overall["coverage"] == pytest.approx(sum(places.values()) / sum(mentees.values()))


def test_skill_shortage_counts_every_mentee_who_asked_for_the_skill(northwind):
    _, roster, design = northwind
    wanted = sum("FP&A" in skills for skills in roster.mentees["skills_sought"])
    offered = sum("FP&A" in skills for skills in roster.mentors["skills_offered"])
    row = tk.readiness(roster, design).segments["skill"].set_index("skill").loc["FP&A"]
    assert (row["mentees"], row["mentors"]) == (wanted, offered)


def _people(*rows):
    columns = ["participant_id", "name", "role", "department", "team", "seniority", "capacity", "manager_id"]
    return pd.DataFrame([dict(zip(columns, row)) for row in rows])


def test_a_mentee_whose_only_mentor_is_their_manager_is_flagged_with_the_rule_and_a_fix():
    roster = tk.Roster.from_frame(_people(
        ("M1", "Mo Manager", "mentor", "Sales", "A", 4, 2, None),
        ("E1", "Eve Report", "mentee", "Sales", "A", 1, None, "M1"),
        ("E2", "Ed Other", "mentee", "Finance", "B", 1, None, None),
    ))
    design = tk.ProgramDesign.from_template("formal")
    readiness = tk.readiness(roster, design)
    at_risk = readiness.at_risk.set_index("participant_id")
    assert at_risk.loc["E1", "eligible"] == 0
    assert "manager" in at_risk.loc["E1", "reason"]
    assert "reporting line" in at_risk.loc["E1", "suggestion"]
    assert "1 person has no eligible partner" in readiness.summary()
    assert at_risk.loc["E2", "eligible"] == 1


def test_too_few_places_is_stated_as_a_shortfall_in_the_summary():
    roster = tk.Roster.from_frame(_people(
        ("M1", "Ann", "mentor", "Sales", "A", 5, 1, None),
        ("E1", "Bo", "mentee", "Finance", "B", 1, None, None),
        ("E2", "Cy", "mentee", "Finance", "B", 1, None, None),
        ("E3", "Di", "mentee", "Finance", "B", 1, None, None),
    ))
    summary = tk.readiness(roster, tk.ProgramDesign.from_template("formal")).summary()
    assert "1 mentor offers 1 place for 3 mentees" in summary
    assert "At least 2 mentees cannot be matched" in summary


def test_capacities_above_the_programme_maximum_are_capped_and_said():
    roster = tk.Roster.from_frame(_people(("M1", "Ann", "mentor", "Sales", "A", 5, 9, None),
                                          ("E1", "Bo", "mentee", "Finance", "B", 1, None, None)))
    readiness = tk.readiness(roster, tk.ProgramDesign.from_template("formal"))
    assert readiness.overall["places"] == 3
    assert "capped at 3" in readiness.summary()


def test_reporting_line_follows_the_chain_upwards_and_survives_a_cycle():
    roster = tk.Roster.from_frame(_people(
        ("CEO", "C", "mentor", "Exec", "X", 9, 1, "VP"),   # a data error: the CEO reports to the VP
        ("VP", "V", "mentor", "Sales", "A", 7, 1, "CEO"),
        ("E1", "E", "mentee", "Sales", "A", 1, None, "VP"),
        ("E2", "F", "mentee", "Finance", "B", 1, None, None),
    ))
    assert roster.management_chains()["E1"] == ["VP", "CEO"]
    assert roster.in_reporting_line("E1", "CEO") and roster.in_reporting_line("CEO", "E1")
    assert not roster.in_reporting_line("E2", "CEO")


@pytest.mark.slow
@given(st.lists(st.sampled_from(["North", "South", None, "East"]), min_size=1, max_size=30))
def test_cohorts_partition_the_roster(regions):
    frame = pd.DataFrame({
        "participant_id": [f"P{i}" for i in range(len(regions))],
        "role": ["mentee"] * len(regions),
        "region": regions,
    })
    cohorts = tk.Roster.from_frame(frame).cohorts("region")
    ids = [participant for cohort in cohorts.values() for participant in cohort.ids]
    assert sorted(ids) == sorted(frame["participant_id"])
    assert sum(1 for region in regions if region is None) == len(cohorts.get("(not given)", []))


def test_cohorts_by_an_unknown_column_suggests_the_right_name(northwind):
    _, roster, _ = northwind
    with pytest.raises(IntakeError, match="department"):
        roster.cohorts("departmnet")
