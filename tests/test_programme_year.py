"""A hand-written programme year, driven through the command line day by day, checked at five dates.

The fixture (tests/fixtures/programme_year) is a small housing association's year: two matches in
January (the second supersedes a pair that never met), a no-fault exit, a new joiner, a paused
mentor, two re-matches, a mentor who leaves (recorded with ``record``) and a mentee who withdraws
(written into people_status.csv by hand), and a meeting log whose durations and formats are typed
as people type them. Every expected state below is written by hand from the story in client.yaml,
not computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import time_machine

from toolkit.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "programme_year"


def _log_until(client: Path, day: str) -> None:
    """The meeting log as the coordinator has it on ``day``: every meeting of the year held by then."""
    lines = (FIXTURE / "meeting_log_whole_year.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines[1:] if line.split(",")[2] <= day]
    (client / "meeting_log.csv").write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")


def _on(day: str, *arguments, client: Path | None = None) -> int:
    """Run one command as if on ``day`` (the clock moved: "today" is that day; the meeting log has grown to it)."""
    if client is not None:
        _log_until(client, day)
    with time_machine.travel(dt.datetime.fromisoformat(f"{day} 10:00"), tick=False):
        return main([str(argument) for argument in arguments])


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The client folder after the whole year, and where each re-match wrote its papers."""
    base = tmp_path_factory.mktemp("year")
    client = base / "harbourside"
    shutil.copytree(FIXTURE, client)
    steps = [
        ("2025-01-13", "match", "--client", client, "--quiet"),
        ("2025-01-20", "match", "--client", client, "--quiet"),  # Ayo Bello (M05) started on 16 January
        ("2025-03-14", "record", "--client", client, "ended", "R1-P003", "--on", "2025-03-14", "--reason", "no_fault"),
        ("2025-04-14", "record", "--client", client, "joined", "E08", "--on", "2025-04-14"),
        ("2025-04-30", "record", "--client", client, "paused", "M04", "--on", "2025-04-30", "--reason",
         "parental leave"),
        ("2025-05-12", "rematch", "--client", client, "--out", base / "round3"),
        ("2025-06-20", "record", "--client", client, "left", "M01", "--on", "2025-06-20", "--reason",
         "left_organisation"),
        ("2025-07-07", "record", "--client", client, "returned", "M04", "--on", "2025-07-07"),
    ]
    for day, *arguments in steps:
        assert _on(day, *arguments, client=client) == 0, (day, arguments)
    # Kate Byrne's withdrawal reached the programme team by email: they typed it into the file themselves.
    with (client / "people_status.csv").open("a", encoding="utf-8") as handle:
        handle.write("E05,Left,4 August 2025,withdrew,told her manager\n")
    assert _on("2025-09-01", "rematch", "--client", client, "--out", base / "round4", client=client) == 0
    _log_until(client, "2026-01-10")
    return client, base


def _status(client: Path, as_of: str, capsys) -> dict:
    capsys.readouterr()
    assert _on("2026-01-10", "status", "--client", client, "--as-of", as_of, "--json") == 0
    return json.loads(capsys.readouterr().out)


def _people(status: dict) -> dict[str, str]:
    return {person["participant_id"]: person["state"] for person in status["people"]}


def _pairs(status: dict) -> dict[str, tuple]:
    return {pair["unit_id"]: (pair["mentee_id"], pair["mentor_id"], pair["state"]) for pair in status["pairs"]}


@pytest.mark.slow
def test_15_january_round_one_runs_and_two_people_have_not_joined_yet(year, capsys):
    status = _status(year[0], "2025-01-15", capsys)
    active = ("E01", "E02", "E03", "E04", "E05", "E06", "E07", "M01", "M02", "M03", "M04")
    assert _people(status) == {**dict.fromkeys(active, "active"), "M05": "not_joined", "E08": "not_joined"}
    assert _pairs(status) == {"R1-P001": ("E01", "M01", "active"), "R1-P002": ("E02", "M01", "active"),
                              "R1-P003": ("E03", "M02", "active"), "R1-P004": ("E04", "M03", "active"),
                              "R1-P005": ("E05", "M03", "active"), "R1-P006": ("E06", "M04", "active"),
                              "R1-P007": ("E07", "M04", "active")}
    assert status["counts"]["meetings"] == 0 and [item["number"] for item in status["rounds"]] == [1]


@pytest.mark.slow
def test_20_march_the_unmet_pair_is_superseded_not_ended_and_the_no_fault_exit_waits(year, capsys):
    status = _status(year[0], "2025-03-20", capsys)
    people = _people(status)
    assert people["E03"] == people["M02"] == "waiting" and people["E08"] == "not_joined"
    assert people["M05"] == people["E07"] == "active"
    pairs = {pair["unit_id"]: pair for pair in status["pairs"]}
    assert (pairs["R1-P007"]["state"], pairs["R1-P007"]["ended_on"], pairs["R1-P007"]["end_reason"]) == \
        ("superseded", "2025-01-20", None)
    assert (pairs["R1-P003"]["state"], pairs["R1-P003"]["ended_on"], pairs["R1-P003"]["end_reason"]) == \
        ("ended", "2025-03-14", "no_fault")
    assert _pairs(status)["R2-P001"] == ("E07", "M05", "active")
    assert pairs["R1-P001"]["meetings"] == 2 and pairs["R1-P001"]["first_meeting"] == "2025-01-27"
    assert status["counts"]["meetings"] == 11
    assert status["counts"]["pairs"] == {"active": 6, "paused": 0, "ended": 1, "completed": 0, "superseded": 1}


@pytest.mark.slow
def test_20_may_the_paused_mentor_keeps_the_pair_and_the_new_joiner_has_a_round_three_mentor(year, capsys):
    status = _status(year[0], "2025-05-20", capsys)
    people = _people(status)
    assert people["M04"] == "paused" and people["E06"] == "active"  # the mentee of a paused mentor keeps the pair
    assert people["E03"] == "waiting"  # the only free mentor was her former one: never paired again
    assert people["E08"] == people["M02"] == "active"
    pairs = _pairs(status)
    assert pairs["R1-P006"] == ("E06", "M04", "paused") and pairs["R3-P001"] == ("E08", "M02", "active")
    assert status["counts"]["meetings"] == 14
    assert [item["number"] for item in status["rounds"]] == [1, 2, 3]


@pytest.mark.slow
def test_20_august_leavers_end_their_pairs_and_their_partners_wait_with_no_fault(year, capsys):
    status = _status(year[0], "2025-08-20", capsys)
    people = _people(status)
    assert people["M01"] == people["E05"] == "left"
    assert people["E01"] == people["E02"] == people["E03"] == "waiting"
    assert {person for person, state in people.items() if state == "active"} == {
        "E04", "E06", "E07", "E08", "M02", "M03", "M04", "M05"}
    pairs = {pair["unit_id"]: pair for pair in status["pairs"]}
    assert [(pairs[unit]["state"], pairs[unit]["ended_on"], pairs[unit]["end_reason"], pairs[unit]["left_by"])
            for unit in ("R1-P001", "R1-P002", "R1-P005")] == [
        ("ended", "2025-06-20", "left", "M01"), ("ended", "2025-06-20", "left", "M01"),
        ("ended", "2025-08-04", "left", "E05")]
    assert pairs["R1-P006"]["state"] == "active"  # Ben returned on 7 July
    waiting = {person["participant_id"]: person["reason"] for person in status["people"]}
    assert "no fault of theirs" in waiting["E01"] and "M01 left on 20 June 2025" in waiting["E01"]
    # Dan's meeting of 1 July names a pair that had ended: shown, not counted
    assert status["counts"]["meetings"] == 21 and status["counts"]["meetings_not_counted"] == 1
    assert status["counts"]["ended_by_reason"] == {"no_fault": 1, "left": 3, "replaced": 0}


@pytest.mark.slow
def test_22_december_after_the_end_every_running_pair_completed(year, capsys):
    status = _status(year[0], "2025-12-22", capsys)
    people = _people(status)
    assert {person for person, state in people.items() if state == "completed"} == {
        "E01", "E04", "E06", "E07", "E08", "M02", "M03", "M04", "M05"}
    assert people["E02"] == people["E03"] == "waiting" and people["M01"] == people["E05"] == "left"
    pairs = {pair["unit_id"]: pair for pair in status["pairs"]}
    assert (pairs["R4-P001"]["mentee_id"], pairs["R4-P001"]["mentor_id"]) == ("E01", "M03")
    assert all((pairs[unit]["state"], pairs[unit]["ended_on"], pairs[unit]["end_reason"]) ==
               ("completed", "2025-12-19", "completed") for unit in ("R1-P004", "R1-P006", "R2-P001", "R3-P001",
                                                                    "R4-P001"))
    assert status["counts"]["meetings"] == 24 and len(status["rounds"]) == 4


@pytest.mark.slow
def test_leavers_recorded_either_way_are_never_matched_again(year, capsys):
    client, base = year
    fourth = pd.read_csv(base / "round4" / "all_pairs.csv", encoding="utf-8-sig")
    people = set(fourth["mentee_id"]) | set(fourth["mentor_id"])
    assert not people & {"M01", "E05"}  # M01 by the record command, E05 by hand in the file
    # a fresh match after they left leaves them out too
    copy = base / "copy"
    shutil.copytree(client, copy)
    assert _on("2025-09-02", "match", "--client", copy, "--dry-run", "--quiet", "--out", base / "fresh",
               client=copy) == 0
    fresh = pd.read_csv(base / "fresh" / "pairs.csv", encoding="utf-8-sig")
    assert not (set(fresh["mentee_id"]) | set(fresh["mentor_id"])) & {"M01", "E05"}


@pytest.mark.slow
def test_rematch_papers_date_from_the_rematch_and_use_the_rounds_pair_ids(year):
    _, base = year
    third = pd.read_csv(base / "round3" / "introductions.csv", encoding="utf-8-sig")
    assert list(third["pair_id"]) == ["R3-P001"]
    assert "first meeting by Monday 26 May 2025" in third["body"].iloc[0]  # two weeks after 12 May, not March
    plan = pd.read_csv(base / "round3" / "milestones" / "milestones.csv", encoding="utf-8-sig")
    assert set(plan["pair_id"]) == {"R3-P001"} and plan["date"].min() == "2025-05-26"
    assert (base / "round3" / "milestones" / "R3-P001.ics").exists()
    fourth = pd.read_csv(base / "round4" / "new_pairs.csv", encoding="utf-8-sig")
    assert list(fourth["pair_id"]) == ["R4-P001"]
    assert "first meeting by Monday 15 September 2025" in pd.read_csv(
        base / "round4" / "introductions.csv", encoding="utf-8-sig")["body"].iloc[0]


@pytest.mark.slow
def test_the_superseded_pair_is_not_banned_and_the_no_fault_pair_is(year):
    from toolkit.programme import programme_state

    state = programme_state(year[0], as_of="2025-09-01")
    assert ("E07", "M04") not in state.ever_paired()  # superseded before meeting: may be paired again
    assert ("E03", "M02") in state.ever_paired() and ("E01", "M01") in state.ever_paired()


@pytest.mark.slow
def test_a_later_rematch_into_the_same_folder_moves_the_earlier_rounds_papers_aside(year, tmp_path):
    """rematch --out follows the round: the folder holds one round's papers, an earlier re-match's go to round-NN/."""
    client, base = year
    copy, out = tmp_path / "harbourside", tmp_path / "rematch"
    shutil.copytree(client, copy)
    shutil.copytree(base / "round4", out)
    before = json.loads((out / "round.json").read_text(encoding="utf-8"))
    assert before["key"] == "round-04"
    assert _on("2025-10-06", "rematch", "--client", copy, "--out", out, client=copy) == 0
    index = json.loads((out / "round.json").read_text(encoding="utf-8"))
    assert index["key"] == "round-05"
    assert (out / "round-04" / "introductions.csv").exists()  # round 4's papers kept, apart
    assert not (out / "introductions.csv").exists() or set(pd.read_csv(
        out / "introductions.csv", encoding="utf-8-sig")["pair_id"]) <= {f"R5-P{n:03d}" for n in range(1, 100)}
    round5 = next(path for path in (copy / "matches").iterdir() if path.name.startswith("round-05"))
    adopted = set(pd.read_csv(round5 / "pairs.csv", encoding="utf-8-sig")["pair_id"])
    assert set(pd.read_csv(out / "all_pairs.csv", encoding="utf-8-sig")["pair_id"]) == adopted
