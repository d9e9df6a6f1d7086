"""The course as a static, offline HTML site: every lesson executed, with outputs, code hidden.

Lessons run with papermill in this environment's kernel and are exported through the report
pipeline (:func:`toolkit.reports.export_html`), so the pages carry their own styles, embed their
charts, and load nothing from the internet (:func:`toolkit.reports.external_references` is
checked before anything is written). Exercises have no kernel in a static page: each shows its
prompt and options and says where to answer (the served course, or JupyterLab).

:func:`index_notebook` and :func:`with_navigation` are shared with the served course
(:mod:`toolkit.course.serve`), which links pages as ``.ipynb`` where this site links ``.html``.
"""

from __future__ import annotations

import html
import re
import tempfile
import time
from pathlib import Path

from ..errors import ReportError
from ..files import write_text
from ..html_table import frame_html
from ..reports.export import export_html, external_references
from ..reports.runner import execute_in_kernel
from .coverage import coverage_table
from .lessons import LESSONS, course_dir, table_of_contents

__all__ = ["COURSE_TITLE", "GUIDE", "PAGES", "execute_lesson", "build_course", "index_notebook", "with_navigation",
           "page_notebook"]

COURSE_TITLE = "Designing workplace mentoring programmes: a short course"
GUIDE = "facilitator_guide"  # the facilitator guide's notebook, beside the lessons
PAGES = tuple(lesson.name for lesson in LESSONS) + (GUIDE,)  # every page after the index, in order


def page_notebook(name: str) -> Path:
    """A course page's notebook (a lesson or the facilitator guide)."""
    return course_dir() / f"{name}.ipynb"


def execute_lesson(name: str, out_notebook: str | Path, *, parameters: dict | None = None, timeout: int = 600):
    """Run one page top to bottom (from the lessons' folder, as a reader would); return the notebook."""
    import nbformat
    import papermill

    # Local sockets and the kernel's own log in a temporary folder, as for reports: no TCP warning
    # or kernel chatter in the consultant's terminal.
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        try:
            execute_in_kernel(page_notebook(name), out_notebook, parameters=parameters or {}, cwd=course_dir(),
                              timeout=timeout, sockets=sockets)
        except papermill.PapermillExecutionError as error:
            evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(error.evalue)).strip().splitlines()
            raise ReportError(f"Lesson {name} failed in cell {error.exec_count} "
                              f"({error.ename}: {evalue[0] if evalue else ''}).",
                              fix=f"open {out_notebook} to see the failing cell") from None
    return nbformat.read(out_notebook, as_version=4)


def _title(name: str) -> str:
    return next((lesson.title for lesson in LESSONS if lesson.name == name), "Facilitator guide")


def _navigation(name: str, suffix: str, where: str) -> str:
    index = PAGES.index(name)
    links = [f"<a href='index{suffix}'>Contents</a>"]
    if index > 0:
        links.append(f"Previous: <a href='{PAGES[index - 1]}{suffix}'>{html.escape(_title(PAGES[index - 1]))}</a>")
    if index + 1 < len(PAGES):
        links.append(f"Next: <a href='{PAGES[index + 1]}{suffix}'>{html.escape(_title(PAGES[index + 1]))}</a>")
    # the bottom bar also marks the end of the page: a served page has run every cell once it shows
    return f"<nav class='tk-course-nav tk-course-nav-{where}'>" + " · ".join(links) + "</nav>"


def with_navigation(notebook, name: str, suffix: str):
    """The page with links to the contents and the pages before and after it, at its top and bottom."""
    import nbformat

    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(_navigation(name, suffix, "top")))
    notebook.cells.append(nbformat.v4.new_markdown_cell(_navigation(name, suffix, "bottom")))
    return notebook


def index_notebook(suffix: str, *, served: bool):
    """The course's contents page: how to take it, the lessons, the guide, and the standards covered."""
    import nbformat

    how = ("Answer every exercise on its page: choose, slide or type, then press *Check my answer*. Nothing here "
           "needs code." if served else
           "This offline copy shows every lesson with its tables. To answer the exercises, start the course with "
           "`mentoring-toolkit course --serve` (nothing needs code), or open `notebooks/course/` in JupyterLab.")
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            f"# {COURSE_TITLE}\n\nSeven lessons and a capstone for L&D consultants and the people they train, run "
            f"on the toolkit's fictional clients. {how}\n\n"
            + table_of_contents(links=True, suffix=suffix)
            + f"\n\nTeaching it as a one-day workshop? Read the [facilitator guide]({GUIDE}{suffix})."),
        nbformat.v4.new_markdown_cell(
            "## The standards the course covers\n\nMENTOR's Elements of Effective Practice for Mentoring and EMCC "
            "Global's International Standards for Mentoring and Coaching Programmes each name six standards. "
            "What each asks is summarised in our own words; the lesson numbers say where it is taught.\n\n"
            + frame_html(coverage_table())),
    ])


def _page(notebook, title: str) -> str:
    page = export_html(notebook, title=title)
    found = external_references(page)
    if found:
        raise ReportError(f"The course page {title!r} would load {len(found)} things from the internet "
                          f"(first: {found[0]}).", fix="report this as a toolkit bug; nothing was written")
    return page


def build_course(out: str | Path, *, lessons: list[str] | None = None, say=print) -> list[Path]:
    """Execute the course and write ``<out>/index.html``, one page per lesson and the facilitator guide.

    Parameters
    ----------
    out
        The site's folder (created if needed).
    lessons
        Names of pages to build (default: all, in order: the lessons, then the guide); the index
        always lists all.
    say
        Called with one line per page built.

    Returns
    -------
    list of Path
        The pages written, index first.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    unknown = sorted(set(lessons or ()) - set(PAGES))
    if unknown:
        raise ReportError(f"No lesson called {', '.join(unknown)}.", fix=f"use one of: {', '.join(PAGES)}")
    chosen = [name for name in PAGES if lessons is None or name in lessons]
    pages: list[tuple[Path, str]] = [(out / "index.html", _page(index_notebook(".html", served=False),
                                                                 COURSE_TITLE))]
    with tempfile.TemporaryDirectory(prefix="tk-course-") as scratch:
        for name in chosen:
            started = time.perf_counter()
            # the capstone writes its working copy into the scratch folder, removed with it
            notebook = execute_lesson(name, Path(scratch) / f"{name}.ipynb",
                                      parameters={"work_dir": str(Path(scratch) / "work")} if "capstone" in name
                                      else None)
            # no widget state: a static page shows each exercise's own HTML (prompt, options, where to answer)
            notebook.metadata.pop("widgets", None)
            notebook = with_navigation(notebook, name, ".html")
            pages.append((out / f"{name}.html", _page(notebook, f"{_title(name)} · {COURSE_TITLE}")))
            say(f"   {name}: executed in {time.perf_counter() - started:.1f} s")
    # Written only once every page has run: a failed build leaves an earlier site as it was.
    return [write_text(page, path) for path, page in pages]
