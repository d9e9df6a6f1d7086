"""Sections of the health (mid-programme) and impact (end-of-programme) reports."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .. import charts
from ..goals.progress import goal_progress
from ..labels import label
from ..matching.choices import choice_outcomes, load_choices
from ..matching.engine import match
from ..matching.rematch import rematch
from ..measure import engagement, impact
from ..measure.comments import comment_sentiment, comment_themes
from ..measure.relationships import (
    closure_suggestions,
    fit_check_flags,
    relationship_counts,
    relationships,
    rematch_history,
    warning_message,
)
from ..measure.survey import (
    likert_shares,
    load_survey,
    nps,
    pre_post,
    reliability,
    scale_scores,
)
from ..privacy import enough, suppress
from ..programme import END_REASON_LABELS, END_REASON_WORDS, STATE_WORDS, reporting_state
from ..text import join_words, plural
from .context import Block, ReportContext, bullets_html, executive_page, table_html
from .evidence import BENCHMARK_SENTENCE, effect_size_words, roi_scenarios

__all__ = ["health_summary", "funnel_section", "funnel_chart", "activity_chart", "at_risk_units", "pulse_section",
           "goal_progress_table", "impact_summary", "pre_post_section", "pre_post_chart", "reliability_section",
           "outcomes_section", "outcomes_chart", "relationship_chart", "nps_chart", "comments_section",
           "roi_section", "pre_post_statistics", "benchmarks_section", "relationship_status_section",
           "closure_section", "fit_check_section", "shortlist_round_section", "rematch_section"]


def _unit(context: ReportContext) -> str:
    return "circles" if context.design.shape == "circles" else "pairs"


def _units(context: ReportContext, count: int) -> str:
    """"1 circle", "3 pairs": the count with the programme's unit, singular or plural."""
    return plural(count, _unit(context)[:-1])


def _survey(context: ReportContext, wave: str):
    entry = context.config.survey(wave)
    if not entry:
        return None
    return load_survey(entry["path"], instrument=entry["instrument"], roster=context.roster)


def _suppressed(table: pd.DataFrame, context: ReportContext, column: str = "n") -> pd.DataFrame:
    """Rows describing fewer people than the anonymity threshold are removed (and counted).

    Constructs are separate measures, not parts of one total, so no complementary suppression here.
    """
    return suppress(table, column, context.min_group, complementary=False)


def health_summary(context: ReportContext) -> Block:
    """The mid-programme executive page: activity, who needs attention, pulse and goals, each with its number."""
    activity = engagement.activity(context.config)
    running = activity[~activity["status"].isin(["ended", "superseded"])]  # running or ran to completion
    active = float(running["active_30_days"].mean()) if len(running) else float("nan")
    risk = engagement.at_risk(context.config)
    unit = _unit(context)
    headline = (f"{active:.0%} of {unit} met in the 30 days to {activity.attrs['as_of']:%d %B %Y}."
                if active == active else "No meetings have been logged yet.")
    happened = [f"{plural(int(activity['meetings'].sum()), 'meeting')} logged, "
                f"{plural(round(activity['minutes'].sum() / 60), 'hour')} in all."]
    pulse = _latest_pulse(context)
    if pulse is not None and len(pulse):
        best = pulse.sort_values("mean (1-5)", ascending=False).iloc[0]
        happened.append(f"In the latest pulse survey, {str(best['measure']).lower()} averaged {best['mean (1-5)']:.1f} "
                        f"out of 5 ({plural(int(best['n']), 'answer')}).")
    if activity.attrs.get("unlinked_meetings"):
        uncounted = activity.attrs["uncounted"]
        rows = ", ".join(str(row) for row in uncounted["row"].head(5))
        happened.append(f"{plural(activity.attrs['unlinked_meetings'], 'logged meeting')} "
                        f"{'is' if activity.attrs['unlinked_meetings'] == 1 else 'are'} not counted: "
                        f"{uncounted['why'].iloc[0]} (meeting log row{'s' if len(uncounted) > 1 else ''} {rows}"
                        f"{' ...' if len(uncounted) > 5 else ''}); check the pair ids and dates in those rows.")
    means, next_steps = [], []
    if len(risk):
        means.append(f"{_units(context, len(risk))} {'needs' if len(risk) == 1 else 'need'} attention: "
                     f"{_main_reason(risk)}.")
        next_steps.append(f"Contact the {_units(context, len(risk))} on the attention list this week; each row "
                          "says what would help.")
    else:
        means.append(f"No {unit} need attention.")
    progress = goal_progress_table(context, raw=True)
    if progress is not None:
        happened.append(f"{progress.attainment_rate:.0%} of goals achieved so far.")
        if len(progress.stalled):
            means.append(f"{plural(len(progress.stalled), 'goal has', 'goals have')} stalled.")
            next_steps.append("Ask mentors to revisit stalled goals at their next meeting: reword, resize or drop them.")
    next_steps.append("Send the next pulse survey on schedule, so the end-of-programme report can show the trend.")
    return executive_page(headline, happened, means, next_steps)


def _main_reason(risk: pd.DataFrame) -> str:
    reasons = risk["reason"].map(lambda text: "no recent meeting" if str(text).startswith("no meeting") else str(text))
    counts = reasons.value_counts()
    return join_words([f"{reason} ({count})" for reason, count in counts.head(2).items()])


def _latest_pulse(context: ReportContext) -> pd.DataFrame | None:
    pulses = (context.config.get("surveys") or {}).get("pulses") or []
    if not pulses:
        return None
    entry = pulses[-1]
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    scores = scale_scores(survey)
    rows = [{"measure": survey.instrument.label(name), "n": int(scores[name].notna().sum()),
             "mean (1-5)": round(float(scores[name].mean()), 2)} for name in survey.instrument.scored_constructs()
            if name in scores]
    table = _suppressed(pd.DataFrame(rows), context)
    table.attrs.update(name=label(Path(entry["path"]).stem), responses=len(survey))
    return table


def funnel_section(context: ReportContext) -> Block:
    funnel = engagement.funnel(context.config)
    funnel = funnel.assign(stage=[str(stage).capitalize() for stage in funnel["stage"]])
    return Block(table_html(funnel, caption="From eligible to completed"))


def funnel_chart(context: ReportContext):
    return charts.funnel_chart(engagement.funnel(context.config))


def activity_chart(context: ReportContext):
    return charts.monthly_chart(engagement.monthly_meetings(context.config), _unit(context))


def at_risk_units(context: ReportContext) -> Block:
    risk = engagement.at_risk(context.config)
    if not len(risk):
        return Block(f"<p>No {_unit(context)} need attention.</p>")
    risk = risk.assign(reason=risk["reason"].astype(str).str.replace(r"(\d+)\.0 days", r"\1 days", regex=True))
    return Block(table_html(risk, caption=f"{_units(context, len(risk))} that "
                                      f"{'needs' if len(risk) == 1 else 'need'} attention"))


def pulse_section(context: ReportContext) -> Block:
    """The latest pulse: average score per measure, groups under the threshold hidden."""
    table = _latest_pulse(context)
    if table is None:
        return Block("<p>No pulse surveys were run.</p>")
    return Block(table_html(table, caption=f"{table.attrs['name']}: "
                                       f"{plural(table.attrs['responses'], 'response')}"))


def goal_progress_table(context: ReportContext, raw: bool = False):
    """Goal progress per pair or circle place (names, no contact details)."""
    if not context.config.get("goal_checkins"):
        return None if raw else Block("<p>No goal check-ins were recorded.</p>")
    progress = goal_progress(context.config.get("goal_checkins"), programme_start=context.design.start_date,
                             programme_end=context.design.planned_end_date)
    if raw:
        return progress
    stalled = progress.stalled.head(25)
    keep = [column for column in ("goal", "theme", "status", "percent_complete", "stalled_reason")
            if column in stalled.columns]
    shown = stalled[keep]
    if "percent_complete" in shown:
        shown = shown.assign(percent_complete=[f"{value:.0f}%" if value == value else "" for value in
                                               shown["percent_complete"]])
    if "status" in shown:
        shown = shown.assign(status=shown["status"].astype(str).str.replace("_", " "))
    return Block(f"<p>{html.escape(progress.summary())}</p>"
                 + table_html(shown, caption=f"Stalled goals (first {len(stalled)})" if len(progress.stalled) > 25
                              else "Stalled goals"))


def _pre_post(context: ReportContext) -> pd.DataFrame | None:
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return None
    return _suppressed(pre_post(baseline, end), context)


def _improved(table: pd.DataFrame) -> pd.DataFrame:
    """Measures that clearly moved the right way (the whole 95% range on the good side, after Holm)."""
    if not len(table):
        return table
    good = table["higher_is_better"].astype(bool)
    return table[(table["p_holm"] < 0.05) & ((table["mean_change"] > 0) == good)]


def impact_summary(context: ReportContext) -> Block:
    """The end-of-programme executive page: change, rating, retention and return, each with its number."""
    happened, means, next_steps = [], [], []
    headline = "Impact at the end of the programme."
    table = _pre_post(context)
    if table is not None:
        better = _improved(table)
        if len(better):
            headline = "Participants improved on " + join_words(list(better["label"].str.lower())) + "."
            for row in better.itertuples():
                happened.append(f"{row.label}: from {row.mean_pre:.2f} to {row.mean_post:.2f} on a 1-5 scale "
                                f"({row.mean_change:+.2f}, 95% range {row.ci_low:+.2f} to {row.ci_high:+.2f}; "
                                f"{row.n} people answered both surveys, {row.improved:.0%} of them improved).")
            order = ["very small", "small", "moderate", "large"]
            sizes = sorted({effect_size_words(value) for value in better["d_z_corrected"]}, key=order.index)
            size = sizes[0] if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"
            these = "this change is" if len(better) == 1 else "these changes are"
            smallest = int(better["n"].min())
            if order.index(sizes[-1]) >= order.index("moderate"):
                means.append(f"By the usual yardstick {these} {size} (see How this compares): larger than the generally "
                             "small effects published reviews of workplace mentoring report (Eby et al., 2008; Allen et "
                             f"al., 2004)" + (f". With {smallest} people, treat it as promising rather than settled."
                                              if smallest < 50 else "."))
            else:
                means.append(f"By the usual yardstick {these} {size} (see How this compares), in line with the "
                             "generally small effects published reviews of workplace mentoring report (Eby et al., "
                             "2008; Allen et al., 2004).")
        elif len(table):
            headline = "The surveys show no clear change yet."
            means.append("No survey measure moved clearly enough to rule out chance; the change section shows the "
                         "ranges.")
        end = _survey(context, "end")
        score = nps(end.responses["NPS"]) if "NPS" in end.responses else None
        if score is not None and enough(score.n, context.min_group):
            happened.append(f"Net Promoter Score {score.score:+.0f} (95% range {score.ci_low:+.0f} to "
                            f"{score.ci_high:+.0f}; {plural(score.n, 'answer')}).")
    outcomes = impact.outcomes(context.config) if context.config.get("hr_outcomes") else None
    if outcomes is not None and impact.outcomes_shown(outcomes, context.min_group):
        retained = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "participant")].iloc[0]
        other = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "comparison")].iloc[0]
        happened.append(f"Retention {retained['rate']:.0%} among participants against {other['rate']:.0%} in the "
                        f"comparison group: {retained['difference'] * 100:+.0f} points (95% range "
                        f"{retained['difference_low'] * 100:+.0f} to {retained['difference_high'] * 100:+.0f}).")
        means.append("Participants chose to join, so the retention difference is an association, not proof "
                      "that mentoring caused it.")
        if context.config.get("roi"):
            verdict, advice = _roi_headline(context, outcomes)
            means.append(verdict)
            next_steps += advice
    if table is not None:
        end = _survey(context, "end")
        weak = reliability(end)
        weak = weak[(weak["alpha"] < 0.6) & (weak["ci_high"] < 0.7)]  # short of the bar even at its best
        if len(weak):
            next_steps.append("Reword the " + join_words(list(weak["label"].str.lower())) + " questions before the "
                              "next programme: their answers do not yet hang together well enough to trust the score.")
        minimum = int(context.config.privacy["min_comments"])
        themes = comment_themes(end, min_comments=minimum)
        if not themes.attrs.get("suppressed") and len(themes):
            top = themes.iloc[0]
            next_steps.append(f"Act on the most common theme in the comments, {str(top['theme']).lower()} "
                              f"({plural(int(top['comments']), 'comment')}, {top['share']:.0%}).")
    return executive_page(headline, happened, means, next_steps)


def _roi_headline(context: ReportContext, outcomes: pd.DataFrame) -> tuple[str, list[str]]:
    """The ROI sentence for the executive page: a headline only when the range is clear of zero."""
    scenarios = roi_scenarios(context.config, outcomes)
    low, central, high = scenarios.roi
    if scenarios.decided and low > 0:
        return (f"Return on investment between {low:+.0%} and {high:+.0%} (central estimate {central:+.0%}): "
                f"{context.money(scenarios.benefit[1])} of retention benefit against "
                f"{context.money(scenarios.cost)} of cost, on the stated assumptions.", [])
    if scenarios.decided:
        return (f"On the stated assumptions the programme did not pay for itself through retention alone: the return "
                f"lies between {low:+.0%} and {high:+.0%}.", ["Decide whether the other benefits justify the cost."])
    break_even = scenarios.break_even_difference * 100
    sentence = (f"It is not yet possible to tell whether the programme paid for itself through retention: on the "
                f"stated assumptions the return lies between {low:+.0%} and {high:+.0%}. It breaks even if "
                f"participants' retention is {break_even:.1f} points or more above the comparison group's; the data "
                f"put the difference between {scenarios.difference[0] * 100:+.1f} and "
                f"{scenarios.difference[2] * 100:+.1f} points.")
    factor = scenarios.people_needed_factor()
    if factor is not None:
        advice = (f"To settle the return, follow these groups for longer or widen the comparison: with about "
                  f"{max(factor, 1.1):.1f} times as many people in each group, the range would clear break-even if "
                  "the difference holds at its current size.")
    else:
        advice = ("To settle the return, follow these groups for longer: at its current size the difference is "
                  "below break-even.")
    return sentence, [advice]


def pre_post_section(context: ReportContext) -> Block:
    """Before and after, per measure, in plain words (the statistics are in the technical appendix)."""
    table = _pre_post(context)
    if table is None:
        return Block("<p>Baseline and end-of-programme surveys are both needed for this section.</p>")
    shown = pd.DataFrame({
        "measure": table["label"], "people (both surveys)": table["n"],
        "before (1-5)": table["mean_pre"].round(2), "after (1-5)": table["mean_post"].round(2),
        "change (95% range)": [f"{row.mean_change:+.2f} ({row.ci_low:+.2f} to {row.ci_high:+.2f})"
                               for row in table.itertuples()],
        "improved / same / declined": [f"{row.improved:.0%} / {row.same:.0%} / {row.declined:.0%}"
                                       for row in table.itertuples()],
        "clear change?": ["yes" if name in set(_improved(table)["construct"]) else "not yet"
                          for name in table["construct"]],
    })
    note = (f"{plural(table.attrs['hidden'], 'measure')} with fewer than {context.min_group} people "
            f"{'is' if table.attrs['hidden'] == 1 else 'are'} not shown. " if table.attrs.get("hidden") else "")
    note += ("A change is called clear when it is unlikely to be chance even after allowing for several measures "
             "being tested at once.")
    return Block(table_html(shown, caption="Change from baseline to end, people who answered both") +
                 f'<p class="tk-note">{html.escape(note)}</p>')


def benchmarks_section(context: ReportContext) -> Block:
    """How the client's changes compare: a yardstick and the published reviews of workplace mentoring."""
    table = _pre_post(context)
    if table is None or not len(table):
        return Block("")
    rows = pd.DataFrame({"measure": table["label"],
                         "standardised change": table["d_z_corrected"].round(2),
                         "size (0.2 small, 0.5 moderate, 0.8 large)": [effect_size_words(value) for value in
                                                                       table["d_z_corrected"]]})
    text = (BENCHMARK_SENTENCE + " The reviews compare mentored with non-mentored people, while this report follows "
            "the same people over time, so the comparison is a guide to scale, not a like-for-like test.")
    return Block(table_html(rows, caption="Size of each change on a common yardstick (Cohen, 1988)")
                 + f"<p>{html.escape(text)}</p>")


def pre_post_statistics(context: ReportContext) -> Block:
    """The technical appendix's table: effect sizes, the rank test and Holm-adjusted p-values."""
    table = _pre_post(context)
    if table is None:
        return Block("")
    shown = pd.DataFrame({
        "construct": table["label"], "n": table["n"],
        "d_z (Hedges-corrected)": table["d_z_corrected"].round(2), "rank-biserial r": table["rank_biserial"].round(2),
        "p (Holm)": [f"{value:.3f}" if value >= 0.001 else "<0.001" for value in table["p_holm"]],
    })
    return Block(table_html(shown, caption="Paired change: effect sizes and tests"))


def pre_post_chart(context: ReportContext):
    table = _pre_post(context)
    if table is None:
        return Block("")
    return charts.change_chart(table)


def reliability_section(context: ReportContext) -> Block:
    end = _survey(context, "end")
    if end is None:
        return Block("")
    table = _suppressed(reliability(end), context)
    shown = pd.DataFrame({"construct": table["label"], "items": table["items"], "complete answers": table["n"],
                          "Cronbach's alpha (95% CI)": [f"{row.alpha:.2f} ({row.ci_low:.2f} to {row.ci_high:.2f})"
                                                        for row in table.itertuples()],
                          "mean inter-item r": table["mean_inter_item_r"].round(2),
                          "reads as": ["consistent" if row.alpha >= 0.7 else "acceptable" if row.alpha >= 0.6
                                       else "reword before reuse" for row in table.itertuples()]})
    return Block(table_html(shown, caption="Reliability of each scale (end-of-programme survey)")
                 + '<p class="tk-note">Reliability says whether a scale\'s questions agree with each other; 0.7 or '
                 "more is the usual bar for a score to be trusted.</p>")


def outcomes_section(context: ReportContext) -> Block:
    if not context.config.get("hr_outcomes"):
        return Block("<p>No HR outcome extract was provided.</p>")
    table = impact.outcomes(context.config)
    if not impact.outcomes_shown(table, context.min_group):
        return Block(f"<p>Fewer than {context.min_group} people in the participant or comparison group, so HR "
                     "outcomes are not shown.</p>")
    shown = pd.DataFrame({
        "outcome": [label(name) for name in table["outcome"]], "group": [label(name) for name in table["group"]],
        "people": table["people"],
        "rate (95% range)": [f"{row.rate:.0%} ({row.ci_low:.0%} to {row.ci_high:.0%})" for row in table.itertuples()],
        "difference (95% range)": ["" if row.difference is None or row.difference != row.difference else
                                f"{row.difference * 100:+.1f} points ({row.difference_low * 100:+.1f} to "
                                f"{row.difference_high * 100:+.1f})" for row in table.itertuples()],
    })
    return Block(table_html(shown, caption="Participants against the comparison group")
                 + f'<p class="tk-note">{html.escape(impact.SELECTION_CAVEAT)}</p>')


def outcomes_chart(context: ReportContext):
    if not context.config.get("hr_outcomes"):
        return Block("")
    table = impact.outcomes(context.config)
    if not impact.outcomes_shown(table, context.min_group):
        return Block("")
    return charts.outcomes_chart(table)


def relationship_chart(context: ReportContext):
    """Answers to the relationship-quality items at the end, as diverging bars (small items hidden)."""
    end = _survey(context, "end")
    if end is None:
        return Block("")
    shares = likert_shares(end, "relationship_quality", min_group=context.min_group)
    if shares.empty:
        return Block(f"<p>Fewer than {context.min_group} people answered these items.</p>")
    items = end.instrument.items
    reverse = items.loc[items["reverse"].astype(bool), "id"].tolist()
    return charts.likert_chart(shares, "Relationship quality at the end of the programme", reverse=reverse)


def nps_chart(context: ReportContext):
    end = _survey(context, "end")
    if end is None or "NPS" not in end.responses:
        return Block("")
    result = nps(end.responses["NPS"])
    if not enough(result.n, context.min_group):
        return Block(f"<p>Fewer than {context.min_group} people answered the recommendation question.</p>")
    return charts.nps_chart(result)


def comments_section(context: ReportContext) -> Block:
    """Themes in the open comments (counts only; no quotes), hidden below privacy.min_comments."""
    end = _survey(context, "end")
    if end is None:
        return Block("")
    minimum = int(context.config.privacy["min_comments"])
    themes = comment_themes(end, min_comments=minimum)
    if themes.attrs.get("suppressed"):
        return Block(f"<p>Fewer than {minimum} people left comments, so themes are not shown.</p>")
    shown = themes.assign(share=[f"{value:.0%}" for value in themes["share"]])
    tone = comment_sentiment(end, min_comments=minimum)
    tone = tone.assign(share=[f"{value:.0%}" for value in tone["share"]])
    return Block(table_html(shown, caption=f"Themes in {plural(themes.attrs['total'], 'open comment')} (a comment "
                                       "can touch several themes)")
                 + table_html(tone, caption="Tone of the comments (read automatically; a rough guide only)"))


def roi_section(context: ReportContext) -> Block:
    """Return on investment as a range (low, central, high), then every assumption and step."""
    if not context.config.get("roi") or not context.config.get("hr_outcomes"):
        return Block("<p>No return-on-investment assumptions were given (the roi: section of client.yaml).</p>")
    outcomes = impact.outcomes(context.config)
    if not impact.outcomes_shown(outcomes, context.min_group):
        return Block(f"<p>Fewer than {context.min_group} people in the participant or comparison group, so the "
                     "return on investment is not shown.</p>")
    scenarios = roi_scenarios(context.config, outcomes)
    rows = pd.DataFrame({
        "scenario": ["low", "central", "high"],
        "retention difference": [f"{value * 100:+.1f} points" for value in scenarios.difference],
        "benefit": [context.money(value) for value in scenarios.benefit],
        "cost": [context.money(scenarios.cost)] * 3,
        "return on investment": [f"{value:+.0%}" for value in scenarios.roi],
    })
    verdict, _ = _roi_headline(context, outcomes)
    steps = scenarios.table.copy()
    money_rows = {"programme cost", "average salary", "benefit", "cost", "hourly cost"}
    steps["value"] = [context.money(value) if item in money_rows else
                      f"{value:.0%}" if item == "replacement cost share of salary" else
                      f"{value * 100:+.1f} points" if item.startswith("retention difference") else
                      f"{value:.1f}%" if item == "ROI %" else
                      f"{value:,.2f}" if isinstance(value, float) and not float(value).is_integer() else
                      f"{int(value):,}" if isinstance(value, (int, float)) else str(value)
                      for item, value in zip(steps["item"], steps["value"])]
    steps["item"] = steps["item"].replace({"ROI %": "return on investment"})
    steps = steps[steps["item"] != "currency"]
    return Block(f"<p>{html.escape(verdict)}</p>"
                 + table_html(rows, caption="Return on investment across the retention difference's 95% range")
                 + table_html(steps, caption="The central calculation: every assumption and step")
                 + '<p class="tk-note">The retention difference is an association (see Retention and promotion); '
                 "your consultant can change any assumption and run the report again.</p>")


# ------------------------------------------------------------------------------------------------
# The running programme: status and closure, fit checks, the shortlist round, re-matching
# ------------------------------------------------------------------------------------------------
def _pairs_only(context: ReportContext) -> str | None:
    """Why a pairs-only section does not apply to this client (None when it does)."""
    if context.design.shape != "one_to_one":
        return "This programme is not made of one-to-one pairs, so pair status does not apply."
    if not len(reporting_state(context.config).pairs):
        return "No pairs have been matched yet, so pair status does not apply."
    return None


def relationship_status_section(context: ReportContext) -> Block:
    """Pairs by status, currently vs ever matched, time to a first meeting, stuck and silent pairs."""
    reason = _pairs_only(context)
    if reason:
        return Block(f"<p>{html.escape(reason)}</p>")
    table = relationships(context.config)
    counts = relationship_counts(table)
    wait = counts["median_days_to_first_meeting"]
    facts = [f"{counts['currently_matched_mentees']} mentees are in an active pair today; "
             f"{counts['ever_matched_mentees']} have ever been matched ({counts['pairs']} pairs in all).",
             (f"Half of the pairs met for the first time within {wait:.0f} days of being matched."
              if wait is not None else "No first meetings are logged yet."),
             f"{counts['stuck']} active pairs have not met more than 21 days after matching (stuck).",
             f"{counts['silent']} active pairs have not met for 90 days or more (suggested for closure below)."]
    status = pd.DataFrame({"state": list(counts["by_state"]), "pairs": list(counts["by_state"].values()),
                           "meaning": [STATE_WORDS[key] for key in counts["by_state"]]})
    ended = counts["ended_by_reason"]
    reasons = pd.DataFrame({"why it ended": [END_REASON_LABELS.get(key, key) for key in ended],
                            "pairs": list(ended.values()), "meaning": [END_REASON_WORDS.get(key, key) for key in ended]})
    return Block(bullets_html(facts) + table_html(status, caption=f"Pairs by state on {table.attrs['as_of']:%d %B %Y}")
                 + (table_html(reasons, caption="Pairs that ended early, by reason") if len(reasons) else ""),
                 " ".join(facts))


def closure_section(context: ReportContext) -> Block:
    """Pairs silent 90 days: suggested for closure, after the warning message (shown once, as a template)."""
    reason = _pairs_only(context)
    if reason:
        return Block("")
    table = relationships(context.config)
    coordinator = ((context.config.get("contacts") or {}).get("programme_coordinator") or "")
    silent = closure_suggestions(table, context.roster, coordinator=coordinator)
    if not len(silent):
        return Block("<p>No active pair has been silent for 90 days.</p>")
    shown = silent[["pair_id", "last_met", "days_silent", "close_on"]]
    example = warning_message("[mentee]", "[mentor]", None, silent["close_on"].iloc[0], coordinator)
    return Block(table_html(shown, caption=f"{len(silent)} pairs silent for 90 days or more: send the warning "
                            "message first, then close on the date shown")
                 + f"<p><strong>Warning message</strong> (personalised per pair in the programme kit):</p>"
                 f"<blockquote>{html.escape(example).replace(chr(10), '<br>')}</blockquote>")


def fit_check_section(context: ReportContext) -> Block:
    """How many pairs the fit check flagged (counts only: which pair said what stays with the team)."""
    entry = context.config.survey("fit_check")
    reason = _pairs_only(context)
    if reason or not entry:
        return Block("<p>No fit check was run (the short survey asking each pair, a few weeks in, whether the "
                     "match works was not sent).</p>")
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    flags = fit_check_flags(survey, relationships(context.config), context.roster)
    answers = survey.responses["FIT"].value_counts() if "FIT" in survey.responses else pd.Series(dtype=int)
    table = _suppressed(pd.DataFrame({"answer": answers.index, "n": answers.to_numpy()}), context)
    return Block(f"<p>{len(flags)} pairs were flagged for a conversation (a \"Not a fit\" or two \"Not sure "
                 "yet\" answers); the list and the suggested script are in the programme team's fit-check "
                 "file, not in this report.</p>" + table_html(table, caption=f"Fit check: {len(survey)} answers"))


def shortlist_round_section(context: ReportContext) -> Block:
    """The shortlist round: how many ranked, and the share matched with their first and a top-3 choice."""
    if not context.config.get("choices") or context.design.shape != "one_to_one":
        return Block("<p>This programme did not run a shortlist round (mentees did not rank suggested mentors).</p>")
    choices = load_choices(context.config.get("choices"))
    result = match(context.roster, context.design, choices=choices)
    outcome = choice_outcomes(result)
    if not outcome["ranked"]:
        return Block("<p>No mentee returned a ranked choices form.</p>")
    facts = [f"{outcome['ranked']} mentees ranked their suggested mentors; {len(choices.unranked_rows)} suggestions "
             "were left unranked.",
             f"Matching on their ranks gives {outcome['first_share']:.0%} their first choice and "
             f"{outcome['top3_share']:.0%} one of their top three.",
             f"{len(choices.declined_pairs)} suggestions were declined by the mentor; "
             f"{len(outcome['not_allowed'])} ranked pairs break the programme's rules and could not be used."]
    table = pd.DataFrame({"choice got": ["first", "second", "third", "none of their ranked mentors"],
                          "mentees": [int((outcome["table"]["rank_got"] == rank).sum()) for rank in (1, 2, 3)]
                          + [int(outcome["table"]["rank_got"].isna().sum())]})
    return Block(bullets_html(facts) + table_html(table, caption="Mentees by the choice they got"), " ".join(facts))


def rematch_section(context: ReportContext) -> Block:
    """What a no-fault re-match would do today: who is in play, new pairs, who still waits."""
    reason = _pairs_only(context)
    if reason:
        return Block("")
    as_of = reporting_state(context.config).as_of
    end = context.design.planned_end_date
    if end is not None and as_of >= end:
        return Block("<p>The programme has ended, so no re-match applies.</p>")
    history = rematch_history(context.config, as_of=as_of)
    done = rematch(context.roster, context.design, active=history["active"], ended=history["ended"],
                   away=history["away"])
    in_play = done.in_play.groupby(["role", "why"]).size().reset_index(name="people")
    waiting = done.result.unmatched
    waiting = int((waiting["role"] == "mentee").sum()) if len(waiting) else 0
    text = (f"A re-match on {history['as_of']:%d %B %Y} keeps all {len(done.kept)} active pairs and finds "
            f"{len(done.new_pairs)} new pairs (never a pair that existed before); {waiting} mentees would still wait.")
    return Block(f"<p>{html.escape(text)}</p>" + table_html(in_play, caption="Who is in play for a re-match"), text)
