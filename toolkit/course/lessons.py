"""The course's table of contents, and the tables its lessons show (computed live from the toolkit)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..design.vocabulary import KINDS
from ..errors import ToolkitError
from ..goals.agreements import agreement, match_as_run
from ..html_table import frame_html
from ..matching.engine import match
from ..matching.readiness import readiness
from ..measure.impact import outcomes as impact_outcomes
from ..measure.survey import load_survey, pre_post
from ..resources import notebooks_dir, sample_data_dir
from .reading import MEASURE_LEVELS
from .running_checks import effect_word

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["Lesson", "LESSONS", "lesson", "northwind", "course_dir", "table_of_contents", "show", "kinds_table",
           "measures_available", "mentee_choice", "who_can_be_matched", "change_table", "outcomes_table",
           "example_agreement"]


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
           "place measures at their level, then write success measures for a leadership pipeline", 25),
    Lesson("03_matching_fairness", "Screening, matching criteria and fairness",
           "reading a sign-up export, hard rules against weighted criteria, mentee choice, and auditing who is left "
           "out, with a worked example of an unfair match",
           "find the rule behind an unfair match and fix the design until the audit passes", 35),
    Lesson("04_goals_and_agreements", "Goals and agreements",
           "SMART goals a mentee can sign, and the agreement each pair makes (purpose, cadence, confidentiality, "
           "no-fault exit)",
           "write goals a mentee could sign up to, and sort what belongs in an agreement", 30),
    Lesson("05_communication_and_training", "Communication plan and training",
           "the messages from launch to celebration, and the briefings mentors and mentees need first",
           "put a programme's messages in order", 20),
    Lesson("06_running_the_programme", "Running the programme: check-ins, fit, re-match, closure",
           "reading meeting logs and check-ins, spotting pairs that have stalled, when to re-match, and closing well",
           "choose the first step for five situations a coordinator meets", 20),
    Lesson("07_measuring_impact", "Measuring impact honestly",
           "before and after, comparison groups, small effects and their uncertainty, and anonymity",
           "word three claims for a client report; the check tests them against the data", 20),
    Lesson("08_capstone", "Capstone: Larkfield Housing from sign-ups to an evaluation plan",
           "one client brief taken from the sign-up export to an adopted match, agreements and an evaluation "
           "plan, assessed with a rubric",
           "every step, with widgets, until the rubric's five criteria are met", 50),
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


# Tables wrap their cells rather than run off a 1024 px page or hide behind a scroll bar.
TABLE_STYLE = ("<style>.tk-course-table{max-width:100%;overflow-wrap:break-word}"
               ".tk-course-table table.tk-table{border-collapse:collapse;font-size:13px;max-width:100%;margin:4px 0;"
               "table-layout:auto}"
               ".tk-course-table table.tk-table th{background:#f1f3f5;border-bottom:1px solid #adb5bd}"
               ".tk-course-table table.tk-table td,.tk-course-table table.tk-table th{white-space:normal;"
               "text-align:left;padding:3px 8px;vertical-align:top;border-bottom:1px solid #e9ecef;"
               "word-break:normal;overflow-wrap:normal}"
               ".tk-course-table table.tk-table td.tk-num{text-align:right;font-variant-numeric:tabular-nums}"
               ".tk-course-table table.tk-table caption{text-align:left;font-weight:600;padding:4px 0}"
               ".tk-course-table.tk-break-words table.tk-table td{overflow-wrap:anywhere}</style>")


def show(frame: pd.DataFrame, caption: str | None = None, *, break_words: bool = False):
    """A table shown in full (no truncated cells, no index), its cells wrapping, as the lessons display them.

    ``break_words`` lets long words (e-mail addresses) break anywhere, for tables of raw sign-up answers.
    """
    from IPython.display import HTML

    classes = "tk-course-table tk-break-words" if break_words else "tk-course-table"
    return HTML(TABLE_STYLE + f"<div class='{classes}'>{frame_html(frame, caption=caption, number_format='{:g}')}"
                "</div>")


def who_can_be_matched(roster: Roster, designs: Mapping[str, ProgramDesign]) -> pd.DataFrame:
    """For each design (label -> design): the mentees, the mentor places, how many mentees no mentor is
    eligible for under its rules, and how many pairs the match makes."""
    rows = []
    for label, design in designs.items():
        ready = readiness(roster, design)
        result = match(roster, design)
        rows.append({"design": label, "mentees": ready.overall["mentees"], "mentor places": ready.overall["places"],
                     "mentees with no eligible mentor": len(ready.at_risk), "pairs the match makes": len(result.pairs)})
    return pd.DataFrame(rows)


def change_table(client: str | ClientConfig) -> pd.DataFrame:
    """Before and after on the same people, per survey measure, in words: the change, its interval, its size."""
    config = client if isinstance(client, ClientConfig) else load_client(client)
    baseline, end = (load_survey(config.survey(wave)["path"], instrument=config.survey(wave)["instrument"])
                     for wave in ("baseline", "end"))
    change = pre_post(baseline, end)
    return pd.DataFrame({
        "measure": change["label"], "people who answered both": change["n"],
        "before": change["mean_pre"].round(2), "after": change["mean_post"].round(2),
        "change (points)": [f"{value:+.2f}" for value in change["mean_change"]],
        "95% interval": [f"{low:+.2f} to {high:+.2f}" for low, high in zip(change["ci_low"], change["ci_high"])],
        "standardised size": [f"{d:.2f} ({effect_word(d)})" for d in change["d_z"]],
    })


def outcomes_table(client: str | ClientConfig) -> pd.DataFrame:
    """Retention and promotion, participants against the comparison group, with intervals, in words."""
    config = client if isinstance(client, ClientConfig) else load_client(client)
    outcomes = impact_outcomes(config)
    return pd.DataFrame({
        "outcome": outcomes["outcome"].map(lambda name: str(name).replace("_", " ")),
        "group": outcomes["group"].map(lambda name: str(name).replace("_", " ")),
        "people": outcomes["people"], "rate": [f"{rate:.0%}" for rate in outcomes["rate"]],
        "95% interval": [f"{low:.0%} to {high:.0%}" for low, high in zip(outcomes["ci_low"], outcomes["ci_high"])],
    })


def example_agreement(client: str | ClientConfig):
    """The agreement of the client's first pair, as the pair would read it, set apart from the lesson's text."""
    from IPython.display import Markdown

    config = client if isinstance(client, ClientConfig) else load_client(client)
    result = match_as_run(config)
    text = agreement(result, result.pairs.iloc[0], result.design, format="markdown")
    # headings two levels down, the whole quoted: a document inside the lesson, not part of its outline
    lines = [("##" + line) if line.startswith("#") else line for line in text.strip().splitlines()]
    return Markdown("\n".join(f"> {line}" for line in lines))


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
        pairs = [(str(mentee), str(mentor))
                 for mentee, mentor in zip(result.pairs["mentee_id"], result.pairs["mentor_id"]) if str(mentee) in ranked]
        rows.append({"match": label, "mentees who ranked mentors": len(ranked),
                     "got a mentor they ranked": sum(mentor in ranked[mentee] for mentee, mentor in pairs),
                     "got their first choice": sum(mentor == ranked[mentee][0] for mentee, mentor in pairs),
                     # what the other criteria add up to, comparable across preference weights
                     "score from the other criteria": round(float(
                         (result.pairs["score"] - result.pairs.get("preferences", 0.0)).sum()), 1)})
    return pd.DataFrame(rows)
