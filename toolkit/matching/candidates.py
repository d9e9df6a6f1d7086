"""Candidate pairs: the hard rules and the scores meet once, in blocks, and yield arrays.

:func:`build_candidates` evaluates every rule mask and every criterion part for a block of
mentees at a time and keeps the allowed pairs as integer positions with their scores (and, on
request, their weighted parts). The solver reads these arrays; :func:`candidate_edges` is the
same pairs as a table with participant ids, for audits, explanations and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .rules import RuleContext
from .scoring import ScoreModel

__all__ = ["Candidates", "build_candidates", "candidate_edges"]

PROGRESS_PAIRS = 5_000_000  # above this many mentee x mentor pairs, scoring shows a progress bar


@dataclass
class Candidates:
    """Every allowed pair as positions into the two sides, with its score.

    Attributes
    ----------
    context, model
        The encoded rules and scores the pairs came from (kept for explanations).
    rows, cols
        Mentee and mentor positions (into ``context.mentees.ids`` / ``context.mentors.ids``).
    scores
        Each pair's total score.
    parts
        With ``with_parts=True``: criterion -> each pair's weighted part (they add up to score).
    """

    context: RuleContext
    model: ScoreModel
    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    parts: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def mentee_ids(self) -> list[str]:
        return list(self.context.mentees.ids)

    @property
    def mentor_ids(self) -> list[str]:
        return list(self.context.mentors.ids)


def build_candidates(roster, design, *, context: RuleContext | None = None, model: ScoreModel | None = None,
                     mentee_ids: Sequence[str] | None = None, mentor_ids: Sequence[str] | None = None,
                     with_parts: bool = False, progress: Callable[[str], None] | None = None) -> Candidates:
    """One pass over the roster: rule masks and scores block by block, allowed pairs kept as arrays.

    With ``progress`` (a callable taking a line of text) and more than ``PROGRESS_PAIRS`` pairs to
    look at, the blocks show a tqdm progress bar (on stderr, or as a widget in a notebook).
    """
    if model is None:
        context = context or RuleContext.build(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
        model = ScoreModel.build(roster, design, context=context)
    context = model.context
    rows, cols, scores = [], [], []
    parts: dict[str, list[np.ndarray]] = {name: [] for name in model.active} if with_parts else {}
    blocks = list(context.chunks())
    if progress is not None and context.shape[0] * context.shape[1] > PROGRESS_PAIRS:
        blocks = tqdm(blocks, desc="scoring pairs", unit="block", leave=False)
    for start, stop in blocks:
        allowed = context.allowed(start, stop)
        r, c = np.nonzero(allowed)
        rows.append(r + start)
        cols.append(c)
        if with_parts:
            total = np.zeros(len(r))
            for name, value in model.parts(start, stop).items():
                parts[name].append(value[r, c])
                total += parts[name][-1]
            scores.append(total)
        else:
            scores.append(model.scores(start, stop)[r, c])

    def joined(blocks: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(blocks).astype(dtype) if blocks else np.zeros(0, dtype=dtype)

    return Candidates(context, model, joined(rows, np.int64), joined(cols, np.int64), joined(scores, float),
                      {name: joined(blocks, float) for name, blocks in parts.items()})


def candidate_edges(roster, design, *, context: RuleContext | None = None, model: ScoreModel | None = None,
                    with_parts: bool = True, min_score: float | None = None) -> pd.DataFrame:
    """Every pair the hard rules allow, with its score and (optionally) its weighted parts.

    Returns
    -------
    DataFrame
        mentee_id, mentor_id, score, then one column per active criterion (weighted parts
        that add up to score); for peer designs each unordered pair once (mentee_id < mentor_id)
        with the parts averaged over both directions.
    """
    found = build_candidates(roster, design, context=context, model=model, with_parts=True)
    model = found.model
    edges = pd.DataFrame({"_row": found.rows, "_column": found.cols, "score": found.scores, **found.parts},
                         columns=["_row", "_column", "score", *model.active])
    mentee_ids, mentor_ids = found.context.mentees.ids, found.context.mentors.ids
    edges.insert(0, "mentee_id", mentee_ids[edges["_row"].to_numpy(dtype=int)] if len(edges) else [])
    edges.insert(1, "mentor_id", mentor_ids[edges["_column"].to_numpy(dtype=int)] if len(edges) else [])
    if model.symmetric and len(edges):
        edges = _symmetrise(edges, model.active)
    if min_score is not None:
        edges = edges[edges["score"] >= min_score]
    edges = edges.drop(columns=["_row", "_column"])[["mentee_id", "mentor_id", "score", *model.active]]
    if not with_parts:
        edges = edges[["mentee_id", "mentor_id", "score"]]
    return edges.sort_values(["mentee_id", "mentor_id"], ignore_index=True)


def _symmetrise(edges: pd.DataFrame, active: list[str]) -> pd.DataFrame:
    """Peer pairs: keep pairs allowed both ways, once each, with parts averaged over both directions."""
    backward = edges[["mentee_id", "mentor_id", *active]].rename(columns={"mentee_id": "mentor_id",
                                                                          "mentor_id": "mentee_id"})
    both = edges.merge(backward, on=["mentee_id", "mentor_id"], suffixes=("", "_back"), how="inner")
    both = both[both["mentee_id"] < both["mentor_id"]].reset_index(drop=True)
    for name in active:
        both[name] = (both[name] + both[f"{name}_back"]) / 2
    both["score"] = both[active].sum(axis=1) if active else 0.0
    return both[["mentee_id", "mentor_id", "_row", "_column", "score", *active]]
