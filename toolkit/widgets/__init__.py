"""Interactive ipywidgets apps, one module per app; each keeps its state in a traitlets model.

Loaded lazily so ``import toolkit.widgets`` does not pull in every app::

    from toolkit.widgets import MatchingStudio
    studio = MatchingStudio(roster, design)
    studio  # the last expression of a notebook cell displays the app
"""

from __future__ import annotations

import importlib
from typing import Any

# app class -> module (in this package) that defines it
_APPS = {
    "CohortSetup": "cohort_setup",
    "MatchingStudio": "matching_studio",
    "GoalBuilder": "goal_builder",
    "SurveyExplorer": "survey_explorer",
    "RoundsStudio": "rounds_studio",
}

__all__ = ["CohortSetup", "GoalBuilder", "MatchingStudio", "RoundsStudio", "SurveyExplorer", "prepared", "warm_up"]


def __getattr__(name: str) -> Any:
    if name in ("warm_up", "prepared"):
        from ._base import prepared, warm_up

        return {"warm_up": warm_up, "prepared": prepared}[name]
    if name in _APPS:
        module = importlib.import_module(f".{_APPS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toolkit.widgets' has no attribute {name!r}")
