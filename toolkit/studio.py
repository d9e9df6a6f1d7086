"""The studio: the widget apps served to a client's programme team with Voilà, code hidden.

``mentoring-toolkit studio --client sample_data/northwind`` writes one page per app (the thin
notebooks in ``notebooks/studio/``, pointed at the client) and a landing page into a temporary
folder, starts Voilà on a free localhost port, prints the address and serves until Ctrl-C.
Voilà shows the notebooks' outputs and markdown, never their code, through the toolkit's own Voilà
template (:data:`TEMPLATE`, in ``templates/studio/``): Voilà's ``lab`` template without its links to
a CDN, so no page loads anything from any host but the local server (the Font Awesome icons on the
buttons come from the copy Voilà itself serves). Every page opens with the
client's name (:func:`banner`); files the apps save (the matching studio's Excel workbook with
its scenarios, a column mapping, an agreement) land in the client folder's ``exports/``::

    from toolkit.studio import StudioServer
    with StudioServer("sample_data/riverbank") as server:
        print(server.url)          # http://127.0.0.1:<port>/voila/render/index.ipynb?token=<random>

Only its consultant can drive it (:mod:`toolkit.studio_server` runs Voilà): the address carries a
random token (Jupyter's own mechanism; the first visit sets a login cookie, so the landing page's
links work without it), every request's Host and Origin are checked against 127.0.0.1, localhost
and [::1] on the studio's port, files the apps save stay inside ``exports/``
(:func:`toolkit.paths.export_path`), the port asked for is the port used (1024-65535), kernels
are shut down when their page closes (and culled when idle and disconnected), and Ctrl-C, SIGTERM
and SIGHUP (the terminal closed) stop the server and every kernel it started.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .client import ClientConfig, load_client
from .errors import ToolkitError
from .files import write_text
from .kernels import warm_server_processes
from .reports.context import logo_data_uri
from .reports.runner import KERNEL_START_SECONDS, OUTPUT_WAIT_SECONDS, ensure_kernel
from .resources import data_dir, notebooks_dir
from .studio_server import PARENT_VARIABLE

if TYPE_CHECKING:
    from .matching.result import MatchResult

__all__ = ["APPS", "EXPORT_FOLDER", "StudioSite", "StudioServer", "available_apps", "banner", "build_site",
           "export_dir", "first_unit", "landing", "serve", "studio_notebooks_dir", "TEMPLATE", "template_root",
           "wait_for_visitor", "check_port", "check_preheat", "PORT_RANGE", "CULL_IDLE_SECONDS"]

# page name -> what the landing page says about it, and what the client.yaml must name for it to work
APPS: dict[str, dict] = {
    "matching_studio": {"title": "Matching studio", "needs": (),
                        "what": "Tune the criteria weights and the hard rules, pin or ban pairs, compare "
                                "scenarios and export the match to Excel. Every change is solved again and "
                                "proven optimal."},
    "cohort_setup": {"title": "Cohort set-up", "needs": (),
                     "what": "The sign-up file as the toolkit reads it: each column, every problem with its "
                             "spreadsheet row, and whether there are enough mentors."},
    "goal_builder": {"title": "Goal builder", "needs": ("pairs|circles",),
                     "what": "Build SMART goals from the goal library, see the check live, and export a "
                             "mentoring agreement for a pair."},
    "survey_explorer": {"title": "Survey explorer", "needs": ("surveys",),
                        "what": "Survey scales by wave and group; groups below the anonymity threshold are "
                                "hidden."},
}
EXPORT_FOLDER = "exports"
LANDING = "index"
START_SECONDS = 60  # how long the server may take to answer before the command gives up
TEMPLATE = "mentoring-toolkit"  # the Voilà template the studio's pages are rendered with (offline)
# Pre-started kernels: Voilà keeps one kernel per page running its notebook up to wait_for_visitor() (the
# toolkit imported, a first chart drawn), so a page opened shows its widgets in a second or two instead of
# paying for a kernel start and the imports (benchmarks/studio_pages.py measures both). A used kernel is
# replaced after PREHEAT_REFILL_SECONDS, so the refill does not compete with the page just opened.
PREHEAT_POOL = 1
PREHEAT_REFILL_SECONDS = 8.0
#: The ports ``--port`` may name: below 1024 needs administrator rights; above 65535 there are none.
PORT_RANGE = (1024, 65535)
#: A kernel whose page is gone (no connection) is shut down after this many idle seconds; a page that
#: closes normally shuts its kernel down at once (Voilà's beforeunload request).
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 60


def studio_notebooks_dir() -> Path:
    """The studio's page notebooks: ``notebooks/studio/``."""
    return notebooks_dir() / "studio"


def template_root() -> Path:
    """The folder Voilà finds the studio's template in (as ``voila/templates/<TEMPLATE>``, on ``JUPYTER_PATH``).

    Always the toolkit's own ``templates/studio/``: a consultancy's ``$MENTORING_TOOLKIT_TEMPLATES``
    holds programme templates, not this.
    """
    root = data_dir("templates") / "studio"
    if not (root / "voila" / "templates" / TEMPLATE / "index.html.j2").is_file():
        raise ToolkitError(f"The studio's page template is missing from {root}.",
                           fix="reinstall the toolkit (pip install mentoring-toolkit, or make install in a checkout)")
    return root


def _config(client: str | Path | ClientConfig) -> ClientConfig:
    return client if isinstance(client, ClientConfig) else load_client(client)


def export_dir(client: str | Path | ClientConfig) -> Path:
    """Where the served apps save files: the client folder's ``exports/``."""
    return _config(client).folder / EXPORT_FOLDER


def available_apps(client: str | Path | ClientConfig) -> list[str]:
    """The apps the client's files support, in the order of :data:`APPS`."""
    config = _config(client)
    return [name for name, app in APPS.items()
            if all(any(config.get(key) for key in need.split("|")) for need in app["needs"])]


_STYLE = """<style>
.tk-studio-banner{background:#12355b;color:#fff;padding:14px 20px;border-radius:6px;margin:0 0 12px 0;
  font-family:system-ui,-apple-system,'Segoe UI',sans-serif}
.tk-studio-banner h1{margin:0;font-size:1.5em;color:#fff}
.tk-studio-banner p{margin:4px 0 0 0;opacity:.85}
.tk-studio-banner a{color:#fff}
.tk-studio-logo{float:right;max-height:48px;max-width:160px;background:#fff;padding:4px;border-radius:4px}
.tk-studio-apps{display:flex;flex-wrap:wrap;gap:14px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}
.tk-studio-app{border:1px solid #c9d3de;border-radius:6px;padding:12px 16px;width:300px}
.tk-studio-app a{font-size:1.15em;font-weight:600;color:#12355b}
</style>"""


def _banner_html(config: ClientConfig, page: str | None) -> str:
    programme = config.data.get("programme", {}).get("name", "")
    where = f" · {html.escape(APPS[page]['title'])}" if page in APPS else ""
    brand = config.branding  # the client's accent colour, logo (as a data URI) and consultancy, as in reports
    logo = logo_data_uri(brand["logo"])
    by = f" · prepared by {html.escape(brand['consultancy'])}" if brand["consultancy"] else ""
    return (_STYLE + f"<div class='tk-studio-banner' style='background:{brand['accent']}'>"
            + (f"<img class='tk-studio-logo' alt='logo' src='{logo}'>" if logo else "")
            + f"<h1>{html.escape(config.name)}</h1><p>{html.escape(programme)}{where}{by}</p></div>")


def banner(client: str | Path | ClientConfig, page: str | None = None):
    """The header every studio page opens with: the client's name, the programme, the page.

    Parameters
    ----------
    client
        A :class:`~toolkit.client.ClientConfig`, or the path of a client folder or client.yaml.
    page
        The app's name in :data:`APPS` (adds its title).
    """
    from IPython.display import HTML

    return HTML(_banner_html(_config(client), page))


def landing(client: str | Path | ClientConfig):
    """The landing page's body: a card linking to each app the client's files support.

    Each app opens in its own browser tab (the landing page stays open in the first).
    """
    from IPython.display import HTML

    config = _config(client)
    cards = "".join(
        f"<div class='tk-studio-app'><a href='{name}.ipynb' class='tk-studio-link-{name}'>"
        f"{html.escape(APPS[name]['title'])}</a><p>{html.escape(APPS[name]['what'])}</p></div>"
        for name in available_apps(config))
    missing = [APPS[name]["title"] for name in APPS if name not in available_apps(config)]
    note = (f"<p class='tk-note'>Not available for this client (its client.yaml names no file for it): "
            f"{html.escape(', '.join(missing))}.</p>" if missing else "")
    saved = (f"<p>Files saved from the apps go to <code>{html.escape(str(export_dir(config)))}</code>.</p>")
    return HTML(_STYLE + f"<div class='tk-studio-apps'>{cards}</div>{note}{saved}")


# The apps a page shows (for warm_up to read their data ahead of time).
PAGE_APPS = {"matching_studio": ("MatchingStudio",), "survey_explorer": ("SurveyExplorer",)}


def wait_for_visitor(client: str | Path | ClientConfig | None = None, page: str | None = None) -> None:
    """In a studio page: get the kernel ready, then wait until a person opens the page.

    The studio pre-starts a kernel per page (:data:`PREHEAT_POOL`); :func:`build_site` puts this call right
    after each page's parameters, so the kernel imports the page's app and, for an app that draws charts, draws a
    first chart (:func:`toolkit.widgets.warm_up`) ahead of time, and the cells after it run when the page is asked for:
    they read the client's files as they are then (a round adopted a minute ago included). With the
    ``client`` and the ``page``, the page's app reads its data ahead of time too, and uses it when the page
    is opened only if no file in the client's folder changed in between
    (:func:`toolkit.widgets.prepared`). Outside a pre-started kernel it only warms up and returns at once.
    """
    from voila.utils import wait_for_request

    from . import widgets

    if page is None or page in APPS:  # the landing page shows no app: its kernel only waits
        widgets.warm_up(page)  # the page's own app (every app outside the studio's pages)
    if client is not None:
        for name in PAGE_APPS.get(page or "", ()):
            getattr(widgets, name).prepare(_config(client))
    wait_for_request()


def first_unit(result: MatchResult):
    """The first pair (a row of ``result.pairs``) or circle (its id) of a match: what the goal builder
    writes an agreement for."""
    if result.shape == "circles":
        circles = result.circles
        if circles.empty:
            raise ToolkitError("This match has no circles, so there is no agreement to write.",
                               fix="check the client's circles file")
        return str(sorted(circles["circle_id"].astype(str))[0])
    if result.pairs.empty:
        raise ToolkitError("This match has no pairs, so there is no agreement to write.",
                           fix="check the client's pairs file")
    return result.pairs.iloc[0]


@dataclass
class StudioSite:
    """The folder Voilà serves: the landing page and one page per app, pointed at one client.

    The course (:mod:`toolkit.course.serve`) writes its own folder of pages and passes it to
    :class:`StudioServer` as ``site``, with no client (``client=None``).
    """

    folder: Path
    client: ClientConfig | None
    pages: list[str]


def studio_pages(config: ClientConfig) -> list[str]:
    """The pages a client's studio serves: the landing page, then each app its client.yaml has files for."""
    return [LANDING, *available_apps(config)]


def build_site(client: str | Path | ClientConfig, folder: str | Path) -> StudioSite:
    """Write the studio's pages for one client into ``folder`` (parameters set, kernel chosen).

    The page notebooks in ``notebooks/studio/`` take ``client_path`` and ``export_dir`` in their
    ``parameters`` cell; the copies get this client's absolute paths, a :func:`wait_for_visitor` cell
    right after it (so a pre-started kernel reads the client's files only when the page is opened) and
    run in this environment's own kernel (:func:`toolkit.reports.ensure_kernel`).
    """
    import nbformat

    config = _config(client)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kernel = ensure_kernel()
    pages = studio_pages(config)
    for page in pages:
        notebook = nbformat.read(studio_notebooks_dir() / f"{page}.ipynb", as_version=4)
        tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
        if len(tagged) != 1:
            raise ToolkitError(f"The studio page {page}.ipynb needs exactly one cell tagged parameters.",
                               fix="report this as a toolkit bug")
        tagged[0].source = (f"client_path = {str(config.path)!r}\n"
                            f"export_dir = {str(export_dir(config))!r}\n")
        # The pre-started kernel runs up to here before anyone asks for the page (see wait_for_visitor).
        notebook.cells.insert(notebook.cells.index(tagged[0]) + 1, nbformat.v4.new_code_cell(
            f"from toolkit.studio import wait_for_visitor\nwait_for_visitor(client_path, {page!r})"))
        notebook.metadata["kernelspec"] = {"name": kernel, "display_name": "Mentoring toolkit (Python)",
                                           "language": "python"}
        write_text(nbformat.writes(notebook), folder / f"{page}.ipynb")
    return StudioSite(folder, config, pages)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_preheat(preheat: Iterable[str] | str | None, pages: list[str], served: str = "studio") -> list[str]:
    """The pages to pre-start: ``None`` or ``"all"`` for every page, ``"none"`` or ``[]`` for none, or page names
    (a list, or one string separated by commas). ``served`` names what serves the pages, for the message.

    Raises
    ------
    ToolkitError
        When a name is not one of the site's pages: the studio never quietly ignores a page it was asked for.
    """
    if preheat is None or preheat == "all":
        return list(pages)
    if isinstance(preheat, str):
        preheat = [] if preheat.strip() == "none" else [name.strip() for name in preheat.split(",") if name.strip()]
    names = list(dict.fromkeys(str(name).removesuffix(".ipynb") for name in preheat))
    unknown = [name for name in names if name not in pages]
    if unknown:
        raise ToolkitError(f"--preheat names {', '.join(unknown)}, which this {served} does not serve (its pages: "
                           f"{', '.join(pages)}).",
                           fix="name pages from that list separated by commas, or 'all' (the default) or 'none'")
    return names


def check_port(port: object) -> int | None:
    """``port`` as a port number the studio may listen on, or None (a free port is chosen).

    Raises
    ------
    ToolkitError
        When it is not a whole number from 1024 to 65535: the studio never quietly uses another port.
    """
    if port is None:
        return None
    low, high = PORT_RANGE
    try:
        number = int(str(port).strip())
    except ValueError:
        number = None
    if number is None or str(number) != str(port).strip().lstrip("+") or not low <= number <= high:
        raise ToolkitError(f"--port {port} is not a port the studio can use: a port is a whole number from {low} to "
                           f"{high} (ports below {low} need administrator rights).",
                           fix="give a port such as --port 8866, or leave --port out and a free one is chosen")
    return number


class StudioServer:
    """Voilà serving one client's studio on localhost; a context manager that always stops it.

    Parameters
    ----------
    client
        A :class:`~toolkit.client.ClientConfig`, or the path of a client folder or client.yaml.
    port
        The port (default: a free one); 1024-65535, and exactly this one (a busy port is an error).
    log
        A file for the server's own log (default: ``voila.log`` in the site's temporary folder).
    site
        Pages already written (the course's): served as they are instead of the client's studio.
        ``client`` may then be None.
    cull_idle_seconds
        How long a kernel with no page connected may stay idle before it is shut down.
    preheat
        The pages whose kernel is started ahead of time (default: every page). A page left out starts
        its kernel when it is opened (a few seconds more); fewer kernels ahead means less memory and a
        quieter machine while the studio starts.

    Attributes
    ----------
    url
        The landing page's address with the token, once started.
    token
        The random token (also in the url); without it, or the cookie its first use sets, nothing is served.
    """

    def __init__(self, client: str | Path | ClientConfig | None = None, *, port: int | None = None,
                 log: str | Path | None = None, site: StudioSite | None = None,
                 cull_idle_seconds: int = CULL_IDLE_SECONDS, preheat: Iterable[str] | str | None = None) -> None:
        self.port = check_port(port)
        if site is not None:
            self.config: ClientConfig | None = site.client
            pages = site.pages
        elif client is not None:
            config = self.config = _config(client)
            pages = studio_pages(config)
        else:
            raise ToolkitError("The studio server needs a client or a site to serve.",
                               fix="report this as a toolkit bug")
        self.preheat = check_preheat(preheat, pages)  # before any folder is made: a wrong name leaves nothing
        self.process: subprocess.Popen | None = None
        self.token = secrets.token_urlsafe(32)
        self.cull_idle_seconds = int(cull_idle_seconds)
        self._scratch = Path(tempfile.mkdtemp(prefix="tk-studio-"))
        self.log_path = Path(log) if log else self._scratch / "voila.log"
        self.site = site if site is not None else build_site(config, self._scratch / "site")
        self.base = ""
        self.url = ""
        self._children: set[int] = set()
        self._log: TextIO | None = None  # Voilà's output, open while it runs

    def page_url(self, page: str, *, token: bool = True) -> str:
        """The address of one app's page (``matching_studio``, ...) or of the landing page, with the token."""
        return f"{self.base}/voila/render/{page}.ipynb" + (f"?token={self.token}" if token else "")

    def _command(self, port: int) -> list[str]:
        """Voilà's options: localhost only, this port only, code and tracebacks hidden, idle kernels culled."""
        return [sys.executable, "-m", "toolkit.studio_server", str(self.site.folder), "--no-browser",
                f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
                "--VoilaConfiguration.show_tracebacks=False", f"--VoilaConfiguration.template={TEMPLATE}",
                # a busy machine: a kernel may be slow to start, and a cell's output slow to arrive (after 4 s
                # Voilà would draw the page without it, and the page would wait for a widget forever)
                f"--VoilaExecutor.startup_timeout={KERNEL_START_SECONDS}",
                f"--VoilaExecutor.iopub_timeout={OUTPUT_WAIT_SECONDS}",
                f"--Voila.root_dir={self.site.folder}",
                f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_seconds}",
                f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_SECONDS, max(1, self.cull_idle_seconds))}",
                "--MappingKernelManager.cull_connected=False",
                # pre-started kernels (Voilà never culls its pool; a used kernel is replaced after the refill delay)
                "--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={PREHEAT_POOL}",
                f"--VoilaKernelManager.fill_delay={PREHEAT_REFILL_SECONDS}",
                # the pages not pre-started (Voilà matches each pattern from the start of the notebook's full
                # path, so the folder is skipped and the name anchored: one page only)
                *(f"--VoilaKernelManager.preheat_denylist=(.*[/\\\\])?{re.escape(page)}\\.ipynb$"
                  for page in self.site.pages if page not in self.preheat)]

    def _environment(self) -> dict[str, str]:
        """The server's environment: this process's id (the server stops when it is gone); no token."""
        runtime = self._scratch / "runtime"
        # The toolkit's template first on Voilà's search path (the other Jupyter folders stay after it).
        jupyter_path = os.pathsep.join(filter(None, [str(template_root()), os.environ.get("JUPYTER_PATH")]))
        environment = {key: value for key, value in os.environ.items() if key not in ("JUPYTER_TOKEN",)}
        return {**environment, "JUPYTER_RUNTIME_DIR": str(runtime), "PYTHONUNBUFFERED": "1",
                "JUPYTER_PATH": jupyter_path, PARENT_VARIABLE: str(os.getpid())}

    def start(self, timeout: float = START_SECONDS) -> StudioServer:
        """Start Voilà and wait until it answers."""
        port = self.port or _free_port()
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (Voilà writes to it until stop() closes it)
        # Its own session: Ctrl-C reaches this process, which then stops Voilà (and its kernels) in order.
        process = self.process = subprocess.Popen(
            self._command(port), cwd=self.site.folder, env=self._environment(), stdin=subprocess.PIPE,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, text=True)
        assert process.stdin is not None  # stdin=PIPE
        process.stdin.write(self.token + "\n")  # the token goes through a pipe: no command line shows it
        process.stdin.close()
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.page_url(LANDING)
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log = self.log_path.read_text(encoding="utf-8", errors="replace")
                self.stop()
                busy = "already in use" in log or "could not be started" in log
                raise ToolkitError(f"The studio server stopped while starting (port {port}"
                                   + (", which another program is using)." if busy else ")."),
                                   fix=("choose another port with --port, or leave --port out for a free one" if busy
                                        else "check the environment (make install); the server said: "
                                        + log.strip()[-600:]))
            if self._answers():
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise ToolkitError(f"The studio server did not answer within {timeout:.0f} seconds.",
                                   fix="try again; on a busy machine give it longer")
            time.sleep(0.2)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/voila/tree?token={self.token}", timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def kernel_processes(self) -> list[int]:
        """The ids of the server's kernels alive now, as Jupyter started them: a warm kernel is its stand-in
        (:mod:`toolkit.kernels`), which ends when the kernel does and ends the kernel when it is killed."""
        import psutil

        if self.process is None or self.process.poll() is not None:
            return []
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return []
        self._children |= {child.pid for child in children}  # all of them are ended when the server stops
        warm = warm_server_processes(children)  # a warm kernel is counted once, as its stand-in
        return sorted(child.pid for child in children if child.pid not in warm)

    def running(self) -> bool:
        """Whether Voilà was started and is still running."""
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20) -> None:
        """Stop Voilà (it shuts its kernels down first), then any process it started that is still running
        (kernels run in their own sessions, so no signal to Voilà reaches them), and remove the pages."""
        self.kernel_processes()  # remember them before Voilà goes
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        _end_processes(self._children)
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> StudioServer:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()


def _end_processes(pids: set[int], grace: float = 5) -> None:
    """Terminate the processes still running among ``pids``, and kill those that do not stop in ``grace`` s."""
    import psutil

    alive = []
    for pid in pids:
        try:
            alive.append(psutil.Process(pid))
        except psutil.Error:
            continue
    for process in alive:
        with suppress(psutil.Error):
            process.terminate()
    _, survivors = psutil.wait_procs(alive, timeout=grace)
    for process in survivors:
        with suppress(psutil.Error):
            process.kill()


class _Stop(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C: stop the server and its kernels, then exit."""


_WATCHED = (signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))


@contextmanager
def _stopping_signals() -> Iterator[None]:
    """Within it, SIGTERM and SIGHUP (the terminal closed) stop the studio as Ctrl-C does."""
    def stop(signum, _frame):
        raise _Stop(signal.Signals(signum).name)

    previous = {number: signal.getsignal(number) for number in _WATCHED}
    for number in _WATCHED:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def _ignoring_signals() -> Iterator[None]:
    """Within it, Ctrl-C, SIGTERM and SIGHUP are ignored: a second signal must not cut the shutdown short."""
    numbers = (signal.SIGINT, *_WATCHED)
    previous = {number: signal.getsignal(number) for number in numbers}
    for number in numbers:
        signal.signal(number, signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def serve(client: str | Path | ClientConfig, *, port: int | None = None, preheat: Iterable[str] | str | None = None,
          say: Callable[[str], None] = print) -> int:
    """Serve the studio until Ctrl-C, SIGTERM or SIGHUP; prints the address (with its token).
    ``preheat``: the pages whose kernels start ahead (:func:`check_preheat`; default every page).
    Returns 0 after a clean stop."""
    started = time.perf_counter()
    config = _config(client)
    server = StudioServer(config, port=port, preheat=preheat)
    with _stopping_signals():
        try:
            server.start()
            say(f"Studio for {config.name}: open {server.url}")
            say(f"   ({len(server.site.pages) - 1} apps; files they save go to {export_dir(config)}; "
                f"ready in {time.perf_counter() - started:.1f} s)")
            say("   The address holds a one-time key: only it opens the studio, so do not share it.")
            say("Press Ctrl-C to stop.")
            while server.running():
                time.sleep(0.5)
            raise ToolkitError("The studio server stopped unexpectedly.",
                               fix="start it again; if it keeps stopping, run make install")
        except KeyboardInterrupt:
            _quietly(say, "Stopping the studio...")
            return 0
        finally:
            with _ignoring_signals():
                server.stop()
            _quietly(say, "Studio stopped.")


def _quietly(say: Callable[[str], None], text: str) -> None:
    """Say ``text`` if the terminal is still there (after SIGHUP it may not be)."""
    with suppress(OSError):
        say(text)
