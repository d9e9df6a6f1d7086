"""The studio's Voilà server process, locked to its consultant: ``python -m toolkit.studio_server <voila args>``.

:class:`toolkit.studio.StudioServer` starts this module, not Voilà itself, so that:

- every request, including static files and the kernels' websockets, passes the **Host and Origin
  check** first (:func:`refusal`): the Host must be 127.0.0.1, localhost or [::1] on the studio's own
  port (a DNS-rebinding page arrives with its own host name and is refused), and an Origin, when the
  browser sends one, must be the studio's own (a page on another site or another local port cannot
  drive a kernel, read a table or click a button);
- the **token** arrives on standard input (one line, then the pipe closes), never on the command line
  another local user can read with ``ps`` nor in the environment the kernels inherit; Jupyter's own
  token mechanism checks it, and sets a login cookie (HttpOnly, SameSite=Strict) on the first visit;
- **SIGHUP** (the terminal closed) stops the server like SIGTERM and Ctrl-C do, shutting its kernels
  down first, and the server stops itself when the process that started it is gone (killed with
  SIGKILL): nothing is left running without a parent.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

__all__ = ["ALLOWED_HOSTS", "PARENT_VARIABLE", "KERNEL_MANAGER", "refusal", "main"]

#: The host names the studio answers to (the address it prints uses the first).
ALLOWED_HOSTS = ("127.0.0.1", "localhost", "[::1]")
PARENT_VARIABLE = "MENTORING_TOOLKIT_STUDIO_PARENT"
_PARENT_CHECK_MS = 1000
#: The kernel manager the server starts its kernels with (:func:`_local_socket_kernel_manager`), by name.
KERNEL_MANAGER = "toolkit.studio_server.LocalSocketKernelManager"


def _local_socket_kernel_manager() -> type:
    """Jupyter's kernel manager, with each kernel on local sockets of its own (IPC on macOS and Linux).

    Over TCP, a kernel is given free ports that it binds a moment later; when several kernels start together
    (every page's pre-started kernel when the server starts, the refills when pages are opened) another
    process can take a port in between, the kernel dies ("Address already in use") and its page never draws.
    IPC sockets are files in the server's own connection folder, named after each kernel, so no two kernels
    and no other program can collide; and nothing else on the machine can reach a kernel through a port.
    """
    import uuid

    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from .kernels import kernel_command

    class LocalSocketKernelManager(ServerKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if os.name == "posix" and self.connection_file:
                self.transport = "ipc"
                # short names: a socket's path must stay under about 100 characters
                self.ip = os.path.join(os.path.dirname(self.connection_file), "k" + uuid.uuid4().hex[:8])

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # every page's kernel is forked from a warm-kernel server (toolkit.kernels)
            return await super()._async_launch_kernel(kernel_command(kernel_cmd, several=True), **kw)

    return LocalSocketKernelManager


def __getattr__(name: str):
    # Jupyter imports the kernel manager by name (KERNEL_MANAGER); the class is built on first use so that
    # importing this module (for ``refusal``) does not import the Jupyter server.
    if name == "LocalSocketKernelManager":
        cls = _local_socket_kernel_manager()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _host_and_port(value: str) -> tuple[str, str]:
    """``"127.0.0.1:8866"`` -> ``("127.0.0.1", "8866")``; ``"[::1]:8866"`` -> ``("[::1]", "8866")``."""
    value = value.strip().lower()
    if value.startswith("["):
        if "]" not in value:
            return value, ""  # malformed: never an allowed host
        host, _, rest = value.partition("]")
        return host + "]", rest[1:] if rest.startswith(":") else rest
    host, _, port = value.partition(":")
    return host, port


def refusal(headers: Mapping[str, str], method: str, port: int) -> str | None:
    """Why a request must be refused (None when it may go on): a foreign Host, a foreign Origin, or a
    cross-site request that is not the browser opening a page.

    Parameters
    ----------
    headers
        The request's headers (case-insensitive mapping, as tornado gives them).
    method
        GET, POST, ...
    port
        The port the studio listens on.
    """
    host, host_port = _host_and_port(headers.get("Host", ""))
    if host not in ALLOWED_HOSTS or host_port not in ("", str(port)):
        return f"the Host {headers.get('Host', '(none)')!r} is not this studio"
    origin = headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin.strip().lower())
        origin_host, origin_port = _host_and_port(parts.netloc)
        if parts.scheme != "http" or origin_host not in ALLOWED_HOSTS or origin_port != str(port):
            return f"the Origin {origin!r} is not this studio"
    site = headers.get("Sec-Fetch-Site", "").lower()
    if site in ("cross-site", "same-site") and not (headers.get("Sec-Fetch-Mode", "").lower() == "navigate"
                                                    and method in ("GET", "HEAD")):
        return f"a {site} request from another page"
    return None


def _guarded(handler_class: type, port: int) -> type:
    """``handler_class`` with :func:`refusal` checked before anything else it does, and a page opened with
    ``?token=`` redirected, once the token has set the login cookie, to its address without it (the token
    then stays out of the browser's history, the pages' Referer headers and the kernel's environment)."""
    from tornado.log import app_log

    async def prepare(self, *args, **kwargs):
        why = refusal(self.request.headers, self.request.method or "", port)
        if why:
            app_log.warning("Studio refused %s %s: %s", self.request.method, self.request.path, why)
            self.clear()
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"Refused: {why}. This studio answers only the address mentoring-toolkit studio printed.\n")
            return
        result = handler_class.prepare(self, *args, **kwargs)
        if result is not None:
            await result
        if (self.request.method == "GET" and "token" in self.request.query_arguments and not self._finished
                and self.request.path.startswith("/voila/render/") and getattr(self, "current_user", None)):
            rest = [(name, value) for name, values in self.request.query_arguments.items() if name != "token"
                    for value in values]
            self.redirect(self.request.path + ("?" + urlencode(rest) if rest else ""))

    return type(f"Guarded{handler_class.__name__}", (handler_class,), {"prepare": prepare})


def _app_class():
    from voila.app import Voila

    class GuardedVoila(Voila):
        """Voilà with every handler behind the Host/Origin check, Jupyter's own host check back on,
        SIGHUP handled, and a watch on the parent process."""

        def init_settings(self):
            settings = super().init_settings()
            settings["allow_remote_access"] = False  # Voilà turns Jupyter's own Host check off; on again
            settings["local_hostnames"] = ["localhost"]
            return settings

        def init_handlers(self):
            return [(pattern, _guarded(handler, self.port), *rest) for pattern, handler, *rest in super().init_handlers()]

        def start(self):
            signal.signal(signal.SIGHUP, self._handle_signal_stop)
            parent = os.environ.pop(PARENT_VARIABLE, "")
            if parent.isdigit():
                from tornado.ioloop import IOLoop, PeriodicCallback

                def watch_parent() -> None:
                    if os.getppid() != int(parent):  # the studio command is gone: stop, kernels first
                        self.log.info("The studio command stopped; stopping the server.")
                        IOLoop.current().stop()

                IOLoop.current().add_callback(lambda: PeriodicCallback(watch_parent, _PARENT_CHECK_MS).start())
            super().start()

    return GuardedVoila


def main(argv: list[str] | None = None) -> None:
    """Run the guarded Voilà with ``argv`` (Voilà's own options); the token is the first line on standard input."""
    from traitlets.config import Config

    token = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.readline().strip()
    if len(token) < 32:
        sys.exit("The studio server needs its token (started by mentoring-toolkit studio, not by hand).")
    config = Config()
    config.Voila.token = token
    # The login cookie set by the first visit: never sent with a request another site starts.
    config.IdentityProvider.cookie_options = {"samesite": "Strict", "httponly": True}
    config.AsyncMappingKernelManager.kernel_manager_class = KERNEL_MANAGER
    _app_class().launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":  # pragma: no cover - run as a process by toolkit.studio
    main()
