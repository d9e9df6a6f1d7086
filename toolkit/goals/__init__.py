"""Goals and agreements: the SMART goal library, the SMART checker, agreements, goal progress.

Four pieces, all pure functions over plain data:

* the goal library in ``templates/goals/*.yaml`` (:mod:`.library`: :func:`load_goal_library`,
  :func:`fill_template`);
* :func:`check_smart` (:mod:`.smart`), transparent offline rules that say which SMART letters a
  goal misses and how to fix each one;
* :func:`agreement` / :func:`agreement_bundle` (:mod:`.agreements`), a mentoring agreement per pair
  or circle rendered from the Jinja2 templates in ``templates/agreements/`` (Markdown and printable
  HTML), the match as run (:func:`match_as_run`) and :func:`write_client_agreements`;
* :func:`goal_progress` (:mod:`.progress`), progress per goal and pair from check-in records, the
  programme's goal-attainment rate and the stalled goals.

Goals are read as people write them by :mod:`.reading` (measures, the action, the kind of goal) and
:mod:`.dates` (deadlines, resolved against the programme's dates); :func:`compose_goal` (``tk.goal``,
:mod:`.compose`) builds a SMART goal from outcome, measure, baseline, target and date.

Example
-------
>>> check = check_smart("Lead two client workshops by March 2027", programme_end="2027-06-30")
>>> check.missing
[]
"""

from __future__ import annotations

from ..roster import roster_id_aliases
from .agreements import (
    AGREEMENT_FORMATS,
    agreement,
    agreement_bundle,
    agreement_context,
    agreement_variant,
    match_as_run,
    write_client_agreements,
)
from .compose import GOAL_FIELDS, ComposedGoal, compose_goal
from .library import GoalLibrary, GoalTemplate, Theme, fill_template, load_goal_library
from .progress import CHECKIN_STATUSES, GoalProgress, goal_progress, read_checkins
from .reading import GoalReading, read_goal
from .smart import SMART_LETTERS, LetterVerdict, SmartCheck, check_smart, theme_of

__all__ = [
    "GoalTemplate",
    "Theme",
    "GoalLibrary",
    "load_goal_library",
    "fill_template",
    "SMART_LETTERS",
    "LetterVerdict",
    "SmartCheck",
    "check_smart",
    "theme_of",
    "read_goal",
    "GoalReading",
    "compose_goal",
    "ComposedGoal",
    "GOAL_FIELDS",
    "agreement_variant",
    "agreement_context",
    "agreement",
    "agreement_bundle",
    "match_as_run",
    "read_checkins",
    "GoalProgress",
    "goal_progress",
    "AGREEMENT_FORMATS",
    "CHECKIN_STATUSES",
    "write_client_agreements",
    "roster_id_aliases",
]
