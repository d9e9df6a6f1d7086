"""Batch runs: several reports for several clients in parallel processes, with a summary table.

With ``scheduler`` the reports run on a Dask distributed cluster instead (:func:`run_on_cluster`): each
worker writes into a scratch folder of its own and sends the files back, so ``out`` need only exist here.
Client folders travel as paths (storage every worker reads, e.g. a network share mounted at the same
path) or, with ``upload``, as zipped copies; then whatever a run writes into the client folder comes
back too, and one client's reports run one after another so none of those writes is lost.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import pandas as pd

from ..errors import ReportError, check_option
from ..files import write_bytes
from ..kernels import share_with_children
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
          workers: int = 2, progress=print, scheduler: str | None = None, upload: bool = False,
          dry_run: bool = False) -> pd.DataFrame:
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
    scheduler
        A Dask scheduler's address (``tcp://host:8786``): run the reports on that cluster, not here.
    upload
        With ``scheduler``: send each client folder to the workers (zipped) instead of its path.
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
    jobs = [(report, str(path), str(Path(out) / Path(path).parent.name)) for path in paths for report in reports]
    rows = []
    if scheduler:
        rows = run_on_cluster(jobs, scheduler, upload=upload, progress=progress, dry_run=dry_run)
    elif workers <= 1:
        finished = (_run_one(*job, dry_run) for job in jobs)
        rows = _collect(finished, len(jobs), progress)
    else:
        if len(jobs) > 1:  # one warm-kernel server for every pool process, started before they fork
            share_with_children()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run_one, *job, dry_run) for job in jobs]
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


def run_on_cluster(jobs: list[tuple[str, str, str]], scheduler: str, *, upload: bool = False, progress=print,
                   connect_timeout: float = 30, dry_run: bool = False) -> list:
    """Run ``(report, client.yaml, out folder)`` jobs on a Dask cluster; the rows :func:`batch` tabulates."""
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=connect_timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise ReportError(f"No Dask scheduler answered at {scheduler} ({error}).",
                          fix="start one (dask scheduler, then dask worker ADDRESS on each machine) or check the "
                              "address; without --scheduler the reports run on this machine") from None
    with client:
        tasks = {}
        for folder, group in _by_client(jobs).items():  # one task per client: its reports in turn
            payload = _zipped(Path(folder)) if upload else None
            future = client.submit(_run_remote, [(report, client_yaml) for report, client_yaml, _ in group], payload,
                                   dry_run, pure=False)
            tasks[future] = (folder, group)
        rows, total = [], len(jobs)
        for future in as_completed(list(tasks)):
            folder, group = tasks[future]
            try:
                results, written_back = future.result()
            except Exception as error:  # a worker died or the task could not be sent
                results = [(report, client_yaml, "failed", 0.0, f"the cluster lost this run: {error}", {})
                           for report, client_yaml, _ in group]
                written_back = {}
            for name, data in written_back.items():
                write_bytes(data, Path(folder) / name)
            for (report, client_yaml, status, seconds, detail, files), (_, _, out) in zip(results, group):
                for name, data in files.items():
                    write_bytes(data, Path(out) / name)
                detail = str(Path(out) / f"{report}.html") if status == "ok" else \
                    detail.replace(_OUT, str(out)).replace(_CLIENT, folder)
                rows.append((report, client_yaml, status, seconds, detail))
                if progress:
                    progress(f"[{len(rows)}/{total}] {Path(client_yaml).parent.name} {report}: {status} "
                             f"({seconds:.1f} s)")
    return rows


_OUT, _CLIENT = "\x00out\x00", "\x00client\x00"


def _by_client(jobs) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for job in jobs:
        grouped.setdefault(str(Path(job[1]).parent), []).append(job)
    return grouped


def _zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def _in_own_thread(function, *arguments):
    """``function(*arguments)`` in a fresh thread: a Dask worker reuses its task threads, and an event loop a
    previous task (or the process) left in one stops the notebook runner's kernel client ("This event loop is
    already running"); a new thread starts without one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *arguments).result()


def _run_remote(jobs: list[tuple[str, str]], payload: bytes | None,
                dry_run: bool = False) -> tuple[list, dict[str, bytes]]:
    """On a worker: run one client's reports into a scratch folder; return the rows, the files and (uploaded
    clients) every file the runs added to or changed in the client folder."""
    with tempfile.TemporaryDirectory(prefix="tk-batch-") as scratch_name:
        scratch = Path(scratch_name)
        before: dict[str, bytes] = {}
        # An uploaded client is unpacked under its own folder name, as it is called at home.
        home = scratch / "clients" / Path(jobs[0][1]).parent.name
        if payload is not None:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                archive.extractall(home)
            before = _files(home)
        results: list[tuple] = []
        for number, (report, client_yaml) in enumerate(jobs):
            here = home / Path(client_yaml).name if payload is not None else Path(client_yaml)
            out = scratch / f"out-{number}"
            if not here.exists():
                results.append((report, client_yaml, "failed", 0.0, f"{client_yaml} is not on this worker "
                                f"({os.uname().nodename}): keep client folders on storage every worker reads at the "
                                "same path, or add --upload", {}))
                continue
            report_name, _, status, seconds, detail = _in_own_thread(_run_one, report, str(here), str(out), dry_run)
            # Paths in a message name the worker's scratch folders: say them as the folders they stand for.
            detail = detail.replace(str(out), _OUT).replace(str(home), _CLIENT)
            results.append((report_name, client_yaml, status, seconds, detail,
                            _files(out) if out.exists() else {}))
        after = _files(home) if payload is not None else {}
        changed = {name: data for name, data in after.items() if before.get(name) != data}
        return results, changed
