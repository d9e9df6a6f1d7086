"""Exercise checks for the design lessons: kinds, objectives and measures, matching, goals.

Each check takes the learner's answer and returns a :class:`~toolkit.course.feedback.Feedback`
at once: what holds up, and what to reconsider with the setting or fact that settles it.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..errors import ToolkitError, check_option
from ..goals.smart import LETTER_NAMES, check_smart
from ..matching.audits import fairness_audit
from ..matching.engine import match
from .briefs import brief
from .feedback import Feedback, points, verdict

__all__ = ["check_kind", "check_design", "MEASURE_LEVELS", "measure_level", "check_success_measures",
           "check_matching", "check_goals"]


def check_kind(brief_name: str, kind: str) -> Feedback:
    """Does the chosen programme kind fit the brief?"""
    chosen = brief(brief_name)
    check_option("kind", kind, ProgramDesign.kinds(), ToolkitError)
    if kind in chosen.fits:
        return Feedback(True, f"{kind} fits: {chosen.why}.")
    template = ProgramDesign.from_template(kind)
    return Feedback(False, f"{kind} fits this brief less well than another kind.", (
        f"{kind} is for: {template.rationale.when_to_use.strip()}",
        f"Read the brief again for {chosen.clue}: which kind is built for that?"))


def check_design(brief_name: str, design: ProgramDesign) -> Feedback:
    """Does a design meet the brief's requirements, whatever kind it started from?"""
    chosen = brief(brief_name)
    problems = [requirement.advice for requirement in chosen.requirements if not requirement.met(design)]
    return verdict(problems, f"this design does what the brief \"{chosen.title}\" needs.",
                   f"this design misses {len(problems)} of the brief's needs.",
                   [f"Kind {design.kind}, {design.shape.replace('_', ' ')}, seniority "
                    f"{design.seniority.direction.replace('_', ' ')}."])


# Kirkpatrick's four levels, and words that show which one a success measure sits at.
MEASURE_LEVELS: dict[str, tuple[str, ...]] = {
    "reaction": ("satisf", "enjoy", "nps", "recommend", "feedback", "rating of the programme", "liked"),
    "learning": ("confidence", "self-efficacy", "skill", "knowledge", "clarity", "understand"),
    "behaviour": ("meeting", "goal", "applied", "promot", "internal move", "mobility", "lead", "present"),
    "results": ("retention", "turnover", "attrition", "engagement score", "revenue", "cost", "representation",
                "promotion rate"),
}
_NUMBER = re.compile(r"\d")
_TIME = re.compile(r"\b(by|within|after|before|end of|months?|weeks?|year|quarter|q[1-4]|20\d\d)\b", re.I)
_COMPARISON = re.compile(r"\b(compared|comparison|baseline|than|versus|vs\.?|from \d|non-participants|before)\b",
                         re.I)


def measure_level(measure: str) -> str | None:
    """The highest Kirkpatrick level a measure's words point to (None when none does)."""
    text = measure.lower()
    found = [level for level, words in MEASURE_LEVELS.items() if any(word in text for word in words)]
    return found[-1] if found else None


def check_success_measures(measures: Sequence[str]) -> Feedback:
    """Are these success measures countable, dated, compared with something, and beyond satisfaction?"""
    measures = [str(measure).strip() for measure in measures if str(measure).strip()]
    if not measures:
        return Feedback(False, "there are no success measures yet.", ("Write two to four, one per objective.",))
    problems = []
    for measure in measures:
        if not _NUMBER.search(measure):
            problems.append(f"\"{measure}\": no number, so nobody can say whether it was reached. Add a target.")
        if not _TIME.search(measure):
            problems.append(f"\"{measure}\": no date or period. Say by when.")
    levels = {measure_level(measure) for measure in measures} - {None}
    if not levels - {"reaction"}:
        problems.append("Every measure is about how people liked the programme (reaction). Add one about what "
                        "changed: confidence or skills (learning), goals met or meetings held (behaviour), "
                        "retention or promotion (results).")
    if not any(_COMPARISON.search(measure) for measure in measures):
        problems.append("No measure is compared with anything (a baseline, or colleagues who did not take part): "
                        "a change cannot be told from what would have happened anyway.")
    notes = [f"Levels covered: {', '.join(level for level in MEASURE_LEVELS if level in levels)}."]
    return verdict(problems, f"{len(measures)} measures, each countable, dated and beyond satisfaction.",
                   f"{points(len(problems))} to tighten in {points(len(measures), 'measure')}.", notes)


def check_matching(brief_name: str, design: ProgramDesign, client: str | ClientConfig, *,
                   max_unmatched_share: float = 0.10) -> Feedback:
    """Match the client's cohort with the learner's design and judge the result against the brief.

    Checks the brief's requirements, the share of mentees left unmatched (with the main
    reason), the fairness audit (groups whose match rate falls short, small groups suppressed),
    and that no demographic criterion is scored without the design saying so deliberately.
    """
    config = client if isinstance(client, ClientConfig) else load_client(client)
    problems = [requirement.advice for requirement in brief(brief_name).requirements if not requirement.met(design)]
    result = match(config.roster(), design)
    # Mentors with spare places are not "left out"; the share is of the people seeking a match.
    unmatched = result.unmatched[~result.unmatched["role"].astype(str).isin(["mentor", "facilitator"])]
    seekers = (result.pairs["mentee_id"].nunique() if result.shape != "circles"
               else int((result.circles["circle_role"] == "member").sum())) + len(unmatched)
    share = len(unmatched) / seekers if seekers else 0.0
    if share > max_unmatched_share:
        reason = unmatched["reason"].value_counts().index[0]
        problems.append(f"{len(unmatched)} of {seekers} people seeking a match ({share:.0%}) are left unmatched; "
                        f"the most common reason: {reason}. Which rule or weight causes it?")
    audit = fairness_audit(result, min_group=int(config.privacy["min_group"]))
    for row in audit[audit["flagged"].astype(bool)].itertuples():
        problems.append(f"Fairness: {row.attribute} = {row.value} is matched at {row.match_rate:.0%}, "
                        f"{abs(row.gap):.0%} below everyone's rate. Look at who they are and which rule excludes them.")
    demographic = [name for name in ("gender", "age_band", "ethnicity") if name in dict(design.criteria)]
    if demographic and not design.fairness.use_demographics_in_scores:
        problems.append(f"The design scores on {', '.join(demographic)} without saying so deliberately.")
    suppressed = sum(audit.attrs.get("suppressed", {}).values())
    notes = [f"{result.summary()}",
             f"Fairness audit over {', '.join(design.fairness.attributes)}: no group flagged"
             + (f" ({suppressed} groups too small to show)." if suppressed else ".")]
    return verdict(problems, "the match meets the brief and passes the fairness audit.",
                   f"{points(len(problems))} to reconsider in this match.", notes)


def check_goals(goals: Sequence[str], design: ProgramDesign, *, programme_end: str | None = None) -> Feedback:
    """Are these goals SMART, and as many as the design's agreement asks for?"""
    goals = [str(goal).strip() for goal in goals if str(goal).strip()]
    end = programme_end or (design.planned_end_date.isoformat() if design.planned_end_date else None)
    wanted = design.agreement.goals_per_mentee
    problems = []
    if not wanted.min <= len(goals) <= wanted.max:
        problems.append(f"The {design.name} agreement asks for {wanted.min} to {wanted.max} goals per mentee; "
                        f"you wrote {len(goals)}.")
    for goal in goals:
        result = check_smart(goal, programme_end=end)
        if not result.ok:
            letters = ", ".join(LETTER_NAMES[letter] for letter in result.missing)
            hint = result.suggestions[0] if result.suggestions else ""
            problems.append(f"\"{goal}\": not yet {letters}." + (f" {hint}" if hint else ""))
    return verdict(problems, f"{points(len(goals), 'SMART goal')}, as many as the agreement asks for.",
                   f"{points(len(problems))} to rework in these goals.")
