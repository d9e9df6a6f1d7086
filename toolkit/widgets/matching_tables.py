"""The matching studio's tables: a match as the studio shows and exports it, and scenarios compared.

Pure functions of a :class:`~toolkit.matching.result.MatchResult` (no ipywidgets, no state), in the words
a client reads (column names from :mod:`toolkit.labels`, settings as sentences, never a code name):
:func:`pairs_table` and :func:`unmatched_table` (names, never email addresses),
:func:`design_changes` and :func:`settings_table` (what differs from the base design, :func:`setting_words`),
and :func:`compare_scenarios` (saved :class:`Scenario` objects side by side, every one scored again under
one set of weights, :func:`rescore`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..charts import part_columns
from ..design.model import ProgramDesign
from ..design.vocabulary import HARD_RULES, OBJECTIVES
from ..labels import label
from ..matching.scoring import ScoreModel

if TYPE_CHECKING:
    from ..matching.result import MatchResult
    from ..roster import Roster

__all__ = ["Scenario", "compare_scenarios", "design_changes", "pairs_table", "person_label", "rescore",
           "setting_words", "settings_table", "status_words", "unmatched_table", "weights_words", "TOTAL_ROW"]

# How a solve ended, as the studio says it.
STATUS_WORDS = {"optimal": "proven best", "time_limit": "stopped at the time limit (not proven best)",
                "infeasible": "no match meets every rule"}
_RULE_WORDS = {rule.setting: rule.label for rule in HARD_RULES if rule.setting and rule.label}
TOTAL_ROW = "Total score (the design's weights)"


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


def person_label(roster: Roster, participant_id: str) -> str:
    """A person as the studio shows them: "Name (id)"; an id that is an email address is never shown."""
    try:
        name = roster.display_name(participant_id)
    except KeyError:  # an id outside the roster still shows, as itself
        return str(participant_id)
    if "@" in str(participant_id):  # ids that are email addresses are never shown or exported
        return name if name and name != participant_id else "(name not given)"
    return f"{name} ({participant_id})" if name and name != participant_id else str(participant_id)


def status_words(status: str) -> str:
    """A solve's status in words ("proven best", ...)."""
    return STATUS_WORDS.get(str(status), str(status).replace("_", " "))


def pairs_table(result: MatchResult) -> pd.DataFrame:
    """The pairs (or circle members) with names, for display and export (no emails).

    One-to-one and peer results: Mentee, Mentor, Match score and one column per criterion's points
    (labelled: "Skills", "Across departments"...), best score first (ties by mentee id). Circles:
    Circle, Person, Role in circle.
    """
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles
        if circles is None or len(circles) == 0:
            return pd.DataFrame(columns=["Circle", "Person", "Role in circle"])
        table = pd.DataFrame({
            "Circle": circles["circle_id"].astype(str),
            "Person": [person_label(roster, participant) for participant in circles["participant_id"]],
            "Role in circle": circles["circle_role"].astype(str),
        })
        order = (table["Role in circle"] != "facilitator").astype(int)
        return table.assign(_order=order).sort_values(["Circle", "_order", "Person"]).drop(columns="_order")\
            .reset_index(drop=True)
    pairs = result.pairs
    first, second = ("Peer", "Peer ") if result.shape == "peer_pairs" else ("Mentee", "Mentor")
    if pairs is None or len(pairs) == 0:
        return pd.DataFrame(columns=[first, second, "Match score"])
    ordered = pairs.sort_values(["score", "mentee_id", "mentor_id"], ascending=[False, True, True])
    table = pd.DataFrame({
        first: [person_label(roster, participant) for participant in ordered["mentee_id"]],
        second: [person_label(roster, participant) for participant in ordered["mentor_id"]],
        "Match score": ordered["score"].astype(float).round(3).to_numpy(),
    })
    for column in part_columns(result):
        table[label(column)] = ordered[column].astype(float).round(3).to_numpy()
    return table


def unmatched_table(result: MatchResult) -> pd.DataFrame:
    """Unmatched people with names: Person, Role, Why, What would help."""
    unmatched = result.unmatched
    columns = ["Person", "Role", "Why", "What would help"]
    if unmatched is None or len(unmatched) == 0:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({
        "Person": [person_label(result.roster, participant) for participant in unmatched["participant_id"]],
        "Role": unmatched["role"].to_numpy(),
        "Why": unmatched["reason"].to_numpy(),
        "What would help": unmatched["suggestion"].to_numpy(),
    }, columns=columns)


def setting_words(key: str) -> str:
    """A design setting's dotted key as a client reads it.

    ``criteria.skills.weight`` -> "Weight of skills"; ``rules.exclude_own_manager`` -> "Rule: not with
    their own manager"; ``objective`` -> "Aim of the match"; anything else -> its words.
    """
    parts = str(key).split(".")
    if parts[0] == "criteria" and len(parts) == 3 and parts[2] == "weight":
        return f"Weight of {label(parts[1]).lower()}"
    if parts[0] == "criteria" and len(parts) == 3:
        return f"{label(parts[1])}: {label(parts[2]).lower()}"
    if parts[0] == "rules" and len(parts) == 2:
        return "Rule: " + (_RULE_WORDS.get(parts[1]) or label(parts[1]).lower())
    if parts == ["objective"]:
        return "Aim of the match"
    return " – ".join(label(part) if "_" in part else part.capitalize() for part in parts)


def value_words(key: str, value: Any) -> str:
    """A setting's value in words: on/off for rules, the objective's sentence, numbers as they are."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "on" if value else "off"
    if str(key) == "objective":
        return OBJECTIVES.get(str(value), str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "none"
    return label(value) if isinstance(value, str) and "_" in value else str(value)


def design_changes(before: ProgramDesign, after: ProgramDesign, labels: Sequence[str] = ("before", "after"),
                   ) -> pd.DataFrame:
    """Every setting that differs between two designs, as a table (one row per setting, in words).

    Parameters
    ----------
    before, after
        The two designs, e.g. two templates or a design and the studio's version of it.
    labels
        Column headings for the two designs' values.
    """
    rows = [{"Setting": setting_words(change.key), labels[0]: value_words(change.key, change.before),
             labels[1]: value_words(change.key, change.after)} for change in before.diff(after)]
    return pd.DataFrame(rows, columns=["Setting", *labels]).astype(object)


def settings_table(base: ProgramDesign, design: ProgramDesign, pinned=(), banned=()) -> pd.DataFrame:
    """What the studio changed from the base design, plus pins and bans."""
    table = design_changes(base, design, ("Programme design", "This match"))
    extra = [{"Setting": "Pinned pair (always matched)", "Programme design": "", "This match": f"{a} with {b}"}
             for a, b in pinned]
    extra += [{"Setting": "Banned pair (never matched)", "Programme design": "", "This match": f"{a} with {b}"}
              for a, b in banned]
    if extra:
        table = pd.concat([table, pd.DataFrame(extra, columns=table.columns).astype(object)], ignore_index=True)
    return table


def _pair_set(result: MatchResult) -> set:
    if result.shape == "circles":
        circles = result.circles
        return set(zip(circles["circle_id"].astype(str), circles["participant_id"])) if len(circles) else set()
    pairs = result.pairs
    return set(zip(pairs["mentee_id"], pairs["mentor_id"])) if len(pairs) else set()


def rescore(pairs: pd.DataFrame, model: ScoreModel) -> pd.Series:
    """The score of each pair (``mentee_id``, ``mentor_id``) under one scoring model's weights.

    A pair whose people are not on the model's two sides scores NaN (it cannot happen for pairs the
    same roster produced, but a stand-in result may hold anything).
    """
    if pairs is None or len(pairs) == 0:
        return pd.Series(dtype=float)
    mentees = {participant: row for row, participant in enumerate(model.context.mentees.ids)}
    mentors = {participant: col for col, participant in enumerate(model.context.mentors.ids)}
    rows = np.array([mentees.get(participant, -1) for participant in pairs["mentee_id"]], dtype=np.int64)
    cols = np.array([mentors.get(participant, -1) for participant in pairs["mentor_id"]], dtype=np.int64)
    known = (rows >= 0) & (cols >= 0)
    scores = np.full(len(pairs), np.nan)
    if known.any():
        parts = model.pair_parts(rows[known], cols[known])
        scores[known] = sum(parts.values()) if parts else 0.0
    return pd.Series(scores, index=pairs.index)


def compare_scenarios(scenarios: Sequence[Scenario], base: ProgramDesign | None = None) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per measure, scores on ONE scale.

    Each scenario chose its pairs under its own weights, so its own scores cannot be compared with
    another's. Here every scenario's pairs are scored again under the weights of ``base`` (the
    programme's design; default: the first scenario's), and the score rows say so. Rows: how the solve
    ended, what it maximised, pairs (or people in circles), unmatched, total, average and lowest pair
    score under those weights, pairs also in the first scenario, and what differs from the design.
    """
    columns: dict[str, dict] = {}
    if not scenarios:
        return pd.DataFrame(columns)
    reference = base or scenarios[0].design
    model = None
    first_pairs = _pair_set(scenarios[0].result)
    first_name = scenarios[0].name
    for scenario in scenarios:
        result = scenario.result
        current = _pair_set(result)
        row: dict[str, Any] = {"How the solve ended": status_words(result.status),
                               "What it aims for": value_words("objective", scenario.design.objective),
                               ("People in circles" if result.shape == "circles" else "Pairs"): len(current),
                               "Unmatched": len(result.unmatched)}
        if result.shape != "circles":
            if model is None:
                model = ScoreModel.build(result.roster, reference)
            scores = rescore(result.pairs, model).dropna()
            row.update({TOTAL_ROW: round(float(scores.sum()), 2) if len(scores) else None,
                        "Average pair score": round(float(scores.mean()), 2) if len(scores) else None,
                        "Lowest pair score": round(float(scores.min()), 2) if len(scores) else None})
        row[f"Also in “{first_name}”"] = f"{len(current & first_pairs)} of {len(current)}"
        row["Changes from the design"] = _changes_words(base, scenario)
        columns[scenario.name] = row
    return pd.DataFrame(columns).astype(object)


def weights_words(design: ProgramDesign) -> str:
    """A design's criteria weights in words: "skills 4, goals 2, across departments 1"."""
    return ", ".join(f"{label(name).lower()} {value_words('', float(weight))}"
                     for name, weight in design.criteria.items() if float(weight)) or "no criteria"


def _changes_words(base: ProgramDesign | None, scenario: Scenario) -> str:
    changes = base.diff(scenario.design) if base is not None else []
    words = [f"{setting_words(change.key)}: {value_words(change.key, change.before)} → "
             f"{value_words(change.key, change.after)}" for change in changes]
    if scenario.pinned:
        words.append(f"{len(scenario.pinned)} pinned pair{'s' if len(scenario.pinned) != 1 else ''}")
    if scenario.banned:
        words.append(f"{len(scenario.banned)} banned pair{'s' if len(scenario.banned) != 1 else ''}")
    return "; ".join(words) or "as designed"
