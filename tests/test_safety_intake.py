"""Careless and hostile participant files: control characters, CR/LF and braces in ids and names, emails
as ids, huge cells, folders named as files, mixed encodings, Excel instruction sheets, merged and
uncalculated formula cells, ambiguous and implausible dates."""

from __future__ import annotations

import csv

import openpyxl
import pytest

import toolkit as tk
from toolkit.design.model import ProgramDesign
from toolkit.errors import IntakeError, SurveyError
from toolkit.files import FORMULA_PREFIXES
from toolkit.intake.tables import read_table
from toolkit.matching.exports import export_match
from toolkit.measure.survey import load_survey
from toolkit.resources import sample_data_dir

HEADER = ["Employee ID", "Full Name", "Work Email", "Department", "Programme Role", "Max Mentees",
          "Programme Start Date"]


def _people(count: int = 12) -> list[list[str]]:
    rows = [list(HEADER)]
    for number in range(count):
        role = "Mentor" if number % 3 == 0 else "Mentee"
        rows.append([f"E{number:03d}", f"Person {number}", f"p{number}@acme.example", ["Sales", "Finance"][number % 2],
                     role, "2" if role == "Mentor" else "", "2026-03-02"])
    return rows


def _write(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as stream:
        csv.writer(stream).writerows(rows)
    return path


def _cells(folder):
    found = []
    for path in folder.rglob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            found += [cell for row in csv.reader(stream) for cell in row]
    for path in folder.rglob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                    if cell.value is not None:
                        found.append(str(cell.value))
    return found


def test_escape_bell_cr_lf_and_braces_in_ids_and_names_are_cleaned_with_warnings_and_match_exports(tmp_path):
    rows = _people()
    rows[1][1] = "Ana\x1b[31m Li\x07"
    rows[2][0] = "E001\r=cmd|' /C calc'!A0"
    rows[3][1] = "{{ config }} Bo\nChen"
    path = _write(tmp_path / "people.csv", rows)
    roster = tk.load_roster(path)
    warnings = [problem.describe() for problem in roster.warnings]
    assert any("control characters" in text and "row 2 column B" in text for text in warnings)
    assert any("row 3" in text and "braces" in text for text in warnings)
    assert any("row 4" in text and "braces" in text for text in warnings)
    names = dict(zip(roster.participants["participant_id"], roster.participants["name"]))
    assert names["E000"] == "Ana[31m Li"
    assert "E001 =cmd|' /C calc'!A0" in names
    assert names["E002"] == "config Bo Chen"
    result = tk.match(roster, ProgramDesign.from_template("formal"))
    export_match(result, tmp_path / "out")
    cells = _cells(tmp_path / "out")
    assert not any(part.startswith(FORMULA_PREFIXES) for cell in cells for part in cell.split("\n"))
    assert not any("\x1b" in cell or "\x07" in cell or "{" in cell for cell in cells)


def test_emails_in_the_id_column_with_blank_names_never_reach_the_exports(tmp_path):
    rows = _people()
    for row in rows[1:]:
        row[0], row[1], row[2] = row[2], "", ""
    path = _write(tmp_path / "people.csv", rows)
    roster = tk.load_roster(path)
    assert any("id holds an email" in problem.message and problem.row == 2 for problem in roster.warnings)
    assert all(str(pid).startswith("P-") for pid in roster.participants["participant_id"])
    result = tk.match(roster, ProgramDesign.from_template("formal"))
    export_match(result, tmp_path / "out")
    assert not [cell for cell in _cells(tmp_path / "out") if "@" in cell]


def test_a_cell_over_131072_characters_is_read_not_a_traceback(tmp_path):
    rows = _people(3)
    rows[1][1] = "x" * 200_000
    table = read_table(_write(tmp_path / "people.csv", rows))
    assert len(table.rows[0][1]) == 200_000


@pytest.mark.parametrize("name", ["participants.csv", "folder"])
def test_a_folder_given_as_the_participant_file_is_a_clear_error(tmp_path, name):
    (tmp_path / name).mkdir()
    with pytest.raises(IntakeError, match="is a folder, not a file"):
        tk.load_roster(tmp_path / name)


def test_a_file_mixing_utf8_and_cp1252_reads_each_line_in_its_own_encoding_with_a_warning(tmp_path):
    rows = _people(4)
    rows[1][1], rows[3][1] = "José Núñez", "Zoë Brontë"
    lines = [",".join(row).encode("utf-8") for row in rows[:3]] + [",".join(row).encode("cp1252") for row in rows[3:]]
    path = tmp_path / "people.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    table = read_table(path)
    assert [row[1] for row in table.rows][:3] == ["José Núñez", "Person 1", "Zoë Brontë"]
    assert any("mixes two text encodings" in problem.message and "line 4" in problem.message
               for problem in table.warnings)
    assert any("mixes two text encodings" in problem.message for problem in tk.load_roster(path).warnings)


def _workbook(tmp_path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "signups.xlsx"
    book.save(path)
    return path, book


def test_a_first_instructions_sheet_is_skipped_for_the_data_sheet(tmp_path):
    instructions = [["How to fill in this form"], ["1. One row per person"], ["2. Use your work email"]]
    path, _ = _workbook(tmp_path, {"Instructions": instructions, "Sign-ups": _people(6)})
    table = read_table(path)
    assert table.sheet == "Sign-ups" and len(table.rows) == 6


def test_two_data_sheets_are_an_error_naming_both(tmp_path):
    path, _ = _workbook(tmp_path, {"Mentors": _people(3), "Mentees": _people(5)})
    with pytest.raises(IntakeError, match=r'"Mentors" \(3 rows\), "Mentees" \(5 rows\).*sheet:'):
        read_table(path)
    assert read_table(path, sheet="Mentees").sheet == "Mentees"


def test_merged_cells_are_filled_and_reported(tmp_path):
    rows = _people(4)
    rows[2][3] = rows[3][3] = None
    path, book = _workbook(tmp_path, {"Data": rows})
    book["Data"].merge_cells("D2:D4")
    book.save(path)
    table = read_table(path)
    assert [row[3] for row in table.rows[:3]] == ["Sales"] * 3
    assert any("merged cells D2:D4" in problem.message for problem in table.warnings)


def test_formula_cells_without_cached_values_are_an_error_not_blanks(tmp_path):
    rows = _people(3)
    rows[1][5] = "=1+1"  # openpyxl writes formulas without a calculated value, as many export scripts do
    path, _ = _workbook(tmp_path, {"Data": rows})
    with pytest.raises(IntakeError, match=r"formula saved without a calculated value \(F2\)"):
        read_table(path)


@pytest.mark.parametrize("value, message", [
    ("03/04/2026", "could be 3 April 2026 or 4 March 2026"),
    ("March 2026", "a month without a day"),
    ("1900-01-01", "year 1900 is not a plausible"),
    ("31/12/9999", "year 9999 is not a plausible"),
])
def test_ambiguous_and_implausible_dates_are_refused_with_the_row_named(tmp_path, value, message):
    rows = _people(4)
    for row in rows[1:]:
        row[6] = "02/03/2026"  # also ambiguous, so nothing settles the column
    rows[3][6] = value
    with pytest.raises(IntakeError, match="row 4") as caught:
        tk.load_roster(_write(tmp_path / "people.csv", rows))
    assert message in str(caught.value)


def test_the_clients_date_format_settles_slashed_dates(tmp_path):
    rows = _people(4)
    for row in rows[1:]:
        row[6] = "03/04/2026"
    path = _write(tmp_path / "people.csv", rows)
    day_first = tk.load_roster(path, date_format="DMY").participants["start_date"].iloc[0]
    month_first = tk.load_roster(path, date_format="MDY").participants["start_date"].iloc[0]
    assert (str(day_first), str(month_first)) == ("2026-04-03", "2026-03-04")
    folder = tmp_path / "client"
    folder.mkdir()
    _write(folder / "participants.csv", rows)
    (folder / "client.yaml").write_text("client: Acme\nprogramme:\n  template: formal\nparticipants:\n"
                                        "- path: participants.csv\ndate_format: MDY\n")
    assert str(tk.load_client(folder).roster().participants["start_date"].iloc[0]) == "2026-03-04"


@pytest.mark.parametrize("answer", ["NaN", "inf", "1e400"])
def test_an_nps_answer_of_nan_is_a_clear_error(tmp_path, answer):
    source = sample_data_dir() / "northwind" / "survey_end.csv"
    with open(source, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[3][rows[0].index("NPS")] = answer
    path = _write(tmp_path / "survey_end.csv", rows)
    with pytest.raises(SurveyError, match=f"row 4.*{answer}"):
        load_survey(path, "end_of_programme")


def test_errors_about_an_excel_file_name_the_worksheet_read(tmp_path):
    path, _ = _workbook(tmp_path, {"Sign-ups": [["What is your favourite colour?", "Why?"], ["Blue", "Calm"]]})
    with pytest.raises(IntakeError, match='signups.xlsx \\(worksheet "Sign-ups"\\)'):
        tk.load_roster(path)
    path, _ = _workbook(tmp_path, {"Data": [[None]]})
    with pytest.raises(IntakeError, match='worksheet "Data", is empty'):
        read_table(path)
