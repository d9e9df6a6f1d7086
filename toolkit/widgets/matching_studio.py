"""MatchingStudio: tune a programme's matching live, see who matches whom and why.

::

    from toolkit.widgets import MatchingStudio
    studio = MatchingStudio(roster, design)
    studio                       # shows the app; studio.result is the current MatchResult

Controls (left): one slider per scoring criterion, one toggle per hard rule, the
objective. Every change re-solves (debounced, so dragging a slider solves once when it
stops). Results (right, in tabs): the pairs (or circles) with their scores and
per-criterion parts, a quality chart, the unmatched people with reasons and fixes, the
explanation for any person, pinned and banned pairs, named scenarios compared side by
side, and an export to Excel.

State lives in :class:`MatchingStudioModel` (no ipywidgets): tests and scripts drive it
directly, and a ``solver`` can be injected (default :func:`toolkit.match`).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd
import traitlets

from ..charts import match_quality_chart, part_columns
from ..design.model import ProgramDesign
from ..design.vocabulary import CRITERIA, HARD_RULES, OBJECTIVES, RULE_SETTINGS
from ..errors import MatchingError, ToolkitError, check_option, did_you_mean
from ..files import write_excel
from ..matching.engine import WarmMatcher
from ..rounds import Round, adopt
from ._base import STYLE, App, ChartOutput, Debouncer, ErrorPanel, frame_html

__all__ = [
    "MatchingStudio",
    "MatchingStudioModel",
    "Scenario",
    "compare_scenarios",
    "design_changes",
    "match_quality_chart",
    "pairs_table",
    "unmatched_table",
    "BOOLEAN_RULES",
]

# Hard rules that are on/off switches, with the toggles' short labels (the full sentence from
# RULE_SETTINGS is the tooltip); the numeric ones stay as the design sets them.
RULE_LABELS = {rule.setting: rule.label for rule in HARD_RULES if rule.setting and rule.label}
BOOLEAN_RULES: tuple[str, ...] = tuple(RULE_LABELS)

Solver = Callable[..., Any]


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A named set of settings and the match it produced.

    Attributes
    ----------
    name
        What the consultant called it ("skills first", "no same-team rule").
    design
        The design solved (base design plus the studio's changes).
    result
        The MatchResult.
    pinned, banned
        Pairs (mentee_id, mentor_id) forced in or out.
    seconds
        How long the solve took.
    """

    name: str
    design: ProgramDesign
    result: Any
    pinned: tuple[tuple[str, str], ...] = ()
    banned: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0


class MatchingStudioModel(traitlets.HasTraits):
    """The studio's state: settings, pins and bans, the current result, saved scenarios.

    Parameters
    ----------
    roster
        The participants (a :class:`~toolkit.roster.Roster`).
    design
        The starting design; the studio's settings are overrides on top of it.
    solver
        ``solver(roster, design, required=..., forbidden=...) -> MatchResult``;
        default :func:`toolkit.match`. ``required``/``forbidden`` are passed only when
        pairs are pinned or banned.

    Attributes
    ----------
    weights : dict
        Criterion -> weight (0-10).
    rules : dict
        Boolean hard rule -> on/off.
    objective : str
        One of :data:`toolkit.design.OBJECTIVES`.
    pinned, banned : list of (mentee_id, mentor_id)
    result
        The MatchResult of the last solve (None before the first).
    solves : int
        How many solves have finished (views observe it).
    """

    weights = traitlets.Dict()
    rules = traitlets.Dict()
    objective = traitlets.Unicode()
    pinned = traitlets.List()
    banned = traitlets.List()
    result = traitlets.Any(None, allow_none=True)
    design = traitlets.Any(None, allow_none=True)
    seconds = traitlets.Float(0.0)
    solves = traitlets.Int(0)
    scenarios = traitlets.Dict()

    def __init__(self, roster, design: ProgramDesign, *, solver: Solver | None = None) -> None:
        super().__init__()
        self.roster = roster
        self.base_design = design
        self.solver = solver or WarmMatcher()  # match(), re-using the scored pairs across slider moves
        self.weights = {name: float(weight) for name, weight in design.criteria.items()}
        self.rules = {name: bool(getattr(design.rules, name)) for name in BOOLEAN_RULES}
        self.objective = design.objective
        self.design = design

    # -- settings ----------------------------------------------------------------------------

    def current_design(self) -> ProgramDesign:
        """The base design with the studio's weights, rules and objective (validated)."""
        changes: dict[str, Any] = {}
        criteria = {name: {"weight": weight} for name, weight in self.weights.items()
                    if weight != self.base_design.criteria[name]}
        if criteria:
            changes["criteria"] = criteria
        rules = {name: value for name, value in self.rules.items() if value != getattr(self.base_design.rules, name)}
        if rules:
            changes["rules"] = rules
        if self.objective != self.base_design.objective:
            changes["objective"] = self.objective
        return self.base_design.override(changes) if changes else self.base_design

    def set_weight(self, criterion: str, weight: float) -> None:
        """Change one criterion's weight (does not solve)."""
        check_option("criterion", criterion, list(self.weights), MatchingError)
        self.weights = {**self.weights, criterion: float(weight)}

    def set_rule(self, rule: str, on: bool) -> None:
        """Switch a hard rule on or off (does not solve)."""
        check_option("rule", rule, BOOLEAN_RULES, MatchingError)
        self.rules = {**self.rules, rule: bool(on)}

    def set_objective(self, objective: str) -> None:
        check_option("objective", objective, list(OBJECTIVES), MatchingError)
        self.objective = objective

    # -- pins and bans -------------------------------------------------------------------------

    def pin(self, mentee_id: str, mentor_id: str) -> None:
        """Force a pair into the match (does not solve). Unpins a ban of the same pair."""
        pair = self._check_pair(mentee_id, mentor_id)
        self.banned = [existing for existing in self.banned if existing != pair]
        if pair not in self.pinned:
            self.pinned = self.pinned + [pair]

    def ban(self, mentee_id: str, mentor_id: str) -> None:
        """Keep a pair out of the match (does not solve). Removes a pin of the same pair."""
        pair = self._check_pair(mentee_id, mentor_id)
        self.pinned = [existing for existing in self.pinned if existing != pair]
        if pair not in self.banned:
            self.banned = self.banned + [pair]

    def clear_pins_and_bans(self) -> None:
        self.pinned, self.banned = [], []

    def _check_pair(self, mentee_id: str, mentor_id: str) -> tuple[str, str]:
        ids = self.roster.ids
        for label, participant in (("mentee", mentee_id), ("mentor", mentor_id)):
            if participant not in self.roster:
                raise MatchingError(f'There is no participant with id "{participant}".'
                                    + did_you_mean(str(participant), ids),
                                    fix=f"choose the {label} from the list")
        if mentee_id == mentor_id:
            raise MatchingError("A person cannot be paired with themselves.", fix="choose two different people")
        return (str(mentee_id), str(mentor_id))

    # -- solving --------------------------------------------------------------------------------

    def solve(self) -> Any:
        """Solve with the current settings, pins and bans; sets ``result`` and returns it.

        Raises
        ------
        DesignError
            When the settings make an invalid design (the previous result stays).
        MatchingError
            From the solver, or when it cannot honour pins.
        """
        design = self.current_design()
        roster = self.roster
        started = time.perf_counter()
        result = self.solver(roster, design, required=list(self.pinned), forbidden=list(self.banned))
        self.seconds = time.perf_counter() - started
        self.design = design
        self.result = result
        self.solves += 1
        return result

    def explain(self, participant_id: str) -> str:
        """The current result's explanation for one person, as text."""
        if self.result is None:
            raise MatchingError("There is no match yet to explain.", fix="solve first")
        if participant_id not in self.roster:
            raise MatchingError(f'There is no participant with id "{participant_id}".',
                                fix="choose a person from the list")
        explanation = self.result.explain(participant_id)
        return getattr(explanation, "text", None) or str(explanation)

    # -- scenarios ------------------------------------------------------------------------------

    def save_scenario(self, name: str) -> Scenario:
        """Keep the current settings and result under a name (an existing name is replaced)."""
        name = (name or "").strip()
        if not name:
            raise MatchingError("A scenario needs a name.", fix='type a name such as "skills first"')
        if self.result is None:
            self.solve()
        scenario = Scenario(name, self.design, self.result, tuple(self.pinned), tuple(self.banned), self.seconds)
        self.scenarios = {**self.scenarios, name: scenario}
        return scenario

    def restore_scenario(self, name: str) -> None:
        """Put a saved scenario's settings, pins, bans and result back."""
        check_option("scenario", name, list(self.scenarios), MatchingError)
        scenario = self.scenarios[name]
        design = scenario.design
        self.weights = {criterion: float(design.criteria[criterion]) for criterion in self.weights}
        self.rules = {rule: bool(getattr(design.rules, rule)) for rule in BOOLEAN_RULES}
        self.objective = design.objective
        self.pinned, self.banned = list(scenario.pinned), list(scenario.banned)
        self.design, self.seconds = design, scenario.seconds
        self.result = scenario.result
        self.solves += 1

    def comparison(self) -> pd.DataFrame:
        """Saved scenarios side by side (see :func:`compare_scenarios`)."""
        return compare_scenarios(list(self.scenarios.values()), base=self.base_design)

    # -- export -----------------------------------------------------------------------------------

    def export(self, path: str | Path) -> Path:
        """Write the current match to a formula-safe Excel workbook.

        Sheets: pairs (or circles) with names, scores and parts; unmatched with reasons;
        settings (what differs from the base design); scenarios compared, if any. No
        email addresses.
        """

        if self.result is None:
            raise MatchingError("There is no match to export yet.", fix="solve first")
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise MatchingError(f'The export file must end in .xlsx, not "{path.suffix}".',
                                fix="give a name such as exports/matching.xlsx")
        result = self.result
        sheets = {
            ("circles" if result.shape == "circles" else "pairs"): pairs_table(result),
            "unmatched": unmatched_table(result),
            "settings": settings_table(self.base_design, self.design, self.pinned, self.banned),
        }
        if self.scenarios:
            sheets["scenarios"] = self.comparison().reset_index()
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_excel(sheets, path)


    def adopt(self, client_dir: str | Path, note: str = "") -> Round:
        """Adopt the current match as the client's next round (agreements, kit and reports then use it)."""
        if self.result is None:
            raise MatchingError("There is no match to adopt yet.", fix="solve first")
        return adopt(client_dir, self.result, design=self.design, note=note or "adopted in the matching studio")


# ------------------------------------------------------------------------------------------------
# Pure functions: tables and charts from a MatchResult
# ------------------------------------------------------------------------------------------------


def _label(roster, participant_id) -> str:
    try:
        name = roster.display_name(participant_id)
    except KeyError:  # an id outside the roster still shows, as itself
        return str(participant_id)
    if "@" in str(participant_id):  # ids that are email addresses are never shown or exported
        return name if name and name != participant_id else "(name not given)"
    return f"{name} ({participant_id})" if name and name != participant_id else str(participant_id)


def pairs_table(result) -> pd.DataFrame:
    """The pairs (or circle members) with names, for display and export (no emails).

    One-to-one and peer results: mentee, mentor, score and one column per criterion
    part, best score first (ties by mentee id). Circles: circle, person, role.
    """
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles
        if circles is None or len(circles) == 0:
            return pd.DataFrame(columns=["circle", "person", "role"])
        table = pd.DataFrame({
            "circle": circles["circle_id"].astype(str),
            "person": [_label(roster, participant) for participant in circles["participant_id"]],
            "role": circles["circle_role"],
        })
        order = (table["role"] != "facilitator").astype(int)
        return table.assign(_order=order).sort_values(["circle", "_order", "person"]).drop(columns="_order")\
            .reset_index(drop=True)
    pairs = result.pairs
    first, second = ("peer", "peer ") if result.shape == "peer_pairs" else ("mentee", "mentor")
    if pairs is None or len(pairs) == 0:
        return pd.DataFrame(columns=[first, second, "score"])
    ordered = pairs.sort_values(["score", "mentee_id", "mentor_id"], ascending=[False, True, True])
    table = pd.DataFrame({
        first: [_label(roster, participant) for participant in ordered["mentee_id"]],
        second: [_label(roster, participant) for participant in ordered["mentor_id"]],
        "score": ordered["score"].astype(float).round(3).to_numpy(),
    })
    for column in part_columns(result):
        table[column] = ordered[column].astype(float).round(3).to_numpy()
    return table


def unmatched_table(result) -> pd.DataFrame:
    """Unmatched people with names, role, reason and suggested fix."""
    unmatched = result.unmatched
    if unmatched is None or len(unmatched) == 0:
        return pd.DataFrame(columns=["person", "role", "reason", "suggestion"])
    return pd.DataFrame({
        "person": [_label(result.roster, participant) for participant in unmatched["participant_id"]],
        "role": unmatched["role"].to_numpy(),
        "reason": unmatched["reason"].to_numpy(),
        "suggestion": unmatched["suggestion"].to_numpy(),
    })


def design_changes(before: ProgramDesign, after: ProgramDesign, labels: Sequence[str] = ("before", "after"),
                   ) -> pd.DataFrame:
    """Every setting that differs between two designs, as a table (one row per setting).

    Parameters
    ----------
    before, after
        The two designs, e.g. two templates or a design and the studio's version of it.
    labels
        Column headings for the two designs' values.
    """
    rows = [{"setting": change.key, labels[0]: change.before, labels[1]: change.after}
            for change in before.diff(after)]
    return pd.DataFrame(rows, columns=["setting", *labels]).astype(object)


def settings_table(base: ProgramDesign, design: ProgramDesign, pinned=(), banned=()) -> pd.DataFrame:
    """What the studio changed from the base design, plus pins and bans."""
    table = design_changes(base, design, ("base design", "this match"))
    extra = [{"setting": "pinned pair", "base design": "", "this match": f"{a} with {b}"} for a, b in pinned]
    extra += [{"setting": "banned pair", "base design": "", "this match": f"{a} with {b}"} for a, b in banned]
    if extra:
        table = pd.concat([table, pd.DataFrame(extra, columns=table.columns).astype(object)], ignore_index=True)
    return table


def _pair_set(result) -> set:
    if result.shape == "circles":
        circles = result.circles
        return set(zip(circles["circle_id"].astype(str), circles["participant_id"])) if len(circles) else set()
    pairs = result.pairs
    return set(zip(pairs["mentee_id"], pairs["mentor_id"])) if len(pairs) else set()


def compare_scenarios(scenarios: Sequence[Scenario], base: ProgramDesign | None = None) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per measure.

    Rows: status, pairs (or people in circles), unmatched, total score, mean and lowest
    pair score, pairs shared with the first scenario, and the settings that differ from
    the base design.
    """
    columns = {}
    first_pairs = _pair_set(scenarios[0].result) if scenarios else set()
    for scenario in scenarios:
        result = scenario.result
        pairs = result.pairs if result.shape != "circles" else None
        scores = pairs["score"].astype(float) if pairs is not None and len(pairs) else pd.Series(dtype=float)
        current = _pair_set(result)
        changes = base.diff(scenario.design) if base is not None else []
        settings = "; ".join(f"{change.key} {change.before} -> {change.after}" for change in changes) or "as designed"
        if scenario.pinned:
            settings += f"; {len(scenario.pinned)} pinned"
        if scenario.banned:
            settings += f"; {len(scenario.banned)} banned"
        columns[scenario.name] = {
            "status": result.status,
            "objective": scenario.design.objective,
            "pairs" if result.shape != "circles" else "people in circles": len(current),
            "unmatched": len(result.unmatched),
            "total score": round(float(scores.sum()), 3) if len(scores) else round(float(result.objective), 3),
            "mean pair score": round(float(scores.mean()), 3) if len(scores) else None,
            "lowest pair score": round(float(scores.min()), 3) if len(scores) else None,
            "same as first scenario": f"{len(current & first_pairs)} of {len(current)}",
            "settings": settings,
        }
    return pd.DataFrame(columns).astype(object)


# ------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------


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
        roster,
        design: ProgramDesign | None = None,
        *,
        solver: Solver | None = None,
        delay: float = 0.4,
        export_dir: str | Path = "exports",
        solve: bool = True,
    ) -> None:
        import ipywidgets as widgets

        design = design or ProgramDesign.from_template("formal")
        self.model = MatchingStudioModel(roster, design, solver=solver)
        self._quiet = False
        self.errors = ErrorPanel()
        guard = self.errors.guard
        self.resolve = Debouncer(guard(self._solve_now), delay=delay)

        # -- controls ------------------------------------------------------------------------
        self.weight_sliders: dict[str, Any] = {}
        for name, weight in self.model.weights.items():
            slider = widgets.FloatSlider(value=weight, min=0, max=10, step=0.5, description=name.replace("_", " "),
                                         continuous_update=True, readout_format=".1f",
                                         style={"description_width": "120px"},
                                         layout=widgets.Layout(width="350px"),
                                         tooltip=CRITERIA.get(name, ""))
            slider.add_class(f"tk-weight-{name}")
            slider.observe(guard(lambda change, criterion=name: self._on_weight(criterion, change)), names="value")
            self.weight_sliders[name] = slider
        self.rule_toggles: dict[str, Any] = {}
        for name in BOOLEAN_RULES:
            toggle = widgets.Checkbox(value=self.model.rules[name], description=RULE_LABELS[name], indent=False,
                                      tooltip=RULE_SETTINGS[name], layout=widgets.Layout(width="330px"))
            toggle.observe(guard(lambda change, rule=name: self._on_rule(rule, change)), names="value")
            self.rule_toggles[name] = toggle
        self.objective_picker = widgets.Dropdown(
            options=[(f"{name}: {text}", name) for name, text in OBJECTIVES.items()], value=self.model.objective,
            description="Objective", layout=widgets.Layout(width="350px"), style={"description_width": "70px"})
        self.objective_picker.observe(guard(self._on_objective), names="value")
        self.reset_button = widgets.Button(description="Back to the design", icon="undo")
        self.reset_button.on_click(guard(self._on_reset))
        controls = widgets.VBox([
            widgets.HTML("<b>Criteria weights</b> <span class='tk-note'>(0 = ignore, 10 = most important)</span>"),
            *self.weight_sliders.values(),
            widgets.HTML("<b>Hard rules</b>"),
            *self.rule_toggles.values(),
            self.objective_picker,
            self.reset_button,
        ], layout=widgets.Layout(width="370px", min_width="370px"))

        # -- results -------------------------------------------------------------------------
        self.status_html = widgets.HTML()
        self.pairs_html = widgets.HTML()
        self.chart = ChartOutput("The quality chart appears after a solve.")
        self.unmatched_html = widgets.HTML()

        people = sorted(((_label(roster, participant), participant) for participant in roster.participants[
            "participant_id"]), key=lambda item: item[0].casefold())
        self.person_picker = widgets.Dropdown(options=[("(choose a person)", "")] + people, value="",
                                              description="Person", layout=widgets.Layout(width="420px"))
        self.person_picker.observe(guard(self._on_person), names="value")
        self.explanation_html = widgets.HTML()

        mentee_ids, mentor_ids = self._sides(roster, design)
        self.pin_mentee = widgets.Dropdown(options=[("(mentee)", "")] + [(_label(roster, p), p) for p in mentee_ids],
                                           value="", layout=widgets.Layout(width="300px"))
        self.pin_mentor = widgets.Dropdown(options=[("(mentor)", "")] + [(_label(roster, p), p) for p in mentor_ids],
                                           value="", layout=widgets.Layout(width="300px"))
        self.pin_button = widgets.Button(description="Pin pair", icon="thumb-tack")
        self.ban_button = widgets.Button(description="Ban pair", icon="ban", button_style="warning")
        self.clear_button = widgets.Button(description="Clear pins and bans")
        self.pin_button.on_click(guard(self._on_pin))
        self.ban_button.on_click(guard(self._on_ban))
        self.clear_button.on_click(guard(self._on_clear))
        self.pins_html = widgets.HTML()

        self.scenario_name = widgets.Text(placeholder="name this scenario", layout=widgets.Layout(width="260px"))
        self.save_button = widgets.Button(description="Save scenario", icon="save", button_style="success")
        self.save_button.on_click(guard(self._on_save))
        self.scenario_picker = widgets.Dropdown(options=[("(saved scenarios)", "")], value="",
                                                layout=widgets.Layout(width="260px"))
        self.restore_button = widgets.Button(description="Restore", icon="history")
        self.restore_button.on_click(guard(self._on_restore))
        self.scenarios_html = widgets.HTML()

        self.export_path = widgets.Text(value=str(Path(export_dir) / "matching.xlsx"), description="File",
                                        layout=widgets.Layout(width="420px"))
        self.export_button = widgets.Button(description="Export to Excel", icon="download")
        self.export_button.on_click(guard(self._on_export))
        self.export_html = widgets.HTML()

        self.tabs = widgets.Tab(children=[
            self.pairs_html,
            self.chart.widget,
            self.unmatched_html,
            widgets.VBox([self.person_picker, self.explanation_html]),
            widgets.VBox([widgets.HBox([self.pin_mentee, self.pin_mentor]),
                          widgets.HBox([self.pin_button, self.ban_button, self.clear_button]), self.pins_html]),
            widgets.VBox([widgets.HBox([self.scenario_name, self.save_button]),
                          widgets.HBox([self.scenario_picker, self.restore_button]), self.scenarios_html]),
            widgets.VBox([widgets.HBox([self.export_path, self.export_button]), self.export_html]),
        ])
        for index, title in enumerate(["Pairs", "Quality", "Unmatched", "Explain", "Pin / ban", "Scenarios",
                                       "Export"]):
            self.tabs.set_title(index, title)
        results = widgets.VBox([self.status_html, self.errors.widget, self.tabs],
                               layout=widgets.Layout(flex="1 1 auto", min_width="480px"))
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
        if solve:
            guard(self._solve_now)()
        if self.model.result is None:
            self._render()

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
    def _sides(roster, design) -> tuple[list[str], list[str]]:
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
        path = self.model.export(self.export_path.value)
        self.export_html.value = STYLE + (f"<div class='tk-ok'>Saved <code>{_esc(path)}</code>: pairs, unmatched, "
                                          "settings" + (", scenarios" if self.model.scenarios else "")
                                          + ". No email addresses are included.</div>")

    # -- rendering -------------------------------------------------------------------------------

    def _render(self) -> None:
        result = self.model.result
        self._render_status()
        if result is None:
            self.pairs_html.value = "<p class='tk-empty'>No match yet.</p>"
            self.unmatched_html.value = ""
            self.chart.show(None)
            return
        table = pairs_table(result)
        noun = "circle members" if result.shape == "circles" else "pairs"
        self.pairs_html.value = STYLE + (
            f"<div class='tk-pairs tk-scroll' data-solve='{self.model.solves}'>"
            + frame_html(table, max_rows=600, empty=f"No {noun}.") + "</div>")
        unmatched = unmatched_table(result)
        self.unmatched_html.value = STYLE + frame_html(unmatched, empty="Everyone is matched.")
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
        mean = (f", mean score {pairs['score'].astype(float).mean():.2f}"
                if result.shape != "circles" and len(pairs) else "")
        css = "tk-ok" if result.status == "optimal" else "tk-warn"
        status = {"optimal": "optimal (certified)", "time_limit": "stopped at the time limit: not proven optimal",
                  "infeasible": "infeasible: no match satisfies every rule"}.get(result.status, result.status)
        stale_note = " <b>(showing the previous match: the new settings could not be solved)</b>" if stale else ""
        self.status_html.value = STYLE + (
            f"<div class='{css} tk-status'>Solve {self.model.solves}: {_esc(status)}; {matched}, "
            f"{len(result.unmatched)} unmatched{mean}; objective {float(result.objective):.2f} "
            f"({self.model.seconds:.2f} s){stale_note}</div>")

    def _render_explanation(self, participant: str) -> None:
        text = self.model.explain(participant)
        self.explanation_html.value = STYLE + (
            f"<h4>{_esc(_label(self.model.roster, participant))}</h4>"
            f"<pre style='white-space: pre-wrap; font-size: 12px'>{_esc(text)}</pre>")

    def _render_pins(self) -> None:
        roster = self.model.roster
        rows = [{"pair": f"{_label(roster, a)} with {_label(roster, b)}", "kept": "pinned (always matched)"}
                for a, b in self.model.pinned]
        rows += [{"pair": f"{_label(roster, a)} with {_label(roster, b)}", "kept": "banned (never matched)"}
                 for a, b in self.model.banned]
        self.pins_html.value = STYLE + frame_html(pd.DataFrame(rows, columns=["pair", "kept"]),
                                                  empty="No pinned or banned pairs.")

    def _render_scenarios(self, selected: str | None = None) -> None:
        names = list(self.model.scenarios)
        self.scenario_picker.options = [("(saved scenarios)", "")] + [(name, name) for name in names]
        self.scenario_picker.value = selected if selected in names else ""
        if not names:
            self.scenarios_html.value = STYLE + "<p class='tk-empty'>Save a scenario to compare settings side by " \
                                                "side.</p>"
            return
        comparison = self.model.comparison().reset_index().rename(columns={"index": "measure"})
        self.scenarios_html.value = STYLE + frame_html(comparison)


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))
