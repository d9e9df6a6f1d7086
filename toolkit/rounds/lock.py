"""One adoption at a time per client, and round folders that appear whole or not at all.

:func:`adoption_lock` takes ``matches/.adopting.lock`` for the time a round is chosen and written. The
lock is the operating system's (``fcntl.flock``, ``msvcrt.locking`` on Windows), so it is released when
its process ends, however it ends: a lock left by a run killed with ``kill -9`` is free again at once. The
file holds the holder's pid and start time, which a second run names in its message. The lock is
re-entrant within one process (``match`` holds it while it solves and while ``adopt`` writes).

:func:`staging_folder` is where a round is written before it is renamed into place
(``matches/.adopting-<pid>-<random>/``): no reader looks at a name starting with a dot, and the next
adoption removes the ones a killed run left (:func:`remove_leftovers`).

Tests stop a run at a named point with ``MENTORING_TOOLKIT_TEST_KILL_AT=<point>`` (the process sends
itself SIGKILL there) or hold the lock until a file exists with ``MENTORING_TOOLKIT_TEST_HOLD_LOCK=<path>``;
without these variables both hooks do nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigError

__all__ = ["LOCK_NAME", "STAGING_PREFIX", "AdoptionInProgress", "adoption_lock", "staging_folder",
           "remove_leftovers", "stop_point"]

LOCK_NAME = ".adopting.lock"
STAGING_PREFIX = ".adopting-"
KILL_VARIABLE = "MENTORING_TOOLKIT_TEST_KILL_AT"
HOLD_VARIABLE = "MENTORING_TOOLKIT_TEST_HOLD_LOCK"

_held: dict[str, tuple[int, int]] = {}  # lock path -> (open file descriptor, depth), for this process
_guard = threading.Lock()


class AdoptionInProgress(ConfigError):
    """Another run is adopting a round for the same client right now."""


def _try_lock(descriptor: int) -> bool:
    """Take the OS lock on an open file without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    """Who holds the lock, in words, from the lock file ("" when it cannot be read)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return ""
    pid, since = record.get("pid"), record.get("since")
    return f"process {pid}" + (f", since {since}" if since else "") if pid else ""


@contextmanager
def adoption_lock(matches: str | os.PathLike, *, command: str = "match") -> Iterator[Path]:
    """Hold the client's adoption lock (``<matches>/.adopting.lock``) for the ``with`` block.

    Raises
    ------
    AdoptionInProgress
        When another process holds it: "another match is adopting a round for this client"; nothing
        was written.
    """
    folder = Path(matches)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    key = str(path.resolve())
    with _guard:
        if key in _held:
            descriptor, depth = _held[key]
            _held[key] = (descriptor, depth + 1)
            acquired = False
        else:
            acquired = True
    if acquired:
        # Opened without truncating: the holder's pid stays readable to a second run until this one owns it.
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(descriptor):
            os.close(descriptor)
            holder = _holder(path)
            raise AdoptionInProgress(
                "another match is adopting a round for this client" + (f" ({holder})" if holder else "")
                + "; nothing was written by this run.", path=folder.parent,
                fix=f"wait for it to finish, then run {command} again if you still need to (it adopts the next "
                    "round, keeping the one just adopted)")
        record = {"pid": os.getpid(), "since": dt.datetime.now().isoformat(timespec="seconds"), "command": command}
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, (json.dumps(record) + "\n").encode("utf-8"))
        with _guard:
            _held[key] = (descriptor, 1)
        _hold_for_tests()
    try:
        yield path
    finally:
        with _guard:
            descriptor, depth = _held[key]
            if depth > 1:
                _held[key] = (descriptor, depth - 1)
            else:
                del _held[key]
                # The file stays (removing it would let two runs lock two different files); closing unlocks it.
                os.ftruncate(descriptor, 0)
                os.close(descriptor)


def staging_folder(matches: Path) -> Path:
    """A new, empty folder in ``matches`` to write a round into before it is renamed into place."""
    folder = matches / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    return folder


def remove_leftovers(matches: Path) -> list[str]:
    """Remove the staging folders a killed run left in ``matches`` (call with the adoption lock held)."""
    removed: list[str] = []
    if not matches.is_dir():
        return removed
    for path in matches.iterdir():
        if path.is_dir() and path.name.startswith(STAGING_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def stop_point(point: str) -> None:
    """The test hook: SIGKILL this process when ``MENTORING_TOOLKIT_TEST_KILL_AT`` names ``point``."""
    if os.environ.get(KILL_VARIABLE) == point:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _hold_for_tests() -> None:
    """The test hook: with the lock held, wait until the file ``MENTORING_TOOLKIT_TEST_HOLD_LOCK`` names exists."""
    release = os.environ.get(HOLD_VARIABLE)
    if not release:
        return
    deadline = time.monotonic() + 60
    while not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
