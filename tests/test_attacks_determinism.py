"""Deterministic files: every command that writes a workbook, run twice, writes the same bytes.

openpyxl stamps a workbook with the time it was saved (document properties and each zip entry);
``write_excel`` fixes both, so two identical runs (seconds apart, or a day apart) give identical
files that a consultant can compare or check into version control. The runs here are a second
apart at least, so a clock with two-second resolution (zip times) would show.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import toolkit as tk
from toolkit.cli import main as cli_main
from toolkit.files import FIXED_TIMESTAMP, fixed_timestamp, write_excel

ROOT = Path(__file__).resolve().parents[1]
RIVERBANK = ROOT / "sample_data" / "riverbank"


def _digests(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.xlsx"))}


@pytest.fixture
def client(tmp_path) -> Path:
    folder = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, folder)
    return folder


#: (command, a workbook it writes), each run with --out (or the client folder) given last.
COMMANDS = [
    (lambda client, out: ["match", "--client", str(client), "--dry-run", "--quiet", "--out", str(out)], "match.xlsx"),
    (lambda client, out: ["kit", "--client", str(client), "--out", str(out)], "communications_timeline.xlsx"),
    (lambda client, out: ["shortlists", "--client", str(client), "--out", str(out), "--k", "2"], "choices_form.xlsx"),
    (lambda client, out: ["new-client", "Acme Ltd", "--out", str(out)], "acme-ltd/collect/meeting_log.xlsx"),
]


@pytest.mark.slow
def test_every_command_that_writes_a_workbook_writes_the_same_bytes_twice(tmp_path, client):
    config = tk.load_client(client)
    studio = tk.widgets.MatchingStudio.from_client(config, export_dir=tmp_path / "exports")
    runs = []
    for attempt in ("first", "second"):
        for number, (command, _) in enumerate(COMMANDS):
            assert cli_main(command(client, tmp_path / attempt / str(number))) == 0
        studio.model.export(tmp_path / attempt / "studio" / "matching.xlsx")
        runs.append(_digests(tmp_path / attempt))
        time.sleep(2.1 if attempt == "first" else 0)  # past the zip format's two-second clock
    first, second = runs
    assert first == second
    for number, (_, expected) in enumerate(COMMANDS):
        assert any(name.startswith(f"{number}/") and name.endswith(expected) for name in first), sorted(first)
    assert "studio/matching.xlsx" in first


def test_an_adopted_round_writes_the_same_workbook_for_the_same_match(tmp_path, client):
    twin = tmp_path / "twin"
    shutil.copytree(RIVERBANK, twin)
    result = tk.match(tk.load_client(client).roster(), tk.load_client(client).design())
    moment = pd.Timestamp("2026-03-02 10:00").to_pydatetime()
    rounds = [tk.rounds.adopt(folder, result, note="same", now=moment) for folder in (client, twin)]
    assert (rounds[0].folder / "match.xlsx").read_bytes() == (rounds[1].folder / "match.xlsx").read_bytes()


def test_the_fixed_properties_are_written_and_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    path = write_excel({"s": pd.DataFrame({"a": [1]})}, tmp_path / "x.xlsx")
    properties = openpyxl.load_workbook(path).properties
    assert (properties.creator, properties.created, properties.modified) == (
        "mentoring-toolkit", FIXED_TIMESTAMP, FIXED_TIMESTAMP)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 UTC
    assert fixed_timestamp().year == 2026
    later = write_excel({"s": pd.DataFrame({"a": [1]})}, tmp_path / "y.xlsx")
    assert openpyxl.load_workbook(later).properties.modified.year == 2026
    assert later.read_bytes() != path.read_bytes()
