"""Adoption with real processes: a run killed with SIGKILL mid-adoption leaves nothing that blocks the next
command, and runs at the same time on one client each say one clear thing.

The kill point is set by a test hook, not by timing: ``MENTORING_TOOLKIT_TEST_KILL_AT=writing`` (the round half
written in its staging folder) or ``before-rename`` (written whole, not yet in place) makes the process send
itself SIGKILL there; ``MENTORING_TOOLKIT_TEST_HOLD_LOCK=<file>`` makes the lock holder wait until the file
exists, so the other runs meet a held lock every time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit import cli, rounds
from toolkit.rounds.lock import HOLD_VARIABLE, KILL_VARIABLE, LOCK_NAME, STAGING_PREFIX

BRIGHTWATER = Path(__file__).resolve().parent / "fixtures" / "rounds" / "brightwater"
BUSY = "another match is adopting a round for this client"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")


@pytest.fixture
def client(tmp_path) -> Path:
    folder = tmp_path / "brightwater"
    shutil.copytree(BRIGHTWATER, folder)
    return folder


def _start(client: Path, **hooks: str) -> subprocess.Popen:
    """``mentoring-toolkit match`` in its own process, as a user would start it in a second terminal."""
    environment = {**os.environ, **hooks}
    return subprocess.Popen([sys.executable, "-m", "toolkit", "match", "--client", str(client), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def _staging(client: Path) -> list[str]:
    return sorted(path.name for path in (client / "matches").iterdir() if path.name.startswith(STAGING_PREFIX))


@pytest.mark.slow
@pytest.mark.parametrize("point", ["writing", "before-rename"])
def test_a_run_killed_mid_adoption_leaves_nothing_that_blocks_the_next_command(client, capsys, point):
    assert cli.main(["match", "--client", str(client), "--quiet"]) == 0  # round 1, adopted whole
    capsys.readouterr()
    code, _, _ = _finish(_start(client, **{KILL_VARIABLE: point}))
    assert code == -signal.SIGKILL
    assert len(_staging(client)) == 1  # the killed run's half-written round, under a name no reader looks at

    assert [adopted.number for adopted in rounds.list_rounds(client)] == [1]
    assert rounds.current_round(client).number == 1 and rounds.current_round(client).integrity == "intact"
    assert cli.main(["agreements", "--client", str(client), "--out", str(client / "agreements")]) == 0
    assert cli.main(["match", "--client", str(client), "--quiet"]) == 0  # the lock died with the killed run
    out = capsys.readouterr().out
    assert "adopted as round 2" in out
    assert _staging(client) == []  # cleaned by the adoption that followed
    assert [adopted.number for adopted in rounds.list_rounds(client)] == [1, 2]


def test_an_empty_round_folder_left_by_an_older_version_is_passed_over_and_cleaned(client, capsys):
    (client / "matches" / "round-01-2026-11-30").mkdir(parents=True)  # what a killed run used to leave
    assert rounds.list_rounds(client) == [] and rounds.current_round(client) is None
    assert cli.main(["match", "--client", str(client), "--quiet"]) == 0
    assert "adopted as round 1" in capsys.readouterr().out
    assert [path.name[:9] for path in (client / "matches").iterdir() if path.is_dir()] == ["round-01-"]


@pytest.mark.slow
def test_three_matches_at_once_one_adopts_and_the_others_say_another_is_adopting(client, tmp_path):
    release = tmp_path / "release"
    holder = _start(client, **{HOLD_VARIABLE: str(release)})
    lock = client / "matches" / LOCK_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and f'"pid": {holder.pid}' not in (lock.read_text() if lock.exists() else ""):
        time.sleep(0.02)
    others = [_start(client), _start(client)]
    answers = [_finish(process) for process in others]
    release.touch()
    code, out, err = _finish(holder)
    assert (code, err) == (0, "") and "adopted as round 1" in out
    for other_code, other_out, other_err in answers:
        assert other_code == 2 and other_out == ""
        assert other_err.startswith(f"error: brightwater: {BUSY} (process {holder.pid}, since ")
        assert "nothing was written by this run" in other_err and "Traceback" not in other_err
    assert [adopted.number for adopted in rounds.list_rounds(client)] == [1] and _staging(client) == []


@pytest.mark.slow
def test_three_matches_started_together_each_adopt_whole_or_say_another_is_adopting(client):
    answers = [_finish(process) for process in [_start(client) for _ in range(3)]]
    adopted = [out for code, out, _ in answers if code == 0]
    for code, out, err in answers:
        assert (code == 0 and "adopted as round" in out and err == "") or (code == 2 and BUSY in err)
    kept = rounds.list_rounds(client)  # every round readable, whole and certified; numbered without gaps
    assert [item.number for item in kept] == list(range(1, len(adopted) + 1))
    assert all(item.integrity == "intact" and item.certified for item in kept) and _staging(client) == []


@pytest.mark.slow
def test_a_lock_file_left_by_a_dead_process_does_not_block(client, capsys):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (client / "matches").mkdir()
    (client / "matches" / LOCK_NAME).write_text(json.dumps({"pid": int(finished.stdout), "since": "2026-01-01T09:00"}))
    assert cli.main(["match", "--client", str(client), "--quiet"]) == 0
    assert "adopted as round 1" in capsys.readouterr().out
