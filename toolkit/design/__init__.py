"""Programme design: the vocabulary, the validated model, and the design in plain words.

``vocabulary`` lists every option a design may use (kinds, shapes, objectives, criteria, hard
rules) with the words shown for each; ``parts`` holds the typed pieces of a design; ``checker``
reads YAML with line numbers and collects every problem; ``model`` is :class:`ProgramDesign`;
``prose`` writes :meth:`ProgramDesign.describe`.
"""

from __future__ import annotations

from ..resources import TEMPLATES_ENV, templates_dir
from .checker import DesignProblem
from .model import ProgramDesign
from .parts import (
    Agreement,
    Cadence,
    Capacity,
    Change,
    Circles,
    CriteriaWeights,
    Fairness,
    GoalRange,
    Quota,
    Rationale,
    Rules,
    Seniority,
)
from .vocabulary import (
    CRITERIA,
    DEMOGRAPHIC_CRITERIA,
    DIRECTIONS,
    KINDS,
    OBJECTIVES,
    RULE_SETTINGS,
    SHAPES,
    programs_dir,
)

__all__ = [
    "ProgramDesign", "Rationale", "Cadence", "Capacity", "Circles", "Seniority", "CriteriaWeights", "Rules", "Quota",
    "Fairness", "GoalRange", "Agreement", "Change", "DesignProblem", "KINDS", "SHAPES", "DIRECTIONS", "OBJECTIVES",
    "CRITERIA", "DEMOGRAPHIC_CRITERIA", "RULE_SETTINGS", "TEMPLATES_ENV", "templates_dir", "programs_dir",
]
