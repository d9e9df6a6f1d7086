"""Client briefs for the course's exercises: what a client asks for, and what a sound design must do.

Each brief names the kinds of programme that fit it and a few requirements a design must meet;
each requirement carries the sentence a learner reads when their design misses it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from ..design.model import ProgramDesign
from ..errors import ToolkitError, check_option

__all__ = ["Brief", "Requirement", "BRIEFS", "brief"]


@dataclass(frozen=True)
class Requirement:
    """One thing a design for a brief must do; ``met(design)`` says whether it does."""

    met: Callable[[ProgramDesign], bool]
    advice: str


@dataclass(frozen=True)
class Brief:
    """A client's request, as a consultant would hear it.

    Attributes
    ----------
    name, title, text
        The brief's key, a short title and the client's words.
    fits
        The programme kinds that fit; ``why`` says why the first one does.
    clue
        The words in the brief that point to the answer (shown to a learner who chose another kind).
    requirements
        What a design for the brief must do, whatever its kind.
    """

    name: str
    title: str
    text: str
    fits: tuple[str, ...]
    why: str
    clue: str
    requirements: tuple[Requirement, ...] = ()

    def _repr_html_(self) -> str:
        return (f"<div style='border:1px solid #c9d3de;border-radius:6px;padding:10px 14px;margin:6px 0'>"
                f"<b>Brief: {html.escape(self.title)}</b><p style='margin:4px 0 0 0'>{html.escape(self.text)}</p>"
                "</div>")

    def __repr__(self) -> str:
        return f"Brief {self.name}: {self.text}"


def _weight(design: ProgramDesign, criterion: str) -> float:
    return float(dict(design.criteria).get(criterion, 0.0) or 0.0)


# The advice names the controls of the course's design exercises ("Who should be more senior?") and
# what the setting does, never a setting's code name: the course is for people who do not code.
_REVERSE = Requirement(lambda d: d.seniority.direction == "mentee_senior",
                       "In a reverse programme the learner is the senior person: reconsider the seniority rule "
                       "(\"Who should be more senior?\": the mentee).")
_MENTOR_SENIOR = "reconsider the seniority rule (\"Who should be more senior?\": the mentor)."
_ACROSS = ("switch on \"Pairs from different departments\" as a rule, or weight it so it counts towards the "
           "score.")


def _across(design: ProgramDesign) -> bool:
    return design.rules.exclude_same_department or _weight(design, "cross_department") > 0


BRIEFS: dict[str, Brief] = {brief.name: brief for brief in (
    Brief("digital_leaders", "Leaders and generative AI",
          "Our executive team wants to understand how early-career colleagues use generative AI tools and social "
          "media with customers. The juniors are the experts here; the leaders must be the learners, and the "
          "juniors must feel safe to speak frankly.",
          ("reverse",), "the expertise sits with junior colleagues and the leaders are the learners",
          "\"the juniors are the experts\"",
          (_REVERSE,
           Requirement(lambda d: d.rules.exclude_reporting_line and d.rules.exclude_own_manager,
                       "Juniors will not speak frankly to someone in their own reporting line: keep \"Never with "
                       "their own manager\" and \"Never within their reporting line\" switched on."),
           Requirement(lambda d: _weight(d, "skills") >= _weight(d, "seniority"),
                       "The pairing should follow what the leader wants to learn: give skills at least as much "
                       "weight as seniority."))),
    Brief("graduate_cohort", "A large graduate intake",
          "We take on 120 graduates in September and only 15 senior colleagues have volunteered to mentor. "
          "We want every graduate to have a mentor and to meet peers from other teams.",
          ("group",), "a scarce senior mentor can facilitate a circle of several graduates at once",
          "\"only 15 senior colleagues\" for 120 graduates",
          (Requirement(lambda d: d.shape == "circles",
                       "120 mentees and 15 mentors cannot all be paired one to one: start from the group kind, "
                       "so each mentor facilitates a circle."),)),
    Brief("new_team_leaders", "Newly promoted team leaders",
          "Forty colleagues were promoted to team leader this year. They want to share what works with others "
          "in the same position; there is no budget for senior mentors' time.",
          ("peer",), "people at the same level learn from each other and nobody senior is needed",
          "\"others in the same position\" and no senior time",
          (Requirement(lambda d: d.seniority.direction in ("similar", "any"),
                       "Peers are at a similar level: reconsider the seniority rule (\"Who should be more "
                       "senior?\": about the same level), or nobody can be matched with a fellow team leader."),)),
    Brief("spread_sites", "Specialists across four continents",
          "Our engineers work from London, New York, Bengaluru and Singapore. Junior engineers want a more "
          "senior engineer as a mentor, whatever the site, and will meet by video.",
          ("virtual",), "pairs meet by video across sites, so working hours must overlap",
          "\"whatever the site\" and \"meet by video\"",
          (Requirement(lambda d: d.rules.max_timezone_difference_hours is not None or _weight(d, "timezone") > 0,
                       "Pairs twelve hours apart cannot meet in working hours: limit the time-zone difference, or "
                       "weight time-zone overlap so it counts towards the score."),
           Requirement(lambda d: d.seniority.direction == "mentor_senior",
                       f"The juniors asked for a more senior engineer: {_MENTOR_SENIOR}"))),
    Brief("leadership_pipeline", "The leadership pipeline",
          "Twenty high-potential managers are preparing for promotion within two years. Each should work with a "
          "senior leader from another function, on agreed goals, for nine months, and we must show the board "
          "what changed.",
          ("formal",), "targeted development with a senior mentor, agreed goals and measured progress",
          "\"agreed goals\", \"nine months\" and a senior leader",
          (Requirement(lambda d: d.seniority.direction == "mentor_senior",
                       f"Each manager should learn from a more senior leader: {_MENTOR_SENIOR}"),
           Requirement(_across, f"The brief asks for a leader from another function: {_ACROSS}"),
           Requirement(lambda d: d.agreement.goals_per_mentee.min >= 1,
                       "The board wants to see what changed: ask for at least one agreed goal per mentee."))),
    Brief("advice_culture", "An advice culture, lightly run",
          "We want colleagues to find someone to ask for career advice when they need it. People should choose "
          "for themselves; there is nobody to coordinate a programme.",
          ("informal",), "mentees choose and the programme stays light-touch",
          "\"choose for themselves\" and nobody to coordinate",
          (Requirement(lambda d: _weight(d, "preferences") >= max(dict(d.criteria).values()),
                       "Mentees choose for themselves: give the mentee's own ranking the most weight so their "
                       "choice decides."),)),
    Brief("kestrel_shifts", "Mentoring for every shift",
          "Kestrel Logistics (fictional) wants a mentor for every colleague who signs up, at the Leeds office and "
          "on the Hull depot's early and night shifts alike. Pairs should be able to find time to meet.",
          ("formal",), "a more senior mentor for everyone who asks, on agreed goals",
          "\"a mentor for every colleague who signs up\"",
          (Requirement(lambda d: d.seniority.direction == "mentor_senior",
                       f"Colleagues asked for a more experienced mentor: {_MENTOR_SENIOR}"),)),
    Brief("larkfield_officers", "Keeping new housing officers",
          "Larkfield Housing (fictional) loses a third of its newly qualified housing officers within two years; "
          "exit interviews say they were thrown in at the deep end with nobody outside their own line to ask. "
          "Experienced managers across the three offices have volunteered. The board wants a nine-month "
          "programme from April, each officer paired with someone more senior from another department, many "
          "officers would rather meet in person, and in a year the board wants evidence of whether it helped "
          "people stay.",
          ("formal",), "one-to-one development with a more senior colleague, agreed goals, a fixed end and "
                       "measured outcomes",
          "\"paired with someone more senior\", \"nine-month programme\" and \"evidence\"",
          (Requirement(lambda d: d.seniority.direction == "mentor_senior",
                       f"Officers should learn from someone more senior: {_MENTOR_SENIOR}"),
           Requirement(_across, f"The brief asks for someone from another department: {_ACROSS}"),
           Requirement(lambda d: _weight(d, "meeting_mode") > 0,
                       "Many officers want to meet in person and the offices are far apart: weight \"Meeting in "
                       "person or online\" so pairs who can meet the way they prefer score higher."),
           Requirement(lambda d: d.agreement.goals_per_mentee.min >= 1,
                       "The board wants evidence: ask for at least one agreed goal per mentee."))),
)}


def brief(name: str) -> Brief:
    """One of :data:`BRIEFS` by name (an unknown name lists the known ones)."""
    check_option("brief", name, BRIEFS, ToolkitError)
    return BRIEFS[name]
