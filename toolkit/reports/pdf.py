"""PDF: the same report HTML printed by the system Chromium, headless, with nothing fetched.

The page layout lives in the report's own print styles (``templates/reports/report.css``):
A4, a page break before each section, page numbers in the footer (CSS ``@page`` margin
boxes), and tables and charts never split across pages. This module only drives the
browser::

    tk.reports.to_pdf("reports/northwind/impact.html")   # writes reports/northwind/impact.pdf
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReportError

__all__ = ["to_pdf", "find_chromium"]

#: Chromium's headless shell first (Debian's ``chromium-headless-shell``, the build Playwright itself uses for
#: headless work): the same engine without the desktop browser's parts, so it starts and prints with less work.
_CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The system Chromium (``$CHROMIUM``, then the PATH: its headless shell before the browser, then
    /usr/bin/chromium), or None."""
    chosen = os.environ.get("CHROMIUM")
    if chosen and Path(chosen).exists():
        return chosen
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def to_pdf(html_path: str | Path, pdf_path: str | Path | None = None, *, timeout: int = 120) -> Path:
    """Print a report's HTML to PDF with headless Chromium; return the PDF's path.

    Parameters
    ----------
    html_path
        A report written by :func:`toolkit.reports.run`.
    pdf_path
        Where to write the PDF (default: beside the HTML, ``.pdf``). Written atomically: a
        failed print never replaces a good PDF.
    timeout
        Seconds the browser may take.

    Raises
    ------
    ReportError
        When no Chromium is installed or it fails, saying how to fix it.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    browser = find_chromium()
    if browser is None:
        raise ReportError("No Chromium browser was found to print the PDF.",
                          fix="install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM to its path; "
                              "the HTML report is unaffected", path=html_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{pdf_path.stem}.", suffix=".pdf", dir=pdf_path.parent)
    os.close(handle)
    try:
        with tempfile.TemporaryDirectory(prefix="tk-chromium-") as profile:
            command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                       "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                       "--disable-background-networking", f"--user-data-dir={profile}",
                       "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                       f"--print-to-pdf={temporary}", html_path.as_uri()]
            try:
                finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise ReportError(f"Chromium took more than {timeout} s to print {html_path.name}.",
                                  fix="try again, or raise the timeout", path=html_path) from None
        if finished.returncode != 0 or Path(temporary).stat().st_size == 0:
            detail = (finished.stderr or finished.stdout).strip().splitlines()
            raise ReportError(f"Chromium could not print {html_path.name} to PDF"
                              + (f" ({detail[-1]})" if detail else "") + ".",
                              fix="check that the system Chromium starts (chromium --headless --version)",
                              path=html_path)
        os.replace(temporary, pdf_path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return pdf_path
