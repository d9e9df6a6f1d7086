"""Org charts: employee id (or email) -> manager, from an HRIS extract.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import IntakeError, Problem
from .mapping import suggest_mapping
from .tables import FIX_RELOAD, column_letter, read_table

__all__ = ["load_org_chart"]


def org_chart_mapping(org_chart) -> dict[str, str | None]:
    if org_chart is None:
        return {}
    if isinstance(org_chart, Mapping):
        return {str(key): (None if value in (None, "") else str(value)) for key, value in org_chart.items()}
    return load_org_chart(org_chart)


def load_org_chart(path: str | Path, mapping: Mapping | None = None) -> dict[str, str | None]:
    """Read an HRIS extract of employee id -> manager id (for complete reporting lines).

    The file needs an id column (or email) and a manager column; other columns are ignored.

    Raises
    ------
    IntakeError
        When columns are missing, an id appears twice, someone manages themselves, or
        the management chain loops.
    """
    table = read_table(path)
    column_mapping = suggest_mapping(table, mapping)
    id_columns = column_mapping.columns_for("participant_id") or column_mapping.columns_for("email")
    manager_columns = column_mapping.columns_for("manager_id")
    if not id_columns or not manager_columns:
        raise IntakeError(
            f"{table.name} needs an employee id column and a manager column to be used as an org chart.",
            fix='name them "Employee ID" and "Manager ID" in the file (or, in Python, pass mapping={"Your id header": '
                '"participant_id", "Your manager header": "manager_id"})',
            path=path,
        )
    id_index, manager_index = id_columns[0], manager_columns[0]
    chart: dict[str, str | None] = {}
    problems = []
    for cells, row in zip(table.rows, table.row_numbers):
        employee, manager = cells[id_index].strip(), cells[manager_index].strip() or None
        if not employee:
            problems.append(Problem("the employee id is empty", "fill it in or delete the row", table.path, row,
                                    table.headers[id_index], None, column_letter(id_index)))
            continue
        if employee in chart:
            problems.append(Problem("this employee id appears twice", "delete one of the rows", table.path, row,
                                    table.headers[id_index], employee, column_letter(id_index)))
            continue
        if manager == employee:
            problems.append(Problem("the employee is listed as their own manager", "correct the manager id",
                                    table.path, row, table.headers[manager_index], manager,
                                    column_letter(manager_index)))
            manager = None
        chart[employee] = manager
    for employee in chart:
        seen, current = {employee}, chart[employee]
        while current is not None and current in chart:
            if current in seen:
                problems.append(Problem(f"the management chain starting at {employee} loops back on itself",
                                        "correct one of the manager ids in the loop", table.path))
                break
            seen.add(current)
            current = chart[current]
    if problems:
        raise IntakeError(f"{table.name} cannot be used as an org chart:", problems=problems, fix=FIX_RELOAD)
    return chart
