"""The grade ladder validate suggests keeps every grade's place and every tie when pasted.

Before: the suggestion listed each grade on its own, so pasting it split grades read as equal
(Analyst = Associate) and spread the "Head of ..." titles over three levels. Now grades read as the
same level are grouped (``[["Analyst", "Associate"], ...]``), and ``seniority: order:`` takes groups.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from toolkit.cli import main
from toolkit.client import load_client, seniority_order_problems
from toolkit.intake.answers import read_levels
from toolkit.intake.questions import ladder_order, ladder_yaml
from toolkit.intake.schema import normalise_header

HARBOUR = Path(__file__).parent / "fixtures" / "harbour"

_GRADE = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" -/&'\""),
                 min_size=1, max_size=14).map(str.strip).filter(bool)


def _sign(a: float, b: float) -> int:
    return (a > b) - (a < b)


@st.composite
def ladders(draw):
    """Distinct grades, each with a level; ties on purpose; some grades not read at all."""
    grades = draw(st.lists(_GRADE.filter(normalise_header), min_size=1, max_size=12, unique_by=normalise_header))
    levels = draw(st.lists(st.one_of(st.sampled_from([1, 2, 2, 3, 3.5, 4, 5, 5.5, 6]), st.none()),
                           min_size=len(grades), max_size=len(grades)))
    return list(zip(grades, levels))


@given(ladders())
def test_a_pasted_suggestion_keeps_every_place_and_every_tie(ladder):
    order = yaml.safe_load("order: " + ladder_yaml(ladder_order(ladder)))["order"]
    assert seniority_order_problems(order, Path("client.yaml")) == []
    read = read_levels([grade for grade, _ in ladder], order=order)
    known = [(grade, level) for grade, level in ladder if level is not None]
    for grade, level in known:
        for other, other_level in known:
            assert _sign(read[grade].value, read[other].value) == _sign(level, other_level), (grade, other)
    # Grades read as nothing before come after every level read before (they are on the ladder, last).
    for grade, level in ladder:
        assert read[grade].sure
        if level is None:
            assert all(read[grade].value > read[other].value for other, _ in known)
    # Levels that were already 1, 2, 3 ... come back exactly.
    distinct = sorted({level for _, level in known})
    if distinct == list(range(1, len(distinct) + 1)):
        assert all(read[grade].value == level for grade, level in known)


def test_the_harbour_ladder_groups_equal_grades():
    order = ladder_order([("Graduate", 1), ("Analyst", 2), ("Associate", 2), ("Manager", 4),
                          ("Shift Supervisor", 4), ("Head of HR", 5), ("Head of Sales", 5), ("Senior Manager", 5),
                          ("Director", 6)])
    assert order == ["Graduate", ["Analyst", "Associate"], ["Manager", "Shift Supervisor"],
                     ["Head of HR", "Head of Sales", "Senior Manager"], "Director"]


def _suggested_order(capsys, path: Path) -> str:
    assert main(["validate", "--client", str(path)]) == 0
    out = capsys.readouterr().out
    return re.search(r"^ +order: (\[.*\])$", out, re.MULTILINE).group(1)


def _levels(path: Path) -> dict[str, float]:
    table = load_client(path).roster().seniority_table()
    return dict(zip(table["grade"], table["level"]))


def test_pasting_validates_ladder_changes_no_grade_s_place_and_is_suggested_again(tmp_path, capsys):
    folder = tmp_path / "harbour"
    shutil.copytree(HARBOUR, folder)
    path = folder / "client_mapping_settled.yaml"
    before = _levels(path)
    suggestion = _suggested_order(capsys, path)
    path.write_text(path.read_text() + f"seniority:\n  order: {suggestion}\n", encoding="utf-8")
    after = _levels(path)
    assert set(after) == set(before)
    for grade in before:
        for other in before:
            assert _sign(after[grade], after[other]) == _sign(before[grade], before[other]), (grade, other)
    assert after["Analyst"] == after["Associate"] and after["Head of HR"] == after["Senior Manager"]
    assert _suggested_order(capsys, path) == suggestion  # a fixed point: pasting it again changes nothing
