"""End to end in a real browser: JupyterLab + headless system Chromium run the matching studio.

JupyterLab is started on a free localhost port with a random token, in a temporary
folder holding a copy of ``notebooks/03_matching_studio.ipynb`` (pointed at the small
Riverbank sample client). Chromium, driven by Playwright's Python package, opens it,
runs all cells, drags the "skills" weight slider to zero and waits for the pairs table
to be re-rendered by a new solve with different content. A screenshot is saved to
``test-artifacts/matching_studio.png``. Every request the browser makes is recorded: none may go
to a host other than the local server, and the buttons' icons draw from JupyterLab's own font.

Playwright never downloads a browser here: it drives the system Chromium
(``chromium`` or ``chromium-browser`` on the PATH). Without one the test skips with a
notice, except under CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from conftest import (
    RequestLog,
    assert_icons_draw,
    drag_slider_to_zero,
    require_chromium,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_matching_studio.ipynb"
CLIENT = ROOT / "sample_data" / "riverbank"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
SERVER_START_SECONDS = 90  # a generous bound on a loaded 2-core machine; not a speed assertion
STEP_SECONDS = 120

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare_notebook(folder: Path) -> Path:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = f"client_path = {str(CLIENT)!r}"
    target = folder / NOTEBOOK.name
    nbformat.write(notebook, target)
    return target


@pytest.fixture
def chromium() -> str:
    """The system Chromium (checked before anything is started)."""
    return require_chromium("the real-browser test of the matching studio")


@pytest.fixture
def jupyter_lab(tmp_path, chromium):
    """A JupyterLab server in tmp_path on a free port; yields (base url, token)."""
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "HOME": str(home),
    }
    # No "Jupyter news?" pop-up over the screenshot.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    _prepare_notebook(work)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
        "jupyterlab.NeverCheckForUpdate", "--ServerApp.allow_root=True",
    ]
    with open(tmp_path / "jupyterlab.log", "w") as log:  # the server writes to its own copy of the file
        server = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: {(tmp_path / 'jupyterlab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as response:
                    json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start: "
                                       + (tmp_path / "jupyterlab.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_matching_studio_in_jupyterlab_re_solves_when_a_weight_slider_moves(chromium, jupyter_lab):
    from playwright.sync_api import sync_playwright

    base, token = jupyter_lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timeout = STEP_SECONDS * 1000
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.set_default_timeout(timeout)
            requests = RequestLog(page.context, urlsplit(base).netloc)
            page.goto(f"{base}/lab/tree/{NOTEBOOK.name}?token={token}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                                   "&& window.jupyterapp.shell.currentWidget.sessionContext "
                                   "&& window.jupyterapp.shell.currentWidget.sessionContext.session "
                                   "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel")
            page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                                   ".status === 'idle'")
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

            # The studio renders and its first solve fills the pairs table.
            pairs = page.locator(".tk-pairs").first
            pairs.wait_for(state="visible")
            page.wait_for_selector(".tk-pairs[data-solve='1'] table.tk-table tbody tr")
            first_table = pairs.inner_text()
            assert "Solve 1:" in page.locator(".tk-status").first.inner_text()

            # Drag the skills weight slider all the way to 0.
            slider = page.locator(".tk-weight-skills").first
            drag_slider_to_zero(page, slider)
            assert slider.locator(".widget-readout").inner_text().strip() in ("0.0", "0")

            # A new solve re-renders the table with different content.
            page.wait_for_selector(".tk-pairs:not([data-solve='1']) table.tk-table tbody tr")
            second_table = page.locator(".tk-pairs").first.inner_text()
            status = page.locator(".tk-status").first.inner_text()
            assert second_table != first_table
            assert "Solve 1:" not in status and "optimal" in status
            errors = page.locator(".tk-error")
            assert errors.count() == 0, errors.first.inner_text()
            # No cell of the notebook raised.
            cell_errors = page.evaluate("""() => {
                const cells = window.jupyterapp.shell.currentWidget.content.model.cells, found = [];
                for (let i = 0; i < cells.length; i++) {
                    const cell = cells.get(i);
                    if (cell.type !== 'code') continue;
                    for (const output of cell.outputs.toJSON()) {
                        if (output.output_type === 'error') found.push(output.ename + ': ' + output.evalue);
                    }
                }
                return found;
            }""")
            assert cell_errors == []
            page.locator(".tk-matching-studio").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "matching_studio.png"), full_page=False)
            page.wait_for_load_state("networkidle")
            assert requests.foreign() == [], "JupyterLab or the matching studio asked another host"
            assert assert_icons_draw(page) >= 6
        finally:
            browser.close()
    assert (ARTIFACTS / "matching_studio.png").stat().st_size > 10_000
