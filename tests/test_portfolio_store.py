"""The portfolio store: versions and migrations, one programme per key, and no personal data in the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from toolkit.client import load_client
from toolkit.measure.comments import comment_texts
from toolkit.measure.survey import load_survey
from toolkit.portfolio import PortfolioError, add_client, add_generated, build_portfolio, open_store
from toolkit.portfolio.bands import SIZE_BANDS, sector_band, size_band
from toolkit.portfolio.schema import CURRENT_VERSION, MIGRATIONS, TABLES_BY_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "portfolio"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")


def _version_1_file(path: Path) -> Path:
    connection = duckdb.connect(str(path))
    connection.execute(TABLES_BY_VERSION[1])
    connection.execute((FIXTURES / "store_version_1.sql").read_text(encoding="utf-8"))
    connection.close()
    return path


def _describe(path: Path, table: str) -> list[tuple]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(f"DESCRIBE {table}").fetchall()
    finally:
        connection.close()


def test_a_version_1_file_is_migrated_to_the_current_tables_with_sizes_as_bands(tmp_path):
    old = _version_1_file(tmp_path / "old.duckdb")
    with open_store(old) as store:
        assert store.version == CURRENT_VERSION
        programmes = store.table("programmes").set_index("programme_key")
        history = store.tables()["schema_version"]
    assert "participants" not in programmes.columns
    assert programmes.loc["a41f9c02be77d5e61c30", "size_band"] == "250 to 499"  # 312 people
    assert programmes.loc["0d2e7b4419c8a6f3e5b1", "size_band"] == "under 50"  # 38 people
    assert programmes.loc["a41f9c02be77d5e61c30", "completion_rate"] == pytest.approx(0.81)
    assert list(history["version"]) == [1, 2] and "size bands" in history["note"].iloc[1]
    fresh = tmp_path / "fresh.duckdb"
    with open_store(fresh):
        pass
    for table in ("programmes", "closure_reasons", "effects", "learning"):
        assert _describe(old, table) == _describe(fresh, table), table


def test_the_migration_writes_the_same_bands_as_the_toolkit():
    sql = MIGRATIONS[0].sql
    for limit, band in SIZE_BANDS[:-1]:
        assert f"WHEN participants < {limit} THEN '{band}'" in sql
        assert size_band(limit - 1) == band and size_band(limit) != band


def test_a_newer_file_and_a_database_that_is_not_a_store_are_refused(tmp_path):
    newer = tmp_path / "newer.duckdb"
    with open_store(newer) as store:
        store.connection.execute("INSERT INTO schema_version VALUES (99, DATE '2030-01-01', 'future')")
    with pytest.raises(PortfolioError, match="newer toolkit"), open_store(newer):
        pass
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(PortfolioError, match="not a portfolio store"), open_store(other):
        pass
    with pytest.raises(PortfolioError, match="no portfolio file"), open_store(tmp_path / "missing.duckdb", create=False):
        pass


@pytest.mark.slow
def test_generated_programmes_are_labelled_and_adding_them_twice_replaces_them(tmp_path):
    store_path = tmp_path / "p.duckdb"
    count = add_generated(store_path, SAMPLES / "portfolio" / "generated_programmes.json")
    first = _snapshot(store_path)
    assert add_generated(store_path, SAMPLES / "portfolio" / "generated_programmes.json") == count
    again = _snapshot(store_path)
    assert len(first["programmes"]) == count == len(again["programmes"])
    for table in first:
        pd.testing.assert_frame_equal(first[table].drop(columns=["added_on"], errors="ignore"),
                                      again[table].drop(columns=["added_on"], errors="ignore"))
    assert set(first["programmes"]["origin"]) == {"generated"}


def _snapshot(path: Path) -> dict[str, pd.DataFrame]:
    with open_store(path) as store:
        return {name: store.table(name) for name in ("programmes", "closure_reasons", "effects", "learning")}


def test_the_key_is_a_salted_hash_the_same_within_a_store_and_different_between_stores(tmp_path):
    with open_store(tmp_path / "a.duckdb") as first, open_store(tmp_path / "b.duckdb") as second:
        identity = ("client", "northwind", "Northwind Mentoring Programme 2026", "2026-03-02")
        key = first.programme_key(*identity)
        assert key == first.programme_key(*identity) and re.fullmatch(r"[0-9a-f]{20}", key)
        assert key != second.programme_key(*identity)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The three sample clients (copies) filed in one store; the learning step on few resamples (speed)."""
    folder = tmp_path_factory.mktemp("portfolio")
    for slug in CLIENTS:
        shutil.copytree(SAMPLES / slug, folder / "clients" / slug)
    added, failed = build_portfolio(folder / "p.duckdb", folder / "clients", progress=None, resamples=20)
    assert failed == []
    return folder, added


@pytest.mark.slow
def test_adding_the_same_programme_twice_replaces_it_and_keeps_one_row_per_table_key(sample_store, tmp_path):
    folder, added = sample_store
    store_path = tmp_path / "p.duckdb"
    shutil.copy(folder / "p.duckdb", store_path)
    again = add_client(store_path, folder / "clients" / "riverbank", resamples=20)
    assert again.replaced and again.key == next(done.key for done in added if "Riverbank" in done.client)
    with open_store(store_path) as store:
        assert len(store) == 3
        reasons = store.table("closure_reasons")
    assert not reasons.duplicated(["programme_key", "reason"]).any()


@pytest.mark.slow
def test_small_groups_are_stored_empty_with_enough_others_that_none_can_be_worked_out(sample_store):
    folder, added = sample_store
    riverbank = next(done for done in added if "Riverbank" in done.client)
    with open_store(folder / "p.duckdb") as store:
        reasons = store.table("closure_reasons")
    mine = reasons[reasons["programme_key"] == riverbank.key]
    # 2 pairs ended with no fault (4 people) is under the threshold of 5; hiding it alone, or it and the 3
    # pairs that left, would let the completion rate give them away: every reason is stored empty.
    assert set(mine["reason"]) == {"no_fault", "left", "completed"} and mine["units"].isna().all()
    assert any("closure reasons" in note for note in riverbank.notes)


def _personal_strings(slug: str) -> set[str]:
    """Everything about people in a sample client: names, ids, e-mails, free-text answers, and the client."""
    config = load_client(SAMPLES / slug)
    people = config.roster(lenient=True).participants
    found = {config.name, config.slug, config.design().name}
    for column in ("participant_id", "name", "email", "manager_id", "job_title"):
        if column in people:
            found |= {str(value) for value in people[column] if isinstance(value, str)}
    for wave in ("end", "midpoint", "baseline"):
        entry = config.survey(wave)
        if entry:
            found |= {str(text) for text in comment_texts(load_survey(entry["path"], instrument=entry["instrument"]))}
    contacts = config.get("contacts") or {}
    found |= {str(value) for value in contacts.values() if isinstance(value, str)}
    return {text.strip() for text in found if len(text.strip()) >= 3}


@pytest.mark.slow
def test_no_cell_of_any_table_holds_a_name_id_email_or_anything_a_person_wrote(sample_store):
    folder, _ = sample_store
    personal = set().union(*(_personal_strings(slug) for slug in CLIENTS))
    words = {part.casefold() for text in personal for part in re.split(r"[\s,;()]+", text)
             if len(part) >= 4 and any(char.isupper() for char in part[:1])}  # names and ids, not common words
    # The store's own vocabulary may share a word with a name (a sector band "Technology", a kind "formal").
    vocabulary = {"technology", "financial", "services", "retail", "wholesale", "consumer", "formal", "group",
                  "reverse", "circles", "client"}
    with open_store(folder / "p.duckdb") as store:
        tables = store.tables()
    assert set(tables) == {"closure_reasons", "effects", "learning", "programmes", "schema_version", "store_settings"}
    hits = []
    for name, table in tables.items():
        for column in table.columns:
            for value in table[column].dropna().astype(str):
                text = value.casefold()
                if any(entry.casefold() in text for entry in personal if len(entry) >= 6):
                    hits.append((name, column, value))
                tokens = set(re.split(r"[\s,;()]+", text)) - vocabulary
                if tokens & words:
                    hits.append((name, column, value))
    assert hits == []
    assert len(personal) > 500  # the scan really had the samples' people to look for


def test_sector_bands_read_the_samples_and_stop_with_the_line_to_write():
    assert sector_band("Wholesale distribution") == "Retail, wholesale and consumer"
    assert sector_band("Financial services (mutual)") == "Financial services"
    assert sector_band("Software start-up (research tools)") == "Technology"
    assert sector_band("Healthcare (technology)") == "Health and care"
    with pytest.raises(PortfolioError) as caught:
        sector_band("Bank and insurance tech", source="clients/acme/client.yaml")
    assert "sector: Financial services" in caught.value.fix and caught.value.path == "clients/acme/client.yaml"
    with pytest.raises(PortfolioError, match="matches no sector band"):
        sector_band("Widgets")
    with pytest.raises(PortfolioError, match="not stated"):
        sector_band(None)


@pytest.mark.slow
def test_the_committed_generated_programmes_are_what_the_generator_writes():
    import importlib.util
    import json
    import sys

    spec = importlib.util.spec_from_file_location("portfolio_generate", SAMPLES / "generate_portfolio.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    committed = json.loads((SAMPLES / "portfolio" / "generated_programmes.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(module.generate())), "run: python sample_data/generate_portfolio.py"
    assert committed["note"].startswith("generated") and len(committed["programmes"]) == module.PROGRAMMES
