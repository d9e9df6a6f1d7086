"""Time: how long each lesson really takes, and the plan for teaching the course as a one-day workshop.

:func:`lesson_minutes` estimates a lesson from its notebook: reading at :data:`WORDS_PER_MINUTE`, a
minute for each table or chart it shows, and each exercise's own time (which includes reading its
prompt and feedback). Every lesson's claim (:attr:`~toolkit.course.lessons.Lesson.minutes`, written
in its first cell) is held to this estimate by a test. :func:`session_plan` lays the lessons out as
a day, with a discussion after each and the breaks.
"""

from __future__ import annotations

import ast
import datetime as dt
import re

import pandas as pd

from .capstone import STEP_MINUTES
from .catalogue import EXERCISES
from .lessons import LESSONS, Lesson, lesson

__all__ = ["WORDS_PER_MINUTE", "MINUTES_PER_TABLE", "lesson_minutes", "lesson_words", "session_plan", "timing_table",
           "DISCUSSION_MINUTES"]

WORDS_PER_MINUTE = 130  # reading instructional text with tables nearby, slower than prose
MINUTES_PER_TABLE = 1.0  # looking at a table or chart the lesson shows
DISCUSSION_MINUTES = 10  # the group discussion after each lesson in the workshop
_EXERCISE_CALL = re.compile(r"""(?:course\.exercise|exercise)\(\s*["']([\w-]+)["']""")
_STEP_CALL = re.compile(r"""\.step\(\s*["'](\w+)["']""")


def _markdown_text(source: str) -> str:
    text = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[#*_`|>\[\]()]", " ", text)


def lesson_words(name: str) -> int:
    """The words a learner reads in a lesson's markdown (headings, text, tables in markdown)."""
    import nbformat

    notebook = nbformat.read(lesson(name).notebook, as_version=4)
    return sum(len(_markdown_text(cell.source).split()) for cell in notebook.cells if cell.cell_type == "markdown")


def _display_minutes(cell) -> float:
    """Minutes to read what a code cell displays: none unless its last statement is an expression that is
    not an exercise; then :data:`MINUTES_PER_TABLE`, or the cell's own ``course: reading_minutes``
    (a long document such as an agreement)."""
    try:
        body = ast.parse(cell.source).body
    except SyntaxError:
        return 0.0
    shows = bool(body) and isinstance(body[-1], ast.Expr) and not (_EXERCISE_CALL.search(cell.source)
                                                                     or _STEP_CALL.search(cell.source))
    return float(cell.metadata.get("course", {}).get("reading_minutes", MINUTES_PER_TABLE)) if shows else 0.0


def lesson_minutes(name: str) -> dict:
    """How long a lesson takes: reading, tables, exercises, and the total.

    Returns
    -------
    dict
        ``words``, ``reading``, ``tables``, ``exercises`` (minutes each), ``estimate`` (their sum) and
        ``claimed`` (the lesson's own claim).
    """
    import nbformat

    notebook = nbformat.read(lesson(name).notebook, as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    code = [cell.source for cell in cells]
    exercise_minutes = sum(EXERCISES[key]().minutes for source in code for key in _EXERCISE_CALL.findall(source))
    exercise_minutes += sum(STEP_MINUTES[step] for source in code for step in _STEP_CALL.findall(source))
    words = lesson_words(name)
    tables = sum(_display_minutes(cell) for cell in cells)
    reading = words / WORDS_PER_MINUTE
    return {"words": words, "reading": round(reading, 1), "tables": tables, "exercises": exercise_minutes,
            "estimate": round(reading + tables + exercise_minutes, 1), "claimed": lesson(name).minutes}


# (after which lesson, what, minutes)
_BREAKS = {"02_objectives_and_measures": ("Coffee", 15), "04_goals_and_agreements": ("Lunch", 45),
           "06_running_the_programme": ("Tea", 15)}


def session_plan(start: str = "09:00", lessons: tuple[Lesson, ...] = LESSONS) -> pd.DataFrame:
    """The one-day workshop: each session with its start and end, the lessons at their claimed length.

    Each lesson is followed by a discussion (:data:`DISCUSSION_MINUTES`, the capstone by a longer
    debrief); coffee, lunch and tea fall after lessons 2, 4 and 6.
    """
    clock = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(start))
    rows = []

    def add(session: str, minutes: int, what: str) -> None:
        nonlocal clock
        end = clock + dt.timedelta(minutes=minutes)
        rows.append({"start": f"{clock:%H:%M}", "end": f"{end:%H:%M}", "minutes": minutes, "session": session,
                     "what happens": what})
        clock = end

    add("Welcome", 15, "the day's objectives, how the served course works, pairs formed for the exercises")
    for index, item in enumerate(lessons, 1):
        add(f"Lesson {index}" if item.name != "08_capstone" else "Capstone", item.minutes, item.title)
        if item.name == "08_capstone":
            add("Capstone debrief", 20, "pairs present their design and evaluation plan; the rubric's strong column")
        else:
            add("Discussion", DISCUSSION_MINUTES,
                f"the lesson's discussion prompt (facilitator guide, lesson {index})")
        if item.name in _BREAKS:
            what, minutes = _BREAKS[item.name]
            add(what, minutes, "break")
    add("Close", 10, "what each person will do first with a client; feedback on the day")
    return pd.DataFrame(rows)


def timing_table() -> pd.DataFrame:
    """Every lesson's claimed minutes beside the estimate they are held to, part by part."""
    rows = []
    for index, item in enumerate(LESSONS, 1):
        minutes = lesson_minutes(item.name)
        rows.append({"lesson": index, "title": item.title, "words": minutes["words"],
                     "reading (min)": minutes["reading"], "tables (min)": minutes["tables"],
                     "exercises (min)": minutes["exercises"], "estimate (min)": minutes["estimate"],
                     "claimed (min)": item.minutes})
    return pd.DataFrame(rows)
