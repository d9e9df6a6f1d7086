"""The release ledger: what a client's reports, exports and studio tables have published, and the
suppression decided across all of them.

:mod:`toolkit.privacy` decides one table on its own. A reader of a client's reports has more than one
table: the readiness and matching reports break the same departments down, the impact report is run
again when a late answer arrives, a caption prints the total of an answer distribution. This module
keeps, per client, an append-only file of every table released (``<client>/releases/ledger.jsonl``,
one JSON line per table: the groups, their counts and figures, which were hidden and why, and
fingerprints of the people each row counts) and decides each new table against all of it. This is
what national statistics offices do for linked tables and successive releases.

A row (a group of people) is hidden when

1. **small**: it counts fewer than ``min_group`` people (primary suppression);
2. **hidden before or elsewhere** (sticky, linked): a set of people it publishes (the group, or a
   sub-count such as its mentees) lies within ``min_group - 1`` people of a set hidden in this release
   or any earlier one, or a table grouping by the same attribute hides it in this release, or an
   earlier release hid the group and no table of this release shows that it has since changed by at
   least ``min_group`` people. A hidden group therefore stays hidden until at least ``min_group``
   people have joined, left or changed their answers, so one known response cannot give it away;
3. **changed**: an earlier release showed it and fewer than ``min_group`` people have joined, left or
   changed what the row's figures read from them since (differencing, for counts and for means);
4. **complement**: its table's rows add up to a total the reader can see (a caption, a sentence), and
   the rows hidden so far could be worked out by subtraction: :func:`toolkit.privacy.hidden_rows` hides
   more until they cannot (secondary suppression).

The people are fingerprinted (a truncated SHA-256 of their id), not named: the ledger is as
confidential as the client's own files, and stays in the client folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ToolkitError
from .files import write_bytes
from .privacy import check_threshold, hidden_rows

__all__ = ["Row", "Table", "Decision", "Ledger", "Release", "LEDGER_FILE", "LEDGER_MIME", "release_outputs",
           "strip_release_outputs", "fingerprint", "person_fingerprint"]

LEDGER_FILE = Path("releases") / "ledger.jsonl"
#: How a report notebook hands its release to the runner (an invisible output, removed before writing).
LEDGER_MIME = "application/vnd.mentoring-toolkit.release+json"
FORMAT = 1


@dataclass(frozen=True)
class Row:
    """One group a table shows.

    Parameters
    ----------
    label
        The group as the table names it ("Finance", "Not a fit", "Career support", "everyone").
    people
        Who the row counts (participant ids or survey pseudonyms, each once).
    answers
        Person -> what the row's figures read from them (a score, matched or not), when the row shows
        a figure (mean, rate): a change in someone's answer is then a change to the row.
    parts
        Sub-counts shown beside the row: name -> the people counted (``{"mentees": [...]}``).
    figures
        The figures shown (recorded in the ledger, not used to decide).
    """

    label: str
    people: Collection[str]
    answers: Mapping[str, Any] | None = None
    parts: Mapping[str, Collection[str]] = field(default_factory=dict)
    figures: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A table (or chart, caption count, headline figure) about groups of people.

    Parameters
    ----------
    key
        What the table is, the same in every report and release ("participants by department").
    attribute
        What the groups are values of ("department"): tables grouping by it hide the same groups.
    rows
        One :class:`Row` per group.
    partition
        The rows add up to a total the reader can see (a caption, a sentence, another table): hidden
        rows then get complementary suppression. False for rows that are separate measures.
    """

    key: str
    attribute: str
    rows: Sequence[Row]
    partition: bool = True


@dataclass(frozen=True)
class Decision:
    """Which rows of a table may be shown: ``hidden`` maps each hidden label to why, in plain words."""

    key: str
    labels: tuple[str, ...]
    hidden: Mapping[str, str]

    def shows(self, label: str) -> bool:
        return label not in self.hidden

    @property
    def shown(self) -> list[str]:
        return [label for label in self.labels if label not in self.hidden]

    def keep(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """The rows of ``frame`` whose ``column`` is a shown label; ``attrs["hidden"]`` counts the others."""
        kept = frame[[self.shows(str(value)) for value in frame[column]]].copy()
        kept.attrs.update(frame.attrs)
        kept.attrs["hidden"] = len(self.hidden)
        kept.attrs["hidden_reasons"] = dict(self.hidden)
        return kept

    def note(self, noun: str = "group", plural: str | None = None) -> str:
        """Words for a caption: "2 groups not shown, to protect small groups" ('' when none is hidden)."""
        count = len(self.hidden)
        if not count:
            return ""
        word = noun if count == 1 else (plural or noun + "s")
        return f"{count} {word} not shown, to protect small groups"


def fingerprint(value: Any) -> str:
    """A short, stable fingerprint of a person (or a person and their answer): 12 hex digits of SHA-256."""
    return hashlib.sha256(f"tk-ledger-{FORMAT}|{value}".encode()).hexdigest()[:12]


def _person(value: Any) -> str:
    return str(value).strip().casefold()


def person_fingerprint(person: Any) -> str:
    """How the ledger records a person (their id or pseudonym, spaces and case ignored)."""
    return fingerprint(_person(person))


def _canonical(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return "nan" if math.isnan(number) else repr(round(number, 6))
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(_canonical(item) for item in value) + ")"
    return str(value)


@dataclass
class _Version:
    """One row as recorded: its sets of fingerprints, and what happened to it."""

    key: str
    attribute: str
    label: str
    shown: bool
    published: bool
    where: str  # "the readiness report of 3 March 2026", for reasons
    sets: dict[str, frozenset]

    def close_to(self, sets: Mapping[str, frozenset], min_group: int) -> bool:
        """Whether one of ``sets`` shares people with this version's set of the same name (its people, a
        sub-count, its answers) and differs from it by fewer than ``min_group`` people: one known response
        away. Sets with nobody in common are not close: whoever tells them apart knows everyone in both."""
        for name, mine in self.sets.items():
            theirs = sets.get(name)
            if not mine or not theirs or abs(len(mine) - len(theirs)) >= min_group or mine.isdisjoint(theirs):
                continue
            if len(mine ^ theirs) < min_group:
                return True
        return False

    def changes(self, sets: Mapping[str, frozenset]) -> list[int]:
        """How many people joined, left or changed answers, per set both have."""
        return [len(self.sets[name] ^ sets[name]) for name in sets if name in self.sets]


def _sets(row: Row) -> dict[str, frozenset]:
    people = frozenset(person_fingerprint(person) for person in row.people)
    sets = {"people": people}
    for name, members in sorted(row.parts.items()):
        sets[f"part:{name}"] = frozenset(person_fingerprint(person) for person in members)
    if row.answers is not None:
        sets["answers"] = frozenset(fingerprint(f"{_person(person)}|{_canonical(value)}")
                                    for person, value in row.answers.items())
    return sets


def _where(record: Mapping[str, Any]) -> str:
    date = record.get("date")
    try:
        when = f" of {dt.date.fromisoformat(date):%d %B %Y}".replace(" 0", " ") if date else ""
    except ValueError:
        when = ""
    return f"the {record.get('source', 'release')}{when}"


def _versions(record: Mapping[str, Any]) -> list[_Version]:
    where = _where(record)
    versions = []
    for row in record.get("rows", ()):
        prints = row.get("fingerprints", {})
        sets = {"people": frozenset(prints.get("people", ()))}
        sets.update({f"part:{name}": frozenset(values) for name, values in sorted(prints.get("parts", {}).items())})
        if "answers" in prints:
            sets["answers"] = frozenset(prints["answers"])
        versions.append(_Version(record["table"], record["attribute"], str(row["group"]), bool(row["shown"]),
                                 bool(record.get("published", True)), where, sets))
    return versions


class Ledger:
    """A client's release history (``<client>/releases/ledger.jsonl``); ``path=None`` keeps it in memory.

    Parameters
    ----------
    path
        The ledger file, or None for a history that is never written (tests, studio sessions).
    min_group
        The anonymity threshold (the client's ``privacy.min_group``).
    """

    def __init__(self, path: str | os.PathLike | None, min_group: int) -> None:
        self.path = Path(path) if path is not None else None
        self.min_group = check_threshold(min_group)
        self.records: list[dict] = self._read() if self.path is not None else []

    @classmethod
    def for_client(cls, folder: str | os.PathLike, min_group: int) -> Ledger:
        """The ledger of the client whose folder is ``folder``."""
        return cls(Path(folder) / LEDGER_FILE, min_group)

    def _read(self) -> list[dict]:
        if self.path is None or not self.path.exists():
            return []
        records = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not {"release", "table", "attribute", "rows"} <= set(record):
                    raise ValueError("not a ledger record")
            except ValueError as error:
                raise ToolkitError(f"Line {number} of the release ledger cannot be read ({error}).",
                                   fix="restore the file from a backup: it records what was published for this "
                                       "client, and suppression depends on it (never edit it by hand)",
                                   path=self.path) from None
            records.append(record)
        return records

    @property
    def releases(self) -> int:
        """How many releases the ledger holds."""
        return max((int(record["release"]) for record in self.records), default=0)

    def release(self, source: str) -> Release:
        """A new release (a report, an export, a studio table) decided against this history."""
        return Release(self, source)

    def append(self, records: Iterable[Mapping[str, Any]], *, source: str | None = None,
               date: dt.date | None = None) -> int:
        """Write ``records`` (tables) as the next release; returns its number (0 when there is nothing).

        The file only grows: earlier lines are never changed. The write is atomic, and done under the
        client's ledger lock (see :meth:`lock`).
        """
        written = [dict(record) for record in records]
        if not written:
            return 0
        with self.lock():
            if self.path is not None:
                self.records = self._read()
            number = self.releases + 1
            day = (date or dt.date.today()).isoformat()
            lines = []
            for record in written:
                record.update(release=number, date=day)
                if source:
                    record["source"] = source
                lines.append(json.dumps(_ordered(record), ensure_ascii=False, allow_nan=False))
            if self.path is not None:
                existing = self.path.read_bytes() if self.path.exists() else b""
                if existing and not existing.endswith(b"\n"):
                    existing += b"\n"
                write_bytes(existing + ("\n".join(lines) + "\n").encode("utf-8"), self.path)
            self.records += [json.loads(line) for line in lines]
        return number

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the client's ledger lock (``releases/.lock``): one release is decided and written at a time."""
        if self.path is None:
            yield
            return
        self._writable_folder()
        lock = str((self.path.parent / ".lock").resolve())
        if _HELD.get(lock):  # this process holds it already (the runner, around a report)
            _HELD[lock] += 1
            try:
                yield
            finally:
                _HELD[lock] -= 1
            return
        with open(lock, "a+b") as handle:
            _file_lock(handle, True)
            _HELD[lock] = 1
            try:
                yield
            finally:
                _HELD.pop(lock, None)
                _file_lock(handle, False)

    def _writable_folder(self) -> None:
        """The ``releases`` folder, created inside the client folder: never through a link to elsewhere."""
        if self.path is None:
            return
        folder = self.path.parent
        if folder.is_symlink():
            raise ToolkitError(f"{folder} is a link to another folder; the release ledger stays inside the client "
                               "folder.", fix=f"remove the link {folder} (the ledger is written there on the next "
                                              "report)", path=folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ToolkitError(f"The release ledger cannot be written in {folder} ({error.strerror}).",
                               fix="make the client folder writable, or run the report with --dry-run (a draft: "
                                   "nothing is recorded)", path=folder) from None

    def versions(self) -> list[_Version]:
        return [version for record in self.records for version in _versions(record)]


_HELD: dict[str, int] = {}  # ledger locks this process holds, and how deeply (one thread per process)


def _file_lock(handle, take: bool) -> None:
    """Take (or release) an exclusive lock on an open file: flock on POSIX, msvcrt on Windows."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if take else msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if take else fcntl.LOCK_UN)


_ORDER = ("release", "date", "source", "table", "attribute", "threshold", "published", "partition", "rows")
_ROW_ORDER = ("group", "shown", "why", "people", "parts", "figures", "fingerprints")


def _ordered(record: Mapping[str, Any]) -> dict:
    """Keys in reading order (counts before fingerprints), so the file reads top to bottom."""
    ordered = {key: record[key] for key in _ORDER if key in record}
    ordered.update({key: value for key, value in record.items() if key not in ordered})
    ordered["rows"] = [{**{key: row[key] for key in _ROW_ORDER if key in row},
                        **{key: value for key, value in row.items() if key not in _ROW_ORDER}}
                       for row in record.get("rows", ())]
    return ordered


class Release:
    """One release being decided: every table it publishes goes through :meth:`publish`.

    Decisions read the ledger's history and every table already decided in this release; nothing is
    written until :meth:`commit` (or the report runner, after the report is written).
    """

    def __init__(self, ledger: Ledger, source: str) -> None:
        self.ledger = ledger
        self.source = source
        self.min_group = ledger.min_group
        self.history = ledger.versions()
        self.current: list[_Version] = []
        self.records: list[dict] = []
        self.decisions: dict[str, Decision] = {}
        #: Called after each table is published (the report context hands the release to the runner).
        self.after_publish: Callable[[Release], None] | None = None
        self._sent: set[int] = set()

    # -- deciding -------------------------------------------------------------------------------------
    def publish(self, table: Table) -> Decision:
        """Decide which rows of ``table`` may be shown, record it in this release and return the decision.

        Publishing the same table (same key and rows) twice in one release gives the same decision.
        """
        return self._decide(table, published=True)

    def anticipate(self, tables: Iterable[Table]) -> None:
        """Decide tables the client's other reports publish from the same people (the fairness audit's
        groups, the readiness tables), so this release hides what they will hide. They are recorded as
        decided but not published.
        """
        tables = list(tables)
        for _ in range(len(tables) * 50 + 1):  # hidden groups only accumulate, so this settles quickly
            before = self._hidden_labels()
            for table in tables:
                self._decide(table, published=False, replace=True)
            if self._hidden_labels() == before:
                break

    def _padded(self, table: Table, labels: list[str]) -> Table:
        """A partition table with an empty row for each group a linked table of this release has and it
        has not (the fairness table's departments without mentees): linked tables then hide the same
        groups, and a reader cannot learn that a hidden group has nobody in this table."""
        if not table.partition:
            return table
        missing = sorted({version.label for version in self.current if version.attribute == table.attribute
                          and version.key != table.key} - set(labels))
        if not missing:
            return table
        return Table(table.key, table.attribute, list(table.rows) + [Row(label, ()) for label in missing],
                     table.partition)

    def _hidden_labels(self) -> set:
        return {(version.attribute, version.label) for version in self.current if not version.shown}

    def _decide(self, table: Table, *, published: bool, replace: bool = False) -> Decision:
        table = self._padded(table, _distinct_labels(table))
        labels = [str(row.label) for row in table.rows]
        sets = [_sets(row) for row in table.rows]
        if published and self._shown_before(table.key, sets):
            return self.decisions[table.key]  # the same table shown twice (a table and its chart)
        if replace or published:  # a table decided in advance is now decided for real
            self._forget_unpublished(table.key)
        reasons = self._reasons(table, labels, sets)
        decision = Decision(table.key, tuple(labels),
                            {labels[index]: reason for index, reason in sorted(reasons.items())})
        self.current += [_Version(table.key, table.attribute, label, decision.shows(label), published,
                                  f"this {self.source}", row_sets) for label, row_sets in zip(labels, sets)]
        self.records.append(self._record(table, decision, sets, published))
        if published:
            self.decisions[table.key] = decision
            if self.after_publish is not None:
                self.after_publish(self)
        return decision

    def _shown_before(self, key: str, sets: list[dict]) -> bool:
        """Whether this release already published the table ``key`` with exactly these rows."""
        if key not in self.decisions:
            return False
        return [version.sets for version in self.current if version.key == key and version.published] == sets

    def _forget_unpublished(self, key: str) -> None:
        """Drop the decisions made in advance (not published) for the table ``key``."""
        self.current = [version for version in self.current if version.key != key or version.published]
        self.records = [record for record in self.records if record["table"] != key or record["published"]]

    def _reasons(self, table: Table, labels: list[str], sets: list[dict]) -> dict[int, str]:
        """Row index -> why it is hidden: its own reasons, then complementary suppression in a partition."""
        reasons = {index: reason for index, reason in
                   ((index, self._why(table, labels[index], sets[index])) for index in range(len(labels))) if reason}
        if table.partition and labels:
            counts = [len(row_sets["people"]) for row_sets in sets]
            names = sorted({name for row_sets in sets for name in row_sets if name.startswith("part:")})
            linked = [[len(row_sets.get(name, ())) for row_sets in sets] for name in names]
            also = [index in reasons for index in range(len(labels))]
            for index in np.flatnonzero(hidden_rows(counts, self.min_group, linked=linked, also=also)):
                reasons.setdefault(int(index), "hidden so that no other hidden group can be worked out from the total")
        return reasons

    def _why(self, table: Table, label: str, sets: dict) -> str:
        """Why a row must be hidden before complementary suppression ('' when it may be shown)."""
        k = self.min_group
        if len(sets["people"]) < k:
            return f"fewer than {k} people"
        for version in self.current:  # linked tables of this release
            if not version.shown and version.attribute == table.attribute and version.label == label:
                return f"hidden in another table of {version.where} ({version.key})"
        for version in self.history:  # sticky: hidden until at least k people have changed
            if version.shown or version.attribute != table.attribute or version.label != label:
                continue
            comparable = sets if version.key == table.key else self._sets_now(version.key, label)
            if comparable is None or version.close_to(comparable, k):
                return f"hidden in {version.where}, and fewer than {k} people have changed since"
        for version in self.history:  # differencing: a shown row may not change by 1 to k - 1 people
            if version.shown and version.published and version.key == table.key and version.label == label \
                    and any(0 < change < k for change in version.changes(sets)):
                return f"changed by fewer than {k} people since {version.where}"
        return ""

    def _sets_now(self, key: str, label: str) -> dict | None:
        """The sets of a row of another table decided in this release, if any."""
        for version in self.current:
            if version.key == key and version.label == label:
                return version.sets
        return None

    # -- recording --------------------------------------------------------------------------------------
    def _record(self, table: Table, decision: Decision, sets: list, published: bool) -> dict:
        rows = []
        for row, row_sets in zip(table.rows, sets):
            label = str(row.label)
            prints: dict[str, Any] = {"people": sorted(row_sets["people"])}
            parts = {name[5:]: sorted(values) for name, values in row_sets.items() if name.startswith("part:")}
            if parts:
                prints["parts"] = parts
            if "answers" in row_sets:
                prints["answers"] = sorted(row_sets["answers"])
            rows.append({"group": label, "shown": decision.shows(label), "why": decision.hidden.get(label, ""),
                         "people": len(row_sets["people"]),
                         "parts": {name: len(values) for name, values in parts.items()},
                         "figures": {str(name): _figure(value) for name, value in row.figures.items()},
                         "fingerprints": prints})
        return {"source": self.source, "table": table.key, "attribute": table.attribute,
                "threshold": self.min_group, "published": published, "partition": bool(table.partition),
                "rows": rows}

    def commit(self, *, date: dt.date | None = None) -> int:
        """Add this release to the ledger (the client's file, or the history in memory); returns its number
        (0 when nothing was published)."""
        if not any(record["published"] for record in self.records):
            return 0
        return self.ledger.append(self.records, source=self.source, date=date)

    def output(self) -> ReleaseNote:
        """An invisible notebook output carrying the records not handed over yet to the report runner
        (:func:`release_outputs` puts them together again)."""
        pending = [record for record in self.records if id(record) not in self._sent]
        self._sent.update(id(record) for record in pending)
        return ReleaseNote(pending)


def _distinct_labels(table: Table) -> list[str]:
    """The table's row labels as text; a label named twice is a bug in the caller."""
    labels = [str(row.label) for row in table.rows]
    if len(set(labels)) != len(labels):
        raise ToolkitError(f'The table "{table.key}" names a group twice.', fix="report this as a toolkit bug")
    return labels


def _figure(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) or math.isinf(float(value)) else round(float(value), 6)
    return None if value is None else str(value)


class ReleaseNote:
    """Invisible output that hands a report's release from the notebook kernel to the runner."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {LEDGER_MIME: {"records": self.records}, "text/plain": ""}


def release_outputs(notebook) -> list[dict]:
    """The release a report notebook made: the records of its release outputs, one per table (a table
    decided in advance and then published is kept as published)."""
    found: dict[str, dict] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for record in (data[LEDGER_MIME].get("records", []) if LEDGER_MIME in data else ()):
                if record.get("published") or not found.get(record["table"], {}).get("published"):
                    found[record["table"]] = record
    return list(found.values())


def strip_release_outputs(notebook) -> None:
    """Remove the release outputs (they hold hidden counts and fingerprints) before a notebook is written."""
    for cell in notebook.cells:
        if cell.get("outputs"):
            cell["outputs"] = [output for output in cell["outputs"] if LEDGER_MIME not in output.get("data", {})]
