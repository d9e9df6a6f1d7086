"""Participant rows: parse every cell, validate every row and across rows, account for every row.

:func:`read_participants` returns an :class:`IntakeResult`; :func:`toolkit.roster.load_roster`
turns it into a :class:`~toolkit.roster.Roster`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IntakeError, Problem, check_option, did_you_mean
from ..files import sanitise_free_text
from . import schema
from .answers import (
    LEVEL_FIX,
    MAX_CAPACITY,
    Reading,
    read_capacity,
    read_levels,
    read_meeting_mode,
    read_role,
)
from .cells import (
    DATE_FORMATS,
    DAYS,
    CellProblem,
    canonical_language,
    date_order,
    non_answer,
    parse_availability,
    parse_bool,
    parse_date,
    parse_email,
    parse_number,
    parse_timezone,
    split_list,
)
from .ladders import grade_key
from .mapping import find_column, is_structured, mapping_seniority, read_mapping, suggest_mapping
from .orgchart import org_chart_mapping
from .questions import (
    QUESTION_FIELDS,
    Answer,
    answers_from_rows,
    department_look_alikes,
    mapping_problems,
    non_answer_warnings,
    question_error,
    unused_columns_that_look_used,
)
from .tables import column_letter, read_table

if TYPE_CHECKING:
    from .mapping import ColumnMapping
    from .tables import Table


__all__ = ["IntakeResult", "Record", "read_participants"]


@dataclass
class Record:
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
    readings: dict[str, tuple[str, Reading]] = field(default_factory=dict)  # field -> (answer as typed, reading)


@dataclass
class IntakeResult:
    """What reading participant files produced: every row as a :class:`Record` with its outcome."""

    records: list[Record]
    tables: list[Table]
    mappings: list[ColumnMapping]
    warnings: list[Problem]
    org_chart: dict[str, str | None]
    lenient: bool
    answers: list[Answer] = field(default_factory=list)


_READERS = {"role": read_role, "mode": read_meeting_mode, "int": read_capacity}


_NO_VALUE = object()  # a value client.yaml maps to nothing (null)


def _translation(text: str, translations, name: str = "") -> object:
    """What client.yaml's ``values:`` says this answer is (``_NO_VALUE`` for null), or None when it says nothing."""
    key = grade_key if name == "seniority" else schema.normalise_header
    for source, target in (translations or {}).items():
        if key(source) == key(text):
            return _NO_VALUE if target is None else target
    return None


def _answer_readings(table: Table, mapping: ColumnMapping, by_field: dict[str, list[int]],
                     seniority_order) -> dict[str, dict[str, Reading]]:
    """Each distinct answer of a rule-relevant field, read once (a column of grades is read together)."""
    readings: dict[str, dict[str, Reading]] = {}
    for name, indexes in by_field.items():
        if name not in QUESTION_FIELDS:
            continue
        answers = list(dict.fromkeys(row[indexes[0]] for row in table.rows))
        translations = mapping.values.get(name)
        said_nothing = {answer: Reading(None, 1.0, f'a non-answer ("{answer}")') for answer in answers
                        if non_answer(answer, name) and _translation(answer, translations, name) is None}
        answers = [answer for answer in answers if answer not in said_nothing]
        if name == "seniority":
            readings[name] = {**read_levels(answers, translations, seniority_order), **said_nothing}
            continue
        reader = _READERS[schema.field(name).kind]
        readings[name] = dict(said_nothing)
        for answer in answers:
            target = _translation(answer, translations, name)
            if target is _NO_VALUE:
                readings[name][answer] = Reading(None, 1.0, "no answer, as client.yaml says (values:)")
                continue
            reading = reader(answer if target is None else str(target))
            if target is not None and reading.value is not None:
                reading = Reading(reading.value, 1.0, "as client.yaml says (values:)")
            readings[name][answer] = reading
    return readings


def _parse_table(table: Table, mapping: ColumnMapping, role: str | None, date_orders: dict[str, str],
                 seniority_order: Sequence[object] | None = None,
                 said_nothing: dict[tuple[str, str, str], Counter[str]] | None = None) -> list[Record]:
    """Every row of one table as a :class:`Record`: each mapped field read, a cell that cannot be read a
    problem on the row; non-answers are counted in ``said_nothing`` (file, header, letter -> answers)."""
    records = []
    by_field: dict[str, list[int]] = {}
    for index, name in sorted(mapping.fields.items()):
        by_field.setdefault(name, []).append(index)
    readings = _answer_readings(table, mapping, by_field, seniority_order)
    counts = said_nothing if said_nothing is not None else {}
    for cells, row_number in zip(table.rows, table.row_numbers):
        raw = {table.headers[index]: cells[index] for index in range(len(table.headers)) if cells[index]}
        record = Record(source=table.path, row=row_number, values={}, raw=raw, columns={})
        if row_number in table.overflow:
            _shifted_row(table, record)
        for name, indexes in by_field.items():
            _read_field(table, mapping, record, cells, name, indexes, readings, date_orders, counts)
        if role is not None:
            record.values["role"] = role
        records.append(record)
    return records


def _shifted_row(table: Table, record: Record) -> None:
    """A row with more cells than the header: a problem (a value holds the delimiter without quotes),
    the extra cells kept in ``raw`` under their column letters."""
    overflow = table.overflow[record.row]
    extra = [cell for cell in overflow if cell]
    shown = repr(table.delimiter) if table.delimiter != "\t" else "tab"
    record.problems.append(Problem(
        f"the row has {len(overflow)} more cell(s) than the header has columns, so its "
        f"values are probably shifted: a value seems to contain the delimiter {shown} without quotes",
        f"open the file, find the value with a {shown} in it on this row, and put the value in quotes "
        "(or save the file again from Excel, which quotes such values)",
        table.path, record.row, None, " | ".join(extra),
    ))
    record.raw.update({f"Column {column_letter(len(table.headers) + offset)}": cell
                       for offset, cell in enumerate(overflow) if cell})


def _read_field(table: Table, mapping: ColumnMapping, record: Record, cells: list[str], name: str,
                indexes: list[int], readings: dict[str, dict[str, Reading]], date_orders: dict[str, str],
                said_nothing: dict[tuple[str, str, str], Counter[str]]) -> None:
    """One field of one row into ``record.values`` (a problem on the record when a cell cannot be read)."""
    spec = schema.field(name)
    header, letter = table.headers[indexes[0]], column_letter(indexes[0])
    record.columns[name] = (header, letter)
    texts = [cells[index] for index in indexes]
    for position, index in enumerate(indexes):  # "Prefer not to say", "N/A", "-": read as missing
        if non_answer(texts[position], name) and \
                _translation(texts[position], mapping.values.get(name), name) is None:
            column = (table.path, table.headers[index], column_letter(index))
            said_nothing.setdefault(column, Counter())[texts[position]] += 1
            texts[position] = texts[position] if name in readings else ""
    try:
        if name in readings:
            reading = readings[name][texts[0]]
            record.readings[name] = (texts[0], reading)
            record.values[name] = _read_value(spec, reading)
            return
        record.values[name] = _parse_cell(spec, texts, mapping.values.get(name), date_orders.get(name, "DMY"))
    except CellProblem as problem:
        record.problems.append(Problem(str(problem), problem.fix, table.path, record.row, header,
                                       " | ".join(text for text in texts if text), letter))


_UNREAD_FIX = {
    "role": 'write "Mentor", "Mentee" or "Both", or say what the answer means in client.yaml under '
            "mapping: values: role:",
    "mode": 'write "In person", "Virtual", "Hybrid" or "No preference", or say what the answer means in '
            "client.yaml under mapping: values: meeting_mode:",
    "int": f"enter a whole number from 1 to {MAX_CAPACITY} (or leave it blank to use the programme's default)",
    "level": "use a number from 1 (entry level) to 8 (executive), or a title such as Analyst, Manager or Director; "
             "for the client's own grades, " + LEVEL_FIX,
}
_UNREAD_MESSAGE = {"role": "not a role the toolkit knows", "mode": "not a meeting mode the toolkit knows",
                   "level": "not a seniority level the toolkit knows"}


def _read_value(spec: schema.Field, reading: Reading):
    if reading.value is None and not reading.missing:
        message = _UNREAD_MESSAGE.get(spec.kind, reading.how)
        if spec.kind == "level" and "client's ladder" in reading.how:
            message = "not on the client's ladder (seniority: order: in client.yaml)"
        raise CellProblem(message, _UNREAD_FIX[spec.kind])
    return reading.value


def _single_spaced(text: str) -> str | None:
    return re.sub(r"\s+", " ", text) or None


#: Field kind -> how one cell is read (``text``, the field, the date order).
_CELL_READERS: dict[str, Callable[[str, schema.Field, str], object]] = {
    "id": lambda text, spec, order: text or None,
    "reference": lambda text, spec, order: text or None,
    "text": lambda text, spec, order: _single_spaced(text),
    "category": lambda text, spec, order: _single_spaced(text),
    "email": lambda text, spec, order: parse_email(text),
    "bool": lambda text, spec, order: parse_bool(text, allow_unsure=spec.name != "consent"),
    "number": lambda text, spec, order: parse_number(text),
    "timezone": lambda text, spec, order: parse_timezone(text),
    "date": lambda text, spec, order: parse_date(text, order),
}


def _parse_cell(spec: schema.Field, texts: list[str], translations, date_order: str):
    """A field's value from its cells (several columns may feed a list or availability); client.yaml's
    ``values:`` translations are applied first. Raises :class:`CellProblem` for a cell it cannot read."""
    kind = spec.kind
    if kind in ("list", "references"):
        return _list_value(spec, texts, translations)
    text = texts[0]
    if translations and kind != "level":
        target = _translation(text, translations)
        if target is _NO_VALUE:
            return None
        text = text if target is None else str(target)
    if kind == "availability":
        windows: list[str] = []
        for part in texts:
            windows += parse_availability(part) if part else []
        return tuple(sorted(set(windows), key=lambda window: (DAYS.index(window[:3]), window[4:])))
    if kind not in _CELL_READERS:
        raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover
    return _CELL_READERS[kind](text, spec, date_order)


def _list_value(spec: schema.Field, texts: list[str], translations) -> tuple[str, ...]:
    """The items of a list field's cells, translated, non-answers and repeats (in any case) left out."""
    items: list[str] = []
    for part in texts:
        for item in split_list(part):
            if non_answer(item):
                continue
            if translations:
                item = str(next((target for source, target in translations.items()
                                 if schema.normalise_header(source) == schema.normalise_header(item)), item))
            if item.casefold() not in {existing.casefold() for existing in items}:
                items.append(item)
    if spec.name == "languages":
        items = list(dict.fromkeys(canonical_language(item) for item in items))
    return tuple(items)


def _participant_id(record: Record) -> str | None:
    given = record.values.get("participant_id")
    if given:
        return str(given)
    email = record.values.get("email")
    if email:
        return "P-" + hashlib.sha1(str(email).encode("utf-8")).hexdigest()[:8].upper()
    return None


_IDENTITY_FIELDS = ("participant_id", "name", "manager_id")
_LINE_BREAKS_OR_BRACES = re.compile(r"[\r\n\t\v\f{}\u2028\u2029\x85]")
#: An email address anywhere in a text.
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _clean_identity(record: Record, warnings: list[Problem]) -> None:
    """Ids and names become one clean line: line breaks, tabs and braces (``{{ }}`` would be read as a
    template by the kit) are removed with a warning naming the row. An email address in the id column
    is moved to the email field and replaced by a neutral ``P-XXXXXXXX`` id (also with a warning), so
    that no email reaches pairs.csv, unmatched.csv or a report when the name column is blank."""
    for name in _IDENTITY_FIELDS:
        value = record.values.get(name)
        if not isinstance(value, str):
            continue
        if _LINE_BREAKS_OR_BRACES.search(value):
            cleaned = " ".join(value.replace("{", " ").replace("}", " ").split())
            record.values[name] = cleaned
            label = {"participant_id": "id", "manager_id": "manager"}.get(name, name)
            warnings.append(_problem_at(record, name, f"line breaks, tabs or braces {{ }} were removed from the {label}",
                                        f"check the {label} reads as intended", value))
    typed_name = record.values.get("name")
    if isinstance(typed_name, str) and EMAIL_IN_TEXT.search(typed_name):
        kept = " ".join(EMAIL_IN_TEXT.sub(" ", typed_name).split()) or None
        record.values["name"] = kept
        warnings.append(_problem_at(record, "name", "the name holds an email address, which was left out so that "
                                    "no email appears in exports or reports"
                                    + ("" if kept else " (the person's id is shown instead)"),
                                    "write only the person's name in the name column", typed_name))
    given = record.values.get("participant_id")
    if isinstance(given, str) and EMAIL_IN_TEXT.search(given):
        email = given.strip() if _is_email(given.strip()) else None
        if email and not record.values.get("email"):
            record.values["email"] = parse_email(email)
        record.values["participant_id"] = None if record.values.get("email") else \
            "P-" + hashlib.sha1(given.encode("utf-8")).hexdigest()[:8].upper()
        warnings.append(_problem_at(
            record, "participant_id", "the id holds an email address; this person's id is "
            f"{_participant_id(record)} instead, so that no email appears in exports or reports"
            + ("" if record.values.get("name") else " (their name is blank, so the id is what others see)"),
            "nothing to fix; to use your own ids, fill the id column with staff numbers", given))


# Free text a person typed: what reaches a report, an agreement, the kit or a studio table from it.
_FREE_TEXT_FIELDS = ("job_title", "notes", "skills_offered", "skills_sought", "goals")
_ONLY_REMOVED = re.compile(r"(?:\[(?:email|phone|link) removed\][\s,;:/()-]*)+")


def _scrub_free_text(record: Record, warnings: list[Problem]) -> None:
    """Contact details (emails, phone numbers, links) typed into free-text answers are removed, with a
    warning naming the row and column (never the detail itself): the email column is how to reach someone."""
    changed = []
    for name in _FREE_TEXT_FIELDS:
        value = record.values.get(name)
        if isinstance(value, str):
            clean: object = sanitise_free_text(value)
            clean = None if not clean or _ONLY_REMOVED.fullmatch(str(clean)) else clean
        elif isinstance(value, tuple):
            clean = tuple(item for item in (sanitise_free_text(part) for part in value)
                          if item and not _ONLY_REMOVED.fullmatch(item))
        else:
            continue
        if clean != value:
            record.values[name] = clean
            changed.append(name)
    if changed:
        warnings.append(_problem_at(record, changed[0], "an email address, phone number or link was removed from "
                                    f"{', '.join(changed)}, so it cannot reach a report, agreement or the kit",
                                    "nothing to fix; to contact the person, use the email column"))


def _is_email(text: str) -> bool:
    try:
        return bool(parse_email(text))
    except CellProblem:
        return False


def _merge_into(kept: Record, other: Record) -> None:
    """One person's rows from a mentor file and a mentee file become one participant, role both."""
    kept.values["role"] = "both"
    for name, value in other.values.items():
        current = kept.values.get(name)
        if current in (None, (), "") and value not in (None, (), ""):
            kept.values[name] = value
        elif isinstance(current, tuple) and isinstance(value, tuple):
            kept.values[name] = tuple(dict.fromkeys(current + value))


def _problem_at(record: Record, name: str, message: str, fix: str, value: object = None) -> Problem:
    header, letter = record.columns.get(name, (None, None))
    return Problem(message, fix, record.source, record.row, header, value, letter)


def _canonical_spellings(records: list[Record], names: Sequence[str]) -> None:
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


def read_participants(
    path: str | Path | Sequence[str | Path],
    mapping: Mapping | str | Path | None = None,
    *,
    role: str | Sequence[str | None] | None = None,
    lenient: bool = False,
    on_duplicate: str = "error",
    sheet: str | int | None = None,
    org_chart: str | Path | Mapping[str, str | None] | None = None,
    date_format: str | None = None,
    seniority_order: Sequence[object] | None = None,
) -> IntakeResult:
    """Read and validate participant files: every row parsed, checked and given an outcome.

    :func:`toolkit.roster.load_roster` is the public entry point and documents the parameters;
    it builds the :class:`~toolkit.roster.Roster` from what this returns.
    """
    paths, roles = _files_and_roles(path, role, on_duplicate, date_format)
    if seniority_order is None:  # validate --file: the mapping file may hold the ladder
        seniority_order = mapping_seniority(mapping)
    tables, mappings, looks_used = _read_tables(paths, roles, mapping, sheet)

    records: list[Record] = []
    said_nothing: dict[tuple[str, str, str], Counter[str]] = {}
    for table, column_mapping, one_role in zip(tables, mappings, roles):
        date_orders = {
            name: date_order((row[index] for row in table.rows for index in column_mapping.columns_for(name)),
                             date_format)
            for name in set(column_mapping.fields.values()) if schema.field(name).kind == "date"
        }
        records += _parse_table(table, column_mapping, one_role, date_orders, seniority_order, said_nothing)

    # A mentee's capacity answer is not used, so it is never a question.
    answers = answers_from_rows(
        (name, record.source, *record.columns[name], text, record.row, reading)
        for record in records for name, (text, reading) in record.readings.items()
        if not (name == "capacity" and record.values.get("role") == "mentee"))
    question = question_error(answers, [table.path for table in tables],
                              mapping if isinstance(mapping, Mapping) else None)
    if question is not None:
        raise question

    warnings: list[Problem] = [warning for table in tables for warning in table.warnings]
    warnings += looks_used + non_answer_warnings(said_nothing)
    _validate_records(records, on_duplicate, lenient, warnings)
    return IntakeResult(records=records, tables=tables, mappings=mappings, warnings=warnings,
                        org_chart=org_chart_mapping(org_chart), lenient=lenient, answers=answers)


def _files_and_roles(path: str | Path | Sequence[str | Path], role: str | Sequence[str | None] | None,
                     on_duplicate: str, date_format: str | None) -> tuple[list[str | Path], list[str | None]]:
    """The files to read and the role of each (None: the file says), the options checked first."""
    check_option("on_duplicate", on_duplicate, ("error", "keep_last", "keep_first"), IntakeError)
    if date_format is not None:
        check_option("date_format", date_format, DATE_FORMATS, IntakeError)
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if not paths:
        raise IntakeError("No participant file was given.", fix="pass the path of a CSV or Excel file")
    roles: list[str | None] = [role] * len(paths) if role is None or isinstance(role, str) else list(role)
    if len(roles) != len(paths):
        raise IntakeError(f"{len(paths)} files but {len(roles)} roles were given.",
                          fix="give one role (or None) per file, in the same order")
    for one_role in roles:
        if one_role is not None:
            check_option("role", one_role, ("mentor", "mentee", "both"), IntakeError)
    return paths, roles


def _read_tables(paths: list[str | Path], roles: list[str | None], mapping: Mapping | str | Path | None,
                 sheet: str | int | None) -> tuple[list[Table], list[ColumnMapping], list[Problem]]:
    """Each file read and its columns mapped; stops with every file's mapping problems at once.
    Returns the tables, their mappings and the warnings about unused columns that look used."""
    explicit, values = read_mapping(mapping)
    tables, mappings, file_problems, looks_used = [], [], [], []
    for one_path, one_role in zip(paths, roles):
        table = read_table(one_path, sheet=sheet)
        local = {header: name for header, name in explicit.items() if find_column(table, header) is not None}
        mapping_for_table: Mapping | None = local
        if isinstance(mapping, (str, Path)):
            mapping_for_table = {"columns": local, "values": values}
        elif is_structured(mapping):
            mapping_for_table = {"columns": local, "values": dict(mapping.get("values") or {})}
        column_mapping = suggest_mapping(table, mapping_for_table)
        file_problems += mapping_problems(table, column_mapping, one_role)
        looks_used += unused_columns_that_look_used(table, column_mapping)
        looks_used += department_look_alikes(table, column_mapping)
        tables.append(table)
        mappings.append(column_mapping)
    unused = [header for header in explicit if not any(find_column(table, header) is not None for table in tables)]
    for header in unused:
        file_problems.append(Problem(
            f'the mapping names column "{header}", which is in none of the files'
            + did_you_mean(header, [header for table in tables for header in table.headers]),
            fix="copy the header exactly as it appears in the file",
        ))
    if file_problems:
        # An Excel file's worksheet is named: the data may be on another one.
        names = ", ".join(table.name + (f' (worksheet "{table.sheet}")' if table.sheet else "") for table in tables)
        raise IntakeError(
            f"The columns of {names} could not be matched to the toolkit's fields; nothing was loaded:",
            # Columns left unused whose answers look like a field often are the missing field.
            problems=file_problems + looks_used,
        )
    return tables, mappings, looks_used


def _validate_records(records: list[Record], on_duplicate: str, lenient: bool, warnings: list[Problem]) -> None:
    """Row checks, then checks across rows; fills in problems and outcomes."""
    for record in records:
        _check_row(record, warnings)
    _check_duplicates(records, on_duplicate, warnings)
    live = [record for record in records if record.outcome == "loaded"]
    people = _People(live)
    for record in live:
        _resolve_manager(record, people)
        for name in _REFERENCE_LABELS:
            _resolve_references(record, name, people, lenient, warnings)
    _tidy_values(live)
    _reject_rows_with_problems(records)
    _drop_dangling_references(records, warnings)


def _check_row(record: Record, warnings: list[Problem]) -> None:
    """One row's own checks: a name from first and last names, clean ids and free text, an id or an email,
    a role, and consent (a person who did not consent is set aside with a warning)."""
    values = record.values
    if not values.get("name") and (values.get("first_name") or values.get("last_name")):
        values["name"] = " ".join(str(part) for part in (values.get("first_name"), values.get("last_name")) if part)
    values.pop("first_name", None)
    values.pop("last_name", None)
    _clean_identity(record, warnings)
    _scrub_free_text(record, warnings)
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


def _identity_keys(record: Record) -> list[tuple[str, str]]:
    """What identifies a row across rows: the id the user gave, and the email address."""
    # Ids derived from the email are checked through the email: the user never saw the derived id.
    keys = [("participant_id", str(record.participant_id))] if record.values.get("participant_id") else []
    if record.values.get("email"):
        keys.append(("email", str(record.values["email"])))
    return keys


def _check_duplicates(records: list[Record], on_duplicate: str, warnings: list[Problem]) -> None:
    """Rows with the same id or email: merged (mentor in one file, mentee in another), one set aside
    (``on_duplicate: keep_last`` or ``keep_first``), or a problem on the later row."""
    first_seen: dict[tuple[str, str], Record] = {}
    for record in records:
        if record.outcome == "rejected" or record.participant_id is None:
            continue
        for key_name, key in _identity_keys(record):
            earlier = first_seen.get((key_name, key))
            if earlier is None or earlier is record or earlier.outcome == "rejected":
                first_seen[(key_name, key)] = record
                continue
            if not _settle_duplicate(earlier, record, key_name, key, on_duplicate, warnings):
                break
            first_seen[(key_name, key)] = record


def _settle_duplicate(earlier: Record, record: Record, key_name: str, key: str, on_duplicate: str,
                      warnings: list[Problem]) -> bool:
    """Settle one pair of rows with the same key; True when the later row takes the earlier's place
    (``keep_last``), so that its other keys are checked too."""
    same_file = earlier.source == record.source
    if not same_file and {earlier.values.get("role"), record.values.get("role")} == {"mentor", "mentee"}:
        _merge_into(earlier, record)
        record.outcome, record.participant_id = "merged", earlier.participant_id
        who = record.values.get("email") or record.values.get("name") or key
        warnings.append(Problem(
            f"{who} signed up as a mentor in one file and as a mentee in another; "
            f"merged into one participant with role both (with row {earlier.row} of "
            f"{Path(earlier.source).name})",
            "nothing to fix if that is intended", record.source, record.row,
        ))
        return False
    label = "email address" if key_name == "email" else "id"
    where = f"row {earlier.row}" + ("" if same_file else f" of {Path(earlier.source).name}")
    if on_duplicate == "keep_last":
        earlier.outcome = "rejected"
        earlier.reasons.append(f"superseded by row {record.row} with the same {label} ({key})")
        return True
    if on_duplicate == "keep_first":
        record.outcome = "rejected"
        record.reasons.append(f"the same {label} ({key}) is already on {where}")
        return False
    record.problems.append(_problem_at(
        record, key_name, f"the same {label} is already on {where}",
        "delete one of the two rows (if the person re-submitted the form, keep the newer one, "
        'or add "on_duplicate: keep_last" under that file in client.yaml\'s participants:); '
        'if they want to be both mentor and mentee, '
        'keep one row with role "Both"',
        key,
    ))
    return False


class _People:
    """The loaded rows as others refer to them: by id, email or (unambiguous) name."""

    def __init__(self, live: list[Record]) -> None:
        self.index: dict[str, str | None] = {}
        for record in live:
            if record.participant_id:
                self.index[record.participant_id.casefold()] = record.participant_id
            if record.values.get("email"):
                self.index[str(record.values["email"]).casefold()] = record.participant_id
        self.names: dict[str, str] = {}
        self.ambiguous_names: set[str] = set()
        for record in live:
            name = record.values.get("name")
            if name and record.participant_id:
                key = str(name).casefold()
                if key in self.names and self.names[key] != record.participant_id:
                    self.ambiguous_names.add(key)
                self.names[key] = record.participant_id
        self.mentors = {record.participant_id for record in live
                        if record.values.get("role") in ("mentor", "both")}

    def resolve(self, token: str) -> str | None:
        """The participant id a typed id, email or name stands for, or None."""
        key = token.strip().casefold()
        if key in self.index:
            return self.index[key]
        if key in self.names and key not in self.ambiguous_names:
            return self.names[key]
        return None


def _resolve_manager(record: Record, people: _People) -> None:
    """The manager as a participant id when they are in the roster; a person is not their own manager."""
    values = record.values
    manager = values.get("manager_id")
    if not manager:
        return
    values["manager_id"] = people.resolve(str(manager)) or str(manager).strip()
    if values["manager_id"] == record.participant_id or (
        str(manager).casefold() == str(values.get("email", "")).casefold()
    ):
        record.problems.append(_problem_at(record, "manager_id", "the person is listed as their own manager",
                                           "give their line manager's id or email, or leave it blank",
                                           manager))


_REFERENCE_LABELS = {"preferences": "preferences", "exclusions": "do-not-match list",
                     "previous_partners": "previous partners"}


def _resolve_references(record: Record, name: str, people: _People, lenient: bool,
                        warnings: list[Problem]) -> None:
    """A list of people (preferences, exclusions, previous partners) as participant ids; a name that is
    not in the roster, ambiguous, the person themselves or (for preferences) not a mentor is a problem
    (a warning, and left out, when loading leniently)."""
    label = _REFERENCE_LABELS[name]
    resolved_ids: list[str] = []
    for token in _people_named(record, name):
        target = people.resolve(token)
        if target == record.participant_id:
            record.problems.append(_problem_at(
                record, name, f"the person lists themselves in their {label}",
                "remove their own name, id or email from the cell", token))
            continue
        if target is None:
            why = ("more than one participant has that name" if token.casefold() in people.ambiguous_names
                   else "no participant has that id, email or name")
            _problem_or_warning(record, _problem_at(
                record, name, f"{label}: {why}",
                "use the person's id or email exactly as in the roster, or remove it", token), lenient, warnings)
            continue
        if name == "preferences" and target not in people.mentors:
            _problem_or_warning(record, _problem_at(
                record, name, "preferences: that person is not a mentor in this roster",
                "list only people who signed up as mentors", token), lenient, warnings)
            continue
        if target not in resolved_ids:
            resolved_ids.append(target)
    record.values[name] = tuple(resolved_ids)


def _people_named(record: Record, name: str) -> tuple[str, ...]:
    """The people a list field names (ids once resolved); none when the field is empty."""
    value = record.values.get(name)
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def _problem_or_warning(record: Record, problem: Problem, lenient: bool, warnings: list[Problem]) -> None:
    """A problem sets the row aside; loading leniently, it is a warning and the value is left out."""
    if lenient:
        warnings.append(replace(problem, message=problem.message + "; it was left out"))
    else:
        record.problems.append(problem)


_CANONICAL_FIELDS = ("department", "business_unit", "team", "site", "region", "cohort", "goals", "languages",
                     "gender", "age_band", "ethnicity")


def _tidy_values(live: list[Record]) -> None:
    """A mentee's capacity dropped, and one spelling per value across the roster."""
    for record in live:
        if record.values.get("role") == "mentee" and record.values.get("capacity") is not None:
            record.values["capacity"] = None  # a mentee's "capacity" answer is meaningless; not an error
    _canonical_spellings(live, ("skills_offered", "skills_sought"))
    for name in _CANONICAL_FIELDS:
        _canonical_spellings(live, (name,))


def _reject_rows_with_problems(records: list[Record]) -> None:
    """A row with a problem is set aside, its problems its reasons."""
    for record in records:
        if record.problems and record.outcome != "rejected":
            record.outcome = "rejected"
            # The row's file and number are said once, by whoever lists the row: not again in each reason.
            record.reasons += [replace(problem, path=None, row=None).describe()
                               if problem.row in (None, record.row) else replace(problem, path=None).describe()
                               for problem in record.problems]


def _drop_dangling_references(records: list[Record], warnings: list[Problem]) -> None:
    """Lenient loading: references to people whose rows were set aside would dangle; drop them, saying so."""
    kept = {record.participant_id for record in records if record.outcome == "loaded"}
    for record in records:
        if record.outcome != "loaded":
            continue
        for name in _REFERENCE_LABELS:
            targets = _people_named(record, name)
            dropped = [target for target in targets if target not in kept]
            if dropped:
                record.values[name] = tuple(target for target in targets if target in kept)
                for target in dropped:
                    warnings.append(_problem_at(
                        record, name, "refers to a person whose own row was set aside; the reference was left out",
                        "fix that person's row and load again", target))
