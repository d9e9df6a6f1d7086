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

Invisible format characters (right-to-left overrides and the other bidi controls, zero-width
spaces, byte-order marks, tag characters) are removed from every value written, so a name cannot
be made to read backwards or hide text. Free text a person typed (goals, skills, notes, comments)
goes through :func:`sanitise_free_text`, the one sanitiser: it also replaces email addresses,
phone numbers and web links, so no contact detail reaches a report, agreement, kit or studio
table. Workbooks are written byte for byte the same for the same content (fixed document
properties and zip times), so two identical runs give identical files.

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
import itertools
import numbers
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import ToolkitError

__all__ = [
    "FORMULA_PREFIXES", "clean_text", "neutralise", "safe_frame", "write_csv", "write_excel", "atomic_path",
    "write_text", "write_bytes", "output_folder", "html_text", "markdown_text", "ical_text", "safe_filename",
    "EXCEL_CELL_LIMIT",
    "strip_invisible", "clean_name", "scrub_contacts", "has_contact_details", "sanitise_free_text", "shared_terms",
    "withhold_terms",
    "FIXED_TIMESTAMP", "fixed_timestamp", "make_workbook_deterministic", "redact_paths",
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


# Characters that draw nothing but change how text reads: the bidi controls (a right-to-left override
# makes "exe.txt" read "txt.exe"), zero-width spaces and joiners used to hide text, byte-order marks,
# soft hyphens, Hangul fillers (blank-looking names) and the tag characters. ZWNJ and ZWJ (U+200C/D) are
# kept: Persian and Indic names need them.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]")


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters (bidi controls, zero-width spaces, BOMs, tags)."""
    return _INVISIBLE.sub("", text)


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


def _clean_value(text: object) -> str:
    """One value for a file: control and invisible format characters removed."""
    return strip_invisible(clean_text(str(text)))


def clean_name(value: object) -> str:
    """A person's, pair's or client's name as one clean line: control and invisible format characters
    removed (a right-to-left override cannot reverse how it reads), runs of spaces made one."""
    return " ".join(_clean_value("" if value is None else value).split())


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
    text = _clean_value(value)
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
    text = _clean_value(value)
    if len(text) > EXCEL_CELL_LIMIT:
        marker = f" … [cut: {len(text):,} characters]"
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    return text


def html_text(value: object) -> str:
    """Text safe to place in an HTML page (escaped, control characters removed)."""
    return html.escape(_clean_value("" if value is None else value), quote=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def markdown_text(value: object) -> str:
    """Text safe to place in Markdown: one line, every Markdown and HTML character escaped."""
    text = " ".join(_clean_value("" if value is None else value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)) if text else ""


def ical_text(value: object) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): escaped, line breaks as ``\\n``, no raw CR/LF."""
    text = _clean_value("" if value is None else value).replace("\t", " ")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


# -- contact details in free text ------------------------------------------------------------------
# Every pattern starts only where a token starts and never backtracks (possessive quantifiers), so a
# million-character cell is scanned in linear time.
# An email address, also written with a full-width @ or as "name [at] domain [dot] com".
_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]++\s*+(?:[@\uff20]|[\[({]\s*+at\s*+[\])}])\s*+[\w-]++"
                    r"(?:\s*+(?:\.|[\[({]\s*+dot\s*+[\])}])\s*+[\w-]++)++", re.IGNORECASE)
# A link with a scheme (https://..., ftp://...) or mailto:/tel:/sms: ...
_SCHEME_URL = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*+://\S*+"
                         r"|(?<![\w-])(?:mailto|tel|sms|callto|skype|whatsapp):\S++", re.IGNORECASE)
# A word that may be a bare link: www.anything, or a host name ending in a common top-level domain written
# in lower case ("calendly.com/sam", "bit.ly/x"); "ASP.NET" and "Node.js" are skills, not links.
_HOST_CANDIDATE = re.compile(r"(?<![\w.@/-])[A-Za-z0-9][A-Za-z0-9.-]*+(?:/\S*+)?")
_TOP_LEVEL = {"com", "org", "net", "io", "co", "uk", "us", "eu", "de", "fr", "nl", "ie", "info", "biz", "me", "ly",
              "gl", "be", "app", "dev", "ai", "to", "gg", "link", "page", "site", "online"}
# A run of digits that may hold a phone number: an optional +, 00 or (, digits, spaces, dots, dashes, brackets.
_PHONE_RUN = re.compile(r"(?<![\w+/.-])(?:\+|00)?\(?\d[\d ().\-\u2010-\u2015]*+")
_PHONE_TRAILING = " ().-\u2010\u2011\u2012\u2013\u2014\u2015"
_DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


_US_GROUPS = ((3, 3, 4), (1, 3, 3, 4), (10,), (3, 7))  # 555-123-4567, 1-800-555-0199, 5551234567, 555 1234567
# UK numbers written with their leading 0: 07700 900123, 020 7946 0958, 0161 496 0000, 01632 960 001, (020) ...
_UK_GROUPS = ((10,), (11,), (5, 6), (5, 5), (4, 7), (4, 6), (4, 3, 4), (4, 3, 3), (3, 4, 4), (3, 3, 4), (5, 3, 3),
              (3, 8), (2, 8), (2, 4, 4))


def _phone_like(text: str, groups: tuple[int, ...]) -> bool:
    """Whether ``text`` (digits in ``groups`` of these lengths) is a phone number (UK, US or international),
    not a date, a year range, an amount or a list of numbers."""
    digits = sum(groups)
    if text.startswith("+"):  # +44 20 7946 0958, +1 555 123 4567
        return 8 <= digits <= 15
    if text.startswith("00"):  # 0033 1 23 45 67 89; a zero-padded staff number (000123, 00123456) is not one
        return text[2:3] not in ("0", "") and 10 <= digits <= 15
    if text.startswith(("(", "0")):  # (020) 7946 0958, 07700 900123, 0161 496 0000; not 01-2026-12-06
        return groups in _UK_GROUPS and not _DATE_LIKE.fullmatch(text)
    return groups in _US_GROUPS and not _DATE_LIKE.fullmatch(text)


def _phones_in_run(run: str) -> str:
    """A run of digits and separators with each phone number in it replaced: the longest phone-like span
    of up to six space-separated parts is taken at each part (a year next to a number stays a year).
    Linear in the run's length: digits are counted once, and only spans of 8 to 15 digits are looked at."""
    spans = [found.span() for found in re.finditer(r"\S+", run)]
    counted = [0, *itertools.accumulate(character.isdigit() for character in run)]
    pieces, index, written = [], 0, 0
    while index < len(spans):
        start, found_end = spans[index][0], 0
        for end in range(min(len(spans), index + 6), index, -1):
            if not 8 <= counted[spans[end - 1][1]] - counted[start] <= 15:
                continue
            piece = run[start:spans[end - 1][1]]
            core = piece.rstrip(_PHONE_TRAILING)
            if _phone_like(core, tuple(len(group) for group in re.findall(r"\d+", core))):
                pieces += [run[written:start], "[phone removed]", piece[len(core):]]
                written, found_end = spans[end - 1][1], end
                break
        index = found_end or index + 1
    return "".join(pieces) + run[written:]


def _bare_link(found: re.Match) -> str:
    word = found.group(0)
    host = word.split("/", 1)[0].rstrip(".")
    if host.lower().startswith("www.") or ("." in host and host.rsplit(".", 1)[1] in _TOP_LEVEL):
        return "[link removed]" + word[len(word.rstrip(".,;:!?)")):]
    return word


def scrub_contacts(text: object) -> str:
    """``text`` with email addresses, web links and phone numbers replaced by ``[email removed]``,
    ``[link removed]`` and ``[phone removed]``.

    >>> scrub_contacts("Call Sam on +44 7700 900123 or sam@example.com, see calendly.com/sam")
    'Call Sam on [phone removed] or [email removed], see [link removed]'
    """
    text = "" if text is None else str(text)
    text = _SCHEME_URL.sub("[link removed]", text)  # first: a mailto: link is one link, not an email
    text = _EMAIL.sub("[email removed]", text)
    text = _HOST_CANDIDATE.sub(_bare_link, text)
    return _PHONE_RUN.sub(lambda found: _phones_in_run(found.group(0)), text)


def has_contact_details(text: object) -> bool:
    """Whether free text holds an email address, a web link or a phone number."""
    return scrub_contacts(text) != ("" if text is None else str(text))


def sanitise_free_text(value: object) -> str:
    """THE sanitiser for free text a person typed (a goal, a skill, a note, a comment) on its way to a
    report, agreement, kit or studio table: control and invisible format characters removed, then
    contact details replaced (:func:`scrub_contacts`). Missing values become ``""``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return scrub_contacts(_clean_value(value))


def shared_terms(lists: Iterable[Iterable[object]], min_people: int) -> set[str]:
    """The terms (case-insensitive, as written first) that at least ``min_people`` different people wrote.

    ``lists`` holds one collection of terms per person (their skills, say). Only these terms are the
    programme's shared vocabulary and may be shown beside a name in a client report; anything rarer is
    a person's own words, to be counted, never quoted.
    """
    people: dict[str, set[int]] = {}
    spelling: dict[str, str] = {}
    for person, terms in enumerate(lists):
        for term in terms or ():
            text = " ".join(_clean_value(term).split())
            if not text:
                continue
            key = text.casefold()
            people.setdefault(key, set()).add(person)
            spelling.setdefault(key, text)
    return {spelling[key] for key, who in people.items() if len(who) >= max(1, min_people)
            and not has_contact_details(spelling[key])}


def withhold_terms(text: object, terms: Iterable[str], replacement: str) -> str:
    """``text`` with each of ``terms`` (a whole word or phrase, any case) replaced by ``replacement``:
    a person's own words (a skill only they named) never quoted beside their name in a client report."""
    text = "" if text is None else str(text)
    words = sorted({str(term) for term in terms if str(term).strip()}, key=len, reverse=True)
    if not words or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(replacement, text)


_FILENAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(value: object, *, default: str = "file", limit: int = 100) -> str:
    """A file name made from user text: no path separators, control characters, leading dots or
    Windows-reserved names; at most ``limit`` characters.

    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    """
    text = _FILENAME_BAD.sub("_", _clean_value("" if value is None else value).replace("\n", " "))
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
        make_workbook_deterministic(temporary)
    return Path(path)


#: The time every workbook says it was created and last saved, unless ``$SOURCE_DATE_EPOCH`` says otherwise
#: (the reproducible-builds convention): a file's own time would make two identical runs differ.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1)
_CREATOR = "mentoring-toolkit"


def fixed_timestamp() -> dt.datetime:
    """The timestamp written into files that must not depend on when they were written."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        return max(moment, dt.datetime(1980, 1, 1))  # a zip file cannot say earlier than 1980
    return FIXED_TIMESTAMP


def make_workbook_deterministic(path: str | os.PathLike) -> None:
    """Rewrite an .xlsx so its bytes depend only on its content: the document properties (creator,
    created, modified) and every zip entry's time are fixed (openpyxl writes the time of saving)."""
    import zipfile

    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.xml.functions import tostring

    moment = fixed_timestamp()
    core = tostring(DocumentProperties(creator=_CREATOR, lastModifiedBy=_CREATOR, created=moment,
                                       modified=moment).to_tree())
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, core if name == "docProps/core.xml" else data)


def redact_paths(value: object, replacements: Mapping[str, str]) -> object:
    """``value`` (text, or lists and dicts of it, such as a notebook) with each absolute path in
    ``replacements`` replaced by its stand-in, longest first: a saved notebook must not carry the
    machine's folders (a user name, a client's folder)."""
    pairs = sorted(((str(old), new) for old, new in replacements.items() if str(old) not in ("", "/", ".")),
                   key=lambda pair: -len(pair[0]))

    def redact(item: object) -> object:
        if isinstance(item, str):
            for old, new in pairs:
                if old in item:
                    item = item.replace(old, new)
            return item
        if isinstance(item, list):
            return [redact(element) for element in item]
        if isinstance(item, dict):  # a plain dict or nbformat's NotebookNode, kept as its own type
            return type(item)((key, redact(element)) for key, element in item.items())
        return item

    return redact(value)


def _mark_text_cells(sheet) -> None:
    """Text that looks like a formula is stored as text with Excel's quote prefix (never as a formula)."""
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_PREFIXES)):
                cell.data_type = "s"
                cell.quotePrefix = True
