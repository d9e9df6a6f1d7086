"""Benchmark: time from ``mentoring-toolkit studio`` to a usable matching studio page, same run.

    python benchmarks/studio_startup.py                 # Riverbank (50 people)
    python benchmarks/studio_startup.py --client sample_data/northwind

Starts the command as a person would, then in headless system Chromium opens the printed
address and the matching studio page, and waits for the first solve's pairs table. Prints:

- ``address printed``: the command answered (Voilà listening);
- ``landing page``: the landing page's banner shown;
- ``usable page``: the matching studio's first pairs table shown (measured from the command);
- ``reference``: a fresh Python process that imports the toolkit, loads the client and solves
  the same match (the work the page's kernel cannot avoid), and the ratio of the two.

Needs Chromium (``chromium`` on the PATH) and Playwright's Python package.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ("import toolkit as tk; c = tk.load_client({client!r}); tk.match(c.roster(), c.design())")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default=str(ROOT / "sample_data" / "riverbank"))
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("No chromium on the PATH: nothing measured.")
        return 1
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        client = Path(scratch) / "client"
        shutil.copytree(Path(arguments.client), client)  # exports stay out of the sample folder
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "toolkit", "studio", "--client", str(client)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                   start_new_session=True)
        try:
            url = None
            while url is None:
                line = process.stdout.readline()
                if not line and process.poll() is not None:
                    print("The studio command stopped before printing an address.")
                    return 1
                found = re.search(r"open (http://\S+)", line)
                url = found.group(1) if found else None
            printed = time.monotonic() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.set_default_timeout(300_000)
                page.goto(url)
                page.wait_for_selector(".tk-studio-banner")
                landing = time.monotonic() - started
                page.goto(url.replace("index.ipynb", "matching_studio.ipynb"))
                page.wait_for_selector(".tk-pairs[data-solve='1'] table.tk-table tbody tr")
                usable = time.monotonic() - started
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        clock = time.monotonic()
        subprocess.run([sys.executable, "-c", REFERENCE.format(client=str(client))], env=env, check=True,
                       capture_output=True)
        reference = time.monotonic() - clock
    print(f"client: {Path(arguments.client).name}")
    print(f"address printed   {printed:6.1f} s")
    print(f"landing page      {landing:6.1f} s")
    print(f"usable page       {usable:6.1f} s  (matching studio, first solve shown)")
    print(f"reference         {reference:6.1f} s  (fresh process: import, load, solve the same match)")
    print(f"ratio usable / reference: {usable / reference:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
