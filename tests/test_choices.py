"""Mentee choices: a returned form read with every bad row named, and matching on the ranks."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from strategies import random_roster, seeds

from toolkit.design import ProgramDesign
from toolkit.errors import IntakeError, MatchingError
from toolkit.matching.audits import stability_audit
from toolkit.matching.candidates import candidate_edges
from toolkit.matching.choices import Choices, choice_outcomes, load_choices
from toolkit.matching.engine import match
from toolkit.matching.shortlists import shortlists
from toolkit.roster import Roster

FIXTURES = Path(__file__).parent / "fixtures" / "choices"
FORMAL = ProgramDesign.from_template("formal")


def _three_by_three() -> Roster:
    rows = [{"participant_id": f"S00{i}", "name": f"Person {i}", "role": "mentee", "department": "Ops",
             "seniority": 1, "skills_sought": ("SQL",)} for i in range(3)]
    rows += [{"participant_id": f"T00{j}", "name": f"Person {j}", "role": "mentor", "department": ["Finance", "Sales",
              "Sales"][j - 3], "seniority": 5, "skills_offered": ("SQL",), "capacity": 1} for j in range(3, 6)]
    return Roster.from_frame(pd.DataFrame(rows))


def test_a_form_with_bad_rows_names_each_row_column_value_and_fix():
    with pytest.raises(IntakeError) as caught:
        load_choices(FIXTURES / "choices_form_with_bad_rows.csv")
    found = {(problem.row, problem.column): problem for problem in caught.value.problems}
    assert sorted(found) == [(5, "Your rank"), (8, "Your rank"), (9, "Mentor ID"), (10, "Your rank"),
                             (11, "Mentor rank"), (12, "Mentor ID")]
    assert found[(5, "Your rank")].value == "first" and found[(5, "Your rank")].column_letter == "I"
    assert "also in row 7" in found[(8, "Your rank")].message
    assert "first in row 11" in found[(12, "Mentor ID")].message
    assert all(problem.fix and problem.path.endswith("choices_form_with_bad_rows.csv")
               for problem in caught.value.problems)


def test_a_returned_form_is_read_with_blanks_kept_and_declines_understood():
    choices = load_choices(FIXTURES / "choices_form_returned.csv")
    assert choices.unranked_rows == (8,)
    assert choices.declined_pairs == [("S002", "T004")]
    assert list(choices.ranked["rank"]) == [1, 2, 1, 2, 2]


def test_matching_on_choices_gives_first_choices_under_capacity_and_never_a_declined_pair():
    roster = _three_by_three()
    choices = load_choices(FIXTURES / "choices_form_returned.csv")
    result = match(roster, FORMAL, choices=choices).check()
    pairs = set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    assert ("S002", "T004") not in pairs and len(pairs) == 3
    outcome = choice_outcomes(result)
    assert (outcome["ranked"], outcome["first"], outcome["top3"]) == (3, 1, 2)
    audit = stability_audit(result)
    assert ("S002", "T004") not in set(zip(audit["blocking_pairs"]["mentee_id"], audit["blocking_pairs"]["mentor_id"]))


def test_choices_naming_someone_not_in_the_roster_are_refused_by_row():
    choices = Choices.from_frame(pd.DataFrame({"mentee_id": ["S000", "S999"], "mentor_id": ["T003", "S001"],
                                               "rank": [1, 1], "row": [2, 3]}))
    with pytest.raises(MatchingError) as caught:
        match(_three_by_three(), FORMAL, choices=choices)
    assert [problem.row for problem in caught.value.problems] == [3, 3]


@pytest.mark.slow
@given(seeds, st.integers(2, 6), st.integers(1, 4))
def test_ranked_worth_is_maximal_among_matchings_of_the_largest_size(seed, mentees, mentors):
    """Oracle: brute force over every matching of the allowed pairs (small rosters)."""
    roster = random_roster(seed, mentees, mentors)
    listed = shortlists(roster, FORMAL, 3)
    table = listed.table.copy()
    table["rank"] = table.groupby("mentee_id")["score"].rank(method="first", ascending=True).astype(int)
    choices = Choices.from_frame(table[["mentee_id", "mentor_id", "rank"]])
    result = match(roster, FORMAL, choices=choices).check()
    edges = candidate_edges(roster, FORMAL, with_parts=False)
    capacity = roster.capacity(FORMAL.capacity.default, FORMAL.capacity.max)
    most = int(table["rank"].max()) if len(table) else 0
    worth = {(a, b): most + 1 - r for a, b, r in zip(table["mentee_id"], table["mentor_id"], table["rank"])}
    by_mentee = {mentee: list(group["mentor_id"]) for mentee, group in edges.groupby("mentee_id")}
    best = (0, 0)
    for picks in itertools.product(*[[None, *options] for options in by_mentee.values()]):
        load = pd.Series([pick for pick in picks if pick is not None], dtype=object).value_counts()
        if any(count > capacity[mentor] for mentor, count in load.items()):
            continue
        chosen = [(mentee, pick) for mentee, pick in zip(by_mentee, picks) if pick is not None]
        best = max(best, (len(chosen), sum(worth.get(pair, 0) for pair in chosen)))
    got = list(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    assert (len(got), sum(worth.get(pair, 0) for pair in got)) == best


@pytest.mark.slow
def test_the_excel_form_round_trips_a_mentee_filling_in_their_ranks(tmp_path):
    roster = _three_by_three()
    listed = shortlists(roster, FORMAL, 3)
    workbook_path = [path for path in listed.write_form(tmp_path) if path.suffix == ".xlsx"][0]
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == ["Choices", "How to fill in"]
    sheet = workbook["Choices"]
    header = [cell.value for cell in sheet[1]]
    rank_column = header.index("Your rank") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=rank_column, value=int(sheet.cell(row=row, column=header.index("Option") + 1).value))
    sheet.cell(row=3, column=rank_column, value="second")  # one mistake, named by row
    workbook.save(workbook_path)
    with pytest.raises(IntakeError) as caught:
        load_choices(workbook_path)
    assert [(problem.row, problem.column, problem.value) for problem in caught.value.problems] == [
        (3, "Your rank", "second")]
    sheet.cell(row=3, column=rank_column, value=2)
    workbook.save(workbook_path)
    choices = load_choices(workbook_path)
    assert len(choices.ranked) == len(listed.table)
    outcome = choice_outcomes(match(roster, FORMAL, choices=choices))
    assert outcome["ranked"] == outcome["any"] == 3 and outcome["first"] >= 1  # three places, all ranked
