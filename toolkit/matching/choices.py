"""Mentee choices: the returned choices form, read with row-level errors, and matching on the ranks.

``load_choices(path)`` reads the form that :meth:`Shortlists.write_form` wrote (Excel or CSV)
after mentees filled in ``Your rank``. A mentor may also answer: an optional ``Mentor rank``
column takes a whole number (their own order) or ``decline``.

``match(roster, design, choices=...)`` then matches on the ranks: a first choice is worth most,
a k-th choice least, a pair nobody ranked only its score (scaled below any ranked pair), all
under the usual capacities and hard rules; declined pairs are never used. The match keeps the
real two-sided preferences, so the stability audit uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import IntakeError, MatchingError, Problem
from ..intake.schema import snake_case
from ..intake.tables import Table, column_letter, read_table

if TYPE_CHECKING:
    from ..roster import Roster
    from .result import MatchResult

__all__ = ["Choices", "load_choices", "choice_worth", "choice_outcomes", "choice_preferences", "ranked_not_allowed"]

# Column (snake_case of the header) -> field. The form's own headers come first.
_HEADERS = {
    "mentee_id": "mentee_id", "mentee": "mentee_name", "mentor_id": "mentor_id", "your_rank": "rank",
    "rank": "rank", "choice": "rank", "mentor_rank": "mentor_rank", "mentor_response": "mentor_rank",
}
_REQUIRED = {"mentee_id": "Mentee ID", "mentor_id": "Mentor ID", "rank": "Your rank"}
_DECLINE = {"decline", "declined", "no", "not available"}


@dataclass
class Choices:
    """Ranked choices from a returned choices form.

    Attributes
    ----------
    ranks
        One row per ranked or declined pair: mentee_id, mentor_id, rank (1 = first choice; empty
        when the mentee left it blank), mentor_rank (empty, a number, or empty with declined),
        declined (the mentor said no), row (the spreadsheet row it came from).
    path
        The file read (empty for choices built in code).
    unranked_rows
        Spreadsheet rows where the mentee left the rank blank (kept: the pair is simply not chosen).
    """

    ranks: pd.DataFrame
    path: str = ""
    unranked_rows: tuple[int, ...] = ()

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Choices:
        """Choices from a table with mentee_id, mentor_id, rank (and optionally mentor_rank, declined)."""
        frame = frame.copy()
        for column, default in (("mentor_rank", np.nan), ("declined", False), ("row", 0)):
            if column not in frame.columns:
                frame[column] = default
        frame["mentee_id"], frame["mentor_id"] = frame["mentee_id"].astype(str), frame["mentor_id"].astype(str)
        frame["rank"] = pd.to_numeric(frame["rank"], errors="coerce")
        frame["mentor_rank"] = pd.to_numeric(frame["mentor_rank"], errors="coerce")
        frame["declined"] = frame["declined"].astype(bool)
        return cls(frame[["mentee_id", "mentor_id", "rank", "mentor_rank", "declined", "row"]].reset_index(drop=True))

    @property
    def declined_pairs(self) -> list[tuple[str, str]]:
        chosen = self.ranks[self.ranks["declined"]]
        return list(zip(chosen["mentee_id"], chosen["mentor_id"]))

    @property
    def ranked(self) -> pd.DataFrame:
        """The pairs a mentee ranked and the mentor did not decline."""
        return self.ranks[self.ranks["rank"].notna() & ~self.ranks["declined"]]

    def validate(self, roster: Roster) -> Choices:
        """Check every id against the roster; raise one MatchingError naming each bad row."""
        people = roster.participants.set_index("participant_id")["role"]
        problems = []
        for row in self.ranks.itertuples():
            for side, wanted in (("mentee_id", ("mentee", "both")), ("mentor_id", ("mentor", "both"))):
                person = getattr(row, side)
                if person not in people.index:
                    problems.append(Problem(f"{person} is not in the roster", "check the ID against the roster "
                                            "(do not edit the ID columns of the form)", self.path or None,
                                            row.row or None, "Mentee ID" if side == "mentee_id" else "Mentor ID",
                                            person))
                elif people[person] not in wanted:
                    problems.append(Problem(f"{person} is a {people[person]}, not a {wanted[0]}",
                                            "check the ID against the roster", self.path or None, row.row or None,
                                            "Mentee ID" if side == "mentee_id" else "Mentor ID", person))
        if problems:
            raise MatchingError(f"{len(problems)} choices name people the roster does not have in that role:",
                                problems=problems, fix="correct those rows in the choices form and load it again")
        return self

    def __len__(self) -> int:
        return len(self.ranks)


def load_choices(path: str | Path, *, sheet: str | int | None = None) -> Choices:
    """Read a returned choices form (Excel or CSV).

    Columns (as the form writes them): ``Mentee ID``, ``Mentor ID``, ``Your rank``; optional
    ``Mentor rank`` (a number, or ``decline``). Other columns (names, why this mentor) are ignored.

    Raises
    ------
    IntakeError
        Listing every bad row with the file, the row as the spreadsheet shows it, the column, the
        value and the fix: a missing id, a rank that is not a whole number of 1 or more, a rank
        used twice by one mentee, the same mentor twice for one mentee.
    """
    table = read_table(path, sheet=sheet if sheet is not None else ("Choices" if str(path).endswith(".xlsx")
                                                                     else None))
    form = _Form(table, _form_columns(table))
    records, blank = [], []
    for cells, row in zip(table.rows, table.row_numbers):
        record = form.read_row(cells, row)
        if record is not None:
            records.append(record)
        elif cells[form.where["mentee_id"]].strip() and cells[form.where["mentor_id"]].strip() \
                and not cells[form.where["rank"]].strip():
            blank.append(row)
    frame = pd.DataFrame(records, columns=["mentee_id", "mentor_id", "rank", "mentor_rank", "declined", "row"])
    form.check_repeats(frame)
    if form.problems:
        problems = sorted(form.problems, key=lambda item: (item.row or 0, item.column or ""))
        raise IntakeError(f"{table.name}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the choices "
                          "form:", problems=problems, path=table.path,
                          fix="correct those rows in the form and load it again")
    choices = Choices.from_frame(frame)
    return Choices(choices.ranks, str(table.path), tuple(blank))


def _form_columns(table: Table) -> dict[str, int]:
    """Field -> column index of the form's columns (the first column for each field); stops when one is missing."""
    where: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        field = _HEADERS.get(snake_case(header))
        if field and field not in where:
            where[field] = index
    missing = [label for field, label in _REQUIRED.items() if field not in where]
    if missing:
        raise IntakeError(f"{table.name} has no {', '.join(missing)} column.",
                          fix="use the choices form the toolkit wrote (columns Mentee ID, Mentor ID, Your rank)",
                          path=table.path)
    return where


def _whole_number(text: str) -> int | None:
    """``text`` as a whole number of 1 or more (``"2."`` included), or None."""
    number = pd.to_numeric(text.rstrip("."), errors="coerce")
    if pd.isna(number) or number != int(number) or number < 1:
        return None
    return int(number)


class _Form:
    """A choices form being read: its columns and every problem found so far (each row named)."""

    def __init__(self, table: Table, where: dict[str, int]) -> None:
        self.table, self.where = table, where
        self.problems: list[Problem] = []

    def problem(self, message: str, fix: str, row: int, field: str, value: object) -> None:
        index = self.where[field]
        self.problems.append(Problem(message, fix, self.table.path, row, self.table.headers[index], value,
                                     column_letter(index)))

    def read_row(self, cells: list[str], row: int) -> dict | None:
        """One form row as a record; None when it holds no rank and no mentor answer."""
        mentee, mentor = cells[self.where["mentee_id"]].strip(), cells[self.where["mentor_id"]].strip()
        if not mentee:
            self.problem("the mentee ID is empty", "copy the mentee's ID back from the form as sent", row, "mentee_id",
                         "")
        if not mentor:
            self.problem("the mentor ID is empty", "copy the mentor's ID back from the form as sent", row, "mentor_id",
                         "")
        rank = self._rank(cells[self.where["rank"]].strip(), row)
        answer = cells[self.where["mentor_rank"]].strip() if "mentor_rank" in self.where else ""
        mentor_rank, declined = self._mentor_answer(answer, row)
        if rank is None and not declined and mentor_rank is None:
            return None
        return {"mentee_id": mentee, "mentor_id": mentor, "rank": rank, "mentor_rank": mentor_rank,
                "declined": declined, "row": row}

    def _rank(self, text: str, row: int) -> int | None:
        """The mentee's rank (None when blank or not a whole number of 1 or more: the latter is a problem)."""
        if not text:
            return None
        rank = _whole_number(text)
        if rank is None:
            self.problem(f"the rank {text!r} is not a whole number of 1 or more",
                         "write 1 for the first choice, 2 for the second ...; leave it blank for no choice",
                         row, "rank", text)
        return rank

    def _mentor_answer(self, answer: str, row: int) -> tuple[int | None, bool]:
        """The mentor's answer as (their rank, declined)."""
        if not answer:
            return None, False
        if answer.casefold() in _DECLINE:
            return None, True
        number = pd.to_numeric(answer, errors="coerce")
        if pd.isna(number) or number != int(number) or number < 1:
            self.problem(f"the mentor's answer {answer!r} is neither a rank nor 'decline'",
                         "write a whole number of 1 or more, or decline", row, "mentor_rank", answer)
            return None, False
        return int(number), False

    def check_repeats(self, frame: pd.DataFrame) -> None:
        """A mentor listed twice by one mentee, or one rank given twice by a mentee (mentee by mentee, in the
        order of their ids; each repeat names the row of the first)."""
        named = frame[frame["mentee_id"] != ""]
        ranked = named[named["rank"].notna()]
        twice = named[named.duplicated(["mentee_id", "mentor_id"], keep="first")]
        again = ranked[ranked.duplicated(["mentee_id", "rank"], keep="first")]
        if twice.empty and again.empty:
            return
        first_listed: dict[tuple, int] = {}
        for key, row in zip(zip(named["mentee_id"], named["mentor_id"]), named["row"]):
            first_listed.setdefault(key, int(row))
        first_ranked: dict[tuple, int] = {}
        for key, row in zip(zip(ranked["mentee_id"], ranked["rank"]), ranked["row"]):
            first_ranked.setdefault(key, int(row))
        for mentee in sorted(set(twice["mentee_id"]) | set(again["mentee_id"])):
            for item in twice[twice["mentee_id"] == mentee].itertuples():
                first = first_listed[mentee, item.mentor_id]
                self.problem(f"{mentee} lists mentor {item.mentor_id} again (first in row {first})",
                             "keep one row per mentor", int(item.row), "mentor_id", item.mentor_id)
            for item in again[again["mentee_id"] == mentee].itertuples():
                first = first_ranked[mentee, item.rank]
                self.problem(f"{mentee} gives rank {int(item.rank)} twice (also in row {first})",
                             "give each mentor a different rank (1, 2, 3 ...)", int(item.row), "rank", int(item.rank))


def choice_worth(choices: Choices, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, mentee_ids,
                 mentor_ids) -> np.ndarray:
    """What each candidate pair is worth when matching on choices.

    A pair ranked r by its mentee (of at most K ranks) is worth K + 1 - r, plus its score scaled
    so that all the scaled scores of a matching add up to less than 1 (they only break ties);
    every other pair is worth its scaled score only. The ranks therefore decide: no gain in
    scores can buy a worse set of ranks, and a first choice outweighs a second.
    """
    scores = np.asarray(scores, dtype=float)
    if len(scores):
        low, high = float(scores.min()), float(scores.max())
        share = 1.0 / (len(mentee_ids) + 1)
        scaled = share * (scores - low) / (high - low) if high > low else np.zeros(len(scores))
    else:
        scaled = scores
    ranked = choices.ranked
    if not len(ranked):
        return scaled
    most = int(ranked["rank"].max())
    mentee_position = {participant: index for index, participant in enumerate(mentee_ids)}
    mentor_position = {participant: index for index, participant in enumerate(mentor_ids)}
    wanted = {(mentee_position[a], mentor_position[b]): most + 1 - int(r)
              for a, b, r in zip(ranked["mentee_id"], ranked["mentor_id"], ranked["rank"])
              if a in mentee_position and b in mentor_position}
    bonus = np.array([wanted.get((int(r), int(c)), 0) for r, c in zip(rows, cols)], dtype=float)
    return scaled + bonus


def choice_outcomes(result: MatchResult, choices: Choices | None = None) -> dict:
    """How the match served the mentees who ranked: first choice, top 3, any ranked choice.

    Returns
    -------
    dict
        ``ranked`` (mentees who ranked at least one mentor), ``first``, ``top3``, ``any`` (counts),
        ``first_share``, ``top3_share``, ``any_share`` (of those who ranked), and ``table``
        (mentee_id, mentor_id, rank got: one row per mentee who ranked), ``not_allowed`` (ranked
        pairs the hard rules exclude, with the form's row and the rules).
    """
    choices = choices if choices is not None else getattr(result, "choices", None)
    if choices is None:
        raise MatchingError("This match was not made on choices.", fix="pass choices= to tk.match")
    ranked = choices.ranks[choices.ranks["rank"].notna()]
    got = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    rank_of = {(a, b): int(r) for a, b, r in zip(ranked["mentee_id"], ranked["mentor_id"], ranked["rank"])}
    rows = [{"mentee_id": mentee, "mentor_id": got.get(mentee), "rank_got": rank_of.get((mentee, got.get(mentee)))}
            for mentee in sorted(ranked["mentee_id"].unique())]
    table = pd.DataFrame(rows, columns=["mentee_id", "mentor_id", "rank_got"])
    count = len(table)
    first = int((table["rank_got"] == 1).sum())
    top3 = int((table["rank_got"] <= 3).sum())
    anyone = int(table["rank_got"].notna().sum())

    def share(number: int) -> float | None:
        return number / count if count else None

    return {"ranked": count, "first": first, "top3": top3, "any": anyone, "first_share": share(first),
            "top3_share": share(top3), "any_share": share(anyone), "table": table,
            "not_allowed": ranked_not_allowed(result, choices)}


def ranked_not_allowed(result: MatchResult, choices: Choices) -> pd.DataFrame:
    """Ranked pairs the programme's hard rules exclude (they cannot be matched), with the form's row.

    Nothing is dropped silently: these are reported so the programme team can tell the mentee why.
    """
    context = result.rule_context
    columns = ["row", "mentee_id", "mentor_id", "rank", "rules"]
    if context is None:
        return pd.DataFrame(columns=columns)
    mentees = {person: index for index, person in enumerate(context.mentees.ids)}
    mentors = {person: index for index, person in enumerate(context.mentors.ids)}
    rows = []
    ranked = choices.ranked
    for mentee, group in ranked.groupby("mentee_id", sort=True):
        if mentee not in mentees:
            continue
        position = mentees[mentee]
        allowed = context.allowed(position, position + 1)[0]
        masks = None
        for item in group.itertuples():
            column = mentors.get(item.mentor_id)
            if column is None or allowed[column]:
                continue
            masks = masks if masks is not None else context.excluded(position, position + 1)
            rules = [rule.replace("_", " ") for rule, mask in masks.items() if mask[0, column]]
            rows.append({"row": item.row, "mentee_id": mentee, "mentor_id": item.mentor_id, "rank": int(item.rank),
                         "rules": ", ".join(rules)})
    return pd.DataFrame(rows, columns=columns)


def choice_preferences(result: MatchResult, edges: pd.DataFrame) -> tuple[dict, dict, dict]:
    """Two-sided preferences from real choices, for the stability audit.

    Mentees rank their ranked mentors first (in their order), then the rest by score; mentors
    rank the mentees they ranked first, then the rest by score; declined pairs are left out.
    """
    choices = result.choices
    if choices is None:
        raise MatchingError("This match was not made on the mentees' choices.",
                            fix="match with choices=tk.load_choices(...) first")
    declined = set(choices.declined_pairs)
    edges = edges[np.array([pair not in declined for pair in zip(edges["mentee_id"], edges["mentor_id"])], dtype=bool)]
    score = {(a, b): s for a, b, s in zip(edges["mentee_id"], edges["mentor_id"], edges["score"])}
    ranks = choices.ranks
    mentee_rank_of = {(a, b): r for a, b, r in zip(ranks["mentee_id"], ranks["mentor_id"], ranks["rank"])
                      if r == r}
    mentor_rank_of = {(a, b): r for a, b, r in zip(ranks["mentee_id"], ranks["mentor_id"], ranks["mentor_rank"])
                      if r == r}
    mentee_rank: dict[str, list[str]] = {}
    for mentee, group in edges.groupby("mentee_id", sort=True):
        keyed = [(mentee_rank_of.get((mentee, mentor), np.inf), -s, mentor)
                 for mentor, s in zip(group["mentor_id"], group["score"])]
        mentee_rank[mentee] = [mentor for _, _, mentor in sorted(keyed)]
    mentor_rank: dict[str, dict[str, int]] = {}
    for mentor, group in edges.groupby("mentor_id", sort=True):
        keyed = sorted((mentor_rank_of.get((mentee, mentor), np.inf), -s, mentee)
                       for mentee, s in zip(group["mentee_id"], group["score"]))
        mentor_rank[mentor] = {mentee: position for position, (_, _, mentee) in enumerate(keyed)}
    return mentee_rank, mentor_rank, score
