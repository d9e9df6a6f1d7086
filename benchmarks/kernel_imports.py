"""Benchmark: what a kernel pays to import the chart library, with and without ``import toolkit`` first.

    python benchmarks/kernel_imports.py             # 7 fresh interpreters per case
    python benchmarks/kernel_imports.py --runs 15

Every report, studio page and course page the toolkit runs imports Altair in a fresh kernel. Altair imports
jsonschema, which imports every format checker installed; one of them (rfc3987-syntax, installed by Jupyter)
builds its grammar parsers as it is imported. ``import toolkit`` keeps that module out (toolkit/__init__.py).
Each case runs in its own fresh interpreter, alternating, and prints the median CPU and wall seconds:

- ``reference``: ``import altair`` alone (what any kernel that draws a chart pays without the toolkit);
- ``toolkit first``: ``import toolkit, altair`` (what the toolkit's kernels pay);
- ``first chart``: ``import toolkit``, then one small chart drawn to PNG, as the studio's warm-up does.

The ratio column is each case's median CPU over the reference's, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASES = {
    "reference": "import altair",
    "toolkit first": "import toolkit, altair",
    "first chart": ("import toolkit, altair as alt, pandas as pd\n"
                    "from toolkit.widgets._base import chart_png\n"
                    "chart_png(alt.Chart(pd.DataFrame({'x': [1.0]})).mark_point().encode(x='x:Q'), scale=1.0)"),
}
PROBE = ("import time\nstarted, cpu = time.perf_counter(), time.process_time()\n{code}\n"
         "import json, sys\nprint(json.dumps([time.process_time() - cpu, time.perf_counter() - started, "
         "sys.modules.get('rfc3987_syntax') is not None]))")


def measure(code: str) -> tuple[float, float, bool]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    cpu, wall, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return cpu, wall, loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    seen: dict[str, list[tuple[float, float, bool]]] = {name: [] for name in CASES}
    for _ in range(arguments.runs):
        for name, code in CASES.items():
            seen[name].append(measure(code))
    reference = statistics.median(cpu for cpu, _, _ in seen["reference"])
    print(f"{'case':<15} {'CPU s':>7} {'wall s':>7} {'ratio':>6}  rfc3987-syntax loaded")
    for name, runs in seen.items():
        cpu = statistics.median(run[0] for run in runs)
        wall = statistics.median(run[1] for run in runs)
        print(f"{name:<15} {cpu:7.2f} {wall:7.2f} {cpu / reference:6.2f}  {'yes' if runs[0][2] else 'no'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
