"""Exercise checks for the design lessons: kinds, objectives and measures, matching, goals.

Each check takes the learner's answer and returns a :class:`~toolkit.course.feedback.Feedback`
at once: what holds up, and what to reconsider with the setting or fact that settles it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..errors import ToolkitError, check_option
from ..goals.smart import LETTER_NAMES, check_smart
from ..matching.audits import fairness_audit
from ..matching.engine import match
from .briefs import brief
from .feedback import Feedback, no_answer, points, verdict
from .reading import GOAL_VERBS, MEASURE_LEVELS, MeasureReading, read_goal, read_measure
from .worked import reason_in_words

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


def measure_level(measure: str) -> str | None:
    """The Kirkpatrick level of what a measure counts (None when it names nothing countable)."""
    return read_measure(measure).level


def _measure_problems(reading: MeasureReading) -> list[str]:
    quoted = f"\"{reading.text}\""
    if reading.jumbled:
        return [f"{quoted} does not read as a sentence (\"{reading.jumbled[0]}\"): the right words are there but not "
                "in an order that says something. Write it as you would say it to the client."]
    problems = []
    if reading.loose_numbers:
        problems.append(f"{quoted}: {', '.join(reading.loose_numbers)} counts nothing here. Put the unit or the thing "
                        "counted next to the number (\"5 percentage points\", \"at least 8 meetings\").")
    if not reading.counts:
        problems.append(f"{quoted}: I cannot tell what is counted. Name it: retention, a confidence score, "
                        "meetings held, goals met, promotions.")
    if not reading.target:
        problems.append(f"{quoted}: no target, so nobody can say whether it was reached. Say how much, with its "
                        "unit (\"80% of pairs\", \"0.3 points higher\").")
    if not reading.period:
        problems.append(f"{quoted}: no time. Say by when or over what period (\"by the end of the programme\", "
                        "\"12 months after it starts\").")
    return problems


def check_success_measures(measures: Sequence[str]) -> Feedback:
    """Do these success measures say what is counted, how much, by when, and against what?

    Each measure is read phrase by phrase (:func:`~toolkit.course.reading.read_measure`): a target is a
    number with its unit, a period a time phrase with its preposition, a comparison a baseline or a
    group after "than", "compared with" or "from". A jumble of the right words reads as none of them.
    The plan as a whole needs one measure beyond satisfaction and one compared with something.
    """
    measures = [str(measure).strip() for measure in measures if str(measure).strip()]
    if not measures:
        return no_answer("Write two to four success measures, one a line: what is counted, how much, by when, "
                         "and for at least one, compared with what.")
    readings = [read_measure(measure) for measure in measures]
    problems = [problem for reading in readings for problem in _measure_problems(reading)]
    levels = {reading.level for reading in readings if reading.counts}
    if levels and not levels - {"reaction"}:
        problems.append("Every measure is about how people liked the programme (reaction). Add one about what "
                        "changed: confidence or skills (learning), goals met or meetings held (behaviour), "
                        "retention or promotion (results).")
    if not any(reading.comparison for reading in readings):
        problems.append("No measure is compared with anything (a baseline, or colleagues who did not take part): "
                        "a change cannot be told from what would have happened anyway.")
    notes = [f"\"{reading.text}\" reads as: {reading.describe()}." for reading in readings]
    notes.append(f"Levels covered: {', '.join(level for level in MEASURE_LEVELS if level in levels)}.")
    feedback = verdict(problems, f"{points(len(measures), 'measure')}, each saying what is counted, how much and "
                                 "by when, beyond satisfaction and compared with something.",
                       f"{points(len(problems))} to tighten in {points(len(measures), 'measure')}.",
                       notes)
    return feedback.with_answer(measures)


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
        reason = reason_in_words(unmatched["reason"].value_counts().index[0])
        problems.append(f"{len(unmatched)} of {seekers} people seeking a match ({share:.0%}) are left unmatched. "
                        f"The most common reason: {reason[:1].lower()}{reason[1:]}. Which rule or weight causes it?")
    audit = fairness_audit(result, min_group=int(config.privacy["min_group"]))
    for row in audit[audit["flagged"].astype(bool)].itertuples():
        group = f"people with {row.attribute.replace('_', ' ')} {row.value}"
        problems.append(f"Fairness: {group} are matched at {row.match_rate:.0%}, {abs(row.gap):.0%} "
                        + ("below everyone's rate. Look at who they are and which rule leaves them out." if row.gap < 0
                           else "above everyone's rate, so another group is being left out."))
    demographic = [name for name in ("gender", "age_band", "ethnicity") if name in dict(design.criteria)]
    if demographic and not design.fairness.use_demographics_in_scores:
        problems.append(f"The design scores on {', '.join(demographic)} without saying so deliberately.")
    suppressed = sum(audit.attrs.get("suppressed", {}).values())
    units = "circles" if result.shape == "circles" else "pairs"
    count = result.circles["circle_id"].nunique() if result.shape == "circles" else len(result.pairs)
    notes = [f"{count} {units}; {seekers - len(unmatched)} of {seekers} people seeking a match have one.",
             "Fairness audit over " + ", ".join(name.replace("_", " ") for name in design.fairness.attributes)
             + ": no group flagged" + (f" ({points(suppressed, 'group')} too small to show)." if suppressed else ".")]
    return verdict(problems, "the match meets the brief and passes the fairness audit.",
                   f"{points(len(problems))} to reconsider in this match.", notes)


def _goal_problems(goal: str, end: str | None) -> list[str]:
    """Why a goal is not yet one a mentee could sign: its reading first, then the SMART letters."""
    reading = read_goal(goal)
    quoted = f"\"{goal}\""
    if reading.action not in GOAL_VERBS:
        return [f"{quoted} does not read as a goal: it starts with \"{reading.action or goal[:12]}\". Start with "
                "what you will do (lead, present, complete, apply for...) and then say what, how much and by when."]
    if reading.jumbled:
        return [f"{quoted} does not read as a sentence (\"{reading.jumbled[0]}\"): write it as the mentee would "
                "say it: what they will do, how much, by when."]
    if reading.loose_numbers:
        return [f"{quoted}: {', '.join(reading.loose_numbers)} counts nothing here. Put what it counts right after "
                "the number (\"two client workshops\")."]
    result = check_smart(goal, programme_end=end)
    if not reading.deadline and (result.verdicts["time_bound"].ok or reading.dates):
        return [f"{quoted}: the date is not attached to anything. Say when, as a phrase: \"by September 2026\", "
                "\"before the mid-point review\"."]
    if result.ok:
        return []
    letters = ", ".join(LETTER_NAMES[letter] for letter in result.missing)
    hint = result.suggestions[0] if result.suggestions else ""
    return [f"{quoted}: not yet {letters}." + (f" {hint}" if hint else "")]


def check_goals(goals: Sequence[str], design: ProgramDesign, *, programme_end: str | None = None) -> Feedback:
    """Are these goals ones a mentee could sign: each read as a sentence, SMART, and as many as the design asks?

    Each goal must open with what the person will do, every number in it must count something
    (:func:`~toolkit.course.reading.read_goal`), and it must pass the toolkit's SMART check
    (:func:`toolkit.goals.check_smart`) against the programme's end date.
    """
    goals = [str(goal).strip() for goal in goals if str(goal).strip()]
    wanted = design.agreement.goals_per_mentee
    if not goals:
        return no_answer(f"Write {wanted.min} to {wanted.max} goals, one a line: what you will do, how much, by when.")
    end = programme_end or (design.planned_end_date.isoformat() if design.planned_end_date else None)
    problems = []
    if not wanted.min <= len(goals) <= wanted.max:
        problems.append(f"The {design.name} agreement asks for {wanted.min} to {wanted.max} goals per mentee; "
                        f"you wrote {len(goals)}.")
    for goal in goals:
        problems += _goal_problems(goal, end)
    notes = [f"\"{goal}\": {check_smart(goal, programme_end=end).summary()}" for goal in goals]
    return verdict(problems, f"{points(len(goals), 'SMART goal')}, as many as the agreement asks for.",
                   f"{points(len(problems))} to rework in these goals.", notes).with_answer(goals)
