"""The capstone: one client brief taken from the sign-up export to an adopted match, agreements and an
evaluation plan, with widgets only, and a rubric that follows the learner's work.

:class:`Capstone` copies the Larkfield Housing client (``notebooks/course/data/larkfield``) into
a working folder and holds seven steps (:data:`STEPS`), each an exercise or a one-button action:

1. ``kind``: the kind of programme that fits the brief;
2. ``data``: what the sign-up export says before any matching;
3. ``design``: the design, judged by matching all sign-ups and running the fairness audit;
4. ``adopt``: the passing match adopted as the programme's first round (:func:`toolkit.rounds.adopt`);
5. ``agreements``: one agreement per pair, written into the working folder;
6. ``measures`` and ``timing``: the evaluation plan, what is measured and when.

:meth:`Capstone.rubric` scores the work against five criteria; the capstone is complete when all
five are met. Nothing is written outside the working folder.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import pandas as pd

from ..design.model import ProgramDesign
from ..goals.agreements import agreement_bundle
from ..html_table import frame_html
from ..matching.engine import match
from ..matching.result import MatchResult
from ..rounds import Round, adopt
from .design_checks import check_matching, check_success_measures
from .design_exercises import brief_card, kind_exercise
from .design_panel import design_exercise
from .exercises import Action, Exercise, LiveHTML, choice, choice_each, judge_key, short_text
from .feedback import Feedback
from .worked import working_copy

__all__ = ["Capstone", "STEPS", "STEP_MINUTES", "RUBRIC", "TIMING_KEY", "rubric_table"]

BRIEF = "larkfield_officers"
STEPS = ("kind", "data", "design", "adopt", "agreements", "measures", "timing")
# How long each step takes a learner, reading its prompt and feedback included.
STEP_MINUTES = {"kind": 3, "data": 5, "design": 12, "adopt": 2, "agreements": 5, "measures": 10, "timing": 4}

# When each source of evidence is collected, and why.
TIMING_KEY: dict[str, tuple[str, str]] = {
    "Baseline survey: confidence and intention to stay": (
        "start", "a baseline has to be taken before mentoring can have changed anything"),
    "Monthly pulse: is the relationship working?": (
        "monthly", "a pulse catches a pair going quiet while there is still time to help"),
    "End-of-programme survey: the baseline's questions again": (
        "end", "the same questions at the end give the before-and-after change"),
    "HR extract: who still works here, officers who took part and similar officers who did not": (
        "year", "the brief asks whether people stay; that can only be read a year on, against a comparison group"),
}
_TIMES = [("Before the first meetings", "start"), ("Every month", "monthly"),
          ("In the programme's last fortnight", "end"), ("12 months after the programme starts", "year")]

# criterion -> (the steps it rests on, what "met" looks like, what "strong" adds, assessed by the facilitator)
RUBRIC: dict[str, tuple[tuple[str, ...], str, str]] = {
    "Fits the brief": (("kind", "design"), "the kind and the design do what the brief asks",
                       "explains to the client why this kind and not the nearest alternative"),
    "Reads the data first": (("data",), "reads what the sign-ups allow before designing",
                             "names what the export lacks (languages, managers) and what to ask the client"),
    "A fair match, adopted": (("design", "adopt"), "a match that leaves nobody out unfairly, adopted as round 1",
                              "can explain one pair's score and the fairness audit to the sponsor"),
    "Agreements": (("agreements",), "an agreement for every pair",
                   "tailors the purpose to the brief: keeping new officers, not just development"),
    "Evaluation plan": (("measures", "timing"), "measures that say what, how much, by when and against what, "
                                                "collected at the right times",
                        "agrees the comparison group with HR before the programme starts"),
}


def rubric_table() -> pd.DataFrame:
    """The rubric as the facilitator prints it: each criterion, what meets it and what strong work adds."""
    return pd.DataFrame([{"criterion": criterion, "meets the standard when": meets, "strong work also": strong}
                         for criterion, (_, meets, strong) in RUBRIC.items()])


class Capstone:
    """The capstone's steps and rubric, working on a copy of the Larkfield Housing client.

    Parameters
    ----------
    work_dir
        The folder the working copy goes in, in a new sub-folder per capstone (default: a new temporary
        folder). The adopted round and the agreements are written there.

    Attributes
    ----------
    client
        The working copy (a :class:`~toolkit.client.ClientConfig`).
    steps
        Step name -> its :class:`~toolkit.course.exercises.Exercise` or
        :class:`~toolkit.course.exercises.Action`, in the order of :data:`STEPS`.
    result, adopted, agreements
        The passing match, the adopted round and the agreement files, once the learner has them.
    """

    def __init__(self, work_dir: str | Path | None = None) -> None:
        import ipywidgets as widgets

        folder = None
        if work_dir is not None:
            # one folder per session: the served course may start the capstone many times
            Path(work_dir).mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix="capstone-", dir=work_dir)) / "larkfield"
        self.client = working_copy("larkfield", folder)
        self.result: MatchResult | None = None
        self.adopted: Round | None = None
        self.agreements: list[Path] = []
        self.steps: dict[str, Exercise | Action] = {
            "kind": kind_exercise(BRIEF, "capstone_kind", minutes=STEP_MINUTES["kind"]),
            "data": self._data_step(),
            "design": design_exercise("capstone_design", "Design Larkfield's programme. The check matches all "
                                      "the sign-ups with your design and runs the fairness audit.", self._judge_design,
                                      minutes=STEP_MINUTES["design"], base=self.client.design(),
                                      weights=("skills", "meeting_mode", "seniority"), context=[brief_card(BRIEF)]),
            "adopt": Action("capstone_adopt", "Adopt the match of your passing design as the programme's first round "
                            "(a dated folder in the working copy, never overwritten).", "Adopt this match",
                            self._adopt, minutes=STEP_MINUTES["adopt"]),
            "agreements": Action("capstone_agreements", "Write an agreement for every pair of the adopted match.",
                                 "Write the agreements", self._write_agreements,
                                 minutes=STEP_MINUTES["agreements"]),
            "measures": _measures_step(),
            "timing": choice_each("capstone_timing", "When is each source of evidence collected?", list(TIMING_KEY),
                                  _TIMES, _judge_timing, minutes=STEP_MINUTES["timing"],
                                  empty="Choose a time for each source, then check."),
        }
        self.rubric_output = widgets.HTML(self.rubric_html())
        self.rubric_output.add_class("tk-course-rubric")
        for step in self.steps.values():
            step.listeners.append(lambda _: setattr(self.rubric_output, "value", self.rubric_html()))

    # -- the steps -------------------------------------------------------------------------------

    def step(self, name: str):
        """One step's widget (what a capstone cell shows)."""
        return self.steps[name]

    def _data_step(self) -> Exercise:
        import ipywidgets as widgets

        people = self.client.roster().participants
        seekers = people[people["role"].isin(["mentee", "both"])]
        mentors = people[people["role"].isin(["mentor", "both"])]
        places = mentors.groupby("department")["capacity"].sum()
        wanting = seekers.groupby("department").size()
        short = (wanting - places.reindex(wanting.index).fillna(0)).sort_values(ascending=False)
        department = str(short.index[0])
        have, need = int(places.get(department, 0)), int(wanting[department])
        total_places, total = int(mentors["capacity"].sum()), len(seekers)
        options = [
            (f"The programme cannot start until {department} recruits {need - have} more mentors.", "recruit"),
            (f"{department} has {have} mentor places for {need} people, so most of them will be matched with a "
             "mentor from another department, as the brief asks anyway.", "across"),
            (f"{need - have} people in {department} will be left without a mentor.", "unmatched"),
        ]
        why = {
            "recruit": f"there are {total_places} places for {total} people overall; mentors from other departments "
                       "can take them.",
            "across": "nothing in the design ties people to their own department, and the brief wants pairs across "
                      "departments.",
            "unmatched": f"with {total_places} places for {total} people, only a rule could leave them out, and the "
                         "design has none that does.",
        }

        def judge(value: str) -> Feedback:
            return Feedback(value == "across", ("right: " if value == "across" else "not quite: ") + why[value],
                            () if value == "across" else ("Compare the places with the people seeking a mentor, "
                                                          "overall and in that department.",))

        table = pd.DataFrame({"department": wanting.index, "people seeking a mentor": wanting.values,
                              "mentor places": [int(places.get(name, 0)) for name in wanting.index]})
        return choice("capstone_data", f"The sign-ups give {total_places} mentor places for {total} people seeking a "
                      f"mentor. What does the table say about {department}?", options, judge,
                      minutes=STEP_MINUTES["data"],
                      context=[widgets.HTML(frame_html(table))])

    def _judge_design(self, design: ProgramDesign) -> Feedback:
        feedback = check_matching(BRIEF, design, self.client)
        self.result = match(self.client.roster(), design) if feedback.ok else None
        return feedback

    def _adopt(self) -> Feedback:
        if self.result is None:
            return Feedback(False, "there is no passing design to adopt yet.",
                            ("Check a design in step 3 until it says Well done, then adopt it.",))
        if self.adopted is not None:
            return Feedback(True, f"round {self.adopted.number} is already adopted.",
                            (f"It is in {self.adopted.folder}. A new design would be adopted as a further round.",))
        self.adopted = adopt(self.client.folder, self.result, note="capstone")
        return Feedback(True, f"the match is adopted as round {self.adopted.number}: {len(self.result.pairs)} pairs.",
                        (f"Saved in {self.adopted.folder}, with the design and the optimality certificate.",))

    def _write_agreements(self) -> Feedback:
        result = self.result
        if self.adopted is None or result is None:
            return Feedback(False, "there is no adopted match yet.", ("Adopt the match in step 4 first.",))
        out = self.client.folder / "agreements"
        self.agreements = [path for path in agreement_bundle(result, result.design, out, formats=("html",),
                                                             organisation=self.client.name)
                           if path.name != "index.html"]
        return Feedback(True, f"{len(self.agreements)} agreements written.",
                        (f"Open {out / 'index.html'} to read them; each names both people, the purpose, the "
                         "cadence, confidentiality and the no-fault exit.",))

    # -- the rubric ------------------------------------------------------------------------------

    def rubric(self) -> pd.DataFrame:
        """Each criterion, what meets it, whether the learner's work meets it now, and what strong work adds."""
        rows = []
        for criterion, (steps, meets, strong) in RUBRIC.items():
            met = all((last := self.steps[name].last) is not None and last.ok for name in steps)
            rows.append({"criterion": criterion, "meets the standard when": meets,
                         "your work": "met" if met else "not yet", "strong work also (the facilitator judges)": strong})
        return pd.DataFrame(rows)

    @property
    def complete(self) -> bool:
        """Whether every criterion of the rubric is met."""
        return bool((self.rubric()["your work"] == "met").all())

    def rubric_html(self) -> str:
        done = int((self.rubric()["your work"] == "met").sum())
        return (f"<p><b>Rubric: {done} of {len(RUBRIC)} criteria met.</b> "
                + html.escape("The capstone is complete when all five are met.") + "</p>"
                + frame_html(self.rubric()))

    def rubric_view(self) -> LiveHTML:
        """The rubric as a widget that updates after every step (its current state on a static page)."""
        return LiveHTML(self.rubric_output)


def _measures_step() -> Exercise:
    return short_text("capstone_measures", "Write Larkfield's success measures, one a line: what is counted, how "
                      "much, by when, and for at least one, against what.", check_success_measures,
                      minutes=STEP_MINUTES["measures"],
                      placeholder="e.g. Officers who took part still employed 12 months after the start, 10 "
                                  "percentage points above similar officers who did not",
                      empty="Write two to four success measures, one a line, then check.")


def _judge_timing(values: dict) -> Feedback:
    return judge_key(TIMING_KEY, values, {value: label.lower() for label, value in _TIMES})
