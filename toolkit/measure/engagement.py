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
from typing import TYPE_CHECKING

import pandas as pd

from ..programme import read_log, read_meetings, reporting_state

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..roster import Roster

__all__ = ["read_meetings", "read_log", "read_units", "activity", "funnel", "at_risk", "monthly_meetings"]

INACTIVE_DAYS = 45


def read_units(config: ClientConfig, *, as_of=None) -> pd.DataFrame:
    """One row per pair or circle matched by the day (see :func:`activity`): unit, members, status, first_meeting.

    From the programme's timeline (:func:`toolkit.programme.programme_state`): every round's pairs or
    circles and the pairs file kept before the rounds, each with its state that day.
    """
    pairs = reporting_state(config, as_of).pairs
    return pd.DataFrame({"unit": pairs["unit_id"], "members": pairs["members"], "status": pairs["state"],
                         "first_meeting": pairs["first_meeting"]})


def activity(config: ClientConfig, *, as_of=None) -> pd.DataFrame:
    """Per pair or circle: meetings, minutes, first and last meeting, days since, meetings per month, active.

    Only meetings that count are counted: logged against a pair or circle that existed on the meeting's
    day, whatever round is current. Meetings per month run from the day the pair was matched (or the
    programme's start, if later) to its end or the as-of day, so a pair re-matched in July is not
    measured against March. ``attrs``: ``as_of``, ``unlinked_meetings`` (how many logged meetings do not
    count) and ``unlinked_units`` (the ids they name), ``uncounted`` (those meetings, each with why).
    """
    state = reporting_state(config, as_of)
    day, pairs, meetings = state.as_of, state.pairs, state.meetings
    grouped = meetings.groupby(meetings["unit_id"].astype(str))
    table = pd.DataFrame({"unit": pairs["unit_id"], "members": pairs["members"], "status": pairs["state"],
                          "first_meeting": pairs["first_meeting"], "matched_on": pairs["matched_on"],
                          "ended_on": pairs["ended_on"]})
    table["meetings"] = table["unit"].map(grouped.size()).fillna(0).astype(int)
    table["minutes"] = table["unit"].map(grouped["minutes"].sum()).fillna(0)
    table["first_met"] = table["unit"].map(grouped["date"].min())
    table["last_met"] = table["unit"].map(grouped["date"].max())
    table["days_since"] = [(day - last).days if isinstance(last, dt.date) else None for last in table["last_met"]]
    months = [max(((ended or day) - max(matched, state.start or matched)).days / 30.44, 1.0)
              for matched, ended in zip(table["matched_on"], table["ended_on"])]
    table["per_month"] = (table["meetings"] / pd.Series(months, index=table.index, dtype=float)).round(2)
    table["active_30_days"] = [days is not None and days <= 30 for days in table["days_since"]]
    table.attrs["as_of"] = day
    # Meetings that do not count (an unknown id, before the pair was matched, after it ended) are counted, never
    # dropped unseen.
    table.attrs["unlinked_meetings"] = len(state.uncounted)
    table.attrs["unlinked_units"] = sorted({str(unit) for unit in state.uncounted["unit_id"]})
    table.attrs["uncounted"] = state.uncounted
    return table


def monthly_meetings(config: ClientConfig, *, as_of=None) -> pd.DataFrame:
    """Meetings that count (see :func:`activity`) per calendar month, and how many pairs or circles met that month."""
    meetings = reporting_state(config, as_of).meetings
    month = pd.to_datetime(pd.Series(meetings["date"], dtype=object)).dt.to_period("M").astype(str)
    return (meetings.assign(month=month.to_numpy()).groupby("month")
            .agg(meetings=("unit_id", "size"), units_meeting=("unit_id", "nunique")).reset_index())


def funnel(config: ClientConfig, *, as_of=None, roster: Roster | None = None) -> pd.DataFrame:
    """Eligible -> enrolled -> matched -> active (met in the last 30 days or completed) -> completed.

    ``roster``: the client's roster when the caller has loaded it already (default: read from ``config``)."""
    table = activity(config, as_of=as_of)
    roster = config.roster() if roster is None else roster
    eligible = None
    if config.get("hr_outcomes"):
        eligible = len(read_log(config.get("hr_outcomes")))
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


def at_risk(config: ClientConfig, *, as_of=None, inactive_days: int = INACTIVE_DAYS) -> pd.DataFrame:
    """Pairs or circles that need attention, why, and a suggested intervention."""
    table = activity(config, as_of=as_of)
    day = table.attrs["as_of"]
    design = config.design()
    records = []
    for row in table.itertuples(index=False):
        if row.status not in ("active", "paused"):
            continue
        if row.meetings == 0:
            # counted from the day the pair was matched (a re-matched pair is not late for the programme's start)
            waited = (day - max(row.matched_on, design.start_date or row.matched_on)).days
            if waited > 30:
                records.append((row.unit, "no meeting logged yet", f"{waited} days since they were matched",
                                "call both people this week; offer to re-match if the first meeting keeps slipping"))
        elif row.days_since is not None and row.days_since > inactive_days:
            records.append((row.unit, f"no meeting in {row.days_since} days", f"last met {row.last_met}",
                            "send the re-engagement message; remind them of the no-fault exit"))
        elif row.per_month < 0.5 * design.cadence.meetings_per_month:
            records.append((row.unit, "meeting less than half as often as agreed",
                            f"{row.per_month:.1f} meetings a month against {design.cadence.meetings_per_month:g}",
                            "suggest booking the remaining meetings as a series now"))
    return pd.DataFrame(records, columns=["unit", "reason", "evidence", "suggested intervention"])
