"""The portfolio store: one DuckDB file a consultant keeps, holding each programme's anonymised aggregates.

A programme is filed under a **programme key**: a salted hash of who and what it is (client, programme,
start), never a name. The salt is made once when the file is created and stays in it, so adding the
same programme again finds the same key and replaces the programme's rows (in one transaction), while
the file alone cannot be matched back to a client by anyone who guesses names. Opening a file of an
older version migrates it (:mod:`toolkit.portfolio.schema`); a file from a newer toolkit is refused.

    with open_store("practice.duckdb") as store:
        store.replace(record)                # a ProgrammeRecord (toolkit.portfolio.aggregates)
        store.table("programmes")            # a DataFrame
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ToolkitError
from .schema import CURRENT_VERSION, MIGRATIONS, ORIGINS, TABLES_BY_VERSION

__all__ = ["PortfolioError", "PortfolioStore", "open_store", "create_store_file", "STORE_TABLES", "ProgrammeRecord"]

#: The tables that hold programmes' figures (every one has a programme_key column), in writing order.
STORE_TABLES = ("programmes", "closure_reasons", "effects", "learning")


class PortfolioError(ToolkitError):
    """The portfolio store cannot be read, written or used as asked."""


# A programme's rows for each table: {"programmes": [row], "closure_reasons": [...], ...}.
ProgrammeRecord = Mapping[str, Sequence[Mapping[str, Any]]]


def _duckdb():
    import duckdb

    return duckdb


def create_store_file(path: str | Path, version: int = CURRENT_VERSION) -> Path:
    """Write an empty store of ``version`` (the current one unless a test asks for an older file)."""
    path = Path(path)
    connection = _duckdb().connect(str(path))
    try:
        connection.execute("BEGIN TRANSACTION")
        connection.execute(TABLES_BY_VERSION[version])
        connection.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, dt.date.today(), "created"])
        connection.execute("INSERT INTO store_settings VALUES ('key_salt', ?)", [secrets.token_hex(32)])
        connection.execute("COMMIT")
    finally:
        connection.close()
    return path


class PortfolioStore:
    """An open portfolio file. Use :func:`open_store` (a context manager that closes it)."""

    def __init__(self, path: Path, connection: Any) -> None:
        self.path = path
        self.connection = connection

    # -- identity ---------------------------------------------------------------------------------
    @property
    def version(self) -> int:
        return int(self.connection.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    def programme_key(self, *identity: object) -> str:
        """The key a programme is filed under: a salted SHA-256 of its identity (never stored itself)."""
        salt = self.connection.execute("SELECT value FROM store_settings WHERE name = 'key_salt'").fetchone()[0]
        text = "\x1f".join(str(part).strip().casefold() for part in identity)
        return hashlib.sha256(f"{salt}\x1e{text}".encode()).hexdigest()[:20]

    # -- writing ----------------------------------------------------------------------------------
    def replace(self, record: ProgrammeRecord) -> str:
        """Write one programme's rows, replacing any it had; returns its key. All or nothing."""
        (programme,) = record["programmes"]
        key = programme["programme_key"]
        if programme.get("origin") not in ORIGINS:
            raise PortfolioError(f"A programme's origin must be one of {', '.join(ORIGINS)}, not "
                                 f"{programme.get('origin')!r}.", fix="report this as a toolkit bug")
        columns = self._columns()
        self.connection.execute("BEGIN TRANSACTION")
        try:
            for table in reversed(STORE_TABLES):
                self.connection.execute(f"DELETE FROM {table} WHERE programme_key = ?", [key])
            for table in STORE_TABLES:
                for row in record.get(table, ()):
                    self._insert(table, columns[table], {**row, "programme_key": key})
            self.connection.execute("COMMIT")
        except Exception:
            self.connection.execute("ROLLBACK")
            raise
        return key

    def remove(self, key: str) -> bool:
        """Remove one programme (every table); True when it was there."""
        present = self.connection.execute("SELECT count(*) FROM programmes WHERE programme_key = ?", [key]).fetchone()[0]
        self.connection.execute("BEGIN TRANSACTION")
        for table in reversed(STORE_TABLES):
            self.connection.execute(f"DELETE FROM {table} WHERE programme_key = ?", [key])
        self.connection.execute("COMMIT")
        return bool(present)

    def _columns(self) -> dict[str, list[str]]:
        return {table: [row[0] for row in self.connection.execute(f"DESCRIBE {table}").fetchall()]
                for table in STORE_TABLES}

    def _insert(self, table: str, columns: list[str], row: Mapping[str, Any]) -> None:
        unknown = sorted(set(row) - set(columns))
        if unknown:  # a field the schema does not declare never slips in under another name
            raise PortfolioError(f"The {table} table has no column {', '.join(unknown)}.",
                                 fix="report this as a toolkit bug: the record and the schema disagree")
        names = [column for column in columns if column in row]
        self.connection.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                [_plain(row[name]) for name in names])

    # -- reading ----------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a DataFrame, rows in key order (the tables are small: one row per programme)."""
        if name not in STORE_TABLES:
            raise PortfolioError(f'The portfolio has no table "{name}".', fix=f"use one of {', '.join(STORE_TABLES)}")
        order = "programme_key" + (", " + ", ".join(_SECOND_KEY[name]) if name in _SECOND_KEY else "")
        return self.connection.execute(f"SELECT * FROM {name} ORDER BY {order}").df()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the file (the settings and version tables included), for the privacy scan."""
        names = [row[0] for row in self.connection.execute("SHOW TABLES").fetchall()]
        return {name: self.connection.execute(f"SELECT * FROM {name}").df() for name in sorted(names)}

    def __len__(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM programmes").fetchone()[0])


_SECOND_KEY = {"closure_reasons": ("reason",), "effects": ("measure",), "learning": ("criterion",)}


def _plain(value: Any) -> Any:
    """numpy scalars and NaN as the plain Python values DuckDB stores (NaN as NULL: no figure)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


@contextmanager
def open_store(path: str | Path, *, create: bool = True) -> Iterator[PortfolioStore]:
    """Open (and, with ``create``, make) a portfolio file, migrating an older one; closes it afterwards.

    Raises
    ------
    PortfolioError
        The file is not a portfolio store, is from a newer toolkit, or is in use by another program.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise PortfolioError(f"There is no portfolio file {path}.",
                                 fix="check the path, or build one: mentoring-toolkit portfolio build --clients "
                                     "FOLDER --store FILE", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
        create_store_file(path)
    duckdb = _duckdb()
    try:
        connection = duckdb.connect(str(path))
    except duckdb.Error as error:
        raise PortfolioError(f"{path} cannot be opened as a portfolio file: {str(error).splitlines()[0]}",
                             fix="close any other program using it (one writer at a time), or point --store at "
                                 "the portfolio's .duckdb file", path=path) from None
    try:
        store = PortfolioStore(path, connection)
        _check_and_migrate(store)
        yield store
    finally:
        connection.close()


def _check_and_migrate(store: PortfolioStore) -> None:
    names = {row[0] for row in store.connection.execute("SHOW TABLES").fetchall()}
    if "schema_version" not in names:
        raise PortfolioError(f"{store.path} is a database file but not a portfolio store (it has no "
                             "schema_version table).", fix="point --store at the portfolio's file, or at a new "
                                                         "file name to start one", path=store.path)
    version = store.version
    if version > CURRENT_VERSION:
        raise PortfolioError(f"{store.path} was written by a newer toolkit (store version {version}; this one "
                             f"reads up to {CURRENT_VERSION}).", fix="update the toolkit (pip install -U "
                                                                   "mentoring-toolkit)", path=store.path)
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        store.connection.execute("BEGIN TRANSACTION")
        try:
            store.connection.execute(migration.sql)
            store.connection.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                                     [migration.version, dt.date.today(), migration.note])
            store.connection.execute("COMMIT")
        except Exception as error:
            store.connection.execute("ROLLBACK")
            raise PortfolioError(f"{store.path} could not be migrated to store version {migration.version} "
                                 f"({migration.note}): {str(error).splitlines()[0]}. The file is unchanged.",
                                 fix="report this as a toolkit bug, with the file's version", path=store.path) from None
