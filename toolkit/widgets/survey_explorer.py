"""SurveyExplorer: survey scale scores by group, with small groups hidden.

::

    from toolkit.widgets import SurveyExplorer
    explorer = SurveyExplorer.from_client("sample_data/northwind")
    explorer                      # pick the survey wave, the construct and the grouping

The app shows, for the chosen wave (instrument), construct and grouping, one row per
group: how many people answered, the mean score and its 95% confidence interval, and a
chart of the same. Groups with fewer respondents than the anonymity threshold
(``min_group``, from the client's privacy settings, default 5) are suppressed: their
mean is not shown and their count is shown only as "fewer than N". More groups are then
hidden by the one anonymity engine (``toolkit.privacy.hidden_rows``) until a hidden group
cannot be recovered, or shown to be small, by subtracting the others from the total.

The chart is built only from that suppressed summary: Altair embeds a chart's data in
the notebook, so no respondent row ever reaches it.

State lives in :class:`SurveyExplorerModel`; the data it works on is a table of scored
responses per wave (one row per respondent, one column per construct score, plus
grouping columns such as role, department or site).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import traitlets

from ..client import ClientConfig, load_client
from ..errors import SurveyError, check_option
from ..measure.survey import load_survey, scale_scores
from ..ledger import Ledger, Release, Row, Table
from ._base import STYLE, App, ChartOutput, ErrorPanel, frame_html

__all__ = ["SurveyExplorer", "SurveyExplorerModel", "group_summary", "group_chart", "DEFAULT_MIN_GROUP",
           "GROUPING_CANDIDATES"]

DEFAULT_MIN_GROUP = 5
NO_GROUPING = "(everyone)"
# Columns that group respondents, in the order offered (only those present are offered).
GROUPING_CANDIDATES = ("role", "department", "business_unit", "site", "region", "cohort", "job_level", "seniority",
                       "gender", "age_band", "ethnicity", "programme_role", "group")
# Columns that identify a person: never offered as a grouping, never shown.
_IDENTIFYING = {"respondent", "respondent_id", "participant_id", "email", "name", "response_id", "wave"}
SUMMARY_COLUMNS = ["group", "respondents", "mean", "ci_low", "ci_high", "shown"]


def group_summary(scores: pd.DataFrame, construct: str, by: str | None, *, min_group: int = DEFAULT_MIN_GROUP,
                  release: Release | None = None, key: str | None = None) -> pd.DataFrame:
    """Mean construct score per group, with small groups suppressed.

    Parameters
    ----------
    scores
        One row per respondent; a numeric ``construct`` column (missing = not scored).
    construct
        The construct column to summarise.
    by
        Grouping column, or None for everyone together.
    min_group
        Groups with fewer respondents (with a score) than this are suppressed.
    release
        The release the table is shown in (:class:`toolkit.ledger.Release`): groups the client's reports
        hid stay hidden, and the session's other tables hide the same groups. None: decided on its own.
    key
        What the table is, for the release ("mean career support by department").

    Returns
    -------
    DataFrame
        ``group``, ``respondents`` (text: a count, or "fewer than N"), ``mean``,
        ``ci_low``, ``ci_high`` (95% t interval; None when suppressed or n < 2) and
        ``shown`` (bool). Groups are sorted by name; the last row is "all respondents".
        Complementary suppression by the release ledger (:mod:`toolkit.ledger`): more groups are
        hidden until no hidden value follows by subtraction from the total.
    """
    if construct not in scores.columns:
        raise SurveyError(f'There is no construct "{construct}" in these survey scores.',
                          fix=f"use one of {', '.join(_construct_columns(scores))}")
    if min_group < 1:
        raise SurveyError(f"The anonymity threshold must be at least 1, not {min_group}.",
                          fix="use the client's privacy.min_group (default 5)")
    answered = scores[pd.to_numeric(scores[construct], errors="coerce").notna()].copy()
    answered[construct] = pd.to_numeric(answered[construct], errors="coerce").astype(float)
    rows = []
    if by is not None:
        if by not in scores.columns:
            raise SurveyError(f'There is no grouping column "{by}" in these survey scores.',
                              fix=f"use one of {', '.join(_grouping_columns(scores)) or 'no grouping'}")
        labels = answered[by].astype(object).where(answered[by].notna(), "(not given)").astype(str)
        for group in sorted(labels.unique()):
            rows.append((group, answered.loc[labels == group, construct].to_numpy()))
    groups = pd.DataFrame([_summary_row(group, values, min_group) for group, values in rows],
                          columns=SUMMARY_COLUMNS + ["_n"]).astype(object)
    if len(groups):
        # The one anonymity engine: small groups, then enough others that no hidden group can be
        # recovered from the total or shown to be small (ties by name: groups are sorted), and any group
        # the client's reports or this session's other tables hide.
        release = release or Ledger(None, min_group).release("survey explorer")
        rows_of = {group: answered[labels == group] for group, _ in rows}
        decision = release.publish(Table(key or f"mean {construct} by {by}", by, [
            Row(group, [str(person) for person in frame.index],
                answers={str(person): value for person, value in zip(frame.index, frame[construct])})
            for group, frame in rows_of.items()]))
        hide = np.array([not decision.shows(str(group)) for group in groups["group"]], dtype=bool)
        extra = hide & groups["shown"].astype(bool).to_numpy()
        groups.loc[extra, ["mean", "ci_low", "ci_high"]] = None
        groups.loc[extra, "shown"] = False
        groups.loc[extra, "respondents"] = "suppressed (to protect a small group)"
    total = _summary_row("all respondents", answered[construct].to_numpy(), min_group)
    total_frame = pd.DataFrame([total], columns=SUMMARY_COLUMNS + ["_n"]).astype(object)
    frame = pd.concat([groups, total_frame], ignore_index=True) if len(groups) else total_frame
    frame = frame.drop(columns="_n").astype(object)
    return frame.where(frame.notna(), None)


def _summary_row(group: str, values: np.ndarray, min_group: int) -> list:
    count = len(values)
    if count < min_group:
        return [group, f"fewer than {min_group}", None, None, None, False, count]
    mean = float(np.mean(values))
    if count >= 2:
        from scipy import stats

        half = float(stats.t.ppf(0.975, count - 1) * np.std(values, ddof=1) / math.sqrt(count))
        low, high = mean - half, mean + half
    else:
        low = high = None
    return [group, str(count), round(mean, 3), None if low is None else round(low, 3),
            None if high is None else round(high, 3), True, count]


def group_chart(summary: pd.DataFrame, construct_label: str, scale: tuple[float, float] | None = None):
    """Group means with their 95% intervals, from a suppressed summary only (Altair, not shown)."""
    import altair as alt

    shown = summary[summary["shown"].astype(bool)].copy()
    shown = pd.DataFrame({
        "group": shown["group"].astype(str), "mean": shown["mean"].astype(float),
        "ci_low": shown["ci_low"].astype(float), "ci_high": shown["ci_high"].astype(float),
        "respondents": shown["respondents"].astype(str),
        "label": "n = " + shown["respondents"].astype(str),
    })
    x_scale = alt.Scale(domain=list(scale)) if scale else alt.Scale(zero=False)
    order = list(shown["group"])
    base = alt.Chart(shown, title=f"{construct_label}: mean and 95% interval by group")
    points = base.mark_point(filled=True, size=80, color="#1c7ed6").encode(
        y=alt.Y("group:N", sort=order, title=None),
        x=alt.X("mean:Q", scale=x_scale, title=f"{construct_label} (mean)"),
        tooltip=["group:N", "respondents:N", alt.Tooltip("mean:Q", format=".2f"),
                 alt.Tooltip("ci_low:Q", format=".2f"), alt.Tooltip("ci_high:Q", format=".2f")],
    )
    intervals = base.mark_rule(color="#1c7ed6").encode(
        y=alt.Y("group:N", sort=order), x="ci_low:Q", x2="ci_high:Q")
    labels = base.mark_text(align="left", dx=8, color="#495057").encode(
        y=alt.Y("group:N", sort=order), x="ci_high:Q", text=alt.Text("label:N"))
    return alt.layer(intervals, points, labels).properties(width=420)


def _construct_columns(scores: pd.DataFrame) -> list[str]:
    return [column for column in scores.columns
            if column not in _IDENTIFYING and column not in GROUPING_CANDIDATES
            and pd.api.types.is_numeric_dtype(scores[column])]


def _grouping_columns(scores: pd.DataFrame) -> list[str]:
    return [column for column in GROUPING_CANDIDATES if column in scores.columns]


class SurveyExplorerModel(traitlets.HasTraits):
    """Which wave, construct and grouping are shown, and the suppressed summary.

    Parameters
    ----------
    waves
        Wave name -> scored responses (one row per respondent, construct columns and
        grouping columns). Identifying columns are dropped on the way in.
    labels
        Construct -> label for people (default: the name with spaces).
    min_group
        The anonymity threshold; it can be raised in the app, never lowered below this.
    """

    wave = traitlets.Unicode()
    construct = traitlets.Unicode()
    grouping = traitlets.Unicode(NO_GROUPING)
    min_group = traitlets.Int(DEFAULT_MIN_GROUP)
    summary = traitlets.Instance(pd.DataFrame, kw={"columns": SUMMARY_COLUMNS})
    revision = traitlets.Int(0)

    def __init__(self, waves: Mapping[str, pd.DataFrame], *, labels: Mapping[str, str] | None = None,
                 min_group: int = DEFAULT_MIN_GROUP, scales: Mapping[str, tuple[float, float]] | None = None,
                 client_folder: str | Path | None = None) -> None:
        super().__init__()
        if not waves:
            raise SurveyError("There are no survey waves to explore.",
                              fix="give at least one wave, e.g. {'baseline': scores}")
        # the respondent's pseudonym stays as the (never shown) index: the release ledger counts people
        self.waves = {name: (frame.set_index("respondent") if "respondent" in frame.columns else frame).drop(
            columns=[c for c in frame.columns if c in _IDENTIFYING and c != "respondent"])
            for name, frame in waves.items()}
        # one release per threshold for the whole session, read against the client's ledger (never written:
        # the studio shows, it does not send)
        self.client_folder = Path(client_folder) if client_folder is not None else None
        self._releases: dict[int, Release] = {}
        self.labels = dict(labels or {})
        self.scales = dict(scales or {})
        self.floor = int(min_group)
        self.min_group = int(min_group)
        self.wave = next(iter(self.waves))
        self.construct = (self.constructs() or [""])[0]
        self.refresh()

    def constructs(self, wave: str | None = None) -> list[str]:
        return _construct_columns(self.waves[wave or self.wave])

    def groupings(self, wave: str | None = None) -> list[str]:
        return [NO_GROUPING] + _grouping_columns(self.waves[wave or self.wave])

    def label(self, construct: str) -> str:
        return self.labels.get(construct) or construct.replace("_", " ").capitalize()

    def choose(self, *, wave: str | None = None, construct: str | None = None, grouping: str | None = None,
               min_group: int | None = None) -> None:
        """Change any of the choices (validated), then recompute the summary."""
        with self.hold_trait_notifications():
            if wave is not None:
                check_option("wave", wave, list(self.waves), SurveyError)
                self.wave = wave
                if self.construct not in self.constructs():
                    self.construct = (self.constructs() or [""])[0]
                if self.grouping not in self.groupings():
                    self.grouping = NO_GROUPING
            if construct is not None:
                check_option("construct", construct, self.constructs(), SurveyError)
                self.construct = construct
            if grouping is not None:
                check_option("grouping", grouping, self.groupings(), SurveyError)
                self.grouping = grouping
            if min_group is not None:
                if min_group < self.floor:
                    raise SurveyError(f"The anonymity threshold cannot go below the client's {self.floor}.",
                                      fix=f"use {self.floor} or more")
                self.min_group = int(min_group)
        self.refresh()

    def refresh(self) -> None:
        if not self.construct:
            self.summary = pd.DataFrame(columns=SUMMARY_COLUMNS)
        else:
            by = None if self.grouping == NO_GROUPING else self.grouping
            self.summary = group_summary(self.waves[self.wave], self.construct, by, min_group=self.min_group,
                                         release=self.release(), key=f"{self.wave}: mean {self.construct} by {by}")
        self.revision += 1

    def release(self) -> Release:
        """This session's release at the current threshold (the client's ledger history, read once)."""
        if self.min_group not in self._releases:
            ledger = Ledger.for_client(self.client_folder, self.min_group) if self.client_folder is not None \
                else Ledger(None, self.min_group)
            self._releases[self.min_group] = ledger.release("survey explorer")
        return self._releases[self.min_group]

    def chart(self):
        """The chart of the current summary (suppressed groups left out)."""
        if self.summary.empty or not self.summary["shown"].astype(bool).any():
            return None
        return group_chart(self.summary, self.label(self.construct), self.scales.get(self.construct))


def _scores_from_client(config) -> tuple[dict[str, pd.DataFrame], dict[str, str], dict]:
    """Load and score every survey wave a client.yaml names (through toolkit.survey)."""
    entries: list[tuple[str, dict]] = []
    surveys = config.get("surveys", {}) or {}
    for wave in ("baseline", "midpoint", "end", "session_feedback"):
        if surveys.get(wave):
            entries.append((wave, surveys[wave]))
    for number, entry in enumerate(surveys.get("pulses") or [], 1):
        entries.append((f"pulse {number} ({Path(entry['path']).stem})", entry))
    if not entries:
        raise SurveyError(f"{config.path.name} names no survey files.",
                          fix="add a surveys: section (baseline, pulses, midpoint, end, session_feedback)")
    waves, labels = {}, {}
    for wave, entry in entries:
        loaded = load_survey(entry["path"], instrument=entry.get("instrument"))
        scores = scale_scores(loaded)
        if isinstance(scores, pd.DataFrame):
            waves[wave] = scores.reset_index(drop=not any(name in GROUPING_CANDIDATES
                                                          for name in (scores.index.names or []) if name))
        instrument = getattr(loaded, "instrument", None)
        for construct in getattr(instrument, "constructs", {}) or {}:
            value = instrument.constructs[construct]
            label = getattr(value, "label", None) or (value.get("label") if isinstance(value, Mapping) else None)
            if label:
                labels[construct] = label
    return waves, labels, config.privacy


class SurveyExplorer(App):
    """Survey scores by wave, construct and group, with the anonymity threshold applied.

    Parameters
    ----------
    waves
        Wave name -> scored responses (see :class:`SurveyExplorerModel`).
    labels
        Construct -> label.
    min_group
        Anonymity threshold (the client's ``privacy.min_group``; default 5).
    scales
        Construct -> (lowest, highest) possible score, for the chart's axis.
    client_folder
        The client's folder: groups its release ledger records as hidden stay hidden here.
    """

    def __init__(self, waves: Mapping[str, pd.DataFrame], *, labels: Mapping[str, str] | None = None,
                 min_group: int = DEFAULT_MIN_GROUP, scales: Mapping[str, tuple[float, float]] | None = None,
                 client_folder: str | Path | None = None) -> None:
        import ipywidgets as widgets

        self.model = SurveyExplorerModel(waves, labels=labels, min_group=min_group, scales=scales,
                                         client_folder=client_folder)
        self.errors = ErrorPanel()
        guard = self.errors.guard
        model = self.model
        self.wave_picker = widgets.Dropdown(options=list(model.waves), value=model.wave, description="Survey",
                                            layout=widgets.Layout(width="360px"))
        self.construct_picker = widgets.Dropdown(description="Construct", layout=widgets.Layout(width="360px"))
        self.grouping_picker = widgets.Dropdown(description="Group by", layout=widgets.Layout(width="360px"))
        self.threshold = widgets.IntSlider(value=model.min_group, min=model.floor, max=max(20, model.floor),
                                           description="Hide groups under", style={"description_width": "120px"},
                                           layout=widgets.Layout(width="360px"), continuous_update=False)
        self._sync_options()
        self.wave_picker.observe(guard(lambda change: self._choose(wave=change["new"])), names="value")
        self.construct_picker.observe(guard(lambda change: self._choose(construct=change["new"])), names="value")
        self.grouping_picker.observe(guard(lambda change: self._choose(grouping=change["new"])), names="value")
        self.threshold.observe(guard(lambda change: self._choose(min_group=change["new"])), names="value")
        self.summary_html = widgets.HTML()
        self.chart = ChartOutput("No group is large enough to show.")
        self.view = widgets.VBox([
            widgets.HTML(STYLE + "<h3>Survey explorer</h3><p class='tk-note'>Scale scores by group. Groups with "
                         f"fewer than {model.floor} respondents are never shown (the client's anonymity "
                         "threshold); raise it with the slider for sensitive breakdowns.</p>"),
            widgets.HBox([widgets.VBox([self.wave_picker, self.construct_picker]),
                          widgets.VBox([self.grouping_picker, self.threshold])]),
            self.errors.widget,
            self.summary_html,
            self.chart.widget,
        ])
        self._updating = False
        model.observe(lambda _change: self._render(), names="revision")
        self._render()

    @classmethod
    def from_client(cls, client, **kwargs: Any) -> "SurveyExplorer":
        """Every survey wave a client.yaml names, scored with :mod:`toolkit.survey`.

        Parameters
        ----------
        client
            A :class:`~toolkit.client.ClientConfig`, or the path of a client folder or client.yaml.
        """

        config = client if isinstance(client, ClientConfig) else load_client(client)
        waves, labels, privacy = _scores_from_client(config)
        kwargs.setdefault("min_group", int(privacy.get("min_group", DEFAULT_MIN_GROUP)))
        kwargs.setdefault("client_folder", config.folder)
        return cls(waves, labels={**labels, **kwargs.pop("labels", {})}, **kwargs)

    @property
    def summary(self) -> pd.DataFrame:
        """The table shown (suppressed groups have no mean)."""
        return self.model.summary

    def _choose(self, **choice: Any) -> None:
        if self._updating:
            return
        self.errors.clear()
        self.model.choose(**choice)
        self._sync_options()

    def _sync_options(self) -> None:
        model = self.model
        self._updating = True
        try:
            self.construct_picker.options = [(model.label(name), name) for name in model.constructs()]
            self.construct_picker.value = model.construct or None
            self.grouping_picker.options = model.groupings()
            self.grouping_picker.value = model.grouping
        finally:
            self._updating = False

    def _render(self) -> None:
        model = self.model
        summary = model.summary
        hidden = int((~summary["shown"].astype(bool)).sum()) if len(summary) else 0
        shown = summary.drop(columns="shown").rename(columns={"ci_low": "95% CI low", "ci_high": "95% CI high"})
        note = (f"<p class='tk-note'>{hidden} group{'s' if hidden != 1 else ''} hidden to protect anonymity "
                f"(threshold {model.min_group}).</p>" if hidden else "")
        self.summary_html.value = STYLE + (
            f"<h4>{_esc(model.label(model.construct))}: {_esc(model.wave)}"
            f"{'' if model.grouping == NO_GROUPING else ' by ' + _esc(model.grouping.replace('_', ' '))}</h4>"
            + frame_html(shown, empty="No scores for this construct in this wave.") + note)
        self.chart.show(model.chart())


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))
