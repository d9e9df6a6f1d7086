"""Sections of the health (mid-programme) and impact (end-of-programme) reports."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .. import charts
from ..goals.progress import goal_progress
from ..labels import label
from ..matching.choices import choice_outcomes, load_choices
from ..matching.rematch import rematch
from ..measure import engagement, impact
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
    scale_scores,
)
from ..programme import END_REASON_LABELS, END_REASON_WORDS, STATE_WORDS, reporting_state
from ..roster import roster_id_aliases
from ..text import join_words, plural
from .context import Block, ReportContext, bullets_html, executive_page, table_html
from .evidence import BENCHMARK_SENTENCE, effect_size_words
from .evidence_sections import roi_headline
from .releases import (
    construct_scores,
    hr_outcomes_shown,
    nps_shown,
    paired_scores,
    protect_measures,
    protected_answers,
    protected_choices,
    protected_in_play,
    protected_items,
    protected_reliability,
    protected_themes,
    protected_tone,
)

__all__ = ["health_summary", "funnel_section", "funnel_chart", "activity_chart", "at_risk_units", "pulse_section",
           "goal_progress_table", "impact_summary", "pre_post_section", "pre_post_chart", "reliability_section",
           "outcomes_section", "outcomes_chart", "relationship_chart", "nps_chart", "comments_section",
           "pre_post_statistics", "benchmarks_section", "relationship_status_section",
           "closure_section", "fit_check_section", "shortlist_round_section", "rematch_section"]


def _unit(context: ReportContext) -> str:
    return "circles" if context.design.shape == "circles" else "pairs"


def _units(context: ReportContext, count: int) -> str:
    """"1 circle", "3 pairs": the count with the programme's unit, singular or plural."""
    return plural(count, _unit(context)[:-1])


def _survey(context: ReportContext, wave: str):
    """The client's ``wave`` survey with the roster's attributes, read once per report run (None if not given)."""
    entry = context.config.survey(wave)
    if not entry:
        return None
    return context.once(f"survey {wave}", lambda: load_survey(entry["path"], instrument=entry["instrument"],
                                                              roster=context.roster))


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
    answers = {survey.instrument.label(name): found for name, found in
               construct_scores(scores, survey.instrument.scored_constructs()).items()}
    table = protect_measures(pd.DataFrame(rows), context, f"pulse scores: {label(Path(entry['path']).stem)}", answers,
                      column="measure")
    table.attrs.update(name=label(Path(entry["path"]).stem), responses=len(survey))
    return table


def _funnel(context: ReportContext) -> pd.DataFrame:
    """The funnel with "active" kept for its one meaning (a running pair or circle, see the glossary): the stage
    that counts recent meetings is called what it counts."""
    funnel = context.once("funnel", lambda: engagement.funnel(context.config, roster=context.roster))  # chart, table
    return funnel.assign(stage=funnel["stage"].replace({"active": "met in the last 30 days"}))


def funnel_section(context: ReportContext) -> Block:
    funnel = _funnel(context)
    funnel = funnel.assign(stage=[str(stage).capitalize() for stage in funnel["stage"]])
    return Block(table_html(funnel, caption="From eligible to completed"))


def funnel_chart(context: ReportContext):
    return charts.funnel_chart(_funnel(context))


def activity_chart(context: ReportContext):
    return charts.monthly_chart(engagement.monthly_meetings(context.config), _unit(context))


def at_risk_units(context: ReportContext) -> Block:
    risk = engagement.at_risk(context.config)
    if not len(risk):
        return Block(f"<p>No {_unit(context)} need attention.</p>")
    risk = risk.assign(reason=risk["reason"].astype(str).str.replace(r"(\d+)\.0 days", r"\1 days", regex=True))
    risk.insert(1, "who", risk["unit"].map(_who(context)).fillna(""))  # the programme team calls people, not codes
    return Block(table_html(risk, caption=f"{_units(context, len(risk))} that "
                                      f"{'needs' if len(risk) == 1 else 'need'} attention"))


def _who(context: ReportContext) -> dict:
    """Each pair's or circle's people by name: "mentee and mentor", or a circle's facilitator and its size."""
    known, aliases = set(context.roster.ids), roster_id_aliases(context.roster)  # logs name people by id or email
    names = {}
    for row in engagement.read_units(context.config).itertuples():
        ids = [str(person) if str(person) in known else aliases.get(str(person).strip().lower(), str(person))
               for person in row.members]
        members = [context.roster.display_name(person) if person in known else person for person in ids]
        if context.design.shape == "circles":
            names[row.unit] = f"{members[0]} and {plural(len(members) - 1, 'member')}" if members else ""
        else:
            names[row.unit] = " and ".join(members)
    return names


def pulse_section(context: ReportContext) -> Block:
    """The latest pulse: average score per measure, groups under the threshold hidden."""
    table = _latest_pulse(context)
    if table is None:
        return Block("<p>No pulse surveys were run.</p>")
    note = f" ({table.attrs['hidden_note']})" if table.attrs.get("hidden_note") else ""
    return Block(table_html(table, caption=f"{table.attrs['name']}: "
                                       f"{plural(table.attrs['responses'], 'response')}{note}"))


def goal_progress_table(context: ReportContext, raw: bool = False):
    """Goal progress per pair or circle place (names, no contact details)."""
    if not context.config.get("goal_checkins"):
        return None if raw else Block("<p>No goal check-ins were recorded.</p>")
    progress = context.once("goal progress", lambda: goal_progress(
        context.config.get("goal_checkins"), programme_start=context.design.start_date,
        programme_end=context.design.planned_end_date))  # the executive page's and the section's
    if raw:
        return progress
    stalled = progress.stalled.head(25)
    shown = context.stalled_by_pair(stalled)  # the pair and the theme, never the goal's own words
    return Block(f"<p>{html.escape(progress.summary())}</p>"
                 + table_html(shown, caption=f"Stalled goals (first {len(stalled)})" if len(progress.stalled) > 25
                              else "Stalled goals"))


def _pre_post(context: ReportContext) -> pd.DataFrame | None:
    """The change by measure from the baseline to the end survey (decided in this report's release), made once per
    report run; each caller gets its own copy."""
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return None
    return context.once("change by measure", lambda: protect_measures(
        pre_post(baseline, end), context, "change by measure", paired_scores(baseline, end))).copy()


def _improved(table: pd.DataFrame) -> pd.DataFrame:
    """Measures that clearly moved the right way (the verdict of :func:`toolkit.measure.survey.pre_post`:
    Holm's p and a t-interval clear of zero, the same for every seed), in the good direction."""
    if not len(table):
        return table
    good = table["higher_is_better"].astype(bool)
    return table[table["clear"].astype(bool) & ((table["mean_change"] > 0) == good)]


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
        if score is not None and nps_shown(context, end):
            happened.append(f"Net Promoter Score {score.score:+.0f} (95% range {score.ci_low:+.0f} to "
                            f"{score.ci_high:+.0f}; {plural(score.n, 'answer')}).")
    outcomes = impact.outcomes(context.config, comparison=False) if context.config.get("hr_outcomes") else None
    if outcomes is not None and hr_outcomes_shown(context):
        retained = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "participant")].iloc[0]
        other = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "comparison")]
        if len(other):
            happened.append(f"Retention {retained['rate']:.0%} among participants against {other.iloc[0]['rate']:.0%} "
                            f"in the comparison group: {retained['difference'] * 100:+.0f} points (95% range "
                            f"{retained['difference_low'] * 100:+.0f} to {retained['difference_high'] * 100:+.0f}).")
            means.append("Participants chose to join, so the retention difference is an association, not proof "
                         "that mentoring caused it.")
        else:
            happened.append(f"Retention {retained['rate']:.0%} among participants (95% range {retained['ci_low']:.0%} "
                            f"to {retained['ci_high']:.0%}); the HR extract has no comparison group.")
        if context.config.get("roi"):
            verdict, advice = roi_headline(context)
            means.append(verdict)
            next_steps += advice
    if table is not None:
        end = _survey(context, "end")
        weak = protected_reliability(context, end)
        weak = weak[(weak["alpha"] < 0.6) & (weak["ci_high"] < 0.7)]  # short of the bar even at its best
        if len(weak):
            next_steps.append("Reword the " + join_words(list(weak["label"].str.lower())) + " questions before the "
                              "next programme: their answers do not yet hang together well enough to trust the score.")
        minimum = int(context.config.privacy["min_comments"])
        themes = protected_themes(context, end, minimum)
        if not themes.attrs.get("suppressed") and len(themes):
            top = themes.iloc[0]
            next_steps.append(f"Act on the most common theme in the comments, {str(top['theme']).lower()} "
                              f"({plural(int(top['comments']), 'comment')}, {top['share']:.0%}).")
    return executive_page(headline, happened, means, next_steps)


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
    note = (f"{plural(table.attrs['hidden'], 'measure')} {'is' if table.attrs['hidden'] == 1 else 'are'} not shown "
            f"(fewer than {context.min_group} people, or fewer than {context.min_group} changed since an earlier "
            "report). " if table.attrs.get("hidden") else "")
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
        "p (Holm)": ["" if value != value else f"{value:.3f}" if value >= 0.001 else "<0.001"
                     for value in table["p_holm"]],
        "95% interval": [f"{row.ci_low:+.2f} to {row.ci_high:+.2f} ({row.ci_method})" if row.ci_method else ""
                         for row in table.itertuples()],
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
    table = protected_reliability(context, end)
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
    table = impact.outcomes(context.config, comparison=False)
    if not hr_outcomes_shown(context):
        return Block(f"<p>Fewer than {context.min_group} people in the participant or comparison group, or too few "
                     "changes since an earlier report, so HR outcomes are not shown.</p>")
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
    table = impact.outcomes(context.config, comparison=False)
    if not hr_outcomes_shown(context):
        return Block("")
    return charts.outcomes_chart(table)


def relationship_chart(context: ReportContext):
    """Answers to the relationship-quality items at the end, as diverging bars (small items hidden)."""
    end = _survey(context, "end")
    if end is None:
        return Block("")
    shares = likert_shares(end, "relationship_quality", min_group=context.min_group)
    shares = protected_items(context, shares, end, "relationship quality answers by item")
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
    if not nps_shown(context, end):
        return Block(f"<p>The recommendation score is not shown: fewer than {context.min_group} people gave one of "
                     "its answers (or too few answers changed since an earlier report), and the score would give "
                     "them away.</p>")
    return charts.nps_chart(result)


def comments_section(context: ReportContext) -> Block:
    """Themes in the open comments (counts only; no quotes), hidden below privacy.min_comments."""
    end = _survey(context, "end")
    if end is None:
        return Block("")
    minimum = int(context.config.privacy["min_comments"])
    themes = protected_themes(context, end, minimum)
    if themes.attrs.get("suppressed"):
        return Block(f"<p>Fewer than {minimum} people left comments, so themes are not shown.</p>")
    shown = themes.assign(share=[f"{value:.0%}" for value in themes["share"]])
    tone = protected_tone(context, end, minimum)
    tone = tone.assign(share=[f"{value:.0%}" for value in tone["share"]])
    notes = [f" ({table.attrs['hidden_note']})" if table.attrs.get("hidden_note") else "" for table in (themes, tone)]
    return Block(table_html(shown, caption=f"Themes in {plural(themes.attrs['total'], 'open comment')} (a comment "
                                       f"can touch several themes){notes[0]}")
                 + table_html(tone, caption=f"Tone of the comments (read automatically; a rough guide only){notes[1]}"))


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
    # the caption prints the total, so the answers are a partition: a hidden answer gets company
    table = protected_answers(context, survey, "FIT", key="fit check answers", attribute="fit check answer")
    flagged = (f"{len(flags)} pairs were" if not len(flags) or len(flags) >= context.min_group
               else f"Fewer than {context.min_group} pairs were")  # a count of a few pairs is a small group
    note = f" ({table.attrs['hidden_note']})" if table.attrs.get("hidden_note") else ""
    shown = (table_html(table, caption=f"Fit check: {len(survey)} answers{note}") if len(table) else
             f"<p>Fit check: {len(survey)} answers. How they split is not shown: some answers were given by fewer "
             f"than {context.min_group} people, or changed by fewer than {context.min_group} since an earlier "
             "report.</p>")
    return Block(f"<p>{flagged} flagged for a conversation (a \"Not a fit\" or two \"Not sure "
                 "yet\" answers); the list and the suggested script are in the programme team's fit-check "
                 "file, not in this report.</p>" + shown)


def shortlist_round_section(context: ReportContext) -> Block:
    """The shortlist round: how many ranked, and the share matched with their first and a top-3 choice."""
    if not context.config.get("choices") or context.design.shape != "one_to_one":
        return Block("<p>This programme did not run a shortlist round (mentees did not rank suggested mentors).</p>")
    choices = load_choices(context.config.get("choices"))
    from ..matching.engine import match  # the solvers load only for a report that matches

    result = match(context.roster, context.design, choices=choices)
    outcome = choice_outcomes(result)
    if not outcome["ranked"]:
        return Block("<p>No mentee returned a ranked choices form.</p>")
    table, shares = protected_choices(context, outcome)
    facts = [f"{outcome['ranked']} mentees ranked their suggested mentors; {len(choices.unranked_rows)} suggestions "
             "were left unranked.", shares,
             f"{len(choices.declined_pairs)} suggestions were declined by the mentor; "
             f"{len(outcome['not_allowed'])} ranked pairs break the programme's rules and could not be used."]
    facts = [fact for fact in facts if fact]
    note = f" ({table.attrs['hidden_note']})" if table.attrs.get("hidden_note") else ""
    return Block(bullets_html(facts) + table_html(table, caption=f"Mentees by the choice they got{note}"),
                 " ".join(facts))


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
    in_play = protected_in_play(context, done.in_play)
    waiting = done.result.unmatched
    waiting = int((waiting["role"] == "mentee").sum()) if len(waiting) else 0
    text = (f"A re-match on {history['as_of']:%d %B %Y} keeps all {len(done.kept)} active pairs and finds "
            f"{len(done.new_pairs)} new pairs (never a pair that existed before); {waiting} mentees would still wait.")
    note = f" ({in_play.attrs['hidden_note']})" if in_play.attrs.get("hidden_note") else ""
    return Block(f"<p>{html.escape(text)}</p>" + table_html(in_play, caption=f"Who is in play for a re-match{note}"),
                 text)
