"""The portfolio store's tables, version by version, and the migrations between versions.

Every version's tables are written out in full (:data:`TABLES_BY_VERSION`), so a file of any
version can be recreated (the tests write a version-1 file this way and migrate it), and the
migrations (:data:`MIGRATIONS`) are SQL steps from one version to the next, each run inside one
transaction with the new version number: a file is either migrated whole or left as it was.

What no version holds: names, ids, e-mail addresses, free text, exact dates (months only), exact
programme sizes (bands only), or any figure about fewer people than the client's anonymity threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CURRENT_VERSION", "TABLES_BY_VERSION", "MIGRATIONS", "Migration", "PROGRAMME_MEASURES", "ORIGINS"]

#: The store version this toolkit writes.
CURRENT_VERSION = 2

#: Where a programme in the store came from: a client folder, or the generator of example past programmes.
ORIGINS = ("client", "generated")

_VERSION_TABLES = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_on DATE NOT NULL, note VARCHAR NOT NULL);
CREATE TABLE store_settings (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""

def _programmes(name: str, size_column: str) -> str:
    return f"""
CREATE TABLE {name} (
    programme_key VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL,
    added_on DATE NOT NULL,
    as_of_month VARCHAR NOT NULL,
    start_month VARCHAR,
    duration_months INTEGER,
    design_kind VARCHAR NOT NULL,
    shape VARCHAR NOT NULL,
    sector_band VARCHAR NOT NULL,
    {size_column},
    min_group INTEGER NOT NULL,
    finished BOOLEAN NOT NULL,
    units INTEGER,
    match_rate DOUBLE, seekers INTEGER,
    first_choice_share DOUBLE, ranked INTEGER,
    meetings_per_unit_month DOUBLE,
    fit_flag_share DOUBLE, fit_checked INTEGER,
    completion_rate DOUBLE, completion_low DOUBLE, completion_high DOUBLE, stopped INTEGER,
    roi_low DOUBLE, roi_central DOUBLE, roi_high DOUBLE
);
"""


_OTHER_TABLES = """
CREATE TABLE closure_reasons (
    programme_key VARCHAR NOT NULL, reason VARCHAR NOT NULL, units INTEGER, share DOUBLE,
    PRIMARY KEY (programme_key, reason)
);
CREATE TABLE effects (
    programme_key VARCHAR NOT NULL, measure VARCHAR NOT NULL, people INTEGER NOT NULL,
    change DOUBLE NOT NULL, ci_low DOUBLE NOT NULL, ci_high DOUBLE NOT NULL, standardised DOUBLE,
    PRIMARY KEY (programme_key, measure)
);
"""

# Version 1 (the first release): the programme's exact participant count was kept.
_VERSION_1 = _VERSION_TABLES + _programmes("programmes", "participants INTEGER NOT NULL") + _OTHER_TABLES

# Version 2: the exact participant count gave way to a size band (an exact size and a sector can point at
# one client); what the learning step found per criterion (coefficients, intervals and counts) is kept.
_LEARNING = """
CREATE TABLE learning (
    programme_key VARCHAR NOT NULL, criterion VARCHAR NOT NULL, weight DOUBLE NOT NULL,
    coefficient DOUBLE NOT NULL, ci_low DOUBLE NOT NULL, ci_high DOUBLE NOT NULL, standard_error DOUBLE NOT NULL,
    pairs INTEGER NOT NULL, worked INTEGER NOT NULL, resamples INTEGER NOT NULL,
    PRIMARY KEY (programme_key, criterion)
);
"""
_SIZE_BAND = "size_band VARCHAR NOT NULL"
_VERSION_2 = _VERSION_TABLES + _programmes("programmes", _SIZE_BAND) + _OTHER_TABLES + _LEARNING

#: The full SQL of each version's tables (for new files, and for the tests' old files).
TABLES_BY_VERSION: dict[int, str] = {1: _VERSION_1, 2: _VERSION_2}

#: The per-programme measures a portfolio compares, with whether higher is better.
PROGRAMME_MEASURES: dict[str, bool] = {
    "match_rate": True,
    "first_choice_share": True,
    "meetings_per_unit_month": True,
    "fit_flag_share": False,
    "completion_rate": True,
    "roi_central": True,
}


@dataclass(frozen=True)
class Migration:
    """One step: the SQL that takes a file from ``version - 1`` to ``version``, and what it changes."""

    version: int
    note: str
    sql: str


_COLUMNS_1_TO_2 = ("programme_key, origin, added_on, as_of_month, start_month, duration_months, design_kind, shape, "
                   "sector_band, {size}, min_group, finished, units, match_rate, seekers, first_choice_share, ranked, "
                   "meetings_per_unit_month, fit_flag_share, fit_checked, completion_rate, completion_low, "
                   "completion_high, stopped, roi_low, roi_central, roi_high")

# The bands of version 2, written out here rather than read from toolkit.portfolio.bands: a migration is
# history and must not change when the bands of a later version do.
_BAND_OF_PARTICIPANTS = """CASE
    WHEN participants < 50 THEN 'under 50'
    WHEN participants < 100 THEN '50 to 99'
    WHEN participants < 250 THEN '100 to 249'
    WHEN participants < 500 THEN '250 to 499'
    ELSE '500 or more' END"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "exact participant counts replaced by size bands; learning table added",
              _programmes("programmes_2", _SIZE_BAND)
              + f"INSERT INTO programmes_2 SELECT {_COLUMNS_1_TO_2.format(size=_BAND_OF_PARTICIPANTS)} FROM programmes;\n"
              "DROP TABLE programmes;\nALTER TABLE programmes_2 RENAME TO programmes;\n" + _LEARNING),
)
