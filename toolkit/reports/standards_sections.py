"""Sections of the standards evidence pack: the readiness estimate, each standard's evidence, what to supply next."""

from __future__ import annotations

import html

import pandas as pd

from ..text import join_words, plural
from .context import Block, ReportContext, bullets_html, executive_page, table_html
from .standards import AWARD_LEVELS, EMCC_STANDARDS, FULL_CYCLE_MONTHS, MENTOR_ELEMENTS, Assessment, assess

__all__ = ["standards_assessment", "standards_summary", "award_section", "standards_section", "supply_section",
           "settings_section"]

_ESTIMATE = ("This is an estimate from the files the toolkit holds, not an accreditation: only EMCC's assessors "
             "award a level, after reviewing the programme themselves.")


def standards_assessment(context: ReportContext) -> Assessment:
    """The programme's assessment, made once per report."""
    return context.once("standards", lambda: assess(context.config, context.roster, context.design,
                                                    min_group=context.min_group, readiness=context.readiness))


def _cycle_sentence(found: Assessment) -> str:
    if found.cycle_months is None:
        return ("The programme has no start date, so how long it has run is unknown; EMCC asks for a full 12-month "
                "cycle.")
    if found.full_cycle:
        return f"The programme has run a full cycle ({found.cycle_months:.0f} months), as EMCC asks before an award."
    planned = (f" of the {found.planned_months:.0f} planned" if found.planned_months is not None else "")
    return (f"The programme has run {found.cycle_months:.1f} months{planned}; EMCC asks for a full "
            f"{FULL_CYCLE_MONTHS}-month cycle before it makes an award.")


def standards_summary(context: ReportContext) -> Block:
    """The executive page: the readiness estimate, the strongest and weakest standards, what to supply first."""
    found = standards_assessment(context)
    reach = (f"would reach EMCC's {found.level} level" if found.level else "falls short of EMCC's bronze level")
    headline = (f"Readiness estimate: the evidence held {reach} ({found.overall:.0%} overall, lowest standard "
                f"{found.lowest:.0%}).")
    counts = pd.Series([item.status for item in found.evidence.values()]).value_counts()
    happened = [f"Of {len(found.evidence)} pieces of evidence, {counts.get('in place', 0)} are in place, "
                f"{counts.get('ready to use', 0)} are documents the toolkit writes that nothing yet shows were used, "
                f"and {counts.get('missing', 0)} are missing.", _cycle_sentence(found)]
    emcc = found.emcc.sort_values("share", kind="stable")
    best = emcc[emcc["share"] == emcc["share"].max()]["standard"].tolist()
    worst = emcc.iloc[0]
    means = [f"Strongest: {join_words(best)} ({emcc['share'].max():.0%}); weakest: {worst['standard']} "
             f"({worst['share']:.0%}).",
             f"Against MENTOR's six elements: {sum(found.mentor['share'] >= 1)} fully evidenced, weakest "
             f"{found.mentor.sort_values('share', kind='stable').iloc[0]['standard']} "
             f"({found.mentor['share'].min():.0%}).", _ESTIMATE]
    gaps = [item for item in found.missing() if item.status == "missing"][:3] or found.missing()[:3]
    next_steps = [f"{item.label}: {item.supply[:1].upper()}{item.supply[1:]}." for item in gaps]
    if not next_steps:
        next_steps.append("Gather the records behind each piece of evidence for the assessors.")
    return executive_page(headline, happened, means, next_steps)


def award_section(context: ReportContext) -> Block:
    """EMCC's award thresholds beside the programme's shares."""
    found = standards_assessment(context)
    rows = [{"award": level, "needs overall": f"{overall:.0%}", "needs every standard": f"{each:.0%}",
             "this programme": "met" if found.overall >= overall - 1e-9 and found.lowest >= each - 1e-9 else "not yet"}
            for level, overall, each in AWARD_LEVELS]
    shares = found.emcc.assign(share=[f"{value:.0%}" for value in found.emcc["share"]]).rename(
        columns={"share": "evidence share", "ready": "ready to use"})
    text = (f"Overall {found.overall:.0%}, lowest standard {found.lowest:.0%}. {_cycle_sentence(found)} {_ESTIMATE}")
    return Block(f"<p>{html.escape(text)}</p>" + table_html(pd.DataFrame(rows), caption="EMCC's award thresholds")
                 + table_html(shares, caption="Each standard's evidence (in place 1, ready to use 0.5, missing 0)"),
                 text)


def standards_section(context: ReportContext, framework: str) -> Block:
    """Each standard of one framework ("EMCC" or "MENTOR"): what it asks, in the toolkit's words, and its evidence."""
    found = standards_assessment(context)
    standards = EMCC_STANDARDS if framework.upper() == "EMCC" else MENTOR_ELEMENTS
    table = found.emcc if framework.upper() == "EMCC" else found.mentor
    shares = dict(zip(table["standard"], table["share"]))
    parts = []
    for number, standard in enumerate(standards, 1):
        rows = pd.DataFrame([{"evidence": found.evidence[key].label, "status": found.evidence[key].status,
                              "what the toolkit holds": found.evidence[key].found,
                              "how to supply it": found.evidence[key].supply or "-"} for key in standard.evidence])
        if (rows["how to supply it"] == "-").all():
            rows = rows.drop(columns="how to supply it")
        parts.append(f"<h3>{number}. {html.escape(standard.name)} ({shares[standard.name]:.0%})</h3>"
                     f"<p>{html.escape(standard.meaning)}</p>" + table_html(rows))
    return Block("".join(parts))


def supply_section(context: ReportContext) -> Block:
    """Everything not yet in place, with how to supply it: missing first, then records to show."""
    found = standards_assessment(context)
    gaps = found.missing()
    if not gaps:
        return Block("<p>Every piece of evidence is in place.</p>")
    items = [f"{item.label} ({item.status}): {item.supply}." for item in gaps]
    note = (f"{plural(len(gaps), 'piece')} of evidence to supply. Records the toolkit cannot read (attendance "
            "lists, sent messages, signed agreements) count once your consultant files them with the programme's "
            "records.")
    return Block(f"<p>{html.escape(note)}</p>" + bullets_html(items), note)


def settings_section(context: ReportContext) -> Block:
    """For the consultant (technical appendix): the client.yaml setting that records each piece not yet in place."""
    gaps = standards_assessment(context).missing()
    if not gaps:
        return Block("<p>Nothing to add.</p>")
    table = pd.DataFrame({"evidence": [item.label for item in gaps], "status": [item.status for item in gaps],
                          "in client.yaml (or the command)": [item.setting for item in gaps]})
    return Block(table_html(table, caption="Where each piece of evidence is recorded") + '<p class="tk-note">A '
                 "programme's own records (an attendance list, the sent messages, signed agreements) count as in place "
                 "once client.yaml names each file under evidence:, by the key shown.</p>")
