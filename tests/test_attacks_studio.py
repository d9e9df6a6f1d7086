"""Attacks on the studio server: hostile HTTP requests, and the signals that must stop it.

A real studio (``StudioServer`` on a copy of the Riverbank sample) answers raw HTTP requests
built by hand: without the token, with a wrong one, with a foreign Host (DNS rebinding), with a
foreign Origin (another site, or another port on this machine), on pages, static files, the
kernel API and the kernel's websocket. Then ``mentoring-toolkit studio`` is started as a person
starts it and stopped with SIGINT, SIGTERM and SIGHUP (the terminal closed), and killed with
SIGKILL: no server or kernel process may survive. :func:`toolkit.studio_server.refusal` is also
checked on its own against Hypothesis-drawn headers.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from served_command import as_from_a_terminal

from toolkit import studio
from toolkit.studio_server import refusal

ROOT = Path(__file__).resolve().parents[1]
RIVERBANK = ROOT / "sample_data" / "riverbank"
PORT = 8866
OWN = [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}", "127.0.0.1", "LOCALHOST:8866"]
FOREIGN_HOSTS = [f"evil.example:{PORT}", f"127.0.0.1.nip.io:{PORT}", f"localhost.evil.example:{PORT}", f"0.0.0.0:{PORT}",
                 f"127.0.0.2:{PORT}", f"[::2]:{PORT}", "127.0.0.1:9999", f"localhost.:{PORT}", "", f"192.168.1.5:{PORT}",
                 f"127.0.0.1:{PORT}@evil.example", f"127.0.0.1:{PORT} evil", "[::1"]
FOREIGN_ORIGINS = ["http://evil.example", f"http://evil.example:{PORT}", "null", f"https://127.0.0.1:{PORT}",
                   "http://127.0.0.1:3000", "http://localhost", f"http://127.0.0.1:{PORT}.evil.example", "file://",
                   f"ws://127.0.0.1:{PORT}", ""]


@pytest.mark.parametrize("host", OWN)
def test_the_studios_own_host_and_origin_pass(host):
    assert refusal({"Host": host}, "GET", PORT) is None
    for origin in (f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}", f"http://[::1]:{PORT}"):
        assert refusal({"Host": host, "Origin": origin, "Sec-Fetch-Site": "same-origin"}, "POST", PORT) is None


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_is_refused(host):
    assert "Host" in refusal({"Host": host}, "GET", PORT)


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_a_foreign_origin_is_refused(origin):
    assert "Origin" in refusal({"Host": f"127.0.0.1:{PORT}", "Origin": origin}, "POST", PORT)


def test_a_cross_site_request_is_refused_unless_it_is_the_browser_opening_a_page():
    host = {"Host": f"127.0.0.1:{PORT}"}
    assert refusal({**host, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, "GET", PORT)
    assert refusal({**host, "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}, "GET", PORT)  # localhost:3000
    assert refusal({**host, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, "POST", PORT)
    assert refusal({**host, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, "GET", PORT) is None
    assert refusal({**host, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}, "POST", PORT) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=40)))
def test_only_the_allow_listed_hosts_and_origins_ever_pass(host, origin):
    headers = {"Host": host} | ({} if origin is None else {"Origin": origin})
    if refusal(headers, "GET", PORT) is None:
        assert re.fullmatch(r"(127\.0\.0\.1|localhost|\[::1\])(:8866)?", host.strip().lower())
        if origin is not None:
            assert re.fullmatch(r"http://(127\.0\.0\.1|localhost|\[::1\]):8866", origin.strip().lower())


# -- a real server --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio") / "riverbank"
    shutil.copytree(RIVERBANK, folder)
    with studio.StudioServer(folder, preheat=("index", "goal_builder")) as running:  # the pages opened here
        yield running


def _request(server, path: str, headers: dict | None = None, method: str = "GET", body: str | None = None):
    port = int(server.base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=240)
    connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")


def _open_page(server, page: str) -> tuple[str, str]:
    """Open a page as the printed address does: with the token, then (redirected) with the cookie it set.
    Returns the cookie header and the page."""
    status, headers, _ = _request(server, f"/voila/render/{page}.ipynb?token={server.token}")
    assert status == 302 and headers["Location"] == f"/voila/render/{page}.ipynb"  # the token leaves the address
    cookie = headers.get("Set-Cookie", "")
    status, _, body = _request(server, headers["Location"], {"Cookie": cookie.split(";")[0]})
    assert status == 200, status
    return cookie, body


@pytest.mark.slow
def test_the_studio_serves_nothing_without_its_token(server):
    cookie, body = _open_page(server, "index")
    assert "tk-studio-banner" in body
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    for path in ("/voila/render/index.ipynb", "/voila/render/cohort_setup.ipynb?token=wrong", "/voila/tree",
                 "/voila/render/index.ipynb?token=" + server.token[:-1], "/voila/api/contents",
                 "/api/kernels/00000000-0000-0000-0000-000000000000"):
        status, headers, body = _request(server, path)
        assert status in (302, 403), (path, status)
        assert "tk-studio-banner" not in body and "participants" not in body
        if status == 302:
            assert headers["Location"].startswith("/login")
    status, _, _ = _request(server, "/voila/api/shutdown/00000000-0000-0000-0000-000000000000", method="POST", body="")
    assert status == 403


@pytest.mark.slow
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "localhost.evil.example", "0.0.0.0"])
def test_a_dns_rebinding_request_is_refused_even_with_the_token(server, host):
    port = server.base.rsplit(":", 1)[1]
    for path in (f"/voila/render/index.ipynb?token={server.token}", "/voila/static/voila.js",
                 "/voila/templates/mentoring-toolkit/static/voila-style.js", f"/voila/tree?token={server.token}",
                 "/login", "/no/such/page"):
        status, _, body = _request(server, path, {"Host": f"{host}:{port}"})
        assert status in (403, 404), (path, status)
        assert "tk-studio-banner" not in body


@pytest.mark.slow
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:3000"])
def test_a_cross_origin_api_or_websocket_request_is_refused_even_with_the_token(server, origin):
    token = f"?token={server.token}"
    kernel = "00000000-0000-0000-0000-000000000000"
    requests = [("GET", f"/api/kernels/{kernel}{token}", None, {}),
                ("POST", f"/voila/api/shutdown/{kernel}{token}", "", {}),
                ("GET", f"/api/kernels/{kernel}/channels{token}", None,
                 {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                  "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})]
    for method, path, body, extra in requests:
        status, _, _ = _request(server, path, {"Origin": origin, **extra}, method=method, body=body)
        assert status == 403, (method, path, status)


@pytest.mark.slow
def test_the_token_is_never_on_a_command_line_or_in_a_kernels_environment(server):
    _open_page(server, "goal_builder")  # starts a kernel
    processes = [psutil.Process(server.process.pid), *(psutil.Process(pid) for pid in server.kernel_processes())]
    assert len(processes) >= 2
    for process in processes:
        assert server.token not in " ".join(process.cmdline())
        assert server.token not in str(process.environ())


def test_a_port_asked_for_is_the_port_used_or_an_error():
    with pytest.raises(studio.ToolkitError, match="1024 to 65535"):
        studio.StudioServer(RIVERBANK, port=113891)
    with pytest.raises(studio.ToolkitError, match="1024 to 65535"):
        studio.StudioServer(RIVERBANK, port=22)


# -- signals -------------------------------------------------------------------------------------------

def _start_command(folder: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONUNBUFFERED": "1"}
    # the landing page (opened below) starts its kernel ahead; four studios' other pages would only load the machine
    process = subprocess.Popen([sys.executable, "-m", "toolkit", "studio", "--client", str(folder), "--preheat", "index"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               start_new_session=True, preexec_fn=as_from_a_terminal)
    return process


def _wait_for_url(process: subprocess.Popen, deadline: float) -> str:
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        found = re.search(r"open (http://127\.0\.0\.1:\d+/\S+)", line)
        if found:
            return found.group(1)
        if not line and process.poll() is not None:
            break
    raise AssertionError("the studio printed no address: " + "".join(lines))


def _open(url: str) -> int:
    """Open the printed address (with its token), following the redirect with the cookie it sets."""
    match = re.match(r"http://127\.0\.0\.1:(\d+)(/.*)", url)
    path, cookie = match.group(2), ""
    for _ in range(3):
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=240)
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        if response.status != 302:
            return response.status
        path, cookie = response.getheader("Location"), (response.getheader("Set-Cookie") or "").split(";")[0]
    return response.status


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


@pytest.mark.slow
def test_sigint_sigterm_sighup_and_sigkill_leave_no_server_or_kernel_running(tmp_path):
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL]
    started = []
    for number in signals:
        folder = tmp_path / number.name / "riverbank"
        shutil.copytree(RIVERBANK, folder)
        started.append(_start_command(folder))
    deadline = time.monotonic() + 240
    try:
        family = {}
        for number, process in zip(signals, started):
            url = _wait_for_url(process, deadline)
            assert _open(url) == 200  # the landing page: its kernel runs now
            children = psutil.Process(process.pid).children(recursive=True)
            assert len(children) >= 2, "the server and a kernel"
            family[number] = [child.pid for child in children]
        for number, process in zip(signals, started):
            os.killpg(process.pid, number)  # as the terminal does: to the command's process group
        for number, process in zip(signals, started):
            code = process.wait(timeout=120)
            said = process.stdout.read()
            if number == signal.SIGKILL:
                assert code == -signal.SIGKILL
            else:
                assert code == 0 and "Studio stopped." in said and "Traceback" not in said, (number, said)
        for number in signals:  # SIGKILL: the server notices its command is gone and stops its kernels
            waited = time.monotonic() + 60
            while _alive(family[number]) and time.monotonic() < waited:
                time.sleep(0.5)
            assert _alive(family[number]) == [], f"{number.name} left processes running"
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for pids in locals().get("family", {}).values():
            for pid in _alive(pids):
                psutil.Process(pid).kill()
