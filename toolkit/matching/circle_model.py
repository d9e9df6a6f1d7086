"""Circles: members placed around facilitators, pruned, priced and certified.

Each facilitator leads at most one circle of ``circles.min_size`` to ``circles.max_size``
members; every member joins at most one circle; nobody shares a circle with their manager,
someone in their reporting line or someone on their do-not-match list; and at most
``max(2, ceil(max_size / 2))`` members of one department share a circle when the design
balances departments. Most members placed first, then the highest total of
facilitator-member scores (each link is worth a bonus above any total of scores, plus its score).

:class:`CirclePool` holds the arrays (members x facilitators: allowed and scores; the member
conflicts as a sparse list). :class:`CircleFamily` gives
:func:`toolkit.matching.group_model.solve_restricted` its integer programme on a growing set of
links (every allowed link from the start when there are at most :data:`FULL_MODEL_LINKS`, where HiGHS alone
is faster than pricing): one ``open`` column per facilitator, a row per member (at most one circle), two per
facilitator (``min_size * open <= members <= max_size * open``), a balance row per
(facilitator, department) once the model holds more of its links than the cap, a conflict row per
conflicting pair of members once both links are held, and, as cutting planes where the LP opens
a circle less than it places someone in it, ``link <= open``. A link left out is priced with its
member's, its facilitator's and its balance row's prices (it is in no other row the model holds).
:meth:`CircleFamily.complete` is the greedy: pins first, then best score first into open
circles, then new circles where enough members are left, until nobody left out can join.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import MatchingError
from .circle_start import flow_circles
from .group_model import INTEGRAL, Priced, RestrictedIP
from .lp import rank_within
from .rules import RuleContext
from .scoring import ScoreModel

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["CirclePool", "CircleFamily", "build_circle_pool", "CIRCLE_TOP_K", "LEADER_TOP_CIRCLES", "CONFLICT_RULES",
           "FULL_MODEL_LINKS"]

CIRCLE_TOP_K = 8  # facilitators per member in the first model
# Up to this many allowed links, the first model holds them all: HiGHS then proves the best circles faster than
# pricing does (benchmarks/groups_at_scale.py, 500 people, 22,764 links: 8.4 s with every link, 79 s pruned and priced).
FULL_MODEL_LINKS = 30_000
LEADER_TOP_CIRCLES = 2  # and each facilitator's best members, this many circles' worth
PRICE_CELLS = 2_000_000
CONFLICT_RULES = ("own_manager", "reporting_line", "exclusions")


@dataclass
class CirclePool:
    """Members and facilitators (in id order) as arrays, with sizes, balance, conflicts and pins."""

    members: list[str]
    facilitators: list[str]
    allowed: np.ndarray  # members x facilitators, bans removed
    score: np.ndarray
    conflicts: list[set[int]]  # per member: the members they may not share a circle with
    department: np.ndarray  # per member: a code, -1 when not given or not balanced
    min_size: int
    max_size: int
    cap: int | None  # most members of one department in a circle (None: not balanced)
    pins: list[tuple[int, int]]
    model: ScoreModel


def build_circle_pool(roster: Roster, design: ProgramDesign, *, required: Iterable[tuple[str, str]] = (),
                      forbidden: Iterable[tuple[str, str]] = ()) -> CirclePool:
    """The circles' arrays, block by block; pins checked (a pin that breaks a rule or a size is refused)."""
    settings = design.circles
    assert settings is not None, "a circles design has its circle sizes (the design checker asks)"
    facilitators = sorted(roster.facilitators()["participant_id"])
    if not facilitators:
        raise MatchingError("Nobody in the roster can facilitate a circle.",
                            fix="mark facilitators (role mentor, or can_facilitate: yes) in the sign-up file")
    leading = set(facilitators)
    members = sorted(person for person in roster.ids if person not in leading)
    context = RuleContext.build(roster, design, mentee_ids=members, mentor_ids=facilitators)
    model = ScoreModel.build(roster, design, context=context)
    allowed = np.zeros(context.shape, dtype=bool)
    score = np.zeros(context.shape)
    for start, stop in context.chunks():
        allowed[start:stop] = context.allowed(start, stop)
        score[start:stop] = model.scores(start, stop)
    member_at = {person: index for index, person in enumerate(members)}
    leader_at = {person: index for index, person in enumerate(facilitators)}
    for member, facilitator in forbidden:
        if member in member_at and facilitator in leader_at:
            allowed[member_at[member], leader_at[facilitator]] = False
    people = roster.participants.set_index("participant_id")
    department = np.full(len(members), -1, dtype=np.int64)
    cap = None
    if "department" in settings.balance:
        cap = max(2, math.ceil(settings.max_size / 2))
        names = people["department"].reindex(members)
        known = sorted({value for value in names if isinstance(value, str)})
        department = np.array([known.index(value) if isinstance(value, str) else -1 for value in names],
                              dtype=np.int64)
    pool = CirclePool(members, facilitators, allowed, score, _conflicts(roster, design, members), department,
                      settings.min_size, settings.max_size, cap, [], model)
    pool.pins = _pins(roster, pool, member_at, leader_at, required)
    return pool


def _conflicts(roster: Roster, design: ProgramDesign, members: list[str]) -> list[set[int]]:
    """Members who may not share a circle: reporting lines and do-not-match lists among members."""
    relaxed = design.override({"rules": {"exclude_same_team": False, "exclude_same_department": False,
                                         "require_shared_language": False, "max_timezone_difference_hours": None,
                                         "min_availability_overlap_hours": None},
                               "seniority": {"direction": "any"}})
    context = RuleContext.build(roster, relaxed, mentee_ids=members, mentor_ids=members)
    conflicts: list[set[int]] = [set() for _ in members]
    for rule in CONFLICT_RULES:
        first, second = context.pair_rules.get(rule, (np.zeros(0, np.int64), np.zeros(0, np.int64)))
        for a, b in zip(first.tolist(), second.tolist()):
            if a != b:
                conflicts[a].add(b)
                conflicts[b].add(a)
    return conflicts


def _pins(roster: Roster, pool: CirclePool, member_at: dict[str, int], leader_at: dict[str, int],
          required: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    """Pins as (member, facilitator) positions, each checked against the rules, the sizes and each other."""
    pins: dict[int, int] = {}
    for member, facilitator in required:
        if member not in member_at or facilitator not in leader_at:
            continue
        row, col = member_at[member], leader_at[facilitator]
        if not pool.allowed[row, col]:
            raise MatchingError(f"{roster.display_name(member)} cannot join {roster.display_name(facilitator)}'s "
                                "circle under the programme's rules.",
                                fix="unpin them, or switch off that rule in the design")
        if pins.get(row, col) != col:
            raise MatchingError(f"{roster.display_name(member)} is pinned to two circles "
                                f"({roster.display_name(pool.facilitators[pins[row]])} and "
                                f"{roster.display_name(facilitator)}).", fix="keep one of the two pins")
        pins[row] = col
    for col in sorted(set(pins.values())):
        inside = [row for row, leader in pins.items() if leader == col]
        name = roster.display_name(pool.facilitators[col])
        if len(inside) > pool.max_size:
            raise MatchingError(f"{len(inside)} members are pinned to {name}'s circle, above circles.max_size "
                                f"({pool.max_size}).", fix="unpin some of them, or raise circles.max_size")
        clash = [(a, b) for a in inside for b in inside if a < b and b in pool.conflicts[a]]
        if clash:
            a, b = clash[0]
            raise MatchingError(f"{roster.display_name(pool.members[a])} and {roster.display_name(pool.members[b])} "
                                f"are both pinned to {name}'s circle, but may not share one (a reporting line or a "
                                "do-not-match list).", fix="unpin one of them")
        if pool.cap is not None:
            codes = np.array([pool.department[row] for row in inside if pool.department[row] >= 0], dtype=np.int64)
            most = int(np.bincount(codes).max(initial=0)) if len(codes) else 0
            if most > pool.cap:
                raise MatchingError(f"{most} members of one department are pinned to {name}'s circle, above "
                                    f"the balance cap of {pool.cap}.", fix="unpin some of them, or drop department "
                                    "from circles.balance")
    return sorted(pins.items())


class CircleFamily:
    """The circles' integer programme for :func:`~toolkit.matching.group_model.solve_restricted` (module notes)."""

    def __init__(self, pool: CirclePool, ip: RestrictedIP, bonus: float, top_k: int | None = None):
        self.pool, self.ip, self.bonus = pool, ip, float(bonus)
        self.m, self.f = pool.allowed.shape
        self.candidates = int(pool.allowed.sum())
        self.held = np.zeros((self.m, self.f), dtype=bool)
        self.column = np.full((self.m, self.f), -1, dtype=np.int64)
        self.link_member, self.link_leader = np.zeros(0, np.int64), np.zeros(0, np.int64)
        self.balance: dict[tuple[int, int], int] = {}  # (facilitator, department) -> row
        self.conflict_rows: set[tuple[int, int, int]] = set()
        self.vub: set[tuple[int, int]] = set()
        self.cut_gap = self.bonus / 2  # a gap of half a member or more: which circles can open, that cuts settle
        self.flow_bound = math.inf
        self.member_row, self.max_row, self.min_row = 0, self.m, self.m + self.f
        ip.add_rows(np.r_[np.ones(self.m), np.zeros(2 * self.f)], np.zeros(0, np.int64), np.zeros(0, np.int64),
                    np.zeros(0))
        self.pin_keys = np.array([row * self.f + col for row, col in pool.pins], dtype=np.int64)
        self.penalty = self.bonus * (self.m + 1)  # a grouping without a pin ranks below every one with all pins
        pinned = np.zeros(self.f)
        for _, col in pool.pins:
            pinned[col] = 1.0
        leaders = np.arange(self.f)
        ip.add_cols(np.zeros(self.f), pinned, np.ones(self.f), np.r_[leaders, leaders],
                    np.r_[self.max_row + leaders, self.min_row + leaders],
                    np.r_[np.full(self.f, -float(pool.max_size)), np.full(self.f, float(pool.min_size))])
        self._add_links(*self._first_links(CIRCLE_TOP_K if top_k is None else top_k))

    # -- building the model ----------------------------------------------------------------------
    def _first_links(self, top_k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each member's best facilitators, each facilitator's best members (2 x max_size), and the pins; every
        allowed link when there are at most :data:`FULL_MODEL_LINKS`."""
        pool = self.pool
        m, f = pool.allowed.shape
        if self.candidates <= FULL_MODEL_LINKS:
            every_row, every_col = np.nonzero(pool.allowed)
            return every_row.astype(np.int64), every_col.astype(np.int64)
        # Ties fall to a rotation of the other side, so members with one profile start from different circles.
        key = np.where(pool.allowed, pool.score, -np.inf) - 1e-9 * ((np.arange(f)[None, :] - np.arange(m)[:, None])
                                                                    % max(f, 1)) / max(f, 1)
        rows, cols = [], []
        for matrix, keep, transpose in ((key, top_k, False), (key.T, LEADER_TOP_CIRCLES * pool.max_size, True)):
            width = matrix.shape[1]
            if not width or not matrix.shape[0]:
                continue
            keep = min(keep, width)
            top = np.argpartition(-matrix, keep - 1, axis=1)[:, :keep] if keep < width else \
                np.broadcast_to(np.arange(width), matrix.shape)
            r, k = np.nonzero(np.isfinite(np.take_along_axis(matrix, top, axis=1)))
            first, second = r, top[r, k]
            rows.append(second if transpose else first)
            cols.append(first if transpose else second)
        rows.append(np.array([row for row, _ in pool.pins], dtype=np.int64))
        cols.append(np.array([col for _, col in pool.pins], dtype=np.int64))
        return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)

    def _add_links(self, rows: np.ndarray, cols: np.ndarray) -> int:
        """Links not yet held become columns (member, size and balance rows); then the balance and conflict
        rows they call for."""
        if not len(rows):
            return 0
        keys = np.unique(rows * self.f + cols)
        rows, cols = keys // self.f, keys % self.f
        new = ~self.held[rows, cols]
        rows, cols = rows[new], cols[new]
        if not len(rows):
            return 0
        pool, count = self.pool, len(rows)
        position = np.arange(count)
        entry_rows = [self.member_row + rows, self.max_row + cols, self.min_row + cols]
        entry_cols = [position, position, position]
        entry_values = [np.ones(count), np.ones(count), -np.ones(count)]
        for index in range(count):
            row = self.balance.get((int(cols[index]), int(pool.department[rows[index]])))
            if row is not None:
                entry_rows.append(np.array([row]))
                entry_cols.append(np.array([index]))
                entry_values.append(np.ones(1))
        pinned = np.zeros(count)
        pins = set(pool.pins)
        for index in range(count):
            if (int(rows[index]), int(cols[index])) in pins:
                pinned[index] = 1.0
        columns = self.ip.add_cols(self.bonus + pool.score[rows, cols], pinned, np.ones(count),
                                   np.concatenate(entry_cols), np.concatenate(entry_rows), np.concatenate(entry_values))
        self.held[rows, cols] = True
        self.column[rows, cols] = columns
        self.link_member, self.link_leader = np.r_[self.link_member, rows], np.r_[self.link_leader, cols]
        self._balance_rows(rows, cols)
        self._conflict_rows(rows, cols)
        return count

    def _balance_rows(self, rows: np.ndarray, cols: np.ndarray) -> None:
        pool = self.pool
        if pool.cap is None:
            return
        for col, code in {(int(c), int(pool.department[r])) for r, c in zip(rows, cols) if pool.department[r] >= 0}:
            if (col, code) in self.balance:
                continue
            inside = np.flatnonzero(self.held[:, col] & (pool.department == code))
            if len(inside) <= pool.cap:
                continue
            columns = self.column[inside, col]
            self.balance[(col, code)] = int(self.ip.add_rows(np.array([float(pool.cap)]), np.zeros(len(columns), np.int64),
                                                             columns, np.ones(len(columns)))[0])

    def _conflict_rows(self, rows: np.ndarray, cols: np.ndarray) -> None:
        firsts, seconds = [], []
        for row, col in zip(rows.tolist(), cols.tolist()):
            for other in self.pool.conflicts[row]:
                key = (min(row, other), max(row, other), col)
                if self.held[other, col] and key not in self.conflict_rows:
                    self.conflict_rows.add(key)
                    firsts.append(self.column[row, col])
                    seconds.append(self.column[other, col])
        if firsts:
            count = len(firsts)
            self.ip.add_rows(np.ones(count), np.r_[np.arange(count), np.arange(count)], np.r_[firsts, seconds],
                             np.ones(2 * count))

    def in_model(self) -> int:
        return len(self.link_member)

    def add(self, keys: np.ndarray, reduced: np.ndarray, per_person: int | None) -> int:
        rows, cols = keys // self.f, keys % self.f
        if per_person is not None and len(keys):
            order = np.lexsort((-reduced, rows))
            keep = order[rank_within(rows[order]) < per_person]
            rows, cols = rows[keep], cols[keep]
        return self._add_links(rows, cols)

    def add_all(self) -> int:
        rows, cols = np.nonzero(self.pool.allowed & ~self.held)
        return self._add_links(rows.astype(np.int64), cols.astype(np.int64))

    # -- pricing -----------------------------------------------------------------------------------
    def price(self, prices: np.ndarray, floor: float) -> Priced:
        """Every allowed link left out: bonus + score - its member's price - its circle's size prices -
        its (facilitator, department) balance price where that row is held."""
        pool = self.pool
        member = prices[self.member_row:self.member_row + self.m]
        size = prices[self.max_row:self.max_row + self.f] - prices[self.min_row:self.min_row + self.f]
        departments = int(pool.department.max(initial=-1)) + 1
        balance = np.zeros((self.f, departments + 1))  # the last column: members without a department
        for (col, code), row in self.balance.items():
            balance[col, code] = prices[row]
        parts = []
        rows_per_block = max(1, PRICE_CELLS // max(self.f, 1))
        for start in range(0, self.m, rows_per_block):
            rows = np.arange(start, min(self.m, start + rows_per_block))
            outside = pool.allowed[rows] & ~self.held[rows]
            if not outside.any():
                continue
            reduced = self.bonus + pool.score[rows] - member[rows][:, None] - size[None, :]
            reduced -= balance[:, pool.department[rows]].T
            values = reduced[outside]
            r, c = np.nonzero(outside & (reduced > floor))
            parts.append((rows[r].astype(np.int64) * self.f + c, reduced[r, c], float(values.max()),
                          float(np.maximum(values, 0).sum())))
        return Priced.join(parts)

    def cut(self, values: np.ndarray) -> int:
        """``link <= open`` for held links the LP places above their circle's opening (links added to the model
        since ``values`` was solved count as 0: the LP has not placed them yet)."""
        links = values[self.f:self.f + len(self.link_member)]
        links = np.r_[links, np.zeros(len(self.link_member) - len(links))]
        opened = values[:self.f]
        above = np.flatnonzero(links > opened[self.link_leader] + INTEGRAL)
        fresh = [index for index in above.tolist()
                 if (int(self.link_member[index]), int(self.link_leader[index])) not in self.vub]
        if not fresh:
            return 0
        fresh_array = np.array(fresh, dtype=np.int64)
        for index in fresh:
            self.vub.add((int(self.link_member[index]), int(self.link_leader[index])))
        count = len(fresh)
        self.ip.add_rows(np.zeros(count), np.r_[np.arange(count), np.arange(count)],
                         np.r_[self.f + fresh_array, self.link_leader[fresh_array]],
                         np.r_[np.ones(count), -np.ones(count)])
        return count

    # -- groupings -----------------------------------------------------------------------------------
    def grouping(self, values: np.ndarray) -> np.ndarray:
        chosen = np.flatnonzero(values[self.f:self.f + len(self.link_member)] > 0.5)
        return np.sort(self.link_member[chosen] * self.f + self.link_leader[chosen])

    def integer(self, start: np.ndarray) -> tuple[str, np.ndarray | None, float]:
        """The integer programme on the model's links in HiGHS, from the grouping ``start`` (its links join
        the model first): status, the best grouping it found (or None), its proven bound on the model."""
        rows, cols = start // self.f, start % self.f
        self._add_links(rows, cols)
        values = np.zeros(self.ip.cols)
        values[np.unique(cols)] = 1.0
        values[self.column[rows, cols]] = 1.0
        status, found, bound = self.ip.solve_mip(values)
        return status, None if found is None else self.grouping(found), bound

    def first_grouping(self) -> np.ndarray:
        """The best circles of the min-cost-flow rounds (:mod:`toolkit.matching.circle_start`), before any LP;
        the first round's flow is the quick bound."""
        pool = self.pool
        best, self.flow_bound = flow_circles(pool.allowed, self.bonus + pool.score, pool.department, pool.cap,
                                             pool.min_size, pool.max_size, pool.pins,
                                             judge=lambda keys: self.value(self.complete(keys)),
                                             stop=self.ip.budget.expired)
        return best

    def complete(self, keys: np.ndarray) -> np.ndarray:
        """``keys`` made feasible (pins first) and completed greedily until nobody left out can join."""
        return _Greedy(self.pool).run(keys)

    def value(self, keys: np.ndarray) -> float:
        """Weighted value; a grouping that misses a pin (a greedy one only) ranks below all that keep them."""
        missing = int((~np.isin(self.pin_keys, keys)).sum())
        return float(len(keys) * self.bonus + self.pool.score[keys // self.f, keys % self.f].sum()
                     - missing * self.penalty)

    def quick_bound(self) -> float:
        """Each member placed at most once, at best with their best facilitator; and the first flow's value
        (sizes and balance kept, minimum sizes and conflicts dropped) when it ran."""
        best = np.where(self.pool.allowed, self.pool.score, -np.inf).max(axis=1, initial=-np.inf)
        return min(float(np.where(np.isfinite(best), self.bonus + best, 0.0).sum()), self.flow_bound)


class _Greedy:
    """Circles built greedily from a start: pins, then the start's links that fit, then members best score
    first into open circles, then new circles where enough eligible members are left; circles that cannot
    reach the minimum size are dissolved (their members try again elsewhere)."""

    def __init__(self, pool: CirclePool):
        self.pool = pool
        m, f = pool.allowed.shape
        self.f = f
        self.circle = np.full(m, -1, dtype=np.int64)
        self.inside: list[list[int]] = [[] for _ in range(f)]
        self.counts: list[dict[int, int]] = [{} for _ in range(f)]
        self.pinned = {row for row, _ in pool.pins}

    def fits(self, row: int, col: int) -> bool:
        pool = self.pool
        if self.circle[row] >= 0 or not pool.allowed[row, col] or len(self.inside[col]) >= pool.max_size:
            return False
        code = int(pool.department[row])
        if pool.cap is not None and code >= 0 and self.counts[col].get(code, 0) >= pool.cap:
            return False
        return not any(other in pool.conflicts[row] for other in self.inside[col])

    def join(self, row: int, col: int) -> None:
        self.circle[row] = col
        self.inside[col].append(row)
        code = int(self.pool.department[row])
        self.counts[col][code] = self.counts[col].get(code, 0) + 1

    def leave(self, col: int) -> list[int]:
        members = self.inside[col]
        for row in members:
            self.circle[row] = -1
        self.inside[col], self.counts[col] = [], {}
        return members

    def run(self, keys: np.ndarray) -> np.ndarray:
        pool = self.pool
        for row, col in pool.pins:
            self.join(row, col)
        rows, cols = keys // self.f, keys % self.f
        order = np.lexsort((cols, rows, -pool.score[rows, cols]))
        for row, col in zip(rows[order].tolist(), cols[order].tolist()):
            if self.fits(row, col):
                self.join(row, col)
        for _ in range(3):
            self.fill()
            if not self.dissolve_small(keep_pins=True):
                break
        self.open_new()
        self.fill()
        if self.dissolve_small(keep_pins=False):  # a pinned circle the greedy could not fill: its pins are lost
            self.fill()
        placed = np.flatnonzero(self.circle >= 0)
        return np.sort(placed * self.f + self.circle[placed])

    def fill(self) -> None:
        """Members still out join open circles with room, best score first."""
        pool = self.pool
        opened = np.array([bool(members) for members in self.inside])
        free = self.circle < 0
        if not opened.any() or not free.any():
            return
        rows, cols = np.nonzero(pool.allowed & free[:, None] & opened[None, :])
        order = np.lexsort((cols, rows, -pool.score[rows, cols]))
        for row, col in zip(rows[order].tolist(), cols[order].tolist()):
            if self.fits(row, col):
                self.join(row, col)

    def dissolve_small(self, *, keep_pins: bool) -> bool:
        """Circles below the minimum size are dissolved (pinned ones only when ``keep_pins`` is False)."""
        small = [col for col, members in enumerate(self.inside) if 0 < len(members) < self.pool.min_size
                 and not (keep_pins and self.pinned & set(members))]
        for col in small:
            self.leave(col)
        return bool(small)

    def open_new(self) -> None:
        """Facilitators without a circle open one when enough members are left, best prospects first."""
        pool = self.pool
        free = self.circle < 0
        if not free.any():
            return
        prospects = np.where(pool.allowed & free[:, None], pool.score, -np.inf)
        depth = min(pool.min_size, len(prospects))
        top = -np.sort(-prospects, axis=0)[:depth] if depth else np.zeros((0, self.f))
        promise = np.where(np.isfinite(top), top, 0).sum(axis=0) + np.isfinite(top).sum(axis=0) * 1e6
        for col in np.lexsort((np.arange(self.f), -promise)).tolist():
            if self.inside[col]:
                continue
            candidates = np.flatnonzero((self.circle < 0) & pool.allowed[:, col])
            if len(candidates) < pool.min_size:
                continue
            for row in candidates[np.lexsort((candidates, -pool.score[candidates, col]))].tolist():
                if self.fits(row, col):
                    self.join(row, col)
            if len(self.inside[col]) < pool.min_size:
                self.leave(col)
