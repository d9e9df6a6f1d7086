"""Running the portfolio report: its notebook through papermill, then offline HTML written atomically.

The same machinery as a client's report (:mod:`toolkit.reports.runner`: this environment's kernel over
local sockets, the HTML export with nothing printed and nothing loaded from the internet), without a
client folder: the report reads one portfolio store. Its scratch notebook is written in a hidden folder
inside ``out`` (removed on any exit), the kernel's sockets in the system's temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import ReportError
from ..files import clean_text, output_folder, write_bytes
from ..reports.export import export_html, external_references
from ..reports.runner import execute_in_kernel
from ..resources import notebooks_dir
from .store import open_store

__all__ = ["run_portfolio_report", "PORTFOLIO_TITLE"]

PORTFOLIO_TITLE = "Portfolio of programmes"


def run_portfolio_report(store: str | Path, out: str | Path, *, client: str | Path | None = None,
                         timeout: int = 900) -> Path:
    """Write ``<out>/portfolio.html`` (and the executed ``portfolio.ipynb``) for a portfolio store.

    Parameters
    ----------
    store
        The portfolio's ``.duckdb`` file.
    out
        Folder for the report.
    client
        A client (folder or client.yaml) whose programme the report compares with the others.
    timeout
        Seconds any one cell may run.

    Raises
    ------
    ReportError
        Naming the failing cell; an earlier good report is left untouched.
    """
    import nbformat
    import papermill

    with open_store(store, create=False) as opened:  # a missing or foreign file stops here, not in a cell
        if not len(opened):
            raise ReportError(f"The portfolio {store} holds no programmes yet.",
                              fix="add some first: mentoring-toolkit portfolio build --clients FOLDER --store FILE")
    out = output_folder(out)
    parameters = {"store": str(Path(store).resolve()), "client": str(Path(client).resolve()) if client else ""}
    with tempfile.TemporaryDirectory(prefix=".portfolio-", dir=out) as scratch, \
            tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        executed = Path(scratch) / "portfolio.ipynb"
        try:
            execute_in_kernel(notebooks_dir() / "reports" / "portfolio.ipynb", executed, parameters=parameters,
                              cwd=notebooks_dir(), timeout=timeout, sockets=sockets)
        except papermill.PapermillExecutionError as error:
            raise ReportError(f"The portfolio report failed in cell {error.exec_count} ({error.ename}: "
                              f"{str(error.evalue).strip().splitlines()[0] if str(error.evalue).strip() else ''}).",
                              fix="the previous report, if any, is unchanged; run the notebook "
                                  "notebooks/reports/portfolio.ipynb by hand to see the cell") from None
        notebook = nbformat.read(executed, as_version=4)
    page = export_html(notebook, title=PORTFOLIO_TITLE, printed=False)
    found = external_references(page)
    if found:
        raise ReportError(f"The portfolio report would load {len(found)} things from the internet (first: "
                          f"{found[0]}).", fix="report this as a toolkit bug; nothing was written")
    write_bytes(nbformat.writes(notebook).encode("utf-8"), out / "portfolio.ipynb")
    write_bytes(clean_text(page).encode("utf-8"), out / "portfolio.html")
    return out / "portfolio.html"
