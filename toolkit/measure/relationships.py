"""Relationships over time: each pair's state and dates, who is stuck or silent, and fit-check flags.

Every pair's state comes from the programme's timeline (:func:`toolkit.programme.programme_state`):
``active``, ``paused``, ``ended`` (with its reason: no fault, someone left, replaced by a later
round after meeting), ``completed`` (ran to the end, or met its goals early) or ``superseded``
(replaced before a first meeting: not an ending). The words are defined once, in
:data:`toolkit.programme.STATE_WORDS`.

From the timeline, as of a day::

    table = tk.relationships(client)          # one row per pair: state, dates, days to first meeting, flags
    tk.relationship_counts(table)             # currently matched vs ever matched, by state
    tk.closure_suggestions(table)             # silent 90 days: close, after the warning message

Mentorloop's practice gives the thresholds: a pair is **stuck** when it has not met 21 days
after matching; a pair **silent** 90 days is suggested for closure, with a warning first.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from ..programme import NO_FIRST_MEETING_DAYS, RUNNING_STATES, UNIT_STATES, programme_state, reporting_state
from .survey import DEFAULT_SALT, pseudonym

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..roster import Roster
    from .survey import Survey

__all__ = ["STUCK_DAYS", "SILENT_DAYS", "relationships", "relationship_counts", "stuck_pairs", "closure_suggestions",
           "fit_check_flags", "FIT_SCRIPT", "warning_message", "rematch_history"]

STUCK_DAYS = NO_FIRST_MEETING_DAYS
SILENT_DAYS = 90

FIT_SCRIPT = (
    "Suggested conversation (10 minutes, with each person separately):\n"
    "1. \"Thanks for telling us how the first meeting went. There is no wrong answer here.\"\n"
    "2. \"What did you hope to get from the programme, and how far does this match help with that?\"\n"
    "3. \"Is there something that would make it work: a clearer goal, a different meeting rhythm, "
    "another format?\"\n"
    "4. If not: \"Ending a match is normal and no one's fault. We will offer you both a new match in the next "
    "re-match round, and nobody else will know why.\"\n"
    "5. Agree a next step and a date, and record it (mentoring-toolkit record ended PAIR --on DATE --reason "
    "no_fault).")

COLUMNS = ["pair_id", "mentee_id", "mentor_id", "state", "matched_on", "first_meeting", "ended_on", "end_reason",
           "left_by", "meetings", "days_to_first_meeting", "last_met", "days_silent", "stuck", "silent"]


def relationships(config: ClientConfig, *, as_of=None) -> pd.DataFrame:
    """One row per pair matched by the day: state, dates, days to the first meeting, days silent, and flags.

    Parameters
    ----------
    config
        A client (``load_client``), a client folder or its client.yaml.
    as_of
        The day to look from (default: the last logged meeting, as in the engagement tables). The
        programme is shown as it was that day: pairs matched later are left out, pairs that ended
        later are running, meetings after it are not counted.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`; ``attrs["as_of"]`` is the day.
    """
    state = reporting_state(config, as_of)
    day, pairs = state.as_of, state.pairs
    rows = []
    for pair in pairs.to_dict("records"):
        running = pair["state"] in RUNNING_STATES
        matched, first, last = pair["matched_on"], pair["first_meeting"], pair["last_meeting"] or pair["first_meeting"]
        since = last or matched
        rows.append({
            "pair_id": pair["unit_id"], "mentee_id": pair["mentee_id"], "mentor_id": pair["mentor_id"],
            "state": pair["state"], "matched_on": matched, "first_meeting": first, "ended_on": pair["ended_on"],
            "end_reason": pair["end_reason"], "left_by": pair["left_by"], "meetings": pair["meetings"],
            "days_to_first_meeting": (first - matched).days if first and matched else None,
            "last_met": last, "days_silent": (day - since).days if since and running else None,
            "stuck": bool(running and first is None and matched is not None and (day - matched).days > STUCK_DAYS),
            "silent": bool(running and since is not None and (day - since).days >= SILENT_DAYS),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    frame[["stuck", "silent"]] = frame[["stuck", "silent"]].astype(bool)
    frame.attrs["as_of"] = day
    return frame


def relationship_counts(table: pd.DataFrame) -> dict:
    """Currently matched vs ever matched (people), pairs by state, and the median days to a first meeting.

    A superseded pair (replaced before a first meeting) is not counted as a pair that existed.
    """
    held = table[table["state"] != "superseded"]
    running = held[held["state"].isin(RUNNING_STATES)]
    current = set(running["mentee_id"]) | set(running["mentor_id"])
    ever = set(held["mentee_id"]) | set(held["mentor_id"])
    ended = held[held["state"] == "ended"]["end_reason"].value_counts()
    waits = pd.to_numeric(held["days_to_first_meeting"], errors="coerce").dropna()
    return {"currently_matched": len(current), "ever_matched": len(ever),
            "currently_matched_mentees": running["mentee_id"].nunique(),
            "ever_matched_mentees": held["mentee_id"].nunique(), "pairs": len(held),
            "by_state": {state: int((table["state"] == state).sum()) for state in UNIT_STATES},
            "ended_by_reason": {str(reason): int(count) for reason, count in ended.items()},
            "median_days_to_first_meeting": float(waits.median()) if len(waits) else None,
            "stuck": int(table["stuck"].sum()), "silent": int(table["silent"].sum())}


def stuck_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Active pairs with no meeting more than 21 days after matching, and what to do."""
    stuck = table[table["stuck"]].copy()
    stuck["days_waiting"] = [(table.attrs["as_of"] - matched).days for matched in stuck["matched_on"]]
    stuck["suggested action"] = ("call both people this week; help book the first meeting, or offer a no-fault "
                                 "re-match if it keeps slipping")
    return stuck[["pair_id", "mentee_id", "mentor_id", "matched_on", "days_waiting", "suggested action"]].reset_index(
        drop=True)


def warning_message(mentee: str, mentor: str, last_met: dt.date | None, close_on: dt.date, coordinator: str = "") -> str:
    """The message to send a silent pair before closing it."""
    since = f"since {last_met:%d %B %Y}" if last_met else "since you were matched"
    sign = f"\n\n{coordinator}" if coordinator else ""
    return (f"Dear {mentee} and {mentor},\n\nWe have not seen a mentoring meeting logged {since}. If you are still "
            f"meeting, please log your latest meeting or reply to this message by {close_on:%d %B %Y}. If not, we "
            f"will close your mentoring relationship on that day. Closing is no one's fault: each of you can ask "
            f"for a new match in the next round.{sign}")


def closure_suggestions(table: pd.DataFrame, roster: Roster | None = None, *, notice_days: int = 14,
                        coordinator: str = "") -> pd.DataFrame:
    """Active pairs silent for 90 days or more: suggested for closure, with the warning message to send first."""
    day = table.attrs["as_of"]
    close_on = day + dt.timedelta(days=notice_days)
    silent = table[table["silent"]]
    rows = []
    for row in silent.itertuples():
        names = [roster.display_name(person) if roster is not None and person in roster else person
                 for person in (row.mentee_id, row.mentor_id)]
        rows.append({"pair_id": row.pair_id, "mentee_id": row.mentee_id, "mentor_id": row.mentor_id,
                     "last_met": row.last_met, "days_silent": row.days_silent, "close_on": close_on,
                     "warning message": warning_message(names[0], names[1], row.last_met, close_on, coordinator)})
    return pd.DataFrame(rows, columns=["pair_id", "mentee_id", "mentor_id", "last_met", "days_silent", "close_on",
                                       "warning message"])


def fit_check_flags(survey: Survey, table: pd.DataFrame, roster: Roster | None = None, *,
                    salt: str = DEFAULT_SALT) -> pd.DataFrame:
    """Pairs to talk to after the fit check: a "Not a fit", or two "Not sure yet" answers.

    ``survey`` is the fit check (``load_survey(path, "fit_check")``): respondents are pseudonyms,
    so each pair member's pseudonym (same salt) finds their answers. The survey keeps each
    person's last answer; the follow-up goes only to people who said "Not sure yet", so a person
    who answered twice and still says "Not sure yet" counts as two such answers. The flags are
    for the programme team only (they name pairs); reports show counts.

    Returns
    -------
    DataFrame
        pair_id, mentee_id, mentor_id, answers (e.g. "Not a fit, Good fit"), reasons (optional
        free text as given), why flagged, and the suggested conversation script.
    """
    responses = survey.responses
    # A survey keeps each person's last answer; the follow-up goes only to people who said "Not sure
    # yet", so someone who answered twice and still says "Not sure yet" has said it twice.
    repeated = {pseudonym(key, salt): int(answers) for key, answers in
                zip(survey.duplicates.get("key", ()), survey.duplicates.get("answers", ()))}
    by_respondent: dict[str, list[tuple[str, str | None]]] = {}
    for row in responses.itertuples():
        answer = getattr(row, "FIT", None)
        if isinstance(answer, str):
            times = repeated.get(row.respondent, 1) if answer.casefold() == "not sure yet" else 1
            by_respondent.setdefault(row.respondent, []).extend([(answer, getattr(row, "FIT_REASON", None))]
                                                                * min(times, 2))
    emails = {}
    if roster is not None:
        for person, email in zip(roster.participants["participant_id"], roster.participants["email"]):
            if email:
                emails[person] = email
    records = []
    for row in table[table["state"].isin(RUNNING_STATES)].itertuples():
        answers: list[tuple[str, str | None]] = []
        for person in (row.mentee_id, row.mentor_id):
            for key in {person, emails.get(person)} - {None}:
                answers += by_respondent.get(pseudonym(key, salt), [])
        labels = [answer for answer, _ in answers]
        not_fit = sum(answer.casefold() == "not a fit" for answer in labels)
        unsure = sum(answer.casefold() == "not sure yet" for answer in labels)
        if not_fit or unsure >= 2:
            why = "a \"Not a fit\" answer" if not_fit else f"{unsure} \"Not sure yet\" answers"
            records.append({"pair_id": row.pair_id, "mentee_id": row.mentee_id, "mentor_id": row.mentor_id,
                            "answers": ", ".join(labels),
                            "reasons": "; ".join(reason for _, reason in answers if isinstance(reason, str) and reason),
                            "why flagged": why, "suggested conversation": FIT_SCRIPT})
    return pd.DataFrame(records, columns=["pair_id", "mentee_id", "mentor_id", "answers", "reasons", "why flagged",
                                          "suggested conversation"])


def rematch_history(config: ClientConfig, *, as_of=None) -> dict:
    """What a re-match needs, from the programme's timeline on ``as_of`` (default today).

    Returns
    -------
    dict
        ``active`` (pair_id, mentee_id, mentor_id: the running pairs, kept), ``ended`` (the same:
        every pair that existed and was not superseded, never made again), ``leavers`` (ids),
        ``away`` (id -> why they cannot be matched: left, paused, not yet joined) and ``as_of``.
    """
    state = programme_state(config, as_of)
    columns = ["pair_id", "mentee_id", "mentor_id"]
    running = state.running().rename(columns={"unit_id": "pair_id"})[columns]
    stopped = state.stopped().rename(columns={"unit_id": "pair_id"})
    return {"active": running.reset_index(drop=True), "ended": stopped[columns + ["state", "ended_on", "end_reason",
                                                                                  "left_by"]].reset_index(drop=True),
            "leavers": set(state.leavers()), "away": state.unavailable(), "as_of": state.as_of}
