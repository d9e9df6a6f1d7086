"""Altair charts for measurement, in the toolkit's colours. Charts are returned, never shown.

Each function takes an already aggregated, already suppressed table (never raw answers),
so a chart's data can never reveal one person's response.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["change_chart", "funnel_chart", "monthly_chart", "outcomes_chart"]

BLUE, GREEN, ORANGE, GREY = "#1c7ed6", "#2b8a3e", "#e67700", "#868e96"


def change_chart(pre_post: pd.DataFrame):
    """Mean change per construct with its confidence interval (0 marked)."""
    import altair as alt

    data = pre_post[["label", "mean_change", "ci_low", "ci_high", "n"]].dropna(subset=["mean_change"])
    base = alt.Chart(data, title="Change from baseline to end (mean, 95% interval)")
    rule = base.mark_rule(color=GREY).encode(y=alt.Y("label:N", title=None, sort=None),
                                             x=alt.X("ci_low:Q", title="change on the 1-5 scale"), x2="ci_high:Q")
    point = base.mark_circle(size=90, color=BLUE).encode(
        y=alt.Y("label:N", sort=None), x="mean_change:Q",
        tooltip=["label:N", alt.Tooltip("mean_change:Q", format=".2f"), "n:Q"])
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#495057", strokeDash=[4, 3]).encode(x="x:Q")
    return (rule + point + zero).properties(width=420, height=max(60, 28 * len(data)))


def funnel_chart(funnel: pd.DataFrame):
    """The programme funnel as horizontal bars, stages in order."""
    import altair as alt

    data = funnel.dropna(subset=["count"])
    return (alt.Chart(data, title="Programme funnel").mark_bar(color=BLUE)
            .encode(y=alt.Y("stage:N", sort=list(data["stage"]), title=None), x=alt.X("count:Q", title="count"),
                    tooltip=["stage:N", "count:Q", "what it counts:N"])
            .properties(width=420, height=30 * len(data)))


def monthly_chart(monthly: pd.DataFrame, unit: str = "pairs"):
    """Meetings logged and pairs (or circles) meeting, per month."""
    import altair as alt

    long = monthly.melt("month", ["meetings", "units_meeting"], var_name="measure", value_name="count")
    long["measure"] = long["measure"].map({"meetings": "meetings logged", "units_meeting": f"{unit} meeting"})
    return (alt.Chart(long, title="Activity by month").mark_line(point=True)
            .encode(x=alt.X("month:N", title=None), y=alt.Y("count:Q", title=None),
                    color=alt.Color("measure:N", title=None, scale=alt.Scale(range=[BLUE, GREEN])))
            .properties(width=420, height=200))


def outcomes_chart(outcomes: pd.DataFrame):
    """Retention and promotion rates by group with Wilson intervals."""
    import altair as alt

    base = alt.Chart(outcomes, title="Retention and promotion: participants and comparison group")
    bars = base.mark_bar().encode(
        x=alt.X("group:N", title=None), y=alt.Y("rate:Q", axis=alt.Axis(format="%"), title="rate"),
        color=alt.Color("group:N", scale=alt.Scale(domain=["participant", "comparison"], range=[BLUE, GREY]),
                        legend=None))
    errors = base.mark_rule(color="#212529").encode(x="group:N", y="ci_low:Q", y2="ci_high:Q")
    return (bars + errors).properties(width=140, height=200).facet(column=alt.Column("outcome:N", title=None))
