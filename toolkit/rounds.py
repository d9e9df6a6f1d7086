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
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .client import load_client
from .design.model import ProgramDesign
from .errors import ConfigError, MatchingError
from .files import write_csv, write_excel, write_text
from .intake.schema import snake_case
from .intake.tables import read_table
from .matching.choices import load_choices
from .matching.engine import match
from .matching.result import MatchResult
from .matching.solver import Certificate
from .paths import confined_folder

__all__ = ["Round", "adopt", "adopt_match", "client_match", "current_round", "list_rounds", "match_members",
           "round_changes", "rounds_folder",
           "ROUNDS_FOLDER"]

ROUNDS_FOLDER = "matches"
_CURRENT = "current.txt"
_ROUND_NAME = re.compile(r"^round-(\d+)-(\d{4}-\d{2}-\d{2})$")
_PAIR_COLUMNS = ["pair_id", "mentee_id", "mentor_id"]
_CIRCLE_COLUMNS = ["circle_id", "participant_id", "circle_role"]
_UNMATCHED_COLUMNS = ["participant_id", "role", "reason", "suggestion"]


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
    """One adopted match, as kept in its round folder.

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
        The round's summary: status, objective, certified, method, solver and notes.
    note
        Why this round was made (free text, may be empty).
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

    @property
    def name(self) -> str:
        return self.folder.name

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
    def design_path(self) -> Path:
        return self.folder / "design.yaml"

    def design(self) -> ProgramDesign:
        """The programme design the round was matched under (its ``design.yaml``)."""
        if not self.design_path.exists():
            raise ConfigError(f"there is no design.yaml in round {self.number}.", path=self.folder,
                              fix="pass the programme design, or restore design.yaml from a backup")
        return _design_from_yaml(self.design_path)

    def summary(self) -> str:
        unit = "circles" if self.shape == "circles" else "pairs"
        return (f"round {self.number} ({self.folder.name}): {self.units} {unit}, adopted "
                f"{self.created:%d %B %Y %H:%M}" + (f"; {self.note}" if self.note else ""))

    def as_match_result(self, roster, design=None) -> MatchResult:
        """The round as a :class:`~toolkit.matching.result.MatchResult` for agreements, the kit and reports.

        People in the round who are no longer in ``roster`` stay in the pairs (by id) and are also
        listed in ``unmatched`` with the reason, as is everyone in ``roster`` who needed a match and
        joined after the round was adopted; nothing is re-solved, so there are no explanations.
        """
        if design is None:
            design = self.design()
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
        notes = list(self.certificate.get("notes") or [])
        notes.append(f"adopted as round {self.number} on {self.created:%d %B %Y} ({self.folder.name})")
        certificate = Certificate(
            certified=bool(self.certificate.get("certified", False)), method=str(self.certificate.get("method", "")),
            candidate_pairs=int(self.certificate.get("candidate_pairs") or 0),
            pairs_in_model=int(self.certificate.get("pairs_in_model") or 0),
            rounds=int(self.certificate.get("rounds") or 0),
            max_reduced_cost=_float(self.certificate.get("max_reduced_cost")),
            solver=str(self.certificate.get("solver", "")), notes=notes)
        pairs = self.pairs if self.shape != "circles" else pd.DataFrame(columns=["mentee_id", "mentor_id", "score"])
        return MatchResult(roster=roster, design=design, shape=self.shape, pairs=pairs, circles=self.circles,
                           unmatched=unmatched, status=str(self.certificate.get("status", "as_run")),
                           objective=objective, certificate=certificate)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _design_from_yaml(path: Path):
    return ProgramDesign.from_yaml(path)


# ------------------------------------------------------------------------------------------------
# Writing a round
# ------------------------------------------------------------------------------------------------
def _name_of(roster, person: Any) -> str:
    person = str(person)
    if roster is None or person not in roster:
        return person
    name = roster.display_name(person)
    return "" if "@" in name else name  # an id that is an email address is not repeated as a name


def _earlier_pair_ids(client_dir: Any, existing: list[Round]) -> dict[tuple[str, str], str]:
    """(mentee_id, mentor_id) -> pair id in the match before this one: the current round, else the client's
    ``pairs:`` file (a programme matched before the toolkit kept rounds). The same two people keep their pair id,
    so meetings and check-ins already logged against it still count."""
    if existing:
        try:
            before = current_round(client_dir)
        except ConfigError:
            before = existing[-1]
        frame = before.pairs if before is not None and before.shape != "circles" else None
    else:
        frame = None
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


def _round_tables(result: MatchResult, number: int,
                  earlier: dict[tuple[str, str], str] | None = None) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    roster = result.roster
    if result.shape == "circles":
        circles = result.circles.reindex(columns=_CIRCLE_COLUMNS + [c for c in result.circles.columns
                                                                    if c not in _CIRCLE_COLUMNS])
        circles = circles.assign(name=[_name_of(roster, p) for p in circles["participant_id"]])
        # Round-scoped ids (R1-C01), like pair ids: a meeting logged against an older circle C01 can never be
        # counted for this round's C01. Ids that already carry a round (kept by a re-match) stay as they are.
        circles["circle_id"] = [str(c) if re.match(r"^R\d+-", str(c)) else f"R{number}-{c}"
                                for c in circles["circle_id"]]
        return "circles", circles.reset_index(drop=True), result.unmatched
    pairs = result.pairs.copy().reset_index(drop=True)
    given = pairs["pair_id"] if "pair_id" in pairs else pd.Series([None] * len(pairs), dtype=object)
    earlier, ids, fresh = earlier or {}, [], 0
    for pair_id, mentee, mentor in zip(given, pairs["mentee_id"], pairs["mentor_id"]):
        if pair_id is None or (isinstance(pair_id, float) and math.isnan(pair_id)):
            pair_id = earlier.get((str(mentee), str(mentor)))
        if pair_id is None:
            fresh += 1
            pair_id = f"R{number}-P{fresh:03d}"
        ids.append(str(pair_id))
    pairs["pair_id"] = ids
    pairs["mentee"] = [_name_of(roster, p) for p in pairs["mentee_id"]]
    pairs["mentor"] = [_name_of(roster, p) for p in pairs["mentor_id"]]
    first = ["pair_id", "mentee_id", "mentee", "mentor_id", "mentor"]
    pairs = pairs[first + [c for c in pairs.columns if c not in first]]
    numeric = pairs.select_dtypes("number").columns
    pairs[numeric] = pairs[numeric].round(6)
    return "pairs", pairs, result.unmatched


def _certificate_summary(result: MatchResult) -> dict:
    certificate = result.certificate
    objective = result.objective
    return {
        "status": result.status,
        "objective": None if objective is None or (isinstance(objective, float) and math.isnan(objective))
        else round(float(objective), 6),
        "certified": bool(getattr(certificate, "certified", False)),
        "method": getattr(certificate, "method", ""),
        "candidate_pairs": int(getattr(certificate, "candidate_pairs", 0) or 0),
        "pairs_in_model": int(getattr(certificate, "pairs_in_model", 0) or 0),
        "rounds": int(getattr(certificate, "rounds", 0) or 0),
        "max_reduced_cost": _plain(getattr(certificate, "max_reduced_cost", None)),
        "solver": getattr(certificate, "solver", ""),
        "notes": list(getattr(certificate, "notes", []) or []),
        "statement": str(certificate),
    }


def _plain(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def adopt(client_dir: Any, result: MatchResult, *, design=None, note: str = "",
          now: dt.datetime | None = None) -> Round:
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

    Returns
    -------
    Round
        The new round. Earlier rounds are left exactly as they were.
    """
    folder = rounds_folder(client_dir)
    design = design or result.design
    now = (now or dt.datetime.now()).replace(microsecond=0)
    existing = list_rounds(client_dir)
    number = (existing[-1].number if existing else 0) + 1
    target = folder / f"round-{number:02d}-{now:%Y-%m-%d}"
    folder.mkdir(parents=True, exist_ok=True)
    target.mkdir()  # never an existing folder: a round is written once
    kind, main, unmatched = _round_tables(result, number, _earlier_pair_ids(client_dir, existing))
    unmatched = unmatched.reindex(columns=_UNMATCHED_COLUMNS).assign(
        name=[_name_of(result.roster, p) for p in unmatched["participant_id"]])
    write_csv(main, target / f"{kind}.csv")
    write_csv(unmatched, target / "unmatched.csv")
    summary = _certificate_summary(result)
    about = pd.DataFrame({"item": ["round", "adopted", "programme", "status", "certificate", "note"],
                          "value": [str(number), now.isoformat(sep=" "), design.name, result.status,
                                    summary["statement"], note]})
    write_excel({kind: main, "unmatched": unmatched, "about": about}, target / "match.xlsx")
    write_text(design.to_yaml(), target / "design.yaml")
    record = {"round": number, "created": now.isoformat(), "shape": result.shape, "design": design.name,
              "note": note, "units": (int(main["circle_id"].nunique()) if kind == "circles" else len(main)),
              "unmatched": len(unmatched), **summary}
    write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", target / "round.json")
    write_text(target.name + "\n", folder / _CURRENT)
    return _read_round(target)


# ------------------------------------------------------------------------------------------------
# Reading rounds
# ------------------------------------------------------------------------------------------------
def _frame(path: Path) -> pd.DataFrame:
    table = read_table(path)
    frame = pd.DataFrame(table.rows, columns=list(table.headers), dtype=object).replace({"": None})
    for column in frame.columns:
        if column in ("score",) or column not in (_PAIR_COLUMNS + _CIRCLE_COLUMNS + _UNMATCHED_COLUMNS
                                                  + ["mentee", "mentor", "name", "status", "first_meeting"]):
            converted = pd.to_numeric(frame[column], errors="coerce")
            if converted.notna().sum() == frame[column].notna().sum():
                frame[column] = converted
    return frame


def _read_round(folder: Path) -> Round:
    about_path = folder / "round.json"
    if not about_path.exists():
        raise ConfigError("there is no round.json in this round folder, so it is not a complete round.", path=folder,
                          fix="restore the folder from a backup, or move it out of matches/ and run match again")
    try:
        about = json.loads(about_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConfigError(f"not readable: {error.msg}.", path=about_path,
                          row=error.lineno, fix="restore it from a backup; the toolkit writes it, it is not "
                                                "meant to be edited") from None
    shape = about.get("shape", "one_to_one")
    main = folder / ("circles.csv" if shape == "circles" else "pairs.csv")
    if not main.exists():
        raise ConfigError(f"there is no {main.name} in this round folder.", path=folder,
                          fix="restore the file from a backup, or run match again to adopt a new round")
    pairs = _frame(main)
    needed = _CIRCLE_COLUMNS if shape == "circles" else _PAIR_COLUMNS
    absent = [column for column in needed if column not in pairs]
    if absent:
        raise ConfigError(f"the column {', '.join(absent)} is missing (in {folder.name}).", path=main,
                          fix=f"the file needs the columns {', '.join(needed)}; restore it from match.xlsx")
    for column in needed:
        pairs[column] = pairs[column].astype(str)
    unmatched_path = folder / "unmatched.csv"
    unmatched = _frame(unmatched_path) if unmatched_path.exists() else pd.DataFrame(columns=_UNMATCHED_COLUMNS)
    unmatched = unmatched.reindex(columns=_UNMATCHED_COLUMNS)
    return Round(number=int(about["round"]), created=dt.datetime.fromisoformat(about["created"]), folder=folder,
                 shape=shape, pairs=pairs, unmatched=unmatched, design_name=str(about.get("design", "")),
                 certificate={key: about.get(key) for key in ("status", "objective", "certified", "method",
                                                              "candidate_pairs", "pairs_in_model", "rounds",
                                                              "max_reduced_cost", "solver", "notes", "statement")},
                 note=str(about.get("note") or ""))


def list_rounds(client_dir: Any) -> list[Round]:
    """Every round in the client folder, oldest first (empty when nothing was adopted yet)."""
    folder = rounds_folder(client_dir)
    if not folder.is_dir():
        return []
    found = sorted((int(m.group(1)), path) for path in folder.iterdir()
                   if path.is_dir() and (m := _ROUND_NAME.match(path.name)))
    return [_read_round(path) for _, path in found]


def current_round(client_dir: Any) -> Round | None:
    """The adopted round (named in ``matches/current.txt``; else the latest), or None before any match."""
    folder = rounds_folder(client_dir)
    marker = folder / _CURRENT
    if marker.exists():
        name = marker.read_text(encoding="utf-8").strip()
        target = folder / name
        if not _ROUND_NAME.match(name) or not target.is_dir():
            raise ConfigError(f"names {name!r}, which is not a round folder in {folder}.", path=marker,
                              fix="write the folder name of the round to use (e.g. round-01-2026-11-30) in "
                                  "current.txt, or delete current.txt to use the latest round")
        return _read_round(target)
    rounds = list_rounds(client_dir)
    return rounds[-1] if rounds else None


def client_match(config, *, roster=None, design=None, objective: str | None = None, **options) -> MatchResult:
    """The match for a client, as the ``match`` command, the demo and the matching report all make it.

    A one-to-one client whose mentees ranked their shortlists (``choices:`` in client.yaml) is
    matched on the ranks; ``options`` go to :func:`~toolkit.matching.match` (``time_limit``,
    ``progress``, ...).
    """
    roster = config.roster() if roster is None else roster
    design = config.design() if design is None else design
    ranked = config.get("choices") and design.shape == "one_to_one"
    choices = load_choices(config.get("choices")) if ranked else None
    return match(roster, design, objective=objective, choices=choices, **options)


def adopt_match(config, *, objective: str | None = None, note: str = "", **options) -> tuple[MatchResult, Round]:
    """Match a client (:func:`client_match`) and adopt the result as its next round: (result, round).

    A match with no pair or circle is not adopted: it raises a MatchingError saying why.
    """
    design = config.design()
    result = client_match(config, design=design, objective=objective, **options)
    units = result.circles["circle_id"].nunique() if result.shape == "circles" else len(result.pairs)
    if units == 0:
        reasons = result.unmatched["reason"].astype(str).value_counts()
        raise MatchingError(
            f"{config.name}: the match found no {'circle' if result.shape == 'circles' else 'pair'}, so nothing was "
            f"adopted ({len(result.unmatched)} people unmatched" + (f"; most often: {reasons.index[0]}" if len(reasons)
                                                                     else "") + ").",
            fix=f"see who is missing with: mentoring-toolkit validate --client {config.path}")
    return result, adopt(config, result, design=design, note=note)


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
