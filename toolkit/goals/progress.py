"""Goal progress from check-in records: :func:`read_checkins` and :func:`goal_progress`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem, ToolkitError, did_you_mean
from ..files import sanitise_free_text
from ..intake.schema import snake_case
from ..intake.tables import read_table
from ..text import plural
from .library import GoalLibrary, load_goal_library
from .smart import check_smart

__all__ = ["CHECKIN_STATUSES", "read_checkins", "GoalProgress", "goal_progress", "clean_text", "column_name"]

_COLUMN_ALIASES = {"check_in_date": "checkin_date", "date": "checkin_date", "percent": "percent_complete",
                   "percent_complete_": "percent_complete", "progress": "percent_complete"}


def column_name(header: str) -> str:
    name = snake_case(header)
    return _COLUMN_ALIASES.get(name, name)


def clean_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


CHECKIN_STATUSES = ("not_started", "on_track", "at_risk", "stalled", "achieved")
_CHECKIN_COLUMNS = ("participant_id", "partner_id", "goal_id", "goal", "checkin_date", "status")


def read_checkins(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read goal check-in records (CSV or Excel); bad rows are set aside with a reason, never dropped.

    Returns
    -------
    (DataFrame, list of Problem)
        The usable rows (participant_id, partner_id, goal_id, goal, theme, checkin_date,
        status, percent_complete, note, source_row) and one problem per row set aside.

    Raises
    ------
    ToolkitError
        When a required column is missing.
    """
    table = read_table(path)
    columns = [column_name(h) for h in table.headers]
    absent = [c for c in _CHECKIN_COLUMNS if c not in columns]
    if absent:
        raise ToolkitError(f"{Path(path).name} has no column {', '.join(absent)}.",
                           fix="the check-in file needs: " + ", ".join(_CHECKIN_COLUMNS), path=path)
    frame = pd.DataFrame(table.rows, columns=columns, dtype=object)
    frame["source_row"] = table.row_numbers
    problems: list[Problem] = []
    keep = []
    dates, percents = [], []
    for index, row in frame.iterrows():
        reasons = []
        try:
            day = dt.date.fromisoformat(str(row["checkin_date"]).strip()[:10])
        except ValueError:
            day = None
            reasons.append(("checkin_date", row["checkin_date"], "not a date", "write it as YYYY-MM-DD"))
        status = str(row["status"]).strip().lower().replace(" ", "_")
        if status not in CHECKIN_STATUSES:
            reasons.append(("status", row["status"], "unknown status" + did_you_mean(status, CHECKIN_STATUSES),
                            "use one of: " + ", ".join(CHECKIN_STATUSES)))
        percent_text = str(row.get("percent_complete", "") or "").strip().rstrip("%")
        percent = None
        if percent_text:
            try:
                percent = float(percent_text)
                if not 0 <= percent <= 100:
                    raise ValueError
            except ValueError:
                reasons.append(("percent_complete", row["percent_complete"], "not a percentage from 0 to 100",
                                "write a number such as 40"))
        if not str(row["participant_id"]).strip() or not str(row["goal_id"]).strip():
            reasons.append(("participant_id", row["participant_id"], "participant or goal id is empty",
                            "fill in both ids"))
        for column, value, message, fix in reasons:
            problems.append(Problem(message, fix, str(path), int(row["source_row"]), column, value))
        if not reasons:
            keep.append(index)
            dates.append(day)
            percents.append(100.0 if percent is None and status == "achieved" else percent)
            frame.at[index, "status"] = status
    frame = frame.loc[keep].copy()
    frame["checkin_date"] = dates
    frame["percent_complete"] = pd.array(percents, dtype="Float64")
    if "theme" not in frame:
        frame["theme"] = None
    for column in ("goal", "note", "theme"):  # typed by people: no contact detail goes further than this
        if column in frame:
            frame[column] = [sanitise_free_text(value) for value in frame[column]]
    return frame.reset_index(drop=True), problems


@dataclass
class GoalProgress:
    """Goal progress across a programme (see :func:`goal_progress`).

    Attributes
    ----------
    goals
        One row per participant and goal: partner_id, theme, goal, checkins, first_checkin,
        last_checkin, status (latest), percent_complete (latest), change (percentage points
        since the first check-in), stalled, stalled_reason, smart_missing.
    pairs
        One row per participant and partner: goals, achieved, attainment_rate, mean_percent, stalled.
    attainment_rate
        Share of all goals whose latest status is ``achieved``.
    stalled
        The stalled goals, with the reason.
    problems
        Check-in rows set aside, each with its row number and reason.
    """

    goals: pd.DataFrame
    pairs: pd.DataFrame
    attainment_rate: float
    stalled: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{plural(len(self.goals), 'goal')} set by {plural(len(self.pairs), 'participant')} "
                f"with their mentor or circle: "
                f"{self.attainment_rate:.0%} achieved, {len(self.stalled)} stalled"
                + (f"; {len(self.problems)} check-in rows set aside" if self.problems else "") + ".")


def goal_progress(checkins, *, stall_checkins: int = 3, programme_start=None, programme_end=None,
                  library: GoalLibrary | None = None) -> GoalProgress:
    """Progress per goal and pair, the goal-attainment rate and the stalled goals.

    Parameters
    ----------
    checkins
        A path to a check-in file, or a DataFrame as returned by :func:`read_checkins`.
    stall_checkins
        A goal is stalled when its latest status is ``stalled``, or when it is not achieved and
        its percentage has not moved over its last ``stall_checkins`` check-ins.
    programme_start, programme_end
        Passed to :func:`check_smart` for each goal's latest wording.

    Returns
    -------
    GoalProgress
    """
    problems: list[Problem] = []
    if not isinstance(checkins, pd.DataFrame):
        checkins, problems = read_checkins(checkins)
    library = library or load_goal_library()
    ordered = checkins.sort_values(["participant_id", "goal_id", "checkin_date", "source_row"]
                                   if "source_row" in checkins else ["participant_id", "goal_id", "checkin_date"])
    rows = []
    for (participant_id, goal_id), history in ordered.groupby(["participant_id", "goal_id"], sort=True):
        latest = history.iloc[-1]
        percents = history["percent_complete"].astype("Float64")
        first_percent = percents.dropna().iloc[0] if percents.notna().any() else pd.NA
        last_percent = latest["percent_complete"]
        recent = percents.tail(stall_checkins).dropna()
        reason = ""
        if latest["status"] == "stalled":
            reason = "marked stalled at the last check-in"
        elif latest["status"] != "achieved" and len(history) >= stall_checkins and len(recent) == stall_checkins \
                and recent.nunique() == 1:
            reason = f"no progress over the last {stall_checkins} check-ins (stuck at {recent.iloc[-1]:g}%)"
        check = check_smart(latest["goal"], theme=clean_text(latest.get("theme")), programme_start=programme_start,
                            programme_end=programme_end, library=library)
        rows.append({
            "participant_id": participant_id, "goal_id": goal_id, "partner_id": latest["partner_id"],
            "theme": clean_text(latest.get("theme")), "goal": latest["goal"], "checkins": len(history),
            "first_checkin": history["checkin_date"].iloc[0], "last_checkin": latest["checkin_date"],
            "status": latest["status"], "percent_complete": last_percent,
            "change": (last_percent - first_percent) if not (pd.isna(last_percent) or pd.isna(first_percent))
            else pd.NA,
            "stalled": bool(reason), "stalled_reason": reason, "smart_missing": ", ".join(check.missing),
        })
    columns = ["participant_id", "goal_id", "partner_id", "theme", "goal", "checkins", "first_checkin",
               "last_checkin", "status", "percent_complete", "change", "stalled", "stalled_reason", "smart_missing"]
    goals_frame = pd.DataFrame(rows, columns=columns)
    if goals_frame.empty:
        pairs = pd.DataFrame(columns=["participant_id", "partner_id", "goals", "achieved", "attainment_rate",
                                      "mean_percent", "stalled"])
        return GoalProgress(goals_frame, pairs, float("nan"), goals_frame, problems)
    achieved = goals_frame["status"] == "achieved"
    pairs = (goals_frame.assign(achieved=achieved, percent=goals_frame["percent_complete"].astype("Float64"))
             .groupby(["participant_id", "partner_id"], sort=True)
             .agg(goals=("goal_id", "size"), achieved=("achieved", "sum"), mean_percent=("percent", "mean"),
                  stalled=("stalled", "sum"))
             .reset_index())
    pairs["attainment_rate"] = pairs["achieved"] / pairs["goals"]
    pairs = pairs[["participant_id", "partner_id", "goals", "achieved", "attainment_rate", "mean_percent", "stalled"]]
    stalled = goals_frame[goals_frame["stalled"]].reset_index(drop=True)
    return GoalProgress(goals_frame, pairs, float(achieved.mean()), stalled, problems)


