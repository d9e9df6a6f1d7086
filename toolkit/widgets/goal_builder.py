"""GoalBuilder: write a goal from a template or from its fields, see the SMART check live, keep goals, export
the agreement.

Two ways to a goal: pick a theme and a template and fill it in, or give the goal's **fields** (outcome,
measure, baseline, target, date) and get a sentence that is SMART by construction (:func:`toolkit.goal`).
Adding a goal that fails the check asks first ("Add anyway" adds it); kept goals are tagged with the theme
their own words are about, not the theme picked in the menu.

State lives in :class:`GoalBuilderModel` (traitlets only, no ipywidgets); :class:`GoalBuilder` is the view,
a ``VBox`` that links its widgets to the model::

    from toolkit.widgets import GoalBuilder
    app = GoalBuilder(design, result=result, pair_or_circle="NW-P001")
    app   # the last expression of a cell displays it
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import traitlets

from ..errors import ToolkitError
from ..files import write_text
from ..goals.agreements import agreement, agreement_context
from ..goals.compose import GOAL_FIELDS, compose_goal
from ..goals.dates import as_date, resolve_date
from ..goals.library import fill_template, load_goal_library
from ..goals.smart import LETTER_NAMES, check_smart, theme_of
from ..paths import export_path

if TYPE_CHECKING:
    from ..design.model import ProgramDesign
    from ..matching.result import MatchResult

__all__ = ["GoalBuilderModel", "GoalBuilder"]


class GoalBuilderModel(traitlets.HasTraits):
    """The state of the goal builder: template or fields, the goal, its SMART check, the goals kept.

    Parameters
    ----------
    design
        The programme design (its kind filters the templates; its dates bound the deadline).
    result, pair_or_circle
        Optional match and pair/circle to export an agreement for.
    library
        The goal library (default: :func:`toolkit.goals.load_goal_library`).
    """

    source = traitlets.Unicode("template")  # "template" or "fields"
    theme = traitlets.Unicode("")
    template_id = traitlets.Unicode("")
    values = traitlets.Dict()
    fields = traitlets.Dict()  # outcome, measure, baseline, target, date
    field_error = traitlets.Unicode("")
    goal = traitlets.Unicode("")
    measure = traitlets.Unicode("")
    deadline = traitlets.Unicode("")
    check = traitlets.Any(None)
    error = traitlets.Unicode("")
    warning = traitlets.Unicode("")  # set when Add would keep a goal that fails the check
    goals: traitlets.List[str] = traitlets.List()
    export_format = traitlets.Unicode("html")
    agreement_text = traitlets.Unicode("")

    def __init__(self, design: ProgramDesign, *, result: MatchResult | None = None, pair_or_circle=None, library=None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.design = design
        self.result = result
        self.pair_or_circle = pair_or_circle
        self.library = library or load_goal_library()
        self.suited = self.library.for_kind(design.kind)
        self.start = as_date(design.start_date)
        self.end = as_date(getattr(design, "planned_end_date", None) or design.end_date)
        self.fields = dict.fromkeys(GOAL_FIELDS, "")
        self.template_themes: dict[str, str] = {}  # goal -> the theme of the template it came from
        if not self.theme and self.suited:
            self.theme = next(iter(self.suited))
        self._pick_first_template()
        self._recheck()

    # -- choices ---------------------------------------------------------------------------------
    @property
    def theme_options(self) -> list[tuple[str, str]]:
        return [(self.library.themes[theme_id].name, theme_id) for theme_id in self.suited]

    @property
    def template_options(self) -> list[tuple[str, str]]:
        return [(template.title, template.id) for template in self.suited.get(self.theme, [])]

    @property
    def template(self):
        return self.library.template(self.template_id) if self.template_id else None

    @traitlets.observe("theme")
    def _theme_changed(self, change) -> None:
        self._pick_first_template()

    def _pick_first_template(self) -> None:
        ids = [template_id for _, template_id in self.template_options]
        if ids and self.template_id not in ids:
            self.template_id = ids[0]

    @traitlets.observe("template_id")
    def _template_changed(self, change) -> None:
        template = self.template
        if template is not None:
            self.values = {name: self.values.get(name, "") for name in template.placeholders}
            self._fill()

    @traitlets.observe("values")
    def _values_changed(self, change) -> None:
        self._fill()

    def set_value(self, name: str, value: str) -> None:
        """Set one placeholder of the current template."""
        self.values = {**self.values, name: value}

    def _fill(self) -> None:
        template = self.template
        if template is None or self.source != "template":
            return
        shown = {name: (value or f"[{name}]") for name, value in self.values.items()}
        filled = fill_template(template, shown)
        self.goal = filled["goal"]
        self.measure = filled["measure"]
        deadline = self.values.get("deadline", "")
        if deadline:
            self.deadline = deadline

    # -- a goal from its fields ------------------------------------------------------------------
    def set_field(self, name: str, value: str) -> None:
        """Set one of the goal's fields (outcome, measure, baseline, target, date)."""
        self.fields = {**self.fields, name: value}

    @traitlets.observe("fields", "source")
    def _fields_changed(self, change) -> None:
        if self.source != "fields":
            if change["name"] == "source":
                self._fill()
            return
        given = {name: value for name, value in self.fields.items() if str(value).strip()}
        if not {"outcome", "measure", "target", "date"} <= set(given):
            missing = [name for name in ("outcome", "measure", "target", "date") if name not in given]
            self.field_error = "Still to fill in: " + ", ".join(missing) + "."
            return
        try:
            composed = compose_goal(given["outcome"], given["measure"], given["target"], given["date"],
                                    baseline=given.get("baseline"), programme_start=self.start,
                                    programme_end=self.end, library=self.library)
        except ToolkitError as problem:
            self.field_error = f"{(problem.column or 'goal').capitalize()}: {problem.headline} {problem.fix}".strip()
            return
        self.field_error = ""
        self.measure = ""
        self.deadline = composed.deadline.isoformat()
        self.goal = composed.text

    # -- SMART check -----------------------------------------------------------------------------
    @traitlets.observe("goal", "measure", "deadline")
    def _inputs_changed(self, change) -> None:
        self._recheck()

    def _recheck(self) -> None:
        self.warning = ""
        try:
            typed = resolve_date(self.deadline, start=self.start, end=self.end) if self.deadline.strip() else None
            if self.deadline.strip() and (typed is None or typed.date is None):
                raise ToolkitError(f"The deadline '{self.deadline}' is not a date the toolkit can read.",
                                   fix="write it as YYYY-MM-DD, or as words such as 'end of Q3' or '15 May'")
            unfilled = "[" in self.goal or "[" in self.measure  # a measure with empty [placeholders] is not one yet
            self.check = check_smart(
                self.goal, measure=None if unfilled else (self.measure or None),
                deadline=typed.date if typed else None, theme=self.goal_theme(self.goal),
                programme_start=self.start, programme_end=self.end, library=self.library)
            self.error = ""
        except ToolkitError as error:
            self.error = str(error)

    def goal_theme(self, text: str) -> str | None:
        """The theme a goal's own words are about (its tag), else the theme picked for a template goal."""
        found = theme_of(text, self.library)
        if found is not None:
            return found.id
        return self.theme or None if self.source == "template" else None

    # -- keeping goals ---------------------------------------------------------------------------
    def add_goal(self, *, anyway: bool = False) -> bool:
        """Keep the current goal for the agreement; True when it was added.

        Refused while a field is empty. A goal that fails the SMART check is not added at first: ``warning``
        says what is missing, and ``add_goal(anyway=True)`` (the view's "Add anyway") adds it.
        """
        if "[" in self.goal or not self.goal.strip():
            empty = [name for name, value in self.values.items() if not value] if self.source == "template" else []
            self.error = ("Fill in every field before adding the goal: " + ", ".join(empty) + ".") if empty else \
                "Write the goal first."
            return False
        check = self.check
        if check is not None and not check.ok and not anyway:
            letters = ", ".join(LETTER_NAMES[letter] for letter in check.missing)
            self.warning = (f"This goal is not SMART yet ({letters}): {check.suggestions[0]} "
                            "Sharpen it, or add it anyway.")
            return False
        if self.goal not in self.goals:
            if self.source == "template" and self.theme:
                self.template_themes[self.goal] = self.theme
            self.goals = [*self.goals, self.goal]
        self.warning = ""
        self.error = ""
        return True

    def tags(self) -> list[tuple[str, str]]:
        """Each kept goal with the name of the theme its own words are about; a template goal whose words name
        none keeps its template's theme; "" when there is neither."""
        tagged = []
        for text in self.goals:
            found = theme_of(text, self.library)
            theme_id = found.id if found else self.template_themes.get(text, "")
            tagged.append((text, self.library.themes[theme_id].name if theme_id in self.library.themes else ""))
        return tagged

    # -- agreement -------------------------------------------------------------------------------
    def export_agreement(self, path: str | Path | None = None) -> str:
        """Render the agreement with the kept goals (or the current one); write it when ``path`` is given."""
        try:
            if self.result is None or self.pair_or_circle is None:
                raise ToolkitError("There is no pair or circle to write an agreement for.",
                                   fix="create the builder with result= and pair_or_circle=")
            if not self.goals and self.goal and "[" not in self.goal:
                self.goals = [self.goal]
            owner = self._goal_owner()
            text = agreement(
                self.result, self.pair_or_circle, self.design, format=self.export_format,
                goals={owner: [{"text": goal, "theme": theme or None} for goal, theme in self.tags()]})
            if path:

                write_text(text, path)
            self.agreement_text = text
            self.error = ""
            return text
        except ToolkitError as error:
            self.error = str(error)
            return ""

    def _goal_owner(self) -> str:
        if self.result is None or self.pair_or_circle is None:  # the caller checks first; kept for the type
            return ""
        context = agreement_context(self.result, self.pair_or_circle, self.design)
        return context["participants"][0]["id"]


class GoalBuilder:
    """The goal builder app: a ``VBox`` view over a :class:`GoalBuilderModel`.

    Parameters are those of :class:`GoalBuilderModel`, and ``export_dir``: the folder a file name
    typed in "Save to" is saved in (default: the current folder). Nothing is displayed on
    construction; show ``app`` (or ``app.view``) as the last expression of a cell.
    """

    def __init__(self, design: ProgramDesign, *, result: MatchResult | None = None, pair_or_circle=None, library=None,
                 export_dir=None) -> None:
        import ipywidgets as widgets

        self.model = GoalBuilderModel(design, result=result, pair_or_circle=pair_or_circle, library=library)
        model = self.model
        wide = widgets.Layout(width="100%")
        self.source = widgets.ToggleButtons(options=[("From a template", "template"), ("From its fields", "fields")],
                                            value=model.source, description="Start")
        self.theme = widgets.Dropdown(description="Theme", options=model.theme_options, value=model.theme)
        self.template = widgets.Dropdown(description="Template", options=model.template_options,
                                         value=model.template_id)
        self.fields = widgets.VBox()
        self.goal_fields = {name: widgets.Text(description=name.capitalize(), placeholder=hint, layout=wide,
                                               style={"description_width": "initial"})
                            for name, hint in GOAL_FIELDS.items()}
        self.field_error = widgets.HTML()
        self.template_box = widgets.VBox([self.theme, self.template, self.fields])
        self.fields_box = widgets.VBox([*self.goal_fields.values(), self.field_error])
        self.goal = widgets.Textarea(description="Goal", value=model.goal, layout=wide)
        self.measure = widgets.Text(description="Measure", value=model.measure, layout=wide)
        self.deadline = widgets.Text(description="Deadline", value=model.deadline,
                                     placeholder="YYYY-MM-DD, or 'end of Q3', '15 May'")
        self.check = widgets.HTML()
        self.add = widgets.Button(description="Add goal", icon="plus")
        self.add_anyway = widgets.Button(description="Add anyway", button_style="warning",
                                         layout=widgets.Layout(display="none"))
        self.warning = widgets.HTML()
        self.kept = widgets.HTML()
        self.format = widgets.ToggleButtons(options=[("HTML", "html"), ("Markdown", "markdown")], value="html")
        self.export_dir = Path(export_dir) if export_dir is not None else None
        self.path = widgets.Text(description="Save to", placeholder="optional file path",
                                 value="agreement.html" if export_dir is not None else "")
        self.export = widgets.Button(description="Export agreement", button_style="primary", icon="file")
        self.output = widgets.HTML()
        self.error = widgets.HTML()

        self.theme.observe(lambda change: setattr(model, "theme", change["new"]), "value")
        self.template.observe(lambda change: setattr(model, "template_id", change["new"]), "value")
        for name, box in self.goal_fields.items():
            box.observe(lambda change, name=name: model.set_field(name, change["new"]), "value")
        widgets.link((self.source, "value"), (model, "source"))
        widgets.link((self.goal, "value"), (model, "goal"))
        widgets.link((self.measure, "value"), (model, "measure"))
        widgets.link((self.deadline, "value"), (model, "deadline"))
        widgets.link((self.format, "value"), (model, "export_format"))
        model.observe(self._template_changed, "template_id")
        model.observe(self._theme_changed, "theme")
        model.observe(lambda change: self._show_source(), "source")
        model.observe(lambda change: self._show_check(), "check")
        model.observe(lambda change: self._show_error(), "error")
        model.observe(lambda change: self._show_warning(), "warning")
        model.observe(lambda change: self._show_field_error(), "field_error")
        model.observe(lambda change: self._show_kept(), "goals")
        model.observe(lambda change: self._show_agreement(), "agreement_text")
        self.add.on_click(lambda button: model.add_goal())
        self.add_anyway.on_click(lambda button: model.add_goal(anyway=True))
        self.export.on_click(self._export_clicked)
        self._build_fields()
        self._show_source()
        self._show_check()
        self.view = widgets.VBox([
            widgets.HTML("<b>Goal builder</b>"), self.source, self.template_box, self.fields_box, self.goal,
            self.measure, self.deadline, self.check, widgets.HBox([self.add, self.add_anyway]), self.warning,
            self.kept, widgets.HBox([self.format, self.path, self.export]), self.error, self.output])

    def _ipython_display_(self):  # pragma: no cover - needs a front end
        from IPython.display import display

        display(self.view)

    # -- model -> view ---------------------------------------------------------------------------
    def _sync_templates(self) -> None:
        options = self.model.template_options
        if list(self.template.options) != options:
            self.template.options = options
        if self.template.value != self.model.template_id:
            self.template.value = self.model.template_id

    def _theme_changed(self, change) -> None:
        self._sync_templates()

    def _template_changed(self, change) -> None:
        self._sync_templates()
        self._build_fields()

    def _show_source(self) -> None:
        from_fields = self.model.source == "fields"
        self.fields_box.layout.display = "" if from_fields else "none"
        self.template_box.layout.display = "none" if from_fields else ""
        self.measure.layout.display = "none" if from_fields else ""

    def _build_fields(self) -> None:
        import ipywidgets as widgets

        template = self.model.template
        boxes = []
        for name, hint in (template.placeholders.items() if template else ()):
            box = widgets.Text(description=name.replace("_", " "), placeholder=hint,
                               value=self.model.values.get(name, ""), style={"description_width": "initial"})
            box.observe(lambda change, name=name: self.model.set_value(name, change["new"]), "value")
            boxes.append(box)
        self.field_boxes = dict(zip(template.placeholders if template else (), boxes))
        self.fields.children = boxes

    def _show_check(self) -> None:
        check = self.model.check
        self.check.value = "" if check is None else check._repr_html_()

    def _show_error(self) -> None:
        self.error.value = (f"<div style='color:#8d2b0b'>{escape(self.model.error)}</div>"
                            if self.model.error else "")

    def _show_warning(self) -> None:
        warning = self.model.warning
        self.warning.value = f"<div style='color:#8d5a0b'>{escape(warning)}</div>" if warning else ""
        self.add_anyway.layout.display = "" if warning else "none"

    def _show_field_error(self) -> None:
        text = self.model.field_error
        self.field_error.value = f"<div style='color:#8d2b0b'>{escape(text)}</div>" if text else ""

    def _show_kept(self) -> None:
        items = "".join(f"<li>{escape(goal)}" + (f" <em>({escape(theme)})</em>" if theme else "") + "</li>"
                        for goal, theme in self.model.tags())
        self.kept.value = f"<ol>{items}</ol>" if items else ""

    def _show_agreement(self) -> None:
        text = self.model.agreement_text
        if self.model.export_format == "html":
            # shown in a sandboxed frame so the agreement's own styles do not leak into JupyterLab
            self.output.value = f"<iframe srcdoc=\"{escape(text, quote=True)}\" style='width:100%;height:420px'></iframe>"
        else:
            self.output.value = f"<pre>{escape(text)}</pre>"

    # -- actions ---------------------------------------------------------------------------------
    def _export_clicked(self, button) -> None:
        path = self.path.value.strip()
        if path and self.export_dir is not None:  # served: only inside the exports folder, whatever the box says
            try:
                path = str(export_path(self.export_dir, path, suffixes=(".html", ".md", ".txt"),
                                       default="agreement.html"))
            except ToolkitError as error:
                self.model.error = str(error)
                return
        self.model.export_agreement(path or None)
