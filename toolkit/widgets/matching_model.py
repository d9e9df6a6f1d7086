"""The matching studio's state: settings, pins and bans, the current result, scenarios, export, adoption.

:class:`MatchingStudioModel` never imports ipywidgets: tests and scripts drive it directly, and a
``solver`` can be injected (default :func:`toolkit.match`, re-using scored pairs across solves).
The view is :class:`toolkit.widgets.MatchingStudio`.

Opened for a client, the studio makes the client's match, the one the ``match`` command makes
(:func:`toolkit.programme.client_match`): the people available today (never a leaver), the mentees' ranked
choices when the client has them, and, when a
round is adopted, that round's settings, pins and bans (recorded in its round.json when the studio adopted
it). Adopting from the studio then writes the round ``match`` would write for the same settings: the same
pairs, pair ids and fingerprint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import traitlets

from ..client import ClientConfig, load_client
from ..design.model import ProgramDesign
from ..design.vocabulary import HARD_RULES, OBJECTIVES
from ..errors import ConfigError, MatchingError, ToolkitError, check_option, did_you_mean
from ..files import write_excel
from ..matching.engine import WarmMatcher
from ..programme import programme_state
from ..resources import is_sample_client
from ..rounds import Round, adopt, client_choices, current_round, list_rounds, match_members, set_aside
from .matching_tables import (
    Scenario,
    compare_scenarios,
    pairs_table,
    settings_table,
    unmatched_table,
)

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["BOOLEAN_RULES", "RULE_LABELS", "MatchingStudioModel", "Solver", "client_folder", "match_members"]

# Hard rules that are on/off switches, with the toggles' short labels (the full sentence from
# RULE_SETTINGS is the tooltip); the numeric ones stay as the design sets them.
RULE_LABELS = {rule.setting: rule.label for rule in HARD_RULES if rule.setting and rule.label}
BOOLEAN_RULES: tuple[str, ...] = tuple(RULE_LABELS)

Solver = Callable[..., Any]


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
    client
        The client folder the match may be adopted into (a loaded client, its folder or its
        client.yaml); None when the studio has no client folder (then nothing can be adopted).
        The client's ranked choices and adopted round are read from it.
    choices
        The mentees' ranked choices (:func:`toolkit.load_choices`) to match on; by default the
        client's (``choices:`` in client.yaml, one-to-one designs only), as ``match`` uses them.

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
    client_dir : Path or None
        The client folder (see ``client``).
    choices
        The ranked choices every solve uses (None: matched on scores alone).
    opened_on : str
        How the studio's first settings were chosen, in one line: the adopted round's settings, pins and
        bans, or why they could not be used ("" for a client without a round).
    """

    weights = traitlets.Dict()
    rules = traitlets.Dict()
    objective = traitlets.Unicode()
    pinned: traitlets.List[tuple[str, str]] = traitlets.List()
    banned: traitlets.List[tuple[str, str]] = traitlets.List()
    result = traitlets.Any(None, allow_none=True)
    design = traitlets.Any(None, allow_none=True)
    seconds = traitlets.Float(0.0)
    solves = traitlets.Int(0)
    scenarios = traitlets.Dict()

    def __init__(self, roster: Roster, design: ProgramDesign, *, solver: Solver | None = None, client: Any = None,
                 choices: Any = None) -> None:
        super().__init__()
        self.signed_up = roster  # everyone as read; self.roster is who can be matched now
        self.roster = roster
        self.client_dir = client_folder(client)
        self.base_design = design
        self.solver = solver or WarmMatcher()  # match(), re-using the scored pairs across slider moves
        self.weights = {name: float(weight) for name, weight in design.criteria.items()}
        self.rules = {name: bool(getattr(design.rules, name)) for name in BOOLEAN_RULES}
        self.objective = design.objective
        self.design = design
        config = _client_config(client)
        self.choices = choices if choices is not None or config is None else client_choices(config, design)
        if config is not None:  # people who left, are paused or join later are never matched (the timeline says who)
            self.roster, self.choices = set_aside(self.roster, self.choices, programme_state(config).unavailable())
        self.opened_on = self._open_on_adopted_round() if self.client_dir is not None else ""

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

    def _open_on_adopted_round(self) -> str:
        """Start from the adopted round's settings, pins and bans (the client's match); says what was done."""
        try:
            adopted = current_round(self.client_dir)
            if adopted is None:
                return ""
            used = adopted.design()
        except ToolkitError as error:
            return f"The adopted round could not be read, so the studio starts from client.yaml's design: {error.headline}"
        settings = (dict(self.weights), dict(self.rules), self.objective)
        self.weights = {name: float(used.criteria.get(name, weight)) for name, weight in self.weights.items()}
        self.rules = {name: bool(getattr(used.rules, name)) for name in self.rules}
        self.objective = used.objective
        try:
            same = self.current_design() == used
        except ToolkitError:
            same = False
        if not same:
            self.weights, self.rules, self.objective = settings
            return (f"Round {adopted.number} was matched under a design that differs from client.yaml's in more than "
                    "weights, rules and objective, so the studio starts from client.yaml's design.")
        ids = set(self.roster.ids)
        self.pinned = [tuple(pair) for pair in adopted.pinned if set(pair) <= ids]
        self.banned = [tuple(pair) for pair in adopted.banned if set(pair) <= ids]
        dropped = len(adopted.pinned) + len(adopted.banned) - len(self.pinned) - len(self.banned)
        kept = " and ".join(f"{len(pairs)} {word} pair{'s' if len(pairs) != 1 else ''}" for pairs, word in
                            ((self.pinned, "pinned"), (self.banned, "banned")) if pairs)
        return (f"Opened on round {adopted.number}'s settings" + (f" ({kept})" if kept else "")
                + (f"; {dropped} pinned or banned pairs name people no longer in the participant files and were left "
                   "out" if dropped else "") + ".")

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
        options = {"choices": self.choices} if self.choices is not None else {}
        result = self.solver(roster, design, required=list(self.pinned), forbidden=list(self.banned), **options)
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

    # -- adoption ---------------------------------------------------------------------------------

    def adopt_blocker(self, client_dir: Any = None) -> str | None:
        """Why no match can be adopted from this studio (one line), or None when it can."""
        folder = client_folder(client_dir) or self.client_dir
        if folder is None:
            return ("This studio was opened without a client folder, so there is nowhere to adopt the match "
                    "(open it with MatchingStudio.from_client).")
        if is_sample_client(folder):
            return (f"{folder.name} is a bundled sample client, which is read-only: copy its folder, then open "
                    "the copy to adopt a match.")
        return None

    def adopted_round(self, client_dir: Any = None) -> Round | None:
        """The client's adopted round if it holds exactly the current match (same pairs or circles), else None."""
        folder = client_folder(client_dir) or self.client_dir
        if self.result is None or folder is None:
            return None
        adopted = current_round(folder)
        if adopted is None or adopted.shape != self.result.shape:
            return None
        source = self.result.circles if self.result.shape == "circles" else self.result.pairs
        return adopted if match_members(adopted.pairs, adopted.shape) == match_members(source, self.result.shape) \
            else None

    def check_adoptable(self, client_dir: Any = None) -> Path:
        """The client folder to adopt the current match into; raises, saying why, when it cannot be adopted.

        Raises
        ------
        ConfigError
            Without a client folder, or for a bundled (read-only) sample client.
        MatchingError
            Before the first solve, or when the match has no pair or circle.
        """
        result = self.result
        if result is None:
            raise MatchingError("There is no match to adopt yet.", fix="solve first")
        folder = client_folder(client_dir) or self.client_dir
        blocker = self.adopt_blocker(folder)
        if blocker or folder is None:  # adopt_blocker says why whenever there is no folder
            raise ConfigError(blocker or "There is no client folder.", path=folder,
                              fix="copy the client folder and open the copy" if folder else
                              "open the studio with MatchingStudio.from_client(<client folder>)")
        if not match_members(result.circles if result.shape == "circles" else result.pairs, result.shape):
            unit = "circle" if result.shape == "circles" else "pair"
            reasons = result.unmatched["reason"].astype(str).value_counts() if len(result.unmatched) else None
            raise MatchingError(
                f"This match has no {unit}, so it was not adopted ({len(result.unmatched)} people unmatched"
                + (f"; most often: {reasons.index[0]}" if reasons is not None else "") + ").",
                fix="relax a hard rule or change the weights (see the Unmatched tab), then adopt again")
        return folder

    def adopt(self, client_dir: Any = None, note: str = "") -> Round:
        """Adopt the current match as the client's next round (agreements, kit and reports then use it).

        Parameters
        ----------
        client_dir
            The client folder (default: the studio's ``client``).
        note
            Why this match was chosen (kept with the round).

        Returns
        -------
        Round
            The new round; or, when the client's adopted round already holds exactly these pairs
            (a second click), that round, and nothing is written.

        Raises
        ------
        ConfigError
            Without a client folder, or for a bundled (read-only) sample client.
        MatchingError
            Before the first solve, or when the match has no pair or circle.
        """
        folder = self.check_adoptable(client_dir)
        already = self.adopted_round(folder)
        if already is not None:
            return already
        return adopt(folder, self.result, design=self.design, note=f"matching studio: {note.strip()}" if (note or "").strip()
                     else "adopted in the matching studio", pinned=self.pinned, banned=self.banned)

    def current(self) -> Round | None:
        """The client's adopted round (None without a client folder or before any adoption)."""
        return current_round(self.client_dir) if self.client_dir is not None else None

    def rounds(self) -> list[Round]:
        """Every round adopted for the client, oldest first (empty without a client folder)."""
        return list_rounds(self.client_dir) if self.client_dir is not None else []


def _client_config(client: Any) -> ClientConfig | None:
    """The loaded client behind ``client`` (a loaded client, its folder or its client.yaml), or None."""
    if client is None:
        return None
    if hasattr(client, "folder") and hasattr(client, "get"):
        return client
    folder = _folder_of(client)
    return load_client(folder / "client.yaml") if (folder / "client.yaml").exists() else None


def client_folder(client: Any) -> Path | None:
    """A client folder from a loaded client (anything with ``.folder``), a folder or a client.yaml; None stays."""
    return None if client is None else _folder_of(client)


def _folder_of(client: Any) -> Path:
    folder = getattr(client, "folder", None)
    if folder is not None:
        return Path(folder)
    path = Path(client)
    return path.parent if path.suffix.lower() in (".yaml", ".yml") else path

