"""GENERATED example past programmes for the demo's portfolio: invented figures, not real clients.

A consultant's portfolio needs history: the three sample clients alone are too few for percentiles
(a portfolio gives none below five programmes). This script invents 24 past programmes, 2021 to
2025, as the anonymised aggregates a portfolio store holds (never people), and writes them to
``sample_data/portfolio/generated_programmes.json``, every one marked ``origin: generated``; the
portfolio report labels them "[generated]". ``make demo`` adds them to the demo's store beside the
three sample clients.

The invented world has a few patterns on purpose, so the report has something true to find:
programmes that meet more often, and whose pairs the fit check flags less, complete more often;
completion drifts upwards over the years; and in the pair-level data behind the learning rows (made
up here, then fitted with the toolkit's own model, :func:`toolkit.portfolio.learning.fit_coefficients`)
skills and goals matter, working across departments slightly hurts, and language and seniority do not.

Deterministic: every draw comes from one seeded ``numpy.random.default_rng``; run
``python sample_data/generate_portfolio.py`` from the repository root to rewrite the file.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

_REPOSITORY = Path(__file__).resolve().parent.parent
if str(_REPOSITORY) not in sys.path:
    sys.path.insert(0, str(_REPOSITORY))
from toolkit.design.model import ProgramDesign  # noqa: E402
from toolkit.measure.impact import wilson  # noqa: E402
from toolkit.portfolio.bands import SECTOR_BANDS, size_band  # noqa: E402
from toolkit.portfolio.learning import fit_coefficients  # noqa: E402
from toolkit.privacy import hidden_rows  # noqa: E402

__all__ = ["OUT", "PROGRAMMES", "generate", "main"]

OUT = Path(__file__).resolve().parent / "portfolio" / "generated_programmes.json"
PROGRAMMES = 24
NOTE = ("generated: example past programmes written by sample_data/generate_portfolio.py, not real clients; "
        "invented aggregates only (no people)")
_KINDS = (("formal", 0.45), ("reverse", 0.12), ("peer", 0.13), ("group", 0.12), ("virtual", 0.1), ("informal", 0.08))
#: The planted effects of the pair-level world (log-odds per standard step of each criterion's part).
PLANTED = {"skills": 0.45, "goals": 0.3, "cross_department": -0.25, "language": 0.0, "seniority": 0.0}
_MIN_GROUP = 5


def _round(value):
    if isinstance(value, float):
        return None if value != value else round(value, 4)
    return value


def _programme(number: int, rng: np.random.Generator) -> dict:
    kind = str(rng.choice([kind for kind, _ in _KINDS], p=[share for _, share in _KINDS]))
    design = ProgramDesign.from_template(kind)
    year = 2021 + (number - 1) * 5 // PROGRAMMES
    month = int(rng.integers(1, 13))
    quality = float(rng.normal())
    participants = int(np.clip(rng.lognormal(4.4, 0.7), 16, 900))
    units = max(4, participants // (6 if design.shape == "circles" else 2) - int(rng.integers(0, 4)))
    rhythm = max(0.2, 0.75 + 0.18 * quality + rng.normal(0, 0.08))
    fit_checked = bool(rng.random() < 0.5) and design.shape != "circles"
    flag_share = float(np.clip(0.12 - 0.04 * quality + rng.normal(0, 0.02), 0.01, 0.5)) if fit_checked else None
    chance = 1 / (1 + math.exp(-(1.1 + 0.55 * quality + 0.12 * (year - 2021))))
    completed = int(rng.binomial(units, chance))
    low, high = wilson(completed, units)
    per_unit = 6 if design.shape == "circles" else 2
    row = {"origin": "generated", "added_on": "2026-01-15", "as_of_month": f"{year + 1}-{month:02d}",
           "start_month": f"{year}-{month:02d}", "duration_months": int(design.duration_months),
           "design_kind": kind, "shape": design.shape, "sector_band": str(rng.choice(list(SECTOR_BANDS))),
           "size_band": size_band(participants), "min_group": _MIN_GROUP, "finished": True, "units": units,
           "match_rate": float(np.clip(0.86 + 0.05 * quality + rng.normal(0, 0.03), 0.5, 1.0)),
           "seekers": int(participants * 0.6), "meetings_per_unit_month": rhythm,
           "first_choice_share": None, "ranked": None, "fit_flag_share": None, "fit_checked": None,
           "completion_rate": completed / units, "completion_low": low, "completion_high": high, "stopped": units,
           "roi_low": None, "roi_central": None, "roi_high": None}
    if design.shape == "one_to_one" and rng.random() < 0.4:
        row["ranked"] = int(units * 0.8)
        row["first_choice_share"] = float(np.clip(0.55 + 0.08 * quality + rng.normal(0, 0.05), 0.1, 0.95))
    if fit_checked and units * per_unit * min(flag_share, 1 - flag_share) >= _MIN_GROUP:
        row["fit_checked"], row["fit_flag_share"] = units, flag_share
    if rng.random() < 0.4:
        central = float(rng.normal(0.5 + 0.3 * quality, 0.4))
        spread = float(rng.uniform(0.6, 1.6))
        row["roi_low"], row["roi_central"], row["roi_high"] = central - spread, central, central + spread
    return {"generated_id": f"G{number:02d}", "programmes": [row],
            "closure_reasons": _closures(units, completed, per_unit, rng), "effects": _effects(rng, quality, units),
            "learning": _learning(design, units, chance, rng)}


def _closures(units: int, completed: int, per_unit: int, rng: np.random.Generator) -> list[dict]:
    goals_met = int(rng.binomial(completed, 0.15))
    ended = units - completed
    no_fault = int(rng.binomial(ended, 0.5))
    left = int(rng.binomial(ended - no_fault, 0.8))
    counts = {"no_fault": no_fault, "left": left, "goals_met": goals_met, "completed": completed - goals_met,
              "replaced": ended - no_fault - left}
    reasons = [reason for reason, count in counts.items() if count]
    people = [counts[reason] * per_unit for reason in reasons]
    linked = [count if reason in ("completed", "goals_met") else 0 for reason, count in zip(reasons, people)]
    hidden = hidden_rows(people, _MIN_GROUP, complementary=True, linked=[linked])
    return [{"reason": reason, "units": None if hide else counts[reason],
             "share": None if hide else counts[reason] / units} for reason, hide in zip(reasons, hidden)]


def _effects(rng: np.random.Generator, quality: float, units: int) -> list[dict]:
    rows = []
    for measure, mean in (("self_efficacy", 0.2), ("career_clarity", 0.25)):
        people = int(units * rng.uniform(0.4, 0.9))
        if people < _MIN_GROUP:
            continue
        change = float(rng.normal(mean + 0.05 * quality, 0.06))
        error = 0.55 / math.sqrt(people)
        rows.append({"measure": measure, "people": people, "change": change, "ci_low": change - 1.96 * error,
                     "ci_high": change + 1.96 * error, "standardised": change / 0.55})
    return rows


def _learning(design, units: int, chance: float, rng: np.random.Generator) -> list[dict]:
    """Invent each pair's parts and outcome with :data:`PLANTED`, then fit the toolkit's own model to them."""
    if design.shape == "circles" or units < 40:
        return []
    criteria = [name for name in PLANTED if design.criteria[name] > 0]
    parts = pd.DataFrame({name: rng.beta(2, 2, units) for name in criteria})
    standard = (parts - parts.mean()) / parts.std(ddof=0)
    logit = math.log(chance / (1 - chance)) + sum(PLANTED[name] * standard[name] for name in criteria)
    worked = (rng.random(units) < 1 / (1 + np.exp(-logit))).astype(int)
    found = fit_coefficients(parts, worked, weights={name: design.criteria[name] for name in criteria},
                             resamples=100, seed=units)
    return found.to_dict("records")


def generate() -> dict:
    """The generated programmes, as the JSON document the demo reads."""
    rng = np.random.default_rng(20261206)
    programmes = [_programme(number, rng) for number in range(1, PROGRAMMES + 1)]
    cleaned = [{key: ([{name: _round(value) for name, value in row.items()} for row in rows]
                      if isinstance(rows, list) else rows) for key, rows in programme.items()}
               for programme in programmes]
    return {"note": NOTE, "programmes": cleaned}


def main(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(generate(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main())
