"""The course: mentoring-programme design for people who do not code, on the live toolkit.

Seven lessons and a capstone in ``notebooks/course/`` (:data:`LESSONS`), and a facilitator guide for
teaching them as a one-day workshop. Every exercise is answered with widgets (choices, sliders,
short text) and checked at once (:func:`exercise`, :data:`EXERCISES`); the checks and tables live
here, so the notebooks stay thin. ``mentoring-toolkit course --serve`` serves the lessons code-free
(:func:`serve_course`); ``mentoring-toolkit course --out DIR`` writes them as an offline HTML site
(:func:`build_course`).

- :mod:`.lessons`: the table of contents, time estimates and the tables lessons show;
- :mod:`.briefs`: client briefs and what a sound design for each must do;
- :mod:`.reading`: reading success measures and goals for what they say, phrase by phrase;
- :mod:`.design_checks`, :mod:`.running_checks`: the checks, usable from code too;
- :mod:`.feedback`: :class:`Feedback`, what every check returns;
- :mod:`.exercises`, :mod:`.design_panel`: the widgets; :mod:`.design_exercises`,
  :mod:`.running_exercises`, :mod:`.knowledge`: the lessons' exercises; :mod:`.catalogue`: by name;
- :mod:`.worked`: the course's fictional clients and worked examples;
- :mod:`.capstone`: :class:`Capstone` and its rubric;
- :mod:`.coverage`, :mod:`.workshop`: the standards each lesson covers, and the one-day plan;
- :mod:`.site`, :mod:`.serve`: the offline site and the served course.
"""

from __future__ import annotations

from .briefs import BRIEFS, Brief, brief
from .capstone import RUBRIC, STEPS, Capstone, rubric_table
from .catalogue import EXERCISES, answer_keys, exercise
from .coverage import EMCC_STANDARDS, MENTOR_ELEMENTS, coverage_table
from .design_checks import (
    MEASURE_LEVELS,
    check_design,
    check_goals,
    check_kind,
    check_matching,
    check_success_measures,
    measure_level,
)
from .design_exercises import brief_card
from .exercises import Action, Exercise
from .feedback import Feedback
from .knowledge import KNOWLEDGE_CHECKS, knowledge_check
from .lessons import (
    LESSONS,
    Lesson,
    change_table,
    course_dir,
    example_agreement,
    kinds_table,
    measures_available,
    mentee_choice,
    northwind,
    outcomes_table,
    show,
    table_of_contents,
    who_can_be_matched,
)
from .reading import read_goal, read_measure
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
from .serve import CourseServer, build_served_course, serve_course
from .site import COURSE_TITLE, build_course
from .worked import (
    audit_table,
    course_client,
    export_preview,
    left_out,
    rematch_example,
    roster_summary,
    shortlist_example,
)
from .workshop import lesson_minutes, session_plan, timing_table

__all__ = [
    "LESSONS", "Lesson", "course_dir", "table_of_contents", "show", "kinds_table", "measures_available",
    "mentee_choice", "northwind",
    "BRIEFS", "Brief", "brief", "brief_card", "Feedback",
    "check_kind", "check_design", "MEASURE_LEVELS", "measure_level", "check_success_measures", "check_matching",
    "check_goals", "read_measure", "read_goal",
    "shuffled_messages", "check_communication_order", "ACTIONS", "SITUATIONS", "at_risk_summary",
    "check_interventions", "EFFECT_WORDS", "effect_word",
    "breakdown_sizes", "check_impact_claims",
    "Exercise", "Action", "EXERCISES", "exercise", "KNOWLEDGE_CHECKS", "knowledge_check",
    "course_client", "export_preview", "roster_summary", "audit_table", "left_out", "shortlist_example",
    "rematch_example", "change_table", "outcomes_table", "example_agreement", "who_can_be_matched",
    "Capstone", "STEPS", "RUBRIC", "rubric_table", "answer_keys",
    "MENTOR_ELEMENTS", "EMCC_STANDARDS", "coverage_table", "lesson_minutes", "session_plan", "timing_table",
    "COURSE_TITLE", "build_course", "CourseServer", "build_served_course", "serve_course",
]
