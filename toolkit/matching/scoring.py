"""Criteria -> per-pair scores, vectorised, with the evidence behind each part.

Each criterion of a design gives a *part* in [0, 1] for a candidate pair; the pair's
score is the sum of ``weight x part`` over the criteria, so the weighted parts always
add up exactly to the score shown. Criteria (weights in ``design.criteria``):

==================  ======================================================================
skills              share of the mentee's ``skills_sought`` the mentor offers
goals               share of the mentee's development goals the mentor also names
seniority           closeness to the design's ideal gap, in its direction (reverse: mentee senior)
language            languages in common: one shared language 0.5, two or more 1
cross_department    1 when the two are in different departments
timezone            1 - (hours apart / 12), so the same zone is 1 and opposite sides 0
availability        hours of weekly availability in common, up to 2 hours = 1
meeting_mode        1 when preferences are compatible (equal, hybrid or no preference), else 0; when
                    either wants to meet in person and both sites are known, only the same site is 1
preferences         the mentee ranked this mentor: first choice 1, second 0.75, third 0.5, later 0.25
same_site           1 when both sites are known and the same
==================  ======================================================================

The criteria and their words come from the registry (:data:`toolkit.criteria.CRITERIA_REGISTRY`);
here each has one part function (``@part("name")``: its numbers) and one facts function
(``@facts("name")``: what the pair has in common, which fills the registry's evidence and card
templates). ``tests/test_criteria_registry.py`` checks the three agree.

Missing data on either side gives a part of 0 (never a guess); the readiness report
says who is missing what. Blocks of mentees are scored at once (numpy), so candidate
sets of 20,000 x 5,000 are scored chunk by chunk in bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..criteria import CRITERIA_REGISTRY, CRITERION
from ..design.vocabulary import HARD_RULES
from .rules import RuleContext, popcount

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["CRITERIA", "PARTS", "FACTS", "PairBlock", "Applied", "ScoreModel", "applied", "evidence", "pair_facts",
           "meeting_mode_evidence"]

CRITERIA = tuple(criterion.name for criterion in CRITERIA_REGISTRY)
_RANK_PART = (1.0, 0.75, 0.5)
# Most mentee (meeting mode x site) states tabulated against every mentor (beyond: computed pair by pair).
MAX_MODE_STATES = 600


def _multi_hot(values: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(values), max(1, len(vocabulary))), dtype=np.float32)
    for row, items in enumerate(values):
        for item in items or ():
            matrix[row, vocabulary[item.casefold()]] = 1.0
    return matrix


@dataclass
class ScoreModel:
    """A roster and design encoded for scoring blocks of candidate pairs.

    Build with :meth:`build`; :meth:`parts` gives the weighted parts for mentees
    ``start:stop`` against every mentor, and :meth:`pair_parts` for chosen pairs.
    """

    context: RuleContext
    weights: dict[str, float]
    sought: np.ndarray
    offered: np.ndarray
    mentee_goals: np.ndarray
    mentor_goals: np.ndarray
    mentee_departments: np.ndarray
    mentor_departments: np.ndarray
    mentee_mode_codes: np.ndarray
    mentor_mode_codes: np.ndarray
    mentee_sites: np.ndarray
    mentor_sites: np.ndarray
    preference_rank: dict[tuple[int, int], int]
    ideal_gap: float
    gap_span: float
    direction: str
    symmetric: bool = False
    mode_states: np.ndarray | None = None  # mentee (mode, site) state: a row of mode_table
    mode_table: np.ndarray | None = None  # meeting-mode part per mentee state x mentor

    @classmethod
    def build(cls, roster: Roster, design: ProgramDesign, *, context: RuleContext | None = None,
              mentee_ids: Sequence[str] | None = None, mentor_ids: Sequence[str] | None = None) -> ScoreModel:
        """Encode ``roster`` for ``design`` (the two sides default to the design's shape)."""
        context = context or RuleContext.build(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
        people = roster.participants.set_index("participant_id", drop=False)
        mentees = people.loc[list(context.mentees.ids)]
        mentors = people.loc[list(context.mentors.ids)]
        skills = {item.casefold() for column in ("skills_sought", "skills_offered") for items in people[column]
                  for item in items or ()}
        skill_index = {item: index for index, item in enumerate(sorted(skills))}
        goals = {item.casefold() for items in people["goals"] for item in items or ()}
        goal_index = {item: index for index, item in enumerate(sorted(goals))}
        mentor_position = {participant: index for index, participant in enumerate(context.mentors.ids)}
        ranks: dict[tuple[int, int], int] = {}
        for row, choices in enumerate(mentees["preferences"]):
            for rank, choice in enumerate(choices or ()):
                if choice in mentor_position:
                    ranks.setdefault((row, mentor_position[choice]), rank)
        sites = _site_codes(list(mentees["site"]) + list(mentors["site"]))
        seniority = design.seniority
        span = max(1.0, float(seniority.max_gap - seniority.min_gap + 1))
        model = cls(
            context=context,
            weights={name: float(design.criteria[name]) for name in design.criteria.active() if name in CRITERIA},
            sought=_multi_hot(list(mentees["skills_sought"]), skill_index),
            offered=_multi_hot(list(mentors["skills_offered"]), skill_index),
            mentee_goals=_multi_hot(list(mentees["goals"]), goal_index),
            mentor_goals=_multi_hot(list(mentors["goals"]), goal_index),
            mentee_departments=context.mentees.department, mentor_departments=context.mentors.department,
            mentee_mode_codes=_mode_codes(mentees["meeting_mode"]), mentor_mode_codes=_mode_codes(mentors["meeting_mode"]),
            mentee_sites=sites[:len(mentees)], mentor_sites=sites[len(mentees):],
            preference_rank=ranks, ideal_gap=float(seniority.ideal_gap), gap_span=span,
            direction=seniority.direction, symmetric=design.shape == "peer_pairs",
        )
        model._tabulate_meeting_mode(int(sites.max(initial=-1)) + 2)
        return model

    def _tabulate_meeting_mode(self, site_values: int) -> None:
        """The meeting-mode part as a table (mentee mode x site) x mentor, when the sites are few.

        A mentee's part against every mentor depends only on their mode and site, so a block of
        mentees is one row gather: as fast as the plain mode check, whatever the sites.
        """
        if 3 * site_values > MAX_MODE_STATES:
            return
        modes = np.repeat(np.arange(3, dtype=np.int8), site_values)
        sites = np.tile(np.arange(-1, site_values - 1, dtype=np.int64), 3)
        self.mode_table = _meeting_mode_part(modes[:, None], self.mentor_mode_codes[None, :], sites[:, None],
                                             self.mentor_sites[None, :])
        self.mode_states = self.mentee_mode_codes.astype(np.int64) * site_values + self.mentee_sites + 1

    @property
    def active(self) -> list[str]:
        """Criteria with a weight above zero, in the design's order (``design.criteria.active()``)."""
        return [name for name, weight in self.weights.items() if weight > 0]

    # -- parts for a block of mentees x all mentors, or for chosen pairs ---------------------------
    def raw_parts(self, start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
        """Unweighted parts in [0, 1] for mentees ``start:stop`` x every mentor, per active criterion."""
        stop = self.context.shape[0] if stop is None else stop
        return self._raw(np.arange(start, stop), np.arange(self.context.shape[1]), block=True)

    def pair_parts(self, rows: np.ndarray, cols: np.ndarray) -> dict[str, np.ndarray]:
        """Weighted parts for the pairs (rows[i], cols[i]) only: the same numbers as :meth:`parts` gives."""
        raw = self._raw(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), block=False)
        return {name: self.weights[name] * np.asarray(value, dtype=float) for name, value in raw.items()}

    def _raw(self, rows: np.ndarray, cols: np.ndarray, *, block: bool) -> dict[str, np.ndarray]:
        """Criteria on mentees ``rows`` x mentors ``cols`` (block) or on the pairs zip(rows, cols)."""
        at = PairBlock(rows, cols, block)
        return {name: PARTS[name](self, at) for name in self.active}

    def preference_part(self, rows: np.ndarray, cols: np.ndarray, block: bool) -> np.ndarray:
        """The ranked-choice part, from the sorted (mentee, mentor) keys of everyone's choices."""
        width = max(self.context.shape[1], 1)
        if not self.preference_rank:
            return np.zeros((len(rows), len(cols)) if block else len(rows))
        items = sorted(self.preference_rank.items())
        keys = np.array([row * width + col for (row, col), _ in items], dtype=np.int64)
        values = np.array([_RANK_PART[rank] if rank < len(_RANK_PART) else 0.25 for _, rank in items])
        if block:
            out = np.zeros((len(rows), len(cols)))
            if not len(rows):
                return out
            first, last = np.searchsorted(keys, [rows.min() * width, (rows.max() + 1) * width])
            inside_rows, inside_cols = keys[first:last] // width, keys[first:last] % width
            column_at = np.full(width, -1)
            column_at[cols] = np.arange(len(cols))
            row_at = np.full(int(rows.max()) + 1, -1)
            row_at[rows] = np.arange(len(rows))  # any rows, not only a contiguous block
            keep = (column_at[inside_cols] >= 0) & (row_at[inside_rows] >= 0)
            out[row_at[inside_rows[keep]], column_at[inside_cols[keep]]] = values[first:last][keep]
            return out
        wanted = rows * width + cols
        position = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[position] == wanted, values[position], 0.0)

    def parts(self, start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
        """Weighted parts (weight x part) for mentees ``start:stop`` x every mentor."""
        # float64 throughout (a float32 part times a weight would round differently in a re-weighting)
        return {name: self.weights[name] * np.asarray(value, dtype=float)
                for name, value in self.raw_parts(start, stop).items()}

    def scores_of(self, rows: np.ndarray) -> np.ndarray:
        """Scores for the mentees at positions ``rows`` x every mentor (the same numbers as :meth:`scores`)."""
        total = np.zeros((len(rows), self.context.shape[1]))
        if not len(rows):
            return total
        for name, value in self._raw(np.asarray(rows, dtype=np.int64), np.arange(self.context.shape[1]),
                                     block=True).items():
            total += self.weights[name] * np.asarray(value, dtype=float)
        return total

    def scores(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Scores (sum of weighted parts) for mentees ``start:stop`` x every mentor."""
        parts = self.parts(start, stop)
        stop = self.context.shape[0] if stop is None else stop
        total = np.zeros((stop - start, self.context.shape[1]))
        for value in parts.values():
            total += value
        return total


@dataclass(frozen=True)
class PairBlock:
    """Mentees ``rows`` x mentors ``cols`` (``block``) or the pairs zip(rows, cols): what a part function scores."""

    rows: np.ndarray
    cols: np.ndarray
    block: bool

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.rows), len(self.cols)) if self.block else (len(self.rows),)

    def pair(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A mentee-side and a mentor-side array, lined up for elementwise comparison."""
        if self.block:
            return first[self.rows][:, None], second[self.cols][None, :]
        return first[self.rows], second[self.cols]

    def bits_in_common(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Bits set on both sides (bit sets as rows of uint64 words)."""
        common = np.zeros(self.shape, dtype=np.int64)
        for word in range(first.shape[1]):
            a, b = self.pair(first[:, word], second[:, word])
            common += popcount(a & b)
        return common


PartFunction = Callable[[ScoreModel, PairBlock], np.ndarray]
PARTS: dict[str, PartFunction] = {}
FactsFunction = Callable[[Mapping[str, Any], Mapping[str, Any], str], "dict[str, Any] | None"]
FACTS: dict[str, FactsFunction] = {}


def _registrar(table: dict[str, Any]) -> Callable[..., Callable[[Any], Any]]:
    """A decorator factory that files a function under one or more criterion names in ``table``."""

    def names(*criteria: str) -> Callable[[Any], Any]:
        def register(function: Any) -> Any:
            for name in criteria:
                table[name] = function
            return function

        return register

    return names


# @part("name"): the criterion's part in [0, 1] for a PairBlock; @facts("name"): (mentee, mentor, mentor id) ->
# the fields its registry templates are filled with, or None when the pair has nothing to show for it.
part = _registrar(PARTS)
facts = _registrar(FACTS)


@part("skills")
def _skills_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    return _share(model.sought[at.rows], model.offered[at.cols], at.block)


@part("goals")
def _goals_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    return _share(model.mentee_goals[at.rows], model.mentor_goals[at.cols], at.block)


@part("seniority")
def _seniority_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    a, b = at.pair(model.context.mentees.seniority, model.context.mentors.seniority)
    gap = b - a
    if model.direction == "mentee_senior":
        gap = -gap
    if model.direction == "similar":
        closeness = 1.0 - np.abs(gap) / model.gap_span
    elif model.direction == "any":
        closeness = np.ones_like(gap)
    else:
        closeness = 1.0 - np.abs(gap - model.ideal_gap) / model.gap_span
    # A missing grade: the pair is made without seniority (no credit, never a guessed level).
    return np.nan_to_num(np.clip(closeness, 0.0, 1.0), nan=0.0)


@part("language")
def _language_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    return np.minimum(at.bits_in_common(model.context.mentees.languages, model.context.mentors.languages), 2) / 2.0


@part("cross_department")
def _cross_department_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    a, b = at.pair(model.mentee_departments, model.mentor_departments)
    return ((a != b) & (a >= 0) & (b >= 0)).astype(float)


@part("timezone")
def _timezone_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    a, b = at.pair(model.context.mentees.offset, model.context.mentors.offset)
    difference = np.abs(b - a)
    difference = np.minimum(difference, 24 - difference)
    return np.nan_to_num(np.clip(1.0 - difference / 12.0, 0.0, 1.0), nan=0.0)


@part("availability")
def _availability_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    overlap = at.bits_in_common(model.context.mentees.availability, model.context.mentors.availability)
    return np.minimum(overlap / 4.0, 1.0)  # 4 half-hour slots = 2 hours


@part("meeting_mode")
def _meeting_mode(model: ScoreModel, at: PairBlock) -> np.ndarray:
    if model.mode_table is None or model.mode_states is None:
        return _meeting_mode_part(*at.pair(model.mentee_mode_codes, model.mentor_mode_codes),
                                  *at.pair(model.mentee_sites, model.mentor_sites))
    if at.block:
        table = model.mode_table if len(at.cols) == model.mode_table.shape[1] else model.mode_table[:, at.cols]
        return table[model.mode_states[at.rows]]
    return model.mode_table[model.mode_states[at.rows], at.cols]


@part("preferences")
def _preferences_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    return model.preference_part(at.rows, at.cols, at.block)


@part("same_site")
def _same_site_part(model: ScoreModel, at: PairBlock) -> np.ndarray:
    a, b = at.pair(model.mentee_sites, model.mentor_sites)
    return ((a == b) & (a >= 0)).astype(float)


def _meeting_mode_part(a: np.ndarray, b: np.ndarray, here: np.ndarray, there: np.ndarray) -> np.ndarray:
    """1 where the meeting modes ``a``, ``b`` (codes) at sites ``here``, ``there`` (codes, -1 unknown) suit
    each other: not in person against virtual, and not in person at two known, different sites."""
    clash = ((a == 1) & (b == 2)) | ((a == 2) & (b == 1))
    apart = ((a == 1) | (b == 1)) & (here != there) & (here >= 0) & (there >= 0)
    return (~(clash | apart)).astype(float)


def _mode_codes(modes) -> np.ndarray:
    """Meeting modes as small integers: 1 in person, 2 virtual, 0 anything else (compatible with both)."""
    return np.array([{"in_person": 1, "virtual": 2}.get(mode, 0) if isinstance(mode, str) else 0 for mode in modes],
                    dtype=np.int8)


def _site_codes(sites) -> np.ndarray:
    """Sites as integer codes over both sides (case and spacing ignored); -1 where not given."""
    keys = [" ".join(site.split()).casefold() if isinstance(site, str) and site.strip() else None for site in sites]
    index = {key: position for position, key in enumerate(sorted({key for key in keys if key is not None}))}
    return np.array([index[key] if key is not None else -1 for key in keys], dtype=np.int64)


def _site(person) -> str | None:
    site = person.get("site") if hasattr(person, "get") else None
    return " ".join(site.split()) if isinstance(site, str) and site.strip() else None


def meeting_mode_evidence(mentee, mentor) -> str | None:
    """How the two meeting preferences meet, naming both sites when either wants to meet in person.

    ``"in_person / in_person: in person, but Peterhead and Grimsby"`` (scored as a mismatch),
    ``"in_person / hybrid, both at Peterhead"``, or, with a site missing, ``"...; location unknown
    for the mentor, so in person was not checked against sites"`` (scored as before: never a guess).
    """
    modes = (mentee["meeting_mode"], mentor["meeting_mode"])
    if not (modes[0] or modes[1]):
        return None
    text = f"{modes[0] or 'not given'} / {modes[1] or 'not given'}"
    if "in_person" not in modes or "virtual" in modes:
        return text
    here, there = _site(mentee), _site(mentor)
    if here and there:
        if here.casefold() == there.casefold():
            return f"{text}, both at {here}"
        return f"{text}: in person, but {here} and {there}"
    unknown = " and ".join(side for side, site in (("the mentee", here), ("the mentor", there)) if not site)
    return f"{text}; location unknown for {unknown}, so in person was not checked against sites"


def _share(wanted: np.ndarray, offered: np.ndarray, block: bool = True) -> np.ndarray:
    """Share of each row's wanted items that each column offers (0 when nothing is wanted); pairwise
    (row i with column i) when ``block`` is False, with the same float32 arithmetic."""
    counts = wanted.sum(axis=1, keepdims=block)
    common = wanted @ offered.T if block else (wanted * offered).sum(axis=1, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, common / np.maximum(counts, 1), 0.0)


def _common(first, second) -> list[str]:
    """Items of ``second`` also in ``first`` (case ignored), in ``first``'s spelling."""
    wanted = {item.casefold(): item for item in first or ()}
    return [wanted[item.casefold()] for item in second or () if item.casefold() in wanted]


@facts("skills")
def _skills_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    items = _common(mentee["skills_sought"], mentor["skills_offered"])
    return {"items": ", ".join(items), "sought": len(mentee["skills_sought"])} if items else None


@facts("goals")
def _goals_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    items = _common(mentee["goals"], mentor["goals"])
    return {"items": ", ".join(items)} if items else None


@facts("language")
def _language_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    items = _common(mentee["languages"], mentor["languages"])
    return {"items": ", ".join(items)} if items else None


@facts("cross_department")
def _cross_department_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    if mentee["department"] and mentor["department"] and mentee["department"] != mentor["department"]:
        return {"mentee_department": mentee["department"], "mentor_department": mentor["department"]}
    return None


@facts("seniority")
def _seniority_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    if mentee["seniority"] is not None and mentor["seniority"] is not None:
        return {"mentee_level": mentee["seniority"], "mentor_level": mentor["seniority"]}
    return None


@facts("timezone")
def _timezone_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    if mentee["timezone"] and mentor["timezone"]:
        return {"mentee_zone": mentee["timezone"], "mentor_zone": mentor["timezone"]}
    return None


@facts("availability")
def _availability_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    return None  # the explanation shows the part; the slots are not worth a sentence


@facts("meeting_mode")
def _meeting_mode_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    text = meeting_mode_evidence(mentee, mentor)
    return {"text": text} if text else None


@facts("preferences")
def _preferences_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    chosen = list(mentee["preferences"] or ())
    return {"rank": chosen.index(mentor_id) + 1} if mentor_id in chosen else None


@facts("same_site")
def _same_site_facts(mentee, mentor, mentor_id: str) -> dict[str, Any] | None:
    here, there = _site(mentee), _site(mentor)
    return {"site": here} if here and there and here.casefold() == there.casefold() else None


def pair_facts(roster: Roster, mentee_id: str, mentor_id: str) -> dict[str, dict[str, Any]]:
    """Criterion -> the facts its templates are filled with, for every criterion that has some for this pair."""
    mentee, mentor = roster.get(mentee_id), roster.get(mentor_id)
    found = {}
    for criterion in CRITERIA_REGISTRY:
        fields = FACTS[criterion.name](mentee, mentor, mentor_id)
        if fields is not None:
            found[criterion.name] = fields
    return found


def evidence(roster: Roster, design: ProgramDesign, mentee_id: str, mentor_id: str) -> dict[str, str]:
    """Plain-language evidence per criterion for one pair (what they have in common): the registry's
    ``evidence`` template filled with the criterion's facts."""
    return {name: CRITERION[name].evidence.format(**fields)
            for name, fields in pair_facts(roster, mentee_id, mentor_id).items() if CRITERION[name].evidence}


# The roster fields each criterion and hard rule reads, on (mentee side, mentor side).
CRITERION_FIELDS = {criterion.name: criterion.fields for criterion in CRITERIA_REGISTRY}
RULE_FIELDS = {"same_team": ("team", "team"), "same_department": ("department", "department"),
               "no_shared_language": ("languages", "languages"), "seniority": ("seniority", "seniority"),
               "timezone": ("timezone", "timezone"), "availability": ("availability", "availability"),
               "exclusions": ("exclusions", None), "previous_partners": ("previous_partners", None)}
FIELD_WORDS = {"skills_sought": "skills sought", "skills_offered": "skills offered", "languages": "languages",
               "timezone": "time zone", "meeting_mode": "meeting preference", "previous_partners": "earlier rounds",
               "exclusions": "do-not-match lists", "team": "team", "manager_id": "line manager or org chart",
               "site": "site"}


@dataclass(frozen=True)
class Applied:
    """What a match under a design could actually use for a roster.

    ``rules``: hard rules switched on that had data on both sides (``self`` left out);
    ``unchecked``: rule -> the missing data that left a switched-on rule unchecked;
    ``criteria``: criteria with a weight above zero and data on both sides (heaviest first);
    ``unused``: criterion -> the missing data that left a weighted criterion out.
    """

    rules: tuple[str, ...]
    unchecked: dict[str, str]
    criteria: tuple[str, ...]
    unused: dict[str, str]


def _given(value) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return False
    if isinstance(value, (tuple, list, set, frozenset, str)):
        return len(value) > 0 and (not isinstance(value, str) or bool(value.strip()))
    return True


def applied(roster: Roster, design: ProgramDesign) -> Applied:
    """Which switched-on rules and weighted criteria had data on both sides of ``roster`` (see :class:`Applied`).

    A rule or criterion whose field nobody on one side gave could not act on any pair: nothing may
    claim it shaped the match (the leadership brief and the agreements say only what this returns).
    """
    people = roster.participants
    if design.shape == "peer_pairs":
        sides = (people, people)
    elif design.shape == "circles":
        leaders = roster.facilitators()
        sides = (people[~people["participant_id"].isin(leaders["participant_id"])], leaders)
    else:
        sides = (roster.mentees, roster.mentors)

    def missing(fields: tuple[str | None, str | None]) -> str | None:
        gaps = []
        for side, field in zip(("mentees", "mentors"), fields):
            if field is None:
                continue
            frame = sides[0] if side == "mentees" else sides[1]
            if field not in frame or not frame[field].map(_given).any():
                gaps.append(f"no {FIELD_WORDS.get(field, field.replace('_', ' '))} given")
        return "; ".join(dict.fromkeys(gaps)) or None

    rules, unchecked = [], {}
    chains = None
    for rule in HARD_RULES:
        if rule.name == "self" or not rule.is_on(design):
            continue
        if rule.name in ("own_manager", "reporting_line"):
            if chains is None:
                chains = roster.management_chains()
            gap = None if any(chains.get(p) for p in people["participant_id"]) else "no line manager or org chart given"
        else:
            gap = missing(RULE_FIELDS[rule.name])
        if gap:
            unchecked[rule.name] = gap
        else:
            rules.append(rule.name)
    criteria, unused = [], {}
    for name in design.criteria.active():
        fields = CRITERION_FIELDS.get(name, (name, name))
        gap = missing(fields)
        if gap:
            unused[name] = gap
        else:
            criteria.append(name)
    return Applied(tuple(rules), unchecked, tuple(criteria), unused)
