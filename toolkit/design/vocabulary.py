"""The design vocabulary: every option string a programme design may use, each with the words the
studio and the reports show for it. Adding a kind, objective, criterion or hard rule starts here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..intake.schema import FIELDS, SENSITIVE_FIELDS
from ..resources import templates_dir

if TYPE_CHECKING:
    pass


__all__ = ["KINDS", "SHAPES", "DIRECTIONS", "OBJECTIVES", "CRITERIA", "DEMOGRAPHIC_CRITERIA", "RULE_SETTINGS", "programs_dir"]


KINDS: dict[str, str] = {
    "formal": "Structured one-to-one mentoring with a more senior colleague, goals and check-ins.",
    "informal": "Light-touch one-to-one mentoring; mentees choose, few rules.",
    "peer": "Pairs of colleagues at a similar level who mentor each other.",
    "reverse": "Junior colleagues mentor senior leaders (digital skills, fresh perspectives).",
    "group": "Circles of mentees with one facilitating mentor.",
    "virtual": "One-to-one mentoring across sites and time zones, meeting by video.",
}


SHAPES: dict[str, str] = {
    "one_to_one": "each mentee gets one mentor; each mentor takes up to their capacity",
    "peer_pairs": "one pool; pairs of peers; nobody with themselves",
    "circles": "groups of members with one facilitator mentor each",
}


DIRECTIONS: dict[str, str] = {
    "mentor_senior": "mentor at least min_gap levels above the mentee",
    "mentee_senior": "mentee at least min_gap levels above the mentor (reverse mentoring)",
    "similar": "at most max_gap levels apart",
    "any": "seniority ignored",
}


OBJECTIVES: dict[str, str] = {
    "max_total": "highest total score",
    "max_min": "best worst-off match first, then highest total",
    "max_participation": "most people matched first, then highest total",
}


CRITERIA: dict[str, str] = {
    "skills": "The mentor's skills_offered cover the mentee's skills_sought.",
    "goals": "The mentor is suited to the mentee's development goals.",
    "seniority": "The seniority gap is close to the ideal gap in the required direction.",
    "language": "Languages in common, beyond the one the pair must share.",
    "cross_department": "1 when mentor and mentee are in different departments.",
    "timezone": "Working-hours overlap across the two time zones.",
    "availability": "Overlap of the two people's stated weekly availability.",
    "meeting_mode": "Compatible meeting-mode preferences (in person, virtual, hybrid).",
    "preferences": "The mentee ranked this mentor (first choice scores highest).",
}


# Demographic criteria score "same group" (1 when both people share the value). They are
# refused unless fairness.use_demographics_in_scores is true, because scoring on protected
# characteristics needs an explicit, documented decision (e.g. a women-in-leadership programme).
DEMOGRAPHIC_CRITERIA: dict[str, str] = {
    name: f"1 when both people give the same {name.replace('_', ' ')} "
          "(only with fairness.use_demographics_in_scores: true)."
    for name in sorted(SENSITIVE_FIELDS)
}


RULE_SETTINGS: dict[str, str] = {
    "exclude_own_manager": "Never match someone with their line manager.",
    "exclude_reporting_line": "Never match anyone above or below someone in their reporting line.",
    "exclude_same_team": "Never match two people from the same team.",
    "exclude_same_department": "Never match two people from the same department.",
    "require_shared_language": "Pairs must share at least one language.",
    "max_timezone_difference_hours": "Largest allowed time-zone difference in hours (null = no limit).",
    "min_availability_overlap_hours": "Least shared weekly availability in hours (null = not checked).",
    "exclude_previous_partners": "When re-matching, never repeat a previous pair.",
    "respect_exclusions": "Honour the do-not-match lists participants gave.",
    "min_score": "Pairs scoring below this are not allowed (null = no minimum).",
}


# Labels for sentences in describe(); names stay in YAML form everywhere else.
CRITERION_LABELS = {
    "skills": "skills", "goals": "goals", "seniority": "seniority", "language": "language",
    "cross_department": "cross-department", "timezone": "time zone", "availability": "availability",
    "meeting_mode": "meeting mode", "preferences": "preferences", "gender": "same gender",
    "age_band": "same age band", "ethnicity": "same ethnicity",
}


# Fields that group people (a department, a level); identifiers and free text cannot.
_GROUPING_KINDS = ("category", "role", "level", "mode", "bool", "timezone", "int", "number")


GROUPING_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in _GROUPING_KINDS)


REFERENCE_TEMPLATE = "templates/programs/formal.yaml"


MAX_WEIGHT = 10.0


def programs_dir() -> Path:
    """The folder of programme templates: ``templates_dir() / "programs"``."""
    return templates_dir() / "programs"
