"""Open comments: theme counts from a transparent keyword codebook, names and emails scrubbed.

The codebook (``templates/comments/codebook.yaml``) lists keywords per theme; a comment
counts towards every theme whose keywords it contains. Nothing is shown unless at least
``min_comments`` people commented (the client's ``privacy.min_comments``), and any quoted
comment has email addresses and the names of people in the roster replaced first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

__all__ = ["load_codebook", "comment_texts", "comment_themes", "scrub"]

CODEBOOK = Path(__file__).resolve().parent.parent / "templates" / "comments" / "codebook.yaml"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def load_codebook(path: str | Path = CODEBOOK) -> dict[str, dict]:
    """Theme id -> {label, keywords, pattern}."""
    themes = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["themes"]
    for spec in themes.values():
        spec["pattern"] = re.compile(r"\b(" + "|".join(re.escape(word) for word in spec["keywords"]) + ")",
                                     re.IGNORECASE)
    return themes


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


def comment_themes(survey, *, min_comments: int = 10, codebook: dict | None = None) -> pd.DataFrame:
    """Comments per theme and their share; empty (with ``attrs['suppressed']``) below ``min_comments``."""
    codebook = codebook or load_codebook()
    texts = comment_texts(survey)
    columns = ["theme", "comments", "share"]
    if len(texts) < min_comments:
        frame = pd.DataFrame(columns=columns)
        frame.attrs.update(suppressed=True, total=len(texts))
        return frame
    rows = []
    for spec in codebook.values():
        count = int(texts.map(lambda text: bool(spec["pattern"].search(str(text)))).sum())
        rows.append({"theme": spec["label"], "comments": count, "share": count / len(texts)})
    frame = pd.DataFrame(rows, columns=columns).sort_values(["comments", "theme"], ascending=[False, True],
                                                            ignore_index=True)
    frame.attrs.update(suppressed=False, total=len(texts))
    return frame
