"""The technical appendix every report ends with: methods (only those the report uses) and a glossary."""

from __future__ import annotations

import dataclasses
import html

from ..measure import impact
from ..measure.survey import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, SMALL_SAMPLE
from ..programme import STATE_WORDS
from .context import Block, ReportContext, bullets_html
from .evidence import BENCHMARK_REFERENCES

__all__ = ["methods", "glossary", "appendix_intro", "disclosure_method"]

# term -> plain meaning; each report lists only the terms it uses.
GLOSSARY = {
    "95% range": "The range the true value lies in with 95% confidence, given how many people answered. "
                 "A range that includes zero means the result could be chance.",
    "Match score": "Points a pair earns from the programme's matching priorities (shared goals, skills, "
                   "and so on), each weighted as the design says; higher is a better fit.",
    "Certified optimal": "The matching was solved exactly and the solution comes with a mathematical proof that "
                         "no other set of matches scores higher under the same rules.",
    "Coverage": "Mentor places divided by the places mentees need; 100% or more means enough places.",
    "Eligible partner": "Someone a participant could be matched with under the programme's rules (for example, "
                        "not their own manager).",
    "Match rate": "The share of people in a group who were matched.",
    "Net Promoter Score": "The share of people who would recommend the programme (9 or 10 out of 10) minus the "
                          "share who would not (0 to 6); it runs from -100 to +100.",
    "Comparison group": "Employees who did not take part, supplied by HR, against whom participants' retention and "
                        "promotion are compared.",
    "Standardised change": "The change divided by how much people's changes vary, so that changes on different "
                           "scales can be compared; 0.2 is small, 0.5 moderate and 0.8 large (Cohen, 1988).",
    "Cronbach's alpha": "How consistently a scale's questions agree with each other, from 0 to 1; 0.7 or more "
                        "is the usual bar.",
    "Pulse survey": "A short survey sent during the programme to check how pairs or circles are going.",
    # The programme's state words: one meaning each, defined once by the timeline (toolkit.programme.STATE_WORDS).
    **{word.capitalize(): STATE_WORDS[word][:1].upper() + STATE_WORDS[word][1:] + "."
       for word in ("active", "ended", "waiting")},
    "Return on investment": "(Benefit - cost) / cost. Here the benefit is the cost of leavers avoided in the first "
                            "year, on the assumptions listed in the report.",
    "Fully loaded cost": "Every cost of the programme, including the time participants and mentors spent in "
                         "meetings, valued at their hourly cost.",
    "Isolation method": "How the part of a change due to the programme is separated from what would have happened "
                        "anyway: a comparison group, participants' own estimates, or the earlier trend.",
    "Readiness estimate": "How much of the evidence a standard asks for the programme's files show, compared "
                          "with an award's thresholds; an estimate, not an accreditation.",
    "In place": "The programme's records show it happened (a survey was run, meetings were logged).",
    "Ready to use": "The toolkit writes the document for this programme (a training plan, a timeline of "
                    "messages), but nothing yet shows it was used.",
    "Kirkpatrick levels": "Four levels of evaluating a programme: 1 reaction (how people rated it), 2 learning "
                          "(what they gained), 3 behaviour (what they do differently), 4 results (outcomes for the "
                          "organisation); return on investment is often added as a fifth.",
}
_TERMS = {
    "readiness": ("Coverage", "Eligible partner"),
    "matching": ("Match score", "Certified optimal", "Coverage", "Eligible partner", "Match rate"),
    "health": ("Active", "Ended", "Waiting", "Pulse survey"),
    "standards": ("Readiness estimate", "In place", "Ready to use"),
    "impact": ("95% range", "Standardised change", "Cronbach's alpha", "Net Promoter Score", "Comparison group",
               "Kirkpatrick levels", "Isolation method", "Fully loaded cost", "Return on investment"),
}


def appendix_intro(report: str) -> Block:
    """One line under the "Technical appendix" heading: who it is for."""
    return Block('<p class="tk-note">For the reader who wants to check the figures: how they were computed, how '
                 "reliable they are, and how this report was made.</p>")


def glossary(context: ReportContext, report: str) -> Block:
    """The terms this report uses, in plain words."""
    terms = _TERMS.get(report, ())
    return Block("<dl class=\"tk-glossary\">" + "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(GLOSSARY[term])}"
                                                      "</dd>" for term in terms) + "</dl>")


def disclosure_method(min_group: int) -> str:
    """How groups are kept from being given away, in plain words: the practice of national statistics
    offices for linked tables and successive releases (see :mod:`toolkit.ledger`)."""
    k = min_group
    return (f"No table, chart or count in this report shows a group of fewer than {k} people, and none can be "
            "worked out from what this report and the programme's earlier reports show together. As national "
            "statistics offices do for linked tables and successive releases, every report is checked against a "
            "record of everything published for this client before (the release ledger, kept in the client's "
            f"folder): a group of fewer than {k} people is hidden (primary suppression); enough other groups are "
            "hidden with it that it cannot be worked out by subtraction from a total printed in a caption or a "
            "sentence (secondary, or complementary, suppression); a group hidden in one report is hidden in every "
            f"other, and in later reports until at least {k} people have joined, left or changed their answers; "
            f"and a figure shown before is not shown again when fewer than {k} people have changed since, so that "
            "comparing two reports cannot reveal a few people's answers (protection against differencing).")


def methods(context: ReportContext, report: str) -> Block:
    """How this report's figures were computed: only the methods behind what it shows."""
    design = context.design
    active = [name.replace("exclude_", "no ").replace("_", " ")
              for name, value in dataclasses.asdict(design.rules).items() if value not in (None, False, 0)]
    lines = []
    if report in ("readiness", "matching"):
        lines += [
            "Participants were read from the client's own files; every row was loaded, merged (one person "
            "signing up twice or as both mentor and mentee) or set aside with a reason.",
            f"Mentor places are each mentor's stated capacity, {design.capacity.default} when none was given and "
            f"at most {design.capacity.max}; coverage is places divided by the places mentees need.",
            "Eligible partners are counted after the programme's hard rules"
            + (f" ({', '.join(active)})" if active else "") + "; a rule that lacks data on either side lets the "
            "pair through, and the missing data is reported.",
        ]
    result = context.made("match") if report == "matching" else None
    if result is not None:
        lines += [
            f"Objective: {result.design.objective.replace('_', ' ')}. Each pair's score is the sum of weight x part "
            "over the criteria in the design section; every part is between 0 and 1.",
            f"Solved exactly by {result.certificate.solver}; {result.certificate}"
            if result.status not in ("edited", "unverified")
            else f"The adopted pairs are not the solver's answer as it stands: {result.certificate}",
            "The fairness table compares each group's match rate with everyone's and flags gaps larger than the "
            "design allows.",
        ]
        if result.shape == "one_to_one":
            lines.append("The stability check compares the match with the stable alternative found by the "
                         "mentee-proposing deferred acceptance algorithm (Gale and Shapley, 1962); a blocking pair "
                         "is a mentee and mentor who both prefer each other to the partners they were given.")
    if report == "health":
        lines += [
            "Activity comes from the meeting log: the share of pairs or circles that met in the 30 days before the "
            "last logged meeting; the attention list flags long gaps and meetings far below the agreed cadence. "
            "Active, ended and waiting have one meaning each, in the glossary.",
            "Pulse scores are the mean of a person's answered items when at least 75% were answered, "
            "reverse-worded items turned round first.",
            "Goal progress uses each goal's latest check-in; a goal is stalled when its check-in says so.",
        ]
    if report == "impact":
        lines += [
            "Survey answers were read from the survey tool's export, checked against each item's scale and given "
            "stable pseudonyms before analysis; no raw answers appear in this report.",
            "A construct score is the mean of a person's answered items when at least 75% of them were answered; "
            "reverse-worded items were turned round first.",
            "Change is measured on people who answered both surveys: mean change with a 95% interval, d_z with "
            "Hedges' small-sample correction, the Wilcoxon signed-rank test with zero differences dropped, the "
            "matched-pairs rank-biserial correlation, and Holm's correction across constructs.",
            f"The 95% interval is Student's t-interval for measures answered by fewer than {SMALL_SAMPLE} people "
            f"(a bootstrap on so few is too narrow); from {SMALL_SAMPLE} people on it is a BCa bootstrap of "
            f"{BOOTSTRAP_RESAMPLES:,} resamples with a fixed seed ({BOOTSTRAP_SEED}), shown only when it agrees "
            "with the t-interval about zero (otherwise the t-interval is shown). The statistics table names the "
            "method used for each measure.",
            "A change is called clear when its Holm-adjusted p is below 0.05 and its t-interval excludes zero: "
            "the verdict uses no random numbers, so it is the same however the bootstrap is seeded.",
            "Reliability is Cronbach's alpha with a 95% interval, on complete answers to the end-of-programme "
            "survey.",
            "Rates have Wilson intervals and differences Newcombe's hybrid score interval. Participants chose to "
            "join, so comparisons with non-participants show association, not cause.",
            "Return on investment follows the Phillips ROI Methodology's principles: costs are fully loaded (every "
            "logged meeting's length times the people who attended, at mentees' and mentors' hourly costs, plus the "
            "consultant's fees, the coordinator's time and other direct costs); benefits count the first year only; "
            "the programme's effect is isolated by a named method (a comparison group; participants' estimates of "
            "the programme's contribution, each multiplied by their confidence, against the retention expected "
            "without it; or that expected trend alone), every method the data allow at the low end, centre and high "
            "end of its interval; the most conservative value is the headline, and only when every value has the "
            "same sign; benefits not measured in money are listed, not priced.",
            "Each measure is labelled with its level in Kirkpatrick's model (1 reaction, 2 learning, 3 behaviour, "
            "4 results), with return on investment as Phillips' fifth level.",
            "Comment themes are counted from a keyword codebook; the tone of each comment is read with the VADER "
            "sentiment lexicon. Only counts are shown, never quotes.",
        ]
    if report == "standards":
        lines += [
            "EMCC Global's six programme standards and MENTOR's six Elements of Effective Practice are described in "
            "the toolkit's own words; the assessors' own criteria are more detailed.",
            "Each standard rests on pieces of evidence the toolkit checks in the client folder: in place (the "
            "records show it happened) scores 1, ready to use (the toolkit writes the document, nothing shows it "
            "was used) 0.5, missing 0. A standard's share is the mean of its evidence; the overall share is the "
            "mean of EMCC's six standards.",
            "The estimate compares the shares with EMCC's award thresholds: bronze 70% overall and 60% for every "
            "standard, silver 80% and 70%, gold 90% and 80%; EMCC also asks for a full 12-month cycle. It is an "
            "estimate of readiness to apply, not an accreditation.",
            "Records the toolkit cannot read (attendance lists, sent messages, signed agreements) count as in place "
            "once client.yaml names them under evidence:, each a file in the client folder (see For the consultant).",
        ]
    if report == "impact" and context.config is not None and context.config.get("roi") \
            and context.config.get("hr_outcomes"):
        missing = impact.roi(context.config, min_group=context.min_group).missing
        if missing:
            lines.append("Return-on-investment settings still needed in client.yaml, under roi: "
                         + "; ".join(missing) + ".")
    lines.append(disclosure_method(context.min_group))
    lines.append("Names appear only where the programme team needs them to act, and no contact details appear.")
    body = bullets_html(lines)
    if report == "impact":
        body += "<p><strong>References</strong></p>" + bullets_html(BENCHMARK_REFERENCES)
    return Block(body)
