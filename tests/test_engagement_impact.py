"""Engagement and impact: counts against the raw logs, intervals against scipy and a published example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import toolkit as tk
from toolkit.client import load_client
from toolkit.measure import engagement, impact

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.mark.parametrize("slug", ["northwind", "riverbank", "lumen"])
def test_activity_counts_every_logged_meeting(slug):
    config = load_client(SAMPLES / slug)
    raw = pd.read_csv(config.get("meetings"))
    unit = "Circle ID" if "Circle ID" in raw else "Pair ID"
    table = engagement.activity(config).set_index("unit")
    assert table["meetings"].sum() == len(raw)
    counts = raw[unit].value_counts()
    for name, count in counts.items():
        assert table.at[name, "meetings"] == count
    assert table.attrs["as_of"] == pd.to_datetime(raw["Date"]).max().date()


def test_a_circle_that_stopped_meeting_is_flagged_with_an_intervention():
    config = load_client(SAMPLES / "lumen")
    flagged = engagement.at_risk(config).set_index("unit")
    raw = pd.read_csv(config.get("meetings"))
    last = pd.to_datetime(raw.groupby("Circle ID")["Date"].max())
    as_of = pd.to_datetime(raw["Date"]).max()
    quiet = set(last[(as_of - last).dt.days > engagement.INACTIVE_DAYS].index)
    assert quiet <= set(flagged.index) and quiet
    assert flagged["suggested intervention"].str.len().gt(10).all()


def test_funnel_never_grows_from_one_stage_to_the_next():
    for slug in ("northwind", "riverbank", "lumen"):
        counts = engagement.funnel(load_client(SAMPLES / slug))["count"].tolist()
        assert counts[0] >= counts[1] >= counts[2]


def test_wilson_interval_agrees_with_scipy():
    for successes, n in ((47, 50), (0, 12), (13, 150)):
        reference = stats.binomtest(successes, n).proportion_ci(method="wilson")
        low, high = impact.wilson(successes, n)
        assert (low, high) == pytest.approx((reference.low, reference.high), abs=1e-6)


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), example (a): 56/70 versus 48/80 -> difference 0.2000, 95% CI 0.0524 to 0.3339
    low, high = impact.newcombe(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_outcomes_and_roi_state_their_inputs_and_the_caveat():
    config = load_client(SAMPLES / "riverbank")
    table = impact.outcomes(config)
    hr = pd.read_csv(config.get("hr_outcomes"))
    participants = hr[hr["Group"] == "participant"]
    retained = table[(table["outcome"] == "retained") & (table["group"] == "participant")].iloc[0]
    assert retained["people"] == len(participants) and retained["count"] == (participants["Status"] == "active").sum()
    result = impact.roi(config).set_index("item")["value"]
    assumptions = config.get("roi")
    assert result["programme cost"] == assumptions["programme_cost"]
    expected_benefit = (retained["difference"] * retained["people"] * assumptions["replacement_cost_share_of_salary"]
                        * assumptions["average_salary"])
    assert result["benefit"] == pytest.approx(expected_benefit, abs=0.01)
    assert result["ROI %"] == pytest.approx(100 * (result["benefit"] - result["cost"]) / result["cost"], abs=0.1)
    assert "association" in impact.roi(config).attrs["caveat"]
    with pytest.raises(tk.ConfigError, match="average_salary"):
        impact.roi(config, average_salry=1)


def test_a_semicolon_delimited_cp1252_meeting_log_reads_like_the_original(tmp_path):
    """A European Excel saves CSV with ';' and Windows-1252: the log must read the same."""
    import shutil

    shutil.copytree(SAMPLES / "riverbank", tmp_path / "riverbank")
    log = tmp_path / "riverbank" / "meetings.csv"
    text = log.read_text(encoding="utf-8").replace(",", ";").replace("Logged By", "Logged by – café")
    log.write_bytes(text.encode("cp1252"))
    original = engagement.read_meetings(load_client(SAMPLES / "riverbank"))
    european = engagement.read_meetings(load_client(tmp_path / "riverbank"))
    assert len(european) == len(original) > 0
    assert european["logged_by"].isna().all()  # the header no longer reads as Logged By: not guessed
    pd.testing.assert_frame_equal(european.drop(columns="logged_by"), original.drop(columns="logged_by"))
