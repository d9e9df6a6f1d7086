"""GoalBuilder: pick a theme and a goal template, fill it in, see the SMART check live, export the agreement.

State lives in :class:`GoalBuilderModel` (traitlets only, no ipywidgets); :class:`GoalBuilder`
is the view, a ``VBox`` that links its widgets to the model::

    from toolkit.widgets import GoalBuilder
    app = GoalBuilder(design, result=result, pair_or_circle="NW-P001")
    app   # the last expression of a cell displays it
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import traitlets

from ..errors import ToolkitError
from ..files import write_text
from ..goals.agreements import agreement, agreement_context
from ..goals.dates import as_date, date_in_text
from ..goals.library import fill_template, load_goal_library
from ..goals.smart import check_smart
from ..paths import export_path

__all__ = ["GoalBuilderModel", "GoalBuilder"]


class GoalBuilderModel(traitlets.HasTraits):
    """The state of the goal builder: chosen theme and template, field values, goal, SMART check.

    Parameters
    ----------
    design
        The programme design (its kind filters the templates; its dates bound the deadline).
    result, pair_or_circle
        Optional match and pair/circle to export an agreement for.
    library
        The goal library (default: :func:`toolkit.goals.load_goal_library`).
    """

    theme = traitlets.Unicode("")
    template_id = traitlets.Unicode("")
    values = traitlets.Dict()
    goal = traitlets.Unicode("")
    measure = traitlets.Unicode("")
    deadline = traitlets.Unicode("")
    check = traitlets.Any(None)
    error = traitlets.Unicode("")
    export_format = traitlets.Unicode("html")
    agreement_text = traitlets.Unicode("")

    def __init__(self, design, *, result=None, pair_or_circle=None, library=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.design = design
        self.result = result
        self.pair_or_circle = pair_or_circle
        self.library = library or load_goal_library()
        self.suited = self.library.for_kind(design.kind)
        self.goals: list[str] = []
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
        if template is None:
            return
        shown = {name: (value or f"[{name}]") for name, value in self.values.items()}
        filled = fill_template(template, shown)
        self.goal = filled["goal"]
        self.measure = filled["measure"]
        deadline = self.values.get("deadline", "")
        if deadline:
            self.deadline = deadline

    # -- SMART check -----------------------------------------------------------------------------
    @traitlets.observe("goal", "measure", "deadline")
    def _inputs_changed(self, change) -> None:
        self._recheck()

    def _recheck(self) -> None:
        try:
            deadline = self.deadline.strip() or None
            deadline_date = None
            if deadline:
                deadline_date = date_in_text(deadline) or as_date(deadline)
            # a measure with empty [placeholders] is not a measure yet
            unfilled = "[" in self.goal or "[" in self.measure
            self.check = check_smart(
                self.goal, measure=None if unfilled else (self.measure or None), deadline=deadline_date,
                theme=self.theme or None, programme_start=self.design.start_date,
                programme_end=getattr(self.design, "planned_end_date", self.design.end_date), library=self.library)
            self.error = ""
        except ToolkitError as error:
            self.error = str(error)

    # -- agreement -------------------------------------------------------------------------------
    def add_goal(self) -> None:
        """Keep the current goal for the agreement (refused while a field is empty)."""
        if "[" in self.goal:
            empty = [name for name, value in self.values.items() if not value]
            self.error = "Fill in every field before adding the goal: " + ", ".join(empty) + "."
            return
        if self.goal not in self.goals:
            self.goals = [*self.goals, self.goal]
        self.error = ""

    def export_agreement(self, path: str | Path | None = None) -> str:
        """Render the agreement with the kept goals (or the current one); write it when ``path`` is given."""
        try:
            if self.result is None or self.pair_or_circle is None:
                raise ToolkitError("There is no pair or circle to write an agreement for.",
                                   fix="create the builder with result= and pair_or_circle=")
            goals_list = self.goals or ([self.goal] if self.goal and "[" not in self.goal else [])
            owner = self._goal_owner()
            text = agreement(
                self.result, self.pair_or_circle, self.design, format=self.export_format,
                goals={owner: [{"text": g, "theme": self.library.themes[self.theme].name} for g in goals_list]})
            if path:

                write_text(text, path)
            self.agreement_text = text
            self.error = ""
            return text
        except ToolkitError as error:
            self.error = str(error)
            return ""

    def _goal_owner(self) -> str:
        context = agreement_context(self.result, self.pair_or_circle, self.design)
        return context["participants"][0]["id"]


class GoalBuilder:
    """The goal builder app: a ``VBox`` view over a :class:`GoalBuilderModel`.

    Parameters are those of :class:`GoalBuilderModel`, and ``export_dir``: the folder a file name
    typed in "Save to" is saved in (default: the current folder). Nothing is displayed on
    construction; show ``app`` (or ``app.view``) as the last expression of a cell.
    """

    def __init__(self, design, *, result=None, pair_or_circle=None, library=None, export_dir=None) -> None:
        import ipywidgets as widgets

        self.model = GoalBuilderModel(design, result=result, pair_or_circle=pair_or_circle, library=library)
        model = self.model
        self.theme = widgets.Dropdown(description="Theme", options=model.theme_options, value=model.theme)
        self.template = widgets.Dropdown(description="Template", options=model.template_options,
                                         value=model.template_id)
        self.fields = widgets.VBox()
        self.goal = widgets.Textarea(description="Goal", value=model.goal, layout=widgets.Layout(width="100%"))
        self.measure = widgets.Text(description="Measure", value=model.measure, layout=widgets.Layout(width="100%"))
        self.deadline = widgets.Text(description="Deadline", value=model.deadline, placeholder="YYYY-MM-DD")
        self.check = widgets.HTML()
        self.add = widgets.Button(description="Add goal", icon="plus")
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
        widgets.link((self.goal, "value"), (model, "goal"))
        widgets.link((self.measure, "value"), (model, "measure"))
        widgets.link((self.deadline, "value"), (model, "deadline"))
        widgets.link((self.format, "value"), (model, "export_format"))
        model.observe(self._template_changed, "template_id")
        model.observe(self._theme_changed, "theme")
        model.observe(lambda change: self._show_check(), "check")
        model.observe(lambda change: self._show_error(), "error")
        model.observe(lambda change: self._show_agreement(), "agreement_text")
        self.add.on_click(self._add_clicked)
        self.export.on_click(self._export_clicked)
        self._build_fields()
        self._show_check()
        self.view = widgets.VBox([
            widgets.HTML("<b>Goal builder</b>"), self.theme, self.template, self.fields, self.goal, self.measure,
            self.deadline, self.check, widgets.HBox([self.add]), self.kept,
            widgets.HBox([self.format, self.path, self.export]), self.error, self.output])

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

    def _build_fields(self) -> None:
        import ipywidgets as widgets

        template = self.model.template
        boxes = []
        for name, hint in (template.placeholders.items() if template else ()):
            box = widgets.Text(description=name.replace("_", " "), placeholder=hint,
                               value=self.model.values.get(name, ""), style={"description_width": "initial"})
            box.observe(lambda change, name=name: self.model.set_value(name, change["new"]), "value")
            boxes.append(box)
        self.field_boxes = {name: box for name, box in zip(template.placeholders if template else (), boxes)}
        self.fields.children = boxes

    def _show_check(self) -> None:
        check = self.model.check
        self.check.value = "" if check is None else check._repr_html_()

    def _show_error(self) -> None:
        self.error.value = (f"<div style='color:#8d2b0b'>{escape(self.model.error)}</div>"
                            if self.model.error else "")

    def _show_agreement(self) -> None:
        text = self.model.agreement_text
        if self.model.export_format == "html":
            # shown in a sandboxed frame so the agreement's own styles do not leak into JupyterLab
            self.output.value = f"<iframe srcdoc=\"{escape(text, quote=True)}\" style='width:100%;height:420px'></iframe>"
        else:
            self.output.value = f"<pre>{escape(text)}</pre>"

    # -- actions ---------------------------------------------------------------------------------
    def _add_clicked(self, button) -> None:
        self.model.add_goal()
        self.kept.value = "<ol>" + "".join(f"<li>{escape(goal)}</li>" for goal in self.model.goals) + "</ol>"

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
