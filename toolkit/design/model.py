"""ProgramDesign: a validated, immutable programme design read from a template or YAML file.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import DesignError, did_you_mean
from .checker import Checker, read_yaml
from .parts import (
    MISSING,
    Change,
    add_months,
    deep_merge,
    expand_dotted,
    flatten,
    plain_number,
)
from .prose import describe
from .vocabulary import (
    CRITERION_LABELS,
    KINDS,
    REFERENCE_TEMPLATE,
    RULE_SETTINGS,
    programs_dir,
)

if TYPE_CHECKING:
    from .parts import (
        Agreement,
        Cadence,
        Capacity,
        Circles,
        CriteriaWeights,
        Fairness,
        Quota,
        Rationale,
        Rules,
        Seniority,
    )


__all__ = ["ProgramDesign"]


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
    def from_template(cls, kind: str) -> ProgramDesign:
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
                fix="use one of them, or a design file of your own (in client.yaml: template: my_design.yaml; "
                    "in Python: ProgramDesign.from_yaml(path))",
            )
        return cls.from_yaml(programs_dir() / f"{kind}.yaml")

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> ProgramDesign:
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
        data, lines = read_yaml(path)
        design = cls._build(data, source=str(path), lines=lines)
        _FILE_CACHE[cache_key] = design
        return design

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "<dict>") -> ProgramDesign:
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
    def _build(cls, data: Any, *, source: str, lines: dict, problem_path: str | None = None) -> ProgramDesign:
        checker = Checker(problem_path or source, lines)
        values = checker.design(data)
        if checker.problems:
            # Listed in file order, so the message reads top to bottom like the YAML; key-less problems last.
            checker.problems.sort(key=lambda problem: (problem.row is None, problem.row or 0))
            count = len(checker.problems)
            raise DesignError(
                f"The programme design {Path(problem_path or source).name} has "
                f"{count} problem{'s' if count != 1 else ''}:",
                fix=f"Every key is documented in {REFERENCE_TEMPLATE}.",
                path=source,
                problems=checker.problems,
            )
        return cls(**values, source=source)

    # -- scenarios ------------------------------------------------------------------------------

    def override(self, changes: Mapping) -> ProgramDesign:
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
        merged = deep_merge(self.to_dict(), expand_dotted(changes))
        return type(self)._build(merged, source=self.source, lines={}, problem_path=f"{self.source} (override)")

    def with_overrides(self, **changes: Any) -> ProgramDesign:
        """Keyword form of :meth:`override`: ``design.with_overrides(duration_months=6)``."""
        return self.override(changes)

    def diff(self, other: ProgramDesign) -> list[Change]:
        """Every key whose value differs between this design and ``other``.

        Keys are dotted YAML paths (``criteria.skills.weight``, ``rules.exclude_same_team``);
        lists (quotas, review points, balance) are compared whole. ``before`` is this
        design's value, ``after`` the other's (``None`` when absent).
        """
        mine, theirs = flatten(self.to_dict()), flatten(other.to_dict())
        changes = []
        for key in list(mine) + [key for key in theirs if key not in mine]:
            before, after = mine.get(key, MISSING), theirs.get(key, MISSING)
            if before != after:
                changes.append(Change(key, None if before is MISSING else before,
                                      None if after is MISSING else after))
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
                "meetings_per_month": plain_number(self.cadence.meetings_per_month),
                "meeting_minutes": self.cadence.meeting_minutes,
                "review_points_months": [plain_number(month) for month in self.cadence.review_points_months],
                "response_time_hours": plain_number(self.cadence.response_time_hours),
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
                "min_gap": plain_number(self.seniority.min_gap),
                "ideal_gap": plain_number(self.seniority.ideal_gap),
                "max_gap": plain_number(self.seniority.max_gap),
            },
            "criteria": {name: {"weight": plain_number(weight)} for name, weight in self.criteria.items()},
            "rules": {name: plain_number(getattr(self.rules, name)) for name in RULE_SETTINGS},
            "objective": self.objective,
            "quotas": [{"attribute": quota.attribute, "value": quota.value, "min_matched": quota.min_matched}
                       for quota in self.quotas],
            "fairness": {
                "attributes": list(self.fairness.attributes),
                "max_match_rate_gap": plain_number(self.fairness.max_match_rate_gap),
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
                 f"# Every key is documented in {REFERENCE_TEMPLATE}.\n"
        text = header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- derived facts --------------------------------------------------------------------------

    @property
    def planned_end_date(self) -> dt.date | None:
        """``end_date`` if set, else ``start_date`` plus ``duration_months`` (None without a start)."""
        if self.end_date is not None:
            return self.end_date
        if self.start_date is None:
            return None
        return add_months(self.start_date, self.duration_months)

    def review_dates(self) -> list[dt.date]:
        """The dates of the review points (empty without a start date)."""
        if self.start_date is None:
            return []
        return [add_months(self.start_date, month) for month in self.cadence.review_points_months]

    # -- words ----------------------------------------------------------------------------------

    def describe(self) -> str:
        """A short plain-language paragraph about the design, for reports and emails.

        Every sentence is computed from the design's values, so it changes with them.
        """
        return describe(self)

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
        weights = " · ".join(f"{CRITERION_LABELS.get(name, name)} {self.criteria[name]:g}"
                             for name in self.criteria.active())
        return (f"**{self.name}** (`{self.kind}`, {self.shape}, from `{Path(self.source).name}`)\n\n"
                f"{self.describe()}\n\n**Weights:** {weights}\n")

    def _repr_html_(self) -> str:
        escape = html.escape
        rows = "".join(
            f"<tr><td>{escape(CRITERION_LABELS.get(name, name))}</td><td style='text-align:right'>{weight:g}</td></tr>"
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
