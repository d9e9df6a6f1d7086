"""The typed, immutable parts of a programme design (cadence, capacity, circles, seniority, criteria
weights, rules, quotas, fairness, goals, agreement) and the plain-data helpers they share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta

__all__ = ["Rationale", "Cadence", "Capacity", "Circles", "Seniority", "CriteriaWeights", "Rules", "Quota", "Fairness",
           "GoalRange", "Agreement", "Change"]


@dataclass(frozen=True)
class Rationale:
    """Why and when to choose this kind of programme (for teaching and proposals)."""

    when_to_use: str
    benefits: tuple[str, ...]
    challenges: tuple[str, ...]


@dataclass(frozen=True)
class Cadence:
    """How often pairs or circles meet, and the programme's check-ins."""

    meetings_per_month: float
    meeting_minutes: int
    review_points_months: tuple[float, ...]
    response_time_hours: float


@dataclass(frozen=True)
class Capacity:
    """Mentees per mentor (circles per facilitator for ``circles``)."""

    default: int
    max: int


@dataclass(frozen=True)
class Circles:
    """Circle sizes and what each circle should mix (``shape: circles`` only)."""

    min_size: int
    max_size: int
    facilitators_per_circle: int
    balance: tuple[str, ...]


@dataclass(frozen=True)
class Seniority:
    """The seniority gap the programme needs (levels: 1 = entry level)."""

    direction: str
    min_gap: float
    ideal_gap: float
    max_gap: float


class CriteriaWeights(Mapping):
    """Criterion name -> weight (0-10), read-only; every name in :data:`CRITERIA` is present.

    Demographic criteria appear only when the design gives them.
    """

    __slots__ = ("_weights",)

    def __init__(self, weights: Mapping[str, float]) -> None:
        self._weights = dict(weights)

    def __getitem__(self, name: str) -> float:
        return self._weights[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._weights)

    def __len__(self) -> int:
        return len(self._weights)

    def __hash__(self) -> int:
        return hash(tuple(self._weights.items()))

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={weight:g}" for name, weight in self._weights.items())
        return f"CriteriaWeights({inside})"

    @property
    def total(self) -> float:
        """The sum of the weights: the highest score any pair can reach."""
        return float(sum(self._weights.values()))

    def active(self) -> tuple[str, ...]:
        """Criteria with a weight above zero, heaviest first (ties in :data:`CRITERIA` order)."""
        order = {name: position for position, name in enumerate(self._weights)}
        chosen = [name for name, weight in self._weights.items() if weight > 0]
        return tuple(sorted(chosen, key=lambda name: (-self._weights[name], order[name])))


@dataclass(frozen=True)
class Rules:
    """Hard rules: candidate pairs they forbid are removed before matching."""

    exclude_own_manager: bool
    exclude_reporting_line: bool
    exclude_same_team: bool
    exclude_same_department: bool
    require_shared_language: bool
    max_timezone_difference_hours: float | None
    min_availability_overlap_hours: float | None
    exclude_previous_partners: bool
    respect_exclusions: bool
    min_score: float | None


@dataclass(frozen=True)
class Quota:
    """At least ``min_matched`` people with ``attribute == value`` must be matched.

    Also readable like the YAML mapping (``quota["attribute"]``).
    """

    attribute: str
    value: Any
    min_matched: int

    def __getitem__(self, key: str) -> Any:
        if key not in ("attribute", "value", "min_matched"):
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class Fairness:
    """The fairness audit: groups to compare, the gap that is flagged, demographic scoring."""

    attributes: tuple[str, ...]
    max_match_rate_gap: float
    use_demographics_in_scores: bool


@dataclass(frozen=True)
class GoalRange:
    """How many goals each mentee sets."""

    min: int
    max: int


@dataclass(frozen=True)
class Agreement:
    """What goes into each mentoring agreement."""

    purpose: str
    channel: str
    goals_per_mentee: GoalRange
    exit: str


class Change(NamedTuple):
    """One difference between two designs (from :meth:`ProgramDesign.diff`)."""

    key: str
    before: Any
    after: Any


MISSING = object()  # a key absent from one side of a diff


def plain_number(value: Any) -> Any:
    """4.0 -> 4 so exported YAML reads as people write it; everything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def expand_dotted(changes: Mapping) -> dict:
    """``{"criteria.skills.weight": 6}`` -> ``{"criteria": {"skills": {"weight": 6}}}``."""
    expanded: dict = {}
    for key, value in changes.items():
        if isinstance(key, str) and "." in key:
            first, *rest = key.split(".")
            for part in reversed(rest):
                value = {part: value}
            key = first
        if isinstance(value, Mapping) and isinstance(expanded.get(key), Mapping):
            expanded[key] = deep_merge(expanded[key], value)
        else:
            expanded[key] = value
    return expanded


def deep_merge(base: Mapping, changes: Mapping) -> dict:
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = deep_merge(current, expand_dotted(value))
        else:
            merged[key] = value
    return merged


def flatten(data: Mapping, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat


def add_months(start: dt.date, months: float) -> dt.date:
    """``start`` plus ``months`` calendar months, with ``dateutil.relativedelta``.

    Whole months move the calendar month and keep the day, clamped to the last day of a
    shorter month (31 January + 1 month is 28/29 February). A fractional part (a review at
    1.5 months) is counted in 30-day months after the whole months are added, rounded to
    the nearest day with Python's ``round`` (halves to even): 1.5 months from 31 January
    is 28 February + 15 days = 15 March (in 2026). ``int`` truncates toward zero, so
    -1.5 months would be one calendar month back and then 15 days back.
    """
    whole = int(months)
    return start + relativedelta(months=whole, days=round((months - whole) * 30))
