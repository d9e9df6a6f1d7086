"""Anonymity: the one engine that decides which groups a report may show.

Every table, chart, headline and sentence of every report goes through this module:

* :func:`enough` — may a figure about ``n`` people be shown at all (``n >= min_group``)?
  Used for headline figures (NPS, HR outcomes, ROI) and whole sections.
* :func:`hidden_rows` / :func:`suppress` — cell suppression for a breakdown whose rows add up
  to a total the reader can see (a margin). Rows counting fewer than ``min_group`` people
  are hidden (primary suppression), then further rows are hidden (complementary suppression)
  until the hidden rows are safe against subtraction.
* :func:`suppress_linked` — several tables of one report that break the same people down by
  the same grouping (a table and its chart, a table and a sentence): one hidden set for all.
* :func:`people` and :func:`duplicates` — count people, not answers, and find who answered twice.

What one table cannot see — the client's other tables, captions and earlier releases — is decided by
:mod:`toolkit.ledger` (the release ledger), which calls :func:`hidden_rows` for each table it
publishes: report sections, exports and studio tables publish through it, never through
:func:`suppress` directly.

The safety criterion (checked in ``tests/test_privacy.py`` by linear programming)
----------------------------------------------------------------------------------
What a reader knows: every shown row, the total of each counted column (shown elsewhere in
the report), how many rows are hidden, that a hidden group has at least one person, and that
a sub-count (e.g. ``matched``) lies between 0 and its row's people. The hidden rows are safe when,
for every hidden row, over all tables consistent with what the reader knows:

1. its number of people is not determined (its smallest and largest possible values differ),
   and its largest possible value is at least ``min_group`` — so the reader can never tell that
   a hidden group is small, nor how small; a named person known to sit in a hidden group
   (e.g. the unmatched list beside a fairness table) is therefore one of at least ``min_group``
   people and could belong to a group of any size the threshold allows;
2. each linked sub-count (``matched`` of ``people``, ``mentors`` of a department...) is not
   determined either: the hidden rows' sub-counts must not all be 0 nor all be full, unless the
   total shows that is true of everyone (then it is a fact about everyone, not about a group).

Algorithm: hide every row under ``min_group``; while the hidden rows fail the criterion (fewer
than two hidden; the hidden people minus one per other hidden row below ``min_group``; a
sub-count all-0 or all-full), hide the smallest shown row (for a sub-count, the smallest row
that breaks the pattern). When every row ends up hidden the table shows nothing but the total,
which describes everyone. Rows that do not add up to a shown total (separate measures such
as survey constructs) use ``complementary=False``: only small rows go.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import ToolkitError

__all__ = ["check_threshold", "enough", "hidden_rows", "safe", "suppress", "suppress_linked", "people", "duplicates"]


def check_threshold(min_group: int) -> int:
    """The anonymity threshold as an int; a :class:`ToolkitError` when it is below 1."""
    if int(min_group) < 1:
        raise ToolkitError(f"The anonymity threshold must be at least 1, not {min_group}.",
                           fix="use the client's privacy.min_group (usually 5)")
    return int(min_group)


def enough(n: int | float | None, min_group: int) -> bool:
    """Whether a figure describing ``n`` people may be shown (``n >= min_group``; None or NaN: no)."""
    check_threshold(min_group)
    if n is None or (isinstance(n, float) and n != n):
        return False
    return int(n) >= min_group


def people(values: Iterable) -> int:
    """How many different people ``values`` (ids or pseudonyms, one per answer) name; blanks ignored."""
    series = pd.Series(list(values), dtype=object)
    series = series[series.notna() & (series.astype(str).str.strip() != "")]
    return int(series.astype(str).str.strip().str.casefold().nunique())


def duplicates(keys: Sequence, rows: Sequence[int] | None = None) -> pd.DataFrame:
    """Keys that occur more than once: ``key``, ``answers`` (how many) and ``rows`` (where, as given).

    ``rows`` are the spreadsheet row numbers of ``keys`` (default 1, 2, ...); matching ignores
    case and surrounding spaces.
    """
    frame = pd.DataFrame({"key": [str(key).strip() for key in keys],
                          "row": list(rows) if rows is not None else list(range(1, len(keys) + 1))})
    frame = frame[frame["key"].ne("") & frame["key"].str.casefold().ne("nan")]
    frame["folded"] = frame["key"].str.casefold()
    counted = frame.groupby("folded", sort=False).agg(key=("key", "first"), answers=("row", "size"),
                                                      rows=("row", list))
    return counted[counted["answers"] > 1].reset_index(drop=True)


def _as_int(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(list(values)), errors="coerce").fillna(0).to_numpy(dtype=float)


def safe(counts, hidden, min_group: int, linked: Sequence = ()) -> bool:
    """Whether the ``hidden`` rows of a breakdown meet the criterion in the module docstring."""
    counts, hidden = _as_int(counts), np.asarray(hidden, dtype=bool)
    return _failure(counts, hidden, min_group, [_as_int(column) for column in linked]) is None


def _failure(counts: np.ndarray, hidden: np.ndarray, min_group: int, linked: list[np.ndarray]):
    """None when safe; else ``("size", None)`` or ``("linked", j)`` naming what fails."""
    if not hidden.any():
        return None
    total = counts[hidden].sum()
    lower = np.minimum(counts[hidden], 1)  # a hidden group is known to have someone in it
    largest_possible = total - (lower.sum() - lower.min())
    if hidden.sum() < 2 or largest_possible < min_group:
        return ("size", None)
    for j, column in enumerate(linked):
        inside = column[hidden].sum()
        if inside <= 0 or inside >= total:
            return ("linked", j)
    return None


def hidden_rows(counts, min_group: int, *, complementary: bool = True, linked: Sequence = (),
                also: Sequence[bool] | None = None) -> np.ndarray:
    """Which rows of a breakdown to hide (a boolean array), by the algorithm in the module docstring.

    Parameters
    ----------
    counts
        People per row.
    min_group
        The anonymity threshold.
    complementary
        Hide more rows until the hidden ones are safe against subtraction from the totals
        (use it whenever the rows add up to a total the reader can see).
    linked
        Sub-counts per row whose totals the reader can see (``matched`` of ``people``).
    also
        Rows to hide whatever their size (hidden by a linked table).
    """
    check_threshold(min_group)
    counts = _as_int(counts)
    linked = [_as_int(column) for column in linked]
    hidden = counts < min_group
    if also is not None:
        hidden |= np.asarray(also, dtype=bool)
    if not complementary:
        return hidden
    while not hidden.all():
        failure = _failure(counts, hidden, min_group, linked)
        if failure is None:
            break
        shown = np.flatnonzero(~hidden)
        candidates = shown
        if failure[0] == "linked":
            column = linked[failure[1]]
            inside = column[hidden].sum()
            breaks = shown[column[shown] > 0] if inside <= 0 else shown[column[shown] < counts[shown]]
            if not len(breaks):
                break  # the total shows it of everyone: nothing left to protect
            candidates = breaks
        smallest = candidates[np.argsort(counts[candidates], kind="stable")[0]]
        hidden[smallest] = True
    return hidden


def suppress(table: pd.DataFrame, count_column: str, min_group: int, *, complementary: bool = True,
             linked: Sequence[str] = ()) -> pd.DataFrame:
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
        Hide further rows until no hidden row can be worked out from the totals (see the module
        docstring); use it when the rows add up to a total that is shown elsewhere.
    linked
        Columns of sub-counts (``matched``, ``mentors``...) whose totals are shown elsewhere.
    """
    hidden = hidden_rows(table[count_column], min_group, complementary=complementary,
                         linked=[table[column] for column in linked])
    shown = table[~hidden].copy()
    shown.attrs.update(table.attrs)
    shown.attrs["hidden"] = int(hidden.sum())
    return shown


def suppress_linked(tables: Mapping[str, pd.DataFrame], key: str, count_column: str, min_group: int, *,
                    linked: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """Suppress tables that break the same people down by the same ``key`` with one hidden set.

    Each table is suppressed on its own, then a group hidden in any table is hidden in all,
    and the suppression is repeated with those groups hidden until nothing changes — so no
    table gives away a group another table hides.
    """
    hidden_keys: set = set()
    while True:
        before = set(hidden_keys)
        for table in tables.values():
            mask = hidden_rows(table[count_column], min_group, also=table[key].isin(hidden_keys).to_numpy(),
                               linked=[table[column] for column in linked if column in table])
            hidden_keys |= set(table.loc[mask, key])
        if hidden_keys == before:
            break
    result = {}
    for name, table in tables.items():
        mask = table[key].isin(hidden_keys).to_numpy()
        shown = table[~mask].copy()
        shown.attrs.update(table.attrs)
        shown.attrs["hidden"] = int(mask.sum())
        result[name] = shown
    return result
