"""Altair charts in the toolkit's colours, shared by the reports and the widget apps. Charts are
returned, never shown.

The measurement charts take an already aggregated, already suppressed table (never raw answers),
so a chart's data can never reveal one person's response. :func:`readiness_chart` and
:func:`match_quality_chart` draw a readiness check and a match result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .design.vocabulary import CRITERIA

if TYPE_CHECKING:
    import altair as alt

__all__ = ["change_chart", "funnel_chart", "monthly_chart", "outcomes_chart", "likert_chart", "nps_chart",
           "readiness_chart", "match_quality_chart", "part_columns"]

BLUE, GREEN, ORANGE, GREY = "#1c7ed6", "#2b8a3e", "#e67700", "#868e96"


def _offline(alt) -> None:
    """Draw charts as images in notebooks, never from a CDN (Altair's default renderer loads Vega online)."""
    if alt.renderers.active == "default":
        alt.renderers.enable("png", scale_factor=2)


def change_chart(pre_post: pd.DataFrame):
    """Mean change per construct with its confidence interval (0 marked)."""
    import altair as alt

    _offline(alt)

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

    _offline(alt)

    data = funnel.dropna(subset=["count"])
    return (alt.Chart(data, title="Programme funnel").mark_bar(color=BLUE)
            .encode(y=alt.Y("stage:N", sort=list(data["stage"]), title=None), x=alt.X("count:Q", title="count"),
                    tooltip=["stage:N", "count:Q", "what it counts:N"])
            .properties(width=420, height=30 * len(data)))


def monthly_chart(monthly: pd.DataFrame, unit: str = "pairs"):
    """Meetings logged and pairs (or circles) meeting, per month."""
    import altair as alt

    _offline(alt)

    long = monthly.melt("month", ["meetings", "units_meeting"], var_name="measure", value_name="count")
    long["measure"] = long["measure"].map({"meetings": "meetings logged", "units_meeting": f"{unit} meeting"})
    return (alt.Chart(long, title="Activity by month").mark_line(point=True)
            .encode(x=alt.X("month:N", title=None), y=alt.Y("count:Q", title=None),
                    color=alt.Color("measure:N", title=None, scale=alt.Scale(range=[BLUE, GREEN])))
            .properties(width=420, height=200))


def outcomes_chart(outcomes: pd.DataFrame):
    """Retention and promotion rates by group with Wilson intervals."""
    import altair as alt

    _offline(alt)

    base = alt.Chart(outcomes)
    bars = base.mark_bar().encode(
        x=alt.X("group:N", title=None), y=alt.Y("rate:Q", axis=alt.Axis(format="%"), title="rate"),
        color=alt.Color("group:N", scale=alt.Scale(domain=["participant", "comparison"], range=[BLUE, GREY]),
                        legend=None))
    errors = base.mark_rule(color="#212529").encode(x="group:N", y="ci_low:Q", y2="ci_high:Q")
    return ((bars + errors).properties(width=140, height=200)
            .facet(column=alt.Column("outcome:N", title=None),
                   title="Retention and promotion: participants and comparison group (95% intervals)"))


def likert_chart(shares: pd.DataFrame, title: str = "Answers by item"):
    """Diverging stacked bars: disagreement left of zero, agreement right, the neutral answer centred."""
    import altair as alt

    _offline(alt)

    data = shares.copy()
    middle = (data["position"].max() + 1) / 2 if len(data) else 3
    data["left"] = 0.0
    data["right"] = 0.0
    for item, group in data.groupby("item", sort=False):
        group = group.sort_values("position")
        neutral = group.loc[group["position"] == middle, "share"].sum()
        start = -group.loc[group["position"] < middle, "share"].sum() - neutral / 2
        for index, row in group.iterrows():
            data.loc[index, "left"] = start
            data.loc[index, "right"] = start + row["share"]
            start += row["share"]
    short = data["wording"].map(lambda text: text if len(text) <= 48 else text[:46].rstrip() + "…")
    data["label"] = short + " (n=" + data["n"].astype(str) + ")"
    answers = list(dict.fromkeys(data.sort_values("position")["answer"]))
    palette = ["#c92a2a", "#ff8787", "#ced4da", "#74c0fc", "#1c7ed6"][: len(answers)] if len(answers) <= 5 else None
    color = alt.Color("answer:N", sort=answers, title=None,
                      scale=alt.Scale(domain=answers, range=palette) if palette else alt.Undefined)
    return (alt.Chart(data, title=title).mark_bar()
            .encode(y=alt.Y("label:N", title=None, sort=None), x=alt.X("left:Q", title="share of answers",
                                                                      axis=alt.Axis(format="%")), x2="right:Q",
                    color=color, tooltip=["wording:N", "answer:N", alt.Tooltip("share:Q", format=".0%"), "n:Q"])
            .properties(width=420, height=max(60, 26 * data["item"].nunique())))


def nps_chart(result) -> "alt.Chart":
    """Promoters, passives and detractors as one stacked bar, with the score in the title."""
    import altair as alt

    _offline(alt)

    data = pd.DataFrame({"group": ["detractors (0-6)", "passives (7-8)", "promoters (9-10)"],
                         "share": [result.detractors / 100, result.passives / 100, result.promoters / 100],
                         "order": [0, 1, 2]})
    return (alt.Chart(data, title=f"Net Promoter Score {result.score:+.0f} (n = {result.n})")
            .mark_bar().encode(x=alt.X("share:Q", stack="zero", axis=alt.Axis(format="%"), title=None),
                               color=alt.Color("group:N", sort=list(data["group"]), title=None,
                                               scale=alt.Scale(range=["#c92a2a", "#ced4da", "#2b8a3e"])),
                               order="order:Q", tooltip=["group:N", alt.Tooltip("share:Q", format=".0%")])
            .properties(width=420, height=50))


def readiness_chart(readiness):
    """Mentor places against mentee demand per department (an Altair chart, not shown).

    Parameters
    ----------
    readiness : Readiness
        From :meth:`Roster.readiness`.

    Returns
    -------
    altair.Chart
        Grouped bars: for each department, the places mentors offer and the places its
        mentees need; departments sorted by coverage, tightest first.
    """
    import altair as alt

    table = readiness.segments["department"].copy()
    table["department"] = table["department"].astype(str)
    table["needed"] = table["mentees"]
    order = table.sort_values(["coverage", "department"])["department"].tolist()
    long = table.melt(id_vars=["department", "coverage"], value_vars=["places", "needed"],
                      var_name="measure", value_name="count")
    long["measure"] = long["measure"].map({"places": "mentor places", "needed": "mentees"})
    return (
        alt.Chart(long, title="Mentor places and mentees by department")
        .mark_bar()
        .encode(
            y=alt.Y("department:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("count:Q", title="people"),
            color=alt.Color("measure:N", title=None,
                            scale=alt.Scale(domain=["mentees", "mentor places"], range=["#e67700", "#1c7ed6"])),
            tooltip=["department:N", "measure:N", "count:Q", alt.Tooltip("coverage:Q", format=".0%")],
        )
        .properties(width=420)
    )


def part_columns(result) -> list[str]:
    """The criterion columns of a match result's pairs table (the points each criterion gave)."""
    known = set(CRITERIA) | set(result.design.criteria)
    return [column for column in result.pairs.columns if column in known]


def match_quality_chart(result):
    """Score distribution and each criterion's average contribution (Altair, not shown).

    Returns ``None`` for circle results and empty matches.
    """
    import altair as alt

    if result.shape == "circles" or result.pairs is None or len(result.pairs) == 0:
        return None
    pairs = result.pairs
    parts = part_columns(result)
    scores = pd.DataFrame({"score": pairs["score"].astype(float)})
    histogram = (
        alt.Chart(scores, title="Pair scores")
        .mark_bar(color="#1c7ed6")
        .encode(x=alt.X("score:Q", bin=alt.Bin(maxbins=20), title="score"),
                y=alt.Y("count():Q", title="pairs"))
        .properties(width=260, height=200)
    )
    if not parts:
        return histogram
    contribution = pd.DataFrame({
        "criterion": parts,
        "mean points": [float(pairs[part].astype(float).mean()) for part in parts],
        "weight": [float(result.design.criteria[part]) if part in result.design.criteria else 0.0 for part in parts],
    })
    bars = (
        alt.Chart(contribution, title="Average points per criterion")
        .mark_bar(color="#2b8a3e")
        .encode(y=alt.Y("criterion:N", sort="-x", title=None),
                x=alt.X("mean points:Q", title="points per pair"),
                tooltip=["criterion:N", alt.Tooltip("mean points:Q", format=".2f"), "weight:Q"])
        .properties(width=260, height=200)
    )
    return alt.hconcat(histogram, bars)
