"""The exercises of the running and measuring lessons (5 to 7): widgets judged against the client's data."""

from __future__ import annotations

from .exercises import Exercise, choice_each, ordering
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

__all__ = ["message_order", "interventions", "impact_claims", "CAUSAL_WORDS"]


def message_order() -> Exercise:
    """Lesson 5: put Northwind's programme messages in the order they go out."""
    client = northwind()
    words = message_labels(client)
    items = [(words[message], message) for message in shuffled_messages(client)]
    return ordering("message_order", "Put Northwind's eleven programme messages in the order they must go out: "
                    "choose the first message, then the second, down to the last.", items,
                    lambda order: check_communication_order(client, order), minutes=5,
                    empty="Choose which message goes out first, then the next, then check.")


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
                               value=None),
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
