"""Sections of the health (mid-programme) and impact (end-of-programme) reports."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .. import charts
from ..goals.progress import goal_progress
from ..measure import engagement, impact
from ..measure.comments import comment_sentiment, comment_themes
from ..measure.survey import (
    likert_shares,
    load_survey,
    nps,
    pre_post,
    reliability,
    scale_scores,
)
from ..privacy import enough, suppress
from .context import Block, ReportContext, bullets_html, table_html

__all__ = ["health_summary", "funnel_section", "funnel_chart", "activity_chart", "at_risk_units", "pulse_section",
           "goal_progress_table", "impact_summary", "pre_post_section", "pre_post_chart", "reliability_section",
           "outcomes_section", "outcomes_chart", "relationship_chart", "nps_chart", "comments_section",
           "roi_section"]


def _unit(context: ReportContext) -> str:
    return "circles" if context.design.shape == "circles" else "pairs"


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
    """Mid-programme executive summary: activity, at-risk units, pulse and goals, from the numbers."""
    activity = engagement.activity(context.config)
    running = activity[~activity["status"].isin(["ended_early"])]
    active = float(running["active_30_days"].mean()) if len(running) else float("nan")
    risk = engagement.at_risk(context.config)
    unit = _unit(context)
    verdict = (f"{active:.0%} of {unit} met in the 30 days to {activity.attrs['as_of']:%d %B %Y}."
               if active == active else "No meetings have been logged yet.")
    facts = [f"{len(risk)} {unit} need attention (see the at-risk list).",
             f"{int(activity['meetings'].sum())} meetings logged, {activity['minutes'].sum() / 60:.0f} hours in all."]
    if activity.attrs.get("unlinked_meetings"):
        ids = activity.attrs["unlinked_units"]
        facts.append(f"{activity.attrs['unlinked_meetings']} logged meetings name {len(ids)} {unit} that are not in "
                     f"the adopted match (such as {', '.join(ids[:3])}) and are not counted here: check the ids in "
                     "the meeting log against the agreements.")
    progress = goal_progress_table(context, raw=True)
    if progress is not None:
        facts.append(f"{progress.attainment_rate:.0%} of goals achieved so far; {len(progress.stalled)} goals "
                     "have stalled.")
    return Block(f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{bullets_html(facts)}</div>',
                 verdict)


def funnel_section(context: ReportContext) -> Block:
    return Block(table_html(engagement.funnel(context.config), caption="From eligible to completed"))


def funnel_chart(context: ReportContext):
    return charts.funnel_chart(engagement.funnel(context.config))


def activity_chart(context: ReportContext):
    return charts.monthly_chart(engagement.monthly_meetings(context.config), _unit(context))


def at_risk_units(context: ReportContext) -> Block:
    risk = engagement.at_risk(context.config)
    if not len(risk):
        return Block(f"<p>No {_unit(context)} need attention.</p>")
    return Block(table_html(risk, caption=f"{len(risk)} {_unit(context)} that need attention"))


def pulse_section(context: ReportContext) -> Block:
    """The latest pulse: mean score per construct, groups under the threshold hidden."""
    pulses = (context.config.get("surveys") or {}).get("pulses") or []
    if not pulses:
        return Block("<p>No pulse surveys were run.</p>")
    entry = pulses[-1]
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    scores = scale_scores(survey)
    rows = [{"construct": survey.instrument.label(name), "n": int(scores[name].notna().sum()),
             "mean (1-5)": round(float(scores[name].mean()), 2)} for name in survey.instrument.scored_constructs()
            if name in scores]
    table = _suppressed(pd.DataFrame(rows), context)
    return Block(table_html(table, caption=f"Latest pulse ({Path(entry['path']).stem}): {len(survey)} responses"))


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
    return Block(f"<p>{html.escape(progress.summary())}</p>"
                 + table_html(stalled[keep], caption="Stalled goals (first 25)"))


def impact_summary(context: ReportContext) -> Block:
    """End-of-programme executive summary: change, NPS, retention and ROI, from the numbers."""
    facts = []
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    verdict = "Impact at the end of the programme."
    if baseline is not None and end is not None:
        table = _suppressed(pre_post(baseline, end), context)
        better = table[(table["p_holm"] < 0.05) & (table["mean_change"] > 0) & table["higher_is_better"].astype(bool)] \
            if len(table) else table
        if len(better):
            verdict = ("Participants improved on " + ", ".join(better["label"].str.lower()) +
                       " (significant after Holm's correction).")
        elif len(table):
            verdict = "No construct changed significantly after Holm's correction; see the intervals below."
        score = nps(end.responses["NPS"]) if "NPS" in end.responses else None
        if score is not None and enough(score.n, context.min_group):
            facts.append(f"Net Promoter Score {score.score:+.0f} (95% interval {score.ci_low:+.0f} to "
                         f"{score.ci_high:+.0f}, {score.n} answers).")
    outcomes = impact.outcomes(context.config) if context.config.get("hr_outcomes") else None
    if outcomes is not None and impact.outcomes_shown(outcomes, context.min_group):
        retained = outcomes[(outcomes["outcome"] == "retained") & (outcomes["group"] == "participant")].iloc[0]
        facts.append(f"Retention {retained['rate']:.0%} among participants, {retained['difference'] * 100:+.0f} "
                     f"points against the comparison group (95% interval {retained['difference_low'] * 100:+.0f} to "
                     f"{retained['difference_high'] * 100:+.0f}); an association, not proof of cause.")
        if context.config.get("roi"):
            roi = impact.roi(context.config, outcomes_table=outcomes).set_index("item")["value"]
            facts.append(f"Return on investment {roi['ROI %']:.0f}% on the stated assumptions (benefit-cost ratio "
                         f"{roi['benefit-cost ratio']:.2f}).")
    return Block(f'<div class="tk-summary"><p class="tk-verdict">{html.escape(verdict)}</p>{bullets_html(facts)}</div>',
                 verdict)


def pre_post_section(context: ReportContext) -> Block:
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return Block("<p>Baseline and end-of-programme surveys are both needed for this section.</p>")
    table = _suppressed(pre_post(baseline, end), context)
    shown = pd.DataFrame({
        "construct": table["label"], "people (both surveys)": table["n"],
        "before": table["mean_pre"].round(2), "after": table["mean_post"].round(2),
        "change (95% CI)": [f"{row.mean_change:+.2f} ({row.ci_low:+.2f} to {row.ci_high:+.2f})"
                            for row in table.itertuples()],
        "d_z": table["d_z_corrected"].round(2), "rank-biserial r": table["rank_biserial"].round(2),
        "improved / same / declined": [f"{row.improved:.0%} / {row.same:.0%} / {row.declined:.0%}"
                                       for row in table.itertuples()],
        "p (Holm)": [f"{value:.3f}" if value >= 0.001 else "<0.001" for value in table["p_holm"]],
    })
    note = f" {table.attrs['hidden']} constructs with fewer than {context.min_group} people are not shown." \
        if table.attrs.get("hidden") else ""
    return Block(table_html(shown, caption="Change from baseline to end, people who answered both") +
                 f'<p class="tk-note">{html.escape(note)}</p>')


def pre_post_chart(context: ReportContext):
    baseline, end = _survey(context, "baseline"), _survey(context, "end")
    if baseline is None or end is None:
        return Block("")
    return charts.change_chart(_suppressed(pre_post(baseline, end), context))


def reliability_section(context: ReportContext) -> Block:
    end = _survey(context, "end")
    if end is None:
        return Block("")
    table = _suppressed(reliability(end), context)
    shown = pd.DataFrame({"construct": table["label"], "items": table["items"], "complete answers": table["n"],
                          "alpha (95% CI)": [f"{row.alpha:.2f} ({row.ci_low:.2f} to {row.ci_high:.2f})"
                                             for row in table.itertuples()],
                          "mean inter-item r": table["mean_inter_item_r"].round(2)})
    return Block(table_html(shown, caption="Reliability of each scale (end-of-programme survey)"))


def outcomes_section(context: ReportContext) -> Block:
    if not context.config.get("hr_outcomes"):
        return Block("<p>No HR outcome extract was provided.</p>")
    table = impact.outcomes(context.config)
    if not impact.outcomes_shown(table, context.min_group):
        return Block(f"<p>Fewer than {context.min_group} people in the participant or comparison group, so HR "
                     "outcomes are not shown.</p>")
    shown = pd.DataFrame({
        "outcome": table["outcome"], "group": table["group"], "people": table["people"],
        "rate (95% CI)": [f"{row.rate:.0%} ({row.ci_low:.0%} to {row.ci_high:.0%})" for row in table.itertuples()],
        "difference (95% CI)": ["" if row.difference is None or row.difference != row.difference else
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
    return charts.likert_chart(shares, "Relationship quality at the end of the programme")


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
    return Block(table_html(shown, caption=f"Themes in {themes.attrs['total']} open comments (a comment can touch "
                                       "several themes; keywords in templates/comments/codebook.yaml)")
                 + table_html(tone, caption="Tone of the comments (VADER sentiment lexicon; a rough guide only)"))


def roi_section(context: ReportContext) -> Block:
    if not context.config.get("roi") or not context.config.get("hr_outcomes"):
        return Block("<p>No ROI assumptions were given (client.yaml roi: section).</p>")
    outcomes = impact.outcomes(context.config)
    if not impact.outcomes_shown(outcomes, context.min_group):
        return Block(f"<p>Fewer than {context.min_group} people in the participant or comparison group, so the "
                     "return on investment is not shown.</p>")
    table = impact.roi(context.config, outcomes_table=outcomes)
    return Block(table_html(table, caption="Return on investment: every assumption and step")
                 + f'<p class="tk-note">{html.escape(impact.SELECTION_CAVEAT)}</p>')
