"""The words of the programme's timeline, defined once: states, events, end reasons and their plain meaning.

Every report, glossary, command and app that shows the state of a person, a pair or a circle uses
these words and these definitions (:data:`STATE_WORDS`, :data:`END_REASON_WORDS`), so "active" or
"superseded" means the same thing everywhere.
"""

from __future__ import annotations

__all__ = ["PERSON_STATES", "UNIT_STATES", "STATES", "STATE_WORDS", "PERSON_EVENTS", "UNIT_EVENTS", "END_REASONS",
           "END_REASON_WORDS", "END_REASON_LABELS", "RUNNING_STATES", "LEFT_REASONS", "EVENT_READINGS", "END_READINGS",
           "LEGACY_STATUS_READINGS", "reading_key"]

#: A person's state on a day: exactly one of these.
PERSON_STATES = ("active", "paused", "waiting", "completed", "left", "not_joined")

#: A pair's or circle's state on a day: exactly one of these (pairs matched later are not listed at all).
UNIT_STATES = ("active", "paused", "ended", "completed", "superseded")

#: Every state word, people's first.
STATES = tuple(dict.fromkeys(PERSON_STATES + UNIT_STATES))

#: One plain-language line per state word: the glossary entry every report and command uses.
STATE_WORDS = {
    "active": "running: a pair or circle that has started and has not ended, and a person who is in one",
    "paused": "on hold from a recorded date until the person returns: the person who paused, and any pair or "
              "circle they are in",
    "waiting": "in the programme and free to be matched, but in no running pair or circle (the reason says why)",
    "completed": "finished as planned: a pair or circle that ran to the programme's end or met its goals early, "
                 "and a person whose pairs or circles all did",
    "left": "left the programme or the organisation on a recorded date; never matched again",
    "not_joined": "joins the programme after this date",
    "ended": "stopped early, on a recorded date and for a recorded reason; the two people are never paired again",
    "superseded": "replaced by a later round before its first meeting: not counted as ended, and the two people "
                  "may be paired again",
}

#: The states in which a pair or circle still holds its people (a re-match keeps them).
RUNNING_STATES = ("active", "paused")

#: What can happen to a person, as recorded in the people's status file (collect/people_status.csv).
PERSON_EVENTS = ("joined", "left", "paused", "returned")

#: What can happen to a pair or circle, as recorded in the pair status file (collect/pair_status.csv).
UNIT_EVENTS = ("ended",)

#: Why a pair or circle stopped.
END_REASONS = ("no_fault", "left", "goals_met", "completed", "replaced")

END_REASON_WORDS = {
    "no_fault": "ended by agreement, no one's fault (workload, fit, a change of role): both are matched again, never "
                "with each other",
    "left": "one of the two left the programme or the organisation; it does not count against the other",
    "goals_met": "completed early: the goals were met",
    "completed": "ran to the end of the programme",
    "replaced": "not kept by a later round after it had met",
}

#: A few words for each end reason, to put in a sentence ("ended on 14 March 2025: no fault").
END_REASON_LABELS = {"no_fault": "no fault", "left": "someone left", "goals_met": "goals met early",
                     "completed": "ran to the end", "replaced": "not kept by a later round"}

#: Reasons a person leaves (the ``Reason`` column of a ``left`` row; other words are kept as written).
LEFT_REASONS = ("left_organisation", "withdrew")


def reading_key(text: object) -> str:
    """A cell as a lookup key: trimmed, lower case, spaces and hyphens as underscores ("Left org" -> left_org)."""
    return "_".join(str(text or "").strip().casefold().replace("-", " ").replace("/", " ").split())


#: How the words people write in the Event column read (keys as :func:`reading_key` gives them).
EVENT_READINGS = {
    "joined": "joined", "join": "joined", "joins": "joined", "started": "joined", "start": "joined",
    "new_joiner": "joined", "new": "joined",
    "left": "left", "leaver": "left", "leaves": "left", "leave_programme": "left", "left_programme": "left",
    "left_organisation": "left", "left_organization": "left", "left_the_organisation": "left", "resigned": "left",
    "withdrew": "left", "withdrawn": "left", "dropped_out": "left",
    "paused": "paused", "pause": "paused", "on_hold": "paused", "on_leave": "paused", "leave_of_absence": "paused",
    "returned": "returned", "return": "returned", "back": "returned", "resumed": "returned", "resume": "returned",
    "ended": "ended", "end": "ended", "closed": "ended", "ended_early": "ended", "stopped": "ended",
}

#: How a logged end reason reads (no_fault, left, goals_met or completed).
END_READINGS = {
    "no_fault": "no_fault", "no_fault_exit": "no_fault", "ended_no_fault": "no_fault", "mentor_workload": "no_fault",
    "mentee_workload": "no_fault", "workload": "no_fault", "not_a_fit": "no_fault", "fit": "no_fault",
    "poor_fit": "no_fault", "role_change": "no_fault", "change_of_role": "no_fault", "changed_role": "no_fault",
    "mutual": "no_fault", "by_agreement": "no_fault",
    "left": "left", "left_organisation": "left", "left_organization": "left", "leaver": "left", "resigned": "left",
    "left_programme": "left", "withdrew": "left",
    "goals_met": "goals_met", "goals_achieved": "goals_met", "completed_early": "goals_met",
    "completed": "completed", "complete": "completed", "finished": "completed",
}

#: How the Status column of a pairs file kept before the toolkit's timeline reads:
#: (state, end reason or None). ``ended_early`` and its like take their reason from End Reason.
LEGACY_STATUS_READINGS = {
    "active": ("active", None), "ongoing": ("active", None), "in_progress": ("active", None),
    "completed": ("completed", "completed"), "complete": ("completed", "completed"),
    "finished": ("completed", "completed"), "completed_early": ("completed", "goals_met"),
    "ended_no_fault": ("ended", "no_fault"), "no_fault": ("ended", "no_fault"),
    "left_organisation": ("ended", "left"), "left_organization": ("ended", "left"),
    "ended_early": ("ended", None), "ended": ("ended", None), "closed": ("ended", None),
    "withdrawn": ("ended", None),
}
