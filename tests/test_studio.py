"""The studio's pages and server, without a browser (tests/test_browser_voila.py drives one)."""

from __future__ import annotations

import re
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
import yaml
from conftest import branded_copy

import toolkit as tk
from toolkit import studio

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"


def test_build_site_points_every_page_at_the_client_and_its_exports_folder(tmp_path):
    site = studio.build_site(SAMPLES / "lumen", tmp_path)
    assert site.pages == ["index", *studio.APPS]
    for page in site.pages:
        notebook = nbformat.read(tmp_path / f"{page}.ipynb", as_version=4)
        (parameters,) = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
        assert str(SAMPLES / "lumen" / "client.yaml") in parameters.source
        assert repr(str(SAMPLES / "lumen" / studio.EXPORT_FOLDER)) in parameters.source
        assert notebook.metadata["kernelspec"]["name"] == tk.reports.ensure_kernel()
    # the originals stay as committed
    original = nbformat.read(studio.studio_notebooks_dir() / "matching_studio.ipynb", as_version=4)
    assert "../../sample_data/northwind" in original.cells[1].source


def test_apps_without_their_files_are_left_out_and_the_landing_page_says_so(tmp_path):
    folder = tmp_path / "client"
    shutil.copytree(SAMPLES / "riverbank", folder)
    data = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
    for key in ("surveys", "pairs"):
        data.pop(key)
    (folder / "client.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert studio.available_apps(folder) == ["matching_studio", "cohort_setup"]
    landing = studio.landing(folder).data
    assert "tk-studio-link-matching_studio" in landing and "tk-studio-link-survey_explorer" not in landing
    assert "Survey explorer" in landing and "Goal builder" in landing  # named as not available
    assert str(folder / "exports") in landing


def test_the_banner_names_the_client_and_the_app_and_escapes_them():
    html = studio.banner(SAMPLES / "northwind", "matching_studio").data
    assert "Northwind Traders (fictional)" in html and "Matching studio" in html
    assert "<script" not in html


def test_the_banner_carries_the_clients_branding_and_fetches_nothing(tmp_path):
    client = branded_copy(tmp_path / "riverbank")
    html = studio.banner(client, "matching_studio").data
    assert "background:#7048e8" in html and 'src=\'data:image/svg+xml;base64,' in html
    assert "prepared by Harbour Learning" in html and tk.reports.external_references(html) == []


@pytest.mark.slow
def test_first_unit_is_a_pair_row_or_a_circle_id():
    pairs = tk.goals.match_as_run(tk.load_client(SAMPLES / "northwind"))
    assert set(studio.first_unit(pairs).index) >= {"mentee_id", "mentor_id"}
    circles = tk.goals.match_as_run(tk.load_client(SAMPLES / "lumen"))
    assert studio.first_unit(circles) in set(circles.circles["circle_id"].astype(str))


@pytest.mark.slow
def test_a_busy_port_stops_the_server_with_advice_and_leaves_nothing_behind():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = studio.StudioServer(SAMPLES / "riverbank", port=port)
        scratch = server.site.folder.parent
        with pytest.raises(tk.ToolkitError, match="--port"):
            server.start()
    assert not scratch.exists()


# An inline SVG names its XML vocabularies with URLs (xmlns="http://www.w3.org/2000/svg", the RDF
# metadata in Voilà's spinner logo): identifiers a browser never fetches. Every other absolute URL counts.
_IDENTIFIER = re.compile(r"""\s(?:xmlns(?::[\w-]+)?|rdf:resource)\s*=\s*(?:"[^"]*"|'[^']*')""")
_ABSOLUTE = re.compile(r"""\b(?:https?|wss?|ftp):(?:\\?/){2}(?:[^\s"'<>()\\]|\\/)+""", re.IGNORECASE)


def foreign_urls(page: str, local: str) -> list[str]:
    """Every URL in an HTML page that names a host other than ``local`` (``127.0.0.1:<port>``): absolute
    ones anywhere (attributes, scripts, styles, JSON) and protocol-relative ones in loading attributes."""
    text = _IDENTIFIER.sub(" ", page)
    urls = _ABSOLUTE.findall(text) + tk.reports.external_references(text)
    return sorted({url for url in urls
                   if urlsplit(url.replace("\\/", "/")).netloc.lower() != local})


def test_foreign_urls_finds_absolute_relative_and_escaped_urls_but_not_svg_namespaces():
    page = ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
            "<dc:type rdf:resource=\"http://purl.org/dc/dcmitype/StillImage\"/></svg>"
            "<link href='//cdn.example.net/a.css'><script>import('https://cdnjs.example.com/m.mjs')</script>"
            '<script type="application/json">{"u": "https:\\/\\/unpkg.example.org\\/x.js"}</script>'
            "<a href='http://127.0.0.1:8866/voila/render/x.ipynb'>x</a>")
    assert foreign_urls(page, "127.0.0.1:8866") == [
        "//cdn.example.net/a.css", "https://cdnjs.example.com/m.mjs", "https:\\/\\/unpkg.example.org\\/x.js"]


def _fetch(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())  # the token sets a cookie, then redirects
    try:
        with opener.open(url, timeout=240) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.code, error.read().decode("utf-8")


def _filled_pools(server, timeout: float = 180) -> list[str]:
    """The pages whose pre-started kernel is ready, from the server's log, once the first is (Voilà starts every
    pool at once, when it starts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        filled = re.findall(r"Kernel pool of (\S+) is filled", server.log_path.read_text(encoding="utf-8"))
        if filled:
            time.sleep(2)  # any other pool would be starting too: give it the time to say so
            return sorted(re.findall(r"Kernel pool of (\S+) is filled", server.log_path.read_text(encoding="utf-8")))
        time.sleep(0.5)
    raise AssertionError("no kernel pool was filled: " + server.log_path.read_text(encoding="utf-8")[-2000:])


def test_preheat_names_pages_or_all_or_none_and_a_wrong_name_is_refused_with_the_pages():
    pages = ["index", "matching_studio", "cohort_setup"]
    assert studio.check_preheat(None, pages) == pages == studio.check_preheat("all", pages)
    assert studio.check_preheat("none", pages) == [] == studio.check_preheat([], pages)
    assert studio.check_preheat(" matching_studio, index ", pages) == ["matching_studio", "index"]
    assert studio.check_preheat(["cohort_setup.ipynb"], pages) == ["cohort_setup"]
    with pytest.raises(tk.ToolkitError, match="survey_explorer.*index, matching_studio, cohort_setup") as caught:
        studio.check_preheat("matching_studio,survey_explorer", pages)
    assert "'all'" in caught.value.fix


def test_a_wrong_preheat_page_stops_the_command_before_anything_is_written(tmp_path, capsys, monkeypatch):
    from toolkit.cli import main as cli_main

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # mkdtemp reads TMPDIR again
    assert cli_main(["studio", "--client", str(SAMPLES / "riverbank"), "--preheat", "matching"]) == 2
    said = capsys.readouterr()
    assert "--preheat names matching, which this studio does not serve" in said.err + said.out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_every_studio_page_is_served_without_a_url_to_another_host(tmp_path):
    """The HTML Voilà serves (each app page with its outputs, the landing page, the notebook list, the
    not-found page) names no host but the local server: no CDN stylesheet, script or font."""
    client = branded_copy(tmp_path / "riverbank")
    # One page started ahead, the others when asked for: both kinds are served the same way.
    with studio.StudioServer(client, preheat="matching_studio") as server:
        pools = _filled_pools(server)
        assert pools == ["matching_studio.ipynb"] and len(server.kernel_processes()) == 1
        local = urlsplit(server.base).netloc
        pages = {page: server.page_url(page) for page in server.site.pages}
        pages |= {"the notebook list": f"{server.base}/voila/tree?token={server.token}",
                  "a page that does not exist": f"{server.base}/voila/render/no_such_app.ipynb?token={server.token}"}
        served = {name: _fetch(url) for name, url in pages.items()}
    assert served["matching_studio"][0] == 200 and "tk-studio-banner" in served["matching_studio"][1]
    assert served["a page that does not exist"][0] == 404
    assert {name: foreign_urls(page, local) for name, (_, page) in served.items()} == {name: [] for name in pages}
    # Font Awesome (the buttons' icons) still comes with the page, from this server.
    assert "/voila/templates/mentoring-toolkit/static/voila-style.js" in served["matching_studio"][1]


def _block(template: str, name: str) -> list[str]:
    """The lines of one ``{% block name %}`` of a Jinja template, stripped, blank lines and comments dropped."""
    body = re.search(r"\{%-?\s*block " + name + r"\s*-?%\}(.*?)\{%-?\s*endblock(?: " + name + r")?\s*-?%\}",
                     template, re.DOTALL).group(1)
    return _lines(body)


def _lines(template: str) -> list[str]:
    """A template's lines, stripped, without blank lines and Jinja comments."""
    text = re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL)
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_studio_template_is_voilas_lab_template_without_its_cdn_links():
    """The studio's template repeats two parts of Voilà's own: if a Voilà 0.5.x release changes them, this
    says so (bring the copy up to date, without the CDN links)."""
    import voila.paths

    voila_lab = voila.paths.collect_template_paths(["voila"], "lab", prune=True)[0]
    voila_base = voila.paths.collect_template_paths(["voila"], "base", prune=True)[0]
    ours = studio.template_root() / "voila" / "templates" / studio.TEMPLATE
    theirs = Path(voila_lab, "index.html.j2").read_text(encoding="utf-8")
    mine = (ours / "index.html.j2").read_text(encoding="utf-8")
    assert [line for line in _block(theirs, "notebook_css") if "cdn.jsdelivr.net" not in line and line != "{{ super() }}"] \
        == [line for line in _block(mine, "notebook_css") if line != "{{ super.super() }}"]
    # page.html: Voilà's base page.html without the CDN link, with the lab template's stylesheets filled in.
    page = [line for line in _lines(Path(voila_base, "page.html").read_text(encoding="utf-8"))
            if "cdn.jsdelivr.net" not in line]
    at = page.index("{% block stylesheets %}") + 1
    page[at:at] = _block(Path(voila_lab, "page.html").read_text(encoding="utf-8"), "stylesheets")
    assert _lines((ours / "page.html").read_text(encoding="utf-8")) == page
    assert "cdn" not in " ".join(_lines(mine))
