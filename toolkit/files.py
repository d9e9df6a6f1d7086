"""Spreadsheet-safe exports: CSV and Excel files a client can open without surprises.

Every text cell that a spreadsheet program would read as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised by a leading
apostrophe, so a participant who typed ``=HYPERLINK(...)`` into a sign-up form cannot
make a consultant's Excel run it (CSV/formula injection). Numbers stay numbers.

Files are written atomically: to a temporary file beside the target, then renamed,
so an interrupted export never leaves half a file in place of a good one.

Feature modules build their own tables (pairs, agreements, communications plans) and
write them through :func:`write_csv` and :func:`write_excel`.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import pandas as pd

from .errors import ToolkitError

__all__ = ["FORMULA_PREFIXES", "neutralise", "safe_frame", "write_csv", "write_excel", "atomic_path", "write_text"]

#: A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_EXCEL_SHEET_NAME_LIMIT = 31
_EXCEL_FORBIDDEN = set('[]:*?/\\')


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will execute.

    Text starting with a formula character gets a leading apostrophe (which
    spreadsheets hide and treat as "this is text"); sequences such as lists and
    tuples are joined with ``"; "`` first. Numbers, dates, booleans and missing
    values are returned unchanged.

    >>> neutralise("=1+1")
    "'=1+1"
    >>> neutralise(-3)
    -3
    """
    if value is None or isinstance(value, (bool, numbers.Number, dt.date, dt.datetime, pd.Timestamp)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and every column header) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [neutralise(value) for value in safe[column]]
    safe.columns = [neutralise(str(column)) for column in safe.columns]
    return safe


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        os.replace(temporary_path, target)
    finally:
        if temporary_path.exists():
            temporary_path.unlink()


def write_text(text: str, path: str | os.PathLike, *, encoding: str = "utf-8") -> Path:
    """Write a text file atomically; returns its path."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding=encoding)
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, *, index: bool = False, excel_friendly: bool = True) -> Path:
    """Write a formula-safe CSV atomically.

    Parameters
    ----------
    frame
        The table.
    path
        Where to write it (folders are created).
    index
        Whether to write the DataFrame index as the first column.
    excel_friendly
        Start the file with a UTF-8 byte-order mark so Excel shows accented names correctly.
    """
    buffer = io.StringIO()
    safe_frame(frame).to_csv(buffer, index=index, lineterminator="\n")
    data = buffer.getvalue().encode("utf-8")
    with atomic_path(path) as temporary:
        temporary.write_bytes((b"\xef\xbb\xbf" if excel_friendly else b"") + data)
    return Path(path)


def write_excel(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *, index: bool = False) -> Path:
    """Write several tables into one formula-safe Excel workbook, atomically.

    Each sheet gets a bold, frozen header row, an auto-filter and column widths
    fitted to the content (up to 60 characters).

    Raises
    ------
    ToolkitError
        When a sheet name is longer than Excel allows or contains a character Excel forbids.
    """
    for name in sheets:
        if len(name) > _EXCEL_SHEET_NAME_LIMIT or set(name) & _EXCEL_FORBIDDEN or not name:
            raise ToolkitError(
                f'"{name}" cannot be an Excel sheet name (at most {_EXCEL_SHEET_NAME_LIMIT} characters, '
                f"none of {' '.join(sorted(_EXCEL_FORBIDDEN))}).",
                fix="shorten the name or remove those characters",
            )
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with atomic_path(path) as temporary:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                safe = safe_frame(frame)
                safe.to_excel(writer, sheet_name=name, index=index)
                sheet = writer.sheets[name]
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
                sheet.freeze_panes = "A2"
                if sheet.max_column and sheet.max_row:
                    sheet.auto_filter.ref = sheet.dimensions
                shown = safe.reset_index() if index else safe
                for position, column in enumerate(shown.columns, start=1):
                    lengths = [len(str(column))] + [len(str(value)) for value in shown[column].head(500)]
                    sheet.column_dimensions[get_column_letter(position)].width = min(60, max(8, max(lengths) + 2))
    return Path(path)
