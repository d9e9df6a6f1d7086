"""The portfolio commands and reports: add a client, report on the store, compare one programme in its impact report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.client import load_client
from toolkit.portfolio import add_generated, compared_section, open_store
from toolkit.portfolio.pairs import PAIR_FILE

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
GENERATED = SAMPLES / "portfolio" / "generated_programmes.json"


@pytest.fixture(scope="module")
def riverbank_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    shutil.copytree(SAMPLES / "riverbank", folder / "riverbank")
    store = folder / "p.duckdb"
    add_generated(store, GENERATED)
    assert main(["portfolio", "add", "--client", str(folder / "riverbank"), "--store", str(store)]) == 0
    return folder, store


@pytest.mark.slow
def test_portfolio_add_files_the_programme_and_the_sample_itself_stays_untouched(riverbank_store):
    folder, store = riverbank_store
    with open_store(store) as opened:
        programmes = opened.table("programmes")
    assert (programmes["origin"] == "client").sum() == 1 and len(programmes) == 25
    assert not (SAMPLES / "riverbank" / "portfolio").exists()
    # the pairs behind the learning step stay in the client folder (26 with a known outcome: too few to fit)
    pairs = pd.read_csv(folder / "riverbank" / PAIR_FILE, encoding="utf-8-sig")
    assert len(pairs) == 26 and {"unit_id", "skills", "worked"} <= set(pairs.columns)


@pytest.mark.slow
def test_the_portfolio_report_is_offline_html_that_names_no_client_and_labels_generated_programmes(riverbank_store,
                                                                                                 tmp_path):
    folder, store = riverbank_store
    assert main(["report", "portfolio", "--store", str(store), "--out", str(tmp_path),
                 "--client", str(folder / "riverbank")]) == 0
    page = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S))
    assert "Riverbank" not in text and "riverbank" not in text
    assert "[generated]" in text and "generated examples, not real clients" in text
    assert "better than" in text and "other 24 programmes" in text  # a percentile, with its count
    assert "Technical appendix" in text and "Kendall" in text
    assert not re.search(r"(src|href)=\"https?://", page)


def test_the_portfolio_report_without_a_store_says_what_to_add(capsys, tmp_path):
    assert main(["report", "portfolio", "--out", str(tmp_path)]) == 2
    assert "--store" in capsys.readouterr().err


@pytest.mark.slow
def test_the_impact_report_section_compares_with_the_other_programmes(riverbank_store):
    folder, store = riverbank_store
    block = compared_section(SimpleNamespace(config=load_client(folder / "riverbank")), str(store))
    assert "Compared with your other 24 programmes" in block.html  # its own entry is not one of the others
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", block.html, flags=re.S)]
    completion = next(cells for cells in rows if cells and cells[0] == "completion")
    assert completion[1] == "83%" and completion[3].startswith("better than") and "of the other 24" in completion[3]
    assert compared_section(SimpleNamespace(config=None), "").html == ""
