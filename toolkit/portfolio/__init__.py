"""The consultant's practice: every programme's anonymised aggregates in one store, compared and learned from.

Stage after ``reports`` (it reads the measures and the report helpers; only ``cli`` imports it)::

    from toolkit.portfolio import add_client, open_store
    add_client("practice.duckdb", "clients/acme")       # or: mentoring-toolkit portfolio add --client ... --store ...
    with open_store("practice.duckdb") as store:
        store.table("programmes")

Modules: ``schema`` (tables and migrations), ``store`` (the DuckDB file, programme keys), ``bands`` (sector
and size bands), ``outcomes`` (the one door to the programme's state), ``pairs`` (per-pair parts and
outcomes, kept in the client folder), ``learning`` (the model, pooling and weight advice), ``aggregates``
(one client's figures), ``build`` (filling the store), ``compare`` (percentiles, trends, what goes with
completion), ``sections`` and ``charts`` (the portfolio report's pieces), ``report`` (running it).
"""

from __future__ import annotations

from .build import Added, add_client, add_generated, build_portfolio
from .sections import compared_section
from .store import PortfolioError, PortfolioStore, open_store

__all__ = ["Added", "add_client", "add_generated", "build_portfolio", "compared_section", "PortfolioError",
           "PortfolioStore", "open_store"]
