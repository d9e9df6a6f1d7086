"""Learning from outcomes: which matching criteria went with relationships that worked.

Per programme (:func:`fit_programme`): each pair's criterion parts (how closely the pair met each
criterion, 0 to 1, as the matching scored it) against whether the relationship worked
(:data:`WORKED`). A logistic model with an L2 penalty (scikit-learn's ``LogisticRegression``,
``C`` = :data:`PENALTY_C` on standardised parts: a weak pull towards "no effect" that keeps small
programmes from overreaching) gives one coefficient per criterion: the change in the log-odds of
working per standard step (one standard deviation) of the part. A bootstrap over pairs
(:data:`RESAMPLES` resamples) gives each coefficient's 95% range and standard error.

Only those coefficients, their ranges and the counts leave the client folder; the per-pair table
stays in it (:func:`write_pair_outcomes`).

Across the portfolio (:func:`pool`): each criterion's coefficients are pooled by inverse-variance
weighting with a DerSimonian-Laird between-programme variance, then tested with Holm's correction
across the criteria. :func:`weight_advice` turns the pooled estimates into advice: a change of one
step in a weight is suggested only when the Holm-adjusted p-value is under 0.05, so a portfolio with
no real effect gets any suggestion at most about one time in twenty; every line says how strong the
evidence is, and nothing is ever applied to a design.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ..labels import label
from ..text import plural

__all__ = ["WORKED", "PENALTY_C", "RESAMPLES", "MIN_PAIRS", "fit_coefficients", "pool", "weight_advice",
           "LEARNING_COLUMNS", "POOLED_COLUMNS"]

#: What "worked" means for a pair, in the words the report uses.
WORKED = ("ran to the programme's end or met its goals early, nobody in it answered \"Not a fit\" at the fit "
          "check, and, where the mentee rated the relationship at the end, its quality averaged above the "
          "middle of the scale. Pairs still running, and pairs that ended because someone left the "
          "organisation, are left out: they say nothing about the match.")
PENALTY_C = 1.0
RESAMPLES = 200
#: Fewest pairs with a known outcome for a programme's model (and at least this share in each outcome).
MIN_PAIRS = 30
_MIN_EACH = 5
ALPHA = 0.05
LEARNING_COLUMNS = ["criterion", "weight", "coefficient", "ci_low", "ci_high", "standard_error", "pairs", "worked",
                    "resamples"]
POOLED_COLUMNS = ["criterion", "programmes", "pairs", "estimate", "ci_low", "ci_high", "standard_error", "p",
                  "p_holm", "between_programmes"]


def _model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=PENALTY_C, max_iter=500, warm_start=True)


def fit_coefficients(parts: pd.DataFrame, worked, *, weights: Mapping[str, float] | None = None,
                     resamples: int = RESAMPLES, seed: int = 0) -> pd.DataFrame:
    """One programme's coefficients, with bootstrap ranges.

    Parameters
    ----------
    parts
        One row per pair, one column per criterion: the pair's part (0-1, unweighted).
    worked
        1 where the relationship worked, 0 where it did not (same rows).
    weights
        The design's weight per criterion (kept beside each coefficient; advice starts from it).
    resamples
        Bootstrap resamples of the pairs.
    seed
        The resampling seed (the same data give the same ranges).

    Returns
    -------
    DataFrame
        :data:`LEARNING_COLUMNS`; criteria whose part was the same for every pair are left out
        (nothing to learn from). Empty when there are too few pairs, or too few of either outcome.
    """
    worked = np.asarray(worked, dtype=int)
    varied = [name for name in parts.columns if parts[name].astype(float).std(ddof=0) > 1e-9]
    if len(worked) < MIN_PAIRS or min(worked.sum(), len(worked) - worked.sum()) < _MIN_EACH or not varied:
        return pd.DataFrame(columns=LEARNING_COLUMNS)
    values = parts[varied].to_numpy(dtype=float)
    standardised = (values - values.mean(axis=0)) / values.std(axis=0)
    from threadpoolctl import threadpool_limits

    model = _model()
    rng = np.random.default_rng(seed)
    fitted: list[np.ndarray] = []
    # One thread: on a small table the BLAS threads only fight each other (ten times slower on two cores).
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # a resample that converges slowly still gives a usable estimate
        point = model.fit(standardised, worked).coef_[0].copy()
        for counts in rng.multinomial(len(worked), np.full(len(worked), 1 / len(worked)), size=resamples):
            chosen = counts > 0
            if worked[chosen].min() == worked[chosen].max():
                continue  # a resample holding one outcome only cannot be fitted
            fitted.append(model.fit(standardised, worked, sample_weight=counts).coef_[0].copy())
    draws = np.array(fitted)
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    weights = weights or {}
    return pd.DataFrame({"criterion": varied, "weight": [float(weights.get(name, math.nan)) for name in varied],
                         "coefficient": point, "ci_low": low, "ci_high": high,
                         "standard_error": draws.std(axis=0, ddof=1), "pairs": len(worked),
                         "worked": int(worked.sum()), "resamples": len(draws)})[LEARNING_COLUMNS]


def pool(learning: pd.DataFrame) -> pd.DataFrame:
    """Each criterion's coefficients across programmes: a random-effects (DerSimonian-Laird) estimate.

    Parameters
    ----------
    learning
        The store's ``learning`` table (or :func:`fit_coefficients` rows with a ``programme_key``).

    Returns
    -------
    DataFrame
        :data:`POOLED_COLUMNS`, one row per criterion: programmes and pairs behind it, the pooled
        coefficient with its 95% range, p and Holm-adjusted p, and ``between_programmes`` (the
        estimated spread of the true effect between programmes, as a standard deviation).
    """
    rows = []
    for criterion, group in learning.groupby("criterion", sort=True):
        group = group[group["standard_error"] > 0]
        if not len(group):
            continue
        beta, variance = group["coefficient"].to_numpy(float), group["standard_error"].to_numpy(float) ** 2
        weight = 1 / variance
        fixed = float((weight * beta).sum() / weight.sum())
        q = float((weight * (beta - fixed) ** 2).sum())
        spread = weight.sum() - (weight ** 2).sum() / weight.sum()
        tau2 = max(0.0, (q - (len(beta) - 1)) / spread) if len(beta) > 1 and spread > 0 else 0.0
        random_weight = 1 / (variance + tau2)
        estimate = float((random_weight * beta).sum() / random_weight.sum())
        error = float(math.sqrt(1 / random_weight.sum()))
        rows.append({"criterion": criterion, "programmes": len(group), "pairs": int(group["pairs"].sum()),
                     "estimate": estimate, "ci_low": estimate - 1.959964 * error,
                     "ci_high": estimate + 1.959964 * error, "standard_error": error,
                     "p": float(2 * stats.norm.sf(abs(estimate) / error)), "between_programmes": math.sqrt(tau2)})
    table = pd.DataFrame(rows, columns=POOLED_COLUMNS)
    table["p_holm"] = _holm(table["p"].to_numpy(float))
    return table


def _holm(p_values: np.ndarray) -> np.ndarray:
    order = np.argsort(p_values)
    adjusted = np.empty_like(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def _strength(row) -> str:
    if row.p_holm < 0.01 and row.programmes >= 3:
        return "strong"
    if row.p_holm < ALPHA:
        return "moderate"
    if row.p < ALPHA:
        return "weak: it could be chance, with this many criteria tested at once"
    return "weak: the range includes no effect at all"


def weight_advice(pooled: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Advice for the next programme's weights, one row per criterion, never applied.

    Parameters
    ----------
    pooled
        :func:`pool`'s table.
    weights
        The weights to advise on (the next design's, or the ones most programmes used).

    Returns
    -------
    DataFrame
        criterion, current, suggested (equal to current unless the evidence clears Holm's bar),
        odds_ratio, odds_low, odds_high, programmes, pairs, evidence, advice (one sentence).
    """
    rows = []
    for row in pooled.itertuples(index=False):
        current = float(weights.get(row.criterion, math.nan))
        if current != current:
            continue
        change = 0
        if row.p_holm < ALPHA:
            change = 1 if row.estimate > 0 else -1
        suggested = min(10.0, max(0.0, current + change))
        odds = (math.exp(row.estimate), math.exp(row.ci_low), math.exp(row.ci_high))
        rows.append({"criterion": row.criterion, "current": current, "suggested": suggested, "odds_ratio": odds[0],
                     "odds_low": odds[1], "odds_high": odds[2], "programmes": row.programmes, "pairs": row.pairs,
                     "evidence": _strength(row), "advice": _sentence(row, current, suggested, odds)})
    return pd.DataFrame(rows, columns=["criterion", "current", "suggested", "odds_ratio", "odds_low", "odds_high",
                                       "programmes", "pairs", "evidence", "advice"])


def _sentence(row, current: float, suggested: float, odds: tuple[float, float, float]) -> str:
    name = label(row.criterion).lower()
    base = (f"across {plural(row.programmes, 'programme')} and {row.pairs:,} pairs, the odds of a pair working "
            f"were {odds[0]:.2f} times as high for each standard step closer on {name} (95% range {odds[1]:.2f} "
            f"to {odds[2]:.2f})")
    strength = _strength(row)
    if suggested > current:
        return f"Raise the weight of {name} from {current:g} to {suggested:g}: {base}; the evidence is {strength}."
    if suggested < current:
        return f"Lower the weight of {name} from {current:g} to {suggested:g}: {base}; the evidence is {strength}."
    if row.p_holm < ALPHA:  # at the end of the scale already
        return f"Keep the weight of {name} at {current:g}, the end of the scale: {base}; the evidence is {strength}."
    return f"Keep the weight of {name} at {current:g}: {base}; the evidence is {strength}, so no change is suggested."
