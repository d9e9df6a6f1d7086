"""Sections of the readiness report: verdict, design, intake, segments, chart and people at risk."""

from __future__ import annotations

import html

import pandas as pd

from .. import charts
from ..errors import ReportError, check_option
from ..labels import label
from ..text import join_words, plural, wanted_and_offered
from .context import Block, ReportContext, bullets_html, executive_page, table_html

__all__ = ["readiness_verdict", "readiness_summary", "design_section", "intake_section", "segments_section",
           "readiness_chart", "at_risk_section"]


def readiness_verdict(context: ReportContext) -> tuple[str, list[str]]:
    """A one-line verdict and the facts behind it, computed from the readiness figures."""
    readiness = context.readiness
    overall = readiness.overall
    facts = []
    if readiness.shape == "circles":
        short = overall["circles_needed"] - overall["facilitators"]
        verdict = ("Ready to form circles." if short <= 0 else
                   f"Not yet ready: {short} more facilitator{'s are' if short != 1 else ' is'} needed.")
        facts.append(f"{overall['facilitators']} facilitators for {overall['demand']} circle members; "
                     f"{overall['circles_needed']} circles are needed at the maximum circle size.")
    elif readiness.shape == "peer_pairs":
        verdict = "Ready to pair." if overall["participants"] >= 2 else "Not ready: the pool is too small."
        facts.append(f"{overall['participants']} people in the peer pool.")
    else:
        shortfall = overall["demand"] - overall["places"]
        verdict = ("Ready to match: there are enough mentor places." if shortfall <= 0 else
                   f"Not yet ready: {shortfall} more mentor places are needed.")
        facts.append(f"{overall['places']} mentor places for {overall['demand']} mentees "
                     f"(coverage {overall['coverage']:.0%}).")
    at_risk = readiness.at_risk
    none = int((at_risk["eligible"] == 0).sum()) if len(at_risk) else 0
    if none:
        facts.append(f"{none} {'person has' if none == 1 else 'people have'} no eligible partner under the "
                     "programme's rules; the list below says why and what to change.")
    elif len(at_risk):
        facts.append(f"{len(at_risk)} {'person has' if len(at_risk) == 1 else 'people have'} few eligible "
                     "partners and should be watched.")
    else:
        facts.append("Everyone has several eligible partners.")
    skills = readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)]
    if len(scarce):
        top = scarce.sort_values(["coverage", "mentees"], ascending=[True, False]).iloc[0]
        facts.append(f"The scarcest skill is {top['skill']}: {wanted_and_offered(top['mentees'], top['mentors'])}.")
    return verdict, facts


def readiness_summary(context: ReportContext, brief: bool = False) -> Block:
    """The executive page: the verdict, what it rests on, what it means and what to do next.

    ``brief=True`` gives only the verdict and its facts (the matching report's readiness section).
    """
    verdict, facts = readiness_verdict(context)
    if brief:
        body = f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{bullets_html(facts)}</div>'
        return Block(body, verdict + "\n" + "\n".join(facts))
    readiness = context.readiness
    overall = readiness.overall
    at_risk = readiness.at_risk
    none = int((at_risk["eligible"] == 0).sum()) if len(at_risk) else 0
    means, next_steps = [], []
    if readiness.shape == "circles":
        spare = overall["facilitators"] - overall["circles_needed"]
        means.append(f"There are enough facilitators for the {plural(overall['circles_needed'], 'circle')} needed"
                     + (f", with {spare} to spare." if spare > 0 else ".") if spare >= 0 else
                     f"Some members cannot join a circle until {plural(-spare, 'more facilitator')} "
                     f"{'joins' if spare == -1 else 'join'}.")
    elif readiness.shape == "one_to_one":
        spare = overall["places"] - overall["demand"]
        means.append(f"Every mentee can have a mentor: there {'is' if spare == 1 else 'are'} "
                     f"{plural(spare, 'place')} to spare." if spare >= 0 else
                     f"Some mentees cannot be matched until mentors offer {plural(-spare, 'more place')}.")
        departments = readiness.segments["department"]
        tight = departments[departments["places"] < departments["mentees"]]
        hidden = departments.attrs.get("hidden", 0)
        if len(tight):
            means.append(f"In {plural(len(tight), 'department')}{' of those large enough to show' if hidden else ''} "
                         "mentees outnumber mentor places, so some of their mentees will be matched with mentors "
                         "from other departments.")
    if len(at_risk) and not none:
        means.append("People with few eligible partners may get a weaker match; the list near the end names them.")
    skills = readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)]
    if len(scarce):
        means.append("Some mentees who want a scarce skill will be matched on their other priorities instead.")
    if readiness.shape == "one_to_one" and overall["demand"] > overall["places"]:
        next_steps.append(f"Recruit mentors for at least {overall['demand'] - overall['places']} more places "
                          "before matching.")
    elif readiness.shape == "circles" and overall["circles_needed"] > overall["facilitators"]:
        next_steps.append(f"Recruit {plural(overall['circles_needed'] - overall['facilitators'], 'more facilitator')} "
                          "before forming circles.")
    if len(scarce):
        named = list(scarce.sort_values("coverage")["skill"].head(3))
        next_steps.append(f"Ask for mentors who offer {join_words(named)}: "
                          f"{'this skill is' if len(named) == 1 else 'these skills are'} asked for more than "
                          f"{'it is' if len(named) == 1 else 'they are'} offered.")
    if none:
        next_steps.append(f"Resolve the {plural(none, 'person', 'people')} with no eligible partner (the list near the "
                          "end says what to change for each).")
    next_steps.append("When the numbers look right, run the matching and review the proposed matches.")
    return executive_page(verdict, facts, means, next_steps)


def design_section(context: ReportContext) -> Block:
    """The programme design: what it is, why, and the rules and criteria it uses."""
    design = context.design
    rationale = design.rationale
    parts = [f"<p>{html.escape(design.summary or '')}</p>"]
    if rationale is not None:
        parts.append(f"<p><strong>When this design fits:</strong> {html.escape(rationale.when_to_use)}</p>")
        parts.append("<p><strong>Benefits</strong></p>" + bullets_html(rationale.benefits))
        parts.append("<p><strong>Challenges to plan for</strong></p>" + bullets_html(rationale.challenges))
    criteria = pd.DataFrame([{"criterion": label(name), "weight": f"{design.criteria[name]:g}"}
                             for name in design.criteria if design.criteria[name]])
    if len(criteria):
        parts.append(table_html(criteria, caption="Matching criteria and their weights (0 switches one off)"))
    return Block("".join(parts))


def intake_section(context: ReportContext) -> Block:
    """Who signed up: rows per file and people per role (no personal data)."""
    roster = context.roster
    roles = roster.participants["role"].value_counts().reindex(["mentor", "mentee", "both"], fill_value=0)
    table = pd.DataFrame({"role": [ROLE_WORDS[role] for role in roles.index], "people": roles.to_numpy()})
    return Block(table_html(roster.intake_summary(), caption="Rows in each file the client sent")
                 + table_html(table, caption="People by role"))


ROLE_WORDS = {"mentor": "Mentor", "mentee": "Mentee", "both": "Either (mentor or mentee)"}


def segments_section(context: ReportContext, segment: str) -> Block:
    """Capacity against demand for one segment (department, site or skill), small groups merged."""
    check_option("segment", segment, list(context.readiness.segments), ReportError)
    table = context.readiness.segments[segment].copy()
    own_words = 0
    if segment == "skill":  # a skill fewer than privacy.min_group people wrote is a person's own words: counted only
        own = table["skill"].astype(str).str.casefold().isin({word.casefold() for word in context.own_words})
        own_words = int((own & (table["mentees"] > 0)).sum())
        table = table[~own & (table["mentees"] > 0)].head(15)
    table["coverage"] = [f"{value:.0%}" if value == value and value != float("inf") else "no demand"
                         for value in table["coverage"]]
    hidden = context.readiness.segments[segment].attrs.get("hidden", 0)
    if hidden and not len(table):  # nothing but the totals: not even how many groups there are
        return Block(f"<p>Mentor places and mentees by {label(segment).lower()} are not shown: the groups are too "
                     "small, or would give a small group away together with the programme's other reports.</p>")
    small = f" ({plural(hidden, label(segment).lower())} not shown, to protect small groups)" if hidden else ""
    if own_words:
        small += f" ({plural(own_words, 'skill')} named by fewer than {context.min_group} people not shown)"
    return Block(table_html(table, caption=f"Mentor places and mentees by {label(segment).lower()}{small}"))


def readiness_chart(context: ReportContext):
    """Mentor places against mentees by department (an Altair chart; nothing when no department may be shown)."""
    if not len(context.readiness.segments["department"]):
        return Block("")
    return charts.readiness_chart(context.readiness)


def at_risk_section(context: ReportContext) -> Block:
    """People likely to stay unmatched, with the reason and the suggested fix (names only, no contact data)."""
    at_risk = context.readiness.at_risk
    if not len(at_risk):
        return Block("<p>Nobody is at risk of staying unmatched under the programme's rules.</p>")
    shown = at_risk[["name", "eligible", "reason", "suggestion"]].rename(
        columns={"eligible": "eligible partners", "suggestion": "what would help"})
    for column in ("reason", "what would help"):  # a skill only this person named is not quoted beside their name
        shown[column] = [context.in_shared_words(text) for text in shown[column]]
    return Block(table_html(shown, caption=f"{plural(len(at_risk), 'person', 'people')} with no or few eligible "
                                       "partners"))
