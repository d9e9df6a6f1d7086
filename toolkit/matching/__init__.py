"""Matching: from a roster and a design to a certified, explained match.

``rules`` (hard rules as vectorised masks) and ``scoring`` (criteria as weighted parts) meet in
the candidate edges; ``solver`` is the exact b-matching core with its LP-dual certificate
(``assign`` works on any score table); ``engine`` runs one-to-one designs and ``groups`` peer
pairs and circles; ``result`` is :class:`MatchResult`; ``audits`` checks fairness and stability;
``readiness`` checks a cohort before matching; ``exports`` writes the match to Excel and CSV.

The names below load on first use, as the toolkit's own do: a module that needs only ``choices`` or
``result`` (a report, a round read back) does not load the solvers (OR-Tools, HiGHS, SciPy's sparse graphs).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import match
    from .readiness import Readiness, readiness
    from .result import Explanation, MatchResult
    from .solver import OBJECTIVES, Assignment, Certificate, assign

# name -> the module (in this package) that defines it
_EXPORTS = {"match": "engine", "Readiness": "readiness", "readiness": "readiness", "Explanation": "result",
            "MatchResult": "result", "OBJECTIVES": "solver", "Assignment": "solver", "Certificate": "solver",
            "assign": "solver"}

__all__ = ["OBJECTIVES", "Certificate", "Assignment", "assign", "match", "MatchResult", "Explanation",
           "Readiness", "readiness"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
