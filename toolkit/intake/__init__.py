"""Intake: reading whatever a client sends into validated participant rows.

``tables`` reads CSV and Excel (one reader for every file the toolkit loads), ``mapping`` decides
which client column is which field, ``cells`` parses what people type, ``answers`` reads the
answers the matching rules depend on with a confidence, ``questions`` asks about the unclear ones,
``load`` validates every row and across rows, ``orgchart`` reads reporting lines, and ``schema`` lists the fields.
:func:`toolkit.roster.load_roster` turns the result into a :class:`~toolkit.roster.Roster`.
"""

from __future__ import annotations

from .cells import parse_availability, parse_timezone, utc_offset_hours
from .load import IntakeResult, read_participants
from .mapping import IGNORE, ColumnMapping, read_mapping, suggest_mapping
from .orgchart import load_org_chart
from .tables import Table, column_letter, read_table

__all__ = [
    "Table", "ColumnMapping", "IGNORE", "IntakeResult", "read_table", "suggest_mapping", "read_mapping",
    "read_participants", "load_org_chart", "parse_timezone", "utc_offset_hours", "parse_availability",
    "column_letter",
]
