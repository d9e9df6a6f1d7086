"""Hostile text in exports: carriage returns, control characters, formula prefixes inside a cell, permissions."""

from __future__ import annotations

import csv
import os
import stat

import openpyxl
import pandas as pd
import pytest

from toolkit import files

ATTACK = "ok\r=cmd|' /C calc'!A0"


def _csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _starts_formula(text: str) -> bool:
    return any(part.startswith(files.FORMULA_PREFIXES) for part in text.replace("\t", "\n").split("\n"))


def test_a_carriage_return_in_a_cell_neither_splits_the_row_nor_starts_a_formula(tmp_path):
    frame = pd.DataFrame({"participant_id": [ATTACK, "P2"], "goal": ["grow\n+1", "x"]})
    path = files.write_csv(frame, tmp_path / "pairs.csv")
    rows = _csv_rows(path)
    assert len(rows) == 3  # header + two rows: nothing split
    assert not any(_starts_formula(cell) for row in rows for cell in row)
    # A naive line-by-line reader (no quote handling) sees no line starting with a formula either.
    raw = path.read_bytes().decode("utf-8-sig")
    assert "\r" not in raw
    assert not any(line.startswith(("=", "+", "-", "@")) for line in raw.split("\n"))


def test_escape_and_bell_in_a_name_do_not_crash_the_workbook(tmp_path):
    frame = pd.DataFrame({"name": ["Ana\x1b[31m Li\x07", "Bo\x00b"], "n": [1, 2]})
    path = files.write_excel({"pairs": frame}, tmp_path / "match.xlsx")
    sheet = openpyxl.load_workbook(path)["pairs"]
    assert sheet["A2"].value == "Ana[31m Li"
    assert sheet["A3"].value == "Bob"


def test_formula_text_in_excel_is_text_with_the_quote_prefix_and_no_cell_is_a_formula(tmp_path):
    frame = pd.DataFrame({"=x": ["=1+1", "@SUM(A1)", "-5 days", "plain"]})
    path = files.write_excel({"s": frame}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)["s"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["A2"].value == "=1+1" and sheet["A2"].quotePrefix
    assert sheet["A1"].value == "=x" and sheet["A1"].quotePrefix
    assert not sheet["A5"].quotePrefix


def test_a_huge_cell_is_cut_to_excels_limit_with_a_marker(tmp_path):
    frame = pd.DataFrame({"comment": ["x" * 200_000]})
    path = files.write_excel({"s": frame}, tmp_path / "x.xlsx")
    value = openpyxl.load_workbook(path)["s"]["A2"].value
    assert len(value) <= files.EXCEL_CELL_LIMIT and "cut: 200,000 characters" in value


def test_output_files_get_normal_permissions_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        paths = [files.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "a.csv"),
                 files.write_excel({"s": pd.DataFrame({"a": [1]})}, tmp_path / "a.xlsx"),
                 files.write_text("x", tmp_path / "a.txt")]
    finally:
        os.umask(old)
    assert [stat.S_IMODE(path.stat().st_mode) for path in paths] == [0o644] * 3


def test_ical_markdown_html_and_file_name_sanitisers():
    assert files.ical_text("Spring\r\nBEGIN:VEVENT; x, y") == "Spring\\nBEGIN:VEVENT\\; x\\, y"
    assert "\r" not in files.ical_text("a\rb") and "\n" not in files.ical_text("a\nb")
    assert files.html_text("<script>\x07") == "&lt;script&gt;"
    assert files.markdown_text("**bold** [x](http://e)\nnext") == "\\*\\*bold\\*\\* \\[x\\]\\(http://e\\) next"
    assert files.safe_filename("../../etc/passwd") == "etc_passwd"
    assert files.safe_filename("CON") == "_CON"
    assert files.safe_filename("\x00..") == "file"


@pytest.mark.slow
def test_goal_text_with_a_carriage_return_cannot_start_a_formula_row_in_goal_progress(tmp_path):
    import shutil

    from toolkit.goals.agreements import write_client_agreements
    from toolkit.resources import sample_data_dir

    folder = tmp_path / "lumen"
    shutil.copytree(sample_data_dir() / "lumen", folder)
    checkins = folder / "goal_checkins.csv"
    with open(checkins, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    for row in rows[1:]:  # every check-in of one goal, so the latest one carries the text too
        if row[:3] == rows[1][:3]:
            row[3] = "Grow my network\r=cmd|' /C calc'!A0"
            row[8] = "fine\n@SUM(1+1)\t-2"
    with open(checkins, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    written = write_client_agreements(folder / "client.yaml", tmp_path / "out")
    tables = [path for path in written if path.suffix == ".csv"]
    assert any("cmd|" in path.read_text(encoding="utf-8-sig") for path in tables)  # the text is there, defused
    for path in tables:
        rows = _csv_rows(path)
        assert len({len(row) for row in rows}) == 1, path.name
        assert not any(_starts_formula(cell) for row in rows for cell in row), path.name
        raw = path.read_bytes().decode("utf-8-sig")
        assert not any(line.startswith(("=", "+", "-", "@")) for line in raw.split("\n")), path.name
