"""Benchmark: how long each studio page takes to show its first widgets, cold and warm, in a real browser.

    python benchmarks/studio_pages.py                          # Northwind (492 people)
    python benchmarks/studio_pages.py --client sample_data/riverbank --rounds 3

Starts the studio's Voilà server (:class:`toolkit.studio.StudioServer`) on a copy of the client, adds one
page of its own to the site (``bare.ipynb``: one cell printing a line, no toolkit import), then opens every
page in headless system Chromium and times from the address being asked for to the page's first widget
drawn (an app's first button or dropdown; the landing page's first app card; the bare page's line):

- ``cold``: each page once, straight after the server answers (kernels may still be starting);
- ``warm``: after ``--settle`` seconds of quiet, each page ``--rounds`` times (a fresh browser tab each time,
  as a person opening the app again later in the session); the median and the slowest are printed.

The reference is the bare Voilà page measured in the same run, cold and warm: what any Voilà page costs
on this machine whatever the toolkit does. The ratio column is a page's warm median over the bare page's.
The machine's load average (1 minute) before and after the run is printed too: on a shared machine the
seconds follow the load, the ratios much less.
Needs Chromium (``chromium`` on the PATH) and Playwright's Python package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BARE = "bare"
# What "shown" means per page: the first widget a person can use (or read, on the landing page).
FIRST_WIDGET = ".jupyter-widgets button, .jupyter-widgets select"
SHOWN = {"index": ".tk-studio-app", BARE: ".tk-bare"}


def bare_page(folder: Path, kernel: str) -> None:
    """The reference page: Voilà and a kernel, nothing of the toolkit."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "from IPython.display import HTML\nHTML(\"<p class='tk-bare'>A bare Voila page.</p>\")")]
    notebook.metadata["kernelspec"] = {"name": kernel, "display_name": "Python", "language": "python"}
    nbformat.write(notebook, folder / f"{BARE}.ipynb")


def time_page(browser, url: str, selector: str, timeout_s: float) -> float:
    """Seconds from asking for ``url`` in a fresh tab to ``selector`` being visible; the tab is closed after."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    try:
        started = time.monotonic()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(selector, state="visible")
        return time.monotonic() - started
    finally:
        context.close()  # Voilà shuts the page's kernel down when the page goes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default=str(ROOT / "sample_data" / "northwind"))
    parser.add_argument("--rounds", type=int, default=2, help="warm visits of each page (default 2)")
    parser.add_argument("--settle", type=float, default=30.0,
                        help="seconds of quiet between the cold and the warm visits (default 30)")
    parser.add_argument("--timeout", type=float, default=180.0, help="give up on a page after this many seconds")
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from toolkit.reports.runner import ensure_kernel
    from toolkit.studio import StudioServer

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("No chromium on the PATH: nothing measured.")
        return 1
    load_before = os.getloadavg()[0]
    cold: dict[str, float] = {}
    warm: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        client = Path(scratch) / "client"
        shutil.copytree(Path(arguments.client), client)  # whatever the apps save stays out of the sample
        started = time.monotonic()
        server = StudioServer(client)
        bare_page(server.site.folder, ensure_kernel())
        pages = [BARE, *server.site.pages]
        with server, sync_playwright() as playwright:
            answered = time.monotonic() - started
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                for name in pages:
                    cold[name] = time_page(browser, server.page_url(name), SHOWN.get(name, FIRST_WIDGET),
                                           arguments.timeout)
                time.sleep(arguments.settle)
                for _ in range(arguments.rounds):
                    for name in pages:
                        warm.setdefault(name, []).append(
                            time_page(browser, server.page_url(name), SHOWN.get(name, FIRST_WIDGET),
                                      arguments.timeout))
                        time.sleep(arguments.settle / 4)  # a person reads a page before opening the next
            finally:
                browser.close()
    reference = statistics.median(warm[BARE])
    print(f"client: {Path(arguments.client).name}; server answered after {answered:.1f} s; "
          f"warm = {arguments.rounds} visits after {arguments.settle:.0f} s of quiet")
    print(f"{'page':<18}{'cold s':>8}{'warm median s':>15}{'warm slowest s':>16}{'warm / bare':>13}")
    for name in pages:
        median = statistics.median(warm[name])
        print(f"{name:<18}{cold[name]:>8.1f}{median:>15.1f}{max(warm[name]):>16.1f}{median / reference:>13.1f}")
    print(f"reference: the bare Voila page ({BARE}), warm median {reference:.1f} s, in the same run")
    print(f"load average (1 min, {os.cpu_count()} cores): {load_before:.1f} before the run, "
          f"{os.getloadavg()[0]:.1f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
