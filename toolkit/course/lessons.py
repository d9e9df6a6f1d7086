"""The course's table of contents, and the tables its lessons show (computed live from the toolkit)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..design.vocabulary import KINDS
from ..html_table import frame_html
from ..resources import notebooks_dir
from .design_checks import MEASURE_LEVELS

__all__ = ["Lesson", "LESSONS", "course_dir", "table_of_contents", "show", "kinds_table", "measures_available",
           "mentee_choice"]


@dataclass(frozen=True)
class Lesson:
    """One lesson: its notebook's name (``notebooks/course/<name>.ipynb``), title, and what it teaches."""

    name: str
    title: str
    teaches: str
    exercise: str

    @property
    def notebook(self) -> Path:
        return course_dir() / f"{self.name}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("01_six_kinds", "The six kinds of programme and when each fits",
           "formal, informal, peer, reverse, group and virtual mentoring: what each is for, its costs, and how the "
           "choice changes who can be matched with whom",
           "choose the kind for a client's brief and fix a design that gets the seniority rule wrong"),
    Lesson("02_objectives_and_measures", "Objectives and success measures",
           "from a client's aims to measures at four levels (reaction, learning, behaviour, results), each "
           "countable, dated and compared with something",
           "write success measures for a leadership pipeline and have them checked"),
    Lesson("03_matching_fairness", "Matching criteria, mentee choice and fairness",
           "hard rules against weighted criteria, letting mentees rank mentors, and auditing who is left out",
           "tune a design for a client's brief; the check runs the match and the fairness audit"),
    Lesson("04_goals_and_agreements", "Goals and agreements",
           "SMART goals from the goal library, and the agreement each pair signs (purpose, cadence, "
           "confidentiality, no-fault exit)",
           "write goals a mentee could sign up to"),
    Lesson("05_communication_and_training", "Communication plan and training",
           "the messages from launch to celebration, and the briefings mentors and mentees need first",
           "put a programme's messages in order"),
    Lesson("06_running_the_programme", "Running the programme: check-ins, fit, re-match, closure",
           "reading meeting logs and check-ins, spotting pairs that have stalled, when to re-match, and closing well",
           "choose which pairs to call this week"),
    Lesson("07_measuring_impact", "Measuring impact honestly",
           "before and after, comparison groups, small effects and their uncertainty, and anonymity",
           "word three claims for a client report; the check tests them against the data"),
)


def course_dir() -> Path:
    """The lessons' folder: ``notebooks/course/``."""
    return notebooks_dir() / "course"


def table_of_contents(links: bool = False) -> pd.DataFrame | str:
    """The lessons in order; with ``links=True``, an HTML list linking to ``<name>.html``."""
    if links:
        items = "".join(f"<li><a href='{lesson.name}.html'>{html.escape(lesson.title)}</a>"
                        f"<br><span class='tk-note'>{html.escape(lesson.teaches)}. Exercise: "
                        f"{html.escape(lesson.exercise)}.</span></li>" for lesson in LESSONS)
        return f"<ol class='tk-course-toc'>{items}</ol>"
    return pd.DataFrame([{"lesson": index, "title": lesson.title, "teaches": lesson.teaches,
                          "exercise": lesson.exercise} for index, lesson in enumerate(LESSONS, 1)])


def show(frame: pd.DataFrame, caption: str | None = None):
    """A table shown in full (no truncated cells, no index), as the lessons display them."""
    from IPython.display import HTML

    return HTML(frame_html(frame, caption=caption, number_format="{:g}"))


def kinds_table() -> pd.DataFrame:
    """Each programme kind's shape, seniority rule, capacity and cadence, read from its template."""
    rows = []
    for kind in KINDS:
        design = ProgramDesign.from_template(kind)
        rows.append({"kind": kind, "what it is": KINDS[kind], "shape": design.shape.replace("_", " "),
                     "seniority": design.seniority.direction.replace("_", " "),
                     "mentees per mentor": design.capacity.default,
                     "meetings a month": design.cadence.meetings_per_month, "months": design.duration_months})
    return pd.DataFrame(rows)


# What each file a client.yaml can name lets a consultant measure, by level.
_SOURCES = (
    ("surveys.session_feedback", "reaction", "how useful each meeting felt"),
    ("surveys.pulses", "reaction", "monthly pulse: is the relationship working"),
    ("surveys.baseline", "learning", "confidence and career clarity before"),
    ("surveys.end", "learning", "the same scales at the end (pre/post, on people who answered both)"),
    ("meetings", "behaviour", "meetings held against the agreed cadence"),
    ("goal_checkins", "behaviour", "progress on each agreed goal"),
    ("hr_outcomes", "results", "retention and promotion, participants against a comparison group"),
)


def measures_available(client: str | ClientConfig) -> pd.DataFrame:
    """What this client's files let you measure, level by level (Kirkpatrick), and whether it has them."""
    config = client if isinstance(client, ClientConfig) else load_client(client)
    rows = []
    for key, level, what in _SOURCES:
        top, _, wave = key.partition(".")
        present = bool(config.survey(wave)) if wave else bool(config.get(top))
        rows.append({"level": level, "source": key, "measures": what, "this client has it": present})
    frame = pd.DataFrame(rows)
    order = {level: index for index, level in enumerate(MEASURE_LEVELS)}
    return frame.sort_values("level", key=lambda column: column.map(order), kind="stable").reset_index(drop=True)


def mentee_choice(results: Mapping[str, Any]) -> pd.DataFrame:
    """Per match: of the mentees who ranked mentors, how many got one they ranked, and their first choice.

    Parameters
    ----------
    results
        A label -> :class:`~toolkit.matching.MatchResult` mapping (e.g. two weights of ``preferences``).
        Rankings are read from each roster's ``preferences`` (ranked mentor ids, first choice first).
    """
    rows = []
    for label, result in results.items():
        people = result.roster.participants.set_index("participant_id")["preferences"]
        ranked = {str(person): tuple(choices) for person, choices in people.items() if choices}
        pairs = [(str(mentee), str(mentor)) for mentee, mentor in zip(result.pairs["mentee_id"], result.pairs["mentor_id"])
                 if str(mentee) in ranked]
        rows.append({"match": label, "mentees who ranked mentors": len(ranked),
                     "got a mentor they ranked": sum(mentor in ranked[mentee] for mentee, mentor in pairs),
                     "got their first choice": sum(mentor == ranked[mentee][0] for mentee, mentor in pairs),
                     # what the other criteria add up to, comparable across preference weights
                     "score from the other criteria": round(float(
                         (result.pairs["score"] - result.pairs.get("preferences", 0.0)).sum()), 1)})
    return pd.DataFrame(rows)
