"""``match(roster, design)``: from a roster and a design to a certified, explained :class:`MatchResult`.

One-to-one designs are solved here on the candidate edges; peer pairs and circles go to
:mod:`toolkit.matching.groups`.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable

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
    SolverProblem,
    solve,
)

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
    roster,
    design,
    *,
    required: Iterable[tuple[str, str]] = (),
    forbidden: Iterable[tuple[str, str]] = (),
    objective: str | None = None,
    top_k: int | None = None,
    time_limit: float | None = None,
    progress: Callable[[str], None] | None = None,
    candidates: Candidates | None = None,
    choices=None,
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
    deadline = None if time_limit is None else clock + float(time_limit)
    say = progress or (lambda text: None)
    objective = objective or design.objective
    check_option("objective", objective, OBJECTIVES, MatchingError)
    if choices is not None:
        forbidden = [*forbidden, *choices.validate(roster).declined_pairs]
    # Both sides in participant-id order: the same people give the same model, whatever the row order.
    mentee_ids = sorted(roster.mentees["participant_id"])
    mentor_ids = sorted(roster.mentors["participant_id"])
    forbidden = [tuple(pair) for pair in forbidden]
    required = [tuple(pair) for pair in required]
    held = (candidates is None and len(mentee_ids) * len(mentor_ids) > HOLD_ALL_PAIRS
            and objective in ("max_total", "max_participation") and not design.quotas and not required
            and not forbidden and design.rules.min_score is None and choices is None)
    # Scoring stops in time to leave the greedy match its time and a tenth of the limit for the explanations.
    scoring_deadline = None if deadline is None or choices is not None else deadline - 0.1 * float(time_limit)
    if candidates is not None:
        found = candidates
    elif held:
        say(f"scoring {len(mentee_ids):,} mentees x {len(mentor_ids):,} mentors (keeping each mentee's "
            f"{KEEP_PER_MENTEE} best pairs)")
        found = build_top_candidates(roster, design, keep=KEEP_PER_MENTEE, mentee_ids=mentee_ids,
                                     mentor_ids=mentor_ids, progress=progress, deadline=scoring_deadline,
                                     seconds_per_pair=SECONDS_AFTER_SCORING)
    else:
        say(f"scoring {len(mentee_ids):,} mentees x {len(mentor_ids):,} mentors")
        found = build_candidates(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids, progress=progress,
                                 deadline=scoring_deadline, seconds_per_pair=SECONDS_AFTER_SCORING)
    context, model = found.context, found.model
    scored = len(mentee_ids) if found.scored is None else found.scored
    if scored < len(mentee_ids):
        say(f"the time limit stopped scoring after {scored:,} of {len(mentee_ids):,} mentees")
        found = _with_late_pins(found, required, mentee_ids, mentor_ids)
    rows, cols, scores = found.rows.astype(np.int64, copy=False), found.cols.astype(np.int64, copy=False), found.scores
    mentee_position = {participant: index for index, participant in enumerate(mentee_ids)}
    mentor_position = {participant: index for index, participant in enumerate(mentor_ids)}
    width = max(len(mentor_ids), 1)
    keys: list[np.ndarray] = []  # (mentee, mentor) keys, increasing as build_candidates yields them; built once

    def edge_of(mentee: str, mentor: str) -> int | None:
        if mentee not in mentee_position or mentor not in mentor_position:
            return None
        if not keys:
            keys.append(rows * width + cols)
        edge_keys = keys[0]
        wanted = mentee_position[mentee] * width + mentor_position[mentor]
        edge = int(np.searchsorted(edge_keys, wanted))
        return edge if edge < len(edge_keys) and edge_keys[edge] == wanted else None

    keep = np.ones(len(rows), dtype=bool)
    for mentee, mentor in forbidden:
        edge = edge_of(mentee, mentor)
        if edge is not None:
            keep[edge] = False
    is_required = np.zeros(len(rows), dtype=bool)
    for mentee, mentor in required:
        if mentee not in mentee_position or mentor not in mentor_position:
            raise MatchingError(f"The pinned pair {mentee} - {mentor} is not a mentee and a mentor of this roster.",
                                fix="pin a mentee (first) with a mentor (second)")
        edge = edge_of(mentee, mentor)
        if edge is None:
            reasons = _rules_between(context, mentee_position[mentee], mentor_position[mentor])
            raise MatchingError(f"The pinned pair {roster.display_name(mentee)} - {roster.display_name(mentor)} "
                                f"breaks the programme's rules ({', '.join(reasons)}).",
                                fix="unpin it, or switch off that rule in the design")
        is_required[edge] = True
    min_score = design.rules.min_score
    if min_score is not None:
        keep &= (scores >= min_score) | is_required
    if not keep.all():  # (the arrays are not written to: kept as they are when nothing is left out)
        rows, cols, scores, is_required = rows[keep], cols[keep], scores[keep], is_required[keep]
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    capacity_array = np.array([float(capacity.get(mentor, design.capacity.default)) for mentor in mentor_ids])
    demand_array = np.full(len(mentee_ids), float(design.mentee_demand))
    extra = []
    participants = roster.participants.set_index("participant_id")
    for number, quota in enumerate(design.quotas):
        column = quota.attribute
        if column not in participants.columns:
            raise MatchingError(f"A quota names the field {column!r}, which the roster does not have.",
                                fix="use a participant field such as department or site")
        members = participants.loc[mentee_ids, column].astype(str).to_numpy() == str(quota.value)
        extra.append((members[rows], float(quota.min_matched), f"quota_{number}"))
    worth = scores if choices is None else choice_worth(choices, rows, cols, scores, mentee_ids, mentor_ids)
    solver_deadline = None if deadline is None else deadline - 0.1 * float(time_limit)  # 10% to explain results
    problem = SolverProblem(rows, cols, worth.astype(float, copy=False), demand_array,
                            capacity_array, is_required, extra, time_limit, solver_deadline, progress,
                            pricer=found.price if isinstance(found, TopCandidates) else None,
                            unscored=np.arange(len(mentee_ids)) >= scored if scored < len(mentee_ids) else None,
                            best_pair=float(sum(weight for weight in model.weights.values() if weight > 0)))
    if top_k is None and problem.size > AUTO_PRUNE_EDGES:
        top_k = DEFAULT_TOP_K
    top_k = top_k or None  # 0: the full model
    held_note = f" (each mentee's best, of {found.total:,})" if isinstance(found, TopCandidates) else ""
    say(f"solving ({objective.replace('_', ' ')}) over {problem.size:,} candidate pairs{held_note}")
    solved, bottleneck = solve(problem, objective, top_k)
    held_uncertified = solved.status == "optimal" and solved.certificate.solver != FLOW_SOLVER_NAME
    if isinstance(found, TopCandidates) and held_uncertified:
        # The flow could not be certified and the LP fallback saw only the pairs held: hold them all instead.
        say("the pairs held could not be certified on their own: scoring every pair")
        every = build_candidates(roster, design, mentee_ids=mentee_ids, mentor_ids=mentor_ids, progress=progress)
        left = None if deadline is None else max(deadline - time.perf_counter(), 0.0)
        return match(roster, design, objective=objective, top_k=top_k, time_limit=left, progress=progress,
                     candidates=every)
    eligible = None
    if isinstance(found, TopCandidates):  # pricing may have added pairs: back to (mentee, mentor) order
        order = np.lexsort((problem.cols, problem.rows))
        rows, cols, scores = problem.rows[order], problem.cols[order], problem.score[order]
        solved.chosen = solved.chosen[order]
        solved.certificate.candidate_pairs, eligible = found.total, (found.eligible, found.mentor_eligible)
    chosen = np.flatnonzero(solved.chosen)
    pairs = _pairs_with_parts(model, rows[chosen], cols[chosen], mentee_ids, mentor_ids)
    result = MatchResult(
        roster=roster, design=design, shape="one_to_one", pairs=pairs,
        circles=pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]),
        unmatched=pd.DataFrame(columns=["participant_id", "role", "reason", "suggestion"]),
        status=solved.status, objective=float(pairs["score"].sum()) if len(pairs) else 0.0,
        certificate=solved.certificate, min_pair_score=bottleneck, required=tuple(required),
        forbidden=tuple(forbidden), rule_context=context, score_model=model, explainer=_explain_one_to_one,
        choices=choices,
    )
    if choices is not None and solved.status == "time_limit":
        solved.certificate.notes.append("the totals above are of the mentees' ranked choices, not of pair scores")
    if solved.place_value is not None:
        result.place_value = pd.Series(solved.place_value, index=mentor_ids, name="value_of_one_more_place")
    result.unmatched = _unmatched_one_to_one(result, context, model, rows, cols, scores, capacity_array, eligible,
                                             scored)
    say(f"done: {len(pairs):,} pairs, {solved.status}")
    result.seconds = time.perf_counter() - clock
    return result


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

    def __call__(self, roster, design, **options) -> MatchResult:
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

    def _scored(self, roster, design) -> Candidates:
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
    late = sorted({(row_of[a], col_of[b]) for a, b in required if a in row_of and b in col_of
                   and row_of[a] >= found.scored and context.allowed(row_of[a], row_of[a] + 1)[0, col_of[b]]})
    if not late:
        return found
    rows, cols = np.array([r for r, _ in late], np.int64), np.array([c for _, c in late], np.int64)
    parts = model.pair_parts(rows, cols)
    late_scores = sum(parts.values()) if parts else np.zeros(len(rows))
    return dataclasses.replace(found, rows=np.r_[found.rows, rows], cols=np.r_[found.cols, cols],
                               scores=np.r_[found.scores, late_scores], parts={})


def _unmatched_one_to_one(result: MatchResult, context, model, rows, cols, scores, capacity_array,
                          eligible: tuple[np.ndarray, np.ndarray] | None = None,
                          scored: int | None = None) -> pd.DataFrame:
    """Everyone not matched, with the reason and a concrete suggestion (``eligible``: allowed pairs per
    mentee and per mentor when only the best are held in ``rows``; ``scored``: mentees scored before the
    time limit stopped scoring, the first in position order)."""

    roster = result.roster
    matched = set(result.pairs["mentee_id"])
    used = result.pairs["mentor_id"].value_counts()
    eligible_count = np.bincount(rows, minlength=len(context.mentees.ids)) if eligible is None else eligible[0]
    first_edge = np.searchsorted(rows, np.arange(len(context.mentees.ids) + 1))  # rows are in mentee order
    mentees_per_mentor = np.bincount(cols, minlength=len(context.mentors.ids)) if eligible is None else eligible[1]
    mentee_set = set(context.mentees.ids)
    people = roster.participants
    shown = {person: name for person, name in zip(people["participant_id"], people["name"])
             if isinstance(name, str) and name}  # as Roster.display_name, without a row lookup per name

    def display(person: str) -> str:
        return shown.get(person, person)

    scored = len(context.mentees.ids) if scored is None else scored
    stopped = result.status == "time_limit"
    records = []
    for index, mentee in enumerate(context.mentees.ids):
        if mentee in matched:
            continue
        if index >= scored:
            reason = "the time limit stopped the search before their pairs with the mentors were scored"
            suggestion = "run the match again with a longer time limit (or none)"
        elif eligible_count[index] == 0:
            row = _exclusion_counts(context, index)
            rule_counts = sorted(((int(row[rule]), rule) for rule in row if rule in RULES and rule != "self"
                                  and int(row[rule])), key=lambda item: (-item[0], BINDING_FIRST.get(item[1], 9)))
            detail = ", ".join(f"{count} {RULES[rule]}" for count, rule in rule_counts[:3])
            reason = "no eligible mentor under the programme's rules" + (f": of the mentors, {detail}" if detail
                                                                          else "")
            suggestion = RELAX.get(rule_counts[0][1], "recruit more mentors") if rule_counts else "recruit more mentors"
            if result.design.rules.min_score is not None and not rule_counts:
                reason = "every eligible mentor scores below the programme's minimum score"
                suggestion = "lower rules.min_score or recruit mentors closer to this person's needs"
        else:
            options = np.arange(first_edge[index], first_edge[index + 1])
            best = options[np.argsort(-scores[options], kind="stable")][:3]
            names = ", ".join(f"{display(context.mentors.ids[cols[edge]])} ({scores[edge]:.1f})" for edge in best)
            if result.status == "time_limit":  # the search stopped: not proven that the mentors are full
                reason = (f"the time limit stopped the search before a mentor was found for them ({eligible_count[index]} "
                          "eligible mentors)")
                suggestion = f"run the match again with a longer time limit; best-suited mentors: {names}"
            else:
                reason = (f"all {eligible_count[index]} eligible mentors are full: their places went to mentees with fewer "
                          "or weaker alternatives")
                suggestion = f"ask one of the best-suited mentors to take one more mentee: {names}"
        records.append({"participant_id": mentee, "role": "mentee", "reason": reason, "suggestion": suggestion})
    for index, mentor in enumerate(context.mentors.ids):
        if mentor in used.index or mentor in mentee_set:
            continue
        eligible = int(mentees_per_mentor[index])
        reason = ("no mentee was eligible for them under the programme's rules" if not eligible else
                  f"{eligible} mentees were eligible, but each was better served by another mentor")
        if stopped and eligible:
            reason = (f"{eligible} mentees were eligible; the match found gives each of them another mentor (the "
                      "time limit stopped the search before that was proven best)")
        if scored < len(context.mentees.ids):
            reason = (f"{eligible} of the mentees scored before the time limit were eligible for them" +
                      ("; the match found gives each of them another mentor" if eligible else ""))
        records.append({"participant_id": mentor, "role": "mentor", "reason": reason,
                        "suggestion": "keep them in reserve for re-matching, or invite them to a later cohort"})
    return pd.DataFrame(records, columns=["participant_id", "role", "reason", "suggestion"])


def _exclusion_counts(context, row: int) -> dict[str, int]:
    """How many mentors each active rule excludes for one mentee (the rules' masks on one row)."""
    return {rule: int(mask[0].sum()) for rule, mask in context.excluded(row, row + 1).items()}


def _explain_one_to_one(result: MatchResult, participant_id: str) -> Explanation:
    context, model, roster = result.rule_context, result.score_model, result.roster
    pairs = result.pairs
    if participant_id in set(pairs["mentor_id"]) and participant_id not in set(pairs["mentee_id"]):
        mine = pairs[pairs["mentor_id"] == participant_id]
        lines = [f"{roster.display_name(participant_id)} mentors {len(mine)}: " + "; ".join(
            f"{roster.display_name(row.mentee_id)} (score {row.score:.2f})" for row in mine.itertuples())]
        return Explanation(participant_id, "\n".join(lines))
    mentee_ids = list(context.mentees.ids)
    if participant_id not in mentee_ids:
        unmatched = result.unmatched.set_index("participant_id")
        reason = unmatched.loc[participant_id, "reason"] if participant_id in unmatched.index else "not a mentee"
        return Explanation(participant_id, f"{roster.display_name(participant_id)}: {reason}.")
    row = mentee_ids.index(participant_id)
    parts = model.parts(row, row + 1)
    allowed = context.allowed(row, row + 1)[0]
    score = sum(value[0] for value in parts.values()) if parts else np.zeros(len(context.mentors.ids))
    mine = pairs[pairs["mentee_id"] == participant_id]
    used = pairs["mentor_id"].value_counts()
    capacity = result.roster.capacity(result.design.capacity.default, result.design.capacity.max)
    candidates = np.flatnonzero(allowed)
    ranked = candidates[np.lexsort((candidates, -score[candidates]))]
    partner = mine["mentor_id"].iloc[0] if len(mine) else None
    partner_score = float(mine["score"].iloc[0]) if len(mine) else None
    runner_rows = []
    for col in ranked:
        mentor = context.mentors.ids[col]
        if mentor == partner:
            continue
        full = int(used.get(mentor, 0)) >= int(capacity.get(mentor, result.design.capacity.default))
        runner_rows.append({"mentor_id": mentor, "name": roster.display_name(mentor), "score": float(score[col]),
                            "gap": (partner_score - float(score[col])) if partner_score is not None else None,
                            "status": "full" if full else "had a place"})
        if len(runner_rows) == 3:
            break
    runners = pd.DataFrame(runner_rows, columns=["mentor_id", "name", "score", "gap", "status"])
    if partner is None:
        reason = result.unmatched.set_index("participant_id").loc[participant_id, "reason"]
        text = f"{roster.display_name(participant_id)} is not matched: {reason}."
        return Explanation(participant_id, text, runners_up=runners)
    col = list(context.mentors.ids).index(partner)
    part_values = {name: float(value[0, col]) for name, value in parts.items()}
    proof = evidence(roster, result.design, participant_id, partner)
    shown = " + ".join(f"{name.replace('_', ' ')} {value:.2f}" for name, value in part_values.items() if value)
    lines = [f"{roster.display_name(participant_id)} is matched with {roster.display_name(partner)}: score "
             f"{partner_score:.2f} = {shown or '0'}."]
    for name, value in part_values.items():
        if value and name in proof:
            lines.append(f"  {name.replace('_', ' ')}: {proof[name]}")
        elif name == "meeting_mode" and name in proof:  # a mismatch is said, not left out (two sites)
            lines.append(f"  meeting mode (no points): {proof[name]}")
    if len(runners):
        best = runners.iloc[0]
        if best["gap"] is not None and best["gap"] < 0:
            lines.append(f"The best-scoring alternative, {best['name']} ({best['score']:.2f}), was {best['status']}; "
                         "giving them to this mentee would lower the programme's total.")
        else:
            lines.append(f"Runner-up: {best['name']} ({best['score']:.2f}), {abs(best['gap']):.2f} points lower.")
    return Explanation(participant_id, "\n".join(lines), partner=partner, parts=part_values, evidence=proof,
                       runners_up=runners)
