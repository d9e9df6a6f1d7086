"""A toolkit command that serves pages (``studio``, ``course --serve``), run as a user runs it, for browser tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_STOPPING = (signal.SIGINT, signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))


def as_from_a_terminal() -> None:
    """``preexec_fn`` for a command a test starts as a person would: Ctrl-C, SIGTERM and SIGHUP reach it as they
    reach a command typed in a terminal (default handling, not blocked).

    A child inherits ignored and blocked signals from the process that starts it, and a test worker may have
    come to ignore Ctrl-C (something run in it earlier, a kernel's own set-up say); a command started from it
    would then never see the Ctrl-C the test sends, and the test would wait for a stop that cannot come.
    """
    for number in _STOPPING:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


@contextmanager
def served_command(arguments: Sequence[str], start_seconds: float,
                   scratch: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """``python -m toolkit <arguments>`` running until its printed address; yields (process, address).

    With ``scratch``, the command's temporary files (its pages, Voilà's log) go there (``TMPDIR``), so a test
    that fails can show the server's log (:func:`server_log`). The command is stopped with Ctrl-C (SIGINT)
    afterwards, as a person stops it, and killed if it hangs.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONUNBUFFERED": "1"}
    if scratch is not None:
        env["TMPDIR"] = str(scratch)
    process = subprocess.Popen([sys.executable, "-m", "toolkit", *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
                               preexec_fn=as_from_a_terminal)
    name = arguments[0]
    lines: list[str] = []
    try:
        deadline = time.monotonic() + start_seconds
        url = None
        assert process.stdout is not None
        while url is None:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                raise RuntimeError(f"the {name} command exited: " + "".join(lines))
            lines.append(line)
            found = re.search(r"open (http://127\.0\.0\.1:\d+/\S+)", line)
            url = found.group(1) if found else None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {name} command printed no address: " + "".join(lines))
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def server_log(scratch: Path, lines: int = 60) -> str:
    """The last ``lines`` lines of the Voilà log a served command wrote under ``scratch`` (for a failure message)."""
    logs = sorted(scratch.rglob("voila.log"), key=lambda path: path.stat().st_mtime)
    if not logs:
        return "(no server log found)"
    text = logs[-1].read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])
