"""Hard rules: which mentor-mentee pairs may never be matched, and why.

Rules are checked on whole blocks of candidate pairs at once (numpy arrays of
mentees x mentors), so they scale to 20,000 x 5,000 candidates in chunks. Each rule
gives a boolean "excluded" mask; a pair is allowed when no rule excludes it.
Where data is missing on either side (no languages given, no time zone), a rule
cannot judge and lets the pair through; the readiness report counts such gaps.

Used by the readiness report (who is likely to stay unmatched, and why) and by
matching (candidate pairs before scoring, and the reasons given to unmatched people).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..design.vocabulary import HARD_RULE, HARD_RULES
from ..intake.cells import DAYS, utc_offset_hours

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["RULES", "RuleContext", "SLOTS_PER_WEEK", "availability_bits", "language_bits", "codes"]

# Rule name -> how the reason reads to a participant ("11 share your reporting line").
# Rule name -> how an unmatched person is told about it (from the one registry of hard rules).
RULES: dict[str, str] = {rule.name: rule.excludes for rule in HARD_RULES}

SLOT_MINUTES = 30
SLOTS_PER_WEEK = 7 * 24 * 60 // SLOT_MINUTES  # 336 half-hour slots
_WORDS = (SLOTS_PER_WEEK + 63) // 64


def codes(values: pd.Series) -> np.ndarray:
    """Integer codes for a category column; -1 for missing (missing never equals anything)."""
    categorical = pd.Categorical(values)
    return np.asarray(categorical.codes, dtype=np.int64)


def language_bits(languages: Sequence[Sequence[str]]) -> np.ndarray:
    """Languages as bit sets: shape (people, words) of uint64; all zero = not given."""
    vocabulary = sorted({language.casefold() for items in languages for language in (items or ())})
    position = {language: index for index, language in enumerate(vocabulary)}
    words = max(1, (len(vocabulary) + 63) // 64)
    bits = np.zeros((len(languages), words), dtype=np.uint64)
    for person, items in enumerate(languages):
        for language in items or ():
            index = position[language.casefold()]
            bits[person, index // 64] |= np.uint64(1) << np.uint64(index % 64)
    return bits


def availability_bits(windows: Sequence[Sequence[str]], offsets: Sequence[float | None]) -> np.ndarray:
    """Weekly availability as half-hour UTC slots: shape (people, 6) of uint64; zero = not given."""
    bits = np.zeros((len(windows), _WORDS), dtype=np.uint64)
    for person, (items, offset) in enumerate(zip(windows, offsets)):
        if not items:
            continue
        shift = int(round(-(offset or 0.0) * 60 / SLOT_MINUTES))
        for window in items:
            day = DAYS.index(window[:3])
            start_text, end_text = window[4:].split("-")
            start = int(start_text[:2]) * 60 + int(start_text[3:])
            end = int(end_text[:2]) * 60 + int(end_text[3:])
            first = (day * 24 * 60 + start) // SLOT_MINUTES
            last = (day * 24 * 60 + end + SLOT_MINUTES - 1) // SLOT_MINUTES
            for slot in range(first, last):
                utc_slot = (slot + shift) % SLOTS_PER_WEEK
                bits[person, utc_slot // 64] |= np.uint64(1) << np.uint64(utc_slot % 64)
    return bits


def popcount(array: np.ndarray) -> np.ndarray:
    return np.bitwise_count(array)


@dataclass
class _Side:
    """One side of the candidate pairs, encoded for vectorised rule checks."""

    ids: np.ndarray
    department: np.ndarray
    team: np.ndarray
    seniority: np.ndarray
    offset: np.ndarray
    languages: np.ndarray
    availability: np.ndarray


@dataclass
class RuleContext:
    """A roster and design encoded for vectorised hard-rule checks.

    Build with :meth:`build`; then :meth:`excluded` gives, for a block of mentees,
    one "excluded" mask per rule, and :meth:`allowed` the pairs no rule excludes.

    Attributes
    ----------
    mentees, mentors
        The two sides (for peer pools the same people on both sides).
    active
        The rules the design switches on, in :data:`RULES` order.
    pair_rules
        Sparse rules between named people: rule -> (mentee positions, mentor positions).
    """

    mentees: _Side
    mentors: _Side
    active: tuple[str, ...]
    pair_rules: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    seniority_rule: tuple[str, float, float] | None = None
    max_timezone_difference: float | None = None
    min_overlap_slots: int | None = None

    @classmethod
    def build(
        cls,
        roster: Roster,
        design: ProgramDesign,
        *,
        mentee_ids: Sequence[str] | None = None,
        mentor_ids: Sequence[str] | None = None,
        reference_date: dt.date | None = None,
    ) -> RuleContext:
        """Encode a roster for the rules of a design.

        Parameters
        ----------
        roster
            A :class:`~toolkit.roster.Roster`.
        design
            A :class:`~toolkit.design.ProgramDesign`.
        mentee_ids, mentor_ids
            The two sides; by default the roster's mentees and mentors (for a
            ``peer_pairs`` design, everyone on both sides).
        reference_date
            The date at which time-zone offsets are taken (daylight saving); by
            default the design's start date, else today.
        """
        participants = roster.participants.set_index("participant_id", drop=False)
        if mentee_ids is None or mentor_ids is None:
            if design.shape == "peer_pairs":
                pool = list(participants["participant_id"])
                mentee_ids, mentor_ids = mentee_ids or pool, mentor_ids or pool
            else:
                mentee_ids = mentee_ids if mentee_ids is not None else list(roster.mentees["participant_id"])
                mentor_ids = mentor_ids if mentor_ids is not None else list(roster.mentors["participant_id"])
        when = reference_date or getattr(design, "start_date", None) or dt.date.today()

        # Encode both sides over the same vocabulary so codes compare across sides.
        everyone = participants.loc[list(dict.fromkeys(list(mentee_ids) + list(mentor_ids)))]
        department = codes(everyone["department"])
        team_keys = everyone["department"].fillna("").astype(str) + "\u241f" + everyone["team"].astype(object).where(
            everyone["team"].notna(), None).astype(str)
        team = np.where(everyone["team"].notna().to_numpy(), codes(team_keys), -1)
        seniority = pd.to_numeric(everyone["seniority"], errors="coerce").to_numpy(dtype=float)
        offsets = [utc_offset_hours(zone, when) if isinstance(zone, str) else None for zone in everyone["timezone"]]
        offset = np.array([np.nan if value is None else value for value in offsets], dtype=float)
        languages = language_bits(list(everyone["languages"]))
        availability = availability_bits(list(everyone["availability"]), offsets)
        position = {participant: index for index, participant in enumerate(everyone.index)}

        def side(ids: Sequence[str]) -> _Side:
            rows = np.array([position[participant] for participant in ids], dtype=np.int64)
            return _Side(
                ids=np.array(list(ids), dtype=object), department=department[rows], team=team[rows],
                seniority=seniority[rows], offset=offset[rows], languages=languages[rows],
                availability=availability[rows],
            )

        rules = design.rules
        active = [rule.name for rule in HARD_RULES if rule.is_on(design)]
        direction = design.seniority.direction
        seniority_rule = (direction, design.seniority.min_gap, design.seniority.max_gap) if direction != "any" else None
        min_overlap_slots = None
        if rules.min_availability_overlap_hours is not None:
            min_overlap_slots = int(np.ceil(rules.min_availability_overlap_hours * 60 / SLOT_MINUTES))

        context = cls(
            mentees=side(mentee_ids), mentors=side(mentor_ids), active=tuple(active),
            seniority_rule=seniority_rule, max_timezone_difference=rules.max_timezone_difference_hours,
            min_overlap_slots=min_overlap_slots,
        )
        context.pair_rules = context._named_pairs(roster, participants)
        return context

    # ------------------------------------------------------------------------------------
    def _named_pairs(self, roster: Roster, participants: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Rules between named people, as sparse (mentee position, mentor position) lists."""
        mentee_position = {participant: index for index, participant in enumerate(self.mentees.ids)}
        mentor_position = {participant: index for index, participant in enumerate(self.mentors.ids)}
        relations: dict[str, set[tuple[str, str]]] = {name: set() for name in
                                                       ("self", "own_manager", "reporting_line", "exclusions",
                                                        "previous_partners")}
        for participant in set(mentee_position) & set(mentor_position):
            relations["self"].add((participant, participant))
        if "own_manager" in self.active or "reporting_line" in self.active:
            for person, chain in roster.management_chains().items():
                for depth, superior in enumerate(chain):
                    rule = "own_manager" if depth == 0 else "reporting_line"
                    if rule not in self.active:
                        continue
                    relations[rule].add((person, superior))
                    relations[rule].add((superior, person))
        for rule, column in (("exclusions", "exclusions"), ("previous_partners", "previous_partners")):
            if rule not in self.active:
                continue
            for person, others in zip(participants["participant_id"], participants[column]):
                for other in others or ():
                    relations[rule].add((person, other))
                    relations[rule].add((other, person))
        pairs = {}
        for rule, pairs_set in relations.items():
            kept = sorted((mentee_position[a], mentor_position[b]) for a, b in pairs_set
                          if a in mentee_position and b in mentor_position)
            if kept:
                array = np.array(kept, dtype=np.int64)
                pairs[rule] = (array[:, 0], array[:, 1])
            else:
                pairs[rule] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return pairs

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentees.ids), len(self.mentors.ids)

    def excluded(self, start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
        """For mentees ``start:stop``, one boolean mask (mentees x mentors) per active rule.

        Rules between named people come first (they are the ones that cannot be relaxed).
        """
        stop = len(self.mentees.ids) if stop is None else stop
        order = sorted(self.active, key=lambda name: not HARD_RULE[name].pairwise)
        return {name: MASKS[name](self, start, stop, name) for name in order}

    def allowed(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """For mentees ``start:stop``, True where no rule excludes the pair."""
        masks = self.excluded(start, stop)
        blocked = np.zeros(next(iter(masks.values())).shape, dtype=bool)
        for mask in masks.values():
            blocked |= mask
        return ~blocked

    def chunks(self, rows_per_chunk: int | None = None) -> Iterator[tuple[int, int]]:
        """Mentee blocks of a size that keeps each mask around 20 MB."""
        width = max(1, len(self.mentors.ids))
        rows_per_chunk = rows_per_chunk or max(1, 20_000_000 // (width * 8))
        for start in range(0, len(self.mentees.ids), rows_per_chunk):
            yield start, min(start + rows_per_chunk, len(self.mentees.ids))

    def exclusion_counts(self) -> pd.DataFrame:
        """Per mentee: how many mentors each rule excludes, and how many remain eligible.

        Columns: ``participant_id``, ``eligible``, then one column per active rule.
        A mentor may be excluded by several rules; each rule's count is on its own.
        """
        frames = []
        for start, stop in self.chunks():
            masks = self.excluded(start, stop)
            blocked = np.zeros((stop - start, len(self.mentors.ids)), dtype=bool)
            counts = {}
            for rule, mask in masks.items():
                counts[rule] = mask.sum(axis=1)
                blocked |= mask
            counts["eligible"] = (~blocked).sum(axis=1)
            frame = pd.DataFrame(counts)
            frame.insert(0, "participant_id", self.mentees.ids[start:stop])
            frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=["participant_id", "eligible", *self.active])
        result = pd.concat(frames, ignore_index=True)
        ordered = ["participant_id", "eligible"] + [rule for rule in RULES if rule in result.columns]
        return result[ordered]


# ------------------------------------------------------------------------------------------------
# One mask function per hard rule: (context, first mentee, stop, rule name) -> excluded (mentees x mentors).
# ------------------------------------------------------------------------------------------------
MaskFunction = Callable[[RuleContext, int, int, str], np.ndarray]
MASKS: dict[str, MaskFunction] = {}


def mask(*names: str) -> Callable[[MaskFunction], MaskFunction]:
    """Register the mask function of one or more hard rules (each named in ``HARD_RULES``)."""

    def register(function: MaskFunction) -> MaskFunction:
        for name in names:
            MASKS[name] = function
        return function

    return register


@mask("self", "own_manager", "reporting_line", "exclusions", "previous_partners")
def _named_pair_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    """Rules between named people: the sparse pairs built from the org chart and the roster's lists."""
    mask = np.zeros((stop - start, len(context.mentors.ids)), dtype=bool)
    mentee_positions, mentor_positions = context.pair_rules.get(rule, (np.zeros(0, int), np.zeros(0, int)))
    inside = (mentee_positions >= start) & (mentee_positions < stop)
    mask[mentee_positions[inside] - start, mentor_positions[inside]] = True
    return mask


@mask("same_team")
def _same_team_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    a, b = context.mentees.team[start:stop, None], context.mentors.team[None, :]
    return (a == b) & (a >= 0)


@mask("same_department")
def _same_department_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    a, b = context.mentees.department[start:stop, None], context.mentors.department[None, :]
    return (a == b) & (a >= 0)


@mask("no_shared_language")
def _no_shared_language_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    a, b = context.mentees.languages[start:stop], context.mentors.languages
    shared = np.zeros((stop - start, len(context.mentors.ids)), dtype=bool)
    for word in range(a.shape[1]):
        shared |= (a[:, None, word] & b[None, :, word]) != 0
    return _both_known(a, b) & ~shared


@mask("seniority")
def _seniority_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    """Pairs outside the design's gap. A missing grade (blank, or a non-answer such as "Prefer not to say")
    cannot be checked, so its pairs are never excluded: the readiness check counts these people."""
    if context.seniority_rule is None:  # the rule is off ("any"): nothing excluded
        return np.zeros((stop - start, len(context.mentors.ids)), dtype=bool)
    direction, min_gap, max_gap = context.seniority_rule
    gap = context.mentors.seniority[None, :] - context.mentees.seniority[start:stop, None]  # mentor above: positive
    if direction == "mentee_senior":
        gap = -gap
    with np.errstate(invalid="ignore"):
        bad = np.abs(gap) > max_gap if direction == "similar" else (gap < min_gap) | (gap > max_gap)
    return bad & ~np.isnan(gap)


@mask("timezone")
def _timezone_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    if context.max_timezone_difference is None:  # no limit set: nothing excluded
        return np.zeros((stop - start, len(context.mentors.ids)), dtype=bool)
    difference = np.abs(context.mentors.offset[None, :] - context.mentees.offset[start:stop, None])
    difference = np.minimum(difference, 24 - difference)
    with np.errstate(invalid="ignore"):
        return (difference > context.max_timezone_difference) & ~np.isnan(difference)


@mask("availability")
def _availability_mask(context: RuleContext, start: int, stop: int, rule: str) -> np.ndarray:
    a, b = context.mentees.availability[start:stop], context.mentors.availability
    overlap = np.zeros((stop - start, len(context.mentors.ids)), dtype=np.int64)
    for word in range(a.shape[1]):
        overlap += popcount(a[:, None, word] & b[None, :, word])
    if context.min_overlap_slots is None:  # no minimum set: nothing excluded
        return np.zeros(overlap.shape, dtype=bool)
    return _both_known(a, b) & (overlap < context.min_overlap_slots)


def _both_known(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mentees (rows of ``a``) x mentors (rows of ``b``): True where both gave something (any bit set)."""
    return np.asarray(a.any(axis=1))[:, None] & np.asarray(b.any(axis=1))[None, :]
