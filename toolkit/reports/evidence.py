"""How this compares: the client's effects beside published figures, and only figures that were read.

:data:`PUBLISHED` holds every figure a report may quote as a benchmark: the rows of the project's
evidence file (``EVIDENCE.md``), each with its source, the population, what it measured and how much
of the source was read. A figure is shown only beside a client measure of the same thing
(:func:`comparable`); when the client measures nothing comparable, the panel says so and shows no
figure. Reviews read only at abstract level are cited in words, never with numbers
(:data:`BENCHMARK_SENTENCE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..measure.engagement import activity
from ..measure.survey import load_survey, pseudonym, scale_scores
from ..privacy import enough

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..roster import Roster

__all__ = ["Published", "PUBLISHED", "comparable", "effect_size_words", "BENCHMARK_SENTENCE", "BENCHMARK_REFERENCES"]


@dataclass(frozen=True)
class Published:
    """One published figure, as read in its source."""

    key: str  # what the client side must measure to be compared (see comparable())
    measured: str
    statistic: str
    population: str
    source: str
    read: str


_EBY_2013 = ("Eby, Allen, Hoffman et al. (2013), Psychological Bulletin 139(2), 441-476: a meta-analysis of "
             "protégé perceptions of mentoring")
_EBY_2013_BASE = ("protégés in 173 samples (N = 40,737 in the whole meta-analysis), academic and workplace "
                  "mentoring among them")
PUBLISHED: tuple[Published, ...] = (
    Published("support_frequency", "psychosocial support with interaction frequency", "ρ = .25", _EBY_2013_BASE,
              _EBY_2013, "the abstract (ERIC record EJ1006936); per-cell k not read"),
    Published("quality_satisfaction", "relationship quality with situational satisfaction", "ρ = .38",
              _EBY_2013_BASE, _EBY_2013, "the abstract; per-cell k not read"),
    Published("instrumental_satisfaction", "instrumental support with situational satisfaction", "ρ = .36",
              _EBY_2013_BASE, _EBY_2013, "the abstract; per-cell k not read"),
    Published("psychosocial_affiliation", "psychosocial support with sense of affiliation", "ρ = .41",
              _EBY_2013_BASE, _EBY_2013, "the abstract; per-cell k not read"),
    Published("quality_social_capital", "relationship quality with social capital", "ρ = .54", _EBY_2013_BASE,
              _EBY_2013, "the abstract; per-cell k not read"),
    Published("similarity_support", "perceived similarity to the mentor with protégé perceptions of support and "
              "relationship quality", "ρ = .38 to .59", _EBY_2013_BASE, _EBY_2013, "the abstract"),
)

# Reviews read at abstract level: cited in words, with no numbers.
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
    "Eby, L. T., Allen, T. D., Hoffman, B. J., Baranik, L. E., Sauer, J. B., Baldwin, S., Morrison, M. A., "
    "Kinkade, K. M., Maher, C. P., Curtis, S., & Evans, S. C. (2013). An interdisciplinary meta-analysis of the "
    "potential antecedents, correlates, and consequences of protégé perceptions of mentoring. Psychological "
    "Bulletin, 139(2), 441-476.",
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


def comparable(config: ClientConfig, roster: Roster, min_group: int) -> pd.DataFrame:
    """The client's measures that compare with a :data:`PUBLISHED` figure, one row each (maybe none).

    Today one pairing is measured by the toolkit's own instruments: mentees' psychosocial support (end
    survey) against how often their pair or circle met (the meeting log), the correlation Eby et al. (2013)
    report as ρ = .25. Relationship quality, instrumental support and similarity have published
    correlates (satisfaction, affiliation, social capital, perceived similarity) the toolkit does not
    measure, so they are not compared.

    Returns
    -------
    DataFrame
        ``key`` (of PUBLISHED), ``client`` (the statistic in words), ``people``, ``r``, ``ci_low``, ``ci_high``.
    """
    rows = []
    found = _support_and_meetings(config, roster)
    if found is not None and enough(len(found), min_group) and len(found) >= 4 and found.nunique().min() > 1:
        from scipy import stats

        result = stats.pearsonr(found["support"], found["meetings"])
        interval = result.confidence_interval(0.95)
        rows.append({"key": "support_frequency", "people": len(found), "r": float(result.statistic),
                     "ci_low": float(interval.low), "ci_high": float(interval.high),
                     "client": f"r = {result.statistic:.2f} (95% range {interval.low:.2f} to {interval.high:.2f}; "
                               f"{len(found)} people)"})
    return pd.DataFrame(rows, columns=["key", "client", "people", "r", "ci_low", "ci_high"])


def _support_and_meetings(config: ClientConfig, roster: Roster) -> pd.DataFrame | None:
    """Each mentee's psychosocial support score (end survey) and the meetings their pairs or circles held."""
    entry = config.survey("end") if config is not None else None
    if not entry or not config.get("meetings"):
        return None
    survey = load_survey(entry["path"], instrument=entry["instrument"])
    scores = scale_scores(survey)
    if "psychosocial_support" not in scores:
        return None
    scores = scores.drop_duplicates("respondent", keep="last").set_index("respondent")["psychosocial_support"]
    meetings: dict[str, int] = {}  # by participant id or email (logs name people either way), lower case
    for members, count in zip(*(activity(config)[column] for column in ("members", "meetings"))):
        for member in members:
            meetings[str(member).strip().casefold()] = meetings.get(str(member).strip().casefold(), 0) + int(count)
    held: dict[str, int] = {}  # respondent pseudonym -> meetings of their pairs or circles
    people = roster.participants
    for person, email in zip(people["participant_id"], people.get("email", pd.Series([None] * len(people)))):
        keys = [str(key).strip() for key in (person, email) if isinstance(key, str) and key.strip()]
        count = next((meetings[key.casefold()] for key in keys if key.casefold() in meetings), None)
        if count is not None:
            held.update({pseudonym(key): count for key in keys})
    pairs = [(float(score), held[respondent]) for respondent, score in scores.dropna().items() if respondent in held]
    if not pairs:
        return None
    return pd.DataFrame(np.array(pairs, dtype=float), columns=["support", "meetings"])
