"""Programmes against each other: percentiles only from five programmes, always with their count."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.portfolio.compare import MIN_FOR_GROUPS, best_completion, percentiles, programme_labels, trends


def _programmes(completion: list[float | None], **columns) -> pd.DataFrame:
    count = len(completion)
    frame = pd.DataFrame({"programme_key": [f"k{number}" for number in range(count)],
                          "origin": ["client"] * count, "design_kind": ["formal"] * count,
                          "sector_band": ["Technology"] * count, "size_band": ["50 to 99"] * count,
                          "start_month": [f"{2021 + number % 5}-0{1 + number % 9}" for number in range(count)],
                          "completion_rate": completion, "match_rate": [None] * count,
                          "first_choice_share": [None] * count, "meetings_per_unit_month": [None] * count,
                          "fit_flag_share": [None] * count, "roi_central": [None] * count})
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_below_five_programmes_there_is_no_percentile_but_the_count_is_given():
    table = percentiles(_programmes([0.9, 0.8, 0.7, 0.6]), "k0").set_index("measure")
    assert table.loc["completion_rate", "programmes"] == 4
    assert pd.isna(table.loc["completion_rate", "percentile"])
    assert table.loc["completion_rate", "median"] == pytest.approx(0.75)


def test_the_percentile_counts_ties_as_half_and_respects_which_way_is_better():
    programmes = _programmes([0.9, 0.8, 0.8, 0.7, 0.6], fit_flag_share=[0.05, 0.1, 0.2, 0.3, None])
    table = percentiles(programmes, "k1").set_index("measure")
    # 0.8 beats 0.7 and 0.6, ties one 0.8 and loses to 0.9: (2 + 0.5) / 4 others
    assert table.loc["completion_rate", "percentile"] == pytest.approx(62.5)
    assert table.loc["completion_rate", "programmes"] == 5
    # Only 4 programmes ran a fit check: no percentile for it, even though lower would be better.
    assert table.loc["fit_flag_share", "programmes"] == 4 and pd.isna(table.loc["fit_flag_share", "percentile"])
    more = _programmes([0.9] * 6, fit_flag_share=[0.05, 0.1, 0.2, 0.3, 0.4, 0.5])
    assert percentiles(more, "k0").set_index("measure").loc["fit_flag_share", "percentile"] == 100  # fewest flags
    missing = percentiles(_programmes([None, 0.8, 0.7, 0.6, 0.5, 0.4]), "k0").set_index("measure")
    assert pd.isna(missing.loc["completion_rate", "value"]) and pd.isna(missing.loc["completion_rate", "percentile"])


def test_trends_count_the_programmes_behind_each_year():
    table = trends(_programmes([0.5, 0.6, 0.7, 0.8, 0.9, 0.55])).set_index("year")
    assert table.loc[2021, "programmes"] == 2 and table.loc[2021, "completion_rate"] == pytest.approx(0.525)
    assert table.loc[2022, "completion_rate_n"] == 1


def test_the_best_completion_comparison_waits_for_enough_programmes_and_finds_a_real_difference():
    assert best_completion(_programmes([0.7] * (MIN_FOR_GROUPS - 1))).empty
    completion = [0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.9, 0.92, 0.94, 0.96, 0.95]
    rhythm = [0.5, 0.52, 0.48, 0.55, 0.5, 0.53, 0.49, 1.1, 1.2, 1.0, 1.15, 1.05]
    table = best_completion(_programmes(completion, meetings_per_unit_month=rhythm)).set_index("measure")
    row = table.loc["meetings_per_unit_month"]
    assert row["best"] > row["rest"] and row["p"] < 0.05 and row["rank_biserial"] > 0.8


def test_labels_name_no_client_and_mark_generated_programmes():
    programmes = _programmes([0.8, 0.7])
    programmes.loc[1, "origin"] = "generated"
    labels = list(programme_labels(programmes))
    assert labels[0] == "2021-01 formal (Technology, 50 to 99)" and labels[1].endswith("[generated]")
