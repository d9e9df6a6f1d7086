"""The tables a round folder is written from: pairs (or circles) with names and round-scoped ids, and the
certificate's summary for round.json."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..matching.result import MatchResult

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["PAIR_COLUMNS", "CIRCLE_COLUMNS", "UNMATCHED_COLUMNS", "name_of", "round_tables", "certificate_summary"]

PAIR_COLUMNS = ["pair_id", "mentee_id", "mentor_id"]
CIRCLE_COLUMNS = ["circle_id", "participant_id", "circle_role"]
UNMATCHED_COLUMNS = ["participant_id", "role", "reason", "suggestion"]


def name_of(roster: Roster, person: Any) -> str:
    """A person's name for the round's files (an id that is an email address is not repeated as a name)."""
    person = str(person)
    if roster is None or person not in roster:
        return person
    name = roster.display_name(person)
    return "" if "@" in name else name  # an id that is an email address is not repeated as a name


def round_tables(result: MatchResult, number: int,
                  earlier: dict[tuple[str, str], str] | None = None) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles.reindex(columns=CIRCLE_COLUMNS + [c for c in result.circles.columns
                                                                    if c not in CIRCLE_COLUMNS])
        circles = circles.assign(name=[name_of(roster, p) for p in circles["participant_id"]])
        # Round-scoped ids (R1-C01), like pair ids: a meeting logged against an older circle C01 can never be
        # counted for this round's C01. Ids that already carry a round (kept by a re-match) stay as they are.
        circles["circle_id"] = [str(c) if re.match(r"^R\d+-", str(c)) else f"R{number}-{c}"
                                for c in circles["circle_id"]]
        return "circles", circles.reset_index(drop=True), result.unmatched
    pairs = result.pairs.copy().reset_index(drop=True)
    given = pairs["pair_id"] if "pair_id" in pairs else pd.Series([None] * len(pairs), dtype=object)
    earlier, ids, fresh = earlier or {}, [], 0
    for pair_id, mentee, mentor in zip(given, pairs["mentee_id"], pairs["mentor_id"]):
        if pair_id is None or (isinstance(pair_id, float) and math.isnan(pair_id)):
            pair_id = earlier.get((str(mentee), str(mentor)))
        if pair_id is None:
            fresh += 1
            pair_id = f"R{number}-P{fresh:03d}"
        ids.append(str(pair_id))
    pairs["pair_id"] = ids
    pairs["mentee"] = [name_of(roster, p) for p in pairs["mentee_id"]]
    pairs["mentor"] = [name_of(roster, p) for p in pairs["mentor_id"]]
    first = ["pair_id", "mentee_id", "mentee", "mentor_id", "mentor"]
    pairs = pairs[first + [c for c in pairs.columns if c not in first]]
    numeric = pairs.select_dtypes("number").columns
    pairs[numeric] = pairs[numeric].round(6)
    return "pairs", pairs, result.unmatched


def certificate_summary(result: MatchResult) -> dict:
    certificate = result.certificate
    objective = result.objective
    return {
        "status": result.status,
        "objective": None if objective is None or (isinstance(objective, float) and math.isnan(objective))
        else round(float(objective), 6),
        "certified": bool(getattr(certificate, "certified", False)),
        "method": getattr(certificate, "method", ""),
        "candidate_pairs": int(getattr(certificate, "candidate_pairs", 0) or 0),
        "pairs_in_model": int(getattr(certificate, "pairs_in_model", 0) or 0),
        "rounds": int(getattr(certificate, "rounds", 0) or 0),
        "max_reduced_cost": _plain_number(getattr(certificate, "max_reduced_cost", None)),
        "solver": getattr(certificate, "solver", ""),
        "notes": list(getattr(certificate, "notes", []) or []),
        "statement": str(certificate),
    }


def _plain_number(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value
