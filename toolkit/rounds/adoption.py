"""A client's match, made the one way every command, report, studio and notebook makes it, and adopted.

:func:`client_match` is the match the ``match`` command adopts: a one-to-one client whose mentees ranked
their shortlists (``choices:`` in client.yaml) is matched on the ranks (:func:`client_choices`).
:func:`adopt_match` makes it and adopts it as the next round under the client's adoption lock.
:func:`match_members` and :func:`round_changes` compare rounds by who is matched with whom.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import MatchingError
from ..matching.choices import Choices, load_choices
from ..matching.result import MatchResult
from .lock import adoption_lock
from .store import Round, adopt, rounds_folder

if TYPE_CHECKING:
    from ..client import ClientConfig
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["client_match", "client_choices", "set_aside", "adopt_match", "match_members", "round_changes"]


def client_match(config: ClientConfig, *, roster: Roster | None = None, design: ProgramDesign | None = None,
                 objective: str | None = None, away=(),
                 **options) -> MatchResult:
    """The match for a client, as the ``match`` command, the demo and the matching report all make it.

    A one-to-one client whose mentees ranked their shortlists (``choices:`` in client.yaml) is
    matched on the ranks; ``options`` go to :func:`~toolkit.matching.match` (``time_limit``,
    ``progress``, ...). ``away``: people who may not be matched (they left, are paused or join
    later: ``toolkit.programme.programme_state(config).unavailable()``): left out of the roster, and
    their rows of the choices form set aside.
    """
    roster = config.roster() if roster is None else roster
    design = config.design() if design is None else design
    roster, choices = set_aside(roster, client_choices(config, design), away)
    from ..matching.engine import match  # the solvers load when a match is made, not when a round is read

    return match(roster, design, objective=objective, choices=choices, **options)


def set_aside(roster: Roster, choices: Choices | None, away) -> tuple[Any, Choices | None]:
    """The roster and choices without the people in ``away`` (who may not be matched): (roster, choices)."""
    away = {str(person) for person in away}
    if not away:
        return roster, choices
    roster = roster.subset([person for person in roster.ids if person not in away])
    if choices is not None:
        ranks = choices.ranks
        choices = replace(choices, ranks=ranks[~ranks["mentee_id"].isin(away) & ~ranks["mentor_id"].isin(away)]
                          .reset_index(drop=True))
    return roster, choices


def client_choices(config: ClientConfig, design: ProgramDesign | None = None) -> Choices | None:
    """The mentees' ranked choices a client's match uses (``choices:`` in client.yaml), or None.

    Only a one-to-one design is matched on choices; the studio and the notebooks read them here, so they
    make the match the ``match`` command makes.
    """
    design = config.design() if design is None else design
    if not config.get("choices") or design.shape != "one_to_one":
        return None
    return load_choices(config.get("choices"))


def adopt_match(config: ClientConfig, *, objective: str | None = None, note: str = "", **options) -> tuple[MatchResult,
                Round]:
    """Match a client (:func:`client_match`) and adopt the result as its next round: (result, round).

    A match with no pair or circle is not adopted: it raises a MatchingError saying why. The client's
    adoption lock is held from the start, so a second run at the same time stops at once with
    "another match is adopting a round for this client" (:class:`~toolkit.rounds.lock.AdoptionInProgress`).
    """
    with adoption_lock(rounds_folder(config), command="match"):
        design = config.design()
        result = client_match(config, design=design, objective=objective, **options)
        return result, _adopt_found(config, result, design, note)


def _adopt_found(config: ClientConfig, result: MatchResult, design: ProgramDesign, note: str) -> Round:
    units = result.circles["circle_id"].nunique() if result.shape == "circles" else len(result.pairs)
    if units == 0:
        reasons = result.unmatched["reason"].astype(str).value_counts()
        raise MatchingError(
            f"{config.name}: the match found no {'circle' if result.shape == 'circles' else 'pair'}, so nothing was "
            f"adopted ({len(result.unmatched)} people unmatched" + (f"; most often: {reasons.index[0]}" if len(reasons)
                                                                     else "") + ").",
            fix=f"see who is missing with: mentoring-toolkit validate --client {config.path}")
    return adopt(config, result, design=design, note=note)


def match_members(table: pd.DataFrame, shape: str) -> frozenset:
    """Who is matched with whom, whatever the ids of pairs and circles: (mentee_id, mentor_id) for pairs,
    the set of members for each circle (round folders renumber circles, so ids are not compared)."""
    if table is None or len(table) == 0:
        return frozenset()
    if shape == "circles":
        groups = table.groupby(table["circle_id"].astype(str))["participant_id"]
        return frozenset(frozenset(str(person) for person in members) for _, members in groups)
    return frozenset(zip(table["mentee_id"].astype(str), table["mentor_id"].astype(str)))


def round_changes(earlier: Round | None, later: Round) -> str:
    """What changed from ``earlier`` to ``later`` in plain words ("352 pairs the same as round 1, 3 new, ...")."""
    if earlier is None:
        return ""
    unit = "circles" if later.shape == "circles" else "pairs"
    before, after = match_members(earlier.pairs, earlier.shape), match_members(later.pairs, later.shape)
    if before == after:
        return f"the same {unit} as round {earlier.number}"
    same, new, ended = len(before & after), len(after - before), len(before - after)
    return (f"compared with round {earlier.number}: {same} {unit} the same, {new} new, {ended} "
            f"{'no longer formed' if unit == 'circles' else 'no longer paired'}")
