"""The programme over time: one timeline of people and pairs (or circles) that every later step reads.

The state of a programme on any day is a function of what is recorded, never a file edited in
place: the adopted rounds, people's events (joined, left, paused, returned), pair events (ended,
with a reason and who left) and the meeting log. This package is the only reader of the status
files; everything after it asks :func:`programme_state`::

    import toolkit as tk
    state = tk.programme_state("clients/acme", as_of="2026-07-01")
    state.people, state.pairs, state.counts()

Modules: ``vocabulary`` (the state words, defined once), ``logs`` (reading collected files),
``meetings`` (the meeting log), ``events`` (the status files), ``checks`` (events against each
other), ``timeline`` (every pair and person with their dates), ``state`` (one day's state),
``record`` (appending events, for the ``record`` command).
"""

from __future__ import annotations

from .events import EVENT_COLUMNS, PAIR_STATUS_HEADERS, PEOPLE_STATUS_HEADERS
from .logs import read_log
from .meetings import MEETING_FORMATS, read_duration, read_format, read_meetings
from .state import (
    NO_FIRST_MEETING_DAYS,
    PAIR_COLUMNS,
    PEOPLE_COLUMNS,
    ProgrammeState,
    available_roster,
    client_match,
    programme_state,
    reporting_state,
    state_on,
)
from .timeline import Timeline, build_timeline
from .vocabulary import (
    END_REASON_LABELS,
    END_REASON_WORDS,
    END_REASONS,
    PERSON_EVENTS,
    PERSON_STATES,
    RUNNING_STATES,
    STATE_WORDS,
    STATES,
    UNIT_EVENTS,
    UNIT_STATES,
)

__all__ = ["programme_state", "client_match", "ProgrammeState", "build_timeline", "Timeline", "state_on",
           "reporting_state", "available_roster", "read_meetings",
           "read_log", "read_duration", "read_format", "MEETING_FORMATS", "PERSON_STATES", "UNIT_STATES", "STATES",
           "STATE_WORDS", "END_REASONS", "END_REASON_WORDS", "END_REASON_LABELS", "PERSON_EVENTS", "UNIT_EVENTS",
           "RUNNING_STATES",
           "PEOPLE_COLUMNS", "PAIR_COLUMNS", "NO_FIRST_MEETING_DAYS", "EVENT_COLUMNS", "PEOPLE_STATUS_HEADERS",
           "PAIR_STATUS_HEADERS"]
