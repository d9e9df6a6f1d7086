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
from ..errors import ToolkitError
from ..html_table import frame_html
from ..resources import notebooks_dir, sample_data_dir
from .reading import MEASURE_LEVELS

__all__ = ["Lesson", "LESSONS", "lesson", "northwind", "course_dir", "table_of_contents", "show", "kinds_table", "measures_available",
           "mentee_choice"]


@dataclass(frozen=True)
class Lesson:
    """One lesson: its notebook's name (``notebooks/course/<name>.ipynb``), title, what it teaches, its
    exercises, and the minutes it claims (its first cell says "About N minutes"; the workshop plan uses
    them, and a test holds them to the reading and exercise time the lesson really needs)."""

    name: str
    title: str
    teaches: str
    exercise: str
    minutes: int

    @property
    def notebook(self) -> Path:
        return course_dir() / f"{self.name}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("01_six_kinds", "The six kinds of programme and when each fits",
           "formal, informal, peer, reverse, group and virtual mentoring: what each is for, its costs, and how the "
           "choice changes who can be matched with whom",
           "choose the kind for two clients' briefs and build a design for one of them", 30),
    Lesson("02_objectives_and_measures", "Objectives and success measures",
           "from a client's aims to measures at four levels (reaction, learning, behaviour, results), each "
           "saying what is counted, how much, by when and against what",
           "place measures at their level, then write success measures for a leadership pipeline", 30),
    Lesson("03_matching_fairness", "Screening, matching criteria and fairness",
           "reading a sign-up export, hard rules against weighted criteria, mentee choice, and auditing who is left "
           "out, with a worked example of an unfair match",
           "find the rule behind an unfair match and fix the design until the audit passes", 40),
    Lesson("04_goals_and_agreements", "Goals and agreements",
           "SMART goals a mentee can sign, and the agreement each pair makes (purpose, cadence, confidentiality, "
           "no-fault exit)",
           "write goals a mentee could sign up to, and sort what belongs in an agreement", 30),
    Lesson("05_communication_and_training", "Communication plan and training",
           "the messages from launch to celebration, and the briefings mentors and mentees need first",
           "put a programme's messages in order", 25),
    Lesson("06_running_the_programme", "Running the programme: check-ins, fit, re-match, closure",
           "reading meeting logs and check-ins, spotting pairs that have stalled, when to re-match, and closing well",
           "choose the first step for five situations a coordinator meets", 30),
    Lesson("07_measuring_impact", "Measuring impact honestly",
           "before and after, comparison groups, small effects and their uncertainty, and anonymity",
           "word three claims for a client report; the check tests them against the data", 30),
    Lesson("08_capstone", "Capstone: Brightwater Housing from sign-ups to an evaluation plan",
           "one client brief taken from the sign-up export to an adopted match, agreements and an evaluation "
           "plan, assessed with a rubric",
           "every step, with widgets, until the rubric's five criteria are met", 60),
)


def lesson(name: str) -> Lesson:
    """A lesson by its name (``"03_matching_fairness"``)."""
    for candidate in LESSONS:
        if candidate.name == name:
            return candidate
    raise ToolkitError(f"No lesson called {name!r}.", fix="use one of: " + ", ".join(item.name for item in LESSONS))


def northwind() -> ClientConfig:
    """Northwind Traders, the sample client most lessons run on."""
    return load_client(sample_data_dir() / "northwind")


def course_dir() -> Path:
    """The lessons' folder: ``notebooks/course/``."""
    return notebooks_dir() / "course"


def table_of_contents(links: bool = False, suffix: str = ".html") -> pd.DataFrame | str:
    """The lessons in order; with ``links=True``, an HTML list linking to ``<name><suffix>`` (``.html`` in the
    offline site, ``.ipynb`` in the served course)."""
    if links:
        items = "".join(f"<li><a href='{item.name}{suffix}'>{html.escape(item.title)}</a> "
                        f"<span class='tk-note'>(about {item.minutes} minutes)</span>"
                        f"<br><span class='tk-note'>{html.escape(item.teaches)}. Exercise: "
                        f"{html.escape(item.exercise)}.</span></li>" for item in LESSONS)
        return f"<ol class='tk-course-toc'>{items}</ol>"
    return pd.DataFrame([{"lesson": index, "title": item.title, "teaches": item.teaches, "exercise": item.exercise,
                          "minutes": item.minutes} for index, item in enumerate(LESSONS, 1)])


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
