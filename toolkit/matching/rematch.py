"""No-fault re-matching mid-programme: new partners for people whose pair ended, keeping every active pair.

``rematch(roster, design, active=..., ended=...)`` matches the people whose pair ended, new
joiners and the reserve pool (mentors with places left):

* active pairs are kept untouched (their mentees are not matched again);
* each mentor's capacity is reduced by their active pairs (a full mentor is not offered);
* no pair that ever existed (active or ended) is made again;
* people who may not be matched (``away``: they left, are paused, or join later) are not matched.

The inputs come from the programme's timeline (:func:`toolkit.programme.programme_state`):
``active`` = ``state.running()``, ``ended`` = ``state.stopped()`` (a pair superseded before a first
meeting is in neither, so its two people may be paired again), ``away`` = ``state.unavailable()``.

The answer is an ordinary certified :class:`MatchResult` for the people in play, wrapped in a
:class:`Rematch` that also carries the kept pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import MatchingError, Problem
from ..roster import Roster
from .candidates import candidate_edges
from .result import MatchResult

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from .choices import Choices

__all__ = ["Rematch", "rematch", "pairs_frame"]


def pairs_frame(pairs, name: str) -> pd.DataFrame:
    """(mentee_id, mentor_id) pairs from a DataFrame or a list of tuples, ids as text."""
    if pairs is None:
        return pd.DataFrame(columns=["mentee_id", "mentor_id"])
    if not isinstance(pairs, pd.DataFrame):
        pairs = pd.DataFrame(list(pairs), columns=["mentee_id", "mentor_id"])
    missing = [column for column in ("mentee_id", "mentor_id") if column not in pairs.columns]
    if missing:
        raise MatchingError(f"The {name} pairs have no {', '.join(missing)} column.",
                            fix="give a table with columns mentee_id and mentor_id")
    frame = pairs.copy()
    frame["mentee_id"], frame["mentor_id"] = frame["mentee_id"].astype(str), frame["mentor_id"].astype(str)
    return frame.reset_index(drop=True)


@dataclass
class Rematch:
    """A re-match: the kept active pairs, the new pairs, and who is still unmatched.

    Attributes
    ----------
    kept
        The active pairs, exactly as given.
    result
        The certified match of the people in play (its ``pairs`` are the new pairs).
    in_play
        Who was matched again, and why they were in play: participant_id, role, why
        (mentees: ``pair ended`` or ``new joiner``;
        mentors: ``pair ended``, ``places left`` beside active pairs, or ``reserve``).
    ever
        Every pair that ever existed (never made again).
    """

    kept: pd.DataFrame
    result: MatchResult
    in_play: pd.DataFrame
    ever: frozenset
    leavers: frozenset = frozenset()
    away: Mapping[str, str] | None = None

    @property
    def new_pairs(self) -> pd.DataFrame:
        return self.result.pairs

    @property
    def pairs(self) -> pd.DataFrame:
        """Every pair after the re-match: kept first, then new (with a ``kept`` column)."""
        kept = self.kept[["mentee_id", "mentor_id"]].assign(kept=True)
        new = self.result.pairs[["mentee_id", "mentor_id", "score"]].assign(kept=False)
        return pd.concat([kept, new], ignore_index=True)

    def check(self, roster: Roster, design: ProgramDesign) -> Rematch:
        """Assert: active pairs unchanged, capacities respected with the kept pairs, no pair repeated."""
        problems = []
        new = set(zip(self.result.pairs["mentee_id"], self.result.pairs["mentor_id"]))
        problems += [f"pair {a} - {b} existed before" for a, b in sorted(new & self.ever)]
        kept_mentees = set(self.kept["mentee_id"])
        problems += [f"{mentee} has an active pair and was matched again" for mentee, _ in sorted(new)
                     if mentee in kept_mentees]
        capacity = roster.capacity(design.capacity.default, design.capacity.max)
        load = self.pairs["mentor_id"].value_counts()
        kept_load = self.kept["mentor_id"].value_counts()
        for mentor, count in load.items():
            allowed = max(int(capacity.get(mentor, 0)), int(kept_load.get(mentor, 0)))
            if count > allowed:
                problems.append(f"mentor {mentor} has {count} mentees, above their capacity {allowed}")
        self.result.check()
        if problems:
            raise MatchingError(f"The re-match breaks {len(problems)} of its invariants:",
                                problems=[Problem(text, "") for text in problems],
                                fix="report this as a bug, with the roster and pairs that produced it")
        return self

    def as_match_result(self, roster: Roster, design: ProgramDesign) -> MatchResult:
        """Kept and new pairs as one :class:`MatchResult` for the whole roster (to adopt as a new round).

        Kept pairs carry their score under today's design (0 where today's rules exclude them) and
        ``kept = True``; everyone not in a pair is listed in ``unmatched`` with the reason.
        """
        edges = candidate_edges(roster, design, with_parts=False)
        score = dict(zip(zip(edges["mentee_id"], edges["mentor_id"]), edges["score"]))
        kept = self.kept.copy()
        kept["score"] = [float(score.get(pair, 0.0)) for pair in zip(kept["mentee_id"], kept["mentor_id"])]
        kept["kept"] = True
        new = self.result.pairs.assign(kept=False)
        columns = [column for column in ["pair_id", "mentee_id", "mentor_id", "score", "kept"]
                   if column in kept.columns or column in new.columns]
        pairs = pd.concat([kept.reindex(columns=columns), new.reindex(columns=columns)], ignore_index=True)
        pairs["kept"] = pairs["kept"].astype(bool)
        placed = set(pairs["mentee_id"]) | set(pairs["mentor_id"])
        unmatched = self.result.unmatched[~self.result.unmatched["participant_id"].isin(placed)]
        listed = placed | set(unmatched["participant_id"])
        away = {**dict.fromkeys(self.leavers, "left the organisation"), **(self.away or {})}
        rest = [{"participant_id": person, "role": role,
                 "reason": away.get(person, "no places left this round"),
                 "suggestion": "" if person in away else "offer them a place in the next cohort"}
                for person, role in zip(roster.participants["participant_id"], roster.participants["role"])
                if person not in listed]
        unmatched = pd.concat([unmatched, pd.DataFrame(rest, columns=unmatched.columns)], ignore_index=True)
        result = self.result
        return MatchResult(roster=roster, design=design, shape="one_to_one", pairs=pairs,
                           circles=result.circles, unmatched=unmatched, status=result.status,
                           objective=float(pairs["score"].sum()), certificate=result.certificate,
                           seconds=result.seconds, required=tuple(zip(self.kept["mentee_id"], self.kept["mentor_id"])),
                           forbidden=tuple(sorted(self.ever - set(zip(self.kept["mentee_id"], self.kept["mentor_id"])))))

    def summary(self) -> str:
        unmatched = self.result.unmatched
        waiting = int((unmatched["role"] == "mentee").sum()) if len(unmatched) else 0
        return (f"{len(self.kept)} active pairs kept; {len(self.result.pairs)} new pairs for the "
                f"{int((self.in_play['role'] == 'mentee').sum())} mentees in play"
                + (f"; {waiting} still without a mentor" if waiting else "; every mentee in play matched")
                + f". Status: {self.result.status}.")

    def __repr__(self) -> str:
        return f"<Rematch {self.summary()}>"


def rematch(roster: Roster, design: ProgramDesign, *, active=None, ended=None, leavers: Iterable[str] = (),
            away: Mapping[str, str] | None = None, choices: Choices | None = None,
            time_limit: float | None = None) -> Rematch:
    """Re-match the people whose pair ended, new joiners and the reserve pool, keeping active pairs.

    Parameters
    ----------
    roster, design
        The programme's current roster and design (one-to-one).
    active
        The pairs that carry on (mentee_id, mentor_id): kept, their mentees not matched again,
        their mentors' capacity reduced.
    ended
        Pairs that ended (any reason): never made again; their people are in play. A ``left_by``
        column names who left, so the other person is in play as "partner left" (no fault of theirs).
    leavers
        People who left the organisation: not matched.
    away
        Everyone else who may not be matched, with the reason in words (left on ..., paused on ...,
        joins on ...): not matched, and listed with that reason.
    choices
        Optional :class:`~toolkit.matching.choices.Choices` for the people in play.

    Returns
    -------
    Rematch
    """
    if design.shape != "one_to_one":
        raise MatchingError(f"Re-matching is for one-to-one programmes; this design makes {design.shape}.",
                            fix="re-run the circles or peer pairs with tk.match and pinned pairs instead")
    active, ended = pairs_frame(active, "active"), pairs_frame(ended, "ended")
    away = {**{str(person): "left the organisation" for person in leavers},
            **{str(person): str(reason) for person, reason in (away or {}).items()}}
    _check_active(active, roster, away)
    leavers = set(away)
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    load = active["mentor_id"].value_counts()
    active_mentees = set(active["mentee_id"])
    frame = roster.participants.copy()
    keep, roles, places = [], [], []
    for person, role, stated in zip(frame["participant_id"], frame["role"], frame["capacity"]):
        left = int(capacity.get(person, 0)) - int(load.get(person, 0)) if role in ("mentor", "both") else 0
        wants = role in ("mentee", "both") and person not in active_mentees
        offers = role in ("mentor", "both") and left > 0
        if person in leavers or not (wants or offers):
            keep.append(False)
            roles.append(role)
            places.append(stated)
            continue
        keep.append(True)
        roles.append("both" if wants and offers else "mentee" if wants else "mentor")
        places.append(left if offers else None)
    frame["role"], frame["capacity"] = roles, places
    frame = frame[keep]
    sub = Roster(frame, org_chart=roster.managers(), mappings=roster.mappings, sources=roster.sources)
    ever = frozenset(zip(active["mentee_id"], active["mentor_id"])) | frozenset(zip(ended["mentee_id"],
                                                                                  ended["mentor_id"]))
    in_sub = set(sub.ids)
    forbidden = [pair for pair in sorted(ever) if pair[0] in in_sub and pair[1] in in_sub]
    from .engine import match  # the solvers load when a re-match is made, not when this module is read

    result = match(sub, design, forbidden=forbidden, choices=choices, time_limit=time_limit)
    in_play = _in_play(frame, ended, set(load.index))
    return Rematch(active, result, in_play, ever, frozenset(leavers), away)


def _check_active(active: pd.DataFrame, roster: Roster, away: Mapping[str, str]) -> None:
    """The active pairs must name people in the roster, give each mentee one pair, and hold nobody who left."""
    people = set(roster.participants["participant_id"])
    members = list(active["mentee_id"]) + list(active["mentor_id"])
    unknown = sorted({person for person in members if person not in people})
    if unknown:
        raise MatchingError(f"{len(unknown)} people in active pairs are not in the roster: {', '.join(unknown[:10])}.",
                            fix="add them back to the roster, or end those pairs first")
    twice = active[active["mentee_id"].duplicated()]
    if len(twice):
        raise MatchingError(f"Mentee {twice['mentee_id'].iloc[0]} has two active pairs.",
                            fix="end one of them before re-matching")
    held = sorted({person for person in members if person in away and not str(away[person]).startswith("paused")})
    if held:
        raise MatchingError(f"{len(held)} people in active pairs may not be matched: "
                            + "; ".join(f"{person} ({away[person]})" for person in held[:5]) + ".",
                            fix="end their pairs first (a person who left ends their pairs on the day they left)")


def _in_play(frame: pd.DataFrame, ended: pd.DataFrame, holding: set[str]) -> pd.DataFrame:
    """Who was matched again and why: pair ended, partner left (no fault of theirs), new joiner, places left, reserve."""
    ended_people = set(ended["mentee_id"]) | set(ended["mentor_id"])
    left_behind = _left_behind(ended)
    records = []
    for person, role in zip(frame["participant_id"], frame["role"]):
        before = "partner left" if person in left_behind else "pair ended" if person in ended_people else None
        if role in ("mentee", "both"):
            records.append({"participant_id": person, "role": "mentee", "why": before or "new joiner"})
        if role in ("mentor", "both"):
            why = before or ("places left" if person in holding else "reserve")
            records.append({"participant_id": person, "role": "mentor", "why": why})
    return pd.DataFrame(records, columns=["participant_id", "role", "why"])


def _left_behind(ended: pd.DataFrame) -> set[str]:
    """People whose latest ended pair ended because the other person left (it does not count against them)."""
    if "left_by" not in ended.columns or not len(ended):
        return set()
    order = ended.sort_values("ended_on", na_position="first") if "ended_on" in ended.columns else ended
    latest: dict[str, bool] = {}
    for mentee, mentor, left_by in zip(order["mentee_id"], order["mentor_id"], order["left_by"]):
        for person, other in ((mentee, mentor), (mentor, mentee)):
            latest[person] = isinstance(left_by, str) and left_by == other
    return {person for person, partner_left in latest.items() if partner_left}
