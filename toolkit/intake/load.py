"""Participant files: read every table, map its columns, parse every cell into a :class:`Record`, then
validate the rows (:mod:`toolkit.intake.rows`) so that every row is accounted for.

:func:`read_participants` returns an :class:`IntakeResult`; :func:`toolkit.roster.load_roster`
turns it into a :class:`~toolkit.roster.Roster`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IntakeError, Problem, check_option, did_you_mean
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
from .rows import Record, validate_records
from .tables import column_letter, read_table

if TYPE_CHECKING:
    from .mapping import ColumnMapping
    from .tables import Table


__all__ = ["IntakeResult", "Record", "read_participants"]


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
    read: dict[tuple[str, tuple[str, ...]], _Cell] = {}  # the same cells of a field read once (exports repeat answers)
    columns = {name: (schema.field(name), table.headers[indexes[0]], column_letter(indexes[0]))
               for name, indexes in by_field.items()}
    for cells, row_number in zip(table.rows, table.row_numbers):
        raw = {table.headers[index]: cells[index] for index in range(len(table.headers)) if cells[index]}
        record = Record(source=table.path, row=row_number, values={}, raw=raw, columns={})
        if row_number in table.overflow:
            _shifted_row(table, record)
        for name, indexes in by_field.items():
            _read_field(table, mapping, record, cells, columns[name], indexes, readings, date_orders, counts, read)
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


@dataclass(frozen=True)
class _Cell:
    """How a field's cells read: the texts left once non-answers are set aside (with the non-answers, and their
    column indexes, to count), and the value or the problem they read as."""

    texts: tuple[str, ...]
    non_answers: tuple[tuple[int, str], ...]
    value: object = None
    problem: CellProblem | None = None


def _read_cells(spec: schema.Field, texts: list[str], indexes: list[int], mapping: ColumnMapping,
                readings: dict[str, dict[str, Reading]], date_order: str) -> _Cell:
    name = spec.name
    non_answers = []
    for position, index in enumerate(indexes):  # "Prefer not to say", "N/A", "-": read as missing
        if non_answer(texts[position], name) and _translation(texts[position], mapping.values.get(name), name) is None:
            non_answers.append((index, texts[position]))
            texts[position] = texts[position] if name in readings else ""
    try:
        if name in readings:
            value = _read_value(spec, readings[name][texts[0]])
        else:
            value = _parse_cell(spec, texts, mapping.values.get(name), date_order)
    except CellProblem as problem:
        return _Cell(tuple(texts), tuple(non_answers), problem=problem)
    return _Cell(tuple(texts), tuple(non_answers), value)


def _read_field(table: Table, mapping: ColumnMapping, record: Record, cells: list[str],
                column: tuple[schema.Field, str, str], indexes: list[int], readings: dict[str, dict[str, Reading]],
                date_orders: dict[str, str], said_nothing: dict[tuple[str, str, str], Counter[str]],
                read: dict[tuple[str, tuple[str, ...]], _Cell]) -> None:
    """One field of one row into ``record.values`` (a problem on the record when a cell cannot be read).

    ``read`` keeps how each set of cells of a field read in this table: a cell's reading depends only on its text,
    the field and client.yaml, so a repeated answer is read once; each row still counts its non-answers and gets
    its own problem. ``column``: the field, and the header and letter of its first column."""
    spec, header, letter = column
    name = spec.name
    record.columns[name] = (header, letter)
    key = (name, tuple(cells[index] for index in indexes))
    cell = read.get(key)
    if cell is None:
        cell = read[key] = _read_cells(spec, list(key[1]), indexes, mapping, readings, date_orders.get(name, "DMY"))
    for index, text in cell.non_answers:
        said_nothing.setdefault((table.path, table.headers[index], column_letter(index)), Counter())[text] += 1
    if name in readings:
        record.readings[name] = (cell.texts[0], readings[name][cell.texts[0]])
    if cell.problem is not None:
        record.problems.append(Problem(str(cell.problem), cell.problem.fix, table.path, record.row, header,
                                       " | ".join(text for text in cell.texts if text), letter))
    else:
        record.values[name] = cell.value


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
    validate_records(records, on_duplicate, lenient, warnings)
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
