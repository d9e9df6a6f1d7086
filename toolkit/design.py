"""Programme designs: what kind of mentoring, how often, and how people are matched.

A :class:`ProgramDesign` is loaded from a YAML template in ``templates/programs/``
(``formal.yaml`` is the reference: every key is documented there), validated in full,
and then read through typed, immutable attributes::

    import toolkit as tk

    design = tk.ProgramDesign.from_template("formal")
    design.criteria["skills"]            # 4.0
    design.rules.exclude_same_team       # True
    print(design.describe())             # a plain-language paragraph for reports

    scenario = design.override({"criteria": {"skills": {"weight": 6}},
                                "rules": {"exclude_same_team": False}})
    scenario.diff(design)                # what changed, key by key

Validation collects every problem before raising one :class:`~toolkit.errors.DesignError`
whose lines name the file, the YAML line, the key path and the value, with a fix.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import DesignError, Problem, _show, did_you_mean
from .schema import FIELD_NAMES, FIELDS, SENSITIVE_FIELDS

__all__ = [
    "ProgramDesign",
    "Rationale",
    "Cadence",
    "Capacity",
    "Circles",
    "Seniority",
    "CriteriaWeights",
    "Rules",
    "Quota",
    "Fairness",
    "GoalRange",
    "Agreement",
    "Change",
    "DesignProblem",
    "KINDS",
    "SHAPES",
    "DIRECTIONS",
    "OBJECTIVES",
    "CRITERIA",
    "DEMOGRAPHIC_CRITERIA",
    "RULE_SETTINGS",
    "TEMPLATES_ENV",
    "templates_dir",
    "programs_dir",
]

# ------------------------------------------------------------------------------------------------
# Vocabulary: the option strings a design may use, each with a description the studio can show.
# ------------------------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "formal": "Structured one-to-one mentoring with a more senior colleague, goals and check-ins.",
    "informal": "Light-touch one-to-one mentoring; mentees choose, few rules.",
    "peer": "Pairs of colleagues at a similar level who mentor each other.",
    "reverse": "Junior colleagues mentor senior leaders (digital skills, fresh perspectives).",
    "group": "Circles of mentees with one facilitating mentor.",
    "virtual": "One-to-one mentoring across sites and time zones, meeting by video.",
}

SHAPES: dict[str, str] = {
    "one_to_one": "each mentee gets one mentor; each mentor takes up to their capacity",
    "peer_pairs": "one pool; pairs of peers; nobody with themselves",
    "circles": "groups of members with one facilitator mentor each",
}

DIRECTIONS: dict[str, str] = {
    "mentor_senior": "mentor at least min_gap levels above the mentee",
    "mentee_senior": "mentee at least min_gap levels above the mentor (reverse mentoring)",
    "similar": "at most max_gap levels apart",
    "any": "seniority ignored",
}

OBJECTIVES: dict[str, str] = {
    "max_total": "highest total score",
    "max_min": "best worst-off match first, then highest total",
    "max_participation": "most people matched first, then highest total",
}

CRITERIA: dict[str, str] = {
    "skills": "The mentor's skills_offered cover the mentee's skills_sought.",
    "goals": "The mentor is suited to the mentee's development goals.",
    "seniority": "The seniority gap is close to the ideal gap in the required direction.",
    "language": "Languages in common, beyond the one the pair must share.",
    "cross_department": "1 when mentor and mentee are in different departments.",
    "timezone": "Working-hours overlap across the two time zones.",
    "availability": "Overlap of the two people's stated weekly availability.",
    "meeting_mode": "Compatible meeting-mode preferences (in person, virtual, hybrid).",
    "preferences": "The mentee ranked this mentor (first choice scores highest).",
}

# Demographic criteria score "same group" (1 when both people share the value). They are
# refused unless fairness.use_demographics_in_scores is true, because scoring on protected
# characteristics needs an explicit, documented decision (e.g. a women-in-leadership programme).
DEMOGRAPHIC_CRITERIA: dict[str, str] = {
    name: f"1 when both people give the same {name.replace('_', ' ')} "
          "(only with fairness.use_demographics_in_scores: true)."
    for name in sorted(SENSITIVE_FIELDS)
}

RULE_SETTINGS: dict[str, str] = {
    "exclude_own_manager": "Never match someone with their line manager.",
    "exclude_reporting_line": "Never match anyone above or below someone in their reporting line.",
    "exclude_same_team": "Never match two people from the same team.",
    "exclude_same_department": "Never match two people from the same department.",
    "require_shared_language": "Pairs must share at least one language.",
    "max_timezone_difference_hours": "Largest allowed time-zone difference in hours (null = no limit).",
    "min_availability_overlap_hours": "Least shared weekly availability in hours (null = not checked).",
    "exclude_previous_partners": "When re-matching, never repeat a previous pair.",
    "respect_exclusions": "Honour the do-not-match lists participants gave.",
    "min_score": "Pairs scoring below this are not allowed (null = no minimum).",
}

# Labels for sentences in describe(); names stay in YAML form everywhere else.
_CRITERION_LABELS = {
    "skills": "skills", "goals": "goals", "seniority": "seniority", "language": "language",
    "cross_department": "cross-department", "timezone": "time zone", "availability": "availability",
    "meeting_mode": "meeting mode", "preferences": "preferences", "gender": "same gender",
    "age_band": "same age band", "ethnicity": "same ethnicity",
}

# Fields that group people (a department, a level); identifiers and free text cannot.
_GROUPING_KINDS = ("category", "role", "level", "mode", "bool", "timezone", "int", "number")
GROUPING_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in _GROUPING_KINDS)

TEMPLATES_ENV = "MENTORING_TOOLKIT_TEMPLATES"
_REFERENCE_TEMPLATE = "templates/programs/formal.yaml"
_MAX_WEIGHT = 10.0

# ------------------------------------------------------------------------------------------------
# Where templates live
# ------------------------------------------------------------------------------------------------


def templates_dir() -> Path:
    """The toolkit's ``templates/`` folder (programmes, goals, surveys, agreements, ...).

    Looked up in this order: the folder named by the environment variable
    ``MENTORING_TOOLKIT_TEMPLATES``; the ``templates/`` folder next to the ``toolkit``
    package (a source checkout or editable install); a ``templates/`` folder holding
    ``programs/`` in the working directory or one of its parents (a non-editable
    install run from inside a checkout, e.g. from ``notebooks/``).

    Returns
    -------
    pathlib.Path
        The folder that holds ``programs/``.

    Raises
    ------
    DesignError
        When the environment variable names a missing folder, or no folder is found.
    """
    configured = os.environ.get(TEMPLATES_ENV)
    if configured:
        folder = Path(configured).expanduser()
        if not folder.is_dir():
            raise DesignError(
                f"{TEMPLATES_ENV} is set to {configured!r}, which is not a folder.",
                fix=f"point {TEMPLATES_ENV} at the toolkit's templates folder (the one holding programs/), "
                    "or unset it",
            )
        return folder
    beside_package = Path(__file__).resolve().parent.parent / "templates"
    here = Path.cwd()
    for candidate in (beside_package, *(folder / "templates" for folder in (here, *here.parents))):
        if (candidate / "programs").is_dir():
            return candidate
    raise DesignError(
        "The toolkit's templates folder was not found next to the package or above the working directory.",
        fix=f"set the environment variable {TEMPLATES_ENV} to the templates folder of a toolkit checkout",
    )


def programs_dir() -> Path:
    """The folder of programme templates: ``templates_dir() / "programs"``."""
    return templates_dir() / "programs"


# ------------------------------------------------------------------------------------------------
# Problems located by YAML line and key path
# ------------------------------------------------------------------------------------------------


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

    def describe(self) -> str:
        where = self.location()
        text = f"{where}: " if where else ""
        if self.value is not None and str(self.value) != "":
            text += f"value {_show(self.value)}: "
        # Keep "Did you mean "x"?" as a question rather than appending a full stop to it.
        text += self.message if self.message.endswith(("?", ".", "!")) else self.message + "."
        if self.fix:
            text += f" Fix: {self.fix.rstrip('.')}."
        return text


def _dotted(key_path: tuple) -> str:
    text = ""
    for part in key_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# ------------------------------------------------------------------------------------------------
# The typed, immutable design
# ------------------------------------------------------------------------------------------------


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


_MISSING = object()  # a key absent from one side of a diff


@dataclass(frozen=True, repr=False)
class ProgramDesign:
    """A validated, immutable mentoring-programme design.

    Build one with :meth:`from_template`, :meth:`from_yaml` or :meth:`from_dict`; derive
    scenarios with :meth:`override`. Attributes mirror the YAML keys of
    ``templates/programs/formal.yaml``; ``start_date``/``end_date`` are optional dates set
    by a client's overrides, and ``source`` says where the design came from (it is not
    compared: a design equals its own round trip through :meth:`to_dict`).
    """

    kind: str
    name: str
    summary: str
    rationale: Rationale
    duration_months: int
    cadence: Cadence
    shape: str
    mentee_demand: int
    capacity: Capacity
    circles: Circles | None
    seniority: Seniority
    criteria: CriteriaWeights
    rules: Rules
    objective: str
    quotas: tuple[Quota, ...]
    fairness: Fairness
    agreement: Agreement
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str = field(default="<dict>", compare=False)

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def kinds(cls) -> list[str]:
        """Template names available in :func:`programs_dir` (the six built-in kinds first)."""
        stems = {path.stem for path in programs_dir().glob("*.yaml")}
        return [kind for kind in KINDS if kind in stems] + sorted(stems - set(KINDS))

    @classmethod
    def from_template(cls, kind: str) -> "ProgramDesign":
        """The design in ``templates/programs/<kind>.yaml``.

        Parameters
        ----------
        kind
            ``formal``, ``informal``, ``peer``, ``reverse``, ``group`` or ``virtual`` (or
            the name of any other template in the folder; see :meth:`kinds`).

        Raises
        ------
        DesignError
            For an unknown kind (listing the available ones) or an invalid template.
        """
        available = cls.kinds()
        if kind not in available:
            listed = ", ".join(f'"{name}"' for name in available) or "none found"
            raise DesignError(
                f'There is no programme template "{kind}".{did_you_mean(str(kind), available)} '
                f"Available templates: {listed}",
                fix="use one of them, or ProgramDesign.from_yaml(path) for a design file of your own",
            )
        return cls.from_yaml(programs_dir() / f"{kind}.yaml")

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> "ProgramDesign":
        """Load and validate a design from a YAML file.

        Designs are immutable, so a file already loaded (same path, size and
        modification time) is returned from a cache.

        Raises
        ------
        DesignError
            When the file is missing, is not YAML, or has any invalid key or value
            (all problems at once, each with its line and key path).
        """
        path = Path(path)
        try:
            status = path.stat()
        except OSError:
            raise DesignError("The programme design file does not exist.", path=path,
                              fix="check the path, or use ProgramDesign.from_template(kind)") from None
        cache_key = (str(path.resolve()), status.st_mtime_ns, status.st_size)
        cached = _FILE_CACHE.get(cache_key)
        if cached is not None:
            return cached
        data, lines = _read_yaml(path)
        design = cls._build(data, source=str(path), lines=lines)
        _FILE_CACHE[cache_key] = design
        return design

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "<dict>") -> "ProgramDesign":
        """Validate a design given as plain data (the shape of the YAML).

        Parameters
        ----------
        data
            A mapping with the keys of ``templates/programs/formal.yaml``. A criterion may
            be given as ``{weight: 4}`` or just ``4``.
        source
            Where the data came from, named in error messages.
        """
        return cls._build(data, source=source, lines={})

    @classmethod
    def _build(cls, data: Any, *, source: str, lines: dict, problem_path: str | None = None) -> "ProgramDesign":
        checker = _Checker(problem_path or source, lines)
        values = checker.design(data)
        if checker.problems:
            # Listed in file order, so the message reads top to bottom like the YAML; key-less problems last.
            checker.problems.sort(key=lambda problem: (problem.row is None, problem.row or 0))
            count = len(checker.problems)
            raise DesignError(
                f"The programme design {Path(problem_path or source).name} has "
                f"{count} problem{'s' if count != 1 else ''}:",
                fix=f"Every key is documented in {_REFERENCE_TEMPLATE}.",
                path=source,
                problems=checker.problems,
            )
        return cls(**values, source=source)

    # -- scenarios ------------------------------------------------------------------------------

    def override(self, changes: Mapping) -> "ProgramDesign":
        """A new, validated design with ``changes`` deep-merged into this one.

        Nested mappings merge key by key; anything else (lists, numbers, ``None``)
        replaces the value. Dotted keys are accepted too:
        ``{"criteria.skills.weight": 6}`` equals ``{"criteria": {"skills": {"weight": 6}}}``.

        Parameters
        ----------
        changes
            For example ``{"criteria": {"skills": {"weight": 6}}, "rules": {"exclude_same_team": False}}``,
            or a client's ``name``, ``start_date`` and ``end_date``.

        Raises
        ------
        DesignError
            When the merged design is invalid; this design is left unchanged.
        """
        if not isinstance(changes, Mapping):
            raise DesignError(f"Overrides must be a mapping of keys to new values, not {type(changes).__name__}.",
                              fix='pass e.g. {"duration_months": 6}')
        merged = _deep_merge(self.to_dict(), _expand_dotted(changes))
        return type(self)._build(merged, source=self.source, lines={}, problem_path=f"{self.source} (override)")

    def with_overrides(self, **changes: Any) -> "ProgramDesign":
        """Keyword form of :meth:`override`: ``design.with_overrides(duration_months=6)``."""
        return self.override(changes)

    def diff(self, other: "ProgramDesign") -> list[Change]:
        """Every key whose value differs between this design and ``other``.

        Keys are dotted YAML paths (``criteria.skills.weight``, ``rules.exclude_same_team``);
        lists (quotas, review points, balance) are compared whole. ``before`` is this
        design's value, ``after`` the other's (``None`` when absent).
        """
        mine, theirs = _flatten(self.to_dict()), _flatten(other.to_dict())
        changes = []
        for key in list(mine) + [key for key in theirs if key not in mine]:
            before, after = mine.get(key, _MISSING), theirs.get(key, _MISSING)
            if before != after:
                changes.append(Change(key, None if before is _MISSING else before,
                                      None if after is _MISSING else after))
        return changes

    # -- plain data -----------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The design as plain data in the YAML's shape (dates as ISO strings).

        ``ProgramDesign.from_dict(design.to_dict()) == design`` always holds.
        """
        data = {
            "kind": self.kind,
            "name": self.name,
            "summary": self.summary,
            "rationale": {
                "when_to_use": self.rationale.when_to_use,
                "benefits": list(self.rationale.benefits),
                "challenges": list(self.rationale.challenges),
            },
            "duration_months": self.duration_months,
            "cadence": {
                "meetings_per_month": _plain_number(self.cadence.meetings_per_month),
                "meeting_minutes": self.cadence.meeting_minutes,
                "review_points_months": [_plain_number(month) for month in self.cadence.review_points_months],
                "response_time_hours": _plain_number(self.cadence.response_time_hours),
            },
            "shape": self.shape,
            "mentee_demand": self.mentee_demand,
            "capacity": {"default": self.capacity.default, "max": self.capacity.max},
            "circles": None if self.circles is None else {
                "min_size": self.circles.min_size,
                "max_size": self.circles.max_size,
                "facilitators_per_circle": self.circles.facilitators_per_circle,
                "balance": list(self.circles.balance),
            },
            "seniority": {
                "direction": self.seniority.direction,
                "min_gap": _plain_number(self.seniority.min_gap),
                "ideal_gap": _plain_number(self.seniority.ideal_gap),
                "max_gap": _plain_number(self.seniority.max_gap),
            },
            "criteria": {name: {"weight": _plain_number(weight)} for name, weight in self.criteria.items()},
            "rules": {name: _plain_number(getattr(self.rules, name)) for name in RULE_SETTINGS},
            "objective": self.objective,
            "quotas": [{"attribute": quota.attribute, "value": quota.value, "min_matched": quota.min_matched}
                       for quota in self.quotas],
            "fairness": {
                "attributes": list(self.fairness.attributes),
                "max_match_rate_gap": _plain_number(self.fairness.max_match_rate_gap),
                "use_demographics_in_scores": self.fairness.use_demographics_in_scores,
            },
            "agreement": {
                "purpose": self.agreement.purpose,
                "channel": self.agreement.channel,
                "goals_per_mentee": {"min": self.agreement.goals_per_mentee.min,
                                     "max": self.agreement.goals_per_mentee.max},
                "exit": self.agreement.exit,
            },
        }
        if self.start_date is not None:
            data["start_date"] = self.start_date.isoformat()
        if self.end_date is not None:
            data["end_date"] = self.end_date.isoformat()
        return data

    def to_yaml(self, path: str | os.PathLike | None = None) -> str:
        """The design as YAML text (loadable with :meth:`from_yaml`); also written to ``path`` if given."""
        header = f"# Programme design exported by mentoring-toolkit (from {Path(self.source).name}).\n" \
                 f"# Every key is documented in {_REFERENCE_TEMPLATE}.\n"
        text = header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- derived facts --------------------------------------------------------------------------

    @property
    def max_score(self) -> float:
        """The highest score a pair can reach (every criterion part is at most 1)."""
        return self.criteria.total

    @property
    def expected_meetings(self) -> float:
        """Meetings a pair or circle should hold over the whole programme."""
        return self.cadence.meetings_per_month * self.duration_months

    @property
    def planned_end_date(self) -> dt.date | None:
        """``end_date`` if set, else ``start_date`` plus ``duration_months`` (None without a start)."""
        if self.end_date is not None:
            return self.end_date
        if self.start_date is None:
            return None
        return _add_months(self.start_date, self.duration_months)

    def review_dates(self) -> list[dt.date]:
        """The dates of the review points (empty without a start date)."""
        if self.start_date is None:
            return []
        return [_add_months(self.start_date, month) for month in self.cadence.review_points_months]

    # -- words ----------------------------------------------------------------------------------

    def describe(self) -> str:
        """A short plain-language paragraph about the design, for reports and emails.

        Every sentence is computed from the design's values, so it changes with them.
        """
        sentences = [
            f"{_shape_phrase(self)} for {_plural(self.duration_months, 'month')}, meeting "
            f"{_frequency(self.cadence.meetings_per_month)} for {self.cadence.meeting_minutes} minutes."
        ]
        if self.start_date is not None:
            sentences.append(f"It runs from {_long_date(self.start_date)} to {_long_date(self.planned_end_date)}.")
        sentences.append(_capacity_sentence(self))
        seniority = _seniority_sentence(self)
        if seniority:
            sentences.append(seniority)
        sentences.append(_criteria_sentence(self.criteria))
        sentences += _rules_sentences(self.rules, self.shape)
        sentences.append(f"Objective: {_OBJECTIVE_PHRASES[self.objective]}.")
        if self.quotas:
            sentences.append("Quotas: " + _join([
                f"at least {quota.min_matched} matched with {quota.attribute.replace('_', ' ')} {quota.value}"
                for quota in self.quotas]) + ".")
        if self.fairness.attributes:
            sentences.append(
                "Match rates are audited by " + _join([name.replace("_", " ") for name in self.fairness.attributes])
                + f" (gaps above {self.fairness.max_match_rate_gap * 100:g} percentage points are flagged).")
        return " ".join(sentence for sentence in sentences if sentence)

    def rationale_markdown(self, heading_level: int = 3) -> str:
        """The rationale as Markdown: summary, when to use, benefits, challenges (for teaching notebooks)."""
        hashes = "#" * max(1, min(6, heading_level))
        lines = [f"{hashes} {self.name}", "", self.summary, "", f"**When to use it.** {self.rationale.when_to_use}",
                 "", "**Benefits**", ""]
        lines += [f"- {item}" for item in self.rationale.benefits]
        lines += ["", "**Challenges**", ""]
        lines += [f"- {item}" for item in self.rationale.challenges]
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return f"ProgramDesign(kind={self.kind!r}, name={self.name!r}, source={Path(self.source).name!r})"

    def _repr_markdown_(self) -> str:
        weights = " · ".join(f"{_CRITERION_LABELS.get(name, name)} {self.criteria[name]:g}"
                             for name in self.criteria.active())
        return (f"**{self.name}** (`{self.kind}`, {self.shape}, from `{Path(self.source).name}`)\n\n"
                f"{self.describe()}\n\n**Weights:** {weights}\n")

    def _repr_html_(self) -> str:
        escape = html.escape
        rows = "".join(
            f"<tr><td>{escape(_CRITERION_LABELS.get(name, name))}</td><td style='text-align:right'>{weight:g}</td></tr>"
            for name, weight in self.criteria.items())
        benefits = "".join(f"<li>{escape(item)}</li>" for item in self.rationale.benefits)
        challenges = "".join(f"<li>{escape(item)}</li>" for item in self.rationale.challenges)
        return (
            "<div class='mentoring-design'>"
            f"<h4 style='margin-bottom:0.2em'>{escape(self.name)}</h4>"
            f"<div style='color:#666'><code>{escape(self.kind)}</code> · {escape(self.shape)} · "
            f"{escape(Path(self.source).name)}</div>"
            f"<p>{escape(self.describe())}</p>"
            "<details><summary>Criteria weights</summary>"
            f"<table><tr><th>criterion</th><th>weight</th></tr>{rows}</table></details>"
            "<details><summary>Rationale</summary>"
            f"<p><b>When to use it.</b> {escape(self.rationale.when_to_use)}</p>"
            f"<p><b>Benefits</b></p><ul>{benefits}</ul><p><b>Challenges</b></p><ul>{challenges}</ul></details>"
            "</div>"
        )


_FILE_CACHE: dict[tuple, ProgramDesign] = {}

# ------------------------------------------------------------------------------------------------
# Reading YAML with line numbers
# ------------------------------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> tuple[Any, dict]:
    """The file's data and a map from key path to its 1-based line number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DesignError(f"The programme design file could not be read ({error}).", path=path,
                          fix="save it as UTF-8 text") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        problem = DesignProblem(f"not valid YAML: {reason}",
                                "check the indentation and quoting on that line (text containing ': ' needs quotes)",
                                str(path), None if mark is None else mark.line + 1)
        raise DesignError(f"The programme design {path.name} could not be read:", path=path,
                          problems=[problem]) from None
    finally:
        loader.dispose()
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


# ------------------------------------------------------------------------------------------------
# Validation: one pass that collects every problem
# ------------------------------------------------------------------------------------------------

_INVALID = object()  # a value that failed its check; later cross-checks skip it

_TOP_LEVEL = ("kind", "name", "summary", "rationale", "duration_months", "cadence", "shape", "mentee_demand",
              "capacity", "circles", "seniority", "criteria", "rules", "objective", "quotas", "fairness",
              "agreement", "start_date", "end_date")
_OPTIONAL_TOP_LEVEL = {"circles": None, "quotas": [], "start_date": None, "end_date": None}


class _Checker:
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
                     f"write it as nested keys like {_REFERENCE_TEMPLATE}", value)
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
                             f"add it (see {_REFERENCE_TEMPLATE})")
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
                         f"write e.g. skills: {{weight: 4}} (see {_REFERENCE_TEMPLATE})", value)
            return _INVALID
        known = list(CRITERIA) + list(DEMOGRAPHIC_CRITERIA)
        weights: dict[str, float] = {name: 0.0 for name in CRITERIA}
        broken = False
        for name, entry in value.items():
            key_path = where + (name,)
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
            weight = self.number(key_path, weight, low=0, high=_MAX_WEIGHT, unit="weight")
            if weight is _INVALID:
                broken = True
                continue
            weights[name] = float(weight)
        for name in DEMOGRAPHIC_CRITERIA:
            if weights.get(name) and demographic_scoring is not True:
                self.add(where + (name, "weight"),
                         f'"{name}" is a demographic field and fairness.use_demographics_in_scores is false',
                         "set the weight to 0, or set fairness.use_demographics_in_scores: true after an "
                         "explicit decision to score on it", _plain_number(weights[name]))
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


# ------------------------------------------------------------------------------------------------
# Plain-data helpers
# ------------------------------------------------------------------------------------------------


def _plain_number(value: Any) -> Any:
    """4.0 -> 4 so exported YAML reads as people write it; everything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _expand_dotted(changes: Mapping) -> dict:
    """``{"criteria.skills.weight": 6}`` -> ``{"criteria": {"skills": {"weight": 6}}}``."""
    expanded: dict = {}
    for key, value in changes.items():
        if isinstance(key, str) and "." in key:
            first, *rest = key.split(".")
            for part in reversed(rest):
                value = {part: value}
            key = first
        if isinstance(value, Mapping) and isinstance(expanded.get(key), Mapping):
            expanded[key] = _deep_merge(expanded[key], value)
        else:
            expanded[key] = value
    return expanded


def _deep_merge(base: Mapping, changes: Mapping) -> dict:
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = _deep_merge(current, _expand_dotted(value))
        else:
            merged[key] = value
    return merged


def _flatten(data: Mapping, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, name))
        else:
            flat[name] = value
    return flat


def _add_months(start: dt.date, months: float) -> dt.date:
    whole = int(months)
    month_index = start.month - 1 + whole
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    moved = dt.date(year, month, day)
    # Fractions of a month (a review at 1.5 months) are counted as 30-day months.
    return moved + dt.timedelta(days=round((months - whole) * 30))


# ------------------------------------------------------------------------------------------------
# Words for describe()
# ------------------------------------------------------------------------------------------------

_OBJECTIVE_PHRASES = {
    "max_total": "maximise total fit across all pairs",
    "max_min": "make the weakest match as strong as possible, then maximise total fit",
    "max_participation": "match as many people as possible, then maximise total fit",
}
_KIND_ADJECTIVES = {"formal": "formal", "informal": "informal", "reverse": "reverse", "virtual": "virtual",
                    "peer": "", "group": ""}


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}{'' if count == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _long_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {day:%B %Y}"


def _frequency(per_month: float) -> str:
    named = {1: "monthly", 2: "twice a month", 3: "three times a month", 4: "weekly", 8: "twice a week",
             0.5: "every two months"}
    if per_month in named:
        return named[per_month]
    if per_month < 1:
        return f"every {1 / per_month:.3g} months"
    return f"{per_month:g} times a month"


def _shape_phrase(design: ProgramDesign) -> str:
    if design.shape == "circles" and design.circles is not None:
        circles = design.circles
        facilitators = _plural(circles.facilitators_per_circle, "facilitator")
        core = (f"group mentoring in circles of {circles.min_size}–{circles.max_size} members, "
                f"each led by {facilitators},")
    elif design.shape == "peer_pairs":
        core = "peer mentoring in pairs"
    else:
        core = "one-to-one mentoring"
    adjective = _KIND_ADJECTIVES.get(design.kind, "")
    phrase = f"{adjective} {core}" if adjective else core
    # The circles phrase ends in a comma on purpose: it closes the "each led by" clause before "for N months".
    return phrase[0].upper() + phrase[1:]


def _capacity_sentence(design: ProgramDesign) -> str:
    capacity = design.capacity
    if design.shape == "peer_pairs":
        return "Everyone in the pool is paired with one peer."
    if design.shape == "circles":
        return (f"Each facilitator leads up to {_plural(capacity.max, 'circle')} "
                f"({capacity.default} if they do not say).")
    mentors = "one mentor" if design.mentee_demand == 1 else f"{design.mentee_demand} mentors"
    return (f"Each mentee has {mentors}; each mentor takes up to {_plural(capacity.max, 'mentee')} "
            f"({capacity.default} if they do not say).")


def _seniority_sentence(design: ProgramDesign) -> str:
    seniority = design.seniority
    helper, helped = {"peer_pairs": ("Partners", "each other"), "circles": ("Facilitators", "their members")}.get(
        design.shape, ("Mentors", "their mentees"))
    low, ideal, high = seniority.min_gap, seniority.ideal_gap, seniority.max_gap
    if seniority.direction == "any":
        return "Seniority is not a matching rule."
    if seniority.direction == "similar":
        if design.shape == "peer_pairs":
            return f"Partners are at most {_plural(high, 'level')} apart."
        return f"{helper} and {helped.replace('their ', '')} are at most {_plural(high, 'level')} apart."
    above = "more senior than" if seniority.direction == "mentor_senior" else "junior to"
    if low == 0:
        return (f"{helper} are at the same level as {helped} or up to {_plural(high, 'level')} {above} them "
                f"(ideally {ideal:g}).")
    return f"{helper} are at least {_plural(low, 'level')} {above} {helped} (ideally {ideal:g}, at most {high:g})."


def _criteria_sentence(criteria: CriteriaWeights) -> str:
    active = criteria.active()
    groups: list[tuple[float, list[str]]] = []
    for name in active:
        weight = criteria[name]
        if groups and groups[-1][0] == weight:
            groups[-1][1].append(_CRITERION_LABELS.get(name, name))
        else:
            groups.append((weight, [_CRITERION_LABELS.get(name, name)]))

    def group_text(weight: float, names: list[str]) -> str:
        return f"{_join(names)} ({weight:g}{' each' if len(names) > 1 else ''})"

    top_weight, top_names = groups[0]
    text = f"Matching weighs {_join(top_names)} most ({top_weight:g}{' each' if len(top_names) > 1 else ''})"
    if len(groups) > 1:
        text += ", then " + "; ".join(group_text(weight, names) for weight, names in groups[1:])
    text += "."
    unscored = [_CRITERION_LABELS.get(name, name) for name in criteria if criteria[name] == 0]
    if unscored:
        text += f" Not scored: {_join(unscored)}."
    return text


def _rules_sentences(rules: Rules, shape: str) -> list[str]:
    never = []
    if rules.exclude_own_manager:
        never.append("own manager")
    if rules.exclude_reporting_line:
        never.append("anyone in the reporting line")
    if rules.exclude_same_team:
        never.append("same team")
    if rules.exclude_same_department:
        never.append("same department")
    if rules.respect_exclusions:
        never.append("anyone on their do-not-match list")
    if rules.exclude_previous_partners:
        never.append("a previous partner")
    sentences = [f"Never matched: {', '.join(never)}."] if never else []
    must = []
    if rules.require_shared_language:
        must.append("share a language")
    if rules.max_timezone_difference_hours is not None:
        must.append(f"be at most {_plural(rules.max_timezone_difference_hours, 'hour')} apart in time zone")
    if rules.min_availability_overlap_hours is not None:
        must.append(f"share at least {_plural(rules.min_availability_overlap_hours, 'hour')} of weekly availability")
    if rules.min_score is not None:
        must.append(f"score at least {rules.min_score:g}")
    if must:
        subject = {"circles": "Facilitators and members", "peer_pairs": "Partners"}.get(shape, "Pairs")
        sentences.append(f"{subject} must {_join(must)}.")
    return sentences
