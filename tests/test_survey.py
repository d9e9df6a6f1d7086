"""Surveys: every export format loads, statistics agree with scipy and hand calculations, nothing identifies anyone."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import toolkit as tk
from toolkit.client import load_client
from toolkit.errors import SurveyError
from toolkit.measure import survey

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")


@pytest.mark.slow
@pytest.mark.parametrize("slug", CLIENTS)
def test_every_wave_of_every_client_loads_without_identifying_anyone(slug):
    config = load_client(SAMPLES / slug)
    entries = [config.survey(wave) for wave in ("baseline", "midpoint", "end", "session_feedback")]
    entries += config.get("surveys")["pulses"]
    for entry in entries:
        loaded = tk.load_survey(entry["path"], instrument=entry["instrument"])
        text = loaded.responses.drop(columns=[c for c in loaded.responses if c.startswith("COMMENT")
                                              or c.endswith("COMMENT")]).astype(str)
        assert not text.apply(lambda column: column.str.contains("@")).any().any()
        assert loaded.responses["respondent"].str.match(r"^R[0-9a-f]{12}$").all()
        assert set(loaded.responses["role"].dropna()) <= {"mentor", "mentee"}
        for item in loaded.numeric_items():
            scale = loaded.instrument.scales[loaded.instrument.items.set_index("id").at[item, "scale"]]
            values = loaded.responses[item].dropna()
            assert values.between(scale["min"], scale["max"]).all()


def test_the_same_person_gets_the_same_pseudonym_in_every_wave():
    config = load_client(SAMPLES / "riverbank")
    baseline = tk.load_survey(config.survey("baseline")["path"], instrument="baseline")
    end = tk.load_survey(config.survey("end")["path"], instrument="end_of_programme")
    raw_pre = pd.read_excel(config.survey("baseline")["path"])
    raw_post = pd.read_excel(config.survey("end")["path"])
    both = len(set(raw_pre["Email"].str.lower()) & set(raw_post["Email"].str.lower()))
    assert len(set(baseline.responses["respondent"]) & set(end.responses["respondent"])) == both


def test_label_answers_become_scale_numbers():
    config = load_client(SAMPLES / "lumen")
    entry = config.survey("baseline")
    raw = pd.read_csv(entry["path"], dtype=str)
    loaded = tk.load_survey(entry["path"], instrument="baseline")
    labels = loaded.instrument.scales["agree5"]["labels"]
    wording = loaded.instrument.items.set_index("id").at["SE1", "text"]
    expected = raw[wording].map(lambda text: labels.index(text) + 1 if isinstance(text, str) else np.nan)
    assert np.allclose(loaded.responses["SE1"].to_numpy(dtype=float), expected.to_numpy(dtype=float), equal_nan=True)


def test_bad_answers_and_unknown_columns_are_listed_with_row_and_column(tmp_path):
    source = load_client(SAMPLES / "northwind").survey("baseline")["path"]
    broken = tmp_path / "survey_baseline.csv"
    shutil.copy(source, broken)
    frame = pd.read_csv(broken, dtype=str, keep_default_na=False)
    frame.loc[2, "SE1"] = "7"          # data row 1 is spreadsheet row 4 (three header rows)
    frame.loc[5, "CC2"] = "Sometimes"
    frame.to_csv(broken, index=False)
    with pytest.raises(SurveyError) as caught:
        tk.load_survey(broken, instrument="baseline")
    message = str(caught.value)
    assert "row 4" in message and "SE1" in message and "'7'" in message
    assert "row 7" in message and "Sometimes" in message and "from 1 to 5" in message
    frame = pd.read_csv(source, dtype=str, keep_default_na=False).rename(columns={"SE2": "SE2_typo"})
    frame.to_csv(broken, index=False)
    with pytest.raises(SurveyError, match="SE2_typo"):
        tk.load_survey(broken, instrument="baseline")


def _assert_feldt_interval(result, alpha, *, n, k, confidence):
    """Feldt's interval recomputed from the F distribution, both from its quantiles and its coverage."""
    gamma = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert result.ci_low == pytest.approx(1 - (1 - alpha) * stats.f.ppf(1 - gamma / 2, df1, df2), abs=1e-9)
    assert result.ci_high == pytest.approx(1 - (1 - alpha) * stats.f.ppf(gamma / 2, df1, df2), abs=1e-9)
    # each end is where (1 - bound) / (1 - alpha_hat) cuts off gamma / 2 of the F distribution
    assert stats.f.sf((1 - result.ci_low) / (1 - alpha), df1, df2) == pytest.approx(gamma / 2, abs=1e-9)
    assert stats.f.cdf((1 - result.ci_high) / (1 - alpha), df1, df2) == pytest.approx(gamma / 2, abs=1e-9)


def _assert_nps_interval(result, answers, *, confidence):
    """Normal-approximation interval of NPS = p_P - p_D, variance from the trinomial, clipped to +-100."""
    scores = np.select([np.asarray(answers) >= 9, np.asarray(answers) <= 6], [1.0, -1.0], 0.0)
    n = len(scores)
    p_promoters, p_detractors = (scores == 1).mean(), (scores == -1).mean()
    variance = (p_promoters + p_detractors - (p_promoters - p_detractors) ** 2) / n
    # the same variance as the per-person score (+1 / 0 / -1) has, divided by n
    assert variance == pytest.approx(scores.var(ddof=0) / n)
    half = stats.norm.ppf(1 - (1 - confidence) / 2) * math.sqrt(variance)
    estimate = p_promoters - p_detractors
    assert result.score == pytest.approx(100 * estimate)
    assert result.ci_low == pytest.approx(100 * max(-1.0, estimate - half), abs=1e-9)
    assert result.ci_high == pytest.approx(100 * min(1.0, estimate + half), abs=1e-9)


def test_cronbach_alpha_matches_a_hand_calculation():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    # item variances 2.5, 2.3, 1.5 (sum 6.3); totals 4, 7, 9, 13, 14 with variance 17.3
    expected = 3 / 2 * (1 - 6.3 / 17.3)
    result = survey.cronbach_alpha(items)
    assert result.alpha == pytest.approx(expected)
    # Feldt (1965): (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1)); here n = 5, k = 3 -> F(4, 8).
    # Published F tables: F_0.975(4, 8) = 5.05 and F_0.025(4, 8) = 1 / F_0.975(8, 4) = 1 / 8.98.
    assert result.ci_low == pytest.approx(1 - (1 - expected) * 5.05, abs=5e-4)
    assert result.ci_high == pytest.approx(1 - (1 - expected) / 8.98, abs=5e-4)
    _assert_feldt_interval(result, expected, n=5, k=3, confidence=0.95)
    assert survey.cronbach_alpha(pd.DataFrame({"a": [1, 2, 4, 5], "b": [1, 2, 4, 5]})).alpha == pytest.approx(1.0)


def test_nps_hand_fixture_and_interval():
    result = survey.nps(pd.Series([10, 9, 8, 7, 6, 0, None]))
    assert result.n == 6 and result.score == pytest.approx(0.0)
    assert result.promoters == pytest.approx(100 / 3) and result.detractors == pytest.approx(100 / 3)
    # NPS = p_P - p_D from a multinomial: var = (p_P + p_D - (p_P - p_D)^2) / n = (2/3 - 0) / 6 = 1/9.
    assert (result.ci_low, result.ci_high) == pytest.approx((-100 * 1.959964 / 3, 100 * 1.959964 / 3), abs=1e-4)
    _assert_nps_interval(result, [10, 9, 8, 7, 6, 0], confidence=0.95)
    with pytest.raises(SurveyError):
        survey.nps(pd.Series([11]))


def test_feldt_interval_on_a_larger_sample_and_another_level():
    rng = np.random.default_rng(11)
    true = rng.normal(0, 1, 60)
    items = pd.DataFrame({f"i{j}": true + rng.normal(0, 1, 60) for j in range(5)})
    covariance = items.cov().to_numpy()
    alpha = 5 / 4 * (1 - np.trace(covariance) / covariance.sum())
    result = survey.cronbach_alpha(items, confidence=0.90)
    assert result.alpha == pytest.approx(alpha)
    _assert_feldt_interval(result, alpha, n=60, k=5, confidence=0.90)


@pytest.mark.parametrize("answers, confidence", [
    ([10] * 8 + [9, 7], 0.95),                       # 90 promoters: the upper end is clipped at +100
    ([0, 3, 6, 6, 7, 8, 9, 10, 10, 2, 5, 9], 0.95),
    ([1, 2, 9, 10, 10, 8, 8, 7, 6, 10, 9, 4, 3, 10, 9], 0.80),
])
def test_nps_interval_is_the_normal_approximation_on_a_difference_of_proportions(answers, confidence):
    result = survey.nps(pd.Series(answers), confidence=confidence)
    _assert_nps_interval(result, answers, confidence=confidence)


def test_paired_change_agrees_with_scipy():
    rng = np.random.default_rng(3)
    pre = pd.Series(rng.integers(1, 6, 40).astype(float))
    post = (pre + rng.normal(0.4, 0.8, 40)).round().clip(1, 5)
    pre[3] = np.nan
    change = survey.paired_change(pre, post)
    complete = pd.concat([pre, post], axis=1).dropna()
    difference = complete[1] - complete[0]
    assert change["n"] == len(complete) == 39
    assert change["mean_change"] == pytest.approx(difference.mean())
    wilcoxon = stats.wilcoxon(difference, zero_method="wilcox")
    assert change["p_value"] == pytest.approx(wilcoxon.pvalue) and change["zero_method"] == "wilcox"
    t = stats.ttest_rel(complete[1], complete[0]).statistic
    assert change["d_z"] * math.sqrt(len(complete)) == pytest.approx(t)
    assert change["d_z_corrected"] == pytest.approx(change["d_z"] * (1 - 3 / (4 * 38 - 1)))
    reference = stats.bootstrap((difference.to_numpy(),), np.mean, method="BCa", n_resamples=10_000,
                                rng=np.random.default_rng(1)).confidence_interval
    assert change["ci_method"] == "BCa bootstrap"  # 39 people
    assert change["ci_low"] == pytest.approx(reference.low, abs=0.02)
    assert change["ci_high"] == pytest.approx(reference.high, abs=0.02)
    assert change["improved"] + change["same"] + change["declined"] == pytest.approx(1.0)


def test_rank_biserial_and_holm_by_hand():
    change = survey.paired_change(pd.Series([1.0, 1.0, 4.0, 2.0]), pd.Series([2.0, 3.0, 1.0, 2.0]))
    # non-zero differences +1, +2, -3: ranks 1, 2, 3; (3 - 3) / 6 = 0
    assert change["rank_biserial"] == pytest.approx(0.0)
    assert list(survey._holm(np.array([0.01, 0.04, 0.03]))) == pytest.approx([0.03, 0.06, 0.06])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=5, max_size=5))
def test_scores_stay_on_the_scale_and_reverse_coding_turns_round(answers):
    instrument = survey.load_instrument("baseline")
    frame = pd.DataFrame([{"respondent": "R1", "role": "mentee",
                           **{f"SE{i + 1}": (np.nan if value is None else float(value))
                              for i, value in enumerate(answers)}}])
    loaded = survey.Survey(instrument, frame, Path("x.csv"))
    scored = loaded.scored()
    if answers[3] is not None:
        assert scored.at[0, "SE4"] == 6 - answers[3]  # SE4 is reverse-coded
    score = survey.scale_scores(loaded).at[0, "self_efficacy"]
    answered = sum(value is not None for value in answers)
    if answered >= 4:  # 75% of five items
        assert 1 <= score <= 5
    else:
        assert math.isnan(score)


def test_pre_post_on_the_sample_client_uses_complete_pairs_only():
    config = load_client(SAMPLES / "lumen")
    baseline = tk.load_survey(config.survey("baseline")["path"], instrument="baseline")
    end = tk.load_survey(config.survey("end")["path"], instrument="end_of_programme")
    table = survey.pre_post(baseline, end).set_index("construct")
    pre = survey.scale_scores(baseline).set_index("respondent")["self_efficacy"].dropna()
    post = survey.scale_scores(end).set_index("respondent")["self_efficacy"].dropna()
    assert table.at["self_efficacy", "n"] == len(pre.index.intersection(post.index))
    tested = table["p_value"].notna()  # a construct with too few complete pairs has no test, so no Holm p
    assert tested.sum() >= 2 and table.loc[~tested, "p_holm"].isna().all()
    assert (table.loc[tested, "p_holm"] >= table.loc[tested, "p_value"]).all()


ELEVEN = Path(__file__).resolve().parent / "fixtures" / "surveys" / "eleven_answered_both.csv"


@pytest.mark.slow
def test_eleven_people_get_the_t_interval_and_one_verdict_for_every_seed():
    """A career-clarity score answered by 11 people at baseline and end (construct means, 0.2 steps).

    Differences: -.6, .4, .6, .4, .8, 1.0, -.2, .4, .2, .8, -.4; sum 3.4, mean 3.4 / 11 = 0.309;
    standard deviation 0.5166, standard error 0.5166 / sqrt(11) = 0.1558; t(0.975, 10 df) = 2.228, so the
    t-interval is 0.309 -/+ 0.347 = -0.038 to +0.656 and holds zero. A 2,000-resample percentile bootstrap
    puts its low end at +0.018 or -0.018 depending on the seed.
    """
    frame = pd.read_csv(ELEVEN)
    pre, post = frame["career_clarity_baseline"], frame["career_clarity_end"]
    difference = (post - pre).to_numpy()
    assert difference.mean() == pytest.approx(3.4 / 11)
    # oracle: scipy's t-interval (and the textbook formula)
    reference = stats.ttest_1samp(difference, 0).confidence_interval(0.95)
    half = stats.t.ppf(0.975, 10) * difference.std(ddof=1) / math.sqrt(11)
    assert reference.low == pytest.approx(difference.mean() - half)
    verdicts = set()
    for seed in (0, 1, 2, 7, 42, 20260301, 999_999):
        change = survey.paired_change(pre, post, seed=seed)
        assert change["ci_method"] == "t"
        assert (change["ci_low"], change["ci_high"]) == pytest.approx((reference.low, reference.high))
        assert change["ci_low"] == pytest.approx(-0.038, abs=5e-4) and change["ci_high"] == pytest.approx(0.656, abs=5e-4)
        verdicts.add(change["ci_low"] <= 0 <= change["ci_high"])
    assert verdicts == {True}
    # the old interval's verdict moved with the seed: the reason for the rule
    old = {stats.bootstrap((difference,), np.mean, method="percentile", n_resamples=2000,
                           rng=np.random.default_rng(seed)).confidence_interval.low > 0.005 for seed in range(8)}
    assert old == {True, False}


def test_thirty_or_more_get_a_bca_bootstrap_of_ten_thousand_that_scipy_reproduces():
    rng = np.random.default_rng(11)
    pre = pd.Series(rng.integers(10, 21, 45) / 5)
    post = (pre + rng.choice([-0.4, -0.2, 0, 0.2, 0.4, 0.6], 45)).clip(1, 5)
    change = survey.paired_change(pre, post)
    assert change["n"] == 45 and change["ci_method"] == "BCa bootstrap"
    difference = (post - pre).to_numpy()
    reference = stats.bootstrap((difference,), np.mean, method="BCa", n_resamples=10_000,
                                rng=np.random.default_rng(survey.BOOTSTRAP_SEED)).confidence_interval
    assert (change["ci_low"], change["ci_high"]) == pytest.approx((reference.low, reference.high))
    other = stats.bootstrap((difference,), np.mean, method="BCa", n_resamples=10_000,
                            rng=np.random.default_rng(5)).confidence_interval
    assert change["ci_low"] == pytest.approx(other.low, abs=0.01)  # 10,000 resamples: the seed barely moves it


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(changes=st.lists(st.sampled_from([-0.8, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 1.0]), min_size=2, max_size=45),
       seeds=st.lists(st.integers(0, 2**31), min_size=2, max_size=3))
def test_whether_the_printed_range_holds_zero_never_depends_on_the_seed(changes, seeds):
    pre = pd.Series([3.0] * len(changes))
    post = pre + pd.Series(changes)
    ranges = [survey.paired_change(pre, post, seed=seed, resamples=2000) for seed in seeds]  # one bootstrap per seed
    found = {change["ci_low"] <= 0 <= change["ci_high"] for change in ranges}
    assert len(found) == 1
