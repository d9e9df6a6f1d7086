"""Matching: from a roster and a design to a certified, explained match.

``rules`` (hard rules as vectorised masks) and ``scoring`` (criteria as weighted parts) meet in
the candidate edges; ``solver`` is the exact b-matching core with its LP-dual certificate
(``assign`` works on any score table); ``engine`` runs one-to-one designs and ``groups`` peer
pairs and circles; ``result`` is :class:`MatchResult`; ``audits`` checks fairness and stability;
``readiness`` checks a cohort before matching; ``exports`` writes the match to Excel and CSV.
"""

from __future__ import annotations

from .engine import match
from .readiness import Readiness, readiness
from .result import Explanation, MatchResult
from .solver import OBJECTIVES, Assignment, Certificate, assign

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign", "match", "MatchResult", "Explanation",
           "Readiness", "readiness"]
