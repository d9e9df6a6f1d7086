"""The programme's adopted match: dated rounds kept in the client folder, never overwritten.

``match`` (the command) adopts its result as a new round::

    <client>/matches/round-01-2026-11-30/
        pairs.csv        (or circles.csv) ids, names, scores: the pairs everything else uses
        unmatched.csv    everyone not matched, with the reason and the fix
        match.xlsx       the same tables for reading, plus an "about" sheet
        design.yaml      the programme design the round was matched under
        round.json       number, date, status, objective, certificate, note
    <client>/matches/current.txt   the folder name of the adopted round

Agreements, the kit, the studio and the health report read :func:`current_round`; a client
without any round falls back to the ``pairs:`` / ``circles:`` file named in its client.yaml.
A round folder is never written twice: a later match (or re-match) adds the next round.

A round can be trusted as read:

* it is checked every time it is read (:mod:`toolkit.rounds.checks`): a self-pair, a person in two
  pairs, a mentor over the design's maximum, a repeated pair id stop with the file and row named; with
  the roster, hand-edited rows are checked against the participants and the hard rules too;
* ``round.json`` records the pairs its certificate proved (their members and a SHA-256 fingerprint); a
  round whose pairs were edited afterwards reads as ``edited``, never as certified;
* it is written whole: into a hidden staging folder, renamed into place, under the client's adoption
  lock (:mod:`toolkit.rounds.lock`), so a killed run leaves nothing a reader sees, and a second run at the
  same time says another match is adopting a round.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..client import load_client
from ..design.model import ProgramDesign
from ..errors import ConfigError, DesignError, MatchingError, Problem
from ..files import write_csv, write_excel, write_text
from ..intake.schema import snake_case
from ..intake.tables import read_table
from ..matching.problem import Certificate
from ..matching.result import MatchResult
from ..paths import confined_folder
from .checks import FINGERPRINT_METHOD, edited_rows, fingerprint, member_lines, roster_problems, table_problems
from .lock import adoption_lock, remove_leftovers, staging_folder, stop_point
from .tables import CIRCLE_COLUMNS, PAIR_COLUMNS, UNMATCHED_COLUMNS, certificate_summary, name_of, round_tables

if TYPE_CHECKING:
    from ..roster import Roster

__all__ = ["Round", "adopt", "current_round", "list_rounds", "rounds_folder", "ROUNDS_FOLDER", "INTEGRITY_WORDS"]

ROUNDS_FOLDER = "matches"
_CURRENT = "current.txt"
_ROUND_NAME = re.compile(r"^round-(\d+)-(\d{4}-\d{2}-\d{2})$")
_PAIR_COLUMNS, _CIRCLE_COLUMNS, _UNMATCHED_COLUMNS = PAIR_COLUMNS, CIRCLE_COLUMNS, UNMATCHED_COLUMNS
# What adoption writes into a round folder: a round folder without round.json holding only these files is
# the debris of a run killed before rounds were written whole, and the next adoption removes it.
_ROUND_FILES = {"pairs.csv", "circles.csv", "unmatched.csv", "match.xlsx", "design.yaml"}

#: Whether a round's pairs are the ones its certificate is about, in words (``Round.integrity``).
INTEGRITY_WORDS = {
    "intact": "the pairs are the ones adopted",
    "edited": "the pairs were edited by hand after the round was adopted, so they are not the match that was "
              "solved and no optimality is claimed for them",
    "unverified": "the round was adopted before the toolkit recorded which pairs it solved, so its pairs cannot "
                  "be shown to be that match and no optimality is claimed for them",
}


def _client_folder(client_dir: Any) -> Path:
    """A client folder from a folder, a client.yaml path or a loaded client (anything with ``.folder``)."""
    folder = getattr(client_dir, "folder", None)
    if folder is not None:
        return Path(folder)
    path = Path(client_dir)
    return path.parent if path.suffix.lower() in (".yaml", ".yml") else path


def rounds_folder(client_dir: Any) -> Path:
    """``<client>/matches``: where the rounds live (refused when it is a symbolic link: rounds are never
    read from, or adopted into, another client's folder)."""
    return confined_folder(_client_folder(client_dir), ROUNDS_FOLDER, create=False)


@dataclass
class Round:
    """One adopted match, as kept in its round folder (checked as it was read).

    Attributes
    ----------
    number
        1 for the first match, then 2, 3, ...
    created
        When it was adopted (local time, to the second).
    folder
        The round folder.
    shape
        ``one_to_one``, ``peer_pairs`` or ``circles``.
    pairs
        One row per pair (pair_id, mentee_id, mentor_id, score and its parts), or for circles
        one row per person (circle_id, participant_id, circle_role). Ids new in a round carry its
        number (``R1-P001``, ``R1-C01``), so ids never repeat across rounds.
    unmatched
        participant_id, role, reason, suggestion.
    design_name
        The programme design's name.
    certificate
        The round's summary: status, objective, certified, method, solver and notes, as they hold for
        the pairs now in the folder: a round edited by hand has ``certified`` False and ``status``
        ``"edited"`` (:attr:`integrity`).
    note
        Why this round was made (free text, may be empty).
    integrity
        ``intact`` (the pairs are the ones adopted), ``edited`` (changed by hand since) or ``unverified``
        (adopted before rounds recorded their pairs' fingerprint); see :data:`INTEGRITY_WORDS`.
    changed_rows
        The rows of pairs.csv (as a spreadsheet shows them, header = row 1) whose pair is not one adopted.
    removed
        How many adopted pairs (or circles) are no longer in the file.
    pinned, banned
        (mentee_id, mentor_id) pairs the round was matched with pinned or banned (the matching studio's).
    source_rows, headers
        Each pair row's row number in the file, and the file's headers (for messages).
    """

    number: int
    created: dt.datetime
    folder: Path
    shape: str
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    design_name: str
    certificate: dict = field(default_factory=dict)
    note: str = ""
    integrity: str = "intact"
    changed_rows: list = field(default_factory=list)
    removed: int = 0
    pinned: list = field(default_factory=list)
    banned: list = field(default_factory=list)
    source_rows: list = field(default_factory=list)
    headers: list = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Round {self.summary()}>"

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def main_file(self) -> Path:
        """pairs.csv (or circles.csv)."""
        return self.folder / ("circles.csv" if self.shape == "circles" else "pairs.csv")

    @property
    def circles(self) -> pd.DataFrame:
        """The circle members (empty unless the round is of circles)."""
        return self.pairs if self.shape == "circles" else pd.DataFrame(columns=_CIRCLE_COLUMNS)

    @property
    def units(self) -> int:
        """How many pairs or circles the round has."""
        if self.shape == "circles":
            return int(self.pairs["circle_id"].nunique())
        return len(self.pairs)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the members of the pairs (or circles) now in the folder (:mod:`toolkit.rounds.checks`)."""
        return fingerprint(member_lines(self.pairs, self.shape))

    @property
    def certified(self) -> bool:
        """True only for a round proved optimal whose pairs are still the ones it proved."""
        return bool(self.certificate.get("certified"))

    @property
    def design_path(self) -> Path:
        return self.folder / "design.yaml"

    def design(self) -> ProgramDesign:
        """The programme design the round was matched under (its ``design.yaml``)."""
        if not self.design_path.exists():
            raise ConfigError(f"there is no design.yaml in round {self.number}.", path=self.folder,
                              fix="pass the programme design, or restore design.yaml from a backup")
        return _design_from_yaml(self.design_path)

    def changes(self) -> str:
        """What differs from the adopted pairs, in words ("rows 4, 7 of pairs.csv changed; 1 adopted pair removed")."""
        rows = ", ".join(str(row) for row in self.changed_rows[:8]) + (" ..." if len(self.changed_rows) > 8 else "")
        unit = "circle" if self.shape == "circles" else "pair"
        parts = [f"row{'s' if len(self.changed_rows) != 1 else ''} {rows} of {self.main_file.name} changed"
                 if self.changed_rows else "",
                 f"{self.removed} adopted {unit}{'s' if self.removed != 1 else ''} removed" if self.removed else ""]
        return "; ".join(part for part in parts if part)

    def certificate_words(self) -> str:
        """What may be said of the round's pairs, in words: certified optimal, or why not."""
        if self.integrity == "edited":
            return f"edited by hand after adoption ({self.changes()}): not certified"
        if self.integrity == "unverified":
            return "not certified: adopted before rounds recorded which pairs they solved"
        if self.certified:
            return "certified optimal"
        return f"not certified ({str(self.certificate.get('status') or 'unknown').replace('_', ' ')})"

    def summary(self) -> str:
        unit = "circles" if self.shape == "circles" else "pairs"
        return (f"round {self.number} ({self.folder.name}): {self.units} {unit}, adopted "
                f"{self.created:%d %B %Y %H:%M}, {self.certificate_words()}" + (f"; {self.note}" if self.note else ""))

    def check_with(self, roster: Roster, design: ProgramDesign | None = None) -> Round:
        """Check the hand-edited rows against the participants and the round's hard rules; returns the round.

        Raises
        ------
        ConfigError
            Naming each row (an unknown id, a person on a side they did not sign up for, a hard rule
            broken, a mentor over their capacity) and the fix.
        """
        if self.integrity != "edited" or not self.changed_rows:
            return self
        design = self.design() if design is None and self.design_path.exists() else design
        if design is None:
            return self
        positions = [self.source_rows.index(row) for row in self.changed_rows]
        problems = roster_problems(self.pairs, self.shape, positions, roster, design, self.main_file,
                                   self.source_rows, self.headers)
        if problems:
            raise _refused(self, problems)
        return self

    def as_match_result(self, roster: Roster, design: ProgramDesign | None = None) -> MatchResult:
        """The round as a :class:`~toolkit.matching.result.MatchResult` for agreements, the kit and reports.

        People in the round who are no longer in ``roster`` stay in the pairs (by id) and are also
        listed in ``unmatched`` with the reason, as is everyone in ``roster`` who needed a match and
        joined after the round was adopted; nothing is re-solved, so there are no explanations. Rows
        edited by hand are checked first (:meth:`check_with`); the result of an edited round is not
        certified and has the status ``edited``.
        """
        if design is None:
            design = self.design()
        self.check_with(roster, design)
        ids = ["participant_id"] if self.shape == "circles" else ["mentee_id", "mentor_id"]
        absent = sorted({str(person) for column in ids for person in self.pairs[column] if str(person) not in roster})
        gone = pd.DataFrame({"participant_id": absent, "role": None,
                             "reason": f"in round {self.number} of the match but no longer in the participant files",
                             "suggestion": "check whether they left the programme; re-match their partner if so"})
        unmatched = self.unmatched.reindex(columns=_UNMATCHED_COLUMNS)
        listed = {str(person) for column in ids for person in self.pairs[column]} | \
            {str(person) for person in unmatched["participant_id"]}
        people = roster.participants
        wanted = people if self.shape == "peer_pairs" else people[people["role"].isin(("mentee", "both"))]
        if self.shape == "circles":
            leaders = set(roster.facilitators()["participant_id"])
            wanted = wanted[~wanted["participant_id"].isin(leaders)]
        late = wanted[~wanted["participant_id"].astype(str).isin(listed)]
        joined = pd.DataFrame({"participant_id": late["participant_id"].to_numpy(), "role": late["role"].to_numpy(),
                               "reason": f"joined after round {self.number} was adopted ({self.created:%d %B %Y})",
                               "suggestion": "match them in a re-match (mentoring-toolkit rematch) or a new round"})
        extra = [frame for frame in (gone, joined) if len(frame)]
        if extra:
            unmatched = pd.concat([unmatched, *extra], ignore_index=True)
        objective = self.certificate.get("objective")
        objective = float("nan") if objective is None else float(objective)
        pairs = self.pairs if self.shape != "circles" else pd.DataFrame(columns=["mentee_id", "mentor_id", "score"])
        return MatchResult(roster=roster, design=design, shape=self.shape, pairs=pairs, circles=self.circles,
                           unmatched=unmatched, status=str(self.certificate.get("status", "as_run")),
                           objective=objective, certificate=self._certificate())

    def _certificate(self) -> Certificate:
        adopted = f"adopted as round {self.number} on {self.created:%d %B %Y} ({self.folder.name})"
        if self.integrity != "intact":
            return Certificate(certified=False, method=self.integrity, candidate_pairs=0, pairs_in_model=0, rounds=0,
                               max_reduced_cost=float("nan"), solver=str(self.certificate.get("solver", "")),
                               notes=[part for part in (self.changes(), INTEGRITY_WORDS[self.integrity], adopted)
                                      if part])
        return Certificate(
            certified=self.certified, method=str(self.certificate.get("method", "")),
            candidate_pairs=int(self.certificate.get("candidate_pairs") or 0),
            pairs_in_model=int(self.certificate.get("pairs_in_model") or 0),
            rounds=int(self.certificate.get("rounds") or 0),
            max_reduced_cost=_float(self.certificate.get("max_reduced_cost")),
            solver=str(self.certificate.get("solver", "")),
            notes=[*(self.certificate.get("notes") or []), adopted])


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _design_from_yaml(path: Path):
    return ProgramDesign.from_yaml(path)


def _refused(adopted_round: Round | None, problems: list[Problem], *, folder: Path | None = None,
             main: Path | None = None) -> ConfigError:
    if adopted_round is not None:
        folder, main = folder or adopted_round.folder, main or adopted_round.main_file
    if folder is None or main is None:
        raise ValueError("name the round, or its folder and main file")
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    problems = sorted(problems, key=lambda problem: problem.row or 0)
    return ConfigError(
        f"{folder.name}/{main.name} was changed by hand and cannot be used as it is ({count}):",
        problems=problems, path=main,
        fix=f"Fix: correct the rows named in {main} (match.xlsx in the same folder holds the pairs as they were "
            "adopted), or run match to adopt a new round.")


# ------------------------------------------------------------------------------------------------
# Writing a round
# ------------------------------------------------------------------------------------------------
def _earlier_pair_ids(client_dir: Any, folders: list[Path]) -> dict[tuple[str, str], str]:
    """(mentee_id, mentor_id) -> pair id in the match before this one: the current round, else the client's
    ``pairs:`` file (a programme matched before the toolkit kept rounds). The same two people keep their pair id,
    so meetings and check-ins already logged against it still count. The round's file is read as it stands,
    unchecked: a round that was broken by hand must not stop the match that replaces it."""
    frame = None
    if folders:
        marker = folders[-1].parent / _CURRENT
        name = marker.read_text(encoding="utf-8").strip() if marker.exists() else ""
        before = next((folder for folder in folders if folder.name == name), folders[-1])
        if (before / "pairs.csv").exists():
            frame = _frame(before / "pairs.csv")[0]
    else:
        yaml_path = _client_folder(client_dir) / "client.yaml"
        if yaml_path.exists():
            pairs_file = load_client(yaml_path).get("pairs")
            if pairs_file is not None:
                frame = read_table(pairs_file).frame().reset_index(drop=True).rename(columns=snake_case)
    if frame is None or not {"pair_id", "mentee_id", "mentor_id"} <= set(frame.columns):
        return {}
    known: dict[tuple[str, str], str] = {}
    for pair_id, mentee, mentor in zip(frame["pair_id"], frame["mentee_id"], frame["mentor_id"]):
        if pair_id not in (None, "") and not pd.isna(pair_id):
            known.setdefault((str(mentee), str(mentor)), str(pair_id))
    return known


def adopt(client_dir: Any, result: MatchResult, *, design: ProgramDesign | None = None, note: str = "",
          now: dt.datetime | None = None, pinned=(), banned=()) -> Round:
    """Keep ``result`` as the programme's adopted match: a new dated round folder, marked current.

    Parameters
    ----------
    client_dir
        The client folder (or its client.yaml, or a loaded client).
    result
        The match to adopt.
    design
        The design it was matched under (default: ``result.design``); written as ``design.yaml``.
    note
        Why this round was made (kept in round.json and shown in summaries).
    now
        The adoption time (default: the clock); the folder is dated with it.
    pinned, banned
        (mentee_id, mentor_id) pairs the match was made with pinned or banned (kept in round.json, so the
        matching studio opens on the round's own settings).

    Returns
    -------
    Round
        The new round. Earlier rounds are left exactly as they were.

    Raises
    ------
    AdoptionInProgress
        When another process is adopting a round for the same client (nothing is written).
    """
    folder = rounds_folder(client_dir)
    design = design or result.design
    now = (now or dt.datetime.now()).replace(microsecond=0)
    with adoption_lock(folder):
        remove_leftovers(folder)
        folders = _complete_folders(folder)
        number = max([_number(path) for path in folders] + [_debris_number(folder)]) + 1
        target = folder / f"round-{number:02d}-{now:%Y-%m-%d}"
        staging = staging_folder(folder)
        try:
            _write_round(staging, client_dir, folders, result, design, number, now, note, pinned, banned)
            _check_staged(staging, number)  # a round that would not read back is never put in place
            stop_point("before-rename")  # tests: a run killed with the round written but not in place
            os.replace(staging, target)  # the round appears whole, or not at all
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        write_text(target.name + "\n", folder / _CURRENT)
        return _read_round(target)


def _check_staged(staging: Path, number: int) -> None:
    try:
        _read_round(staging)
    except ConfigError as error:
        raise MatchingError(f"This match cannot be adopted as round {number}: its pairs break the round's own "
                            "checks, so nothing was adopted:", problems=error.problems,
                            fix="Fix: check the pins and kept pairs given to the match (each person in one pair, each "
                                "mentor within the design's capacity), then match again.") from None


def _write_round(staging: Path, client_dir: Any, folders: list[Path], result: MatchResult, design: ProgramDesign,
                 number: int,
                 now: dt.datetime, note: str, pinned, banned) -> None:
    """Every file of a round, written into its staging folder."""
    kind, main, unmatched = round_tables(result, number, _earlier_pair_ids(client_dir, folders))
    unmatched = unmatched.reindex(columns=_UNMATCHED_COLUMNS).assign(
        name=[name_of(result.roster, p) for p in unmatched["participant_id"]])
    write_csv(main, staging / f"{kind}.csv")
    stop_point("writing")  # tests: a run killed while the round is half written
    write_csv(unmatched, staging / "unmatched.csv")
    summary = certificate_summary(result)
    about = pd.DataFrame({"item": ["round", "adopted", "programme", "status", "certificate", "note"],
                          "value": [str(number), now.isoformat(sep=" "), design.name, result.status,
                                    summary["statement"], note]})
    write_excel({kind: main, "unmatched": unmatched, "about": about}, staging / "match.xlsx")
    write_text(design.to_yaml(), staging / "design.yaml")
    # The fingerprint of the file as written and read back (ids exactly as every later read will see them).
    members = member_lines(_frame(staging / f"{kind}.csv")[0], result.shape)
    record = {"round": number, "created": now.isoformat(), "shape": result.shape, "design": design.name,
              "note": note, "units": (int(main["circle_id"].nunique()) if kind == "circles" else len(main)),
              "unmatched": len(unmatched), **summary,
              "pinned": [list(map(str, pair)) for pair in pinned], "banned": [list(map(str, pair)) for pair in banned],
              "fingerprint": {"method": FINGERPRINT_METHOD, "sha256": fingerprint(members), "members": members}}
    write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", staging / "round.json")


# ------------------------------------------------------------------------------------------------
# Reading rounds
# ------------------------------------------------------------------------------------------------
def _frame(path: Path) -> tuple[pd.DataFrame, list[int], list[str]]:
    """A round's CSV as text (numbers where a whole column is numeric), its rows' numbers and its headers."""
    table = read_table(path)
    frame = pd.DataFrame(table.rows, columns=list(table.headers), dtype=object).replace({"": None})
    for column in frame.columns:
        if column in ("score",) or column not in (_PAIR_COLUMNS + _CIRCLE_COLUMNS + _UNMATCHED_COLUMNS
                                                  + ["mentee", "mentor", "name", "status", "first_meeting"]):
            converted = pd.to_numeric(frame[column], errors="coerce")
            if converted.notna().sum() == frame[column].notna().sum():
                frame[column] = converted
    return frame, list(table.row_numbers), list(table.headers)


def _about(folder: Path) -> dict:
    about_path = folder / "round.json"
    if not about_path.exists():
        raise ConfigError("there is no round.json in this round folder, so it is not a complete round.", path=folder,
                          fix="restore the folder from a backup, or move it out of matches/ and run match again")
    try:
        return json.loads(about_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConfigError(f"not readable: {error.msg}.", path=about_path,
                          row=error.lineno, fix="restore it from a backup; the toolkit writes it, it is not "
                                                "meant to be edited") from None


def _round_design(folder: Path):
    """The round's design for the checks (None when design.yaml is missing or unreadable: those checks are skipped)."""
    try:
        return _design_from_yaml(folder / "design.yaml") if (folder / "design.yaml").exists() else None
    except (DesignError, ConfigError):
        return None


def _integrity(about: dict, pairs: pd.DataFrame, shape: str, rows: list[int]) -> tuple[str, list[int], int]:
    """(integrity, changed rows, adopted units removed): the pairs now in the file against those adopted."""
    recorded = about.get("fingerprint") or {}
    members = recorded.get("members")
    if recorded.get("method") != FINGERPRINT_METHOD or not isinstance(members, list) or \
            fingerprint(members) != recorded.get("sha256"):
        return "unverified", [], 0
    if fingerprint(member_lines(pairs, shape)) == recorded["sha256"]:
        return "intact", [], 0
    changed = [rows[position] for position in edited_rows(pairs, shape, members)]
    removed = len(set(members) - set(member_lines(pairs, shape)))
    return "edited", changed, removed


def _read_round(folder: Path) -> Round:
    about = _about(folder)
    shape = about.get("shape", "one_to_one")
    main = folder / ("circles.csv" if shape == "circles" else "pairs.csv")
    if not main.exists():
        raise ConfigError(f"there is no {main.name} in this round folder.", path=folder,
                          fix="restore the file from a backup (match.xlsx holds the same pairs), or run match again "
                              "to adopt a new round")
    pairs, rows, headers = _frame(main)
    needed = _CIRCLE_COLUMNS if shape == "circles" else _PAIR_COLUMNS
    absent = [column for column in needed if column not in pairs]
    if absent:
        raise ConfigError(f"the column {', '.join(absent)} is missing (in {folder.name}).", path=main,
                          fix=f"the file needs the columns {', '.join(needed)}; restore it from match.xlsx")
    for column in needed:
        pairs[column] = [None if value is None else str(value).strip() for value in pairs[column]]
    problems = table_problems(pairs, shape, _round_design(folder), main, rows, headers)
    if problems:
        raise _refused(None, problems, folder=folder, main=main)
    for column in needed:
        pairs[column] = pairs[column].astype(str)
    unmatched = _frame(folder / "unmatched.csv")[0] if (folder / "unmatched.csv").exists() \
        else pd.DataFrame(columns=_UNMATCHED_COLUMNS)
    unmatched = unmatched.reindex(columns=_UNMATCHED_COLUMNS)
    integrity, changed, removed = _integrity(about, pairs, shape, rows)
    certificate = {key: about.get(key) for key in ("status", "objective", "certified", "method", "candidate_pairs",
                                                   "pairs_in_model", "rounds", "max_reduced_cost", "solver", "notes",
                                                   "statement")}
    if integrity != "intact":  # never certified for pairs other than the ones proved
        certificate.update(certified=False, status=integrity, adopted_status=about.get("status"))
    return Round(number=int(about["round"]), created=dt.datetime.fromisoformat(about["created"]), folder=folder,
                 shape=shape, pairs=pairs, unmatched=unmatched, design_name=str(about.get("design", "")),
                 certificate=certificate, note=str(about.get("note") or ""), integrity=integrity,
                 changed_rows=changed, removed=removed, pinned=[tuple(pair) for pair in about.get("pinned") or []],
                 banned=[tuple(pair) for pair in about.get("banned") or []], source_rows=rows, headers=headers)


def _number(folder: Path) -> int:
    """The round's number, from its folder's name (a name :data:`_ROUND_NAME` matches)."""
    named = _ROUND_NAME.match(folder.name)
    if named is None:
        raise ValueError(f"{folder.name} is not a round folder's name")
    return int(named.group(1))


def _round_named(matches: Path) -> list[Path]:
    if not matches.is_dir():
        return []
    return sorted((path for path in matches.iterdir() if path.is_dir() and _ROUND_NAME.match(path.name)), key=_number)


def _complete_folders(matches: Path) -> list[Path]:
    """Round folders with their round.json, oldest first: a folder without one was never adopted (a run stopped
    while writing it, before rounds were written whole) and every reader passes over it."""
    return [path for path in _round_named(matches) if (path / "round.json").exists()]


def _debris_number(matches: Path) -> int:
    """Remove what runs killed mid-write left as round folders (only the toolkit's files, no round.json); the
    highest number of any other incomplete folder, so a new round never takes its name (0 when none)."""
    highest = 0
    for path in _round_named(matches):
        if (path / "round.json").exists():
            continue
        if {child.name for child in path.iterdir()} <= _ROUND_FILES:
            shutil.rmtree(path, ignore_errors=True)
        else:
            highest = max(highest, _number(path))
    return highest


def list_rounds(client_dir: Any) -> list[Round]:
    """Every round in the client folder, oldest first (empty when nothing was adopted yet)."""
    return [_read_round(path) for path in _complete_folders(rounds_folder(client_dir))]


def current_round(client_dir: Any) -> Round | None:
    """The adopted round (named in ``matches/current.txt``; else the latest), or None before any match."""
    folder = rounds_folder(client_dir)
    marker = folder / _CURRENT
    if marker.exists():
        name = marker.read_text(encoding="utf-8").strip()
        target = folder / name
        if not _ROUND_NAME.match(name) or not (target / "round.json").is_file():
            raise ConfigError(f"names {name!r}, which is not a round folder in {folder} (or not a complete one: no "
                              "round.json).", path=marker,
                              fix="write the folder name of the round to use (e.g. round-01-2026-11-30) in "
                                  "current.txt, or delete current.txt to use the latest round")
        return _read_round(target)
    folders = _complete_folders(folder)
    return _read_round(folders[-1]) if folders else None
