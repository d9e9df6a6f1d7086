"""Surveys: instruments, loading exports, scoring, reliability, NPS and pre/post change.

Instruments live in ``templates/surveys/*.yaml`` (items with stable ids, constructs,
scales, reverse-coded flags). :func:`load_survey` reads the export a survey tool gives —
Qualtrics CSV (with its three header rows), Microsoft Forms Excel, Google Forms CSV —
maps its columns to items by item id or by exact wording, converts label answers to
numbers, checks every answer against its scale (one error listing every bad cell, with
the spreadsheet row and column), and replaces who answered by a stable pseudonym::

    baseline = tk.load_survey("sample_data/northwind/survey_baseline.csv", instrument="baseline")
    end = tk.load_survey("sample_data/northwind/survey_end.csv", instrument="end_of_programme")
    tk.survey.scale_scores(end)          # one row per respondent, one column per construct
    tk.survey.pre_post(baseline, end)    # per construct: n, change with CI, d_z, Wilcoxon, r, Holm

People are counted, not answers: a respondent who answered twice is found by their key (employee
id or email, case and spaces ignored); only their last response is kept and the earlier rows are
named in ``survey.warnings`` and ``survey.duplicates``.

Statistics follow common practice for small programme evaluations and say what they do:
construct scores are the mean of answered items when at least 75% are answered (the
instrument's ``min_answered_share``); Cronbach's alpha has a Feldt confidence interval;
NPS has a normal-approximation interval on the promoter-minus-detractor difference;
paired change uses complete pairs only, a 95% interval for the mean change (a t-interval
under :data:`SMALL_SAMPLE` people, a fixed-seed BCa bootstrap of 10,000 resamples from there on; see
:func:`mean_change_interval`), d_z with Hedges' small-sample correction, the Wilcoxon signed-rank test with
zero differences dropped (Wilcoxon's method; stated in the output), the matched-pairs
rank-biserial correlation, and Holm's correction across constructs.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, SurveyError, check_option
from ..intake.tables import column_letter, read_table
from ..privacy import duplicates
from ..resources import templates_dir
from ..roster import Roster, roster_id_aliases
from ..safe_yaml import parse_yaml
from ..text import plural

__all__ = ["Instrument", "Survey", "load_instrument", "instruments", "load_survey", "scale_scores", "reliability",
           "cronbach_alpha", "nps", "paired_change", "mean_change_interval", "pre_post", "response_rates",
           "ZERO_METHOD", "SMALL_SAMPLE", "BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED"]

ZERO_METHOD = "wilcox"  # zero differences are dropped before ranking (Wilcoxon's original method)
DEFAULT_SALT = "mentoring-toolkit"
# Below this many people a bootstrap interval is too narrow (it cannot know the tails): the t-interval is used.
SMALL_SAMPLE = 30
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 20260301

# Survey-tool columns that are not answers (kept out of the item mapping).
_SYSTEM = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)", "finished", "recordeddate",
    "responseid", "recipientlastname", "recipientfirstname", "recipientemail", "externalreference",
    "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage",
    "id", "start time", "completion time", "email", "name", "last modified time", "timestamp", "email address",
}
_RESPONDENT_KEYS = ("externalreference", "recipientemail", "email", "email address", "responseid", "id")


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


# ------------------------------------------------------------------------------------------------
# Instruments
# ------------------------------------------------------------------------------------------------
@dataclass
class Instrument:
    """A survey instrument: scales, constructs and items (see ``templates/surveys/baseline.yaml``)."""

    id: str
    title: str
    scales: dict[str, dict]
    constructs: dict[str, dict]
    items: pd.DataFrame
    min_answered_share: float = 0.75
    when: str = ""  # when to send it, in the instrument's words ("Halfway through the programme")

    def scored_constructs(self) -> list[str]:
        """Constructs averaged into scale scores (not role, NPS, comments or dates)."""
        return [name for name, spec in self.constructs.items() if spec.get("scored", True)
                and (self.items["construct"] == name).any()]

    def items_of(self, construct: str) -> list[str]:
        return list(self.items.loc[self.items["construct"] == construct, "id"])

    def label(self, construct: str) -> str:
        return self.constructs.get(construct, {}).get("label", construct)


def instruments() -> list[str]:
    """Instrument ids available in ``templates/surveys``."""
    return sorted(path.stem for path in (templates_dir() / "surveys").glob("*.yaml"))


@lru_cache(maxsize=32)
def load_instrument(name: str) -> Instrument:
    """An instrument by id (``baseline``, ``end_of_programme``, ...) or by path to a YAML file."""
    path = Path(name)
    if not path.suffix:
        check_option("instrument", name, instruments(), SurveyError)
        path = templates_dir() / "surveys" / f"{name}.yaml"
    data = parse_yaml(path, error=SurveyError, what="survey instrument")
    items = pd.DataFrame(data["items"])
    for column, default in (("reverse", False), ("scale", None), ("type", None), ("audience", "all")):
        if column not in items:
            items[column] = default
    items["reverse"] = items["reverse"].fillna(False).astype(bool)
    return Instrument(data["id"], data.get("title", data["id"]), data.get("scales", {}), data["constructs"], items,
                      float(data.get("min_answered_share", 0.75)), str(data.get("when") or ""))


# ------------------------------------------------------------------------------------------------
# Loading responses
# ------------------------------------------------------------------------------------------------
@dataclass
class Survey:
    """Responses to one instrument, pseudonymised and validated.

    Attributes
    ----------
    instrument
        The :class:`Instrument` answered.
    responses
        One row per response: ``respondent`` (stable pseudonym), ``role`` (mentor | mentee |
        None), then one column per item id: numbers for scaled items (as answered, before
        reverse coding), text for comments and dates. No names, emails or tool ids.
    source
        The file read.
    partial
        Responses the tool marked unfinished (kept: every answered item counts).
    duplicates
        Respondents who answered more than once: ``key`` (as in the file), ``answers`` and
        ``rows`` (spreadsheet rows). Only each one's last response (the file's latest) is kept,
        so every count is of people, not answers; ``warnings`` names the rows left out.
    warnings
        One :class:`~toolkit.errors.Problem` per response left out as an earlier duplicate.
    """

    instrument: Instrument
    responses: pd.DataFrame
    source: Path
    partial: int = 0
    format: str = ""
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    duplicates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["key", "answers", "rows"]))
    warnings: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.responses)

    def __repr__(self) -> str:
        twice = (f", {plural(len(self.duplicates), 'person', 'people')} answered more than once (only the last "
                 "answer counts; see .warnings)") if len(self.duplicates) else ""
        return (f"<Survey {self.instrument.id} from {self.source.name} ({self.format}): {len(self)} responses, "
                f"{self.partial} partial{twice}>")

    def numeric_items(self) -> list[str]:
        items = self.instrument.items
        scaled = items[items["scale"].notna()]
        numeric = [row.id for row in scaled.itertuples() if self.instrument.scales[row.scale].get("min") is not None]
        return [item for item in numeric if item in self.responses.columns]

    def scored(self) -> pd.DataFrame:
        """Numeric answers with reverse-coded items turned round (min + max - answer)."""
        frame = self.responses[["respondent", "role"] + self.numeric_items()].copy()
        items = self.instrument.items.set_index("id")
        for item in self.numeric_items():
            if items.at[item, "reverse"]:
                scale = self.instrument.scales[items.at[item, "scale"]]
                frame[item] = scale["min"] + scale["max"] - frame[item]
        return frame


def pseudonym(key: str, salt: str = DEFAULT_SALT) -> str:
    """A stable pseudonym for a respondent key (employee id or email): the same person, the same id."""
    return "R" + hashlib.sha256(f"{salt}|{str(key).strip().casefold()}".encode()).hexdigest()[:12]


def _read(path: Path) -> tuple[pd.DataFrame, int, str]:
    """The raw answers table, the spreadsheet row of its first data row, and the export format."""
    if not path.exists():
        raise SurveyError(f"There is no survey file at {path}.", fix="check the path in client.yaml", path=path)
    table = read_table(path)  # the toolkit's one reader: any encoding and delimiter, Excel, Qualtrics
    frame = pd.DataFrame(table.rows, columns=table.header_ids, dtype=object)
    first_row = table.row_numbers[0] if table.row_numbers else 2
    excel = table.delimiter is None
    export = {"qualtrics": "Qualtrics", "microsoft_forms": "Microsoft Forms",
              "google_forms": "Google Forms"}.get(table.shape, "Excel" if excel else "CSV")
    return frame, first_row, export


def load_survey(path: str | Path, instrument: str | Instrument, *, salt: str = DEFAULT_SALT,
                roster: Roster | None = None) -> Survey:
    """Read a survey export and map it to an instrument's items.

    Parameters
    ----------
    path
        The export: Qualtrics CSV, Microsoft Forms Excel or Google Forms CSV (or any CSV/Excel
        whose headers are item ids or the items' exact wording).
    instrument
        The instrument id (``baseline``, ``pulse_30day``, ``midpoint``, ``end_of_programme``,
        ``session_feedback``) or an :class:`Instrument`.
    salt
        Salt for the respondent pseudonyms (the same salt pairs people across waves).
    roster
        Optional roster: adds each respondent's department and site (for grouping, never shown
        for groups below the anonymity threshold) before the ids are replaced.

    Raises
    ------
    SurveyError
        Listing every unknown column and every answer outside its scale, with row and column.
    """
    path = Path(path)
    instrument = instrument if isinstance(instrument, Instrument) else load_instrument(str(instrument))
    frame, first_row, export = _read(path)
    mapping, key_column = _item_columns(frame, instrument, path)
    responses = _answers(frame, mapping, instrument, path, first_row)
    keys = frame[key_column].astype(str).str.strip()
    groups = _roster_groups(keys, roster) if roster is not None else pd.DataFrame(index=frame.index)
    responses.insert(0, "respondent", keys.map(lambda key: pseudonym(key, salt)))
    role = responses.pop("ROLE") if "ROLE" in responses else pd.Series([None] * len(responses), index=frame.index)
    responses.insert(1, "role", role.map(lambda value: str(value).lower() if isinstance(value, str) else None))
    for column in groups.columns:
        responses[column] = groups[column]
    # Count people, not answers: a respondent who answered twice keeps only the last answer, named in warnings.
    repeated = duplicates(keys.tolist(), rows=[row + first_row for row in frame.index])
    dropped, warnings = _earlier_answers(repeated, first_row, path, key_column,
                                         column_letter(list(frame.columns).index(key_column)))
    partial = 0
    if "Finished" in frame.columns:
        unfinished = frame["Finished"].astype(str).str.strip().str.lower().isin(["false", "0"])
        partial = int(unfinished.sum()) - int(unfinished.loc[dropped].sum())
    responses = responses.drop(index=dropped)
    return Survey(instrument, responses.reset_index(drop=True), path, partial, export, duplicates=repeated,
                  warnings=warnings)


def _item_columns(frame: pd.DataFrame, instrument: Instrument, path: Path) -> tuple[dict[str, str], str]:
    """Export column -> item (by item id or exact wording), and the column naming the respondent.

    Raises
    ------
    SurveyError
        Every column that is not an item (nor a survey tool's own), and a missing respondent column.
    """
    items = instrument.items
    by_id = {_norm(item): item for item in items["id"]}
    by_text = {_norm(text): item for item, text in zip(items["id"], items["text"])}
    mapping, problems = {}, []
    for position, header in enumerate(frame.columns):
        key = _norm(header)
        if key in by_id or key in by_text:
            mapping[header] = by_id[key] if key in by_id else by_text[key]
        elif key not in _SYSTEM and not key.startswith("unnamed"):
            problems.append(Problem(f"this column is not an item of the {instrument.id} instrument",
                                    "check the export is for this survey, or add the question to the instrument",
                                    str(path), 1, str(header), None, column_letter(position)))
    by_name = {_norm(column): column for column in frame.columns}
    key_column = next((by_name[key] for key in _RESPONDENT_KEYS if key in by_name
                       and frame[by_name[key]].astype(str).str.strip().ne("").any()), None)
    if key_column is None:
        problems.append(Problem("no column identifies the respondent (employee id, email or response id)",
                                "export the survey with the respondent's email or an external reference", str(path)))
    if problems or key_column is None:
        raise SurveyError(f"{path.name} does not match the {instrument.id} instrument:", problems=problems)
    return mapping, key_column


def _answers(frame: pd.DataFrame, mapping: dict[str, str], instrument: Instrument, path: Path,
             first_row: int) -> pd.DataFrame:
    """One column per item: scale answers as numbers (labels as their number) or labels, free text as text.

    Raises
    ------
    SurveyError
        Every answer outside its scale, with its row and column; nothing is loaded.
    """
    item_rows = instrument.items.set_index("id")
    responses = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []
    for header, item in mapping.items():
        spec = item_rows.loc[item]
        if isinstance(spec["scale"], str):
            where = _Column(str(path), str(header), column_letter(list(frame.columns).index(header)), first_row)
            responses[item] = _scale_answers(frame[header], instrument.scales[spec["scale"]], spec["scale"], where,
                                             problems)
        else:
            responses[item] = frame[header].map(lambda value: None if value is None or str(value).strip() in ("", "nan")
                                                else str(value).strip())
    if problems:
        raise SurveyError(f"{path.name}: {len(problems)} answers are not valid; nothing was loaded.",
                          problems=problems)
    return responses


@dataclass(frozen=True)
class _Column:
    """Where an export column is, for the problems found in it."""

    path: str
    header: str
    letter: str
    first_row: int  # the spreadsheet row of the first data row


def _scale_answers(values: pd.Series, scale: Mapping, name: str, where: _Column, problems: list[Problem]) -> pd.Series:
    """One column's answers on its scale; each answer outside it is added to ``problems`` (and read as empty)."""
    numeric = scale.get("min") is not None
    labels = [str(label) for label in (scale.get("labels") or [])]
    converted: list[float | str | None] = []
    for row, value in values.items():
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()
        number = _answer(text, scale, labels) if text else None
        if text and number is None:
            allowed = f"a number from {scale['min']} to {scale['max']}" if numeric else "one of " + ", ".join(labels)
            if numeric and labels:
                allowed += " or one of the labels (" + ", ".join(labels) + ")"
            problems.append(Problem(f"the answer is outside the {name} scale", f"use {allowed}", where.path,
                                    int(row) + where.first_row, where.header, text, where.letter))
            converted.append(np.nan)
        else:
            converted.append(np.nan if number is None and numeric else number)
    return pd.Series(converted, index=values.index, dtype=float if numeric else object)


def _roster_groups(keys: pd.Series, roster: Roster) -> pd.DataFrame:
    """Each respondent's department and site from the roster (by participant id, email or another alias)."""
    aliases = roster_id_aliases(roster)
    people = roster.participants.set_index("participant_id")
    ids = keys.map(lambda key: key if key in people.index else aliases.get(key.lower()))
    groups = pd.DataFrame(index=keys.index)
    for column in ("department", "site"):
        groups[column] = [people.at[person, column] if person in people.index else None for person in ids]
    return groups


def _earlier_answers(repeated: pd.DataFrame, first_row: int, path: Path, key_column: str,
                     letter: str) -> tuple[list[int], list[Problem]]:
    """The frame rows of every answer but a respondent's last, and one warning naming each."""
    dropped, warnings = [], []
    for entry in repeated.itertuples():
        for row in entry.rows[:-1]:
            dropped.append(row - first_row)
            warnings.append(Problem(f"this respondent answered {entry.answers} times; only their last answer "
                                    f"(row {entry.rows[-1]}) is counted", "remove the answers that should not "
                                    "count from the export if the last one is not the right one", str(path), row,
                                    str(key_column), None, letter))
    return dropped, warnings


def _answer(text: str, scale: Mapping, labels: list[str]) -> float | str | None:
    """A cell as the scale's number (numeric scales) or its label (categorical); None when invalid."""
    lowered = text.casefold()
    if scale.get("min") is None:
        for label in labels:
            if label.casefold() == lowered:
                return label
        return None
    for position, label in enumerate(labels):
        if label.casefold() == lowered:
            return float(scale["min"] + position)
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number) or not scale["min"] <= number <= scale["max"]:
        return None
    return number


# ------------------------------------------------------------------------------------------------
# Scores and reliability
# ------------------------------------------------------------------------------------------------
def scale_scores(survey: Survey, *, min_share: float | None = None) -> pd.DataFrame:
    """One row per response: respondent, role (and groups), then one score per scored construct.

    A construct's score is the mean of its answered items (reverse-coded items turned round)
    when at least ``min_share`` of them are answered (default: the instrument's 75%), else NaN.
    """
    share = survey.instrument.min_answered_share if min_share is None else min_share
    scored = survey.scored()
    result = survey.responses[[column for column in survey.responses.columns
                               if column in ("respondent", "role", "department", "site")]].copy()
    for construct in survey.instrument.scored_constructs():
        items = [item for item in survey.instrument.items_of(construct) if item in scored.columns]
        if not items:
            continue
        answered = scored[items].notna().sum(axis=1)
        score = scored[items].mean(axis=1)
        needed = math.ceil(share * len(items) - 1e-9)
        result[construct] = score.where(answered >= max(1, needed))
    return result


@dataclass
class Alpha:
    """Cronbach's alpha with its Feldt confidence interval and the mean inter-item correlation."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    items: int
    mean_inter_item_r: float


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha over complete rows of ``items`` (one column per item), with a Feldt interval."""
    from scipy import stats

    complete = items.dropna().astype(float)
    n, k = complete.shape
    if k < 2 or n < 3:
        return Alpha(float("nan"), float("nan"), float("nan"), n, k, float("nan"))
    variances = complete.var(axis=0, ddof=1)
    total = complete.sum(axis=1).var(ddof=1)
    alpha = float(k / (k - 1) * (1 - variances.sum() / total)) if total > 0 else float("nan")
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - alpha) * stats.f.ppf(tail, n - 1, (n - 1) * (k - 1))
    correlations = complete.corr().to_numpy()
    mean_r = float(correlations[np.triu_indices(k, 1)].mean())
    return Alpha(alpha, float(low), float(high), n, k, mean_r)


def reliability(survey: Survey) -> pd.DataFrame:
    """Per scored construct: items, complete responses, alpha with CI, mean inter-item correlation."""
    scored = survey.scored()
    rows = []
    for construct in survey.instrument.scored_constructs():
        items = [item for item in survey.instrument.items_of(construct) if item in scored.columns]
        result = cronbach_alpha(scored[items])
        rows.append({"construct": construct, "label": survey.instrument.label(construct), "items": result.items,
                     "n": result.n, "alpha": result.alpha, "ci_low": result.ci_low, "ci_high": result.ci_high,
                     "mean_inter_item_r": result.mean_inter_item_r})
    return pd.DataFrame(rows)


@dataclass
class NPS:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), with a 95% interval."""

    score: float
    promoters: float
    passives: float
    detractors: float
    n: int
    ci_low: float
    ci_high: float


def nps(answers: pd.Series, *, confidence: float = 0.95) -> NPS:
    """NPS of 0-10 answers (missing ignored); the interval is the normal approximation on the difference."""
    from scipy import stats

    values = pd.to_numeric(pd.Series(answers), errors="coerce").dropna()
    if ((values < 0) | (values > 10)).any():
        raise SurveyError("NPS answers must be between 0 and 10.", fix="check the NPS column of the export")
    n = len(values)
    if n == 0:
        return NPS(float("nan"), float("nan"), float("nan"), float("nan"), 0, float("nan"), float("nan"))
    promoters = float((values >= 9).mean())
    detractors = float((values <= 6).mean())
    score = promoters - detractors
    variance = (promoters + detractors - score ** 2) / n
    half = float(stats.norm.ppf(0.5 + confidence / 2) * math.sqrt(max(variance, 0.0)))
    return NPS(100 * score, 100 * promoters, 100 * (1 - promoters - detractors), 100 * detractors, n,
               100 * max(-1.0, score - half), 100 * min(1.0, score + half))


# ------------------------------------------------------------------------------------------------
# Change
# ------------------------------------------------------------------------------------------------
def mean_change_interval(difference: np.ndarray, *, confidence: float = 0.95,
                         resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> dict:
    """The interval printed for a mean change, and the deterministic t-interval beside it.

    Under :data:`SMALL_SAMPLE` people the printed interval is the t-interval (a percentile bootstrap on
    11 people is up to 0.1 points too narrow and moves with its seed). From :data:`SMALL_SAMPLE` on it
    is a BCa bootstrap (``resamples`` resamples, fixed ``seed``), robust to skewed changes; when the
    bootstrap and the t-interval disagree on whether zero is inside, the t-interval is printed, so the
    verdict never depends on a random seed.

    Returns
    -------
    dict
        ``ci_low``, ``ci_high``, ``ci_method`` ("t" or "BCa bootstrap"), ``t_low``, ``t_high``.
    """
    from scipy import stats

    difference = np.asarray(difference, dtype=float)
    n, mean = len(difference), float(difference.mean())
    sd = float(difference.std(ddof=1))
    if sd == 0:  # everyone changed by the same amount: no spread, no width
        return {"ci_low": mean, "ci_high": mean, "ci_method": "t", "t_low": mean, "t_high": mean}
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    t_low, t_high = mean - half, mean + half
    chosen = {"ci_low": t_low, "ci_high": t_high, "ci_method": "t", "t_low": t_low, "t_high": t_high}
    if n < SMALL_SAMPLE:
        return chosen
    interval = stats.bootstrap((difference,), np.mean, confidence_level=confidence, n_resamples=resamples,
                               method="BCa", rng=np.random.default_rng(seed)).confidence_interval
    low, high = float(interval.low), float(interval.high)
    if not (low == low and high == high) or (low <= 0 <= high) != (t_low <= 0 <= t_high):
        return chosen
    return {**chosen, "ci_low": low, "ci_high": high, "ci_method": "BCa bootstrap"}


def paired_change(pre: pd.Series, post: pd.Series, *, confidence: float = 0.95,
                  resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> dict:
    """Change from ``pre`` to ``post`` on complete pairs (the two Series aligned by index).

    Returns
    -------
    dict
        n, mean_pre, mean_post, mean_change, ci_low, ci_high, ci_method, t_low, t_high (see
        :func:`mean_change_interval`), d_z and d_z_corrected (Hedges' small-sample factor),
        wilcoxon_statistic, p_value, zero_method, rank_biserial (matched pairs), improved, same,
        declined (shares).
    """
    from scipy import stats

    both = pd.concat([pd.Series(pre, name="pre"), pd.Series(post, name="post")], axis=1).dropna()
    difference = (both["post"] - both["pre"]).to_numpy(dtype=float)
    n = len(difference)
    result = {"n": n, "mean_pre": float(both["pre"].mean()) if n else float("nan"),
              "mean_post": float(both["post"].mean()) if n else float("nan"),
              "mean_change": float(difference.mean()) if n else float("nan"), "zero_method": ZERO_METHOD}
    if n < 2:
        result.update(ci_low=float("nan"), ci_high=float("nan"), ci_method="", t_low=float("nan"),
                      t_high=float("nan"), d_z=float("nan"), d_z_corrected=float("nan"),
                      wilcoxon_statistic=float("nan"), p_value=float("nan"), rank_biserial=float("nan"),
                      improved=float("nan"), same=float("nan"), declined=float("nan"))
        return result
    interval = mean_change_interval(difference, confidence=confidence, resamples=resamples, seed=seed)
    sd = difference.std(ddof=1)
    d_z = float(difference.mean() / sd) if sd > 0 else float("nan")
    correction = 1 - 3 / (4 * (n - 1) - 1)
    nonzero = difference[difference != 0]
    if len(nonzero):
        test = stats.wilcoxon(difference, zero_method=ZERO_METHOD)
        ranks = stats.rankdata(np.abs(nonzero))
        positive, negative = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
        rank_biserial = float((positive - negative) / ranks.sum())
        statistic, p_value = float(test.statistic), float(test.pvalue)
    else:
        statistic, p_value, rank_biserial = float("nan"), 1.0, 0.0
    result.update(**interval, d_z=d_z,
                  d_z_corrected=d_z * correction if d_z == d_z else d_z, wilcoxon_statistic=statistic,
                  p_value=p_value, rank_biserial=rank_biserial, improved=float((difference > 0).mean()),
                  same=float((difference == 0).mean()), declined=float((difference < 0).mean()))
    return result


def pre_post(baseline: Survey, end: Survey, *, min_share: float | None = None) -> pd.DataFrame:
    """Per construct both waves measure: paired change on people who answered both (Holm-corrected p).

    ``clear`` is the verdict: Holm's adjusted p below 0.05 and a t-interval clear of zero (the same for
    every bootstrap seed); whether the change is in the good direction is ``higher_is_better``'s call.
    """
    pre = scale_scores(baseline, min_share=min_share).drop_duplicates("respondent", keep="last").set_index("respondent")
    post = scale_scores(end, min_share=min_share).drop_duplicates("respondent", keep="last").set_index("respondent")
    rows = []
    for construct in end.instrument.scored_constructs():
        if construct not in pre.columns or construct not in post.columns:
            continue
        change = paired_change(pre[construct], post[construct])
        higher = end.instrument.constructs[construct].get("higher_is_better", True)
        rows.append({"construct": construct, "label": end.instrument.label(construct),
                     "higher_is_better": higher, **change})
    table = pd.DataFrame(rows)
    if len(table):
        table["p_holm"] = _holm(table["p_value"].to_numpy(dtype=float))
        # The verdict uses only deterministic statistics (Holm's p and the t-interval), never a seed.
        table["clear"] = (table["p_holm"] < 0.05) & ((table["t_low"] > 0) | (table["t_high"] < 0))
    return table


def _holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN kept as NaN)."""
    adjusted = np.full(len(p_values), np.nan)
    valid = np.flatnonzero(~np.isnan(p_values))
    order = valid[np.argsort(p_values[valid], kind="stable")]
    running, m = 0.0, len(order)
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def response_rates(survey: Survey, roster: Roster) -> pd.DataFrame:
    """Responses and invited people per role (invited = the roster's people in that role)."""
    invited = roster.participants["role"].replace({"both": "mentee"}).value_counts()
    answered = survey.responses["role"].value_counts()
    rows = []
    for role in ("mentor", "mentee"):
        count, total = int(answered.get(role, 0)), int(invited.get(role, 0))
        rows.append({"role": role, "responses": count, "invited": total,
                     "response_rate": count / total if total else float("nan")})
    return pd.DataFrame(rows)


def likert_shares(survey: Survey, construct: str, *, min_group: int = 5) -> pd.DataFrame:
    """Share of each answer per item of a construct (as answered, before reverse coding).

    Items answered by fewer than ``min_group`` people (each respondent once) are left out. Columns: item, wording,
    answer, position (1..k), share, n.
    """
    instrument = survey.instrument
    rows = []
    items = instrument.items.set_index("id")
    for item in instrument.items_of(construct):
        if item not in survey.responses:
            continue
        scale = instrument.scales[items.at[item, "scale"]]
        labels = scale.get("labels") or [str(value) for value in range(scale["min"], scale["max"] + 1)]
        answered = survey.responses[["respondent", item]].dropna(subset=[item])
        answers = answered.drop_duplicates("respondent", keep="last")[item]  # people, not answers
        if len(answers) < min_group:
            continue
        for position, label in enumerate(labels, start=1):
            rows.append({"item": item, "wording": items.at[item, "text"], "answer": label, "position": position,
                         "share": float((answers == scale["min"] + position - 1).mean()), "n": len(answers)})
    return pd.DataFrame(rows, columns=["item", "wording", "answer", "position", "share", "n"])
