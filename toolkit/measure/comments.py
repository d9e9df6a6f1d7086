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

import pandas as pd

from ..privacy import people
from ..resources import templates_dir
from ..safe_yaml import parse_yaml

__all__ = ["load_codebook", "commenters", "comment_texts", "comment_themes", "comment_sentiment", "scrub"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def load_codebook(path: str | Path | None = None) -> dict[str, dict]:
    """Theme id -> {label, keywords, pattern}; by default the toolkit's ``comments/codebook.yaml``."""
    path = path if path is not None else templates_dir() / "comments" / "codebook.yaml"
    themes = parse_yaml(path, what="comment themes file")["themes"]
    for spec in themes.values():
        spec["pattern"] = re.compile(r"\b(" + "|".join(re.escape(word) for word in spec["keywords"]) + ")",
                                     re.IGNORECASE)
    return themes


def commenters(survey) -> int:
    """How many people left at least one open comment (a person with two comment boxes counts once)."""
    items = survey.instrument.items
    comment_items = [item for item in items.loc[items["type"] == "text", "id"] if item in survey.responses]
    if not comment_items:
        return 0
    answered = survey.responses[comment_items].apply(
        lambda column: column.map(lambda text: text is not None and text == text and bool(str(text).strip())))
    return people(survey.responses.loc[answered.any(axis=1), "respondent"])


def comment_texts(survey) -> pd.Series:
    """Every non-empty open answer of a survey (all comment items), one entry per answer."""
    items = survey.instrument.items
    comment_items = [item for item in items.loc[items["type"] == "text", "id"] if item in survey.responses]
    values = [text for item in comment_items for text in survey.responses[item].dropna() if str(text).strip()]
    return pd.Series(values, dtype=object, name="comment")


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


def comment_themes(survey, *, min_comments: int = 10, codebook: dict | None = None) -> pd.DataFrame:
    """Comments per theme and their share; empty (with ``attrs['suppressed']``) when fewer than
    ``min_comments`` people commented."""
    codebook = codebook or load_codebook()
    texts = comment_texts(survey)
    columns = ["theme", "comments", "share"]
    if commenters(survey) < min_comments:
        return _hidden(columns, len(texts))
    rows = []
    for spec in codebook.values():
        count = int(texts.map(lambda text: bool(spec["pattern"].search(str(text)))).sum())
        rows.append({"theme": spec["label"], "comments": count, "share": count / len(texts)})
    frame = pd.DataFrame(rows, columns=columns).sort_values(["comments", "theme"], ascending=[False, True],
                                                            ignore_index=True)
    frame.attrs.update(suppressed=False, total=len(texts))
    return frame


def comment_sentiment(survey, *, min_comments: int = 10) -> pd.DataFrame:
    """Share of comments that read positive, neutral or negative (VADER lexicon, shipped with the package).

    A comment is positive when VADER's compound score is at least 0.05, negative at or below
    -0.05, otherwise neutral (the thresholds VADER's authors recommend). Empty when fewer than
    ``min_comments`` people commented.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = comment_texts(survey)
    columns = ["tone", "comments", "share"]
    if commenters(survey) < min_comments:
        return _hidden(columns, len(texts))
    analyser = SentimentIntensityAnalyzer()
    compound = texts.map(lambda text: analyser.polarity_scores(str(text))["compound"])
    tone = pd.cut(compound, [-1.01, -0.05, 0.0499999, 1.01], labels=["negative", "neutral", "positive"])
    counts = tone.value_counts().reindex(["positive", "neutral", "negative"], fill_value=0)
    frame = pd.DataFrame({"tone": counts.index.astype(str), "comments": counts.to_numpy(),
                          "share": counts.to_numpy() / len(texts)})
    frame.attrs.update(suppressed=False, total=len(texts))
    return frame
