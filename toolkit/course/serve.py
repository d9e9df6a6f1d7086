"""The course served in the browser, code-free: ``mentoring-toolkit course --serve``.

The lessons, the capstone and the facilitator guide are copied into a temporary folder (with
links between them and this environment's kernel), with a contents page, and served by the
studio's Voilà server (:class:`toolkit.studio.StudioServer`, given the pages as its ``site``): the
same offline page template, the same start, stop and safety checks. Voilà shows each page's text,
tables and exercise widgets and never its code. The capstone writes its working copy (the adopted
round, the agreements) into a working folder: ``work_dir``, or a temporary one removed when the
server stops.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ToolkitError
from ..files import write_text
from ..reports.runner import ensure_kernel
from ..studio import StudioServer, StudioSite, check_preheat
from .site import PAGES, index_notebook, page_notebook, with_navigation

__all__ = ["INDEX", "build_served_course", "CourseServer", "serve_course"]

INDEX = "index"


def _set_parameters(notebook, values: dict) -> None:
    """Set the page's ``parameters`` cell (the capstone's working folder) to ``values``."""
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    if values and len(tagged) != 1:
        raise ToolkitError("A course page that takes settings needs exactly one cell tagged parameters.",
                           fix="report this as a toolkit bug")
    if values:
        tagged[0].source = "".join(f"{name} = {value!r}\n" for name, value in values.items())


def build_served_course(folder: str | Path, *, work_dir: str | Path) -> StudioSite:
    """Write the course's pages for Voilà into ``folder``: the contents page, every lesson and the guide.

    Parameters
    ----------
    folder
        Where the pages go (created).
    work_dir
        The capstone's working folder (its ``work_dir`` parameter).
    """
    import nbformat

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kernel = {"name": ensure_kernel(), "display_name": "Mentoring toolkit (Python)", "language": "python"}
    index = index_notebook(".ipynb", served=True)
    index.metadata["kernelspec"] = kernel
    write_text(nbformat.writes(index), folder / f"{INDEX}.ipynb")
    for name in PAGES:
        notebook = nbformat.read(page_notebook(name), as_version=4)
        _set_parameters(notebook, {"work_dir": str(work_dir)} if "capstone" in name else {})
        notebook = with_navigation(notebook, name, ".ipynb")
        notebook.metadata["kernelspec"] = kernel
        write_text(nbformat.writes(notebook), folder / f"{name}.ipynb")
    return StudioSite(folder, None, [INDEX, *PAGES])


class CourseServer(StudioServer):
    """The course on localhost (Voilà through :class:`~toolkit.studio.StudioServer`); a context manager.

    Parameters
    ----------
    port
        The port (default: a free one).
    work_dir
        The capstone's working folder (default: a temporary one, removed by :meth:`stop`).
    preheat
        The pages run ahead of a visit, as for the studio (:func:`toolkit.studio.check_preheat`; default every
        page): each one pre-started costs a kernel's memory while the server runs.
    """

    def __init__(self, *, port: int | None = None, work_dir: str | Path | None = None,
                 log: str | Path | None = None, preheat: Iterable[str] | str | None = None) -> None:
        check_preheat(preheat, [INDEX, *PAGES], "course")  # a wrong page name: nothing made yet
        self.course_folder = Path(tempfile.mkdtemp(prefix="tk-course-"))
        self.work_dir = Path(work_dir) if work_dir is not None else self.course_folder / "work"
        self.work_dir.mkdir(parents=True, exist_ok=True)
        try:
            site = build_served_course(self.course_folder / "site", work_dir=self.work_dir)
            super().__init__(site=site, port=port, log=log, preheat=preheat)
        except BaseException:
            shutil.rmtree(self.course_folder, ignore_errors=True)
            raise

    def stop(self, timeout: float = 20) -> None:
        """Stop the server and remove the pages (and the working folder, when it was a temporary one)."""
        super().stop(timeout)
        shutil.rmtree(self.course_folder, ignore_errors=True)


def serve_course(*, port: int | None = None, work_dir: str | Path | None = None,
                 preheat: Iterable[str] | str | None = None, say: Callable[[str], None] = print) -> int:
    """Serve the course until Ctrl-C; prints the address. Returns 0 after a clean stop.

    ``preheat``: the pages run ahead of a visit (:func:`toolkit.studio.check_preheat`; default every page).
    """
    started = time.perf_counter()
    server = CourseServer(port=port, work_dir=work_dir, preheat=preheat)
    try:
        server.start()
        say(f"Course: open {server.url}")
        kept = (f"the capstone's files go to {server.work_dir}" if work_dir is not None else
                "the capstone's files go to a temporary folder, removed when you stop (keep them with --work DIR)")
        say(f"   ({len(PAGES)} pages; {kept}; ready in {time.perf_counter() - started:.1f} s)")
        say("Press Ctrl-C to stop.")
        while server.running():
            time.sleep(0.5)
        raise ToolkitError("The course server stopped unexpectedly.",
                           fix="start it again; if it keeps stopping, run make install")
    except KeyboardInterrupt:
        say("Stopping the course...")
        return 0
    finally:
        server.stop()
        say("Course stopped.")
