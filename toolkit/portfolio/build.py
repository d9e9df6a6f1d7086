"""Filling the store: one client (``portfolio add``), a folder of clients (``portfolio build``), or the
generated example programmes the demo's portfolio starts from (:func:`add_generated`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..client import load_client
from ..errors import ToolkitError
from ..resources import is_sample_client
from .aggregates import programme_identity, programme_record
from .pairs import write_pair_outcomes
from .store import STORE_TABLES, PortfolioError, open_store

__all__ = ["Added", "add_client", "build_portfolio", "add_generated", "GENERATED_NOTE"]

GENERATED_NOTE = ("generated: example past programmes written by sample_data/generate_portfolio.py, not real "
                  "clients")


@dataclass(frozen=True)
class Added:
    """What adding one client did: its key, whether it replaced an earlier entry, and what was left out."""

    client: str
    key: str
    replaced: bool
    notes: tuple[str, ...] = ()
    pair_file: Path | None = None

    def summary(self) -> str:
        verb = "replaced its earlier entry" if self.replaced else "added"
        return f"{self.client}: {verb} (programme key {self.key[:8]})"


def add_client(store_path: str | Path, client: str | Path, *, as_of: dt.date | str | None = None,
               learn: bool = True, resamples: int | None = None) -> Added:
    """Add (or replace) one client's programme in the store.

    The per-pair table the learning step used is written into the client folder
    (``portfolio/pair_outcomes.csv``), except for the bundled sample clients, which are read-only.
    """
    config = load_client(client)
    with open_store(store_path) as store:
        key = store.programme_key(*programme_identity(config))
        figures = programme_record(config, key, as_of=as_of, learn=learn, resamples=resamples)
        replaced = store.remove(key)
        store.replace(figures.rows)
    pair_file = None
    if figures.pairs is not None and not is_sample_client(config.folder):
        pair_file = write_pair_outcomes(figures.pairs, config.folder)
    return Added(config.name, key, replaced, tuple(figures.notes), pair_file)


def build_portfolio(store_path: str | Path, clients: str | Path | Iterable[str | Path], *,
                    as_of: dt.date | str | None = None, progress: Callable[[str], None] | None = print,
                    resamples: int | None = None) -> tuple[list[Added], list[tuple[str, str]]]:
    """Add every client in a folder (each subfolder with a client.yaml); one failure does not stop the others.

    Returns
    -------
    (added, failed)
        What was added, and (client folder, error message) for each client that could not be.
    """
    if isinstance(clients, (str, Path)):
        paths = sorted(Path(clients).glob("*/client.yaml"))
        if not paths:
            raise PortfolioError(f"No client folders with a client.yaml were found in {clients}.",
                                 fix="point --clients at the folder that holds one folder per client", path=clients)
    else:
        paths = [Path(path) for path in clients]
    added, failed = [], []
    for path in paths:
        try:
            done = add_client(store_path, path, as_of=as_of, resamples=resamples)
        except ToolkitError as error:
            failed.append((path.parent.name if path.name == "client.yaml" else path.name, str(error)))
            if progress:
                progress(f"   {failed[-1][0]}: not added: {error}")
            continue
        added.append(done)
        if progress:
            progress(f"   {done.summary()}")
            for note in done.notes:
                progress(f"      left out: {note}")
    return added, failed


def add_generated(store_path: str | Path, path: str | Path) -> int:
    """Add the generated example programmes (``sample_data/portfolio/generated_programmes.json``).

    They are filed with origin ``generated`` (reports label them so); their keys come from the store's salt
    and the generator's own numbering, so adding them again replaces them. Returns how many were added.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not str(data.get("note", "")).startswith("generated"):
        raise PortfolioError(f"{path} is not a file of generated programmes (its note does not say so).",
                             fix="use the file sample_data/generate_portfolio.py writes", path=path)
    with open_store(store_path) as store:
        for number, programme in enumerate(data["programmes"], 1):
            key = store.programme_key("generated", programme["generated_id"])
            rows = {table: [{**row, "programme_key": key} for row in programme.get(table, [])] for table in STORE_TABLES}
            rows["programmes"][0]["origin"] = "generated"
            try:
                store.replace(rows)
            except PortfolioError as error:
                raise PortfolioError(f"Programme {number} of {path} does not fit the store: {error.headline}",
                                     fix="regenerate it: python sample_data/generate_portfolio.py", path=path) from None
    return len(data["programmes"])
