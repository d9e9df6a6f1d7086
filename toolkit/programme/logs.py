"""Reading the files a programme collects while it runs: one table reader, headers by meaning, dates as people type them.

Every log (meetings, people's status, pair status, the pairs file kept before the toolkit's rounds,
HR outcomes) is read through :func:`toolkit.intake.tables.read_table` (any encoding and delimiter,
Excel too), with headers in any case or spacing. Cells are kept as text with the spreadsheet row
number each came from, so a problem is always reported where the user will find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, Problem
from ..intake.cells import CellProblem, date_order, parse_date
from ..intake.schema import snake_case
from ..intake.tables import read_table

__all__ = ["read_log", "log_frame", "find_column", "header_of", "read_dates", "stop_on", "blank", "as_day"]


def read_log(path) -> pd.DataFrame:
    """A programme log (pairs, circles, meetings, HR outcomes) through the toolkit's one table reader.

    Any encoding and delimiter :func:`toolkit.intake.tables.read_table` reads (a ``;``-delimited
    cp1252 export from a European Excel, say); headers in snake case; blank cells are None.
    """
    return log_frame(path).reset_index(drop=True)


def log_frame(path) -> pd.DataFrame:
    """Like :func:`read_log`, but indexed by the spreadsheet row number each record came from (header = row 1)."""
    table = read_table(path)
    frame = table.frame().rename(columns=snake_case).replace({"": None})
    frame.attrs["headers"] = {snake_case(header): header for header in table.headers}
    frame.attrs["path"] = str(path)
    return frame


def header_of(frame: pd.DataFrame, column: str) -> str:
    """A column's header as written in the file (for messages), from a :func:`log_frame` table."""
    return frame.attrs.get("headers", {}).get(column, column)


def find_column(frame: pd.DataFrame, *names: str) -> str | None:
    """The first of ``names`` (snake-case headers) the frame has, else None."""
    return next((name for name in names if name in frame.columns), None)


def blank(value: object) -> bool:
    """Whether a cell is empty (None, NaN or only spaces)."""
    return value is None or value != value or str(value).strip() == ""


def as_day(value: object) -> dt.date | None:
    """A date, a datetime, a pandas Timestamp or ISO text as a date (None for a blank)."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def read_dates(values: pd.Series, *, path, column: str, header: str, problems: list[Problem],
               date_format: str | None = None, required: bool = True) -> list[dt.date | None]:
    """The cells of a date column as dates; every unreadable, ambiguous or missing one becomes a Problem.

    Dates are read as people type them (2026-03-02, 02/03/2026, 2 March 2026); a slashed date that
    could be read both ways is read by the client's ``date_format:`` (client.yaml) or by another
    date in the column that settles it, and otherwise asked about.
    """
    texts = ["" if blank(value) else str(value).strip() for value in values]
    order = date_order([text for text in texts if text], date_format)
    days: list[dt.date | None] = []
    for row, text in zip(values.index, texts):
        if not text:
            days.append(None)
            if required:
                problems.append(Problem("the date is missing", "write the date as YYYY-MM-DD", str(path), int(row),
                                        header))
            continue
        try:
            days.append(parse_date(text, order))
        except CellProblem as problem:
            days.append(None)
            problems.append(Problem(str(problem), problem.fix, str(path), int(row), header, text))
    return days


def stop_on(problems: Iterable[Problem], what: str, fix: str = "") -> None:
    """Raise one ConfigError listing every problem (nothing when there are none)."""
    problems = list(problems)
    if not problems:
        return
    files = sorted({Path(problem.path).name for problem in problems if problem.path})
    where = f" in {', '.join(files)}" if files else ""
    raise ConfigError(f"{len(problems)} {'entry' if len(problems) == 1 else 'entries'}{where} {what}:",
                      problems=problems, fix=fix)
