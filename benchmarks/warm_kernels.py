"""Benchmark: reports run one after another in one process, each kernel started afresh or forked warm.

    python benchmarks/warm_kernels.py              # northwind's five reports, each case twice, alternating
    python benchmarks/warm_kernels.py --rounds 3

A process that runs several notebooks forks every kernel after its first from a warm-kernel server
(toolkit.kernels). The reference is the same reports with ``MENTORING_TOOLKIT_WARM_KERNELS=0``: every kernel
starts afresh and imports IPython, pandas, Altair, SciPy and the toolkit itself. Each case runs in its own
fresh Python process; the CPU figure is that process's and all its descendants' (the server and the kernels
forked from it included), read when it has ended. The ratio column is warm over afresh, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ("readiness", "matching", "health", "impact", "standards")

OWNER = """
import sys, tempfile
from pathlib import Path
from toolkit import reports
with tempfile.TemporaryDirectory() as out:
    for report in sys.argv[2:]:
        reports.run(report, Path(sys.argv[1]) / "client.yaml", Path(out))
"""


def one_case(warm: bool, client: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its descendants) for the reports run in a fresh process."""
    env = {**os.environ, "MENTORING_TOOLKIT_WARM_KERNELS": "1" if warm else "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    clock = time.perf_counter()
    subprocess.run([sys.executable, "-c", OWNER, str(client), *REPORTS], check=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - clock
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--client", default=str(ROOT / "sample_data" / "northwind"))
    arguments = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"afresh": [], "warm": []}
    for _ in range(arguments.rounds):
        for case in ("afresh", "warm"):
            results[case].append(one_case(case == "warm", Path(arguments.client)))
    print(f"{len(REPORTS)} reports of {Path(arguments.client).name} in one process, {arguments.rounds} rounds "
          f"(median of each)")
    reference = statistics.median(cpu for _, cpu in results["afresh"])
    for case, runs in results.items():
        wall = statistics.median(wall for wall, _ in runs)
        cpu = statistics.median(cpu for _, cpu in runs)
        print(f"{case:7s} wall {wall:6.1f} s   CPU {cpu:6.1f} s   CPU ratio {cpu / reference:4.2f}")


if __name__ == "__main__":
    main()
