"""A design in plain words: the paragraph :meth:`ProgramDesign.describe` returns for reports.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..text import join_words, plural
from .vocabulary import CRITERION_LABELS

if TYPE_CHECKING:
    from .model import ProgramDesign
    from .parts import CriteriaWeights, Rules


OBJECTIVE_PHRASES = {
    "max_total": "maximise total fit across all pairs",
    "max_min": "make the weakest match as strong as possible, then maximise total fit",
    "max_participation": "match as many people as possible, then maximise total fit",
}


_KIND_ADJECTIVES = {"formal": "formal", "informal": "informal", "reverse": "reverse", "virtual": "virtual",
                    "peer": "", "group": ""}


def long_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {day:%B %Y}"


def frequency(per_month: float) -> str:
    named = {1: "monthly", 2: "twice a month", 3: "three times a month", 4: "weekly", 8: "twice a week",
             0.5: "every two months"}
    if per_month in named:
        return named[per_month]
    if per_month < 1:
        return f"every {1 / per_month:.3g} months"
    return f"{per_month:g} times a month"


def shape_phrase(design: ProgramDesign) -> str:
    if design.shape == "circles" and design.circles is not None:
        circles = design.circles
        facilitators = plural(circles.facilitators_per_circle, "facilitator")
        core = (f"group mentoring in circles of {circles.min_size}–{circles.max_size} members, "
                f"each led by {facilitators},")
    elif design.shape == "peer_pairs":
        core = "peer mentoring in pairs"
    else:
        core = "one-to-one mentoring"
    adjective = _KIND_ADJECTIVES.get(design.kind, "")
    phrase = f"{adjective} {core}" if adjective else core
    # The circles phrase ends in a comma on purpose: it closes the "each led by" clause before "for N months".
    return phrase[0].upper() + phrase[1:]


def capacity_sentence(design: ProgramDesign) -> str:
    capacity = design.capacity
    if design.shape == "peer_pairs":
        return "Everyone in the pool is paired with one peer."
    if design.shape == "circles":
        return (f"Each facilitator leads up to {plural(capacity.max, 'circle')} "
                f"({capacity.default} if they do not say).")
    mentors = "one mentor" if design.mentee_demand == 1 else f"{design.mentee_demand} mentors"
    return (f"Each mentee has {mentors}; each mentor takes up to {plural(capacity.max, 'mentee')} "
            f"({capacity.default} if they do not say).")


def seniority_sentence(design: ProgramDesign) -> str:
    seniority = design.seniority
    helper, helped = {"peer_pairs": ("Partners", "each other"), "circles": ("Facilitators", "their members")}.get(
        design.shape, ("Mentors", "their mentees"))
    low, ideal, high = seniority.min_gap, seniority.ideal_gap, seniority.max_gap
    if seniority.direction == "any":
        return "Seniority is not a matching rule."
    if seniority.direction == "similar":
        if design.shape == "peer_pairs":
            return f"Partners are at most {plural(high, 'level')} apart."
        return f"{helper} and {helped.replace('their ', '')} are at most {plural(high, 'level')} apart."
    above = "more senior than" if seniority.direction == "mentor_senior" else "junior to"
    if low == 0:
        return (f"{helper} are at the same level as {helped} or up to {plural(high, 'level')} {above} them "
                f"(ideally {ideal:g}).")
    return f"{helper} are at least {plural(low, 'level')} {above} {helped} (ideally {ideal:g}, at most {high:g})."


def criteria_sentence(criteria: CriteriaWeights) -> str:
    active = criteria.active()
    groups: list[tuple[float, list[str]]] = []
    for name in active:
        weight = criteria[name]
        if groups and groups[-1][0] == weight:
            groups[-1][1].append(CRITERION_LABELS.get(name, name))
        else:
            groups.append((weight, [CRITERION_LABELS.get(name, name)]))

    def group_text(weight: float, names: list[str]) -> str:
        return f"{join_words(names)} ({weight:g}{' each' if len(names) > 1 else ''})"

    top_weight, top_names = groups[0]
    text = f"Matching weighs {join_words(top_names)} most ({top_weight:g}{' each' if len(top_names) > 1 else ''})"
    if len(groups) > 1:
        text += ", then " + "; ".join(group_text(weight, names) for weight, names in groups[1:])
    text += "."
    unscored = [CRITERION_LABELS.get(name, name) for name in criteria if criteria[name] == 0]
    if unscored:
        text += f" Not scored: {join_words(unscored)}."
    return text


def rules_sentences(rules: Rules, shape: str) -> list[str]:
    never = []
    if rules.exclude_own_manager:
        never.append("own manager")
    if rules.exclude_reporting_line:
        never.append("anyone in the reporting line")
    if rules.exclude_same_team:
        never.append("same team")
    if rules.exclude_same_department:
        never.append("same department")
    if rules.respect_exclusions:
        never.append("anyone on their do-not-match list")
    if rules.exclude_previous_partners:
        never.append("a previous partner")
    sentences = [f"Never matched: {', '.join(never)}."] if never else []
    must = []
    if rules.require_shared_language:
        must.append("share a language")
    if rules.max_timezone_difference_hours is not None:
        must.append(f"be at most {plural(rules.max_timezone_difference_hours, 'hour')} apart in time zone")
    if rules.min_availability_overlap_hours is not None:
        must.append(f"share at least {plural(rules.min_availability_overlap_hours, 'hour')} of weekly availability")
    if rules.min_score is not None:
        must.append(f"score at least {rules.min_score:g}")
    if must:
        subject = {"circles": "Facilitators and members", "peer_pairs": "Partners"}.get(shape, "Pairs")
        sentences.append(f"{subject} must {join_words(must)}.")
    return sentences


def describe(design: ProgramDesign) -> str:
    """A short plain-language paragraph about the design, for reports and emails.

    Every sentence is computed from the design's values, so it changes with them.
    """
    sentences = [
        f"{shape_phrase(design)} for {plural(design.duration_months, 'month')}, meeting "
        f"{frequency(design.cadence.meetings_per_month)} for {design.cadence.meeting_minutes} minutes."
    ]
    if design.start_date is not None:
        sentences.append(f"It runs from {long_date(design.start_date)} to {long_date(design.planned_end_date)}.")
    sentences.append(capacity_sentence(design))
    seniority = seniority_sentence(design)
    if seniority:
        sentences.append(seniority)
    sentences.append(criteria_sentence(design.criteria))
    sentences += rules_sentences(design.rules, design.shape)
    sentences.append(f"Objective: {OBJECTIVE_PHRASES[design.objective]}.")
    if design.quotas:
        sentences.append("Quotas: " + join_words([
            f"at least {quota.min_matched} matched with {quota.attribute.replace('_', ' ')} {quota.value}"
            for quota in design.quotas]) + ".")
    if design.fairness.attributes:
        sentences.append(
            "Match rates are audited by " + join_words([name.replace("_", " ") for name in design.fairness.attributes])
            + f" (gaps above {design.fairness.max_match_rate_gap * 100:g} percentage points are flagged).")
    return " ".join(sentence for sentence in sentences if sentence)
