"""Warm kernels: each kernel forked from one process that has already imported a kernel's libraries.

A report, a course lesson or a studio page runs in a Jupyter kernel of its own. Started afresh, each kernel
spends 2 to 4 seconds of CPU importing IPython, pandas, Altair, SciPy and the toolkit before its first cell
does any work. A process that starts several kernels (a batch of reports, the course, the studio's pages)
instead starts, on its second kernel, one **warm-kernel server** (:mod:`toolkit.kernels.zygote`) that
imports them once; every later kernel is a fork of it, ready in a fraction of a second. Processes forked from
that process (a batch's pool, which starts the server first: :func:`share_with_children`) use the same server.

Nothing changes for Jupyter: the kernel manager starts a small stand-in (:mod:`toolkit.kernels.stub`) that
receives the kernel's signals, exits with its status and stops it when killed. Each kernel still has its own
process, working folder, environment, standard streams and log. When the server is not there or cannot fork,
the stand-in starts the kernel the ordinary way, so a kernel always starts; it does so too when the kernel's
interpreter would start otherwise than the server's (another interpreter, or other ``PYTHON...`` variables, such
as a kernelspec's ``PYTHONPATH``), since a fork would carry the server's import path.

Only on Linux (it needs ``os.pidfd_open`` and ``socket.send_fds``); elsewhere, or with
``MENTORING_TOOLKIT_WARM_KERNELS=0`` in the environment, every kernel starts afresh.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

__all__ = ["PRELOAD", "KERNEL_DEPENDENT", "SWITCH", "kernel_command", "share_with_children", "warm_server_processes",
           "server_pid"]

#: The environment variable that turns warm kernels off ("0").
SWITCH = "MENTORING_TOOLKIT_WARM_KERNELS"
#: What the server imports once for every kernel: the kernel and the libraries reports and pages use.
#: Never a module whose import depends on the kernel it runs in (:data:`KERNEL_DEPENDENT`), since the server
#: imports before any kernel exists: ``ipykernel.kernelapp`` reads ``JPY_PARENT_PID`` when its class is defined,
#: matplotlib's pyplot picks its backend from the environment the kernel sets. ipywidgets registers its comm
#: targets with the running kernel when first imported; a warm kernel registers them as it starts instead
#: (:mod:`toolkit.kernels.zygote`), or a page's widgets could not be fetched again.
PRELOAD = ("ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm", "numpy", "pandas", "altair", "scipy.stats",
           "ipywidgets", "toolkit.reports", "toolkit.widgets")
KERNEL_DEPENDENT = ("ipykernel.kernelapp", "matplotlib.pyplot")
STUB = Path(__file__).with_name("stub.py")

_lock = threading.Lock()
_launches = 0
_server: tuple[subprocess.Popen, str, str] | None = None  # (process, socket path, folder)
_owner = 0  # the process that started ``_server``: a forked child inherits the variable, not the server


def _supported() -> bool:
    return (os.name == "posix" and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")
            and os.environ.get(SWITCH, "1") != "0")


def _is_plain_kernel(command: list[str]) -> bool:
    """Whether ``command`` is this interpreter's ``python -m ipykernel_launcher ...`` (the toolkit's kernelspec)."""
    return len(command) >= 3 and command[0] == sys.executable and command[1:3] == ["-m", "ipykernel_launcher"]


def _start_server() -> tuple[subprocess.Popen, str, str] | None:
    folder = tempfile.mkdtemp(prefix="tk-warm-")
    address = os.path.join(folder, "server")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(address)
        listener.listen(64)
        process = subprocess.Popen(
            [sys.executable, "-m", "toolkit.kernels.zygote", str(listener.fileno()), *PRELOAD], cwd=folder,
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(listener.fileno(),), start_new_session=True)
    except OSError:
        return None
    finally:
        listener.close()  # the server holds its own copy; stubs queue on it while it imports
    atexit.register(_stop_server)
    return process, address, folder


def _stop_server() -> None:
    global _server
    with _lock:
        server, _server = _server, None
    if server is None or _owner != os.getpid():
        return  # a forked child exiting: the server and its folder are its parent's
    process, _address, folder = server
    try:
        if process.stdin:
            process.stdin.close()  # the server reads end-of-file and stops
        process.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
    with contextlib.suppress(OSError):  # the server may have removed it already
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def kernel_command(command: list[str], *, several: bool = False) -> list[str]:
    """The command to start the kernel ``command`` with: through the warm-kernel server when it can be.

    The first kernel a process starts starts afresh (a process that runs one report gains nothing from a
    server); the second starts the server, and it and every later kernel go through it. A process that knows it
    will start several (the studio's server: every page has a kernel) says ``several=True``, and its first
    kernel goes through the server too; so does the first kernel of a process whose server already runs
    (:func:`share_with_children`), or that was forked from one whose server runs. Commands other than this
    interpreter's ``-m ipykernel_launcher`` are returned unchanged.
    """
    global _launches
    if not _supported() or not _is_plain_kernel(command):
        return command
    with _lock:
        _launches += 1
        address = _serving()
        if address is None and (_launches >= 2 or several):
            address = _own_address()
    return command if address is None else [sys.executable, "-I", "-S", str(STUB), address, "--", *command]


def _serving() -> str | None:
    """The address of a server that already runs for this process: its own, or the one of the process it was forked
    from (a batch's pool process), while that one listens.

    A forked process shares its parent's interpreter and, unless it changed them, its environment, so the server
    forks its kernels just as it would the parent's; one that would start otherwise is refused and starts afresh
    (:mod:`toolkit.kernels.zygote`), and the stand-in starts the kernel itself if the server has gone meanwhile.
    """
    if _server is None:
        return None
    if _owner == os.getpid():
        return _server[1] if _server[0].poll() is None else None
    return _server[1] if os.path.exists(_server[1]) else None


def _own_address() -> str | None:
    """This process's own server's address, the server started first if it is not running."""
    global _server, _owner
    if _server is None or _owner != os.getpid() or _server[0].poll() is not None:
        _server, _owner = _start_server(), os.getpid()
    return None if _server is None else _server[1]


def share_with_children() -> bool:
    """Start this process's warm-kernel server now, before it forks processes that run kernels (a batch's pool).

    Each forked process then forks its kernels from this one server (:func:`kernel_command`) rather than starting a
    kernel afresh and then a server of its own. True when a server runs."""
    if not _supported():
        return False
    with _lock:
        return (_serving() or _own_address()) is not None


def warm_server_processes(processes) -> set[int]:
    """Of ``processes`` (``psutil.Process`` objects), the ids of warm-kernel servers and of the kernels they
    forked: what the kernels' stand-ins stand for. Jupyter starts the stand-in, so to count or name a process
    group's kernels as Jupyter sees them, leave these out. A forked kernel has its server's command line; the
    server is the one whose parent is not a server."""
    import psutil

    parents, zygotes = {}, set()
    for process in processes:
        try:
            parents[process.pid] = process.ppid()
            if "toolkit.kernels.zygote" in process.cmdline():
                zygotes.add(process.pid)
        except psutil.Error:
            continue
    servers = {pid for pid in zygotes if parents.get(pid) not in zygotes}
    return servers | {pid for pid, parent in parents.items() if parent in servers}


def server_pid() -> int | None:
    """The process id of this process's warm-kernel server, if one runs (for tests and diagnostics)."""
    with _lock:
        return _server[0].pid if _server and _owner == os.getpid() and _server[0].poll() is None else None
