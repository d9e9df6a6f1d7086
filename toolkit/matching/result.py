"""MatchResult: the proposed match (pairs, peer pairs or circles), who is unmatched and why, the
optimality certificate, and :meth:`MatchResult.check` for its invariants.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import MatchingError

if TYPE_CHECKING:
    from .solver import Certificate


__all__ = ["Explanation", "MatchResult"]


# ------------------------------------------------------------------------------------------------
# High level: roster + design -> MatchResult
# ------------------------------------------------------------------------------------------------
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


@dataclass
class MatchResult:
    """The proposed match for a roster under a design.

    Attributes
    ----------
    roster, design
        What it was computed from.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    pairs
        One row per pair: mentee_id, mentor_id, score, then one column per active criterion
        (weighted parts that add up to score). Empty for circles.
    circles
        One row per person in a circle: circle_id, participant_id, circle_role. Empty otherwise.
    unmatched
        participant_id, role, reason, suggestion: everyone not matched, and why.
    status
        ``optimal`` (certified), ``infeasible`` or ``time_limit``.
    objective
        The total score of the pairs (circles: of the facilitator-member links).
    certificate
        How optimality was proven (:class:`Certificate`).
    """

    roster: Any
    design: Any
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
    _explainer: Any = field(default=None, repr=False)

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
            from ..errors import did_you_mean

            raise MatchingError(f"{participant_id!r} is not in this roster." + did_you_mean(participant_id,
                                                                                        self.roster.ids),
                                fix="use a participant_id from result.pairs or result.unmatched")
        return self._explainer(self, participant_id)

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
