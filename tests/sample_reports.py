"""The sample clients' reports, rendered once per test run and shared by every test module and xdist worker.

Rendering a report runs its notebook in a kernel (papermill) and takes seconds; three modules read the same
sample reports (test_reports, test_report_quality, test_pdf). Each (client, report) is rendered at most once
per run into one folder that every worker of the run sees, under a lock file of its own, so two workers
never render the same report and never read a half-written one. A worker first renders whatever no other
worker is rendering (two at a time, as ``reports.batch`` does), then waits for the rest. The tests only
read these files (test_pdf prints PDFs beside them).
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no sharing between workers, each renders into its own folder
    fcntl = None  # type: ignore[assignment]  # the module is optional; checked before use

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE_CLIENTS = ("northwind", "riverbank", "lumen")
REPORTS = ("readiness", "matching", "health", "impact", "standards")


class SampleReports:
    """Reports of the bundled sample clients, each rendered by :func:`toolkit.reports.run` once per folder.

    ``folder`` holds ``<client>/<report>.html`` (and ``.ipynb``, the matching report's workbook) as
    ``reports.run`` writes them, plus the :class:`~toolkit.reports.ReportRun` pickled beside them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, slug: str, report: str):
        """One report's ``ReportRun`` (rendered now unless this run already has it)."""
        return self.many([(slug, report)])[slug, report]

    def many(self, wanted: Iterable[tuple[str, str]]) -> dict:
        """``{(client, report): ReportRun}``; renders (two at a time) what no other worker is rendering, then
        waits for the rest."""
        wanted = list(dict.fromkeys(wanted))
        runs = {}
        with contextlib.ExitStack() as held:
            mine = [key for key in wanted if held.enter_context(self._lock(key, blocking=False))]
            runs.update({key: run for key in mine if (run := self._load(key)) is not None})
            runs.update(self._render([key for key in mine if key not in runs]))
        for key in wanted:
            if key not in runs:
                with self._lock(key, blocking=True):
                    runs[key] = self._load(key) or self._render([key])[key]
        return runs

    def _saved(self, key: tuple[str, str]) -> Path:
        slug, report = key
        return self.folder / slug / f"{report}.run.pickle"

    def _load(self, key: tuple[str, str]):
        saved = self._saved(key)
        return pickle.loads(saved.read_bytes()) if saved.exists() else None

    def _render(self, keys: list[tuple[str, str]]) -> dict:
        """Run the reports (in two processes when there are several, as ``reports.batch`` does) and save each."""
        from concurrent.futures import ProcessPoolExecutor

        from toolkit import kernels, reports

        jobs = {key: (key[1], SAMPLE_DATA / key[0] / "client.yaml", self.folder / key[0]) for key in keys}
        if len(keys) <= 1:
            runs = {key: reports.run(*job) for key, job in jobs.items()}
        else:
            kernels.share_with_children()  # as reports.batch does: the two processes fork kernels from one server
            with ProcessPoolExecutor(max_workers=2) as pool:
                futures = {key: pool.submit(reports.run, *job) for key, job in jobs.items()}
                runs = {key: future.result() for key, future in futures.items()}
        for key, run in runs.items():
            saved = self._saved(key)
            partial = saved.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(run))
            partial.replace(saved)  # a reader never sees half a pickle
        return runs

    @contextlib.contextmanager
    def _lock(self, key: tuple[str, str], *, blocking: bool) -> Iterator[bool]:
        """Hold ``key``'s lock file; yields False when ``blocking`` is off and another worker holds it."""
        if fcntl is None:
            yield True
            return
        slug, report = key
        with open(self.folder / f"{slug}-{report}.lock", "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
