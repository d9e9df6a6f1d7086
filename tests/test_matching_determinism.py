"""Same people, same pairs; silent solvers; a time limit that holds.

- Determinism: shuffling the rows of a score table or of a roster never changes the pairs chosen,
  even when many pairs tie (ties are settled by participant ids, not by row order).
- Silence: a fresh Python process matching the sample clients (one-to-one, peer pairs, circles)
  writes nothing to its stdout or stderr (the HiGHS banner is C-level output, so only a real
  process or a file-descriptor capture can see it).
- Time limit: a match stopped by its time limit still returns a valid match, says so, and states
  a proven bound no answer can exceed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.matching.solver import assign
from toolkit.roster import Roster

ROOT = Path(__file__).resolve().parents[1]


def tied_instance(seed: int, mentees: int, mentors: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """A score table where scores take only three values, so many matchings tie on the objective."""
    rng = np.random.default_rng(seed)
    rows = [(f"E{i:03d}", f"M{j:03d}", float(rng.integers(1, 4))) for i in range(mentees) for j in range(mentors)
            if rng.random() < 0.7]
    capacity = {f"M{j:03d}": int(rng.integers(1, 3)) for j in range(mentors)}
    return pd.DataFrame(rows, columns=["mentee_id", "mentor_id", "score"]), capacity


def pair_set(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["mentee_id"], frame["mentor_id"]))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), order_seed=st.integers(0, 10_000), mentees=st.integers(2, 30),
       mentors=st.integers(1, 10), objective=st.sampled_from(["max_total", "max_participation", "max_min"]),
       top_k=st.sampled_from([0, 1, 3]))
def test_shuffled_score_rows_give_the_same_pairs(seed, order_seed, mentees, mentors, objective, top_k):
    edges, capacity = tied_instance(seed, mentees, mentors)
    first = assign(edges, capacity, objective=objective, top_k=top_k)
    shuffled = edges.sample(frac=1.0, random_state=order_seed).reset_index(drop=True)
    capacity_shuffled = dict(sorted(capacity.items(), key=lambda item: hash((order_seed, item[0]))))
    second = assign(shuffled, capacity_shuffled, objective=objective, top_k=top_k)
    assert first.status == second.status == "optimal"
    assert pair_set(first.pairs) == pair_set(second.pairs)
    assert list(first.pairs["mentee_id"]) == sorted(first.pairs["mentee_id"])  # pairs come in id order


@pytest.mark.parametrize("order_seed", [1, 2])
def test_shuffled_roster_rows_give_the_same_match(northwind, order_seed):
    roster, design = northwind
    frame = roster.participants.drop(columns=["source", "source_row"], errors="ignore")
    shuffled = Roster.from_frame(frame.sample(frac=1.0, random_state=order_seed).reset_index(drop=True),
                                 org_chart=dict(sorted(roster.org_chart.items(), key=lambda item: hash(
                                     (order_seed, item[0])))))
    first, second = tk.match(roster, design), tk.match(shuffled, design)
    assert first.status == second.status == "optimal"
    assert pair_set(first.pairs) == pair_set(second.pairs)
    assert first.objective == pytest.approx(second.objective, abs=1e-9)


_SILENT = """
import toolkit as tk
from toolkit.client import load_client
for name in ("northwind", "lumen"):
    client = load_client({root!r} + "/sample_data/" + name)
    result = tk.match(client.roster(), client.design())
    assert result.status == "optimal", result.status
from toolkit.roster import Roster
people = load_client({root!r} + "/sample_data/northwind").roster().participants.head(30)
pool = Roster.from_frame(people.drop(columns=["source", "source_row", "manager_id"]).assign(role="both"))
assert tk.match(pool, tk.ProgramDesign.from_template("peer")).status == "optimal"
tk.matching.assign([("A", "X", 1.0), ("B", "X", 2.0)], {{"X": 1}}, quotas=[(["A"], 1, "A")])
"""


@pytest.mark.slow
def test_a_fresh_process_matching_every_shape_prints_nothing():
    completed = subprocess.run([sys.executable, "-c", _SILENT.format(root=str(ROOT))], capture_output=True,
                               text=True, cwd=ROOT, timeout=600)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "" and completed.stderr == ""


def test_no_fd_level_output_from_a_match_in_this_process(capfd, northwind):
    roster, design = northwind
    tk.match(roster, design)
    tk.match(roster, design, objective="max_min")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_an_exhausted_time_limit_returns_a_valid_match_with_a_proven_bound(northwind):
    roster, design = northwind
    best = tk.match(roster, design, objective="max_total")
    stopped = tk.match(roster, design, objective="max_total", time_limit=1e-9)
    assert stopped.status == "time_limit" and not stopped.certificate.certified
    stopped.check()  # capacities, pins, everyone matched or given a reason
    assert len(stopped.pairs) > 0  # the best found, not nothing
    assert stopped.objective <= best.objective + 1e-9 <= stopped.certificate.bound + 1e-6
    assert "no match can total more than" in str(stopped.certificate)


def test_mentees_left_out_when_the_time_limit_stops_are_told_so_not_that_mentors_are_full(northwind):
    roster, design = northwind
    stopped = tk.match(roster, design, objective="max_min", time_limit=1e-9)  # HiGHS phases, greedy fallback
    assert stopped.status == "time_limit"
    stopped.check()
    reasons = stopped.unmatched.loc[stopped.unmatched["role"] == "mentee", "reason"]
    assert reasons.str.contains("time limit stopped the search").any()
    assert not reasons.str.contains("are full").any()


def test_progress_lines_name_each_phase(northwind):
    roster, design = northwind
    lines: list[str] = []
    tk.match(roster, design, progress=lines.append)
    assert lines[0].startswith("scoring") and any("solve 1" in line for line in lines)
    assert lines[-1].startswith("done")


def test_warm_rematch_after_weight_pin_and_ban_equals_a_cold_match(northwind):
    from toolkit.matching.engine import WarmMatcher

    roster, design = northwind
    warm = WarmMatcher()
    warm(roster, design)
    reweighted = design.override({"criteria": {"skills": 1, "goals": 3, "availability": 2}})
    first = warm(roster, reweighted)
    cold = tk.match(roster, reweighted)
    assert pair_set(first.pairs) == pair_set(cold.pairs) and first.objective == cold.objective
    pinned = (cold.pairs["mentee_id"].iloc[1], cold.pairs["mentor_id"].iloc[0])
    banned = (cold.pairs["mentee_id"].iloc[2], cold.pairs["mentor_id"].iloc[2])
    options = {"required": [pinned], "forbidden": [banned], "objective": "max_total"}
    again, reference = warm(roster, reweighted, **options), tk.match(roster, reweighted, **options)
    assert pair_set(again.pairs) == pair_set(reference.pairs)
    assert pinned in pair_set(again.pairs) and banned not in pair_set(again.pairs)
    again.check()
    stricter = design.override({"rules": {"exclude_same_department": True}})  # a rule change scores afresh
    assert pair_set(warm(roster, stricter).pairs) == pair_set(tk.match(roster, stricter).pairs)
