"""MatchResult: the proposed match (pairs, peer pairs or circles), who is unmatched and why, the
optimality certificate, and :meth:`MatchResult.check` for its invariants.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..errors import MatchingError, Problem, did_you_mean

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster
    from .choices import Choices
    from .problem import Certificate
    from .rules import RuleContext
    from .scoring import ScoreModel


__all__ = ["Explanation", "MatchResult", "CircleScores", "SHAPES", "SHAPE_FIELDS"]


class CircleScores(NamedTuple):
    """What a circles solve scored: member and facilitator ids, the score and allowed matrices."""

    members: list[str]
    facilitators: list[str]
    score: np.ndarray
    allowed: np.ndarray


@dataclass
class Explanation:
    """Why a person got their partner: score parts, evidence, runners-up and the score gap."""

    participant_id: str
    text: str
    partner: str | None = None
    parts: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    runners_up: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in self.text.splitlines() if line.strip())
        if len(self.runners_up):
            body += self.runners_up.to_html(index=False, float_format=lambda value: f"{value:.2f}")
        return body


SHAPES = ("one_to_one", "peer_pairs", "circles")

# The fields only one shape carries (None, or empty, for the others); MatchResult checks this when it is built.
SHAPE_FIELDS = {"one_to_one": ("min_pair_score", "place_value", "rule_context", "score_model", "choices"),
                "peer_pairs": ("candidate_edges",),
                "circles": ("circle_scores",)}


@dataclass
class MatchResult:
    """The proposed match for a roster under a design: one type for the three shapes.

    Every shape has the common core; a few fields belong to one shape only (listed in
    :data:`SHAPE_FIELDS`, None for the others, checked when the result is built).

    Attributes
    ----------
    roster, design
        What it was computed from.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    pairs
        One-to-one and peer pairs: one row per pair: mentee_id, mentor_id, score, then one column
        per active criterion (weighted parts that add up to score; peer pairs: the two peers, in
        id order). Empty (with those columns) for circles.
    circles
        Circles: one row per person in a circle: circle_id, participant_id, circle_role. Empty
        (with those columns) for the other shapes.
    unmatched
        participant_id, role, reason, suggestion: everyone not matched, and why.
    status
        ``optimal`` (certified), ``infeasible``, ``time_limit``, or ``as_run`` (a match read from a
        file, not solved here).
    objective
        The total score of the pairs (circles: of the facilitator-member links); NaN when not known.
    certificate
        How optimality was proven (:class:`Certificate`).
    seconds
        Wall time of the solve.
    required, forbidden
        The pinned and banned (mentee_id, mentor_id) pairs the match was asked to honour.
    explainer
        ``explainer(result, participant_id) -> Explanation`` for this shape (None for a match read
        from a file).

    One-to-one only:

    min_pair_score
        ``max_min`` objective: the lowest pair score achieved.
    place_value
        Per mentor: the LP dual of their capacity (what one more place would add).
    rule_context, score_model
        The hard rules and the scores evaluated for this roster (for explanations).
    choices
        The mentees' (and mentors') ranked choices the match was made on, if any.

    Peer pairs only:

    candidate_edges
        Every allowed pair with its score (for explanations).

    Circles only:

    circle_scores
        The :class:`CircleScores` the circles were chosen on (for explanations).
    """

    roster: Roster
    design: ProgramDesign
    shape: str
    pairs: pd.DataFrame
    circles: pd.DataFrame
    unmatched: pd.DataFrame
    status: str
    objective: float
    certificate: Certificate
    seconds: float = 0.0
    min_pair_score: float | None = None
    place_value: pd.Series | None = None
    required: tuple[tuple[str, str], ...] = ()
    forbidden: tuple[tuple[str, str], ...] = ()
    rule_context: RuleContext | None = field(default=None, repr=False)
    score_model: ScoreModel | None = field(default=None, repr=False)
    candidate_edges: pd.DataFrame | None = field(default=None, repr=False)
    circle_scores: CircleScores | None = field(default=None, repr=False)
    explainer: Callable[[MatchResult, str], Explanation] | None = field(default=None, repr=False)
    choices: Choices | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise MatchingError(f"A match has the shape {self.shape!r}, which is not one of {', '.join(SHAPES)}.",
                                fix="report this as a toolkit bug")
        stray = [name for shape, names in SHAPE_FIELDS.items() if shape != self.shape for name in names
                 if getattr(self, name) is not None]
        if stray:
            raise MatchingError(f"A {self.shape} match was given {', '.join(stray)}, which only another shape has.",
                                fix="report this as a toolkit bug")

    def recruiting_advice(self, top: int = 5) -> pd.DataFrame:
        """Which mentors' extra places would raise the total most (LP duals of the capacity constraints).

        Each row: mentor, department, skills offered, and the score one more place with that
        mentor (or someone like them) would add. Empty when no extra place would help.
        """
        columns = ["mentor_id", "name", "department", "skills_offered", "value_of_one_more_place"]
        if self.place_value is None or not (self.place_value > 1e-9).any():
            return pd.DataFrame(columns=columns)
        best = self.place_value[self.place_value > 1e-9].sort_values(ascending=False, kind="stable").head(top)
        people = self.roster.participants.set_index("participant_id")
        return pd.DataFrame({
            "mentor_id": best.index, "name": [self.roster.display_name(m) for m in best.index],
            "department": [people.at[m, "department"] for m in best.index],
            "skills_offered": ["; ".join(people.at[m, "skills_offered"] or ()) for m in best.index],
            "value_of_one_more_place": best.round(3).to_numpy(),
        })

    @property
    def solver(self) -> str:
        return self.certificate.solver

    def explain(self, participant_id: str) -> Explanation:
        """Why this person got this partner (or none): parts, evidence, runners-up and score gaps."""
        if participant_id not in self.roster:
            raise MatchingError(f"{participant_id!r} is not in this roster." + did_you_mean(participant_id,
                                                                                        self.roster.ids),
                                fix="use a participant_id from result.pairs or result.unmatched")
        if self.explainer is None:
            raise MatchingError("This match carries no explanations (it was read from a file, not solved).",
                                fix="run tk.match(roster, design) to get explanations")
        return self.explainer(self, participant_id)

    def check(self) -> MatchResult:
        """Assert the match's invariants; return the result, or raise one MatchingError naming every breach.

        Checked: no mentor above their capacity and no mentee above the design's demand; no
        pair in ``forbidden`` used and every pair in ``required`` present; circles within the
        design's sizes with one facilitator each; every participant of the roster either
        matched or in ``unmatched`` (nobody lost, nobody twice); pair scores add up to the objective.
        """
        problems = self._circle_problems() if self.shape == "circles" else self._pair_problems()
        placed = (list(self.circles["participant_id"]) if self.shape == "circles" else
                  list(dict.fromkeys(list(self.pairs["mentee_id"]) + list(self.pairs["mentor_id"])))
                  if self.shape == "one_to_one" else list(self.pairs["mentee_id"]) + list(self.pairs["mentor_id"]))
        problems += self._listing_problems(placed)
        if problems:
            raise MatchingError(f"The match breaks {len(problems)} of its invariants:",
                                problems=[Problem(text, "") for text in problems],
                                fix="report this as a bug, with the roster and design that produced it")
        return self

    def _circle_problems(self) -> list[str]:
        """Circles: one facilitator each, members within the design's sizes."""
        problems = []
        sizes = self.design.circles
        assert sizes is not None, "a circles design has its circle sizes"
        for circle_id, roles in self.circles.groupby("circle_id")["circle_role"]:
            facilitators = int((roles == "facilitator").sum())
            members = int((roles != "facilitator").sum())
            if facilitators != 1:
                problems.append(f"circle {circle_id} has {facilitators} facilitators (needs exactly 1)")
            if not sizes.min_size <= members <= sizes.max_size:
                problems.append(f"circle {circle_id} has {members} members (allowed {sizes.min_size} to "
                                f"{sizes.max_size})")
        return problems

    def _pair_problems(self) -> list[str]:
        """Pairs: capacities and demand (one-to-one), bans and pins honoured, pair scores adding up."""
        problems = self._capacity_problems() if self.shape == "one_to_one" else []
        pairs = set(zip(self.pairs["mentee_id"], self.pairs["mentor_id"]))
        if self.shape == "peer_pairs":  # a peer pair is the same pair in either order
            pairs |= {(mentor, mentee) for mentee, mentor in pairs}
        problems += [f"banned pair {mentee} - {mentor} is matched" for mentee, mentor in self.forbidden
                     if (mentee, mentor) in pairs]
        problems += [f"pinned pair {mentee} - {mentor} is not matched" for mentee, mentor in self.required
                     if (mentee, mentor) not in pairs]
        total = float(self.pairs["score"].sum())
        if len(self.pairs) and abs(total - self.objective) > 1e-6 * max(1.0, abs(self.objective)):
            problems.append(f"pair scores add up to {total:.6f}, not the objective {self.objective:.6f}")
        return problems

    def _capacity_problems(self) -> list[str]:
        """One-to-one: no mentor above their capacity, no mentee above the design's demand."""
        design, problems = self.design, []
        capacity = self.roster.capacity(design.capacity.default, design.capacity.max)
        for mentor, count in self.pairs["mentor_id"].value_counts().items():
            if count > capacity.get(mentor, design.capacity.default):
                problems.append(f"mentor {mentor} has {count} mentees, above their capacity "
                                f"{capacity.get(mentor, design.capacity.default)}")
        for mentee, count in self.pairs["mentee_id"].value_counts().items():
            if count > design.mentee_demand:
                problems.append(f"mentee {mentee} has {count} mentors, above the design's {design.mentee_demand}")
        return problems

    def _listing_problems(self, placed: list[str]) -> list[str]:
        """Everyone of the roster matched or unmatched, nobody twice."""
        seen = pd.Series(placed + list(self.unmatched["participant_id"]), dtype=object)
        if self.shape == "one_to_one":  # someone who is both may be matched as a mentee and spare as a mentor
            keys = self.unmatched[["participant_id", "role"]]
            twice = sorted(set(keys.loc[keys.duplicated(), "participant_id"]))
        else:
            twice = sorted(set(seen[seen.duplicated()]))
        problems = [f"{person} is listed twice (matched and unmatched, or in two circles or pairs)" for person in twice]
        lost = sorted(set(self.roster.ids) - set(seen))
        return problems + [f"{person} is neither matched nor listed as unmatched" for person in lost]

    def summary(self) -> str:
        """One paragraph: how many matched, the status and the main reasons for the rest."""
        if self.shape == "circles":
            members = self.circles[self.circles["circle_role"] == "member"]
            head = f"{self.circles['circle_id'].nunique()} circles for {len(members)} members"
        else:
            head = f"{len(self.pairs)} pairs (total score {self.objective:.1f})"
        counts = self.unmatched["role"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        spare = {"mentor": "mentor without a mentee", "facilitator": "facilitator not needed"}
        tail = "; ".join(f"{count} {role} not matched" if role not in spare else
                         f"{count} {spare[role].replace('mentor ', 'mentors ') if count != 1 else spare[role]}"
                         .replace("facilitator not", "facilitators not" if count != 1 else "facilitator not")
                         for role, count in counts.items())
        tail = f"; {tail}" if tail else "; everyone matched"
        return f"{head}{tail}. Status: {self.status} — {self.certificate}"

    def __repr__(self) -> str:
        return f"<MatchResult {self.summary()}>"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.summary())}</p>" + (self.pairs.head(20).to_html(index=False) if len(self.pairs)
                                                          else self.circles.head(30).to_html(index=False))
