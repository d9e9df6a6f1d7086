"""Benchmark: the toolkit's matching against exact references, side by side, one table per size.

    python benchmarks/matching.py            # 1,000 x 300, 5,000 x 1,500 and Northwind repeated to 5,000 people
    python benchmarks/matching.py --small    # 1,000 x 300 and Northwind repeated to 2,000 people
    python benchmarks/matching.py --huge     # also 20,000 x 5,000 (see the note below)
    python benchmarks/matching.py --only tied   # one size: small, medium, tied or huge
    python benchmarks/matching.py --time-limits # tk.match on Northwind repeated, time_limit 0.5, 1, 2, 3 s and none

For each size one instance is built once (a synthetic roster scored under the formal template, or
Northwind's sign-up rows repeated with new ids, so that many profiles tie) and every method runs
on it in its own fresh process (so peak memory is each method's own, and OR-Tools' bundled HiGHS
never meets highspy):

- ``toolkit assign``: :func:`toolkit.matching.assign` on the scored pairs (pruned to each mentee's
  top K, certified by LP duals), objective ``max_total``;
- ``toolkit match``: :func:`toolkit.match` end to end from the roster (rules, scoring, solve,
  explanations), objective ``max_total``;
- ``OR-Tools full``: OR-Tools' min-cost flow (an exact network algorithm) on every pair, costs scaled to
  integers (1e-6), objective recomputed from the float scores;
- ``OR-Tools pruned``: the same on each mentee's top K pairs only (what the toolkit's first model holds):
  fast, but with no proof that the pruned pairs could not do better;
- ``scipy LSA``: ``linear_sum_assignment`` on mentees x mentor places (dense; only where it fits in
  about 1 GB).

20,000 x 5,000 (86 million candidate pairs under the formal template) runs ``toolkit match`` only: the
references need every pair held in memory (about 12 GB, measured 2026-11-30), while ``tk.match`` holds each
mentee's 40 best pairs per scoring block and re-scores only where the LP duals say a left-out pair could
improve the answer (``engine.HOLD_ALL_PAIRS``).

``--time-limits`` prints one more table for Northwind repeated: ``tk.match`` with each time limit, each in
its own fresh process, against the certified optimum of the run without one (same run): seconds taken and
their ratio to the limit, pairs, total and its share of the optimum, the proven bound, the status.

Columns: seconds, ratio to OR-Tools full (same run), objective and its difference to the best
exact objective, peak resident memory of that process (VmHWM: its own high-water mark). Timings include building each
solver's input from arrays (not the scoring, except for ``toolkit match``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SKILLS = [f"Skill {i:02d}" for i in range(40)]
GOALS = ["Career progression", "Leadership", "Networking and visibility", "Confidence", "Skill development",
         "Work-life balance", "Knowledge of the organisation"]
LANGUAGES = ["English", "Spanish", "French", "Hindi", "Mandarin", "German"]
DEPARTMENTS = ["Finance", "Sales", "Operations", "Technology", "People", "Marketing", "Legal", "Risk"]
ZONES = ["Europe/London", "America/New_York", "Asia/Singapore", "Asia/Kolkata", "Europe/Berlin"]
LSA_CELLS = 120_000_000  # dense mentees x places matrices above this are skipped (about 1 GB)
TOP_K = 20


# ------------------------------------------------------------------------------------------------
# Instances
# ------------------------------------------------------------------------------------------------
def synthetic_roster(mentees: int, mentors: int, seed: int = 7):
    from toolkit.roster import Roster

    rng = np.random.default_rng(seed)
    rows = []
    for index in range(mentees + mentors):
        is_mentor = index >= mentees
        department = DEPARTMENTS[rng.integers(len(DEPARTMENTS))]
        rows.append({
            "participant_id": f"P{index:06d}", "name": f"Person {index}", "email": f"p{index}@example.com",
            "role": "mentor" if is_mentor else "mentee", "department": department,
            "team": f"{department} {rng.integers(6)}",
            "seniority": int(rng.integers(4, 8) if is_mentor else rng.integers(1, 5)),
            "timezone": ZONES[rng.integers(len(ZONES))],
            "skills_offered": tuple(rng.choice(SKILLS, 4, replace=False)) if is_mentor else (),
            "skills_sought": () if is_mentor else tuple(rng.choice(SKILLS, 3, replace=False)),
            "goals": tuple(rng.choice(GOALS, 2, replace=False)),
            "languages": ("English",) + tuple(rng.choice(LANGUAGES[1:], int(rng.integers(0, 2)), replace=False)),
            "meeting_mode": ["in_person", "virtual", "hybrid", "no_preference"][rng.integers(4)],
            "capacity": int(rng.integers(1, 5)) if is_mentor else None,
        })
    return Roster.from_frame(pd.DataFrame(rows))


def repeated_roster(people: int, client: str = "northwind"):
    """A sample client's participants (Northwind's by default) repeated with new ids (and their managers,
    choices and exclusions renamed)."""
    from toolkit.client import load_client
    from toolkit.roster import Roster

    base = load_client(ROOT / "sample_data" / client).roster()
    frame = base.participants.drop(columns=["source", "source_row"], errors="ignore")
    ids = set(frame["participant_id"])
    frames, org_chart = [], {}
    for copy in range(-(-people // len(frame))):
        def tag(value, copy=copy):
            return f"{value}-{copy}" if isinstance(value, str) and value in ids else value
        part = frame.copy()
        part["participant_id"] = part["participant_id"].map(tag)
        part["manager_id"] = part["manager_id"].map(tag)
        for column in ("preferences", "exclusions", "previous_partners"):
            part[column] = part[column].map(lambda items, tag=tag: tuple(tag(item) for item in items or ()))
        part["email"] = part["email"].map(lambda e, copy=copy: e.replace("@", f"+{copy}@") if isinstance(e, str) else e)
        frames.append(part)
        org_chart.update({tag(person): tag(manager) for person, manager in base.org_chart.items()})
    frame = pd.concat(frames, ignore_index=True).iloc[:people]
    keep = set(frame["participant_id"])
    frame["manager_id"] = frame["manager_id"].map(lambda manager: manager if manager in keep else None)
    org_chart = {person: manager for person, manager in org_chart.items() if person in keep}
    return Roster.from_frame(frame, org_chart=org_chart)


def instance(spec: dict):
    import toolkit as tk
    from toolkit.client import load_client

    if spec["kind"] == "synthetic":
        roster = synthetic_roster(spec["mentees"], spec["mentors"])
        design = tk.ProgramDesign.from_template("formal")
    else:
        roster = repeated_roster(spec["people"])
        design = load_client(ROOT / "sample_data" / "northwind").design()
    return roster, design.override({"objective": "max_total"})


def build(spec: dict, path: Path) -> dict:
    """Score the instance once and save the pairs (integer codes) for every method."""
    from toolkit.matching.candidates import build_candidates
    from toolkit.matching.lp import top_k_mask

    roster, design = instance(spec)
    started = time.perf_counter()
    mentee_ids = sorted(roster.mentees["participant_id"])
    mentor_ids = sorted(roster.mentors["participant_id"])
    found = build_candidates(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
    scoring = time.perf_counter() - started
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    capacity_array = np.array([int(capacity.get(mentor, design.capacity.default)) for mentor in mentor_ids])
    pruned = top_k_mask(found.rows, found.cols, found.scores, np.ones(len(found.rows), bool), TOP_K)
    np.savez(path, rows=found.rows.astype(np.int32), cols=found.cols.astype(np.int32), scores=found.scores,
             capacity=capacity_array, pruned=pruned, mentees=len(mentee_ids))
    return {"pairs": len(found.rows), "scoring": scoring, "mentees": len(mentee_ids), "mentors": len(mentor_ids)}


# ------------------------------------------------------------------------------------------------
# Methods (each runs in its own process)
# ------------------------------------------------------------------------------------------------
def method_toolkit_assign(data, spec):
    from toolkit.matching.solver import assign

    mentees = np.array([f"E{i:06d}" for i in range(int(data["mentees"]))], dtype=object)
    mentors = np.array([f"M{j:06d}" for j in range(len(data["capacity"]))], dtype=object)
    edges = pd.DataFrame({"mentee_id": mentees[data["rows"]], "mentor_id": mentors[data["cols"]],
                          "score": data["scores"]})
    capacity = pd.Series(data["capacity"], index=mentors)
    started = time.perf_counter()
    result = assign(edges, capacity)
    seconds = time.perf_counter() - started
    return seconds, result.objective, f"{result.status}; {result.certificate.pairs_in_model:,} pairs in model, " \
                                      f"{result.certificate.rounds} rounds"


def method_toolkit_match(data, spec):
    import toolkit as tk

    roster, design = instance(spec)
    started = time.perf_counter()
    result = tk.match(roster, design)
    seconds = time.perf_counter() - started
    certificate = result.certificate
    return seconds, result.objective, (f"{result.status} (scoring included); {certificate.pairs_in_model:,} of "
                                       f"{certificate.candidate_pairs:,} pairs in model, {certificate.rounds} rounds")


def _min_cost_flow(rows, cols, scores, capacity, mentees):
    from ortools.graph.python import min_cost_flow

    mentors = len(capacity)
    source, sink = 0, 1
    mentee_node, mentor_node = 2 + np.arange(mentees), 2 + mentees + np.arange(mentors)
    tails = np.concatenate([np.full(mentees, source), mentee_node[rows], mentor_node, [source]])
    heads = np.concatenate([mentee_node, mentor_node[cols], np.full(mentors, sink), [sink]])
    capacities = np.concatenate([np.ones(mentees), np.ones(len(rows)), capacity, [mentees]]).astype(np.int64)
    costs = np.concatenate([np.zeros(mentees), -np.round(scores * 1e6), np.zeros(mentors), [0]]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(2 + mentees + mentors, dtype=np.int64)
    supplies[source], supplies[sink] = mentees, -mentees
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = flow.solve()
    used = flow.flows(np.arange(mentees, mentees + len(rows))) > 0
    return float(scores[used].sum()), "optimal" if status == flow.OPTIMAL else f"status {status}"


def method_ortools_full(data, spec):
    started = time.perf_counter()
    objective, status = _min_cost_flow(data["rows"], data["cols"], data["scores"], data["capacity"],
                                       int(data["mentees"]))
    return time.perf_counter() - started, objective, status + " (integer costs)"


def method_ortools_pruned(data, spec):
    keep = data["pruned"]
    started = time.perf_counter()
    objective, status = _min_cost_flow(data["rows"][keep], data["cols"][keep], data["scores"][keep],
                                       data["capacity"], int(data["mentees"]))
    return time.perf_counter() - started, objective, f"{status} on {int(keep.sum()):,} pairs, not proven for all"


def method_scipy_lsa(data, spec):
    from scipy.optimize import linear_sum_assignment

    mentees, capacity = int(data["mentees"]), data["capacity"]
    if mentees * int(capacity.sum()) > LSA_CELLS:
        return None, None, f"skipped: {mentees:,} x {int(capacity.sum()):,} places does not fit"
    started = time.perf_counter()
    first_place = np.r_[0, np.cumsum(capacity)[:-1]]
    weight = np.zeros((mentees, int(capacity.sum())))
    for offset in range(int(capacity.max())):
        has = capacity[data["cols"]] > offset
        weight[data["rows"][has], first_place[data["cols"][has]] + offset] = data["scores"][has]
    chosen_rows, chosen_places = linear_sum_assignment(weight, maximize=True)
    objective = float(weight[chosen_rows, chosen_places].sum())
    return time.perf_counter() - started, objective, "optimal (dense, absent pairs score 0)"


def method_toolkit_match_limited(data, spec):
    import toolkit as tk

    roster, design = instance(spec)
    match = tk.match  # the package loads its matching modules here, before the clock starts (as in a session)
    started = time.perf_counter()
    result = match(roster, design, time_limit=spec.get("time_limit"))
    seconds = time.perf_counter() - started
    bound = result.certificate.bound
    return seconds, result.objective, json.dumps({"pairs": len(result.pairs), "status": result.status,
                                                  "bound": bound if bound is not None and np.isfinite(bound) else None})


METHODS = {"toolkit assign": method_toolkit_assign, "toolkit match": method_toolkit_match,
           "OR-Tools full": method_ortools_full, "OR-Tools pruned": method_ortools_pruned,
           "scipy LSA": method_scipy_lsa, "toolkit match (time limit)": method_toolkit_match_limited}
TABLE_METHODS = [name for name in METHODS if name != "toolkit match (time limit)"]


def worker(name: str, data_path: str, spec: str) -> None:
    data = dict(np.load(data_path))
    seconds, objective, note = METHODS[name](data, json.loads(spec))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux keeps this across exec (the parent's)
    try:  # this process's own high-water mark, where the system reports it
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        pass
    print(json.dumps({"seconds": seconds, "objective": objective, "note": note, "peak_mb": peak}))


# ------------------------------------------------------------------------------------------------
# The table
# ------------------------------------------------------------------------------------------------
def run(title: str, spec: dict, workdir: Path, timeout: float) -> None:
    path = workdir / "instance.npz"
    if spec.get("match_only"):  # too large to hold every pair for the references
        print(f"\n{title}: {spec['mentees']:,} mentees x {spec['mentors']:,} mentors; toolkit match only (the "
              "references need every pair in memory)", flush=True)
        np.savez(path, mentees=spec["mentees"])
    else:
        facts = build(spec, path)
        print(f"\n{title}: {facts['mentees']:,} mentees x {facts['mentors']:,} mentors, {facts['pairs']:,} "
              f"candidate pairs (scored in {facts['scoring']:.1f} s)", flush=True)
    results = {}
    for name in TABLE_METHODS:
        if spec.get("match_only") and name != "toolkit match":
            continue
        try:
            completed = subprocess.run([sys.executable, __file__, "--worker", name, str(path), json.dumps(spec)],
                                       capture_output=True, text=True, timeout=timeout)
            lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
            results[name] = json.loads(lines[-1]) if lines else {
                "seconds": None, "objective": None, "peak_mb": None,
                "note": "failed: " + (completed.stderr.strip().splitlines() or ["no output"])[-1][:80]}
        except subprocess.TimeoutExpired:
            results[name] = {"seconds": None, "objective": None, "peak_mb": None, "note": f"over {timeout:.0f} s"}
    exact = [results[name]["objective"] for name in ("OR-Tools full", "scipy LSA", "toolkit assign")
             if name in results and results[name]["objective"] is not None]
    best = max(exact) if exact else None
    reference = results.get("OR-Tools full", {}).get("seconds")
    print(f"  {'method':<16} {'seconds':>8} {'x OR-Tools':>10} {'objective':>14} {'- best':>9} {'peak MB':>8}  note")
    for name, row in results.items():
        seconds = f"{row['seconds']:8.2f}" if row["seconds"] is not None else f"{'-':>8}"
        ratio = f"{row['seconds'] / reference:10.2f}" if row["seconds"] is not None and reference else f"{'-':>10}"
        objective = f"{row['objective']:14.4f}" if row["objective"] is not None else f"{'-':>14}"
        gap = f"{row['objective'] - best:9.4f}" if row["objective"] is not None and best is not None else f"{'-':>9}"
        peak = f"{row['peak_mb']:8.0f}" if row["peak_mb"] is not None else f"{'-':>8}"
        print(f"  {name:<16} {seconds} {ratio} {objective} {gap} {peak}  {row['note']}", flush=True)


def time_limits(spec: dict, workdir: Path, timeout: float, limits=(0.5, 1.0, 2.0, 3.0, None)) -> None:
    """tk.match under each time limit (each in a fresh process) against the certified optimum of the same run."""
    path = workdir / "none.npz"
    np.savez(path, mentees=0)
    print(f"\nTime limits, Northwind repeated to {spec['people']:,} people: tk.match end to end (scoring included), "
          "each run in its own process", flush=True)
    runs = {}
    for limit in limits:
        completed = subprocess.run([sys.executable, __file__, "--worker", "toolkit match (time limit)", str(path),
                                    json.dumps({**spec, "time_limit": limit})], capture_output=True, text=True,
                                   timeout=timeout)
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        runs[limit] = json.loads(lines[-1]) if lines else None
    optimum = runs.get(None)
    best = optimum["objective"] if optimum and json.loads(optimum["note"])["status"] == "optimal" else None
    print(f"  {'time limit':>10} {'seconds':>8} {'x limit':>8} {'pairs':>6} {'total':>11} {'% optimum':>9} "
          f"{'bound':>11}  status")
    for limit, row in runs.items():
        if row is None:
            print(f"  {limit!s:>10}  failed")
            continue
        facts = json.loads(row["note"])
        ratio = f"{row['seconds'] / limit:8.2f}" if limit else f"{'-':>8}"
        share = f"{row['objective'] / best * 100:9.1f}" if best else f"{'-':>9}"
        bound = f"{facts['bound']:11.1f}" if facts["bound"] is not None else f"{'-':>11}"
        print(f"  {'none' if limit is None else limit:>10} {row['seconds']:8.2f} {ratio} {facts['pairs']:6,} "
              f"{row['objective']:11.1f} {share} {bound}  {facts['status']}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only 1,000 x 300 and Northwind x 2,000")
    parser.add_argument("--huge", action="store_true", help="also 20,000 x 5,000 (toolkit match only)")
    parser.add_argument("--only", choices=["small", "medium", "tied", "huge"], help="run one size only")
    parser.add_argument("--time-limits", action="store_true",
                        help="only the time-limit table for Northwind repeated (0.5, 1, 2, 3 s and none)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per method (default 600)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.worker:
        worker(*arguments.worker)
        return 0
    if arguments.time_limits:
        with tempfile.TemporaryDirectory() as folder:
            time_limits({"kind": "northwind", "people": 2_000 if arguments.small else 5_000}, Path(folder),
                        arguments.timeout)
        return 0
    sizes = [("1,000 x 300", {"kind": "synthetic", "mentees": 1_000, "mentors": 300})]
    if not arguments.small:
        sizes.append(("5,000 x 1,500", {"kind": "synthetic", "mentees": 5_000, "mentors": 1_500}))
    sizes.append(("Northwind repeated", {"kind": "northwind", "people": 2_000 if arguments.small else 5_000}))
    if arguments.huge or arguments.only == "huge":
        sizes.append(("20,000 x 5,000", {"kind": "synthetic", "mentees": 20_000, "mentors": 5_000,
                                          "match_only": True}))
    if arguments.only:
        wanted = {"small": "1,000 x 300", "medium": "5,000 x 1,500", "tied": "Northwind repeated",
                  "huge": "20,000 x 5,000"}[arguments.only]
        sizes = [(title, spec) for title, spec in sizes if title == wanted]
    with tempfile.TemporaryDirectory() as folder:
        for title, spec in sizes:
            run(title, spec, Path(folder), arguments.timeout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
