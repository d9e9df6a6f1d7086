"""Shortlists for mentee choice: the best match is always inside, exposure is bounded, checked by oracles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import random_roster, seeds

from toolkit.design import ProgramDesign
from toolkit.errors import MatchingError
from toolkit.matching.candidates import candidate_edges
from toolkit.matching.shortlists import FORM_COLUMNS, shortlists

FORMAL = ProgramDesign.from_template("formal")

# Lexicographic best matching (most people, then the highest total) as an exact min-cost flow.
# OR-Tools runs in its own process: its bundled HiGHS clashes with highspy's.
_ORTOOLS = """
import json, sys
from ortools.graph.python import min_cost_flow
answers = []
for rows, capacity, lexicographic in json.load(sys.stdin):
    mentees, mentors = sorted({row[0] for row in rows}), sorted(capacity)
    node = {("e", m): 2 + i for i, m in enumerate(mentees)}
    node.update({("m", m): 2 + len(mentees) + i for i, m in enumerate(mentors)})
    scaled = [round(score * 10_000) for _, _, score in rows]
    big = (max([abs(value) for value in scaled], default=0) + 1) * (len(mentees) + 1) if lexicographic else 0
    flow = min_cost_flow.SimpleMinCostFlow()
    for mentee in mentees:
        flow.add_arc_with_capacity_and_unit_cost(0, node[("e", mentee)], 1, 0)
    arcs = [flow.add_arc_with_capacity_and_unit_cost(node[("e", mentee)], node[("m", mentor)], 1, -(big + value))
            for (mentee, mentor, _), value in zip(rows, scaled)]
    for mentor in mentors:
        flow.add_arc_with_capacity_and_unit_cost(node[("m", mentor)], 1, capacity[mentor], 0)
    flow.add_arc_with_capacity_and_unit_cost(0, 1, len(mentees), 0)  # staying unmatched costs nothing
    flow.set_node_supply(0, len(mentees))
    flow.set_node_supply(1, -len(mentees))
    assert flow.solve() == flow.OPTIMAL
    size = sum(flow.flow(arc) for arc in arcs)
    total = sum(flow.flow(arc) * value for arc, value in zip(arcs, scaled)) / 10_000
    answers.append([size, total])
print(json.dumps(answers))
"""


def _best_by_flow(instances):
    completed = subprocess.run([sys.executable, "-c", _ORTOOLS], input=json.dumps(instances), capture_output=True,
                               text=True, check=True)
    return json.loads(completed.stdout)


def _instance(roster, edges, lexicographic=True):
    capacity = roster.capacity(FORMAL.capacity.default, FORMAL.capacity.max)
    rows = [[a, b, float(s)] for a, b, s in zip(edges["mentee_id"], edges["mentor_id"], edges["score"])]
    return [rows, {mentor: int(places) for mentor, places in capacity.items()}, lexicographic]


@pytest.mark.slow
def test_the_best_matching_inside_the_shortlists_is_as_large_and_as_good_as_without_them():
    """Oracle: an exact min-cost flow on all allowed pairs and on the listed pairs only gives the same answer."""
    cases = [(seed, 6 + seed % 14, 2 + seed % 6, 1 + seed % 3) for seed in range(24)]
    instances, expected_sizes = [], []
    for seed, mentees, mentors, k in cases:
        roster = random_roster(seed, mentees, mentors)
        listed = shortlists(roster, FORMAL, k).check()
        edges = candidate_edges(roster, FORMAL, with_parts=False)
        keys = set(zip(listed.table["mentee_id"], listed.table["mentor_id"]))
        inside = edges[[pair in keys for pair in zip(edges["mentee_id"], edges["mentor_id"])]] if len(edges) else edges
        instances += [_instance(roster, edges), _instance(roster, inside)]
        expected_sizes.append(len(listed.best_match.pairs))
    answers = _best_by_flow(instances)
    for index, size in enumerate(expected_sizes):
        everything, within = answers[2 * index], answers[2 * index + 1]
        assert within[0] == everything[0] == size
        assert within[1] == pytest.approx(everything[1], abs=1e-3)


@pytest.mark.slow
@given(seeds, st.integers(1, 25), st.integers(1, 8), st.integers(1, 4))
def test_no_mentor_is_shown_more_than_k_times_their_capacity_and_no_mentee_gets_more_than_k(seed, mentees, mentors, k):
    roster = random_roster(seed, mentees, mentors)
    listed = shortlists(roster, FORMAL, k).check()
    capacity = roster.capacity(FORMAL.capacity.default, FORMAL.capacity.max)
    shown = listed.table["mentor_id"].value_counts()
    for mentor, count in shown.items():
        assert count <= k * capacity[mentor]
    assert (listed.table.groupby("mentee_id").size() <= k).all()
    edges = candidate_edges(roster, FORMAL, with_parts=False)
    allowed = set(zip(edges["mentee_id"], edges["mentor_id"]))
    assert set(zip(listed.table["mentee_id"], listed.table["mentor_id"])) <= allowed
    # Every mentee with an allowed mentor who has a place is on some list, or the best match left them out.
    assert set(listed.best_match.pairs["mentee_id"]) <= set(listed.table["mentee_id"])


def test_the_form_has_one_row_per_suggestion_and_the_pages_carry_no_contact_details(tmp_path):
    roster = random_roster(7, 12, 5)
    listed = shortlists(roster, FORMAL, 3)
    form = listed.form()
    assert list(form.columns) == FORM_COLUMNS and len(form) == len(listed.table)
    assert (form["Your rank"] == "").all()
    written = listed.write_form(tmp_path) + listed.write_pages(tmp_path / "pages", "Pilot")
    assert {path.name for path in written[:2]} == {"choices_form.xlsx", "choices_form.csv"}
    emails = [email for email in roster.participants["email"] if email]
    for page in written[2:]:
        text = page.read_text(encoding="utf-8")
        assert "@" not in text and not any(email in text for email in emails)
        assert "Option 1" in text


def test_shortlists_refuse_a_circles_design_and_a_bad_k():
    roster = random_roster(1, 5, 3)
    with pytest.raises(MatchingError, match="whole number"):
        shortlists(roster, FORMAL, 0)
    with pytest.raises(MatchingError, match="one-to-one"):
        shortlists(roster, ProgramDesign.from_template("group"), 3)


@pytest.mark.slow
def test_a_total_score_design_keeps_both_its_best_match_and_a_largest_match_inside_the_lists():
    """Oracle: with objective max_total, the lists hold a matching as large as any, and one as good as any."""
    design = FORMAL.override({"objective": "max_total"})
    instances, cases = [], []
    for seed in range(16):
        roster = random_roster(100 + seed, 8 + seed % 10, 2 + seed % 5)
        listed = shortlists(roster, design, 2).check()
        edges = candidate_edges(roster, design, with_parts=False)
        keys = set(zip(listed.table["mentee_id"], listed.table["mentor_id"]))
        inside = edges[[pair in keys for pair in zip(edges["mentee_id"], edges["mentor_id"])]] if len(edges) else edges
        for lexicographic in (True, False):
            instances += [_instance(roster, edges, lexicographic), _instance(roster, inside, lexicographic)]
        cases.append(seed)
    answers = _best_by_flow(instances)
    for index in range(len(cases)):
        largest, within_largest, heaviest, within_heaviest = answers[4 * index: 4 * index + 4]
        assert within_largest[0] == largest[0]
        assert within_heaviest[1] == pytest.approx(heaviest[1], abs=1e-3)
