"""Learning from outcomes: the false-positive rate on pure noise, and the time a programme's model takes.

Prints, for many portfolios with no real effect (every criterion's true coefficient zero), the share that
get ANY weight-change suggestion (the design's promise: about 5% or less, by Holm's correction across the
criteria), and for a portfolio with planted effects how often each is found. Timings are against a plain
scikit-learn fit of the same data measured in the same run (the bootstrap costs about `resamples` fits).

    .venv/bin/python benchmarks/portfolio_learning.py [--portfolios 200] [--resamples 200]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from toolkit.portfolio.learning import fit_coefficients, pool, weight_advice

WEIGHTS = {"skills": 4, "goals": 2, "seniority": 2, "language": 1, "cross_department": 1}


def pairs(n: int, effects: dict[str, float], seed: int, base: float = 0.7):
    rng = np.random.default_rng(seed)
    parts = pd.DataFrame({name: rng.beta(2, 2, n) for name in effects})
    standard = (parts - parts.mean()) / parts.std(ddof=0)
    logit = math.log(base / (1 - base)) + sum(effect * standard[name] for name, effect in effects.items())
    return parts, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


def suggestions(effects: dict[str, float], seed: int, programmes: int, size: int, resamples: int) -> pd.DataFrame:
    rows = [fit_coefficients(*pairs(size, effects, seed * 1000 + number), weights=WEIGHTS, resamples=resamples,
                             seed=number).assign(programme_key=str(number)) for number in range(programmes)]
    return weight_advice(pool(pd.concat(rows, ignore_index=True)), WEIGHTS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portfolios", type=int, default=200)
    parser.add_argument("--programmes", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--resamples", type=int, default=200)
    options = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    parts, worked = pairs(options.pairs, dict.fromkeys(WEIGHTS, 0.0), 0)
    with threadpool_limits(1):
        clock = time.perf_counter()
        for _ in range(50):
            LogisticRegression().fit(parts, worked)
        plain = (time.perf_counter() - clock) / 50
    clock = time.perf_counter()
    fit_coefficients(parts, worked, resamples=options.resamples)
    bootstrapped = time.perf_counter() - clock
    print(f"one programme of {options.pairs} pairs: plain fit {plain * 1000:.1f} ms; with {options.resamples} "
          f"resamples {bootstrapped:.2f} s ({bootstrapped / plain:.0f} plain fits)")
    noise = dict.fromkeys(WEIGHTS, 0.0)
    any_change = sum(bool((advice["suggested"] != advice["current"]).any()) for advice in
                     (suggestions(noise, seed, options.programmes, options.pairs, options.resamples)
                      for seed in range(options.portfolios)))
    share = any_change / options.portfolios
    low, high = (max(0.0, share - 1.96 * math.sqrt(share * (1 - share) / options.portfolios)),
                 share + 1.96 * math.sqrt(share * (1 - share) / options.portfolios))
    print(f"pure noise: {any_change} of {options.portfolios} portfolios ({options.programmes} programmes x "
          f"{options.pairs} pairs) got any suggestion: {share:.1%} (95% range {low:.1%} to {high:.1%}; "
          "the design's bound: 5%)")
    planted = {"skills": 0.5, "goals": 0.3, "seniority": 0.0, "language": 0.0, "cross_department": -0.3}
    found = pd.concat([suggestions(planted, seed, options.programmes, options.pairs, options.resamples)
                       for seed in range(min(options.portfolios, 50))])
    for name, effect in planted.items():
        rows = found[found["criterion"] == name]
        right = ((rows["suggested"] - rows["current"]) * np.sign(effect) > 0).mean() if effect else \
            (rows["suggested"] != rows["current"]).mean()
        print(f"planted {name} {effect:+.1f}: " + (f"found in the right direction {right:.0%} of portfolios" if effect
                                                   else f"a change suggested in {right:.0%} of portfolios"))


if __name__ == "__main__":
    main()
