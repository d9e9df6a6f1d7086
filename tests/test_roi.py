"""Return on investment by the Phillips principles: worked examples calculated by hand.

Two hand-written client folders in ``tests/fixtures/roi/``: a one-to-one programme with a comparison
group (``pairs``) and mentoring circles without one (``circles``), whose meeting log names who attended.
Each test's docstring carries the arithmetic; the code must reach the same figures. The interval ends
come from Wilson and Newcombe intervals, themselves checked against scipy and Newcombe's published
example in test_engagement_impact.py, so here only the step from an interval end to money is checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from toolkit.client import load_client
from toolkit.errors import ConfigError
from toolkit.measure import impact

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "roi"


def test_one_to_one_with_a_comparison_group_by_hand():
    """Costs, fully loaded:
      meetings 60, 45, 90, (no length: 1 hour), 60, 30 minutes = 1 + .75 + 1.5 + 1 + 1 + .5 = 5.75 hours
      mentees  5.75 h x 40 =   230
      mentors  5.75 h x 60 =   345
      consultant            = 5,000
      coordinator 20 h x 30 =   600
      other direct costs    = 1,000
      total                 = 7,175
    Benefit (first year; the extract ends inside it):
      participants 29 of 30 still employed = .9667; comparison 21 of 30 = .70; difference .2667 (8 / 30)
      leavers avoided .2667 x 30 = 8; one leaver avoided is worth .5 x 40,000 = 20,000; benefit 160,000
    ROI = (160,000 - 7,175) / 7,175 = 152,825 / 7,175 = 21.30, i.e. +2,130%.
    Low end: Newcombe's interval for 29/30 - 21/30 starts at .0781: 2.342 leavers, 46,839, ROI +553%:
    every value is above zero, so the headline is the most conservative one, +553%.
    """
    analysis = impact.roi(load_client(FIXTURES / "pairs"))
    costs = analysis.costs.set_index("item")["amount"]
    assert costs.to_dict() == {"Mentees' meeting time": 230.0, "Mentors' meeting time": 345.0,
                               "Consultant's fees": 5000.0, "Programme coordinator's time": 600.0,
                               "Other direct costs": 1000.0}
    assert analysis.cost == 7175.0 and analysis.per_leaver == 20000.0 and analysis.participants == 30
    (method,) = analysis.methods
    assert method.method == "comparison group" and method.adjustment is None
    assert method.improvement[1] == pytest.approx(8 / 30)
    assert method.benefit[1] == pytest.approx(160_000)
    assert method.roi[1] == pytest.approx(152_825 / 7_175)
    low, _ = impact.newcombe(29, 30, 21, 30)
    assert method.improvement[0] == pytest.approx(low) and low == pytest.approx(0.0781, abs=1e-4)
    assert method.benefit[0] == pytest.approx(low * 30 * 20_000)
    assert method.roi[0] == pytest.approx((low * 30 * 20_000 - 7_175) / 7_175)
    assert analysis.verdict == "positive" and analysis.headline == pytest.approx(method.roi[0])
    assert round(100 * analysis.headline) == 553
    steps = analysis.steps.set_index("item")["value"]
    assert steps["isolation method"] == "comparison group" and steps["benefit (first year)"] == 160_000
    assert "1 meeting without a logged length counted at 1 hour" in analysis.costs.at[0, "how"]


def test_benefits_count_the_first_year_only_unless_the_client_says_otherwise():
    """benefit_years: 0.5 ends the benefit period 183 days after 5 January 2026, on 7 July 2026. Three
    comparison colleagues left after that (15 July twice, 15 August), so for the ROI they stayed: 24 of 30
    (.80). The participant who left on 30 June still counts as a leaver: 29 of 30. Difference 5 / 30;
    leavers avoided 5; benefit 5 x 20,000 = 100,000."""
    analysis = impact.roi(load_client(FIXTURES / "pairs"), benefit_years=0.5)
    assert str(analysis.benefit_until) == "2026-07-07"
    assert analysis.methods[0].improvement[1] == pytest.approx(5 / 30)
    assert analysis.methods[0].benefit[1] == pytest.approx(100_000)
    assert analysis.steps.set_index("item").loc["benefit (0.5 years)", "value"] == pytest.approx(100_000)


def test_circles_count_every_attendee_and_isolate_by_estimates_adjusted_for_confidence():
    """Costs, fully loaded (the log names the attendees, except meeting K03: the whole circle, 6):
      K01 90 min, 5 people; K02 60 min, 4; K03 90 min, 6 (whole circle); K04 120 min, 6
      facilitators (one a meeting): 1.5 + 1 + 1.5 + 2 = 6 h x 70 = 420
      members: 4 x 1.5 + 3 x 1 + 5 x 1.5 + 5 x 2 = 6 + 3 + 7.5 + 10 = 26.5 h x 50 = 1,325
      (two people a meeting, the old rule, would have counted 12 hours instead of 32.5)
      consultant 2,000; coordinator 10 h x 40 = 400; other 500; total 4,645
    Improvement against the trend: 10 of 11 still employed = .9091 against the expected .80 = .1091
    Participants' estimates (contribution x confidence), six who answered both (Jo gave no confidence):
      .5 x .8 = .40; .4 x .5 = .20; .2 x 1 = .20; .6 x .5 = .30; .3 x .6 = .18; 0 x .9 = 0
      mean 1.28 / 6 = .21333
    Estimates:  .1091 x .21333 = .023273 points; x 11 = .256 leavers; x (.6 x 50,000 = 30,000) = 7,680
                ROI (7,680 - 4,645) / 4,645 = +65.3%
    Trend:      .1091 x 11 = 1.2 leavers x 30,000 = 36,000; ROI (36,000 - 4,645) / 4,645 = +675%
    The low ends are below zero (Wilson's interval for 10/11 starts at .623, under .80): no headline.
    """
    analysis = impact.roi(load_client(FIXTURES / "circles"))
    costs = analysis.costs.set_index("item")["amount"]
    assert costs["Facilitators' meeting time"] == 420 and costs["Members' meeting time"] == 1325
    assert analysis.cost == 4645 and analysis.per_leaver == 30_000 and analysis.participants == 11
    time = impact.meeting_time(load_client(FIXTURES / "circles"), impact.assumptions(load_client(FIXTURES / "circles"))[0])
    assert time["attendees"].tolist() == [5, 4, 6, 6] and (time["attendees"] * time["hours"]).sum() == 32.5
    assert analysis.estimates == pytest.approx({"people": 6, "contribution": 2 / 6, "confidence": 4.3 / 6,
                                                "adjustment": 1.28 / 6})
    estimates, trend = analysis.methods
    assert estimates.method == "participants' estimates" and trend.method == "trend"
    assert trend.improvement[1] == pytest.approx(10 / 11 - 0.8)
    assert trend.benefit[1] == pytest.approx(36_000) and trend.roi[1] == pytest.approx(31_355 / 4_645)
    assert estimates.improvement[1] == pytest.approx((10 / 11 - 0.8) * 1.28 / 6)
    assert estimates.benefit[1] == pytest.approx(7_680) and estimates.roi[1] == pytest.approx(3_035 / 4_645)
    low, _ = impact.wilson(10, 11)
    assert trend.improvement[0] == pytest.approx(low - 0.8) and low < 0.8
    assert analysis.verdict == "undecided" and analysis.headline < 0  # never a headline these data do not support
    assert analysis.intangibles == ("members know colleagues in other teams they can ask for help",)


def test_a_cost_the_client_has_not_stated_stops_the_roi_and_names_the_yaml_line(tmp_path):
    folder = tmp_path / "pairs"
    shutil.copytree(FIXTURES / "pairs", folder)
    yaml = folder / "client.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  consultant_fees: 5000\n", ""), encoding="utf-8")
    analysis = impact.roi(load_client(folder))
    assert analysis.verdict == "not calculated" and analysis.headline is None
    assert any(line.startswith("consultant_fees: 0") for line in analysis.missing)


def test_a_mistyped_or_impossible_setting_is_refused_with_the_fix():
    config = load_client(FIXTURES / "pairs")
    with pytest.raises(ConfigError, match="average_salary"):
        impact.roi(config, average_salry=1)
    with pytest.raises(ConfigError, match="share between 0 and 1") as caught:
        impact.roi(config, replacement_cost_share_of_salary=50)
    assert "0.5" in str(caught.value)
    with pytest.raises(ConfigError, match="a number of 0 or more"):
        impact.roi(config, hourly_cost=-3)


def test_a_programme_that_cannot_pay_for_itself_says_so_and_one_without_a_baseline_says_what_is_needed():
    """With consultant's fees of 1,000,000 every value is below zero: the headline is the most conservative
    (the lowest), and the verdict is negative. Without a comparison group or expected retention nothing
    isolates the effect, and the analysis names the line to add."""
    config = load_client(FIXTURES / "pairs")
    costly = impact.roi(config, consultant_fees=1_000_000)
    assert costly.verdict == "negative" and costly.headline == min(costly.methods[0].roi)
    only_participants = impact.outcomes(config)
    only_participants = only_participants[only_participants["group"] == "participant"]
    blind = impact.roi(config, outcomes_table=only_participants)
    assert blind.methods == () and blind.verdict == "not calculated"
    assert any(line.startswith("expected_retention:") for line in blind.missing)


def test_each_measure_carries_its_kirkpatrick_level():
    assert impact.kirkpatrick("nps") == "level 1, reaction"
    assert impact.kirkpatrick("self_efficacy") == "level 2, learning"
    assert impact.kirkpatrick("goal_progress") == "level 3, behaviour"
    assert impact.kirkpatrick("retained") == "level 4, results"
    assert impact.kirkpatrick("roi") == "level 5, return on investment"
    assert impact.kirkpatrick("something_custom") == "not classified"


def test_the_scaffold_survey_asks_for_the_two_estimates():
    from toolkit.reports.scaffold import survey_question_list

    text = survey_question_list("end_of_programme")
    assert "What share of that change, from 0 to 100%" in text and "How confident are you in that estimate" in text
    assert "a number from 0 to 100" in text


def test_a_meeting_logged_against_an_unknown_circle_costs_nothing_as_the_timeline_does_not_count_it(tmp_path):
    """K03 (90 minutes, no attendee list) now names circle C9, which was never formed: the timeline does not count
    it, so the cost loses its 6 people x 1.5 hours: members 26.5 - 5 x 1.5 = 19 h x 50 = 950, facilitators
    6 - 1.5 = 4.5 h x 70 = 315."""
    folder = tmp_path / "circles"
    shutil.copytree(FIXTURES / "circles", folder)
    log = folder / "meetings.csv"
    log.write_text(log.read_text(encoding="utf-8").replace("K03,C2,", "K03,C9,"), encoding="utf-8")
    costs = impact.roi(load_client(folder)).costs.set_index("item")["amount"]
    assert costs["Members' meeting time"] == 950 and costs["Facilitators' meeting time"] == 315


def test_participant_estimates_need_as_many_answers_as_the_anonymity_threshold():
    config = load_client(FIXTURES / "circles")
    assert impact.participant_estimates(config, min_group=6)["people"] == 6
    assert impact.participant_estimates(config, min_group=7) is None
    frame = pd.read_csv(FIXTURES / "circles" / "survey_end.csv")
    assert frame.shape[0] == 7  # Jo's row, without a confidence, is the one left out


def test_a_new_client_is_shown_every_roi_setting_commented_out(tmp_path):
    import dataclasses
    import datetime as dt

    import yaml

    from toolkit.reports.scaffold import new_client

    folder = new_client("Acme Ltd", tmp_path, today=dt.date(2026, 11, 30))
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    block = text.split("# roi:\n")[1].split("# (The")[0]
    settings = {line.lstrip("# ").split(":")[0] for line in block.splitlines() if line.strip()}
    assert settings == {item.name for item in dataclasses.fields(impact.ROIAssumptions)} - {"currency"}
    assert "roi" not in yaml.safe_load(text)  # commented out until the consultant fills it in
