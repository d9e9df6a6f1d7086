"""Every notebook the toolkit runs (reports, the portfolio, the course's pages) goes through one function,
:func:`toolkit.reports.runner.execute_in_kernel`: a cell that runs too long stops the run with the toolkit's
own message, not a traceback, and output printed at the end of a cell is kept."""

from __future__ import annotations

import nbformat
import pytest

from toolkit.errors import ReportError
from toolkit.reports.runner import execute_in_kernel


def _notebook(path, *sources: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def test_a_cell_that_runs_too_long_stops_the_run_with_a_plain_message(tmp_path):
    source = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    with pytest.raises(ReportError) as raised:
        execute_in_kernel(source, tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, timeout=2,
                          sockets=str(tmp_path))
    assert "slow stopped in a cell: it ran for more than 2 s" in str(raised.value)
    assert "less busy" in raised.value.fix


def test_every_line_a_cell_prints_last_is_in_the_executed_notebook(tmp_path):
    source = _notebook(tmp_path / "loud.ipynb", "for n in range(2000):\n    print('line', n)")
    execute_in_kernel(source, tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, timeout=120,
                      sockets=str(tmp_path))
    printed = "".join(output.get("text", "") for output in nbformat.read(tmp_path / "out.ipynb", 4).cells[0].outputs)
    assert printed.splitlines()[-1] == "line 1999" and len(printed.splitlines()) == 2000
