"""The studio's pages and server, without a browser (tests/test_browser_voila.py drives one)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

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
