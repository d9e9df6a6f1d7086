"""The course: teaching mentoring-programme design with the live toolkit.

Seven short lessons in ``notebooks/course/`` (:data:`LESSONS`), each run on the sample clients and
ending with an exercise whose check gives immediate feedback. The checks and the tables the
lessons show live here, so the notebooks stay thin; :func:`build_course` writes the course as a
static offline HTML site (``mentoring-toolkit course --out DIR``).

- :mod:`.lessons`: the table of contents and the tables lessons show;
- :mod:`.briefs`: client briefs and what a sound design for each must do;
- :mod:`.design_checks`: checks for kinds, measures, matching and goals;
- :mod:`.running_checks`: checks for communications, follow-ups and impact claims;
- :mod:`.feedback`: :class:`Feedback`, what every check returns;
- :mod:`.site`: :func:`build_course`.
"""

from __future__ import annotations

from .briefs import BRIEFS, Brief, brief
from .design_checks import (
    MEASURE_LEVELS,
    check_design,
    check_goals,
    check_kind,
    check_matching,
    check_success_measures,
    measure_level,
)
from .feedback import Feedback
from .lessons import (
    LESSONS,
    Lesson,
    course_dir,
    kinds_table,
    measures_available,
    mentee_choice,
    show,
    table_of_contents,
)
from .running_checks import (
    ACTIONS,
    EFFECT_WORDS,
    SITUATIONS,
    at_risk_summary,
    breakdown_sizes,
    check_communication_order,
    check_impact_claims,
    check_interventions,
    effect_word,
    shuffled_messages,
)
from .site import COURSE_TITLE, build_course

__all__ = [
    "LESSONS", "Lesson", "course_dir", "table_of_contents", "show", "kinds_table", "measures_available",
    "mentee_choice",
    "BRIEFS", "Brief", "brief", "Feedback",
    "check_kind", "check_design", "MEASURE_LEVELS", "measure_level", "check_success_measures", "check_matching",
    "check_goals",
    "shuffled_messages", "check_communication_order", "ACTIONS", "SITUATIONS", "at_risk_summary",
    "check_interventions", "EFFECT_WORDS", "effect_word",
    "breakdown_sizes", "check_impact_claims",
    "COURSE_TITLE", "build_course",
]
