"""The process Jupyter starts for a warm kernel: it asks the warm-kernel server for a kernel and stands in for it.

Run as a script with the standard library only (``python -I -S stub.py SOCKET -- KERNEL COMMAND``), so it
starts in a few milliseconds. It sends the server the kernel command, its environment, its working folder and
its standard streams, and the server forks a kernel with the libraries already imported
(:mod:`toolkit.kernels.zygote`). From then on this process *is* the kernel as far as Jupyter can tell:

- the signals Jupyter sends it (an interrupt, a request to stop) are passed to the kernel's process group;
- it exits when the kernel exits, with the kernel's exit status (or by the signal that ended the kernel);
- when it is killed outright, the kernel sees its lifeline close and kills its own process group; when the
  process that started it is gone, it stops the kernel and exits, as a kernel does when its parent is gone.

When no server answers, or the server cannot start a kernel, it runs the kernel command itself (``exec``),
so a kernel always starts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
PARENT_CHECK_SECONDS = 1.0


def _exec(command: list[str]) -> None:
    os.execv(command[0], command)


class _Replies:
    """The server's newline-ended replies on ``connection``, one at a time."""

    def __init__(self, connection: socket.socket, parent: int) -> None:
        self.connection, self.parent, self.buffer = connection, parent, b""
        connection.settimeout(PARENT_CHECK_SECONDS)

    def next(self) -> str:
        """The next reply; "" when the server closed the connection or our parent is gone."""
        while b"\n" not in self.buffer:
            try:
                chunk = self.connection.recv(4096)
            except TimeoutError:
                if os.getppid() != self.parent:
                    return ""
                continue
            if not chunk:
                return ""
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("ascii", "replace")


def main(argv: list[str]) -> None:
    address, separator, *command = argv
    if separator != "--" or not command:
        raise SystemExit("usage: stub.py SOCKET -- KERNEL COMMAND")
    parent = os.getppid()
    kernel = 0
    pending: list[int] = []

    def forward(signum, _frame):
        if not kernel:
            pending.append(signum)  # the kernel is not there yet: pass it on when it is
            return
        with contextlib.suppress(OSError):  # the kernel has already gone
            os.killpg(kernel, signum)

    for forwarded in FORWARDED:
        signal.signal(forwarded, forward)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(address)
    except OSError:
        connection.close()
        _exec(command)
    lifeline, keep = os.pipe()  # the kernel holds ``lifeline``; it reads end-of-file when this process is gone
    try:
        # (an environment value that is not text, or a working folder that is gone, starts the kernel here)
        request = json.dumps({"argv": command, "env": dict(os.environ), "cwd": os.getcwd()}).encode("utf-8")
        socket.send_fds(connection, [struct.pack("!I", len(request)) + request], [0, 1, 2, lifeline])
    except (OSError, ValueError):
        connection.close()
        _exec(command)
    os.close(lifeline)
    replies = _Replies(connection, parent)
    reply = replies.next()
    if not reply.startswith("pid "):
        connection.close()
        os.close(keep)
        for forwarded in FORWARDED:
            signal.signal(forwarded, signal.SIG_DFL)
        _exec(command)  # the server could not start one: start the kernel here
    kernel = int(reply.split()[1])
    for waiting in pending:
        forward(waiting, None)
    reply = replies.next()
    if not reply.startswith("exit "):  # the server or our parent is gone: the kernel goes too
        forward(signal.SIGKILL, None)
        os._exit(1)
    code = int(reply.split()[1])
    if code < 0:  # ended by a signal: end the same way, so Jupyter reads the same status
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code & 0xFF)


if __name__ == "__main__":
    main(sys.argv[1:])
