"""The warm-kernel server: one process that imports a kernel's libraries once and forks each kernel from there.

``python -m toolkit.kernels.zygote FD MODULE ...`` with the listening socket on file descriptor FD and a pipe
from its owner on standard input (:func:`toolkit.kernels.kernel_command` starts it). It imports the modules
named, then, for each request a kernel stub (:mod:`toolkit.kernels.stub`) sends, forks a child that becomes
that kernel: in its own session, with the stub's standard streams, environment and working folder, the same
``sys.argv`` and ``sys.path[0]`` as ``python -m ipykernel_launcher``, and a fresh seed for NumPy's global
random generator. A kernel that starts this way skips the 2 to 4 seconds of CPU its imports would cost.

It replies ``pid N`` when the kernel runs and ``exit CODE`` when it ends (negative: ended by that signal),
and stops when its owner's pipe closes (the owner is gone). It replies ``refused`` (and the stub starts the
kernel afresh) when the kernel would not start the same afresh as forked from here: another interpreter, or
another ``PYTHON...`` environment (``PYTHONPATH``, ``PYTHONHASHSEED`` and the like shape an interpreter as it
starts, before any module is imported).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import traceback

REQUEST_LIMIT = 4 * 1024 * 1024


def _read_request(connection: socket.socket) -> tuple[dict, list[int]]:
    connection.settimeout(30)
    data, fds, _flags, _address = socket.recv_fds(connection, 65536, 8)
    if len(data) < 4:
        raise ValueError("short request")
    (length,) = struct.unpack("!I", data[:4])
    if length > REQUEST_LIMIT:
        raise ValueError("request too long")
    data = data[4:]
    while len(data) < length:
        chunk = connection.recv(length - len(data))
        if not chunk:
            raise ValueError("request cut short")
        data += chunk
    return json.loads(data.decode("utf-8")), fds


def _interpreter_environment(environment: dict[str, str]) -> dict[str, str]:
    """The variables that shape an interpreter as it starts."""
    return {name: value for name, value in environment.items() if name.startswith("PYTHON")}


def _forks_the_same(request: dict) -> bool:
    """Whether the kernel asked for would start the same afresh as it does forked from this server."""
    argv = request.get("argv") or []
    return (bool(argv) and argv[0] == sys.executable
            and _interpreter_environment(request.get("env") or {}) == _interpreter_environment(dict(os.environ)))


def _watch_lifeline(fd: int) -> None:
    """In the kernel: when the stub is gone (its end of the pipe closed), end the kernel's process group."""
    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 1):
                pass
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="warm-kernel-lifeline", daemon=True).start()


def _register_with_the_kernel() -> None:
    """What a module does when first imported inside a kernel, done for the modules the server imported: once the
    kernel exists, ipywidgets registers its comm targets (``jupyter.widget`` and ``jupyter.widget.control``)."""
    from ipykernel import kernelapp

    init_kernel = kernelapp.IPKernelApp.init_kernel

    def init_kernel_then_register(app) -> None:
        init_kernel(app)
        widgets = sys.modules.get("ipywidgets")
        if widgets is not None:
            widgets.register_comm_target()

    kernelapp.IPKernelApp.init_kernel = init_kernel_then_register  # type: ignore[method-assign]


def _become_kernel(request: dict, fds: list[int], close: list[int]) -> None:
    """In the forked child: turn this process into the kernel the stub asked for; never returns."""
    code = 1
    try:
        for fd in close:
            with contextlib.suppress(OSError):
                os.close(fd)
        os.setsid()
        for target, fd in zip((0, 1, 2), fds[:3]):
            os.dup2(fd, target)
        for fd in fds[:3]:
            if fd > 2:
                os.close(fd)
        _watch_lifeline(fds[3])
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # each kernel its own draws, as in a process of its own
        argv = request["argv"]  # [python, -m, ipykernel_launcher, -f, connection file, ...]
        module = argv[2]
        # ``python -m`` puts the working folder first: the server's own (its empty socket folder) becomes the kernel's;
        # the interpreter's flags are a fresh kernel's too (the server is started with none)
        sys.path[0] = os.getcwd()
        import runpy

        _register_with_the_kernel()
        sys.argv = [module, *argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # the kernel's own failure, reported on its stderr like any process
        traceback.print_exc()
        code = 1
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _remove_own_folder() -> None:
    """The server runs in its socket's temporary folder: remove both, whether or not the owner could."""
    folder = os.getcwd()
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.chdir("/")
        os.rmdir(folder)


def serve(listener_fd: int, modules: list[str]) -> None:
    for name in modules:
        with contextlib.suppress(Exception):  # a module that does not import fails again, in the kernel
            importlib.import_module(name)
    # What the server imported stays for good: frozen, the cycle collector of a forked kernel never walks it, and so
    # never writes to (and makes the kernel copy) the pages it shares with the server.
    gc.collect()
    gc.freeze()
    listener = socket.socket(fileno=listener_fd)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "owner")
    kernels: dict[int, tuple[socket.socket, int]] = {}  # pid -> (the stub's connection, a pidfd)
    while True:
        for key, _events in selector.select():
            if key.data == "owner":
                if not os.read(sys.stdin.fileno(), 4096):
                    _remove_own_folder()
                    return  # the owner is gone; closing the connections makes each stub stop its kernel
            elif key.data == "accept":
                connection, _ = listener.accept()
                try:
                    request, fds = _read_request(connection)
                except (OSError, ValueError):
                    connection.close()
                    continue
                if not _forks_the_same(request):
                    for fd in fds:
                        os.close(fd)
                    with contextlib.suppress(OSError):
                        connection.sendall(b"refused\n")
                    connection.close()
                    continue
                open_fds = [listener.fileno(), selector.fileno(), sys.stdin.fileno(), connection.fileno()] + \
                    [fd for stub, pidfd in kernels.values() for fd in (stub.fileno(), pidfd)]
                pid = os.fork()
                if pid == 0:
                    _become_kernel(request, fds, open_fds)
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)
                kernels[pid] = (connection, pidfd)
                selector.register(pidfd, selectors.EVENT_READ, pid)
                with contextlib.suppress(OSError):  # the stub is gone: its kernel's lifeline ends the kernel
                    connection.sendall(f"pid {pid}\n".encode("ascii"))
            else:
                pid = key.data
                connection, pidfd = kernels.pop(pid)
                selector.unregister(pidfd)
                os.close(pidfd)
                _, status = os.waitpid(pid, 0)
                with contextlib.suppress(OSError):
                    connection.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode("ascii"))
                connection.close()


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2:])
