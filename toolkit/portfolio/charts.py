"""The portfolio report's chart: every programme's completion by start month, with the yearly middle."""

from __future__ import annotations

import pandas as pd

from ..charts import BLUE, GREEN, use_theme
from .compare import trends

__all__ = ["completion_chart"]


def completion_chart(programmes: pd.DataFrame):
    """Each programme's completion as a point (hollow when generated), and the median of each start year."""
    import altair as alt

    use_theme()
    data = programmes[pd.to_numeric(programmes["completion_rate"], errors="coerce").notna()
                      & programmes["start_month"].notna()].copy()
    data["started"] = pd.to_datetime(data["start_month"] + "-01")
    data["kind of entry"] = ["generated example" if origin == "generated" else "client" for origin in data["origin"]]
    points = (alt.Chart(data).mark_point(size=60, color=BLUE)
              .encode(x=alt.X("started:T", title="Start", axis=alt.Axis(format="%Y")),
                      y=alt.Y("completion_rate:Q", title="Completion", axis=alt.Axis(format="%"),
                              scale=alt.Scale(domain=[0, 1])),
                      shape=alt.Shape("kind of entry:N", legend=alt.Legend(title=None, orient="bottom")),
                      fill=alt.condition(alt.datum["kind of entry"] == "client", alt.value(BLUE), alt.value("white"))))
    yearly = trends(data)
    yearly = yearly[yearly["completion_rate"].notna()].assign(
        started=lambda frame: pd.to_datetime(frame["year"].astype(str) + "-07-01"))
    line = (alt.Chart(yearly).mark_line(color=GREEN, point={"color": GREEN})
            .encode(x="started:T", y="completion_rate:Q",
                    tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("programmes:Q", title="Programmes"),
                             alt.Tooltip("completion_rate:Q", title="Median completion", format=".0%")]))
    return (points + line).properties(width=460, height=220,
                                      title="Completion by start (line: the middle programme of each year)")
