"""Open comments: theme counts from a transparent keyword codebook, names and emails scrubbed.

The codebook (``templates/comments/codebook.yaml``) lists keywords per theme; a comment
counts towards every theme whose keywords it contains. Nothing is shown unless at least
``min_comments`` people commented (the client's ``privacy.min_comments``; people, not comments:
five people each filling two comment boxes are five), and any quoted
comment has email addresses and the names of people in the roster replaced first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..privacy import people
from ..resources import templates_dir
from ..safe_yaml import parse_yaml

if TYPE_CHECKING:
    from .survey import Survey

__all__ = ["load_codebook", "commenters", "comment_texts", "comment_units", "theme_units", "tone_units",
           "comment_themes", "comment_sentiment", "scrub"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def load_codebook(path: str | Path | None = None) -> dict[str, dict]:
    """Theme id -> {label, keywords, pattern}; by default the toolkit's ``comments/codebook.yaml``."""
    path = path if path is not None else templates_dir() / "comments" / "codebook.yaml"
    themes = parse_yaml(path, what="comment themes file")["themes"]
    for spec in themes.values():
        spec["pattern"] = re.compile(r"\b(" + "|".join(re.escape(word) for word in spec["keywords"]) + ")",
                                     re.IGNORECASE)
    return themes


def commenters(survey: Survey) -> int:
    """How many people left at least one open comment (a person with two comment boxes counts once)."""
    items = survey.instrument.items
    comment_items = [item for item in items.loc[items["type"] == "text", "id"] if item in survey.responses]
    if not comment_items:
        return 0
    answered = survey.responses[comment_items].apply(
        lambda column: column.map(lambda text: text is not None and text == text and bool(str(text).strip())))
    return people(survey.responses.loc[answered.any(axis=1), "respondent"])


def comment_units(survey: Survey) -> pd.DataFrame:
    """Every non-empty open answer of a survey (all comment items), one row per answer: ``unit`` (who and
    which box: one comment), ``respondent`` and ``comment``."""
    items = survey.instrument.items
    comment_items = [item for item in items.loc[items["type"] == "text", "id"] if item in survey.responses]
    rows = [(f"{person}|{item}", person, text) for item in comment_items
            for person, text in zip(survey.responses["respondent"], survey.responses[item])
            if text is not None and text == text and str(text).strip()]
    return pd.DataFrame(rows, columns=["unit", "respondent", "comment"])


def comment_texts(survey: Survey) -> pd.Series:
    """Every non-empty open answer of a survey (all comment items), one entry per answer."""
    return pd.Series(list(comment_units(survey)["comment"]), dtype=object, name="comment")


def theme_units(units: pd.DataFrame, codebook: dict | None = None) -> dict[str, list[str]]:
    """Theme label -> the comments (``unit``) that touch it (a comment can touch several themes)."""
    codebook = codebook or load_codebook()
    return {spec["label"]: [unit for unit, text in zip(units["unit"], units["comment"])
                            if spec["pattern"].search(str(text))] for spec in codebook.values()}


def tone_units(units: pd.DataFrame) -> dict[str, list[str]]:
    """positive, neutral, negative -> the comments (``unit``) that read so (VADER's compound score at least
    0.05 is positive, at most -0.05 negative, otherwise neutral: the thresholds its authors recommend)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    compound = [analyser.polarity_scores(str(text))["compound"] for text in units["comment"]]
    tone = ["positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral" for score in compound]
    return {name: [unit for unit, mine in zip(units["unit"], tone) if mine == name]
            for name in ("positive", "neutral", "negative")}


def scrub(text: str, names=()) -> str:
    """Replace email addresses and the given names (first or full) with placeholders."""
    text = _EMAIL.sub("[email]", str(text))
    for name in sorted({part for full in names for part in [str(full)] + str(full).split()[:1] if len(part) > 2},
                       key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text)
    return text


def _hidden(columns: list[str], total: int) -> pd.DataFrame:
    """An empty table marking that too few people commented for anything to be shown."""
    frame = pd.DataFrame(columns=columns)
    frame.attrs.update(suppressed=True, total=total)
    return frame


def comment_themes(survey: Survey, *, min_comments: int = 10, codebook: dict | None = None) -> pd.DataFrame:
    """Comments per theme and their share; empty (with ``attrs['suppressed']``) when fewer than
    ``min_comments`` people commented."""
    units = comment_units(survey)
    columns = ["theme", "comments", "share"]
    if commenters(survey) < min_comments:
        return _hidden(columns, len(units))
    rows = [{"theme": theme, "comments": len(found), "share": len(found) / len(units)}
            for theme, found in theme_units(units, codebook).items()]
    frame = pd.DataFrame(rows, columns=columns).sort_values(["comments", "theme"], ascending=[False, True],
                                                            ignore_index=True)
    frame.attrs.update(suppressed=False, total=len(units))
    return frame


def comment_sentiment(survey: Survey, *, min_comments: int = 10) -> pd.DataFrame:
    """Share of comments that read positive, neutral or negative (VADER lexicon, shipped with the package).

    A comment is positive when VADER's compound score is at least 0.05, negative at or below
    -0.05, otherwise neutral (the thresholds VADER's authors recommend). Empty when fewer than
    ``min_comments`` people commented.
    """
    units = comment_units(survey)
    columns = ["tone", "comments", "share"]
    if commenters(survey) < min_comments:
        return _hidden(columns, len(units))
    tones = tone_units(units)
    frame = pd.DataFrame({"tone": list(tones), "comments": [len(found) for found in tones.values()],
                          "share": [len(found) / len(units) for found in tones.values()]})
    frame.attrs.update(suppressed=False, total=len(units))
    return frame
