"""Worked examples on real-shaped data: the course's own fictional clients and the tables lessons show.

The course ships two client folders in ``notebooks/course/data/``, each with the sign-up export as
a client sends it (a Google Forms download: question headers, sentence answers, UK timestamps, a
byte-order mark) and a ``client.yaml``:

- ``kestrel``: Kestrel Logistics, whose first draft design leaves the Hull depot's shift workers
  without mentors; lesson 3 shows how the fairness audit finds it and what fixes it;
- ``larkfield``: Larkfield Housing, the capstone's client.

The functions here compute what the lessons show from those files with the toolkit itself, and
phrase it for people who do not code (plain column names, no setting names).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..client import ClientConfig, load_client
from ..errors import ToolkitError, check_option
from ..intake.tables import read_table
from ..matching.audits import fairness_audit
from ..matching.engine import match
from ..matching.rematch import rematch
from ..matching.result import MatchResult
from ..matching.shortlists import shortlists
from ..measure.relationships import rematch_history
from .lessons import course_dir

__all__ = ["COURSE_CLIENTS", "course_client", "working_copy", "export_preview", "roster_summary", "audit_table",
           "left_out", "relax_rule", "RELAXABLE", "reason_in_words", "shortlist_example", "rematch_example"]

COURSE_CLIENTS = ("kestrel", "larkfield")


def course_client(name: str) -> ClientConfig:
    """One of the course's fictional clients (:data:`COURSE_CLIENTS`), loaded from ``notebooks/course/data``."""
    check_option("course client", name, COURSE_CLIENTS, ToolkitError)
    return load_client(course_dir() / "data" / name)


def working_copy(name: str, folder: str | Path | None = None) -> ClientConfig:
    """A copy of a course client to work in (the capstone adopts matches and writes agreements there).

    Parameters
    ----------
    folder
        Where to copy it (created; must not hold a copy already). Default: a new temporary folder.
    """
    source = course_client(name).folder
    target = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix=f"tk-course-{name}-")) / name
    if (target / "client.yaml").exists():
        raise ToolkitError(f"{target} already holds a copy of the course client {name}.",
                           fix="choose another folder, or delete that one to start again")
    shutil.copytree(source, target, dirs_exist_ok=True)
    return load_client(target)


def export_preview(client: ClientConfig, rows: int = 3) -> pd.DataFrame:
    """The first responses of the client's sign-up export as the client sent it, one row per question (its own
    header) and one column per response, named by its spreadsheet row (the header is row 1)."""
    table = read_table(client.get("participants")[0]["path"])
    shown = table.rows[:rows]
    return pd.DataFrame({"question (the export's header)": list(table.headers),
                         **{f"row {number}": list(row) for number, row in enumerate(shown, start=2)}})


def roster_summary(client: ClientConfig) -> pd.DataFrame:
    """Who signed up, by site and role: what the toolkit read from the export."""
    people = client.roster().participants
    table = people.groupby(["site", "role"]).size().unstack(fill_value=0)
    table = table.reindex(columns=[role for role in ("mentor", "mentee", "both") if role in table.columns])
    return table.rename(columns={"mentor": "mentors", "mentee": "mentees", "both": "either role"}) \
        .rename_axis(None, axis=1).reset_index()


def audit_table(result: MatchResult, min_group: int) -> pd.DataFrame:
    """The fairness audit in plain words: each group's match rate, its gap to everyone's, and whether it is flagged."""
    audit = fairness_audit(result, min_group=min_group)
    overall = audit.attrs["overall_match_rate"]
    return pd.DataFrame({
        "group": [f"{row.attribute.replace('_', ' ')}: {row.value}" for row in audit.itertuples()],
        "people who asked for a mentor": audit["people"],
        "matched": audit["matched"],
        "match rate": [f"{rate:.0%}" for rate in audit["match_rate"]],
        "gap to everyone's rate": [f"{gap:+.0%}" for gap in audit["gap"]],
        "flagged": ["yes: look at why" if flagged else "no" for flagged in audit["flagged"]],
    }).assign(**{"everyone's rate": f"{overall:.0%}"})


def left_out(result: MatchResult, by: str = "site") -> pd.DataFrame:
    """The people a match left without a partner, with the group they belong to and the reason, in words."""
    people = result.roster.participants.set_index("participant_id")
    seekers = result.unmatched[~result.unmatched["role"].astype(str).isin(["mentor", "facilitator"])]
    return pd.DataFrame({
        by: [people.at[person, by] for person in seekers["participant_id"]],
        "department": [people.at[person, "department"] for person in seekers["participant_id"]],
        "why nobody was found": [reason_in_words(reason) for reason in seekers["reason"]],
    }).sort_values([by, "department"], kind="stable").reset_index(drop=True)


def reason_in_words(reason: object) -> str:
    """A matching reason (written to the person) as a sentence about them, for a table."""
    text = str(reason).removeprefix("no eligible mentor under the programme's rules: ")
    text = re.sub(r"\byour\b", "their", re.sub(r"\byou\b", "them", text))
    return text[:1].upper() + text[1:]


# The draft rules a learner may suspect, in the words the lesson uses, and the change that relaxes each.
RELAXABLE: dict[str, tuple[str, dict]] = {
    "own_manager": ("Never with their own manager", {"rules": {"exclude_own_manager": False}}),
    "same_team": ("Never two people from the same team", {"rules": {"exclude_same_team": False}}),
    "availability": ("Pairs must share at least an hour of free time each week",
                     {"rules": {"min_availability_overlap_hours": None}}),
    "seniority": ("The mentor must be more senior", {"seniority": {"direction": "any"}}),
}


def relax_rule(client: ClientConfig, rule: str) -> MatchResult:
    """The client's cohort matched again with one rule of its design relaxed (a key of :data:`RELAXABLE`)."""
    check_option("rule", rule, RELAXABLE, ToolkitError)
    return match(client.roster(), client.design().override(RELAXABLE[rule][1]))


def shortlist_example(client: ClientConfig, k: int = 3) -> pd.DataFrame:
    """The shortlist of the client's first mentee: each suggested mentor by name, and why, in words for the mentee."""
    roster = client.roster()
    lists = shortlists(roster, client.design(), k=k).table
    first = lists[lists["mentee_id"] == lists["mentee_id"].iloc[0]]
    return pd.DataFrame({"suggestion": first["option"], "mentor": [roster.display_name(m) for m in first["mentor_id"]],
                         "why": first["why"]}).reset_index(drop=True)


def rematch_example(client: ClientConfig, as_of: str) -> tuple[str, pd.DataFrame]:
    """Re-matching on a date: what was kept (a sentence) and the new pairs by name with their scores."""
    history = rematch_history(client, as_of=as_of)
    roster = client.roster()
    again = rematch(roster, client.design(), active=history["active"], ended=history["ended"],
                    leavers=history["leavers"])
    pairs = again.new_pairs
    return again.summary(), pd.DataFrame({"mentee": [roster.display_name(p) for p in pairs["mentee_id"]],
                                          "new mentor": [roster.display_name(p) for p in pairs["mentor_id"]],
                                          "match score": pairs["score"].round(1)})
