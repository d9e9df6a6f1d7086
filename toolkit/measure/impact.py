"""Impact: retention and promotion against a comparison group, and ROI with every assumption named.

Participants are compared with the HR extract's comparison group. Each rate has a Wilson
interval; the difference has Newcombe's hybrid score interval. The comparison is not a
randomised trial: people who join a mentoring programme differ from those who do not
(motivation, manager support), so :data:`SELECTION_CAVEAT` is printed with every result.

The ROI calculator takes each assumption as a named parameter (from ``client.yaml``'s
``roi`` section) and returns them next to the result, so a reader can change any of them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from ..errors import ConfigError, Problem
from ..privacy import duplicates, enough
from ..programme import read_log, reporting_state

__all__ = ["wilson", "newcombe", "outcomes", "outcomes_shown", "ROIAssumptions", "roi", "SELECTION_CAVEAT"]

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


def outcomes(config) -> pd.DataFrame:
    """Retention and promotion rates for participants and the comparison group, with intervals.

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
    if any(len(frame) == 0 for frame in groups.values()):
        raise ConfigError("The HR extract needs both participant and comparison rows in its Group column.",
                          fix="ask HR for a comparison group of similar non-participants", path=config.get("hr_outcomes"))
    rows = []
    for outcome, test in (("retained", lambda frame: frame["status"].str.lower() == "active"),
                          ("promoted", lambda frame: frame["promotion_date"].notna())):
        counts = {name: (int(test(frame).sum()), len(frame)) for name, frame in groups.items()}
        for name, (count, people) in counts.items():
            low, high = wilson(count, people)
            row = {"outcome": outcome, "group": name, "people": people, "count": count, "rate": count / people,
                   "ci_low": low, "ci_high": high, "difference": None, "difference_low": None, "difference_high": None}
            if name == "participant":
                other = counts["comparison"]
                row["difference"] = count / people - other[0] / other[1]
                row["difference_low"], row["difference_high"] = newcombe(count, people, *other)
            rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs["caveat"] = SELECTION_CAVEAT
    return table


def outcomes_shown(table: pd.DataFrame, min_group: int) -> bool:
    """Whether HR outcomes (and the ROI built on them) may be shown: every group compared, participants
    and comparison, counts at least ``min_group`` people (the rates and the difference describe both)."""
    return bool(len(table)) and all(enough(people, min_group) for people in table["people"])


@dataclass
class ROIAssumptions:
    """Every assumption of the ROI calculation, by name (set them in client.yaml under roi:)."""

    currency: str = "GBP"
    programme_cost: float = 0.0
    average_salary: float = 0.0
    replacement_cost_share_of_salary: float = 0.5
    hours_per_meeting_participant: float = 1.0
    hourly_cost: float = 0.0


def roi(config, *, outcomes_table: pd.DataFrame | None = None, meetings: int | None = None,
        **overrides) -> pd.DataFrame:
    """Benefit-cost ratio and ROI %, with each assumption printed beside the result.

    Benefit: leavers avoided = (participant retention - comparison retention) x participants,
    each worth ``replacement_cost_share_of_salary x average_salary``. Cost: ``programme_cost``
    plus participants' time (``meetings x 2 people x hours_per_meeting_participant x hourly_cost``).
    """

    known = {name for name in ROIAssumptions.__dataclass_fields__}
    given = {**(config.get("roi") or {}), **overrides}
    unknown = [name for name in given if name not in known]
    if unknown:
        raise ConfigError(f"Unknown ROI assumption {unknown[0]!r}.", fix=f"use one of: {', '.join(sorted(known))}",
                          path=config.path)
    assumptions = ROIAssumptions(**given)
    table = outcomes_table if outcomes_table is not None else outcomes(config)
    retained = table[table["outcome"] == "retained"].set_index("group")
    participants = int(retained.at["participant", "people"])
    difference = float(retained.at["participant", "difference"])
    leavers_avoided = difference * participants
    benefit = leavers_avoided * assumptions.replacement_cost_share_of_salary * assumptions.average_salary
    # the meetings that count, as the health report counts them (the programme's timeline)
    meetings = meetings if meetings is not None else (len(reporting_state(config).meetings) if config.get("meetings")
                                                      else 0)
    time_cost = meetings * 2 * assumptions.hours_per_meeting_participant * assumptions.hourly_cost
    cost = assumptions.programme_cost + time_cost
    rows = [(name.replace("_", " "), value, "assumption") for name, value in asdict(assumptions).items()]
    rows += [
        ("participants", participants, "from the HR extract"),
        ("retention difference (participants - comparison)", round(difference, 4), "from the HR extract"),
        ("leavers avoided", round(leavers_avoided, 2), "difference x participants"),
        ("meetings logged", meetings, "from the meeting log"),
        ("benefit", round(benefit, 2), "leavers avoided x replacement share x salary"),
        ("cost", round(cost, 2), "programme cost + participants' meeting time"),
        ("benefit-cost ratio", round(benefit / cost, 3) if cost else float("nan"), "benefit / cost"),
        ("ROI %", round(100 * (benefit - cost) / cost, 1) if cost else float("nan"), "(benefit - cost) / cost"),
    ]
    frame = pd.DataFrame(rows, columns=["item", "value", "source"])
    frame.attrs["caveat"] = SELECTION_CAVEAT
    return frame
