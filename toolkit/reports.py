"""Client reports: parameterised notebooks run by papermill into self-contained HTML.

A report is a thin notebook in ``notebooks/reports/`` with one ``parameters`` cell.
:func:`run` executes it for one client in this environment's own kernel, exports HTML
with the code hidden, appends an audit trail (parameters, SHA-256 of every input file,
package versions, solver and status, run date and duration) and writes the HTML and the
executed notebook atomically: a failed run never replaces a good report::

    import toolkit as tk
    tk.reports.run("readiness", "sample_data/northwind/client.yaml", out="reports/northwind")

The HTML loads nothing from the internet: charts are embedded as images, the page
carries its own styles, and :func:`external_references` is checked before anything is
written. The helpers further down (``prepare``, ``readiness_summary``, ...) are what the
report notebooks call, so the notebooks hold no logic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from .client import ClientConfig, load_client
from .errors import ReportError, check_option
from .matching.readiness import readiness as compute_readiness
from .resources import notebooks_dir, templates_dir

__all__ = [
    "REPORTS",
    "ReportRun",
    "available_reports",
    "run",
    "batch",
    "audit_trail",
    "external_references",
    "input_files",
    "prepare",
    "ReportContext",
    "new_client",
]

KERNEL_NAME = "mentoring-toolkit"
AUDIT_MIME = "application/vnd.mentoring-toolkit.audit+json"

# What each report needs from client.yaml beyond the participants (checked before running).
REPORTS: dict[str, dict[str, Any]] = {
    "readiness": {"title": "Programme readiness", "needs": ()},
    "matching": {"title": "Proposed matches", "needs": ()},
    "health": {"title": "Programme health (mid-programme)", "needs": ("meetings",)},
    "impact": {"title": "Programme impact", "needs": ("surveys", "hr_outcomes")},
}
_KEY_PACKAGES = ("pandas", "numpy", "scipy", "PuLP", "highspy", "altair", "vl-convert-python", "papermill",
                 "nbconvert", "Jinja2")


def available_reports() -> list[str]:
    """Reports whose notebook exists, in the order of :data:`REPORTS`."""
    return [name for name in REPORTS if (notebooks_dir() / "reports" / f"{name}.ipynb").exists()]


# ------------------------------------------------------------------------------------------------
# Running one report
# ------------------------------------------------------------------------------------------------
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


def run(report: str, params: str | Path | Mapping[str, Any], out: str | Path, *, timeout: int = 900) -> ReportRun:
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
    import nbformat
    import papermill

    check_option("report", report, available_reports(), ReportError)
    parameters = dict(params) if isinstance(params, Mapping) else {"client": str(params)}
    if "client" not in parameters:
        raise ReportError("The report parameters name no client.",
                          fix='pass the client.yaml path, or a dict with a "client" key')
    config = load_client(parameters["client"])
    parameters["client"] = str(config.path)
    missing = [key for key in REPORTS[report]["needs"] if not config.get(key)]
    if missing:
        raise ReportError(f"The {report} report needs {', '.join(missing)} in {config.path.name}, which it does "
                          "not name.", fix=f"add {missing[0]}: with the path of that file to client.yaml",
                          path=config.path)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    final_html, final_notebook = out / f"{report}.html", out / f"{report}.ipynb"
    failed_notebook = out / f"{report}.failed.ipynb"
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f".{report}-", dir=out) as scratch, \
            tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        executed_path = Path(scratch) / f"{report}.ipynb"
        try:
            papermill.execute_notebook(
                str(notebooks_dir() / "reports" / f"{report}.ipynb"), str(executed_path), parameters=parameters,
                kernel_name=ensure_kernel(), cwd=str(notebooks_dir()), progress_bar=False, log_output=False,
                execution_timeout=timeout, report_mode=False, kernel_manager_class=_kernel_manager_class(sockets),
            )
        except papermill.PapermillExecutionError as error:
            if executed_path.exists():
                os.replace(executed_path, failed_notebook)
            raise ReportError(
                f"The {report} report for {config.name} failed in cell {error.exec_count} "
                f"({error.ename}: {_first_line(error.evalue)}).",
                fix=f"open {failed_notebook} to see the failing cell; the previous report (if any) is unchanged",
                path=config.path,
            ) from None
        except Exception as error:  # kernel died, timeout, ...
            if executed_path.exists():
                os.replace(executed_path, failed_notebook)
            raise ReportError(f"The {report} report for {config.name} could not run: {_first_line(str(error))}",
                              fix="check the environment (make install) and try again", path=config.path) from None
        notebook = nbformat.read(executed_path, as_version=4)
        seconds = time.perf_counter() - clock
        audit = audit_trail(config, parameters, notebook=notebook, started=started, seconds=seconds)
        _strip_audit_outputs(notebook)
        notebook.cells.append(nbformat.v4.new_markdown_cell(_audit_markdown(audit)))
        page = export_html(notebook, title=f"{REPORTS[report]['title']}: {config.name}")
        found = external_references(page)
        if found:
            raise ReportError(f"The {report} report would load {len(found)} things from the internet "
                              f"(first: {found[0]}).", fix="report this as a toolkit bug; nothing was written")
        _atomic_write(final_notebook, nbformat.writes(notebook).encode("utf-8"))
        _atomic_write(final_html, page.encode("utf-8"))
    if failed_notebook.exists():
        failed_notebook.unlink()
    return ReportRun(report, config.name, final_html, final_notebook, time.perf_counter() - clock, audit)


def _first_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    return text.splitlines()[0] if text else ""


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _kernel_manager_class(socket_folder: str):
    """A kernel manager that talks to the kernel over local IPC sockets rather than TCP."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # IPC socket files live in the temporary folder, never in the user's working folder.
            kwargs.setdefault("ip", os.path.join(socket_folder, "kernel"))
            super().__init__(*args, **kwargs)

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


# ------------------------------------------------------------------------------------------------
# HTML export
# ------------------------------------------------------------------------------------------------
_URL = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
                  r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)|@import\s+["']((?:https?:)?//[^"']+)""",
                  re.IGNORECASE)


def external_references(page: str) -> list[str]:
    """Every URL the page would fetch from the network (scripts, styles, images, fonts, frames)."""
    return [next(group for group in match.groups() if group) for match in _URL.finditer(page)]


def export_html(notebook, *, title: str) -> str:
    """The executed notebook as one self-contained HTML page with the code hidden."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="toolkit", extra_template_basedirs=[str(templates_dir() / "reports")])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    notebook.metadata["title"] = title
    page, _ = exporter.from_notebook_node(notebook, resources={"theme_css": (templates_dir() / "reports" / "report.css").read_text()})
    return page


# ------------------------------------------------------------------------------------------------
# Audit trail
# ------------------------------------------------------------------------------------------------
def input_files(config: ClientConfig) -> list[Path]:
    """client.yaml and every file it names, each once, in a stable order."""
    found: list[Path] = [config.path]

    def walk(value: Any) -> None:
        if isinstance(value, Path):
            if value not in found:
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(config.data)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_trail(config: ClientConfig, parameters: Mapping[str, Any], *, notebook=None,
                started: dt.datetime | None = None, seconds: float | None = None) -> dict:
    """How a report was made: parameters, input hashes, versions, solver facts, date, duration."""
    from . import __version__

    versions = {"mentoring-toolkit": __version__, "Python": sys.version.split()[0]}
    for package in _KEY_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    facts: dict[str, Any] = {}
    if notebook is not None:
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if AUDIT_MIME in data:
                    facts.update(data[AUDIT_MIME])
    root = config.folder
    return {
        "parameters": {key: (_relative(Path(value), root) if key == "client" else value)
                       for key, value in parameters.items()},
        "inputs": [{"file": _relative(path, root), "sha256": _sha256(path), "bytes": path.stat().st_size}
                   for path in input_files(config)],
        "versions": versions,
        "facts": facts,
        "run_at": (started or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "seconds": round(seconds, 1) if seconds is not None else None,
    }


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return path.name


def _strip_audit_outputs(notebook) -> None:
    for cell in notebook.cells:
        if cell.get("outputs"):
            cell["outputs"] = [output for output in cell["outputs"] if AUDIT_MIME not in output.get("data", {})]


def _audit_markdown(audit: dict) -> str:
    def cell(value: Any) -> str:
        return html.escape(str(value)).replace("|", "&#124;")

    lines = ["## Audit trail", "", "How this report was made, so that it can be reproduced and checked.", "",
             f"Run on {audit['run_at']} in {audit['seconds']} s.", "", "**Parameters**", "",
             "| parameter | value |", "| --- | --- |"]
    lines += [f"| {cell(key)} | {cell(value)} |" for key, value in audit["parameters"].items()]
    if audit["facts"]:
        lines += ["", "**Solver and results**", "", "| item | value |", "| --- | --- |"]
        lines += [f"| {cell(key)} | {cell(value)} |" for key, value in audit["facts"].items()]
    lines += ["", "**Input files** (SHA-256 fingerprints: any change to a file changes its fingerprint)", "",
              "| file | bytes | SHA-256 |", "| --- | ---: | --- |"]
    lines += [f"| {cell(item['file'])} | {item['bytes']:,} | `{item['sha256']}` |" for item in audit["inputs"]]
    lines += ["", "**Software**", "", "| package | version |", "| --- | --- |"]
    lines += [f"| {cell(name)} | {cell(version)} |" for name, version in audit["versions"].items()]
    return "\n".join(lines)


class _AuditNote:
    """Invisible output that hands facts (solver, status, ...) from a notebook to the audit trail."""

    def __init__(self, facts: Mapping[str, Any]) -> None:
        self.facts = {key: (value if isinstance(value, (int, float, bool)) else str(value))
                      for key, value in facts.items()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {AUDIT_MIME: self.facts, "text/plain": ""}


def record(**facts: Any) -> None:
    """From a report notebook: add facts (solver, status, objective, ...) to the audit trail."""
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - outside IPython there is no report to add to
        return
    display(_AuditNote(facts))


# ------------------------------------------------------------------------------------------------
# Batch over clients
# ------------------------------------------------------------------------------------------------
def _run_one(report: str, client: str, out: str) -> tuple[str, str, str, float, str]:
    clock = time.perf_counter()
    try:
        result = run(report, client, out)
        return report, client, "ok", time.perf_counter() - clock, str(result.html)
    except Exception as error:  # one failure must not stop the others; the message says why
        return report, client, "failed", time.perf_counter() - clock, str(error)


def batch(clients: str | Path | Iterable[str | Path], reports: Iterable[str], out: str | Path, *,
          workers: int = 2, progress=print) -> pd.DataFrame:
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


# ------------------------------------------------------------------------------------------------
# New client scaffold
# ------------------------------------------------------------------------------------------------
_CLIENT_TEMPLATE = """\
# {name}: a new client. Paths are relative to this file.
# Check it with: mentoring-toolkit validate --client {slug}/client.yaml
client: {name}
slug: {slug}
programme:
  template: formal          # formal | informal | peer | reverse | group | virtual
  name: {name} mentoring programme
  start_date: {start}
  end_date: {end}
participants:
- path: participants.csv    # the sign-up export, as the client sent it (CSV or Excel)
privacy:
  min_group: 5              # groups smaller than this are never shown in reports
  min_comments: 10
fairness_attributes: [department, site]
"""


def new_client(name: str, out: str | Path = ".") -> Path:
    """Create ``<out>/<slug>/`` with a commented client.yaml and a participants.csv header to fill in."""
    from .intake.schema import FIELDS

    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    if not slug:
        raise ReportError(f"{name!r} cannot be used as a client name.", fix="use letters or digits, e.g. acme")
    folder = Path(out) / slug
    if folder.exists():
        raise ReportError(f"{folder} already exists; nothing was changed.",
                          fix="choose another name, or delete or rename that folder first", path=folder)
    folder.mkdir(parents=True)
    today = dt.date.today()
    start = today.replace(day=1) + dt.timedelta(days=62)
    start = start.replace(day=1)
    end = (start + dt.timedelta(days=9 * 31)).replace(day=1) - dt.timedelta(days=1)
    (folder / "client.yaml").write_text(
        _CLIENT_TEMPLATE.format(name=name.strip(), slug=slug, start=start.isoformat(), end=end.isoformat()),
        encoding="utf-8")
    headers = [field.name for field in FIELDS if field.name in ("participant_id", "name", "email", "role",
                                                                  "department", "site", "seniority", "capacity",
                                                                  "skills_offered", "skills_sought")]
    (folder / "participants.csv").write_text(",".join(headers) + "\n", encoding="utf-8")
    return folder


# ------------------------------------------------------------------------------------------------
# What the report notebooks call (display-ready objects; the notebooks hold no logic)
# ------------------------------------------------------------------------------------------------
class Block:
    """A piece of report content: HTML in notebooks and reports, plain text elsewhere."""

    def __init__(self, html_text: str, text: str = "") -> None:
        self.html, self.text = html_text, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or re.sub(r"<[^>]+>", "", self.html)


def _table(frame: pd.DataFrame, **options) -> str:
    from .widgets._base import frame_html

    return frame_html(frame, **options)


def _bullets(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


@dataclass
class ReportContext:
    """One client's inputs, loaded once for a report notebook."""

    config: ClientConfig
    roster: Any
    design: Any
    _readiness: Any = None
    _match: Any = None

    @property
    def readiness(self):
        if self._readiness is None:
            self._readiness = compute_readiness(self.roster, self.design)
        return self._readiness

    @property
    def min_group(self) -> int:
        return int(self.config.privacy["min_group"])

    def title(self, report: str) -> Block:
        """The report's heading: report, client, programme and dates."""
        design = self.design
        dates = ""
        if getattr(design, "start_date", None):
            dates = f"{design.start_date:%d %B %Y}" + (f" to {design.end_date:%d %B %Y}"
                                                         if getattr(design, "end_date", None) else "")
        heading = (f'<header class="tk-report-head"><p class="tk-kicker">{html.escape(REPORTS[report]["title"])}'
                   f'</p><h1>{html.escape(self.config.name)}</h1><p class="tk-sub">{html.escape(design.name)}'
                   f"{' &middot; ' + html.escape(dates) if dates else ''}</p>"
                   f'<p class="tk-sub">Prepared {dt.date.today():%d %B %Y}. Confidential: for the programme team.'
                   "</p></header>")
        return Block(heading, f"{REPORTS[report]['title']}: {self.config.name}")


def prepare(client: str | Path) -> ReportContext:
    """Load a client for a report notebook and set charts to render offline as images."""
    import altair as alt

    alt.renderers.enable("png", scale_factor=2)
    config = load_client(client)
    context = ReportContext(config, config.roster(), config.design())
    record(client=config.name, programme=context.design.name, participants=len(context.roster))
    return context


# Readiness report -------------------------------------------------------------------------------
def readiness_verdict(context: ReportContext) -> tuple[str, list[str]]:
    """A one-line verdict and the facts behind it, computed from the readiness figures."""
    readiness = context.readiness
    overall = readiness.overall
    facts = []
    if readiness.shape == "circles":
        short = overall["circles_needed"] - overall["facilitators"]
        verdict = ("Ready to form circles." if short <= 0 else
                   f"Not yet ready: {short} more facilitator{'s are' if short != 1 else ' is'} needed.")
        facts.append(f"{overall['facilitators']} facilitators for {overall['demand']} circle members; "
                     f"{overall['circles_needed']} circles are needed at the maximum circle size.")
    elif readiness.shape == "peer_pairs":
        verdict = "Ready to pair." if overall["participants"] >= 2 else "Not ready: the pool is too small."
        facts.append(f"{overall['participants']} people in the peer pool.")
    else:
        shortfall = overall["demand"] - overall["places"]
        verdict = ("Ready to match: there are enough mentor places." if shortfall <= 0 else
                   f"Not yet ready: {shortfall} more mentor places are needed.")
        facts.append(f"{overall['places']} mentor places for {overall['demand']} mentees "
                     f"(coverage {overall['coverage']:.0%}).")
    at_risk = readiness.at_risk
    none = int((at_risk["eligible"] == 0).sum()) if len(at_risk) else 0
    if none:
        facts.append(f"{none} {'person has' if none == 1 else 'people have'} no eligible partner under the "
                     "programme's rules; the list below says why and what to change.")
    elif len(at_risk):
        facts.append(f"{len(at_risk)} {'person has' if len(at_risk) == 1 else 'people have'} few eligible "
                     "partners and should be watched.")
    else:
        facts.append("Everyone has several eligible partners.")
    skills = readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)]
    if len(scarce):
        top = scarce.sort_values(["coverage", "mentees"], ascending=[True, False]).iloc[0]
        facts.append(f"The scarcest skill is {top['skill']}: {top['mentees']} mentees want it and "
                     f"{top['mentors']} mentors offer it.")
    return verdict, facts


def readiness_summary(context: ReportContext) -> Block:
    """Executive summary: the verdict, the key facts and the plain-language summary."""
    verdict, facts = readiness_verdict(context)
    body = (f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{_bullets(facts)}'
            f"<p>{html.escape(context.readiness.summary())}</p></div>")
    return Block(body, verdict + "\n" + "\n".join(facts))


def design_section(context: ReportContext) -> Block:
    """The programme design: what it is, why, and the rules and criteria it uses."""
    design = context.design
    rationale = design.rationale
    parts = [f"<p>{html.escape(design.summary or '')}</p>"]
    if rationale is not None:
        parts.append(f"<p><strong>When this design fits:</strong> {html.escape(rationale.when_to_use)}</p>")
        parts.append("<p><strong>Benefits</strong></p>" + _bullets(rationale.benefits))
        parts.append("<p><strong>Challenges to plan for</strong></p>" + _bullets(rationale.challenges))
    criteria = pd.DataFrame([{"criterion": name.replace("_", " "), "weight": f"{design.criteria[name]:g}"}
                             for name in design.criteria if design.criteria[name]])
    if len(criteria):
        parts.append(_table(criteria, caption="Matching criteria and their weights (0 switches one off)"))
    return Block("".join(parts))


def intake_section(context: ReportContext) -> Block:
    """Who signed up: rows per file and people per role (no personal data)."""
    roster = context.roster
    roles = roster.participants["role"].value_counts().reindex(["mentor", "mentee", "both"], fill_value=0)
    table = pd.DataFrame({"role": roles.index, "people": roles.to_numpy()})
    return Block(_table(roster.intake_summary(), caption="Rows in each file the client sent")
                 + _table(table, caption="People by role"))


def segments_section(context: ReportContext, segment: str) -> Block:
    """Capacity against demand for one segment (department, site or skill), small groups merged."""
    check_option("segment", segment, list(context.readiness.segments), ReportError)
    table = context.readiness.segments[segment].copy()
    if segment == "skill":
        table = table[table["mentees"] > 0].head(15)
    table["coverage"] = [f"{value:.0%}" if value == value and value != float("inf") else "no demand"
                         for value in table["coverage"]]
    return Block(_table(table, caption=f"Mentor places and mentees by {segment}"))


def readiness_chart(context: ReportContext):
    """Mentor places against mentees by department (an Altair chart)."""
    from .widgets.cohort_setup import readiness_chart as chart

    return chart(context.readiness)


def at_risk_section(context: ReportContext) -> Block:
    """People likely to stay unmatched, with the reason and the suggested fix (names only, no contact data)."""
    at_risk = context.readiness.at_risk
    if not len(at_risk):
        return Block("<p>Nobody is at risk of staying unmatched under the programme's rules.</p>")
    shown = at_risk[["name", "eligible", "reason", "suggestion"]].rename(
        columns={"eligible": "eligible partners", "suggestion": "what would help"})
    return Block(_table(shown, caption=f"{len(at_risk)} people with no or few eligible partners"))


def methods(context: ReportContext, report: str) -> Block:
    """The methods appendix: how the figures were computed, stated for a reader who checks."""
    design = context.design
    import dataclasses

    active = [name.replace("exclude_", "no ").replace("_", " ")
              for name, value in dataclasses.asdict(design.rules).items() if value not in (None, False, 0)]
    lines = []
    if report == "matching" and context._match is not None:
        result = context._match
        lines += [
            f"Objective: {result.design.objective.replace('_', ' ')}. Each pair's score is the sum of weight x part "
            "over the criteria in the design section; every part is between 0 and 1, so the parts shown add up to "
            "the score.",
            f"Solved as a linear programme with PuLP and {result.certificate.solver}; {result.certificate}",
        ]
    if report in ("health", "impact"):
        lines += [
            "Survey answers were read from the survey tool's export, checked against each item's scale and given "
            "stable pseudonyms before analysis; no raw answers appear in this report.",
            "A construct score is the mean of a person's answered items when at least 75% of them were answered; "
            "reverse-worded items were turned round first.",
            "Change is measured on people who answered both surveys: mean change with a bootstrap 95% interval "
            "(2,000 resamples, fixed seed), d_z with Hedges' small-sample correction, the Wilcoxon signed-rank test "
            "with zero differences dropped, the matched-pairs rank-biserial correlation, and Holm's correction "
            "across constructs.",
            "Rates have Wilson intervals and differences Newcombe's hybrid score interval. Participants chose to "
            "join, so comparisons with non-participants show association, not cause.",
        ]
    lines += [
        "Participants were read from the client's own files; every row was loaded, merged (one person "
        "signing up twice or as both mentor and mentee) or set aside with a reason, as the intake table shows.",
        f"Mentor places are each mentor's stated capacity, {design.capacity.default} when none was given and "
        f"at most {design.capacity.max}; coverage is places divided by the places mentees need.",
        "Eligible partners are counted after the programme's hard rules"
        + (f" ({', '.join(active)})" if active else "") + "; a rule that lacks data on either side lets the "
        "pair through, and the missing data is reported.",
        f"No table in this report shows a group of fewer than {context.min_group} people's survey answers; "
        "names appear only where the programme team needs them to act, and no contact details appear.",
    ]
    return Block(_bullets(lines))


# Matching report --------------------------------------------------------------------------------
def match_result(context: ReportContext):
    """The optimal match for the client's roster and design (solved once per report)."""
    if context._match is None:
        from .matching.engine import match

        result = match(context.roster, context.design)
        context._match = result
        facts = {"solver status": result.status, "objective": round(float(result.objective), 4)}
        for key in ("solver", "certificate", "seconds"):
            value = getattr(result, key, None)
            if value is not None and not callable(value):
                facts[key] = value if isinstance(value, (int, float, str)) else str(value)
        record(**facts)
    return context._match


def _people(result) -> pd.DataFrame:
    """Everyone who could be matched in this result's shape, with their role in it."""
    participants = result.roster.participants
    if result.shape == "circles":
        return participants[["participant_id", "role"]]
    if result.shape == "peer_pairs":
        return participants[["participant_id", "role"]]
    return participants.loc[participants["role"].isin(["mentee", "both"]), ["participant_id", "role"]]


def matching_summary(context: ReportContext) -> Block:
    """Executive summary of the proposed match, computed from the result."""
    result = match_result(context)
    unmatched = result.unmatched
    status = {"optimal": "The match is certified optimal: no other assignment scores higher under the "
                         "stated objective and rules.",
              "time_limit": "The solver stopped at its time limit: the match is good but not proven best.",
              "infeasible": "No match satisfies every rule and requirement; see the unmatched list."}
    facts = []
    if result.shape == "circles":
        circles = result.circles
        members = circles[circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size()
        verdict = f"{sizes.size} circles formed for {len(members)} members."
        if len(sizes):
            facts.append(f"Circle sizes from {sizes.min()} to {sizes.max()} members, each with a facilitator.")
    else:
        pairs = result.pairs
        wanted = len(_people(result)) if result.shape != "peer_pairs" else len(result.roster)
        matched = len(pairs) if result.shape != "peer_pairs" else 2 * len(pairs)
        noun = "mentees" if result.shape == "one_to_one" else "people"
        verdict = f"{matched} of {wanted} {noun} matched ({matched / wanted:.0%})." if wanted else "Nobody to match."
        if len(pairs):
            facts.append(f"Pair scores range from {pairs['score'].min():.1f} to {pairs['score'].max():.1f} "
                         f"(median {pairs['score'].median():.1f}).")
    facts.append(status.get(result.status, f"Solver status: {result.status}."))
    spare = unmatched[unmatched["role"] == "facilitator"] if len(unmatched) else unmatched
    if len(spare):
        facts.append(f"{len(spare)} facilitator{'s are' if len(spare) != 1 else ' is'} not needed this time "
                     "(the members fit in fewer circles).")
        unmatched = unmatched[unmatched["role"] != "facilitator"]
    if len(unmatched):
        reasons = unmatched["reason"].map(lambda text: str(text).split(":")[0]).value_counts()
        top = "; ".join(f"{reason} ({count})" for reason, count in reasons.head(3).items())
        facts.append(f"{len(unmatched)} not matched; the main reasons: {top}.")
    else:
        facts.append("Everyone who needed a match is matched.")
    body = f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{_bullets(facts)}</div>'
    return Block(body, verdict + "\n" + "\n".join(facts))


def pairs_section(context: ReportContext, *, max_rows: int = 400) -> Block:
    """The proposed pairs (or circles) by name, with scores and what each pair has in common."""
    result = match_result(context)
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles.sort_values(["circle_id", "circle_role", "participant_id"])
        table = pd.DataFrame({
            "circle": circles["circle_id"].to_numpy(),
            "role": circles["circle_role"].to_numpy(),
            "name": [roster.display_name(person) for person in circles["participant_id"]],
        })
        return Block(_table(table, caption="Proposed circles", max_rows=max_rows))
    pairs = result.pairs.sort_values("score", ascending=False)
    criteria = [column for column in pairs.columns if column not in ("mentee_id", "mentor_id", "score")
                and pd.api.types.is_numeric_dtype(pairs[column])]
    first, second = ("mentee", "mentor") if result.shape == "one_to_one" else ("person", "partner")
    table = pd.DataFrame({
        first: [roster.display_name(person) for person in pairs["mentee_id"]],
        second: [roster.display_name(person) for person in pairs["mentor_id"]],
        "score": pairs["score"].round(2).to_numpy(),
        "strongest reasons": [", ".join(name.replace("_", " ") for name in
                                        row[criteria].astype(float).nlargest(2).index if row[name] > 0)
                              for _, row in pairs.iterrows()] if criteria else "",
    })
    return Block(_table(table, caption=f"{len(table)} proposed pairs, best first", max_rows=max_rows))


def match_quality_chart(context: ReportContext):
    """Distribution of pair scores and average points per criterion (an Altair chart; circles: circle sizes)."""
    import altair as alt

    from .widgets.matching_studio import match_quality_chart as chart

    result = match_result(context)
    if result.shape == "circles":
        members = result.circles[result.circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size().rename("members").reset_index()
        return (alt.Chart(sizes, title="Members per circle").mark_bar(color="#1c7ed6")
                .encode(x=alt.X("circle_id:N", title="circle"), y=alt.Y("members:Q", title="members"))
                .properties(width=420, height=200))
    return chart(result) or Block("<p>No pairs to chart.</p>")


def fairness_section(context: ReportContext) -> Block:
    """Match rate and mean score by each fairness attribute; small groups suppressed."""
    from .matching.audits import fairness_audit

    attributes = [name for name in (context.config.get("fairness_attributes") or context.design.fairness.attributes)
                  if name in context.roster.participants.columns]
    audit = fairness_audit(match_result(context), attributes, min_group=context.min_group)
    return Block(_table(audit, caption=f"Match rate and mean pair score by group (groups under {context.min_group} "
                                       "people are not shown)"))


def stability_section(context: ReportContext) -> Block:
    """Blocking pairs of the optimal match, and what a stable match would cost (one-to-one only)."""
    from .matching.audits import stability_audit

    result = match_result(context)
    if result.shape != "one_to_one":
        return Block("<p>Stability applies to one-to-one matching with preferences on both sides; it does not "
                     "apply to this programme's shape.</p>")
    audit = stability_audit(result)
    text = (f"{len(audit['blocking_pairs'])} mentee-mentor pairs would both rather be with each other than with "
            f"the partner the optimal match gives them. A stable match (mentee-proposing deferred acceptance) "
            f"removes all such pairs but scores {audit['stable_total']:.1f} instead of {audit['optimal_total']:.1f} "
            f"(a cost of {audit['score_given_up']:.1f} points, {audit['score_given_up'] / max(audit['optimal_total'], 1e-9):.1%}) "
            f"and matches {audit['matched_stable']} mentees instead of {audit['matched_optimal']}. Mentees rank by their stated "
            "choices, then by score; mentors rank by score.")
    return Block(f"<p>{html.escape(text)}</p>", text)


def unmatched_section(context: ReportContext) -> Block:
    """Everyone not matched, with the reason and what would fix it (names only)."""
    result = match_result(context)
    unmatched = result.unmatched
    if not len(unmatched):
        return Block("<p>Everyone is matched.</p>")
    table = pd.DataFrame({
        "name": [result.roster.display_name(person) for person in unmatched["participant_id"]],
        "role": unmatched["role"].to_numpy(),
        "why not matched": unmatched["reason"].to_numpy(),
        "what would help": unmatched["suggestion"].to_numpy(),
    })
    return Block(_table(table, caption=f"{len(table)} people not matched"))


def recruiting_advice(context: ReportContext) -> Block:
    """Who to recruit next: scarce skills and the fixes the unmatched list asks for most."""
    advice = []
    skills = context.readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)].sort_values("coverage").head(3)
    for row in scarce.itertuples():
        advice.append(f"Recruit mentors who offer {row.skill}: {row.mentees} mentees want it and "
                      f"{row.mentors} mentors offer it.")
    result = match_result(context)
    if result.shape == "one_to_one":
        places = result.recruiting_advice(top=3)
        for row in places.itertuples():
            advice.append(f"One more place with {row.name} ({row.department}; offers {row.skills_offered}) or a mentor "
                          f"like them would raise the programme's total score by {row.value_of_one_more_place:.1f} "
                          "(from the optimiser's dual prices).")
    if len(result.unmatched):
        for suggestion, count in result.unmatched["suggestion"].value_counts().head(3).items():
            advice.append(f"{suggestion[:1].upper()}{suggestion[1:]} ({count} {'person' if count == 1 else 'people'}).")
    if not advice:
        advice.append("No recruiting is needed for this cohort: every skill asked for by three or more mentees "
                      "is offered, and everyone is matched.")
    return Block(_bullets(advice))


# Health and impact reports ---------------------------------------------------------------------
def _unit(context: ReportContext) -> str:
    return "circles" if context.design.shape == "circles" else "pairs"


def _survey(context: ReportContext, wave: str):
    from .measure.survey import load_survey

    entry = context.config.survey(wave)
    if not entry:
        return None
    return load_survey(entry["path"], instrument=entry["instrument"], roster=context.roster)


def _suppressed(table: pd.DataFrame, context: ReportContext, column: str = "n") -> pd.DataFrame:
    """Rows describing fewer people than the anonymity threshold are removed (and counted).

    Constructs are separate measures, not parts of one total, so no complementary suppression here.
    """
    from .privacy import suppress

    return suppress(table, column, context.min_group, complementary=False)


def health_summary(context: ReportContext) -> Block:
    """Mid-programme executive summary: activity, at-risk units, pulse and goals, from the numbers."""
    from .measure import engagement

    activity = engagement.activity(context.config)
    running = activity[~activity["status"].isin(["ended_early"])]
    active = float(running["active_30_days"].mean()) if len(running) else float("nan")
    risk = engagement.at_risk(context.config)
    unit = _unit(context)
    verdict = (f"{active:.0%} of {unit} met in the 30 days to {activity.attrs['as_of']:%d %B %Y}."
               if active == active else "No meetings have been logged yet.")
    facts = [f"{len(risk)} {unit} need attention (see the at-risk list).",
             f"{int(activity['meetings'].sum())} meetings logged, {activity['minutes'].sum() / 60:.0f} hours in all."]
    progress = goal_progress_table(context, raw=True)
    if progress is not None:
        facts.append(f"{progress.attainment_rate:.0%} of goals achieved so far; {len(progress.stalled)} goals "
                     "have stalled.")
    return Block(f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{_bullets(facts)}</div>',
                 verdict)


def funnel_section(context: ReportContext) -> Block:
    from .measure import engagement

    return Block(_table(engagement.funnel(context.config), caption="From eligible to completed"))


def funnel_chart(context: ReportContext):
    from . import charts
    from .measure import engagement

    return charts.funnel_chart(engagement.funnel(context.config))


def activity_chart(context: ReportContext):
    from . import charts
    from .measure import engagement

    return charts.monthly_chart(engagement.monthly_meetings(context.config), _unit(context))


def at_risk_units(context: ReportContext) -> Block:
    from .measure import engagement

    risk = engagement.at_risk(context.config)
    if not len(risk):
        return Block(f"<p>No {_unit(context)} need attention.</p>")
    return Block(_table(risk, caption=f"{len(risk)} {_unit(context)} that need attention"))


def pulse_section(context: ReportContext) -> Block:
    """The latest pulse: mean score per construct, groups under the threshold hidden."""
    from .measure.survey import load_survey, scale_scores

    pulses = (context.config.get("surveys") or {}).get("pulses") or []
    if not pulses:
        return Block("<p>No pulse surveys were run.</p>")
    entry = pulses[-1]
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    scores = scale_scores(survey)
    rows = [{"construct": survey.instrument.label(name), "n": int(scores[name].notna().sum()),
             "mean (1-5)": round(float(scores[name].mean()), 2)} for name in survey.instrument.scored_constructs()
            if name in scores]
    table = _suppressed(pd.DataFrame(rows), context)
    return Block(_table(table, caption=f"Latest pulse ({Path(entry['path']).stem}): {len(survey)} responses"))


def goal_progress_table(context: ReportContext, raw: bool = False):
    """Goal progress per pair or circle place (names, no contact details)."""
    from .goals.progress import goal_progress

    if not context.config.get("goal_checkins"):
        return None if raw else Block("<p>No goal check-ins were recorded.</p>")
    progress = goal_progress(context.config.get("goal_checkins"), programme_start=context.design.start_date,
                             programme_end=context.design.planned_end_date)
    if raw:
        return progress
    stalled = progress.stalled.head(25)
    keep = [column for column in ("goal", "theme", "status", "percent_complete", "stalled_reason")
            if column in stalled.columns]
    return Block(f"<p>{html.escape(progress.summary())}</p>"
                 + _table(stalled[keep], caption="Stalled goals (first 25)"))


def impact_summary(context: ReportContext) -> Block:
    """End-of-programme executive summary: change, NPS, retention and ROI, from the numbers."""
    from .measure import impact
    from .measure.survey import nps, pre_post

    facts = []
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    verdict = "Impact at the end of the programme."
    if baseline is not None and end is not None:
        table = _suppressed(pre_post(baseline, end), context)
        better = table[(table["p_holm"] < 0.05) & (table["mean_change"] > 0) & table["higher_is_better"].astype(bool)]
        if len(better):
            verdict = ("Participants improved on " + ", ".join(better["label"].str.lower()) +
                       " (significant after Holm's correction).")
        else:
            verdict = "No construct changed significantly after Holm's correction; see the intervals below."
        if "NPS" in end.responses:
            score = nps(end.responses["NPS"])
            facts.append(f"Net Promoter Score {score.score:+.0f} (95% interval {score.ci_low:+.0f} to "
                         f"{score.ci_high:+.0f}, {score.n} answers).")
    if context.config.get("hr_outcomes"):
        outcomes = impact.outcomes(context.config)
        retained = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "participant")].iloc[0]
        facts.append(f"Retention {retained['rate']:.0%} among participants, {retained['difference'] * 100:+.0f} "
                     f"points against the comparison group (95% interval {retained['difference_low'] * 100:+.0f} to "
                     f"{retained['difference_high'] * 100:+.0f}); an association, not proof of cause.")
        if context.config.get("roi"):
            roi = impact.roi(context.config, outcomes_table=outcomes).set_index("item")["value"]
            facts.append(f"Return on investment {roi['ROI %']:.0f}% on the stated assumptions (benefit-cost ratio "
                         f"{roi['benefit-cost ratio']:.2f}).")
    return Block(f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{_bullets(facts)}</div>',
                 verdict)


def pre_post_section(context: ReportContext) -> Block:
    from .measure.survey import pre_post

    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return Block("<p>Baseline and end-of-programme surveys are both needed for this section.</p>")
    table = _suppressed(pre_post(baseline, end), context)
    shown = pd.DataFrame({
        "construct": table["label"], "people (both surveys)": table["n"],
        "before": table["mean_pre"].round(2), "after": table["mean_post"].round(2),
        "change (95% CI)": [f"{row.mean_change:+.2f} ({row.ci_low:+.2f} to {row.ci_high:+.2f})"
                            for row in table.itertuples()],
        "d_z": table["d_z_corrected"].round(2), "rank-biserial r": table["rank_biserial"].round(2),
        "improved / same / declined": [f"{row.improved:.0%} / {row.same:.0%} / {row.declined:.0%}"
                                       for row in table.itertuples()],
        "p (Holm)": [f"{value:.3f}" if value >= 0.001 else "<0.001" for value in table["p_holm"]],
    })
    note = f" {table.attrs['hidden']} constructs with fewer than {context.min_group} people are not shown." \
        if table.attrs.get("hidden") else ""
    return Block(_table(shown, caption="Change from baseline to end, people who answered both") +
                 f'<p class="tk-note">{html.escape(note)}</p>')


def pre_post_chart(context: ReportContext):
    from . import charts
    from .measure.survey import pre_post

    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return Block("")
    return charts.change_chart(_suppressed(pre_post(baseline, end), context))


def reliability_section(context: ReportContext) -> Block:
    from .measure.survey import reliability

    end = _survey(context, "end")
    if end is None:
        return Block("")
    table = _suppressed(reliability(end), context)
    shown = pd.DataFrame({"construct": table["label"], "items": table["items"], "complete answers": table["n"],
                          "alpha (95% CI)": [f"{row.alpha:.2f} ({row.ci_low:.2f} to {row.ci_high:.2f})"
                                             for row in table.itertuples()],
                          "mean inter-item r": table["mean_inter_item_r"].round(2)})
    return Block(_table(shown, caption="Reliability of each scale (end-of-programme survey)"))


def outcomes_section(context: ReportContext) -> Block:
    from .measure import impact

    if not context.config.get("hr_outcomes"):
        return Block("<p>No HR outcome extract was provided.</p>")
    table = impact.outcomes(context.config)
    shown = pd.DataFrame({
        "outcome": table["outcome"], "group": table["group"], "people": table["people"],
        "rate (95% CI)": [f"{row.rate:.0%} ({row.ci_low:.0%} to {row.ci_high:.0%})" for row in table.itertuples()],
        "difference (95% CI)": ["" if row.difference is None or row.difference != row.difference else
                                f"{row.difference * 100:+.1f} points ({row.difference_low * 100:+.1f} to "
                                f"{row.difference_high * 100:+.1f})" for row in table.itertuples()],
    })
    return Block(_table(shown, caption="Participants against the comparison group")
                 + f'<p class="tk-note">{html.escape(impact.SELECTION_CAVEAT)}</p>')


def outcomes_chart(context: ReportContext):
    from . import charts
    from .measure import impact

    if not context.config.get("hr_outcomes"):
        return Block("")
    return charts.outcomes_chart(impact.outcomes(context.config))


def relationship_chart(context: ReportContext):
    """Answers to the relationship-quality items at the end, as diverging bars (small items hidden)."""
    from . import charts
    from .measure.survey import likert_shares

    end = _survey(context, "end")
    if end is None:
        return Block("")
    shares = likert_shares(end, "relationship_quality", min_group=context.min_group)
    if shares.empty:
        return Block(f"<p>Fewer than {context.min_group} people answered these items.</p>")
    return charts.likert_chart(shares, "Relationship quality at the end of the programme")


def nps_chart(context: ReportContext):
    from . import charts
    from .measure.survey import nps

    end = _survey(context, "end")
    if end is None or "NPS" not in end.responses:
        return Block("")
    result = nps(end.responses["NPS"])
    if result.n < context.min_group:
        return Block(f"<p>Fewer than {context.min_group} people answered the recommendation question.</p>")
    return charts.nps_chart(result)


def comments_section(context: ReportContext) -> Block:
    """Themes in the open comments (counts only; no quotes), hidden below privacy.min_comments."""
    from .measure.comments import comment_themes

    end = _survey(context, "end")
    if end is None:
        return Block("")
    minimum = int(context.config.privacy["min_comments"])
    themes = comment_themes(end, min_comments=minimum)
    if themes.attrs.get("suppressed"):
        return Block(f"<p>Fewer than {minimum} people left comments, so themes are not shown.</p>")
    from .measure.comments import comment_sentiment

    shown = themes.assign(share=[f"{value:.0%}" for value in themes["share"]])
    tone = comment_sentiment(end, min_comments=minimum)
    tone = tone.assign(share=[f"{value:.0%}" for value in tone["share"]])
    return Block(_table(shown, caption=f"Themes in {themes.attrs['total']} open comments (a comment can touch "
                                       "several themes; keywords in templates/comments/codebook.yaml)")
                 + _table(tone, caption="Tone of the comments (VADER sentiment lexicon; a rough guide only)"))


def roi_section(context: ReportContext) -> Block:
    from .measure import impact

    if not context.config.get("roi") or not context.config.get("hr_outcomes"):
        return Block("<p>No ROI assumptions were given (client.yaml roi: section).</p>")
    table = impact.roi(context.config)
    return Block(_table(table, caption="Return on investment: every assumption and step")
                 + f'<p class="tk-note">{html.escape(impact.SELECTION_CAVEAT)}</p>')




DEMO_REPORTS = ("readiness", "matching", "health", "impact")
