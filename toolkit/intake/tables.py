"""Reading whatever table a client sends: CSV in any common encoding and delimiter, or Excel.

Every loader in the toolkit reads its files through :func:`read_table`, so a ``;``-delimited
cp1252 meeting log reads as well as a participant export.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import IntakeError, Problem, did_you_mean
from . import schema
from .readers import (
    column_letter,
    decode_text,
    larger_csv_cells,
    read_csv_grid,
    read_excel_grid,
    read_limits,
    require_file,
    strip_control_characters,
)

__all__ = ["Table", "column_letter", "read_table", "qualtrics_header_rows"]


EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}


DELIMITERS = (",", ";", "\t", "|")


FIX_RELOAD = "Correct these in the file and load it again."


@dataclass
class Table:
    """A file read as text cells.

    Attributes
    ----------
    path
        Where it came from.
    headers
        Column labels as the user sees them (Qualtrics: the question id and its text).
    header_ids
        For survey-tool exports with two label rows (Qualtrics), the short column ids;
        otherwise the same as ``headers``.
    rows
        Data records, each a list of stripped strings as long as ``headers``.
    row_numbers
        The spreadsheet row number of each record (1-based, header rows included).
    shape
        ``generic``, ``google_forms``, ``microsoft_forms`` or ``qualtrics``.
    encoding, delimiter
        What the file turned out to use (delimiter is ``None`` for Excel).
    blank_rows
        Row numbers of entirely blank rows below the header (skipped, counted).
    sheet
        The worksheet read, for Excel files.
    overflow
        CSV rows with more cells than the header has columns (row number -> the extra
        cells): usually a value containing the delimiter without quotes.
    warnings
        What was done to read the file that the user should know: control characters removed
        (naming rows and columns), lines read as cp1252 in a file otherwise UTF-8, merged cells
        filled in.
    """

    path: str
    headers: list[str]
    header_ids: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    shape: str = "generic"
    encoding: str | None = None
    delimiter: str | None = None
    blank_rows: list[int] = field(default_factory=list)
    sheet: str | None = None
    overflow: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def frame(self):
        """The records as a DataFrame of strings, indexed by spreadsheet row number."""
        import pandas as pd

        columns = _unique_labels(self.headers)
        return pd.DataFrame(self.rows, columns=columns, index=pd.Index(self.row_numbers, name="row"), dtype=object)

    def copy(self) -> Table:
        """A copy whose lists and rows the caller may change without changing this table."""
        return replace(self, headers=list(self.headers), header_ids=list(self.header_ids),
                       rows=[list(row) for row in self.rows], row_numbers=list(self.row_numbers),
                       blank_rows=list(self.blank_rows), overflow={row: list(cells) for row, cells in self.overflow.items()},
                       warnings=list(self.warnings))


#: Tables read lately, by path, worksheet, the read limits in force and a digest of the file's bytes: a report
#: reads the same survey export or log several times, and the same bytes read the same way give the same table.
#: A changed file has other bytes, so it is read again; each caller gets its own copy (:meth:`Table.copy`).
_RECENT: OrderedDict[tuple, Table] = OrderedDict()
_RECENT_LOCK = threading.Lock()
_RECENT_KEEP = 16
#: Files larger than this are read every time rather than kept (a kept table holds every cell).
_RECENT_MAX_BYTES = 8 * 1024 * 1024


def _unique_labels(labels: Sequence[str]) -> list[str]:
    seen: Counter[str] = Counter()
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def read_table(path: str | Path, *, sheet: str | int | None = None) -> Table:
    """Read a CSV or Excel file into text cells.

    Handles UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"), cp1252 and
    Latin-1; comma, semicolon, tab and pipe delimiters; title rows above the header;
    and Qualtrics exports with their extra header rows.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv``, ``.txt``, ``.xlsx`` or ``.xlsm`` file.
    sheet
        For Excel, the worksheet name or 0-based position; by default the first
        worksheet that has data.

    Raises
    ------
    IntakeError
        When the file is missing, empty, of a format that cannot be read, or has no header row.
    """
    path = Path(path)
    if not path.exists():
        hint = ""
        if path.parent.exists():
            hint = did_you_mean(path.name, [p.name for p in path.parent.iterdir()])
        raise IntakeError(
            f"The file {path} does not exist.{hint}",
            fix="check the path (relative paths start from the folder the notebook or command runs in)",
            path=path,
        )
    require_file(path)
    data = path.read_bytes()
    if len(data) > _RECENT_MAX_BYTES:
        return _read_table(path, data, sheet)
    key = (str(path), sheet, read_limits(), hashlib.blake2b(data, digest_size=20).digest())
    with _RECENT_LOCK:
        table = _RECENT.get(key)
        if table is not None:
            _RECENT.move_to_end(key)
    if table is None:
        table = _read_table(path, data, sheet)
        with _RECENT_LOCK:
            _RECENT[key] = table
            while len(_RECENT) > _RECENT_KEEP:
                _RECENT.popitem(last=False)
    return table.copy()


def _read_table(path: Path, data: bytes, sheet: str | int | None) -> Table:
    suffix = path.suffix.lower()
    warnings: list[Problem] = []
    if suffix in EXCEL_SUFFIXES:
        grid, sheet_name, excel_warnings = read_excel_grid(path, sheet)
        warnings += excel_warnings
        encoding, delimiter = None, None
    elif suffix in TEXT_SUFFIXES or suffix == "":
        text, encoding, mixed = decode_text(data, path)
        warnings += mixed
        with larger_csv_cells():
            delimiter = _sniff_delimiter(text)
        grid = read_csv_grid(text, delimiter, path)
        sheet_name = None
    elif suffix == ".xls":
        raise IntakeError(
            f"{path.name} is an old-style Excel 97-2003 workbook (.xls), which the toolkit does not read.",
            fix="open it in Excel and use File > Save As > Excel Workbook (.xlsx), or export it as CSV",
            path=path,
        )
    else:
        raise IntakeError(
            f'{path.name} has the extension "{suffix}", which the toolkit cannot read.',
            fix="save the data as .csv or .xlsx",
            path=path,
        )
    grid, controls = strip_control_characters(path, grid)
    table = _table_from_grid(path, grid, encoding=encoding, delimiter=delimiter, sheet=sheet_name)
    table.warnings[:0] = warnings + controls
    return table


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns, consistently."""
    lines = [line for line in text.splitlines() if line.strip()][:25]
    if not lines:
        return ","
    sample = "\n".join(lines)
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        records = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        widths = [len(record) for record in records if any(cell.strip() for cell in record)]
        if not widths:
            continue
        common_width, count = Counter(widths).most_common(1)[0]
        if common_width < 2:
            continue
        key = (count, common_width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _clean_cell(value: str) -> str:
    # Non-breaking and zero-width spaces come from copy-paste out of web forms.
    value = value.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return value.strip()


def _is_qualtrics_import_row(cells: Sequence[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and sum(cell.startswith('{"ImportId"') for cell in filled) >= max(1, len(filled) // 2)


def _table_from_grid(path: Path, grid: list[list[str]], *, encoding: str | None, delimiter: str | None,
                     sheet: str | None) -> Table:
    """A grid of cells (a CSV's records or a worksheet's rows) as a :class:`Table`: the header row found
    below any title lines, the export's shape (Qualtrics, Microsoft Forms, Google Forms), blank and
    shifted rows noted; ``delimiter`` is None for a worksheet."""
    grid = [[_clean_cell(str(cell)) for cell in record] for record in grid]
    header_index = _header_row(path, grid, sheet)
    header_cells = grid[header_index]
    if delimiter is None:
        # Excel: data to the right of the last header is an unlabelled column, kept as "Column X".
        width = max(len(record) for record in grid[header_index:])
    else:
        # CSV: cells beyond the header are a delimiter inside an unquoted value; reported per row.
        width = max(index for index, cell in enumerate(header_cells) if cell) + 1
    header_ids = header_cells[:width] + [""] * (width - len(header_cells[:width]))
    headers, shape, data_start = _shape(header_ids, grid, header_index + 1)

    # Columns with no header but with data get a name the user can find: "Column F".
    for index, header in enumerate(headers):
        if not header:
            headers[index] = f"Column {column_letter(index)}"
            header_ids[index] = headers[index]

    rows, row_numbers, blank_rows, overflow = _data_rows(grid, data_start, width, delimiter, len(header_cells))

    # Drop trailing columns that have neither a header nor any data (ragged CSV lines).
    while headers and headers[-1].startswith("Column ") and not any(row[len(headers) - 1] for row in rows):
        if header_cells[len(headers) - 1:]:
            break
        headers.pop(), header_ids.pop()
        rows = [row[: len(headers)] for row in rows]
    return Table(
        path=str(path), headers=headers, header_ids=header_ids, rows=rows, row_numbers=row_numbers,
        shape=shape, encoding=encoding, delimiter=delimiter, blank_rows=blank_rows, sheet=sheet,
        overflow=overflow,
    )


def _header_row(path: Path, grid: list[list[str]], sheet: str | None) -> int:
    """The index of the header row: the first row, among the first few that are not blank, that is about
    as wide as the widest (report titles and "generated on" lines above it are narrower)."""
    filled_counts = [sum(1 for cell in record if cell) for record in grid]
    if not any(filled_counts):
        where = f'{path.name}, worksheet "{sheet}",' if sheet else path.name
        raise IntakeError(f"{where} is empty.", fix="check you exported the right file or worksheet", path=path)
    candidates = [index for index, count in enumerate(filled_counts) if count][:10]
    widest = max(filled_counts[index] for index in candidates)
    return next(index for index in candidates if filled_counts[index] >= max(2, 0.6 * widest) or widest < 2)


def _shape(header_ids: list[str], grid: list[list[str]], data_start: int) -> tuple[list[str], str, int]:
    """The column labels, the export's shape and the first data row: a Qualtrics export has its question
    texts (and import ids) in header rows below the column ids."""
    qualtrics = qualtrics_header_rows(header_ids, grid[data_start:data_start + 2])
    if qualtrics is not None:
        headers, extra_rows = qualtrics
        return headers, "qualtrics", data_start + extra_rows
    normalised = {schema.normalise_header(header) for header in header_ids}
    if {"start time", "completion time"} <= normalised:
        return list(header_ids), "microsoft_forms", data_start
    if header_ids and schema.normalise_header(header_ids[0]) == "timestamp":
        return list(header_ids), "google_forms", data_start
    return list(header_ids), "generic", data_start


def _data_rows(grid: list[list[str]], data_start: int, width: int, delimiter: str | None, header_length: int,
               ) -> tuple[list[list[str]], list[int], list[int], dict[int, list[str]]]:
    """The data rows padded to ``width``, their row numbers, the blank rows between them, and the cells of
    CSV rows that run past the header (row number -> the extra cells)."""
    rows, row_numbers, blank_rows, overflow = [], [], [], {}
    # A CSV row longer than both the header and the usual row has been shifted by a stray delimiter,
    # even when its extra cell happens to be empty.
    lengths = Counter(len(record) for record in grid[data_start:] if any(record))
    usual_length = max(header_length, lengths.most_common(1)[0][0] if lengths else 0)
    for index in range(data_start, len(grid)):
        record = grid[index]
        if not any(record):
            blank_rows.append(index + 1)
            continue
        if delimiter is not None and (any(record[width:]) or len(record) > usual_length):
            overflow[index + 1] = record[width:]
        rows.append(record[:width] + [""] * (width - len(record[:width])))
        row_numbers.append(index + 1)
    # Trailing blank rows are not interesting: spreadsheets pad with them.
    last_data_row = row_numbers[-1] if row_numbers else data_start
    return rows, row_numbers, [number for number in blank_rows if number < last_data_row], overflow


def qualtrics_header_rows(header_ids: Sequence[str], following: Sequence[Sequence[str]]) -> tuple[list[str], int] | None:
    """Qualtrics exports have three header rows: column ids (``Q1``, ``Q5_1``), the question text
    (``Skills - Selected Choice - offer``) and a row of ``{"ImportId":"QID5_1"}``; older exports lack
    the last. Given the id row and the two rows below it: the column labels (question text) and how
    many rows below the id row are headers too, or None when the file is not a Qualtrics export.
    """
    width = len(header_ids)
    if len(following) >= 2 and _is_qualtrics_import_row(following[1]):
        extra_rows = 2
    elif following and "ResponseId" in header_ids and "Response ID" in following[0]:
        extra_rows = 1  # legacy export without the ImportId row
    else:
        return None
    texts = list(following[0][:width]) + [""] * (width - len(following[0][:width]))
    return [_qualtrics_label(column_id, text) for column_id, text in zip(header_ids, texts)], extra_rows


def _qualtrics_label(column_id: str, text: str) -> str:
    if not text or text == column_id:
        return column_id
    return text
