"""Health-report sections of the running programme: plain words, counts only, and no contact details."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import reports

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
SECTIONS = ("relationship_status_section", "closure_section", "fit_check_section", "shortlist_round_section",
            "rematch_section")


@pytest.fixture(scope="module")
def contexts():
    return {slug: reports.prepare(SAMPLE_DATA / slug / "client.yaml") for slug in ("riverbank", "lumen")}


@pytest.mark.parametrize("slug", ["riverbank", "lumen"])
def test_each_section_says_plainly_when_it_does_not_apply_and_shows_no_email(contexts, slug):
    for name in SECTIONS:
        block = getattr(reports, name)(contexts[slug])
        assert "@" not in block.html
    assert "programme has ended" in reports.rematch_section(contexts["riverbank"]).html
    assert "did not run a shortlist round" in reports.shortlist_round_section(contexts["riverbank"]).html


def test_the_status_section_counts_currently_and_ever_matched(contexts):
    block = reports.relationship_status_section(contexts["riverbank"])
    assert "0 mentees are in an active pair today; 25 have ever been matched (29 pairs in all)" in block.text
    assert "someone left" in block.html and "no fault" in block.html  # the pairs that ended, by reason
