"""Peer pairs: a maximum-weight matching on a general graph, pruned, priced and certified.

Everyone in a peer pool may pair with anyone the hard rules allow both ways, so the pairs are
the edges of a general graph and the best pairing is a maximum-weight matching: the most people
paired, then the highest total score (each pair is worth a bonus above any total of scores, plus
its score). :class:`PeerPool` holds the pool as two n x n arrays (allowed both ways; the score
averaged over both directions), built block by block from the rule masks and the criteria.

:class:`PeerFamily` gives :func:`toolkit.matching.group_model.solve_restricted` what it needs: the
model starts with each person's ``top_k`` best partners; every pair left out is priced with the
LP's person prices (and the odd-set prices, below) in blocks of rows; pairs that could improve
join the model. The matching LP with one row per person can be fractional on odd cycles (three
people each "half" paired); where it is, :meth:`PeerFamily.cut` adds the odd-set inequality of
each odd component of the fractional pairs (at most (|S| - 1) / 2 pairs inside an odd set S,
Edmonds' blossom inequalities), which a pair left out pays too when both its people are in S.
Pinned people are taken out of the pool before any of this (their pair is fixed), and
:meth:`PeerFamily.complete` pairs the people left unpaired greedily, best score first, until no
two of them could still pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import rustworkx
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import MatchingError
from .group_model import INTEGRAL, Priced, RestrictedIP
from .lp import rank_within
from .rules import RuleContext
from .scoring import ScoreModel

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["PeerPool", "PeerFamily", "build_pool", "PEER_TOP_K"]

PEER_TOP_K = 10  # partners per person in the first model
SCORE_UNITS = 1e9  # the blossom algorithm works on integers: scores in units of 1e-9
PRICE_CELLS = 2_000_000  # pairs priced per block of rows (about 16 MB of float64 each)
GREEDY_BAND = 50_000  # pairs the greedy looks at per pass, best first


@dataclass
class PeerPool:
    """A peer pool as arrays: people in id order, who may pair (both ways), the averaged scores, the pins.

    ``allowed`` is symmetric with a False diagonal and excludes bans, pairs below the design's
    minimum score and every pair of a pinned person (their pair is ``pins``).
    """

    ids: list[str]
    allowed: np.ndarray
    score: np.ndarray
    pins: list[tuple[int, int]]
    model: ScoreModel
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # has any allowed partner (pins aside)

    @property
    def size(self) -> int:
        return len(self.ids)


def build_pool(roster: Roster, design: ProgramDesign, *, required: Iterable[tuple[str, str]] = (),
               forbidden: Iterable[tuple[str, str]] = ()) -> PeerPool:
    """The pool's arrays, block by block; pins checked against the rules (a pin that breaks one is refused)."""
    ids = sorted(roster.ids)
    context = RuleContext.build(roster, design, mentee_ids=ids, mentor_ids=ids)
    model = ScoreModel.build(roster, design, context=context)
    n = len(ids)
    allowed = np.zeros((n, n), dtype=bool)
    score = np.zeros((n, n))
    for start, stop in context.chunks():
        allowed[start:stop] = context.allowed(start, stop)
        score[start:stop] = model.scores(start, stop)
    allowed &= allowed.T
    _average_in_place(score)
    if design.rules.min_score is not None:
        allowed &= score >= design.rules.min_score
    position = {person: index for index, person in enumerate(ids)}
    for one, other in forbidden:
        if one in position and other in position:
            allowed[position[one], position[other]] = allowed[position[other], position[one]] = False
    np.fill_diagonal(allowed, False)
    eligible = np.asarray(allowed.any(axis=1), dtype=bool)
    pins = _pins(roster, ids, position, allowed, required)
    for pinned in {person for pin in pins for person in pin}:
        allowed[pinned, :] = False
        allowed[:, pinned] = False
    return PeerPool(ids, allowed, score, pins, model, eligible)


def _average_in_place(score: np.ndarray) -> None:
    """score <- (score + score.T) / 2, in square blocks (no second n x n array)."""
    n = len(score)
    step = max(1, int(np.sqrt(PRICE_CELLS)))
    for top in range(0, n, step):
        for left in range(top, n, step):
            upper = score[top:top + step, left:left + step]
            lower = score[left:left + step, top:top + step]
            mean = (upper + lower.T) / 2
            score[top:top + step, left:left + step] = mean
            score[left:left + step, top:top + step] = mean.T


def _pins(roster: Roster, ids: list[str], position: dict[str, int], allowed: np.ndarray,
          required: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    """Pinned pairs as positions, each checked: allowed by the rules, nobody pinned twice."""
    pins: list[tuple[int, int]] = []
    partner: dict[int, int] = {}
    for first, second in dict.fromkeys(tuple(sorted(pair)) for pair in required):
        a, b = position.get(first), position.get(second)
        if a is None or b is None or not allowed[a, b]:
            raise MatchingError(f"The pinned pair {roster.display_name(first)} - {roster.display_name(second)} "
                                "breaks the programme's rules.", fix="unpin it, or switch off that rule in the design")
        for person, other in ((a, b), (b, a)):
            if person in partner:
                raise MatchingError(f"{roster.display_name(ids[person])} is pinned to two partners "
                                    f"({roster.display_name(ids[partner[person]])} and "
                                    f"{roster.display_name(ids[other])}).", fix="keep one of the two pins")
        partner[a], partner[b] = b, a
        pins.append((a, b))
    return pins


def _upper(rows: np.ndarray, n: int) -> np.ndarray:
    """For rows ``rows`` x every column: True where column > row (each unordered pair once)."""
    return np.arange(n)[None, :] > rows[:, None]


class PeerFamily:
    """The peer-pairs matching for :func:`~toolkit.matching.group_model.solve_restricted` (module notes)."""

    def __init__(self, pool: PeerPool, ip: RestrictedIP, bonus: float, top_k: int | None = None):
        self.pool, self.ip, self.bonus = pool, ip, float(bonus)
        n = pool.size
        self.n = n
        self.candidates = int(np.triu(pool.allowed, 1).sum())
        self.held = np.zeros((n, n), dtype=bool)  # (i < j) pairs in the model
        self.first, self.second = np.zeros(0, np.int64), np.zeros(0, np.int64)  # per model column
        self.cuts: list[tuple[np.ndarray, int]] = []  # (members of the odd set, its row)
        self.cut_gap = self.bonus / 2  # a gap of half a pair or more: how many can pair, which odd sets settle
        ip.add_rows(np.ones(n), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self._add_pairs(*self._best_partners(PEER_TOP_K if top_k is None else top_k))
        self._odd_pools()

    # -- building the model ----------------------------------------------------------------------
    def _best_partners(self, top_k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each person's ``top_k`` allowed partners by score (ties: a rotation of the others, so
        identical profiles start from different partners), as (i < j) pairs."""
        n, pool = self.n, self.pool
        firsts, seconds = [], []
        rows_per_block = max(1, PRICE_CELLS // max(n, 1))
        keep = min(top_k, max(n - 1, 1))
        for start in range(0, n, rows_per_block):
            rows = np.arange(start, min(n, start + rows_per_block))
            key = np.where(pool.allowed[rows], pool.score[rows], -np.inf)
            key = key - 1e-9 * ((np.arange(n)[None, :] - rows[:, None]) % max(n, 1)) / max(n, 1)
            if keep < n:
                top = np.argpartition(-key, keep - 1, axis=1)[:, :keep]
            else:
                top = np.broadcast_to(np.arange(n), key.shape)
            r, k = np.nonzero(np.isfinite(np.take_along_axis(key, top, axis=1)))
            firsts.append(rows[r])
            seconds.append(top[r, k])
        first = np.concatenate(firsts) if firsts else np.zeros(0, np.int64)
        second = np.concatenate(seconds) if seconds else np.zeros(0, np.int64)
        return np.minimum(first, second), np.maximum(first, second)

    def _add_pairs(self, first: np.ndarray, second: np.ndarray) -> int:
        """Pairs (i < j) not yet in the model become columns, with their entries in the person and odd-set rows."""
        if not len(first):
            return 0
        keys = np.unique(first.astype(np.int64) * self.n + second)
        first, second = keys // self.n, keys % self.n
        new = ~self.held[first, second]
        first, second = first[new], second[new]
        if not len(first):
            return 0
        count = len(first)
        position = np.arange(count)
        rows, cols = [first, second], [position, position]
        for members, row in self.cuts:
            inside = np.flatnonzero(members[first] & members[second])
            rows.append(np.full(len(inside), row))
            cols.append(inside)
        rows_all, cols_all = np.concatenate(rows), np.concatenate(cols)
        self.ip.add_cols(self.bonus + self.pool.score[first, second], np.zeros(count), np.ones(count), cols_all,
                         rows_all, np.ones(len(rows_all)))
        self.held[first, second] = True
        self.first, self.second = np.r_[self.first, first], np.r_[self.second, second]
        return count

    def in_model(self) -> int:
        return len(self.first)

    def add(self, keys: np.ndarray, reduced: np.ndarray, per_person: int | None) -> int:
        first, second = keys // self.n, keys % self.n
        if per_person is not None and len(keys):
            order = np.lexsort((-reduced, first))  # by first person, most improving first
            ranks = rank_within(first[order])
            keep = order[ranks < per_person]
            order = np.lexsort((-reduced, second))
            keep = np.union1d(keep, order[rank_within(second[order]) < per_person])
            first, second = first[keep], second[keep]
        return self._add_pairs(first, second)

    def add_all(self) -> int:
        first, second = np.nonzero(np.triu(self.pool.allowed, 1))
        return self._add_pairs(first, second)

    # -- pricing -----------------------------------------------------------------------------------
    def price(self, prices: np.ndarray, floor: float) -> Priced:
        """Every allowed pair left out, priced in blocks of rows: bonus + score - both people's prices -
        the prices of the odd sets holding both."""
        n, pool = self.n, self.pool
        person = prices[:n]
        cuts = [(members, prices[row]) for members, row in self.cuts if prices[row] > 0]
        parts = []
        rows_per_block = max(1, PRICE_CELLS // max(n, 1))
        for start in range(0, n, rows_per_block):
            rows = np.arange(start, min(n, start + rows_per_block))
            outside = pool.allowed[rows] & ~self.held[rows] & _upper(rows, n)
            if not outside.any():
                continue
            reduced = self.bonus + pool.score[rows] - person[rows][:, None] - person[None, :]
            for members, price in cuts:
                inside = np.flatnonzero(members[rows])
                if len(inside):
                    reduced[np.ix_(inside, np.flatnonzero(members))] -= price
            values = reduced[outside]
            r, c = np.nonzero(outside & (reduced > floor))
            parts.append((rows[r].astype(np.int64) * n + c, reduced[r, c], float(values.max()),
                          float(np.maximum(values, 0).sum())))
        return Priced.join(parts)

    # -- odd-set cuts --------------------------------------------------------------------------------
    def _odd_pools(self) -> None:
        """An odd set per connected pool of three or more people (everyone who may pair, directly or not):
        at most (size - 1) / 2 pairs in it, the fractional LP's favourite way to place one person too many."""
        _, label = connected_components(self.pool.allowed, directed=False)
        sizes = np.bincount(label)
        for component in np.flatnonzero((sizes >= 3) & (sizes % 2 == 1)):
            self._add_cut(label == component)

    def _add_cut(self, members: np.ndarray) -> None:
        inside = np.flatnonzero(members[self.first] & members[self.second])
        row = int(self.ip.add_rows(np.array([(int(members.sum()) - 1) / 2]), np.zeros(len(inside), np.int64), inside,
                                   np.ones(len(inside)))[0])
        self.cuts.append((members, row))

    def cut(self, values: np.ndarray) -> int:
        """Odd-set inequalities for the odd components of the fractional pairs that break them (pairs added to
        the model since ``values`` was solved count as 0: the LP has not placed them yet)."""
        values = np.r_[values[:len(self.first)], np.zeros(max(len(self.first) - len(values), 0))]
        fractional = (values > INTEGRAL) & (values < 1 - INTEGRAL)
        if not fractional.any():
            return 0
        first, second = self.first[fractional], self.second[fractional]
        graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(self.n, self.n))
        _, label = connected_components(graph, directed=False)
        touched = np.unique(np.r_[first, second])
        added = 0
        for component in np.unique(label[touched]):
            members = label == component
            size = int(members.sum())
            if size < 3 or size % 2 == 0:
                continue
            inside = np.flatnonzero(members[self.first] & members[self.second])
            if values[inside].sum() <= (size - 1) / 2 + 1e-6:
                continue
            self._add_cut(members)
            added += 1
        return added

    # -- groupings -----------------------------------------------------------------------------------
    def grouping(self, values: np.ndarray) -> np.ndarray:
        chosen = np.flatnonzero(values[:len(self.first)] > 0.5)
        return self.first[chosen] * self.n + self.second[chosen]

    def integer(self, start: np.ndarray) -> tuple[str, np.ndarray | None, float]:
        """The best pairing of the model's pairs, exactly: Edmonds' blossom algorithm (rustworkx), most pairs
        first, then the highest total, on scores as integers of 1e-9 (its own dual check on).

        The pairs of ``start`` join the model first, so the answer is never worse than it. Returns
        ("optimal", the pairs, what no pairing of the model's pairs can beat: its value plus the rounding).
        """
        self._add_pairs(start // self.n, start % self.n)
        graph = rustworkx.PyGraph(multigraph=False)
        graph.add_nodes_from(range(self.n))
        weight = np.round(self.pool.score[self.first, self.second] * SCORE_UNITS).astype(np.int64)
        graph.add_edges_from(list(zip(self.first.tolist(), self.second.tolist(), weight.tolist())))
        matching = rustworkx.max_weight_matching(graph, max_cardinality=True, weight_fn=int, verify_optimum=True)
        pairs = np.array(sorted(min(a, b) * self.n + max(a, b) for a, b in matching), dtype=np.int64)
        return "optimal", pairs, self.value(pairs) + len(pairs) / SCORE_UNITS

    def first_grouping(self) -> np.ndarray:
        """No pairs: the greedy completion of nothing is the first pairing."""
        return np.zeros(0, np.int64)

    def complete(self, keys: np.ndarray) -> np.ndarray:
        """``keys`` plus pairs of people still unpaired, best score first, until no two of them may pair."""
        n, pool = self.n, self.pool
        paired = np.zeros(n, dtype=bool)
        paired[keys // n] = paired[keys % n] = True
        free = np.flatnonzero(~paired & pool.allowed.any(axis=1))
        if len(free) < 2:
            return keys
        sub = pool.allowed[np.ix_(free, free)] & _upper(np.arange(len(free)), len(free))
        a, b = np.nonzero(sub)
        first, second = free[a], free[b]
        score = pool.score[first, second]
        taken = _greedy(first, second, score, paired)
        return np.sort(np.r_[keys, first[taken] * n + second[taken]])

    def value(self, keys: np.ndarray) -> float:
        return float(len(keys) * self.bonus + self.pool.score[keys // self.n, keys % self.n].sum())

    def quick_bound(self) -> float:
        """Each pair is worth at most the mean of its two people's best pairs: half the sum of everyone's best."""
        best = np.where(self.pool.allowed, self.pool.score, -np.inf).max(axis=1, initial=-np.inf)
        return float(np.where(np.isfinite(best), self.bonus + best, 0.0).sum() / 2)


def _greedy(first: np.ndarray, second: np.ndarray, score: np.ndarray, paired: np.ndarray) -> np.ndarray:
    """The greedy matching (best score first; ties by the people's positions): indices taken.

    Pairs are looked at in bands of the best left; after each band the pairs of people paired in
    it drop out, so on a large pool only a few bands run.
    """
    paired = paired.copy()
    rest = np.lexsort((second, first, -score))
    taken: list[int] = []
    while len(rest):
        band, rest = rest[:GREEDY_BAND], rest[GREEDY_BAND:]
        for index, a, b in zip(band.tolist(), first[band].tolist(), second[band].tolist()):
            if not paired[a] and not paired[b]:
                paired[a] = paired[b] = True
                taken.append(index)
        rest = rest[~paired[first[rest]] & ~paired[second[rest]]]
    return np.array(sorted(taken), dtype=np.int64)
