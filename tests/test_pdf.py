"""PDF reports: the same HTML printed by the system Chromium, checked page by page with poppler.

pdftoppm turns each page into an image (the oracle for page count and blank pages); pdftotext
reads the page numbers and confirms the executive summary is on the first page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require_chromium

from toolkit import reports
from toolkit.errors import ReportError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
REPORTS = ("readiness", "matching", "health", "impact", "standards")


def _poppler() -> None:
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed; .ci/run installs it")


@pytest.fixture(scope="module")
def pdfs(sample_reports):
    require_chromium("the PDF tests")
    runs = sample_reports.many(("riverbank", report) for report in REPORTS)
    return {report: reports.to_pdf(run.html) for (_, report), run in runs.items()}


def _pages(pdf: Path, folder: Path) -> list[bytes]:
    """Each page as an 8-bit greyscale image (PGM), from pdftoppm."""
    subprocess.run(["pdftoppm", "-r", "24", "-gray", str(pdf), str(folder / "page")], check=True)
    return [path.read_bytes() for path in sorted(folder.glob("page-*.pgm"))]


def _ink(pgm: bytes) -> float:
    """Share of pixels that are not white, from a binary PGM (P5) image."""
    header, pixels, fields = 0, b"", []
    while len(fields) < 4:  # magic, width, height, maxval (comments skipped)
        end = pgm.index(b"\n", header)
        line = pgm[header:end].split(b"#")[0]
        fields += line.split()
        header = end + 1
    pixels = pgm[header:]
    return sum(1 for value in pixels if value < 235) / max(len(pixels), 1)


@pytest.mark.browser
@pytest.mark.parametrize("report", REPORTS)
def test_pdf_has_numbered_pages_none_blank_and_opens_with_the_executive_summary(pdfs, report, tmp_path):
    _poppler()
    pdf = pdfs[report]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 2, f"{report}: the executive page stands alone on page 1"
    blank = [number for number, page in enumerate(pages, 1) if _ink(page) < 0.002]
    assert blank == [], f"{report}: blank pages {blank}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    first = text.split("\f")[0]
    assert "Executive summary" in first and "What happened" in first and "What to do next" in first
    assert f"Page 1 of {len(pages)}" in first and f"Page {len(pages)} of {len(pages)}" in text
    assert "Technical appendix" in text and "Running HiGHS" not in text
    audience = reports.REPORTS[report]["audience"]
    assert f"For {audience}. Confidential." in first
    assert _half_empty_mid_section(pdf, pages, text) == []


def _filled(pgm: bytes) -> float:
    """How far down the page's printable area (A4, margins 16 mm top and 18 mm bottom) the ink reaches, 0-1."""
    header, fields = 0, []
    while len(fields) < 4:
        end = pgm.index(b"\n", header)
        fields += pgm[header:end].split(b"#")[0].split()
        header = end + 1
    width, height = int(fields[1]), int(fields[2])
    pixels = pgm[header:]
    top, bottom = round(height * 16 / 297), round(height * (297 - 18) / 297)
    inked = [row for row in range(top, bottom) if min(pixels[row * width:(row + 1) * width]) < 235]
    return (max(inked) - top) / (bottom - top) if inked else 0.0


def _half_empty_mid_section(pdf: Path, pages: list[bytes], text: str) -> list[int]:
    """Pages (not the last) whose ink stops above half the page although the next page does not start a section."""
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    headings = {re.sub(r"<[^>]+>|¶", "", found).strip() for found in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)}
    starts = [next((line.strip() for line in page.splitlines() if line.strip()), "") for page in text.split("\f")]
    return [number for number, page in enumerate(pages[:-1], 1)
            if _filled(page) < 0.5 and starts[number] not in headings]


@pytest.mark.browser
def test_the_northwind_matching_report_fits_in_ten_pages_for_leadership(sample_reports, tmp_path):
    """352 pairs: the pair list goes to the programme team's workbook, so leadership's PDF stays short."""
    require_chromium("the PDF tests")
    _poppler()
    done = sample_reports.get("northwind", "matching")
    pdf = reports.to_pdf(done.html)  # beside the shared HTML (only this test prints it)
    pages = _pages(pdf, tmp_path)
    assert len(pages) <= 10, f"{len(pages)} pages"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{len(pages)}\b", info)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _half_empty_mid_section(pdf, pages, text) == []
    assert "For leadership. Confidential." in text.split("\f")[0]
    assert "Margaux Lemoine" not in text and "matching_pairs.xlsx" in text  # no pair list; the appendix names the file
    assert (done.html.parent / "matching_pairs.xlsx").exists()


def test_a_missing_browser_says_how_to_fix_it(tmp_path, monkeypatch):
    page = tmp_path / "report.html"
    page.write_text("<html><body>hi</body></html>", encoding="utf-8")
    monkeypatch.setattr("toolkit.reports.pdf.find_chromium", lambda: None)
    with pytest.raises(ReportError, match="Chromium") as caught:
        reports.to_pdf(page)
    assert "apt-get install chromium" in str(caught.value)
    assert not page.with_suffix(".pdf").exists()
