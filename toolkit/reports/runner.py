"""Running one report: papermill in this environment's own kernel, then HTML and an atomic write.

:func:`run` executes a report notebook for one client, exports HTML with the code hidden,
appends the audit trail and writes the HTML and the executed notebook atomically: a failed
run never replaces a good report.

The partial notebook is executed in a scratch folder ``<out>/.<report>-XXXX/`` that is removed
on any exit (error, Ctrl-C, SIGTERM); one left behind by a killed run (SIGKILL, power cut) holds
participant names, so the next run in that folder removes every scratch folder whose owner is
gone. Ctrl-C ends the run with one line, not the kernel's ZMQError traceback: the kernel's own
log goes to a file beside its sockets, shown only when the kernel fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..client import load_client
from ..errors import ReportError, ToolkitError, check_option
from ..files import clean_text, output_folder, redact_paths, write_bytes
from ..kernels import kernel_command
from ..ledger import Ledger, release_outputs, strip_release_outputs
from ..resources import is_sample_client, notebooks_dir
from .audit import audit_markdown, audit_trail, strip_audit_outputs
from .export import export_html, external_references

if TYPE_CHECKING:
    from ..client import ClientConfig

__all__ = ["REPORTS", "DEMO_REPORTS", "KERNEL_NAME", "ReportRun", "available_reports", "run", "ensure_kernel",
           "local_kernel_manager", "execute_in_kernel", "KERNEL_START_SECONDS", "OUTPUT_WAIT_SECONDS"]

#: How long a kernel may take to start on a busy machine (papermill's and Voilà's default is 60 s).
KERNEL_START_SECONDS = 180
#: How long a finished cell's output may take to arrive. nbclient waits 4 s and then carries on without it:
#: on a busy machine a chart or a table was silently missing. Waiting costs nothing when output is on time
#: (the kernel says when a cell's output is complete); a report still missing output after this fails.
OUTPUT_WAIT_SECONDS = 60

KERNEL_NAME = "mentoring-toolkit"

# Each report: its title, who it is for (said on its first page), what it needs from client.yaml beyond the
# participants (checked before running) and, for some, a workbook the programme team gets beside it (the
# notebook writes it to the path the runner passes as ``team_file``; the appendix names it).
REPORTS: dict[str, dict[str, Any]] = {
    "readiness": {"title": "Programme readiness", "audience": "the programme team", "needs": ()},
    "matching": {"title": "Matches", "audience": "leadership", "needs": (), "team_file": "matching_pairs.xlsx"},
    "health": {"title": "Programme health (mid-programme)", "audience": "the programme team",
               "needs": ("meetings",)},
    "impact": {"title": "Programme impact", "audience": "leadership", "needs": ("surveys", "hr_outcomes")},
    "standards": {"title": "Standards evidence pack", "audience": "leadership and the programme's evaluator",
                  "needs": ()},
}
# How to give what a report needs, phrased as the client.yaml lines to add.
_NEEDS_HINT = {
    "meetings": "log meetings in collect/meeting_log.csv (new-client made it), then add to client.yaml: "
                "meetings: collect/meeting_log.csv",
    "hr_outcomes": "fill in collect/hr_outcomes.csv, then add to client.yaml: hr_outcomes: collect/hr_outcomes.csv",
    "surveys": "add the survey exports to client.yaml as a block: surveys: / end: / path: survey_end.csv / "
               "instrument: end_of_programme (one wave per key: baseline, pulses, midpoint, end; see the "
               "commented example in client.yaml)",
}
# The reports the demo command runs on the sample client.
DEMO_REPORTS = ("readiness", "matching", "health", "impact")


def available_reports() -> list[str]:
    """Reports whose notebook exists, in the order of :data:`REPORTS`."""
    return [name for name in REPORTS if (notebooks_dir() / "reports" / f"{name}.ipynb").exists()]


@dataclass
class ReportRun:
    """What :func:`run` wrote and how it went."""

    report: str
    client: str
    html: Path
    notebook: Path
    seconds: float
    audit: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<ReportRun {self.report} for {self.client}: {self.html} ({self.seconds:.1f} s)>"


def run(report: str, params: str | Path | Mapping[str, Any], out: str | Path, *, timeout: int = 900,
        dry_run: bool = False) -> ReportRun:
    """Execute a report notebook for one client and write ``<out>/<report>.html`` and ``.ipynb``.

    Parameters
    ----------
    report
        One of :func:`available_reports` (readiness, matching, health, impact).
    params
        The client's ``client.yaml`` (or its folder), or a dict of notebook parameters with
        a ``client`` key naming it plus any of the notebook's other parameters.
    out
        Folder for the report; created if needed.
    timeout
        Seconds any one cell may run.
    dry_run
        Decide against the client's release ledger but do not add this report to it (a draft that
        will not be sent). The bundled sample clients are never added to.

    Returns
    -------
    ReportRun
        Paths written, duration and the audit trail.

    Raises
    ------
    ReportError
        Naming the report, the failing cell and the error; the partial notebook is kept
        as ``<report>.failed.ipynb`` and any earlier good report is left untouched.
    ConfigError
        If the client.yaml is invalid (every problem listed).
    """
    check_option("report", report, available_reports(), ReportError)
    parameters = dict(params) if isinstance(params, Mapping) else {"client": str(params)}
    if "client" not in parameters:
        raise ReportError("The report parameters name no client.",
                          fix='pass the client.yaml path, or a dict with a "client" key')
    config = load_client(parameters["client"])
    parameters["client"] = str(config.path)
    missing = [key for key in REPORTS[report]["needs"] if not config.get(key)]
    if missing:
        fix = _NEEDS_HINT.get(missing[0], f"add {missing[0]}: with the path of that file to client.yaml")
        raise ReportError(f"The {report} report needs {', '.join(missing)} in {config.path.name}, which it does "
                          "not name.", fix=fix, path=config.path)
    out = output_folder(out)
    remove_stale_scratch(out)
    # A report sent to the client is a release: decided and added to the client's ledger one at a time.
    ledger = None if dry_run or is_sample_client(config.folder) else \
        Ledger.for_client(config.folder, config.privacy["min_group"])
    with ledger.lock() if ledger is not None else nullcontext():
        return _run_locked(report, config, parameters, out, timeout, ledger)


def _run_locked(report: str, config: ClientConfig, parameters: dict, out: Path, timeout: int,
                ledger: Ledger | None) -> ReportRun:
    import nbformat
    import papermill

    final_html, final_notebook = out / f"{report}.html", out / f"{report}.ipynb"
    failed_notebook = out / f"{report}.failed.ipynb"
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    with _terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix=f".{report}-", dir=out) as scratch, \
            tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        (Path(scratch) / _OWNER).write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8")
        executed_path = Path(scratch) / f"{report}.ipynb"
        team_file = REPORTS[report].get("team_file")
        if team_file:
            # absolute: the kernel runs in the notebooks' folder, and --out may be relative to the caller's
            parameters["team_file"] = str((Path(scratch) / team_file).resolve())
        kernel_log = Path(sockets) / "kernel.log"
        try:
            execute_in_kernel(notebooks_dir() / "reports" / f"{report}.ipynb", executed_path, parameters=parameters,
                              cwd=notebooks_dir(), timeout=timeout, sockets=sockets, report_mode=False)
        except papermill.PapermillExecutionError as error:
            if executed_path.exists():
                os.replace(executed_path, failed_notebook)
            if error.ename in _toolkit_error_names():
                # A mistake in the client's files, found while the report ran: the toolkit's own message
                # (file, row, column, value, fix) is the whole story; the notebook is for a toolkit bug.
                raise ReportError(f"The {report} report for {config.name} stopped on its input (the previous "
                                  f"report, if any, is unchanged): {_ANSI.sub('', str(error.evalue)).strip()}",
                                  path=config.path) from None
            raise ReportError(
                f"The {report} report for {config.name} failed in cell {error.exec_count} "
                f"({error.ename}: {_first_line(error.evalue)}).",
                fix=f"open {failed_notebook} to see the failing cell; the previous report (if any) is unchanged",
                path=config.path,
            ) from None
        except Exception as error:  # kernel died, timeout, ...
            if executed_path.exists():
                os.replace(executed_path, failed_notebook)
            detail = _last_line(kernel_log)
            raise ReportError(f"The {report} report for {config.name} could not run: {_first_line(str(error))}"
                              + (f" (kernel: {detail})" if detail else ""),
                              fix="check the environment (make install) and try again", path=config.path) from None
        notebook = nbformat.read(executed_path, as_version=4)
        released = release_outputs(notebook)
        strip_release_outputs(notebook)  # hidden counts and fingerprints never reach the report's files
        seconds = time.perf_counter() - clock
        audit = audit_trail(config, parameters, notebook=notebook, started=started, seconds=seconds)
        strip_audit_outputs(notebook)
        notebook.cells.append(nbformat.v4.new_markdown_cell(audit_markdown(audit)))
        # printed=False: no solver banner, warning or log line can reach a client report
        page = export_html(notebook, title=f"{REPORTS[report]['title']}: {config.name}", printed=False)
        found = external_references(page)
        if found:
            raise ReportError(f"The {report} report would load {len(found)} things from the internet "
                              f"(first: {found[0]}).", fix="report this as a toolkit bug; nothing was written")
        # The saved notebook names folders as the client knows them, never this machine's absolute paths.
        notebook = redact_paths(notebook, {str(config.folder): config.folder.name, scratch: ".",
                                           str(notebooks_dir()): "notebooks"})
        _atomic_write(final_notebook, nbformat.writes(notebook).encode("utf-8"))
        _atomic_write(final_html, clean_text(page).encode("utf-8"))  # no stray ESC/BEL from client text
        if team_file and Path(parameters["team_file"]).exists():
            os.replace(parameters["team_file"], out / team_file)  # same folder tree: an atomic rename
        if ledger is not None:
            ledger.append(released, source=f"{report} report")
    if failed_notebook.exists():
        failed_notebook.unlink()
    return ReportRun(report, config.name, final_html, final_notebook, time.perf_counter() - clock, audit)


_OWNER = ".owner"
# A scratch folder without an owner file is stale once it is this old (seconds): a run writes its
# owner file straight after creating the folder.
_UNOWNED_GRACE = 120


def remove_stale_scratch(out: Path) -> list[Path]:
    """Remove scratch folders ``.<report>-XXXX`` in ``out`` left by runs that are no longer running
    (killed with SIGKILL, or a power cut): they hold partial notebooks with participant names."""
    removed = []
    for folder in out.glob(".*-*"):
        if not folder.is_dir() or folder.name.split("-")[0][1:] not in REPORTS:
            continue
        if _owner_alive(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _owner_alive(folder: Path) -> bool:
    try:
        host, pid = (folder / _OWNER).read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        try:
            return time.time() - folder.stat().st_mtime < _UNOWNED_GRACE
        except OSError:
            return False
    if host != socket.gethostname():
        return True  # another machine on a shared drive: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` (scratch folders, kernels) runs."""


class _terminate_as_interrupt:
    """While a report runs in the main thread, SIGTERM unwinds like Ctrl-C instead of killing at once."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            def handler(signum, frame):
                raise _Terminated()
            self.previous = signal.signal(signal.SIGTERM, handler)
        return self

    def __exit__(self, *_exc_info: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _toolkit_error_names() -> set[str]:
    """The class names of ToolkitError and every subclass (as a kernel reports them in ``ename``)."""
    names, todo = set(), [ToolkitError]
    while todo:
        kind = todo.pop()
        names.add(kind.__name__)
        todo += kind.__subclasses__()
    return names


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return _first_line(lines[-1]) if lines else ""


def _first_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    return text.splitlines()[0] if text else ""


def _atomic_write(path: Path, data: bytes) -> None:
    write_bytes(data, path)  # atomic, with normal file permissions


def execute_in_kernel(source: str | Path, executed: str | Path, *, parameters: Mapping[str, Any], cwd: Path,
                      timeout: float | None, sockets: str, **options: Any) -> None:
    """Run the notebook ``source`` in this environment's kernel (papermill), writing it to ``executed``.

    The kernel talks over local sockets in ``sockets`` and writes its own log there
    (:func:`local_kernel_manager`); it may take :data:`KERNEL_START_SECONDS` to start and a cell's output
    :data:`OUTPUT_WAIT_SECONDS` to arrive. A cell that runs past ``timeout`` seconds, or whose output never
    arrives, stops the run with a :class:`~toolkit.errors.ReportError`; a failing cell raises papermill's
    ``PapermillExecutionError`` for the caller to explain.

    ``executed`` is written once, when the notebook has run or a cell has failed (then with the failing cell's
    error), not after every cell as papermill does by default: rewriting a report's notebook, charts and all,
    before and after each cell cost the parent process about two seconds of CPU per report.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError

    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=dict(parameters), kernel_name=ensure_kernel(), cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout, start_timeout=KERNEL_START_SECONDS,
            iopub_timeout=OUTPUT_WAIT_SECONDS, raise_on_iopub_timeout=True,
            kernel_manager_class=local_kernel_manager(sockets, Path(sockets) / "kernel.log"), **options)
    except CellTimeoutError as error:
        waited = "its output did not arrive" if "IOPub" in str(error) else f"it ran for more than {timeout} s"
        raise ReportError(f"{Path(source).stem} stopped in a cell: {waited}.",
                          fix="run it again when the machine is less busy; nothing was written") from None


def local_kernel_manager(socket_folder: str, log: Path | None = None):
    """A kernel manager that talks to the kernel over local IPC sockets rather than TCP, and writes
    the kernel's own log (stderr) to ``log`` rather than the user's terminal."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # IPC socket files live in the temporary folder, never in the user's working folder.
            kwargs.setdefault("ip", os.path.join(socket_folder, "kernel"))
            # a reply the kernel left unsent is woken, not waited for until the cell's time-out
            kwargs.setdefault("client_class", "toolkit.kernels.client.NudgingKernelClient")
            super().__init__(*args, **kwargs)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kernel_cmd = kernel_command(kernel_cmd)  # a warm kernel when this process starts several
            if log is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with open(log, "ab") as stream:  # the kernel process keeps its own copy of the handle
                kw["stderr"] = stream
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return LocalKernelManager


def ensure_kernel() -> str:
    """Install (once) a kernelspec for this interpreter inside its environment; return its name.

    A fresh ``.venv`` then runs reports in its own Python, whatever other kernels the
    machine has.
    """
    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Mentoring toolkit (Python)",
        "language": "python",
    }
    path = folder / "kernel.json"
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    if current != spec:
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, json.dumps(spec, indent=1).encode("utf-8"))
    return KERNEL_NAME
