"""The matching studio's tables: a match as the studio shows and exports it, and scenarios compared.

Pure functions of a :class:`~toolkit.matching.result.MatchResult` (no ipywidgets, no state):
:func:`pairs_table` and :func:`unmatched_table` (names, never email addresses),
:func:`design_changes` and :func:`settings_table` (what differs from the base design), and
:func:`compare_scenarios` (saved :class:`Scenario` objects side by side).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Sequence

import pandas as pd

from ..charts import part_columns
from ..design.model import ProgramDesign

__all__ = ["Scenario", "compare_scenarios", "design_changes", "pairs_table", "person_label", "settings_table",
           "unmatched_table"]


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


def person_label(roster, participant_id) -> str:
    """A person as the studio shows them: "Name (id)"; an id that is an email address is never shown."""
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
            "person": [person_label(roster, participant) for participant in circles["participant_id"]],
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
        first: [person_label(roster, participant) for participant in ordered["mentee_id"]],
        second: [person_label(roster, participant) for participant in ordered["mentor_id"]],
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
        "person": [person_label(result.roster, participant) for participant in unmatched["participant_id"]],
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

