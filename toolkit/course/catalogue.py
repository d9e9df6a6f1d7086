"""Every exercise of the course by name: what a lesson shows with ``course.exercise(name)``.

The names are stable (tests drive each exercise by name with a right, a wrong and an empty answer);
each builder returns a fresh exercise, so a lesson run twice starts blank.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from ..errors import ToolkitError, check_option
from .capstone import TIMING_KEY
from .design_exercises import (
    AGREEMENT_KEY,
    MEASURE_KEY,
    RULE_KEY,
    agreement_contents,
    design_for_reverse_brief,
    fix_unfair_match,
    kind_exercise,
    measure_levels,
    rule_or_weight,
    smart_goals,
    success_measures,
    unfair_rule,
)
from .exercises import Exercise
from .knowledge import KNOWLEDGE_CHECKS, knowledge_check
from .running_checks import ACTIONS, SITUATIONS
from .running_exercises import BRIEFING_KEY, briefings, impact_claims, interventions, message_order

__all__ = ["EXERCISES", "exercise", "answer_keys"]

EXERCISES: dict[str, Callable[[], Exercise]] = {
    "kind_for_reverse_brief": lambda: kind_exercise("digital_leaders", "kind_for_reverse_brief"),
    "kind_for_graduates": lambda: kind_exercise("graduate_cohort", "kind_for_graduates"),
    "design_for_reverse_brief": design_for_reverse_brief,
    "measure_levels": measure_levels,
    "success_measures": success_measures,
    "rule_or_weight": rule_or_weight,
    "unfair_rule": unfair_rule,
    "fix_unfair_match": fix_unfair_match,
    "smart_goals": smart_goals,
    "agreement_contents": agreement_contents,
    "message_order": message_order,
    "briefings": briefings,
    "interventions": interventions,
    "impact_claims": impact_claims,
    **{f"check_{lesson}": partial(knowledge_check, lesson) for lesson in KNOWLEDGE_CHECKS},
}


def exercise(name: str) -> Exercise:
    """A fresh exercise by name (a key of :data:`EXERCISES`); the last expression of a cell shows it."""
    check_option("exercise", name, EXERCISES, ToolkitError)
    return EXERCISES[name]()


def answer_keys() -> pd.DataFrame:
    """The facilitator's answer key: every fixed-answer exercise's items, the answer and why."""
    keys = {"measure_levels": MEASURE_KEY, "rule_or_weight": RULE_KEY, "agreement_contents": AGREEMENT_KEY,
            "briefings": BRIEFING_KEY, "interventions": {situation: (ACTIONS[action], why)
                                                         for situation, (action, why) in SITUATIONS.items()},
            "capstone timing": TIMING_KEY}
    rows = [{"exercise": name.replace("_", " "), "item": item, "answer": answer, "why": why}
            for name, key in keys.items() for item, (answer, why) in key.items()]
    rows += [{"exercise": f"knowledge check, lesson {lesson[:2].lstrip('0')}", "item": question.prompt,
              "answer": next(option.label for option in question.options if option.right),
              "why": next(option.why for option in question.options if option.right)}
             for lesson, questions in KNOWLEDGE_CHECKS.items() for question in questions]
    return pd.DataFrame(rows)
