"""Batch runs: several reports for several clients in parallel processes, with a summary table."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import ReportError, check_option
from .runner import available_reports, run

__all__ = ["batch"]


def _run_one(report: str, client: str, out: str, dry_run: bool = False) -> tuple[str, str, str, float, str]:
    clock = time.perf_counter()
    try:
        result = run(report, client, out, dry_run=dry_run)
        return report, client, "ok", time.perf_counter() - clock, str(result.html)
    except Exception as error:  # one failure must not stop the others; the message says why
        return report, client, "failed", time.perf_counter() - clock, str(error)


def batch(clients: str | Path | Iterable[str | Path], reports: Iterable[str], out: str | Path, *,
          workers: int = 2, progress=print, dry_run: bool = False) -> pd.DataFrame:
    """Run several reports for several clients in parallel processes.

    Parameters
    ----------
    clients
        A folder of client folders (each with a client.yaml), or a list of client.yaml paths.
    reports
        Report names.
    out
        Each client's reports go to ``<out>/<client folder name>/``.
    workers
        Parallel processes (1 runs them one after another).
    progress
        Called with one line per finished report (``print`` by default; None for silence).
    dry_run
        Write the reports without adding them to the clients' release ledgers (drafts).

    Returns
    -------
    DataFrame
        client, report, status (ok | failed), seconds, detail (the HTML path or the error).
    """
    reports = list(reports)
    for report in reports:
        check_option("report", report, available_reports(), ReportError)
    if isinstance(clients, (str, Path)):
        folder = Path(clients)
        paths = sorted(folder.glob("*/client.yaml")) or ([folder / "client.yaml"] if (folder / "client.yaml").exists()
                                                        else [])
        if not paths:
            raise ReportError(f"No client folders with a client.yaml were found in {folder}.",
                              fix="point --clients at the folder that holds one folder per client", path=folder)
    else:
        paths = [Path(path) for path in clients]
    jobs = [(report, str(path), str(Path(out) / Path(path).parent.name), dry_run) for path in paths for report in reports]
    rows = []
    if workers <= 1:
        finished = (_run_one(*job) for job in jobs)
        rows = _collect(finished, len(jobs), progress)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run_one, *job) for job in jobs]
            rows = _collect((future.result() for future in as_completed(futures)), len(jobs), progress)
    table = pd.DataFrame(rows, columns=["report", "client", "status", "seconds", "detail"])
    table["client"] = [Path(path).parent.name for path in table["client"]]
    table["seconds"] = table["seconds"].round(1)
    return table.sort_values(["client", "report"], ignore_index=True)[["client", "report", "status", "seconds",
                                                                     "detail"]]


def _collect(finished, total: int, progress) -> list:
    rows = []
    for number, row in enumerate(finished, 1):
        rows.append(row)
        if progress:
            report, client, status, seconds, _ = row
            progress(f"[{number}/{total}] {Path(client).parent.name} {report}: {status} ({seconds:.1f} s)")
    return rows
