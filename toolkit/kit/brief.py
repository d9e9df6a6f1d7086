"""The leadership brief: one printable page for the client's sponsors. It states as fact only what the match
applied (:func:`match_basis`): weighted criteria and switched-on hard rules that had data on both sides; the
rest is named as lacking data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..design.vocabulary import CRITERION_LABELS, HARD_RULES
from ..errors import ToolkitError
from ..goals.agreements import purpose_for
from ..matching.scoring import applied
from ..text import join_words
from .context import kit_sources, long_date, message_context, programme_window
from .templates import PLACEHOLDER, UNSHIELD, environment, shield
from .training import training_plan

if TYPE_CHECKING:
    from ..design.model import ProgramDesign
    from ..design.vocabulary import HardRule
    from ..ledger import Release
    from ..roster import Roster
    from .context import KitSource

__all__ = ["leadership_brief", "match_basis", "rule_statement"]


_RULE_WORDS = {"own_manager": "own-manager", "reporting_line": "reporting-line", "same_team": "same-team",
               "same_department": "same-department", "no_shared_language": "shared-language",
               "timezone": "time-zone"}
# Rules with nothing to act on when nobody gave their data (no do-not-match lists, no earlier round):
# never claimed, and not reported as a gap either.
_VACUOUS_WITHOUT_DATA = ("exclusions", "previous_partners")
_SENIORITY_WORDS = {"mentor_senior": "every mentor is {min_gap:g} to {max_gap:g} levels above their mentee",
                    "mentee_senior": "every mentee is {min_gap:g} to {max_gap:g} levels above their mentor",
                    "similar": "partners are at most {max_gap:g} levels apart"}


def rule_statement(rule: HardRule, design: ProgramDesign) -> str:
    """The clause stating a hard rule as applied to a match ("pairs come from different teams")."""
    seniority = design.seniority
    hours = {"timezone": design.rules.max_timezone_difference_hours,
             "availability": design.rules.min_availability_overlap_hours}.get(rule.name)
    words = _SENIORITY_WORDS.get(seniority.direction, "").format(min_gap=seniority.min_gap, max_gap=seniority.max_gap)
    return rule.states.format(seniority=words, hours=hours or 0)


def match_basis(design: ProgramDesign, roster: Roster | None = None) -> list[str]:
    """The brief's sentences on what matching weighs and which hard rules it applies.

    With a roster, only what was applied is stated as fact: the criteria with a weight and data on
    both sides, the rules switched on with data (:func:`toolkit.matching.scoring.applied`); weighted
    criteria and rules left without data are named as such. Without one, the design's intent.
    """
    def label(name: str) -> str:
        return CRITERION_LABELS.get(name, name.replace("_", " "))

    rules_on = [rule for rule in HARD_RULES if rule.name != "self" and rule.is_on(design) and rule.states]
    if roster is None:
        weighed = [label(name).lower() for name in design.criteria.active()]
        return [("The design weighs " + join_words(weighed) if weighed else "The design weighs no criteria")
                + "; what each can do depends on the data people give at sign-up.",
                ("Hard rules switched on (each checked where the sign-up data allows): "
                 + "; ".join(rule_statement(rule, design) for rule in rules_on) + ".") if rules_on else
                "No hard rules are switched on beyond nobody being matched with themselves."]
    used = applied(roster, design)
    sentences = []
    if used.criteria:
        sentences.append("Matching weighs " + join_words([label(name).lower() for name in used.criteria])
                         + "; the match is computed with an exact optimiser and every pair's score is explained.")
    else:
        sentences.append("No weighted criterion had data from both sides, so the match only keeps to the hard rules.")
    if used.unused:
        sentences.append("The design also weighs " + join_words([label(name).lower() for name in used.unused])
                         + ", but the sign-up gave no data for "
                         + ("it" if len(used.unused) == 1 else "them") + ", so "
                         + ("it" if len(used.unused) == 1 else "they") + " played no part.")
    statements = [rule_statement(rule, design) for rule in rules_on if rule.name in used.rules]
    sentences.append(("Hard rules applied: " + "; ".join(statements) + ".") if statements else
                     "No hard rule beyond nobody being matched with themselves could be applied to this sign-up.")
    gaps: dict[str, list[str]] = {}
    for rule in rules_on:
        if rule.name in used.unchecked and rule.name not in _VACUOUS_WITHOUT_DATA:
            gaps.setdefault(used.unchecked[rule.name], []).append(_RULE_WORDS.get(rule.name, rule.name))
    if gaps:
        parts = [f"the {join_words(names)} rule{'s' if len(names) > 1 else ''} ({reason})"
                 for reason, names in gaps.items()]
        sentences.append("Switched on but not checked, for lack of data: " + join_words(parts) + ".")
    return sentences


def leadership_brief(client: KitSource, *, release: Release | None = None) -> str:
    """A one-page printable HTML brief for the client's sponsors (its figures decided in ``release``)."""
    config, design, roster, readiness = kit_sources(client, release)
    start, end = programme_window(design)
    contacts = (config.get("contacts") if config is not None else None) or {}
    plan = training_plan(design)
    shape = {"one_to_one": "one-to-one pairs", "peer_pairs": "peer pairs", "circles": "circles of "
             f"{design.circles.min_size}-{design.circles.max_size} with a facilitator" if design.circles else "circles"}
    choices = [
        f"{design.rationale.when_to_use}",
        f"Shape: {shape[design.shape]}, meeting {message_context(config, design, roster, readiness, 0)['cadence']} for "
        f"{design.duration_months} months.",
        *match_basis(design, roster),
        f"Everyone is trained first: mentors {plan.minutes('mentor_training')} minutes, mentees "
        f"{plan.minutes('mentee_orientation')} minutes.",
    ]
    figures = []
    readiness_text = "Readiness figures follow once sign-up closes."
    if readiness is not None:
        overall = readiness.overall
        figures = [{"value": overall["participants"], "label": "people signed up"}]
        if design.shape == "circles":
            figures.append({"value": overall["facilitators"], "label": "facilitators"})
            figures.append({"value": overall["circles_needed"], "label": "circles needed"})
        else:
            figures.append({"value": overall["places"], "label": "mentor places"})
            figures.append({"value": f"{overall['coverage']:.0%}", "label": "coverage of demand"})
        readiness_text = readiness.summary()
    unit = "circle" if design.shape == "circles" else "pair"
    asks = [
        f"Champion the programme: open the launch on {long_date(start)} and mention it in your own team meetings.",
        "Volunteer as a mentor (or facilitator), and ask two of your senior colleagues to do the same.",
        f"Protect time: let participants spend about {design.cadence.meeting_minutes} minutes a month in their "
        f"{unit} meetings, in work time.",
        f"Attend the close-out celebration on {long_date(end)} and hear what pairs achieved.",
        "Never ask participants what was said in mentoring; confidentiality is what makes it work.",
    ]
    measures = [
        "Participation and matching: sign-ups, match rate and pair quality, including a fairness audit by "
        "department and site (reported at matching).",
        f"Engagement: {unit}s meeting in the first 30 days and active at mid-point (reported mid-programme).",
        "Goal attainment: share of SMART goals achieved, from check-ins (mid-point and end).",
        "Change in career support, psychosocial support and self-efficacy from baseline to end, with confidence "
        "intervals, plus a net promoter score (end of programme).",
        "Retention and promotion of participants against a comparison group, with the selection-bias caveat, "
        "and return on investment with every assumption stated (end of programme).",
    ]
    across = roster is not None and "same_department" in applied(roster, design).rules
    template = environment(autoescape=True).get_template("brief/leadership.html.j2")
    page = template.render(**shield({
        "client": config.name if config is not None else "Client", "programme": design.name, "start": long_date(start),
        "end": long_date(end), "kind_title": design.kind.capitalize() + " mentoring",
        "consultant": contacts.get("consultant") or "the programme team",
        "purpose": purpose_for(design.agreement.purpose, across=across),
        "choices": choices, "figures": figures,
        "readiness": readiness_text, "asks": asks, "measures": measures,
        "min_group": config.privacy["min_group"] if config is not None else 5}))
    if PLACEHOLDER.search(page):
        raise ToolkitError("The leadership brief left a placeholder unfilled.", fix="check templates/brief")
    return page.translate(UNSHIELD)
