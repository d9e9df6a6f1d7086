"""Each pair's criterion parts and whether it worked: the learning step's data, which stays in the client folder.

:func:`pair_outcomes` scores every pair that ran with the client's design (the same parts the
matching used, :class:`toolkit.matching.scoring.ScoreModel`), and reads its outcome from the
programme's state, the fit check and the end-of-programme survey (see
:data:`toolkit.portfolio.learning.WORKED`). :func:`write_pair_outcomes` writes the table into the
client folder (``portfolio/pair_outcomes.csv``) so the consultant can see what the model learned
from; the portfolio store only ever receives the model's coefficients and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..files import output_folder, write_csv
from ..matching.scoring import ScoreModel
from ..measure.relationships import fit_check_flags
from ..measure.survey import load_survey, pseudonym, scale_scores
from .outcomes import ProgrammeOutcome

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..design.model import ProgramDesign
    from ..roster import Roster

__all__ = ["PairOutcomes", "pair_outcomes", "flagged_units", "write_pair_outcomes", "PAIR_FILE", "QUALITY_MIDDLE"]

PAIR_FILE = Path("portfolio") / "pair_outcomes.csv"
#: The middle of the 1-5 relationship-quality scale: a pair rated at or below it did not work.
QUALITY_MIDDLE = 3.0


@dataclass(frozen=True)
class PairOutcomes:
    """One programme's pairs for learning: ``table`` (unit_id, one column per criterion part, ``worked``),
    the criteria and their design weights, and how many pairs were left out and why."""

    table: pd.DataFrame
    criteria: tuple[str, ...]
    weights: dict[str, float]
    left_out: dict[str, int] = field(default_factory=dict)
    reason: str = ""  # why there is nothing to learn from (circles, no pairs), else ""

    @property
    def parts(self) -> pd.DataFrame:
        return self.table[list(self.criteria)]


def pair_outcomes(config: ClientConfig, outcome: ProgrammeOutcome, *, roster: Roster | None = None,
                  design: ProgramDesign | None = None) -> PairOutcomes:
    """The pairs of a one-to-one or peer programme with their parts and outcome (circles: none)."""
    design = design if design is not None else config.design()
    if outcome.shape == "circles":
        return PairOutcomes(pd.DataFrame(), (), {}, reason="circles are matched as groups, with no score per pair")
    roster = roster if roster is not None else config.roster(lenient=True)
    units = outcome.units
    left_out = {"still running": int(units["state"].isin(["active", "paused"]).sum()),
                "ended because someone left the organisation": int((units["end_reason"] == "left").sum())}
    units = units[units["state"].isin(["ended", "completed"]) & (units["end_reason"] != "left")]
    model = ScoreModel.build(roster, design)
    rows = {person: index for index, person in enumerate(model.context.mentees.ids)}
    cols = {person: index for index, person in enumerate(model.context.mentors.ids)}
    known = [mentee in rows and mentor in cols for mentee, mentor in zip(units["mentee_id"], units["mentor_id"])]
    left_out["not in the participant list"] = int(len(units) - sum(known))
    units = units[known].reset_index(drop=True)
    criteria = tuple(name for name in model.active)
    weighted = model.pair_parts(np.array([rows[m] for m in units["mentee_id"]], dtype=np.int64),
                                np.array([cols[m] for m in units["mentor_id"]], dtype=np.int64))
    table = pd.DataFrame({"unit_id": units["unit_id"].astype(str)})
    for name in criteria:
        table[name] = np.asarray(weighted[name], dtype=float) / model.weights[name]
    flagged = flagged_units(config, units, roster)
    quality = _quality(config, units, roster)
    table["completed"] = (units["state"] == "completed").to_numpy()
    table["fit_check_flag"] = units["unit_id"].isin(flagged).to_numpy()
    table["relationship_quality"] = quality
    table["worked"] = (table["completed"] & ~table["fit_check_flag"]
                       & ~(table["relationship_quality"] <= QUALITY_MIDDLE)).astype(int)
    return PairOutcomes(table, criteria, {name: model.weights[name] for name in criteria},
                        {why: count for why, count in left_out.items() if count})


def flagged_units(config: ClientConfig, units: pd.DataFrame, roster: Roster) -> set:
    """The ids of the pairs the fit check flagged (a \"Not a fit\", or two \"Not sure yet\")."""
    entry = config.survey("fit_check")
    if not entry or not len(units):
        return set()
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    # Every pair is looked at, whatever its state now (the check asks a few weeks in, while it ran).
    table = pd.DataFrame({"pair_id": units["unit_id"], "mentee_id": units["mentee_id"],
                          "mentor_id": units["mentor_id"]}).assign(status="active", state="active")
    return set(fit_check_flags(survey, table, roster)["pair_id"])


def _quality(config: ClientConfig, units: pd.DataFrame, roster: Roster) -> np.ndarray:
    """The mentee's end-of-programme relationship-quality score per pair (NaN where not answered)."""
    entry = config.survey("end")
    quality = np.full(len(units), np.nan)
    if not entry or not len(units):
        return quality
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    scores = scale_scores(survey)
    if "relationship_quality" not in scores:
        return quality
    by_respondent = dict(zip(scores["respondent"], scores["relationship_quality"]))
    emails = dict(zip(roster.participants["participant_id"], roster.participants.get("email", [None] * len(roster))))
    for index, mentee in enumerate(units["mentee_id"]):
        for key in (mentee, emails.get(mentee)):
            value = by_respondent.get(pseudonym(key)) if isinstance(key, str) and key else None
            if value is not None and value == value:
                quality[index] = float(value)
                break
    return quality


def write_pair_outcomes(pairs: PairOutcomes, folder: str | Path) -> Path | None:
    """Write the pair table into the client folder (``portfolio/pair_outcomes.csv``); None when empty."""
    if not len(pairs.table):
        return None
    path = Path(folder) / PAIR_FILE
    output_folder(path.parent)
    return write_csv(pairs.table, path)
