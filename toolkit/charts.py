"""Altair charts in the toolkit's one registered theme, shared by the reports and the widget apps.
Charts are returned, never shown.

The measurement charts take an already aggregated, already suppressed table (never raw answers),
so a chart's data can never reveal one person's response. :func:`readiness_chart` and
:func:`match_quality_chart` draw a readiness check and a match result.

Rules every chart follows, so a non-specialist reads it right:

- one theme (:data:`THEME`, registered with Altair once), fonts and colours in one place;
- survey answers are coloured by whether they are favourable, so a reverse-worded item
  ("Arranging our meetings feels like a chore") where most people disagreed shows as good;
- item labels are shown in full, wrapped, with the number of people who answered;
- people and pairs (or circles) are never counted on one axis;
- count axes show whole numbers with thousands separators, from 5 to 5,000.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import pandas as pd

from .design.vocabulary import CRITERIA
from .labels import label

if TYPE_CHECKING:
    import altair as alt

    from .matching.result import MatchResult
    from .measure.survey import NPS

__all__ = ["change_chart", "funnel_chart", "monthly_chart", "outcomes_chart", "likert_chart", "nps_chart",
           "readiness_chart", "match_quality_chart", "circle_sizes_chart", "part_columns", "THEME", "use_theme",
           "wrap_label"]

BLUE, GREEN, ORANGE, GREY, INK = "#1c7ed6", "#2b8a3e", "#e67700", "#868e96", "#1f2933"
# Unfavourable to favourable, for answers coloured by what they mean rather than what they say.
TONES = ["strongly unfavourable", "unfavourable", "neutral", "favourable", "strongly favourable"]
TONE_COLOURS = ["#c92a2a", "#ff8787", "#ced4da", "#74c0fc", "#1864ab"]
FONT = "DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif"
THEME_NAME = "mentoring-toolkit"
THEME = {
    "config": {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None, "continuousWidth": 420, "continuousHeight": 220},
        "title": {"anchor": "start", "fontSize": 14, "fontWeight": 600, "color": INK, "offset": 10},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleColor": INK, "labelColor": INK,
                 "labelOverlap": True, "gridColor": "#e9ecef", "domainColor": "#adb5bd", "tickColor": "#adb5bd"},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
        "header": {"labelFontSize": 12, "titleFontSize": 12},
        "range": {"category": [BLUE, ORANGE, GREEN, GREY, "#ae3ec9", "#0c8599"]},
        "bar": {"color": BLUE},
        "line": {"color": BLUE, "strokeWidth": 2},
        "point": {"color": BLUE, "size": 50},
    }
}
_registered = False


def use_theme() -> None:
    """Register the toolkit's theme once, enable it, and draw offline (never from a CDN)."""
    import altair as alt

    global _registered
    if not _registered:
        # THEME is a plain dict so that importing this module does not import altair; it is a ThemeConfig's shape.
        alt.theme.register(THEME_NAME, enable=False)(lambda: cast("alt.theme.ThemeConfig", THEME))
        _registered = True
    if alt.theme.active != THEME_NAME:
        alt.theme.enable(THEME_NAME)
    if alt.renderers.active == "default":  # Altair's default renderer loads Vega from the internet
        alt.renderers.enable("png", scale_factor=2)


def wrap_label(text: str, width: int = 38) -> str:
    """Text wrapped for an axis label; lines joined by "|" (the axes split on it)."""
    return "|".join(textwrap.wrap(str(text), width=width)) or str(text)


def _count_axis(title: str | None):
    import altair as alt

    # whole numbers only, with thousands separators: reads the same at n = 5 and n = 5,000
    return alt.Axis(title=title, format=",d", tickMinStep=1)


def _wrapped_axis():
    import altair as alt

    return alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, title=None)


def change_chart(pre_post: pd.DataFrame):
    """Mean change per construct with its 95% interval, 0 marked; labels carry n."""
    import altair as alt

    use_theme()
    data = pre_post[["label", "mean_change", "ci_low", "ci_high", "n"]].dropna(subset=["mean_change"]).copy()
    data["measure"] = [wrap_label(f"{name} (n={count:,})", 30) for name, count in zip(data["label"], data["n"])]
    base = alt.Chart(data, title="Change from baseline to end (average, with 95% range)")
    rule = base.mark_rule(color=GREY, strokeWidth=2).encode(
        y=alt.Y("measure:N", sort=None, axis=_wrapped_axis()),
        x=alt.X("ci_low:Q", title="change on the 1-5 scale (right of 0 = higher)"), x2="ci_high:Q")
    point = base.mark_circle(size=90, color=BLUE, opacity=1).encode(
        y=alt.Y("measure:N", sort=None), x="mean_change:Q",
        tooltip=["label:N", alt.Tooltip("mean_change:Q", format="+.2f"), alt.Tooltip("n:Q", format=",d")])
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=INK, strokeDash=[4, 3]).encode(x="x:Q")
    return (rule + point + zero).properties(width=420, height=max(60, 36 * len(data)))


def funnel_chart(funnel: pd.DataFrame):
    """The programme funnel: people in one chart, pairs (or circles) in another, each on its own axis."""
    import altair as alt

    use_theme()
    data = funnel.dropna(subset=["count"]).copy()
    data["unit"] = data["what it counts"].astype(str).str.split().str[0]
    data["stage"] = data["stage"].astype(str).str.capitalize()
    panels = []
    for unit, group in data.groupby("unit", sort=False):
        panels.append(
            alt.Chart(group, title=f"{unit.capitalize()} at each stage")
            .mark_bar()
            .encode(y=alt.Y("stage:N", sort=list(group["stage"]), title=None),
                    x=alt.X("count:Q", axis=_count_axis(unit)),
                    tooltip=["stage:N", alt.Tooltip("count:Q", format=",d"), "what it counts:N"])
            .properties(width=420, height=34 * len(group)))
    return alt.vconcat(*panels).resolve_scale(x="independent") if len(panels) > 1 else panels[0]


def monthly_chart(monthly: pd.DataFrame, unit: str = "pairs"):
    """Meetings logged per month, and pairs (or circles) meeting per month, in two panels."""
    import altair as alt

    use_theme()
    data = monthly[["month", "meetings", "units_meeting"]].copy()
    data["month"] = [_month_name(value) for value in data["month"]]
    angle = 0 if len(data) <= 8 else -40
    panels = []
    for field, title, colour in (("meetings", "Meetings logged each month", BLUE),
                                 ("units_meeting", f"{unit.capitalize()} that met each month", GREEN)):
        panels.append(
            alt.Chart(data, title=title).mark_line(point={"color": colour}, color=colour)
            .encode(x=alt.X("month:N", title=None, sort=None, axis=alt.Axis(labelAngle=angle)),
                    y=alt.Y(f"{field}:Q", axis=_count_axis(None)),
                    tooltip=["month:N", alt.Tooltip(f"{field}:Q", format=",d", title=label(field))])
            .properties(width=420, height=150))
    return alt.vconcat(*panels)


def _month_name(value) -> str:
    """"2026-05" (or a date or period) as "May 2026"."""
    try:
        return pd.Period(str(value)[:7], freq="M").strftime("%b %Y")
    except (ValueError, TypeError):
        return str(value)


def outcomes_chart(outcomes: pd.DataFrame):
    """Retention and promotion rates by group with 95% ranges."""
    import altair as alt

    use_theme()
    data = outcomes.copy()
    data["group"] = [label(name) for name in data["group"]]
    data["outcome"] = [label(name) for name in data["outcome"]]
    groups = [label("participant"), label("comparison")]
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X("group:N", title=None, sort=groups, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rate:Q", axis=alt.Axis(format="%"), title="share of people", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("group:N", scale=alt.Scale(domain=groups, range=[BLUE, GREY]), legend=None),
        tooltip=["outcome:N", "group:N", alt.Tooltip("rate:Q", format=".0%"), alt.Tooltip("people:Q", format=",d")])
    errors = base.mark_rule(color=INK, strokeWidth=2).encode(x=alt.X("group:N", sort=groups), y="ci_low:Q",
                                                             y2="ci_high:Q")
    return ((bars + errors).properties(width=170, height=200)
            .facet(column=alt.Column("outcome:N", title=None),
                   title="Participants and the comparison group (bars: rate; lines: 95% range)"))


def likert_chart(shares: pd.DataFrame, title: str = "Answers by item", reverse: Iterable[str] = ()):
    """Diverging stacked bars coloured by tone: unfavourable left of zero, favourable right, neutral centred.

    Parameters
    ----------
    shares
        From :func:`toolkit.measure.survey.likert_shares` (item, wording, answer, position, share, n),
        optionally with a boolean ``reverse`` column.
    title
        The chart's title.
    reverse
        Item ids worded the other way round (agreeing is unfavourable); their answers are
        turned round for colour and side, and the label says so.
    """
    import altair as alt

    use_theme()
    data = shares.copy()
    flipped = set(reverse) | (set(data.loc[data["reverse"].astype(bool), "item"]) if "reverse" in data else set())
    points = int(data["position"].max()) if len(data) else 5
    middle = (points + 1) / 2
    data["tone_position"] = [points + 1 - position if item in flipped else position
                             for item, position in zip(data["item"], data["position"])]
    data["tone"] = [_tone(position, points) for position in data["tone_position"]]
    data["left"] = 0.0
    data["right"] = 0.0
    for _, group in data.groupby("item", sort=False):
        group = group.sort_values("tone_position")
        neutral = group.loc[group["tone_position"] == middle, "share"].sum()
        start = -group.loc[group["tone_position"] < middle, "share"].sum() - neutral / 2
        for index, row in group.iterrows():
            data.loc[index, "left"] = start
            data.loc[index, "right"] = start + row["share"]
            start += row["share"]
    data["label"] = [wrap_label(f"{wording} (n={count:,})" + (" [reverse-worded: disagreeing is favourable]"
                                                              if item in flipped else ""))
                     for wording, count, item in zip(data["wording"], data["n"], data["item"])]
    tones = [tone for tone in TONES if tone in set(data["tone"])]
    colours = [TONE_COLOURS[TONES.index(tone)] for tone in tones]
    lines = max((text.count("|") + 1 for text in data["label"]), default=1)
    return (alt.Chart(data, title=title).mark_bar()
            .encode(y=alt.Y("label:N", sort=None, axis=_wrapped_axis()),
                    x=alt.X("left:Q", title="share of answers (left of 0 unfavourable, right favourable)",
                            axis=alt.Axis(format="%")), x2="right:Q",
                    color=alt.Color("tone:N", sort=tones, title=None, scale=alt.Scale(domain=tones, range=colours)),
                    tooltip=["wording:N", "answer:N", "tone:N", alt.Tooltip("share:Q", format=".0%"),
                             alt.Tooltip("n:Q", format=",d")])
            .properties(width=420, height=max(60, 16 * lines * data["item"].nunique())))


def _tone(position: int, points: int) -> str:
    middle = (points + 1) / 2
    if position == middle:
        return "neutral"
    if position < middle:
        return "strongly unfavourable" if position == 1 else "unfavourable"
    return "strongly favourable" if position == points else "favourable"


def nps_chart(result: NPS) -> alt.Chart:
    """Promoters, passives and detractors as one stacked bar, with the score in the title."""
    import altair as alt

    use_theme()
    data = pd.DataFrame({"group": ["detractors (0-6)", "passives (7-8)", "promoters (9-10)"],
                         "share": [result.detractors / 100, result.passives / 100, result.promoters / 100],
                         "order": [0, 1, 2]})
    return (alt.Chart(data, title=f"Net Promoter Score {result.score:+.0f} ({result.n:,} answers)")
            .mark_bar().encode(x=alt.X("share:Q", stack="zero", axis=alt.Axis(format="%"), title=None),
                               color=alt.Color("group:N", sort=list(data["group"]), title=None,
                                               scale=alt.Scale(range=[TONE_COLOURS[0], TONE_COLOURS[2], GREEN])),
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

    use_theme()
    table = readiness.segments["department"].copy()
    table["department"] = table["department"].astype(str)
    table["needed"] = table["mentees"]
    order = table.sort_values(["coverage", "department"])["department"].tolist()
    long = table.melt(id_vars=["department", "coverage"], value_vars=["places", "needed"],
                      var_name="measure", value_name="count")
    long["measure"] = long["measure"].map({"places": "mentor places", "needed": "mentees"})
    return (
        alt.Chart(long, title="Mentor places and mentees by department (tightest first)")
        .mark_bar()
        .encode(
            y=alt.Y("department:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("count:Q", axis=_count_axis("places or mentees")),
            color=alt.Color("measure:N", title=None,
                            scale=alt.Scale(domain=["mentees", "mentor places"], range=[ORANGE, BLUE])),
            tooltip=["department:N", "measure:N", alt.Tooltip("count:Q", format=",d"),
                     alt.Tooltip("coverage:Q", format=".0%")],
        )
        .properties(width=420)
    )


def part_columns(result: MatchResult) -> list[str]:
    """The criterion columns of a match result's pairs table (the points each criterion gave)."""
    known = set(CRITERIA) | set(result.design.criteria)
    return [column for column in result.pairs.columns if column in known]


def circle_sizes_chart(sizes: pd.DataFrame):
    """Members per circle (columns circle_id, members)."""
    import altair as alt

    use_theme()
    return (alt.Chart(sizes, title="Members per circle").mark_bar()
            .encode(x=alt.X("circle_id:N", title="circle", axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("members:Q", axis=_count_axis("members")))
            .properties(width=420, height=200))


def match_quality_chart(result: MatchResult) -> alt.HConcatChart | alt.Chart | None:
    """Score distribution and each criterion's average contribution (Altair, not shown).

    Returns ``None`` for circle results and empty matches.
    """
    import altair as alt

    if result.shape == "circles" or result.pairs is None or len(result.pairs) == 0:
        return None
    use_theme()
    pairs = result.pairs
    parts = part_columns(result)
    scores = pd.DataFrame({"score": pairs["score"].astype(float)})
    histogram = (
        alt.Chart(scores, title="Match scores")
        .mark_bar()
        .encode(x=alt.X("score:Q", bin=alt.Bin(maxbins=20), title="match score", axis=alt.Axis(format=".1f")),
                y=alt.Y("count():Q", axis=_count_axis("pairs")))
        .properties(width=260, height=200)
    )
    if not parts:
        return histogram
    contribution = pd.DataFrame({
        "criterion": parts,
        "label": [label(part) for part in parts],
        "mean points": [float(pairs[part].astype(float).mean()) for part in parts],
        "weight": [float(result.design.criteria[part]) if part in result.design.criteria else 0.0 for part in parts],
    })
    bars = (
        alt.Chart(contribution, title="Average points per priority")
        .mark_bar(color=GREEN)
        .encode(y=alt.Y("label:N", sort="-x", title=None),
                x=alt.X("mean points:Q", title="points per pair"),
                tooltip=["label:N", alt.Tooltip("mean points:Q", format=".2f"), "weight:Q"])
        .properties(width=260, height=200)
    )
    return alt.hconcat(histogram, bars)
