"""Relationships over time: each pair's status and dates, who is stuck or silent, and fit-check flags.

A pair is ``active``, ``completed``, ``completed_early`` (ended well before the end date, goals
met), ``ended_no_fault`` (a no-fault exit: workload, fit, a role change) or ``left_organisation``.
Client logs often write ``ended_early`` with a reason; the reason settles which ending it was
(:data:`END_READINGS`); an unknown status stops with the rows named rather than being guessed.

From the pairs and the meeting log, as of a day::

    table = tk.relationships(client)          # one row per pair: status, dates, days to first meeting, flags
    tk.relationship_counts(table)             # currently matched vs ever matched, by status
    tk.closure_suggestions(table)             # silent 90 days: close, after the warning message

Mentorloop's practice gives the thresholds: a pair is **stuck** when it has not met 21 days
after matching; a pair **silent** 90 days is suggested for closure, with a warning first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import ConfigError, Problem
from ..rounds import list_rounds
from .engagement import read_log, read_meetings
from .survey import DEFAULT_SALT, pseudonym

__all__ = ["STATUSES", "END_READINGS", "STUCK_DAYS", "SILENT_DAYS", "pair_statuses", "relationships",
           "relationship_counts", "stuck_pairs", "closure_suggestions", "fit_check_flags", "FIT_SCRIPT",
           "warning_message", "rematch_history"]

STATUSES = ("active", "completed", "completed_early", "ended_no_fault", "left_organisation")
STATUS_WORDS = {"active": "active", "completed": "completed", "completed_early": "completed early",
                "ended_no_fault": "ended (no fault)", "left_organisation": "left the organisation"}
STUCK_DAYS = 21
SILENT_DAYS = 90

#: How a logged "ended early" reads, by its end reason (anything else ended early is a no-fault exit).
END_READINGS = {"left_organisation": "left_organisation", "left": "left_organisation", "leaver": "left_organisation",
                "goals_met": "completed_early", "goals_achieved": "completed_early",
                "completed_early": "completed_early"}
_STATUS_ALIASES = {"active": "active", "ongoing": "active", "in_progress": "active", "completed": "completed",
                   "complete": "completed", "finished": "completed", "completed_early": "completed_early",
                   "ended_no_fault": "ended_no_fault", "no_fault": "ended_no_fault",
                   "left_organisation": "left_organisation", "left_organization": "left_organisation"}

FIT_SCRIPT = (
    "Suggested conversation (10 minutes, with each person separately):\n"
    "1. \"Thanks for telling us how the first meeting went. There is no wrong answer here.\"\n"
    "2. \"What did you hope to get from the programme, and how far does this match help with that?\"\n"
    "3. \"Is there something that would make it work: a clearer goal, a different meeting rhythm, "
    "another format?\"\n"
    "4. If not: \"Ending a match is normal and no one's fault. We will offer you both a new match in the next "
    "re-match round, and nobody else will know why.\"\n"
    "5. Agree a next step and a date, and record it (status ended_no_fault if the pair ends).")


def _key(text: object) -> str:
    return str(text or "").strip().casefold().replace(" ", "_").replace("-", "_")


def pair_statuses(pairs: pd.DataFrame, *, path: str | None = None) -> pd.DataFrame:
    """Each logged pair with one of :data:`STATUSES` (``status``) and the status as logged (``logged_status``).

    Raises
    ------
    ConfigError
        Naming every row whose status is none of the known ones (with the allowed values).
    """
    frame = pairs.copy()
    reasons = frame["end_reason"] if "end_reason" in frame else pd.Series([None] * len(frame), index=frame.index)
    statuses, problems = [], []
    for position, (logged, reason) in enumerate(zip(frame.get("status", pd.Series(["active"] * len(frame))), reasons)):
        key = _key(logged) or "active"
        if key in ("ended_early", "ended", "closed", "withdrawn"):
            statuses.append(END_READINGS.get(_key(reason), "ended_no_fault"))
        elif key in _STATUS_ALIASES:
            statuses.append(_STATUS_ALIASES[key])
        else:
            statuses.append(None)
            problems.append(Problem(f"the status {logged!r} is not one the toolkit knows",
                                    "use active, completed, completed_early, ended_no_fault, left_organisation "
                                    "(or ended_early with an end reason)", path, position + 2, "Status", logged))
    if problems:
        raise ConfigError(f"{len(problems)} pairs have a status the toolkit cannot read:", problems=problems,
                          fix="correct the statuses in the pairs file")
    frame["logged_status"] = frame.get("status")
    frame["status"] = statuses
    return frame


def _date(value) -> dt.date | None:
    if value is None or value != value or str(value).strip() == "":
        return None
    return pd.Timestamp(value).date()


def relationships(config, *, as_of=None, pairs: pd.DataFrame | None = None,
                  meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per pair: status, dates, days to the first meeting, days silent, and flags.

    Parameters
    ----------
    config
        A client (``load_client``); its ``pairs`` and ``meetings`` files are read unless given.
    as_of
        The day to look from (default: the last logged meeting, as in the engagement tables). The
        programme is shown as it was that day: pairs matched later are left out, pairs that ended
        later count as active, meetings after it are not counted.
    pairs, meetings
        Tables to use instead of the client's files (``pairs``: pair_id, mentee_id, mentor_id,
        matched_on, status, ended_on, end_reason; ``meetings``: unit, date).

    Returns
    -------
    DataFrame
        pair_id, mentee_id, mentor_id, status, matched_on, first_meeting, ended_on, end_reason,
        days_to_first_meeting, last_met, days_silent, stuck, silent.
    """
    if pairs is None:
        if not config.get("pairs"):
            raise ConfigError(f"{config.path.name} names no pairs file.", fix="add pairs: pairs.csv to client.yaml",
                              path=config.path)
        pairs = read_log(config.get("pairs"))
        source = str(config.get("pairs"))
    else:
        source = None
    if meetings is None:
        meetings = read_meetings(config) if config is not None and config.get("meetings") else pd.DataFrame(
            columns=["unit", "date"])
    table = pair_statuses(pairs, path=source)
    if as_of is not None:
        try:
            day = pd.Timestamp(as_of).date()
        except (ValueError, TypeError):
            raise ConfigError(f"The day {as_of!r} is not a date.", fix="write it as YYYY-MM-DD") from None
    else:
        day = max(meetings["date"]) if len(meetings) else dt.date.today()
    meetings = meetings[meetings["date"] <= day]
    first = meetings.groupby("unit")["date"].min()
    last = meetings.groupby("unit")["date"].max()
    rows = []
    for row in table.to_dict("records"):
        pair = row.get("pair_id")
        matched = _date(row.get("matched_on"))
        if matched is not None and matched > day:
            continue  # not matched yet on that day
        ended_on = _date(row.get("ended_on"))
        if ended_on is not None and ended_on > day:  # it ended later: on that day it was still running
            row = {**row, "status": "active", "ended_on": None, "end_reason": None}
        first_met = _date(row.get("first_meeting")) or first.get(pair)
        first_met = first_met if first_met is not None and first_met <= day else None
        last_met = last.get(pair) or first_met
        since = last_met or matched
        active = row["status"] == "active"
        rows.append({
            "pair_id": pair, "mentee_id": row["mentee_id"], "mentor_id": row["mentor_id"], "status": row["status"],
            "matched_on": matched, "first_meeting": first_met, "ended_on": _date(row.get("ended_on")),
            "end_reason": row.get("end_reason"),
            "days_to_first_meeting": (first_met - matched).days if first_met and matched else None,
            "last_met": last_met, "days_silent": (day - since).days if since else None,
            "stuck": bool(active and first_met is None and matched is not None and (day - matched).days > STUCK_DAYS),
            "silent": bool(active and since is not None and (day - since).days >= SILENT_DAYS),
        })
    frame = pd.DataFrame(rows, columns=["pair_id", "mentee_id", "mentor_id", "status", "matched_on", "first_meeting",
                                        "ended_on", "end_reason", "days_to_first_meeting", "last_met", "days_silent",
                                        "stuck", "silent"])
    frame.attrs["as_of"] = day
    return frame


def relationship_counts(table: pd.DataFrame) -> dict:
    """Currently matched vs ever matched (people), pairs by status, and the median days to a first meeting."""
    active = table[table["status"] == "active"]
    current = set(active["mentee_id"]) | set(active["mentor_id"])
    ever = set(table["mentee_id"]) | set(table["mentor_id"])
    by_status = {status: int((table["status"] == status).sum()) for status in STATUSES}
    waits = pd.to_numeric(table["days_to_first_meeting"], errors="coerce").dropna()
    return {"currently_matched": len(current), "ever_matched": len(ever),
            "currently_matched_mentees": active["mentee_id"].nunique(),
            "ever_matched_mentees": table["mentee_id"].nunique(), "pairs": len(table), "by_status": by_status,
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


def closure_suggestions(table: pd.DataFrame, roster=None, *, notice_days: int = 14, coordinator: str = "") -> pd.DataFrame:
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


def fit_check_flags(survey, table: pd.DataFrame, roster=None, *, salt: str = DEFAULT_SALT) -> pd.DataFrame:
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
    for row in table[table["status"] == "active"].itertuples():
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


def rematch_history(config, *, as_of=None, table: pd.DataFrame | None = None) -> dict:
    """What a re-match needs: the active pairs, the pairs that ever existed, and the leavers.

    The client's pairs log (``pairs:``) is the record of the programme as it runs: its ``active``
    pairs carry on and every other logged pair has ended. Adopted rounds (``matches/``) made on or
    before ``as_of`` add what the log has not caught up with: a pair of the latest such round whose
    mentee has no pair in the log is active, and every pair of every such round is never made
    again. Leavers are people the HR extract (``hr_outcomes``) marks as left on or before ``as_of``.

    Returns
    -------
    dict
        ``active`` (pair_id, mentee_id, mentor_id), ``ended`` (the same and status, ended_on,
        end_reason: every pair that must not be made again), ``leavers`` (set of ids) and ``as_of``.
    """
    columns = ["pair_id", "mentee_id", "mentor_id", "status", "ended_on", "end_reason"]
    if table is None and config is not None and config.get("pairs"):
        table = relationships(config, as_of=as_of)
    if table is None:
        table = pd.DataFrame(columns=columns)
        table.attrs["as_of"] = None
    day = table.attrs.get("as_of")
    if day is None:
        day = _date(as_of) if as_of is not None else dt.date.today()
    active = table[table["status"] == "active"][["pair_id", "mentee_id", "mentor_id"]].reset_index(drop=True)
    ended = table[table["status"] != "active"][columns].reset_index(drop=True)
    rounds = [done for done in (list_rounds(config) if config is not None else [])
              if done.shape != "circles" and done.created.date() <= day]
    if rounds:
        logged = set(table["mentee_id"])
        latest = rounds[-1].pairs
        fresh = latest[~latest["mentee_id"].isin(logged)][["pair_id", "mentee_id", "mentor_id"]]
        active = pd.concat([active, fresh], ignore_index=True)
        kept = set(zip(active["mentee_id"], active["mentor_id"])) | set(zip(ended["mentee_id"], ended["mentor_id"]))
        earlier = [{"pair_id": pair_id, "mentee_id": mentee, "mentor_id": mentor, "status": "earlier round",
                    "ended_on": None, "end_reason": f"in round {done.number}, not carried on"}
                   for done in rounds for pair_id, mentee, mentor in zip(done.pairs["pair_id"], done.pairs["mentee_id"],
                                                                         done.pairs["mentor_id"])
                   if (mentee, mentor) not in kept]
        if earlier:
            ended = pd.concat([ended, pd.DataFrame(earlier, columns=columns).drop_duplicates(["mentee_id",
                                                                                          "mentor_id"])],
                              ignore_index=True)
    leavers: set[str] = set()
    if config is not None and config.get("hr_outcomes"):
        hr = read_log(config.get("hr_outcomes"))
        if "status" in hr and "employee_id" in hr:
            left = hr[hr["status"].map(_key) == "left"]
            dates = left["leaving_date"] if "leaving_date" in left else pd.Series([None] * len(left), index=left.index)
            leavers = {str(person) for person, when in zip(left["employee_id"], dates)
                       if _date(when) is None or _date(when) <= day}
    return {"active": active, "ended": ended, "leavers": leavers, "as_of": day}
