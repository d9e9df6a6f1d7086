"""The health report's attention list is for the programme team, who call people: it names them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.reports.outcome_sections import at_risk_units

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _rows(block) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", block.html, flags=re.S)[1:]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]


@pytest.mark.slow
def test_each_pair_on_the_attention_list_is_named_by_its_two_people():
    report = tk.reports.prepare(SAMPLES / "northwind" / "client.yaml")
    pairs = pd.read_csv(SAMPLES / "northwind" / "pairs.csv").set_index("Pair ID")
    rows = _rows(at_risk_units(report))
    assert rows
    for unit, who, *_ in rows:
        mentee, mentor = pairs.loc[unit, "Mentee ID"], pairs.loc[unit, "Mentor ID"]
        assert who == f"{report.roster.display_name(mentee)} and {report.roster.display_name(mentor)}"


def test_a_circle_on_the_attention_list_is_named_by_its_facilitator_even_when_logs_use_emails():
    report = tk.reports.prepare(SAMPLES / "lumen" / "client.yaml")
    circles = pd.read_csv(SAMPLES / "lumen" / "circles.csv")
    rows = _rows(at_risk_units(report))
    assert rows
    for unit, who, *_ in rows:
        members = circles[circles["Circle ID"] == unit]
        email = members.loc[members["Circle Role"] == "facilitator", "Participant ID"].iloc[0]
        person = tk.roster.roster_id_aliases(report.roster)[email]
        assert who == f"{report.roster.display_name(person)} and {len(members) - 1} members"
        assert "@" not in who


@pytest.mark.slow
def test_active_has_one_meaning_in_the_health_report():
    """The funnel's stage of recent meetings is named for what it counts; "active" means running, defined once."""
    from toolkit.reports.appendix import GLOSSARY, glossary
    from toolkit.reports.outcome_sections import funnel_section

    report = tk.reports.prepare(SAMPLES / "northwind" / "client.yaml")
    stages = [row[0] for row in _rows(funnel_section(report))]
    assert "Met in the last 30 days" in stages and "Active" not in stages
    terms = re.findall(r"<dt>(.*?)</dt>", glossary(report, "health").html)
    assert {"Active", "Ended", "Waiting"} <= set(terms)
    assert GLOSSARY["Active"].startswith("Running: a pair or circle that has started and has not ended")
