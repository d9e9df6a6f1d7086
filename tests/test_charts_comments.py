"""Charts carry only aggregates; comments are themed by the codebook, scrubbed and suppressed when few."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import charts
from toolkit.client import load_client
from toolkit.measure import comments, survey

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def end_survey():
    config = load_client(SAMPLES / "northwind")
    return tk.load_survey(config.survey("end")["path"], instrument="end_of_programme")


def test_likert_shares_add_up_and_the_chart_holds_no_respondent(end_survey):
    shares = survey.likert_shares(end_survey, "relationship_quality")
    assert shares.groupby("item")["share"].sum().round(9).eq(1).all()
    first = shares[shares["item"] == "RQ1"]
    answers = end_survey.responses["RQ1"].dropna()
    assert first["share"].tolist() == pytest.approx([(answers == value).mean() for value in range(1, 6)])
    spec = json.dumps(charts.likert_chart(shares).to_dict())
    assert "respondent" not in spec and "R0" not in spec
    neutral = list(charts.likert_chart(shares).to_dict()["datasets"].values())[0]
    centred = [row for row in neutral if row["position"] == 3]
    assert all(abs(row["left"] + row["right"]) < 1e-9 for row in centred)  # neutral straddles zero


@settings(max_examples=30, deadline=None)
@given(counts=st.lists(st.integers(0, 6), min_size=5, max_size=5), min_group=st.integers(2, 8))
def test_items_answered_by_fewer_than_the_threshold_never_appear(counts, min_group):
    instrument = survey.load_instrument("end_of_programme")
    rows = []
    for value, count in enumerate(counts, start=1):
        rows += [{"respondent": f"R{len(rows) + extra}", "role": "mentee", "RQ1": float(value)}
                 for extra in range(count)]  # one person each: people are counted, not answers
    frame = pd.DataFrame(rows, columns=["respondent", "role", "RQ1"])
    shares = survey.likert_shares(survey.Survey(instrument, frame, Path("x.csv")), "relationship_quality",
                                  min_group=min_group)
    assert (shares["n"] >= min_group).all()
    assert shares.empty == (sum(counts) < min_group)


def test_comment_themes_follow_the_codebook_and_are_hidden_when_few(end_survey):
    themes = comments.comment_themes(end_survey, min_comments=10).set_index("theme")
    texts = comments.comment_texts(end_survey)
    expected = texts.str.contains(r"\b(?:time|schedul|diary|calendar|busy|workload|cancel|resched|slot)",
                                  case=False, regex=True).sum()
    assert themes.at["Time and scheduling", "comments"] == expected
    assert comments.comment_themes(end_survey, min_comments=len(texts) + 1).empty


def test_scrub_removes_emails_and_names():
    text = "Thanks to Priya Shah (priya.shah@northwind.example) and Tom for everything"
    assert comments.scrub(text, ["Priya Shah", "Tom Jones"]) == "Thanks to [name] ([email]) and [name] for everything"


def test_nps_chart_shows_the_three_groups(end_survey):
    result = survey.nps(end_survey.responses["NPS"])
    data = list(charts.nps_chart(result).to_dict()["datasets"].values())[0]
    assert sum(row["share"] for row in data) == pytest.approx(1.0)


def test_comment_tone_counts_every_comment_once_and_reads_clear_cases(end_survey):
    tone = comments.comment_sentiment(end_survey, min_comments=10).set_index("tone")
    assert tone["comments"].sum() == len(comments.comment_texts(end_survey))
    instrument = end_survey.instrument
    frame = pd.DataFrame({"respondent": [f"R{i}" for i in range(10)], "role": "mentee",
                          "COMMENT_BEST": ["My mentor was brilliant and really helpful."] * 6
                          + ["The meetings kept getting cancelled, which was frustrating."] * 4})
    small = survey.Survey(instrument, frame, Path("x.csv"))
    counts = comments.comment_sentiment(small, min_comments=10).set_index("tone")["comments"]
    assert (counts["positive"], counts["negative"], counts["neutral"]) == (6, 4, 0)
    assert comments.comment_sentiment(small, min_comments=11).empty


def _layers(spec: dict) -> list[dict]:
    """Every single-view spec inside a layered, concatenated or faceted chart."""
    found = []
    for key in ("layer", "vconcat", "hconcat"):
        for part in spec.get(key, []):
            found += _layers(part)
    if "spec" in spec:
        found += _layers(spec["spec"])
    if "mark" in spec:
        found.append(spec)
    return found


def test_reverse_worded_items_are_coloured_and_placed_by_what_the_answer_means():
    shares = pd.DataFrame([
        {"item": item, "wording": wording, "answer": answer, "position": position, "share": share, "n": 40}
        for item, wording, shares_by_position in (
            ("RQ1", "My mentoring partner and I get on well.", [0.0, 0.05, 0.05, 0.4, 0.5]),
            ("RQ4", "Arranging our meetings feels like a chore.", [0.6, 0.3, 0.05, 0.05, 0.0]))
        for position, (answer, share) in enumerate(zip(
            ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"], shares_by_position), start=1)])
    spec = charts.likert_chart(shares, reverse=["RQ4"]).to_dict()
    rows = list(spec["datasets"].values())[0]
    chore = {row["answer"]: row for row in rows if row["item"] == "RQ4"}
    assert chore["Strongly disagree"]["tone"] == "strongly favourable" and chore["Strongly disagree"]["left"] >= 0
    assert chore["Strongly agree"]["tone"] == "strongly unfavourable"
    favourable = sum(row["share"] for row in rows if row["item"] == "RQ4" and row["right"] > 0 and row["left"] >= 0)
    assert favourable == pytest.approx(0.9)  # most disagreed, which is good: shown right of zero
    colours = dict(zip(spec["encoding"]["color"]["scale"]["domain"], spec["encoding"]["color"]["scale"]["range"]))
    assert colours["strongly favourable"] == charts.TONE_COLOURS[-1] and colours["strongly unfavourable"] == "#c92a2a"
    labels = {row["item"]: row["label"] for row in rows}
    assert "|" in labels["RQ1"] or len(labels["RQ1"]) <= 38
    assert labels["RQ4"].replace("|", " ").startswith("Arranging our meetings feels like a chore. (n=40)")
    assert "…" not in "".join(labels.values())  # full wording, wrapped, never cut


@pytest.mark.parametrize("people", [5, 5000])
def test_count_axes_read_right_from_five_people_to_five_thousand(people):
    funnel = pd.DataFrame({"stage": ["eligible", "enrolled", "matched", "active", "completed"],
                           "count": [people, people, people, max(1, people // 3), 0],
                           "what it counts": ["people in the HR extract", "people who signed up", "people in a circle",
                                              "circles that met in the last 30 days", "circles that completed"]})
    spec = charts.funnel_chart(funnel).to_dict()
    panels = spec["vconcat"]
    assert len(panels) == 2  # people and circles never share an axis
    titles = [panel["encoding"]["x"]["axis"]["title"] for panel in panels]
    assert titles == ["people", "circles"]
    for panel in panels:
        axis = panel["encoding"]["x"]["axis"]
        assert axis["format"] == ",d" and axis["tickMinStep"] == 1
    change = pd.DataFrame({"label": ["Self-efficacy"], "mean_change": [0.25], "ci_low": [0.1], "ci_high": [0.4],
                           "n": [people]})
    rows = list(charts.change_chart(change).to_dict()["datasets"].values())[0]
    assert rows[0]["measure"].replace("|", " ") == f"Self-efficacy (n={people:,})"


def test_every_chart_uses_the_one_registered_theme():
    import altair as alt

    funnel = pd.DataFrame({"stage": ["enrolled"], "count": [3], "what it counts": ["people who signed up"]})
    spec = charts.funnel_chart(funnel).to_dict()
    assert alt.theme.active == charts.THEME_NAME
    assert spec["config"]["font"] == charts.FONT
    assert spec["config"]["axis"]["labelOverlap"] is True
