"""Programmes against each other: percentiles with their counts, trends over time, what goes with completion.

Honest about small numbers: a percentile is given only when at least :data:`MIN_FOR_PERCENTILE`
programmes have the measure (with fewer, it would swing by a large step with one programme more or
less), and always with the number of programmes behind it; the best-completion comparison needs
:data:`MIN_FOR_GROUPS` programmes and says when a difference could be chance.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .schema import PROGRAMME_MEASURES

__all__ = ["MIN_FOR_PERCENTILE", "MIN_FOR_GROUPS", "percentiles", "trends", "best_completion", "trend_statistics",
           "programme_labels"]

MIN_FOR_PERCENTILE = 5
MIN_FOR_GROUPS = 8


def programme_labels(programmes: pd.DataFrame) -> pd.Series:
    """A readable name per programme that names no client: start month, kind, sector band, size band."""
    return pd.Series([f"{row.start_month or 'undated'} {row.design_kind} ({row.sector_band}, {row.size_band})"
                      + (" [generated]" if row.origin == "generated" else "")
                      for row in programmes.itertuples()], index=programmes.index)


def percentiles(programmes: pd.DataFrame, key: str) -> pd.DataFrame:
    """Where one programme stands on each measure among the programmes that have it.

    Returns
    -------
    DataFrame
        measure, value, programmes (how many have the measure, this one included), percentile (the
        share of the others it does better than, ties counting half; None below
        :data:`MIN_FOR_PERCENTILE` programmes), median (of all of them), higher_is_better.
    """
    this = programmes.set_index("programme_key").loc[key]
    rows = []
    for measure, higher in PROGRAMME_MEASURES.items():
        values = pd.to_numeric(programmes[measure], errors="coerce").dropna()
        value = this[measure]
        if value is None or value != value:
            rows.append({"measure": measure, "value": None, "programmes": len(values), "percentile": None,
                         "median": float(values.median()) if len(values) else None, "higher_is_better": higher})
            continue
        others = values.drop(index=programmes.index[programmes["programme_key"] == key], errors="ignore")
        percentile = None
        if len(values) >= MIN_FOR_PERCENTILE:
            better = (others < value).sum() if higher else (others > value).sum()
            percentile = 100 * (better + 0.5 * (others == value).sum()) / len(others)
        rows.append({"measure": measure, "value": float(value), "programmes": len(values), "percentile": percentile,
                     "median": float(values.median()), "higher_is_better": higher})
    return pd.DataFrame(rows)


def trends(programmes: pd.DataFrame) -> pd.DataFrame:
    """Per start year: how many programmes, and the median of each measure (None where none measured it)."""
    dated = programmes[programmes["start_month"].notna()].copy()
    dated["year"] = dated["start_month"].str[:4].astype(int)
    rows = []
    for year, group in dated.groupby("year", sort=True):
        row: dict[str, float | None] = {"year": int(year), "programmes": len(group)}
        for measure in PROGRAMME_MEASURES:
            values = pd.to_numeric(group[measure], errors="coerce").dropna()
            row[measure] = float(values.median()) if len(values) else None
            row[f"{measure}_n"] = len(values)
        rows.append(row)
    return pd.DataFrame(rows)


def trend_statistics(programmes: pd.DataFrame) -> pd.DataFrame:
    """Kendall's tau between start month and each measure, with its p-value and the programmes behind it."""
    dated = programmes[programmes["start_month"].notna()]
    order = pd.to_datetime(dated["start_month"] + "-01").map(pd.Timestamp.toordinal)
    rows = []
    for measure in PROGRAMME_MEASURES:
        values = pd.to_numeric(dated[measure], errors="coerce")
        keep = values.notna()
        if keep.sum() < MIN_FOR_PERCENTILE:
            rows.append({"measure": measure, "programmes": int(keep.sum()), "tau": None, "p": None})
            continue
        result = stats.kendalltau(order[keep], values[keep])
        rows.append({"measure": measure, "programmes": int(keep.sum()), "tau": float(result.statistic),
                     "p": float(result.pvalue)})
    return pd.DataFrame(rows)


def best_completion(programmes: pd.DataFrame) -> pd.DataFrame:
    """What the programmes with the best completion (the top third) have in common, measure by measure.

    Returns
    -------
    DataFrame
        measure, best (median of the top third), rest (median of the others), best_n, rest_n, p (a
        two-sided Mann-Whitney test; small samples: exact), rank_biserial (the effect size: from -1 to 1).
        Empty when fewer than :data:`MIN_FOR_GROUPS` programmes have a completion rate.
    """
    rated = programmes[pd.to_numeric(programmes["completion_rate"], errors="coerce").notna()]
    columns = ["measure", "best", "rest", "best_n", "rest_n", "p", "rank_biserial"]
    if len(rated) < MIN_FOR_GROUPS:
        return pd.DataFrame(columns=columns)
    cut = rated["completion_rate"].astype(float).quantile(2 / 3)
    best = rated["completion_rate"].astype(float) >= cut
    rows = []
    for measure in PROGRAMME_MEASURES:
        if measure == "completion_rate":
            continue
        values = pd.to_numeric(rated[measure], errors="coerce")
        top, rest = values[best].dropna(), values[~best].dropna()
        if len(top) < 3 or len(rest) < 3:
            continue
        test = stats.mannwhitneyu(top, rest, alternative="two-sided")
        rows.append({"measure": measure, "best": float(top.median()), "rest": float(rest.median()),
                     "best_n": len(top), "rest_n": len(rest), "p": float(test.pvalue),
                     "rank_biserial": float(2 * test.statistic / (len(top) * len(rest)) - 1)})
    rows += _categories(rated, best)
    return pd.DataFrame(rows, columns=columns)


def _categories(rated: pd.DataFrame, best: pd.Series) -> list[dict]:
    """Design kinds and size bands: the share of the top third against the share of the others (Fisher's test)."""
    rows = []
    for column in ("design_kind", "size_band"):
        for value in sorted(rated[column].dropna().unique()):
            has = rated[column] == value
            table = np.array([[int((has & best).sum()), int((~has & best).sum())],
                              [int((has & ~best).sum()), int((~has & ~best).sum())]])
            if has.sum() < 3:
                continue
            p = float(stats.fisher_exact(table).pvalue)
            rows.append({"measure": f"{column}={value}", "best": table[0, 0] / max(1, best.sum()),
                         "rest": table[1, 0] / max(1, (~best).sum()), "best_n": int(best.sum()),
                         "rest_n": int((~best).sum()), "p": p, "rank_biserial": math.nan})
    return rows
