"""The evidence panel quotes only figures that were read in their source (the project's EVIDENCE.md).

``tests/fixtures/evidence/EVIDENCE.md`` is a copy of the shared evidence file (checked against the
original when it is there). Every number the panel prints on the published side, and every number in
the registry of published figures, must appear in it; a client with nothing comparable gets a sentence
and no figure.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from toolkit import reports
from toolkit.client import load_client
from toolkit.reports.evidence import BENCHMARK_SENTENCE, PUBLISHED

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence" / "EVIDENCE.md"
SHARED = ROOT.parent / "shared" / "EVIDENCE.md"  # ../shared beside the checkout
# numbers as a reader sees them: .25, 40,737, 139, 2013 (a dash between two numbers splits them)
NUMBER = re.compile(r"(?<![\w.])\.?\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return {found.rstrip(",.") for found in NUMBER.findall(text)}


def _evidence_numbers() -> set[str]:
    text = EVIDENCE.read_text(encoding="utf-8")
    return _numbers(text) | {number.lstrip("0") for number in _numbers(text)}


def test_the_copy_is_the_shared_evidence_file():
    if not SHARED.exists():
        pytest.skip("the shared EVIDENCE.md is not beside this checkout")
    assert EVIDENCE.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_every_published_figure_in_the_registry_is_in_the_evidence_file():
    allowed = _evidence_numbers()
    for entry in PUBLISHED:
        printed = " ".join((entry.measured, entry.statistic, entry.population, entry.source, entry.read))
        assert _numbers(printed) <= allowed, (entry.key, _numbers(printed) - allowed)
    assert _numbers(BENCHMARK_SENTENCE) <= allowed  # the reviews read at abstract level: years only


def _context(folder: Path):
    config = load_client(folder)
    return reports.ReportContext(config, config.roster(), config.design())


@pytest.mark.slow
def test_the_panel_prints_no_published_number_that_is_not_in_the_evidence_file():
    context = _context(ROOT / "sample_data" / "northwind")
    page = reports.evidence_panel(context).html
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)[1:]
    assert rows, "Northwind measures psychosocial support and meetings: one comparison"
    allowed = _evidence_numbers()
    for row in rows:
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        what, client, published, population, source = cells
        assert _numbers(" ".join((what, published, population, source))) <= allowed
        assert "people" in client and published == "ρ = .25"
    # nothing but the table and its note: no stray figure elsewhere in the panel
    outside = re.sub(r"<table.*?</table>", "", page, flags=re.S)
    assert _numbers(re.sub(r"<[^>]+>", " ", outside)) == set()


@pytest.mark.slow
def test_a_client_with_nothing_comparable_gets_a_sentence_and_no_figure(tmp_path):
    folder = tmp_path / "northwind"
    shutil.copytree(ROOT / "sample_data" / "northwind", folder)
    yaml = folder / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("meetings: meetings.csv\n", ""), encoding="utf-8")
    text = repr(reports.evidence_panel(_context(folder)))
    assert "no published figure is shown" in text and _numbers(text) == set()


@pytest.mark.slow
def test_the_client_correlation_agrees_with_scipy_on_the_pairs_it_was_computed_from():
    from scipy import stats

    from toolkit.reports.evidence import _support_and_meetings

    config = load_client(ROOT / "sample_data" / "lumen")
    pairs = _support_and_meetings(config, config.roster())
    found = reports.comparable(config, config.roster(), 5).iloc[0]
    assert found["people"] == len(pairs) >= 5
    assert found["r"] == pytest.approx(stats.pearsonr(pairs["support"], pairs["meetings"]).statistic)
    assert set(pairs["meetings"]) <= set(range(50))  # meetings of a circle, not minutes or dates
