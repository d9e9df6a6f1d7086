"""Anonymity: never show a group smaller than the threshold, nor one that subtraction would reveal.

One rule for every table the toolkit shows (audits, report tables): rows counting fewer than
``min_group`` people are hidden, and when exactly one row of a breakdown is hidden, the next
smallest is hidden too (complementary suppression), because the hidden one could otherwise be
worked out from the total.
"""

from __future__ import annotations

import pandas as pd

from .errors import ToolkitError

__all__ = ["suppress"]


def suppress(table: pd.DataFrame, count_column: str, min_group: int, *, complementary: bool = True) -> pd.DataFrame:
    """The rows of ``table`` that may be shown; ``result.attrs["hidden"]`` counts the rows left out.

    Parameters
    ----------
    table
        One row per group of a breakdown.
    count_column
        The column holding how many people each row describes.
    min_group
        The anonymity threshold (the client's ``privacy.min_group``, usually 5).
    complementary
        Also hide the next smallest row when exactly one row would be hidden (use it when
        the rows add up to a total that is shown elsewhere).
    """
    if min_group < 1:
        raise ToolkitError(f"The anonymity threshold must be at least 1, not {min_group}.",
                           fix="use the client's privacy.min_group (usually 5)")
    counts = pd.to_numeric(table[count_column], errors="coerce").fillna(0)
    hidden = counts < min_group
    if complementary and hidden.sum() == 1 and len(table) > 1:
        hidden[counts[~hidden].sort_values(kind="stable").index[0]] = True
    shown = table[~hidden].copy()
    shown.attrs.update(table.attrs)
    shown.attrs["hidden"] = int(hidden.sum())
    return shown
