"""Mentoring toolkit: design, match, run and measure workplace mentoring programmes.

The public API is re-exported here and loaded on first use, so ``import toolkit``
stays fast (the solver, charts and notebook machinery load only when needed)::

    import toolkit as tk
    roster = tk.load_roster("sample_data/northwind/participants.csv")
    design = tk.ProgramDesign.from_template("formal")
    print(tk.readiness(roster, design).summary())
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__version__ = "0.1.0"

# jsonschema (under Altair, which draws every chart) imports every format checker it finds installed. One,
# rfc3987-syntax (installed by Jupyter for jsonschema's "iri" format), builds about 35 grammar parsers as it is
# imported: a second of CPU in every kernel that draws a chart, report and studio page alike (upstream:
# python-jsonschema/jsonschema#1428). No schema the toolkit's libraries validate with uses that format (Vega-Lite's
# use "uri", "uri-reference" and "color-hex", which other checkers handle), so, unless jsonschema is loaded
# already or the module is, jsonschema finds it missing and leaves the "iri" format unchecked.
# tests/test_imports.py checks that Altair still validates and that the module stays out.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed" to import

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
    "load_roster": "roster",
    "load_org_chart": "intake.orgchart",
    "read_table": "intake.tables",
    "suggest_mapping": "intake.mapping",
    "Roster": "roster",
    "readiness": "matching.readiness",
    "Readiness": "matching.readiness",
    "ProgramDesign": "design.model",
    "load_client": "client",
    "match": "matching.engine",
    "MatchResult": "matching.result",
    "load_survey": "measure.survey",
    "fairness_audit": "matching.audits",
    "shortlists": "matching.shortlists",
    "Shortlists": "matching.shortlists",
    "load_choices": "matching.choices",
    "Choices": "matching.choices",
    "choice_outcomes": "matching.choices",
    "rematch": "matching.rematch",
    "Rematch": "matching.rematch",
    "relationships": "measure.relationships",
    "relationship_counts": "measure.relationships",
    "closure_suggestions": "measure.relationships",
    "fit_check_flags": "measure.relationships",
    "rematch_history": "measure.relationships",
    "pair_milestones": "milestones",
    "write_pair_calendars": "milestones",
    "adopt": "rounds",
    "client_match": "programme",
    "current_round": "rounds",
    "list_rounds": "rounds",
    "Round": "rounds",
    "goal": "goals.compose",
    "programme_state": "programme",
    "ProgrammeState": "programme",
    "STATE_WORDS": "programme",
    "PERSON_STATES": "programme",
    "UNIT_STATES": "programme",
}

# Modules reachable as attributes (tk.matching.assign, tk.goals.check_smart, tk.survey.pre_post, ...):
# short name -> module path inside the package.
_SUBMODULES = {
    "errors": "errors", "files": "files", "text": "text", "resources": "resources", "privacy": "privacy",
    "ledger": "ledger", "disclosure": "disclosure", "intake": "intake",
    "roster": "roster", "design": "design", "client": "client", "matching": "matching", "goals": "goals",
    "rounds": "rounds", "programme": "programme", "kit": "kit", "measure": "measure", "charts": "charts",
    "reports": "reports", "cli": "cli",
    "widgets": "widgets", "studio": "studio", "course": "course", "portfolio": "portfolio",
    # stage modules also reachable by their own names, as the README and notebooks use them
    "schema": "intake.schema", "rules": "matching.rules", "scoring": "matching.scoring",
    "audits": "matching.audits", "survey": "measure.survey", "engagement": "measure.engagement",
    "impact": "measure.impact", "comments": "measure.comments",
    "milestones": "milestones",
}

# The names of _EXPORTS, written out so that tools reading the source see them.
__all__ = [
    "Choices", "ConfigError", "DesignError", "IntakeError", "MatchResult", "MatchingError", "PERSON_STATES", "Problem",
    "ProgramDesign", "ProgrammeState", "Readiness", "Rematch", "ReportError", "Roster", "Round", "STATE_WORDS",
    "Shortlists", "SurveyError", "ToolkitError", "UNIT_STATES", "adopt", "choice_outcomes", "client_match",
    "closure_suggestions", "current_round", "fairness_audit", "fit_check_flags", "goal", "list_rounds", "load_choices",
    "load_client", "load_org_chart", "load_roster", "load_survey", "match", "pair_milestones", "programme_state",
    "read_table", "readiness", "relationship_counts", "relationships", "rematch", "rematch_history", "shortlists",
    "suggest_mapping", "write_pair_calendars", "__version__"
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f".{_SUBMODULES[name]}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBMODULES))
