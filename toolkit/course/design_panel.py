"""The design exercise: a programme design built with choices and sliders, never YAML or code.

:func:`design_exercise` shows the decisions a consultant makes, in plain words: the kind of
programme to start from, who should be more senior, whether pairs must come from different
departments, the hard rules that matter for the brief, and the weight of each criterion. Choosing
a kind resets the rules and weights to that kind's template (the seniority and department answers
stay the learner's own). The learner's choices become a
:class:`~toolkit.design.model.ProgramDesign` (:meth:`DesignChoices.design`) and the exercise's judge
receives it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..design.model import ProgramDesign
from ..design.vocabulary import KINDS
from ..errors import DesignError, ToolkitError
from .exercises import Exercise
from .feedback import Feedback

__all__ = ["KIND_WORDS", "SENIORITY_WORDS", "DEPARTMENT_WORDS", "CRITERION_WORDS", "RULE_WORDS", "LIMIT_WORDS",
           "DesignChoices", "DesignExercise", "design_exercise",
           "describe_design"]

KIND_WORDS: dict[str, str] = {
    "formal": "Formal one-to-one", "informal": "Informal one-to-one", "peer": "Peer mentoring",
    "reverse": "Reverse mentoring", "group": "Group mentoring (circles)", "virtual": "Virtual one-to-one",
}
SENIORITY_WORDS: dict[str, str] = {
    "mentor_senior": "The mentor", "mentee_senior": "The mentee (reverse mentoring)",
    "similar": "About the same level (peers)", "any": "It does not matter",
}
DEPARTMENT_WORDS: dict[str, str] = {
    "rule": "Required: never two people from the same department",
    "weight": "Preferred: another department counts towards the score",
    "none": "It does not matter",
}
CRITERION_WORDS: dict[str, str] = {
    "skills": "Skills: the mentor offers what the mentee wants to learn",
    "goals": "Goals: the mentor suits the mentee's development goals",
    "seniority": "Seniority: the gap between them is close to the ideal",
    "meeting_mode": "Meeting in person or online: both want the same",
    "timezone": "Time zones: working hours overlap",
    "availability": "Free at the same times of the week",
    "preferences": "The mentee's own ranking of mentors",
    "language": "Languages in common",
}
RULE_WORDS: dict[str, str] = {
    "exclude_own_manager": "Never with their own manager",
    "exclude_reporting_line": "Never within their reporting line",
    "exclude_same_team": "Never two people from the same team",
}
# The limits a rule can set, as drop-downs: setting -> (label, [(words, value)]).
LIMIT_WORDS: dict[str, tuple[str, tuple[tuple[str, float | None], ...]]] = {
    "min_availability_overlap_hours": ("Pairs must share free time each week", (
        ("Not checked", None), ("At least 1 hour", 1.0), ("At least 2 hours", 2.0))),
    "max_timezone_difference_hours": ("Largest time-zone difference allowed", (
        ("No limit", None), ("3 hours", 3.0), ("5 hours", 5.0), ("8 hours", 8.0))),
}
_CROSS_WEIGHT = 3  # "preferred": the weight another department gets (as much as a strong criterion)


@dataclass(frozen=True)
class DesignChoices:
    """What the learner chose, in the panel's terms; :meth:`design` makes it a programme design."""

    kind: str | None
    seniority: str | None
    departments: str | None
    rules: tuple[tuple[str, bool], ...]
    limits: tuple[tuple[str, float | None], ...]
    weights: tuple[tuple[str, int], ...]
    base: ProgramDesign | None = None

    def missing(self) -> list[str]:
        """The questions still unanswered, in the panel's words."""
        return ([] if self.kind or self.base is not None else ["the kind of programme to start from"]) + \
            ([] if self.seniority else ["who should be more senior"]) + \
            ([] if self.departments else ["whether pairs come from different departments"])

    def design(self) -> ProgramDesign:
        """The design these choices make (from the kind's template, or from the base design)."""
        if self.base is not None:
            start = self.base
        elif self.kind is not None:
            start = ProgramDesign.from_template(self.kind)
        else:  # missing() names it; a caller that skips missing() is told the same
            raise DesignError("No kind of programme is chosen to start from.", fix="choose the kind of programme")
        criteria = {name: {"weight": weight} for name, weight in self.weights}
        rules: dict = dict(self.rules)
        rules.update(dict(self.limits))
        if self.departments:
            rules["exclude_same_department"] = self.departments == "rule"
            criteria["cross_department"] = {"weight": _CROSS_WEIGHT if self.departments == "weight" else 0}
        changes: dict = {"criteria": criteria, "rules": rules}
        if self.seniority:
            changes["seniority"] = {"direction": self.seniority}
        return start.override(changes)


def describe_design(choices: DesignChoices) -> list[str]:
    """The choices as the learner made them, one line each (what "Your answer" shows)."""
    lines = []
    if choices.base is None:
        lines.append(f"Start from: {KIND_WORDS.get(choices.kind or '', 'not chosen')}")
    lines.append(f"More senior: {SENIORITY_WORDS.get(choices.seniority or '', 'not chosen')}")
    lines.append(f"Different departments: {DEPARTMENT_WORDS.get(choices.departments or '', 'not chosen')}")
    lines += [f"{RULE_WORDS[name]}: {'yes' if on else 'no'}" for name, on in choices.rules]
    for name, value in choices.limits:
        label, options = LIMIT_WORDS[name]
        lines.append(f"{label}: {next(words for words, option in options if option == value)}")
    if choices.weights:
        lines.append("Weights: " + ", ".join(f"{CRITERION_WORDS[name].split(':')[0]} {weight}"
                                             for name, weight in choices.weights))
    return lines


def _template_values(design: ProgramDesign) -> tuple[dict, dict, dict]:
    weights = {name: int(round(float(weight or 0))) for name, weight in dict(design.criteria).items()}
    rules = {name: bool(getattr(design.rules, name)) for name in RULE_WORDS}
    limits = {name: getattr(design.rules, name) for name in LIMIT_WORDS}
    return weights, rules, limits


def design_exercise(key: str, prompt: str, judge: Callable[[ProgramDesign], Feedback], *, minutes: float,
                    base: ProgramDesign | None = None, kinds: Sequence[str] = tuple(KINDS),
                    rules: Sequence[str] = (), limits: Sequence[str] = (),
                    weights: Sequence[str] = ("skills", "seniority"), context: Sequence = ()) -> Exercise:
    """A design built with widgets, judged as a :class:`~toolkit.design.model.ProgramDesign`.

    Parameters
    ----------
    base
        The design to adjust; without one, the learner first chooses a kind (one of ``kinds``)
        and starts from its template.
    rules, limits, weights
        Which hard rules (:data:`RULE_WORDS`), limits (:data:`LIMIT_WORDS`) and criteria
        (:data:`CRITERION_WORDS`) the panel shows; the rest stay as the design has them.
    """
    import ipywidgets as widgets

    controls: dict = {}
    labels: dict = {}
    if base is None:
        kind_options = [("Choose...", None)] + [(KIND_WORDS[kind], kind) for kind in kinds]
        controls["kind"] = widgets.Dropdown(options=kind_options, index=0)
        labels["kind"] = "Which kind of programme do you start from?"
    controls["seniority"] = widgets.RadioButtons(options=[(words, value) for value, words in SENIORITY_WORDS.items()],
                                                 index=None)
    labels["seniority"] = "Who should be more senior?"
    controls["departments"] = widgets.RadioButtons(
        options=[(words, value) for value, words in DEPARTMENT_WORDS.items()], index=None)
    labels["departments"] = "Pairs from different departments?"
    start_weights, start_rules, start_limits = _template_values(base) if base is not None else ({}, {}, {})
    for name in rules:
        controls[name] = widgets.Checkbox(value=start_rules.get(name, True), description=RULE_WORDS[name],
                                          indent=False, layout=widgets.Layout(width="auto"))
    for name in limits:
        label, options = LIMIT_WORDS[name]
        controls[name] = widgets.Dropdown(options=list(options), value=start_limits.get(name))
        labels[name] = label
    for name in weights:
        controls[f"weight_{name}"] = widgets.IntSlider(value=start_weights.get(name, 0), min=0, max=10,
                                                       continuous_update=False,
                                                       layout=widgets.Layout(width="100%", max_width="32em"))
        words = CRITERION_WORDS[name]
        labels[f"weight_{name}"] = f"Weight of {words[0].lower()}{words[1:]} (0 = ignore)"

    def reset_to_template(change) -> None:
        # A new kind starts from its own template's rules and weights.
        if change["new"] is None:
            return
        template_weights, template_rules, template_limits = _template_values(ProgramDesign.from_template(change["new"]))
        for name in rules:
            controls[name].value = template_rules[name]
        for name in limits:
            controls[name].value = template_limits[name]
        for name in weights:
            controls[f"weight_{name}"].value = template_weights.get(name, 0)

    if "kind" in controls:
        controls["kind"].observe(reset_to_template, names="value")

    def choices(values: dict) -> DesignChoices:
        return DesignChoices(kind=values.get("kind"), seniority=values["seniority"], departments=values["departments"],
                             rules=tuple((name, bool(values[name])) for name in rules),
                             limits=tuple((name, values[name]) for name in limits),
                             weights=tuple((name, int(values[f"weight_{name}"])) for name in weights), base=base)

    def judge_choices(values: dict) -> Feedback:
        chosen = choices(values)
        missing = chosen.missing()
        if missing:
            return Feedback(False, "the design is not finished yet.",
                            tuple(f"Choose {question}." for question in missing))
        try:
            design = chosen.design()
        except ToolkitError as error:
            return Feedback(False, f"the toolkit cannot build this design: {error.headline}",
                            (f"Fix: {error.fix}",) if error.fix else ())
        return judge(design)

    required = [name for name in ("kind", "seniority", "departments") if name in controls]
    return DesignExercise(key, prompt, controls, judge_choices, labels=labels, choices=choices,
                          answer_lines=lambda values: describe_design(choices(values)),
                          empty="Answer the design's questions (" + ", ".join(
                              labels[name].rstrip("?").lower() for name in required) + "), then check.",
                          minutes=minutes, context=context, required=required,
                          static="<ul>" + "".join(
                              f"<li>{html.escape(labels.get(name, RULE_WORDS.get(name, name)))}</li>"
                              for name in controls) + "</ul>")


class DesignExercise(Exercise):
    """An :class:`~toolkit.course.exercises.Exercise` whose answer is a programme design.

    ``choices()`` gives what the panel stands at, ``design()`` the design it makes (None while a
    question is unanswered or the toolkit refuses it).
    """

    def __init__(self, *args, choices: Callable[[dict], DesignChoices], **kwargs) -> None:
        self._choices = choices
        super().__init__(*args, **kwargs)

    def choices(self) -> DesignChoices:
        return self._choices(self.values())

    def design(self) -> ProgramDesign | None:
        chosen = self.choices()
        if chosen.missing():
            return None
        try:
            return chosen.design()
        except ToolkitError:
            return None
