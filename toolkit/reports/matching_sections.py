"""Sections of the matching report: summary, pairs, quality chart, fairness, stability, unmatched, advice."""

from __future__ import annotations

import html

import pandas as pd

from .. import charts
from ..matching.audits import fairness_audit, stability_audit
from ..matching.choices import choice_outcomes
from ..rounds import client_match
from .audit import record
from .context import Block, ReportContext, bullets_html, table_html

__all__ = ["match_result", "matching_summary", "pairs_section", "match_quality_chart", "fairness_section",
           "stability_section", "unmatched_section", "recruiting_advice", "choices_section"]


def match_result(context: ReportContext):
    """The optimal match for the client's roster and design (solved once per report).

    The same match the ``match`` command adopts (:func:`toolkit.rounds.client_match`): a client whose
    mentees ranked their shortlists (``choices:`` in client.yaml) is matched on the ranks.
    """
    if context._match is None:
        result = client_match(context.config, roster=context.roster, design=context.design)
        context._match = result
        facts = {"solver status": result.status, "objective": round(float(result.objective), 4)}
        for key in ("solver", "certificate", "seconds"):
            value = getattr(result, key, None)
            if value is not None and not callable(value):
                facts[key] = value if isinstance(value, (int, float, str)) else str(value)
        record(**facts)
    return context._match


def _people(result) -> pd.DataFrame:
    """Everyone who could be matched in this result's shape, with their role in it."""
    participants = result.roster.participants
    if result.shape == "circles":
        return participants[["participant_id", "role"]]
    if result.shape == "peer_pairs":
        return participants[["participant_id", "role"]]
    return participants.loc[participants["role"].isin(["mentee", "both"]), ["participant_id", "role"]]


def matching_summary(context: ReportContext) -> Block:
    """Executive summary of the proposed match, computed from the result."""
    result = match_result(context)
    unmatched = result.unmatched
    status = {"optimal": "The match is certified optimal: no other assignment scores higher under the "
                         "stated objective and rules.",
              "time_limit": "The solver stopped at its time limit: the match is good but not proven best.",
              "infeasible": "No match satisfies every rule and requirement; see the unmatched list."}
    facts = []
    if result.shape == "circles":
        circles = result.circles
        members = circles[circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size()
        verdict = f"{sizes.size} circles formed for {len(members)} members."
        if len(sizes):
            facts.append(f"Circle sizes from {sizes.min()} to {sizes.max()} members, each with a facilitator.")
    else:
        pairs = result.pairs
        wanted = len(_people(result)) if result.shape != "peer_pairs" else len(result.roster)
        matched = len(pairs) if result.shape != "peer_pairs" else 2 * len(pairs)
        noun = "mentees" if result.shape == "one_to_one" else "people"
        verdict = f"{matched} of {wanted} {noun} matched ({matched / wanted:.0%})." if wanted else "Nobody to match."
        if len(pairs):
            facts.append(f"Pair scores range from {pairs['score'].min():.1f} to {pairs['score'].max():.1f} "
                         f"(median {pairs['score'].median():.1f}).")
    facts.append(status.get(result.status, f"Solver status: {result.status}."))
    spare = unmatched[unmatched["role"] == "facilitator"] if len(unmatched) else unmatched
    if len(spare):
        facts.append(f"{len(spare)} facilitator{'s are' if len(spare) != 1 else ' is'} not needed this time "
                     "(the members fit in fewer circles).")
        unmatched = unmatched[unmatched["role"] != "facilitator"]
    if len(unmatched):
        reasons = unmatched["reason"].map(lambda text: str(text).split(":")[0]).value_counts()
        top = "; ".join(f"{reason} ({count})" for reason, count in reasons.head(3).items())
        facts.append(f"{len(unmatched)} not matched; the main reasons: {top}.")
    else:
        facts.append("Everyone who needed a match is matched.")
    body = f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{bullets_html(facts)}</div>'
    return Block(body, verdict + "\n" + "\n".join(facts))


def pairs_section(context: ReportContext, *, max_rows: int = 400) -> Block:
    """The proposed pairs (or circles) by name, with scores and what each pair has in common."""
    result = match_result(context)
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles.sort_values(["circle_id", "circle_role", "participant_id"])
        table = pd.DataFrame({
            "circle": circles["circle_id"].to_numpy(),
            "role": circles["circle_role"].to_numpy(),
            "name": [roster.display_name(person) for person in circles["participant_id"]],
        })
        return Block(table_html(table, caption="Proposed circles", max_rows=max_rows))
    pairs = result.pairs.sort_values("score", ascending=False)
    criteria = [column for column in pairs.columns if column not in ("mentee_id", "mentor_id", "score")
                and pd.api.types.is_numeric_dtype(pairs[column])]
    first, second = ("mentee", "mentor") if result.shape == "one_to_one" else ("person", "partner")
    table = pd.DataFrame({
        first: [roster.display_name(person) for person in pairs["mentee_id"]],
        second: [roster.display_name(person) for person in pairs["mentor_id"]],
        "score": pairs["score"].round(2).to_numpy(),
        "strongest reasons": [", ".join(name.replace("_", " ") for name in
                                        row[criteria].astype(float).nlargest(2).index if row[name] > 0)
                              for _, row in pairs.iterrows()] if criteria else "",
    })
    return Block(table_html(table, caption=f"{len(table)} proposed pairs, best first", max_rows=max_rows))


def match_quality_chart(context: ReportContext):
    """Distribution of pair scores and average points per criterion (an Altair chart; circles: circle sizes)."""
    import altair as alt

    result = match_result(context)
    if result.shape == "circles":
        members = result.circles[result.circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size().rename("members").reset_index()
        return (alt.Chart(sizes, title="Members per circle").mark_bar(color="#1c7ed6")
                .encode(x=alt.X("circle_id:N", title="circle"), y=alt.Y("members:Q", title="members"))
                .properties(width=420, height=200))
    return charts.match_quality_chart(result) or Block("<p>No pairs to chart.</p>")


def fairness_section(context: ReportContext) -> Block:
    """Match rate and mean score by each fairness attribute; small groups suppressed."""
    attributes = [name for name in (context.config.get("fairness_attributes") or context.design.fairness.attributes)
                  if name in context.roster.participants.columns]
    audit = fairness_audit(match_result(context), attributes, min_group=context.min_group)
    return Block(table_html(audit, caption=f"Match rate and mean pair score by group (groups under {context.min_group} "
                                       "people are not shown)"))


def stability_section(context: ReportContext) -> Block:
    """Blocking pairs of the optimal match, and what a stable match would cost (one-to-one only)."""
    result = match_result(context)
    if result.shape != "one_to_one":
        return Block("<p>Stability applies to one-to-one matching with preferences on both sides; it does not "
                     "apply to this programme's shape.</p>")
    audit = stability_audit(result)
    if result.choices is not None:  # matched on ranks: the audit uses the real two-sided preferences
        text = (f"{len(audit['blocking_pairs'])} mentee-mentor pairs would both rather be with each other than "
                "with the partner this match gives them, judged by the ranks the mentees (and any mentors) gave, "
                "then by score. A stable match (mentee-proposing deferred acceptance on those preferences) removes "
                f"all such pairs and matches {audit['matched_stable']} mentees instead of "
                f"{audit['matched_optimal']}; this match instead gives the most people their highest-ranked choice.")
        return Block(f"<p>{html.escape(text)}</p>", text)
    text = (f"{len(audit['blocking_pairs'])} mentee-mentor pairs would both rather be with each other than with "
            f"the partner the optimal match gives them. A stable match (mentee-proposing deferred acceptance) "
            f"removes all such pairs but scores {audit['stable_total']:.1f} instead of {audit['optimal_total']:.1f} "
            f"(a cost of {audit['score_given_up']:.1f} points, {audit['score_given_up'] / max(audit['optimal_total'], 1e-9):.1%}) "
            f"and matches {audit['matched_stable']} mentees instead of {audit['matched_optimal']}. Mentees rank by their stated "
            "choices, then by score; mentors rank by score.")
    return Block(f"<p>{html.escape(text)}</p>", text)


def unmatched_section(context: ReportContext) -> Block:
    """Everyone not matched, with the reason and what would fix it (names only)."""
    result = match_result(context)
    unmatched = result.unmatched
    if not len(unmatched):
        return Block("<p>Everyone is matched.</p>")
    table = pd.DataFrame({
        "name": [result.roster.display_name(person) for person in unmatched["participant_id"]],
        "role": unmatched["role"].to_numpy(),
        "why not matched": unmatched["reason"].to_numpy(),
        "what would help": unmatched["suggestion"].to_numpy(),
    })
    return Block(table_html(table, caption=f"{len(table)} people not matched"))


def recruiting_advice(context: ReportContext) -> Block:
    """Who to recruit next: scarce skills and the fixes the unmatched list asks for most."""
    advice = []
    skills = context.readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)].sort_values("coverage").head(3)
    for row in scarce.itertuples():
        advice.append(f"Recruit mentors who offer {row.skill}: {row.mentees} mentees want it and "
                      f"{row.mentors} mentors offer it.")
    result = match_result(context)
    if result.shape == "one_to_one":
        places = result.recruiting_advice(top=3)
        shown = set(context.readiness.segments["department"]["department"])  # a hidden department stays hidden
        places = places.assign(department=places["department"].where(places["department"].isin(shown),
                                                                      "department not shown"))
        for row in places.itertuples():
            advice.append(f"One more place with {row.name} ({row.department}; offers {row.skills_offered}) or a mentor "
                          f"like them would raise the programme's total score by {row.value_of_one_more_place:.1f} "
                          "(from the optimiser's dual prices).")
    if len(result.unmatched):
        for suggestion, count in result.unmatched["suggestion"].value_counts().head(3).items():
            advice.append(f"{suggestion[:1].upper()}{suggestion[1:]} ({count} {'person' if count == 1 else 'people'}).")
    if not advice:
        advice.append("No recruiting is needed for this cohort: every skill asked for by three or more mentees "
                      "is offered, and everyone is matched.")
    return Block(bullets_html(advice))


def choices_section(context: ReportContext) -> Block:
    """Mentee choice: the share matched with their first choice and with one of their top three."""
    result = match_result(context)
    if result.choices is None:
        return Block("<p>The mentees did not rank shortlists for this match (no choices: in client.yaml).</p>")
    outcome = choice_outcomes(result)
    if not outcome["ranked"]:
        return Block("<p>No mentee returned a ranked choices form.</p>")
    text = (f"{outcome['first_share']:.0%} of the {outcome['ranked']} mentees who ranked their suggested mentors "
            f"are matched with their first choice, and {outcome['top3_share']:.0%} with one of their top three.")
    facts = [f"{len(result.choices.declined_pairs)} suggestions were declined by the mentor and never used.",
             f"{len(outcome['not_allowed'])} ranked pairs break the programme's rules, so they could not be used."]
    return Block(f"<p>{html.escape(text)}</p>" + bullets_html(facts), text)
