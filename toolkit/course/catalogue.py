"""Every exercise of the course by name: what a lesson shows with ``course.exercise(name)``.

The names are stable (tests drive each exercise by name with a right, a wrong and an empty answer);
each builder returns a fresh exercise, so a lesson run twice starts blank.
"""

from __future__ import annotations

from typing import Callable

from ..errors import ToolkitError, check_option
from .design_exercises import (
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
from .running_exercises import impact_claims, interventions, message_order

__all__ = ["EXERCISES", "exercise"]

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
    "interventions": interventions,
    "impact_claims": impact_claims,
    **{f"check_{lesson}": (lambda lesson=lesson: knowledge_check(lesson)) for lesson in KNOWLEDGE_CHECKS},
}


def exercise(name: str) -> Exercise:
    """A fresh exercise by name (a key of :data:`EXERCISES`); the last expression of a cell shows it."""
    check_option("exercise", name, EXERCISES, ToolkitError)
    return EXERCISES[name]()
