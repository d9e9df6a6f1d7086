"""Answers the toolkit is not sure how to read: one question for the user, and columns left unused
that look like a field.

"Never guess silently": when an answer to a question the matching rules depend on (role,
seniority, meeting mode, capacity) is not clearly understood, loading stops with one error that
lists each such answer, the rows that gave it, what the toolkit would read it as, and the exact
``client.yaml`` lines that confirm or correct it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ..errors import IntakeError, Problem
from .cells import (
    SURE,
    CellProblem,
    Reading,
    parse_email,
    read_level,
    read_meeting_mode,
    read_role,
    split_list,
)
from .tables import column_letter

if TYPE_CHECKING:
    from .mapping import ColumnMapping
    from .tables import Table

__all__ = ["QUESTION_FIELDS", "Answer", "answers_from_rows", "question_error", "unused_columns_that_look_used",
           "ladder_order", "ladder_yaml", "mapping_block", "columns_block", "reads_as_ladder"]

# The categorical fields the matching rules depend on, and what a value may be.
QUESTION_FIELDS = {
    "role": "mentor, mentee or both",
    "seniority": "a level number (1 = entry level)",
    "meeting_mode": "in_person, virtual, hybrid or no_preference",
    "capacity": "a whole number of mentees",
}


@dataclass
class Answer:
    """One distinct answer in one column, with every row that gave it and how it was read."""

    field: str
    path: str
    column: str
    column_letter: str
    text: str
    reading: Reading
    rows: list[int] = field(default_factory=list)

    @property
    def unclear(self) -> bool:
        return not self.reading.sure


def answers_from_rows(rows: Iterable[tuple[str, str, str, str, str, int, Reading]]) -> list[Answer]:
    """Group (field, path, column, letter, answer, row, reading) by answer, in first-seen order."""
    grouped: dict[tuple, Answer] = {}
    for name, path, column, letter, text, row, reading in rows:
        key = (name, path, column, text)
        if key not in grouped:
            grouped[key] = Answer(name, path, column, letter, text, reading)
        grouped[key].rows.append(row)
    return list(grouped.values())


def _quote(text: object) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _rows(rows: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(row) for row in rows[:limit])
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}" + (f" and {len(rows) - limit} more" if len(rows) > limit
                                                               else "")


def _placeholder(name: str, value: object) -> str:
    if value is None:
        return '"(choose)"   # the toolkit cannot tell: write ' + QUESTION_FIELDS[name]
    return f"{value:g}" if isinstance(value, float) else str(value)


def ladder_order(levels: Iterable[tuple[str, object]]) -> list[str | list[str]]:
    """The client's ladder as read now, most junior first, grades read as the same level grouped.

    ``levels`` is (grade, level or None). Pasted as ``seniority: order:``, the ladder keeps every grade's
    place and every tie (Analyst = Associate stays equal); grades not read at all go last, one each.
    """
    known: dict[float, list[str]] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for grade, level in levels:
        if grade in seen:
            continue
        seen.add(grade)
        if level is None or level != level:
            unknown.append(grade)
        else:
            known.setdefault(float(level), []).append(grade)  # type: ignore[arg-type]
    order: list[str | list[str]] = []
    for level in sorted(known):
        grades = sorted(known[level], key=str.casefold)
        order.append(grades[0] if len(grades) == 1 else grades)
    return order + unknown


def ladder_yaml(order: Sequence[str | Sequence[str]]) -> str:
    """``order`` as one YAML flow list: ``["Graduate", ["Analyst", "Associate"], "Manager"]``."""
    items = [_quote(item) if isinstance(item, str) else "[" + ", ".join(_quote(grade) for grade in item) + "]"
             for item in order]
    return "[" + ", ".join(items) + "]"


class _Written(str):
    """A value already written as YAML (a placeholder with its comment)."""


def _yaml_scalar(value: object) -> str:
    if isinstance(value, _Written):
        return str(value)
    if value is None:
        return "ignore"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _quote(value) if isinstance(value, str) and not value.replace("_", "").isalnum() else str(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _existing(mapping: object) -> tuple[dict, dict]:
    """(columns, values) a participants entry's mapping already gives (flat or structured)."""
    if not isinstance(mapping, dict) or not mapping:
        return {}, {}
    if set(mapping) <= {"columns", "values"}:
        return dict(mapping.get("columns") or {}), {str(name): dict(table or {})
                                                     for name, table in (mapping.get("values") or {}).items()}
    return dict(mapping), {}


def mapping_block(existing: object, columns: dict | None = None, values: dict | None = None) -> list[str]:
    """A whole ``mapping:`` block for a participants entry: what it already says, plus ``columns`` and ``values``.

    What client.yaml already says wins; the new lines are added after it.
    """
    old_columns, old_values = _existing(existing)
    merged_columns = {**(columns or {}), **old_columns}
    merged_values: dict[str, dict] = {name: dict(table) for name, table in old_values.items()}
    for name, table in (values or {}).items():
        for answer, value in table.items():
            merged_values.setdefault(name, {}).setdefault(answer, value)
    lines = ["  mapping:"]
    if merged_columns:
        lines.append("    columns:")
        lines += [f"      {_quote(header)}: {_yaml_scalar(name)}" for header, name in merged_columns.items()]
    if merged_values:
        lines.append("    values:")
        for name, table in merged_values.items():
            lines.append(f"      {name}:")
            width = max(len(_quote(answer)) for answer in table) if table else 0
            lines += [f"        {_quote(answer) + ':':<{width + 1}} {_yaml_scalar(value)}"
                      for answer, value in table.items()]
    return lines


def columns_block(columns: dict[str, str], indent: str = "      ") -> str:
    """``mapping: columns:`` lines for a participants entry, as an indented block that is valid YAML."""
    lines = ["mapping:", "  columns:"] + [f"    {_quote(header)}: {name}" for header, name in columns.items()]
    return "\n" + "\n".join(indent + line for line in lines)


def reads_as_ladder(values: Sequence[str]) -> bool:
    """Whether most answers in a column read as grades or titles on a seniority ladder."""
    values = [value for value in values if value and value.strip()]
    return len(values) >= 2 and _share(values, lambda value: read_level(value).value is not None) >= 0.6


def yaml_lines(answers: Sequence[Answer], all_levels: Sequence[Answer] = (), existing: object = None) -> str:
    """The client.yaml lines that settle these answers, ready to paste (readings filled in to confirm).

    When the participants entry already has a ``mapping:`` (``existing``), the whole block is printed,
    merged with what it already says, to replace it: a second ``mapping:`` would be a duplicate key.
    """
    lines: list[str] = []
    values = [answer for answer in answers if answer.field != "seniority"]
    old_columns, old_values = _existing(existing)
    if values and (old_columns or old_values):
        new_values: dict[str, dict] = {}
        for name in QUESTION_FIELDS:
            for answer in values:
                if answer.field == name:
                    new_values.setdefault(name, {})[answer.text] = _Written(_placeholder(name, answer.reading.value))
        block = mapping_block(existing, values=new_values)
        block[0] += ("   # REPLACES the participants entry's mapping: block (it keeps what client.yaml already "
                     "says there): one mapping: per entry")
        lines += block
    elif values:
        lines += ["  mapping:   # under the participants entry, next to path: (one mapping: per entry; if the "
                  "entry has one, put values: inside it)", "    values:"]
        for name in QUESTION_FIELDS:
            chosen = [answer for answer in values if answer.field == name]
            if chosen:
                lines.append(f"      {name}:")
                width = max(len(_quote(answer.text)) for answer in chosen)
                lines += [f"        {_quote(answer.text) + ':':<{width + 1}} {_placeholder(name, answer.reading.value)}"
                          for answer in chosen]
    levels = [answer for answer in answers if answer.field == "seniority"]
    if levels:
        ladder = list(all_levels or levels)
        order = ladder_order((answer.text, answer.reading.value) for answer in ladder)
        lines += ["seniority:   # top level of client.yaml: the client's grades, most junior first; [a, b] = the "
                  "same level",
                  "  order: " + ladder_yaml(order)]
    return "\n".join(lines)


def question_error(answers: Sequence[Answer], files: Sequence[str], existing: object = None) -> IntakeError | None:
    """One error listing every unclear answer, or None when every answer was read with confidence.

    Answers not understood at all are included only when there is a question anyway (on their own
    they are row problems, which ``lenient`` can set aside).
    """
    unclear = [answer for answer in answers if answer.reading.value is not None and answer.unclear]
    if not unclear:
        return None
    unread = [answer for answer in answers if answer.reading.value is None and answer.reading.how != "blank"]
    order = list(QUESTION_FIELDS)
    asked = sorted(unclear + unread, key=lambda answer: (order.index(answer.field), answer.reading.value is None,
                                                          answer.path, answer.rows[0]))
    problems = []
    for answer in asked:
        count = f"{len(answer.rows)} {'person' if len(answer.rows) == 1 else 'people'} ({_rows(answer.rows)})"
        if answer.reading.value is None:
            reading = f"the toolkit cannot read it ({answer.reading.how})"
        else:
            shown = answer.reading.value
            shown = f"{shown:g}" if isinstance(shown, float) else shown
            reading = f'the toolkit would read it as {answer.field} = {shown}, but is not sure ({answer.reading.how})'
        where = ("list the client's grades under seniority: order: (below), or give this one's level under "
                 "mapping: values: seniority:" if answer.field == "seniority"
                 else f"confirm or correct it under mapping: values: {answer.field}:")
        problems.append(Problem(f"{count} answered this; {reading}", f"{where} in client.yaml",
                                answer.path, None, answer.column, answer.text, answer.column_letter))
    levels = [answer for answer in answers if answer.field == "seniority" and answer.reading.how != "blank"]
    names = ", ".join(dict.fromkeys(Path(path).name for path in files))
    return IntakeError(
        f"{names}: {len(asked)} answer{'s' if len(asked) != 1 else ''} the matching rules depend on "
        f"{'are' if len(asked) != 1 else 'is'} not clear enough to read without asking; nothing was loaded:",
        problems=problems,
        fix="Say what they mean in client.yaml, then validate again. "
            + ("Replace the participants entry's mapping: block with these lines (they keep what it says now; "
               "two mapping: keys in one entry are refused)" if any(_existing(existing)) else "Paste these lines")
            + ", keeping the readings that are right and correcting the others (values: apply to every participant "
              "file; with validate --file, put the values: lines in the --mapping file):\n"
            + yaml_lines(asked, levels, existing),
    )


def _share(values: list[str], test) -> float:
    hits = 0
    for value in values:
        try:
            hits += bool(test(value))
        except CellProblem:
            pass
    return hits / len(values) if values else 0.0


def unused_columns_that_look_used(table: Table, mapping: ColumnMapping) -> list[Problem]:
    """Columns that matched no field but whose answers look like one (emails, roles, grades, lists)."""
    problems = []
    mapped = set(mapping.fields.values())
    for index in mapping.unmapped:
        values = [row[index] for row in table.rows if row[index]]
        if len(values) < 2:
            continue
        header = table.headers[index]
        if _share(values, parse_email) >= 0.6:
            looks, fields = "email addresses", ["manager_id" if "email" in mapped else "email", "ignore"]
        elif _share(values, lambda value: read_role(value).confidence >= SURE) >= 0.6:
            looks, fields = "mentor/mentee answers", ["role", "ignore"]
        elif _share(values, lambda value: read_meeting_mode(value).confidence >= SURE) >= 0.6:
            looks, fields = "meeting preferences", ["meeting_mode", "ignore"]
        elif _share(values, lambda value: read_level(value).value is not None) >= 0.6:
            looks, fields = "grades or job levels", ["seniority", "ignore"]
        elif _share(values, lambda value: len(split_list(value)) >= 2
                    and all(len(item) <= 40 for item in split_list(value))) >= 0.4:
            looks, fields = "lists (skills, goals or languages?)", ["skills_offered", "skills_sought", "goals",
                                                                     "languages", "ignore"]
        else:
            continue
        examples = "; ".join(_quote(value) for value in list(dict.fromkeys(values))[:3])
        problems.append(Problem(
            f"this column was not used, but its answers look like {looks} (e.g. {examples})",
            f"if it holds one of the toolkit's fields, map it in client.yaml, inside the participants entry's "
            f"mapping: block (one mapping: per entry):{columns_block({header: fields[0]})}\n"
            f"      (or {' / '.join(fields[1:])}); to keep it unused without this warning, map it to ignore",
            table.path, None, header, None, column_letter(index),
        ))
    return problems
