"""Exercises a learner answers with widgets: choices, sliders and short text, never code.

An :class:`Exercise` is a prompt, the controls that answer it, a *Check my answer* button and the
feedback under it. Clicking runs the exercise's judge on the controls' values and shows a
:class:`~toolkit.course.feedback.Feedback` with the answer it judged; an empty answer gets
"No answer yet". The same object works in JupyterLab, in the served course (Voilà) and in tests
(set ``controls[name].value``, call ``button.click()``, read ``last``). In a static page (the offline
site) it shows its prompt and options as plain HTML, with a note on where to answer.

The builders below make the common kinds: :func:`choice` (one of several), :func:`choice_each`
(one option per item), :func:`ordering` (items into positions), :func:`short_text` (one answer a
line) and :func:`quiz` (a knowledge check: several choices, each option with why it is right or
wrong).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ToolkitError
from .feedback import Feedback, no_answer, points, verdict

__all__ = ["Step", "Exercise", "Action", "LiveHTML", "Option", "Question", "choice", "choice_each", "ordering",
           "short_text", "quiz", "STYLE", "ORDINALS", "labelled", "is_blank", "judge_key"]

# One stylesheet inside every exercise: long labels wrap instead of being cut off, controls never
# spill out of a 1024 px page, and the feedback keeps its colours.
STYLE = """<style>
.tk-course-exercise{border:1px solid #c9d3de;border-radius:6px;padding:10px 14px;margin:8px 0;max-width:62em;
  box-sizing:border-box}
.tk-course-exercise .widget-radio-box label,.tk-course-exercise .widget-checkbox label{white-space:normal;
  line-height:1.35;height:auto;overflow:visible;text-overflow:clip}
.tk-course-exercise .widget-radio-box{height:auto;width:100%;max-width:100%}
.tk-course-exercise .widget-radio-box label{display:flex;flex-direction:row-reverse;justify-content:flex-end;
  align-items:flex-start;gap:6px;margin:3px 0}
.tk-course-exercise .widget-radio-box input{flex:0 0 auto;margin-top:3px;float:none}
.tk-course-exercise .widget-html-content{white-space:normal;overflow-wrap:break-word;line-height:1.4}
.tk-course-exercise .widget-html,.tk-course-exercise .widget-html-content{height:auto}
.tk-course-exercise .widget-inline-hbox .widget-label{width:auto;max-width:none}
.tk-course-exercise select,.tk-course-exercise textarea{max-width:100%}
.tk-course-prompt{font-weight:600;margin:0 0 4px 0}
.tk-course-label{margin:6px 0 2px 0}
.tk-course-static{border:1px dashed #c9d3de;border-radius:6px;padding:8px 14px;margin:8px 0}
</style>"""

ORDINALS = ("1st", "2nd", "3rd", *(f"{number}th" for number in range(4, 21)))
_STATIC_NOTE = ("Answer this exercise in the course served with <code>mentoring-toolkit course --serve</code>, "
                "or open the lesson in JupyterLab.")


def is_blank(value: Any) -> bool:
    """Whether a control's value is no answer: None, blank text, or an empty selection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_blank(item) for item in value)
    return False


def labelled(label: str, control, *, wide: bool = True):
    """A control under its label (the label wraps; ipywidgets' own descriptions are cut off when long)."""
    import ipywidgets as widgets

    if wide and hasattr(control, "layout"):
        control.layout.width = "100%"
        control.layout.max_width = "40em"
    text = widgets.HTML(f"<div class='tk-course-label'>{html.escape(label)}</div>")
    return widgets.VBox([text, control], layout=widgets.Layout(width="100%"))


class Step:
    """What every exercise and action shares: a prompt, a button, the verdict shown under it, listeners.

    Subclasses give :meth:`verdict` (what the button decides) and the kind's word for static pages.
    """

    kind = "Exercise"

    def __init__(self, key: str, prompt: str, *, minutes: float, label: str, body: Sequence[Any] = (),
                 icon: str = "") -> None:
        import ipywidgets as widgets

        self.key, self.prompt, self.minutes = key, prompt, minutes
        self.last: Feedback | None = None
        self.listeners: list[Callable[[Feedback], None]] = []  # called after every check (the capstone's rubric)
        self.button = widgets.Button(description=label, button_style="primary", icon=icon,
                                     layout=widgets.Layout(width="auto", margin="8px 0 0 0"))
        self.button.add_class("tk-course-check")
        self.output = widgets.HTML("")
        self.output.add_class("tk-course-feedback")
        self.button.on_click(lambda _: self.check())
        header = widgets.HTML(STYLE + f"<div class='tk-course-prompt'>{html.escape(prompt)}</div>")
        self.view = widgets.VBox([header, *body, self.button, self.output], layout=widgets.Layout(width="100%"))
        self.view.add_class("tk-course-exercise")
        self.view.add_class(f"tk-exercise-{key}")

    def verdict(self) -> Feedback:
        raise NotImplementedError

    def check(self) -> Feedback:
        """Judge (or do) the step, show the verdict under it and return it."""
        try:
            feedback = self.verdict()
        except ToolkitError as error:  # e.g. a design the toolkit refuses: the learner reads why
            feedback = Feedback(False, error.headline, (f"Fix: {error.fix}",) if error.fix else ())
        self.last = feedback
        self.output.value = feedback._repr_html_()
        for listener in self.listeners:
            listener(feedback)
        return feedback

    def static_extra(self) -> str:
        return ""

    def static_html(self) -> str:
        """The step as a static page shows it: prompt, options, and where to answer."""
        return (f"<div class='tk-course-static tk-exercise-{html.escape(self.key)}'><p><b>{self.kind}:</b> "
                f"{html.escape(self.prompt)}</p>{self.static_extra()}<p class='tk-note'>{_STATIC_NOTE}</p></div>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget where a kernel runs (JupyterLab, Voilà); the static HTML where none does (the site).
        data = dict(self.view._repr_mimebundle_(include=include, exclude=exclude) or {})
        data["text/html"] = self.static_html()
        data["text/plain"] = f"{self.kind}: {self.prompt}"
        return data


class Exercise(Step):
    """One exercise: a prompt, its controls, a Check button and the feedback under it.

    Parameters
    ----------
    key
        The exercise's name in :data:`toolkit.course.EXERCISES`.
    prompt
        What the learner is asked (plain text; shown in bold).
    controls
        Name -> ipywidgets control, in the order shown; each shown under its label from ``labels``.
    judge
        Called with the controls' values (name -> value) when the answer is not empty; returns the
        verdict. A :class:`~toolkit.errors.ToolkitError` it raises is shown as the verdict.
    answer_lines
        Turns the values into the lines "Your answer" shows.
    empty
        The advice when every control is blank (``is_blank``).
    minutes
        How long the exercise takes a learner, for the lesson's time estimate.
    labels
        Name -> the label shown above a control (none: the control alone).
    context
        Widgets shown between the prompt and the controls (a brief, a table).
    static
        Extra HTML for the static page (the options, for instance).
    required
        The controls that make an answer; when all of them are blank the answer is empty (default:
        every control). Partly answered exercises go to the judge, which says what is missing.
    """

    def __init__(self, key: str, prompt: str, controls: Mapping[str, Any], judge: Callable[[dict], Feedback], *,
                 answer_lines: Callable[[dict], Sequence[str]], empty: str, minutes: float,
                 labels: Mapping[str, str] | None = None, context: Sequence[Any] = (), static: str = "",
                 required: Sequence[str] | None = None) -> None:
        self.controls = dict(controls)
        self._judge, self._answer_lines, self._empty = judge, answer_lines, empty
        self.labels = dict(labels or {})
        self.required = tuple(required if required is not None else self.controls)
        self._static = static
        rows = [labelled(self.labels[name], control) if name in self.labels else control
                for name, control in self.controls.items()]
        super().__init__(key, prompt, minutes=minutes, label="Check my answer", icon="check", body=[*context, *rows])

    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def verdict(self) -> Feedback:
        values = self.values()
        if all(is_blank(values[name]) for name in self.required):
            return no_answer(self._empty)
        try:
            feedback = self._judge(values)
        except ToolkitError as error:
            feedback = Feedback(False, error.headline, (f"Fix: {error.fix}",) if error.fix else ())
        return feedback.with_answer(self._answer_lines(values))

    def static_extra(self) -> str:
        return self._static


class Action(Step):
    """A step done with one button (adopt a match, write the agreements), with its result shown under it.

    Parameters
    ----------
    key
        The step's name.
    prompt
        What the step does.
    label
        The button's words.
    run
        Called on click; returns the verdict (a :class:`~toolkit.errors.ToolkitError` it raises is shown).
    minutes
        How long the step takes, for the time estimate.
    """

    kind = "Step"

    def __init__(self, key: str, prompt: str, label: str, run: Callable[[], Feedback], *, minutes: float) -> None:
        self.controls: dict = {}
        self._run = run
        super().__init__(key, prompt, minutes=minutes, label=label)

    def verdict(self) -> Feedback:
        return self._run()


class LiveHTML:
    """An HTML widget that a static page shows as its current HTML (the capstone's rubric)."""

    def __init__(self, widget) -> None:
        self.widget = widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        data["text/html"] = self.widget.value
        data["text/plain"] = "(updates as you work)"
        return data


def _option_list(options: Sequence[tuple[str, Any]]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(label)}</li>" for label, _ in options) + "</ul>"


def _label_of(options: Sequence[tuple[str, Any]], value: Any) -> str:
    return next((label for label, option in options if option == value), str(value))


def _shown(options: Sequence[tuple[str, Any]], value: Any) -> str:
    return "(none)" if value is None else _label_of(options, value)


def choice(key: str, prompt: str, options: Sequence[tuple[str, Any]], judge: Callable[[Any], Feedback], *,
           minutes: float, empty: str = "Choose one of the options, then check.", context: Sequence[Any] = ()
           ) -> Exercise:
    """One of several options (radio buttons, none chosen at first); ``judge`` gets the chosen value."""
    import ipywidgets as widgets

    radio = widgets.RadioButtons(options=list(options), index=None, layout=widgets.Layout(width="100%"))
    return Exercise(key, prompt, {"choice": radio}, lambda values: judge(values["choice"]),
                    answer_lines=lambda values: [_label_of(options, values["choice"])], empty=empty,
                    minutes=minutes, context=context, static=_option_list(options))


def judge_key(key: Mapping[str, tuple[str, str]], values: Mapping, words: Mapping[str, str]) -> Feedback:
    """Judge one answer per item against an answer key (item -> (right value, why)); ``words`` names the values."""
    problems, notes = [], []
    for item, (right, why) in key.items():
        chosen = values.get(item)
        if chosen is None:
            problems.append(f"\"{item}\": no answer yet.")
        elif chosen != right:
            problems.append(f"\"{item}\": you chose {words[chosen]}, but {why}.")
        notes.append(f"\"{item}\": {words[right]}, because {why}.")
    unanswered = sum(values.get(item) is None for item in key)
    wrong = len(problems) - unanswered
    return verdict(problems, f"all {len(key)} right.",
                   f"{len(key) - wrong - unanswered} of {len(key)} right"
                   + (f", {unanswered} still to answer" if unanswered else "") + ".", notes)


def choice_each(key: str, prompt: str, items: Sequence[str], options: Sequence[tuple[str, Any]],
                judge: Callable[[dict], Feedback], *, minutes: float, empty: str, context: Sequence[Any] = ()
                ) -> Exercise:
    """One option per item (a drop-down under each item); ``judge`` gets item -> value (None: unanswered)."""
    import ipywidgets as widgets

    choose = [("Choose...", None), *options]
    controls = {item: widgets.Dropdown(options=choose, index=0) for item in items}
    return Exercise(key, prompt, controls, judge, labels={item: item for item in items},
                    answer_lines=lambda values: [f"{item}: {_shown(choose, value)}" for item, value in values.items()],
                    empty=empty, minutes=minutes, context=context,
                    static="<p>For each of:</p>" + _option_list([(item, item) for item in items])
                           + "<p>choose one of:</p>" + _option_list(options))


def ordering(key: str, prompt: str, items: Sequence[tuple[str, Any]], judge: Callable[[list], Feedback], *,
             minutes: float, empty: str, context: Sequence[Any] = ()) -> Exercise:
    """Put items in order: one drop-down per position; ``judge`` gets the values in position order."""
    import ipywidgets as widgets

    choose = [("Choose...", None), *items]
    controls = {ORDINALS[index]: widgets.Dropdown(options=choose, index=0) for index in range(len(items))}
    return Exercise(key, prompt, controls, lambda values: judge(list(values.values())),
                    labels={position: position for position in controls},
                    answer_lines=lambda values: [" → ".join(_shown(choose, value) for value in values.values())],
                    empty=empty, minutes=minutes, context=context,
                    static="<p>In jumbled order:</p>" + _option_list(items))


def short_text(key: str, prompt: str, judge: Callable[[list[str]], Feedback], *, minutes: float, empty: str,
               placeholder: str = "", lines: int = 4, context: Sequence[Any] = ()) -> Exercise:
    """Short text, one answer a line; ``judge`` gets the non-blank lines."""
    import ipywidgets as widgets

    area = widgets.Textarea(value="", placeholder=placeholder, rows=lines,
                            layout=widgets.Layout(width="100%", max_width="48em"))

    def split(value: str) -> list[str]:
        return [line.strip(" -•*\t") for line in str(value or "").splitlines() if line.strip(" -•*\t")]

    return Exercise(key, prompt, {"text": area}, lambda values: judge(split(values["text"])),
                    answer_lines=lambda values: split(values["text"]), empty=empty, minutes=minutes,
                    context=context)


@dataclass(frozen=True)
class Option:
    """One option of a knowledge-check question: its words, whether it is right, and why."""

    label: str
    right: bool
    why: str


@dataclass(frozen=True)
class Question:
    """One knowledge-check question and its options (exactly one right)."""

    prompt: str
    options: tuple[Option, ...]

    def __post_init__(self) -> None:
        if sum(option.right for option in self.options) != 1:
            raise ToolkitError(f"The question {self.prompt!r} needs exactly one right option.",
                               fix="report this as a toolkit bug")


def _judge_quiz(questions: Sequence[Question], values: dict) -> Feedback:
    lines, wrong, unanswered = [], 0, 0
    for number, question in enumerate(questions, 1):
        chosen = values[f"q{number}"]
        if chosen is None:
            unanswered += 1
            lines.append(f"{number}. No answer yet.")
            continue
        option = question.options[chosen]
        wrong += not option.right
        lines.append(f"{number}. {'Right' if option.right else 'Not quite'}: {option.why}")
    if wrong or unanswered:
        headline = (f"{len(questions) - wrong - unanswered} of {len(questions)} right"
                    + (f", {points(unanswered, 'question')} still to answer" if unanswered else "")
                    + ". Read why, then change your answers and check again.")
        return Feedback(False, headline, tuple(lines))
    return Feedback(True, f"all {len(questions)} right.", tuple(lines))


def _shuffled(question: Question) -> list[tuple[str, int]]:
    """The options in a fixed order of their own (a hash of their words), so the right one is not always first
    or second as written; each keeps its index in ``question.options`` as its value."""
    return sorted(((option.label, index) for index, option in enumerate(question.options)),
                  key=lambda pair: hashlib.sha256((question.prompt + pair[0]).encode("utf-8")).hexdigest())


def quiz(key: str, questions: Sequence[Question], *, minutes_per_question: float = 1.5) -> Exercise:
    """A knowledge check: one set of radio buttons per question, checked together."""
    import ipywidgets as widgets

    controls = {f"q{number}": widgets.RadioButtons(options=_shuffled(question), index=None)
                for number, question in enumerate(questions, 1)}
    labels = {f"q{number}": f"{number}. {question.prompt}" for number, question in enumerate(questions, 1)}

    def answer_lines(values: dict) -> list[str]:
        return [f"{number}. " + (question.options[values[f'q{number}']].label if values[f"q{number}"] is not None
                                 else "(no answer)") for number, question in enumerate(questions, 1)]

    static = "".join(f"<p>{html.escape(labels[name])}</p>" + _option_list(_shuffled(question))
                     for name, question in zip(controls, questions))
    return Exercise(key, "Knowledge check: choose one answer for each question.", controls,
                    lambda values: _judge_quiz(questions, values), labels=labels, answer_lines=answer_lines,
                    empty="Choose an answer for each question, then check.",
                    minutes=minutes_per_question * len(questions), static=static)
