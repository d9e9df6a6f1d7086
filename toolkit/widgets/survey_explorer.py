"""SurveyExplorer: survey scale scores by group, before and after, with small groups hidden.

::

    from toolkit.widgets import SurveyExplorer
    explorer = SurveyExplorer.from_client("sample_data/northwind")
    explorer                      # pick the survey wave, the construct, the grouping, a wave to compare with

The app shows, for the chosen wave (instrument), construct and grouping, one row per
group: how many people answered, the mean score and its 95% confidence interval, and a
chart of the same, drawn as wide as its panel. With an earlier wave to compare with, it shows
instead the change in the same people (those who answered both): their mean before and after,
the change and its 95% interval (:func:`change_summary`, :func:`change_chart`). Groups are any
attribute the client's sign-up file holds for the respondents (department, site, gender, age
band, cohort...: :func:`attach_attributes`) of which at least one group is large enough to show. Groups
with fewer respondents than the anonymity threshold (``min_group``, from the client's privacy settings,
default 5) are suppressed: their mean is not shown and their count is shown only as "fewer than N". More groups are then
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
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import traitlets

from ..client import ClientConfig, load_client
from ..errors import SurveyError, check_option
from ..labels import label
from ..ledger import Ledger, Release, Row, Table
from ..measure.survey import DEFAULT_SALT, load_survey, pseudonym, scale_scores
from ..privacy import hidden_rows
from ._base import STYLE, App, ChartOutput, ErrorPanel, heading, prepared, table_html

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["SurveyExplorer", "SurveyExplorerModel", "attach_attributes", "change_chart", "change_summary",
           "group_summary", "group_chart", "DEFAULT_MIN_GROUP", "GROUPING_CANDIDATES"]

DEFAULT_MIN_GROUP = 5
NO_GROUPING = "(everyone)"
NO_COMPARISON = ""
# Columns that group respondents, in the order offered (only those present, with a group large enough to
# show, are offered). Never names, ids, emails, managers or free text.
GROUPING_CANDIDATES = ("role", "department", "business_unit", "team", "site", "region", "cohort", "job_level",
                       "seniority", "gender", "age_band", "ethnicity", "programme_role", "group")
# Survey waves as the explorer names them.
WAVE_WORDS = {"baseline": "Baseline (before the programme)", "midpoint": "Mid-point", "end": "End of programme",
              "session_feedback": "Session feedback"}
CHANGE_COLUMNS = ["group", "people", "before", "after", "change", "ci_low", "ci_high", "shown"]
# Columns that identify a person: never offered as a grouping, never shown.
_IDENTIFYING = {"respondent", "respondent_id", "participant_id", "email", "name", "response_id", "wave"}
SUMMARY_COLUMNS = ["group", "respondents", "mean", "ci_low", "ci_high", "shown"]
CHART_WIDTH = 560  # CSS pixels as drawn; the page stretches the picture to its panel (ChartOutput(fill=True))


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
    members: dict[str, pd.Series] = {}
    if by is not None:
        if by not in scores.columns:
            raise SurveyError(f'There is no grouping column "{by}" in these survey scores.',
                              fix=f"use one of {', '.join(_grouping_columns(scores)) or 'no grouping'}")
        labels = answered[by].astype(object).where(answered[by].notna(), "(not given)").astype(str)
        members = {group: answered.loc[labels == group, construct] for group in sorted(labels.unique())}
    table = Table(key or f"mean {construct} by {by}", by or "everyone", [])
    return _suppressed([_summary_row(group, values.to_numpy(), min_group) for group, values in members.items()],
                       _summary_row("all respondents", answered[construct].to_numpy(), min_group),
                       SUMMARY_COLUMNS, "respondents", min_group, _published(table, members, release, min_group))


def _published(table: Table, members: Mapping[str, pd.Series], release: Release | None, min_group: int):
    """Which groups the release shows: each group's people (the never-shown index) and their values, published
    through the client's ledger (or, without one, a release of its own): small groups, groups hidden elsewhere or
    earlier, and enough others that no hidden value follows from the total."""
    release = release or Ledger(None, min_group).release("survey explorer")
    rows = [Row(group, [str(person) for person in values.index],
                answers={str(person): float(value) for person, value in values.items()})
            for group, values in members.items()]
    return release.publish(Table(table.key, table.attribute, rows))


def _suppressed(rows: list[list], total: list, columns: list[str], count_column: str, min_group: int,
                decision) -> pd.DataFrame:
    """Group rows (each ending with its people count) and the total row, with the anonymity engine applied.

    The one anonymity engine: small groups, then enough others that no hidden group can be recovered
    from the total or shown to be small (ties by name: groups are sorted). A hidden row keeps its name
    and says why; its figures are removed.
    """
    groups = pd.DataFrame(rows, columns=columns + ["_n"]).astype(object)
    if len(groups):
        hide = np.array([not decision.shows(str(group)) for group in groups["group"]], dtype=bool)
        extra = hide & groups["shown"].astype(bool).to_numpy()
        figures = [column for column in columns if column not in ("group", count_column, "shown")]
        groups.loc[extra, figures] = None
        groups.loc[extra, "shown"] = False
        groups.loc[extra, count_column] = "suppressed (to protect a small group)"
    total_frame = pd.DataFrame([total], columns=columns + ["_n"]).astype(object)
    frame = pd.concat([groups, total_frame], ignore_index=True) if len(groups) else total_frame
    frame = frame.drop(columns="_n").astype(object)
    return frame.where(frame.notna(), None)


def _summary_row(group: str, values: np.ndarray, min_group: int) -> list:
    count = len(values)
    if count < min_group:
        return [group, f"fewer than {min_group}", None, None, None, False, count]
    mean = float(np.mean(values))
    low: float | None = None
    high: float | None = None
    if count >= 2:
        from scipy import stats

        half = float(stats.t.ppf(0.975, count - 1) * np.std(values, ddof=1) / math.sqrt(count))
        low, high = mean - half, mean + half
    return [group, str(count), round(mean, 3), None if low is None else round(low, 3),
            None if high is None else round(high, 3), True, count]


def change_summary(before: pd.DataFrame, after: pd.DataFrame, construct: str, by: str | None, *,
                   min_group: int = DEFAULT_MIN_GROUP, key: str = "respondent", release: Release | None = None,
                   table: str | None = None) -> pd.DataFrame:
    """The change in the same people between two waves, per group, with small groups suppressed.

    Parameters
    ----------
    before, after
        Scored responses of two waves, each with a ``key`` column (the respondent's pseudonym) and a
        numeric ``construct`` column; grouping columns are read from ``after``, else ``before``.
    construct
        The construct compared (present in both waves).
    by
        Grouping column, or None for everyone together.
    min_group
        Groups of fewer people (who answered both waves) are suppressed, then further groups until
        no hidden group follows from the total, through the release ledger (:mod:`toolkit.ledger`).
    release, table
        The release the table is shown in and what the table is (as for :func:`group_summary`).

    Returns
    -------
    DataFrame
        ``group``, ``people`` (text: a count or "fewer than N"), ``before`` and ``after`` (means),
        ``change`` (mean of each person's change), ``ci_low``/``ci_high`` (its 95% t interval) and
        ``shown``; the last row is "everyone who answered both".
    """
    for name, wave in (("earlier", before), ("later", after)):
        if construct not in wave.columns:
            raise SurveyError(f'The {name} survey has no construct "{construct}".',
                              fix="compare two surveys that both measure it")
    first = before[[key, construct]].dropna().drop_duplicates(key, keep="last").set_index(key)[construct]
    second = after.dropna(subset=[construct]).drop_duplicates(key, keep="last").set_index(key)
    both = pd.DataFrame({"before": pd.to_numeric(first, errors="coerce")}).join(
        second[[construct]].rename(columns={construct: "after"}), how="inner").dropna()
    if by is not None:
        groups_from = second if by in second.columns else before.drop_duplicates(key, keep="last").set_index(key)
        if by not in groups_from.columns:
            raise SurveyError(f'There is no grouping column "{by}" in these survey scores.',
                              fix="choose a grouping the app offers")
        both["group"] = groups_from[by].reindex(both.index).astype(object).where(
            groups_from[by].reindex(both.index).notna(), "(not given)").astype(str)
    groups = dict(list(both.groupby("group", sort=True))) if by is not None else {}
    rows = [_change_row(group, frame, min_group) for group, frame in groups.items()]
    changes = {group: frame["after"] - frame["before"] for group, frame in groups.items()}
    published = _published(Table(table or f"change in {construct} by {by}", by or "everyone", []), changes, release,
                           min_group)
    return _suppressed(rows, _change_row("everyone who answered both", both, min_group), CHANGE_COLUMNS, "people",
                       min_group, published)


def _change_row(group: str, frame: pd.DataFrame, min_group: int) -> list:
    count = len(frame)
    if count < min_group:
        return [group, f"fewer than {min_group}", None, None, None, None, None, False, count]
    change = (frame["after"] - frame["before"]).to_numpy(dtype=float)
    mean = float(change.mean())
    low = high = None
    if count >= 2:
        from scipy import stats

        half = float(stats.t.ppf(0.975, count - 1) * np.std(change, ddof=1) / math.sqrt(count))
        low, high = round(mean - half, 3), round(mean + half, 3)
    return [group, str(count), round(float(frame["before"].mean()), 3), round(float(frame["after"].mean()), 3),
            round(mean, 3), low, high, True, count]


def change_chart(summary: pd.DataFrame, construct_label: str, before_label: str, after_label: str,
                 scale: tuple[float, float] | None = None):
    """Each shown group's mean before and after, joined by a line (Altair; from the suppressed summary only)."""
    import altair as alt

    shown = summary[summary["shown"].astype(bool)]
    points = pd.DataFrame([{"group": str(row.group), "when": when, "mean": float(value), "people": str(row.people)}
                           for row in shown.itertuples() for when, value in ((before_label, row.before),
                                                                              (after_label, row.after))])
    order = list(shown["group"].astype(str))
    x_scale = alt.Scale(domain=list(scale)) if scale else alt.Scale(zero=False)
    base = alt.Chart(points, title=f"{construct_label}: {before_label} and {after_label}, same people")
    line = base.mark_line(color="#adb5bd", strokeWidth=3).encode(
        y=alt.Y("group:N", sort=order, title=None), x=alt.X("mean:Q", scale=x_scale, title=f"{construct_label} (mean)"),
        detail=alt.Detail("group:N"))
    dots = base.mark_point(filled=True, size=110).encode(
        y=alt.Y("group:N", sort=order), x=alt.X("mean:Q"),
        color=alt.Color("when:N", sort=[before_label, after_label], title=None,
                        scale=alt.Scale(range=["#adb5bd", "#1c7ed6"]), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("when:N"), alt.Tooltip("mean:Q", format=".2f"),
                 alt.Tooltip("people:N")])
    return alt.layer(line, dots).properties(width=CHART_WIDTH, height=max(60, 34 * len(order)))


def attach_attributes(scores: pd.DataFrame, roster: Roster, *, key: str = "respondent", salt: str = DEFAULT_SALT,
                      ) -> pd.DataFrame:
    """``scores`` with each respondent's attributes from the sign-up file (department, gender, cohort...).

    Survey exports name respondents by employee id or email, which :func:`toolkit.survey.load_survey`
    replaces by a pseudonym; the roster's ids and emails are turned into the same pseudonyms to find
    each respondent's row. Only grouping attributes (:data:`GROUPING_CANDIDATES`) are added, never a
    name, id or email; a column the scores already have is kept as it is.
    """
    people = roster.participants
    wanted = [column for column in GROUPING_CANDIDATES if column in people.columns and column not in scores.columns
              and people[column].notna().any()]
    if not wanted or key not in scores.columns:
        return scores
    rows: dict[str, int] = {}
    for position, (participant, email) in enumerate(zip(people["participant_id"], people.get("email", [None] * len(
            people)))):
        for value in (participant, email):
            if isinstance(value, str) and value.strip():
                rows.setdefault(pseudonym(value.strip(), salt), position)
                rows.setdefault(pseudonym(value.strip().lower(), salt), position)
    found = scores[key].map(rows)
    known = found.notna().to_numpy()
    positions = found[known].astype(int).to_numpy()
    joined = scores.copy()
    for column in wanted:
        values = np.full(len(scores), None, dtype=object)
        values[known] = people[column].to_numpy(dtype=object)[positions]
        joined[column] = [", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value for value in values]
    return joined


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
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("respondents:N"), alt.Tooltip("mean:Q", format=".2f"),
                 alt.Tooltip("ci_low:Q", format=".2f"), alt.Tooltip("ci_high:Q", format=".2f")],
    )
    intervals = base.mark_rule(color="#1c7ed6").encode(
        y=alt.Y("group:N", sort=order), x=alt.X("ci_low:Q"), x2=alt.X2("ci_high:Q"))
    labels = base.mark_text(align="left", dx=8, color="#495057").encode(
        y=alt.Y("group:N", sort=order), x=alt.X("ci_high:Q"), text=alt.Text("label:N"))
    return alt.layer(intervals, points, labels).properties(width=CHART_WIDTH, height=max(40, 34 * len(order)))


def _construct_columns(scores: pd.DataFrame) -> list[str]:
    return [column for column in scores.columns
            if column not in _IDENTIFYING and column not in GROUPING_CANDIDATES
            and pd.api.types.is_numeric_dtype(scores[column])]


def _grouping_columns(scores: pd.DataFrame) -> list[str]:
    return [column for column in GROUPING_CANDIDATES if column in scores.columns]


class SurveyExplorerModel(traitlets.HasTraits):
    """Which wave, construct, grouping and comparison are shown, and the suppressed summary.

    Parameters
    ----------
    waves
        Wave name -> scored responses (one row per respondent, construct columns and
        grouping columns). Identifying columns are dropped from what the app shows; the
        respondent pseudonym is kept aside only to pair the same people across two waves.
    labels
        Construct -> label for people (default: the name in words).
    min_group
        The anonymity threshold; it can be raised in the app, never lowered below this.
    """

    wave = traitlets.Unicode()
    construct = traitlets.Unicode()
    grouping = traitlets.Unicode(NO_GROUPING)
    compare_with = traitlets.Unicode(NO_COMPARISON)
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
        self._groupings: dict[tuple[str, int], list[str]] = {}
        # Kept aside, never shown: who is who across waves (pseudonyms), to compare the same people.
        self._paired = {name: frame for name, frame in waves.items() if "respondent" in frame.columns}
        self.labels = dict(labels or {})
        self.scales = dict(scales or {})
        self.floor = int(min_group)
        self.min_group = int(min_group)
        self.wave = next(iter(self.waves))
        self.construct = (self.constructs() or [""])[0]
        self.refresh()

    def constructs(self, wave: str | None = None) -> list[str]:
        """The constructs of a wave (of both waves when comparing)."""
        found = _construct_columns(self.waves[wave or self.wave])
        if self.compare_with and wave is None:
            found = [name for name in found if name in self.waves[self.compare_with].columns]
        return found

    def groupings(self, wave: str | None = None) -> list[str]:
        """Everyone, then each attribute of which at least one group is large enough to show."""
        key = (wave or self.wave, self.min_group)
        if key not in self._groupings:  # a wave's scores never change; asked on every choice
            scores = self.waves[key[0]]
            offered = [NO_GROUPING]
            for column in _grouping_columns(scores):
                counts = scores[column].astype(object).where(scores[column].notna(), "(not given)").value_counts()
                if not hidden_rows(counts.to_numpy(), self.min_group).all():
                    offered.append(column)
            self._groupings[key] = offered
        return list(self._groupings[key])

    def comparisons(self, wave: str | None = None) -> list[str]:
        """Waves the current one can be compared with: earlier ones sharing a construct, same people findable."""
        wave = wave or self.wave
        names = list(self.waves)
        if wave not in self._paired:
            return []
        mine = set(_construct_columns(self.waves[wave]))
        return [name for name in names[:names.index(wave)]
                if name in self._paired and mine & set(_construct_columns(self.waves[name]))]

    def release(self) -> Release:
        """This session's release at the current threshold (the client's ledger history, read once)."""
        if self.min_group not in self._releases:
            ledger = Ledger.for_client(self.client_folder, self.min_group) if self.client_folder is not None \
                else Ledger(None, self.min_group)
            self._releases[self.min_group] = ledger.release("survey explorer")
        return self._releases[self.min_group]

    def label(self, construct: str) -> str:
        return self.labels.get(construct) or heading(construct)

    def choose(self, *, wave: str | None = None, construct: str | None = None, grouping: str | None = None,
               min_group: int | None = None, compare_with: str | None = None) -> None:
        """Change any of the choices (validated), then recompute the summary."""
        with self.hold_trait_notifications():
            if wave is not None:
                check_option("wave", wave, list(self.waves), SurveyError)
                self.wave = wave
                if self.compare_with not in self.comparisons():
                    self.compare_with = NO_COMPARISON
            if compare_with is not None:
                if compare_with:
                    check_option("comparison", compare_with, self.comparisons(), SurveyError)
                self.compare_with = compare_with
            if construct is not None:
                check_option("construct", construct, self.constructs(), SurveyError)
                self.construct = construct
            if min_group is not None:
                if min_group < self.floor:
                    raise SurveyError(f"The anonymity threshold cannot go below the client's {self.floor}.",
                                      fix=f"use {self.floor} or more")
                self.min_group = int(min_group)
            if grouping is not None:
                check_option("grouping", grouping, self.groupings(), SurveyError)
                self.grouping = grouping
            if self.construct not in self.constructs():
                self.construct = (self.constructs() or [""])[0]
            if self.grouping not in self.groupings():
                self.grouping = NO_GROUPING
        self.refresh()

    def refresh(self) -> None:
        by = None if self.grouping == NO_GROUPING else self.grouping
        if not self.construct:
            self.summary = pd.DataFrame(columns=SUMMARY_COLUMNS)
        elif self.compare_with:
            self.summary = change_summary(self._paired[self.compare_with], self._paired[self.wave], self.construct,
                                          by, min_group=self.min_group, release=self.release(),
                                          table=f"{self.compare_with} to {self.wave}: change in {self.construct} by {by}")
        else:
            self.summary = group_summary(self.waves[self.wave], self.construct, by, min_group=self.min_group,
                                         release=self.release(), key=f"{self.wave}: mean {self.construct} by {by}")
        self.revision += 1

    def chart(self):
        """The chart of the current summary (suppressed groups left out)."""
        if self.summary.empty or not self.summary["shown"].astype(bool).any():
            return None
        if self.compare_with:
            return change_chart(self.summary, self.label(self.construct), wave_words(self.compare_with),
                                wave_words(self.wave), self.scales.get(self.construct))
        return group_chart(self.summary, self.label(self.construct), self.scales.get(self.construct))


def wave_words(wave: str) -> str:
    """A survey wave as the explorer names it ("Baseline (before the programme)", "Pulse survey, May 2026")."""
    return WAVE_WORDS.get(wave) or heading(wave)


def _scores_from_client(config: ClientConfig) -> tuple[dict[str, pd.DataFrame], dict[str, str], dict]:
    """Load and score every survey wave a client.yaml names, each respondent with their sign-up attributes."""
    entries: list[tuple[str, dict]] = []
    surveys = config.get("surveys", {}) or {}
    for wave in ("baseline",):
        if surveys.get(wave):
            entries.append((wave, surveys[wave]))
    for entry in surveys.get("pulses") or []:
        entries.append((Path(entry["path"]).stem, entry))
    for wave in ("midpoint", "end", "session_feedback"):
        if surveys.get(wave):
            entries.append((wave, surveys[wave]))
    if not entries:
        raise SurveyError(f"{config.path.name} names no survey files.",
                          fix="add a surveys: section (baseline, pulses, midpoint, end, session_feedback)")
    roster = config.roster()
    waves, labels = {}, {}
    for wave, entry in entries:
        if not entry.get("instrument"):
            raise SurveyError(f"{config.path.name}: the survey {entry['path']} names no instrument.",
                              fix="add instrument: with the instrument's id (baseline, midpoint, ...) under it")
        loaded = load_survey(entry["path"], instrument=entry["instrument"])
        scores = scale_scores(loaded)
        if isinstance(scores, pd.DataFrame):
            waves[wave] = attach_attributes(scores.reset_index(drop=True), roster)
        for construct, spec in loaded.instrument.constructs.items():
            text = spec.get("label") if isinstance(spec, Mapping) else None
            if text:
                labels[construct] = text
    return waves, labels, config.privacy


class SurveyExplorer(App):
    """Survey scores by wave, construct and group, or their change between two waves, anonymity applied.

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
        wide = {"style": {"description_width": "110px"}, "layout": widgets.Layout(width="400px", max_width="100%")}
        self.wave_picker = widgets.Dropdown(options=[(wave_words(name), name) for name in model.waves],
                                            value=model.wave, description="Survey", **wide)
        self.compare_picker = widgets.Dropdown(description="Compared with", **wide)
        self.construct_picker = widgets.Dropdown(description="Measure", **wide)
        self.grouping_picker = widgets.Dropdown(description="Group by", **wide)
        self.threshold = widgets.IntSlider(value=model.min_group, min=model.floor, max=max(20, model.floor),
                                           description="Smallest group", continuous_update=False, **wide)
        self._updating = False
        self._sync_options()
        self.wave_picker.observe(guard(lambda change: self._choose(wave=change["new"])), names="value")
        self.compare_picker.observe(guard(lambda change: self._choose(compare_with=change["new"])), names="value")
        self.construct_picker.observe(guard(lambda change: self._choose(construct=change["new"])), names="value")
        self.grouping_picker.observe(guard(lambda change: self._choose(grouping=change["new"])), names="value")
        self.threshold.observe(guard(lambda change: self._choose(min_group=change["new"])), names="value")
        self.summary_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.chart = ChartOutput("No group is large enough to show.", fill=True)
        row = widgets.Layout(flex_flow="row wrap")
        self.view = widgets.VBox([
            widgets.HTML(STYLE + "<h3>Survey explorer</h3><p class='tk-note'>Scale scores by group, or their change "
                         "in the same people between two surveys. Groups with fewer than "
                         f"{model.floor} respondents are never shown (the client's anonymity threshold), nor any "
                         "group whose figures could be worked out from the others; raise the smallest group with "
                         "the slider for sensitive breakdowns.</p>"),
            widgets.HBox([widgets.VBox([self.wave_picker, self.compare_picker, self.construct_picker]),
                          widgets.VBox([self.grouping_picker, self.threshold])], layout=row),
            self.errors.widget,
            self.summary_html,
            self.chart.widget,
        ])
        model.observe(lambda _change: self._render(), names="revision")
        self._render()

    @classmethod
    def from_client(cls, client, **kwargs: Any) -> SurveyExplorer:
        """Every survey wave a client.yaml names, scored with :mod:`toolkit.survey`.

        Parameters
        ----------
        client
            A :class:`~toolkit.client.ClientConfig`, or the path of a client folder or client.yaml.
        """

        config = client if isinstance(client, ClientConfig) else load_client(client)
        waves, labels, privacy = prepared(config, "survey scores", lambda: _scores_from_client(config))
        kwargs.setdefault("min_group", int(privacy.get("min_group", DEFAULT_MIN_GROUP)))
        kwargs.setdefault("client_folder", config.folder)
        return cls(waves, labels={**labels, **kwargs.pop("labels", {})}, **kwargs)

    @classmethod
    def prepare(cls, config: Any) -> None:
        """Every survey wave scored ahead of time (the studio's pre-started kernels)."""
        if config.get("surveys"):
            prepared(config, "survey scores", lambda: _scores_from_client(config))

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
            self.compare_picker.options = [("(nothing: this survey alone)", NO_COMPARISON)] + [
                (wave_words(name), name) for name in model.comparisons()]
            self.compare_picker.value = model.compare_with
            self.construct_picker.options = [(model.label(name), name) for name in model.constructs()]
            self.construct_picker.value = model.construct or None
            self.grouping_picker.options = [("Everyone" if name == NO_GROUPING else heading(name), name)
                                            for name in model.groupings()]
            self.grouping_picker.value = model.grouping
        finally:
            self._updating = False

    def _render(self) -> None:
        model = self.model
        summary = model.summary
        hidden = int((~summary["shown"].astype(bool)).sum()) if len(summary) else 0
        headings = {"group": "Group", "respondents": "Respondents", "people": "People (answered both)",
                    "mean": "Average", "before": f"Average, {wave_words(model.compare_with)}",
                    "after": f"Average, {wave_words(model.wave)}", "change": "Change",
                    "ci_low": "95% interval from", "ci_high": "95% interval to"}
        shown = summary.drop(columns="shown").rename(columns=headings)
        note = (f"<p class='tk-note'>{hidden} group{'s' if hidden != 1 else ''} hidden to protect anonymity "
                f"(smallest group shown: {model.min_group}).</p>" if hidden else "")
        title = (f"{model.label(model.construct)}: from {wave_words(model.compare_with)} to {wave_words(model.wave)}, "
                 "the same people" if model.compare_with else f"{model.label(model.construct)}: {wave_words(model.wave)}")
        by = "" if model.grouping == NO_GROUPING else f" by {label(model.grouping).lower()}"
        self.summary_html.value = STYLE + (f"<h4>{_esc(title + by)}</h4>"
                                           + table_html(shown, empty="No scores for this measure in this survey.")
                                           + note)
        self.chart.show(model.chart())


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))
