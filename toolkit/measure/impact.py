"""Impact: retention and promotion against a comparison group, and a return on investment an evaluator can sign.

Participants are compared with the HR extract's comparison group. Each rate has a Wilson
interval; the difference has Newcombe's hybrid score interval. The comparison is not a
randomised trial: people who join a mentoring programme differ from those who do not
(motivation, manager support), so :data:`SELECTION_CAVEAT` is printed with every result.

:func:`roi` follows the guiding principles of the Phillips ROI Methodology:

- costs are fully loaded (:func:`programme_costs`): mentees' and mentors' (or members' and
  facilitators') time in every logged meeting, with the attendees the log names, the consultant's
  fees, the coordinator's time and the other direct costs, all set in client.yaml's ``roi:``;
- benefits count the first year only (``benefit_years``, default 1): leavers avoided, each worth a
  share of a salary;
- the programme's effect is isolated by a named method (:data:`ISOLATION_METHODS`): a comparison
  group; else participants' own estimates of the programme's contribution, each adjusted by their
  confidence (two end-of-programme survey items, :data:`ESTIMATE_ITEMS`); else the trend
  (``expected_retention``). Every method the data allow is computed;
- the most conservative value is the headline (:attr:`RoiAnalysis.headline`), and the full range
  (every method, each at the low, central and high end of its interval) is shown;
- intangibles are listed, never converted to money, and each measure carries its Kirkpatrick
  level (:func:`kirkpatrick`).

Nothing is guessed: a cost or assumption client.yaml does not state stops the calculation and
:attr:`RoiAnalysis.missing` names the client.yaml lines that settle it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConfigError, Problem
from ..privacy import duplicates, enough
from ..programme import read_log, read_meetings, reporting_state
from ..text import plural
from .survey import load_survey

if TYPE_CHECKING:
    from ..client import ClientConfig

__all__ = ["wilson", "newcombe", "outcomes", "outcome_people", "outcomes_shown", "ROIAssumptions", "assumptions",
           "meeting_time",
           "programme_costs", "participant_estimates", "RoiMethod", "RoiAnalysis", "roi", "kirkpatrick",
           "KIRKPATRICK_LEVELS", "ISOLATION_METHODS", "ESTIMATE_ITEMS", "SELECTION_CAVEAT"]

SELECTION_CAVEAT = ("Participants chose to join, so they may differ from the comparison group in ways that also "
                    "affect retention and promotion (motivation, manager support, career stage). Read the "
                    "difference as an association, not proof that mentoring caused it.")


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion (no continuity correction), from scipy.

    ``z`` is the normal quantile of the two-sided level (the default is the 95% one);
    ``n == 0`` gives ``(nan, nan)``.
    """
    from scipy import stats

    if n == 0:
        return float("nan"), float("nan")
    level = 0.95 if z == 1.959964 else float(1 - 2 * stats.norm.sf(z))
    interval = stats.binomtest(int(successes), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return float(interval.low), float(interval.high)


def newcombe(successes_a: int, n_a: int, successes_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval for the difference of two proportions (a - b).

    Newcombe (1998) method 10, built on the two Wilson intervals of :func:`wilson`
    (scipy has no interval for a difference of proportions).
    """
    p_a, p_b = successes_a / n_a, successes_b / n_b
    low_a, high_a = wilson(successes_a, n_a)
    low_b, high_b = wilson(successes_b, n_b)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return low, high


# What each outcome counts, read from the HR extract's rows.
OUTCOME_TESTS = {"retained": lambda frame, until=None: _stayed(frame, until),
                 "promoted": lambda frame, until=None: _dated(frame["promotion_date"], until)}


def outcome_people(config: ClientConfig) -> pd.DataFrame:
    """One row per person of the HR extract: ``person`` (employee id, else the spreadsheet row), ``group``
    (participant or comparison) and one true/false column per outcome: who each rate counts."""
    hr = read_log(config.get("hr_outcomes"))
    people = hr["employee_id"].astype(str) if "employee_id" in hr else pd.Series([f"row {row + 2}" for row in hr.index],
                                                                                   index=hr.index)
    frame = pd.DataFrame({"person": people, "group": hr["group"].str.lower()})
    for outcome, test in OUTCOME_TESTS.items():
        frame[outcome] = test(hr).to_numpy()
    return frame[frame["group"].isin(["participant", "comparison"])].reset_index(drop=True)


def outcomes(config: ClientConfig, *, until: dt.date | None = None, comparison: bool = True) -> pd.DataFrame:
    """Retention and promotion rates for participants and the comparison group, with intervals.

    Parameters
    ----------
    until
        Count only what happened up to this date: someone who left (or was promoted) later counts as
        staying (not promoted). ``None`` counts everything in the extract.
    comparison
        ``False`` allows an extract without comparison rows (participants only, no difference).

    Returns
    -------
    DataFrame
        outcome, group, people, count, rate, ci_low, ci_high, and for participants the
        difference from the comparison group with its interval.
    """
    if not config.get("hr_outcomes"):
        raise ConfigError(f"{config.path.name} names no HR outcomes file.",
                          fix="add hr_outcomes: hr_outcomes.csv (participants and a comparison group)",
                          path=config.path)
    hr = read_log(config.get("hr_outcomes"))
    if "employee_id" in hr:  # people, not rows: someone listed twice would be counted twice
        repeated = duplicates(hr["employee_id"].tolist(), rows=[row + 2 for row in hr.index])
        if len(repeated):
            problems = [Problem(f"employee {entry.key} is listed {entry.answers} times (rows "
                                f"{', '.join(map(str, entry.rows))})", "keep one row per employee",
                                str(config.get("hr_outcomes")), entry.rows[1], "Employee ID", entry.key)
                        for entry in repeated.itertuples()]
            raise ConfigError("The HR extract lists some employees more than once, so people would be counted "
                              "twice.", fix="ask HR for one row per employee", path=config.get("hr_outcomes"),
                              problems=problems)
    groups = {name: hr[hr["group"].str.lower() == name] for name in ("participant", "comparison")}
    if not len(groups["participant"]) or (comparison and not len(groups["comparison"])):
        raise ConfigError("The HR extract needs both participant and comparison rows in its Group column.",
                          fix="ask HR for a comparison group of similar non-participants", path=config.get("hr_outcomes"))
    groups = {name: frame for name, frame in groups.items() if len(frame)}
    rows = []
    for outcome, test in OUTCOME_TESTS.items():
        counts = {name: (int(test(frame, until).sum()), len(frame)) for name, frame in groups.items()}
        for name, (count, people) in counts.items():
            low, high = wilson(count, people)
            row = {"outcome": outcome, "group": name, "people": people, "count": count, "rate": count / people,
                   "ci_low": low, "ci_high": high, "difference": None, "difference_low": None, "difference_high": None}
            if name == "participant" and "comparison" in counts:
                other = counts["comparison"]
                row["difference"] = count / people - other[0] / other[1]
                row["difference_low"], row["difference_high"] = newcombe(count, people, *other)
            rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs["caveat"] = SELECTION_CAVEAT
    return table


def _dated(values: pd.Series, until: dt.date | None) -> pd.Series:
    """Whether each date is given (and, with ``until``, on or before it)."""
    if until is None:
        return values.notna()
    return pd.to_datetime(values, errors="coerce") <= pd.Timestamp(until)  # a missing date compares False


def _stayed(frame: pd.DataFrame, until: dt.date | None) -> pd.Series:
    """Still employed: active, or (with ``until``) left on a date after ``until`` (a leaver without a
    leaving date counts as a leaver: the extract says they left)."""
    active = frame["status"].str.lower() == "active"
    if until is None or "leaving_date" not in frame:
        return active
    return active | (pd.to_datetime(frame["leaving_date"], errors="coerce") > pd.Timestamp(until))


def outcomes_shown(table: pd.DataFrame, min_group: int) -> bool:
    """Whether HR outcomes (and the ROI built on them) may be shown: every group compared, participants
    and comparison, counts at least ``min_group`` people (the rates and the difference describe both)."""
    return bool(len(table)) and all(enough(people, min_group) for people in table["people"])


# ------------------------------------------------------------------------------------------------
# Kirkpatrick's levels
# ------------------------------------------------------------------------------------------------
KIRKPATRICK_LEVELS = {1: "reaction", 2: "learning", 3: "behaviour", 4: "results", 5: "return on investment"}
# The level of each measure the toolkit reports (survey constructs by id); a client's own instrument
# can set ``kirkpatrick: N`` on a construct.
_MEASURE_LEVELS = {
    "nps": 1, "relationship_quality": 1, "programme_features": 1, "career_support": 1, "psychosocial_support": 1,
    "role_modelling": 1, "negative_experiences": 1, "session_quality": 1, "take_part_again": 1, "fit": 1,
    "self_efficacy": 2, "career_clarity": 2, "mentor_competencies": 2,
    "goal_progress": 3, "meeting_activity": 3, "meetings": 3, "goals": 3,
    "retained": 4, "promoted": 4, "retention": 4, "promotion": 4,
    "roi": 5,
}


def kirkpatrick(measure: str, instrument=None) -> str:
    """The Kirkpatrick level of a measure in words, e.g. "level 2, learning" (Phillips' level 5 for ROI).

    ``measure`` is a survey construct id or one of ``meetings``, ``goals``, ``retained``, ``promoted``,
    ``roi``; an instrument's own ``kirkpatrick:`` setting on the construct wins. Unknown measures read
    "not classified" rather than a guess.
    """
    level = None
    if instrument is not None:
        level = (instrument.constructs.get(measure) or {}).get("kirkpatrick")
    level = level or _MEASURE_LEVELS.get(measure)
    if level not in KIRKPATRICK_LEVELS:
        return "not classified"
    return f"level {level}, {KIRKPATRICK_LEVELS[level]}"


# ------------------------------------------------------------------------------------------------
# Return on investment (Phillips)
# ------------------------------------------------------------------------------------------------
ISOLATION_METHODS = {
    "comparison group": "participants' retention against a comparison group of similar colleagues who did not "
                        "take part (an association: participants chose to join)",
    "participants' estimates": "participants' retention against the retention expected without the programme, "
                               "times the share of the change participants put down to the programme, each "
                               "estimate multiplied by the participant's confidence in it",
    "trend": "participants' retention against the retention expected without the programme (earlier years' "
             "trend); nothing else that changed is ruled out",
}
# The two end-of-programme items behind the participants' estimates (0-100 each).
ESTIMATE_ITEMS = ("ROI_CONTRIB", "ROI_CONF")
# The lines a Phillips ROI cannot do without (costs fully loaded, the benefit's value): stated, never defaulted.
_REQUIRED = {
    "programme_cost": "programme_cost: 0          # other direct costs: materials, platform, venues, events",
    "consultant_fees": "consultant_fees: 0        # the consultant's fees for this programme",
    "coordinator_hours": "coordinator_hours: 0    # hours the programme coordinator spent on the programme",
    "hourly_cost": "hourly_cost: 40           # loaded cost of an hour of a mentee's (or member's) time",
    "average_salary": "average_salary: 45000   # participants' average salary",
    "replacement_cost_share_of_salary": "replacement_cost_share_of_salary: 0.5   # cost of replacing a leaver, "
                                        "as a share of salary",
}


@dataclass
class ROIAssumptions:
    """Every assumption of the ROI calculation, by name (set them in client.yaml under roi:)."""

    currency: str = "GBP"
    programme_cost: float = 0.0
    consultant_fees: float = 0.0
    coordinator_hours: float = 0.0
    coordinator_hourly_cost: float | None = None
    average_salary: float = 0.0
    replacement_cost_share_of_salary: float = 0.5
    hourly_cost: float = 0.0
    mentor_hourly_cost: float | None = None  # mentors' and facilitators' time; hourly_cost when not set
    hours_per_meeting_participant: float | None = None  # a meeting's length when the log gives none
    benefit_years: float = 1.0
    expected_retention: float | None = None  # the trend: retention expected without the programme
    intangibles: list = field(default_factory=list)


def assumptions(config: ClientConfig, **overrides) -> tuple[ROIAssumptions, list[str]]:
    """The client's ``roi:`` settings, checked, and the client.yaml lines still missing (empty when complete)."""
    given = {**(config.get("roi") or {}), **overrides}
    known = [item.name for item in fields(ROIAssumptions)]
    unknown = [name for name in given if name not in known]
    if unknown:
        raise ConfigError(f"Unknown ROI assumption {unknown[0]!r}.", fix=f"use one of: {', '.join(sorted(known))}",
                          path=config.path)
    for name, value in given.items():
        if name in ("currency", "intangibles") or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"roi.{name} must be a number of 0 or more, not {value!r}.",
                              fix=f"write it as a plain number, e.g. {name}: 0", path=config.path, value=value)
        if name in ("replacement_cost_share_of_salary", "expected_retention") and value > 1:
            raise ConfigError(f"roi.{name} is a share between 0 and 1, not {value!r}.",
                              fix=f"write {value / 100:g} for {value:g}%", path=config.path, value=value)
    if not isinstance(given.get("intangibles", []), list):
        raise ConfigError("roi.intangibles must be a list of benefits in words.",
                          fix="write one per line, e.g. - better cross-team networks", path=config.path)
    missing = [line for name, line in _REQUIRED.items() if name not in given]
    if given.get("coordinator_hours") and given.get("coordinator_hourly_cost") is None:
        missing.append("coordinator_hourly_cost: 35   # loaded cost of an hour of the coordinator's time")
    return ROIAssumptions(**given), missing


def _attendee_count(text) -> int | None:
    names = [part for part in re.split(r"[;,\n]", str(text or "")) if part.strip()]
    return len(names) or None


def meeting_time(config: ClientConfig, settings: ROIAssumptions) -> pd.DataFrame:
    """Every meeting that counts (as the health report counts them: the programme's timeline) with its length
    in hours and who attended (mentors/facilitators and the rest).

    Attendees come from the log's Attended column where it names them; otherwise a pair meeting has two
    people and a circle meeting everyone in the circle (the higher, more conservative cost). A meeting
    without a logged length takes ``hours_per_meeting_participant``. A meeting logged against a pair or
    circle that did not exist that day is not counted (the health report names its row).
    """
    state = reporting_state(config)
    meetings = state.meetings.reset_index(drop=True)
    attended = read_meetings(config).set_index("row")["attended"]
    named = meetings["row"].map(attended).map(_attendee_count)
    shape = state.shape
    if shape == "circles":
        sizes = {unit: len(members) for unit, members in zip(state.pairs["unit_id"], state.pairs["members"])}
        assumed = meetings["unit_id"].map(sizes)
    else:
        assumed = pd.Series([2] * len(meetings), dtype=float)
    attendees = named.where(named.notna(), assumed)
    logged = pd.to_numeric(meetings["minutes"], errors="coerce") / 60
    fallback = settings.hours_per_meeting_participant
    hours = logged.where(logged.notna() & (logged > 0), fallback if fallback is not None else math.nan)
    leads = 0 if shape == "peer_pairs" else 1  # the mentor, or the circle's facilitator
    return pd.DataFrame({"unit": meetings["unit_id"], "hours": hours.astype(float),
                         "attendees": pd.to_numeric(attendees, errors="coerce").astype(float),
                         "leads": float(leads), "attendees_named": named.notna().to_numpy(),
                         "hours_logged": (logged.notna() & (logged > 0)).to_numpy()})


def _hours(value: float) -> str:
    """Hours as a person writes them: 6, 5.75, 2,221."""
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _meeting_cost_rows(time: pd.DataFrame, settings: ROIAssumptions, lead: str, rest: str) -> list[tuple]:
    """The two meeting-time lines: the rest of the attendees at ``hourly_cost``, mentors or facilitators at theirs."""
    lead_hours = float((time["hours"] * time["leads"]).sum())
    rest_hours = float((time["hours"] * (time["attendees"] - time["leads"]).clip(lower=0)).sum())
    unnamed = int((~time["attendees_named"]).sum())
    if time["attendees_named"].all():
        who = f"{time['attendees'].mean():.1f} people each on average, from the log's attendee list"
    elif lead == "facilitators":
        who = (f"{time['attendees'].mean():.1f} people each on average: the attendee list, or the circle's whole "
               f"membership for {plural(unnamed, 'meeting')} that names no attendees")
    else:
        who = "two people each (the pair)" if not time["attendees_named"].any() else \
            f"{time['attendees'].mean():.1f} people each on average: the attendee list, or the pair"
    unlogged = int((~time["hours_logged"]).sum())
    assumed = settings.hours_per_meeting_participant
    length = (f"; {plural(unlogged, 'meeting')} without a logged length counted at {plural(assumed, 'hour')}"
              if unlogged and assumed is not None else "")
    rows = [(f"{rest.capitalize()}' meeting time", rest_hours * settings.hourly_cost,
             f"{_hours(rest_hours)} hours x {settings.hourly_cost:,.0f} an hour; {len(time):,} logged "
             f"meeting{'' if len(time) == 1 else 's'}, "
             f"{who}{length}")]
    if lead:
        rate = settings.mentor_hourly_cost if settings.mentor_hourly_cost is not None else settings.hourly_cost
        rows.append((f"{lead.capitalize()}' meeting time", lead_hours * rate,
                     f"{_hours(lead_hours)} hours x {rate:,.0f} an hour (one per meeting)"))
    return rows


def programme_costs(config: ClientConfig, settings: ROIAssumptions) -> pd.DataFrame:
    """The fully loaded cost, line by line: item, amount, how it was worked out."""
    shape = config.design().shape
    lead, rest = {"circles": ("facilitators", "members"), "peer_pairs": ("", "participants")}.get(
        shape, ("mentors", "mentees"))
    rows = []
    if config.get("meetings"):
        rows += _meeting_cost_rows(meeting_time(config, settings), settings, lead, rest)
    rows.append(("Consultant's fees", float(settings.consultant_fees), "as stated for this programme"))
    coordinator_rate = settings.coordinator_hourly_cost or 0.0
    rows.append(("Programme coordinator's time", settings.coordinator_hours * coordinator_rate,
                 f"{_hours(settings.coordinator_hours)} hours x {coordinator_rate:,.0f} an hour"))
    rows.append(("Other direct costs", float(settings.programme_cost), "materials, platform, venues, events"))
    return pd.DataFrame(rows, columns=["item", "amount", "how"])


def participant_estimates(config: ClientConfig, min_group: int) -> dict | None:
    """Participants' estimates of the programme's contribution, each multiplied by their confidence.

    Reads :data:`ESTIMATE_ITEMS` from the end-of-programme survey: the share of the change a person puts
    down to the programme and their confidence in that share (0-100 each). Only people who answered both
    count; fewer than ``min_group`` of them and there is no estimate (None).

    Returns
    -------
    dict or None
        ``people``, ``contribution`` (mean share), ``confidence`` (mean), ``adjustment`` (mean of each
        person's contribution x confidence).
    """
    entry = config.survey("end")
    if not entry:
        return None
    responses = load_survey(entry["path"], instrument=entry["instrument"]).responses
    if not all(item in responses for item in ESTIMATE_ITEMS):
        return None
    both = responses[list(ESTIMATE_ITEMS)].apply(pd.to_numeric, errors="coerce").dropna() / 100
    if not enough(len(both), min_group):
        return None
    contribution, confidence = both[ESTIMATE_ITEMS[0]], both[ESTIMATE_ITEMS[1]]
    return {"people": len(both), "contribution": float(contribution.mean()), "confidence": float(confidence.mean()),
            "adjustment": float((contribution * confidence).mean())}


@dataclass(frozen=True)
class RoiMethod:
    """ROI under one isolation method, at the low, central and high end of its interval."""

    method: str  # a key of ISOLATION_METHODS
    improvement: tuple[float, float, float]  # retention points put down to the programme (after any adjustment)
    benefit: tuple[float, float, float]
    roi: tuple[float, float, float]  # shares: 1.14 is +114%
    adjustment: float | None = None  # participants' estimates: mean contribution x confidence


@dataclass(frozen=True)
class RoiAnalysis:
    """A Phillips ROI: fully loaded costs, first-year benefits, every isolation method the data allow."""

    currency: str
    participants: int
    costs: pd.DataFrame  # item, amount, how
    cost: float
    per_leaver: float  # the value of one leaver avoided
    benefit_until: dt.date | None  # the end of the benefit period (None: the whole extract)
    methods: tuple[RoiMethod, ...]  # the isolation method first, then the alternatives the data allow
    estimates: dict | None
    missing: tuple[str, ...]  # client.yaml lines needed before any ROI is shown
    intangibles: tuple[str, ...]
    steps: pd.DataFrame  # the isolation method's central calculation: item, value, source

    @property
    def values(self) -> list[float]:
        """Every ROI value computed: each method at each end of its interval."""
        return [value for method in self.methods for value in method.roi if value == value]

    @property
    def headline(self) -> float | None:
        """The most conservative ROI (the lowest of :attr:`values`), or None when none can be computed."""
        return min(self.values) if self.values and not self.missing else None

    @property
    def verdict(self) -> str:
        """"positive" (every value above zero), "negative" (every value below), "undecided", or
        "not calculated" (something is missing): a headline is only honest for the first two."""
        if self.headline is None:
            return "not calculated"
        if all(value > 0 for value in self.values):
            return "positive"
        if all(value < 0 for value in self.values):
            return "negative"
        return "undecided"

    @property
    def break_even(self) -> float:
        """The improvement (retention points, before any adjustment) at which benefit equals cost, under the
        isolation method."""
        method = self.methods[0]
        scale = self.participants * self.per_leaver * (method.adjustment if method.adjustment is not None else 1.0)
        return self.cost / scale if scale else math.nan

    def people_needed_factor(self) -> float | None:
        """How many times as many people per group would put the low end above break-even, if the
        comparison-group difference stays at its central value (intervals narrow with the square root of n).
        None when the central difference is itself below break-even or there is no comparison group."""
        method = self.methods[0]
        if method.method != "comparison group":
            return None
        low, central, _ = method.improvement
        margin = central - self.break_even
        if margin <= 0 or central - low <= 0:
            return None
        return max(1.0, ((central - low) / margin) ** 2)


def roi(config: ClientConfig, *, outcomes_table: pd.DataFrame | None = None, min_group: int | None = None,
        **overrides) -> RoiAnalysis:
    """The programme's return on investment by the Phillips principles (see the module's notes).

    Parameters
    ----------
    config
        The client (its ``roi:`` section, HR extract, meeting log and end-of-programme survey).
    outcomes_table
        Retention to use instead of the HR extract's (the tests' worked examples).
    min_group
        The anonymity threshold for participants' estimates (default: the client's ``privacy.min_group``).
    overrides
        Any ``roi:`` setting, for a what-if.
    """
    settings, missing = assumptions(config, **overrides)
    min_group = int(config.privacy["min_group"]) if min_group is None else min_group
    start = config.design().start_date
    until = _add_years(start, settings.benefit_years) if start is not None else None
    if outcomes_table is None:
        has_comparison = _has_comparison(config)
        outcomes_table = outcomes(config, until=until, comparison=has_comparison)
    retained = outcomes_table[outcomes_table["outcome"] == "retained"].set_index("group")
    participant = retained.loc["participant"]
    participants = int(participant["people"])
    costs = programme_costs(config, settings)
    if costs["amount"].isna().any():
        missing.append("hours_per_meeting_participant: 1   # a meeting's length where the log gives none")
    cost = float(costs["amount"].sum())
    per_leaver = settings.replacement_cost_share_of_salary * settings.average_salary
    estimates = participant_estimates(config, min_group)
    improvements: list[tuple[str, tuple[float, float, float], float | None]] = []
    if "comparison" in retained.index:
        improvements.append(("comparison group", _three(float(participant[key]) for key in
                                                        ("difference_low", "difference", "difference_high")), None))
    if settings.expected_retention is not None:
        trend = _three(float(participant[key]) - settings.expected_retention for key in ("ci_low", "rate", "ci_high"))
        if estimates is not None:
            improvements.append(("participants' estimates", _three(value * estimates["adjustment"] for value in trend),
                                 estimates["adjustment"]))
        improvements.append(("trend", trend, None))
    methods = []
    for name, improvement, adjustment in improvements:
        benefit = _three(value * participants * per_leaver for value in improvement)
        shares = _three((value - cost) / cost if cost > 0 else math.nan for value in benefit)
        methods.append(RoiMethod(name, improvement, benefit, shares, adjustment))
    if not methods:
        missing.append("expected_retention: 0.85   # or a comparison group in the HR extract: the retention "
                       "expected without the programme")
    if cost <= 0 and "costs" not in " ".join(missing):
        missing.append("the costs add up to nothing: state the consultant's fees, coordinator's time and other costs")
    analysis = RoiAnalysis(
        currency=settings.currency, participants=participants, costs=costs, cost=cost, per_leaver=per_leaver,
        benefit_until=until, methods=tuple(methods), estimates=estimates, missing=tuple(dict.fromkeys(missing)),
        intangibles=tuple(str(item) for item in settings.intangibles), steps=pd.DataFrame())
    return _with_steps(analysis, settings)


def _three(values: Iterable[float]) -> tuple[float, float, float]:
    """The low, central and high value of an interval."""
    low, central, high = values
    return float(low), float(central), float(high)


def _has_comparison(config: ClientConfig) -> bool:
    hr = read_log(config.get("hr_outcomes")) if config.get("hr_outcomes") else None
    return hr is not None and bool((hr["group"].astype(str).str.lower() == "comparison").any())


def _add_years(day: dt.date, years: float) -> dt.date:
    return day + dt.timedelta(days=round(365.25 * years))


def _with_steps(analysis: RoiAnalysis, settings: ROIAssumptions) -> RoiAnalysis:
    """The isolation method's central calculation, every assumption and step named."""
    rows: list[tuple[str, Any, str]] = [("average salary", settings.average_salary, "assumption"),
            ("replacement cost share of salary", settings.replacement_cost_share_of_salary, "assumption"),
            ("value of one leaver avoided", analysis.per_leaver, "salary x replacement share"),
            ("participants", analysis.participants, "from the HR extract")]
    if analysis.methods:
        method = analysis.methods[0]
        rows.append(("isolation method", method.method, ISOLATION_METHODS[method.method]))
        if method.adjustment is not None and analysis.estimates is not None:
            rows.append(("contribution x confidence", round(method.adjustment, 4),
                         f"mean of {analysis.estimates['people']} participants' estimates"))
        if settings.expected_retention is not None and method.method != "comparison group":
            rows.append(("expected retention without the programme", settings.expected_retention, "assumption"))
        central = method.benefit[1]
        rows += [("retention points put down to the programme", round(method.improvement[1], 4), method.method),
                 ("leavers avoided", round(method.improvement[1] * analysis.participants, 2),
                  "points x participants"),
                 ("benefit (first year)" if settings.benefit_years == 1 else
                  f"benefit ({settings.benefit_years:g} years)", round(central, 2),
                  "leavers avoided x value of one leaver"),
                 ("cost (fully loaded)", round(analysis.cost, 2), "the cost table"),
                 ("benefit-cost ratio", round(central / analysis.cost, 3) if analysis.cost else math.nan,
                  "benefit / cost"),
                 ("ROI %", round(100 * method.roi[1], 1), "(benefit - cost) / cost")]
    steps = pd.DataFrame(rows, columns=["item", "value", "source"])
    steps.attrs["caveat"] = SELECTION_CAVEAT
    return RoiAnalysis(**{**{item.name: getattr(analysis, item.name) for item in fields(RoiAnalysis)},
                          "steps": steps})
