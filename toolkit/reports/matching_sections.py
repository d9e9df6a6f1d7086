"""Sections of the matching report (for leadership): summary, the match in numbers, quality chart, fairness,
stability, who is not matched and why, advice; and the programme team's workbook with the pairs by name."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import charts
from ..errors import ToolkitError
from ..files import write_excel
from ..labels import duration, label
from ..matching.audits import fairness_audit, stability_audit
from ..matching.choices import choice_outcomes, load_choices
from ..programme import programme_state
from ..rounds import INTEGRITY_WORDS, client_match, current_round
from ..text import plural, wanted_and_offered
from .audit import record
from .context import Block, ReportContext, bullets_html, executive_page, table_html
from .releases import protected_choices, release_of

if TYPE_CHECKING:
    from ..matching.result import MatchResult

__all__ = ["match_result", "matching_summary", "pairs_section", "match_quality_chart", "fairness_section",
           "stability_section", "unmatched_section", "recruiting_advice", "choices_section", "strongest_reasons",
           "team_workbook"]


def match_result(context: ReportContext) -> MatchResult:
    """The match the report describes (loaded or solved once per report).

    The client's adopted match when there is one (:func:`toolkit.rounds.current_round`: the round that
    ``match``, ``rematch`` or the studio adopted, which the agreements, introductions and kit use), so
    the report and the papers name the same pairs. Before anything is adopted, the match the ``match``
    command would adopt (:func:`toolkit.rounds.client_match`: a client whose mentees ranked their
    shortlists, ``choices:`` in client.yaml, is matched on the ranks).
    """
    return context.once("match", lambda: _made_match(context))


def _made_match(context: ReportContext) -> MatchResult:
    """The adopted round as a MatchResult, else the match the ``match`` command would adopt; its facts go to the
    audit trail."""
    adopted = current_round(context.config) if context.config is not None else None
    if adopted is None:
        # as the match command makes it: people who left, are paused or join later are left out
        away = programme_state(context.config).unavailable() if context.config is not None else {}
        result = client_match(context.config, roster=context.roster, design=context.design, away=away)
        facts: dict[str, str | float] = {"match": "proposed (nothing adopted yet)"}
    else:
        result = adopted.as_match_result(context.roster)
        if result.shape == "one_to_one" and context.config.get("choices"):
            result.choices = load_choices(context.config.get("choices"))
        facts = {"match": f"round {adopted.number} ({adopted.name}), adopted {adopted.created:%d %B %Y %H:%M}"}
    context.adopted_round = adopted
    facts.update({"solver status": result.status, "objective": round(float(result.objective), 4)})
    for key in ("solver", "certificate", "seconds"):
        value = getattr(result, key, None)
        if value is not None and not callable(value):
            facts[key] = value if isinstance(value, (int, float, str)) else str(value)
    if isinstance(facts.get("seconds"), (int, float)):
        facts["solve time"] = duration(float(facts.pop("seconds")))
    record(**facts)
    return result


def _round_words(context: ReportContext) -> tuple[str, str]:
    """(what the report shows, the next step) for the adopted round, or for a proposal."""
    adopted, unit = context.adopted_round, "circles" if match_result(context).shape == "circles" else "pairs"
    if adopted is None:
        return (f"These {unit} are proposed: nothing is adopted yet, so no agreement or introduction uses them.",
                f"Approve the proposed {unit}, so that the programme team can confirm them and send the "
                "introductions.")
    # The round's note is for the programme team (it can name people): never in a client report.
    shown = (f"These are the programme's adopted {unit}: round {adopted.number}, adopted on "
             f"{adopted.created:%d %B %Y}. The agreements, introductions and kit use them.")
    return shown, "The programme team sends the introductions and agreements, if they are not sent yet."


def _people(result: MatchResult) -> pd.DataFrame:
    """Everyone who could be matched in this result's shape, with their role in it."""
    participants = result.roster.participants
    if result.shape == "circles":
        return participants[["participant_id", "role"]]
    if result.shape == "peer_pairs":
        return participants[["participant_id", "role"]]
    return participants.loc[participants["role"].isin(["mentee", "both"]), ["participant_id", "role"]]


def matching_summary(context: ReportContext) -> Block:
    """The executive page of the matching report: the match in plain words, each claim with its number."""
    result = match_result(context)
    shown, next_step = _round_words(context)
    unmatched = result.unmatched
    status = {"optimal": "The matches are certified optimal: no other set of matches would score higher under the "
                         "programme's rules and priorities (checked mathematically, not estimated).",
              "time_limit": "The search stopped at its time limit: the matches are good but not proven best.",
              "infeasible": "No set of matches meets every rule; the list of people not matched says why.",
              **{state: f"Not certified: {words}." for state, words in INTEGRITY_WORDS.items() if state != "intact"}}
    happened, means, next_steps = [], [], []
    if result.shape == "circles":
        circles = result.circles
        members = circles[circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size()
        headline = f"{plural(int(sizes.size), 'circle')} formed for {plural(len(members), 'member')}."
        if len(sizes):
            happened.append(f"Circles have {sizes.min()} to {sizes.max()} members, each with a facilitator.")
    else:
        pairs = result.pairs
        wanted = len(_people(result)) if result.shape != "peer_pairs" else len(result.roster)
        matched = len(pairs) if result.shape != "peer_pairs" else 2 * len(pairs)
        noun = "mentees" if result.shape == "one_to_one" else "people"
        headline = f"{matched} of {wanted} {noun} matched ({matched / wanted:.0%})." if wanted else "Nobody to match."
        if len(pairs):
            happened.append(f"{plural(len(pairs), 'pair')}{' proposed' if context.adopted_round is None else ''}; "
                            f"match scores range from {pairs['score'].min():.1f} "
                            f"to {pairs['score'].max():.1f} (typical pair {pairs['score'].median():.1f}).")
    happened.insert(0, shown)
    means.append(status.get(result.status, f"The search ended with status {result.status}."))
    adopted = context.adopted_round
    if adopted is not None and _design_of(adopted) not in (None, context.design):
        means.append(f"The programme design in client.yaml has changed since round {adopted.number} was adopted; "
                     "this report shows the round as it was adopted. Run match again to adopt a round under the "
                     "new design.")
    spare = unmatched[unmatched["role"] == "facilitator"] if len(unmatched) else unmatched
    if len(spare):
        happened.append(f"{len(spare)} facilitator{'s are' if len(spare) != 1 else ' is'} not needed this time "
                        "(the members fit in fewer circles).")
        unmatched = unmatched[unmatched["role"] != "facilitator"]
    if len(unmatched):
        reasons = unmatched["reason"].map(lambda text: str(text).split(":")[0]).value_counts()
        top = "; ".join(f"{reason} ({count})" for reason, count in reasons.head(3).items())
        happened.append(f"{plural(len(unmatched), 'person', 'people')} not matched; the main reasons: {top}.")
        next_steps.append("Read the list of people not matched: each row says what would help (a rule to relax, "
                          "a mentor to recruit).")
    else:
        happened.append("Everyone who needed a match is matched.")
    flagged = _flagged_groups(context)
    if flagged:
        means.append(f"{plural(len(flagged), 'group')} had a noticeably lower match rate: {', '.join(flagged)}.")
        next_steps.append("Check the fairness table before announcing the matches.")
    elif flagged is not None:
        means.append("Every group large enough to report was matched at a similar rate (see the fairness table).")
    next_steps.append(next_step)
    return executive_page(headline, happened, means, next_steps)


def _design_of(adopted):
    """The design a round was adopted under (its design.yaml), or None when it cannot be read."""
    try:
        return adopted.design()
    except ToolkitError:
        return None


def _flagged_groups(context: ReportContext) -> list[str] | None:
    if context.config is None:
        return None
    attributes = [name for name in (context.config.get("fairness_attributes") or context.design.fairness.attributes)
                  if name in context.roster.participants.columns]
    audit = fairness_audit(match_result(context), attributes, min_group=context.min_group,
                           release=release_of(context))
    if not len(audit):
        return None
    return [f"{row.value} ({label(row.attribute).lower()})" for row in audit.itertuples() if bool(row.flagged)]


def strongest_reasons(pairs: pd.DataFrame) -> list[str]:
    """What is distinctive about each pair, in words: the priorities where it scores above the programme's
    typical pair (the median pair on that priority), largest margin first, at most two. Never blank: a pair
    that is typical on every priority says so and names its largest parts, and one that scores nothing on
    any priority says that it meets the rules."""
    criteria = [column for column in pairs.columns if column not in ("mentee_id", "mentor_id", "score")
                and pd.api.types.is_numeric_dtype(pairs[column])]
    if not criteria:
        return ["meets the rules; the design scores no priorities"] * len(pairs)
    points = pairs[criteria].astype(float).fillna(0.0)
    margin = points - points.median()
    reasons = []
    for index in range(len(points)):
        above = margin.iloc[index]
        above = above[above > 1e-9].sort_values(ascending=False, kind="stable").head(2)
        if len(above):
            reasons.append(", ".join(f"{label(name).lower()} (+{value:.1f} over the typical pair)"
                                     for name, value in above.items()))
            continue
        held = points.iloc[index]
        held = held[held > 1e-9].sort_values(ascending=False, kind="stable").head(2)
        reasons.append("as the typical pair: " + ", ".join(label(name).lower() for name in held.index) if len(held)
                       else "meets the rules; scores no points on the priorities")
    return reasons


def pairs_section(context: ReportContext) -> Block:
    """The match in numbers for leadership: no names (the programme team's list is the Excel file the appendix
    names); how often each priority is what makes a pair stand out from the typical pair."""
    result = match_result(context)
    if result.shape == "circles":
        circles = result.circles
        members = circles[circles["circle_role"] == "member"].groupby("circle_id").size()
        text = (f"{members.size} {_round_name(context)} circle{'' if members.size == 1 else 's'}, {members.min()} to "
                f"{members.max()} "
                "members each, with a facilitator; who is in which circle is in the programme team's workbook (see "
                "the appendix).") if len(members) else "No circles were formed."
        return Block(f"<p>{html.escape(text)}</p>", text)
    pairs = result.pairs
    if not len(pairs):
        return Block("<p>No pairs were formed.</p>")
    criteria = [column for column in pairs.columns if column not in ("mentee_id", "mentor_id", "score")
                and pd.api.types.is_numeric_dtype(pairs[column])]
    typical = pairs[criteria].astype(float).median() if criteria else pd.Series(dtype=float)
    rows = []
    for name in criteria:
        above = int((pairs[name].astype(float) > typical[name] + 1e-9).sum())
        rows.append({"priority": label(name), "typical pair's points": round(float(typical[name]), 2),
                     "pairs above the typical pair": f"{above} ({above / len(pairs):.0%})"})
    text = (f"{len(pairs)} {_round_name(context)} pair{'' if len(pairs) == 1 else 's'}; the typical pair scores "
            f"{pairs['score'].median():.1f} points. Each pair's strongest reasons, and the names, are in the "
            "programme team's workbook (see the appendix).")
    table = pd.DataFrame(rows)
    return Block(f"<p>{html.escape(text)}</p>"
                 + (table_html(table, caption="Where pairs stand out from the typical pair") if len(table) else ""),
                 text)


def team_workbook(context: ReportContext, path: str) -> Block:
    """Write the programme team's Excel (pairs or circles by name with each pair's strongest reasons, and the
    people not matched with the reason and the fix) to ``path``; return the appendix's note naming it.

    The report runner passes ``path`` and moves the file beside the report; an empty path writes nothing.
    """
    result = match_result(context)
    if path:
        write_excel(_team_sheets(context, result), Path(path))
    name = Path(path).name if path else "matching_pairs.xlsx"
    adopted = context.adopted_round
    kept = (f" The adopted round's own copy is match.xlsx in the client folder's matches/{adopted.folder.name}/."
            if adopted is not None and getattr(adopted, "folder", None) is not None else "")
    text = (f"The list of {'circles' if result.shape == 'circles' else 'pairs'} by name is for the programme team, "
            f"not for this report: it is the Excel workbook {name}, written beside this report, with each pair's "
            "strongest reasons and everyone not matched (the reason and what would help)." + kept)
    return Block(f"<p>{html.escape(text)}</p>", text)


def _team_sheets(context: ReportContext, result: MatchResult) -> dict[str, pd.DataFrame]:
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles.sort_values(["circle_id", "circle_role", "participant_id"])
        main = pd.DataFrame({"circle": circles["circle_id"].to_numpy(), "role": circles["circle_role"].to_numpy(),
                             "participant id": circles["participant_id"].to_numpy(),
                             "name": [roster.display_name(person) for person in circles["participant_id"]]})
        sheets = {"circles": main}
    else:
        pairs = result.pairs.sort_values("score", ascending=False, kind="stable")
        first, second = ("mentee", "mentor") if result.shape == "one_to_one" else ("person", "partner")
        main = pd.DataFrame({f"{first} id": pairs["mentee_id"].to_numpy(),
                             first: [roster.display_name(person) for person in pairs["mentee_id"]],
                             f"{second} id": pairs["mentor_id"].to_numpy(),
                             second: [roster.display_name(person) for person in pairs["mentor_id"]],
                             "match score": pairs["score"].round(2).to_numpy(),
                             "strongest reasons": strongest_reasons(pairs)})
        sheets = {"pairs": main}
    unmatched = result.unmatched
    sheets["not matched"] = pd.DataFrame({
        "participant id": unmatched["participant_id"].to_numpy(),
        "name": [roster.display_name(person) for person in unmatched["participant_id"]],
        "role": unmatched["role"].to_numpy(), "why not matched": unmatched["reason"].to_numpy(),
        "what would help": unmatched["suggestion"].to_numpy()})
    sheets["about"] = pd.DataFrame({"item": ["client", "programme", "match", "status"],
                                    "value": [context.config.name if context.config is not None else "",
                                              result.design.name, _round_name(context), result.status]})
    return sheets


def _round_name(context: ReportContext) -> str:
    adopted = context.adopted_round
    return "proposed" if adopted is None else f"adopted (round {adopted.number})"


def match_quality_chart(context: ReportContext):
    """Distribution of pair scores and average points per criterion (an Altair chart; circles: circle sizes)."""
    result = match_result(context)
    if result.shape == "circles":
        members = result.circles[result.circles["circle_role"] == "member"]
        sizes = members.groupby("circle_id").size().rename("members").reset_index()
        return charts.circle_sizes_chart(sizes)
    return charts.match_quality_chart(result) or Block("<p>No pairs to chart.</p>")


def fairness_section(context: ReportContext) -> Block:
    """Match rate and mean score by each fairness attribute; small groups suppressed."""
    attributes = [name for name in (context.config.get("fairness_attributes") or context.design.fairness.attributes)
                  if name in context.roster.participants.columns]
    audit = fairness_audit(match_result(context), attributes, min_group=context.min_group,
                           release=release_of(context))
    if len(audit):
        audit = audit.assign(attribute=[label(name) for name in audit["attribute"]],
                             match_rate=[f"{value:.0%}" for value in audit["match_rate"]],
                             gap=["none" if abs(value) < 0.005 else f"{value * 100:+.0f} points"
                                  for value in audit["gap"]],
                             flagged=["yes" if value else "" for value in audit["flagged"]])
        audit = audit.rename(columns={"attribute": "group of", "value": "group", "gap": "gap to everyone",
                                      "flagged": "needs a look"})
    return Block(table_html(audit, caption=f"Match rate and average match score by group (groups under "
                                       f"{context.min_group} people are not shown)"))


def stability_section(context: ReportContext) -> Block:
    """Would people swap partners? The stability check in plain words (for the technical appendix)."""
    result = match_result(context)
    if result.shape != "one_to_one":
        return Block("<p>This check applies to one-to-one matching, where both sides have preferences; it does "
                     "not apply to this programme.</p>")
    audit = stability_audit(result)
    blocking, pairs = len(audit["blocking_pairs"]), max(len(result.pairs), 1)
    if result.choices is not None:  # matched on ranks: the audit uses the real two-sided preferences
        text = (f"This match gives the most people their highest-ranked choice. In {plural(blocking, 'case')} "
                f"(compared with {plural(pairs, 'pair')} proposed), a mentee and a mentor ranked each other above the "
                "partners proposed (judged by the ranks the mentees, and any mentors, gave, then by the match score). "
                f"Rearranging the matches so that no such case remains would {_matched_instead(audit)}."
                + _held_fixed_words(audit))
        return Block(f"<p>{html.escape(text)}</p>", text)
    blocking, pairs = len(audit["blocking_pairs"]), max(len(result.pairs), 1)
    given_up = audit["score_given_up"] / max(audit["optimal_total"], 1e-9)
    if not blocking:
        text = ("No mentee and mentor would both rather be with each other than with the partners proposed: "
                "the matches are stable as well as the best overall.")
    else:
        text = (f"The matches aim for the best programme overall, not for each person's first choice. In "
                f"{plural(blocking, 'case')} (compared with {plural(pairs, 'pair')} proposed), a mentee and a mentor "
                f"would each score a different partner slightly higher than the one proposed. This does not mean those "
                f"pairs are wrong. Rearranging the matches so that no such case remains would lower the programme's "
                f"total match score by {given_up:.1%} and {_matched_instead(audit)}. Mentees' preferences follow their "
                "stated choices, then the match score; mentors' follow the match score.")
    text += _held_fixed_words(audit)
    return Block(f"<p>{html.escape(text)}</p>", text)


def _held_fixed_words(audit: dict) -> str:
    """The pairs the check keeps as they are (pinned by the programme team, or outside today's rules)."""
    fixed = len(audit["held_fixed"])
    if not fixed:
        return ""
    return (f" {plural(fixed, 'pair')} set by the programme team (or no longer allowed by today's rules) "
            f"{'is' if fixed == 1 else 'are'} kept as {'it is' if fixed == 1 else 'they are'} in this check.")


def _matched_instead(audit: dict) -> str:
    return stability_text_for_counts(audit["matched_stable"], audit["matched_optimal"])


def stability_text_for_counts(stable: int, optimal: int) -> str:
    """How many mentees a stable rearrangement would match, compared with the match ("the same number" when equal)."""
    if stable == optimal:
        return f"match the same number of mentees ({optimal})"
    return f"match {plural(stable, 'mentee')} instead of {optimal}"


def unmatched_section(context: ReportContext) -> Block:
    """Everyone not matched, counted by role and reason with what would help (names are in the team's workbook)."""
    result = match_result(context)
    unmatched = result.unmatched
    if not len(unmatched):
        return Block("<p>Everyone is matched.</p>")
    reasons = unmatched.assign(reason=unmatched["reason"].map(lambda text: context.in_shared_words(str(text).split(":")[0])),
                               suggestion=unmatched["suggestion"].map(context.in_shared_words))
    table = (reasons.groupby(["role", "reason"], sort=True)
             .agg(people=("participant_id", "size"), help=("suggestion", "first")).reset_index()
             .sort_values("people", ascending=False, kind="stable")
             .rename(columns={"reason": "why not matched", "help": "what would help (the most common fix)"}))
    return Block(table_html(table, caption=f"{plural(len(unmatched), 'person', 'people')} not matched, by reason "
                                       "(names are in the programme team's workbook)"))


def recruiting_advice(context: ReportContext) -> Block:
    """Who to recruit next: scarce skills and the fixes the unmatched list asks for most."""
    advice = []
    skills = context.readiness.segments["skill"]
    scarce = skills[(skills["mentees"] >= 3) & (skills["coverage"] < 1)].sort_values("coverage").head(3)
    for row in scarce.itertuples():
        advice.append(f"Recruit mentors who offer {row.skill}: {wanted_and_offered(row.mentees, row.mentors)}.")
    result = match_result(context)
    if result.shape == "one_to_one":
        # An adopted round keeps no solver prices: what one more place is worth comes from today's match.
        priced = result if result.place_value is not None or context.adopted_round is None else \
            client_match(context.config, roster=context.roster, design=context.design,
                         away=programme_state(context.config).unavailable())
        places = priced.recruiting_advice(top=3)
        shown = set(context.readiness.segments["department"]["department"])  # a hidden department stays hidden
        places = places.assign(department=places["department"].where(places["department"].isin(shown),
                                                                      "department not shown"))
        design = result.design
        capacity = result.roster.capacity(design.capacity.default, design.capacity.max)
        for row in places.itertuples():
            who = f"{row.name} ({row.department}; offers {context.in_shared_words(row.skills_offered)})"
            # a mentor already at the design's most mentees per mentor cannot take one more: recruit someone like them
            start = (f"A mentor like {who}" if capacity.get(row.mentor_id, 0) >= design.capacity.max
                     else f"One more place with {who} or a mentor like them")
            advice.append(f"{start} would raise the programme's total match score by "
                          f"{row.value_of_one_more_place:.1f} points.")
    if len(result.unmatched):
        suggestions = result.unmatched["suggestion"].map(context.in_shared_words)
        for suggestion, count in suggestions.value_counts().head(3).items():
            advice.append(f"{suggestion[:1].upper()}{suggestion[1:]} ({count} {'person' if count == 1 else 'people'}).")
    if not advice:
        advice.append("No recruiting is needed for this cohort: every skill asked for by three or more mentees "
                      "is offered, and everyone is matched.")
    return Block(bullets_html(advice))


def choices_section(context: ReportContext) -> Block:
    """Mentee choice: the share matched with their first choice and with one of their top three."""
    result = match_result(context)
    if result.choices is None:
        return Block("<p>The mentees did not rank shortlists of suggested mentors for this match.</p>")
    outcome = choice_outcomes(result)
    if not outcome["ranked"]:
        return Block("<p>No mentee returned a ranked choices form.</p>")
    _, shares = protected_choices(context, outcome)  # a share that would give a small group away is left out
    text = (f"{outcome['ranked']} mentees ranked their suggested mentors. "
            + (shares or "How many got which choice is not shown: some of those groups are too small."))
    facts = [f"{len(result.choices.declined_pairs)} suggestions were declined by the mentor and never used.",
             f"{len(outcome['not_allowed'])} ranked pairs break the programme's rules, so they could not be used."]
    return Block(f"<p>{html.escape(text)}</p>" + bullets_html(facts), text)
