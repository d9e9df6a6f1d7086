"""The shortlists and rematch commands on a sample client: files written, nothing overwritten, exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.demo import demo_copy
from toolkit.rounds import list_rounds

RIVERBANK = Path(__file__).resolve().parents[1] / "sample_data" / "riverbank" / "client.yaml"


def test_the_shortlists_command_writes_pages_a_form_and_the_tables(tmp_path, capsys):
    assert main(["shortlists", "--client", str(RIVERBANK), "--k", "2", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "shortlists.csv", encoding="utf-8-sig")
    pages = sorted((tmp_path / "pages").glob("*.html"))
    assert len(pages) == table["mentee_id"].nunique() > 0
    assert (tmp_path / "choices_form.xlsx").exists() and (tmp_path / "choices_form.csv").exists()
    assert "the lists contain the best match" in capsys.readouterr().out


def test_the_rematch_command_keeps_active_pairs_and_writes_the_new_pairs_only(tmp_path, capsys):
    assert main(["rematch", "--client", str(RIVERBANK), "--out", str(tmp_path), "--as-of", "2026-07-01"]) == 0
    every = pd.read_csv(tmp_path / "all_pairs.csv", encoding="utf-8-sig")
    new = pd.read_csv(tmp_path / "new_pairs.csv", encoding="utf-8-sig")
    assert len(every) == int(every["kept"].sum()) + len(new)
    assert "active pairs kept" in capsys.readouterr().out


def test_a_bad_as_of_or_a_missing_client_exits_2_with_a_message(tmp_path, capsys):
    assert main(["rematch", "--client", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["rematch", "--client", str(RIVERBANK), "--out", str(tmp_path), "--as-of", "first of July"]) == 2
    assert "not a date" in capsys.readouterr().err


@pytest.mark.slow
def test_a_rematch_on_a_client_folder_adopts_a_new_round_and_keeps_the_earlier_ones(tmp_path, capsys):
    client = demo_copy(RIVERBANK, tmp_path / "client")
    assert main(["rematch", "--client", str(client), "--out", str(tmp_path / "one"), "--as-of", "2026-07-01"]) == 0
    assert main(["rematch", "--client", str(client), "--out", str(tmp_path / "two"), "--as-of", "2026-07-01",
                 "--dry-run"]) == 0
    rounds = list_rounds(client.parent)
    assert [done.number for done in rounds] == [1] and "re-match on 2026-07-01" in rounds[0].note
    every = pd.read_csv(tmp_path / "one" / "all_pairs.csv", encoding="utf-8-sig")
    assert len(rounds[0].pairs) == len(every)
    assert "adopted as round 1" in capsys.readouterr().out
