"""Report runs: seconds per report per client, and the speed-up of a parallel batch.

The reference is the same batch run with one worker in the same session, so the ratio
(one worker / N workers) is comparable across machines. A bare notebook (one cell that
imports toolkit) is timed too: the gap between it and a report is the report's own work,
the rest is kernel start-up.

Run: python benchmarks/reports.py [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat

from toolkit import reports

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ["northwind", "riverbank", "lumen"]


def bare_kernel_seconds() -> float:
    """papermill on a one-cell notebook: the fixed cost of any report."""
    import papermill

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bare.ipynb"
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import toolkit")])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, source)
        clock = time.perf_counter()
        papermill.execute_notebook(str(source), str(Path(folder) / "out.ipynb"), kernel_name=reports.ensure_kernel(),
                                   progress_bar=False)
        return time.perf_counter() - clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    names = reports.available_reports()
    print(f"reports: {', '.join(names)}; clients: {', '.join(CLIENTS)}")
    print(f"bare kernel + papermill: {bare_kernel_seconds():.1f} s")
    with tempfile.TemporaryDirectory() as out:
        for report in names:
            for client in CLIENTS:
                run = reports.run(report, ROOT / "sample_data" / client / "client.yaml", Path(out) / client)
                size = run.html.stat().st_size / 1e6
                print(f"{report:10s} {client:10s} {run.seconds:6.1f} s  {size:5.2f} MB")
        clients = [ROOT / "sample_data" / client / "client.yaml" for client in CLIENTS]
        timings = {}
        for workers in (1, arguments.workers):
            clock = time.perf_counter()
            table = reports.batch(clients, names, Path(out) / f"batch{workers}", workers=workers, progress=None)
            timings[workers] = time.perf_counter() - clock
            assert (table["status"] == "ok").all(), table
    jobs = len(names) * len(CLIENTS)
    print(f"batch of {jobs} reports: 1 worker {timings[1]:.1f} s, {arguments.workers} workers "
          f"{timings[arguments.workers]:.1f} s, speed-up x{timings[1] / timings[arguments.workers]:.2f}")


if __name__ == "__main__":
    main()
