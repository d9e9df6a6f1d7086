"""Writing a match to Excel and CSV: formula-safe, without contact details.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..files import output_folder, write_csv, write_excel

if TYPE_CHECKING:
    from .result import MatchResult


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------
def export_match(result: MatchResult, out: str | Path) -> list[Path]:
    """Write the match as Excel (one sheet each: pairs or circles, unmatched) and CSV files, without emails."""

    out = Path(out)
    output_folder(out)
    roster = result.roster
    if result.shape == "circles":
        main = result.circles.assign(name=[roster.display_name(person) for person in result.circles["participant_id"]])
        main_name = "circles"
    else:
        pairs = result.pairs
        first, second = ("mentee", "mentor") if result.shape == "one_to_one" else ("person", "partner")
        main = pd.DataFrame({f"{first}_id": pairs["mentee_id"], f"{first}": [roster.display_name(p) for p in
                                                                          pairs["mentee_id"]],
                             f"{second}_id": pairs["mentor_id"], f"{second}": [roster.display_name(p) for p in
                                                                             pairs["mentor_id"]]})
        main = pd.concat([main, pairs.drop(columns=["mentee_id", "mentor_id"]).round(4)], axis=1)
        main_name = "pairs"
    unmatched = result.unmatched.assign(name=[roster.display_name(p) for p in result.unmatched["participant_id"]])
    unmatched = unmatched[["participant_id", "name", "role", "reason", "suggestion"]]
    about = pd.DataFrame({"item": ["programme", "status", "certificate", "objective", "solver"],
                          "value": [result.design.name, result.status, str(result.certificate),
                                    f"{result.objective:.4f}", result.solver]})
    written = [write_excel({main_name: main, "unmatched": unmatched, "about": about}, out / "match.xlsx")]
    written.append(write_csv(main, out / f"{main_name}.csv"))
    written.append(write_csv(unmatched, out / "unmatched.csv"))
    return written
