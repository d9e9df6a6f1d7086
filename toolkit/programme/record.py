"""Recording what happens, the way a consultant gets the news: one row appended to a status file, checked first.

``mentoring-toolkit record --client X left E104 --on 2026-06-01`` appends a row to the people's
status file; ``record ended R1-P003 --on 2026-06-01 --reason no_fault`` to the pair status file.
The row is checked with everything already recorded (:func:`~toolkit.programme.timeline.build_timeline`
with the new row) before a byte is written: a date outside the programme or after today, an id no
file knows, a pair that was not running that day, a person who already left, are refused with the
rows named. A client.yaml that does not name the file yet gets the line added (and the file created
from the template).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..client import ClientConfig, load_client
from ..errors import ConfigError
from ..files import atomic_path, neutralise
from ..intake.cells import CellProblem, parse_date
from ..intake.schema import snake_case
from ..intake.tables import read_table
from ..resources import is_sample_client
from .events import EVENT_COLUMNS, PAIR_STATUS_HEADERS, PEOPLE_STATUS_HEADERS
from .state import state_on
from .timeline import build_timeline, load_config
from .vocabulary import END_READINGS, PERSON_EVENTS, RUNNING_STATES, reading_key

if TYPE_CHECKING:
    from .timeline import Timeline

__all__ = ["Recorded", "record_event", "STATUS_FILES", "RECORDABLE"]

#: client.yaml key -> (default file in the client folder, headers).
STATUS_FILES = {"people_status": ("collect/people_status.csv", PEOPLE_STATUS_HEADERS),
                "pair_status": ("collect/pair_status.csv", PAIR_STATUS_HEADERS)}

#: What ``record`` can record: the people's events and a pair's ending.
RECORDABLE = PERSON_EVENTS + ("ended",)

# the toolkit's field -> the snake-case headers a status file may use for it
_FIELDS = {"subject": ("participant_id", "pair_id", "circle_id", "unit_id", "person_id", "employee_id", "email"),
           "event": ("event", "status"), "date": ("date", "on", "ended_on", "effective_date"),
           "reason": ("reason", "end_reason", "why"), "left_by": ("left_by", "who_left", "leaver"),
           "note": ("note", "notes", "comment")}


@dataclass
class Recorded:
    """What ``record`` did: the file and row written, and what follows from it, in words."""

    path: Path
    row: int
    event: str
    subject: str
    day: dt.date
    consequences: list[str] = field(default_factory=list)
    yaml_line: str | None = None


def _day(text: Any, config: ClientConfig) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        day = parse_date(str(text or ""), config.get("date_format") or "")
    except CellProblem as problem:
        raise ConfigError(f"--on {text!r}: {problem}.", fix=problem.fix) from None
    if day is None:
        raise ConfigError("--on is missing: say when it happened.", fix="add --on YYYY-MM-DD")
    return day


def _status_file(config: ClientConfig, key: str) -> tuple[ClientConfig, Path, str | None]:
    """The status file client.yaml names for ``key``; created from the template and named there if it is not."""
    if config.get(key):
        return config, Path(config.get(key)), None
    relative, headers = STATUS_FILES[key]
    path = config.folder / relative
    if not path.exists():
        with atomic_path(path) as temporary:
            temporary.write_bytes(b"\xef\xbb\xbf" + (",".join(headers) + "\n").encode("utf-8"))
    line = f"{key}: {relative}"
    text = config.path.read_text(encoding="utf-8")
    with atomic_path(config.path) as temporary:
        temporary.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")
    return load_client(config.path), path, line


def _cells(path: Path, values: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """The file's headers and the new row's cells under them; a needed column the file lacks is an error."""
    headers = list(read_table(path).headers)
    snake = [snake_case(header) for header in headers]
    cells: list[Any] = [""] * len(headers)
    for name, value in values.items():
        position = next((snake.index(alias) for alias in _FIELDS[name] if alias in snake), None)
        if position is None:
            if value in (None, ""):
                continue
            raise ConfigError(f"{path.name} has no column for {name.replace('_', ' ')}.", path=path,
                              fix=f"add a column headed {name.replace('_', ' ').title()} to the file (its first row)")
        cells[position] = "" if value is None else neutralise(value.isoformat() if isinstance(value, dt.date)
                                                               else str(value))
    return headers, cells


def _next_row(path: Path) -> int:
    """The spreadsheet row a row appended to ``path`` will have (2 for an empty file or one not written yet)."""
    if not path.exists():
        return 2
    table = read_table(path)
    return max(table.row_numbers + table.blank_rows + [1]) + 1


def _append(path: Path, cells: list[Any]) -> int:
    """Append one row (CSV in the file's own delimiter and encoding, or the Excel data sheet); its row number."""
    table = read_table(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book[table.sheet] if table.sheet in book.sheetnames else book.worksheets[0]
        sheet.append([str(cell) for cell in cells])
        with atomic_path(path) as temporary:
            book.save(temporary)
    else:
        raw = path.read_bytes()
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=table.delimiter or ",", lineterminator="\n").writerow(cells)
        encoding = "cp1252" if (table.encoding or "").lower() in ("cp1252", "windows-1252") else "utf-8"
        data = raw + (b"" if raw.endswith((b"\n", b"\r")) or not raw else b"\n") + buffer.getvalue().encode(encoding)
        with atomic_path(path) as temporary:
            temporary.write_bytes(data)
    return read_table(path).row_numbers[-1]


def record_event(client: Any, event: str, subject: str, *, on: Any, reason: str | None = None,
                 left_by: str | None = None, note: str | None = None, today: dt.date | None = None) -> Recorded:
    """Append one event to the client's status file, after checking it against everything recorded.

    Parameters
    ----------
    client
        A loaded client, a client folder or a client.yaml path.
    event
        ``joined``, ``left``, ``paused``, ``returned`` (a person) or ``ended`` (a pair or circle).
    subject
        The participant id, or the pair or circle id (as in the round's pairs.csv, e.g. R1-P001).
    on
        The day it happened (YYYY-MM-DD): inside the programme and not after today.
    reason
        ``ended``: no_fault, left (with ``left_by``), goals_met or completed. ``left``: left_organisation
        or withdrew (any words are kept). ``paused``: why, in words (optional).
    left_by, note
        Who left (``ended`` with reason left); a note for the programme team.

    Returns
    -------
    Recorded
        The file and row written, and what follows ("R1-P003 ends on 1 June 2026 (E104 left)").

    Raises
    ------
    ConfigError
        Nothing is written when the event is refused; the message names the rows it contradicts.
    """
    config = load_config(client)
    if is_sample_client(config.folder):
        raise ConfigError(f"{config.name} is a bundled sample client, which is read-only.",
                          fix="copy its folder, then record into the copy", path=config.path)
    event = {"end": "ended", "leave": "left", "join": "joined", "pause": "paused", "return": "returned"}.get(
        reading_key(event), reading_key(event))
    if event not in RECORDABLE:
        raise ConfigError(f"{event!r} is not something record can record.", fix=f"use one of: {', '.join(RECORDABLE)}")
    day = _day(on, config)
    key = "pair_status" if event == "ended" else "people_status"
    if event == "ended":
        reason = END_READINGS.get(reading_key(reason))
        if reason is None or reason == "replaced":
            raise ConfigError("record ended needs --reason: no_fault, left (with --left-by), goals_met or completed.",
                              fix="add --reason no_fault (or another of those)")
    if event == "ended" and reason == "left" and not left_by:
        raise ConfigError("A pair ended because someone left needs --left-by PERSON.",
                          fix=f"add --left-by with their id, or record the person instead: record left PERSON --on {day}")
    target = Path(config.get(key)) if config.get(key) else config.folder / STATUS_FILES[key][0]
    candidate = pd.DataFrame([{"kind": "unit" if event == "ended" else "person", "subject": str(subject).strip(),
                               "event": event, "date": day, "reason": reason,
                               "left_by": left_by if event == "ended" and reason == "left" else None, "note": note,
                               "source": target.name, "row": _next_row(target)}], columns=EVENT_COLUMNS, dtype=object)
    timeline = build_timeline(config, today=today, extra_events=candidate)
    _check_running(timeline, event, str(subject).strip(), day)
    config, path, line = _status_file(config, key)
    _, cells = _cells(path, {"subject": str(subject).strip(), "event": event, "date": day,
                             "reason": reason, "left_by": left_by, "note": note})
    row = _append(path, cells)
    done = Recorded(path=path, row=row, event=event, subject=str(subject).strip(), day=day, yaml_line=line)
    done.consequences = _consequences(timeline, done)
    return done


def _check_running(timeline: Timeline, event: str, subject: str, day: dt.date) -> None:
    """An ending needs a pair running that day; a pause needs someone who is not paused or gone."""
    state = state_on(timeline, day - dt.timedelta(days=1)) if day > (timeline.start or day) else None
    if event == "ended":
        pairs = state_on(timeline, day).pairs
        found = pairs[pairs["unit_id"] == subject]
        before = state.pairs[state.pairs["unit_id"] == subject] if state is not None else found
        if len(before) and before["state"].iloc[0] not in RUNNING_STATES:
            raise ConfigError(f"{subject} was not running on {day.day} {day:%B %Y}: {before['reason'].iloc[0]}.",
                              fix="nothing to record; check the pair id and the date")
        if not len(found):
            raise ConfigError(f"{subject} had not been matched by {day.day} {day:%B %Y}.",
                              fix="check the pair id and the date")


def _consequences(timeline: Timeline, done: Recorded) -> list[str]:
    """What the new row changes, in words: the pairs a leaver's leaving ends, the state of the person or pair."""
    after = state_on(timeline, done.day)
    lines = []
    if done.event in ("ended", "left"):
        ended = after.pairs[(after.pairs["ended_on"] == done.day) & (after.pairs["state"] == "ended")]
        mine = ended[(ended["unit_id"] == done.subject) | (ended["left_by"] == done.subject)]
        lines += [f"{row.unit_id} {row.reason}" for row in mine.itertuples()]
    people = after.people.set_index("participant_id")
    if done.subject in people.index:
        lines.append(f"{done.subject} is now {people.at[done.subject, 'state']}: {people.at[done.subject, 'reason']}")
    return lines
