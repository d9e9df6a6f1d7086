"""Real-shaped exports a client sends (Google Forms with question headers and sentence answers,
Microsoft Forms, Qualtrics with three header rows, HRIS extracts with grade codes): each loads to the
right people, roles and fields, or stops with one question and the client.yaml lines that settle it."""

from __future__ import annotations

import csv
import io
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.cli import main
from toolkit.client import load_client
from toolkit.errors import ConfigError, IntakeError
from toolkit.intake import cells, schema
from toolkit.intake.cells import SURE

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def _people(roster) -> tk.Roster:
    return roster.participants.set_index("email")


def _client(folder: Path, export: str, extra: str = "") -> Path:
    """A client folder as a consultant makes it: the export dropped in, a client.yaml naming it."""
    shutil.copy(EXPORTS / export, folder / export)
    (folder / "client.yaml").write_text(textwrap.dedent(f"""\
        client: Acme (fictional)
        programme:
          template: formal
        participants:
        - path: {export}
        """) + extra, encoding="utf-8")
    return folder / "client.yaml"


# ------------------------------------------------------------------------------------------------
# Each export shape loads to the right roles and fields
# ------------------------------------------------------------------------------------------------


def test_google_forms_question_headers_and_sentence_roles_read_both_ways():
    path = EXPORTS / "google_forms_question_headers_sentence_roles.csv"
    # Associate, Analyst and the Director titles rank differently by sector: the toolkit asks, and the
    # ladder it suggests (pasted as printed) keeps the order it read for the titles every sector shares.
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(path)
    assert {problem.value for problem in caught.value.problems} == {
        "Associate", "Senior Associate", "Assistant Director", "Analyst", "Director"}
    order = yaml.safe_load(caught.value.fix.split("\n", 1)[1])["seniority"]["order"]
    roster = tk.load_roster(path, seniority_order=order)
    people = _people(roster)
    roles = people["role"].value_counts().to_dict()
    assert roles == {"mentee": 4, "mentor": 3, "both": 1}
    # Wanting a mentor makes a mentee, offering to support makes a mentor; "either" is both.
    assert people.loc["priya.shah@acme.example", "role"] == "mentee"  # "Mentee - I'd like a mentor"
    assert people.loc["lena.fischer@acme.example", "role"] == "mentee"  # "I'd like a mentor"
    assert people.loc["omar.haddad@acme.example", "role"] == "mentee"  # "Looking for a mentor"
    assert people.loc["tom.baker@acme.example", "role"] == "mentor"  # "Mentor - I'd like to support someone"
    assert people.loc["sam.okoro@acme.example", "role"] == "both"  # "Happy to do either"
    # Question-style headers become fields: skills are no longer dropped.
    assert people.loc["priya.shah@acme.example", "skills_sought"] == ("Stakeholder management", "Public speaking")
    assert people.loc["grace.lee@acme.example", "skills_offered"] == ("Python", "Cloud architecture", "Leadership")
    assert people.loc["kwame.mensah@acme.example", "capacity"] == 2  # "two"
    assert people.loc["lena.fischer@acme.example", "languages"] == ("English", "German")
    levels = people.set_index("name")["seniority"]
    assert levels["Grace Lee"] > levels["Tom Baker"] > levels["Sam Okoro"]  # Asst Director > Senior Mgr > Mgr
    assert levels["Omar Haddad"] < levels["Sam Okoro"]  # Assistant Manager below Manager
    assert levels["Omar Haddad"] > levels["Lena Fischer"]  # ... and above Senior Associate
    assert not roster.warnings


def test_microsoft_forms_export_with_question_headers_and_a_column_that_looks_used():
    roster = tk.load_roster(EXPORTS / "microsoft_forms_question_headers.xlsx",
                            mapping={"seniority": {"preset": "consulting"}})
    people = _people(roster)
    assert people["role"].value_counts().to_dict() == {"mentee": 2, "mentor": 1, "both": 1}
    assert people.loc["joe.burns@riverbank.example", "role"] == "mentee"  # "I'm looking for a mentor"
    assert people.loc["nina.patel@riverbank.example", "role"] == "mentor"  # "I'd like to be a mentor"
    assert people.loc["joe.burns@riverbank.example", "skills_sought"] == ("Presenting", "Excel")
    assert people.loc["nina.patel@riverbank.example", "skills_offered"] == ("Coaching", "Risk analysis")
    assert not set(people["participant_id"]) & {"1", "2", "3", "4"}  # the form's ID numbers responses
    # A column the toolkit did not use, whose answers look like lists, is reported, not dropped silently.
    warned = [warning for warning in roster.warnings if warning.column == "Topics you are passionate about"]
    assert len(warned) == 1 and "look like lists" in warned[0].message
    assert "mapping:" in warned[0].fix and '"Topics you are passionate about": skills_offered' in warned[0].fix


def test_qualtrics_three_header_rows_and_selected_choice_matrix_columns():
    table = tk.read_table(EXPORTS / "qualtrics_three_header_rows_selected_choice.csv")
    assert table.shape == "qualtrics" and table.row_numbers[0] == 4
    roster = tk.load_roster(EXPORTS / "qualtrics_three_header_rows_selected_choice.csv",
                            mapping={"seniority": {"preset": "consulting"}})
    people = _people(roster)
    assert people["role"].value_counts().to_dict() == {"mentor": 2, "mentee": 2, "both": 1}
    assert people.loc["mei.chen@northwind.example", "role"] == "both"  # "Either - happy to mentor or be mentored"
    assert people.loc["kim.lee@northwind.example", "skills_offered"] == ("Python", "SQL")  # "... - offer"
    assert people.loc["ola.nowak@northwind.example", "skills_sought"] == ("Python", "Negotiation")  # "... - learn"
    reading = roster.column_reading().set_index("header")["field"]
    assert reading["Would you like to be a mentor or a mentee? - Other - Text"] == "(not used)"
    assert reading["Start Date"] == "(ignored)"


def test_hris_extract_with_civil_service_grades_knows_grade_6_is_above_grade_7():
    roster = tk.load_roster(EXPORTS / "hris_extract_civil_service_grades.csv")
    levels = roster.participants.set_index("name")["seniority"]
    assert levels["Helen Ward"] > levels["Gareth Jones"] > levels["Aisha Begum"] > levels["Marek Nowak"] > \
        levels["Ifeoma Obi"]  # G6 > G7 > SEO > HEO > EO
    assert roster.participants["role"].value_counts().to_dict() == {"mentor": 3, "mentee": 3}
    table = roster.seniority_table()
    assert list(table["grade"]) == ["EO", "HEO", "SEO", "G7", "G6"]
    assert set(table["how"]) == {"the UK Civil Service ladder (Grade 6 is above Grade 7)"}


# ------------------------------------------------------------------------------------------------
# ... or stops with the question
# ------------------------------------------------------------------------------------------------


def test_unclear_answers_stop_with_one_question_that_the_pasted_lines_settle(tmp_path):
    client_yaml = _client(tmp_path, "google_forms_unclear_answers_ask_first.csv")
    with pytest.raises(IntakeError) as caught:
        load_client(client_yaml).roster()
    error = caught.value
    asked = {(problem.column, problem.value): problem for problem in error.problems}
    role, capacity, mode = ("Would you like to be a mentor or a mentee?", "How many mentees could you take on?",
                            "How would you like to meet?")
    grade = "Your grade"  # Associate, Analyst and Director rank differently by sector
    assert set(asked) == {(role, "Mentor or mentee"), (role, "Peer mentor"), (capacity, "one or two"),
                          (mode, "Mostly online"), (mode, "In person or online"), (grade, "Associate"),
                          (grade, "Analyst"), (grade, "Director")}
    assert "2 people (rows 2, 4)" in asked[(role, "Mentor or mentee")].message
    assert "would read it as capacity = 1" in asked[(capacity, "one or two")].message
    assert "nothing was loaded" in str(error)
    # The capacity "one or two" of a mentee is not asked about (it is not used); a mentor's is (rows 2, 6).
    assert "rows 2, 6" in asked[(capacity, "one or two")].message
    # The fix is the client.yaml lines to paste; pasted under the participants entry, they settle it.
    # The seniority: block goes at the top level of client.yaml (appended after the entry, it is).
    pasted, ladder = error.fix.split("\n", 1)[1].split("\nseniority:", 1)
    settled = yaml.safe_load(textwrap.dedent(pasted))
    assert settled["mapping"]["values"]["role"] == {"Mentor or mentee": "both", "Peer mentor": "both"}
    settled["mapping"]["values"]["role"]["Peer mentor"] = "mentor"  # the consultant corrects one reading
    settled["mapping"]["values"]["capacity"]["one or two"] = 2
    text = (client_yaml.read_text(encoding="utf-8") + textwrap.indent(yaml.safe_dump(settled), "  ")
            + "seniority:" + ladder + "\n")
    client_yaml.write_text(text, encoding="utf-8")
    people = load_client(client_yaml).roster().participants.set_index("name")
    assert people.loc["Ben Cole", "role"] == "mentor" and people.loc["Ana Ruiz", "role"] == "both"
    assert people.loc["Eve Park", "capacity"] == 2 and people.loc["Ana Ruiz", "meeting_mode"] == "virtual"
    assert people.loc["Dan Ito", "meeting_mode"] == "in_person"


def test_grade_codes_ask_for_the_client_ladder_and_load_with_it(tmp_path):
    client_yaml = _client(tmp_path, "hris_extract_grade_codes_need_the_ladder.csv")
    with pytest.raises(IntakeError) as caught:
        load_client(client_yaml).roster()
    assert {problem.value for problem in caught.value.problems} == {"G4", "G5", "G7"}
    assert 'order: ["G4", "G5", "G7"]' in caught.value.fix
    # This client's ladder counts down: G7 is the most junior grade.
    client_yaml.write_text(client_yaml.read_text() + 'seniority:\n  order: ["G7", "G5", "G4"]\n')
    levels = load_client(client_yaml).roster().participants.set_index("name")["seniority"]
    assert (levels["Mia Wong"], levels["Tom Hale"], levels["Rosa Diaz"]) == (1, 2, 3)


def test_a_grade_missing_from_the_client_ladder_is_an_error_naming_the_row(tmp_path):
    client_yaml = _client(tmp_path, "hris_extract_grade_codes_need_the_ladder.csv",
                          'seniority:\n  order: ["G7", "G5"]\n')
    with pytest.raises(IntakeError) as caught:
        load_client(client_yaml).roster()
    rows = sorted(problem.row for problem in caught.value.problems)
    assert rows == [2, 6] and "not on the client's ladder" in str(caught.value)


def test_a_ladder_listing_a_grade_twice_is_a_config_error(tmp_path):
    client_yaml = _client(tmp_path, "hris_extract_grade_codes_need_the_ladder.csv",
                          "seniority:\n  order: [G7, G5, G7]\n")
    with pytest.raises(ConfigError, match='lists "G7" twice'):
        load_client(client_yaml)


def test_a_capacity_typing_slip_is_an_error_naming_the_row_not_an_overflow():
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(EXPORTS / "capacity_typing_slip.csv")
    (problem,) = caught.value.problems
    assert problem.row == 3 and problem.value == "99999999999999999999"
    assert "at most 20" in problem.message


# ------------------------------------------------------------------------------------------------
# The reading itself
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("junior, senior", [
    ("Team Leader", "Head of Sales"), ("Assistant Manager", "Manager"), ("Manager", "Senior Manager"),
    ("Graduate", "Team Leader"), ("Junior", "Senior"), ("Graduate Analyst", "Manager"), ("Head of HR", "Chief Executive"),
])
def test_the_built_in_ladder_orders_titles_every_sector_shares(junior, senior):
    assert cells.read_level(junior).sure and cells.read_level(senior).sure
    assert cells.read_level(junior).value < cells.read_level(senior).value


@pytest.mark.parametrize("title", ["Associate", "Assistant Director", "Associate Director", "Director", "VP",
                                   "Vice President", "Partner", "Analyst", "Senior Analyst", "Principal",
                                   "Consultant", "Managing Director", "Director of Finance", "Executive"])
def test_a_title_that_ranks_differently_by_sector_is_never_sure_on_its_own(title):
    assert not cells.read_level(title).sure
    assert not cells.read_levels([title, "Manager", "Senior Manager"])[title].sure


@pytest.mark.parametrize("column, unsure", [
    (["G7"], {"G7"}), (["Grade 6", "Grade 7"], {"Grade 6", "Grade 7"}), (["P3", "M2"], {"P3", "M2"}),
    (["L5"], set()), (["Grade 1", "Grade 4"], set()), (["Band 5", "Band 7"], set()),
])
def test_grade_codes_are_sure_only_when_the_column_shows_the_direction(column, unsure):
    readings = cells.read_levels(column)
    assert {answer for answer, reading in readings.items() if not reading.sure} == unsure


@pytest.mark.parametrize("text, role", [
    ("Mentee - I'd like a mentor", "mentee"), ("Mentor - I'd like to support someone", "mentor"),
    ("I'd like a mentor", "mentee"), ("Looking for a mentor", "mentee"), ("Happy to do either", "both"),
    ("I want to find a mentor", "mentee"), ("Keen to mentor others", "mentor"), ("I'd like to be mentored", "mentee"),
    ("Happy to share my experience", "mentor"), ("Either", "both"),
])
def test_sentence_roles_read_surely(text, role):
    reading = cells.read_role(text)
    assert (reading.value, reading.sure) == (role, True), reading


@pytest.mark.parametrize("text", ["Mentor or mentee", "Peer mentor", "I don't want a mentor", "Maybe a mentor later",
                                  "Mentor - I'd like a mentor"])
def test_hedged_or_contradictory_roles_are_not_sure(text):
    assert not cells.read_role(text).sure


def test_validate_prints_columns_fields_examples_roles_and_the_grade_table(capsys, tmp_path):
    mapping = tmp_path / "mapping.yaml"  # validate --file: the mapping file holds the client's ladder too
    mapping.write_text('seniority:\n  order: [["Analyst", "Associate"], "Senior Associate", "Assistant Manager", '
                       '"Manager", "Senior Manager", "Assistant Director", "Director"]\n', encoding="utf-8")
    assert main(["validate", "--file", str(EXPORTS / "google_forms_question_headers_sentence_roles.csv"),
                 "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert '"What do you want to learn?"' in out
    assert "-> skills_sought: Stakeholder management, Publi… | Python, Leadership" in out
    assert 'Columns not used: A "Timestamp" (form tool)' in out
    assert '"Mentee - I\'d like a mentor" -> mentee, 2' in out
    assert "8 participants: 3 mentors, 4 mentees, 1 both." in out
    grade_lines = [line.split()[:3] for line in out.splitlines() if "the client's ladder" in line]
    assert ["Assistant", "Director", "6"] in grade_lines
    assert "seniority:" in out and 'order: [["Analyst", "Associate"], "Senior Associate"' in out


# ------------------------------------------------------------------------------------------------
# Hypothesis: no answer is ever read with low confidence without an error
# ------------------------------------------------------------------------------------------------

ROLE_PARTS = ["Mentor", "Mentee", "Both", "either", "I'd like", "a mentor", "to support someone", "looking for",
              "not", "maybe", "peer", "or", "and", "-", "coach", "happy to", "be mentored", "share my", "Sponsor"]
MODE_PARTS = ["Virtual", "In person", "Hybrid", "No preference", "mostly", "online", "or", "Teams", "office", "either"]
CAPACITY_PARTS = ["1", "2", "3", "one", "two", "or", "up to", "-", "mentees", "0", "25", "a few"]
GRADE_PARTS = ["Manager", "Senior", "Director", "G7", "L3", "Grade 1", "Band 5", "Head of", "Associate", "SEO", "P3",
               "M2", "Wizard"]


ROLE_CLEAN = ["Mentor", "mentee", "Both", "Mentee - I'd like a mentor", "Mentor - I'd like to support someone",
              "Looking for a mentor", "Happy to do either"]
MODE_CLEAN = ["Virtual", "In person", "Hybrid", "No preference", "Teams call"]
CAPACITY_CLEAN = ["1", "2", "two", "up to 3", ""]
GRADE_CLEAN = ["Manager", "Senior Manager", "Director", "L3", "Associate", "Assistant Director", ""]


def _answer(parts, clean):
    # Everyday answers and mixtures of fragments, so that both outcomes (loaded, stopped) are common.
    return st.one_of(st.sampled_from(clean), st.sampled_from(clean),
                     st.lists(st.sampled_from(parts), min_size=1, max_size=3).map(" ".join))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_answer(ROLE_PARTS, ROLE_CLEAN), _answer(MODE_PARTS, MODE_CLEAN),
                               _answer(CAPACITY_PARTS, CAPACITY_CLEAN), _answer(GRADE_PARTS, GRADE_CLEAN)),
                     min_size=1, max_size=5))
@example(rows=[("Mentor", "Virtual", "-", "Manager")])  # a non-answer: read as missing, not as a low-confidence number
def test_no_answer_is_read_with_low_confidence_without_an_error(tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Email", "Would you like to be a mentor or a mentee?", "How would you like to meet?",
                     "How many mentees could you take on?", "Your grade"])
    for number, row in enumerate(rows):
        writer.writerow([f"person{number}@client.example", *row])
    path = tmp_path / "signups.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        roster = tk.load_roster(path)
    except IntakeError as error:
        assert error.problems  # stopped, saying why
        return
    people = roster.participants.set_index("email")
    grades = cells.read_levels(row[3] for row in rows)
    for number, (role, mode, capacity, grade) in enumerate(rows):
        person = people.loc[f"person{number}@client.example"]
        readings = {"role": cells.read_role(role), "meeting_mode": cells.read_meeting_mode(mode),
                    "seniority": grades[grade]}
        if person["role"] != "mentee":
            readings["capacity"] = cells.read_capacity(capacity)
        answers = {"role": role, "meeting_mode": mode, "seniority": grade, "capacity": capacity}
        for name, reading in readings.items():
            if cells.non_answer(answers[name], name):  # "-", "N/A", "Prefer not to say": read as missing, warned
                assert person[name] is None or person[name] != person[name], (name, answers[name], person[name])
                continue
            assert reading.confidence >= SURE, (name, reading)
            assert person[name] == reading.value
    assert all(answer.reading.sure or answer.reading.missing for answer in roster.answers)


def test_every_sample_client_reads_every_rule_answer_surely():
    for client_yaml in sorted(tk.resources.sample_data_dir().glob("*/client.yaml")):
        roster = load_client(client_yaml).roster()
        unclear = [answer for answer in roster.answers if answer.reading.how != "blank" and not answer.reading.sure]
        assert not unclear, (client_yaml, unclear)
        assert schema.ROLES  # the vocabulary the readings use


def test_an_unrecognised_role_question_is_named_in_the_error_with_the_mapping_that_uses_it(tmp_path):
    path = tmp_path / "signups.csv"
    path.write_text("Email Address,Name,Which best describes you?\n"
                    "a@x.example,A,I'd like a mentor\nb@x.example,B,Happy to mentor someone\n", encoding="utf-8")
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(path)
    hint = next(problem for problem in caught.value.problems if problem.column == "Which best describes you?")
    assert "look like mentor/mentee answers" in hint.message
    assert '"Which best describes you?": role' in hint.fix
    roster = tk.load_roster(path, mapping={"columns": {"Which best describes you?": "role"}})
    assert list(roster.participants["role"]) == ["mentee", "mentor"]


def test_a_pasted_reading_left_unchosen_is_named_before_anything_loads(tmp_path):
    mapping = {"values": {"role": {"Peer mentor": "(choose)"}, "capacity": {"one or two": 99}}}
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(EXPORTS / "google_forms_unclear_answers_ask_first.csv", mapping)
    messages = [problem.message for problem in caught.value.problems]
    assert any('role: "Peer mentor" is \'(choose)\', which is not mentor, mentee or both' in m for m in messages)
    assert any("capacity" in m and "99" in m for m in messages)


def test_lenient_loading_still_asks_about_unclear_answers():
    with pytest.raises(IntakeError, match="not clear enough to read without asking"):
        tk.load_roster(EXPORTS / "google_forms_unclear_answers_ask_first.csv", lenient=True)
