"""The design vocabulary: every option string a programme design may use, each with the words the
studio and the reports show for it. Adding a kind, objective or hard rule starts here; a criterion starts in
the criteria registry (``toolkit.criteria``), from which ``CRITERIA`` and ``CRITERION_LABELS`` are derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..criteria import CRITERIA_REGISTRY
from ..intake.schema import FIELDS, SENSITIVE_FIELDS
from ..resources import templates_dir

if TYPE_CHECKING:
    from .model import ProgramDesign


__all__ = ["KINDS", "SHAPES", "DIRECTIONS", "OBJECTIVES", "CRITERIA", "DEMOGRAPHIC_CRITERIA", "RULE_SETTINGS", "HardRule",
           "HARD_RULES", "HARD_RULE", "programs_dir"]


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


# Criterion name -> its description, from the one registry of criteria (toolkit.criteria).
CRITERIA: dict[str, str] = {criterion.name: criterion.description for criterion in CRITERIA_REGISTRY}


# Demographic criteria score "same group" (1 when both people share the value). They are
# refused unless fairness.use_demographics_in_scores is true, because scoring on protected
# characteristics needs an explicit, documented decision (e.g. a women-in-leadership programme).
DEMOGRAPHIC_CRITERIA: dict[str, str] = {
    name: f"1 when both people give the same {name.replace('_', ' ')} "
          "(only with fairness.use_demographics_in_scores: true)."
    for name in sorted(SENSITIVE_FIELDS)
}


# The order in which a design's rules: block lists its settings.
_SETTING_ORDER = ("exclude_own_manager", "exclude_reporting_line", "exclude_same_team", "exclude_same_department",
                  "require_shared_language", "max_timezone_difference_hours", "min_availability_overlap_hours",
                  "exclude_previous_partners", "respect_exclusions")

@dataclass(frozen=True)
class HardRule:
    """One hard rule: everything the toolkit says and does about it, in one entry.

    Adding a rule is one entry here plus its mask function in :mod:`toolkit.matching.rules`
    (registered with ``@mask("name")``); a test checks the two lists agree.

    Attributes
    ----------
    name
        The rule's name in explanations, readiness tables and exports (``own_manager``).
    setting
        The ``rules:`` key of a design that switches it on (None: always on, or set elsewhere).
    description
        The sentence the studio and the design docs show for the setting.
    excludes
        How an unmatched person is told about it: "of the mentors, 3 {excludes}".
    label
        The short label of the studio's toggle.
    relax
        What to do when the rule leaves someone without a partner.
    binding_order
        For rules that cannot sensibly be relaxed: their rank when several rules exclude the
        same candidates (named first, so nobody is told to relax the reporting-line rule).
    pairwise
        True when the rule is between named people (manager, exclusions) rather than attributes.
    states
        The clause that states the rule as applied to a match ("pairs come from different teams"), for
        the leadership brief; only said when the rule was on and had data (``scoring.applied``). May
        hold ``{seniority}`` (the direction and gaps in words) and ``{hours}`` (the rule's setting).
    """

    name: str
    setting: str | None
    description: str
    excludes: str
    label: str = ""
    relax: str = ""
    binding_order: int | None = None
    pairwise: bool = False
    states: str = ""

    def is_on(self, design: ProgramDesign) -> bool:
        """Whether a design switches this rule on."""
        if self.name == "seniority":
            return design.seniority.direction != "any"
        if self.setting is None:  # "self": always on
            return True
        value = getattr(design.rules, self.setting)
        return value is not None and value is not False


HARD_RULES: tuple[HardRule, ...] = (
    HardRule("self", None, "Nobody is matched with themselves.", "are you", pairwise=True),
    HardRule("own_manager", "exclude_own_manager", "Never match someone with their line manager.",
             "are your line manager or report to you", "not with their own manager",
             "recruit mentors from outside this person's reporting line", binding_order=0, pairwise=True,
             states="nobody is matched with their own manager"),
    HardRule("reporting_line", "exclude_reporting_line",
             "Never match anyone above or below someone in their reporting line.", "are in your reporting line",
             "not within a reporting line",
             "recruit mentors from another part of the organisation (relaxing the reporting-line rule is not advised)",
             binding_order=1, pairwise=True,
             states="nobody is matched with anyone above or below them in their reporting line"),
    HardRule("same_team", "exclude_same_team", "Never match two people from the same team.", "are in your team",
             "not from the same team",
             "allow same-team pairs (rules.exclude_same_team: false) or recruit mentors from other teams",
             states="pairs come from different teams"),
    HardRule("same_department", "exclude_same_department", "Never match two people from the same department.",
             "are in your department", "not from the same department",
             "allow same-department pairs (rules.exclude_same_department: false)",
             states="pairs come from different departments"),
    HardRule("no_shared_language", "require_shared_language", "Pairs must share at least one language.",
             "share no language with you", "must share a language",
             "recruit a mentor who speaks one of this person's languages, or drop rules.require_shared_language",
             states="every pair shares a language"),
    HardRule("seniority", None, "Mentor and mentee levels must be as seniority: sets (direction and gaps).",
             "are not at the seniority the programme needs", "",
             "widen the seniority gap (seniority.min_gap / max_gap) or recruit mentors at the right level",
             states="{seniority}"),
    HardRule("timezone", "max_timezone_difference_hours",
             "Largest allowed time-zone difference in hours (null = no limit).", "are too many time zones away",
             "", "raise rules.max_timezone_difference_hours or recruit mentors in nearer time zones",
             states="partners are at most {hours:g} hours apart in time zone"),
    HardRule("availability", "min_availability_overlap_hours",
             "Least shared weekly availability in hours (null = not checked).",
             "have too little availability in common with you", "",
             "lower rules.min_availability_overlap_hours or ask for wider availability",
             states="partners share at least {hours:g} hours of weekly availability"),
    HardRule("exclusions", "respect_exclusions", "Honour the do-not-match lists participants gave.",
             "are on a do-not-match list (yours or theirs)", "honour do-not-match lists",
             "check the do-not-match lists with the people involved", binding_order=2, pairwise=True,
             states="do-not-match requests are honoured"),
    HardRule("previous_partners", "exclude_previous_partners", "When re-matching, never repeat a previous pair.",
             "were your partner in an earlier round", "never repeat a previous pair",
             "allow repeat pairs (rules.exclude_previous_partners: false)", binding_order=3, pairwise=True,
             states="nobody is paired with a previous partner"),
)
HARD_RULE: dict[str, HardRule] = {rule.name: rule for rule in HARD_RULES}

# The design's rules: settings, in YAML order: each rule's switch, then the one setting that is not a rule.
_SWITCHES: dict[str, str] = {rule.setting: rule.description for rule in HARD_RULES if rule.setting is not None}
RULE_SETTINGS: dict[str, str] = {
    **{setting: _SWITCHES[setting] for setting in sorted(_SWITCHES, key=_SETTING_ORDER.index)},
    "min_score": "Pairs scoring below this are not allowed (null = no minimum).",
}


# Labels for sentences in describe(); names stay in YAML form everywhere else.
CRITERION_LABELS = {**{criterion.name: criterion.label for criterion in CRITERIA_REGISTRY},
                    **{name: f"same {name.replace('_', ' ')}" for name in sorted(SENSITIVE_FIELDS)}}


# Fields that group people (a department, a level); identifiers and free text cannot.
_GROUPING_KINDS = ("category", "role", "level", "mode", "bool", "timezone", "int", "number")


GROUPING_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in _GROUPING_KINDS)


REFERENCE_TEMPLATE = "templates/programs/formal.yaml"


MAX_WEIGHT = 10.0


def programs_dir() -> Path:
    """The folder of programme templates: ``templates_dir() / "programs"``."""
    return templates_dir() / "programs"
