"""In a real browser: the studio refuses every stranger, and keeps what its consultant saves in ``exports/``.

Headless system Chromium (driven by Playwright, as the other browser tests) is given host-resolver
rules that send ``evil.example`` to 127.0.0.1, as a DNS-rebinding attacker's resolver would. Against
a real studio (a copy of the Riverbank sample) it:

- opens the studio without the token, and with a wrong one: the login page, no client data;
- opens it through ``evil.example`` *with* the right token: refused (the Host is not the studio);
- as the consultant, opens the printed address, then an app through the landing page (the cookie
  the first visit set is enough; the token leaves the address bar);
- from a page of another web app on this machine (another port, and the rebinding name), whose
  requests carry the consultant's cookie, reads a studio page, opens the kernel's websocket and
  asks the server to shut the kernel down: every request refused, the kernel untouched;
- in the goal builder, types paths outside ``exports/`` into "Save to": refused, nothing written;
  a plain name: saved inside ``exports/``;
- closes the app's page: its kernel is shut down.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from conftest import require_chromium

from toolkit import studio

ROOT = Path(__file__).resolve().parents[1]
RIVERBANK = ROOT / "sample_data" / "riverbank"
STEP_SECONDS = 120

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATTACK = """<!doctype html><html><body><script>
window.attack = async (studio, kernel) => {
  const result = {};
  const page = await fetch(studio + '/voila/render/cohort_setup.ipynb', {credentials: 'include', mode: 'no-cors'})
      .then(r => 'answered').catch(e => 'failed');
  result.page = page;
  result.shutdown = await fetch(studio + '/voila/api/shutdown/' + kernel, {method: 'POST', credentials: 'include',
      mode: 'no-cors'}).then(r => 'answered').catch(e => 'failed');
  result.socket = await new Promise(done => {
    const socket = new WebSocket(studio.replace('http', 'ws') + '/api/kernels/' + kernel + '/channels');
    socket.onopen = () => { done('opened'); socket.close(); };
    socket.onerror = () => done('refused');
    setTimeout(() => done('timeout'), 20000);
  });
  return result;
};
</script><p>a page of another web app</p></body></html>"""


class _AttackPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ATTACK.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def attack_site():
    """Another web app on this machine (another port) serving the attacker's page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AttackPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


@pytest.fixture
def chromium() -> str:
    return require_chromium("the real-browser attacks on the studio")


def _refused_responses(context, studio_netloc: str) -> list:
    found = []
    context.on("response", lambda response: found.append((response.url, response.status))
               if urlsplit(response.url).netloc == studio_netloc else None)
    return found


def test_the_studio_refuses_strangers_and_keeps_exports_inside_in_a_real_browser(tmp_path, chromium, attack_site):
    from playwright.sync_api import sync_playwright

    folder = tmp_path / "riverbank"
    shutil.copytree(RIVERBANK, folder)
    outside = tmp_path / "outside.html"
    with studio.StudioServer(folder, cull_idle_seconds=30, preheat=("index", "goal_builder")) as server, \
            sync_playwright() as playwright:
        port = urlsplit(server.base).port
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--host-resolver-rules=MAP evil.example 127.0.0.1, MAP attacker.example 127.0.0.1"])
        try:
            # 1-2. No token, a wrong token: the login page, never the studio.
            stranger = browser.new_context()
            page = stranger.new_page()
            for address in (server.page_url("index", token=False), server.page_url("cohort_setup", token=False)
                            + "?token=wrong"):
                page.goto(address)
                assert "/login" in page.url and page.locator(".tk-studio-banner").count() == 0
                assert "Riverbank" not in page.content()
            # 3. DNS rebinding: the right token through a foreign host name is refused.
            response = page.goto(f"http://evil.example:{port}/voila/render/index.ipynb?token={server.token}")
            assert response.status == 403 and page.locator(".tk-studio-banner").count() == 0
            stranger.close()

            # 4. The consultant: the printed address, then an app by the landing page's link (the cookie).
            consultant = browser.new_context(viewport={"width": 1400, "height": 1000})
            consultant.set_default_timeout(STEP_SECONDS * 1000)
            answers = _refused_responses(consultant, f"127.0.0.1:{port}")
            page = consultant.new_page()
            page.goto(server.url)
            page.wait_for_selector(".tk-studio-banner")
            assert "token=" not in page.url
            with consultant.expect_page() as opened:
                page.locator(".tk-studio-link-goal_builder").click()
            app = opened.value
            app.set_default_timeout(STEP_SECONDS * 1000)
            app.wait_for_selector(".jupyter-widgets button:has-text('Export agreement')")
            kernel_ids = re.findall(r"kernelId[\"']?\s*[:=]\s*[\"']([0-9a-f-]{36})", app.content())
            kernels_before = server.kernel_processes()
            started = set(kernels_before)
            assert kernel_ids and len(kernels_before) >= 2  # the landing page's kernel and the app's

            # 5. Another web app's page, with the consultant's cookie in the same browser: refused.
            for site in (f"http://127.0.0.1:{attack_site}", f"http://attacker.example:{attack_site}"):
                attacker = consultant.new_page()
                attacker.goto(site + "/attack.html")
                before = len(answers)
                result = attacker.evaluate("([studio, kernel]) => window.attack(studio, kernel)",
                                           [server.base, kernel_ids[0]])
                assert result["socket"] == "refused", result
                statuses = [status for url, status in answers[before:]]
                assert statuses and set(statuses) == {403}, answers[before:]
                attacker.close()
            assert set(server.kernel_processes()) >= set(kernels_before)  # the kernel was not shut down

            # 6. Save to a path outside exports/: refused with the reason; a plain name is saved inside.
            box = app.locator(".widget-text:has(label:text-is('Save to')) input")
            for typed in (str(outside), "../../outside.html", "../exports2/x.html", "/etc/x.html"):
                box.fill(typed)
                box.press("Enter")
                app.get_by_role("button", name="Export agreement").click()
                # this attempt's own refusal (it names what was typed): the kernel has answered, so the next name
                # typed reaches it before the next click (a widget's value waits while its kernel is busy; a click
                # does not)
                app.wait_for_function("typed => document.body.innerText.includes(typed) && "
                                      "(document.body.innerText.includes('exports folder') || "
                                      "document.body.innerText.includes('not a plain file'))", arg=typed)
                assert not outside.exists()
            box.fill("signed.html")
            box.press("Enter")
            app.get_by_role("button", name="Export agreement").click()
            deadline = time.monotonic() + STEP_SECONDS
            while not (folder / "exports" / "signed.html").exists() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert (folder / "exports" / "signed.html").is_file(), (
                f"nothing saved in {STEP_SECONDS} s; the app shows: {app.locator('body').inner_text()[-600:]}")
            assert sorted(path.name for path in tmp_path.iterdir()) == ["riverbank"]

            # 7. Closing the app's page shuts its kernel down.
            open_kernels = server.kernel_processes()
            started |= set(open_kernels)
            app.close()
            deadline = time.monotonic() + 90
            # (the pre-started pool may start a fresh kernel for the next visitor, so the count can stay the
            # same: what matters is that a kernel running while the page was open has ended)
            while time.monotonic() < deadline and set(open_kernels) <= set(server.kernel_processes()):
                time.sleep(1)
            assert set(open_kernels) - set(server.kernel_processes()), "the closed page's kernel kept running"
            consultant.close()
        finally:
            browser.close()
    assert [pid for pid in started if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"] == []
