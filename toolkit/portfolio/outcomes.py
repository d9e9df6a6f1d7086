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
from typing import TYPE_CHECKING

import pandas as pd

from ..programme import END_REASONS, UNIT_STATES, programme_state

if TYPE_CHECKING:
    from ..client import ClientConfig

__all__ = ["ProgrammeOutcome", "programme_outcome", "UNIT_COLUMNS", "UNIT_STATES", "END_REASONS", "STOPPED_STATES"]

#: The states in which a pair or circle has stopped (its outcome is known).
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


def programme_outcome(config: ClientConfig, as_of: dt.date | str | None = None) -> ProgrammeOutcome:
    """The programme's pairs or circles and how each stood on ``as_of`` (default: today), from the timeline.

    A pair or circle ``superseded`` by a later round before it met never ran, so it is not one of the units;
    every other state and end reason is the timeline's own.
    """
    state = programme_state(config, as_of=as_of)
    units = state.pairs[state.pairs["state"] != "superseded"]
    return ProgrammeOutcome(as_of=state.as_of, start=state.start, end=state.end, shape=state.shape,
                            units=units[UNIT_COLUMNS].reset_index(drop=True))
