"""The Roster: validated participants and cohorts, loaded from a client's files.

A roster comes from :func:`toolkit.load_roster` (files a client sent) or
:meth:`Roster.from_frame` (a DataFrame built in code). It never changes after it is
made: filtering or splitting gives new rosters.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import IntakeError, Problem, check_option
from .intake import schema
from .intake.cells import split_list
from .intake.load import IntakeResult, read_participants
from .intake.mapping import ColumnMapping
from .intake.questions import Answer
from .intake.rows import Record
from .intake.tables import Table, column_letter

__all__ = ["Roster", "load_roster", "roster_id_aliases", "PARTICIPANT_COLUMNS", "MISSING_LABEL"]

PARTICIPANT_COLUMNS: tuple[str, ...] = tuple(
    name for name in schema.FIELD_NAMES if name not in ("first_name", "last_name")
) + ("source", "source_row")

MISSING_LABEL = "(not given)"  # how a blank value is shown when grouping people


def _empty_value(name: str):
    return () if name in schema.LIST_FIELDS else None


class Roster:
    """Validated participants of one programme (or cohort).

    Attributes
    ----------
    participants : DataFrame
        One row per person, columns :data:`PARTICIPANT_COLUMNS`; list fields
        (skills, languages, availability, preferences ...) hold tuples.
    rejected : DataFrame
        Input rows that were not loaded: ``source``, ``row``, ``participant``,
        ``reasons`` and ``raw`` (the row's cells as found). Empty unless loaded leniently
        or rows were superseded or lacked consent.
    row_outcomes : DataFrame
        Every non-blank input row: ``source``, ``row``, ``outcome`` (loaded, merged,
        rejected), ``participant_id``, ``reason``. The accounting behind "nothing is lost".
    warnings : list of Problem
        Things worth knowing that did not stop loading (merged rows, dropped references).
    mappings : dict
        File name -> :class:`~toolkit.intake.ColumnMapping` used to read it.
    extra : DataFrame
        Columns of the input that map to no field, by participant id (kept, not used).
    org_chart : dict
        Employee id -> manager id, for people who are not participants.
    answers : list of Answer
        Each distinct answer to a rule-relevant question (role, seniority, meeting mode, capacity),
        with the rows that gave it and how it was read (see :meth:`readings`).
    columns_read : DataFrame
        Per file and column: the field it became (or "not used" / "ignored") and three example
        answers (see :meth:`column_reading`).
    """

    def __init__(
        self,
        participants: pd.DataFrame,
        *,
        rejected: pd.DataFrame | None = None,
        row_outcomes: pd.DataFrame | None = None,
        warnings: Sequence[Problem] = (),
        mappings: Mapping | None = None,
        extra: pd.DataFrame | None = None,
        org_chart: Mapping[str, str | None] | None = None,
        sources: Sequence[str] = (),
        blank_rows: Mapping[str, list[int]] | None = None,
        answers: Sequence[Answer] = (),
        columns_read: pd.DataFrame | None = None,
    ) -> None:
        self.participants = participants.reset_index(drop=True)
        self.rejected = rejected if rejected is not None else pd.DataFrame(
            columns=["source", "row", "participant", "reasons", "raw"])
        self.row_outcomes = row_outcomes if row_outcomes is not None else pd.DataFrame(
            columns=["source", "row", "outcome", "participant_id", "reason"])
        self.warnings = list(warnings)
        self.mappings = dict(mappings or {})
        self.extra = extra if extra is not None else pd.DataFrame(index=pd.Index([], name="participant_id"))
        self.org_chart = dict(org_chart or {})
        self.sources = list(sources)
        self.blank_rows = dict(blank_rows or {})
        self.answers = list(answers)
        self.columns_read = columns_read if columns_read is not None else pd.DataFrame(columns=COLUMN_READING)
        self._by_id = {participant: index for index, participant in enumerate(self.participants["participant_id"])}

    # Construction -----------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, org_chart: Mapping[str, str | None] | None = None) -> Roster:
        """A roster from a DataFrame that already uses the toolkit's field names.

        Missing columns are added empty; list fields given as strings ("A; B") or
        lists become tuples. Ids must be unique and roles one of mentor, mentee, both.
        """
        frame = frame.copy()
        unknown = [column for column in frame.columns if column not in PARTICIPANT_COLUMNS]
        if unknown:
            raise IntakeError(
                f"Columns {unknown} are not toolkit fields.",
                fix=f"rename them to toolkit field names ({', '.join(schema.FIELD_NAMES)}) or drop them",
            )
        if "participant_id" not in frame.columns:
            raise IntakeError("The frame has no participant_id column.", fix="add one with a unique id per person")
        for name in PARTICIPANT_COLUMNS:
            if name not in frame.columns:
                frame[name] = [_empty_value(name)] * len(frame)
            elif name in schema.LIST_FIELDS:
                frame[name] = [
                    tuple(split_list(value)) if isinstance(value, str)
                    else tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else ()
                    for value in frame[name]
                ]
        frame["participant_id"] = frame["participant_id"].astype(str)
        problems = []
        duplicated = frame["participant_id"][frame["participant_id"].duplicated()]
        for participant in duplicated.unique():
            problems.append(Problem(f"participant_id {participant} appears more than once", "make ids unique"))
        bad_roles = frame.loc[~frame["role"].isin(schema.ROLES), "role"]
        for position, value in bad_roles.items():
            problems.append(Problem("role must be mentor, mentee or both", 'use "mentor", "mentee" or "both"',
                                    row=int(position), column="role", value=value))
        if problems:
            raise IntakeError("The participants frame has problems:", problems=problems)
        frame = frame[list(PARTICIPANT_COLUMNS)].astype(object)
        frame = frame.where(frame.notna(), None)
        return cls(frame, org_chart=org_chart)

    @classmethod
    def from_intake(cls, intake: IntakeResult) -> Roster:
        """A roster from validated rows; raises :class:`IntakeError` listing every problem unless lenient."""
        records, tables, mappings = intake.records, intake.tables, intake.mappings
        if not intake.lenient:
            _refuse_problems(records)
        loaded = [record for record in records if record.outcome == "loaded"]
        return cls(
            _participants_frame(loaded), rejected=_rejected_frame(records), row_outcomes=_outcomes_frame(records),
            warnings=intake.warnings,
            mappings={Path(table.path).name: mapping for table, mapping in zip(tables, mappings)},
            extra=_extra_frame(tables, mappings, loaded), org_chart=intake.org_chart,
            sources=[table.path for table in tables],
            blank_rows={Path(table.path).name: table.blank_rows for table in tables if table.blank_rows},
            answers=intake.answers, columns_read=_columns_read(tables, mappings),
        )

    # Access -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.participants)

    def __contains__(self, participant_id: object) -> bool:
        return participant_id in self._by_id

    def __iter__(self):
        return iter(self.participants["participant_id"])

    @property
    def ids(self) -> list[str]:
        return list(self.participants["participant_id"])

    def get(self, participant_id: str) -> pd.Series:
        """One participant's row (KeyError naming the id if unknown)."""
        try:
            return self.participants.iloc[self._by_id[participant_id]]
        except KeyError:
            raise KeyError(f"No participant with id {participant_id!r} in this roster.") from None

    def display_name(self, participant_id: str) -> str:
        row = self.get(participant_id)
        return str(row["name"]) if isinstance(row["name"], str) and row["name"] else participant_id

    @property
    def mentors(self) -> pd.DataFrame:
        """People who can mentor: role mentor or both."""
        return self.participants[self.participants["role"].isin(("mentor", "both"))]

    @property
    def mentees(self) -> pd.DataFrame:
        """People who want a mentor: role mentee or both."""
        return self.participants[self.participants["role"].isin(("mentee", "both"))]

    def facilitators(self) -> pd.DataFrame:
        """People who can lead a circle: mentors who did not decline, and people of role
        ``both`` who said yes to facilitating (the rest of ``both`` join circles as members)."""
        people = self.participants
        willing = people["can_facilitate"]
        chosen = ((people["role"] == "mentor") & willing.map(lambda value: value is not False)) | (
            (people["role"] == "both") & willing.map(lambda value: value is True))
        return people[chosen]

    def capacity(self, default: int = 1, maximum: int | None = None) -> pd.Series:
        """Places per mentor (id -> int): the stated capacity, else ``default``, capped at ``maximum``."""
        mentors = self.mentors
        places = pd.to_numeric(mentors["capacity"], errors="coerce").fillna(default).astype(int)
        if maximum is not None:
            places = places.clip(upper=maximum)
        return pd.Series(places.to_numpy(), index=mentors["participant_id"].to_numpy(), name="capacity")

    def subset(self, participant_ids: Iterable[str]) -> Roster:
        """A roster of just these people (same org chart and provenance)."""
        wanted = set(participant_ids)
        kept = self.participants[self.participants["participant_id"].isin(wanted)]
        return Roster(kept, rejected=self.rejected, row_outcomes=self.row_outcomes, warnings=self.warnings,
                      mappings=self.mappings, extra=self.extra[self.extra.index.isin(wanted)],
                      org_chart=self.org_chart, sources=self.sources, blank_rows=self.blank_rows,
                      answers=self.answers, columns_read=self.columns_read)

    def cohorts(self, by: str = "cohort") -> dict[str, Roster]:
        """Split into cohorts by a column (cohort, start_date, region, business_unit, site, ...).

        People with no value are grouped under "(not given)".
        """
        check_option("by", by, [name for name in PARTICIPANT_COLUMNS if name not in schema.LIST_FIELDS], IntakeError)
        keys = self.participants[by].map(lambda value: MISSING_LABEL if value is None or value != value else str(value))
        return {key: self.subset(self.participants.loc[keys == key, "participant_id"]) for key in sorted(keys.unique())}

    # Reporting lines -----------------------------------------------------------------------
    def managers(self) -> dict[str, str | None]:
        """Person -> line manager, from the org chart with the participant files taking precedence."""
        managers = dict(self.org_chart)
        for participant, manager in zip(self.participants["participant_id"], self.participants["manager_id"]):
            if isinstance(manager, str) and manager:
                managers[participant] = manager
            else:
                managers.setdefault(participant, None)
        return managers

    def management_chains(self) -> dict[str, list[str]]:
        """Participant -> their managers upwards (line manager first, then skip-level, ...)."""
        managers = self.managers()
        chains = {}
        for participant in self.participants["participant_id"]:
            chain, seen, current = [], {participant}, managers.get(participant)
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                current = managers.get(current)
            chains[participant] = chain
        return chains

    def in_reporting_line(self, first: str, second: str) -> bool:
        """True when one of the two is above the other in the management chain."""
        chains = self.management_chains()
        return second in chains.get(first, []) or first in chains.get(second, [])

    # Display ----------------------------------------------------------------------------
    def intake_summary(self) -> pd.DataFrame:
        """Per file: rows read, loaded, merged, rejected, blank rows skipped."""
        if self.row_outcomes.empty:
            return pd.DataFrame(columns=["source", "rows", "loaded", "merged", "rejected", "blank rows skipped"])
        counts = self.row_outcomes.pivot_table(index="source", columns="outcome", values="row", aggfunc="count",
                                               fill_value=0)
        for outcome in ("loaded", "merged", "rejected"):
            if outcome not in counts.columns:
                counts[outcome] = 0
        counts["rows"] = counts[["loaded", "merged", "rejected"]].sum(axis=1)
        counts["blank rows skipped"] = [len(self.blank_rows.get(source, [])) for source in counts.index]
        return counts[["rows", "loaded", "merged", "rejected", "blank rows skipped"]].reset_index()

    def column_reading(self) -> pd.DataFrame:
        """Which client column became which field, with three example answers; unused columns last."""
        return self.columns_read.copy()

    def readings(self, field: str | None = None) -> pd.DataFrame:
        """How each distinct answer to a rule-relevant question was read: ``field``, ``answer``,
        ``read_as``, ``people``, ``how`` (and ``source``, ``column``), one row per answer."""
        rows = [{"field": answer.field, "answer": answer.text, "read_as": answer.reading.value,
                 "people": len(answer.rows), "how": answer.reading.how, "source": Path(answer.path).name,
                 "column": answer.column}
                for answer in self.answers if not answer.reading.missing and field in (None, answer.field)]
        return pd.DataFrame(rows, columns=["field", "answer", "read_as", "people", "how", "source", "column"])

    def seniority_table(self) -> pd.DataFrame:
        """Grade -> level as read, most junior first: ``grade``, ``level``, ``people``, ``how``."""
        table = self.readings("seniority")
        table = table.groupby(["answer", "read_as", "how"], as_index=False, dropna=False)["people"].sum()
        table = table.rename(columns={"answer": "grade", "read_as": "level"})
        table = table.sort_values(["level", "grade"], key=lambda column: column.map(
            lambda value: value if not isinstance(value, str) else value.casefold()), kind="stable")
        return table[["grade", "level", "people", "how"]].reset_index(drop=True)

    def summary(self) -> str:
        roles = self.participants["role"].value_counts()

        def count(number: int, noun: str) -> str:
            return f"{number} {noun}{'' if number == 1 else 's'}"

        text = (f"{count(len(self), 'participant')}: {count(roles.get('mentor', 0), 'mentor')}, "
                f"{count(roles.get('mentee', 0), 'mentee')}"
                f"{', ' + str(roles.get('both', 0)) + ' both' if roles.get('both', 0) else ''}.")
        if len(self.rejected):
            text += f" {count(len(self.rejected), 'row')} set aside, each with its reason."
        if self.warnings:
            text += f" {count(len(self.warnings), 'warning')} (see roster.warnings)."
        return text

    def __repr__(self) -> str:
        return f"<Roster: {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p><strong>Roster</strong>: {html.escape(self.summary())}</p>"


COLUMN_READING = ["source", "column", "header", "field", "examples"]


def _columns_read(tables: Sequence, mappings: Sequence) -> pd.DataFrame:
    records = []
    for table, mapping in zip(tables, mappings):
        for index, header in enumerate(table.headers):
            if index in mapping.fields:
                field = mapping.fields[index]
            elif index in mapping.ignored:
                field = "(ignored)"
            else:
                field = "(not used)"
            examples = list(dict.fromkeys(row[index] for row in table.rows if row[index]))[:3]
            records.append({"source": Path(table.path).name, "column": column_letter(index), "header": header,
                            "field": field, "examples": " | ".join(_short(example) for example in examples)})
    frame = pd.DataFrame(records, columns=COLUMN_READING)
    unused = frame["field"].str.startswith("(")
    return pd.concat([frame[~unused], frame[unused]], ignore_index=True)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_roster(
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
) -> Roster:
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
    date_format
        ``"DMY"`` (day first), ``"MDY"`` (month first) or ``"YMD"``: how slashed dates such as
        03/04/2026 are read. Without it a column decides by a day above 12; a column that could be
        read both ways is refused, naming the rows (``date_format:`` in client.yaml).
    seniority_order
        The client's own grades, most junior first (``seniority: order:`` in client.yaml); an item
        may be a list of grades at the same level. Every seniority answer must then be on it.

    Returns
    -------
    Roster

    Raises
    ------
    IntakeError
        Listing every problem: file, spreadsheet row, column, value, what is wrong and the fix.
        Also, even when ``lenient``, when an answer the matching rules depend on (role, seniority,
        meeting mode, capacity) is not clear: one question listing each such answer, the rows that
        gave it, how it would be read, and the client.yaml lines that confirm or correct it.
    """
    return Roster.from_intake(read_participants(
        path, mapping, role=role, lenient=lenient, on_duplicate=on_duplicate, sheet=sheet, org_chart=org_chart,
        date_format=date_format, seniority_order=seniority_order))


def roster_id_aliases(roster: Roster) -> dict[str, str]:
    """Lower-cased email -> participant id, for client files that identify people by email."""
    people = roster.participants
    return {str(email).strip().lower(): str(participant_id)
            for participant_id, email in zip(people["participant_id"], people["email"])
            if isinstance(email, str) and email.strip()}


def _refuse_problems(records: list[Record]) -> None:
    """Every row's problems in one :class:`IntakeError`, sorted by file, row and column (none: no error)."""
    problems = [problem for record in records for problem in record.problems]
    if not problems:
        return
    # Row-level problems (no column) first: they often explain the cell problems after them.
    problems.sort(key=lambda problem: (problem.path or "", problem.row or 0,
                                       len(problem.column_letter or ""), problem.column_letter or ""))
    rows = {(problem.path, problem.row) for problem in problems}
    names = ", ".join(dict.fromkeys(Path(problem.path).name for problem in problems if problem.path))
    raise IntakeError(
        f"{names}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in {len(rows)} "
        f"row{'s' if len(rows) != 1 else ''}; nothing was loaded.",
        problems=problems,
        fix="Correct these in the file and load it again. To see what would load with these rows set "
            "aside (with these reasons), run: mentoring-toolkit validate --lenient --client CLIENT.",
    )


def _participants_frame(loaded: list[Record]) -> pd.DataFrame:
    """The loaded rows as :attr:`Roster.participants` (object columns, list fields as tuples)."""
    participant_rows = []
    for record in loaded:
        row = {name: record.values.get(name, _empty_value(name)) for name in PARTICIPANT_COLUMNS}
        row["participant_id"] = record.participant_id
        row["source"] = Path(record.source).name
        row["source_row"] = record.row
        participant_rows.append(row)
    # object dtype throughout: missing stays None (pandas 3 would otherwise infer str columns with NaN).
    participants = pd.DataFrame(participant_rows, columns=list(PARTICIPANT_COLUMNS), dtype=object)
    for name in PARTICIPANT_COLUMNS:
        if name in schema.LIST_FIELDS:
            participants[name] = participants[name].map(lambda value: value if isinstance(value, tuple) else ())
    return participants.astype({"source_row": "int64"})


def _rejected_frame(records: list[Record]) -> pd.DataFrame:
    """The rows set aside, with their reasons and cells (:attr:`Roster.rejected`)."""
    return pd.DataFrame(
        [{"source": Path(record.source).name, "row": record.row,
          "participant": record.values.get("email") or record.participant_id or "",
          "reasons": "; ".join(record.reasons), "raw": record.raw}
         for record in records if record.outcome == "rejected"],
        columns=["source", "row", "participant", "reasons", "raw"],
    )


def _outcomes_frame(records: list[Record]) -> pd.DataFrame:
    """Every row's outcome (:attr:`Roster.row_outcomes`)."""
    return pd.DataFrame(
        [{"source": Path(record.source).name, "row": record.row, "outcome": record.outcome,
          "participant_id": record.participant_id, "reason": "; ".join(record.reasons)}
         for record in records],
        columns=["source", "row", "outcome", "participant_id", "reason"],
    )


def _extra_frame(tables: list[Table], mappings: list[ColumnMapping], loaded: list[Record]) -> pd.DataFrame:
    """Columns that map to no field, kept per participant so that nothing the client sent is lost."""
    extra_rows: dict[str | None, dict[str, str]] = {}
    for table, mapping in zip(tables, mappings):
        unmapped = [table.headers[index] for index in mapping.unmapped]
        if not unmapped:
            continue
        for record in loaded:
            if record.source == table.path:
                extra_rows.setdefault(record.participant_id, {}).update(
                    {header: record.raw.get(header, "") for header in unmapped})
    extra = pd.DataFrame.from_dict(extra_rows, orient="index")
    extra.index.name = "participant_id"
    return extra
