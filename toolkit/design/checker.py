"""Reading a design's YAML with line numbers and checking it in one pass that collects every problem.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import DesignError, Problem, did_you_mean
from ..intake.schema import FIELD_NAMES
from ..safe_yaml import compose_yaml, read_yaml_text
from .parts import (
    Agreement,
    Cadence,
    Capacity,
    Circles,
    CriteriaWeights,
    Fairness,
    GoalRange,
    Quota,
    Rationale,
    Rules,
    Seniority,
    plain_number,
)
from .vocabulary import (
    CRITERIA,
    DEMOGRAPHIC_CRITERIA,
    DIRECTIONS,
    GROUPING_FIELDS,
    KINDS,
    MAX_WEIGHT,
    OBJECTIVES,
    REFERENCE_TEMPLATE,
    RULE_SETTINGS,
    SHAPES,
)

__all__ = ["DesignProblem"]


@dataclass(frozen=True)
class DesignProblem(Problem):
    """A :class:`~toolkit.errors.Problem` in a design, located by YAML line and key path.

    ``row`` holds the YAML line (1-based) and ``column`` the key path (``criteria.skils``),
    so the problem table of :meth:`DesignError.problems_frame` shows both; read them as
    :attr:`line` and :attr:`key`.
    """

    @property
    def line(self) -> int | None:
        return self.row

    @property
    def key(self) -> str | None:
        return self.column

    def location(self) -> str:
        parts = []
        if self.path:
            parts.append(Path(self.path).name)
        if self.row is not None:
            parts.append(f"line {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts)


def _dotted(key_path: tuple) -> str:
    text = ""
    for part in key_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def read_yaml(path: Path) -> tuple[Any, dict]:
    """The file's data and a map from key path to its 1-based line number."""
    text = read_yaml_text(path, error=DesignError, what="programme design file")
    try:
        data, node = compose_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        problem = DesignProblem(f"not valid YAML: {reason}",
                                "check the indentation and quoting on that line (text containing ': ' needs quotes)",
                                str(path), None if mark is None else mark.line + 1)
        raise DesignError(f"The programme design {path.name} could not be read:", path=path,
                          problems=[problem]) from None
    lines: dict = {}
    duplicates: list[tuple[tuple, int, int]] = []
    if node is not None:
        _collect_lines(node, (), lines, duplicates)
    if duplicates:
        problems = [DesignProblem(f"key given twice (first on line {first}); YAML silently keeps the second",
                                  "delete one of them", str(path), second, _dotted(key_path))
                    for key_path, first, second in duplicates]
        raise DesignError(f"The programme design {path.name} has repeated keys:", path=path, problems=problems)
    return data, lines


def _collect_lines(node: yaml.Node, key_path: tuple, lines: dict, duplicates: list) -> None:
    lines.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = key_path + (key_node.value,)
            if child in lines:
                duplicates.append((child, lines[child], key_node.start_mark.line + 1))
                continue
            lines[child] = key_node.start_mark.line + 1
            _collect_lines(value_node, child, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, key_path + (index,), lines, duplicates)


_INVALID = object()  # a value that failed its check; later cross-checks skip it


_TOP_LEVEL = ("kind", "name", "summary", "rationale", "duration_months", "cadence", "shape", "mentee_demand",
              "capacity", "circles", "seniority", "criteria", "rules", "objective", "quotas", "fairness",
              "agreement", "start_date", "end_date")


_OPTIONAL_TOP_LEVEL: dict[str, object] = {"circles": None, "quotas": [], "start_date": None, "end_date": None}


class Checker:
    """Collects problems while turning plain data into dataclass values."""

    def __init__(self, source: str, lines: dict) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[DesignProblem] = []

    # -- reporting --------------------------------------------------------------------------

    def add(self, key_path: tuple, message: str, fix: str = "", value: object = None) -> None:
        line = None
        for length in range(len(key_path), 0, -1):  # the key's own line, else its nearest parent's
            line = self.lines.get(key_path[:length])
            if line is not None:
                break
        self.problems.append(DesignProblem(message, fix, self.source, line, _dotted(key_path) or None, value))

    # -- generic checks ---------------------------------------------------------------------

    def mapping(self, key_path: tuple, value: Any, keys: tuple[str, ...], *, optional: Mapping | None = None,
                what: str = "key") -> dict | None:
        """Check a mapping's keys; returns it with optional keys filled in, or None."""
        optional = optional or {}
        if value is _INVALID:  # already reported as missing
            return None
        if not isinstance(value, Mapping):
            listed = ", ".join(keys)
            self.add(key_path, f"must be a mapping with the keys {listed}, not {_type_name(value)}",
                     f"write it as nested keys like {REFERENCE_TEMPLATE}", value)
            return None
        allowed = set(keys)
        misspelt = set()  # required keys already reported through a "did you mean" on a typo
        for key in value:
            if key not in allowed:
                hint = did_you_mean(str(key), keys)
                listed = ", ".join(keys)
                if hint:
                    misspelt.add(hint.split('"')[1])
                self.add(key_path + (key,), f'unknown {what} "{key}".{hint}',
                         f"use one of: {listed}" if not hint else "correct the spelling")
        result = dict(value)
        for key in keys:
            if key in misspelt and key not in value:
                result[key] = _INVALID
            elif key not in value:
                if key in optional:
                    result[key] = optional[key]
                else:
                    self.add(key_path + (key,), f'missing required key "{key}"',
                             f"add it (see {REFERENCE_TEMPLATE})")
                    result[key] = _INVALID
        return result

    def number(self, key_path: tuple, value: Any, *, low: float | None = None, high: float | None = None,
               integer: bool = False, low_open: bool = False, allow_none: bool = False, unit: str = "") -> Any:
        if value is _INVALID:
            return _INVALID
        if value is None and allow_none:
            return None
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            extra = " or null" if allow_none else ""
            self.add(key_path, f"must be {kind}{extra}, not {_type_name(value)}",
                     "write a plain number, without quotes", value)
            return _INVALID
        if not math.isfinite(value):
            self.add(key_path, "must be a finite number", "write a plain number", value)
            return _INVALID
        if integer and not float(value).is_integer():
            self.add(key_path, f"must be {kind}", f"use a whole number such as {math.floor(value)}", value)
            return _INVALID
        if (low is not None and (value < low or (low_open and value == low))) or \
                (high is not None and value > high):
            self.add(key_path, _range_message(low, high, low_open, unit), "choose a value within the range", value)
            return _INVALID
        return int(value) if integer else value

    def boolean(self, key_path: tuple, value: Any) -> Any:
        if value is _INVALID:
            return _INVALID
        if not isinstance(value, bool):
            self.add(key_path, f"must be true or false, not {_type_name(value)}", "write true or false", value)
            return _INVALID
        return value

    def text(self, key_path: tuple, value: Any, *, required: bool = True) -> Any:
        if value is _INVALID:
            return _INVALID
        if not isinstance(value, str):
            self.add(key_path, f"must be text, not {_type_name(value)}", "write it as text (quote it if needed)",
                     value)
            return _INVALID
        if required and not value.strip():
            self.add(key_path, "must not be empty", "write a short text")
            return _INVALID
        return value.strip()

    def option(self, key_path: tuple, value: Any, allowed: Mapping[str, str], what: str) -> Any:
        if value is _INVALID:
            return _INVALID
        if value not in allowed:
            listed = ", ".join(f'"{name}"' for name in allowed)
            self.add(key_path, f"unknown {what}; allowed values are {listed}.{did_you_mean(str(value), allowed)}",
                     f"use one of {listed}", value)
            return _INVALID
        return value

    def text_list(self, key_path: tuple, value: Any) -> Any:
        if value is _INVALID:
            return _INVALID
        if not isinstance(value, list):
            self.add(key_path, f"must be a list of texts, not {_type_name(value)}", "write one '- item' per line",
                     value)
            return _INVALID
        items = [self.text(key_path + (index,), item) for index, item in enumerate(value)]
        return _INVALID if _INVALID in items else tuple(items)

    def field_list(self, key_path: tuple, value: Any, purpose: str) -> Any:
        """A list of participant fields that can group people."""
        if value is _INVALID:
            return _INVALID
        if not isinstance(value, list):
            self.add(key_path, f"must be a list of participant fields, not {_type_name(value)}",
                     "write e.g. [department, site]", value)
            return _INVALID
        names = []
        for index, name in enumerate(value):
            checked = self.grouping_field(key_path + (index,), name, purpose)
            if checked is not _INVALID and checked in names:
                self.add(key_path + (index,), f'"{checked}" is listed twice', "list each field once", checked)
                checked = _INVALID
            names.append(checked)
        return _INVALID if _INVALID in names else tuple(names)

    def grouping_field(self, key_path: tuple, name: Any, purpose: str) -> Any:
        if not isinstance(name, str) or name not in FIELD_NAMES:
            self.add(key_path, f'"{name}" is not a participant field.{did_you_mean(str(name), FIELD_NAMES)}',
                     f"use a field that groups people: {', '.join(GROUPING_FIELDS)}", None)
            return _INVALID
        if name not in GROUPING_FIELDS:
            self.add(key_path, f'"{name}" differs from person to person, so it cannot group people for {purpose}',
                     f"use a field that groups people: {', '.join(GROUPING_FIELDS)}", None)
            return _INVALID
        return name

    def date(self, key_path: tuple, value: Any) -> Any:
        if value is None or value is _INVALID:
            return value
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(key_path, "must be a date written as YYYY-MM-DD", "write e.g. 2026-01-12", value)
        return _INVALID

    # -- the design, section by section -----------------------------------------------------

    def design(self, data: Any) -> dict:
        top = self.mapping((), data, _TOP_LEVEL, optional=_OPTIONAL_TOP_LEVEL)
        if top is None:
            return {}
        values: dict[str, Any] = {
            "kind": self.option(("kind",), top["kind"], KINDS, "programme kind"),
            "name": self.text(("name",), top["name"]),
            "summary": self.text(("summary",), top["summary"], required=False),
            "rationale": self.rationale(top["rationale"]),
            "duration_months": self.number(("duration_months",), top["duration_months"], low=1, high=36,
                                           integer=True, unit="months"),
            "shape": self.option(("shape",), top["shape"], SHAPES, "shape"),
            "mentee_demand": self.number(("mentee_demand",), top["mentee_demand"], low=1, high=5, integer=True),
            "objective": self.option(("objective",), top["objective"], OBJECTIVES, "objective"),
            "start_date": self.date(("start_date",), top["start_date"]),
            "end_date": self.date(("end_date",), top["end_date"]),
        }
        values["cadence"] = self.cadence(top["cadence"], values["duration_months"])
        values["capacity"] = self.capacity(top["capacity"])
        values["circles"] = self.circles(top["circles"], values["shape"])
        values["seniority"] = self.seniority(top["seniority"], values["shape"])
        values["fairness"] = self.fairness(top["fairness"])
        # Read the flag from the raw data so a typo elsewhere in fairness does not hide a demographic weight.
        raw_fairness = top["fairness"] if isinstance(top["fairness"], Mapping) else {}
        values["criteria"] = self.criteria(top["criteria"], raw_fairness.get("use_demographics_in_scores"))
        values["rules"] = self.rules(top["rules"], values["criteria"])
        values["quotas"] = self.quotas(top["quotas"])
        values["agreement"] = self.agreement(top["agreement"])

        shape = values["shape"]
        if shape in ("peer_pairs", "circles") and values["mentee_demand"] not in (_INVALID, 1):
            self.add(("mentee_demand",), f"must be 1 for shape {shape} (each person has one partner or circle)",
                     "set mentee_demand: 1", values["mentee_demand"])
        start, end = values["start_date"], values["end_date"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
            self.add(("end_date",), f"the end date is not after the start date ({start.isoformat()})",
                     "correct one of the two dates", end.isoformat())
        return values

    def rationale(self, value: Any) -> Any:
        section = self.mapping(("rationale",), value, ("when_to_use", "benefits", "challenges"))
        if section is None:
            return _INVALID
        return Rationale(
            self.text(("rationale", "when_to_use"), section["when_to_use"]),
            self.text_list(("rationale", "benefits"), section["benefits"]),
            self.text_list(("rationale", "challenges"), section["challenges"]),
        )

    def cadence(self, value: Any, duration: Any) -> Any:
        where = ("cadence",)
        section = self.mapping(where, value, ("meetings_per_month", "meeting_minutes", "review_points_months",
                                              "response_time_hours"))
        if section is None:
            return _INVALID
        per_month = self.number(where + ("meetings_per_month",), section["meetings_per_month"], low=0, high=8,
                                low_open=True, unit="meetings a month")
        minutes = self.number(where + ("meeting_minutes",), section["meeting_minutes"], low=10, high=480,
                              integer=True, unit="minutes")
        response = self.number(where + ("response_time_hours",), section["response_time_hours"], low=0, high=336,
                               low_open=True, unit="hours")
        points = section["review_points_months"]
        months: Any = _INVALID
        if points is not _INVALID:
            if not isinstance(points, list):
                self.add(where + ("review_points_months",), f"must be a list of months, not {_type_name(points)}",
                         "write e.g. [1, 3, 6]", points)
            else:
                checked = [self.number(where + ("review_points_months", index), month, low=0, low_open=True)
                           for index, month in enumerate(points)]
                if _INVALID not in checked:
                    months = tuple(checked)
                    if list(months) != sorted(set(months)):
                        self.add(where + ("review_points_months",), "must be in increasing order without repeats",
                                 "sort the months", points)
                        months = _INVALID
                    elif duration is not _INVALID:
                        for index, month in enumerate(months):
                            if month > duration:
                                self.add(where + ("review_points_months", index),
                                         f"review point after the programme ends (duration_months is {duration})",
                                         "remove it or lengthen duration_months", month)
                                months = _INVALID
        if _INVALID in (per_month, minutes, response, months):
            return _INVALID
        return Cadence(per_month, minutes, months, response)

    def capacity(self, value: Any) -> Any:
        section = self.mapping(("capacity",), value, ("default", "max"))
        if section is None:
            return _INVALID
        default = self.number(("capacity", "default"), section["default"], low=1, high=20, integer=True)
        most = self.number(("capacity", "max"), section["max"], low=1, high=20, integer=True)
        if _INVALID in (default, most):
            return _INVALID
        if default > most:
            self.add(("capacity", "default"), f"the default capacity is above the maximum ({most})",
                     "lower capacity.default or raise capacity.max", default)
            return _INVALID
        return Capacity(default, most)

    def circles(self, value: Any, shape: Any) -> Any:
        where = ("circles",)
        if value is _INVALID:
            return _INVALID
        if value is None:
            if shape == "circles":
                self.add(where, "shape is circles but no circle sizes are given",
                         "add circles: {min_size: 4, max_size: 6, facilitators_per_circle: 1, balance: [department]}")
                return _INVALID
            return None
        if shape not in ("circles", _INVALID):
            self.add(where, f'circles are set but shape is "{shape}"',
                     "set circles: null, or shape: circles")
            return _INVALID
        section = self.mapping(where, value, ("min_size", "max_size", "facilitators_per_circle", "balance"))
        if section is None:
            return _INVALID
        smallest = self.number(where + ("min_size",), section["min_size"], low=2, high=30, integer=True,
                               unit="members")
        largest = self.number(where + ("max_size",), section["max_size"], low=2, high=30, integer=True,
                              unit="members")
        facilitators = self.number(where + ("facilitators_per_circle",), section["facilitators_per_circle"],
                                   low=1, high=3, integer=True)
        balance = self.field_list(where + ("balance",), section["balance"], "circle balance")
        if _INVALID not in (smallest, largest) and smallest > largest:
            self.add(where + ("min_size",), f"the smallest circle size is above the largest ({largest})",
                     "lower circles.min_size or raise circles.max_size", smallest)
            return _INVALID
        if _INVALID in (smallest, largest, facilitators, balance):
            return _INVALID
        return Circles(smallest, largest, facilitators, balance)

    def seniority(self, value: Any, shape: Any) -> Any:
        where = ("seniority",)
        section = self.mapping(where, value, ("direction", "min_gap", "ideal_gap", "max_gap"))
        if section is None:
            return _INVALID
        direction = self.option(where + ("direction",), section["direction"], DIRECTIONS, "seniority direction")
        gaps = {name: self.number(where + (name,), section[name], low=0, high=10, unit="levels")
                for name in ("min_gap", "ideal_gap", "max_gap")}
        if shape == "peer_pairs" and direction not in (_INVALID, "similar", "any"):
            self.add(where + ("direction",), 'peers mentor each other, so shape peer_pairs needs direction '
                     '"similar" or "any"', 'set seniority.direction: similar', direction)
            direction = _INVALID
        low, ideal, high = gaps["min_gap"], gaps["ideal_gap"], gaps["max_gap"]
        if _INVALID not in (low, high) and low > high:
            self.add(where + ("min_gap",), f"min_gap is above max_gap ({high:g})", "lower min_gap or raise max_gap",
                     low)
            return _INVALID
        if _INVALID not in (low, ideal, high) and not low <= ideal <= high:
            self.add(where + ("ideal_gap",), f"ideal_gap must lie between min_gap ({low:g}) and max_gap ({high:g})",
                     "choose an ideal gap in that range", ideal)
            return _INVALID
        if _INVALID in (direction, low, ideal, high):
            return _INVALID
        return Seniority(direction, low, ideal, high)

    def criteria(self, value: Any, demographic_scoring: Any) -> Any:
        where = ("criteria",)
        if not isinstance(value, Mapping):
            if value is not _INVALID:
                self.add(where, f"must be a mapping of criterion: {{weight: 0-10}}, not {_type_name(value)}",
                         f"write e.g. skills: {{weight: 4}} (see {REFERENCE_TEMPLATE})", value)
            return _INVALID
        known = list(CRITERIA) + list(DEMOGRAPHIC_CRITERIA)
        weights: dict[str, float] = dict.fromkeys(CRITERIA, 0.0)
        broken = False
        for name, entry in value.items():
            key_path: tuple = where + (name,)
            if name not in known:
                hint = did_you_mean(str(name), known)
                self.add(key_path, f'unknown criterion "{name}".{hint}',
                         "correct the spelling" if hint else f"use one of: {', '.join(CRITERIA)}")
                broken = True
                continue
            # A bare number is shorthand for {weight: n}: handy in overrides and sliders.
            if isinstance(entry, Mapping):
                checked = self.mapping(key_path, entry, ("weight",))
                weight = _INVALID if checked is None else checked["weight"]
                key_path = key_path + ("weight",)
            else:
                weight = entry
            weight = self.number(key_path, weight, low=0, high=MAX_WEIGHT, unit="weight")
            if weight is _INVALID:
                broken = True
                continue
            weights[name] = float(weight)
        for name in DEMOGRAPHIC_CRITERIA:
            if weights.get(name) and demographic_scoring is not True:
                self.add(where + (name, "weight"),
                         f'"{name}" is a demographic field and fairness.use_demographics_in_scores is false',
                         "set the weight to 0, or set fairness.use_demographics_in_scores: true after an "
                         "explicit decision to score on it", plain_number(weights[name]))
                broken = True
        if broken:
            return _INVALID
        if not any(weights.values()):
            self.add(where, "every criterion weight is 0, so there is nothing to optimise",
                     "give at least one criterion a weight above 0 (skills is the usual choice)")
            return _INVALID
        return CriteriaWeights(weights)

    def rules(self, value: Any, criteria: Any) -> Any:
        where = ("rules",)
        section = self.mapping(where, value, tuple(RULE_SETTINGS), what="rule")
        if section is None:
            return _INVALID
        checked = {}
        for name in RULE_SETTINGS:
            if name == "max_timezone_difference_hours":
                checked[name] = self.number(where + (name,), section[name], low=0, high=12, allow_none=True,
                                            unit="hours")
            elif name == "min_availability_overlap_hours":
                checked[name] = self.number(where + (name,), section[name], low=0, high=40, low_open=True,
                                            allow_none=True, unit="hours a week")
            elif name == "min_score":
                checked[name] = self.number(where + (name,), section[name], low=0, allow_none=True)
            else:
                checked[name] = self.boolean(where + (name,), section[name])
        minimum = checked["min_score"]
        if isinstance(criteria, CriteriaWeights) and minimum not in (None, _INVALID) and minimum > criteria.total:
            self.add(where + ("min_score",), f"no pair can score above {criteria.total:g} (the sum of the weights), "
                     "so every pair would be refused", "lower rules.min_score or set it to null", minimum)
            return _INVALID
        if _INVALID in checked.values():
            return _INVALID
        return Rules(**checked)

    def quotas(self, value: Any) -> Any:
        where = ("quotas",)
        if value is None:
            return ()
        if value is _INVALID:
            return _INVALID
        if not isinstance(value, list):
            self.add(where, f"must be a list, not {_type_name(value)}",
                     "write e.g. [{attribute: department, value: Finance, min_matched: 5}] or []", value)
            return _INVALID
        quotas = []
        for index, entry in enumerate(value):
            key_path = where + (index,)
            section = self.mapping(key_path, entry, ("attribute", "value", "min_matched"))
            if section is None:
                quotas.append(_INVALID)
                continue
            attribute = section["attribute"]
            if attribute is not _INVALID:
                attribute = self.grouping_field(key_path + ("attribute",), attribute, "a quota")
            quota_value = section["value"]
            if quota_value is not _INVALID and (quota_value is None or isinstance(quota_value, (list, Mapping))):
                self.add(key_path + ("value",), "must be one value of the attribute (e.g. Finance)",
                         "write the single value the quota counts", quota_value)
                quota_value = _INVALID
            least = self.number(key_path + ("min_matched",), section["min_matched"], low=1, integer=True,
                                unit="people")
            quotas.append(_INVALID if _INVALID in (attribute, quota_value, least)
                          else Quota(attribute, quota_value, least))
        return _INVALID if _INVALID in quotas else tuple(quotas)

    def fairness(self, value: Any) -> Any:
        where = ("fairness",)
        section = self.mapping(where, value, ("attributes", "max_match_rate_gap", "use_demographics_in_scores"))
        if section is None:
            return _INVALID
        attributes = self.field_list(where + ("attributes",), section["attributes"], "a fairness audit")
        gap = self.number(where + ("max_match_rate_gap",), section["max_match_rate_gap"], low=0, high=1,
                          low_open=True, unit="a share: 0.10 means 10 percentage points")
        scores = self.boolean(where + ("use_demographics_in_scores",), section["use_demographics_in_scores"])
        if _INVALID in (attributes, gap, scores):
            return _INVALID
        return Fairness(attributes, gap, scores)

    def agreement(self, value: Any) -> Any:
        where = ("agreement",)
        section = self.mapping(where, value, ("purpose", "channel", "goals_per_mentee", "exit"))
        if section is None:
            return _INVALID
        purpose = self.text(where + ("purpose",), section["purpose"])
        channel = self.text(where + ("channel",), section["channel"])
        exit_route = self.text(where + ("exit",), section["exit"])
        goals: Any = _INVALID
        range_section = section["goals_per_mentee"]
        if range_section is not _INVALID:
            checked = self.mapping(where + ("goals_per_mentee",), range_section, ("min", "max"))
            if checked is not None:
                fewest = self.number(where + ("goals_per_mentee", "min"), checked["min"], low=0, high=10,
                                     integer=True, unit="goals")
                most = self.number(where + ("goals_per_mentee", "max"), checked["max"], low=1, high=10,
                                   integer=True, unit="goals")
                if _INVALID not in (fewest, most):
                    if fewest > most:
                        self.add(where + ("goals_per_mentee", "min"), f"min is above max ({most})",
                                 "lower min or raise max", fewest)
                    else:
                        goals = GoalRange(fewest, most)
        if _INVALID in (purpose, channel, exit_route, goals):
            return _INVALID
        return Agreement(purpose, channel, goals, exit_route)


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def _range_message(low: float | None, high: float | None, low_open: bool, unit: str) -> str:
    suffix = f" ({unit})" if unit else ""
    if low is not None and high is not None:
        if low_open:
            return f"must be above {low:g} and at most {high:g}{suffix}"
        return f"must be between {low:g} and {high:g}{suffix}"
    if low is not None:
        return f"must be {'above' if low_open else 'at least'} {low:g}{suffix}"
    return f"must be at most {high:g}{suffix}"
