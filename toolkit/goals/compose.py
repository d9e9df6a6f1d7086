"""A SMART goal by construction: outcome, measure, baseline, target and date as fields (``tk.goal``).

:func:`compose_goal` checks each field, resolves the date against the programme (words such as "end of
Q3" or "15 May" are fine), and renders one sentence the SMART checker accepts::

    >>> g = compose_goal("Present the Q3 results to the regional leadership team", measure="presentations given",
    ...                  baseline=0, target=2, date="2027-03-31", programme_start="2026-10-05",
    ...                  programme_end="2027-09-30")
    >>> g.text
    'Present the Q3 results to the regional leadership team by 31 March 2027: presentations given from 0 to 2.'
    >>> g.check.ok
    True

A field that cannot make a SMART goal raises a :class:`~toolkit.errors.ToolkitError` naming the field and
the fix. Goals written as free text are still checked with :func:`toolkit.goals.check_smart`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..design.model import ProgramDesign
from ..errors import ToolkitError
from .dates import as_date, resolve_date
from .library import GoalLibrary, load_goal_library
from .reading import ACTION_VERBS, KIND_MINIMUM_DAYS, VAGUE_VERBS, read_goal
from .smart import LETTER_NAMES, SmartCheck, check_smart, theme_of

__all__ = ["ComposedGoal", "compose_goal", "goal", "GOAL_FIELDS"]

#: The fields of a composed goal, in the order the goal builder shows them, with what each one is.
GOAL_FIELDS = {
    "outcome": "what you will do, starting with the action (e.g. 'Present the Q3 results to the regional team')",
    "measure": "what is counted or rated (e.g. 'presentations given', 'confidence rating out of 10')",
    "baseline": "where it stands now (a number; optional)",
    "target": "where it should be by the date (a number, a percentage or 'N out of M')",
    "date": "by when: a date (2027-03-31) or words ('end of Q3', '15 May', 'end of the programme')",
}
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%|percent|per\s*cent)?\s*(?:(?:/|out\s+of|of)\s*(\d+(?:[.,]\d+)?))?\s*$",
                     re.IGNORECASE)


@dataclass(frozen=True)
class ComposedGoal:
    """A goal made from fields: its sentence, the SMART check of that sentence, and the fields as given."""

    text: str
    check: SmartCheck
    deadline: dt.date
    theme: str | None
    fields: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        from html import escape

        return f"<p><strong>{escape(self.text)}</strong></p>" + self.check._repr_html_()


def _problem(name: str, message: str, fix: str, value: object = None) -> ToolkitError:
    return ToolkitError(f"The goal's {name} {message}.", fix=fix, column=name, value=value)


def _outcome(outcome: str) -> str:
    text = " ".join(str(outcome or "").split()).rstrip(".")
    text = re.sub(r"^(?:i\s+(?:will|want\s+to|would\s+like\s+to|'d\s+like\s+to)|i'll|to)\s+", "", text, flags=re.I)
    if not text:
        raise _problem("outcome", "is empty", "write what you will do, e.g. 'Present the Q3 results to the regional "
                       "team'")
    reading = read_goal(text)
    if reading.deadline is not None or [phrase for phrase in reading.phrases if phrase.role != "cadence"]:
        raise _problem("outcome", f"holds a date ('{reading.phrases[0].words}')",
                       "give the date in the date field, and only the action in the outcome", text)
    verb = text.split()[0].lower()
    if verb in VAGUE_VERBS or reading.vague or verb not in ACTION_VERBS or len(text.split()) < 2:
        raise _problem("outcome", f"does not start with an action ('{text.split()[0]}')",
                       "start with what you will do and name the piece of work, skill or audience: lead, present, "
                       "complete, publish, run, apply for ... (not improve, learn or get better at)", text)
    return text[0].upper() + text[1:]


def _amount(name: str, value: object, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _problem(name, "is empty", "give a number: a count, a rating or a percentage")
        return None
    if isinstance(value, bool):
        raise _problem(name, "is not a number", "give a number: a count, a rating or a percentage", value)
    if isinstance(value, (int, float)):
        if value != value or value < 0:
            raise _problem(name, "is not a number of 0 or more", "give a count, a rating or a percentage", value)
        return f"{value:g}"
    match = _NUMBER.match(str(value))
    if not match:
        raise _problem(name, f"is '{value}', not a number", "give a number, a percentage (80%) or a rating "
                       "(4 out of 5); say what is counted in the measure field", value)
    number, percent, out_of = match.groups()
    return number + ("%" if percent else "") + (f" out of {out_of}" if out_of else "")


def _date(value: object, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, str]:
    """The deadline the date field gives, and the words it came from when they were words."""
    if not str(value or "").strip():
        raise _problem("date", "is empty", "give a date inside the programme, e.g. 2027-03-31 or 'end of Q3'")
    try:
        phrase = resolve_date(value, start=start, end=end)
    except ToolkitError:
        phrase = None
    if phrase is None or phrase.date is None:
        raise _problem("date", f"'{value}' is not a date the toolkit can place"
                       + ("" if start else " (without the programme's dates, words such as 'end of Q3' have no year)"),
                       "write it as YYYY-MM-DD, or as words such as 'end of Q3', '15 May', 'end of the programme'",
                       value)
    words = "" if isinstance(value, (dt.date, dt.datetime)) or re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", str(value)) \
        else phrase.words
    return phrase.date, words


def compose_goal(outcome: str, measure: str, target: object, date: object, *, baseline: object = None,
                 theme: str | None = None, programme_start: object = None, programme_end: object = None,
                 design: ProgramDesign | None = None, library: GoalLibrary | None = None) -> ComposedGoal:
    """A SMART goal from its fields, rendered as one sentence the SMART checker accepts.

    Parameters
    ----------
    outcome
        What the person will do, starting with an action verb ("Present the Q3 results to the regional team").
    measure
        What is counted or rated ("presentations given", "confidence rating").
    target
        Where it should be by the date: a number, a percentage ("80%") or a rating ("4 out of 5").
    date
        The deadline: a date, ``YYYY-MM-DD``, or words resolved against the programme ("end of Q3",
        "15 May", "end of the programme", "in 8 weeks").
    baseline
        Optional: where it stands now (a number). The sentence then reads "from BASELINE to TARGET".
    theme
        Optional goal-library theme (id, name or alias); read from the words when not given.
    programme_start, programme_end, design
        The programme's dates (or a :class:`~toolkit.design.model.ProgramDesign` that has them).
    library
        The goal library (default: :func:`toolkit.goals.load_goal_library`).

    Returns
    -------
    ComposedGoal
        ``.text`` (the sentence), ``.check`` (its :class:`~toolkit.goals.smart.SmartCheck`, which passes),
        ``.deadline``, ``.theme`` and ``.fields``.

    Raises
    ------
    ToolkitError
        Naming the field that cannot make a SMART goal (``error.problems[0].column``) and the fix.
    """
    library = library or load_goal_library()
    if design is not None:
        programme_start = programme_start or design.start_date
        programme_end = programme_end or getattr(design, "planned_end_date", None) or design.end_date
    start, end = as_date(programme_start), as_date(programme_end)
    fields = {"outcome": outcome, "measure": measure, "baseline": baseline, "target": target, "date": date,
              "theme": theme}
    action = _outcome(outcome)
    what = " ".join(str(measure or "").split()).strip(" .:")
    if not what:
        raise _problem("measure", "is empty", "say what is counted or rated, e.g. 'presentations given'")
    goal_to, goal_from = _amount("target", target, True), _amount("baseline", baseline, False)
    if goal_from is not None and goal_from == goal_to:
        raise _problem("target", f"is the same as the baseline ({goal_to})", "give the value it should reach",
                       target)
    deadline, words = _date(date, start, end)
    _inside(deadline, words, action, start, end)
    found = library.find_theme(theme) if theme else theme_of(f"{action} {what}", library)
    if theme and found is None:
        raise _problem("theme", f"'{theme}' is not in the goal library",
                       "use one of: " + ", ".join(t.name for t in library.themes.values()), theme)
    if found is None:
        raise _problem("theme", "was not given and the words name none",
                       "give the theme it serves: " + ", ".join(t.name for t in library.themes.values()))
    amount = f" from {goal_from} to {goal_to}" if goal_from is not None else f", target {goal_to}"
    text = f"{action} by {deadline.day} {deadline:%B %Y}: {what}{amount}."
    check = check_smart(text, theme=found.id, programme_start=start, programme_end=end, library=library)
    if not check.ok:  # a field combination the checks above did not foresee: say which letter, never pass it on
        letter = check.missing[0]
        raise ToolkitError(f"The goal '{text}' is not SMART yet: {LETTER_NAMES[letter]}: "
                           f"{check.verdicts[letter].reason}.", fix=check.verdicts[letter].suggestion)
    return ComposedGoal(text=text, check=check, deadline=deadline, theme=found.id, fields=fields)


def _inside(deadline: dt.date, words: str, action: str, start: dt.date | None, end: dt.date | None) -> None:
    shown = f"{deadline.day} {deadline:%B %Y}" + (f" (from '{words}')" if words else "")
    if start is not None and deadline < start:
        raise _problem("date", f"{shown} is before the programme starts ({start.day} {start:%B %Y})",
                       "choose a date inside the programme", words or deadline)
    if end is not None and deadline > end:
        raise _problem("date", f"{shown} is after the programme ends ({end.day} {end:%B %Y})",
                       f"choose {end.day} {end:%B %Y} or earlier", words or deadline)
    kind = read_goal(action).kind or "any"
    if start is not None and (deadline - start).days < KIND_MINIMUM_DAYS[kind]:
        raise _problem("date", f"{shown} leaves {(deadline - start).days} days, too few for this goal",
                       f"allow at least {KIND_MINIMUM_DAYS[kind]} days after the programme start", words or deadline)


#: ``tk.goal(...)``: the same as :func:`compose_goal`.
goal = compose_goal
