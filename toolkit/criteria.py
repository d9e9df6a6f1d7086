"""The criteria registry: every matching criterion, with everything the toolkit says about it, in one entry.

Like the hard rules' registry (``design.vocabulary.HARD_RULES``), each :class:`Criterion` holds the
words: its description for designs and the studio, its labels for sentences and tables, the
roster fields it reads on each side, and the templates its evidence fills in explanations and
shortlist cards. Every other list is derived from :data:`CRITERIA_REGISTRY`: the design
vocabulary's ``CRITERIA`` and ``CRITERION_LABELS``, the column labels of :mod:`toolkit.labels`,
the scoring and evidence of :mod:`toolkit.matching.scoring` (one part function and one facts
function registered per criterion, and a test that the two registries agree), the shortlist cards
and the kit. Adding a criterion is one entry here, its part and facts in ``matching/scoring.py``,
and its weight in the programme templates.

Templates are filled with the facts a criterion's facts function finds for a pair (for skills:
``items``, the skills in common, and ``sought``, how many the mentee seeks) plus ``name``, the
partner's display name (cards only).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Criterion", "CRITERIA_REGISTRY", "CRITERION"]


@dataclass(frozen=True)
class Criterion:
    """One matching criterion.

    Attributes
    ----------
    name
        The key in a design's ``criteria:`` block and in score tables (``cross_department``).
    description
        The sentence the design docs and the studio's tooltip show.
    label
        The lower-case words in sentences (``cross-department``), as ``describe()`` and the kit say it.
    heading
        The column or axis label in tables and charts (``Across departments``).
    fields
        The roster fields it reads: (mentee side, mentor side); None where a side reads nothing.
    evidence
        The explanation line, filled with the pair's facts (``offers {items} (of {sought} sought)``).
    card
        The shortlist card line, in the mentee's words ("" when the card says nothing about it).
    why
        The one-sentence reason a card gives when this is the strongest tie ("" when never the reason);
        cards try the criteria in registry order.
    card_always
        The card line is shown even when the design gives the criterion no weight (a stated choice).
    """

    name: str
    description: str
    label: str
    heading: str
    fields: tuple[str | None, str | None]
    evidence: str
    card: str = ""
    why: str = ""
    card_always: bool = False


CRITERIA_REGISTRY: tuple[Criterion, ...] = (
    Criterion("skills", "The mentor's skills_offered cover the mentee's skills_sought.", "skills", "Skills",
              ("skills_sought", "skills_offered"), "offers {items} (of {sought} sought)",
              "Skills you want to develop that {name} offers: {items}.",
              "{name} offers {items}, which you want to develop."),
    Criterion("goals", "The mentor is suited to the mentee's development goals.", "goals", "Goals",
              ("goals", "goals"), "shares the goals {items}", "Goals you share: {items}.",
              "{name} shares your goals: {items}."),
    Criterion("seniority", "The seniority gap is close to the ideal gap in the required direction.", "seniority",
              "Seniority", ("seniority", "seniority"), "levels {mentee_level} and {mentor_level}"),
    Criterion("language", "Languages in common, beyond the one the pair must share.", "language", "Language",
              ("languages", "languages"), "speaks {items}", "You both speak {items}."),
    Criterion("cross_department", "1 when mentor and mentee are in different departments.", "cross-department",
              "Across departments", ("department", "department"), "{mentor_department} (mentee: {mentee_department})",
              "A view from another part of the business: {mentor_department}.",
              "{name} works in {mentor_department}, a view from another part of the business."),
    Criterion("timezone", "Working-hours overlap across the two time zones.", "time zone", "Time zone",
              ("timezone", "timezone"), "{mentee_zone} and {mentor_zone}"),
    Criterion("availability", "Overlap of the two people's stated weekly availability.", "availability",
              "Availability", ("availability", "availability"), "{hours:g} hours a week in common"),
    Criterion("meeting_mode", "Compatible meeting-mode preferences (in person, virtual, hybrid); in person only on "
              "the same site when both sites are known.", "meeting mode", "Meeting mode",
              ("meeting_mode", "meeting_mode"), "{text}"),
    Criterion("preferences", "The mentee ranked this mentor (first choice scores highest).", "preferences",
              "Stated preferences", ("preferences", None), "the mentee's choice number {rank}",
              "You asked for {name} (your choice number {rank}).", card_always=True),
    Criterion("same_site", "1 when both people work at the same site (both sites known): easier to meet in "
              "person.", "same site", "Same site", ("site", "site"), "both at {site}",
              "You both work at {site}."),
)

CRITERION: dict[str, Criterion] = {criterion.name: criterion for criterion in CRITERIA_REGISTRY}
