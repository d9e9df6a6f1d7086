"""Intake: reading what clients send, mapping columns, and never losing a row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit import intake
from toolkit.errors import IntakeError
from toolkit.intake import cells, schema

FIXTURES = Path(__file__).parent / "fixtures" / "intake"


# ------------------------------------------------------------------------------------------------
# Real export shapes
# ------------------------------------------------------------------------------------------------


def test_google_forms_export_maps_every_question_automatically():
    roster = tk.load_roster(FIXTURES / "google_forms_signup.csv")
    table = tk.read_table(FIXTURES / "google_forms_signup.csv")
    assert table.shape == "google_forms"
    people = roster.participants.set_index("email")
    assert list(people["role"]) == ["mentor", "mentee", "both"]
    assert people.loc["ana.silva@lumen.example", "skills_offered"] == ("Python", "System design")
    assert people.loc["ana.silva@lumen.example", "languages"] == ("English", "Portuguese")
    assert people.loc["ben.okafor@lumen.example", "meeting_mode"] == "no_preference"
    assert people.loc["chen.wei@lumen.example", "capacity"] == 1
    # The timestamp is a form-tool column, deliberately ignored; the free-text answer is kept as notes.
    mapping = roster.mappings["google_forms_signup.csv"]
    assert table.headers.index("Timestamp") in mapping.ignored
    assert people.loc["ben.okafor@lumen.example", "notes"] == "Keen!"


def test_microsoft_forms_export_ignores_response_id_and_splits_trailing_semicolons():
    # Director and Executive rank differently by sector: the client's ladder says where they are.
    roster = tk.load_roster(FIXTURES / "microsoft_forms_signup.xlsx",
                            seniority_order=["Analyst", "Manager", "Senior Manager", "Head", "Head of", "Director",
                                             "VP", "Executive"])
    assert tk.read_table(FIXTURES / "microsoft_forms_signup.xlsx").shape == "microsoft_forms"
    people = roster.participants.set_index("email")
    # "ID" in a Microsoft Forms export numbers responses; it must not become the participant id.
    assert not set(people["participant_id"]) & {"1", "2", "3"}
    assert people.loc["dev.patel@riverbank.example", "skills_offered"] == ("Social media", "Generative AI tools")
    assert people.loc["margaret.hughes@riverbank.example", "seniority"] == 6  # "Director"
    assert people.loc["tom.reid@riverbank.example", "seniority"] == 8  # "Executive"
    assert people.loc["dev.patel@riverbank.example", "capacity"] == 2


def test_qualtrics_export_skips_its_header_rows_and_resolves_ranked_preferences():
    roster = tk.load_roster(FIXTURES / "qualtrics_signup.csv")
    table = tk.read_table(FIXTURES / "qualtrics_signup.csv")
    assert table.shape == "qualtrics"
    assert table.row_numbers == [4, 5, 6]  # data starts below the three header rows
    people = roster.participants.set_index("email")
    raj, kim = people.loc["raj.iyer@northwind.example", "participant_id"], people.loc[
        "kim.lee@northwind.example", "participant_id"]
    # Two ranked columns feed one list, in column order; by email and by name.
    assert people.loc["ola.nowak@northwind.example", "preferences"] == (raj, kim)
    assert people.loc["kim.lee@northwind.example", "timezone"] == "UTC+08:00"
    assert people.loc["raj.iyer@northwind.example", "timezone"] == "Asia/Kolkata"
    assert people.loc["ola.nowak@northwind.example", "timezone"] == "Europe/Amsterdam"


def test_cp1252_semicolon_extract_with_title_and_blank_rows_keeps_spreadsheet_row_numbers():
    table = tk.read_table(FIXTURES / "hris_cp1252_semicolon.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.row_numbers == [4, 5, 7] and table.blank_rows == [6]
    roster = tk.load_roster(FIXTURES / "hris_cp1252_semicolon.csv")
    people = roster.participants.set_index("participant_id")
    assert people.loc["1001", "name"] == "Jürgen Müller"  # first + last name joined, accents intact
    assert list(people["source_row"]) == [4, 5, 7]
    assert people.loc["1002", "seniority"] == 2 and people.loc["1003", "seniority"] == 3
    assert people.loc["1001", "seniority"] == 5  # "Senior Manager", not "Manager"
    assert people.loc["1002", "start_date"] == dt.date(2026, 1, 13)  # day first: 13 cannot be a month
    assert people.loc["1002", "manager_id"] == "1001" and people.loc["1001", "manager_id"] is None
    assert roster.intake_summary().iloc[0]["blank rows skipped"] == 1


def test_utf16_tab_separated_unicode_text_export():
    roster = tk.load_roster(FIXTURES / "excel_unicode_text_utf16.txt")
    people = roster.participants.set_index("email")
    assert people.loc["aiko.tanaka@lumen.example", "name"] == "田中 愛子"
    assert people.loc["aiko.tanaka@lumen.example", "timezone"] == "Asia/Tokyo"
    assert people.loc["aiko.tanaka@lumen.example", "availability"] == ("Mon 09:00-11:00", "Thu 13:00-17:00")
    assert len(people.loc["li.na@lumen.example", "availability"]) == 5


def test_mentor_and_mentee_files_merge_one_person_into_role_both():
    roster = tk.load_roster([FIXTURES / "mentor_signups.csv", FIXTURES / "mentee_signups.csv"],
                            role=["mentor", "mentee"])
    people = roster.participants.set_index("email")
    lee = people.loc["lee.chan@northwind.example"]
    assert lee["role"] == "both"
    assert lee["skills_offered"] == ("Negotiation",) and lee["skills_sought"] == ("Leadership",)
    # A preference in the mentee file resolves to a mentor in the mentor file.
    assert people.loc["sam.ortiz@northwind.example", "preferences"] == (people.loc["pat.kim@northwind.example",
                                                                                    "participant_id"],)
    outcomes = roster.row_outcomes.set_index(["source", "row"])["outcome"]
    assert outcomes[("mentee_signups.csv", 3)] == "merged"
    assert any("merged into one participant" in warning.message for warning in roster.warnings)


def test_ambiguous_columns_need_an_explicit_mapping_and_load_with_one():
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(FIXTURES / "ambiguous_headers.csv")
    message = str(caught.value)
    assert 'columns "Email" and "Email address" both look like "email"' in message
    assert 'mapping:\n        columns:\n          "Email": email\n          "Email address": ignore' in message
    assert "no column holds an id" not in message  # a consequence, not a second problem
    roster = tk.load_roster(FIXTURES / "ambiguous_headers.csv",
                            mapping={"Email": "email", "Email address": "ignore", "Skills": "skills_offered"})
    assert roster.participants.loc[0, "skills_offered"] == ("Python",)
    assert roster.participants.loc[0, "email"] == "a@x.example"


# ------------------------------------------------------------------------------------------------
# Every problem reported at once, with row, column, value and fix
# ------------------------------------------------------------------------------------------------

EXPECTED_PROBLEMS = [
    # (row, column header, value, words in the message)
    (3, "Work Email", "bad.email@", "not a valid email address"),
    (4, "Programme Role", "Sponsor", "not a role"),
    (5, "Mentee capacity", "0", "whole number of mentees, 1 or more"),
    (6, "Time Zone", "Atlantis/Underwater", "not a time zone"),
    (7, "Do not match with", "E6", "lists themselves"),
    (8, "Employee ID", "E1", "same id is already on row 2"),
    (9, "Work Email", "good.mentor@x.example", "same email address is already on row 2"),
    (10, None, None, "neither an id nor an email"),
    (11, "Programme Role", None, "role is empty"),
    (12, "Job Level", "Wizard", "not a seniority level"),
    (13, "Meeting preference", "Carrier pigeon", "not a meeting mode"),
    (14, "Availability", "Someday", "does not start with a day"),
    (15, "Preferred mentors", "E99", "no participant has that id"),
    (16, "Manager ID", "E15", "their own manager"),
    (17, "Preferred mentors", "E5", "not a mentor"),
    (18, "Consent", "Maybe", "not a clear yes/no answer"),
    (19, "Mentee capacity", "1.5", "whole number"),
]


def test_broken_file_raises_one_error_listing_every_problem_where_the_user_sees_it():
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(FIXTURES / "broken_every_problem.csv")
    error = caught.value
    assert "17 problems in 17 rows; nothing was loaded" in str(error)
    found = {(problem.row, problem.column): problem for problem in error.problems}
    assert len(error.problems) == len(EXPECTED_PROBLEMS)
    for row, column, value, words in EXPECTED_PROBLEMS:
        problem = found[(row, column)]
        assert words in problem.message, (row, problem.message)
        assert problem.fix, f"row {row} has no fix"
        assert problem.path.endswith("broken_every_problem.csv")
        if value is not None:
            assert str(problem.value) == value
        if column is not None:
            assert problem.column_letter == intake.column_letter(
                tk.read_table(FIXTURES / "broken_every_problem.csv").headers.index(column))
    # The message shows each problem with its location and fix, in row order.
    lines = [line for line in str(error).splitlines() if line.strip()[:1].isdigit()]
    assert [int(line.split("row ")[1].split(",")[0].split(":")[0]) for line in lines] == sorted(
        row for row, *_ in EXPECTED_PROBLEMS)
    assert all("Fix:" in line for line in lines)
    frame = error.problems_frame()
    assert list(frame.columns) == ["path", "row", "column_letter", "column", "value", "message", "fix"]


def test_lenient_loading_sets_bad_rows_aside_and_accounts_for_every_row():
    roster = tk.load_roster(FIXTURES / "broken_every_problem.csv", lenient=True)
    # Rows 2 (fine), 15 (its only problem, an unknown preference, is dropped with a warning) and
    # 17 (a preference for a non-mentor, likewise) load; row 20 did not consent; the rest are rejected.
    assert sorted(roster.participants["source_row"]) == [2, 15, 17]
    rejected = roster.rejected.set_index("row")
    assert "did not consent" in rejected.loc[20, "reasons"]
    assert "not a valid email address" in rejected.loc[3, "reasons"]
    assert rejected.loc[3, "raw"]["Work Email"] == "bad.email@"
    assert set(roster.row_outcomes["row"]) == set(range(2, 21))
    assert roster.intake_summary().iloc[0][["rows", "loaded", "rejected"]].tolist() == [19, 3, 16]
    assert any(warning.value == "E99" and "left out" in warning.message for warning in roster.warnings)


def test_resubmitted_form_keeps_the_latest_answer_when_asked(tmp_path):
    path = tmp_path / "resubmitted.csv"
    path.write_text("Email,Name,Role,Skills I want to develop\n"
                    "a@x.example,Ann,Mentee,Python\n"
                    "b@x.example,Bob,Mentor,\n"
                    "a@x.example,Ann,Mentee,SQL\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="same email address is already on row 2"):
        tk.load_roster(path)
    roster = tk.load_roster(path, on_duplicate="keep_last")
    assert roster.participants.set_index("email").loc["a@x.example", "skills_sought"] == ("SQL",)
    assert roster.rejected.iloc[0]["row"] == 2 and "superseded by row 4" in roster.rejected.iloc[0]["reasons"]
    with pytest.raises(IntakeError, match='on_duplicate must be one of "error", "keep_last", "keep_first"'):
        tk.load_roster(path, on_duplicate="newest")


def test_a_value_with_an_unquoted_delimiter_is_reported_not_shifted(tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text("Email;Name;Role;Skills I can offer;Capacity\n"
                    "a@x.example;Ann;Mentor;FP&A; Python;2\n"
                    "b@x.example;Bob;Mentee;;\n", encoding="utf-8")
    with pytest.raises(IntakeError) as caught:
        tk.load_roster(path)
    problem = caught.value.problems[0]
    assert problem.row == 2 and "more cell(s) than the header" in problem.message and "';'" in problem.message


def test_mapping_file_with_value_translations_for_client_grades(tmp_path):
    data = tmp_path / "grades.csv"
    data.write_text("Mail,Who,Type,Grade\nx@c.example,X,Mentor,Grade A\ny@c.example,Y,Mentee,Grade D\n")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  Mail: email\n  Who: name\n  Type: role\n  Grade: seniority\n"
                       "values:\n  seniority:\n    Grade A: 7\n    Grade D: 2\n")
    roster = tk.load_roster(data, mapping)
    assert list(roster.participants["seniority"]) == [7, 2]


def test_mapping_to_an_unknown_field_suggests_the_right_one():
    with pytest.raises(IntakeError, match='Did you mean "skills_sought"'):
        tk.load_roster(FIXTURES / "google_forms_signup.csv", mapping={"Your time zone": "skills_saught"})
    with pytest.raises(IntakeError, match='Did you mean "Your time zone"'):
        tk.load_roster(FIXTURES / "google_forms_signup.csv", mapping={"Your timezone!": "timezone"})


def test_missing_and_unreadable_files_say_what_to_do(tmp_path):
    with pytest.raises(IntakeError, match='Did you mean "google_forms_signup.csv"'):
        tk.load_roster(FIXTURES / "google_form_signup.csv")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(IntakeError, match="Save As > Excel Workbook"):
        tk.load_roster(old)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(IntakeError, match="empty"):
        tk.load_roster(empty)


def test_file_without_role_column_needs_a_role_argument(tmp_path):
    path = tmp_path / "mentors_only.csv"
    path.write_text("Email,Name\nm@x.example,M\n")
    with pytest.raises(IntakeError, match='role="mentor"'):
        tk.load_roster(path)
    assert tk.load_roster(path, role="mentor").participants.loc[0, "role"] == "mentor"


# ------------------------------------------------------------------------------------------------
# Cell parsers
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, role", [
    ("Mentor ", "mentor"), ("mentee", "mentee"), ("MENTEE", "mentee"), ("Both", "both"), ("Either", "both"),
    ("Peer", "both"), ("I'd like to be mentored", "mentee"), ("Mentor and mentee", "both"),
    ("Protégé", "mentee"), ("Reverse mentor", "mentor"), ("Circle facilitator", "mentor"),
])
def test_role_spellings(text, role):
    assert cells.read_role(text).value == role


@pytest.mark.parametrize("text, value", [
    ("Yes", True), ("y", True), ("TRUE", True), ("x", True), ("✓", True), ("I agree", True),
    ("No", False), ("n", False), ("FALSE", False), ("0", False), ("", None), ("  ", None),
    ("Maybe later", None), ("Not sure", None),
])
def test_yes_no_variants(text, value):
    assert cells.parse_bool(text) is value


def test_consent_needs_a_clear_yes_or_no():
    with pytest.raises(cells.CellProblem, match="clear yes/no"):
        cells.parse_bool("Maybe", allow_unsure=False)


@pytest.mark.parametrize("text, zone", [
    ("Europe/London", "Europe/London"), ("europe/london", "Europe/London"), ("London", "Europe/London"),
    ("America/New York", "America/New_York"), ("EST", "America/New_York"), ("IST", "Asia/Kolkata"),
    ("UTC+5:30", "UTC+05:30"), ("GMT-5", "UTC-05:00"), ("+01:00", "UTC+01:00"), ("UTC", "UTC"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"), ("(UTC+05:45) Kathmandu", "Asia/Kathmandu"),
    ("Bengaluru", "Asia/Kolkata"),
    ("(UTC+08:00) Singapore", "Asia/Singapore"),
])
def test_time_zone_variants(text, zone):
    assert cells.parse_timezone(text) == zone


def test_unknown_time_zone_suggests_a_close_one():
    with pytest.raises(cells.CellProblem, match="Europe/London"):
        cells.parse_timezone("Europe/Londn")


@pytest.mark.parametrize("text, windows", [
    ("Mon 09:00-11:00", ("Mon 09:00-11:00",)),
    ("Tue AM; Thu PM", ("Tue 09:00-12:00", "Thu 13:00-17:00")),
    ("Mon/Wed 14-16", ("Mon 14:00-16:00", "Wed 14:00-16:00")),
    ("Friday 2pm-4pm", ("Fri 14:00-16:00",)),
    ("Mon-Wed 9:30-10:30", ("Mon 09:30-10:30", "Tue 09:30-10:30", "Wed 09:30-10:30")),
])
def test_availability_windows(text, windows):
    assert tuple(cells.parse_availability(text)) == windows


@pytest.mark.parametrize("text, level", [
    ("3", 3), ("L4", 4), ("Level 2", 2), ("Band 5", 5), ("Senior Manager", 5), ("Manager", 4), ("VP", 7),
    ("Graduate Analyst", 1), ("Analyst", 2), ("Chief Executive", 8), ("Director of Finance", 6),
])
def test_seniority_from_numbers_grades_and_titles(text, level):
    assert cells.read_level(text).value == level


@pytest.mark.parametrize("text, items", [
    ("Python; SQL", ["Python", "SQL"]), ("Python, SQL", ["Python", "SQL"]), ("Python;SQL;", ["Python", "SQL"]),
    ("python; Python", ["python"]), (" A |B\nC ", ["A", "B", "C"]), ("", []),
])
def test_multi_select_cells(text, items):
    assert cells.split_list(text) == items


def test_header_wordings_map_to_one_field_each():
    for header, name in [("Work Email", "email"), ("Manager email", "manager_id"), ("Job title", "job_title"),
                         ("What skills can you offer?", "skills_offered"), ("Q7 - Skills to develop", "skills_sought"),
                         ("Preferred mentor - 1st choice", "preferences"), ("Time zone", "timezone"),
                         ("Would you like to be a mentor or a mentee?", "role"), ("Grade", "seniority")]:
        matches = schema.match_header(header)
        assert matches and matches[0][0] == name, (header, matches)
        assert len([m for m in matches if m[1] == matches[0][1]]) == 1, (header, matches)


# ------------------------------------------------------------------------------------------------
# Hypothesis: round trip of valid people through messy files, and the accounting invariant
# ------------------------------------------------------------------------------------------------

HEADER_WORDINGS = {
    "email": ["Email", "Work Email", "Email Address", "E-mail"],
    "name": ["Name", "Full Name", "What is your name?"],
    "role": ["Role", "Programme Role", "Would you like to be a mentor or a mentee?"],
    "department": ["Department", "Which department are you in?", "Dept"],
    "skills_offered": ["Skills I can offer", "What skills can you offer?", "Expertise"],
    "skills_sought": ["Skills I want to develop", "What skills would you like to develop?"],
    "capacity": ["Capacity", "How many mentees can you take?", "Mentee capacity"],
    "timezone": ["Time zone", "Timezone"],
}
ROLE_SPELLINGS = {"mentor": ["Mentor", "mentor ", " MENTOR"], "mentee": ["Mentee", "mentee", "MENTEE "],
                  "both": ["Both", "both"]}
SKILLS = ["Python", "SQL", "FP&A", "Negotiation", "Public speaking", "Data literacy", "Coaching"]
ZONES = ["Europe/London", "America/New_York", "Asia/Singapore", "Asia/Kolkata", "UTC"]
NAME_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéüñøç -'"))


@st.composite
def valid_people(draw):
    count = draw(st.integers(1, 12))
    people = []
    for index in range(count):
        role = draw(st.sampled_from(["mentor", "mentee", "both"]))
        name = draw(st.text(NAME_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)).title()
        people.append({
            "email": f"person{index}@client.example",
            "name": " ".join(name.split()),
            "role": role,
            "department": draw(st.sampled_from(["Finance", "Sales", "Operations"])),
            "skills_offered": tuple(draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=3)))
            if role != "mentee" else (),
            "skills_sought": tuple(draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=3))),
            "capacity": draw(st.integers(1, 3)) if role != "mentee" else None,
            "timezone": draw(st.sampled_from(ZONES)),
        })
    return people


@st.composite
def file_style(draw):
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return {
        "encoding": encoding,
        "delimiter": draw(st.sampled_from([",", ";", "\t"])),
        "separator": draw(st.sampled_from(["; ", ", ", ";", "|"])),
        "headers": {name: draw(st.sampled_from(wordings)) for name, wordings in HEADER_WORDINGS.items()},
        "title_row": draw(st.booleans()),
        "pad": draw(st.sampled_from(["", " ", "  "])),
    }


def _write(path: Path, rows: list[list[str]], style: dict) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=style["delimiter"], lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(style["encoding"]))



@pytest.mark.slow
@given(people=valid_people(), style=file_style(), data=st.data())
def test_valid_people_survive_any_file_style_unchanged(tmp_path, people, style, data):
    fields = list(HEADER_WORDINGS)
    rows = [["Mentoring sign-ups"]] if style["title_row"] else []
    rows.append([style["headers"][name] for name in fields])
    for person in people:
        cells = []
        for name in fields:
            value = person[name]
            if name == "role":
                value = data.draw(st.sampled_from(ROLE_SPELLINGS[value]))
            elif isinstance(value, tuple):
                value = style["separator"].join(value) + (";" if style["separator"] == ";" and value else "")
            elif value is None:
                value = ""
            cells.append(style["pad"] + str(value) + style["pad"])
        rows.append(cells)
    path = tmp_path / "people.csv"
    _write(path, rows, style)
    roster = tk.load_roster(path)
    loaded = roster.participants.set_index("email")
    assert len(loaded) == len(people)
    for person in people:
        row = loaded.loc[person["email"]]
        for name in fields:
            if name == "email":
                continue
            assert row[name] == person[name], (name, row[name], person[name])


JUNK = st.one_of(
    st.sampled_from(["", " ", "Mentor", "mentee", "Both", "Sponsor", "2", "0", "-1", "1.5", "Python; SQL",
                     "Europe/London", "Mars/Base", "bad@", "x@y.example", "Mon AM", "Someday", '"quoted, value"',
                     "line\nbreak", "=SUM(A1)", "E1", "Yes", "Maybe"]),
    st.text(max_size=8),
)



@pytest.mark.slow
@given(
    rows=st.lists(st.lists(JUNK, min_size=6, max_size=6), min_size=1, max_size=15),
    blank_positions=st.lists(st.integers(0, 15), max_size=3),
    delimiter=st.sampled_from([",", ";"]),
    lenient=st.booleans(),
    on_duplicate=st.sampled_from(["error", "keep_last", "keep_first"]),
)
def test_every_non_blank_row_is_loaded_merged_or_rejected_with_a_reason(
        tmp_path, rows, blank_positions, delimiter, lenient, on_duplicate):
    header = ["Employee ID", "Email", "Role", "Mentee capacity", "Time Zone", "Preferred mentors"]
    grid = [list(row) for row in rows]
    for position in sorted(set(blank_positions), reverse=True):
        grid.insert(min(position, len(grid)), [""] * 6)
    path = tmp_path / "messy.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([header] + grid)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table = tk.read_table(path)
    data_rows = set(table.row_numbers)
    try:
        roster = tk.load_roster(path, lenient=lenient, on_duplicate=on_duplicate)
    except IntakeError as error:
        assert not lenient or not error.problems or all(problem.row is None for problem in error.problems)
        # Strict loading: every problem points at a real data row (or at the whole file).
        assert all(problem.row is None or problem.row in data_rows for problem in error.problems)
        assert all(problem.fix for problem in error.problems)
        return
    outcomes = roster.row_outcomes
    assert sorted(outcomes["row"]) == sorted(data_rows)  # each non-blank row exactly once
    assert set(outcomes["outcome"]) <= {"loaded", "merged", "rejected"}
    loaded = outcomes[outcomes["outcome"] == "loaded"]
    assert sorted(loaded["participant_id"]) == sorted(roster.participants["participant_id"])
    assert roster.participants["participant_id"].is_unique
    rejected = outcomes[outcomes["outcome"] == "rejected"]
    assert (rejected["reason"].str.len() > 0).all()
    assert len(roster.rejected) == len(rejected)
    ids = set(roster.participants["participant_id"])
    for preferences in roster.participants["preferences"]:
        assert set(preferences) <= ids  # no dangling references survive


def test_a_table_read_again_is_the_same_and_a_changed_file_or_limit_is_read_afresh(tmp_path):
    """read_table keeps recent tables by their bytes: a caller's changes to its copy, a file rewritten at once with
    other bytes of the same length, and lower read limits are all seen by the next read."""
    from toolkit.intake.readers import reading_limits

    path = tmp_path / "log.csv"
    path.write_text("Pair ID,Date\nP1,2026-03-02\nP2,2026-03-09\n", encoding="utf-8")
    first = tk.read_table(path)
    first.rows[0][0] = "changed by a caller"
    first.warnings.append("a caller's note")
    again = tk.read_table(path)
    assert again.rows == [["P1", "2026-03-02"], ["P2", "2026-03-09"]] and again.warnings == []
    assert again == tk.read_table(path) and again is not tk.read_table(path)
    path.write_text("Pair ID,Date\nP9,2026-03-02\nP2,2026-03-09\n", encoding="utf-8")  # same length, same tick
    assert tk.read_table(path).rows[0] == ["P9", "2026-03-02"]
    with reading_limits(max_columns=1), pytest.raises(IntakeError, match="columns"):
        tk.read_table(path)
    assert len(tk.read_table(path).headers) == 2
