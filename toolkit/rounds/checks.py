"""Checking a round's pairs as they are read, and the fingerprint of the pairs a certificate proved.

A round's ``pairs.csv`` (or ``circles.csv``) is a plain file that anyone can open and change. Every read
checks it, and every problem names the file, the row as a spreadsheet shows it (header = row 1), the
column, the value and the fix:

* on its own (:func:`table_problems`): ids present, nobody paired with themselves, a mentee in one pair,
  a mentor in no more pairs than the round's ``design.yaml`` allows, each person in one peer pair or
  circle, one facilitator per circle and no circle over its maximum size, pair and circle ids unique;
* with the roster (:func:`roster_problems`), for the rows that are not the pairs the match proved: every
  id a participant, each person on a side they signed up for, no hard rule of the design broken, no
  mentor over their own stated capacity.

The certificate of a round (``round.json``) records which pairs it proved: their members, one line each
(:func:`member_lines`), and the SHA-256 of those lines in sorted order (:func:`fingerprint`). A round
whose pairs no longer have that fingerprint was edited by hand and is never reported as certified.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..design.vocabulary import HARD_RULE
from ..errors import Problem, did_you_mean
from ..intake.readers import column_letter
from ..intake.schema import snake_case
from ..matching.rules import RuleContext

if TYPE_CHECKING:
    from ..design import ProgramDesign
    from ..roster import Roster

__all__ = ["FINGERPRINT_METHOD", "member_lines", "fingerprint", "table_problems", "pair_row_problems",
           "roster_problems", "edited_rows"]

#: How the fingerprint is made (kept in round.json, so a later change of method is recognised).
FINGERPRINT_METHOD = "sha256 of the sorted member lines"

# A separator no participant id contains (ids are read from spreadsheet cells, which never hold a TAB
# once read: the readers strip control characters).
_SEPARATOR = "\t"
_ROLES = ("member", "facilitator")
# Hard-rule checks of hand-edited pairs are made in blocks of this many pairs (a block x block mask per rule).
_BLOCK = 400


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def member_lines(table: pd.DataFrame, shape: str) -> list[str]:
    """The members of every pair or circle, one line each, in a canonical order.

    One-to-one: ``mentee<TAB>mentor``; peer pairs: the two ids in sorted order (either may be written
    first); circles: ``person:role`` for every member, sorted, one line per circle. Ids of pairs and
    circles are left out: the certificate proves who is matched with whom, whatever the pairs are called.
    """
    if table is None or len(table) == 0:
        return []
    if shape == "circles":
        circles: dict[str, list[str]] = defaultdict(list)
        for circle, person, role in zip(table["circle_id"], table["participant_id"], table["circle_role"]):
            circles[_text(circle)].append(f"{_text(person)}:{_text(role)}")
        return sorted(_SEPARATOR.join(sorted(members)) for members in circles.values())
    lines = []
    for mentee, mentor in zip(table["mentee_id"], table["mentor_id"]):
        pair = [_text(mentee), _text(mentor)]
        lines.append(_SEPARATOR.join(sorted(pair) if shape == "peer_pairs" else pair))
    return sorted(lines)


def fingerprint(lines: Iterable[str]) -> str:
    """SHA-256 (hex) of member lines: the same pairs give the same fingerprint, whatever their row order."""
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


class _Where:
    """Turns a table position into a Problem's location: the file, the row as the user sees it, the column."""

    def __init__(self, path: Path, rows: Sequence[int], headers: Sequence[str]) -> None:
        self.path, self.rows, self.headers = path, list(rows), list(headers)

    def row(self, position: int) -> int | None:
        return self.rows[position] if position < len(self.rows) else None

    def problem(self, position: int, column: str, value: object, message: str, fix: str) -> Problem:
        # The column as the file names it ("Mentor ID" in a client's own pairs file, mentor_id in a round's).
        index = next((index for index, header in enumerate(self.headers) if snake_case(header) == column), None)
        header = self.headers[index] if index is not None else column
        letter = column_letter(index) if index is not None else None
        return Problem(message, fix, str(self.path), self.row(position), header, _text(value) or None, letter)

    def rows_of(self, positions: Iterable[int]) -> str:
        return ", ".join(str(self.row(position)) for position in positions)


def table_problems(table: pd.DataFrame, shape: str, design: ProgramDesign, path: Path, rows: Sequence[int],
                   headers: Sequence[str]) -> list[Problem]:
    """Everything wrong with a round's pairs or circles on their own (no roster needed).

    Parameters
    ----------
    table
        The rows of pairs.csv (or circles.csv), in file order, ids as text.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    design
        The round's design (its ``capacity.max`` and circle sizes), or None when it cannot be read.
    path, rows, headers
        The file, each table row's row number as a spreadsheet shows it, the file's headers.
    """
    where = _Where(path, rows, headers)
    if shape == "circles":
        return _circle_problems(table, design, where)
    return _pair_problems(table, shape, design, where)


def _blank_and_repeated_ids(table: pd.DataFrame, id_column: str, where: _Where, unit: str, *,
                            round_file: bool = True) -> list[Problem]:
    """Ids missing (in a round's file, which always has them) or used twice (pairs: meetings are logged by id)."""
    restore = "see match.xlsx in the round folder" if round_file else "each pair needs its own"
    problems = []
    seen: dict[str, int] = {}
    for position, value in enumerate(table[id_column]):
        text = _text(value)
        if not text and round_file:
            problems.append(where.problem(position, id_column, value, f"this {unit} has no {id_column}",
                                          f"give it the {id_column} it had ({restore})"))
        elif text in seen and unit == "pair":
            problems.append(where.problem(
                position, id_column, value, f"the pair id {text} is also the id of the pair on row "
                f"{where.row(seen[text])}; each pair needs its own id (meetings are logged against it)",
                f"give one of the two pairs another id ({restore})"))
        if text:
            seen.setdefault(text, position)
    return problems


def pair_row_problems(table: pd.DataFrame, path: Path, rows: Sequence[int], headers: Sequence[str], *,
                      round_file: bool = True) -> list[Problem]:
    """What is wrong in any file of pairs, row by row: a pair without a person (or, in a round's file, without
    an id), a pair id used twice, a person paired with themselves. ``round_file=False`` for a client's own
    history of pairs (the ``pairs:`` file), where one person may have had several pairs over time."""
    where = _Where(path, rows, headers)
    problems = (_blank_and_repeated_ids(table, "pair_id", where, "pair", round_file=round_file)
                if "pair_id" in table else [])
    for position, (mentee, mentor) in enumerate(zip(table["mentee_id"], table["mentor_id"])):
        mentee, mentor = _text(mentee), _text(mentor)
        for column, person in (("mentee_id", mentee), ("mentor_id", mentor)):
            if not person:
                problems.append(where.problem(position, column, None, f"this pair has no {column}",
                                              "write the participant id, or delete the row if the pair never met"))
        if mentee and mentee == mentor:
            problems.append(where.problem(position, "mentor_id", mentor, f"{mentee} is paired with themselves",
                                          "give the pair a different partner, or delete the row"))
    return problems


def _pair_problems(table: pd.DataFrame, shape: str, design: ProgramDesign, where: _Where) -> list[Problem]:
    problems = pair_row_problems(table, where.path, where.rows, where.headers)
    places: dict[str, list[int]] = defaultdict(list)  # person -> positions (as mentee, or anywhere for peers)
    mentoring: dict[str, list[int]] = defaultdict(list)  # mentor -> positions
    for position, (mentee, mentor) in enumerate(zip(table["mentee_id"], table["mentor_id"])):
        mentee, mentor = _text(mentee), _text(mentor)
        if not mentee or not mentor or mentee == mentor:
            continue
        if shape == "peer_pairs":
            places[mentee].append(position)
            places[mentor].append(position)
            continue
        places[mentee].append(position)
        mentoring[mentor].append(position)
    side = "pair" if shape == "peer_pairs" else "pair as a mentee"
    for person, positions in places.items():
        for position in positions[1:]:
            column = "mentee_id" if _text(table["mentee_id"].iloc[position]) == person else "mentor_id"
            problems.append(where.problem(
                position, column, person, f"{person} is also in the {side} on row {where.row(positions[0])}; a "
                "person is in one pair at a time", "delete one of the two rows, or give one pair another person"))
    limit = getattr(getattr(design, "capacity", None), "max", None)
    for mentor, positions in mentoring.items():
        if limit is not None and len(positions) > limit:
            problems.append(where.problem(
                positions[limit], "mentor_id", mentor,
                f"{mentor} mentors {len(positions)} mentees (rows {where.rows_of(positions)}), more than the "
                f"{limit} the round's design allows", "give some of these mentees another mentor"))
    return problems


def _circle_problems(table: pd.DataFrame, design: ProgramDesign, where: _Where) -> list[Problem]:
    problems = _blank_and_repeated_ids(table, "circle_id", where, "circle")
    first_seen: dict[str, int] = {}
    circles: dict[str, list[int]] = defaultdict(list)
    for position, (circle, person, role) in enumerate(zip(table["circle_id"], table["participant_id"],
                                                          table["circle_role"])):
        person, role = _text(person), _text(role)
        circles[_text(circle)].append(position)
        if not person:
            problems.append(where.problem(position, "participant_id", None, "this row has no participant_id",
                                          "write the participant id, or delete the row"))
            continue
        if role not in _ROLES:
            problems.append(where.problem(position, "circle_role", role, "the circle role must be member or "
                                          "facilitator" + did_you_mean(role, _ROLES), "write member or facilitator"))
        if person in first_seen:
            problems.append(where.problem(
                position, "participant_id", person, f"{person} is also in a circle on row "
                f"{where.row(first_seen[person])}; a person is in one circle", "delete one of the two rows"))
        first_seen.setdefault(person, position)
    largest = getattr(getattr(design, "circles", None), "max_size", None)
    for circle, positions in circles.items():
        roles = [_text(table["circle_role"].iloc[position]) for position in positions]
        leaders = [position for position, role in zip(positions, roles) if role == "facilitator"]
        if len(leaders) != 1 and circle:
            problems.append(where.problem(
                (leaders[1:] or positions)[0], "circle_role", circle,
                f"circle {circle} has {len(leaders)} facilitators (rows {where.rows_of(positions)}); a circle has one",
                "mark one person facilitator and the others member"))
        members = roles.count("member")
        if largest is not None and members > largest:
            problems.append(where.problem(
                positions[-1], "circle_id", circle, f"circle {circle} has {members} members, more than the "
                f"{largest} the round's design allows", "move some members to another circle"))
    return problems


def edited_rows(table: pd.DataFrame, shape: str, proved: Sequence[str]) -> list[int]:
    """Positions of the rows whose pair (or circle) is not one the certificate proved."""
    proved_lines = set(proved)
    if shape == "circles":
        positions: dict[str, list[int]] = defaultdict(list)
        for position, circle in enumerate(table["circle_id"]):
            positions[_text(circle)].append(position)
        changed = []
        for where in positions.values():
            if member_lines(table.iloc[where], shape)[0] not in proved_lines:
                changed += where
        return sorted(changed)
    return [position for position in range(len(table))
            if member_lines(table.iloc[[position]], shape)[0] not in proved_lines]


def roster_problems(table: pd.DataFrame, shape: str, positions: Sequence[int], roster: Roster, design: ProgramDesign,
                    path: Path,
                    rows: Sequence[int], headers: Sequence[str]) -> list[Problem]:
    """What is wrong with the hand-edited rows ``positions`` against the roster and the round's design.

    Rows the certificate proved are not re-checked: the people in them may have left the participant
    files since, which is a change in the programme, not an error in the round.
    """
    if not positions:
        return []
    where = _Where(path, rows, headers)
    if shape == "circles":
        return _circle_roster_problems(table, positions, roster, design, where)
    problems: list[Problem] = []
    mentees = set(roster.mentees["participant_id"]) if shape == "one_to_one" else set(roster.ids)
    mentors = set(roster.mentors["participant_id"]) if shape == "one_to_one" else set(roster.ids)
    checkable = []
    for position in positions:
        sides_known = True
        for column, allowed, side in (("mentee_id", mentees, "mentee"), ("mentor_id", mentors, "mentor")):
            person = _text(table[column].iloc[position])
            if not person:
                sides_known = False
                continue
            if person not in roster:
                problems.append(where.problem(position, column, person, "there is no participant with this id."
                                              + did_you_mean(person, roster.ids), "correct the id"))
                sides_known = False
            elif person not in allowed:
                problems.append(where.problem(position, column, person, f"{roster.display_name(person)} did not "
                                              f"sign up as a {side}", f"choose a {side} from the participants"))
                sides_known = False
        if sides_known and _text(table["mentee_id"].iloc[position]) != _text(table["mentor_id"].iloc[position]):
            checkable.append(position)
    problems += _rule_problems(table, checkable, roster, design, where)
    if shape == "one_to_one":
        problems += _capacity_problems(table, positions, roster, design, where)
    return problems


def _broken_rules(pairs: Sequence[tuple[int, str, str]], roster: Roster, design: ProgramDesign) -> list[tuple[int, str,
                  str, str]]:
    """(position, first, second, the rules' wording) for each (position, mentee-side, mentor-side) a hard rule forbids."""
    broken = []
    for start in range(0, len(pairs), _BLOCK):
        block = list(pairs[start:start + _BLOCK])
        # Each person once per side: the rules between named people are looked up by id, one position per id.
        firsts = list(dict.fromkeys(first for _, first, _ in block))
        seconds = list(dict.fromkeys(second for _, _, second in block))
        context = RuleContext.build(roster, design, mentee_ids=firsts, mentor_ids=seconds)
        masks = context.excluded()
        row, col = {person: index for index, person in enumerate(firsts)}, \
            {person: index for index, person in enumerate(seconds)}
        for position, first, second in block:
            names = [name for name, mask in masks.items() if mask[row[first], col[second]]]
            if names:
                broken.append((position, first, second, "; ".join(HARD_RULE[name].label or f"the {name.replace('_', ' ')} "
                                                                  "rule" for name in names)))
    return broken


def _rule_problems(table: pd.DataFrame, positions: Sequence[int], roster: Roster, design: ProgramDesign,
                   where: _Where) -> list[Problem]:
    """One problem per hand-edited pair that a hard rule of the design forbids."""
    pairs = [(position, _text(table["mentee_id"].iloc[position]), _text(table["mentor_id"].iloc[position]))
             for position in positions]
    return [where.problem(position, "mentor_id", second, f"{roster.display_name(first)} and "
                          f"{roster.display_name(second)} are paired against the programme's hard rules ({words})",
                          "pair them with someone else, or switch the rule off in the design and run match again")
            for position, first, second, words in _broken_rules(pairs, roster, design)]


def _capacity_problems(table: pd.DataFrame, positions: Sequence[int], roster: Roster, design: ProgramDesign,
                       where: _Where) -> list[Problem]:
    capacity = roster.capacity(design.capacity.default, design.capacity.max)
    counts = table["mentor_id"].map(_text).value_counts()
    problems, named = [], set()
    for position in positions:
        mentor = _text(table["mentor_id"].iloc[position])
        if mentor in named or mentor not in capacity.index:
            continue
        if counts[mentor] > capacity[mentor]:
            named.add(mentor)
            problems.append(where.problem(
                position, "mentor_id", mentor, f"{roster.display_name(mentor)} mentors {counts[mentor]} mentees in "
                f"this round, more than the {capacity[mentor]} they offered", "give a mentee another mentor"))
    return problems


def _circle_roster_problems(table: pd.DataFrame, positions: Sequence[int], roster: Roster, design: ProgramDesign,
                            where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    known = []
    for position in positions:
        person = _text(table["participant_id"].iloc[position])
        if person and person not in roster:
            problems.append(where.problem(position, "participant_id", person, "there is no participant with this id."
                                          + did_you_mean(person, roster.ids), "correct the id"))
        elif person:
            known.append(position)
    # Each member with their circle's facilitator: the hard rules of the design, as the circles were formed.
    leader = {_text(circle): _text(person) for circle, person, role in
              zip(table["circle_id"], table["participant_id"], table["circle_role"])
              if _text(role) == "facilitator" and _text(person) in roster}
    pairs = []
    for position in known:
        member, facilitator = _text(table["participant_id"].iloc[position]), leader.get(
            _text(table["circle_id"].iloc[position]), "")
        if facilitator and member != facilitator:
            pairs.append((position, member, facilitator))
    problems += [where.problem(position, "participant_id", member, f"{roster.display_name(member)} and their "
                               f"facilitator {roster.display_name(facilitator)} are together against the programme's "
                               f"hard rules ({words})", "move them to another circle, or switch the rule off in the design "
                               "and run match again")
                 for position, member, facilitator, words in _broken_rules(pairs, roster, design)]
    return problems
