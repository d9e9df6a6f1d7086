"""Exports never hand a spreadsheet something it would execute, and never leave half a file."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import files as exports
from toolkit.errors import ToolkitError


@given(st.text(min_size=0, max_size=30))
def test_no_neutralised_cell_starts_with_a_formula_character(text):
    value = exports.neutralise(text)
    assert not str(value).startswith(exports.FORMULA_PREFIXES)
    # No line or tab-separated part inside the cell starts with a formula character either.
    assert not any(part.startswith(exports.FORMULA_PREFIXES) for part in str(value).replace("\t", "\n").split("\n"))
    # Nothing is lost but control and invisible format characters (a soft hyphen, a zero-width space):
    # the cleaned text is still there, around the apostrophes added.
    cleaned = exports.strip_invisible(exports.clean_text(text))
    assert str(value).replace("'", "") == cleaned.replace("'", "")


def test_numbers_dates_and_missing_values_pass_through_unchanged():
    assert exports.neutralise(-3) == -3
    assert exports.neutralise(2.5) == 2.5
    assert exports.neutralise(None) is None
    assert exports.neutralise(("Python", "SQL")) == "Python; SQL"


def test_excel_workbook_holds_formula_text_as_text(tmp_path):
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "Ana"], "score": [-1.5, 3]})
    path = exports.write_excel({"Pairs": frame}, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["Pairs"]
    # Stored as text with Excel's own quote prefix (a cell style), not a literal apostrophe.
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    assert sheet["B2"].value == -1.5


def test_csv_round_trips_every_row(tmp_path):
    frame = pd.DataFrame({"note": ["+44 20 7946 0000", "@channel", "plain"], "n": [1, 2, 3]})
    path = exports.write_csv(frame, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back["note"]) == ["'+44 20 7946 0000", "'@channel", "plain"]
    assert list(back["n"]) == [1, 2, 3]


def test_a_failed_write_leaves_the_previous_file_in_place(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("good\n")
    with pytest.raises(RuntimeError), exports.atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "good\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]


def test_bad_sheet_names_are_refused_with_the_rule():
    with pytest.raises(ToolkitError, match="31 characters"):
        exports.write_excel({"a" * 40: pd.DataFrame()}, "never.xlsx")
