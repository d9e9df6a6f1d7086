"""Engagement from meeting logs: activity per pair or circle, the funnel, and who is at risk.

Reads the client's ``meetings.csv`` and ``pairs.csv`` / ``circles.csv`` (headers in any case
or spacing). Every function works "as of" a date (default: the last logged meeting), so a
report run later shows the programme as it was on that day::

    client = tk.load_client("sample_data/northwind")
    activity = tk.engagement.activity(client)            # per pair: meetings, last met, monthly rate
    tk.engagement.funnel(client)                         # eligible -> enrolled -> matched -> active -> completed
    tk.engagement.at_risk(client)                        # no meeting in N days, falling pulses: what to do
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..intake.schema import snake_case
from ..intake.tables import read_table
from ..rounds import current_round

__all__ = ["read_meetings", "read_units", "activity", "funnel", "at_risk", "monthly_meetings"]

INACTIVE_DAYS = 45


def _columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=snake_case)


def read_log(path) -> pd.DataFrame:
    """A programme log (pairs, circles, meetings, HR outcomes) through the toolkit's one table reader.

    Any encoding and delimiter :func:`toolkit.intake.tables.read_table` reads (a ``;``-delimited
    cp1252 export from a European Excel, say); headers in snake case; blank cells are None.
    """
    frame = read_table(path).frame().reset_index(drop=True)
    return _columns(frame).replace({"": None})


def read_units(config) -> pd.DataFrame:
    """One row per pair or circle: unit, members (tuple of ids/emails), status, start.

    The adopted match (the client's current round, written by ``match``) comes first; a client
    without any round uses the pairs or circles file its client.yaml names.
    """
    adopted = current_round(config)
    if adopted is not None:
        return _round_units(adopted)
    if config.get("circles"):
        circles = read_log(config.get("circles"))
        rows = []
        for circle_id, group in circles.groupby("circle_id", sort=True):
            status = group["status"].dropna().iloc[0] if "status" in group and group["status"].notna().any() else "active"
            rows.append({"unit": circle_id, "members": tuple(group["participant_id"]), "status": status,
                         "first_meeting": None})
        return pd.DataFrame(rows)
    if not config.get("pairs"):
        raise ConfigError(f"{config.path.name} names no pairs or circles file.",
                          fix="add pairs: pairs.csv (or circles: circles.csv) to client.yaml", path=config.path)
    pairs = read_log(config.get("pairs"))
    return pd.DataFrame({"unit": pairs["pair_id"], "members": list(zip(pairs["mentee_id"], pairs["mentor_id"])),
                         "status": pairs.get("status", "active"), "first_meeting": pairs.get("first_meeting")})


def _round_units(adopted) -> pd.DataFrame:
    if adopted.shape == "circles":
        rows = [{"unit": circle_id, "members": tuple(group["participant_id"]), "status": "active",
                 "first_meeting": None} for circle_id, group in adopted.circles.groupby("circle_id", sort=True)]
        return pd.DataFrame(rows, columns=["unit", "members", "status", "first_meeting"])
    pairs = adopted.pairs
    status = pairs["status"].fillna("active") if "status" in pairs else "active"
    return pd.DataFrame({"unit": pairs["pair_id"], "members": list(zip(pairs["mentee_id"], pairs["mentor_id"])),
                         "status": status, "first_meeting": pairs.get("first_meeting")})


def read_meetings(config) -> pd.DataFrame:
    """Logged meetings: unit (pair or circle id), date, minutes, format."""
    if not config.get("meetings"):
        raise ConfigError(f"{config.path.name} names no meetings file.", fix="add meetings: meetings.csv",
                          path=config.path)
    meetings = read_log(config.get("meetings"))
    unit = meetings["circle_id"] if "circle_id" in meetings else meetings["pair_id"]
    bad = pd.to_datetime(meetings["date"], errors="coerce").isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ConfigError(f"{Path(config.get('meetings')).name}: a meeting date is not a date.",
                          fix="write dates as YYYY-MM-DD", path=config.get("meetings"), row=row + 2, column="Date",
                          value=meetings["date"].iloc[row])
    return pd.DataFrame({"unit": unit, "date": pd.to_datetime(meetings["date"]).dt.date,
                         "minutes": pd.to_numeric(meetings.get("duration_minutes"), errors="coerce"),
                         "format": meetings.get("format")})


def _as_of(meetings: pd.DataFrame, as_of) -> dt.date:
    if as_of is not None:
        return pd.Timestamp(as_of).date()
    return max(meetings["date"]) if len(meetings) else dt.date.today()


def activity(config, *, as_of=None) -> pd.DataFrame:
    """Per pair or circle: meetings, minutes, first and last meeting, days since, meetings per month, active."""
    units, meetings = read_units(config), read_meetings(config)
    day = _as_of(meetings, as_of)
    meetings = meetings[meetings["date"] <= day]
    design = config.design()
    start = design.start_date or (min(meetings["date"]) if len(meetings) else day)
    grouped = meetings.groupby("unit")
    table = units.copy()
    table["meetings"] = table["unit"].map(grouped.size()).fillna(0).astype(int)
    table["minutes"] = table["unit"].map(grouped["minutes"].sum()).fillna(0)
    table["first_met"] = table["unit"].map(grouped["date"].min())
    table["last_met"] = table["unit"].map(grouped["date"].max())
    table["days_since"] = [(day - last).days if isinstance(last, dt.date) else None for last in table["last_met"]]
    months = max((day - start).days / 30.44, 1.0)
    table["per_month"] = (table["meetings"] / months).round(2)
    table["active_30_days"] = [days is not None and days <= 30 for days in table["days_since"]]
    table.attrs["as_of"] = day
    # Meetings logged against a pair or circle id that is not in the match are counted, never dropped unseen.
    unlinked = meetings[~meetings["unit"].astype(str).isin(set(table["unit"].astype(str)))]
    table.attrs["unlinked_meetings"] = len(unlinked)
    table.attrs["unlinked_units"] = sorted({str(unit) for unit in unlinked["unit"]})
    return table


def monthly_meetings(config, *, as_of=None) -> pd.DataFrame:
    """Meetings logged per calendar month, and how many pairs or circles met that month."""
    meetings = read_meetings(config)
    day = _as_of(meetings, as_of)
    meetings = meetings[meetings["date"] <= day]
    month = pd.to_datetime(meetings["date"]).dt.to_period("M").astype(str)
    return (meetings.assign(month=month).groupby("month")
            .agg(meetings=("unit", "size"), units_meeting=("unit", "nunique")).reset_index())


def funnel(config, *, as_of=None) -> pd.DataFrame:
    """Eligible -> enrolled -> matched -> active (met in the last 30 days or completed) -> completed."""
    table = activity(config, as_of=as_of)
    roster = config.roster()
    eligible = None
    if config.get("hr_outcomes"):
        hr = read_log(config.get("hr_outcomes"))
        eligible = len(hr)
    people_matched = len({person for members in table["members"] for person in members})
    completed = table["status"].eq("completed")
    active = table["active_30_days"] | completed
    unit = "circles" if config.design().shape == "circles" else "pairs"
    rows = [("eligible", eligible, "people in the HR extract (participants and comparison group)"),
            ("enrolled", len(roster), "people who signed up"),
            ("matched", people_matched, f"people in a {unit[:-1]}"),
            ("active", int(active.sum()), f"{unit} that met in the last 30 days or completed"),
            ("completed", int(completed.sum()), f"{unit} that completed the programme")]
    return pd.DataFrame(rows, columns=["stage", "count", "what it counts"])


def at_risk(config, *, as_of=None, inactive_days: int = INACTIVE_DAYS) -> pd.DataFrame:
    """Pairs or circles that need attention, why, and a suggested intervention."""
    table = activity(config, as_of=as_of)
    day = table.attrs["as_of"]
    design = config.design()
    records = []
    for row in table.itertuples(index=False):
        if row.status in ("completed", "ended_early"):
            continue
        if row.meetings == 0:
            waited = (day - design.start_date).days if design.start_date else None
            if waited is not None and waited > 30:
                records.append((row.unit, "no meeting logged yet", f"{waited} days since the programme began",
                                "call both people this week; offer to re-match if the first meeting keeps slipping"))
        elif row.days_since is not None and row.days_since > inactive_days:
            records.append((row.unit, f"no meeting in {row.days_since} days", f"last met {row.last_met}",
                            "send the re-engagement message; remind them of the no-fault exit"))
        elif row.per_month < 0.5 * design.cadence.meetings_per_month:
            records.append((row.unit, "meeting less than half as often as agreed",
                            f"{row.per_month:.1f} meetings a month against {design.cadence.meetings_per_month:g}",
                            "suggest booking the remaining meetings as a series now"))
    return pd.DataFrame(records, columns=["unit", "reason", "evidence", "suggested intervention"])
