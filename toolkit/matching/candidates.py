"""Candidate pairs: the hard rules and the scores meet once, in blocks, and yield arrays.

:func:`build_candidates` evaluates every rule mask and every criterion part for a block of
mentees at a time and keeps the allowed pairs as integer positions with their scores (and, on
request, their weighted parts). The solver reads these arrays; :func:`candidate_edges` is the
same pairs as a table with participant ids, for audits, explanations and tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .rules import RuleContext
from .scoring import ScoreModel

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["Candidates", "build_candidates", "candidate_edges", "TopCandidates", "build_top_candidates"]

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
    scored
        With a ``deadline``: how many mentees (the first, in position order) were scored before it
        came; None when every mentee was.
    """

    context: RuleContext
    model: ScoreModel
    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    parts: dict[str, np.ndarray] = field(default_factory=dict)
    scored: int | None = None

    @property
    def mentee_ids(self) -> list[str]:
        return list(self.context.mentees.ids)

    @property
    def mentor_ids(self) -> list[str]:
        return list(self.context.mentors.ids)


def build_candidates(roster: Roster, design: ProgramDesign, *, context: RuleContext | None = None,
                     model: ScoreModel | None = None,
                     mentee_ids: Sequence[str] | None = None, mentor_ids: Sequence[str] | None = None,
                     with_parts: bool = False, progress: Callable[[str], None] | None = None,
                     deadline: float | None = None, seconds_per_pair: float = 0.0) -> Candidates:
    """One pass over the roster: rule masks and scores block by block, allowed pairs kept as arrays.

    With ``progress`` (a callable taking a line of text) and more than ``PROGRESS_PAIRS`` pairs to
    look at, the blocks show a tqdm progress bar (on stderr, or as a widget in a notebook). With a
    ``deadline`` (a ``time.perf_counter()`` instant) the blocks are smaller and scoring stops before a
    block that would end after it, counting ``seconds_per_pair`` for each pair kept (the caller's work
    after scoring); the first block always runs; ``Candidates.scored`` says how many mentees were scored.
    """
    if model is None:
        context = context or RuleContext.build(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
        model = ScoreModel.build(roster, design, context=context)
    context = model.context
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    parts: dict[str, list[np.ndarray]] = {name: [] for name in model.active} if with_parts else {}
    stopped: list[int] = []
    for start, stop in _scoring_blocks(context, deadline, seconds_per_pair, rows, progress is not None, stopped):
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
                      {name: joined(blocks, float) for name, blocks in parts.items()}, stopped[0] if stopped else None)


def _scoring_blocks(context: RuleContext, deadline: float | None, seconds_per_pair: float, rows: list,
                    show_progress: bool, stopped: list[int]):
    """The mentee blocks to score, in order, with a progress bar on large rosters; under a ``deadline``, it
    stops before a block that would end after it (``stopped`` then gets that block's start, the number of
    mentees scored), counting ``seconds_per_pair`` for each pair kept so far in ``rows``; one block always."""
    blocks = _blocks(context, deadline)
    if show_progress and context.shape[0] * context.shape[1] > PROGRESS_PAIRS:
        blocks = tqdm(blocks, desc="scoring pairs", unit="block", leave=False)
    last, started, kept, last_kept = 0.0, time.perf_counter(), 0, 0
    for start, stop in blocks:
        if deadline is not None and start and (
                time.perf_counter() + last + seconds_per_pair * (kept + last_kept) > deadline):
            stopped.append(start)
            return
        last, started = time.perf_counter() - started, time.perf_counter()
        last_kept = len(rows[-1]) if rows else 0
        kept += last_kept
        yield start, stop


def _blocks(context: RuleContext, deadline: float | None) -> list[tuple[int, int]]:
    """Mentee blocks; an eighth of the usual size under a deadline, so scoring can stop close to it."""
    if deadline is None:
        return list(context.chunks())
    width = max(1, context.shape[1])
    return list(context.chunks(max(1, 20_000_000 // (width * 8) // 8)))


@dataclass
class TopCandidates(Candidates):
    """Each mentee's ``keep`` best allowed pairs only, with what pricing needs to certify the rest.

    For rosters too large to hold every allowed pair (20,000 x 5,000 is 86 million): rows and
    cols are int32, and per mentee ``eligible`` counts the allowed pairs and ``cutoff`` is the best
    score among those not kept (-inf when all are kept). :meth:`price` re-scores, block by block,
    only the mentees whose left-out pairs could still improve the objective.
    """

    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    mentor_eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    cutoff: np.ndarray = field(default_factory=lambda: np.zeros(0))
    total: int = 0

    def price(self, mentee_price: np.ndarray, mentor_price: np.ndarray, offset: float, known: np.ndarray,
              tolerance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Allowed pairs not in ``known`` (sorted row * mentors + col keys) whose reduced cost
        ``score + offset - mentee_price - mentor_price`` exceeds ``tolerance``: rows, cols, scores.

        A mentee is settled without re-scoring when even its best left-out score cannot pay the
        prices (cutoff + offset - its price - the lowest mentor price <= tolerance).
        """
        width = self.context.shape[1]
        floor = float(mentor_price.min()) if len(mentor_price) else 0.0
        open_rows = np.flatnonzero(self.cutoff + offset - mentee_price - floor > tolerance)
        found_rows, found_cols, found_scores = [], [], []
        for start, stop in self.context.chunks():
            inside = open_rows[(open_rows >= start) & (open_rows < stop)]
            if not len(inside):
                continue
            allowed = self.context.allowed(start, stop)[inside - start]
            scores = self.model.scores_of(inside)
            gain = scores + offset - mentee_price[inside][:, None] - mentor_price[None, :]
            r, c = np.nonzero(allowed & (gain > tolerance))
            rows = inside[r].astype(np.int64)
            keys = rows * width + c
            position = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
            new = known[position] != keys if len(known) else np.ones(len(keys), bool)
            found_rows.append(rows[new])
            found_cols.append(c[new].astype(np.int64))
            found_scores.append(scores[r[new], c[new]])
        if not found_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(found_rows), np.concatenate(found_cols), np.concatenate(found_scores)


def build_top_candidates(roster: Roster, design: ProgramDesign, *, keep: int, mentee_ids: Sequence[str],
                         mentor_ids: Sequence[str],
                         progress: Callable[[str], None] | None = None, deadline: float | None = None,
                         seconds_per_pair: float = 0.0) -> TopCandidates:
    """Like :func:`build_candidates`, keeping only each mentee's ``keep`` best allowed pairs per block
    (and stopping before the ``deadline`` as it does).

    Both sides are in participant-id order, so the kept pairs (ties at the cut included) do not
    depend on the order of the input rows.
    """
    context = RuleContext.build(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
    model = ScoreModel.build(roster, design, context=context)
    mentees, mentors = context.shape
    keep = max(1, min(keep, mentors))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    eligible, mentor_eligible = np.zeros(mentees, dtype=np.int64), np.zeros(mentors, dtype=np.int64)
    cutoff = np.full(mentees, -np.inf)
    stopped: list[int] = []
    for start, stop in _scoring_blocks(context, deadline, seconds_per_pair, rows, progress is not None, stopped):
        allowed = context.allowed(start, stop)
        block = model.scores(start, stop)
        block[~allowed] = -np.inf
        eligible[start:stop] = allowed.sum(axis=1)
        mentor_eligible += allowed.sum(axis=0)
        # The keep best per row by (score descending, mentor position): a stable sort of the negated scores.
        if keep < mentors:  # argpartition is deterministic for the same block (both sides in id order)
            part = np.argpartition(-block, keep, axis=1)
            top, rest = part[:, :keep], part[:, keep:]
            cutoff[start:stop] = np.take_along_axis(block, rest, axis=1).max(axis=1)
            top_scores = np.take_along_axis(block, top, axis=1)
        else:
            top = np.broadcast_to(np.arange(mentors), (stop - start, mentors))
            top_scores = block
        r, k = np.nonzero(np.isfinite(top_scores))
        rows.append((r + start).astype(np.int32))
        cols.append(top[r, k].astype(np.int32))
        scores.append(top_scores[r, k])
    rows_all, cols_all, scores_all = (np.concatenate(blocks) if blocks else np.zeros(0, dtype)
                                      for blocks, dtype in ((rows, np.int32), (cols, np.int32), (scores, float)))
    order = np.lexsort((cols_all, rows_all))
    return TopCandidates(context, model, rows_all[order], cols_all[order], scores_all[order],
                         scored=stopped[0] if stopped else None,
                         eligible=eligible, mentor_eligible=mentor_eligible, cutoff=cutoff, total=int(eligible.sum()))


def candidate_edges(roster: Roster, design: ProgramDesign, *, context: RuleContext | None = None,
                    model: ScoreModel | None = None,
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
