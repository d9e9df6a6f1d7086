"""Report runs leave nothing half-written: scratch folders go on any exit, stale ones at the next run;
Ctrl-C prints one line, not a kernel traceback; --out that is a file or read-only is a clear error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from served_command import as_from_a_terminal

from toolkit import files
from toolkit.cli import main
from toolkit.errors import ToolkitError
from toolkit.reports.runner import remove_stale_scratch
from toolkit.resources import sample_data_dir

NORTHWIND = sample_data_dir() / "northwind"
WORKTREE = Path(__file__).resolve().parents[1]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_scratch_folders_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    dead = tmp_path / ".readiness-dead1234"
    dead.mkdir()
    (dead / "readiness.ipynb").write_text("Ana Li, Bo Chen")
    (dead / ".owner").write_text(f"{socket.gethostname()} {_dead_pid()}")
    unowned = tmp_path / ".matching-old12345"
    unowned.mkdir()
    old = time.time() - 3600
    os.utime(unowned, (old, old))
    live = tmp_path / ".impact-live1234"
    live.mkdir()
    (live / ".owner").write_text(f"{socket.gethostname()} {os.getpid()}")
    young = tmp_path / ".health-young123"
    young.mkdir()  # just created by a run that has not written its owner file yet
    other = tmp_path / ".git-stuff"
    other.mkdir()
    removed = remove_stale_scratch(tmp_path)
    assert sorted(path.name for path in removed) == [".matching-old12345", ".readiness-dead1234"]
    assert live.exists() and young.exists() and other.exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["match"], ["agreements"], ["kit"], ["report", "readiness"], ["new-client"]])
def test_out_that_is_a_file_is_a_clear_error_not_a_traceback(tmp_path, capsys, command):
    blocker = tmp_path / "out"
    blocker.write_text("I am a file")
    argv = command + (["Acme Ltd"] if command == ["new-client"] else ["--client", str(NORTHWIND / "client.yaml")])
    assert main(argv + ["--out", str(blocker)]) == 2
    error = capsys.readouterr().err
    assert "is a file, not a folder" in error and "Traceback" not in error
    assert blocker.read_text() == "I am a file"


def test_a_read_only_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    # Tests run as root here, for whom chmod cannot make a folder read-only: simulate the permission check.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == tmp_path / "ro" else
                        real_access(path, mode))
    (tmp_path / "ro").mkdir()
    with pytest.raises(ToolkitError, match="read-only"):
        files.output_folder(tmp_path / "ro")


def test_a_file_that_cannot_be_created_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(ToolkitError, match="Permission denied"):
        files.write_text("x", tmp_path / "a.txt")


@pytest.mark.slow
def test_ctrl_c_during_a_report_prints_one_line_and_leaves_no_scratch_folder(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "report", "readiness", "--client", str(NORTHWIND), "--out", str(out)],
        env={**os.environ, "PYTHONPATH": str(WORKTREE)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=as_from_a_terminal)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".readiness-*/.owner")):
        time.sleep(0.2)
    time.sleep(2)  # the kernel is running the notebook now
    os.killpg(process.pid, signal.SIGINT)
    _, error = process.communicate(timeout=120)
    text = error.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "ZMQError" not in text
    assert text.strip() == "interrupted"
    assert not list(out.glob(".readiness-*"))


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.15, 0.3, 0.45, 0.6])
def test_ctrl_c_while_the_toolkit_is_still_loading_prints_one_line(tmp_path, after):
    # Ctrl-C in the first second lands in the imports (about 0.7 s of them), not in a command: it must not
    # leave a traceback, a half-loaded compiled module (ImportError) or a death by SIGINT (exit -2).
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "report", "readiness", "--client", str(NORTHWIND), "--out",
         str(tmp_path / "out")], env={**os.environ, "PYTHONPATH": str(WORKTREE)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=as_from_a_terminal)
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    _, error = process.communicate(timeout=120)
    assert (process.returncode, error.decode().strip()) == (130, "interrupted")


@pytest.mark.slow
def test_library_log_records_stay_off_the_terminal_unless_debugging(tmp_path):
    # nbclient logs "Kernel died ..." and asyncio "Task exception was never retrieved" when Ctrl-C stops a
    # report between two cells: one line ("interrupted") is the whole story for the user.
    script = ("import logging, toolkit.cli as cli\n"
              "def main():\n"
              "    logging.getLogger('nbclient').error('Kernel died while waiting for execute reply.')\n"
              "    return 0\n"
              "cli.main = main\n"
              "from toolkit.__main__ import run\n"
              "raise SystemExit(run())\n")
    quiet = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(WORKTREE)},
                           capture_output=True, text=True)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    debug = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(WORKTREE), "MENTORING_TOOLKIT_DEBUG": "1"})
    assert "Kernel died" in debug.stderr
