"""MatchingStudio: tune a programme's matching live, see who matches whom and why, and adopt it.

::

    from toolkit.widgets import MatchingStudio
    studio = MatchingStudio.from_client("clients/acme")   # or MatchingStudio(roster, design)
    studio                       # shows the app; studio.result is the current MatchResult

Controls (left): one slider per scoring criterion, one toggle per hard rule, the
objective. Every change re-solves (debounced, so dragging a slider solves once when it
stops). Results (right, in tabs): the pairs (or circles) with their scores and
per-criterion parts, a quality chart, the unmatched people with reasons and fixes, the
explanation for any person, pinned and banned pairs, named scenarios compared side by
side, an export to Excel, and "Adopt this match": the studio's match becomes the client's
next round (:func:`toolkit.rounds.adopt`), which agreements, introductions and the kit use.

State lives in :class:`~toolkit.widgets.matching_model.MatchingStudioModel` (no ipywidgets);
the tables are pure functions in :mod:`toolkit.widgets.matching_tables`. This module is the view.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..charts import match_quality_chart
from ..client import load_client
from ..design.model import ProgramDesign
from ..design.vocabulary import CRITERIA, OBJECTIVES, RULE_SETTINGS
from ..errors import MatchingError, ToolkitError
from ..labels import label
from ..paths import export_path
from ._base import STYLE, App, ChartOutput, Debouncer, ErrorPanel, plain_words, prepared, table_html
from .matching_model import BOOLEAN_RULES, RULE_LABELS, MatchingStudioModel, Solver
from .matching_tables import (
    Scenario,
    compare_scenarios,
    design_changes,
    pairs_table,
    person_label,
    settings_table,
    status_words,
    unmatched_table,
    weights_words,
)

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = [
    "MatchingStudio",
    "MatchingStudioModel",
    "Scenario",
    "compare_scenarios",
    "design_changes",
    "match_quality_chart",
    "pairs_table",
    "settings_table",
    "unmatched_table",
    "BOOLEAN_RULES",
    "RULE_LABELS",
]

FIT = {"width": "auto", "min_width": "fit-content"}  # buttons as wide as their label (the default clips longer ones)


class MatchingStudio(App):
    """Interactive matching: sliders, rules, objective; pairs, chart, unmatched, explanations.

    Parameters
    ----------
    roster
        A :class:`~toolkit.roster.Roster`.
    design
        A :class:`~toolkit.design.ProgramDesign` (default: the formal template).
    solver
        Replaces :func:`toolkit.match` (tests, or a custom engine).
    delay
        Seconds of quiet after a slider moves before re-solving.
    export_dir
        Default folder for exports.
    client
        The client the match may be adopted into (a loaded client, its folder or its client.yaml, which
        is read and checked). Without one, or for a bundled sample client (read-only), the Adopt button
        is disabled and says why.
    solve
        Solve once at start (default True).

    Attributes
    ----------
    model : MatchingStudioModel
    view : ipywidgets.VBox
    result
        The current MatchResult.
    """

    def __init__(
        self,
        roster: Roster,
        design: ProgramDesign | None = None,
        *,
        solver: Solver | None = None,
        delay: float = 0.4,
        export_dir: str | Path = "exports",
        solve: bool = True,
        client: Any = None,
    ) -> None:
        import ipywidgets as widgets

        design = design or ProgramDesign.from_template("formal")
        if client is not None and not hasattr(client, "folder"):
            client = load_client(client)  # a folder without a valid client.yaml is refused here, not adopted into
        self.model = MatchingStudioModel(roster, design, solver=solver, client=client)
        self._adopted: tuple[Any, str] | None = None  # (result, message) of the last adoption shown
        self._blocked: str | None = None  # why nothing can be adopted here (no client folder, a sample)
        self._quiet = False
        self.errors = ErrorPanel()
        guard = self.errors.guard
        self.resolve = Debouncer(guard(self._solve_now), delay=delay)

        # -- controls ------------------------------------------------------------------------
        self.weight_sliders: dict[str, Any] = {}
        for name, weight in self.model.weights.items():
            slider = widgets.FloatSlider(value=weight, min=0, max=10, step=0.5, description=label(name),
                                         continuous_update=True, readout_format=".1f",
                                         style={"description_width": "135px"},
                                         layout=widgets.Layout(width="350px"),
                                         tooltip=plain_words(CRITERIA.get(name, "")))
            slider.add_class(f"tk-weight-{name}")
            slider.observe(guard(lambda change, criterion=name: self._on_weight(criterion, change)), names="value")
            self.weight_sliders[name] = slider
        self.rule_toggles: dict[str, Any] = {}
        for name in BOOLEAN_RULES:
            toggle = widgets.Checkbox(value=self.model.rules[name], description=RULE_LABELS[name], indent=False,
                                      tooltip=plain_words(RULE_SETTINGS[name]), layout=widgets.Layout(width="340px"))
            toggle.observe(guard(lambda change, rule=name: self._on_rule(rule, change)), names="value")
            self.rule_toggles[name] = toggle
        self.objective_picker = widgets.Dropdown(
            options=[(text[:1].upper() + text[1:], name) for name, text in OBJECTIVES.items()], value=self.model.objective,
            layout=widgets.Layout(width="350px"))
        self.objective_picker.observe(guard(self._on_objective), names="value")
        self.reset_button = widgets.Button(description="Back to the design", icon="undo",
                                           layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.reset_button.on_click(guard(self._on_reset))
        controls = widgets.VBox([
            widgets.HTML("<b>Criteria weights</b> <span class='tk-note'>(0 = ignore, 10 = most important)</span>"),
            *self.weight_sliders.values(),
            widgets.HTML("<b>Hard rules</b>"),
            *self.rule_toggles.values(),
            widgets.HTML("<b>What the match aims for</b>"),
            self.objective_picker,
            self.reset_button,
        ], layout=widgets.Layout(width="370px", min_width="370px"))

        # -- results -------------------------------------------------------------------------
        self.status_html = widgets.HTML()
        self.pairs_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.chart = ChartOutput("The quality chart appears after a solve.", fill=True)
        self.unmatched_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        people = sorted(((person_label(roster, participant), participant) for participant in roster.participants[
            "participant_id"]), key=lambda item: item[0].casefold())
        self.person_picker = widgets.Dropdown(options=[("(choose a person)", "")] + people, value="",
                                              description="Person", layout=widgets.Layout(width="100%", max_width="440px"))
        self.person_picker.observe(guard(self._on_person), names="value")
        self.explanation_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        mentee_ids, mentor_ids = self._sides(roster, design)
        self.pin_mentee = widgets.Dropdown(options=[("(mentee)", "")] + [(person_label(roster, p), p) for p in mentee_ids],
                                           value="", layout=widgets.Layout(width="280px"))
        self.pin_mentor = widgets.Dropdown(options=[("(mentor)", "")] + [(person_label(roster, p), p) for p in mentor_ids],
                                           value="", layout=widgets.Layout(width="280px"))
        self.pin_button = widgets.Button(description="Pin pair", icon="thumb-tack", layout=widgets.Layout(**FIT))
        self.ban_button = widgets.Button(description="Ban pair", icon="ban", button_style="warning",
                                         layout=widgets.Layout(**FIT))
        self.clear_button = widgets.Button(description="Clear pins and bans", layout=widgets.Layout(**FIT))
        self.pin_button.on_click(guard(self._on_pin))
        self.ban_button.on_click(guard(self._on_ban))
        self.clear_button.on_click(guard(self._on_clear))
        self.pins_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        self.scenario_name = widgets.Text(placeholder="name this scenario", layout=widgets.Layout(width="260px"))
        self.save_button = widgets.Button(description="Save scenario", icon="save", button_style="success",
                                          layout=widgets.Layout(**FIT))
        self.save_button.on_click(guard(self._on_save))
        self.scenario_picker = widgets.Dropdown(options=[("(saved scenarios)", "")], value="",
                                                layout=widgets.Layout(width="260px"))
        self.restore_button = widgets.Button(description="Restore", icon="history", layout=widgets.Layout(**FIT))
        self.restore_button.on_click(guard(self._on_restore))
        self.scenarios_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        self.export_folder = Path(export_dir)  # what the box names is saved inside it (paths.export_path)
        self.export_path = widgets.Text(value=str(Path(export_dir) / "matching.xlsx"), description="File",
                                        layout=widgets.Layout(width="100%", max_width="520px"))
        self.export_button = widgets.Button(description="Export to Excel", icon="download", layout=widgets.Layout(**FIT))
        self.export_button.on_click(guard(self._on_export))
        self.export_html = widgets.HTML()

        self.adopt_note = widgets.Text(placeholder="note (optional): why this match", layout=widgets.Layout(
            width="320px"))
        self.adopt_button = widgets.Button(description="Adopt this match", icon="check", button_style="primary",
                                           layout=widgets.Layout(**FIT))
        self.adopt_button.add_class("tk-adopt")
        self.adopt_button.on_click(guard(self._on_adopt))
        self.adopt_html = widgets.HTML()
        self.rounds_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        self.tabs = widgets.Tab(children=[
            self.pairs_html,
            self.chart.widget,
            self.unmatched_html,
            widgets.VBox([self.person_picker, self.explanation_html]),
            widgets.VBox([widgets.HBox([self.pin_mentee, self.pin_mentor], layout=_wrap()),
                          widgets.HBox([self.pin_button, self.ban_button, self.clear_button]), self.pins_html]),
            widgets.VBox([widgets.HBox([self.scenario_name, self.save_button], layout=_wrap()),
                          widgets.HBox([self.scenario_picker, self.restore_button], layout=_wrap()), self.scenarios_html]),
            widgets.VBox([widgets.HBox([self.export_path, self.export_button], layout=_wrap()), self.export_html]),
            widgets.VBox([widgets.HTML(STYLE + "<p class='tk-note'>Adopting makes the match shown here the "
                                       "programme's match: the client's next round, which agreements, introductions "
                                       "and the kit use. Earlier rounds are kept as they were.</p>"),
                          widgets.HBox([self.adopt_note, self.adopt_button], layout=_wrap()), self.adopt_html,
                          self.rounds_html]),
        ])
        for index, title in enumerate(["Pairs", "Quality", "Unmatched", "Explain", "Pin / ban", "Scenarios",
                                       "Export", "Adopt"]):
            self.tabs.set_title(index, title)
        results = widgets.VBox([self.status_html, self.errors.widget, self.tabs],
                               layout=widgets.Layout(flex="1 1 0", min_width="0", overflow="visible"))
        self.view = widgets.VBox([
            widgets.HTML(STYLE + f"<h3>Matching studio: {_esc(design.name)}</h3>"
                         f"<p class='tk-note'>{_esc(roster.summary())} Move a slider or switch a rule: the match "
                         "is solved again when you stop.</p>"),
            widgets.HBox([controls, results]),
        ])
        self.view.add_class("tk-matching-studio")
        self.model.observe(lambda _change: self._render(), names="solves")
        self._render_scenarios()
        self._render_pins()
        self._block_adoption()
        guard(self._render_rounds)()
        if solve:
            guard(self._solve_now)()
        if self.model.result is None:
            self._render()

    @classmethod
    def from_client(cls, client: Any, **options: Any) -> MatchingStudio:
        """The studio for a client (a loaded client, its folder or its client.yaml): its roster and design, with
        the Adopt button adopting into its folder. ``options`` go to the constructor (``export_dir``, ...)."""
        config = client if hasattr(client, "folder") else load_client(client)
        return cls(prepared(config, "roster", config.roster), config.design(), client=config, **options)

    @classmethod
    def prepare(cls, config: Any) -> None:
        """The client's roster, read ahead of time (the studio's pre-started kernels)."""
        prepared(config, "roster", config.roster)

    # -- shortcuts ------------------------------------------------------------------------------

    @property
    def result(self):
        """The current MatchResult (None before the first solve)."""
        return self.model.result

    @property
    def design(self) -> ProgramDesign:
        """The design of the current result (base design plus the studio's settings)."""
        return self.model.design

    @staticmethod
    def _sides(roster: Roster, design: ProgramDesign) -> tuple[list[str], list[str]]:
        people = roster.participants
        if design.shape == "peer_pairs":
            everyone = sorted(people["participant_id"])
            return everyone, everyone
        mentees = sorted(people.loc[people["role"].isin(["mentee", "both"]), "participant_id"])
        mentors = sorted(people.loc[people["role"].isin(["mentor", "both"]), "participant_id"])
        return mentees, mentors

    # -- callbacks ---------------------------------------------------------------------------

    def _solve_now(self) -> None:
        self.status_html.value = STYLE + "<p class='tk-note'>Solving…</p>"
        try:
            self.model.solve()
        except ToolkitError:
            self._render_status(stale=True)
            raise
        self.errors.clear()

    def _on_weight(self, criterion: str, change) -> None:
        self.model.set_weight(criterion, change["new"])
        if not self._quiet:
            self.resolve()

    def _on_rule(self, rule: str, change) -> None:
        self.model.set_rule(rule, change["new"])
        if not self._quiet:
            self.resolve()

    def _on_objective(self, change) -> None:
        self.model.set_objective(change["new"])
        if not self._quiet:
            self.resolve()

    def _on_reset(self, _button=None) -> None:
        base = self.model.base_design
        self.model.weights = {name: float(base.criteria[name]) for name in self.model.weights}
        self.model.rules = {name: bool(getattr(base.rules, name)) for name in BOOLEAN_RULES}
        self.model.objective = base.objective
        self._set_controls_quietly()
        self.resolve.cancel()
        self._solve_now()

    def _set_controls_quietly(self) -> None:
        """Make the controls show the model's settings without triggering solves."""
        self._quiet = True
        try:
            for name, slider in self.weight_sliders.items():
                slider.value = self.model.weights[name]
            for name, toggle in self.rule_toggles.items():
                toggle.value = self.model.rules[name]
            self.objective_picker.value = self.model.objective
        finally:
            self._quiet = False

    def _on_person(self, change) -> None:
        participant = change["new"]
        if not participant:
            self.explanation_html.value = ""
            return
        self._render_explanation(participant)

    def _on_pin(self, _button=None) -> None:
        self._require_pair()
        self.model.pin(self.pin_mentee.value, self.pin_mentor.value)
        self._render_pins()
        self._solve_now()

    def _on_ban(self, _button=None) -> None:
        self._require_pair()
        self.model.ban(self.pin_mentee.value, self.pin_mentor.value)
        self._render_pins()
        self._solve_now()

    def _on_clear(self, _button=None) -> None:
        self.model.clear_pins_and_bans()
        self._render_pins()
        self._solve_now()

    def _require_pair(self) -> None:
        if not self.pin_mentee.value or not self.pin_mentor.value:
            raise MatchingError("Choose a mentee and a mentor first.", fix="pick one in each list")

    def _on_save(self, _button=None) -> None:
        self.resolve.flush()
        scenario = self.model.save_scenario(self.scenario_name.value)
        self.scenario_name.value = ""
        self._render_scenarios(selected=scenario.name)

    def _on_restore(self, _button=None) -> None:
        name = self.scenario_picker.value
        if not name:
            raise MatchingError("Choose a saved scenario first.", fix="pick one in the list")
        self.model.restore_scenario(name)
        # Move the controls without solving again: the scenario's result is already known.
        self._set_controls_quietly()
        self._render_pins()

    def _on_export(self, _button=None) -> None:
        self.resolve.flush()
        path = self.model.export(export_path(self.export_folder, self.export_path.value, default="matching.xlsx"))
        self.export_html.value = STYLE + (f"<div class='tk-ok'>Saved <code>{_esc(path)}</code>: pairs, unmatched, "
                                          "settings" + (", scenarios" if self.model.scenarios else "")
                                          + ". No email addresses are included.</div>")

    def _on_adopt(self, _button=None) -> None:
        self.adopt_html.value = ""
        self.resolve.flush()
        self.model.check_adoptable()
        already = self.model.adopted_round()
        if already is not None:
            message = (f"Already adopted as round {already.number} ({_esc(already.name)}): these exact "
                       f"{_units(already)} are the programme's match. Nothing was added.")
        else:
            adopted = self.model.adopt(note=self.adopt_note.value)
            self.adopt_note.value = ""
            message = (f"Adopted as round {adopted.number} ({_esc(adopted.name)}): {_units(adopted)}. Agreements, "
                       f"introductions and the kit now use it. Saved in <code>{_esc(adopted.folder)}</code>."
                       + _earlier(adopted.number))
        self._adopted = (self.model.result, message)
        self.errors.clear()
        self._render_adoption()
        self._render_rounds()

    # -- rendering -------------------------------------------------------------------------------

    def _render(self) -> None:
        result = self.model.result
        self._render_status()
        self._render_adoption()
        if result is None:
            self.pairs_html.value = "<p class='tk-empty'>No match yet.</p>"
            self.unmatched_html.value = ""
            self.chart.show(None)
            return
        table = pairs_table(result)
        noun = "circle members" if result.shape == "circles" else "pairs"
        self.pairs_html.value = STYLE + (
            f"<div class='tk-pairs' data-solve='{self.model.solves}'>"
            + table_html(table, max_rows=5000, empty=f"No {noun}.") + "</div>")
        unmatched = unmatched_table(result)
        self.unmatched_html.value = STYLE + table_html(unmatched, empty="Everyone is matched.")
        self.tabs.set_title(2, f"Unmatched ({len(unmatched)})")
        self.chart.show(match_quality_chart(result))
        if self.person_picker.value:
            self._render_explanation(self.person_picker.value)

    def _render_status(self, stale: bool = False) -> None:
        result = self.model.result
        if result is None:
            self.status_html.value = STYLE + "<p class='tk-note'>Not solved yet.</p>"
            return
        pairs = result.pairs
        if result.shape == "circles":
            matched = f"{result.circles['circle_id'].nunique() if len(result.circles) else 0} circles"
        else:
            matched = f"{len(pairs)} pairs"
        mean = (f", average match score {pairs['score'].astype(float).mean():.2f}"
                if result.shape != "circles" and len(pairs) else "")
        css = "tk-ok" if result.status == "optimal" else "tk-warn"
        status = {"optimal": "the best match these settings allow (proven optimal)"}.get(
            result.status, status_words(result.status))
        stale_note = " <b>(showing the previous match: the new settings could not be solved)</b>" if stale else ""
        self.status_html.value = STYLE + (
            f"<div class='{css} tk-status'>Solve {self.model.solves}: {_esc(status)}. {matched}, "
            f"{len(result.unmatched)} unmatched{mean}; solved in {self.model.seconds:.1f} s.{stale_note}</div>")

    def _render_explanation(self, participant: str) -> None:
        text = plain_words(self.model.explain(participant))  # the engine's evidence names values as in data
        self.explanation_html.value = STYLE + (
            f"<h4>{_esc(person_label(self.model.roster, participant))}</h4>"
            f"<pre style='white-space: pre-wrap; font-size: 12px'>{_esc(text)}</pre>")

    def _render_pins(self) -> None:
        roster = self.model.roster
        rows = [{"Pair": f"{person_label(roster, a)} with {person_label(roster, b)}", "Kept": "pinned (always matched)"}
                for a, b in self.model.pinned]
        rows += [{"Pair": f"{person_label(roster, a)} with {person_label(roster, b)}", "Kept": "banned (never matched)"}
                 for a, b in self.model.banned]
        self.pins_html.value = STYLE + table_html(pd.DataFrame(rows, columns=["Pair", "Kept"]),
                                                  empty="No pinned or banned pairs.")

    def _render_scenarios(self, selected: str | None = None) -> None:
        names = list(self.model.scenarios)
        self.scenario_picker.options = [("(saved scenarios)", "")] + [(name, name) for name in names]
        self.scenario_picker.value = selected if selected in names else ""
        if not names:
            self.scenarios_html.value = STYLE + "<p class='tk-empty'>Save a scenario to compare settings side by " \
                                                "side.</p>"
            return
        comparison = self.model.comparison().reset_index().rename(columns={"index": "Measure"})
        self.scenarios_html.value = STYLE + (
            "<p class='tk-note'>Each scenario chose its pairs with its own settings; to compare them fairly, every "
            "scenario's pairs are scored here with the same weights: the programme design's ("
            + _esc(weights_words(self.model.base_design)) + ").</p>"
            + table_html(comparison))


    def _block_adoption(self) -> None:
        """Disable Adopt, with the reason on the page, when there is nowhere to adopt into."""
        reason = self.model.adopt_blocker()
        self.adopt_button.disabled = self.adopt_note.disabled = reason is not None
        self.adopt_button.tooltip = reason or "Make this match the client's next round"
        self._blocked = reason

    def _render_adoption(self) -> None:
        if self._blocked:
            self.adopt_html.value = STYLE + f"<div class='tk-warn tk-adopt-status'>Adopt is off: {_esc(self._blocked)}</div>"
        elif self._adopted is not None and self._adopted[0] is self.model.result:
            self.adopt_html.value = STYLE + f"<div class='tk-ok tk-adopt-status'>{self._adopted[1]}</div>"
        elif self._adopted is not None:
            self.adopt_html.value = STYLE + ("<div class='tk-note tk-adopt-status'>The match has changed since it was "
                                             "adopted: the adopted round stays the programme's match until you adopt "
                                             "this one.</div>")
        else:
            self.adopt_html.value = ""

    def _render_rounds(self) -> None:
        """The client's rounds, newest first, the adopted one marked (as kept in its matches/ folder)."""
        if self.model.client_dir is None:
            self.rounds_html.value = ""
            return
        rounds = self.model.rounds()
        if not rounds:
            self.rounds_html.value = STYLE + "<p class='tk-empty'>No match adopted yet for this client.</p>"
            return
        adopted = self.model.current()
        rows = [{"Round": item.number, "Adopted on": f"{item.created:%d %b %Y %H:%M}", "Matched": _units(item),
                 "Note": item.note, "Folder": item.name,
                 "Status": "the programme's match" if adopted is not None and item.name == adopted.name else "kept"}
                for item in reversed(rounds)]
        self.rounds_html.value = STYLE + table_html(pd.DataFrame(rows), caption="Rounds of this programme")


def _wrap():
    """A row of controls that wraps onto the next line in a narrow window (never a sideways scrollbar)."""
    import ipywidgets as widgets

    return widgets.Layout(flex_flow="row wrap", align_items="center")


def _units(adopted) -> str:
    unit = "circle" if adopted.shape == "circles" else "pair"
    return f"{adopted.units} {unit}" + ("" if adopted.units == 1 else "s")


def _earlier(number: int) -> str:
    if number <= 1:
        return ""
    if number == 2:
        return " Round 1 is kept as it was."
    return f" Rounds 1 to {number - 1} are kept as they were."


def _esc(text: object) -> str:
    return html.escape(str(text))
