"""``match(roster, design)``: from a roster and a design to a certified, explained :class:`MatchResult`.

One-to-one designs are solved here on the candidate edges (:mod:`toolkit.matching.solver`: an OR-Tools
min-cost flow for a plain match, HiGHS for pins, quotas and ``max_min``); peer pairs and circles go to
:mod:`toolkit.matching.groups`. The engine hands the solver a :class:`~toolkit.matching.solver.SolverProblem`
and reads back a :class:`~toolkit.matching.solver.Solved` value; neither changes the other's arrays.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..errors import MatchingError, check_option
from .candidates import (
    Candidates,
    TopCandidates,
    build_candidates,
    build_top_candidates,
)
from .choices import choice_worth
from .groups import match_group
from .readiness import BINDING_FIRST, RELAX
from .result import Explanation, MatchResult
from .rules import RULES, RuleContext
from .scoring import CRITERIA, ScoreModel, evidence
from .solver import (
    AUTO_PRUNE_EDGES,
    DEFAULT_TOP_K,
    FLOW_SOLVER_NAME,
    OBJECTIVES,
    Certificate,
    Edges,
    Solved,
    SolverProblem,
    solve,
)

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster
    from .choices import Choices

__all__ = ["match", "WarmMatcher", "check_time_limit"]


def check_time_limit(seconds: object) -> float | None:
    """``seconds`` as a time limit: a finite number above 0, or None (no limit).

    Raises
    ------
    MatchingError
        For 0, a negative number, ``nan``, ``inf`` or text: a limit the solver cannot keep.
    """
    if seconds is None:
        return None
    try:
        value = float(seconds)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(seconds, bool) or not math.isfinite(value) or value <= 0:
        raise MatchingError(f"The time limit {seconds!r} is not a number of seconds the matching can keep.",
                            fix="give a number of seconds above 0 (mentoring-toolkit match --time-limit 60, or "
                                "time_limit=60 in Python), or none to let the matching run to the proven best")
    return value

# Above this many mentee x mentor pairs (and for a plain max_total or max_participation match, without pins,
# bans, quotas or a minimum score) only each mentee's KEEP_PER_MENTEE best pairs are held; the others are
# re-scored block by block when the LP duals say they could improve the answer (candidates.TopCandidates).
HOLD_ALL_PAIRS = 20_000_000
KEEP_PER_MENTEE = 2 * DEFAULT_TOP_K
# Seconds per pair kept from scoring to the greedy match under a time limit (arrays joined and filtered, the
# greedy, the bound): 0.06 us measured on the 2-core reference machine when idle, with a margin.
SECONDS_AFTER_SCORING = 1e-7


def match(
    roster: Roster,
    design: ProgramDesign,
    *,
    required: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
    objective: str | None = None,
    top_k: int | None = None,
    time_limit: float | None = None,
    progress: Callable[[str], None] | None = None,
    candidates: Candidates | None = None,
    choices: Choices | None = None,
) -> MatchResult:
    """Match a roster under a programme design: optimal, certified and explained.

    Parameters
    ----------
    roster
        A :class:`~toolkit.roster.Roster`.
    design
        A :class:`~toolkit.design.ProgramDesign` (its shape picks one-to-one pairs, peer pairs
        or circles; its criteria, rules, capacity, quotas and objective are used).
    required, forbidden
        (mentee_id, mentor_id) pairs to pin or ban (peer pairs: either order).
    objective
        Overrides ``design.objective``.
    top_k
        Candidates per mentee before certification (default: automatic).
    time_limit
        Seconds for the whole match: scoring, every solver phase and pricing round. When it runs
        out the best match found is returned with ``status == "time_limit"`` and the certificate
        says what is proven about it (a bound no match can beat, and how far the match found can
        be from it). The match found is completed best score first within every hard rule, so no
        mentee left out has an eligible mentor with a free place; a limit too short for one solver
        round gives that greedy match directly; scoring stops at the limit too, and the mentees it
        did not reach are listed as unmatched with that reason.
    candidates
        Pairs already scored for this roster and design (both sides in participant-id order), as
        :class:`WarmMatcher` keeps them; by default they are built here.
    progress
        Called with one line of text per phase (the CLI prints them); scoring blocks show a
        progress bar on long runs.
    choices
        A :class:`~toolkit.matching.choices.Choices` (``tk.load_choices``): match on the mentees'
        ranks (first choice worth most); declined pairs are never used.

    One-to-one designs are solved as a b-matching (:func:`toolkit.matching.solver.solve`): a plain
    ``max_total`` or ``max_participation`` match as an OR-Tools min-cost flow, pins, quotas and
    ``max_min`` as an LP in HiGHS; both certified optimal by LP duality.

    Ties: among equally good matches the same one is returned for the same people and settings,
    whatever the order of the rows, because both sides are numbered in participant-id order and
    the model is built in that order.

    Returns
    -------
    MatchResult
    """
    time_limit = check_time_limit(time_limit)
    if design.shape in ("peer_pairs", "circles"):
        return match_group(roster, design, required=required, forbidden=forbidden, time_limit=time_limit)
    clock = time.perf_counter()
    deadline = None if time_limit is None else clock + time_limit
    say = progress or _silent
    objective = objective or design.objective
    check_option("objective", objective, OBJECTIVES, MatchingError)
    if choices is not None:
        forbidden = [*forbidden, *choices.validate(roster).declined_pairs]
    # Both sides in participant-id order: the same people give the same model, whatever the row order.
    sides = _Sides(sorted(roster.mentees["participant_id"]), sorted(roster.mentors["participant_id"]))
    pins = _pair_list(required)
    bans = _pair_list(forbidden)
    # Scoring and solving stop in time to leave a tenth of the limit for the explanations (scoring also leaves
    # the greedy match its time); matching on choices scores every pair.
    explained_by = _less_a_tenth(deadline, time_limit)
    if candidates is None:
        held = _holds_best_only(sides, design, objective, pins, bans, choices)
        candidates = _score(roster, design, sides, held, progress, None if choices is not None else explained_by)
    found = candidates
    scored = len(sides.mentees) if found.scored is None else found.scored
    if scored < len(sides.mentees):
        say(f"the time limit stopped scoring after {scored:,} of {len(sides.mentees):,} mentees")
        found = _with_late_pins(found, pins, sides.mentees, sides.mentors)
    kept = _kept_edges(roster, design, found, sides, pins, bans)
    problem = _solver_problem(roster, design, found, kept, sides, choices, time_limit=time_limit,
                              deadline=explained_by, progress=progress,
                              unscored=np.arange(len(sides.mentees)) >= scored if scored < len(sides.mentees) else None)
    if top_k is None and problem.size > AUTO_PRUNE_EDGES:
        top_k = DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    held_note = f" (each mentee's best, of {found.total:,})" if isinstance(found, TopCandidates) else ""
    say(f"solving ({objective.replace('_', ' ')}) over {problem.size:,} candidate pairs{held_note}")
    solved = solve(problem, objective, top_k)
    if isinstance(found, TopCandidates) and solved.status == "optimal" \
            and solved.certificate.solver != FLOW_SOLVER_NAME:
        # The flow could not be certified and the LP fallback saw only the pairs held: hold them all instead.
        say("the pairs held could not be certified on their own: scoring every pair")
        every = build_candidates(roster, design, mentee_ids=sides.mentees, mentor_ids=sides.mentors,
                                 progress=progress)
        left = None if deadline is None else max(deadline - time.perf_counter(), 0.0)
        return match(roster, design, objective=objective, top_k=top_k, time_limit=left, progress=progress,
                     candidates=every)
    result = _one_to_one_result(roster, design, solved, found, kept, sides, pins, bans, choices, scored)
    say(f"done: {len(result.pairs):,} pairs, {solved.status}")
    result.seconds = time.perf_counter() - clock
    return result


def _less_a_tenth(deadline: float | None, time_limit: float | None) -> float | None:
    """The deadline less a tenth of the time limit (None without a limit)."""
    return None if deadline is None or time_limit is None else deadline - 0.1 * time_limit


def _solver_problem(roster: Roster, design: ProgramDesign, found: Candidates, kept: _Kept, sides: _Sides,
                    choices: Choices | None, *, time_limit: float | None, deadline: float | None,
                    progress: Callable[[str], None] | None, unscored: np.ndarray | None) -> SolverProblem:
    """The b-matching the solver sees: the kept pairs (worth their ranks with ``choices``), demand, capacities,
    quotas, and for held pairs the pricer of those left out; ``unscored``: mentees scoring did not reach."""
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    capacity_array = np.array([float(capacity.get(mentor, design.capacity.default)) for mentor in sides.mentors])
    worth = kept.score if choices is None else choice_worth(choices, kept.rows, kept.cols, kept.score, sides.mentees,
                                                            sides.mentors)
    return SolverProblem(kept.rows, kept.cols, worth.astype(float, copy=False),
                         np.full(len(sides.mentees), float(design.mentee_demand)), capacity_array, kept.required,
                         _quota_rows(roster, design, sides.mentees, kept.rows), time_limit, deadline, progress,
                         unscored=unscored, pricer=found.price if isinstance(found, TopCandidates) else None,
                         best_pair=float(sum(weight for weight in found.model.weights.values() if weight > 0)))


def _one_to_one_result(roster: Roster, design: ProgramDesign, solved: Solved, found: Candidates, kept: _Kept,
                       sides: _Sides, pins: list[tuple[str, str]], bans: list[tuple[str, str]],
                       choices: Choices | None, scored: int) -> MatchResult:
    """The solver's answer as a :class:`MatchResult`: pairs with their parts, everyone unmatched with a reason."""
    answer = _Answer.of(solved, found, kept)
    certificate = answer.certificate
    if choices is not None and solved.status == "time_limit":
        certificate = dataclasses.replace(certificate, notes=[
            *certificate.notes, "the totals above are of the mentees' ranked choices, not of pair scores"])
    pairs = _pairs_with_parts(found.model, answer.rows[answer.chosen], answer.cols[answer.chosen], sides.mentees,
                              sides.mentors)
    result = MatchResult(
        roster=roster, design=design, shape="one_to_one", pairs=pairs,
        circles=pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]),
        unmatched=pd.DataFrame(columns=["participant_id", "role", "reason", "suggestion"]),
        status=solved.status, objective=float(pairs["score"].sum()) if len(pairs) else 0.0,
        certificate=certificate, min_pair_score=solved.bottleneck, required=tuple(pins),
        forbidden=tuple(bans), rule_context=found.context, score_model=found.model, explainer=_explain_one_to_one,
        choices=choices,
        place_value=None if solved.place_value is None else pd.Series(solved.place_value, index=sides.mentors,
                                                                      name="value_of_one_more_place"),
    )
    result.unmatched = _unmatched_one_to_one(result, found.context, answer.rows, answer.cols, answer.score,
                                             answer.eligible, scored)
    return result


def _silent(text: str) -> None:
    """No progress lines (``match`` without ``progress``)."""


class _Sides(NamedTuple):
    """Mentee and mentor ids in participant-id order: positions in the candidate arrays."""

    mentees: list[str]
    mentors: list[str]


def _pair_list(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pins or bans as a list of (mentee, mentor) tuples."""
    return [(mentee, mentor) for mentee, mentor in pairs]


def _holds_best_only(sides: _Sides, design: ProgramDesign, objective: str, pins: list[tuple[str, str]],
                     bans: list[tuple[str, str]], choices: Choices | None) -> bool:
    """Whether only each mentee's best pairs are held (a huge plain match; see HOLD_ALL_PAIRS)."""
    return (len(sides.mentees) * len(sides.mentors) > HOLD_ALL_PAIRS
            and objective in ("max_total", "max_participation") and not design.quotas and not pins
            and not bans and design.rules.min_score is None and choices is None)


def _score(roster: Roster, design: ProgramDesign, sides: _Sides, held: bool,
           progress: Callable[[str], None] | None, deadline: float | None) -> Candidates:
    """Every allowed pair scored (or, ``held``, each mentee's best pairs only), stopping at ``deadline``."""
    say = progress or _silent
    if held:
        say(f"scoring {len(sides.mentees):,} mentees x {len(sides.mentors):,} mentors (keeping each mentee's "
            f"{KEEP_PER_MENTEE} best pairs)")
        return build_top_candidates(roster, design, keep=KEEP_PER_MENTEE, mentee_ids=sides.mentees,
                                    mentor_ids=sides.mentors, progress=progress, deadline=deadline,
                                    seconds_per_pair=SECONDS_AFTER_SCORING)
    say(f"scoring {len(sides.mentees):,} mentees x {len(sides.mentors):,} mentors")
    return build_candidates(roster, design, mentee_ids=sides.mentees, mentor_ids=sides.mentors, progress=progress,
                            deadline=deadline, seconds_per_pair=SECONDS_AFTER_SCORING)


class _Kept(NamedTuple):
    """The candidate pairs the solver may use (bans and the minimum score applied) and which are pinned."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray
    required: np.ndarray


class _EdgeFinder:
    """The candidate edge of a (mentee, mentor) pair, by binary search on the sorted pair keys."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, sides: _Sides) -> None:
        self.rows, self.cols = rows, cols
        self.mentee_position = {participant: index for index, participant in enumerate(sides.mentees)}
        self.mentor_position = {participant: index for index, participant in enumerate(sides.mentors)}
        self.width = max(len(sides.mentors), 1)
        self._keys: np.ndarray | None = None  # (mentee, mentor) keys, increasing as build_candidates yields them

    def knows(self, mentee: str, mentor: str) -> bool:
        """Whether the pair is a mentee and a mentor of the roster."""
        return mentee in self.mentee_position and mentor in self.mentor_position

    def edge(self, mentee: str, mentor: str) -> int | None:
        """The pair's edge, or None when it is not a candidate (or not a mentee and a mentor)."""
        if not self.knows(mentee, mentor):
            return None
        if self._keys is None:  # built once, on the first pin or ban
            self._keys = self.rows * self.width + self.cols
        wanted = self.mentee_position[mentee] * self.width + self.mentor_position[mentor]
        edge = int(np.searchsorted(self._keys, wanted))
        return edge if edge < len(self._keys) and self._keys[edge] == wanted else None


def _kept_edges(roster: Roster, design: ProgramDesign, found: Candidates, sides: _Sides,
                pins: list[tuple[str, str]], bans: list[tuple[str, str]]) -> _Kept:
    """The candidate arrays without the banned pairs and those below the minimum score; pins marked.

    Raises
    ------
    MatchingError
        A pinned pair that is not a mentee and a mentor of the roster, or that breaks a hard rule.
    """
    rows, cols = found.rows.astype(np.int64, copy=False), found.cols.astype(np.int64, copy=False)
    scores = found.scores
    finder = _EdgeFinder(rows, cols, sides)
    keep = np.ones(len(rows), dtype=bool)
    for mentee, mentor in bans:
        edge = finder.edge(mentee, mentor)
        if edge is not None:
            keep[edge] = False
    is_required = np.zeros(len(rows), dtype=bool)
    for mentee, mentor in pins:
        if not finder.knows(mentee, mentor):
            raise MatchingError(f"The pinned pair {mentee} - {mentor} is not a mentee and a mentor of this roster.",
                                fix="pin a mentee (first) with a mentor (second)")
        edge = finder.edge(mentee, mentor)
        if edge is None:
            reasons = _rules_between(found.context, finder.mentee_position[mentee], finder.mentor_position[mentor])
            raise MatchingError(f"The pinned pair {roster.display_name(mentee)} - {roster.display_name(mentor)} "
                                f"breaks the programme's rules ({', '.join(reasons)}).",
                                fix="unpin it, or switch off that rule in the design")
        is_required[edge] = True
    if design.rules.min_score is not None:
        keep &= (scores >= design.rules.min_score) | is_required
    if keep.all():  # (the arrays are not written to: kept as they are when nothing is left out)
        return _Kept(rows, cols, scores, is_required)
    return _Kept(rows[keep], cols[keep], scores[keep], is_required[keep])


def _quota_rows(roster: Roster, design: ProgramDesign, mentee_ids: list[str],
                rows: np.ndarray) -> list[tuple[np.ndarray, float, str]]:
    """One solver row per quota: (edges whose mentee is in the quota's group, minimum matched, name)."""
    extra = []
    participants = roster.participants.set_index("participant_id")
    for number, quota in enumerate(design.quotas):
        column = quota.attribute
        if column not in participants.columns:
            raise MatchingError(f"A quota names the field {column!r}, which the roster does not have.",
                                fix="use a participant field such as department or site")
        members = participants.loc[mentee_ids, column].astype(str).to_numpy() == str(quota.value)
        extra.append((members[rows], float(quota.min_matched), f"quota_{number}"))
    return extra


class _Answer(NamedTuple):
    """The solver's answer over the pairs it used, in (mentee, mentor) order, with what the match reports."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray
    chosen: np.ndarray                                   # edge indices of the pairs chosen
    certificate: Certificate
    eligible: tuple[np.ndarray, np.ndarray] | None      # allowed pairs per mentee and mentor, when only the best are held

    @classmethod
    def of(cls, solved: Solved, found: Candidates, kept: _Kept) -> _Answer:
        if not isinstance(found, TopCandidates):
            return cls(kept.rows, kept.cols, kept.score, np.flatnonzero(solved.chosen), solved.certificate, None)
        # Pricing may have added pairs (after the held ones): back to (mentee, mentor) order.
        edges = solved.edges if solved.edges is not None else Edges(kept.rows, kept.cols, kept.score)
        order = np.lexsort((edges.cols, edges.rows))
        return cls(edges.rows[order], edges.cols[order], edges.score[order], np.flatnonzero(solved.chosen[order]),
                   dataclasses.replace(solved.certificate, candidate_pairs=found.total),
                   (found.eligible, found.mentor_eligible))


class WarmMatcher:
    """Re-match one roster quickly as settings change (the matching studio's engine).

    The hard rules and every criterion's unweighted part are evaluated once per roster and set
    of rules; a change of weights re-weights the kept parts (no re-scoring), a pin or a ban only
    changes one pair's bounds, and the objective only the phases solved. Anything else in the
    design (rules, capacities, seniority, quotas) scores afresh. The answer is always the one
    :func:`match` gives for the same settings: the same pairs, certified the same way.

    Call it like :func:`match`: ``warm(roster, design, required=..., forbidden=...)``.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._base: Candidates | None = None

    def __call__(self, roster: Roster, design: ProgramDesign, **options) -> MatchResult:
        if design.shape != "one_to_one":
            return match(roster, design, **options)
        base = self._scored(roster, design)
        weights = {name: float(design.criteria[name]) for name in design.criteria.active() if name in CRITERIA}
        model = dataclasses.replace(base.model, weights=weights)
        scores = np.zeros(len(base.rows))
        for name in model.active:
            scores += weights[name] * base.parts[name]
        found = Candidates(base.context, model, base.rows, base.cols, scores)
        return match(roster, design, candidates=found, **options)

    def _scored(self, roster: Roster, design: ProgramDesign) -> Candidates:
        settings = design.to_dict()
        settings.pop("criteria", None)
        settings.pop("objective", None)
        key = (id(roster), repr(sorted(settings.items(), key=lambda item: item[0])))
        if key != self._key or self._base is None:
            mentee_ids = sorted(roster.mentees["participant_id"])
            mentor_ids = sorted(roster.mentors["participant_id"])
            context = RuleContext.build(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids)
            model = ScoreModel.build(roster, design, context=context)
            every = dataclasses.replace(model, weights=dict.fromkeys(CRITERIA, 1.0))  # unweighted parts
            self._base = build_candidates(roster, design, model=every, with_parts=True)
            self._key = key
        return self._base


def _rules_between(context, row: int, col: int) -> list[str]:
    masks = context.excluded(row, row + 1)
    return [rule.replace("_", " ") for rule, mask in masks.items() if mask[0, col]] or [
        "its score is below the programme's minimum"]


def _pairs_with_parts(model, rows: np.ndarray, cols: np.ndarray, mentee_ids, mentor_ids) -> pd.DataFrame:
    """The chosen pairs with their weighted parts (recomputed exactly as scored, for these pairs only)."""
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    parts = model.pair_parts(rows, cols)
    frame = pd.DataFrame({"mentee_id": np.asarray(mentee_ids, dtype=object)[rows],
                          "mentor_id": np.asarray(mentor_ids, dtype=object)[cols],
                          "score": sum(parts.values()) if parts else np.zeros(len(rows)), **parts},
                         columns=["mentee_id", "mentor_id", "score", *model.active])
    frame = frame.astype(dict.fromkeys(["score", *model.active], float))
    return frame.sort_values(["mentee_id", "mentor_id"], ignore_index=True)


def _with_late_pins(found: Candidates, required, mentee_ids, mentor_ids) -> Candidates:
    """Scoring stopped early: the pinned pairs of mentees not scored, checked and scored on their own."""
    context, model = found.context, found.model
    row_of = {participant: index for index, participant in enumerate(mentee_ids)}
    col_of = {participant: index for index, participant in enumerate(mentor_ids)}
    scored = len(mentee_ids) if found.scored is None else found.scored
    late = sorted({(row_of[a], col_of[b]) for a, b in required if a in row_of and b in col_of
                   and row_of[a] >= scored and context.allowed(row_of[a], row_of[a] + 1)[0, col_of[b]]})
    if not late:
        return found
    rows, cols = np.array([r for r, _ in late], np.int64), np.array([c for _, c in late], np.int64)
    parts = model.pair_parts(rows, cols)
    late_scores = sum(parts.values()) if parts else np.zeros(len(rows))
    return dataclasses.replace(found, rows=np.r_[found.rows, rows], cols=np.r_[found.cols, cols],
                               scores=np.r_[found.scores, late_scores], parts={})


def _unmatched_one_to_one(result: MatchResult, context: RuleContext, rows: np.ndarray, cols: np.ndarray,
                          scores: np.ndarray, eligible: tuple[np.ndarray, np.ndarray] | None = None,
                          scored: int | None = None) -> pd.DataFrame:
    """Everyone not matched, with the reason and a concrete suggestion (``eligible``: allowed pairs per
    mentee and per mentor when only the best are held in ``rows``; ``scored``: mentees scored before the
    time limit stopped scoring, the first in position order)."""
    mentee_count, mentor_count = len(context.mentees.ids), len(context.mentors.ids)
    eligible_count = np.bincount(rows, minlength=mentee_count) if eligible is None else eligible[0]
    mentees_per_mentor = np.bincount(cols, minlength=mentor_count) if eligible is None else eligible[1]
    scored = mentee_count if scored is None else scored
    people = result.roster.participants
    shown = {person: name for person, name in zip(people["participant_id"], people["name"])
             if isinstance(name, str) and name}  # as Roster.display_name, without a row lookup per name
    first_edge = np.searchsorted(rows, np.arange(mentee_count + 1))  # rows are in mentee order
    matched = set(result.pairs["mentee_id"])
    records = []
    for index, mentee in enumerate(context.mentees.ids):
        if mentee in matched:
            continue
        if index >= scored:
            reason = "the time limit stopped the search before their pairs with the mentors were scored"
            suggestion = "run the match again with a longer time limit (or none)"
        elif eligible_count[index] == 0:
            reason, suggestion = _no_eligible_mentor(context, index, result.design.rules.min_score is not None)
        else:
            options = np.arange(first_edge[index], first_edge[index + 1])
            best = options[np.argsort(-scores[options], kind="stable")][:3]
            names = ", ".join(f"{shown.get(mentor, mentor)} ({scores[edge]:.1f})"
                              for edge, mentor in zip(best, np.asarray(context.mentors.ids)[cols[best]]))
            reason, suggestion = _mentors_taken(int(eligible_count[index]), names, result.status == "time_limit")
        records.append({"participant_id": mentee, "role": "mentee", "reason": reason, "suggestion": suggestion})
    used, mentee_set = set(result.pairs["mentor_id"]), set(context.mentees.ids)
    for index, mentor in enumerate(context.mentors.ids):
        if mentor in used or mentor in mentee_set:
            continue
        records.append({"participant_id": mentor, "role": "mentor",
                        "reason": _spare_mentor_reason(int(mentees_per_mentor[index]), result.status == "time_limit",
                                                       scored < mentee_count),
                        "suggestion": "keep them in reserve for re-matching, or invite them to a later cohort"})
    return pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])


def _no_eligible_mentor(context: RuleContext, index: int, has_min_score: bool) -> tuple[str, str]:
    """Reason and suggestion for a mentee no mentor is allowed for: the rules that exclude the most mentors."""
    row = _exclusion_counts(context, index)
    rule_counts = sorted(((int(row[rule]), rule) for rule in row if rule in RULES and rule != "self"
                          and int(row[rule])), key=lambda item: (-item[0], BINDING_FIRST.get(item[1], 9)))
    if has_min_score and not rule_counts:
        return ("every eligible mentor scores below the programme's minimum score",
                "lower rules.min_score or recruit mentors closer to this person's needs")
    detail = ", ".join(f"{count} {RULES[rule]}" for count, rule in rule_counts[:3])
    reason = "no eligible mentor under the programme's rules" + (f": of the mentors, {detail}" if detail else "")
    return reason, RELAX.get(rule_counts[0][1], "recruit more mentors") if rule_counts else "recruit more mentors"


def _mentors_taken(eligible: int, names: str, stopped: bool) -> tuple[str, str]:
    """Reason and suggestion for a mentee with eligible mentors left without one (``names``: the best suited)."""
    if stopped:  # the search stopped: not proven that the mentors are full
        return (f"the time limit stopped the search before a mentor was found for them ({eligible} eligible mentors)",
                f"run the match again with a longer time limit; best-suited mentors: {names}")
    return (f"all {eligible} eligible mentors are full: their places went to mentees with fewer or weaker "
            "alternatives", f"ask one of the best-suited mentors to take one more mentee: {names}")


def _spare_mentor_reason(eligible: int, stopped: bool, scoring_stopped: bool) -> str:
    """Why a mentor has no mentee (``eligible``: mentees allowed with them)."""
    if scoring_stopped:
        return (f"{eligible} of the mentees scored before the time limit were eligible for them" +
                ("; the match found gives each of them another mentor" if eligible else ""))
    if stopped and eligible:
        return (f"{eligible} mentees were eligible; the match found gives each of them another mentor (the "
                "time limit stopped the search before that was proven best)")
    return ("no mentee was eligible for them under the programme's rules" if not eligible else
            f"{eligible} mentees were eligible, but each was better served by another mentor")


def _exclusion_counts(context, row: int) -> dict[str, int]:
    """How many mentors each active rule excludes for one mentee (the rules' masks on one row)."""
    return {rule: int(mask[0].sum()) for rule, mask in context.excluded(row, row + 1).items()}


def _explain_one_to_one(result: MatchResult, participant_id: str) -> Explanation:
    """Why a one-to-one participant got their partner (or none): parts, evidence and the runners-up."""
    context, model, roster = result.rule_context, result.score_model, result.roster
    assert context is not None and model is not None, "a one-to-one match carries its rules and scores"
    pairs = result.pairs
    if participant_id in set(pairs["mentor_id"]) and participant_id not in set(pairs["mentee_id"]):
        mine = pairs[pairs["mentor_id"] == participant_id]
        return Explanation(participant_id, f"{roster.display_name(participant_id)} mentors {len(mine)}: " + "; ".join(
            f"{roster.display_name(row.mentee_id)} (score {row.score:.2f})" for row in mine.itertuples()))
    mentee_ids = list(context.mentees.ids)
    if participant_id not in mentee_ids:
        unmatched = result.unmatched.set_index("participant_id")
        reason = unmatched.loc[participant_id, "reason"] if participant_id in unmatched.index else "not a mentee"
        return Explanation(participant_id, f"{roster.display_name(participant_id)}: {reason}.")
    row = mentee_ids.index(participant_id)
    parts = model.parts(row, row + 1)
    score = sum(value[0] for value in parts.values()) if parts else np.zeros(len(context.mentors.ids))
    mine = pairs[pairs["mentee_id"] == participant_id]
    partner = mine["mentor_id"].iloc[0] if len(mine) else None
    partner_score = float(mine["score"].iloc[0]) if len(mine) else None
    runners = _runners_up(result, context.allowed(row, row + 1)[0], score, partner, partner_score)
    if partner is None or partner_score is None:
        reason = result.unmatched.set_index("participant_id").loc[participant_id, "reason"]
        text = f"{roster.display_name(participant_id)} is not matched: {reason}."
        return Explanation(participant_id, text, runners_up=runners)
    col = list(context.mentors.ids).index(partner)
    part_values = {name: float(value[0, col]) for name, value in parts.items()}
    proof = evidence(roster, result.design, participant_id, partner)
    shown = " + ".join(f"{name.replace('_', ' ')} {value:.2f}" for name, value in part_values.items() if value)
    lines = [f"{roster.display_name(participant_id)} is matched with {roster.display_name(partner)}: score "
             f"{partner_score:.2f} = {shown or '0'}.", *_evidence_lines(part_values, proof)]
    if len(runners):
        lines.append(_runner_up_line(runners.iloc[0]))
    return Explanation(participant_id, "\n".join(lines), partner=partner, parts=part_values, evidence=proof,
                       runners_up=runners)


def _evidence_lines(part_values: dict[str, float], proof: dict[str, str]) -> list[str]:
    """One line of evidence per criterion that scored, and the meeting mode when it did not fit."""
    lines = []
    for name, value in part_values.items():
        if value and name in proof:
            lines.append(f"  {name.replace('_', ' ')}: {proof[name]}")
        elif name == "meeting_mode" and name in proof:  # a mismatch is said, not left out (two sites)
            lines.append(f"  meeting mode (no points): {proof[name]}")
    return lines


def _runners_up(result: MatchResult, allowed: np.ndarray, score: np.ndarray, partner: str | None,
                partner_score: float | None) -> pd.DataFrame:
    """The three best-scoring allowed mentors other than the partner: score, gap to the partner, full or not."""
    context, roster, design = result.rule_context, result.roster, result.design
    assert context is not None
    used = result.pairs["mentor_id"].value_counts()
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    candidates = np.flatnonzero(allowed)
    ranked = candidates[np.lexsort((candidates, -score[candidates]))]
    runner_rows = []
    for col in ranked:
        mentor = context.mentors.ids[col]
        if mentor == partner:
            continue
        full = int(used.get(mentor, 0)) >= int(capacity.get(mentor, design.capacity.default))
        runner_rows.append({"mentor_id": mentor, "name": roster.display_name(mentor), "score": float(score[col]),
                            "gap": (partner_score - float(score[col])) if partner_score is not None else None,
                            "status": "full" if full else "had a place"})
        if len(runner_rows) == 3:
            break
    return pd.DataFrame(runner_rows, columns=["mentor_id", "name", "score", "gap", "status"])


def _runner_up_line(best: pd.Series) -> str:
    """The sentence about the best alternative: a full mentor who would lower the total, or the runner-up."""
    if best["gap"] is not None and best["gap"] < 0:
        return (f"The best-scoring alternative, {best['name']} ({best['score']:.2f}), was {best['status']}; "
                "giving them to this mentee would lower the programme's total.")
    return f"Runner-up: {best['name']} ({best['score']:.2f}), {abs(best['gap']):.2f} points lower."
