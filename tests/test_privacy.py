"""The anonymity rule: no shown row below the threshold, and no single hidden row recoverable by subtraction."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import ToolkitError
from toolkit.privacy import suppress


@given(sizes=st.lists(st.integers(0, 20), min_size=1, max_size=8), min_group=st.integers(1, 10))
def test_no_shown_row_is_small_and_no_lone_hidden_row_can_be_recovered(sizes, min_group):
    table = pd.DataFrame({"group": [f"G{i}" for i in range(len(sizes))], "people": sizes})
    shown = suppress(table, "people", min_group)
    assert (shown["people"] >= min_group).all()
    assert shown.attrs["hidden"] == len(table) - len(shown)
    assert shown.attrs["hidden"] != 1 or len(table) == 1
    if all(size >= min_group for size in sizes):
        assert len(shown) == len(table)


def test_without_complementary_suppression_only_small_rows_go():
    table = pd.DataFrame({"construct": ["a", "b", "c"], "n": [3, 40, 50]})
    assert list(suppress(table, "n", 5, complementary=False)["construct"]) == ["b", "c"]
    assert list(suppress(table, "n", 5)["construct"]) == ["c"]
    with pytest.raises(ToolkitError):
        suppress(table, "n", 0)
