"""Sections of the impact report an evaluator checks: the Phillips ROI, the evidence panel, Kirkpatrick's levels.

The ROI section shows the fully loaded costs, the isolation method by name, every estimate at the
low, central and high end of its interval, the most conservative one as the headline (only when every
estimate agrees in sign) and the intangibles, never turned into money. The evidence panel puts the
client's figures beside only the published figures of :data:`toolkit.reports.evidence.PUBLISHED`, each
with its source, population and what it measured, and says so when nothing compares.
"""

from __future__ import annotations

import html

import pandas as pd

from ..measure import impact
from ..measure.survey import load_survey, nps, pre_post
from ..privacy import enough
from ..text import join_words, plural
from .context import Block, ReportContext, bullets_html, table_html
from .evidence import PUBLISHED, comparable
from .releases import hr_outcomes_shown

__all__ = ["roi_analysis", "roi_headline", "roi_section", "evidence_panel", "levels_section"]

_END_WORDS = ("low", "central", "high")


def roi_analysis(context: ReportContext) -> tuple[impact.RoiAnalysis | None, str]:
    """The client's ROI, or None with the reason it is not shown (no settings, no extract, too few people)."""
    config = context.config
    if not config.get("roi") or not config.get("hr_outcomes"):
        return None, "No return-on-investment assumptions were given."
    if not hr_outcomes_shown(context):
        return None, (f"Fewer than {context.min_group} people in the participant or comparison group, or too few "
                      "changes since an earlier report, so the return on investment is not shown.")
    return context.once("return on investment", lambda: impact.roi(config, min_group=context.min_group)), ""


def _percent(value: float) -> str:
    return f"{value:+,.0%}"


def _range_words(analysis: impact.RoiAnalysis) -> str:
    count = len(analysis.values)
    return (f"the {count} estimates run from {_percent(min(analysis.values))} to {_percent(max(analysis.values))}"
            if count > 1 else f"the estimate is {_percent(analysis.values[0])}")


_METHOD_NOUNS = {"comparison group": "a comparison group", "participants' estimates": "participants' estimates",
                 "trend": "the earlier trend"}


def _methods_words(analysis: impact.RoiAnalysis) -> str:
    return join_words([_METHOD_NOUNS[method.method] for method in analysis.methods])


def roi_headline(context: ReportContext) -> tuple[str, list[str]]:
    """The ROI sentence for the executive page and what to do about it: a figure as the headline only when every
    estimate lies on one side of zero, and then the most conservative one."""
    analysis, reason = roi_analysis(context)
    if analysis is None:
        return reason, []
    if analysis.verdict == "not calculated":
        return ("The return on investment is not calculated yet: the costs or the baseline it needs are not all "
                "stated.", ["Add the missing return-on-investment settings the Return on investment section lists."])
    headline = analysis.headline  # None only when "not calculated"
    if analysis.verdict == "positive" and headline is not None:
        return (f"Return on investment of at least {_percent(headline)}, the most conservative estimate "
                f"({_range_words(analysis)}; effect isolated by {_methods_words(analysis)}), against a fully loaded "
                f"cost of {context.money(analysis.cost)}.", [])
    if analysis.verdict == "negative":
        return (f"On the stated assumptions the programme did not pay for itself through retention alone: "
                f"{_range_words(analysis)}.", ["Decide whether the benefits not counted in money justify the cost."])
    method = analysis.methods[0]
    against = ("the comparison group's" if method.method == "comparison group"
               else f"the expected {impact.assumptions(context.config)[0].expected_retention:.0%}")
    raw = method.improvement if method.adjustment is None else tuple(value / method.adjustment
                                                                     for value in method.improvement)
    sentence = (f"It is not yet possible to tell whether the programme paid for itself through retention: "
                f"{_range_words(analysis)}. It breaks even if participants' retention is "
                f"{analysis.break_even * 100:.1f} points or more above {against}; the data put the difference between "
                f"{raw[0] * 100:+.1f} and {raw[2] * 100:+.1f} points.")
    factor = analysis.people_needed_factor()
    if factor is not None:
        advice = (f"To settle the return, follow these groups for longer or widen the comparison: with about "
                  f"{max(factor, 1.1):.1f} times as many people in each group, the range would clear break-even if "
                  "the difference holds at its current size.")
    else:
        advice = "To settle the return, follow these groups for longer or add a comparison group of similar colleagues."
    return sentence, [advice]


def roi_section(context: ReportContext) -> Block:
    """Return on investment by the Phillips principles: verdict, range, costs, steps and intangibles."""
    analysis, reason = roi_analysis(context)
    if analysis is None:
        return Block(f"<p>{html.escape(reason)}</p>")
    verdict, _ = roi_headline(context)
    parts = [f"<p>{html.escape(verdict)}</p>"]
    if analysis.missing:
        needed = join_words([line.split(":")[0].replace("_", " ") for line in analysis.missing])
        text = (f"Not yet stated: {needed}. Your consultant adds them (the technical appendix lists the settings) "
                "and runs the report again.")
        parts.append(f"<p>{html.escape(text)}</p>")
    if analysis.methods and not analysis.missing:
        parts.append(_isolation_block(analysis))
        parts.append(table_html(_range_table(context, analysis), caption="Every estimate of the return (Kirkpatrick "
                                                                          "and Phillips level 5)"))
    parts.append(table_html(_cost_table(context, analysis), caption="Costs, fully loaded"))
    if analysis.methods and not analysis.missing:
        parts.append(table_html(_steps_table(context, analysis), caption="The central calculation, every assumption "
                                                                          "and step"))
    parts.append("<p><strong>Benefits not converted to money</strong> (reported, never priced):</p>"
                 + bullets_html(_intangibles(context, analysis)))
    years = _years(context)
    until = (f"Benefits count the first {'year' if years == 1 else plural(years, 'year')} only, to "
             f"{analysis.benefit_until:%d %B %Y}; " if analysis.benefit_until else "")
    parts.append(f'<p class="tk-note">{html.escape(until)}the retention difference is an association (see Retention '
                 "and promotion); your consultant can change any assumption and run the report again.</p>")
    return Block("".join(parts), verdict)


def _years(context: ReportContext) -> float:
    years = impact.assumptions(context.config)[0].benefit_years
    return int(years) if float(years).is_integer() else years


def _isolation_block(analysis: impact.RoiAnalysis) -> str:
    first, *others = analysis.methods
    text = (f"How the programme's effect was isolated: by {_METHOD_NOUNS[first.method]}, "
            f"{impact.ISOLATION_METHODS[first.method]}.")
    if others:
        text += (" Also computed, as the data allow: " + "; ".join(
            f"{method.method}, {impact.ISOLATION_METHODS[method.method]}" for method in others)
            + ". The headline takes the most conservative of them all.")
    if analysis.estimates is not None and any(method.adjustment is not None for method in analysis.methods):
        estimates = analysis.estimates
        text += (f" {estimates['people']} participants put on average {estimates['contribution']:.0%} of their change "
                 f"down to the programme, with {estimates['confidence']:.0%} confidence; each estimate was multiplied "
                 f"by its confidence, leaving {estimates['adjustment']:.0%}.")
    return f"<p>{html.escape(text)}</p>"


def _range_table(context: ReportContext, analysis: impact.RoiAnalysis) -> pd.DataFrame:
    rows = []
    for method in analysis.methods:
        for position, end in enumerate(_END_WORDS):
            rows.append({"isolation method": method.method, "end of its range": end,
                         "retention points put down to the programme": f"{method.improvement[position] * 100:+.1f}",
                         "benefit": context.money(method.benefit[position]), "cost": context.money(analysis.cost),
                         "return on investment": _percent(method.roi[position])
                         + (" (headline)" if method.roi[position] == analysis.headline
                            and analysis.verdict == "positive" else "")})
    return pd.DataFrame(rows)


def _cost_table(context: ReportContext, analysis: impact.RoiAnalysis) -> pd.DataFrame:
    costs = analysis.costs
    total = pd.DataFrame([{"item": "Total", "amount": float(costs["amount"].sum()), "how": ""}])
    shown = pd.concat([costs, total], ignore_index=True)
    return shown.assign(amount=[context.money(value) for value in shown["amount"]]).rename(
        columns={"how": "how it was worked out"})


def _steps_table(context: ReportContext, analysis: impact.RoiAnalysis) -> pd.DataFrame:
    steps = analysis.steps.copy()
    money_rows = {"average salary", "value of one leaver avoided", "cost (fully loaded)"}
    shown = []
    for item, value in zip(steps["item"], steps["value"]):
        if item in money_rows or item.startswith("benefit ("):
            shown.append(context.money(value))
        elif item in ("replacement cost share of salary", "contribution x confidence",
                      "expected retention without the programme"):
            shown.append(f"{value:.0%}")
        elif item.startswith("retention points"):
            shown.append(f"{value * 100:+.1f} points")
        elif item == "ROI %":
            shown.append(f"{value:+,.0f}%")
        elif isinstance(value, float) and not float(value).is_integer():
            shown.append(f"{value:,.2f}")
        elif isinstance(value, (int, float)):
            shown.append(f"{int(value):,}")
        else:
            shown.append(str(value))
    steps["value"] = shown
    steps["item"] = steps["item"].replace({"ROI %": "return on investment"})
    return steps


def _intangibles(context: ReportContext, analysis: impact.RoiAnalysis) -> list[str]:
    """What the programme shows beyond money: the client's own list, then what the report measured."""
    items = [f"{item[:1].upper()}{item[1:]} (from the programme team)." for item in analysis.intangibles]
    change = _change(context)
    if change is not None and len(change):
        better = change[change["clear"].astype(bool) & ((change["mean_change"] > 0)
                                                        == change["higher_is_better"].astype(bool))]
        better = better[[enough(n, context.min_group) for n in better["n"]]]
        for row in better.itertuples():
            items.append(f"{row.label} rose by {row.mean_change:+.2f} on a 1-5 scale "
                         f"({impact.kirkpatrick(row.construct)}).")
    promoted = impact.outcomes(context.config, comparison=False)
    promoted = promoted[(promoted["outcome"] == "promoted") & (promoted["group"] == "participant")]
    if len(promoted) and promoted["difference"].notna().all():
        row = promoted.iloc[0]
        items.append(f"Promotion: {row['difference'] * 100:+.1f} points against the comparison group "
                     f"({impact.kirkpatrick('promoted')}; an association).")
    items.append("Mentors' own development and the networks pairs build across teams (not measured in money).")
    return items


def _change(context: ReportContext) -> pd.DataFrame | None:
    waves = [context.config.survey(wave) for wave in ("baseline", "end")]
    if not all(waves):
        return None
    baseline, end = (load_survey(wave["path"], instrument=wave["instrument"]) for wave in waves)
    return pre_post(baseline, end)


def evidence_panel(context: ReportContext) -> Block:
    """The client's figures beside comparable published ones only, each with its source, population and what it
    measured; a sentence and no figure when nothing compares."""
    found = comparable(context.config, context.roster, context.min_group)
    if not len(found):
        return Block("<p>Nothing this programme measured has a published figure measured the same way, so no "
                     "published figure is shown beside it; the reviews above are cited in words only.</p>")
    published = {entry.key: entry for entry in PUBLISHED}
    rows = []
    for row in found.itertuples():
        entry = published[row.key]
        rows.append({"what": entry.measured, "this programme": row.client, "published": entry.statistic,
                     "population": entry.population, "source (as read)": f"{entry.source}; read: {entry.read}"})
    note = ("Published correlations are corrected for measurement error and pooled over many programmes; this "
            "programme's is a plain correlation, which tends to be smaller. Read the two as a check on direction and "
            "rough size, not as a test.")
    return Block(table_html(pd.DataFrame(rows), caption="This programme beside published research")
                 + f'<p class="tk-note">{html.escape(note)}</p>')


def levels_section(context: ReportContext) -> Block:
    """Every measure in the impact report by Kirkpatrick's level (and Phillips' fifth, ROI), with its result."""
    rows = []
    end = context.config.survey("end")
    if end:
        survey = load_survey(end["path"], instrument=end["instrument"])
        if "NPS" in survey.responses:
            score = nps(survey.responses["NPS"])
            if enough(score.n, context.min_group):
                rows.append(("Net Promoter Score", impact.kirkpatrick("nps"),
                             f"{score.score:+.0f} ({score.n} answers)"))
    change = _change(context)
    if change is not None and len(change):
        for row in change.itertuples():
            if enough(row.n, context.min_group):
                rows.append((row.label, impact.kirkpatrick(row.construct),
                             f"{row.mean_change:+.2f} on a 1-5 scale ({'clear' if row.clear else 'not yet clear'})"))
    if context.config.get("hr_outcomes"):
        outcomes = impact.outcomes(context.config, comparison=False)
        if impact.outcomes_shown(outcomes, context.min_group):
            for row in outcomes[outcomes["group"] == "participant"].itertuples():
                detail = (f"{row.difference * 100:+.0f} points against the comparison group"
                          if row.difference == row.difference and row.difference is not None
                          else f"{row.rate:.0%} of participants")
                rows.append(({"retained": "Retention", "promoted": "Promotion"}[row.outcome],
                             impact.kirkpatrick(row.outcome), detail))
    if context.config.get("roi"):
        rows.append(("Return on investment", impact.kirkpatrick("roi"), "see Return on investment"))
    table = pd.DataFrame(rows, columns=["measure", "level", "result"])
    order = {f"level {number}": number for number in range(1, 6)}
    table = table.assign(order=[order.get(level.split(",")[0], 9) for level in table["level"]]).sort_values(
        ["order"], kind="stable").drop(columns="order")
    return Block(table_html(table, caption="What this report measures, by Kirkpatrick's levels (1 reaction, 2 "
                                         "learning, 3 behaviour, 4 results) and ROI"))
