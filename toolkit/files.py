"""Spreadsheet-safe exports: CSV and Excel files a client can open without surprises.

One sanitiser for every place user text is written (:func:`clean_text` underneath all of
them): control characters that no file format wants (ESC, BEL, NUL ...) are removed and
carriage returns become plain line breaks. Then, per format:

- CSV (:func:`neutralise`): a text cell that a spreadsheet program would read as a formula
  (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), or that has such a
  character right after a line break or tab inside it, gets a leading apostrophe there, so a
  participant who typed ``=HYPERLINK(...)`` into a sign-up form cannot make a consultant's
  Excel run it (CSV/formula injection). Cells with line breaks are quoted, so a row never splits.
- Excel (:func:`write_excel`): the text is stored as text with Excel's own quote prefix (the
  cell style, not a literal apostrophe); cells are cut at Excel's 32,767-character limit.
- HTML and Markdown (:func:`html_text`, :func:`markdown_text`), iCalendar (:func:`ical_text`)
  and file names (:func:`safe_filename`).

Numbers stay numbers.

Files are written atomically: to a temporary file beside the target, then renamed,
so an interrupted export never leaves half a file in place of a good one.

Feature modules build their own tables (pairs, agreements, communications plans) and
write them through :func:`write_csv` and :func:`write_excel`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import numbers
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import pandas as pd

from .errors import ToolkitError

__all__ = [
    "FORMULA_PREFIXES", "clean_text", "neutralise", "safe_frame", "write_csv", "write_excel", "atomic_path",
    "write_text", "write_bytes", "output_folder", "html_text", "markdown_text", "ical_text", "safe_filename", "EXCEL_CELL_LIMIT",
]

#: A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_EXCEL_SHEET_NAME_LIMIT = 31
_EXCEL_FORBIDDEN = set('[]:*?/\\')
#: Excel refuses (asks to "repair") a cell longer than this.
EXCEL_CELL_LIMIT = 32_767
# Control characters no CSV, workbook, web page or calendar should carry (tab and line feed are kept;
# carriage returns are turned into line feeds first). openpyxl raises IllegalCharacterError on these.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A formula character right after a line break or tab inside a cell: a naive import splits there.
_INNER_FORMULA = re.compile("([\n\t])(?=[=+\\-@\uff1d\uff0b\uff0d\uff20])")


def clean_text(text: str) -> str:
    """Text with carriage returns made line feeds and other control characters removed
    (an ESC or BEL typed into a form; NUL from a damaged file)."""
    text = str(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def neutralise(value: object) -> object:
    """A CSV cell value that no spreadsheet will execute.

    Control characters are removed (:func:`clean_text`); text starting with a formula
    character gets a leading apostrophe (which spreadsheets hide and treat as "this is
    text"), and so does each line (or tab-separated part) inside the cell that starts with
    one; sequences such as lists and tuples are joined with ``"; "`` first. Numbers, dates,
    booleans and missing values are returned unchanged.

    >>> neutralise("=1+1")
    "'=1+1"
    >>> neutralise(-3)
    -3
    """
    if value is None or isinstance(value, (bool, numbers.Number, dt.date, dt.datetime, pd.Timestamp)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "; ".join(str(item) for item in value)
    text = clean_text(value)
    text = _INNER_FORMULA.sub("\\1'", text)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _excel_value(value: object) -> object:
    """A cell value for a workbook: cleaned text (formula-looking text is marked by write_excel)."""
    if value is None or isinstance(value, (bool, numbers.Number, dt.date, dt.datetime, pd.Timestamp)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "; ".join(str(item) for item in value)
    text = clean_text(value)
    if len(text) > EXCEL_CELL_LIMIT:
        marker = f" … [cut: {len(text):,} characters]"
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    return text


def html_text(value: object) -> str:
    """Text safe to place in an HTML page (escaped, control characters removed)."""
    return html.escape(clean_text("" if value is None else value), quote=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def markdown_text(value: object) -> str:
    """Text safe to place in Markdown: one line, every Markdown and HTML character escaped."""
    text = " ".join(clean_text("" if value is None else value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)) if text else ""


def ical_text(value: object) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): escaped, line breaks as ``\\n``, no raw CR/LF."""
    text = clean_text("" if value is None else value).replace("\t", " ")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


_FILENAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(value: object, *, default: str = "file", limit: int = 100) -> str:
    """A file name made from user text: no path separators, control characters, leading dots or
    Windows-reserved names; at most ``limit`` characters.

    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    """
    text = _FILENAME_BAD.sub("_", clean_text("" if value is None else value).replace("\n", " "))
    text = re.sub(r"_+", "_", text).strip(" ._")
    if text.split(".")[0].lower() in _WINDOWS_RESERVED:
        text = "_" + text
    return text[:limit].rstrip(" .") or default


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and every column header) neutralised."""
    return _map_frame(frame, neutralise)


def _map_frame(frame: pd.DataFrame, function) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = pd.Series([function(value) for value in safe[column]], index=safe.index, dtype=object)
    safe.columns = [function(str(column)) for column in safe.columns]
    if safe.index.dtype == object:
        safe.index = [function(value) for value in safe.index]
    return safe


def _normal_mode() -> int:
    """The permissions an ordinary new file gets here (0666 less the umask), not mkstemp's 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def output_folder(folder: str | os.PathLike) -> Path:
    """``folder``, created if needed, after checking files can be written in it.

    Raises
    ------
    ToolkitError
        When it is a file, or it (or a folder above it) cannot be written to: read-only, no permission.
    """
    folder = Path(folder)
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            raise ToolkitError(f"The output folder {folder} cannot be created: {parent} is a file, not a folder.",
                               fix="give --out a folder (a new or existing one), not a file", path=parent)
        if parent.exists():
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ToolkitError(f"The output folder {folder} cannot be created ({error.strerror or error}).",
                           fix="choose a folder you can write in with --out", path=folder) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ToolkitError(f"The output folder {folder} is read-only for you, so nothing could be written there.",
                           fix="choose a folder you can write in with --out, or ask for write access; nothing was "
                               "written", path=folder)
    return folder


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step."""
    target = Path(target)
    output_folder(target.parent)
    if target.is_dir():
        raise ToolkitError(f"{target} is a folder, so a file of that name cannot be written.",
                           fix="rename or move that folder, or choose another output folder", path=target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise ToolkitError(f"{target} cannot be written ({error.strerror or error}); nothing was written.",
                           fix="choose a folder you can write in (--out), or ask for write access", path=target) from None
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        if temporary_path.exists():
            os.chmod(temporary_path, _normal_mode())
        os.replace(temporary_path, target)
    finally:
        if temporary_path.exists():
            temporary_path.unlink()


def write_text(text: str, path: str | os.PathLike, *, encoding: str = "utf-8") -> Path:
    """Write a text file atomically, without control characters (tab and line breaks are kept); returns its path."""
    text = _CONTROL.sub("", text)
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding=encoding, errors="replace")
    return Path(path)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write a binary file atomically (normal permissions); returns its path."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
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
    # Line breaks inside cells are "\n" (clean_text), which the writer then quotes: a row never splits.
    safe_frame(frame).to_csv(buffer, index=index, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
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
                safe = _map_frame(frame, _excel_value)
                safe.to_excel(writer, sheet_name=name, index=index)
                sheet = writer.sheets[name]
                _mark_text_cells(sheet)
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


def _mark_text_cells(sheet) -> None:
    """Text that looks like a formula is stored as text with Excel's quote prefix (never as a formula)."""
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_PREFIXES)):
                cell.data_type = "s"
                cell.quotePrefix = True
