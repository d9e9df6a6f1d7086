"""Mentoring toolkit: design, match, run and measure workplace mentoring programmes.

The public API is re-exported here and loaded on first use, so ``import toolkit``
stays fast (the solver, charts and notebook machinery load only when needed)::

    import toolkit as tk
    roster = tk.load_roster("sample_data/northwind/participants.csv")
    design = tk.ProgramDesign.from_template("formal")
    print(roster.readiness(design).summary())
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "ToolkitError": "errors",
    "IntakeError": "errors",
    "DesignError": "errors",
    "MatchingError": "errors",
    "SurveyError": "errors",
    "ReportError": "errors",
    "ConfigError": "errors",
    "Problem": "errors",
    "load_roster": "intake",
    "load_org_chart": "intake",
    "read_table": "intake",
    "suggest_mapping": "intake",
    "Roster": "roster",
    "Readiness": "roster",
    "ProgramDesign": "design",
    "load_client": "client",
    "match": "matching",
    "MatchResult": "matching",
    "load_survey": "survey",
    "fairness_audit": "audits",
}

# Submodules reachable as attributes: tk.matching.assign, tk.goals.check_smart, ...
_SUBMODULES = {
    "errors", "schema", "intake", "roster", "design", "rules", "scoring", "matching", "circles", "goals",
    "survey", "engagement", "impact", "charts", "exports", "reports", "cli", "sample", "widgets", "client",
    "programme_kit", "comments", "audits", "privacy",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
