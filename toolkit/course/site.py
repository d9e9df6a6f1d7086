"""The course as a static, offline HTML site: every lesson executed, with outputs, code hidden.

Lessons run with papermill in this environment's kernel and are exported through the report
pipeline (:func:`toolkit.reports.export_html`), so the pages carry their own styles, embed their
charts, and load nothing from the internet (:func:`toolkit.reports.external_references` is
checked before anything is written).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from ..errors import ReportError
from ..files import write_text
from ..reports.export import export_html, external_references
from ..reports.runner import ensure_kernel, local_kernel_manager
from .lessons import LESSONS, Lesson, course_dir, table_of_contents

__all__ = ["COURSE_TITLE", "execute_lesson", "build_course"]

COURSE_TITLE = "Designing workplace mentoring programmes: a short course"


def execute_lesson(lesson: Lesson, out_notebook: str | Path, *, timeout: int = 600):
    """Run one lesson top to bottom (from the lessons' folder, as a reader would); return the notebook."""
    import nbformat
    import papermill

    # Local sockets and the kernel's own log in a temporary folder, as for reports: no TCP warning
    # or kernel chatter in the consultant's terminal.
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        try:
            papermill.execute_notebook(str(lesson.notebook), str(out_notebook), kernel_name=ensure_kernel(),
                                       cwd=str(course_dir()), progress_bar=False, log_output=False,
                                       execution_timeout=timeout,
                                       kernel_manager_class=local_kernel_manager(sockets, Path(sockets) / "kernel.log"))
        except papermill.PapermillExecutionError as error:
            evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(error.evalue)).strip().splitlines()
            raise ReportError(f"Lesson {lesson.name} failed in cell {error.exec_count} "
                              f"({error.ename}: {evalue[0] if evalue else ''}).",
                              fix=f"open {out_notebook} to see the failing cell") from None
    return nbformat.read(out_notebook, as_version=4)


def _navigation(index: int) -> str:
    previous = LESSONS[index - 1] if index > 0 else None
    following = LESSONS[index + 1] if index + 1 < len(LESSONS) else None
    parts = ["[Contents](index.html)"]
    if previous:
        parts.append(f"Previous: [{previous.title}]({previous.name}.html)")
    if following:
        parts.append(f"Next: [{following.title}]({following.name}.html)")
    return " · ".join(parts)


def _page(notebook, title: str) -> str:
    page = export_html(notebook, title=title)
    found = external_references(page)
    if found:
        raise ReportError(f"The course page {title!r} would load {len(found)} things from the internet "
                          f"(first: {found[0]}).", fix="report this as a toolkit bug; nothing was written")
    return page


def build_course(out: str | Path, *, lessons: list[str] | None = None, say=print) -> list[Path]:
    """Execute the course and write ``<out>/index.html`` and one ``<lesson>.html`` per lesson.

    Parameters
    ----------
    out
        The site's folder (created if needed).
    lessons
        Names of lessons to build (default: all, in order); the index always lists all.
    say
        Called with one line per lesson built.

    Returns
    -------
    list of Path
        The pages written, index first.
    """
    import nbformat

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = [lesson for lesson in LESSONS if lessons is None or lesson.name in lessons]
    unknown = sorted(set(lessons or ()) - {lesson.name for lesson in LESSONS})
    if unknown:
        raise ReportError(f"No lesson called {', '.join(unknown)}.",
                          fix=f"use one of: {', '.join(lesson.name for lesson in LESSONS)}")
    pages: list[tuple[Path, str]] = []
    index_notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        f"# {COURSE_TITLE}\n\nSeven short lessons, each run on the toolkit's fictional sample clients and "
        "ending with an exercise and its check. Read them here; to do the exercises, open the notebooks in "
        "`notebooks/course/` in JupyterLab, change the answer and run the check again.\n\n"
        + table_of_contents(links=True))])
    pages.append((out / "index.html", _page(index_notebook, COURSE_TITLE)))
    with tempfile.TemporaryDirectory(prefix="tk-course-") as scratch:
        for lesson in chosen:
            started = time.perf_counter()
            notebook = execute_lesson(lesson, Path(scratch) / f"{lesson.name}.ipynb")
            navigation = _navigation(LESSONS.index(lesson))
            notebook.cells.insert(0, nbformat.v4.new_markdown_cell(navigation))
            notebook.cells.append(nbformat.v4.new_markdown_cell(navigation))
            pages.append((out / f"{lesson.name}.html", _page(notebook, f"{lesson.title} · {COURSE_TITLE}")))
            say(f"   {lesson.name}: executed in {time.perf_counter() - started:.1f} s")
    # Written only once every lesson has run: a failed build leaves an earlier site as it was.
    return [write_text(page, path) for path, page in pages]
