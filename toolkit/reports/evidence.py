"""How sure the impact report can be: ROI as a range, and the client's effects beside published benchmarks.

ROI is built on the retention difference, which has an interval; :func:`roi_scenarios` carries
that interval through the same calculation (low, central, high), finds the break-even
difference, and says whether the range is clear of zero. A report makes ROI a headline only
when it is (:attr:`RoiScenarios.decided`); otherwise it says it cannot yet tell, and what
would settle it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..measure import impact

__all__ = ["RoiScenarios", "roi_scenarios", "effect_size_words", "BENCHMARK_SENTENCE", "BENCHMARK_REFERENCES"]

# Published benchmarks for workplace mentoring, stated at the strength of the sources' own summaries.
BENCHMARK_SENTENCE = (
    "Large reviews of mentoring research find that its benefits are real but generally small in size: "
    "Eby et al. (2008), pooling studies that compared mentored with non-mentored people, found favourable "
    "differences in attitudes, behaviour and careers, generally small and larger for workplace than for youth "
    "mentoring; Allen et al. (2004) found the same for protégés' careers, with small effects on objective "
    "outcomes such as pay and promotion."
)
BENCHMARK_REFERENCES = (
    "Eby, L. T., Allen, T. D., Evans, S. C., Ng, T., & DuBois, D. L. (2008). Does mentoring matter? A "
    "multidisciplinary meta-analysis comparing mentored and non-mentored individuals. Journal of Vocational "
    "Behavior, 72(2), 254-267.",
    "Allen, T. D., Eby, L. T., Poteet, M. L., Lentz, E., & Lima, L. (2004). Career benefits associated with "
    "mentoring for protégés: A meta-analysis. Journal of Applied Psychology, 89(1), 127-136.",
    "Cohen, J. (1988). Statistical power analysis for the behavioral sciences (2nd ed.). Erlbaum.",
)


def effect_size_words(standardised: float) -> str:
    """Cohen's (1988) yardstick in words: 0.2 small, 0.5 moderate, 0.8 large."""
    size = abs(standardised)
    if size != size:
        return "not measurable"
    if size < 0.2:
        return "very small"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "moderate"
    return "large"


@dataclass(frozen=True)
class RoiScenarios:
    """ROI at the low, central and high ends of the retention difference's 95% interval."""

    currency: str
    participants: int
    difference: tuple[float, float, float]  # low, central, high (share points, e.g. 0.064)
    benefit: tuple[float, float, float]
    cost: float
    roi: tuple[float, float, float]  # ROI as a share (1.14 = 114%)
    break_even_difference: float  # the retention difference at which benefit equals cost
    table: pd.DataFrame  # the central calculation, every assumption and step

    @property
    def decided(self) -> bool:
        """True when the whole range lies on one side of zero (a headline is then honest)."""
        low, _, high = self.roi
        return (low > 0 and high > 0) or (low < 0 and high < 0)

    def people_needed_factor(self) -> float | None:
        """How many times as many people per group would put the low end above break-even,
        if the difference stays at its central value (the interval narrows with the square root of n).
        None when the central difference is itself below break-even."""
        low, central, _ = self.difference
        margin = central - self.break_even_difference
        if margin <= 0 or central - low <= 0:
            return None
        return max(1.0, ((central - low) / margin) ** 2)


def roi_scenarios(config, outcomes_table: pd.DataFrame | None = None) -> RoiScenarios:
    """ROI for the low, central and high retention difference, with the same named assumptions.

    Uses :func:`toolkit.measure.impact.roi` three times, each on the outcomes table with the
    participants' difference set to one end of its interval, so every step stays the one the
    appendix table shows.
    """
    table = outcomes_table if outcomes_table is not None else impact.outcomes(config)
    retained = (table["outcome"] == "retained") & (table["group"] == "participant")
    row = table[retained].iloc[0]
    ends = (float(row["difference_low"]), float(row["difference"]), float(row["difference_high"]))
    results = []
    for value in ends:
        changed = table.copy()
        changed.loc[retained, "difference"] = value
        results.append(impact.roi(config, outcomes_table=changed).set_index("item")["value"])
    central = impact.roi(config, outcomes_table=table)
    benefit = tuple(float(result["benefit"]) for result in results)
    cost = float(results[1]["cost"])
    participants = int(results[1]["participants"])
    per_point = benefit[1] / ends[1] if ends[1] else _benefit_per_share(results[1])
    roi = tuple((value - cost) / cost if cost else math.nan for value in benefit)
    currency = str(results[1].get("currency", "GBP"))
    return RoiScenarios(currency=currency, participants=participants, difference=ends, benefit=benefit, cost=cost,
                        roi=roi, break_even_difference=cost / per_point if per_point else math.nan, table=central)


def _benefit_per_share(result: pd.Series) -> float:
    return (float(result["participants"]) * float(result["replacement cost share of salary"])
            * float(result["average salary"]))
