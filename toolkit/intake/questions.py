"""Answers the toolkit is not sure how to read: one question for the user, and columns left unused
that look like a field.

"Never guess silently": when an answer to a question the matching rules depend on (role,
seniority, meeting mode, capacity) is not clearly understood, loading stops with one error that
lists each such answer, the rows that gave it, what the toolkit would read it as, and the exact
``client.yaml`` lines that confirm or correct it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IntakeError, Problem
from . import schema
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
from .ladders import code_level, fitting_presets, grade_key, ladder_yaml, suggested_order, yaml_string
from .tables import column_letter

if TYPE_CHECKING:
    from .mapping import ColumnMapping
    from .tables import Table

__all__ = ["QUESTION_FIELDS", "Answer", "answers_from_rows", "question_error", "unused_columns_that_look_used",
           "ladder_order", "ladder_yaml", "mapping_block", "columns_block", "reads_as_ladder", "non_answer_warnings",
           "department_look_alikes", "seniority_lines", "mapping_problems"]

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
    rows: list[int] = dataclasses.field(default_factory=list)  # the attribute "field" hides the function

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
    return yaml_string(text)


def _rows(rows: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(row) for row in rows[:limit])
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}" + (f" and {len(rows) - limit} more" if len(rows) > limit
                                                               else "")


def _placeholder(name: str, value: object) -> str:
    if value is None:
        return '"(choose)"   # the toolkit cannot tell: write ' + QUESTION_FIELDS[name]
    return f"{value:g}" if isinstance(value, float) else str(value)


def ladder_order(levels: Iterable[tuple[str, object]], people: dict[str, int] | None = None) -> list[str | list[str]]:
    """The client's ladder as read now, most junior first (see :func:`toolkit.intake.ladders.suggested_order`).

    ``levels`` is (grade, level or None). Pasted as ``seniority: order:``, the ladder keeps every grade's
    place and every tie (Analyst = Associate stays equal); spellings of one grade ("Band 8A", "band 8a") are
    one step, written as most people (``people``) wrote it; grades not read at all go last, one each.
    """
    return suggested_order(levels, people)


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
            lines += [f"        {_quote(answer) + ':':<{width + 1}} {'null' if value is None else _yaml_scalar(value)}"
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
        lines += seniority_lines(list(all_levels or levels))
    return "\n".join(lines)


def seniority_lines(levels: Sequence[Answer]) -> list[str]:
    """The ``seniority:`` block that settles a column of grades, valid as printed.

    When sector presets hold every grade and agree on their order, the block is ``preset:`` (with the
    order it gives, as a comment); otherwise it is the client's whole ladder as read now, with any
    fitting preset named in a comment. Non-answers and blanks are left out.
    """
    answered = [answer for answer in levels if not answer.reading.missing]
    people: dict[str, int] = {}
    for answer in answered:
        people[answer.text] = people.get(answer.text, 0) + len(answer.rows)
    as_read = ladder_order(((answer.text, answer.reading.value) for answer in answered), people)
    fitting = fitting_presets(people)
    on_preset = {preset.name: ladder_order(((grade, _step(preset, grade)) for grade in people), people)
                 for preset in fitting}
    agreed = len({ladder_yaml(order) for order in on_preset.values()}) == 1
    # "Grade 6" and "Grade 7" alone could count either way: a preset is offered as the answer only when a
    # grade is its own word (SEO, VP, Band 8a ...), otherwise as a comment beside the order as read.
    distinctive = any((level := code_level(grade)) is None or level[0] not in _GENERIC_CODES for grade in people)
    if fitting and agreed and distinctive:
        preset = fitting[0]
        others = [f"  # (also on the {other.title} ladder: preset: {other.name} reads them the same way)"
                  for other in fitting[1:]]
        return [f"seniority:   # top level of client.yaml: every grade here is on the {preset.title} ladder "
                f"({preset.summary()})",
                f"  preset: {preset.name}", *others,
                "  # if the client's order differs, replace preset: with its ladder, most junior first "
                "([a, b] = the same level):",
                "  # order: " + ladder_yaml(on_preset[preset.name])]
    lines = ["seniority:   # top level of client.yaml: the client's grades, most junior first; [a, b] = the "
             "same level",
             "  order: " + ladder_yaml(as_read)]
    for preset in fitting:  # presets that hold every grade but disagree: the client must say which
        lines += [f"  # or, if the client uses the {preset.title} ladder, replace order: with preset: "
                  f"{preset.name}, which reads them as: {ladder_yaml(on_preset[preset.name])}"]
    return lines


_GENERIC_CODES = {"", "g", "grade", "l", "level", "lvl"}


def _step(preset, grade: str) -> int | None:
    key = grade_key(grade)
    return next((position for position, step in enumerate(preset.order, 1)
                 if key in {grade_key(name) for name in step}), None)


def question_error(answers: Sequence[Answer], files: Sequence[str], existing: object = None) -> IntakeError | None:
    """One error listing every unclear answer, or None when every answer was read with confidence.

    Answers not understood at all are included only when there is a question anyway (on their own
    they are row problems, which ``lenient`` can set aside).
    """
    unclear = [answer for answer in answers if answer.reading.value is not None and answer.unclear]
    if not unclear:
        return None
    unread = [answer for answer in answers if answer.reading.value is None and not answer.reading.missing]
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
        where = ("settle the client's ladder under seniority: (below: a sector preset, or the order most junior "
                 "first), or give this one's level under mapping: values: seniority:" if answer.field == "seniority"
                 else f"confirm or correct it under mapping: values: {answer.field}:")
        problems.append(Problem(f"{count} answered this; {reading}", f"{where} in client.yaml",
                                answer.path, None, answer.column, answer.text, answer.column_letter))
    levels = [answer for answer in answers if answer.field == "seniority" and not answer.reading.missing]
    names = ", ".join(dict.fromkeys(Path(path).name for path in files))
    return IntakeError(
        f"{names}: {len(asked)} answer{'s' if len(asked) != 1 else ''} the matching rules depend on "
        f"{'are' if len(asked) != 1 else 'is'} not clear enough to read without asking; nothing was loaded:",
        problems=problems,
        fix="Say what they mean in client.yaml, then validate again. "
            + ("Replace the participants entry's mapping: block with these lines (they keep what it says now; "
               "two mapping: keys in one entry are refused)"
               if any(_existing(existing)) and any(answer.field != "seniority" for answer in asked)
               else "Paste these lines")
            + ", keeping the readings that are right and correcting the others (values: apply to every participant "
              "file; with validate --file, put the values: and seniority: lines in the --mapping file):\n"
            + yaml_lines(asked, levels, existing),
    )


def _share(values: list[str], test) -> float:
    hits = 0
    for value in values:
        with contextlib.suppress(CellProblem):  # an answer the parser refuses is not a hit
            hits += bool(test(value))
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


def non_answer_warnings(said_nothing: Mapping[tuple[str, str, str], Mapping[str, int]]) -> list[Problem]:
    """One warning per file: the answers that said nothing ("Prefer not to say", "N/A", "-"), read as
    missing, with how many people gave each, column by column."""
    by_file: dict[str, list[str]] = {}
    for (path, header, letter) in sorted(said_nothing, key=lambda key: (key[0], len(key[2]), key[2])):
        merged: dict[str, dict[str, int]] = {}  # "None" and "none" are one answer, shown as most wrote it
        for answer, count in said_nothing[(path, header, letter)].items():
            merged.setdefault(" ".join(answer.split()).casefold(), {})[answer] = count
        counts = {sorted(spellings, key=lambda spelling: -spellings[spelling])[0]: sum(spellings.values())
                  for spellings in merged.values()}  # most written, then first seen
        given = ", ".join(f"{_quote(answer)} {count} {'person' if count == 1 else 'people'}"
                          for answer, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        by_file.setdefault(path, []).append(f'column {letter} "{header}": {given}')
    return [Problem(
        "answers that say nothing were read as missing (no value, and no question): " + "; ".join(columns),
        "nothing to fix if these people chose not to answer; to read one as a value instead, say what it means "
        "under the participants entry's mapping: values: in client.yaml (e.g. values: meeting_mode: "
        '{"N/A": no_preference})', path) for path, columns in by_file.items()]


# Columns that hold the unit people work in, read as business_unit: the matching rules use department.
_UNIT_LOOK_ALIKES = ("division", "business unit", "business area", "line of business", "segment", "bu")


def department_look_alikes(table: Table, mapping: ColumnMapping) -> list[Problem]:
    """A division or business-unit column in a file with no department column: suggest it as department.

    The cross-department criterion and the same-department rule read ``department``; without one
    they have nothing to work with, so the user is told (never remapped without a word).
    """
    if "department" in mapping.fields.values():
        return []
    problems = []
    for index in mapping.columns_for("business_unit"):
        header = table.headers[index]
        if index in mapping.explicit or not any(word in f" {schema.normalise_header(header)} "
                                                for word in (f" {w} " for w in _UNIT_LOOK_ALIKES)):
            continue
        problems.append(Problem(
            "this column was read as business_unit, and no column is department: the cross-department "
            "criterion and the same-department rule read department, so they have nothing to work with",
            "if these are the units to mix or keep apart, map the column to department in client.yaml, inside "
            f"the participants entry's mapping: block (one mapping: per entry):{columns_block({header: 'department'})}"
            f"\n      (or map it to business_unit to keep it as it is without this warning)",
            table.path, None, header, None, column_letter(index)))
    return problems


def mapping_problems(table: Table, mapping: ColumnMapping, role: str | None) -> list[Problem]:
    """What stops a file's columns from being read: ambiguous columns, two columns for one field, no id or
    email, no role; each with the client.yaml lines that settle it."""
    problems = []
    for index, candidates in mapping.ambiguous.items():
        header = table.headers[index]
        answers = [row[index] for row in table.rows if index < len(row)]
        ladder = "seniority" in candidates and reads_as_ladder(answers)
        if ladder:  # grades or titles on a ladder: seniority is what the matching rules need
            candidates = ["seniority"] + [name for name in candidates if name != "seniority"]
        options = " or ".join(f'"{name}"' for name in candidates)
        if ladder:
            examples = ", ".join(f'"{value}"' for value in list(dict.fromkeys(answer for answer in answers
                                                                              if answer))[:3])
            fix = (f"the answers read as grades or titles on a ladder ({examples}), so it is most likely seniority "
                   "(the level the matching rules use); say so in client.yaml, inside the participants entry's "
                   f"mapping: block:{columns_block({header: 'seniority'})}\n"
                   f"      or, if they are only job titles and levels do not matter, {candidates[1]}:"
                   f"{columns_block({header: candidates[1]})}\n      (one mapping: per entry: if it has one, add the "
                   "columns: line inside it)")
        else:
            fix = (f"say which in client.yaml, inside the participants entry's mapping: block (or ignore):"
                   f"{columns_block({header: candidates[0]})}\n      (one mapping: per entry: if it has one, add the "
                   "columns: line inside it)")
        problems.append(Problem(
            f"the column could mean {options}", path=table.path, column=header, column_letter=column_letter(index),
            fix=fix,
        ))
    for name, indexes in mapping.conflicts.items():
        headers = [table.headers[index] for index in indexes]
        listed = " and ".join(f'"{header}"' for header in headers)
        problems.append(Problem(
            f'columns {listed} both look like "{name}"', path=table.path,
            fix="say which to use in client.yaml, inside the participants entry's mapping: block (one mapping: per "
                f"entry):{columns_block({headers[0]: name, headers[1]: 'ignore'})}\n      (or the other way round)",
        ))
    mapped = set(mapping.fields.values())
    if not mapped & {"participant_id", "email"} and not set(mapping.conflicts) & {"participant_id", "email"}:
        problems.append(Problem(
            "no column holds an id or email address, so people cannot be told apart", path=table.path,
            fix='add an "Email" or "Employee ID" column, or map the column that holds one in client.yaml, inside the '
                "participants entry's mapping: block (one mapping: per entry):"
                f"{columns_block({'Your work address': 'email'})}\n      (with the file's own header)",
        ))
    if role is None and "role" not in mapped:
        problems.append(Problem(
            "no column says who is a mentor and who is a mentee", path=table.path,
            fix='add a "Role" column (Mentor / Mentee / Both), map the column that says it, '
                'or load a file that has only one kind of participant with role="mentor" or role="mentee"',
        ))
    return problems
