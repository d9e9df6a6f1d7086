"""The notebooks in notebooks/: thin, committed clean, and each runs top to bottom on the sample data.

Execution uses papermill with a kernel that runs this interpreter (so the notebooks see
the same toolkit as the tests), from the notebooks folder as a person would.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from toolkit.reports.runner import KERNEL_START_SECONDS, OUTPUT_WAIT_SECONDS, local_kernel_manager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT_NOTEBOOKS = sorted((ROOT / "notebooks" / "reports").glob("*.ipynb"))  # run by toolkit.reports (tested there)
EXPECTED = ["00_start_here", "01_designing_a_programme", "02_cohort_setup", "03_matching_studio",
            "04_goals_and_agreements", "05_measuring_impact"]
KERNEL_NAME = "toolkit-tests"

# Data wrangling belongs in toolkit/, not in a notebook cell.
WRANGLING = (".groupby(", ".merge(", ".pivot", ".apply(", ".loc[", ".iloc[:", "pd.concat", "import pandas",
             ".melt(", ".agg(")

def test_the_six_notebooks_exist():
    assert [path.stem for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS + REPORT_NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_without_outputs_or_execution_counts(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: a code cell has outputs; clear them before committing"
            assert cell["execution_count"] is None, f"{path.name}: a code cell has an execution count"
    assert "widgets" not in raw["metadata"], f"{path.name}: saved widget state in the metadata"


@pytest.mark.parametrize("path", NOTEBOOKS + REPORT_NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_thin_no_def_class_or_wrangling(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name}: a cell defines a function or class; move it into toolkit/:\n{cell.source}")
        for pattern in WRANGLING:
            assert pattern not in cell.source, f"{path.name}: data wrangling ({pattern}) in a cell:\n{cell.source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_opens_by_saying_what_it_is_for_and_has_a_parameters_cell_where_it_takes_a_client(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "What this notebook is for" in first.source or "What this" in first.source
    client_cells = [cell for cell in notebook.cells if cell.cell_type == "code" and "client_path =" in cell.source]
    for cell in client_cells:
        assert "parameters" in cell.metadata.get("tags", []), f"{path.name}: the client_path cell is not tagged"


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda path: path.stem)
def test_report_notebook_has_one_parameters_cell_documented_name_type_default_help(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged parameters"
    lines = [line for line in tagged[0].source.splitlines() if line.strip() and not line.startswith("#")]
    assert lines
    for line in lines:
        assert re.fullmatch(r"\w+: \w[\w\[\], |]* = .+  # .+", line), \
            f"{path.name}: document it as name: type = default  # help"
        ast.parse(line)


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory):
    """A kernelspec that runs this interpreter with this checkout's toolkit.

    ``make test``'s interpreter imports the checkout already (an editable install): the kernelspec then adds nothing
    to the kernel's import path, so its kernels are the toolkit's own (forked warm, :mod:`toolkit.kernels`, like a
    report's). Another interpreter gets the checkout put first on ``PYTHONPATH``."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    env = {"MPLBACKEND": "Agg"}
    imported = subprocess.run([sys.executable, "-c", "import toolkit; print(toolkit.__file__)"], capture_output=True,
                              text=True, cwd=tempfile.gettempdir(), timeout=120).stdout.strip()
    if not imported or Path(imported).resolve().parent != ROOT / "toolkit":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "toolkit tests", "language": "python", "env": env,
    }), encoding="utf-8")
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(home), previous]))
    yield KERNEL_NAME
    if previous is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = previous


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom_on_the_sample_data(path, kernel_name, tmp_path):
    import papermill

    output = tmp_path / path.name
    # local sockets, as the toolkit's own runs use: TCP ports chosen for kernels starting on several workers at
    # once can collide; and a cell's output may be slow to arrive on a busy machine
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        papermill.execute_notebook(str(path), str(output), kernel_name=kernel_name, cwd=str(path.parent),
                                   progress_bar=False, request_save_on_cell_execute=False, execution_timeout=300,
                                   start_timeout=KERNEL_START_SECONDS, iopub_timeout=OUTPUT_WAIT_SECONDS,
                                   raise_on_iopub_timeout=True, kernel_manager_class=local_kernel_manager(sockets))
    executed = nbformat.read(output, as_version=4)
    errors = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
    # The last code cell ran (papermill records an execution count for each executed cell).
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells)
