"""HTML export: the executed notebook as one self-contained page, and the check that it loads nothing."""

from __future__ import annotations

import re

from ..resources import templates_dir

__all__ = ["export_html", "external_references", "drop_stray_outputs"]


_URL = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
                  r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)|@import\s+["']((?:https?:)?//[^"']+)""",
                  re.IGNORECASE)


def external_references(page: str) -> list[str]:
    """Every URL the page would fetch from the network (scripts, styles, images, fonts, frames)."""
    return [next(group for group in match.groups() if group) for match in _URL.finditer(page)]


def drop_stray_outputs(notebook) -> int:
    """Remove every output a reader should never see; return how many were removed.

    Stream outputs (anything printed to stdout or stderr: solver banners, warnings, logging),
    errors, and results that are bare text with nothing to display (``<Figure ...>``, ``None``)
    never reach a report. Report sections always return HTML or an image.
    """
    removed = 0
    for cell in notebook.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = [output for output in outputs if not _stray(output)]
        removed += len(outputs) - len(kept)
        cell["outputs"] = kept
    return removed


def _stray(output) -> bool:
    if output.get("output_type") in ("stream", "error"):
        return True
    data = output.get("data") or {}
    return bool(data) and set(data) <= {"text/plain"}


def export_html(notebook, *, title: str, printed: bool = True) -> str:
    """The executed notebook as one self-contained HTML page with the code hidden.

    ``printed=False`` (every client report, see :func:`toolkit.reports.run`): anything printed (solver banners,
    warnings, logging) and bare-text results are dropped twice over: :func:`drop_stray_outputs` removes them
    from the notebook, and the template renders streams and errors as nothing. ``printed=True`` (the default) keeps them: the
    course's lessons print on purpose.
    """
    from nbconvert import HTMLExporter

    if not printed:
        drop_stray_outputs(notebook)
    exporter = HTMLExporter(template_name="toolkit", extra_template_basedirs=[str(templates_dir() / "reports")])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    notebook.metadata["title"] = title
    resources = {"theme_css": (templates_dir() / "reports" / "report.css").read_text(), "drop_printed": not printed}
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    return page
