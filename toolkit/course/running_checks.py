"""Exercise checks for the running and measuring lessons: communications, follow-ups, impact claims."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..client import ClientConfig, load_client
from ..errors import ToolkitError
from ..kit import communications_timeline
from ..measure.engagement import at_risk
from ..measure.survey import load_survey, pre_post
from ..privacy import suppress
from .exercises import judge_key
from .feedback import Feedback, no_answer, points, verdict

__all__ = ["WHY_BEFORE", "message_timeline", "shuffled_messages", "message_labels", "check_communication_order",
           "ACTIONS", "SITUATIONS", "at_risk_summary", "check_interventions",
           "EFFECT_WORDS", "effect_word", "BREAKDOWNS", "breakdown_sizes", "check_impact_claims"]

# Why each message must come before the next one in the toolkit's timeline.
WHY_BEFORE: dict[tuple[str, str], str] = {
    ("launch", "signup_reminder_1"): "nobody can be reminded to sign up before the sponsor has launched it",
    ("signup_reminder_1", "signup_reminder_2"): "the last call comes last",
    ("signup_reminder_2", "training"): "train the people who signed up, once sign-up has closed",
    ("training", "introductions"): "mentors and mentees are briefed before they meet, so the first meeting "
                                   "starts with agreed expectations",
    ("introductions", "first_meeting_nudge"): "a nudge to book the first meeting only makes sense once pairs "
                                              "know who their partner is",
    ("first_meeting_nudge", "check_in_30"): "the 30-day check-in asks how the first meetings went",
    ("check_in_30", "reengagement"): "re-engagement goes to pairs the check-in showed have gone quiet",
    ("reengagement", "midpoint_survey"): "the midpoint survey measures pairs that have had a chance to recover",
    ("midpoint_survey", "close_out"): "close-out (final survey, goal review, no-fault ending) is at the end",
    ("close_out", "celebration"): "celebrate after the pairs have closed and reviewed their goals",
}


def _config(client: str | ClientConfig) -> ClientConfig:
    return client if isinstance(client, ClientConfig) else load_client(client)


def message_timeline(client: str | ClientConfig) -> pd.DataFrame:
    """The client's dated messages (from its design's dates: the order and dates, without the wording that
    would render an introduction for every pair)."""
    return communications_timeline(_config(client).design())


def shuffled_messages(client: str | ClientConfig) -> list[str]:
    """The client's communication messages (ids) in a fixed jumbled order, for the ordering exercise."""
    ids = list(message_timeline(client)["id"])
    return ids[1::2][::-1] + ids[0::2]


def message_labels(client: str | ClientConfig) -> dict[str, str]:
    """Each message id of the client's communications timeline -> its name in words ("Launch announcement")."""
    timeline = message_timeline(client)
    return dict(zip(timeline["id"], timeline["message"]))


def check_communication_order(client: str | ClientConfig, order: Sequence[str]) -> Feedback:
    """Is this the order the messages must go out in? Compared with the toolkit's timeline for the client.

    ``order`` holds message ids (see :func:`shuffled_messages`); blanks (None) count as missing.
    """
    timeline = message_timeline(client)
    expected = list(timeline["id"])
    words = dict(zip(timeline["id"], timeline["message"]))
    order = [str(item) for item in order if item is not None and str(item).strip()]
    if not order:
        return no_answer("Choose the message that goes out first, then the next, down to the last.")
    missing = [item for item in expected if item not in order]
    unknown = [item for item in order if item not in expected]
    repeated = sorted({item for item in order if order.count(item) > 1}, key=order.index)
    if missing or unknown or repeated:
        return Feedback(False, "the list does not hold each message exactly once.", tuple(
            ([f"Not placed yet: {', '.join(words[item] for item in missing)}."] if missing else [])
            + ([f"Placed more than once: {', '.join(words.get(item, item) for item in repeated)}."] if repeated else [])
            + ([f"Not a message of this plan: {', '.join(unknown)}."] if unknown else [])))
    position = {item: index for index, item in enumerate(order)}
    problems = [f"\"{words[later]}\" comes before \"{words[earlier]}\", but "
                f"{WHY_BEFORE.get((earlier, later), 'it is due later')}."
                for earlier, later in zip(expected, expected[1:]) if position[later] < position[earlier]]
    dates = dict(zip(timeline["id"], timeline["date"].astype(str)))
    return verdict(problems, "the messages go out in a workable order.",
                   f"{points(len(problems), 'message')} out of order.",
                   [" → ".join(f"{words[item]} ({dates[item]})" for item in expected)])


# Situations a programme coordinator meets, and the response that fits each (the first three are
# the ones the engagement rules flag from meeting logs; their advice is the same as at_risk's).
ACTIONS: dict[str, str] = {
    "call": "call both people this week; offer to re-match if the first meeting keeps slipping",
    "re-engage": "send the re-engagement message; remind them of the no-fault exit",
    "series": "suggest booking the remaining meetings as a series now",
    "re-match": "end the pair without blame and match both people again",
    "close": "hold a closing conversation: review the goals, thank both, agree what happens next",
}
SITUATIONS: dict[str, tuple[str, str]] = {
    "no meeting logged yet, four weeks after the introductions": (
        "call", "a first meeting that keeps slipping is the commonest way a pair fails; a call finds out why"),
    "met twice, then nothing for two months": (
        "re-engage", "a quiet pair often just needs permission: the message restarts them or opens the no-fault exit"),
    "meeting every other month against a monthly cadence": (
        "series", "booking the rest as a series removes the diary friction that causes most drift"),
    "both say at the 30-day check-in that the fit is wrong": (
        "re-match", "when both people say it, more effort rarely helps; re-matching early costs least"),
    "the programme's end date has arrived": (
        "close", "a planned ending lets pairs review their goals and end well, or agree to carry on informally"),
}


def at_risk_summary(client: str | ClientConfig, *, as_of=None) -> pd.DataFrame:
    """How many pairs or circles the engagement rules flag, by suggested intervention."""
    flagged = at_risk(_config(client), as_of=as_of)
    counts = flagged["suggested intervention"].value_counts()
    return counts.rename_axis("suggested intervention").reset_index(name="units")


def check_interventions(answers: dict[str, str]) -> Feedback:
    """For each situation in :data:`SITUATIONS`, is the chosen action (a key of :data:`ACTIONS`) the one that fits?"""
    unknown = sorted(set(answers) - set(SITUATIONS))
    bad_actions = sorted({str(action) for action in answers.values() if action is not None} - set(ACTIONS))
    if unknown or bad_actions:
        raise ToolkitError("The answers must pair situations from SITUATIONS with actions from ACTIONS"
                           + (f"; unknown situation: {unknown[0]!r}" if unknown else "")
                           + (f"; unknown action: {bad_actions[0]!r}" if bad_actions else "") + ".",
                           fix=f"use the actions {', '.join(ACTIONS)}")
    if not any(answers.get(situation) for situation in SITUATIONS):
        return no_answer("Choose a first step for each situation, then check.")
    return judge_key(SITUATIONS, answers, {action: f"\"{words}\"" for action, words in ACTIONS.items()})


BREAKDOWNS = ("department", "business_unit", "team", "site", "region", "gender", "age_band")

# Cohen's conventional bands for a standardised change (|d|): a starting point, not a law.
EFFECT_WORDS = (("negligible", 0.2), ("small", 0.5), ("medium", 0.8), ("large", float("inf")))


def effect_word(d: float) -> str:
    """The conventional word for a standardised effect size."""
    return next(word for word, limit in EFFECT_WORDS if abs(d) < limit)


def breakdown_sizes(client: str | ClientConfig, by: str, *, role: str = "mentee") -> pd.DataFrame:
    """How many participants of a role each group of a breakdown holds, and whether it may be shown."""
    config = _config(client)
    people = config.roster().participants
    if by not in people.columns:
        raise ToolkitError(f"The roster has no column {by!r} to break results down by.",
                           fix=f"use one of: {', '.join(c for c in BREAKDOWNS if c in people.columns)}")
    chosen = people[people["role"].isin([role, "both"])]
    table = chosen[by].fillna("not given").value_counts().rename_axis(by).reset_index(name="people")
    table = table.sort_values([by], kind="stable").reset_index(drop=True)
    shown = suppress(table, "people", int(config.privacy["min_group"]))
    return table.assign(shown=table.index.isin(shown.index))


def check_impact_claims(client: str | ClientConfig, *, construct: str, effect: str, caused_by_mentoring: bool,
                        break_down_by: str) -> Feedback:
    """Would these claims survive a sceptical reader? Checked against the client's own data.

    Parameters
    ----------
    construct
        A survey construct measured at baseline and at the end (e.g. ``self_efficacy``).
    effect
        The word the learner would use for its change: negligible, small, medium or large.
    caused_by_mentoring
        Whether the learner would write that mentoring caused the change.
    break_down_by
        The roster column the learner would break results down by (department, site, team, ...).
    """
    config = _config(client)
    words = [word for word, _ in EFFECT_WORDS]
    if effect not in words:
        raise ToolkitError(f'effect must be one of {", ".join(words)}, not "{effect}".', fix="pick one of those words")
    waves = [config.survey(wave) for wave in ("baseline", "end")]
    if not all(waves):
        raise ToolkitError(f"{config.name} has no baseline and end surveys to compare.",
                           fix="use a client whose client.yaml names surveys.baseline and surveys.end")
    baseline, end = (load_survey(wave["path"], instrument=wave["instrument"]) for wave in waves)
    change = pre_post(baseline, end).set_index("construct")
    if construct not in change.index:
        raise ToolkitError(f"{construct!r} is not measured in both surveys.",
                           fix=f"use one of: {', '.join(change.index)}")
    row = change.loc[construct]
    problems = []
    right = effect_word(float(row["d_z"]))
    interval = f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}"
    if row["ci_low"] <= 0 <= row["ci_high"]:
        problems.append(f"The interval for the change ({interval} points) includes zero: the data cannot tell "
                        "this change from none, whatever word you use.")
    elif effect != right:
        problems.append(f"The standardised change is d = {row['d_z']:.2f}, conventionally {right}, not {effect}. "
                        f"In points: {row['mean_change']:+.2f} on the scale (95% interval {interval}), "
                        f"from {int(row['n'])} people who answered both surveys.")
    if caused_by_mentoring:
        problems.append("Before and after, without a comparison group, cannot show that mentoring caused the change: "
                        "people who volunteer differ, and time alone changes answers. Say it is associated with "
                        "taking part, or compare with a similar group who did not.")
    sizes = breakdown_sizes(config, break_down_by)
    hidden = sizes[~sizes["shown"]]
    if len(hidden):
        problems.append(f"By {break_down_by}, {len(hidden)} of {len(sizes)} groups fall below the anonymity "
                        f"threshold of {config.privacy['min_group']} (or would reveal one that does) and would be "
                        "hidden: choose a coarser breakdown.")
    return verdict(problems, f"claims about {row['label']} that a sceptical reader would accept.",
                   f"{points(len(problems))} to reword before the claims go to the client.",
                   [f"{row['label']}: {row['mean_change']:+.2f} points (95% interval {interval}), d = {row['d_z']:.2f} "
                    f"({right}), n = {int(row['n'])}."])
