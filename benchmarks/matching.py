"""Benchmark: pruned + certified matching against a naive dense PuLP model, same run.

    python benchmarks/matching.py            # 1,000 x 300 and 5,000 x 1,500
    python benchmarks/matching.py --small    # 1,000 x 300 only

A synthetic roster (random departments, teams, seniority, skills, goals, languages,
time zones) is matched under the formal template. For each size it prints the time
to score the candidate pairs, then the solve time of

- ``pruned``: :func:`toolkit.matching.assign` (top-K candidates, certified by LP duals),
- ``naive``: one binary variable per candidate pair, all constraints, HiGHS MILP,

and checks that both reach the same objective, plus the time of an independent exact reference
(scipy's ``linear_sum_assignment`` with mentors replicated by capacity) and the process's peak memory.
20,000 x 5,000 (100 million candidate pairs) is not run on the 2-core CI machine: ``--huge`` runs it. The full LP and the naive model are skipped at the
large size when it is predicted to take more than two minutes (from the small size's
time scaled by the number of candidate pairs), and the script says so.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pulp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import toolkit as tk  # noqa: E402
from toolkit.matching.candidates import candidate_edges  # noqa: E402
from toolkit.matching.rules import RuleContext  # noqa: E402
from toolkit.matching.solver import assign  # noqa: E402
from toolkit.roster import Roster  # noqa: E402

SKILLS = [f"Skill {i:02d}" for i in range(40)]
GOALS = ["Career progression", "Leadership", "Networking and visibility", "Confidence", "Skill development",
         "Work-life balance", "Knowledge of the organisation"]
LANGUAGES = ["English", "Spanish", "French", "Hindi", "Mandarin", "German"]
DEPARTMENTS = ["Finance", "Sales", "Operations", "Technology", "People", "Marketing", "Legal", "Risk"]
ZONES = ["Europe/London", "America/New_York", "Asia/Singapore", "Asia/Kolkata", "Europe/Berlin"]
NAIVE_LIMIT_SECONDS = 120.0


def synthetic_roster(mentees: int, mentors: int, seed: int = 7) -> Roster:
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(mentees + mentors):
        is_mentor = index >= mentees
        department = DEPARTMENTS[rng.integers(len(DEPARTMENTS))]
        rows.append({
            "participant_id": f"P{index:06d}",
            "name": f"Person {index}",
            "email": f"p{index}@example.com",
            "role": "mentor" if is_mentor else "mentee",
            "department": department,
            "team": f"{department} {rng.integers(6)}",
            "seniority": int(rng.integers(4, 8) if is_mentor else rng.integers(1, 5)),
            "timezone": ZONES[rng.integers(len(ZONES))],
            "skills_offered": tuple(rng.choice(SKILLS, 4, replace=False)) if is_mentor else (),
            "skills_sought": () if is_mentor else tuple(rng.choice(SKILLS, 3, replace=False)),
            "goals": tuple(rng.choice(GOALS, 2, replace=False)),
            "languages": ("English",) + tuple(rng.choice(LANGUAGES[1:], int(rng.integers(0, 2)), replace=False)),
            "meeting_mode": ["in_person", "virtual", "hybrid", "no_preference"][rng.integers(4)],
            "capacity": int(rng.integers(2, 5)) if is_mentor else None,
        })
    return Roster.from_frame(pd.DataFrame(rows))


def exact_reference(edges: pd.DataFrame, capacity: pd.Series) -> float:
    """An independent exact answer: the Hungarian method on mentees x mentor slots (absent pairs score 0)."""
    from scipy.optimize import linear_sum_assignment

    mentees = {mentee: index for index, mentee in enumerate(sorted(set(edges["mentee_id"])))}
    slots: dict[str, list[int]] = {}
    for mentor in sorted(capacity.index):
        for _ in range(int(capacity[mentor])):
            slots.setdefault(mentor, []).append(sum(len(v) for v in slots.values()))
    width = sum(len(v) for v in slots.values())
    weight = np.zeros((len(mentees), width), dtype=np.float64)
    rows = edges["mentee_id"].map(mentees).to_numpy()
    for mentor, group in edges.groupby("mentor_id"):
        for column in slots.get(mentor, []):
            weight[rows[group.index], column] = group["score"].to_numpy()
    chosen_rows, chosen_columns = linear_sum_assignment(weight, maximize=True)
    return float(weight[chosen_rows, chosen_columns].sum())


def naive_dense(edges: pd.DataFrame, capacity: pd.Series) -> tuple[str, float]:
    """What one would write first: a binary variable per candidate pair, one model, no pruning."""
    problem = pulp.LpProblem("naive", pulp.LpMaximize)
    x = [problem.add_variable(f"x{k}", cat="Binary") for k in range(len(edges))]
    problem += pulp.lpSum(score * variable for score, variable in zip(edges["score"], x))
    for _, rows in edges.groupby("mentee_id").indices.items():
        problem += pulp.lpSum(x[k] for k in rows) <= 1
    for mentor, rows in edges.groupby("mentor_id").indices.items():
        problem += pulp.lpSum(x[k] for k in rows) <= int(capacity.get(mentor, 0))
    problem.solve(pulp.HiGHS(msg=False))
    return pulp.LpStatus[problem.status], float(pulp.value(problem.objective) or 0.0)


def run(mentees: int, mentors: int, rates: dict | None) -> dict:
    roster = synthetic_roster(mentees, mentors)
    design = tk.ProgramDesign.from_template("formal").override({"objective": "max_total"})
    started = time.perf_counter()
    context = RuleContext.build(roster, design)
    edges = candidate_edges(roster, design, context=context, with_parts=False)
    scoring = time.perf_counter() - started
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    print(f"\n{mentees:,} mentees x {mentors:,} mentors: {len(edges):,} candidate pairs "
          f"(scored in {scoring:.1f} s)")
    started = time.perf_counter()
    pruned = assign(edges, capacity, objective="max_total")
    pruned_seconds = time.perf_counter() - started
    certificate = pruned.certificate
    print(f"  pruned + certified: {pruned_seconds:7.1f} s  status {pruned.status}, objective {pruned.objective:.4f}, "
          f"{certificate.pairs_in_model:,} pairs in the final model, {certificate.rounds} rounds ({certificate.method})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory so far (this process): {peak:,.0f} MB")
    started = time.perf_counter()
    reference = exact_reference(edges, capacity)
    reference_seconds = time.perf_counter() - started
    agree = "same objective" if abs(reference - pruned.objective) < 1e-6 * max(1, abs(reference)) else \
        f"DIFFERENT objective {reference:.4f}"
    print(f"  exact reference (scipy linear_sum_assignment, mentors replicated by capacity): "
          f"{reference_seconds:5.1f} s  {agree}")
    full_prediction = rates["full"] * len(edges) if rates else None
    naive_prediction = rates["naive"] * len(edges) if rates else None
    full_seconds = naive_seconds = None
    if full_prediction is not None and full_prediction > NAIVE_LIMIT_SECONDS:
        print(f"  full LP (no pruning): skipped (predicted {full_prediction:.0f} s > {NAIVE_LIMIT_SECONDS:.0f} s)")
    else:
        started = time.perf_counter()
        full = assign(edges, capacity, objective="max_total", top_k=0)
        full_seconds = time.perf_counter() - started
        print(f"  full LP (no pruning): {full_seconds:5.1f} s  objective {full.objective:.4f}")
    if naive_prediction is not None and naive_prediction > NAIVE_LIMIT_SECONDS:
        print(f"  naive dense MILP: skipped (predicted {naive_prediction:.0f} s > {NAIVE_LIMIT_SECONDS:.0f} s "
              "from the smaller size's seconds per candidate pair)")
    else:
        started = time.perf_counter()
        status, objective = naive_dense(edges, capacity)
        naive_seconds = time.perf_counter() - started
        agree = "same objective" if abs(objective - pruned.objective) < 1e-6 * max(1, abs(objective)) else \
            f"DIFFERENT objective {objective:.4f}"
        print(f"  naive dense MILP:   {naive_seconds:7.1f} s  status {status}, {agree}")
        print(f"  ratio naive / pruned: {naive_seconds / pruned_seconds:.1f}x")
    return {"full": (full_seconds or 0) / max(len(edges), 1), "naive": (naive_seconds or 0) / max(len(edges), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only 1,000 x 300")
    parser.add_argument("--huge", action="store_true", help="also 20,000 x 5,000 (needs about 10 GB and minutes)")
    arguments = parser.parse_args(argv)
    rates = run(1_000, 300, None)
    if not arguments.small:
        rates = run(5_000, 1_500, rates)
    if arguments.huge:
        run(20_000, 5_000, rates)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
