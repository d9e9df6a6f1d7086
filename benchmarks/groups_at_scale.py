"""Benchmark: peer pairs and circles at scale, against an independent solve in the same run.

    python benchmarks/groups_at_scale.py                 # 200, 500, 2,000 and 5,000 people, both shapes
    python benchmarks/groups_at_scale.py --sizes 200 500 # some sizes only
    python benchmarks/groups_at_scale.py --shape peers   # one shape only

Instances (fictional, built here, the same in every run): a sample client's sign-up rows repeated
with new ids (their managers, choices and exclusions renamed with them), so that many profiles tie
as they do in real cohorts:

- **peer pairs**: Northwind repeated to N people under the ``peer`` template (everyone in one pool);
- **circles**: Lumen (47 people, 9 facilitators) repeated to N people under Lumen's own design
  (``group``: circles of 4 to 6, departments balanced, reporting lines and do-not-match lists kept apart).

Methods, each in its own fresh process (so peak memory is its own and one cannot warm another):

- ``toolkit``: :func:`toolkit.matching.groups.peer_pairs` / ``form_circles`` end to end from the roster
  (rules, scoring, pruning, pricing, the certificate), no time limit (circles above 500 people:
  ``--long-limit``, 120 s, since their proof of optimality is an integer programme that does not scale);
- ``toolkit 10 s``: the same with ``time_limit=10`` (what a user waiting on a notebook would set);
- the independent reference, which shares no pruning or pricing with the toolkit:
  peer pairs: **networkx** ``max_weight_matching(maxcardinality=True)`` (pure Python blossom) on every
  allowed pair up to 500 people; at 2,000 and above **rustworkx**' blossom on every allowed pair (the
  toolkit uses the same library, on its pruned pairs only); circles: **the full integer programme**
  (every allowed link a PuLP variable, HiGHS, zero gap: the model the toolkit used before), capped at
  ``--reference-limit`` seconds (then its best and its gap as HiGHS reports them).

Columns: wall seconds and CPU seconds of the solve (the machine is shared; the CPU seconds are what it
costs, the wall seconds what a user waits, and the ratio is measured in the same run), people placed,
the total score and its difference to the reference, the status, the gap the toolkit proves, and the peak
resident memory of the process (VmHWM; it includes Python and the libraries, about 250 MB before any work).
The load average of the machine is printed before each table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import repeated_roster  # noqa: E402  (benchmarks/matching.py: a sample client repeated)

SIZES = (200, 500, 2_000, 5_000)
NETWORKX_PEOPLE = 500  # networkx (pure Python) on every pair up to here; rustworkx above


# ------------------------------------------------------------------------------------------------
# Instances
# ------------------------------------------------------------------------------------------------
def instance(shape: str, people: int):
    import toolkit as tk
    from toolkit.client import load_client

    if shape == "peers":
        return repeated_roster(people, "northwind"), tk.ProgramDesign.from_template("peer")
    return repeated_roster(people, "lumen"), load_client(ROOT / "sample_data" / "lumen").design()


# ------------------------------------------------------------------------------------------------
# Methods (each runs in its own process)
# ------------------------------------------------------------------------------------------------
def _placed(result) -> int:
    if result.shape == "circles":
        return int((result.circles["circle_role"] == "member").sum())
    return 2 * len(result.pairs)


def method_toolkit(shape: str, people: int, time_limit: float | None) -> dict:
    from toolkit.matching.groups import form_circles, peer_pairs

    roster, design = instance(shape, people)
    solve = peer_pairs if shape == "peers" else form_circles
    wall, cpu = time.perf_counter(), time.process_time()
    result = solve(roster, design, time_limit=time_limit)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    certificate = result.certificate
    bound = certificate.bound
    gap = None if bound is None or not np.isfinite(bound) else max(bound - result.objective, 0.0)
    return {"wall": wall, "cpu": cpu, "placed": _placed(result), "total": result.objective, "status": result.status,
            "gap": gap, "note": f"{certificate.pairs_in_model:,} of {certificate.candidate_pairs:,} links in the model"
                                + ("" if gap is not None or result.status == "optimal" else "; " + certificate.notes[-1])}


def method_reference(shape: str, people: int, time_limit: float | None) -> dict:
    from group_oracles import full_circles, networkx_pairing

    roster, design = instance(shape, people)
    if shape == "peers":
        from toolkit.matching.peers import build_pool

        pool = build_pool(roster, design)
        wall, cpu = time.perf_counter(), time.process_time()
        if people <= NETWORKX_PEOPLE:
            count, total = networkx_pairing(pool)
            name = "networkx max_weight_matching, every pair"
        else:
            count, total = _rustworkx_pairing(pool)
            name = "rustworkx max_weight_matching, every pair"
        return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "placed": 2 * count,
                "total": total, "status": "optimal", "gap": 0.0, "note": f"{name} ({int(pool.allowed.sum()) // 2:,})"}
    from toolkit.matching.circle_model import build_circle_pool

    pool = build_circle_pool(roster, design)
    wall, cpu = time.perf_counter(), time.process_time()
    answer = full_circles(pool, time_limit)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "placed": answer["placed"],
            "total": answer["total"], "status": answer["status"], "gap": None,
            "note": f"full integer programme, {int(pool.allowed.sum()):,} links, HiGHS relative gap "
                    f"{answer['gap']:.2g} of the weighted objective" + (f" (cap {time_limit:.0f} s)" if time_limit else "")}


def _rustworkx_pairing(pool) -> tuple[int, float]:
    import rustworkx

    first, second = np.nonzero(np.triu(pool.allowed, 1))
    graph = rustworkx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(pool.size))
    weight = np.round(pool.score[first, second] * 1e9).astype(np.int64)
    graph.add_edges_from(list(zip(first.tolist(), second.tolist(), weight.tolist())))
    matching = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return len(matching), float(sum(pool.score[min(a, b), max(a, b)] for a, b in matching))


METHODS = {"toolkit": method_toolkit, "reference": method_reference}


def worker(name: str, shape: str, people: int, time_limit: str) -> None:
    limit = None if time_limit == "none" else float(time_limit)
    row = METHODS[name](shape, people, limit)
    try:  # this process's own high-water mark
        with open("/proc/self/status") as status:
            row["peak_mb"] = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(row))


# ------------------------------------------------------------------------------------------------
# The tables
# ------------------------------------------------------------------------------------------------
def _run(name: str, shape: str, people: int, limit: float | None, timeout: float) -> dict:
    command = [sys.executable, __file__, "--worker", name, shape, str(people), "none" if limit is None else str(limit)]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"note": f"stopped after {timeout:.0f} s"}
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if lines:
        return json.loads(lines[-1])
    return {"note": "failed: " + (completed.stderr.strip().splitlines() or ["no output"])[-1][:100]}


def table(shape: str, people: int, arguments) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    title = "peer pairs (Northwind repeated, peer template)" if shape == "peers" else \
        "circles (Lumen repeated, Lumen's group design)"
    print(f"\n{title}, {people:,} people; load average {load} on {os.cpu_count()} cores", flush=True)
    reference_limit = None if shape == "peers" or people <= 500 else arguments.reference_limit
    long = None if shape == "peers" or people in arguments.exact_sizes else arguments.long_limit
    runs = {"toolkit" if long is None else f"toolkit {long:g} s": _run("toolkit", shape, people, long, arguments.timeout),
            f"toolkit {arguments.limit:g} s": _run("toolkit", shape, people, arguments.limit, arguments.timeout)}
    if people in arguments.reference_sizes:
        runs["reference"] = _run("reference", shape, people, reference_limit, arguments.timeout)
    else:
        runs["reference"] = {"note": "not run at this size (--reference-sizes)"}
    reference = runs["reference"]
    print(f"  {'method':<14} {'wall s':>8} {'cpu s':>7} {'x ref':>6} {'placed':>7} {'total':>11} {'- ref':>8} "
          f"{'proven gap':>10} {'peak MB':>8}  status; note")
    for name, row in runs.items():
        def cell(key, width, form, row=row):  # called at once, in this iteration
            return f"{row[key]:{width}{form}}" if row.get(key) is not None else f"{'-':>{width}}"
        ratio = (f"{row['wall'] / reference['wall']:6.2f}" if row.get("wall") and reference.get("wall")
                 and name != "reference" else f"{'-':>6}")
        versus = (f"{row['total'] - reference['total']:8.2f}" if row.get("total") is not None
                  and reference.get("total") is not None and row.get("placed") == reference.get("placed")
                  else (f"{(row.get('placed', 0) - reference.get('placed', 0)):+7d}p" if row.get("placed") is not None
                        and reference.get("placed") is not None else f"{'-':>8}"))
        print(f"  {name:<14} {cell('wall', 8, '.2f')} {cell('cpu', 7, '.2f')} {ratio} {cell('placed', 7, 'd')} "
              f"{cell('total', 11, '.2f')} {versus} {cell('gap', 10, '.2f')} {cell('peak_mb', 8, '.0f')}  "
              f"{row.get('status', '-')}; {row.get('note', '')}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--shape", choices=["peers", "circles", "both"], default="both")
    parser.add_argument("--limit", type=float, default=None,
                        help="the toolkit's time limit in the second row (default: 10 s peer pairs, 30 s circles)")
    parser.add_argument("--reference-limit", type=float, default=300.0,
                        help="seconds for the full circles programme above 500 people (default 300)")
    parser.add_argument("--reference-sizes", type=int, nargs="+", default=list(SIZES),
                        help="sizes at which the reference runs (default: every size)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per process (default 1800)")
    parser.add_argument("--exact-sizes", type=int, nargs="+", default=[200, 500],
                        help="circles sizes run without a time limit (to the proven optimum); above them the first "
                             "row has --long-limit seconds (default: 200 and 500)")
    parser.add_argument("--long-limit", type=float, default=120.0,
                        help="the first row's time limit for circles above --exact-sizes (default 120 s)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.worker:
        name, shape, people, limit = arguments.worker
        worker(name, shape, int(people), limit)
        return 0
    shapes = ["peers", "circles"] if arguments.shape == "both" else [arguments.shape]
    for shape in shapes:
        for people in arguments.sizes:
            limit = arguments.limit if arguments.limit is not None else (10.0 if shape == "peers" else 30.0)
            table(shape, people, argparse.Namespace(**{**vars(arguments), "limit": limit}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
