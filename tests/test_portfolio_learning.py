"""Learning from outcomes: planted effects come back with their sign and rough size; noise suggests nothing.

The pairs here are invented in the test with a known data-generating process (each pair's criterion
parts, and whether it worked drawn from a logistic model of them), so what the model should find is known.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from toolkit.portfolio.learning import MIN_PAIRS, fit_coefficients, pool, weight_advice

WEIGHTS = {"skills": 4, "goals": 2, "seniority": 2, "language": 1, "cross_department": 1}


def _pairs(n: int, effects: dict[str, float], seed: int, base: float = 0.7) -> tuple[pd.DataFrame, np.ndarray]:
    """Parts in [0, 1] (beta-distributed, like real parts); log-odds = base + sum(effect x standardised part)."""
    rng = np.random.default_rng(seed)
    parts = pd.DataFrame({name: rng.beta(2, 2, n) for name in effects})
    standard = (parts - parts.mean()) / parts.std(ddof=0)
    logit = math.log(base / (1 - base)) + sum(effect * standard[name] for name, effect in effects.items())
    return parts, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


def _portfolio(effects: dict[str, float], seed: int, programmes: int, pairs: int, resamples: int) -> pd.DataFrame:
    rows = []
    for number in range(programmes):
        parts, worked = _pairs(pairs, effects, seed * 100 + number)
        found = fit_coefficients(parts, worked, weights=WEIGHTS, resamples=resamples, seed=number)
        rows.append(found.assign(programme_key=f"{seed}-{number}"))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.slow
def test_planted_effects_come_back_with_their_sign_and_rough_size_and_the_advice_follows():
    planted = {"skills": 0.8, "goals": 0.4, "seniority": 0.0, "language": 0.0, "cross_department": -0.5}
    pooled = pool(_portfolio(planted, seed=1, programmes=5, pairs=240, resamples=120)).set_index("criterion")
    for name, effect in planted.items():
        estimate = pooled.loc[name, "estimate"]
        if effect:
            assert np.sign(estimate) == np.sign(effect), name
            assert 0.5 * abs(effect) <= abs(estimate) <= 1.5 * abs(effect), (name, estimate)  # the L2 pull is mild
            assert pooled.loc[name, "ci_low"] <= effect <= pooled.loc[name, "ci_high"], name
        else:
            assert pooled.loc[name, "ci_low"] < 0 < pooled.loc[name, "ci_high"], name
    advice = weight_advice(pooled.reset_index(), WEIGHTS).set_index("criterion")
    assert advice.loc["skills", "suggested"] == 5 and advice.loc["goals", "suggested"] == 3
    assert advice.loc["cross_department", "suggested"] == 0
    assert advice.loc["seniority", "suggested"] == 2 and advice.loc["language", "suggested"] == 1
    assert advice.loc["skills", "advice"].startswith("Raise the weight of skills from 4 to 5:")
    assert "the evidence is strong" in advice.loc["skills", "advice"]
    assert "no change is suggested" in advice.loc["seniority", "advice"]


@pytest.mark.slow
def test_with_no_effect_at_all_at_most_one_portfolio_in_twenty_gets_any_suggestion():
    """20 portfolios of pure noise (3 programmes of 150 pairs each, 5 criteria): Holm keeps the chance of any
    suggestion near 5%, so more than 3 of the 20 would be far outside it (P = 0.016 at 5%). The rate over
    many more portfolios: benchmarks/portfolio_learning.py."""
    noise = dict.fromkeys(WEIGHTS, 0.0)
    suggesting = 0
    for seed in range(20):
        pooled = pool(_portfolio(noise, seed=seed, programmes=3, pairs=150, resamples=40))
        advice = weight_advice(pooled, WEIGHTS)
        suggesting += bool((advice["suggested"] != advice["current"]).any())
    assert suggesting <= 3


def test_pooling_matches_a_hand_computed_dersimonian_laird_estimate():
    learning = pd.DataFrame({"criterion": ["skills"] * 3, "coefficient": [0.2, 0.6, 1.0],
                             "standard_error": [0.1, 0.1, 0.2], "pairs": [100, 100, 50]})
    row = pool(learning).iloc[0]
    weight = np.array([100.0, 100.0, 25.0])
    beta = np.array([0.2, 0.6, 1.0])
    fixed = (weight * beta).sum() / weight.sum()
    q = (weight * (beta - fixed) ** 2).sum()
    tau2 = (q - 2) / (weight.sum() - (weight ** 2).sum() / weight.sum())
    random_weight = 1 / (1 / weight + tau2)
    assert row["estimate"] == pytest.approx((random_weight * beta).sum() / random_weight.sum())
    assert row["standard_error"] == pytest.approx(math.sqrt(1 / random_weight.sum()))
    assert row["between_programmes"] == pytest.approx(math.sqrt(tau2))
    assert (row["programmes"], row["pairs"]) == (3, 250)


def test_too_few_pairs_or_too_few_that_did_not_work_give_no_model():
    parts, worked = _pairs(MIN_PAIRS - 1, {"skills": 1.0}, seed=3)
    assert fit_coefficients(parts, worked).empty
    parts, _ = _pairs(200, {"skills": 1.0}, seed=4)
    almost_all = np.ones(200, dtype=int)
    almost_all[:3] = 0
    assert fit_coefficients(parts, almost_all).empty


@pytest.mark.slow
def test_a_criterion_every_pair_shares_is_left_out_and_the_same_data_give_the_same_ranges():
    parts, worked = _pairs(120, {"skills": 0.6, "goals": 0.0}, seed=5)
    parts["cross_department"] = 1.0
    first = fit_coefficients(parts, worked, resamples=40, seed=7)
    assert list(first["criterion"]) == ["skills", "goals"]
    pd.testing.assert_frame_equal(first, fit_coefficients(parts, worked, resamples=40, seed=7))
