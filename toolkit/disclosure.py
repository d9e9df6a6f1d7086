"""The groups of people a client's outputs break down, as tables for the release ledger.

The readiness segments (participants by department and by site, with their mentees and mentors) and
the fairness audit's groups (the people to match, by each fairness attribute) are published by several
outputs: the readiness report, the matching report, the leadership brief, the cohort set-up studio.
:func:`anticipated_tables` lists them from the roster alone, so a release can hide what any of those
outputs will hide (:meth:`toolkit.ledger.Release.anticipate`); :func:`protect_readiness` is a readiness
result with its segments decided in a release, so every table, chart and sentence built from it reads
only the groups that may be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from .ledger import Ledger, Release, Row, Table
from .matching.audits import fairness_table, people_to_match
from .matching.readiness import readiness as compute_readiness
from .roster import MISSING_LABEL

__all__ = ["SEGMENTS", "readiness_tables", "protect_readiness", "fairness_attributes", "anticipated_tables",
           "client_release", "client_readiness"]

#: The readiness segments that group people (skills do not: one person counts towards several skills).
SEGMENTS = ("department", "site")


def _values(participants: pd.DataFrame, column: str) -> dict[str, str]:
    if column not in participants:
        return {str(person): MISSING_LABEL for person in participants["participant_id"]}
    return {str(person): (MISSING_LABEL if value is None or value != value else str(value))
            for person, value in zip(participants["participant_id"], participants[column])}


def readiness_tables(readiness: Any, participants: pd.DataFrame) -> list[Table]:
    """The readiness segments as tables: per department (and site), its people, mentees and mentors."""
    tables = []
    for column in SEGMENTS:
        if column not in readiness.segments:
            continue
        value_of = _values(participants, column)
        rows = []
        for record in readiness.segments[column].to_dict("records"):
            label = str(record[column])
            mentees = [person for person in readiness.mentee_ids if value_of.get(person) == label]
            mentors = [person for person in readiness.mentor_ids if value_of.get(person) == label]
            rows.append(Row(label, sorted(set(mentees) | set(mentors)), parts={"mentees": mentees, "mentors": mentors},
                            figures={key: value for key, value in record.items() if key != column}))
        tables.append(Table(f"participants by {column}", column, rows))
    return tables


def protect_readiness(readiness: Any, participants: pd.DataFrame, release: Release) -> Any:
    """``readiness`` with its department and site tables decided in ``release``.

    A department or site is a group of people (mentees and mentors together, each person once); groups
    under the threshold are hidden, with more where the totals would give them away, and so is any
    group another table of the release or an earlier release hid. ``segments[column].attrs`` carries
    ``hidden`` (how many) and ``min_group``. Skills are not suppressed: one person counts towards
    several skills, and the skills asked for are not a grouping of people.
    """
    segments, hidden = dict(readiness.segments), set()
    for table in readiness_tables(readiness, participants):
        column = table.attribute
        decision = release.publish(table)
        shown = segments[column][[decision.shows(str(value)) for value in segments[column][column]]].copy()
        shown.attrs.update(segments[column].attrs, min_group=release.min_group,
                           hidden=len(segments[column]) - len(shown))
        segments[column] = shown
        hidden |= set(decision.hidden)
    # a note naming a hidden site (in-person demand there) would point at the small group: no names then
    notes = [IN_PERSON_UNNAMED if any(label in note for label in hidden) else note for note in readiness.notes]
    return replace(readiness, segments=segments, notes=notes)


IN_PERSON_UNNAMED = ("At some sites, mentees who want to meet in person outnumber the mentor places there that can "
                     "meet in person; some will be matched with a mentor at another site (recruit in-person mentors "
                     "there, or ask those mentees whether video suits them).")


def fairness_attributes(config: Any, design: Any, participants: pd.DataFrame) -> list[str]:
    """The attributes the fairness audit breaks the match down by (client.yaml's, else the design's)."""
    chosen = (config.get("fairness_attributes") if config is not None and hasattr(config, "get") else None) \
        or design.fairness.attributes
    return [name for name in chosen if name in participants.columns]


def anticipated_tables(readiness: Any, roster: Any, shape: str, attributes: Sequence[str]) -> list[Table]:
    """Every table of people the client's outputs break down, from the roster alone (no match yet)."""
    people = roster.participants.set_index("participant_id", drop=False).loc[people_to_match(roster, shape)]
    return readiness_tables(readiness, roster.participants) + [fairness_table(people, attribute)
                                                               for attribute in attributes]


def client_release(config: Any, source: str) -> Release:
    """A release of the client whose ``client.yaml`` is ``config`` (its ledger; in memory without a folder)."""
    min_group = int(config.privacy["min_group"])
    folder = getattr(config, "folder", None)
    return (Ledger.for_client(folder, min_group) if folder is not None else Ledger(None, min_group)).release(source)


def client_readiness(config: Any, roster: Any, design: Any, release: Release) -> Any:
    """The client's readiness with its segments decided in ``release``, after foreseeing every table of
    people the client's outputs break down (so the brief hides what the reports hide)."""
    raw = compute_readiness(roster, design)
    release.anticipate(anticipated_tables(raw, roster, design.shape,
                                          fairness_attributes(config, design, roster.participants)))
    return protect_readiness(raw, roster.participants, release)
