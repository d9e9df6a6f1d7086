"""Shared parts of the widget apps: error panel, debouncing, HTML tables and chart output.

Every app in :mod:`toolkit.widgets` keeps its state in a ``traitlets.HasTraits``
model (which never imports ipywidgets) and builds its view from the pieces here:

- :class:`ErrorPanel` shows an exception raised inside a callback in the app itself:
  a :class:`~toolkit.errors.ToolkitError` as its message and a table of its problems,
  anything else as the error type and message with the traceback folded away.
  Without it, an error in a button callback is lost in the kernel log.
- :class:`Debouncer` runs a function once after a burst of calls (slider drags).
- :func:`frame_html` renders a DataFrame as escaped HTML with the studio's style.
- :class:`ChartOutput` shows an Altair chart and keeps it for tests (``.chart``).
- :class:`App` is the base of every app: it displays its ``view`` when it is the
  last expression of a cell, and never calls ``display()`` in a constructor.
"""

from __future__ import annotations

import asyncio
import functools
import html
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ToolkitError
from ..html_table import frame_html
from ..labels import label

__all__ = [
    "App",
    "ErrorPanel",
    "Debouncer",
    "ChartOutput",
    "frame_html",
    "heading",
    "plain_words",
    "table_html",
    "warm_up",
    "prepared",
    "folder_fingerprint",
    "chart_svg",
    "chart_png",
    "STYLE",
]

# One small stylesheet, shipped inside the view (no network, no notebook-wide CSS). Sized for a projector:
# 13 px table text, headers that wrap, wide tables scrolling inside their own wrapper (never the page).
STYLE = """
<style>
.tk-table {border-collapse: collapse; font-size: 13px; margin: 4px 0;}
.tk-table caption {text-align: left; font-weight: 600; padding: 2px 0 4px 0;}
.tk-table th {background: #f1f3f5; text-align: left; padding: 4px 8px; border-bottom: 1px solid #adb5bd;
  vertical-align: bottom; line-height: 1.25; min-width: 3em;}
.tk-table td {padding: 3px 8px; border-bottom: 1px solid #e9ecef; vertical-align: top; line-height: 1.35;}
.tk-table tr:hover td {background: #f8f9fa;}
.tk-table td.tk-num {text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;}
.tk-table-wrap {overflow-x: auto; max-width: 100%;}
.tk-pairs .tk-table td:first-child, .tk-pairs .tk-table td:nth-child(2) {white-space: nowrap;}
.tk-table td:first-child {min-width: 9em;}
.tk-scroll {max-height: 560px; overflow: auto;}
.tk-tools {display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin: 4px 0; font-size: 13px;}
.tk-tools input {font-size: 13px; padding: 3px 6px; width: 16em; max-width: 100%;}
.tk-tools button {font-size: 13px; padding: 2px 10px;}
.tk-table th button.tk-sort {all: unset; cursor: pointer; display: inline;}
.tk-table th[aria-sort="ascending"] button.tk-sort::after {content: " \\25B2"; font-size: 10px;}
.tk-table th[aria-sort="descending"] button.tk-sort::after {content: " \\25BC"; font-size: 10px;}
.tk-note {color: #495057; font-size: 13px; line-height: 1.4;}
.tk-empty {color: #868e96; font-style: italic;}
.tk-error {border-left: 4px solid #c92a2a; background: #fff5f5; padding: 6px 10px; margin: 4px 0;}
.tk-error summary {cursor: pointer; color: #868e96;}
.tk-ok {border-left: 4px solid #2b8a3e; background: #ebfbee; padding: 6px 10px; margin: 4px 0;}
.tk-warn {border-left: 4px solid #e67700; background: #fff9db; padding: 6px 10px; margin: 4px 0;}
.tk-chart-fill img {width: 100% !important; max-width: 1120px; height: auto !important;}
</style>
"""


class ErrorPanel:
    """Where an app shows errors raised in its callbacks.

    Use :meth:`guard` to wrap every callback; the panel is an ``ipywidgets.HTML``
    (``.widget``), empty while all is well.

    Attributes
    ----------
    last_error : BaseException or None
        The most recent error shown (tests assert on it).
    """

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.widget = widgets.HTML(value="")
        self.last_error: BaseException | None = None

    def clear(self) -> None:
        """Hide the panel (called when a callback succeeds)."""
        self.widget.value = ""
        self.last_error = None

    def show(self, error: BaseException) -> None:
        """Show an error: a ToolkitError with its problems, anything else with its traceback."""
        self.last_error = error
        if isinstance(error, ToolkitError):
            body = f"<strong>{html.escape(error.headline)}</strong>"
            if error.problems:
                table = error.problems_frame()
                table = table[[column for column in ("row", "column", "value", "message", "fix")
                               if table[column].notna().any()]]
                body += frame_html(table, max_rows=50)
            elif error.fix:
                body += f"<br>Fix: {html.escape(error.fix)}"
        else:
            trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            body = (f"<strong>Something went wrong: {html.escape(type(error).__name__)}: "
                    f"{html.escape(str(error))}</strong><br>"
                    "The app is still usable; change the setting back or try again. "
                    "If it happens again, send this to the toolkit maintainers:"
                    f"<details><summary>technical details</summary><pre>{html.escape(trace)}</pre></details>")
        self.widget.value = STYLE + f'<div class="tk-error">{body}</div>'

    def guard(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback so that any error it raises is shown here instead of being lost."""

        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                result = callback(*args, **kwargs)
            except Exception as error:
                self.show(error)
                return None
            return result

        return guarded


class Debouncer:
    """Call a function once, ``delay`` seconds after the last of a burst of calls.

    Inside a running event loop (a Jupyter kernel) calls are scheduled on the loop with
    ``call_later``, so dragging a slider triggers one re-solve when it stops. Without a
    running loop (plain Python, pytest), or with ``delay=0``, the function runs at once.

    Parameters
    ----------
    function
        Called with no arguments.
    delay
        Quiet time in seconds before the call.
    """

    def __init__(self, function: Callable[[], Any], delay: float = 0.3) -> None:
        self.function = function
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None
        self.calls = 0  # how many times the function actually ran

    def __call__(self, *_: Any, **__: Any) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or self.delay <= 0:
            self._run()
            return
        self._handle = loop.call_later(self.delay, self._run)

    @property
    def pending(self) -> bool:
        """True while a call is scheduled and has not run yet."""
        return self._handle is not None

    def cancel(self) -> None:
        """Forget a scheduled call."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        """Run a scheduled call now (if any)."""
        if self._handle is not None:
            self._handle.cancel()
            self._run()

    def _run(self) -> None:
        self._handle = None
        self.calls += 1
        self.function()


class ChartOutput:
    """Shows an Altair chart in an ``ipywidgets.Output`` and keeps it as ``.chart``.

    The chart is drawn as PNG in the kernel with vl-convert, so it needs no JavaScript
    from the internet and renders the same in JupyterLab, VS Code and papermill output
    (Altair 6's own HTML renderer loads Vega from a CDN, and JupyterLab 4 has no
    renderer for Vega-Lite 6). Tests read ``.chart.to_dict()``. With ``fill=True`` the chart is as
    wide as its panel (the stylesheet's ``.tk-chart-fill``).
    """

    def __init__(self, placeholder: str = "The chart appears here.", *, fill: bool = False) -> None:
        import ipywidgets as widgets

        self.widget = widgets.Output()
        if fill:  # the picture stretches to the panel's width (drawn at twice the size, so it stays sharp)
            self.widget.add_class("tk-chart-fill")
        self.placeholder = placeholder
        self.chart = None

    def show(self, chart) -> None:
        """Replace the chart shown (``None`` clears it)."""
        self.chart = chart
        # Replace the outputs directly: Output.clear_output() outside a capture would clear
        # the notebook cell the app lives in.
        self.widget.outputs = ()
        if chart is None:
            self.widget.append_display_data(_Markdown(self.placeholder))
            return
        self.widget.append_display_data(_Png(*chart_png(chart)))


def chart_svg(chart) -> str:
    """An Altair chart drawn as SVG text, offline (vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def chart_png(chart, scale: float = 2.0) -> tuple[bytes, int]:
    """An Altair chart drawn as PNG, offline (vl-convert), and its width in CSS pixels.

    PNG rather than SVG: text in an SVG is laid out with the converter's fonts but drawn
    with the browser's, so long labels can be clipped; a PNG looks the same everywhere.
    """
    import struct

    import vl_convert

    png = vl_convert.vegalite_to_png(chart.to_dict(), scale=scale)
    width = struct.unpack(">I", png[16:20])[0]  # the IHDR chunk: width then height, big-endian
    return png, int(round(width / scale))


class _Png:
    def __init__(self, png: bytes, width: int) -> None:
        self.png, self.width = png, width

    def _repr_png_(self):
        # Base64 text, as notebooks store images: it survives the widget's JSON state as is.
        import base64

        return base64.b64encode(self.png).decode("ascii"), {"width": self.width}

    def __repr__(self) -> str:
        return "<chart>"


class _Markdown:
    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return f'<p class="tk-empty">{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return self.text


class App:
    """Base of the widget apps: ``.view`` is the ipywidgets tree; the app displays itself.

    Subclasses build ``self.view`` in their constructor (without displaying it); the
    last expression of a notebook cell (``app``) then shows it.
    """

    view: Any

    @classmethod
    def prepare(cls, config: Any) -> None:
        """Read what :meth:`from_client` needs from a client's files ahead of time (see :func:`prepared`)."""

    def _repr_mimebundle_(self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None) -> Mapping:
        bundle = self.view._repr_mimebundle_(include=include, exclude=exclude)
        return bundle

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.view)


_CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def plain_words(text: str) -> str:
    """``text`` with every snake_case code name in it replaced by its label in lower case.

    "The mentor's skills_offered cover the mentee's skills_sought." reads "The mentor's skills offered
    cover the mentee's skills wanted." Labels come from :mod:`toolkit.labels` (one map for the toolkit).
    """
    return _CODE_NAME.sub(lambda found: _lower_first(label(found.group(0))), str(text))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def table_html(frame, *, empty: str = "Nothing to show.", caption: str | None = None, max_rows: int = 2000,
               number_format: str = "{:.2f}", raw_columns: tuple[str, ...] = ()) -> str:
    """A table as a client reads it: column names as labels, wide tables scrolling inside their own box.

    In the studio (Voilà) the page's script (``templates/studio``) adds search, sorting by any column and
    pages of 25 rows to every table longer than a page; in JupyterLab the table shows as it is. Text cells
    go through the free-text sanitiser except ``raw_columns`` (named as in ``frame``, before the labels).
    """
    if frame is not None and len(frame.columns):
        headings = {column: heading(column) for column in frame.columns}
        frame = frame.rename(columns=headings)
        raw_columns = tuple(headings.get(column, column) for column in raw_columns)
    return ('<div class="tk-table-wrap">'
            + frame_html(frame, empty=empty, caption=caption, max_rows=max_rows, number_format=number_format,
                         raw_columns=raw_columns)
            + "</div>")


def heading(column: object) -> str:
    """A code name as a heading: its label from :mod:`toolkit.labels`, first letter capitalised.

    Text that is already words (it has a space, e.g. a scenario's name) is left as it was written.
    """
    text = str(column)
    words = label(text)
    if words == text and " " in text:
        return text
    return words[:1].upper() + words[1:]


#: The apps (module names, which are also the studio's page names) and which of them draw charts.
APP_MODULES = ("cohort_setup", "matching_studio", "survey_explorer", "goal_builder")
CHART_APPS = ("cohort_setup", "matching_studio", "survey_explorer")


def warm_up(app: str | None = None) -> None:
    """Do once per kernel what an app's first drawing would otherwise pay for on screen.

    Imports the app (``app``, one of :data:`APP_MODULES`; default every app), SciPy's statistics for the survey
    explorer, and draws one tiny chart for an app that draws charts (the chart engine's first drawing costs about
    half a second; later ones a few milliseconds). The studio calls it in each page's pre-started kernel, before
    anyone opens the page (:func:`toolkit.studio.wait_for_visitor`), then lets the page's app read its data ahead
    of time (:meth:`App.prepare`).
    """
    import importlib

    if app is not None and app not in APP_MODULES:
        raise ValueError(f"warm_up: {app!r} is not one of the apps {APP_MODULES}")
    apps = APP_MODULES if app is None else (app,)
    for module in apps:
        importlib.import_module(f"{__package__}.{module}")
    if "survey_explorer" in apps:
        import scipy.stats  # noqa: F401 - the survey explorer's intervals
    if any(name in CHART_APPS for name in apps):
        import altair as alt
        import pandas as pd

        chart_png(alt.Chart(pd.DataFrame({"x": [1.0]})).mark_point().encode(x=alt.X("x:Q")), scale=1.0)


_T = TypeVar("_T")
# (client.yaml, what) -> (the client folder's fingerprint when made, the value)
_PREPARED: dict[tuple[str, str], tuple[tuple, Any]] = {}


def folder_fingerprint(folder: str | Path) -> tuple:
    """Every file in a client folder (its ``exports/`` aside) with its size and change time, sorted.

    Two equal fingerprints mean no file the toolkit reads from the folder changed in between (a
    client.yaml's paths stay inside its folder).
    """
    folder = Path(folder)
    entries = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[:1] == ("exports",) or not path.is_file():
            continue
        stat = path.stat()
        entries.append((relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def prepared(config: Any, what: str, make: Callable[[], _T]) -> _T:
    """``make()`` for a client, made again only when a file in the client's folder has changed since.

    The studio's pre-started kernels read a client's files before anyone opens a page; when the page
    is opened, the app gets what was read if the folder is as it was (a round adopted in between, an
    export replaced: read again). The value is shared: apps must not change it.
    """
    key = (str(config.path), what)
    fingerprint = folder_fingerprint(config.folder)
    kept = _PREPARED.get(key)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    value = make()
    _PREPARED[key] = (fingerprint, value)
    return value
