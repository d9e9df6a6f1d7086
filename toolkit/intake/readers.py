"""Getting cells out of a file: text encodings (mixed UTF-8/cp1252 read line by line), CSV cells of any
size, Excel worksheets (the data sheet, not the instructions), merged cells and formulas saved without
values, and control characters. :mod:`toolkit.intake.tables` builds a :class:`~toolkit.intake.tables.Table`
from what these return; every problem is an :class:`~toolkit.errors.IntakeError` naming the file.

Size guards come before reading (:data:`READ_LIMITS`): a file's bytes are checked before it is opened,
a workbook's unpacked size before it is unpacked and its worksheet's extent (rows, columns, cells)
before its grid is built, and a CSV's rows as they stream, so a 12 KB workbook with one cell at
XFD1048576 or a million-row CSV stops with an error naming the limit and the client.yaml setting
that raises it (``limits:``), never by running out of memory.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import IntakeError, Problem, did_you_mean
from ..files import strip_invisible

__all__ = ["column_letter", "require_file", "larger_csv_cells", "read_csv_grid", "decode_text", "strip_control_characters",
           "read_excel_grid", "MAX_CELL", "ReadLimits", "READ_LIMITS", "read_limits", "set_read_limits", "reading_limits"]


@dataclass(frozen=True)
class ReadLimits:
    """How large a file the toolkit reads; each limit is a ``limits:`` setting in client.yaml.

    Attributes
    ----------
    max_file_mb
        The file's size on disk (a workbook may unpack to ten times this).
    max_rows, max_columns
        Rows and columns of one table (a worksheet's extent, a CSV's records).
    max_cells
        Rows times columns of one worksheet.
    """

    max_file_mb: int = 50
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 5_000_000


#: The limits every read uses unless a client.yaml (``limits:``) or :func:`reading_limits` changes them.
READ_LIMITS = ReadLimits()
_current = [READ_LIMITS]  # the limits in force: set by load_client from its client.yaml (the last one loaded)
_UNPACKED_RATIO = 10  # a workbook unpacks to at most this many times max_file_mb


def read_limits() -> ReadLimits:
    """The limits in force now."""
    return _current[0]


def set_read_limits(limits: ReadLimits | None = None, **changes: int) -> ReadLimits:
    """Put ``limits`` (default: :data:`READ_LIMITS`) with ``changes`` in force; returns the previous limits.
    :func:`toolkit.load_client` calls it with the client.yaml's ``limits:``."""
    previous = _current[0]
    chosen = dataclasses.replace(limits or READ_LIMITS, **{key: value for key, value in changes.items()
                                                          if value is not None})
    _current[0] = chosen
    return previous


@contextmanager
def reading_limits(**changes: int) -> Iterator[ReadLimits]:
    """Within it, reads use the limits in force with ``changes`` (``max_rows=2_000_000``)."""
    previous = set_read_limits(read_limits(), **changes)
    try:
        yield read_limits()
    finally:
        _current[0] = previous


def _too_large(path: Path, what: str, limit_name: str, limit: int, needed: int, unit: str = "") -> IntakeError:
    """The error for a file past a read limit: the size, the limit, and the client.yaml lines that raise it."""
    return IntakeError(
        f"the file {what}, more than the toolkit reads (limits.{limit_name} is {limit:,}{unit}); nothing was read.",
        fix="check it is the right file (in a workbook, a stray cell far to the right or below the data counts too: "
            "delete it in Excel); if the file really is this large, raise the limit in client.yaml: "
            f"limits: {{{limit_name}: {max(needed, limit + 1)}}}", path=path)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the letter a spreadsheet shows above a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def require_file(path: Path) -> None:
    """A folder (or a device, a pipe) named where a file is expected: a clear error, not IsADirectoryError;
    a file larger than ``limits.max_file_mb``: a clear error before a byte of it is read."""
    if path.is_dir():
        raise IntakeError(f"{path} is a folder, not a file.",
                          fix="give the path of the CSV or Excel file inside it", path=path)
    if not path.is_file():
        raise IntakeError(f"{path} is not an ordinary file.", fix="save the data as a .csv or .xlsx file", path=path)
    limit = read_limits().max_file_mb
    size = path.stat().st_size
    if size > limit * 1024 * 1024:
        raise _too_large(path, f"is {size / 1024 / 1024:,.1f} MB", "max_file_mb", limit, int(size / 1024 / 1024) + 1,
                         " MB")


#: The longest cell the reader accepts (characters); Python's csv module stops at 131,072 by default.
MAX_CELL = 16 * 1024 * 1024


@contextmanager
def larger_csv_cells() -> Iterator[None]:
    """Within it, the csv module reads cells up to MAX_CELL characters (its default stops at 131,072)."""
    previous = csv.field_size_limit(MAX_CELL)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv_grid(text: str, delimiter: str, path: Path) -> list[list[str]]:
    """The CSV's cells; a cell longer than Python's default limit is read, one beyond MAX_CELL is an error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limits = read_limits()
    grid: list[list[str]] = []
    try:
        with larger_csv_cells():
            for record in reader:  # streamed: a file past the limits stops at the first record too many
                if len(grid) > limits.max_rows + 10:  # + title and header rows above the data
                    raise _too_large(path, f"has more than {limits.max_rows:,} rows", "max_rows", limits.max_rows,
                                     text.count("\n") + 1)
                if len(record) > limits.max_columns:
                    raise _too_large(path, f"has {len(record):,} columns on line {reader.line_num}", "max_columns",
                                     limits.max_columns, len(record))
                grid.append(record)
        return grid
    except csv.Error as error:
        raise IntakeError(
            f"{path.name} could not be read as CSV near line {reader.line_num} ({error}).",
            fix=f"check that line in a text editor: a cell longer than {MAX_CELL:,} characters, or a quote "
                "character never closed, makes the rest of the file one cell", path=path, row=reader.line_num,
        ) from None


def decode_text(data: bytes, path: Path) -> tuple[str, str, list[Problem]]:
    """Like :func:`_decode`, but a file whose lines are partly UTF-8 and partly cp1252 (two exports pasted
    together) is read line by line, each in its own encoding, with a warning naming the cp1252 lines,
    rather than all as cp1252 (which turns "José" into "JosÃ©")."""
    text, encoding = _decode(data, path)
    if encoding not in ("cp1252", "latin-1"):
        return text, encoding, []
    lines = data.splitlines(keepends=True)
    decoded, legacy, utf8_non_ascii = [], [], 0
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8"))
            utf8_non_ascii += not line.isascii()
        except UnicodeDecodeError:
            decoded.append(line.decode("cp1252", errors="strict") if _is_cp1252(line) else line.decode("latin-1"))
            legacy.append(number)
    if not utf8_non_ascii:
        return text, encoding, []
    shown = ", ".join(str(number) for number in legacy[:10]) + (" ..." if len(legacy) > 10 else "")
    warning = Problem(
        f"the file mixes two text encodings: line{'s' if len(legacy) > 1 else ''} {shown} "
        f"{'are' if len(legacy) > 1 else 'is'} Windows cp1252 and the rest UTF-8; each line was read in its own "
        "encoding", "check the accented names on those lines; to avoid this, save the file once as CSV UTF-8",
        str(path))
    return "".join(decoded), "utf-8+cp1252", [warning]


def _is_cp1252(line: bytes) -> bool:
    try:
        line.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


# Control characters no one types on purpose (ESC, BEL, NUL ...); tab and line breaks are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(path: Path, grid: list[list]) -> tuple[list[list], list[Problem]]:
    """Cells without control characters or invisible format characters (bidi overrides that make a
    name read backwards, zero-width spaces; carriage returns become line breaks), and a warning naming
    the cells they were removed from."""
    found: list[tuple[int, int]] = []
    for row_index, record in enumerate(grid):
        for column_index, cell in enumerate(record):
            if not isinstance(cell, str):
                continue
            if "\r" in cell:
                cell = cell.replace("\r\n", "\n").replace("\r", "\n")
                record[column_index] = cell
            cleaned = strip_invisible(_CONTROL.sub("", cell))  # and bidi overrides, zero-width characters
            if cleaned != cell:
                record[column_index] = cleaned
                found.append((row_index + 1, column_index))
    if not found:
        return grid, []
    places = ", ".join(f"row {row} column {column_letter(column)}" for row, column in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return grid, [Problem(
        f"invisible control characters (such as ESC, BEL or a right-to-left override) were removed from {len(found)} "
        f"cell{'s' if len(found) != 1 else ''}: {places}{more}",
        "nothing to fix unless those cells now read wrongly; they usually come from copy-paste", str(path),
        found[0][0] if len(found) == 1 else None)]


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _check_unpacked_size(path: Path) -> None:
    """A workbook is a zip of XML: refuse one that unpacks past ten times ``limits.max_file_mb`` (a zip bomb)
    before openpyxl unpacks it. A file that is not a zip is left to openpyxl's own error."""
    limit = read_limits().max_file_mb
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(max(0, info.file_size) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > limit * _UNPACKED_RATIO * 1024 * 1024:
        megabytes = unpacked / 1024 / 1024
        raise _too_large(path, f"unpacks to {megabytes:,.0f} MB of spreadsheet data (a workbook may unpack to "
                               f"{_UNPACKED_RATIO} times limits.max_file_mb)", "max_file_mb", limit,
                         int(megabytes / _UNPACKED_RATIO) + 1, " MB")


def _check_extent(path: Path, sheet: str, worksheet) -> None:
    """The worksheet's extent (to its last cell, blank or not) against the limits, before its grid is built."""
    limits = read_limits()
    rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
    corner = f"{column_letter(max(columns, 1) - 1)}{rows}"
    where = f'reaches cell {corner} on worksheet "{sheet}"'
    if rows > limits.max_rows + 10:
        raise _too_large(path, f"{where}: {rows:,} rows", "max_rows", limits.max_rows, rows)
    if columns > limits.max_columns:
        raise _too_large(path, f"{where}: {columns:,} columns", "max_columns", limits.max_columns, columns)
    if rows * columns > limits.max_cells:
        raise _too_large(path, f"{where}: {rows:,} rows by {columns:,} columns, {rows * columns:,} cells",
                         "max_cells", limits.max_cells, rows * columns)


def read_excel_grid(path: Path, sheet: str | int | None) -> tuple[list[list[str]], str, list[Problem]]:
    import openpyxl

    _check_unpacked_size(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for damaged files
        raise IntakeError(
            f"{path.name} could not be opened as an Excel workbook ({type(error).__name__}: {error}).",
            fix="open it in Excel to check it is not damaged or password-protected, then save it again as .xlsx",
            path=path,
        ) from None
    names = workbook.sheetnames
    if sheet is None:
        chosen = _choose_data_sheet(path, workbook)
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise IntakeError(
                f"{path.name} has {len(names)} worksheets; there is no worksheet number {sheet} (counting from 0).",
                fix=f"use one of {names}", path=path,
            )
        chosen = names[sheet]
    else:
        if sheet not in names:
            raise IntakeError(
                f'{path.name} has no worksheet called "{sheet}".{did_you_mean(sheet, names)}',
                fix=f"use one of {names}", path=path,
            )
        chosen = sheet
    worksheet = workbook[chosen]
    _check_extent(path, chosen, worksheet)
    grid = [[_excel_text(value) for value in row] for row in worksheet.iter_rows(min_row=1, values_only=True)]
    warnings = _fill_merged_cells(path, worksheet, grid)
    _refuse_uncalculated_formulas(path, chosen, grid)
    return grid, chosen, warnings


# Worksheets that explain a form rather than hold its data.
_NOT_DATA_SHEET = re.compile(r"instruction|read ?me|notes?\b|help|guid|about|cover|intro|how to|lookup|lists?\b|"
                             r"settings|options|drop ?downs?|validation|legend|key\b|contents", re.IGNORECASE)


def _choose_data_sheet(path: Path, workbook) -> str:
    """The one visible worksheet that holds data; a worksheet of instructions is skipped; several
    candidates are an error naming them (never guess silently)."""
    names = workbook.sheetnames
    filled = [name for name in names if workbook[name].sheet_state == "visible" and workbook[name].max_row > 1]
    if not filled:
        return names[0]
    # A table has a header row at least two columns wide; a sheet of instructions is one column of text.
    tables = [name for name in filled if workbook[name].max_column > 1 and not _NOT_DATA_SHEET.search(name)]
    if len(tables) == 1:
        return tables[0]
    if not tables:
        tables = [name for name in filled if workbook[name].max_column > 1] or filled
        if len(tables) == 1:
            return tables[0]
    listed = ", ".join(f'"{name}" ({workbook[name].max_row - 1} rows)' for name in tables)
    raise IntakeError(
        f"{path.name} has {len(tables)} worksheets that could hold the data: {listed}; the toolkit will not guess "
        "which one to read.",
        fix=f'say which with sheet: in client.yaml (e.g. participants: - path: {path.name} then sheet: '
            f'"{tables[0]}"), or sheet="..." in Python; to read two sheets, list the file twice, once per sheet',
        path=path)


def _fill_merged_cells(path: Path, worksheet, grid: list[list[str]]) -> list[Problem]:
    """Merged cells hold their value only in the top-left cell: copy it into the others, and say so."""
    ranges = list(worksheet.merged_cells.ranges)
    if not ranges:
        return []
    shown = []
    for merged in ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for row in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for column in range(merged.min_col - 1, min(merged.max_col, len(grid[row]))):
                grid[row][column] = value
        shown.append(merged.coord)
    if not shown:
        return []
    listed = ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")
    return [Problem(f"merged cells {listed} were read as if each cell held the merged value",
                    "check those rows; to be sure, unmerge the cells in Excel (Home > Merge & Center > Unmerge) "
                    "and fill every cell", str(path))]


def _refuse_uncalculated_formulas(path: Path, sheet: str, grid: list[list[str]]) -> None:
    """Formula cells saved without their calculated value (a file written by a program, never opened in
    Excel) would read as blank: an error naming them instead."""
    import openpyxl

    blanks = {(row, column) for row, record in enumerate(grid) for column, cell in enumerate(record) if cell == ""}
    if not blanks:
        return
    workbook = openpyxl.load_workbook(path, data_only=False, read_only=True)
    try:
        found = [f"{column_letter(column)}{row + 1}"
                 for row, record in enumerate(workbook[sheet].iter_rows(  # bounded: a lying <dimension> is ignored
                     max_row=len(grid), max_col=max((len(record) for record in grid), default=1), values_only=True))
                 for column, value in enumerate(record)
                 if isinstance(value, str) and value.startswith("=") and (row, column) in blanks]
    finally:
        workbook.close()
    if found:
        listed = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
        raise IntakeError(
            f'{path.name}, worksheet "{sheet}": {len(found)} '
            f'cell{"s hold formulas" if len(found) > 1 else " holds a formula"} '
            f"saved without a calculated value ({listed}), so {'they' if len(found) > 1 else 'it'} would read as "
            "blank.", fix="open the file in Excel and save it (Excel calculates the formulas), or copy the column "
                          "and Paste Special > Values", path=path)


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
