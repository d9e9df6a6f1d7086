"""Answers that say nothing ("Prefer not to say", "N/A", "-", "None", "Rather not say") are read as missing,
with one warning counting them; client.yaml may map an answer to nothing (null); columns that look like a
field ("Which staff group do you work in?", a division, a corporate title) are read or suggested as it.

Before: these answers had no way through (mapping them to nothing was refused, and loading stopped on
each one), and a "staff group" column was left unused without a word.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.client import load_client
from toolkit.errors import IntakeError
from toolkit.intake.cells import non_answer
from toolkit.intake.schema import match_header

FIXTURES = Path(__file__).parent / "fixtures" / "non_answers"


@pytest.fixture
def client(tmp_path: Path) -> Path:
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path / "client.yaml"


def test_non_answers_load_as_missing_with_one_warning_counting_each(client):
    roster = load_client(client).roster()
    people = roster.participants.set_index("name")
    assert len(people) == 8 and roster.rejected.empty
    for name in ("Na Young", "Omar Bakr", "Kai Lund", "Li Wen"):
        assert pd.isna(people.loc[name, "seniority"])
    assert people.loc["Na Young", "department"] is None and people.loc["Ines Faro", "department"] is None
    assert people.loc["Na Young", "gender"] is None and people.loc["Kai Lund", "skills_sought"] == ()
    assert people.loc["Ruth Cole", "exclusions"] == () and people.loc["Nil Demir", "exclusions"] == ()
    assert people.loc["Tom Ashe", "meeting_mode"] is None
    # Names are kept as written: "Nil" and "Na" are names, not non-answers.
    assert {"Nil Demir", "Na Young"} <= set(people.index)
    (warning,) = [warning for warning in roster.warnings if "say nothing" in warning.message]
    assert 'column E "Your grade": "Prefer not to say" 2 people, "-" 1 person, "Rather not say" 1 person' \
        in warning.message  # "Prefer not to say" and "prefer not to say" are one answer
    assert 'column H "How would you like to meet?": "N/A" 2 people, "None" 1 person' in warning.message
    assert "mapping: values:" in warning.fix
    # Non-answers are not grades: not in the readings, not on the suggested ladder.
    assert set(roster.seniority_table()["grade"]) == {"Manager", "Team Leader", "Head of Sales", "Senior Manager"}


def test_an_answer_mapped_to_nothing_in_client_yaml_is_accepted_and_a_mapped_non_answer_is_a_value(client):
    client.write_text(client.read_text().replace(
        "- path: signups_with_non_answers.csv\n",
        "- path: signups_with_non_answers.csv\n  mapping:\n    values:\n      meeting_mode:\n"
        '        "N/A": no_preference\n        "None": null\n      seniority:\n        "Team Leader": null\n'),
        encoding="utf-8")
    people = load_client(client).roster().participants.set_index("name")
    assert people.loc["Na Young", "meeting_mode"] == "no_preference"  # client.yaml's word wins
    assert people.loc["Tom Ashe", "meeting_mode"] is None
    assert pd.isna(people.loc["Ines Faro", "seniority"])  # null: no level


def test_an_unclear_grade_mapped_to_nothing_is_no_longer_asked(tmp_path):
    path = tmp_path / "signups.csv"
    path.write_text("Email,Role,Grade\na@x.example,Mentor,Manager\nb@x.example,Mentee,Director\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="Director"):
        tk.load_roster(path)
    roster = tk.load_roster(path, mapping={"values": {"seniority": {"Director": None}}})
    assert pd.isna(roster.participants.set_index("email").loc["b@x.example", "seniority"])


@pytest.mark.parametrize("text, field, says_nothing", [
    ("Prefer not to say", "seniority", True), ("N/A", "department", True), ("-", "gender", True),
    ("None", "exclusions", True), ("n/a", "meeting_mode", True), ("Rather not say", "ethnicity", True),
    ("I'd rather not say", "seniority", True), ("?", "seniority", True), ("", "seniority", False),
    ("None", "capacity", False),  # no mentees: a capacity answer, not a non-answer
    ("Prefer not to say", "consent", False),  # consent must be a clear yes
    ("Nil", "name", False), ("-", "notes", False), ("\u2713", "can_facilitate", False), ("Finance", "department", False),
])
def test_what_says_nothing(text, field, says_nothing):
    assert non_answer(text, field) is says_nothing


def test_capacity_none_from_a_mentor_is_still_a_problem_not_the_default(tmp_path):
    path = tmp_path / "signups.csv"
    path.write_text("Email,Role,Capacity\na@x.example,Mentor,None\nb@x.example,Mentee,\n", encoding="utf-8")
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(path)
    assert [problem.row for problem in caught.value.problems] == [2]


# ------------------------------------------------------------------------------------------------
# Columns that look like a field
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header, field", [
    ("Which staff group do you work in?", "department"), ("Staff Group", "department"), ("Directorate", "department"),
    ("Function", "department"), ("Business function", "department"), ("Pay band", "seniority"),
    ("What is your pay band?", "seniority"), ("Grade", "seniority"), ("Level", "seniority"),
    ("Corporate title", "seniority"), ("Your corporate title", "seniority"),
    ("What is your Agenda for Change band?", "seniority"),
])
def test_look_alike_headers_read_as_the_field(header, field):
    assert match_header(header)[0][0] == field
    assert [name for name, strength in match_header(header) if strength == match_header(header)[0][1]] == [field]


@pytest.mark.parametrize("header", ["Division", "Business unit", "Which division are you in?"])
def test_a_division_without_a_department_column_is_suggested_as_department(tmp_path, header):
    path = tmp_path / "signups.csv"
    path.write_text(f'Email,Role,"{header}"\na@x.example,Mentor,Markets\nb@x.example,Mentee,Risk\n', encoding="utf-8")
    roster = tk.load_roster(path)
    (warning,) = [warning for warning in roster.warnings if warning.column == header]
    assert "no column is department" in warning.message and f'"{header}": department' in warning.fix
    with_department = tmp_path / "both.csv"
    with_department.write_text(f'Email,Role,Department,"{header}"\na@x.example,Mentor,FX,Markets\n'
                               "b@x.example,Mentee,Credit,Risk\n", encoding="utf-8")
    assert not [warning for warning in tk.load_roster(with_department).warnings if warning.column == header]
