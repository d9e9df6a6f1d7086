"""The exercises of the design lessons (1 to 4), built with widgets and judged by the course's checks.

Each function returns a fresh :class:`~toolkit.course.exercises.Exercise`; the catalogue
(:data:`toolkit.course.EXERCISES`) names them so a lesson shows one with ``course.exercise(name)``.
Answer keys that are facts of the course (which level a measure sits at, what belongs in an
agreement) live here with the reason a learner reads for each.
"""

from __future__ import annotations

from ..matching.engine import match
from .briefs import brief
from .design_checks import check_design, check_goals, check_kind, check_matching, check_success_measures
from .design_panel import KIND_WORDS, design_exercise
from .exercises import Exercise, choice, choice_each, judge_key, short_text
from .feedback import Feedback
from .lessons import northwind
from .worked import RELAXABLE, audit_table, course_client, relax_rule

__all__ = ["brief_card", "kind_exercise", "design_for_reverse_brief", "measure_levels", "success_measures",
           "rule_or_weight", "unfair_rule", "fix_unfair_match", "smart_goals", "agreement_contents", "MEASURE_KEY",
           "RULE_KEY", "AGREEMENT_KEY"]


def brief_card(name: str):
    """A client's brief as a widget (shown above the exercise that answers it)."""
    import ipywidgets as widgets

    return widgets.HTML(brief(name)._repr_html_())


def kind_exercise(brief_name: str, key: str, *, minutes: float = 3) -> Exercise:
    """Choose the kind of programme that fits a brief."""
    return choice(key, f"Which kind of programme fits the brief \"{brief(brief_name).title}\"?",
                  [(words, kind) for kind, words in KIND_WORDS.items()],
                  lambda kind: check_kind(brief_name, kind), minutes=minutes, context=[brief_card(brief_name)],
                  empty="Choose the kind of programme you would propose, then check.")


def design_for_reverse_brief() -> Exercise:
    """Lesson 1: a design for the reverse-mentoring brief, from a template the learner chooses."""
    return design_exercise(
        "design_for_reverse_brief", "Build a design for \"Leaders and generative AI\": choose where to start, then "
        "set who is more senior, the rules and the weights.",
        lambda design: check_design("digital_leaders", design), minutes=8,
        rules=("exclude_own_manager", "exclude_reporting_line"), weights=("skills", "seniority"),
        context=[brief_card("digital_leaders")])


# Lesson 2: five measures a client proposed, the level each sits at, and why.
MEASURE_KEY: dict[str, tuple[str, str]] = {
    "Average rating of the launch event": (
        "reaction", "a rating of the event says how people felt about it, not what changed"),
    "Mentees' confidence score in the end survey against their baseline": (
        "learning", "confidence measured before and after is a change in the person (learning)"),
    "Share of pairs that held at least six meetings": (
        "behaviour", "meetings held are something people did (behaviour)"),
    "Participants still employed 12 months later, against similar non-participants": (
        "results", "staying with the organisation is an organisational result"),
    "Number of mentees who applied for an internal role": (
        "behaviour", "applying for a role is an action the mentee took (behaviour); a promotion would be a result"),
}
_LEVELS = [("Reaction: how people felt about it", "reaction"), ("Learning: what people now know or believe",
                                                                   "learning"),
           ("Behaviour: what people did differently", "behaviour"), ("Results: what the organisation gained",
                                                                     "results")]


def measure_levels() -> Exercise:
    """Lesson 2: place each measure at its Kirkpatrick level."""
    words = {value: label.split(":")[0].lower() for label, value in _LEVELS}
    return choice_each("measure_levels", "At which level does each measure sit?", list(MEASURE_KEY), _LEVELS,
                       lambda values: judge_key(MEASURE_KEY, values, words), minutes=4,
                       empty="Choose a level for each measure, then check.")


def success_measures() -> Exercise:
    """Lesson 2: write success measures for the leadership-pipeline brief (judged on what they say)."""
    return short_text("success_measures", "Write two to four success measures for this brief, one a line.",
                      check_success_measures, minutes=8,
                      placeholder="e.g. Share of mentees promoted within 24 months, 10 percentage points above "
                                  "similar colleagues who did not take part",
                      empty="Write two to four success measures, one a line, then check.",
                      context=[brief_card("leadership_pipeline")])


# Lesson 3: hard rule or weighted criterion?
RULE_KEY: dict[str, tuple[str, str]] = {
    "Nobody is mentored by their own line manager.": (
        "rule", "a pair that breaks it must never happen, whatever else it scores"),
    "A mentor from another department would be nice.": (
        "weight", "\"nice\" is a preference: it should raise a pair's score, not forbid the others"),
    "Mentees ranked the mentors they would like.": (
        "weight", "a ranking says what people prefer; as a rule it would leave out anyone whose choices are full"),
    "The programme runs in English; a pair must share a language to talk at all.": (
        "rule", "a pair without a common language cannot work, so it should never be made"),
    "Mentor and mentee should have similar meeting preferences.": (
        "weight", "people can compromise on how they meet; weighting it favours good fits without leaving anyone out"),
}
_RULE_OPTIONS = [("A hard rule: such pairs are never made", "rule"),
                 ("A weighted criterion: it raises a pair's score", "weight")]


def rule_or_weight() -> Exercise:
    """Lesson 3: is each requirement a hard rule or a weighted criterion?"""
    words = {"rule": "a hard rule", "weight": "a weighted criterion"}
    return choice_each("rule_or_weight", "Should each requirement be a hard rule or a weighted criterion?",
                       list(RULE_KEY), _RULE_OPTIONS, lambda values: judge_key(RULE_KEY, values, words), minutes=4,
                       empty="Choose rule or criterion for each requirement, then check.")


def _judge_unfair_rule(rule: str) -> Feedback:
    client = course_client("kestrel")
    min_group = int(client.privacy["min_group"])
    before = audit_table(match(client.roster(), client.design()), min_group).set_index("group")
    after = audit_table(relax_rule(client, rule), min_group).set_index("group")
    hull = "site: Hull"
    rate_before = before.at[hull, "match rate"]
    rate_after = after.at[hull, "match rate"] if hull in after.index else "hidden (too few people to show)"
    flagged = after["flagged"].str.startswith("yes").any()
    words = RELAXABLE[rule][0].lower()
    if flagged:
        return Feedback(False, f"with \"{words}\" relaxed, Hull is still matched at {rate_after} (it was "
                               f"{rate_before}): this rule is not what leaves the shift workers out.",
                        ("Read the reasons in the \"who was left out\" table: what do they say the mentors lack?",))
    return Feedback(True, f"with \"{words}\" relaxed, Hull's match rate goes from {rate_before} to {rate_after} and "
                          "no group is flagged.",
                    ("The rule asks for an hour of the week when both are free. Office mentors are free in office "
                     "hours; the Hull shift workers are free before 8 am, at weekends or late at night. A rule that "
                     "looks neutral excluded a whole group.",))


def unfair_rule() -> Exercise:
    """Lesson 3 (worked example): which rule of Kestrel's draft leaves the Hull shift workers out?"""
    return choice("unfair_rule", "Which rule of Kestrel's draft design leaves the Hull shift workers without mentors? "
                  "The check matches the cohort again with the rule you choose relaxed.",
                  [(words, rule) for rule, (words, _) in RELAXABLE.items()], _judge_unfair_rule, minutes=3,
                  empty="Choose the rule you suspect, then check: the match is run again without it.")


def fix_unfair_match() -> Exercise:
    """Lesson 3: change Kestrel's design so every shift gets mentors, and pass the fairness audit."""
    client = course_client("kestrel")
    return design_exercise(
        "fix_unfair_match", "Change Kestrel's design so that colleagues on every shift get a mentor. The check "
        "matches all 27 sign-ups with your design and runs the fairness audit.",
        lambda design: check_matching("kestrel_shifts", design, client), minutes=8, base=client.design(),
        limits=("min_availability_overlap_hours",), weights=("availability", "skills"),
        context=[brief_card("kestrel_shifts")])


def smart_goals() -> Exercise:
    """Lesson 4: goals a Northwind mentee could sign (read as sentences, then the SMART check)."""
    design = northwind().design()
    wanted = design.agreement.goals_per_mentee
    return short_text("smart_goals", f"Write {wanted.min} to {wanted.max} goals a Northwind mentee could sign up to, "
                      f"one a line. The programme ends on {design.planned_end_date:%d %B %Y}.",
                      lambda goals: check_goals(goals, design), minutes=8,
                      placeholder="e.g. Lead two client workshops and get a rating of 4/5 or more by September 2026",
                      empty="Write at least one goal, one a line, then check.")


# Lesson 4: what belongs in a mentoring agreement?
AGREEMENT_KEY: dict[str, tuple[str, str]] = {
    "What we talk about stays between us, with the usual safeguarding exceptions.": (
        "in", "confidentiality is what lets a mentee speak openly; the exceptions must be said up front"),
    "Either of us can end the pair without giving a reason, and nobody is blamed.": (
        "in", "a no-fault exit lets a poor fit end early, before it sours the programme"),
    "We meet once a month for an hour and reply to messages within two working days.": (
        "in", "an agreed cadence is the commonest thing pairs drift from; writing it down makes drift visible"),
    "The mentor reports the mentee's progress to the mentee's line manager each quarter.": (
        "out", "reporting to the line manager breaks confidentiality; progress is shared only by the mentee, "
               "if they choose"),
    "The mentor rates the mentee's performance for the annual review.": (
        "out", "a mentor who assesses performance becomes a second manager, and the mentee stops being frank"),
}


def agreement_contents() -> Exercise:
    """Lesson 4: which clauses belong in a mentoring agreement?"""
    words = {"in": "belongs in the agreement", "out": "does not belong"}
    return choice_each("agreement_contents", "Which of these clauses belong in a mentoring agreement?",
                       list(AGREEMENT_KEY), [("Belongs in the agreement", "in"), ("Does not belong", "out")],
                       lambda values: judge_key(AGREEMENT_KEY, values, words), minutes=4,
                       empty="Choose for each clause, then check.")
