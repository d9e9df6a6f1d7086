"""A report run with a relative --out writes everything there and nothing beside the notebooks.

Found by `make demo`: the matching report's team workbook path was relative, so the kernel (which runs in
the toolkit's notebooks folder) wrote it under notebooks/reports/ and the workbook never reached --out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import reports
from toolkit.resources import notebooks_dir

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_the_team_workbook_lands_in_a_relative_out_folder(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "sample_data" / "riverbank", tmp_path / "riverbank")
    before = sorted(path.relative_to(notebooks_dir()) for path in notebooks_dir().rglob("*"))
    monkeypatch.chdir(tmp_path)
    run = reports.run("matching", "riverbank/client.yaml", "out", dry_run=True)
    assert Path(run.html).resolve() == (tmp_path / "out" / "matching.html").resolve()
    assert (tmp_path / "out" / "matching_pairs.xlsx").is_file()
    assert sorted(path.relative_to(notebooks_dir()) for path in notebooks_dir().rglob("*")) == before
