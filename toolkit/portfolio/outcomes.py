"""The one door to the programme's state: which pairs or circles ran, how each ended, how often they met.

Everything in the portfolio that needs completion, closure reasons or meetings asks
:func:`programme_outcome`; it is the only function here that knows where the programme's state
comes from (the programme timeline, ``toolkit.programme.programme_state``), so the words it
returns are the timeline's: a unit's ``state`` is one of :data:`UNIT_STATES` and an ended or
completed unit's ``end_reason`` one of :data:`END_REASONS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..goals.agreements import match_as_run
from ..measure.engagement import activity
from ..measure.relationships import relationships

__all__ = ["ProgrammeOutcome", "programme_outcome", "UNIT_COLUMNS", "UNIT_STATES", "END_REASONS", "STOPPED_STATES"]

#: The timeline's words (toolkit.programme.vocabulary), restated only until it lands on main.
UNIT_STATES = ("active", "paused", "ended", "completed", "superseded")
END_REASONS = ("no_fault", "left", "goals_met", "completed", "replaced")
STOPPED_STATES = ("ended", "completed")
UNIT_COLUMNS = ["unit_id", "mentee_id", "mentor_id", "members", "state", "end_reason", "matched_on", "ended_on",
                "meetings"]


@dataclass(frozen=True)
class ProgrammeOutcome:
    """The programme on one day: its dates and shape, and one row per pair or circle that started.

    ``units`` has :data:`UNIT_COLUMNS`; units replaced before they met (``superseded``) are left out.
    """

    as_of: dt.date
    start: dt.date | None
    end: dt.date | None
    shape: str
    units: pd.DataFrame

    @property
    def finished(self) -> bool:
        return self.end is not None and self.as_of > self.end


# How the status words of the pairs log read as the timeline's (state, end reason).
_FROM_LOG = {"active": ("active", None), "completed": ("completed", "completed"),
             "completed_early": ("completed", "goals_met"), "ended_no_fault": ("ended", "no_fault"),
             "left_organisation": ("ended", "left")}


def programme_outcome(config, as_of: dt.date | str | None = None) -> ProgrammeOutcome:
    """The programme's units and how each stood on ``as_of`` (default: today).

    Until the programme timeline lands this reads the pairs log and meeting log through
    :mod:`toolkit.measure` and applies the timeline's rule that every unit still running after the
    programme's end date completed.
    """
    design = config.design()
    day = pd.Timestamp(as_of).date() if as_of is not None else dt.date.today()
    end = design.planned_end_date
    met = activity(config, as_of=day).set_index("unit")
    if design.shape == "circles":
        units = pd.DataFrame({"unit_id": met.index, "mentee_id": None, "mentor_id": None,
                              "members": list(met["members"]), "state": "active", "end_reason": None,
                              "matched_on": design.start_date, "ended_on": None})
    else:
        pairs = relationships(config, as_of=day) if config.get("pairs") else _adopted_pairs(config)
        readings = [_FROM_LOG.get(status, ("active", None)) for status in pairs["status"]]
        units = pd.DataFrame({"unit_id": pairs["pair_id"], "mentee_id": pairs["mentee_id"],
                              "mentor_id": pairs["mentor_id"],
                              "members": list(zip(pairs["mentee_id"], pairs["mentor_id"])),
                              "state": [state for state, _ in readings], "end_reason": [why for _, why in readings],
                              "matched_on": pairs["matched_on"], "ended_on": pairs["ended_on"]})
    units["meetings"] = [int(met["meetings"].get(unit, 0)) for unit in units["unit_id"]]
    if end is not None and day > end:
        running = units["state"].isin(["active", "paused"])
        units.loc[running, ["state", "end_reason"]] = ["completed", "completed"]
        units.loc[running, "ended_on"] = end
    units = units.astype({"mentee_id": object, "mentor_id": object, "end_reason": object})
    return ProgrammeOutcome(as_of=day, start=design.start_date, end=end, shape=design.shape,
                            units=units[UNIT_COLUMNS].reset_index(drop=True))


def _adopted_pairs(config) -> pd.DataFrame:
    result = match_as_run(config)
    pairs = result.pairs
    return pd.DataFrame({"pair_id": pairs.get("pair_id", pd.Series(range(1, len(pairs) + 1))).astype(str),
                         "mentee_id": pairs["mentee_id"], "mentor_id": pairs["mentor_id"], "status": "active",
                         "matched_on": None, "ended_on": None})
