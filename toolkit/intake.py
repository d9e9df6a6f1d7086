"""Reading participant files as clients really send them.

Three steps, each usable on its own (the CohortSetup widget calls them one by one):

1. :func:`read_table` reads CSV or Excel into text cells, whatever the encoding,
   delimiter, title rows or survey-tool header rows, and remembers the row number
   each record has in a spreadsheet program.
2. :func:`suggest_mapping` maps the client's column headers onto the canonical
   schema (:mod:`toolkit.schema`): automatically where unambiguous, from an explicit
   mapping otherwise.
3. :func:`load_roster` parses and validates every cell, resolves references between
   people (managers, preferences, exclusions) and returns a :class:`~toolkit.roster.Roster`.
   Strict loading raises one :class:`~toolkit.errors.IntakeError` listing every problem;
   lenient loading sets bad rows aside in ``roster.rejected`` with their reasons.

Nothing is lost: every non-blank input row ends in ``roster.row_outcomes`` as
loaded, merged (one person's mentor row and mentee row) or rejected with a reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from . import schema
from .errors import IntakeError, Problem, check_option, did_you_mean

__all__ = [
    "Table",
    "ColumnMapping",
    "read_table",
    "suggest_mapping",
    "read_mapping",
    "load_roster",
    "load_org_chart",
    "parse_timezone",
    "utc_offset_hours",
    "parse_availability",
    "column_letter",
]

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
DELIMITERS = (",", ";", "\t", "|")
_FIX_RELOAD = (
    "Correct these in the file and load it again, or load with lenient=True to load the good rows "
    "and set the others aside in roster.rejected."
)


# --------------------------------------------------------------------------------------------
# 1. Reading tables
# --------------------------------------------------------------------------------------------


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

    @property
    def name(self) -> str:
        return Path(self.path).name

    def frame(self):
        """The records as a DataFrame of strings, indexed by spreadsheet row number."""
        import pandas as pd

        columns = _unique_labels(self.headers)
        return pd.DataFrame(self.rows, columns=columns, index=pd.Index(self.row_numbers, name="row"), dtype=object)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the letter a spreadsheet shows above a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


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
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        grid, sheet_name = _read_excel_grid(path, sheet)
        encoding, delimiter = None, None
    elif suffix in TEXT_SUFFIXES or suffix == "":
        text, encoding = _decode(path.read_bytes(), path)
        delimiter = _sniff_delimiter(text)
        grid = [list(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
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
    return _table_from_grid(path, grid, encoding=encoding, delimiter=delimiter, sheet=sheet_name)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


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


def _read_excel_grid(path: Path, sheet: str | int | None) -> tuple[list[list[str]], str]:
    import openpyxl

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
        chosen = next(
            (name for name in names
             if workbook[name].sheet_state == "visible" and workbook[name].max_row > 1),
            names[0],
        )
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
    grid = [[_excel_text(value) for value in row] for row in worksheet.iter_rows(min_row=1, values_only=True)]
    return grid, chosen


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


def _clean_cell(value: str) -> str:
    # Non-breaking and zero-width spaces come from copy-paste out of web forms.
    value = value.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return value.strip()


def _is_qualtrics_import_row(cells: Sequence[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and sum(cell.startswith('{"ImportId"') for cell in filled) >= max(1, len(filled) // 2)


def _table_from_grid(path: Path, grid: list[list[str]], *, encoding, delimiter, sheet) -> Table:
    grid = [[_clean_cell(str(cell)) for cell in record] for record in grid]
    filled_counts = [sum(1 for cell in record if cell) for record in grid]
    if not any(filled_counts):
        raise IntakeError(f"{path.name} is empty.", fix="check you exported the right file or worksheet", path=path)

    # The header is the first row, among the first few that are not blank, that is about as wide
    # as the widest: report titles and "generated on" lines above it are narrower.
    candidates = [index for index, count in enumerate(filled_counts) if count][:10]
    widest = max(filled_counts[index] for index in candidates)
    header_index = next(
        index for index in candidates if filled_counts[index] >= max(2, 0.6 * widest) or widest < 2
    )
    header_cells = grid[header_index]
    header_width = max(index for index, cell in enumerate(header_cells) if cell) + 1
    if delimiter is None:
        # Excel: data to the right of the last header is an unlabelled column, kept as "Column X".
        width = max(len(record) for record in grid[header_index:])
    else:
        # CSV: cells beyond the header are a delimiter inside an unquoted value; reported per row.
        width = header_width
    header_ids = header_cells[:width] + [""] * (width - len(header_cells[:width]))
    headers = list(header_ids)
    data_start = header_index + 1
    shape = "generic"

    following = grid[data_start:data_start + 2]
    if len(following) >= 2 and _is_qualtrics_import_row(following[1]):
        shape, data_start = "qualtrics", data_start + 2
        texts = following[0] + [""] * (width - len(following[0]))
        headers = [_qualtrics_label(column_id, text) for column_id, text in zip(header_ids, texts)]
    elif following and "ResponseId" in header_ids and "Response ID" in following[0]:
        shape, data_start = "qualtrics", data_start + 1  # legacy export without the ImportId row
        texts = following[0] + [""] * (width - len(following[0]))
        headers = [_qualtrics_label(column_id, text) for column_id, text in zip(header_ids, texts)]
    else:
        normalised = {schema.normalise_header(header) for header in header_ids}
        if {"start time", "completion time"} <= normalised:
            shape = "microsoft_forms"
        elif header_ids and schema.normalise_header(header_ids[0]) == "timestamp":
            shape = "google_forms"

    # Columns with no header but with data get a name the user can find: "Column F".
    for index, header in enumerate(headers):
        if not header:
            headers[index] = f"Column {column_letter(index)}"
            header_ids[index] = headers[index]

    rows, row_numbers, blank_rows, overflow = [], [], [], {}
    # A CSV row longer than both the header and the usual row has been shifted by a stray delimiter,
    # even when its extra cell happens to be empty.
    lengths = Counter(len(record) for record in grid[data_start:] if any(record))
    usual_length = max(len(header_cells), lengths.most_common(1)[0][0] if lengths else 0)
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
    blank_rows = [number for number in blank_rows if number < last_data_row]

    # Drop trailing columns that have neither a header nor any data (ragged CSV lines).
    while headers and headers[-1].startswith("Column ") and not any(row[len(headers) - 1] for row in rows):
        if grid[header_index][len(headers) - 1:]:
            break
        headers.pop(), header_ids.pop()
        rows = [row[: len(headers)] for row in rows]
    return Table(
        path=str(path), headers=headers, header_ids=header_ids, rows=rows, row_numbers=row_numbers,
        shape=shape, encoding=encoding, delimiter=delimiter, blank_rows=blank_rows, sheet=sheet,
        overflow=overflow,
    )


def _qualtrics_label(column_id: str, text: str) -> str:
    if not text or text == column_id:
        return column_id
    return text


# --------------------------------------------------------------------------------------------
# 2. Mapping columns onto the schema
# --------------------------------------------------------------------------------------------

IGNORE = "ignore"


@dataclass
class ColumnMapping:
    """How one file's columns map onto the canonical schema.

    Attributes
    ----------
    fields
        Column index -> canonical field, for every mapped column.
    ignored
        Column indexes deliberately not used (form-tool system columns, or mapped to ``ignore``).
    unmapped
        Column indexes that matched no field: kept as extra data, not used for matching.
    ambiguous
        Column index -> the fields it could mean equally well (needs an explicit mapping).
    conflicts
        Field -> column indexes that all claim a single-valued field (needs an explicit mapping).
    values
        Per-field value translations from a mapping file, e.g. ``{"seniority": {"Grade A": 6}}``.
    explicit
        Column indexes mapped by the caller rather than automatically.
    """

    headers: list[str]
    fields: dict[int, str] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)
    unmapped: list[int] = field(default_factory=list)
    ambiguous: dict[int, list[str]] = field(default_factory=dict)
    conflicts: dict[str, list[int]] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    explicit: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, str]:
        """Header -> field for mapped columns (what to save as an explicit mapping)."""
        return {self.headers[index]: name for index, name in sorted(self.fields.items())}

    def columns_for(self, name: str) -> list[int]:
        return [index for index, mapped in sorted(self.fields.items()) if mapped == name]

    def frame(self):
        """One row per column: header, letter, field, how it was decided (for the mapping widget)."""
        import pandas as pd

        records = []
        for index, header in enumerate(self.headers):
            if index in self.fields:
                status = "explicit" if index in self.explicit else "automatic"
                mapped = self.fields[index]
            elif index in self.ambiguous:
                status, mapped = "ambiguous: " + " or ".join(self.ambiguous[index]), ""
            elif index in self.ignored:
                status, mapped = "ignored", ""
            else:
                status, mapped = "not used", ""
            records.append({"column": column_letter(index), "header": header, "field": mapped, "status": status})
        return pd.DataFrame(records)


def read_mapping(mapping: Mapping | str | Path | None) -> tuple[dict[str, str | None], dict[str, dict]]:
    """Read an explicit mapping: a dict, or a YAML file.

    Two forms are accepted: flat (``{client header: toolkit field}``) or structured
    (``{"columns": {...}, "values": {field: {client value: toolkit value}}}``).
    A field of ``null`` or ``"ignore"`` tells the toolkit not to use that column.
    """
    if mapping is None:
        return {}, {}
    source = None
    if isinstance(mapping, (str, Path)):
        import yaml

        source = Path(mapping)
        if not source.exists():
            raise IntakeError(f"The mapping file {source} does not exist.", fix="check the path", path=source)
        try:
            mapping = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise IntakeError(f"The mapping file is not valid YAML: {error}", fix="fix the YAML syntax",
                              path=source) from None
    if not isinstance(mapping, Mapping):
        raise IntakeError(
            f"A column mapping must be a dictionary of client header -> toolkit field, not {type(mapping).__name__}.",
            fix='write it like {"Work Email": "email", "Grade": "seniority"}', path=source,
        )
    if set(mapping) <= {"columns", "values"} and mapping:
        columns = dict(mapping.get("columns") or {})
        values = {str(key): dict(table or {}) for key, table in (mapping.get("values") or {}).items()}
    else:
        columns, values = dict(mapping), {}
    problems = []
    for header, name in columns.items():
        if name is not None and name != IGNORE and name not in schema.FIELD_NAMES:
            problems.append(Problem(
                f'the mapping sends column "{header}" to "{name}", which is not a toolkit field'
                + did_you_mean(str(name), schema.FIELD_NAMES),
                fix=f"use one of: {', '.join(schema.FIELD_NAMES)}, or \"ignore\"", path=str(source) if source else None,
            ))
    for name in values:
        if name not in schema.FIELD_NAMES:
            problems.append(Problem(
                f'the mapping has value translations for "{name}", which is not a toolkit field'
                + did_you_mean(name, schema.FIELD_NAMES), fix="correct the field name",
                path=str(source) if source else None,
            ))
    if problems:
        raise IntakeError("The column mapping has problems:", problems=problems)
    return {str(header): (None if name in (None, IGNORE) else str(name)) for header, name in columns.items()}, values


def _find_column(table: Table, header: str) -> int | None:
    for labels in (table.headers, table.header_ids):
        if header in labels:
            return labels.index(header)
    wanted = schema.normalise_header(header)
    for labels in (table.headers, table.header_ids):
        normalised = [schema.normalise_header(label) for label in labels]
        if wanted in normalised:
            return normalised.index(wanted)
    return None


def suggest_mapping(table: Table, mapping: Mapping | str | Path | None = None) -> ColumnMapping:
    """Map a table's columns onto the schema: the explicit mapping first, then automatically.

    Never raises for ambiguity: the result lists ambiguous columns and conflicting
    fields so that a widget can show them; :func:`load_roster` turns them into errors.
    """
    explicit, values = read_mapping(mapping)
    result = ColumnMapping(headers=list(table.headers), values=values)
    problems = []
    for header, name in explicit.items():
        index = _find_column(table, header)
        if index is None:
            problems.append(Problem(
                f'the mapping names column "{header}", which is not in the file'
                + did_you_mean(header, table.headers), fix="copy the header exactly as it appears in the file",
                path=table.path,
            ))
            continue
        result.explicit.add(index)
        if name is None:
            result.ignored.append(index)
        else:
            result.fields[index] = name
    if problems:
        raise IntakeError(f"The column mapping does not fit {table.name}:", problems=problems)

    claimed: dict[str, list[tuple[int, int]]] = {}
    explicitly_mapped = set(result.fields.values())
    for index, (label, column_id) in enumerate(zip(table.headers, table.header_ids)):
        if index in result.explicit:
            continue
        normalised = {schema.normalise_header(label), schema.normalise_header(column_id)}
        if normalised & schema.SYSTEM_COLUMNS or (table.shape == "microsoft_forms" and "id" in normalised):
            result.ignored.append(index)
            continue
        candidates = schema.match_header(column_id) if column_id != label else []
        candidates = candidates or schema.match_header(label)
        candidates = [(name, strength) for name, strength in candidates if name not in explicitly_mapped]
        if not candidates:
            result.unmapped.append(index)
            continue
        top = candidates[0][1]
        best = [name for name, strength in candidates if strength == top]
        if len(best) > 1:
            result.ambiguous[index] = best
            continue
        claimed.setdefault(best[0], []).append((index, top))

    for name, claims in claimed.items():
        kind = schema.field(name).kind
        if len(claims) == 1 or kind in ("list", "references", "availability"):
            # Several columns may feed one list (e.g. "Preference 1", "Preference 2"), in column order.
            for index, _ in claims:
                result.fields[index] = name
            continue
        strongest = max(strength for _, strength in claims)
        winners = [index for index, strength in claims if strength == strongest]
        if len(winners) == 1:
            result.fields[winners[0]] = name
            result.unmapped += [index for index, strength in claims if strength < strongest]
        else:
            result.conflicts[name] = winners
            result.unmapped += [index for index, strength in claims if strength < strongest]
    result.unmapped.sort()
    result.ignored.sort()
    return result


# --------------------------------------------------------------------------------------------
# 3. Parsing cells
# --------------------------------------------------------------------------------------------


class CellProblem(ValueError):
    """A cell that cannot be parsed; carries the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


_YES = {"yes", "y", "true", "t", "1", "x", "ok", "agree", "i agree", "i consent", "consent", "oui", "si", "ja",
        "yes please", "willing", "\u2713", "\u2714", "checked", "on"}
_NO = {"no", "n", "false", "f", "0", "disagree", "i do not agree", "no thanks", "not willing", "non", "nein",
       "unchecked", "off", "do not consent", "i do not consent"}


_MAYBE = {"maybe", "maybe later", "not sure", "unsure", "don t know", "dont know", "perhaps", "possibly", "tbc",
          "not yet", "undecided"}


def parse_bool(text: str, *, allow_unsure: bool = True) -> bool | None:
    """Yes/no answers in their many spellings.

    "Maybe" and "Not sure" count as not answered (None) when ``allow_unsure``; consent
    needs a clear answer, so it is parsed with ``allow_unsure=False``.
    """
    key = schema.normalise_header(text) if text not in ("\u2713", "\u2714") else text
    if not key:
        return None
    if key in _MAYBE:
        if allow_unsure:
            return None
        raise CellProblem("not a clear yes/no answer", 'write "Yes" or "No"; only a clear yes counts as consent')
    if key in _YES or key.startswith("yes "):
        return True
    if key in _NO or key.startswith("no "):
        return False
    raise CellProblem("not a yes/no answer", 'write "Yes" or "No" (or leave it blank)')


def parse_role(text: str) -> str | None:
    key = schema.normalise_header(text)
    if not key:
        return None
    words = set(key.split())
    if words & {"both", "either", "peer", "peers"} or ({"mentor"} <= words and words & {"mentee", "mentored"}):
        return "both"
    if words & {"mentee", "mentees", "protege", "proteges", "mentoree", "learner", "mentored", "apprentice"} or \
            "be mentored" in key or "receive mentoring" in key or "reverse mentee" in key:
        return "mentee"
    if words & {"mentor", "mentors", "facilitator", "coach"} or "reverse mentor" in key:
        return "mentor"
    raise CellProblem("not a role the toolkit knows", 'write "Mentor", "Mentee" or "Both"')


def parse_meeting_mode(text: str) -> str | None:
    key = schema.normalise_header(text)
    if not key:
        return None
    if key in {"no preference", "no pref", "any", "either", "either is fine", "don t mind", "dont mind",
               "flexible", "whatever suits", "no preference either is fine", "n a", "na", "open"}:
        return "no_preference"
    if "hybrid" in key or "mix" in key or "combination" in key or "both" in key:
        return "hybrid"
    if re.search(r"\b(in person|face to face|f2f|onsite|on site|office|in the office|physical)\b", key):
        return "in_person"
    if re.search(r"\b(virtual|remote|online|video|zoom|teams|phone|call|webex|meet)\b", key):
        return "virtual"
    if "no preference" in key or "preference" in key:
        return "no_preference"
    raise CellProblem("not a meeting mode the toolkit knows", 'write "In person", "Virtual", "Hybrid" or "No preference"')


_LIST_SPLIT = re.compile(r"\s*(?:;|\||\n|,(?!\d{3}\b))\s*")


def split_list(text: str) -> list[str]:
    """Split a multi-select cell: "Python; SQL", "Python, SQL", "Python;SQL;" (Microsoft Forms)."""
    items, seen = [], set()
    for item in _LIST_SPLIT.split(text):
        item = re.sub(r"\s+", " ", item).strip(" .")
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}


def parse_positive_int(text: str) -> int | None:
    key = text.strip().lower()
    if not key:
        return None
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key]
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?(?:\s*(?:mentees?|people|max|maximum))?", key)
    if match:
        number = int(match.group(1))
        if number >= 1:
            return number
    raise CellProblem("capacity must be a whole number of mentees, 1 or more",
                      "enter 1, 2 or 3 (or leave it blank to use the programme's default)")


def parse_number(text: str) -> float | None:
    key = text.strip().lower()
    if not key:
        return None
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:years?|yrs?|y)?", key)
    if not match:
        raise CellProblem("not a number", "write a number such as 3 or 2.5")
    return float(match.group(1).replace(",", "."))


def parse_level(text: str, translations: Mapping[str, object] | None = None) -> int | None:
    key = text.strip()
    if not key:
        return None
    if translations:
        for source, level in translations.items():
            if schema.normalise_header(source) == schema.normalise_header(key):
                return int(level)  # type: ignore[arg-type]
    normalised = schema.normalise_header(key)
    match = re.fullmatch(r"(?:level|lvl|l|band|grade|g|p|job level|career level)?\s*(\d{1,2})(?: 0)?", normalised)
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(1))
    padded = f" {normalised} "
    for phrase in sorted(schema.SENIORITY_LADDER, key=len, reverse=True):
        if f" {phrase} " in padded:
            return schema.SENIORITY_LADDER[phrase]
    raise CellProblem(
        "not a seniority level the toolkit knows",
        "use a number from 1 (entry level) to 8 (executive), or a title such as Analyst, Manager or Director; "
        "for the client's own grades, add them under values: seniority: in a mapping file",
    )


_EMAIL = re.compile(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def parse_email(text: str) -> str | None:
    value = text.strip()
    if not value:
        return None
    angle = re.search(r"<([^<>]+)>", value)
    if angle:
        value = angle.group(1)
    value = value.removeprefix("mailto:").strip().lower()
    if not _EMAIL.match(value):
        raise CellProblem("not a valid email address", "correct it so it looks like name@company.com")
    return value


# Time zones ---------------------------------------------------------------------------------

_TZ_ABBREVIATIONS = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "bst": "Europe/London", "uk": "Europe/London",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "ist": "Asia/Kolkata", "india": "Asia/Kolkata",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "wet": "Europe/Lisbon", "eet": "Europe/Athens",
    "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
    "hst": "Pacific/Honolulu", "est5edt": "America/New_York", "cst6cdt": "America/Chicago",
    "mst7mdt": "America/Denver", "pst8pdt": "America/Los_Angeles", "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland", "brt": "America/Sao_Paulo",
    "sast": "Africa/Johannesburg", "gst": "Asia/Dubai", "bengaluru": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "new york": "America/New_York",
    "san francisco": "America/Los_Angeles", "boston": "America/New_York", "washington": "America/New_York",
    "beijing": "Asia/Shanghai", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "milan": "Europe/Rome", "barcelona": "Europe/Madrid", "geneva": "Europe/Zurich", "cape town": "Africa/Johannesburg",
    "ho chi minh city": "Asia/Ho_Chi_Minh", "seattle": "America/Los_Angeles", "austin": "America/Chicago",
    # Windows / Outlook zone names: "(UTC-05:00) Eastern Time (US & Canada)".
    "eastern time": "America/New_York", "central time": "America/Chicago", "mountain time": "America/Denver",
    "pacific time": "America/Los_Angeles", "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
    "atlantic time": "America/Halifax", "arizona": "America/Phoenix",
}


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    import zoneinfo

    names = {}
    for name in sorted(zoneinfo.available_timezones()):
        names[name.lower()] = name
    # City names: "London" -> Europe/London, when the city is unique.
    cities: dict[str, list[str]] = {}
    for name in names.values():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right")):
            cities.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), []).append(name)
    for city, zones in cities.items():
        if len(zones) == 1:
            # A city beats a legacy alias of the same name: "Singapore" -> Asia/Singapore.
            if city not in names or "/" not in names[city]:
                names[city] = zones[0]
    return names


_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$")


@lru_cache(maxsize=4096)
def parse_timezone(text: str) -> str | None:
    """An IANA time zone name, or ``UTC+05:30`` for a fixed offset.

    Accepts IANA names in any case, city names ("London"), common abbreviations
    ("EST", "IST", "CET"), offsets ("UTC+5:30", "GMT-5", "+01:00") and Outlook's
    "(UTC-05:00) Eastern Time (US & Canada)".
    """
    value = text.strip()
    if not value:
        return None
    names = _zone_names()
    outlook = re.match(r"^\((?:utc|gmt)\s*([+\-\u2212]\d{1,2}:?\d{2})?\)\s*(.*)$", value, re.IGNORECASE)
    if outlook:
        offset, rest = outlook.groups()
        for part in re.split(r"[,/&()]", rest):
            candidate = part.strip().lower()
            if candidate in names:
                return names[candidate]
            if candidate in _TZ_ABBREVIATIONS:
                return _TZ_ABBREVIATIONS[candidate]
        value = f"UTC{offset}" if offset else "UTC"
    key = value.lower().replace(" ", "_")
    # "EST", "MST" are legacy zone names with no daylight saving; people who write them mean the region.
    if key in ("est", "mst", "hst", "est5edt", "cst6cdt", "mst7mdt", "pst8pdt"):
        return _TZ_ABBREVIATIONS.get(key, names[key])
    if key in names:
        return names[key]
    spaced = value.lower().replace("_", " ")
    if spaced in names:
        return names[spaced]
    if spaced in _TZ_ABBREVIATIONS:
        return _TZ_ABBREVIATIONS[spaced]
    compact = spaced.replace(" ", "")
    match = _OFFSET.match(compact)
    if match:
        sign, hours, minutes = match.groups()
        hours_value, minutes_value = int(hours), int(minutes or 0)
        if hours_value > 14 or minutes_value not in (0, 15, 30, 45):
            raise CellProblem("not a valid UTC offset", "offsets run from UTC-12:00 to UTC+14:00")
        if hours_value == 0 and minutes_value == 0:
            return "UTC"
        symbol = "-" if sign in "-\u2212" else "+"
        return f"UTC{symbol}{hours_value:02d}:{minutes_value:02d}"
    suggestion = did_you_mean(value, list(names.values()) + [k.title() for k in _TZ_ABBREVIATIONS], cutoff=0.7)
    raise CellProblem(
        "not a time zone the toolkit knows" + (f" ({suggestion.strip()})" if suggestion else ""),
        "use a time zone name such as Europe/London or America/New_York, or an offset such as UTC+5:30",
    )


def utc_offset_hours(zone: str | None, when: dt.date | None = None) -> float | None:
    """Hours ahead of UTC for a time zone returned by :func:`parse_timezone`, on a date."""
    if zone is None or zone != zone:  # None or NaN
        return None
    if zone.startswith("UTC") and len(zone) > 3:
        sign = -1 if zone[3] == "-" else 1
        hours, minutes = zone[4:].split(":")
        return sign * (int(hours) + int(minutes) / 60)
    import zoneinfo

    when = when or dt.date.today()
    moment = dt.datetime(when.year, when.month, when.day, 12, tzinfo=zoneinfo.ZoneInfo(zone))
    return moment.utcoffset().total_seconds() / 3600  # type: ignore[union-attr]


# Availability -------------------------------------------------------------------------------

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_WORDS = {
    "mon": 0, "monday": 0, "mondays": 0, "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "wednesdays": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3, "fri": 4,
    "friday": 4, "fridays": 4, "sat": 5, "saturday": 5, "saturdays": 5, "sun": 6, "sunday": 6, "sundays": 6,
}
_PERIODS = {"am": (9 * 60, 12 * 60), "morning": (9 * 60, 12 * 60), "mornings": (9 * 60, 12 * 60),
            "lunch": (12 * 60, 13 * 60), "lunchtime": (12 * 60, 13 * 60), "pm": (13 * 60, 17 * 60),
            "afternoon": (13 * 60, 17 * 60), "afternoons": (13 * 60, 17 * 60), "evening": (17 * 60, 20 * 60),
            "evenings": (17 * 60, 20 * 60), "all day": (9 * 60, 17 * 60), "any time": (9 * 60, 17 * 60)}
_ANYTIME = {"any", "anytime", "any time", "flexible", "fully flexible", "working hours", "office hours",
            "weekdays", "any weekday", "business hours"}
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(rf"^{_TIME}\s*(?:-|\u2013|\u2014|to|until)\s*{_TIME}$")


def _minutes(hours: str, minutes: str | None, meridiem: str | None, other_meridiem: str | None = None) -> int:
    hour = int(hours)
    meridiem = meridiem or other_meridiem
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    return hour * 60 + int(minutes or 0)


def _format_window(day: int, start: int, end: int) -> str:
    return f"{DAYS[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def parse_availability(text: str) -> list[str]:
    """Weekly windows in local time, canonical as ``"Mon 09:00-11:00"``.

    Accepts "Mon 09:00-11:00; Wed 2pm-4pm", "Tue AM; Thu PM", "Mon/Wed 14-16",
    "Weekdays 9-17", "Anytime".
    """
    windows: list[str] = []
    for part in re.split(r"\s*[;\n|]\s*|,\s*(?=[A-Za-z])", text.strip()):
        if not part:
            continue
        windows.extend(_parse_window(part))
    unique = sorted(set(windows), key=lambda window: (DAYS.index(window[:3]), window[4:]))
    return unique


def _parse_window(part: str) -> list[str]:
    key = re.sub(r"\s+", " ", part.strip().lower()).strip(" .")
    if key in _ANYTIME:
        return [_format_window(day, 9 * 60, 17 * 60) for day in range(5)]
    match = re.match(r"^([a-z]+(?:\s*(?:/|&|and|-|\u2013)\s*[a-z]+)*)\s*(.*)$", key)
    if not match:
        raise CellProblem("availability not understood", 'write windows like "Mon 09:00-11:00; Thu PM"')
    day_text, time_text = match.group(1), match.group(2).strip()
    if day_text in ("weekdays", "weekday", "mon-fri", "monday-friday", "every day", "daily"):
        days = list(range(5))
    else:
        range_match = re.fullmatch(r"([a-z]+)\s*(?:-|\u2013|to)\s*([a-z]+)", day_text)
        if range_match and range_match.group(1) in _DAY_WORDS and range_match.group(2) in _DAY_WORDS:
            first, last = _DAY_WORDS[range_match.group(1)], _DAY_WORDS[range_match.group(2)]
            days = list(range(first, last + 1))
        else:
            words = [word for word in re.split(r"\s*(?:/|&|and|,)\s*", day_text) if word]
            if words and all(word in _DAY_WORDS for word in words):
                days = [_DAY_WORDS[word] for word in words]
            elif day_text in _PERIODS or day_text in _ANYTIME:
                days, time_text = list(range(5)), day_text if not time_text else time_text
            else:
                raise CellProblem(f'"{part}" does not start with a day',
                                  'write windows like "Mon 09:00-11:00; Thu PM"')
    if not time_text or time_text in ("all day", "any time", "anytime"):
        start, end = _PERIODS["all day"]
    elif time_text in _PERIODS:
        start, end = _PERIODS[time_text]
    else:
        range_match = _RANGE.match(time_text.replace(" ", "") if "to" not in time_text else time_text)
        if not range_match:
            raise CellProblem(f'the time range in "{part}" is not understood',
                              'write times like "09:00-11:00", "9am-11am" or "AM"/"PM"')
        start = _minutes(range_match.group(1), range_match.group(2), range_match.group(3), range_match.group(6))
        end = _minutes(range_match.group(4), range_match.group(5), range_match.group(6))
        if end == 0:
            end = 24 * 60
        if not (0 <= start < end <= 24 * 60):
            raise CellProblem(f'the window "{part}" ends before it starts or runs past midnight',
                              "give a start time before the end time, within one day")
    return [_format_window(day, start, end) for day in days]


# Dates --------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ ,T].*)?$")


def _date_order(values: Iterable[str]) -> str:
    """DMY or MDY for a column of slashed dates: decided by any day above 12."""
    first_above, second_above = False, False
    for value in values:
        match = _SLASH_DATE.match(value.strip())
        if match:
            first_above |= int(match.group(1)) > 12
            second_above |= int(match.group(2)) > 12
    if second_above and not first_above:
        return "MDY"
    return "DMY"


def parse_date(text: str, order: str = "DMY") -> dt.date | None:
    value = text.strip()
    if not value:
        return None
    try:
        match = _ISO_DATE.match(value)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _SLASH_DATE.match(value)
        if match:
            first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            year += 2000 if year < 100 else 0
            day, month = (first, second) if order == "DMY" else (second, first)
            return dt.date(year, month, day)
        from dateutil import parser as date_parser

        return date_parser.parse(value, dayfirst=order == "DMY").date()
    except (ValueError, OverflowError):
        raise CellProblem("not a date", "write the date as YYYY-MM-DD, e.g. 2027-03-01") from None


_LANGUAGE_CODES = {
    "en": "English", "eng": "English", "es": "Spanish", "spa": "Spanish", "espanol": "Spanish", "fr": "French",
    "fra": "French", "francais": "French", "de": "German", "deu": "German", "deutsch": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "hi": "Hindi", "zh": "Mandarin", "chinese": "Mandarin",
    "mandarin chinese": "Mandarin", "ms": "Malay", "bahasa": "Malay", "bahasa melayu": "Malay", "ta": "Tamil",
    "ar": "Arabic", "ja": "Japanese", "ko": "Korean", "pl": "Polish", "ru": "Russian", "sv": "Swedish",
}


def _canonical_language(item: str) -> str:
    key = schema.normalise_header(item)
    return _LANGUAGE_CODES.get(key, item[:1].upper() + item[1:] if item.islower() else item)


# --------------------------------------------------------------------------------------------
# 4. Loading a roster
# --------------------------------------------------------------------------------------------


@dataclass
class _Record:
    """One input row being turned into a participant."""

    source: str
    row: int
    values: dict[str, object]
    raw: dict[str, str]
    columns: dict[str, tuple[str, str]]  # field -> (header, letter) for error messages
    problems: list[Problem] = field(default_factory=list)
    outcome: str = "loaded"
    participant_id: str | None = None
    reasons: list[str] = field(default_factory=list)


def _parse_table(table: Table, mapping: ColumnMapping, role: str | None, date_orders: dict[str, str]) -> list[_Record]:
    records = []
    by_field: dict[str, list[int]] = {}
    for index, name in sorted(mapping.fields.items()):
        by_field.setdefault(name, []).append(index)

    for cells, row_number in zip(table.rows, table.row_numbers):
        raw = {table.headers[index]: cells[index] for index in range(len(table.headers)) if cells[index]}
        record = _Record(source=table.path, row=row_number, values={}, raw=raw, columns={})
        if row_number in table.overflow:
            extra = [cell for cell in table.overflow[row_number] if cell]
            shown = repr(table.delimiter) if table.delimiter != "\t" else "tab"
            record.problems.append(Problem(
                f"the row has {len(table.overflow[row_number])} more cell(s) than the header has columns, so its "
                f"values are probably shifted: a value seems to contain the delimiter {shown} without quotes",
                f"open the file, find the value with a {shown} in it on this row, and put the value in quotes "
                "(or save the file again from Excel, which quotes such values)",
                table.path, row_number, None, " | ".join(extra),
            ))
            raw.update({f"Column {column_letter(len(table.headers) + offset)}": cell
                        for offset, cell in enumerate(table.overflow[row_number]) if cell})
        for name, indexes in by_field.items():
            spec = schema.field(name)
            header, letter = table.headers[indexes[0]], column_letter(indexes[0])
            record.columns[name] = (header, letter)
            texts = [cells[index] for index in indexes]
            try:
                record.values[name] = _parse_cell(spec, texts, mapping.values.get(name), date_orders.get(name, "DMY"))
            except CellProblem as problem:
                record.problems.append(Problem(str(problem), problem.fix, table.path, row_number, header,
                                               " | ".join(text for text in texts if text), letter))
        if role is not None:
            record.values["role"] = role
        records.append(record)
    return records


def _parse_cell(spec: schema.Field, texts: list[str], translations, date_order: str):
    text = texts[0]
    if translations and spec.kind not in ("list", "references", "level"):
        for source, target in translations.items():
            if schema.normalise_header(source) == schema.normalise_header(text):
                text = str(target)
                break
    kind = spec.kind
    if kind in ("id", "reference"):
        return text or None
    if kind == "text":
        return re.sub(r"\s+", " ", text) or None
    if kind == "category":
        return re.sub(r"\s+", " ", text) or None
    if kind == "email":
        return parse_email(text)
    if kind == "role":
        return parse_role(text)
    if kind == "bool":
        return parse_bool(text, allow_unsure=spec.name != "consent")
    if kind == "mode":
        return parse_meeting_mode(text)
    if kind == "int":
        return parse_positive_int(text)
    if kind == "number":
        return parse_number(text)
    if kind == "level":
        return parse_level(text, translations)
    if kind == "timezone":
        return parse_timezone(text)
    if kind == "date":
        return parse_date(text, date_order)
    if kind == "availability":
        windows: list[str] = []
        for part in texts:
            windows += parse_availability(part) if part else []
        return tuple(sorted(set(windows), key=lambda window: (DAYS.index(window[:3]), window[4:])))
    if kind in ("list", "references"):
        items: list[str] = []
        for part in texts:
            for item in split_list(part):
                if translations:
                    item = str(next((target for source, target in translations.items()
                                     if schema.normalise_header(source) == schema.normalise_header(item)), item))
                if item.casefold() not in {existing.casefold() for existing in items}:
                    items.append(item)
        if spec.name == "languages":
            items = list(dict.fromkeys(_canonical_language(item) for item in items))
        return tuple(items)
    raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover


def _mapping_problems(table: Table, mapping: ColumnMapping, role: str | None) -> list[Problem]:
    problems = []
    for index, candidates in mapping.ambiguous.items():
        header = table.headers[index]
        options = " or ".join(f'"{name}"' for name in candidates)
        problems.append(Problem(
            f"the column could mean {options}", path=table.path, column=header, column_letter=column_letter(index),
            fix=f'say which in a mapping, e.g. mapping={{"{header}": "{candidates[0]}"}} (or "ignore")',
        ))
    for name, indexes in mapping.conflicts.items():
        headers = [table.headers[index] for index in indexes]
        listed = " and ".join(f'"{header}"' for header in headers)
        problems.append(Problem(
            f'columns {listed} both look like "{name}"', path=table.path,
            fix=f'say which to use in a mapping, e.g. mapping={{"{headers[0]}": "{name}", "{headers[1]}": "ignore"}}',
        ))
    mapped = set(mapping.fields.values())
    if not mapped & {"participant_id", "email"} and not set(mapping.conflicts) & {"participant_id", "email"}:
        problems.append(Problem(
            "no column holds an id or email address, so people cannot be told apart", path=table.path,
            fix='add an "Email" or "Employee ID" column, or map the column that holds one, '
                'e.g. mapping={"Your work address": "email"}',
        ))
    if role is None and "role" not in mapped:
        problems.append(Problem(
            "no column says who is a mentor and who is a mentee", path=table.path,
            fix='add a "Role" column (Mentor / Mentee / Both), map the column that says it, '
                'or load a file that has only one kind of participant with role="mentor" or role="mentee"',
        ))
    return problems


def _participant_id(record: _Record) -> str | None:
    given = record.values.get("participant_id")
    if given:
        return str(given)
    email = record.values.get("email")
    if email:
        return "P-" + hashlib.sha1(str(email).encode("utf-8")).hexdigest()[:8].upper()
    return None


def _merge_into(kept: _Record, other: _Record) -> None:
    """One person's rows from a mentor file and a mentee file become one participant, role both."""
    kept.values["role"] = "both"
    for name, value in other.values.items():
        current = kept.values.get(name)
        if current in (None, (), "") and value not in (None, (), ""):
            kept.values[name] = value
        elif isinstance(current, tuple) and isinstance(value, tuple):
            kept.values[name] = tuple(dict.fromkeys(current + value))


def _problem_at(record: _Record, name: str, message: str, fix: str, value: object = None) -> Problem:
    header, letter = record.columns.get(name, (None, None))
    return Problem(message, fix, record.source, record.row, header, value, letter)


def _canonical_spellings(records: list[_Record], names: Sequence[str]) -> None:
    """Use one spelling per value across the roster: "python" and "Python" are the same skill."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for name in names:
            value = record.values.get(name)
            for item in (value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()):
                counts.setdefault(item.casefold(), Counter())[item] += 1
    preferred = {key: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]
                 for key, counter in counts.items()}
    for record in records:
        for name in names:
            value = record.values.get(name)
            if isinstance(value, tuple):
                record.values[name] = tuple(dict.fromkeys(preferred[item.casefold()] for item in value))
            elif isinstance(value, str):
                record.values[name] = preferred[value.casefold()]


def load_roster(
    path: str | Path | Sequence[str | Path],
    mapping: Mapping | str | Path | None = None,
    *,
    role: str | Sequence[str | None] | None = None,
    lenient: bool = False,
    on_duplicate: str = "error",
    sheet: str | int | None = None,
    org_chart: str | Path | Mapping[str, str | None] | None = None,
):
    """Read participant files into a validated :class:`~toolkit.roster.Roster`.

    Parameters
    ----------
    path
        A CSV or Excel file, or a list of them (e.g. a mentor sign-up export and a
        mentee sign-up export). People found in two files with different roles are
        merged into one participant with role ``both``.
    mapping
        Client header -> toolkit field, as a dict or a YAML file, for columns the
        toolkit cannot map on its own (see :func:`suggest_mapping`). With several
        files, one mapping applies to all (headers not in a file are an error only
        when no file has them).
    role
        ``"mentor"`` or ``"mentee"`` for files without a role column (one kind of
        participant per file); with several files, one role (or None) per file.
    lenient
        If False (the default), any problem raises one :class:`IntakeError` listing
        every problem and nothing is loaded. If True, rows with problems are set
        aside in ``roster.rejected`` with their reasons and the rest load; unresolved
        references (a preference for someone not in the roster) are dropped with a
        warning in ``roster.warnings``.
    on_duplicate
        What to do when one email or id appears on two rows with the same role:
        ``"error"`` (a problem), ``"keep_last"`` (a re-submitted form: the later
        row wins; the earlier is rejected as superseded) or ``"keep_first"``.
    sheet
        Worksheet name or 0-based position for Excel files.
    org_chart
        An HRIS extract of employee id -> manager id covering people who are not
        participants, so reporting lines are complete; a file or a mapping.

    Returns
    -------
    Roster

    Raises
    ------
    IntakeError
        Listing every problem: file, spreadsheet row, column, value, what is wrong and the fix.
    """
    from .roster import Roster

    check_option("on_duplicate", on_duplicate, ("error", "keep_last", "keep_first"), IntakeError)
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if not paths:
        raise IntakeError("No participant file was given.", fix="pass the path of a CSV or Excel file")
    roles = [role] * len(paths) if role is None or isinstance(role, str) else list(role)
    if len(roles) != len(paths):
        raise IntakeError(f"{len(paths)} files but {len(roles)} roles were given.",
                          fix="give one role (or None) per file, in the same order")
    for one_role in roles:
        if one_role is not None:
            check_option("role", one_role, ("mentor", "mentee", "both"), IntakeError)

    explicit, _ = read_mapping(mapping)
    tables, mappings, file_problems = [], [], []
    for one_path, one_role in zip(paths, roles):
        table = read_table(one_path, sheet=sheet)
        local = {header: name for header, name in explicit.items() if _find_column(table, header) is not None}
        if isinstance(mapping, (str, Path)):
            mapping_for_table: Mapping | None = {"columns": local, "values": read_mapping(mapping)[1]}
        elif mapping is not None and set(mapping) <= {"columns", "values"}:
            mapping_for_table = {"columns": local, "values": dict(mapping.get("values") or {})}
        else:
            mapping_for_table = local
        column_mapping = suggest_mapping(table, mapping_for_table)
        file_problems += _mapping_problems(table, column_mapping, one_role)
        tables.append(table)
        mappings.append(column_mapping)
    unused = [header for header in explicit if not any(_find_column(table, header) is not None for table in tables)]
    for header in unused:
        file_problems.append(Problem(
            f'the mapping names column "{header}", which is in none of the files'
            + did_you_mean(header, [header for table in tables for header in table.headers]),
            fix="copy the header exactly as it appears in the file",
        ))
    if file_problems:
        raise IntakeError(
            f"The columns of {', '.join(Path(p).name for p in paths)} could not be matched to the toolkit's fields; "
            "nothing was loaded:",
            problems=file_problems,
        )

    records: list[_Record] = []
    for table, column_mapping, one_role in zip(tables, mappings, roles):
        date_orders = {
            name: _date_order(row[index] for row in table.rows for index in column_mapping.columns_for(name))
            for name in set(column_mapping.fields.values()) if schema.field(name).kind == "date"
        }
        records += _parse_table(table, column_mapping, one_role, date_orders)

    warnings: list[Problem] = []
    _validate_records(records, on_duplicate, lenient, warnings)
    return Roster._from_intake(
        records=records, tables=tables, mappings=mappings, warnings=warnings,
        org_chart=_org_chart_mapping(org_chart), lenient=lenient,
    )


def _validate_records(records: list[_Record], on_duplicate: str, lenient: bool, warnings: list[Problem]) -> None:
    """Row checks, then checks across rows; fills in problems and outcomes."""
    # Row-level checks ---------------------------------------------------------------------
    for record in records:
        values = record.values
        if not values.get("name") and (values.get("first_name") or values.get("last_name")):
            values["name"] = " ".join(str(part) for part in (values.get("first_name"), values.get("last_name")) if part)
        values.pop("first_name", None)
        values.pop("last_name", None)
        record.participant_id = _participant_id(record)
        problem_columns = {problem.column for problem in record.problems}
        if record.participant_id is None and record.columns.get("email", (None,))[0] not in problem_columns:
            record.problems.append(Problem(
                "the row has neither an id nor an email address", "fill in the person's email address",
                record.source, record.row,
            ))
        if not values.get("role") and record.columns.get("role", (None,))[0] not in problem_columns:
            record.problems.append(_problem_at(record, "role", "the role is empty",
                                               'write "Mentor", "Mentee" or "Both"'))
        if values.get("consent") is False:
            record.outcome = "rejected"
            record.reasons.append("did not consent to their answers being used for matching")
            warnings.append(_problem_at(record, "consent", "this person did not consent, so they were left out",
                                        "nothing to fix; contact them if consent was given another way"))

    # Duplicates across rows ----------------------------------------------------------------
    first_seen: dict[tuple[str, str], _Record] = {}
    for record in records:
        if record.outcome == "rejected" or record.participant_id is None:
            continue
        # Ids derived from the email are checked through the email: the user never saw the derived id.
        keys = [("participant_id", record.participant_id)] if record.values.get("participant_id") else []
        if record.values.get("email"):
            keys.append(("email", str(record.values["email"])))
        for key_name, key in keys:
            earlier = first_seen.get((key_name, key))
            if earlier is None or earlier is record:
                first_seen[(key_name, key)] = record
                continue
            if earlier.outcome == "rejected":
                first_seen[(key_name, key)] = record
                continue
            same_file = earlier.source == record.source
            roles = {earlier.values.get("role"), record.values.get("role")}
            if not same_file and roles == {"mentor", "mentee"}:
                _merge_into(earlier, record)
                record.outcome, record.participant_id = "merged", earlier.participant_id
                who = record.values.get("email") or record.values.get("name") or key
                warnings.append(Problem(
                    f"{who} signed up as a mentor in one file and as a mentee in another; "
                    f"merged into one participant with role both (with row {earlier.row} of "
                    f"{Path(earlier.source).name})",
                    "nothing to fix if that is intended", record.source, record.row,
                ))
                break
            label = "email address" if key_name == "email" else "id"
            where = f"row {earlier.row}" + ("" if same_file else f" of {Path(earlier.source).name}")
            if on_duplicate == "keep_last":
                earlier.outcome = "rejected"
                earlier.reasons.append(f"superseded by row {record.row} with the same {label} ({key})")
                first_seen[(key_name, key)] = record
            elif on_duplicate == "keep_first":
                record.outcome = "rejected"
                record.reasons.append(f"the same {label} ({key}) is already on {where}")
                break
            else:
                record.problems.append(_problem_at(
                    record, key_name, f"the same {label} is already on {where}",
                    "delete one of the two rows (if the person re-submitted the form, keep the newer one, "
                    'or load with on_duplicate="keep_last"); if they want to be both mentor and mentee, '
                    'keep one row with role "Both"',
                    key,
                ))
                break

    # References between people ---------------------------------------------------------------
    live = [record for record in records if record.outcome == "loaded"]
    index: dict[str, str] = {}
    ambiguous_names: set[str] = set()
    for record in live:
        if record.participant_id:
            index[record.participant_id.casefold()] = record.participant_id
        if record.values.get("email"):
            index[str(record.values["email"]).casefold()] = record.participant_id  # type: ignore[assignment]
    names: dict[str, str] = {}
    for record in live:
        name = record.values.get("name")
        if name and record.participant_id:
            key = str(name).casefold()
            if key in names and names[key] != record.participant_id:
                ambiguous_names.add(key)
            names[key] = record.participant_id
    mentors = {record.participant_id for record in live if record.values.get("role") in ("mentor", "both")}

    def resolve(token: str) -> str | None:
        key = token.strip().casefold()
        if key in index:
            return index[key]
        if key in names and key not in ambiguous_names:
            return names[key]
        return None

    for record in live:
        values = record.values
        manager = values.get("manager_id")
        if manager:
            resolved = resolve(str(manager))
            values["manager_id"] = resolved or str(manager).strip()
            if values["manager_id"] == record.participant_id or (
                str(manager).casefold() == str(values.get("email", "")).casefold()
            ):
                record.problems.append(_problem_at(record, "manager_id", "the person is listed as their own manager",
                                                   "give their line manager's id or email, or leave it blank",
                                                   manager))
        for name in ("preferences", "exclusions", "previous_partners"):
            tokens = values.get(name) or ()
            resolved_ids: list[str] = []
            for token in tokens:
                target = resolve(token)
                label = {"preferences": "preferences", "exclusions": "do-not-match list",
                         "previous_partners": "previous partners"}[name]
                if target == record.participant_id:
                    record.problems.append(_problem_at(
                        record, name, f"the person lists themselves in their {label}",
                        "remove their own name, id or email from the cell", token))
                    continue
                if target is None:
                    why = ("more than one participant has that name" if token.casefold() in ambiguous_names
                           else "no participant has that id, email or name")
                    problem = _problem_at(record, name, f"{label}: {why}",
                                          "use the person's id or email exactly as in the roster, or remove it",
                                          token)
                    if lenient:
                        warnings.append(Problem(problem.message + "; it was left out", problem.fix, problem.path,
                                                problem.row, problem.column, problem.value, problem.column_letter))
                    else:
                        record.problems.append(problem)
                    continue
                if name == "preferences" and target not in mentors:
                    problem = _problem_at(record, name, "preferences: that person is not a mentor in this roster",
                                          "list only people who signed up as mentors", token)
                    if lenient:
                        warnings.append(Problem(problem.message + "; it was left out", problem.fix, problem.path,
                                                problem.row, problem.column, problem.value, problem.column_letter))
                    else:
                        record.problems.append(problem)
                    continue
                if target not in resolved_ids:
                    resolved_ids.append(target)
            values[name] = tuple(resolved_ids)

    # Role-dependent checks ------------------------------------------------------------------
    for record in live:
        values = record.values
        if values.get("role") == "mentee" and values.get("capacity") not in (None,):
            values["capacity"] = None  # a mentee's "capacity" answer is meaningless; not an error

    _canonical_spellings(live, ("skills_offered", "skills_sought"))
    for name in ("department", "business_unit", "team", "site", "region", "cohort", "goals", "languages",
                 "gender", "age_band", "ethnicity"):
        _canonical_spellings(live, (name,))

    for record in records:
        if record.problems and record.outcome != "rejected":
            record.outcome = "rejected"
            record.reasons += [problem.describe() for problem in record.problems]

    # Lenient loading: references to people whose rows were set aside would dangle; drop them, saying so.
    kept = {record.participant_id for record in records if record.outcome == "loaded"}
    for record in records:
        if record.outcome != "loaded":
            continue
        for name in ("preferences", "exclusions", "previous_partners"):
            targets = record.values.get(name) or ()
            dropped = [target for target in targets if target not in kept]
            if dropped:
                record.values[name] = tuple(target for target in targets if target in kept)
                for target in dropped:
                    warnings.append(_problem_at(
                        record, name, "refers to a person whose own row was set aside; the reference was left out",
                        "fix that person's row and load again", target))


def _org_chart_mapping(org_chart) -> dict[str, str | None]:
    if org_chart is None:
        return {}
    if isinstance(org_chart, Mapping):
        return {str(key): (None if value in (None, "") else str(value)) for key, value in org_chart.items()}
    return load_org_chart(org_chart)


def load_org_chart(path: str | Path, mapping: Mapping | None = None) -> dict[str, str | None]:
    """Read an HRIS extract of employee id -> manager id (for complete reporting lines).

    The file needs an id column (or email) and a manager column; other columns are ignored.

    Raises
    ------
    IntakeError
        When columns are missing, an id appears twice, someone manages themselves, or
        the management chain loops.
    """
    table = read_table(path)
    column_mapping = suggest_mapping(table, mapping)
    id_columns = column_mapping.columns_for("participant_id") or column_mapping.columns_for("email")
    manager_columns = column_mapping.columns_for("manager_id")
    if not id_columns or not manager_columns:
        raise IntakeError(
            f"{table.name} needs an employee id column and a manager column to be used as an org chart.",
            fix='name them "Employee ID" and "Manager ID", or pass mapping={"Your id header": "participant_id", '
                '"Your manager header": "manager_id"}',
            path=path,
        )
    id_index, manager_index = id_columns[0], manager_columns[0]
    chart: dict[str, str | None] = {}
    problems = []
    for cells, row in zip(table.rows, table.row_numbers):
        employee, manager = cells[id_index].strip(), cells[manager_index].strip() or None
        if not employee:
            problems.append(Problem("the employee id is empty", "fill it in or delete the row", table.path, row,
                                    table.headers[id_index], None, column_letter(id_index)))
            continue
        if employee in chart:
            problems.append(Problem("this employee id appears twice", "delete one of the rows", table.path, row,
                                    table.headers[id_index], employee, column_letter(id_index)))
            continue
        if manager == employee:
            problems.append(Problem("the employee is listed as their own manager", "correct the manager id",
                                    table.path, row, table.headers[manager_index], manager,
                                    column_letter(manager_index)))
            manager = None
        chart[employee] = manager
    for employee in chart:
        seen, current = {employee}, chart[employee]
        while current is not None and current in chart:
            if current in seen:
                problems.append(Problem(f"the management chain starting at {employee} loops back on itself",
                                        "correct one of the manager ids in the loop", table.path))
                break
            seen.add(current)
            current = chart[current]
    if problems:
        raise IntakeError(f"{table.name} cannot be used as an org chart:", problems=problems, fix=_FIX_RELOAD)
    return chart
