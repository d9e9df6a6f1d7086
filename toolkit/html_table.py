"""DataFrames as escaped HTML tables, shared by the widget apps and the client reports.

Every text cell and header goes through :func:`toolkit.files.sanitise_free_text` first: no email
address, phone number or link reaches a report or studio table, whatever column it came in.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .files import sanitise_free_text

__all__ = ["frame_html"]


def frame_html(
    frame: pd.DataFrame | None,
    *,
    max_rows: int = 200,
    empty: str = "Nothing to show.",
    number_format: str = "{:.2f}",
    caption: str | None = None,
    raw_columns: Iterable[str] = (),
) -> str:
    """A DataFrame as an HTML table, every cell escaped.

    Parameters
    ----------
    frame
        The table; its index is not shown (reset it first if it matters).
    max_rows
        Rows beyond this are left out, and a note says how many.
    empty
        Text shown instead of an empty table.
    number_format
        Format for floats; integers are shown as they are.
    caption
        Optional caption above the table.
    raw_columns
        Columns shown as typed (still escaped), without the free-text sanitiser: only for the
        consultant's own checking tables (the cell a problem is about, the fix's example address),
        never in a client report.

    Returns
    -------
    str
        HTML with class ``tk-table``; cell text is escaped, so names such as
        ``<b>Sam</b>`` or ``=HYPERLINK(...)`` show literally.
    """
    if frame is None or len(frame) == 0:
        return f'<p class="tk-empty">{html.escape(empty)}</p>'
    shown = frame.head(max_rows)
    parts = ['<table class="tk-table">']
    if caption:
        parts.append(f"<caption>{html.escape(sanitise_free_text(caption))}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(sanitise_free_text(column))}</th>"
                                         for column in shown.columns)
                 + "</tr></thead><tbody>")
    raw = [column in set(raw_columns) for column in shown.columns]
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for value, as_typed in zip(row, raw):
            text, numeric = _cell_text(value, number_format, as_typed)
            cells.append(f'<td class="tk-num">{text}</td>' if numeric else f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    if len(frame) > max_rows:
        parts.append(f'<p class="tk-note">{len(frame) - max_rows} more rows not shown '
                     f"(of {len(frame)}).</p>")
    return "".join(parts)


def _cell_text(value: Any, number_format: str, as_typed: bool = False) -> tuple[str, bool]:
    if value is None or (isinstance(value, float) and value != value):
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return html.escape(str(value)), True
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "f"):
        return html.escape(number_format.format(float(value))), True
    clean = (lambda text: str(text)) if as_typed else sanitise_free_text
    if isinstance(value, (tuple, list, set, frozenset)):
        return html.escape(clean(", ".join(str(item) for item in value))), False
    return html.escape(clean(value)), False
