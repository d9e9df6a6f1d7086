"""The exercises of the running and measuring lessons (5 to 7): widgets judged against the client's data."""

from __future__ import annotations

from .exercises import Exercise, choice_each, judge_key, ordering
from .feedback import Feedback
from .lessons import northwind
from .running_checks import (
    ACTIONS,
    BREAKDOWNS,
    EFFECT_WORDS,
    SITUATIONS,
    check_communication_order,
    check_impact_claims,
    check_interventions,
    message_labels,
    shuffled_messages,
)

__all__ = ["message_order", "briefings", "BRIEFING_KEY", "interventions", "impact_claims", "CAUSAL_WORDS"]


def message_order() -> Exercise:
    """Lesson 5: put Northwind's programme messages in the order they go out."""
    client = northwind()
    words = message_labels(client)
    items = [(words[message], message) for message in shuffled_messages(client)]
    return ordering("message_order", "Put Northwind's eleven programme messages in the order they must go out: "
                    "choose the first message, then the second, down to the last.", items,
                    lambda order: check_communication_order(client, order), minutes=5,
                    empty="Choose which message goes out first, then the next, then check.")


# Lesson 5: who needs which briefing, and why.
BRIEFING_KEY: dict[str, tuple[str, str]] = {
    "A mentee's line manager": (
        "manager", "their support decides whether the mentee can take the time, and they must know they will not "
                   "hear what is said"),
    "A senior leader about to be mentored in a reverse programme": (
        "taught", "being taught by someone junior takes preparation: listening, asking, letting the mentor lead"),
    "A mentor who will lead a circle of six graduates": (
        "facilitate", "a circle needs facilitation: everyone heard, the group's goals as well as each person's"),
    "The programme's sponsor": (
        "sponsor", "the sponsor launches the programme and will be asked at the end whether it worked"),
}
_BRIEFINGS = [("Why the time matters, and what stays confidential", "manager"),
              ("How to be taught by a junior colleague", "taught"),
              ("How to facilitate a group", "facilitate"),
              ("The programme's purpose, its measures and the launch message", "sponsor")]


def briefings() -> Exercise:
    """Lesson 5: which briefing each person needs before the programme starts."""
    words = {value: f"\"{label}\"" for label, value in _BRIEFINGS}
    return choice_each("briefings", "Which briefing does each person need before the first meetings?",
                       list(BRIEFING_KEY), _BRIEFINGS, lambda values: judge_key(BRIEFING_KEY, values, words),
                       minutes=4, empty="Choose a briefing for each person, then check.")


def interventions() -> Exercise:
    """Lesson 6: the first step for each situation a coordinator meets."""
    return choice_each("interventions", "What is your first step in each situation?", list(SITUATIONS),
                       [(words[:1].upper() + words[1:], action) for action, words in ACTIONS.items()],
                       lambda answers: check_interventions({situation: action for situation, action in answers.items()
                                                            if action is not None}),
                       minutes=5, empty="Choose a first step for each situation, then check.")


CAUSAL_WORDS = {False: "The rise is associated with taking part", True: "Mentoring caused the rise"}


def impact_claims() -> Exercise:
    """Lesson 7: word three claims for Northwind's report; each is tested against its data."""
    import ipywidgets as widgets

    client = northwind()
    people = client.roster().participants
    breakdowns = [by for by in BREAKDOWNS if by in people.columns and people[by].notna().any()]
    controls = {
        "effect": widgets.RadioButtons(options=[(f"a {word} rise", word) for word, _ in EFFECT_WORDS], index=None),
        "caused": widgets.RadioButtons(options=[(words, caused) for caused, words in CAUSAL_WORDS.items()],
                                       index=None),
        "by": widgets.Dropdown(options=[("Choose...", None)] + [(by.replace("_", " "), by) for by in breakdowns],
                               index=0),
    }
    labels = {"effect": "1. How big was the rise in self-efficacy? The report says it was ...",
              "caused": "2. What may the report say about the cause?",
              "by": "3. Which breakdown should the report show the results by?"}

    def judge(values: dict) -> Feedback:
        missing = [labels[name].split(".")[0] for name, value in values.items() if value is None]
        if missing:
            return Feedback(False, "answer all three before the check can test them.",
                            tuple(f"Claim {number}: no answer yet." for number in missing))
        return check_impact_claims(client, construct="self_efficacy", effect=values["effect"],
                                   caused_by_mentoring=values["caused"], break_down_by=values["by"])

    def lines(values: dict) -> list[str]:
        return [f"Size: {'a ' + values['effect'] + ' rise' if values['effect'] else '(none)'}",
                f"Cause: {CAUSAL_WORDS[values['caused']] if values['caused'] is not None else '(none)'}",
                f"Breakdown: {values['by'].replace('_', ' ') if values['by'] else '(none)'}"]

    return Exercise("impact_claims", "A draft report says: \"Mentoring produced a large rise in self-efficacy; see "
                    "the results for each team.\" Choose the three claims you would write instead; the check tests "
                    "each against Northwind's data.", controls, judge, labels=labels, answer_lines=lines,
                    empty="Answer the three questions, then check.", minutes=6,
                    static="<ol><li>How big was the rise?</li><li>What caused it?</li><li>Which breakdown?</li></ol>")
