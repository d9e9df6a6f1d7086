"""batch --scheduler: reports run on a Dask cluster (here a LocalCluster of two workers) and come back to --out."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from toolkit import reports
from toolkit.cli import main
from toolkit.errors import ReportError
from toolkit.reports import batches

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    # Threads in this process: quick to start, and a test's stand-in for the report runner reaches the workers.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


def _clients(folder: Path, names=CLIENTS) -> Path:
    for slug in names:
        shutil.copytree(SAMPLES / slug, folder / slug)
    return folder


def _pretend_run(report, client, out, dry_run=False):
    """Stands in for the report runner: a page per report, a line in the client folder, riverbank fails."""
    client = Path(client)
    if client.parent.name == "riverbank":
        raise ReportError(f"The {report} report for riverbank stopped on its input: see {Path(out) / 'x.failed.ipynb'}")
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / f"{report}.html").write_text(f"<p>{report} for {client.parent.name}</p>", encoding="utf-8")
    with open(client.parent / "releases.log", "a", encoding="utf-8") as log:
        log.write(f"{report}\n")
    return SimpleNamespace(html=Path(out) / f"{report}.html")


@pytest.mark.slow
@pytest.mark.parametrize("upload", [False, True], ids=["shared-paths", "uploaded"])
def test_results_come_back_to_out_and_one_failure_does_not_stop_the_others(cluster, tmp_path, monkeypatch, upload):
    monkeypatch.setattr(batches, "run", _pretend_run)
    clients = _clients(tmp_path / "clients")
    lines = []
    table = reports.batch(clients, ["readiness", "matching"], tmp_path / "out", scheduler=cluster.scheduler_address,
                          upload=upload, progress=lines.append)
    status = {(row.client, row.report): row.status for row in table.itertuples()}
    assert status == {(slug, report): "failed" if slug == "riverbank" else "ok" for slug in CLIENTS
                      for report in ("matching", "readiness")}
    for slug in ("northwind", "lumen"):
        assert (tmp_path / "out" / slug / "readiness.html").read_text(encoding="utf-8") == f"<p>readiness for {slug}</p>"
        # what a run writes into the client folder is there afterwards, both reports' lines (none lost)
        assert sorted((clients / slug / "releases.log").read_text(encoding="utf-8").split()) == ["matching",
                                                                                                 "readiness"]
    failed = table[table["status"] == "failed"]["detail"].iloc[0]
    assert "stopped on its input" in failed and str(tmp_path / "out" / "riverbank") in failed  # not a worker path
    assert len(lines) == 6 and lines[-1].startswith("[6/6]")


@pytest.mark.slow
def test_an_unreachable_scheduler_says_how_to_start_one(tmp_path):
    with pytest.raises(ReportError, match="No Dask scheduler answered") as caught:
        batches.run_on_cluster([("readiness", str(tmp_path / "c" / "client.yaml"), str(tmp_path))],
                               "tcp://127.0.0.1:9", progress=None, connect_timeout=2)
    assert "dask scheduler" in caught.value.fix


def test_upload_without_a_scheduler_is_refused(tmp_path, capsys):
    assert main(["batch", "--clients", str(tmp_path), "--upload"]) == 2
    assert "--scheduler" in capsys.readouterr().err


@pytest.mark.slow
def test_the_three_sample_clients_run_on_a_local_cluster(cluster, tmp_path):
    """The real runner on two workers: every sample client's readiness report comes back as HTML."""
    clients = _clients(tmp_path / "clients")
    table = reports.batch(clients, ["readiness"], tmp_path / "out", scheduler=cluster.scheduler_address,
                          progress=None)
    assert list(table["status"]) == ["ok", "ok", "ok"], table.to_string()
    for slug in CLIENTS:
        page = (tmp_path / "out" / slug / "readiness.html").read_text(encoding="utf-8")
        assert "Programme readiness" in page and (tmp_path / "out" / slug / "readiness.ipynb").exists()
